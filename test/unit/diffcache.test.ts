import { workClassOf } from '../../src/core/placeholders';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Git } from '../../src/node/git';
import { appendDiffCache, formatDiffCache, loadDiffCache, pairKey } from '../../src/node/diffcache';
import { analyzeRepository } from '../../src/node/engine';
import { collect } from './helpers/cacheRuns';
import { makeRepo, type TestRepo } from './helpers/gitRepo';


describe('change cache', () => {
  let repo: TestRepo;
  beforeEach(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`src/m${i}.ts`] = Array.from({ length: 30 }, (_, k) => `export const v${i}_${k} = ${k};`).join('\n') + '\n';
    files['README.md'] = '# r\n';
    repo = await makeRepo(files);
    for (let i = 0; i < 6; i++) {
      const lines = readFileSync(`${repo.root}/src/m${i}.ts`, 'utf8').split('\n');
      lines.splice(3 + i, 2, `// edited ${i}`);
      await repo.write(`src/m${i}.ts`, lines.join('\n'));
    }
    await repo.rm('src/m7.ts');
    await repo.write('README.md', '# readme\nmore\n');
  });
  afterEach(async () => repo.cleanup());

  it('is written in the git folder on the first run and gives the same change set on the next', async () => {
    const first = await collect(repo);
    assert.equal(first.fromCache, 0);
    assert.ok(first.cacheFile.startsWith(`${repo.root}/.git/`), first.cacheFile);
    assert.ok(existsSync(first.cacheFile));
    const cache = await loadDiffCache(first.cacheFile);
    assert.equal(cache.pairs.size, 8);
    assert.equal(cache.gone.size, 7); // the seven sources; not README.md
    assert.deepEqual([...cache.paths].sort(), ['README.md', 'src/m0.ts', 'src/m1.ts', 'src/m2.ts', 'src/m3.ts', 'src/m4.ts', 'src/m5.ts']);
    const second = await collect(repo);
    assert.equal(second.fromCache, 8);
    assert.deepEqual(second.cs, first.cs);
    const cold = await collect(repo, { cacheFile: undefined });
    assert.equal(cold.fromCache, undefined);
    assert.deepEqual(cold.cs, first.cs);
  });

  it('diffs again only what changed since, and gets its hunks right', async () => {
    await collect(repo);
    await repo.write('src/m0.ts', 'export const only = 1;\n');
    const next = await collect(repo);
    assert.equal(next.fromCache, 7);
    const m0 = next.cs.changes.find((c) => c.path === 'src/m0.ts')!;
    assert.deepEqual(m0.hunks, [{ oldStart: 1, oldLines: 30, newStart: 1, newLines: 1 }]);
    assert.equal(m0.exportsRemoved!.length, 30);
    assert.deepEqual(m0.exportsRemoved![0], { name: 'v0_0', oldLine: 1 });
    const cold = await collect(repo, { cacheFile: undefined });
    assert.deepEqual(next.cs, cold.cs);
  });

  describe('files diffed before all are read: those whose bytes no entry knows', () => {
    it('diffs a file edited since the last run early, and the change set is the one a first look gives', async () => {
      const { cacheFile } = await collect(repo);
      await repo.write('src/m0.ts', 'export const only = 1;\n');
      const next = await collect(repo);
      assert.equal(next.fromCache, 7);
      assert.equal(next.diffedEarly, 1);
      assert.deepEqual(next.cs, (await collect(repo, { cacheFile: undefined })).cs);
      // The append names the file diffed anew: the next run reads it first.
      assert.deepEqual((await loadDiffCache(cacheFile)).recent, ['src/m0.ts']);
      const again = await collect(repo);
      assert.equal(again.fromCache, 8);
      assert.equal(again.diffedEarly, undefined);
      // Edited again, then another file: the latest run's files come first.
      await repo.write('src/m1.ts', 'export const one = 1;\n');
      assert.equal((await collect(repo)).diffedEarly, 1);
      assert.deepEqual((await loadDiffCache(cacheFile)).recent, ['src/m1.ts', 'src/m0.ts']);
    });

    it('diffs a file the last run did not read (newly changed) early too', async () => {
      await collect(repo);
      await repo.write('src/m6.ts', 'export const six = 6;\n');
      const next = await collect(repo);
      assert.equal(next.fromCache, 8);
      assert.equal(next.diffedEarly, 1);
      const m6 = next.cs.changes.find((c) => c.path === 'src/m6.ts')!;
      assert.deepEqual(m6.hunks, [{ oldStart: 1, oldLines: 30, newStart: 1, newLines: 1 }]);
      assert.deepEqual(next.cs, (await collect(repo, { cacheFile: undefined })).cs);
    });

    it('settles a touched file (bytes the same) from the cache, with no diff', async () => {
      await collect(repo);
      const future = new Date(Date.now() + 60_000);
      utimesSync(`${repo.root}/src/m1.ts`, future, future);
      const next = await collect(repo);
      assert.equal(next.fromCache, 8);
      assert.equal(next.diffedEarly, undefined);
      assert.deepEqual(next.cs, (await collect(repo, { cacheFile: undefined })).cs);
    });

    it('diffs a file whose new bytes the cache knows from another pair once all are read: the hint is never the verdict', async () => {
      await collect(repo);
      // m2 now holds m3's bytes: a new side some entry has, under another pair.
      await repo.write('src/m2.ts', readFileSync(`${repo.root}/src/m3.ts`, 'utf8'));
      const next = await collect(repo);
      assert.equal(next.fromCache, 7);
      assert.equal(next.diffedEarly, undefined);
      assert.deepEqual(next.cs, (await collect(repo, { cacheFile: undefined })).cs);
    });
  });

  it('appends what a run learnt while the same files change, and rewrites itself when the file list changes', async () => {
    const { cacheFile } = await collect(repo);
    const lines = () => readFileSync(cacheFile, 'utf8').split('\n').filter((l) => l !== '').length;
    assert.equal(lines(), 2);
    await repo.write('src/m0.ts', 'export const only = 1;\n');
    const edited = await collect(repo);
    assert.equal(edited.fromCache, 7);
    assert.equal(lines(), 3); // one line for the one pair learnt; nothing rewritten
    const loaded = await loadDiffCache(cacheFile);
    assert.equal(loaded.bodies, 2);
    assert.equal(loaded.pairs.size, 9); // m0's old pair is still there, unused
    const again = await collect(repo);
    assert.equal(again.fromCache, 8);
    assert.deepEqual(again.cs, (await collect(repo, { cacheFile: undefined })).cs);
    assert.equal(lines(), 3); // nothing learnt, nothing written
    // A half-written last line (an append under way) is left out, not taken for damage.
    writeFileSync(cacheFile, `${readFileSync(cacheFile, 'utf8')}{"keys":["ab`);
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 9);
    // Another file in the change: the list the next run prefetches changed, so a rewrite with only what was used.
    await repo.write('src/m6.ts', 'export const six = 6;\n');
    const more = await collect(repo);
    assert.equal(more.fromCache, 8);
    assert.equal(lines(), 2);
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 9); // m0's old pair is gone
  });

  it('is rewritten whole once unused entries would outnumber the used ones', async () => {
    const { cacheFile } = await collect(repo);
    const lines = () => readFileSync(cacheFile, 'utf8').split('\n').filter((l) => l !== '').length;
    const sizes: number[] = [];
    for (let round = 1; round <= 6; round++) {
      for (let i = 0; i < 3; i++) await repo.write(`src/m${i}.ts`, `export const r${round} = ${i};\n`);
      const r = await collect(repo);
      assert.equal(r.fromCache, 5, `round ${round}`);
      assert.deepEqual(r.cs, (await collect(repo, { cacheFile: undefined })).cs);
      sizes.push((await loadDiffCache(cacheFile)).pairs.size);
    }
    // 8 used each round, 3 of them new: appended twice, then rewritten (17 would be over 2 × 8).
    assert.deepEqual(sizes, [11, 14, 8, 11, 14, 8]);
    assert.equal(lines(), 2);
  });

  it('ignores a damaged or foreign cache file, and replaces it', async () => {
    const { cacheFile } = await collect(repo, { cacheFile: undefined });
    // The current format's head (paths) and a line of entries (with the paths its run diffed anew).
    const head = (paths: string[]) => JSON.stringify({ schema: 'specgate.cache/11', paths });
    const body = (entries: Record<string, unknown>) => JSON.stringify({ hot: [], ...entries });
    const junks = [
      '{not json',
      `${head(['../outside'])}\n${body({ keys: [], at: [0], nums: [], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: ['x:y'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 11], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: ['length', 1, 'a', 1], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, -2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 3, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 1, 3, 0, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      // Comments-only is 0 or 1, the kind of path a known one; what added lines hold is (line ≥ 1, code, text) of a known entry.
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 500, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [0, 1, 2, -1, ''] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 2, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [0, 1, 0, 0, 'todo!()'] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [1, 1, 3, 0, 'todo!()'] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [] })}\n`,
      // A reformat verdict removes and adds at most the tokens it counts.
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 10, 6, 5, 1], gone: [], stubs: [] })}\n`,
      // The paths a line's run diffed anew: repository paths, in a list.
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [], hot: ['../outside'] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [], hot: [3] })}\n`,
      `${head([])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [], hot: 'a.ts' })}\n`,
      `${head([])}\n${JSON.stringify({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0], gone: [], stubs: [] })}\n`,
      // The formats before (no paths diffed anew, no reformat verdict): other schemas, so read as none.
      `${JSON.stringify({ schema: 'specgate.cache/10', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 8], nums: [1, 2, 3, 0, 0, 0, 0, 1], gone: [], stubs: [] })}\n`,
      `${JSON.stringify({ schema: 'specgate.cache/9', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 8], nums: [1, 2, 3, 0, 0, 0, 0, 1], gone: [], stubs: [] })}\n`,
      // Older formats (no comments-only number, no placeholders): other schemas, so read as none.
      `${JSON.stringify({ schema: 'specgate.cache/8', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 6], nums: [1, 2, 3, 0, 0, 0], gone: [] })}\n`,
      // Older formats (no count of lines back with other line endings, and before): other schemas, read as none.
      `${JSON.stringify({ schema: 'specgate.cache/7', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 4], nums: [1, 2, 3, 0], gone: [] })}\n`,
      `${JSON.stringify({ schema: 'specgate.cache/6', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 3], nums: [1, 2, 3], gone: [] })}\n`,
      `${JSON.stringify({ schema: 'specgate.cache/4', paths: [] })}\n${JSON.stringify({ pairs: {}, gone: {} })}\n`,
      JSON.stringify({ schema: 'other', pairs: {}, exports: {} }),
    ];
    // Each junk above differs from this one (which is read) in one part.
    writeFileSync(cacheFile, `${head(['a.ts'])}\n${body({ keys: [':'], at: [0, 12], nums: [1, 2, 3, 0, 0, 0, 0, 1, 10, 6, 4, 1], gone: [], stubs: [], hot: ['a.ts'] })}\n`);
    const control = await loadDiffCache(cacheFile);
    assert.equal(control.pairs.size, 1);
    assert.deepEqual(control.recent, ['a.ts']);
    for (const junk of junks) {
      writeFileSync(cacheFile, junk);
      const r = await collect(repo);
      assert.equal(r.fromCache, 0);
      assert.deepEqual(r.cs, (await collect(repo, { cacheFile: undefined })).cs);
      assert.equal((await loadDiffCache(cacheFile)).pairs.size, 8);
    }
  });

  it('gives the renames the whole change has, when git would pair the files it diffs again otherwise', async () => {
    // Above diff.renameLimit git pairs only exact renames. The whole change here has too many
    // deletions and additions for it; the two files a later edit adds to it are few enough.
    await repo.git('config', 'diff.renameLimit', '2');
    for (const i of [0, 1]) await repo.write(`src/new${i}.md`, `other ${i}\n`);
    await repo.git('add', '-A');
    await collect(repo);
    await repo.git('rm', '-q', 'src/m6.ts');
    await repo.write('src/moved.ts', (await repo.git('show', 'HEAD:src/m6.ts')).replace('v6_1 ', 'moved '));
    await repo.git('add', 'src/moved.ts');
    const next = await collect(repo);
    const shape = (cs: typeof next.cs) => cs.changes.filter((c) => /m6|moved/.test(c.path)).map((c) => [c.status, c.oldPath, c.path]);
    const cold = await collect(repo, { cacheFile: undefined });
    assert.deepEqual(shape(cold.cs), [['deleted', undefined, 'src/m6.ts'], ['added', undefined, 'src/moved.ts']]);
    assert.deepEqual(next.cs, cold.cs);
    // Without the limit git pairs them, and so does the cached path.
    await repo.git('config', '--unset', 'diff.renameLimit');
    assert.deepEqual(shape((await collect(repo)).cs), [['renamed', 'src/m6.ts', 'src/moved.ts']]);
  });

  it('says in a note when git compared only same-name files for renames (diff.renameLimit), on a first look, from the cache and staged', async () => {
    await repo.git('config', 'diff.renameLimit', '1');
    await repo.git('mv', 'src/m6.ts', 'src/r6.ts');
    await repo.write('src/r6.ts', (await repo.git('show', 'HEAD:src/m6.ts')).replace('v6_1 ', 'renamed '));
    // A move that keeps the file's name git still pairs (by basename, before the limit applies).
    mkdirSync(path.join(repo.root, 'src/sub'));
    await repo.git('mv', 'src/m5.ts', 'src/sub/m5.ts');
    const note =
      'git did not compare every added file with every deleted one for renames: the change adds and deletes more files than diff.renameLimit allows, so a tracked file renamed and edited is listed as deleted and added, and judged so, unless it kept its file name (renames without edits are still paired, and SpecGate pairs untracked files with deleted ones itself); set diff.renameLimit to at least 2 (git config diff.renameLimit 2) to have them paired';
    const shape = (cs: { changes: { status: string; oldPath?: string; path: string }[] }) => cs.changes.filter((c) => /m6|r6/.test(c.path)).map((c) => [c.status, c.oldPath, c.path]);
    const first = await collect(repo);
    assert.equal(first.fromCache, 0);
    assert.deepEqual(shape(first.cs), [['deleted', undefined, 'src/m6.ts'], ['added', undefined, 'src/r6.ts']]);
    assert.deepEqual(first.cs.changes.filter((c) => c.path.endsWith('m5.ts')).map((c) => [c.status, c.oldPath, c.path]), [['renamed', 'src/m5.ts', 'src/sub/m5.ts']]);
    assert.deepEqual(first.cs.notes, [note]);
    const cached = await collect(repo);
    assert.equal(cached.fromCache, 10);
    assert.deepEqual(cached.cs.notes, [note]);
    // Staged, git's own index pairs the move, and the edit is in the working tree: an exact rename.
    assert.deepEqual(shape((await collect(repo, { staged: true })).cs), [['renamed', 'src/m6.ts', 'src/r6.ts']]);
    assert.equal((await collect(repo, { staged: true })).cs.notes, undefined);
    await repo.git('add', '-A');
    const staged = (await collect(repo, { staged: true })).cs;
    assert.deepEqual(shape(staged), [['deleted', undefined, 'src/m6.ts'], ['added', undefined, 'src/r6.ts']]);
    assert.deepEqual(staged.notes, [note]);
    // Under the default limit git pairs them, and says nothing.
    await repo.git('config', '--unset', 'diff.renameLimit');
    const paired = await collect(repo);
    assert.deepEqual(shape(paired.cs), [['renamed', 'src/m6.ts', 'src/r6.ts']]);
    assert.equal(paired.cs.notes, undefined);
  });

  it('never waits on a FIFO or reads a device put in its place (anything in the repository can): read as no cache', async () => {
    const { cacheFile } = await collect(repo, { cacheFile: undefined });
    const cold = (await collect(repo, { cacheFile: undefined })).cs;
    execFileSync('mkfifo', [cacheFile]);
    // A plain read waits for a writer for ever (and the check ignored Ctrl-C meanwhile).
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 0);
    await appendDiffCache(cacheFile, { pairs: new Map([[':', [1]]]), gone: new Map(), stubs: new Map() });
    const r = await collect(repo);
    assert.deepEqual([r.fromCache, r.cs], [0, cold]);
    // The run's write put a cache file in its place.
    assert.ok(lstatSync(cacheFile).isFile());
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 8);
    rmSync(cacheFile);
    symlinkSync('/dev/zero', cacheFile);
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 0);
  });

  it('holds a reformat verdict as four numbers after the kind of path, and refuses one that removes and adds more tokens than it counts', async () => {
    const { cacheFile } = await collect(repo, { cacheFile: undefined });
    const file = (verdict: number[]) =>
      `${JSON.stringify({ schema: 'specgate.cache/11', paths: [] })}\n${JSON.stringify({ keys: [':'], at: [0, 16], nums: [1, 2, 3, 0, 0, 0, 0, 1, ...verdict, 1, 2, 1, 1], gone: [], stubs: [], hot: [] })}\n`;
    writeFileSync(cacheFile, file([292, 0, 58, 0]));
    assert.deepEqual((await loadDiffCache(cacheFile)).pairs.get(':'), [1, 2, 3, 0, 0, 0, 0, 1, 292, 0, 58, 0, 1, 2, 1, 1]);
    writeFileSync(cacheFile, file([10, 6, 5, 1]));
    assert.equal((await loadDiffCache(cacheFile)).pairs.size, 0);
  });

  it('is neither read nor written with --staged', async () => {
    await repo.git('add', '-A');
    const r = await collect(repo, { staged: true });
    assert.equal(r.fromCache, undefined);
    assert.ok(!existsSync(r.cacheFile));
  });

  it('is read only when asked (check, the editor): a planted entry never reaches the default analysis (bundle, verify)', async () => {
    await repo.write('.kiro/specs/x/tasks.md', '# Tasks\n\n- [ ] 1. Work in `src/**`\n');
    const honest = await analyzeRepository({ cwd: repo.root });
    const git = await Git.open(repo.root);
    const m1 = honest.changeSet.changes.find((c) => c.path === 'src/m1.ts')!;
    // An assistant with write access to .git plants hunks and hides the removed exports.
    const planted = await collect(repo);
    const cache = await loadDiffCache(git.cacheFile);
    const key = pairKey(m1.oldBlob, m1.newBlob);
    assert.ok(cache.pairs.has(key) && planted.fromCache === 0);
    cache.pairs.set(key, [0, 0, 1, 0, 0, 0, 0, workClassOf('src/m1.ts'), 0, 0, 0, 0, 1, 0, 1, 0]);
    cache.gone.set(key, []);
    writeFileSync(git.cacheFile, formatDiffCache(cache));
    const fooled = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.deepEqual(fooled.changeSet.changes.find((c) => c.path === 'src/m1.ts')!.hunks, [{ oldStart: 1, oldLines: 0, newStart: 1, newLines: 0 }]);
    const again = await analyzeRepository({ cwd: repo.root });
    assert.deepEqual(again.report, honest.report);
    assert.ok(honest.report.findings.some((f) => f.kind === 'removed-export' && f.path === 'src/m1.ts'));
  });

  describe('after a crash', () => {
    const lines = (file: string) => readFileSync(file, 'utf8').split('\n');

    it('a run killed mid-append: the next run reads every whole line, and its write rewrites the file without the cut one', async () => {
      const { cacheFile } = await collect(repo);
      await repo.write('src/m0.ts', 'export const only = 1;\n');
      await collect(repo); // appends m0's new pair
      const whole = readFileSync(cacheFile, 'utf8');
      // Killed part way through the next append: a third line of entries, cut short.
      writeFileSync(cacheFile, `${whole}{"keys":["${'a'.repeat(40)}:${'b'.repeat(10)}`);
      const read = await loadDiffCache(cacheFile);
      assert.deepEqual([read.pairs.size, read.bodies, read.torn], [9, 2, true]);
      // The next run learns one pair (m1 edited again): the file is rewritten whole, and every line is JSON.
      await repo.write('src/m1.ts', 'export const one = 1;\n');
      const next = await collect(repo);
      assert.equal(next.fromCache, 7);
      assert.deepEqual(next.cs, (await collect(repo, { cacheFile: undefined })).cs);
      const text = lines(cacheFile);
      assert.equal(text.pop(), '');
      assert.equal(text.length, 2);
      for (const l of text) JSON.parse(l);
      const after = await collect(repo);
      assert.equal(after.fromCache, 8, 'the cache still serves every file');
    });

    it('an append never joins a line cut short since the file was read, and the lines before it still count', async () => {
      const { cacheFile } = await collect(repo);
      const cache = await loadDiffCache(cacheFile);
      const [key, pair] = [...cache.pairs][0]!;
      writeFileSync(cacheFile, `${readFileSync(cacheFile, 'utf8')}{"keys":["ab`);
      await appendDiffCache(cacheFile, { pairs: new Map([[key, [...pair]]]), gone: new Map(), stubs: new Map() });
      const text = lines(cacheFile);
      assert.deepEqual([text.length, text[2], text[4]], [5, '{"keys":["ab', '']);
      const read = await loadDiffCache(cacheFile);
      assert.deepEqual([read.pairs.size, read.bodies, read.torn], [8, 2, true]);
      // What an older SpecGate left: an append joined to the cut line. Only that line is lost.
      writeFileSync(cacheFile, `${text.slice(0, 2).join('\n')}\n{"keys":["ab${text[3]}\n`);
      const joined = await loadDiffCache(cacheFile);
      assert.deepEqual([joined.pairs.size, joined.bodies, joined.torn], [8, 1, true]);
      assert.equal((await collect(repo)).fromCache, 8);
      // A line that is not JSON and not a cut line of entries still makes the file count as empty.
      writeFileSync(cacheFile, `${text.slice(0, 2).join('\n')}\n[1,\n`);
      assert.equal((await loadDiffCache(cacheFile)).pairs.size, 0);
    });

    it("removes the temporary files of rewrites whose process is gone (or an hour old), and no others", async () => {
      const git = await Git.open(repo.root);
      const base = path.basename(git.cacheFile);
      const dir = path.dirname(git.cacheFile);
      const hourAgo = new Date(Date.now() - 61 * 60 * 1000);
      const leftovers = {
        dead: `${base}.99999999-0123456789ab.tmp`, // its process runs no more
        running: `${base}.1-0123456789ab.tmp`, // pid 1 runs: a rewrite may be under way
        oldUnnamed: `${base}.0123456789ab.tmp`, // an older SpecGate's name, an hour old
        youngUnnamed: `${base}.ba9876543210.tmp`, // the same, just written
        other: `${base}.notes.tmp`,
      };
      for (const name of Object.values(leftovers)) writeFileSync(path.join(dir, name), '{"schema":"specgate.cache/10"');
      utimesSync(path.join(dir, leftovers.oldUnnamed), hourAgo, hourAgo);
      await collect(repo); // no cache yet: written whole
      const left = readdirSync(dir).filter((n) => n.startsWith(`${base}.`)).sort();
      assert.deepEqual(left, [leftovers.running, leftovers.youngUnnamed, leftovers.other].sort());
      assert.ok(existsSync(git.cacheFile));
    });
  });
});
