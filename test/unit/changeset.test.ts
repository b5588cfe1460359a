import { strict as assert } from 'node:assert';
import { symlink, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { gitBlobId } from '../../src/core/gitblob';
import type { FileChange } from '../../src/core/model';
import { cacheWritten, collectChangeSet, type ChangeSetOptions } from '../../src/node/changeset';
import { Git } from '../../src/node/git';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';
import { signedRecord } from './helpers/records';

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join('\n') + '\n';

async function changes(repo: TestRepo, opts: ChangeSetOptions = {}) {
  return collectChangeSet(await Git.open(repo.root), opts);
}
function byPath(list: FileChange[], p: string): FileChange {
  const c = list.find((x) => x.path === p);
  assert.ok(c, `no change for ${p}; have ${list.map((x) => x.path).join(', ')}`);
  return c;
}
async function blobAt(repo: TestRepo, spec: string) {
  return (await repo.git('rev-parse', spec)).trim();
}
async function hashFile(repo: TestRepo, p: string) {
  return (await repo.git('hash-object', '--no-filters', '--', p)).trim();
}

describe('collectChangeSet', () => {
  isolateGitConfig();
  let repo: TestRepo;
  afterEach(async () => repo?.cleanup());

  it('reports a modification with exact -U0 hunks, counts, blobs, modes and line counts', async () => {
    repo = await makeRepo({ 'src/a.ts': lines(1, 10) });
    await repo.write('src/a.ts', lines(1, 2) + 'changed 3\n' + lines(4, 7) + lines(9, 10) + 'extra\n');
    const cs = await changes(repo);
    assert.equal(cs.mode, 'worktree');
    assert.deepEqual(cs.base, { ref: 'HEAD', commit: await blobAt(repo, 'HEAD') });
    assert.equal(cs.changes.length, 1);
    const c = cs.changes[0]!;
    assert.deepEqual(
      { path: c.path, status: c.status, binary: c.binary, added: c.added, removed: c.removed, hunks: c.hunks },
      {
        path: 'src/a.ts',
        status: 'modified',
        binary: false,
        added: 2,
        removed: 2,
        hunks: [
          { oldStart: 3, oldLines: 1, newStart: 3, newLines: 1 },
          { oldStart: 8, oldLines: 1, newStart: 7, newLines: 0 },
          { oldStart: 10, oldLines: 0, newStart: 10, newLines: 1 },
        ],
      },
    );
    assert.equal(c.oldBlob, await blobAt(repo, 'HEAD:src/a.ts'));
    assert.equal(c.newBlob, await hashFile(repo, 'src/a.ts'));
    assert.equal(c.oldMode, '100644');
    assert.equal(c.newMode, '100644');
    assert.equal(c.oldLineCount, 10);
    assert.equal(c.newLineCount, 10);
    assert.equal(c.oldText, undefined);
    assert.equal(c.newText, undefined);
  });

  it('reports added (staged), untracked, and deleted files with whole-file hunks', async () => {
    repo = await makeRepo({ 'gone.txt': lines(1, 4), 'keep.txt': 'k\n' });
    await repo.write('staged-new.txt', 'alpha\nbeta\ngamma\n');
    await repo.git('add', 'staged-new.txt');
    await repo.write('notes/untracked.md', 'a\nb');
    await repo.write('ignored.log', 'x\n');
    await repo.write('.gitignore', '*.log\n');
    await repo.rm('gone.txt');
    const cs = await changes(repo);
    assert.deepEqual(cs.changes.map((c) => [c.path, c.status, c.added, c.removed, c.hunks]), [
      ['.gitignore', 'added', 1, 0, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]],
      ['gone.txt', 'deleted', 0, 4, [{ oldStart: 1, oldLines: 4, newStart: 0, newLines: 0 }]],
      ['notes/untracked.md', 'added', 2, 0, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 }]],
      ['staged-new.txt', 'added', 3, 0, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 3 }]],
    ]);
    const gone = byPath(cs.changes, 'gone.txt');
    assert.equal(gone.oldBlob, await blobAt(repo, 'HEAD:gone.txt'));
    assert.equal(gone.newBlob, undefined);
    assert.equal(gone.oldLineCount, 4);
    const u = byPath(cs.changes, 'notes/untracked.md');
    assert.equal(u.newBlob, await hashFile(repo, 'notes/untracked.md'));
    assert.equal(u.newMode, '100644');
    assert.equal(u.newLineCount, 2);
  });

  it('reports a staged rename with edits as renamed with the old path', async () => {
    repo = await makeRepo({ 'old/name.ts': lines(1, 20) });
    await repo.write('new/.keep', '');
    await repo.git('mv', 'old/name.ts', 'new/name.ts');
    await repo.rm('new/.keep');
    await repo.write('new/name.ts', lines(1, 20) + 'line 21\n');
    const c = byPath((await changes(repo)).changes, 'new/name.ts');
    assert.equal(c.status, 'renamed');
    assert.equal(c.oldPath, 'old/name.ts');
    assert.deepEqual(c.hunks, [{ oldStart: 20, oldLines: 0, newStart: 21, newLines: 1 }]);
    assert.equal(c.oldLineCount, 20);
    assert.equal(c.newLineCount, 21);
  });

  it('pairs an unstaged move (deleted + untracked, same bytes) into a rename', async () => {
    repo = await makeRepo({ 'a/x.txt': lines(1, 5) });
    await repo.rm('a/x.txt');
    await repo.write('b/y.txt', lines(1, 5));
    const cs = await changes(repo);
    assert.equal(cs.changes.length, 1);
    assert.deepEqual(
      { ...cs.changes[0]!, oldBlob: undefined, newBlob: undefined },
      { path: 'b/y.txt', oldPath: 'a/x.txt', status: 'renamed', binary: false, added: 0, removed: 0, hunks: [], oldMode: '100644', newMode: '100644', oldLineCount: 5, newLineCount: 5, oldBlob: undefined, newBlob: undefined },
    );
  });

  it('reports a file replaced by a symlink as type-changed', async () => {
    repo = await makeRepo({ 'target.txt': 't\n', 'link': 'was a file\nof two lines\n' });
    await unlink(path.join(repo.root, 'link'));
    await symlink('target.txt', path.join(repo.root, 'link'));
    const c = byPath((await changes(repo)).changes, 'link');
    assert.equal(c.status, 'type-changed');
    assert.equal(c.oldMode, '100644');
    assert.equal(c.newMode, '120000');
    assert.equal(c.newBlob, gitBlobId(Buffer.from('target.txt')));
    assert.equal(c.oldBlob, await blobAt(repo, 'HEAD:link'));
    assert.deepEqual(c.hunks, [
      { oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 },
      { oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 },
    ]);
    assert.equal(c.removed, 2);
    assert.equal(c.added, 1);
  });

  it('lists a binary file without hunks or line counts', async () => {
    repo = await makeRepo({ 'img.png': Buffer.from([0x89, 0x50, 0, 1, 2, 3]) });
    await repo.write('img.png', Buffer.from([0x89, 0x50, 0, 9, 9, 9, 9]));
    await repo.write('new.bin', Buffer.from([0, 0, 10, 0]));
    const cs = await changes(repo);
    for (const p of ['img.png', 'new.bin']) {
      const c = byPath(cs.changes, p);
      assert.equal(c.binary, true, p);
      assert.deepEqual(c.hunks, [], p);
      assert.equal(c.added, 0, p);
      assert.equal(c.removed, 0, p);
      assert.equal(c.newLineCount, undefined, p);
      assert.equal(c.newBlob, await hashFile(repo, p), p);
    }
    assert.equal(byPath(cs.changes, 'img.png').oldBlob, await blobAt(repo, 'HEAD:img.png'));
  });

  it('with staged, reports only the index against HEAD; by default both', async () => {
    repo = await makeRepo({ 's.txt': 'a\nb\n', 'u.txt': 'a\nb\n' });
    await repo.write('s.txt', 'a\nB\n');
    await repo.git('add', 's.txt');
    await repo.write('s.txt', 'a\nB\nC\n');
    await repo.write('u.txt', 'A\nb\n');
    await repo.write('untracked.txt', 'x\n');
    const staged = await changes(repo, { staged: true });
    assert.equal(staged.mode, 'staged');
    assert.deepEqual(staged.changes.map((c) => [c.path, c.hunks]), [['s.txt', [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]]]);
    assert.equal(staged.changes[0]!.newBlob, await blobAt(repo, ':s.txt'));
    assert.equal(staged.changes[0]!.newLineCount, 2);
    const all = await changes(repo);
    assert.deepEqual(all.changes.map((c) => [c.path, c.hunks]), [
      ['s.txt', [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 2 }]],
      ['u.txt', [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }]],
      ['untracked.txt', [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]],
    ]);
    assert.equal(byPath(all.changes, 's.txt').newBlob, await hashFile(repo, 's.txt'));
  });

  it('diffs against the empty tree when HEAD is unborn', async () => {
    repo = await makeRepo();
    await repo.write('staged.txt', 'one\n');
    await repo.git('add', 'staged.txt');
    await repo.write('loose.txt', 'two\nthree\n');
    const cs = await changes(repo);
    assert.deepEqual(cs.base, { ref: 'HEAD', commit: null });
    assert.deepEqual(cs.changes.map((c) => [c.path, c.status, c.added]), [
      ['loose.txt', 'added', 2],
      ['staged.txt', 'added', 1],
    ]);
    const staged = await changes(repo, { staged: true });
    assert.deepEqual(staged.changes.map((c) => c.path), ['staged.txt']);
  });

  it('with base, compares the merge base of BASE and HEAD to the working tree', async () => {
    repo = await makeRepo({ 'shared.txt': 'base\n' });
    const fork = await blobAt(repo, 'HEAD');
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.write('feature.txt', 'committed on feature\n');
    await repo.commit('feature work');
    await repo.git('checkout', '-q', 'main');
    await repo.write('main-only.txt', 'main moved on\n');
    await repo.commit('main work');
    await repo.git('checkout', '-q', 'feature');
    await repo.write('wip.txt', 'uncommitted\n');
    const cs = await changes(repo, { base: 'main' });
    assert.deepEqual(cs.base, { ref: 'main', commit: fork });
    assert.deepEqual(cs.changes.map((c) => [c.path, c.status]), [
      ['feature.txt', 'added'],
      ['wip.txt', 'added'],
    ]);
  });

  it('returns no changes for a clean working tree, in every mode', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    for (const opts of [{}, { staged: true }, { base: 'main' }]) assert.deepEqual((await changes(repo, opts)).changes, [], JSON.stringify(opts));
  });

  it('refuses base together with staged', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await assert.rejects(changes(repo, { base: 'main', staged: true }), /either --base or --staged/);
  });

  it('leaves out SpecGate\'s records, tracked or not, and nothing else in their folders', async () => {
    const kept = signedRecord(`sha256:${'a'.repeat(64)}`);
    const fresh = signedRecord(`sha256:${'b'.repeat(64)}`);
    const bundle = '.specgate/reviews/cache-20260102-030405-0123abcd';
    repo = await makeRepo({ [kept.jsonPath]: kept.json, [kept.sigPath]: kept.sig, '.specgate/approvals/0000000000000000.json': fresh.json, '.specgate/config.yml': 'a: 1\n' });
    await repo.write('.specgate/config.yml', 'a: 2\n');
    // Records: a new approval and its signature, a bundle's packet.json.
    await repo.write(fresh.jsonPath, fresh.json);
    await repo.write(fresh.sigPath, fresh.sig);
    await repo.write(`${bundle}/packet.json`, '{\n  "schema": "specgate.report/1",\n  "spec": {}\n}\n');
    // Not records: code and other files in the record folders, a record rewritten as code.
    await repo.write('.specgate/approvals/x.js', 'exports.x = 1;\n');
    await repo.write('.specgate/approvals/notes.json', '{}\n');
    await repo.write('.specgate/approvals/0000000000000000.json', 'module.exports = {};\n');
    await repo.write('.specgate/reviews/util.js', 'exports.one = () => 1;\n');
    await repo.write('.specgate/reviews/b-1/packet.json', '{}\n');
    await repo.write(`${bundle}/util.js`, 'exports.two = () => 2;\n');
    await repo.write(`${bundle}/spec/helper.js`, 'exports.three = 3;\n');
    const expected = [
      '.specgate/approvals/0000000000000000.json',
      '.specgate/approvals/notes.json',
      '.specgate/approvals/x.js',
      '.specgate/config.yml',
      `${bundle}/spec/helper.js`,
      `${bundle}/util.js`,
      '.specgate/reviews/b-1/packet.json',
      '.specgate/reviews/util.js',
    ].sort();
    const summary = (cs: { changes: FileChange[] }) => cs.changes.map((c) => [c.path, c.status, c.newBlob, c.added]);
    const worktree = await changes(repo);
    assert.deepEqual(worktree.changes.map((c) => c.path), expected);
    assert.equal(byPath(worktree.changes, '.specgate/reviews/util.js').newBlob, await hashFile(repo, '.specgate/reviews/util.js'));
    const rewritten = byPath(worktree.changes, '.specgate/approvals/0000000000000000.json');
    assert.deepEqual([rewritten.status, rewritten.added, rewritten.removed], ['modified', 1, fresh.json.split('\n').length - 1]);
    // The cached path (a second look with the change cache) and --base agree.
    const git = await Git.open(repo.root);
    await collectChangeSet(git, { cacheFile: git.cacheFile });
    await cacheWritten();
    const cached = await collectChangeSet(git, { cacheFile: git.cacheFile });
    assert.ok((cached.fromCache ?? 0) > 0, 'the second look used the cache');
    assert.deepEqual(summary(cached), summary(worktree));
    assert.deepEqual(summary(await changes(repo, { base: 'main' })), summary(worktree));
    // The index: the same once staged; and a record staged, then rewritten on disk, counts as the index holds it.
    await repo.git('add', '-A');
    await repo.write(fresh.jsonPath, 'exports.later = 1;\n');
    assert.deepEqual(summary(await changes(repo, { staged: true })), summary(worktree));
    assert.deepEqual((await changes(repo)).changes.map((c) => c.path), [...expected, fresh.jsonPath].sort());
  });

  it('deleting a record is no change; deleting anything else in the record folders is', async () => {
    const kept = signedRecord(`sha256:${'c'.repeat(64)}`);
    repo = await makeRepo({ [kept.jsonPath]: kept.json, [kept.sigPath]: kept.sig, '.specgate/reviews/util.js': 'exports.one = 1;\n', 'a.txt': 'a\n' });
    await repo.rm(kept.jsonPath);
    await repo.rm(kept.sigPath);
    await repo.rm('.specgate/reviews/util.js');
    const want = [['.specgate/reviews/util.js', 'deleted']];
    assert.deepEqual((await changes(repo)).changes.map((c) => [c.path, c.status]), want);
    await repo.git('add', '-A');
    assert.deepEqual((await changes(repo, { staged: true })).changes.map((c) => [c.path, c.status]), want);
  });

  it('attaches text only where wantText asks, and lists files over the size cap without hunks', async () => {
    repo = await makeRepo({ 'a.ts': 'export const a = 1;\n', 'b.md': 'b\n', 'big.txt': lines(1, 300) });
    await repo.write('a.ts', 'export const a = 2;\n');
    await repo.write('b.md', 'B\n');
    await repo.write('big.txt', lines(1, 150) + 'middle\n' + lines(151, 300));
    await repo.write('bignew.txt', lines(1, 400));
    const cs = await changes(repo, { wantText: (p) => p.endsWith('.ts'), maxDiffBytes: 1000 });
    const a = byPath(cs.changes, 'a.ts');
    assert.equal(a.oldText, 'export const a = 1;\n');
    assert.equal(a.newText, 'export const a = 2;\n');
    assert.equal(byPath(cs.changes, 'b.md').newText, undefined);
    const big = byPath(cs.changes, 'big.txt');
    assert.equal(big.tooLarge, true);
    assert.deepEqual(big.hunks, []);
    assert.equal(big.added, 1);
    assert.equal(big.removed, 0);
    assert.equal(big.newLineCount, 301);
    assert.equal(big.newBlob, await hashFile(repo, 'big.txt'));
    const bignew = byPath(cs.changes, 'bignew.txt');
    assert.equal(bignew.tooLarge, true);
    assert.equal(bignew.added, 400);
    assert.deepEqual(bignew.hunks, []);
  });

  it('handles files without a final newline exactly as git counts them', async () => {
    repo = await makeRepo({ 'n.txt': 'a\nb' });
    await repo.write('n.txt', 'a\nb\nc');
    const c = byPath((await changes(repo)).changes, 'n.txt');
    assert.deepEqual(c.hunks, [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 2 }]);
    assert.equal(c.oldLineCount, 2);
    assert.equal(c.newLineCount, 3);
  });

  it('treats a file removed from the index but still on disk as modified', async () => {
    repo = await makeRepo({ 'r.txt': 'a\nb\nc\n', 'same.txt': 's\n' });
    await repo.git('rm', '-q', '--cached', 'r.txt', 'same.txt');
    await repo.write('r.txt', 'a\nB\nc\n');
    const cs = await changes(repo);
    assert.deepEqual(cs.changes.map((c) => [c.path, c.status, c.hunks]), [['r.txt', 'modified', [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]]]);
  });

  it('lists a conflicted file during a merge in both modes without failing', async () => {
    repo = await makeRepo({ 'c.txt': 'base\n' });
    await repo.git('checkout', '-q', '-b', 'side');
    await repo.write('c.txt', 'side\n');
    await repo.commit('side');
    await repo.git('checkout', '-q', 'main');
    await repo.write('c.txt', 'main\n');
    await repo.commit('main');
    await repo.git('merge', '-q', 'side').catch(() => undefined);
    const work = await changes(repo);
    assert.deepEqual(work.changes.map((c) => [c.path, c.status, c.added, c.removed]), [['c.txt', 'modified', 4, 0]]);
    const staged = await changes(repo, { staged: true });
    assert.deepEqual(staged.changes.map((c) => [c.path, c.status, c.hunks]), [['c.txt', 'modified', []]]);
  });

  /** A repository holding a.txt, with `sub` added as a submodule at vendor/lib, committed. */
  async function repoWithSubmodule(sub: TestRepo): Promise<TestRepo> {
    const r = await makeRepo({ 'a.txt': 'a\n' });
    await r.git('-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', sub.root, 'vendor/lib');
    await r.commit('add submodule');
    return r;
  }

  it('lists a changed submodule pointer as a binary change without reading it', async () => {
    const sub = await makeRepo({ 'lib.txt': 'v1\n' });
    try {
      repo = await repoWithSubmodule(sub);
      await sub.write('lib.txt', 'v2\n');
      const next = await sub.commit('v2');
      await repo.git('-C', 'vendor/lib', '-c', 'protocol.file.allow=always', 'fetch', '-q', 'origin');
      await repo.git('-C', 'vendor/lib', 'checkout', '-q', next);
      const c = byPath((await changes(repo)).changes, 'vendor/lib');
      assert.deepEqual([c.status, c.binary, c.hunks, c.oldMode, c.newMode], ['modified', true, [], '160000', '160000']);
    } finally {
      await sub.cleanup();
    }
  });

  it('leaves out, with a note, a submodule checked out at the old commit while the index records a new one (a pull without submodule update)', async () => {
    const sub = await makeRepo({ 'lib.txt': 'v1\n' });
    try {
      repo = await repoWithSubmodule(sub);
      const old = (await repo.git('rev-parse', 'HEAD:vendor/lib')).trim();
      await sub.write('lib.txt', 'v2\n');
      const next = await sub.commit('v2');
      // The index (and the next commit) record `next`; the checkout stays at `old`.
      await repo.git('update-index', '--cacheinfo', `160000,${next},vendor/lib`);
      await repo.git('commit', '-qm', 'bump');
      await repo.write('a.txt', 'b\n');
      const note = 'vendor/lib is a submodule whose checkout is still the old commit, while the index records another: as the work tree stands it has not changed, so it is not part of this change (git submodule update checks out the commit the index records)';
      for (const cacheFile of [undefined, path.join(repo.root, '.git/specgate-test-cache')]) {
        for (let run = 0; run < 2; run++) {
          const git = await Git.open(repo.root);
          const cs = await collectChangeSet(git, { base: 'HEAD~1', cacheFile });
          assert.deepEqual([cs.changes.map((c) => c.path), cs.notes], [['a.txt'], [note]]);
        }
      }
      // Against HEAD the checkout differs from the recorded commit: that is a change.
      const c = byPath((await changes(repo)).changes, 'vendor/lib');
      assert.deepEqual([c.status, c.oldBlob, c.newBlob], ['modified', next, old]);
      // Staged (the index against HEAD): nothing, the bump is committed.
      const staged = await collectChangeSet(await Git.open(repo.root), { base: undefined, staged: true });
      assert.deepEqual(staged.changes.map((x) => x.path), []);
    } finally {
      await sub.cleanup();
    }
  });
});
