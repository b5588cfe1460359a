// A file whose committed blob git's clean conversion would change (`$Id: …$` under `ident`,
// CRLF under `text`) is bound by the blob the commit holds, not by the bytes `git add` would
// store anew: else a commit with a payload inside `$Id: …$` passed `verify --base` with the
// approval of the blob without it. Real repository, real keys.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

describe('the digest binds the blob a commit holds, whatever git would store on add', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  async function approvedBranch(attributes: string, reviewed: string): Promise<void> {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('.gitattributes', attributes);
    await w.repo.write('src/app.ts', reviewed);
    await w.repo.commit('the reviewed change');
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root, base: 'main' }), { out: path.join(w.scratch, 'reviews') });
    await approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, ssh: { env: w.env, interactive: false } });
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
  }

  /** Commits `bytes` as src/app.ts's blob as is (no clean conversion) and checks it out, as a CI clone would have it. */
  async function commitRawBlob(bytes: string): Promise<string> {
    const id = execFileSync('git', ['hash-object', '-w', '--no-filters', '--stdin'], { cwd: w.repo.root, env: w.env, input: bytes }).toString().trim();
    await w.repo.git('update-index', '--cacheinfo', `100644,${id},src/app.ts`);
    await w.repo.git('commit', '-q', '--no-verify', '-m', 'payload');
    await w.repo.rm('src/app.ts');
    await w.repo.git('checkout', '--', 'src/app.ts');
    return id;
  }

  it('refuses a commit that hides code inside $Id: …$ under an ident attribute', async () => {
    await approvedBranch('* ident\n', 'export const a = "$Id$";\n');
    const payload = 'export const a = "$Id: "; globalThis.pwned = 1; "$";\n';
    const id = await commitRawBlob(payload);
    assert.equal(await w.repo.git('show', 'HEAD:src/app.ts'), payload);
    const r = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
    assert.equal(r.changeSet.changes.find((c) => c.path === 'src/app.ts')?.newBlob, id);
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(v.ok, false);
    assert.equal(v.code, 'stale', v.reason);
  });

  it('refuses a commit whose $Id:…$ payload a checkout expands away: the work tree holds what that blob checks out as', async () => {
    await approvedBranch('* ident\n', 'export const a = "$Id$";\n');
    const payload = 'export const a = "$Id:";globalThis.pwned=1;"$";\n';
    const id = await commitRawBlob(payload);
    assert.equal(await w.repo.git('show', 'HEAD:src/app.ts'), payload);
    // The checkout shows no trace of it, and git add would store the approved blob.
    assert.match(readFileSync(path.join(w.repo.root, 'src/app.ts'), 'utf8'), /^export const a = "\$Id: [0-9a-f]{40} \$";\n$/);
    const r = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
    assert.equal(r.changeSet.changes.find((c) => c.path === 'src/app.ts')?.newBlob, id);
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'stale');
  });

  it('refuses a commit whose blob holds CRLF line ends that a text attribute would store as LF', async () => {
    await approvedBranch('*.ts text eol=lf\n', 'export const a = 1;\nexport const b = 2;\n');
    const id = await commitRawBlob('export const a = 1;\r\nexport const b = 2;\r\n');
    const r = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
    assert.equal(r.changeSet.changes.find((c) => c.path === 'src/app.ts')?.newBlob, id);
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'stale');
  });

  it('binds an edited file as git add would store it, so the working-tree digest is the staged one', async () => {
    await approvedBranch('*.ts text eol=lf\n', 'export const a = 1;\n');
    await w.repo.write('src/app.ts', 'export const a = 2;\r\n');
    const worktree = (await analyzeRepository({ cwd: w.repo.root, base: 'main' })).report.digest;
    await w.repo.git('add', 'src/app.ts');
    const staged = (await analyzeRepository({ cwd: w.repo.root, staged: true })).changeSet.changes.find((c) => c.path === 'src/app.ts')?.newBlob;
    const again = (await analyzeRepository({ cwd: w.repo.root, base: 'main' }));
    assert.equal(again.report.digest, worktree);
    assert.equal(again.changeSet.changes.find((c) => c.path === 'src/app.ts')?.newBlob, staged);
  });
});
