// Approvals signed with an OpenSSH *certificate* trusted through a `cert-authority` line of
// `.specgate/allowed_signers`: real ssh-keygen CA and certificates, the built CLI
// (`node dist/cli.js`) and the installed pre-commit hook.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { approvalPath, makeApproval, serializeApproval, signaturePathFor } from '../../src/core/approval';
import { analyzeRepository } from '../../src/node/engine';
import { installHook } from '../../src/node/hook';
import { CLI, cliBuilt } from './helpers/checkCli';
import { makeWorld, type World } from './verifyFixture';

const SHORT = /sha256:[0-9a-f]{12}…/.source;
const SELF_HINT = 'another trusted reviewer must approve it (or set allowSelfApproval: true in .specgate/config.yml on the base)';

describe('approvals signed with an SSH certificate (cert-authority in allowed_signers)', function () {
  this.timeout(120000);
  let w: World;
  let keys: string;
  let ca: string;

  before(function () {
    if (!cliBuilt()) this.skip();
  });

  const pubOf = (file: string) => readFileSync(file, 'utf8').trim().split(' ').slice(0, 2).join(' ');

  /** A new user key `name`, certified by `authority` for `principals` (with ssh-keygen's `-V` when given): the certificate's path. */
  function certify(name: string, principals: string, opts: { validity?: string; authority?: string; key?: string } = {}): string {
    const key = path.join(keys, name);
    if (opts.key) {
      copyFileSync(opts.key, key);
      copyFileSync(`${opts.key}.pub`, `${key}.pub`);
    } else {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key], { stdio: 'pipe' });
    }
    const args = ['-q', '-s', opts.authority ?? ca, '-I', name, '-n', principals, ...(opts.validity ? ['-V', opts.validity] : []), `${key}.pub`];
    execFileSync('ssh-keygen', args, { stdio: 'pipe' });
    return `${key}-cert.pub`;
  }

  function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(process.execPath, [CLI, ...args], { cwd: w.repo.root, env: w.env, timeout: 60000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0;
        resolve({ code, stdout, stderr });
      });
      child.stdin?.end();
    });
  }

  /** Commits `lines` as the base's allowed_signers; returns the base's short id. */
  async function trustInBase(...lines: string[]): Promise<string> {
    await w.repo.write('.specgate/allowed_signers', lines.map((l) => `${l}\n`).join(''));
    await w.repo.git('add', '.specgate/allowed_signers');
    await w.repo.git('commit', '-q', '-m', 'reviewers', '--', '.specgate/allowed_signers');
    return (await w.repo.git('rev-parse', 'HEAD')).trim().slice(0, 12);
  }

  async function bundle(): Promise<string> {
    const r = await run(['bundle', '--out', path.join(w.scratch, 'reviews')]);
    assert.equal(r.code, 0, r.stderr);
    const dirs = readdirSync(path.join(w.scratch, 'reviews')).sort();
    return path.join(w.scratch, 'reviews', dirs[dirs.length - 1]!);
  }

  /** A record for the current change, signed with `certificate` by ssh-keygen itself (approve would refuse an expired one). */
  async function signedRecord(certificate: string): Promise<void> {
    const result = await analyzeRepository({ cwd: w.repo.root });
    const digest = result.report.digest;
    const json = serializeApproval(
      makeApproval({
        digest,
        spec: result.spec.id,
        base: result.report.base,
        decision: 'approved',
        reviewer: { name: 'Alice', email: 'alice@example.com', principal: 'alice@example.com' },
        time: new Date(),
        version: '0.1.0',
      }),
    );
    const rel = approvalPath(digest);
    const abs = path.join(w.repo.root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, json);
    const scratchFile = path.join(w.scratch, `record-${Date.now()}`);
    writeFileSync(scratchFile, json);
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', certificate, '-n', 'specgate', scratchFile], { stdio: 'pipe', env: w.env });
    copyFileSync(`${scratchFile}.sig`, path.join(w.repo.root, signaturePathFor(rel)));
  }

  beforeEach(async () => {
    w = await makeWorld();
    keys = path.join(w.scratch, 'certs');
    mkdirSync(keys);
    ca = path.join(keys, 'ca');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reviewers-ca', '-f', ca], { stdio: 'pipe' });
    // The change under way, authored by author@example.com (the fixture's git identity).
    await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
  });
  afterEach(async () => {
    await w?.repo.cleanup();
  });

  it("passes a non-author's certificate approval, and the hook lets the commit through", async () => {
    await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('alice', 'alice@example.com');
    const a = await run(['approve', await bundle(), '--key', cert]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stderr, '');
    const record = JSON.parse(readFileSync(a.stdout.split('\n')[1]!.replace(/^wrote /, ''), 'utf8'));
    assert.deepEqual(record.reviewer, { email: 'alice@example.com', name: 'alice@example.com', principal: 'alice@example.com' });

    const v = await run(['verify']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, new RegExp(`^specgate: approved by alice@example\\.com at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(${SHORT}\\)\\n$`));

    await installHook({ cwd: w.repo.root, cliPath: CLI });
    await w.repo.git('add', 'src/app.ts', '.specgate/approvals');
    const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
    assert.equal(commit.code, 0, commit.stderr);
    assert.equal((await w.repo.git('log', '-1', '--format=%s')).trim(), 'cache');
  });

  it("refuses the author's own certificate as self-approval: approve warns, verify and the hook refuse", async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('author', 'author@example.com');
    const a = await run(['approve', await bundle(), '--key', cert]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(
      a.stderr,
      `specgate: warning: .specgate/allowed_signers at ${base} trusts this certificate for author@example.com, an author of the change, ` +
        `so verify will refuse the record as self-approval; ${SELF_HINT}\n`,
    );
    const v = await run(['verify']);
    assert.deepEqual([v.code, v.stdout, v.stderr], [1, '', `specgate: not approved: self-approval: author@example.com approved a change they authored; ${SELF_HINT}\n`]);

    await installHook({ cwd: w.repo.root, cliPath: CLI });
    const head = await w.repo.git('rev-parse', 'HEAD');
    await w.repo.git('add', 'src/app.ts', '.specgate/approvals');
    const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
    assert.equal(commit.code, 1);
    assert.match(commit.stderr, new RegExp(`^specgate: not approved: self-approval: author@example\\.com approved a change they authored; `));
    assert.match(commit.stderr, /\nspecgate: commit refused\. Have the staged change reviewed: SpecGate: Export Review Bundle in VS Code/);
    assert.equal(await w.repo.git('rev-parse', 'HEAD'), head);
  });

  it('refuses a certificate for a reviewer and the author alike, trusted for each by its own cert-authority line', async () => {
    // ssh-keygen -Y find-principals reports the first line only (alice): the second makes the key the author's too.
    const caPub = pubOf(`${ca}.pub`);
    const base = await trustInBase(`alice@example.com cert-authority ${caPub}`, `author@example.com cert-authority ${caPub}`);
    const cert = certify('both', 'alice@example.com,author@example.com');
    const a = await run(['approve', await bundle(), '--key', cert]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /^specgate: warning: \S+ at \w+ trusts this certificate for author@example\.com, an author of the change, so verify will refuse/);
    const v = await run(['verify']);
    assert.deepEqual(
      [v.code, v.stderr],
      [
        1,
        `specgate: not approved: self-approval: the signing certificate is trusted in .specgate/allowed_signers at ${base} for author@example.com, ` +
          `an author of the change (it verified as alice@example.com); ${SELF_HINT}\n`,
      ],
    );
  });

  it("refuses a certificate for someone else on the author's own key (allowed_signers lists that key for the author)", async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`, w.keys.author.line('author@example.com').trim());
    const cert = certify('author-as-alice', 'alice@example.com', { key: w.keys.author.key });
    await signedRecord(cert);
    const v = await run(['verify']);
    assert.deepEqual(
      [v.code, v.stderr],
      [
        1,
        `specgate: not approved: self-approval: the key of the signing certificate is listed in .specgate/allowed_signers at ${base} for author@example.com, ` +
          `an author of the change (it verified as alice@example.com); ${SELF_HINT}\n`,
      ],
    );
  });

  it('refuses an expired certificate with one line: approve writes nothing, verify says when it expired', async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('alice-2019', 'alice@example.com', { validity: '20200101000000Z:20200102000000Z' });
    const a = await run(['approve', await bundle(), '--key', cert]);
    assert.deepEqual(
      [a.code, a.stdout, a.stderr],
      [2, '', `specgate: the certificate ${cert} expired at 2020-01-02 00:00:00 UTC; get a new certificate from its authority and approve again\n`],
    );
    assert.equal(existsSync(path.join(w.repo.root, '.specgate/approvals')), false);

    await signedRecord(cert);
    const v = await run(['verify']);
    assert.deepEqual(
      [v.code, v.stdout, v.stderr],
      [
        1,
        '',
        `specgate: not approved: untrusted signer: the certificate with key ID "alice-2019" for alice@example.com expired at 2020-01-02 00:00:00 UTC; ` +
          'get a new certificate from its authority and approve again\n',
      ],
    );
    assert.ok(base);
  });

  it('refuses a certificate that is not valid yet, saying from when', async () => {
    await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('alice-next', 'alice@example.com', { validity: '20900101000000Z:20910101000000Z' });
    await signedRecord(cert);
    const v = await run(['verify']);
    assert.deepEqual(
      [v.code, v.stderr],
      [1, 'specgate: not approved: untrusted signer: the certificate with key ID "alice-next" for alice@example.com is not valid until 2090-01-01 00:00:00 UTC; approve again once it is, or with a current certificate\n'],
    );
  });

  it('refuses a certificate for a principal the cert-authority line does not allow, with one line from approve and verify', async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('eve', 'eve@other.example,eve');
    const a = await run(['approve', await bundle(), '--key', cert]);
    assert.equal(a.code, 0, a.stderr);
    const why = `the certificate with key ID "eve" for eve@other.example, eve is not for a principal that .specgate/allowed_signers`;
    assert.equal(a.stderr, `specgate: warning: verify will not accept the record: ${why} at ${base} allows for its authority (*@example.com)\n`);
    const v = await run(['verify']);
    assert.deepEqual([v.code, v.stderr], [1, `specgate: not approved: untrusted signer: ${why} in ${base} allows for its authority (*@example.com)\n`]);
  });

  it('refuses a certificate from an authority allowed_signers does not list, and names the certificate', async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const rogue = path.join(keys, 'rogue-ca');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', rogue], { stdio: 'pipe' });
    const cert = certify('mallory', 'alice@example.com', { authority: rogue });
    await signedRecord(cert);
    const v = await run(['verify']);
    assert.deepEqual(
      [v.code, v.stderr],
      [
        1,
        `specgate: not approved: untrusted signer: the approval is signed with the certificate with key ID "mallory" for alice@example.com, ` +
          `and .specgate/allowed_signers in ${base} has no cert-authority line for the authority that signed it\n`,
      ],
    );
  });

  it('tells a reviewer who signs with the plain key that their certificate is the trusted one', async () => {
    const base = await trustInBase(`*@example.com cert-authority ${pubOf(`${ca}.pub`)}`);
    const cert = certify('carol', 'carol@example.com');
    const key = cert.replace(/-cert\.pub$/, '');
    const a = await run(['approve', await bundle(), '--key', key]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(
      a.stderr,
      `specgate: warning: this key is not in .specgate/allowed_signers at ${base}, so verify will not accept the record until a commit lists it there (a line "<your e-mail> <the key's .pub>" in .specgate/allowed_signers, committed; this record then verifies); ` +
        `to sign with your certificate, pass --key ${cert}\n`,
    );
  });
});
