// The CI gate's base ref cannot be stood in for by a ref the change's author pushed: a tag
// named `origin/main` (a CI clone with fetch-depth: 0 fetches every tag) comes before the
// remote-tracking branch in git's lookup, and would make the change's own commit the trust
// base, with the change's own key in its allowed_signers. Real repository, real keys.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { UsageError } from '../../src/core/model';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

describe('verify --base: a ref name git could read two ways', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  /** main as CI sees it (refs/remotes/origin/main); the assistant's branch adds its own key, tags that commit `origin/main`, and changes the code. */
  async function attack(): Promise<{ main: string; tagged: string }> {
    w = await freshWorld();
    const main = (await w.repo.git('rev-parse', 'HEAD')).trim();
    await w.repo.git('update-ref', 'refs/remotes/origin/main', main);
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('.specgate/allowed_signers', `${w.keys.alice.line('alice@example.com')}${w.keys.mallory.line('mallory@example.net')}`);
    const tagged = await w.repo.commit('another reviewer');
    await w.repo.git('tag', 'origin/main', tagged);
    await w.repo.write('src/app.ts', 'export const a = "unreviewed";\n');
    await w.repo.commit('the change');
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root, base: 'refs/tags/origin/main' }), { out: path.join(w.scratch, 'reviews') });
    await approve({ cwd: w.repo.root, path: dir, key: w.keys.mallory.key, ssh: { env: w.env, interactive: false } });
    return { main, tagged };
  }

  it('refuses `--base origin/main` when a tag of that name points elsewhere, naming both refs', async () => {
    const { main, tagged } = await attack();
    await assert.rejects(
      verify({ cwd: w.repo.root, base: 'origin/main' }),
      (e: unknown) =>
        e instanceof UsageError &&
        e.message ===
          `ambiguous revision 'origin/main': 'refs/tags/origin/main' (${tagged.slice(0, 12)}) and 'refs/remotes/origin/main' (${main.slice(0, 12)}) differ; pass the full ref name (e.g. 'refs/remotes/origin/main')`,
    );
    // Through the CLI: exit 2, one line, never "approved".
    const r = await w.cli(['verify', '--base', 'origin/main~0']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^specgate: ambiguous revision 'origin\/main': /);
    assert.doesNotMatch(r.stdout + r.stderr, /approved by/);
  });

  it('verifies from the ref the full name gives: the assistant’s key is untrusted there', async () => {
    await attack();
    const v = await verify({ cwd: w.repo.root, base: 'refs/remotes/origin/main' });
    assert.equal(v.ok, false);
    // The change now includes the allowed_signers edit, so mallory's record (for the smaller change) is not for it.
    assert.equal(v.code, 'no-approval', v.reason);
  });

  it('takes a name that two refs share when they point at the same commit', async () => {
    w = await freshWorld();
    const main = (await w.repo.git('rev-parse', 'HEAD')).trim();
    await w.repo.git('update-ref', 'refs/remotes/origin/main', main);
    await w.repo.git('tag', 'origin/main', main);
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    const v = await verify({ cwd: w.repo.root, base: 'origin/main' });
    assert.equal(v.code, 'no-approval', v.reason);
  });
});
