import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { parsePatch } from '../../src/core/diffparse';
import { liveDiff } from '../../src/core/livediff';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const numbered = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}`).join('\n') + '\n';

describe('liveDiff', () => {
  let repo: TestRepo;
  before(async () => {
    repo = await makeRepo();
  });
  after(async () => repo.cleanup());

  async function gitHunks(oldText: string, newText: string) {
    await repo.write('old.txt', oldText);
    await repo.write('new.txt', newText);
    const out = await new Promise<string>((resolve, reject) => {
      const args = ['-c', 'core.fsmonitor=false', 'diff', '--no-index', '-U0', '--no-color', '--no-ext-diff', '--text', '--', 'old.txt', 'new.txt'];
      execFile('git', args, { cwd: repo.root, env: testGitEnv(repo.root) }, (err, stdout, stderr) => {
        if (err && err.code !== 1) reject(new Error(stderr));
        else resolve(stdout);
      }).stdin?.end();
    });
    return parsePatch(out)[0]?.hunks ?? [];
  }

  it('returns no hunks for identical text', () => {
    assert.deepEqual(liveDiff('a\nb\n', 'a\nb\n'), { hunks: [], added: 0, removed: 0, gaveUp: false });
  });

  it('uses git -U0 ranges for insertions, deletions and replacements', () => {
    assert.deepEqual(liveDiff('a\nb\nc\n', 'a\nb\nX\nc\n').hunks, [{ oldStart: 2, oldLines: 0, newStart: 3, newLines: 1 }]);
    assert.deepEqual(liveDiff('a\nb\nc\n', 'a\nc\n').hunks, [{ oldStart: 2, oldLines: 1, newStart: 1, newLines: 0 }]);
    assert.deepEqual(liveDiff('a\nb\nc\n', 'a\nB\nc\n').hunks, [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]);
    assert.deepEqual(liveDiff('', 'x\ny\n'), { hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 }], added: 2, removed: 0, gaveUp: false });
    assert.deepEqual(liveDiff('x\ny\n', ''), { hunks: [{ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 }], added: 0, removed: 2, gaveUp: false });
  });

  it('agrees with git on a sample of scattered edits', async () => {
    const base = numbered(400).split('\n');
    const edited = [...base];
    edited.splice(350, 3, 'replaced a', 'replaced b');
    edited.splice(200, 0, 'inserted 1', 'inserted 2', 'inserted 3');
    edited.splice(120, 5);
    edited[10] = 'changed 11';
    edited.splice(0, 1);
    const oldText = base.join('\n');
    for (const newText of [edited.join('\n'), edited.join('\n') + 'no newline at end']) {
      const live = liveDiff(oldText, newText);
      assert.equal(live.gaveUp, false);
      assert.deepEqual(live.hunks, await gitHunks(oldText, newText));
      assert.equal(live.added, live.hunks.reduce((s, h) => s + h.newLines, 0));
      assert.equal(live.removed, live.hunks.reduce((s, h) => s + h.oldLines, 0));
    }
  });

  it('gives up fast on a 10k-line full rewrite with a tight budget, as one whole-file hunk', () => {
    const oldText = numbered(10_000, 'old');
    const newText = numbered(10_500, 'new');
    const t0 = Date.now();
    const r = liveDiff(oldText, newText, { timeoutMs: 100, maxEditLength: 1000 });
    const ms = Date.now() - t0;
    assert.ok(ms < 1000, `took ${ms} ms`);
    assert.deepEqual(r, { hunks: [{ oldStart: 1, oldLines: 10_000, newStart: 1, newLines: 10_500 }], added: 10_500, removed: 10_000, gaveUp: true });
  });

  it('gives up on time alone when no edit limit is set', () => {
    const t0 = Date.now();
    const r = liveDiff(numbered(10_000, 'old'), numbered(10_000, 'new'), { timeoutMs: 50 });
    assert.ok(Date.now() - t0 < 1000);
    assert.equal(r.gaveUp, true);
  });
});
