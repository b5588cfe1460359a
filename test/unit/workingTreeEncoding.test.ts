// Files under git's `working-tree-encoding` attribute (UTF-16 PowerShell, .reg, .rc files): the
// working tree holds UTF-16, git stores and diffs UTF-8. SpecGate shows and binds them as git
// does: real hunks, the blob `git add` would store, the same digest in every mode, and a bundle
// that verifies. Real repositories, real keys.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { decodeWorkingTree } from '../../src/core/encoding';
import { worldPerTest, type World } from './verifyFixture';

const utf16le = (s: string) => Buffer.from(s, 'utf16le');

describe('files under working-tree-encoding', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  /** main holds src/app.ts in UTF-16LE under the attribute; HEAD is a new branch `feature`. */
  async function encodedWorld(attributes = 'src/app.ts working-tree-encoding=UTF-16LE text\n*.ps1 working-tree-encoding=UTF-16LE text\n'): Promise<void> {
    w = await freshWorld();
    await w.repo.write('.gitattributes', attributes);
    await w.repo.write('src/app.ts', utf16le('export const a = 1;\n'));
    await w.repo.commit('encoded');
    await w.repo.git('checkout', '-q', '-b', 'feature');
  }

  const storedId = (file: string) => execFileSync('git', ['hash-object', '--path', file, file], { cwd: w.repo.root, env: w.env }).toString().trim();
  const change = (r: Awaited<ReturnType<typeof analyzeRepository>>, p: string) => r.report.changes.find((c) => c.path === p);

  it('shows the UTF-8 diff git shows, and binds the blob git add stores, in the working tree, staged and --base', async () => {
    await encodedWorld();
    await w.repo.write('src/app.ts', utf16le('export const a = 1;\nexport const b = 2;\n'));
    assert.match(await w.repo.git('diff', 'HEAD'), /^\+export const b = 2;$/m);
    const expected = { binary: false, added: 1, removed: 0, hunks: [{ oldStart: 1, oldLines: 0, newStart: 2, newLines: 1 }] };
    const worktree = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    const c = change(worktree, 'src/app.ts')!;
    assert.deepEqual({ binary: c.binary, added: c.added, removed: c.removed, hunks: c.hunks }, expected);
    assert.equal(worktree.changeSet.changes[0]!.newLineCount, 2);
    assert.equal(worktree.changeSet.changes[0]!.newBlob, storedId('src/app.ts'));
    assert.equal(worktree.changeSet.notes, undefined);
    // With the change cache (a second run reads it) the same.
    const cached1 = await analyzeRepository({ cwd: w.repo.root, useCache: true });
    const cached2 = await analyzeRepository({ cwd: w.repo.root, useCache: true });
    for (const r of [cached1, cached2]) {
      const cc = change(r, 'src/app.ts')!;
      assert.deepEqual({ binary: cc.binary, added: cc.added, removed: cc.removed, hunks: cc.hunks }, expected);
      assert.equal(r.report.digest, worktree.report.digest);
    }
    const base = await analyzeRepository({ cwd: w.repo.root, base: 'main', useCache: false });
    assert.equal(base.report.digest, worktree.report.digest);
    await w.repo.git('add', 'src/app.ts');
    const staged = await analyzeRepository({ cwd: w.repo.root, staged: true });
    const s = change(staged, 'src/app.ts')!;
    assert.deepEqual({ binary: s.binary, added: s.added, removed: s.removed, hunks: s.hunks }, expected);
    assert.equal(staged.report.digest, worktree.report.digest);
  });

  it("reads git's own PowerShell setting (UTF-16LE with eol=CRLF) as text: a file cut to one line is a large deletion, staged the same", async () => {
    await encodedWorld('*.ps1 text working-tree-encoding=UTF-16LE eol=CRLF\n');
    const lines = Array.from({ length: 300 }, (_, i) => `Write-Host line${i + 1}\r\n`);
    await w.repo.write('src/big.ps1', utf16le(lines.join('')));
    await w.repo.commit('script');
    await w.repo.write('src/big.ps1', utf16le(lines[0]!));
    const worktree = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    const c = change(worktree, 'src/big.ps1')!;
    assert.deepEqual([c.binary, c.added, c.removed], [false, 0, 299]);
    assert.equal(worktree.changeSet.notes, undefined);
    assert.deepEqual(worktree.report.findings.filter((f) => f.path === 'src/big.ps1').map((f) => f.rule).sort(), ['SG101', 'SG203']);
    assert.equal(worktree.changeSet.changes.find((x) => x.path === 'src/big.ps1')!.newBlob, storedId('src/big.ps1'));
    await w.repo.git('add', 'src/big.ps1');
    assert.equal((await analyzeRepository({ cwd: w.repo.root, staged: true })).report.digest, worktree.report.digest);
  });

  it('shows an untracked encoded file as text, bound as git add would store it', async () => {
    await encodedWorld();
    await w.repo.write('src/run.ps1', utf16le('Write-Host "hi"\nexit 0\n'));
    const r = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    const c = change(r, 'src/run.ps1')!;
    assert.deepEqual({ status: c.status, binary: c.binary, added: c.added, hunks: c.hunks }, { status: 'added', binary: false, added: 2, hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 }] });
    assert.equal(r.changeSet.changes.find((x) => x.path === 'src/run.ps1')!.newBlob, storedId('src/run.ps1'));
    await w.repo.git('add', 'src/run.ps1');
    assert.equal((await analyzeRepository({ cwd: w.repo.root, staged: true })).report.digest, r.report.digest);
  });

  it('diffs the decoded text of an encoded file removed from the index but edited on disk', async () => {
    await encodedWorld();
    await w.repo.git('rm', '-q', '--cached', 'src/app.ts');
    await w.repo.write('src/app.ts', utf16le('export const a = 1;\nexport const b = 2;\n'));
    const c = change(await analyzeRepository({ cwd: w.repo.root, useCache: false }), 'src/app.ts')!;
    assert.deepEqual({ status: c.status, binary: c.binary, added: c.added, removed: c.removed, hunks: c.hunks }, {
      status: 'modified',
      binary: false,
      added: 1,
      removed: 0,
      hunks: [{ oldStart: 1, oldLines: 0, newStart: 2, newLines: 1 }],
    });
  });

  it('binds a file in an encoding without NULs (windows-1252) as git stores it, tracked or untracked', async () => {
    await encodedWorld('*.txt working-tree-encoding=windows-1252 text\n');
    await w.repo.write('src/a.txt', Buffer.from('caf\xe9\n', 'latin1'));
    await w.repo.commit('latin');
    await w.repo.write('src/a.txt', Buffer.from('caf\xe9\nna\xefve\n', 'latin1'));
    await w.repo.write('src/b.txt', Buffer.from('d\xe9j\xe0\n', 'latin1'));
    const r = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    const a = r.changeSet.changes.find((c) => c.path === 'src/a.txt')!;
    const b = r.changeSet.changes.find((c) => c.path === 'src/b.txt')!;
    assert.deepEqual([a.binary, a.added, a.newLineCount, a.newBlob], [false, 1, 2, storedId('src/a.txt')]);
    assert.deepEqual([b.binary, b.added, b.newBlob], [false, 1, storedId('src/b.txt')]);
    await w.repo.git('add', '-A');
    assert.equal((await analyzeRepository({ cwd: w.repo.root, staged: true })).report.digest, r.report.digest);
  });

  it('scans the decoded text for removed exports', async () => {
    await encodedWorld();
    await w.repo.write('src/app.ts', utf16le('export const b = 2;\n'));
    const r = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    const c = r.changeSet.changes.find((x) => x.path === 'src/app.ts')!;
    assert.equal(c.binary, false);
    assert.deepEqual(
      r.report.findings.filter((f) => f.rule === 'SG220').map((f) => [f.path, f.startLine, f.message]),
      [['src/app.ts', 1, 'Removed export `a`; code that imports it may break.']],
    );
  });

  it('lists a file git cannot re-encode as binary, with one line saying why', async () => {
    await encodedWorld();
    // A byte order mark under UTF-16LE: git refuses to convert it.
    await w.repo.write('src/app.ts', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('export const a = 2;\n')]));
    const r = await analyzeRepository({ cwd: w.repo.root, useCache: false });
    assert.equal(change(r, 'src/app.ts')!.binary, true);
    assert.deepEqual(r.changeSet.notes, [
      'src/app.ts uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary',
    ]);
    // The text report holds the note; the JSON report has no place for it, so stderr does.
    const text = await w.cli(['check']);
    assert.match(text.stdout, /^Notes \(1\)\n  src\/app\.ts uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark/m);
    assert.doesNotMatch(text.stderr, /note/);
    const json = await w.cli(['check', '--format', 'json']);
    assert.match(json.stderr, /^specgate: note: src\/app\.ts uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark/m);
  });

  it('bundles, approves and verifies an encoded change; one changed character fails verify', async () => {
    await encodedWorld();
    await w.repo.write('src/app.ts', utf16le('export const a = 1;\nexport const b = 2;\n'));
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root, base: 'main' }), { out: path.join(w.scratch, 'reviews') });
    const review = execFileSync('cat', [path.join(dir, 'REVIEW.md')]).toString();
    assert.match(review, /^\+export const b = 2;$/m);
    await approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, ssh: { env: w.env, interactive: false } });
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    // Committed as is, the change is the one approved.
    await w.repo.commit('the reviewed change');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    await w.repo.write('src/app.ts', utf16le('export const a = 1;\nexport const b = 3;\n'));
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(v.ok, false);
    assert.equal(v.code, 'stale', v.reason);
  });
});

