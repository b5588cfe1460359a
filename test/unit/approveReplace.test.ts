// A change has one approval record: what `approve` does when one is already there. Another
// reviewer's record is replaced only with --force (the CLI refuses and names it otherwise),
// the reviewer's own earlier decision is replaced with a note, and a file there that is no
// valid record is replaced with a note. Real repositories, real ssh-keygen keys, the real CLI.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { approvalPath, makeApproval, serializeApproval, signaturePathFor } from '../../src/core/approval';
import { UsageError } from '../../src/core/model';
import { approve, ReplaceDeclined, verify, type ApproveOptions, type EarlierRecord } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import type { TestKey } from './sshKeys';
import { makeWorld, type World } from './verifyFixture';

describe('approve when the change already has a record', function () {
  this.timeout(120000);
  let w: World;
  let dir: string;
  let digest: string;
  const prevEnv = { ...process.env };

  function approveWith(key: TestKey, extra: Partial<ApproveOptions> = {}) {
    return approve({ cwd: w.repo.root, path: dir, key: key.key, ssh: { env: w.env, interactive: false }, ...extra });
  }
  const recordFile = () => path.join(w.repo.root, approvalPath(digest));
  const sigFile = () => path.join(w.repo.root, signaturePathFor(approvalPath(digest)));
  const bytes = () => [readFileSync(recordFile(), 'utf8'), readFileSync(sigFile(), 'utf8')];
  /** The fingerprint ssh-keygen itself prints for a key. */
  const fingerprintOf = (key: TestKey) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key.key}.pub`], { encoding: 'utf8' }).split(' ')[1]!;

  beforeEach(async () => {
    w = await makeWorld();
    Object.assign(process.env, w.env);
    await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
    const analysis = await analyzeRepository({ cwd: w.repo.root });
    digest = analysis.report.digest;
    dir = await writeBundle(analysis, { out: path.join(w.scratch, 'reviews') });
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await w?.repo.cleanup();
  });

  it("CLI: refuses to replace another reviewer's rejection without --force, naming it, and writes nothing", async () => {
    await approveWith(w.keys.alice, { reject: true, comment: 'the cache has no bound', now: new Date('2026-11-23T14:05:09.345Z') });
    const before = bytes();
    const r = await w.cli(['approve', dir, '--key', w.keys.author.key, '--comment', 'fine by me']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `specgate: ${approvalPath(digest)} already holds a rejection by alice@example.com (${fingerprintOf(w.keys.alice)}) at 2026-11-23 14:05:09 UTC: the cache has no bound; ` +
        "there is one record per change, so your approval would replace it — pass --force to replace another reviewer's record\n",
    );
    assert.deepEqual(bytes(), before);
    const v = await verify({ cwd: w.repo.root });
    assert.deepEqual([v.ok, v.code], [false, 'rejected']);
  });

  it('CLI: --force replaces it and says whose decision it replaced, in one line on stderr', async () => {
    await approveWith(w.keys.alice, { reject: true, comment: 'no' });
    const r = await w.cli(['approve', dir, '--key', w.keys.author.key, '--force']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `specgate: replaced the earlier rejection by alice@example.com (${fingerprintOf(w.keys.alice)}) of this change`);
    assert.match(lines[1] ?? '', /^specgate: warning: .* self-approval/); // the author approving their own change, as before
    const record = JSON.parse(readFileSync(recordFile(), 'utf8'));
    assert.deepEqual([record.decision, record.reviewer.principal], ['approved', 'author@example.com']);
  });

  it('the same reviewer changing their decision needs no --force, and is told "replaced your earlier rejection"', async () => {
    await approveWith(w.keys.alice, { reject: true });
    const r = await w.cli(['approve', dir, '--key', w.keys.alice.key]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'specgate: replaced your earlier rejection of this change\n');
    assert.equal(JSON.parse(readFileSync(recordFile(), 'utf8')).decision, 'approved');
    // The same decision again: replaced without a word.
    const again = await approveWith(w.keys.alice);
    assert.equal(again.replaced, undefined);
    const back = await approveWith(w.keys.alice, { reject: true });
    assert.equal(back.replaced?.message, 'replaced your earlier approval of this change');
    assert.equal(back.replaced?.kind, 'own');
  });

  it("asks confirmReplace before signing over another reviewer's approval; no writes nothing, yes replaces", async () => {
    await approveWith(w.keys.alice, { comment: 'ok' });
    const before = bytes();
    const asked: EarlierRecord[] = [];
    await assert.rejects(
      approveWith(w.keys.author, { reject: true, confirmReplace: async (e) => (asked.push(e), false) }),
      (e: Error) => e instanceof ReplaceDeclined,
    );
    assert.deepEqual(bytes(), before);
    assert.equal(asked.length, 1);
    assert.deepEqual(
      { kind: asked[0]!.kind, decision: asked[0]!.decision, by: asked[0]!.by, fingerprint: asked[0]!.fingerprint, comment: asked[0]!.comment },
      { kind: 'other', decision: 'approved', by: 'alice@example.com', fingerprint: fingerprintOf(w.keys.alice), comment: 'ok' },
    );
    const yes = await approveWith(w.keys.author, { reject: true, confirmReplace: async () => true });
    assert.equal(yes.replaced?.message, `replaced the earlier approval by alice@example.com (${fingerprintOf(w.keys.alice)}) of this change`);
    assert.equal(JSON.parse(readFileSync(recordFile(), 'utf8')).decision, 'rejected');
  });

  it('decides from the signature when the key has no public half beside it (asks after signing, still writes nothing on no)', async () => {
    await approveWith(w.keys.alice, { reject: true });
    const before = bytes();
    const bare = path.join(w.scratch, 'bare-author');
    writeFileSync(bare, readFileSync(w.keys.author.key), { mode: 0o600 });
    await assert.rejects(
      approve({ cwd: w.repo.root, path: dir, key: bare, ssh: { env: w.env, interactive: false } }),
      (e: Error) => e instanceof UsageError && /already holds a rejection by alice@example\.com/.test(e.message),
    );
    assert.deepEqual(bytes(), before);
  });

  it('names an untrusted signer by the reviewer its record claims, quoted, with control characters shown', async () => {
    // A record signed by a key the base does not list, with text an assistant chose (its time in another zone).
    const json = serializeApproval(
      makeApproval({
        digest,
        spec: '.kiro/specs/cache',
        base: { ref: 'HEAD', commit: (await w.repo.git('rev-parse', 'HEAD')).trim() },
        decision: 'rejected',
        reviewer: { name: 'x', email: 'boss\u202e@example.com' },
        time: new Date(0),
        comment: 'line one\nline two \u0007',
        version: '0.1.0',
      }),
    ).replace('"1970-01-01T00:00:00.000Z"', '"1970-01-01T02:30:00+02:30"');
    assert.ok(json.includes('+02:30'));
    mkdirSync(path.dirname(recordFile()), { recursive: true });
    writeFileSync(recordFile(), json);
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', w.keys.mallory.key, '-n', 'specgate', recordFile()], { stdio: 'pipe', env: w.env });
    renameSync(`${recordFile()}.sig`, sigFile());
    const before = bytes();
    await assert.rejects(approveWith(w.keys.alice), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.equal(
        e.message,
        `${approvalPath(digest)} already holds a rejection by "boss\\u{202e}@example.com" (a key .specgate/allowed_signers on the base does not list) ` +
          `(${fingerprintOf(w.keys.mallory)}) at 1970-01-01 00:00:00 UTC: line one line two \\u{7}; ` +
          "there is one record per change, so your approval would replace it — pass --force to replace another reviewer's record",
      );
      return true;
    });
    assert.deepEqual(bytes(), before);
  });

  it('replaces a record that verify could not take, saying so (unsigned, its signature not matching, another digest\'s record)', async () => {
    // (Only a file in a record's shape can be there: anything else by that name is part of
    // the change, and so moves the digest and with it the record's name.)
    const rel = approvalPath(digest);
    const first = await approveWith(w.keys.alice);
    assert.equal(first.replaced, undefined);
    const signed = readFileSync(recordFile(), 'utf8');
    rmSync(sigFile());
    const unsigned = await approveWith(w.keys.author);
    assert.equal(unsigned.replaced?.message, `replaced ${rel}, which has no signature and so was no valid record`);
    assert.equal(unsigned.replaced?.kind, 'invalid');
    // Alice's record under the author's signature (as if the decision were edited after signing).
    writeFileSync(recordFile(), signed);
    const r = await w.cli(['approve', dir, '--key', w.keys.alice.key]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `specgate: replaced ${rel}, which does not match its signature and so was no valid record\n`);
    const v = await verify({ cwd: w.repo.root });
    assert.deepEqual([v.ok, v.code], [true, 'approved']);
    // Another change's record and signature copied to this change's name.
    const other = signed.replace(digest, `sha256:${'e'.repeat(64)}`);
    writeFileSync(recordFile(), other);
    const copied = await approveWith(w.keys.alice);
    assert.equal(copied.replaced?.message, `replaced ${rel}, which holds the record of sha256:eeeeeeeeeeee… and so was no valid record`);
  });
});
