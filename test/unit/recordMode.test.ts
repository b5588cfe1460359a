// A record is a regular file that is not executable: a file with a record's name and shape
// but mode 100755 is an ordinary file of the change (else a change could make it a program
// without moving the digest). Staged, in the working tree, and in CI (--base). Real
// repository, real keys.
import { strict as assert } from 'node:assert';
import { copyFileSync, chmodSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

describe('records: an executable file is never one', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  /** An approved change on branch feature, committed with its record; returns the record's repo-relative path. */
  async function approvedAndCommitted(): Promise<string> {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.git('add', 'src/app.ts');
    await w.repo.git('commit', '-q', '-m', 'change');
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root, base: 'main' }), { out: path.join(w.scratch, 'reviews') });
    await approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, ssh: { env: w.env, interactive: false } });
    await w.repo.git('add', '.specgate/approvals');
    await w.repo.git('commit', '-q', '-m', 'approval');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    const json = readdirSync(path.join(w.repo.root, '.specgate/approvals')).find((n) => n.endsWith('.json'))!;
    return `.specgate/approvals/${json}`;
  }

  it('counts a copy of a record made executable as a file of the change (--base, --staged, working tree)', async () => {
    const record = await approvedAndCommitted();
    const copy = '.specgate/approvals/0123456789abcdef.json';
    copyFileSync(path.join(w.repo.root, record), path.join(w.repo.root, copy));
    chmodSync(path.join(w.repo.root, copy), 0o755);
    await w.repo.git('add', copy);
    assert.equal((await w.repo.git('ls-files', '-s', copy)).slice(0, 6), '100755');
    const staged = await analyzeRepository({ cwd: w.repo.root, staged: true });
    assert.deepEqual(staged.changeSet.changes.map((c) => [c.path, c.newMode]), [[copy, '100755']]);
    const worktree = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(worktree.changeSet.changes.map((c) => c.path).sort(), [copy, 'src/app.ts']);
    await w.repo.git('commit', '-q', '--no-verify', '-m', 'an executable record');
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(
      [v.code, v.reason],
      [
        'tampered',
        `tampered approval: ${copy} has a record's name but is executable, which a record never is, so it counts as a file of the change and the change's digest moved; put back what approve wrote (git checkout -- ${copy}, or approve again) or delete it, then verify again`,
      ],
    );
  });

  it('counts an untracked executable copy of a record as a file of the change, as git add would, so the digest is the staged one', async () => {
    const record = await approvedAndCommitted();
    const copy = '.specgate/approvals/0123456789abcdef.json';
    copyFileSync(path.join(w.repo.root, record), path.join(w.repo.root, copy));
    chmodSync(path.join(w.repo.root, copy), 0o755);
    const worktree = await analyzeRepository({ cwd: w.repo.root });
    assert.deepEqual(worktree.changeSet.changes.map((c) => [c.path, c.status, c.newMode]), [[copy, 'added', '100755']]);
    await w.repo.git('add', copy);
    const staged = await analyzeRepository({ cwd: w.repo.root, staged: true });
    assert.equal(staged.report.digest, worktree.report.digest);
    // Not executable, the same copy is a record again (left out of the change).
    await w.repo.git('rm', '-q', '--cached', copy);
    chmodSync(path.join(w.repo.root, copy), 0o644);
    assert.deepEqual((await analyzeRepository({ cwd: w.repo.root })).changeSet.changes, []);
  });

  it('counts a committed record whose mode the change makes executable as a change', async () => {
    const record = await approvedAndCommitted();
    chmodSync(path.join(w.repo.root, record), 0o755);
    await w.repo.git('add', record);
    await w.repo.git('commit', '-q', '--no-verify', '-m', 'chmod');
    const r = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(r.changeSet.changes.map((c) => [c.path, c.newMode]).sort(), [[record, '100755'], ['src/app.ts', '100644']]);
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual([v.code, v.record], ['tampered', record]);
    assert.match(v.reason, /^tampered approval: \.specgate\/approvals\/[0-9a-f]{16}\.json has a record's name but is executable, which a record never is, /);
  });
});