describe('decodeWorkingTree', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it('decodes as git does, and says why when it cannot', () => {
    assert.deepEqual(decodeWorkingTree(utf16le('hé\n'), 'UTF-16LE'), { text: 'hé\n' });
    assert.deepEqual(decodeWorkingTree(Buffer.from('\u0000h\u0000\n', 'latin1'), 'utf-16be'), { text: 'h\n' });
    assert.deepEqual(decodeWorkingTree(bytes(0xfe, 0xff, 0, 0x68), 'UTF-16'), { text: 'h' });
    assert.deepEqual(decodeWorkingTree(bytes(0xff, 0xfe, 0x68, 0), 'UTF16'), { text: 'h' });
    assert.deepEqual(decodeWorkingTree(bytes(0x68, 0), 'UTF-16'), { problem: 'it has no byte order mark, which git requires for UTF-16' });
    assert.deepEqual(decodeWorkingTree(bytes(0xff, 0xfe, 0x68, 0), 'UTF-16LE-BOM'), { text: 'h' });
    assert.deepEqual(decodeWorkingTree(bytes(0x68, 0, 0, 0), 'UTF-32LE'), { text: 'h' });
    assert.deepEqual(decodeWorkingTree(bytes(0, 0xd8, 0x68, 0), 'UTF-16LE'), { problem: 'its bytes are not valid UTF-16LE' });
    assert.deepEqual(decodeWorkingTree(bytes(0x68, 0, 0x69), 'UTF-16LE'), { problem: 'its bytes are not valid UTF-16LE' });
    assert.deepEqual(decodeWorkingTree(bytes(0xe9), 'windows-1252'), { text: 'é' });
    assert.deepEqual(decodeWorkingTree(bytes(0x68), 'EBCDIC-US'), { problem: 'SpecGate cannot decode EBCDIC-US' });
  });
});
