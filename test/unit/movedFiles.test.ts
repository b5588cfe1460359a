// Files moved with a shell's `mv` (not `git mv`) and then edited: git sees a deletion and an
// untracked file until both are staged, when it pairs them as a rename. The working tree's
// check pairs them the same way, so the editor and `check` find what the pre-commit gate finds.
import { strict as assert } from 'node:assert';
import { rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { Report } from '../../src/core/model';
import { lineSimilarity } from '../../src/core/similarity';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const SPEC = '---\nscope: ["src/**"]\n---\n# Move\n\n## Tasks\n- [ ] 1. Move the helpers in `src/**`\n';
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `export const ${tag}${i} = ${i};\n`).join('');

/** What a report says of a change: its files, and its findings by rule and path. */
function shape(r: Report) {
  return {
    changes: r.changes.map((c) => [c.status, c.oldPath ?? null, c.path, c.added, c.removed]),
    findings: r.findings.map((f) => `${f.rule} ${f.path} ${f.message}`).sort(),
    risk: r.summary.risk,
  };
}

describe('files moved with mv and edited', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/old/util.ts': lines(30, 'u'), 'src/old/api.ts': lines(40, 'a'), 'src/index.ts': lines(25, 'i') });
  });
  afterEach(() => repo.cleanup());
  const check = async (staged = false) => (await analyzeRepository({ cwd: repo.root, staged })).report;
  const move = (from: string, to: string) => rename(path.join(repo.root, from), path.join(repo.root, to));

  it('reports a moved and edited file as the rename git stages, with the same findings and digest', async () => {
    await repo.write('src/new/.keep', '');
    await move('src/old/util.ts', 'src/new/util.ts');
    // One export dropped on the way: the one finding there should be.
    await repo.write('src/new/util.ts', lines(30, 'u').replace('export const u7 = 7;\n', ''));
    // Moved under another name, one line changed.
    await move('src/old/api.ts', 'src/client.ts');
    await repo.write('src/client.ts', lines(40, 'a').replace('a3 = 3', 'a3 = 33'));
    const worktree = shape(await check());
    assert.deepEqual(worktree.changes, [
      ['added', null, 'src/new/.keep', 0, 0],
      ['renamed', 'src/old/util.ts', 'src/new/util.ts', 0, 1],
      ['renamed', 'src/old/api.ts', 'src/client.ts', 1, 1],
    ].sort((a, b) => (a[2]! < b[2]! ? -1 : 1)));
    assert.deepEqual(worktree.findings, ['SG220 src/new/util.ts Removed export `u7`; code that imports it may break.']);
    const before = (await check()).digest;
    await repo.git('add', '-A');
    const staged = await check(true);
    assert.deepEqual(shape(staged), worktree);
    assert.equal(staged.digest, before);
  });

  it('keeps a deleted file and a new file of the same name apart when the new one is another text: a re-creation', async () => {
    await repo.rm('src/old/util.ts');
    await repo.write('src/new/util.ts', lines(30, 'different'));
    const r = shape(await check());
    assert.deepEqual(r.changes, [
      ['added', null, 'src/new/util.ts', 30, 0],
      ['deleted', null, 'src/old/util.ts', 0, 30],
    ]);
    assert.ok(r.findings.includes('SG202 src/new/util.ts Deleted and re-created: `src/old/util.ts` was deleted and this file written in its place.'), r.findings.join('\n'));
    await repo.git('add', '-A');
    assert.deepEqual(shape(await check(true)).changes, r.changes, 'git does not pair them either');
  });

  it('with more deletions × new files than it compares, pairs only those that share a name', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 21; i++) files[`src/many/f${i}.ts`] = lines(3, `m${i}_`);
    await repo.cleanup();
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/old/util.ts': lines(30, 'u'), 'src/old/api.ts': lines(40, 'a'), ...files });
    for (let i = 0; i < 21; i++) await repo.rm(`src/many/f${i}.ts`);
    for (let i = 0; i < 19; i++) await repo.write(`src/fresh/n${i}.ts`, lines(3, `n${i}_`));
    await move('src/old/util.ts', 'src/util.ts');
    await move('src/old/api.ts', 'src/client.ts');
    await repo.write('src/client.ts', lines(40, 'a').replace('a3 = 3', 'a3 = 33'));
    const r = shape(await check());
    const renamed = r.changes.filter((c) => c[0] === 'renamed');
    // 23 deletions × 21 new files: the move under its own name is paired; the renamed one is not (git would pair it once staged).
    assert.deepEqual(renamed, [['renamed', 'src/old/util.ts', 'src/util.ts', 0, 0]]);
    assert.ok(r.changes.some((c) => c[0] === 'deleted' && c[2] === 'src/old/api.ts'));
  });

  it('a path taken out of the index but still on disk is that file, as git stages it: no move, a mode or a type change kept', async () => {
    const { symlink, chmod, rm } = await import('node:fs/promises');
    const rows = (r: Report) => r.changes.map((c) => [c.status, c.oldPath ?? null, c.path, c.oldMode ?? null, c.newMode ?? null, c.added, c.removed, c.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])]);
    await repo.write('src/z.txt', 'hello\n');
    await repo.write('src/run.sh', 'echo hi\n');
    await repo.write('src/big.txt', '1\n2\n3\n');
    await symlink('nowhere', path.join(repo.root, 'src/link'));
    await symlink('target', path.join(repo.root, 'src/was-link'));
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'more');
    // An untracked copy that sorts first must not take src/z.txt's place as a move's source.
    await repo.write('src/a.txt', 'hello\n');
    await repo.git('rm', '-q', '--cached', 'src/z.txt', 'src/run.sh', 'src/link', 'src/was-link');
    await chmod(path.join(repo.root, 'src/run.sh'), 0o755);
    await rm(path.join(repo.root, 'src/link'));
    await symlink('big.txt', path.join(repo.root, 'src/link'));
    await rm(path.join(repo.root, 'src/was-link'));
    await repo.write('src/was-link', 'one\ntwo\n');
    const worktree = await check();
    const expected = [
      ['added', null, 'src/a.txt', null, null, 1, 0, [[0, 0, 1, 1]]],
      // The link's content is its target's name, not the file it names.
      ['modified', null, 'src/link', '120000', '120000', 1, 1, [[1, 1, 1, 1]]],
      ['modified', null, 'src/run.sh', '100644', '100755', 0, 0, []],
      ['type-changed', null, 'src/was-link', '120000', '100644', 2, 1, [[1, 1, 0, 0], [0, 0, 1, 2]]],
    ];
    assert.deepEqual(rows(worktree), expected);
    await repo.git('add', '-A');
    const staged = await check(true);
    assert.deepEqual(rows(staged), expected);
    assert.equal(worktree.digest, staged.digest);
  });

  it("gives a file moved with mv, or taken out of the index, git's own hunks: the ones it has once staged", async () => {
    const { rm } = await import('node:fs/promises');
    const hunks = (r: Report) => r.changes.map((c) => [c.path, c.status, c.added, c.removed, c.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])]);
    await repo.write('src/old.txt', '}\na\nb\nc\n');
    await repo.write('src/f.txt', 'c\nd\nd\nc\n');
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'texts');
    await rm(path.join(repo.root, 'src/old.txt'));
    await repo.write('src/new.txt', 'a\na\nb\nc\n');
    await repo.git('rm', '-q', '--cached', 'src/f.txt');
    await repo.write('src/f.txt', 'c\nd\nc\nc\n');
    const worktree = await check();
    // Another diff lines these up as a line removed and one added apart: two hunks, two findings where out of scope.
    const expected = [
      ['src/f.txt', 'modified', 1, 1, [[3, 1, 3, 1]]],
      ['src/new.txt', 'renamed', 1, 1, [[1, 1, 1, 1]]],
    ];
    assert.deepEqual(hunks(worktree), expected);
    await repo.git('add', '-A');
    assert.deepEqual(hunks(await check(true)), expected);
  });

  it('a file moved in the index and copied back (git mv, then cp) is the old file beside a new one, as git stages it', async () => {
    const { copyFile } = await import('node:fs/promises');
    const rows = (r: Report) => r.changes.map((c) => [c.status, c.oldPath ?? null, c.path, c.added, c.removed, c.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])]);
    await repo.git('mv', 'src/old/util.ts', 'src/new-util.ts');
    await copyFile(path.join(repo.root, 'src/new-util.ts'), path.join(repo.root, 'src/old/util.ts'));
    await repo.write('src/old/util.ts', lines(30, 'u') + 'export const more = 1;\n');
    const worktree = await check();
    const expected = [
      ['added', null, 'src/new-util.ts', 30, 0, [[0, 0, 1, 30]]],
      ['modified', null, 'src/old/util.ts', 1, 0, [[30, 0, 31, 1]]],
    ];
    assert.deepEqual(rows(worktree), expected);
    assert.deepEqual(worktree.findings.filter((f) => f.rule === 'SG220'), []);
    await repo.git('add', '-A');
    const staged = await check(true);
    assert.deepEqual(rows(staged), expected);
    assert.equal(worktree.digest, staged.digest);
  });

  it("judges the lines a move's edit adds as any edit's: a key, a silencer and a placeholder added are reported, a silencer the file had is not", async () => {
    // Built from parts, so that this file holds no token a scanner would take for one.
    const awsKey = ['AKIA', 'QX7ZR2NW', 'K4TB9PLM'].join('');
    const conn = ['export function connect(): number {', '  // @ts-ignore', '  return legacyConnect();', '}', ...Array.from({ length: 8 }, (_, i) => `export const c${i} = ${i};`)].join('\n') + '\n';
    await repo.write('src/old/conn.ts', conn);
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'conn');
    await repo.write('src/db/.keep', '');
    await move('src/old/conn.ts', 'src/db/conn.ts');
    await repo.write(
      'src/db/conn.ts',
      conn +
        ['export function pool(): number {', '  // @ts-ignore', '  return legacyPool();', '}', `export const accessKeyId = "${awsKey}";`, 'export function close(): void {', '  throw new Error("Not implemented");', '}'].join('\n') +
        '\n',
    );
    // A path taken out of the index and edited on disk is paired here too.
    await repo.git('rm', '-q', '--cached', 'src/index.ts');
    await repo.write('src/index.ts', `// @ts-nocheck\n${lines(25, 'i')}`);
    await repo.write('docs/spec.md', SPEC.replace('- [ ] 1.', '- [x] 1.'));
    const held = (r: Report) => r.findings.filter((f) => f.rule === 'SG210' || f.rule === 'SG302').map((f) => `${f.severity} ${f.rule} ${f.path}:${f.startLine} ${f.message}`);
    const worktree = await check();
    assert.deepEqual(
      worktree.changes.filter((c) => c.path === 'src/db/conn.ts').map((c) => [c.status, c.oldPath, c.added, c.removed]),
      [['renamed', 'src/old/conn.ts', 8, 0]],
    );
    const expected = [
      // Lines 14 and 17 of the new side: the `// @ts-ignore` at line 2, there before the move, is not new.
      "error SG210 src/db/conn.ts:13 High blast radius in this renamed file: it silences TypeScript's errors on the next line (`// @ts-ignore`) (line 14); it writes what looks like an AWS access key into the repository (not quoted here): a secret committed stays in its history, so revoke it rather than only delete it (line 17). Confirm it before approving.",
      'warning SG302 src/db/conn.ts:19 Task 1 is ticked done, but this line leaves a placeholder (`throw new Error("Not implemented");`) where the work should be.',
      "warning SG210 src/index.ts:1 High blast radius in this modified file: it turns off TypeScript's type checks for the whole file (`// @ts-nocheck`) (line 1). Confirm it before approving.",
    ];
    assert.deepEqual(held(worktree), expected);
    assert.ok(!JSON.stringify(worktree).includes(awsKey), 'the report never quotes the key');
    // Git pairs them once staged, and reads its hunks: the same verdicts.
    await repo.git('add', '-A');
    assert.deepEqual(held(await check(true)), expected);
  });

  it('lineSimilarity: the share of the longer text made of lines the other has too', () => {
    assert.equal(lineSimilarity('', ''), 1);
    assert.equal(lineSimilarity('a\nb\n', 'a\nb\n'), 1);
    assert.equal(lineSimilarity('a\nb\nc\nd\n', 'a\nb\nx\ny\n'), 0.5);
    assert.equal(lineSimilarity('a\na\na\na\n', 'a\nb\nb\nb\n'), 0.25, 'each line counts once');
    assert.equal(lineSimilarity('one\n', 'two\n'), 0);
  });
});
