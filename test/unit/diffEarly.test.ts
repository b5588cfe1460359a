// The change cache's early diffs (src/node/changeset.ts diffEarly): a file whose bytes no cache
// entry knows is diffed before all files are read. Whatever the early diff saw, the change set
// must be the one a first look (no cache) gives: these are the cases where it could differ.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cacheWritten, collectChangeSet, type ChangeSetOptions } from '../../src/node/changeset';
import { formatDiffCache, loadDiffCache } from '../../src/node/diffcache';
import { Git } from '../../src/node/git';
import { collect } from './helpers/cacheRuns';
import { makeRepo, type TestRepo } from './helpers/gitRepo';


/** A cached run's change set, checked against a first look's; returns the cached run. */
async function sameAsFirstLook(repo: TestRepo, opts: ChangeSetOptions = {}) {
  const cached = await collect(repo, opts);
  const cold = await collect(repo, { ...opts, cacheFile: undefined });
  assert.deepEqual(cached.cs, cold.cs);
  return cached;
}

const source = (i: number, n = 30) => Array.from({ length: n }, (_, k) => `export const v${i}_${k} = ${k};`).join('\n') + '\n';

describe('change cache: early diffs give the change set a first look gives', () => {
  let repo: TestRepo;
  beforeEach(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`src/m${i}.ts`] = source(i);
    files['.specgate/notes.txt'] = 'a\n';
    repo = await makeRepo({ ...files, 'bin.dat': Buffer.from([0, 1, 2, 3]), 'big.txt': 'x\n'.repeat(1500) });
    symlinkSync('m0.ts', path.join(repo.root, 'src/link'));
    await repo.commit('link');
    // Ten files changed, so a few edited later are far fewer than half.
    for (let i = 0; i < 10; i++) await repo.write(`src/m${i}.ts`, source(i).replace(`v${i}_3 = 3`, `v${i}_3 = 33`));
  });
  afterEach(async () => repo.cleanup());

  it('a file edited since, another put back as HEAD has it: the one put back is no change', async () => {
    await collect(repo);
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 99'));
    await repo.git('checkout', '--', 'src/m1.ts');
    const next = await sameAsFirstLook(repo);
    assert.equal(next.diffedEarly, 1);
    assert.equal(next.cs.changes.some((c) => c.path === 'src/m1.ts'), false);
    assert.equal(next.cs.changes.length, 9);
  });

  it('a file renamed (git mv) and edited: the rename the whole change has, not an addition', async () => {
    await collect(repo);
    await repo.git('mv', 'src/m2.ts', 'src/moved.ts');
    await repo.write('src/moved.ts', source(2).replace('v2_3 = 3', 'v2_3 = 33').replace('v2_20 = 20', 'v2_20 = 200'));
    const next = await sameAsFirstLook(repo);
    const moved = next.cs.changes.find((c) => c.path === 'src/moved.ts')!;
    assert.deepEqual([moved.status, moved.oldPath], ['renamed', 'src/m2.ts']);
    // The new path was not read last time: diffed early with its old path.
    assert.equal(next.diffedEarly, 1);
    // Edited again: the early diff of the new path alone finds an addition, not the rename,
    // so the file is diffed again with both paths.
    await repo.write('src/moved.ts', source(2).replace('v2_3 = 3', 'v2_3 = 33').replace('v2_21 = 21', 'v2_21 = 210'));
    const again = await sameAsFirstLook(repo);
    assert.deepEqual([again.fromCache, again.diffedEarly], [9, undefined]);
    assert.deepEqual(again.cs.changes.find((c) => c.path === 'src/moved.ts')!.oldPath, 'src/m2.ts');
  });

  it('an edited file deleted, and one added that git pairs with it: the rename', async () => {
    await collect(repo);
    await repo.write('src/m4.ts', source(4).replace('v4_9 = 9', 'v4_9 = 99'));
    await collect(repo);
    // m4's bytes under a new name, m4 gone, the index told (as `git add -A` would).
    await repo.write('src/other.ts', readFileSync(path.join(repo.root, 'src/m4.ts'), 'utf8').replace('v4_20 = 20', 'v4_20 = 200'));
    await repo.rm('src/m4.ts');
    await repo.git('add', '-A', 'src/m4.ts', 'src/other.ts');
    const next = await sameAsFirstLook(repo);
    assert.equal(next.diffedEarly, 1);
    const other = next.cs.changes.find((c) => c.path === 'src/other.ts')!;
    assert.deepEqual([other.status, other.oldPath], ['renamed', 'src/m4.ts']);
  });

  it('a binary file and a file over the diff limit, changed on every run: never cached, diffed each time', async () => {
    const opts = { maxDiffBytes: 2000 };
    for (let run = 0; run < 3; run++) {
      await repo.write('bin.dat', Buffer.from([0, 1, 2, 3, run]));
      await repo.write('big.txt', 'y\n'.repeat(1500 + run));
      if (run === 2) await repo.write('src/m5.ts', source(5).replace('v5_9 = 9', 'v5_9 = 99'));
      const r = await sameAsFirstLook(repo, opts);
      assert.equal(r.diffedEarly, [undefined, 2, 3][run]);
      const big = r.cs.changes.find((c) => c.path === 'big.txt')!;
      assert.equal(big.tooLarge, true);
      assert.equal(r.cs.changes.find((c) => c.path === 'bin.dat')!.binary, true);
    }
  });

  it('a symlink retargeted, and a file turned into a symlink (a type change)', async () => {
    await collect(repo);
    unlinkSync(path.join(repo.root, 'src/link'));
    symlinkSync('m1.ts', path.join(repo.root, 'src/link'));
    await repo.write('src/m6.ts', source(6).replace('v6_9 = 9', 'v6_9 = 99'));
    const next = await sameAsFirstLook(repo);
    assert.equal(next.diffedEarly, 2);
    assert.equal(next.cs.changes.find((c) => c.path === 'src/link')!.newMode, '120000');
    unlinkSync(path.join(repo.root, 'src/m7.ts'));
    symlinkSync('m0.ts', path.join(repo.root, 'src/m7.ts'));
    const typeChanged = await sameAsFirstLook(repo);
    assert.equal(typeChanged.diffedEarly, 1);
    assert.equal(typeChanged.cs.changes.find((c) => c.path === 'src/m7.ts')!.status, 'type-changed');
  });

  it('a submodule moved to another commit, while a file is edited', async () => {
    const sub = await makeRepo({ 'lib.txt': 'v1\n' });
    try {
      await repo.git('-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', sub.root, 'vendor/lib');
      await repo.git('commit', '-qm', 'submodule');
      await collect(repo);
      await sub.write('lib.txt', 'v2\n');
      const next = await sub.commit('v2');
      await repo.git('-C', 'vendor/lib', '-c', 'protocol.file.allow=always', 'fetch', '-q', 'origin');
      await repo.git('-C', 'vendor/lib', 'checkout', '-q', next);
      await repo.write('src/m3.ts', source(3).replace('v3_9 = 9', 'v3_9 = 99'));
      const moved = await sameAsFirstLook(repo);
      assert.equal(moved.cs.changes.find((c) => c.path === 'vendor/lib')!.newBlob, next);
      // The submodule's own work tree edited too, and the file again.
      await repo.write('vendor/lib/lib.txt', 'v3\n');
      await repo.write('src/m3.ts', source(3).replace('v3_9 = 9', 'v3_9 = 999'));
      await sameAsFirstLook(repo);
    } finally {
      await sub.cleanup();
    }
  });

  it('a file the last run read deleted, while another is edited', async () => {
    await collect(repo);
    await repo.rm('src/m8.ts');
    await repo.write('src/m9.ts', source(9).replace('v9_9 = 9', 'v9_9 = 99'));
    const next = await sameAsFirstLook(repo);
    assert.equal(next.cs.changes.find((c) => c.path === 'src/m8.ts')!.status, 'deleted');
    // The deletion is no early diff's: git diffs the two together once all are read.
    assert.deepEqual([next.fromCache, next.diffedEarly], [8, undefined]);
  });

  it('files in the record folders that are not records, edited between runs', async () => {
    await repo.write('.specgate/notes.txt', 'b\n');
    await collect(repo);
    await repo.write('.specgate/notes.txt', 'c\n');
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 99'));
    const next = await sameAsFirstLook(repo);
    assert.equal(next.diffedEarly, 2);
    assert.ok(next.cs.changes.some((c) => c.path === '.specgate/notes.txt'));
  });

  it('with --base: the change since the merge base', async () => {
    await repo.commit('ten edits');
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 99'));
    await collect(repo, { base: 'HEAD~1' });
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 999'));
    await repo.write('src/m1.ts', source(1));
    const next = await sameAsFirstLook(repo, { base: 'HEAD~1' });
    assert.equal(next.diffedEarly, 1);
    // m1 as the base has it: no change since the merge base.
    assert.deepEqual(next.cs.changes.map((c) => c.path), ['src/m0.ts', ...Array.from({ length: 8 }, (_, i) => `src/m${i + 2}.ts`)]);
  });

  it('a planted list of paths (beyond a symlinked folder, missing, doubled) changes nothing', async () => {
    mkdirSync(path.join(repo.root, '..', 'outside'));
    writeFileSync(path.join(repo.root, '..', 'outside', 'x.ts'), 'outside\n');
    symlinkSync('../outside', path.join(repo.root, 'out'));
    const { cacheFile } = await collect(repo);
    const cache = await loadDiffCache(cacheFile);
    cache.paths.push('out/x.ts', 'nothing/here.ts', 'src/m0.ts');
    cache.recent = ['out/x.ts', 'src/m0.ts', 'nothing/here.ts'];
    writeFileSync(cacheFile, formatDiffCache(cache));
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 99'));
    const next = await sameAsFirstLook(repo);
    assert.deepEqual([next.fromCache, next.diffedEarly], [9, 1]);
  });

  it('an aborted run rejects, and the next run gives the change set', async () => {
    await collect(repo);
    await repo.write('src/m0.ts', source(0).replace('v0_9 = 9', 'v0_9 = 99'));
    const stop = new AbortController();
    const git = await Git.open(repo.root);
    const run = collectChangeSet(git, { scanExports: true, cacheFile: git.cacheFile, signal: stop.signal });
    stop.abort();
    await assert.rejects(run);
    await cacheWritten();
    assert.equal((await sameAsFirstLook(repo)).diffedEarly, 1);
  });
});
