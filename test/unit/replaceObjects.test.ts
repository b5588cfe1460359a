// `git replace` makes git show one object's content under another's id. The digest binds
// ids, so a review read through a replacement would show the reviewer other code than the
// approval binds, and a clone (no refs/replace/) then holds the real one. SpecGate reads
// every object as it is. Real repository, real keys.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

describe('git replace: the review shows the objects the digest binds', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  const EVIL = 'export const a = 2; globalThis.pwned = 1;\n';
  const SHOWN = 'export const a = 2;\n';

  async function stageReplaced(): Promise<string> {
    w = await freshWorld();
    const hash = (text: string) => execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: w.repo.root, env: w.env, input: text }).toString().trim();
    const evil = hash(EVIL);
    await w.repo.git('replace', evil, hash(SHOWN));
    await w.repo.git('update-index', '--cacheinfo', `100644,${evil},src/app.ts`);
    await w.repo.write('src/app.ts', SHOWN);
    // git itself now shows the replacement for the staged blob.
    assert.equal(await w.repo.git('cat-file', 'blob', evil), SHOWN);
    return evil;
  }

  it('bundles the staged blob’s real content, in REVIEW.md and changes.patch, under the id the digest binds', async () => {
    const evil = await stageReplaced();
    const analysis = await analyzeRepository({ cwd: w.repo.root, staged: true });
    const change = analysis.changeSet.changes.find((c) => c.path === 'src/app.ts')!;
    assert.equal(change.newBlob, evil);
    const dir = await writeBundle(analysis, { out: path.join(w.scratch, 'reviews') });
    assert.match(readFileSync(path.join(dir, 'REVIEW.md'), 'utf8'), /^\+export const a = 2; globalThis\.pwned = 1;$/m);
    const patch = readFileSync(path.join(dir, 'changes.patch'), 'utf8');
    assert.match(patch, /^\+export const a = 2; globalThis\.pwned = 1;$/m);
    assert.doesNotMatch(patch, /^\+export const a = 2;$/m);
  });
});
