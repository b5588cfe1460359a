// A bundle's spec/ holds the bytes the analysis read, parsed and digested: a spec edited
// between the analysis and the writing does not change it.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeDigest } from '../../src/core/digest';
import { gitBlobId } from '../../src/core/gitblob';
import { specCopyPath, writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { loadSpecs, WorktreeSpecFiles } from '../../src/node/specs';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const KIRO = '.kiro/specs/cache';
const REQS = '### Requirement 1: Cache\n\n#### Acceptance Criteria\n\n1. WHEN asked twice THEN the system SHALL answer from the cache\n';
const TASKS = '- [ ] 1. Add the cache in `src/cache.ts`\n  - _Requirements: 1.1_\n';

/** Every file under `dir`, relative, with `/`. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)],
  );
}

describe('bundle spec/ copy: the bytes the analysis read', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ [`${KIRO}/requirements.md`]: REQS, [`${KIRO}/tasks.md`]: TASKS, [`${KIRO}/.config.kiro`]: '{"specId":"x"}\n', 'src/app.ts': 'x\n' });
    await repo.write('src/cache.ts', 'export const cache = new Map();\n');
  });
  afterEach(async () => repo?.cleanup());

  it('spec/ hashes to the digest\'s spec blobs even when the spec is edited before the bundle is written', async () => {
      const analysis = await analyzeRepository({ cwd: repo.root });
      assert.deepEqual(analysis.spec.scope.include, ['src/cache.ts']);
      // The spec changes on disk (and in the index) after the analysis, before the writing.
      await repo.write(`${KIRO}/tasks.md`, '- [ ] 1. Rewrite everything in `src/**`\n');
      await repo.write(`${KIRO}/.config.kiro`, '{"specId":"y"}\n');
      const dir = await writeBundle(analysis);

      const copied = filesUnder(path.join(dir, 'spec')).sort();
      assert.deepEqual(copied, ['.config.kiro', 'requirements.md', 'tasks.md']);
      assert.equal(readFileSync(path.join(dir, 'spec', 'tasks.md'), 'utf8'), TASKS);
      // The digest recomputed from the copied files' blob ids is the report's.
      const blobs: Record<string, string> = {};
      for (const f of analysis.spec.files) blobs[f] = gitBlobId(readFileSync(path.join(dir, 'spec', specCopyPath(analysis.spec.id, f))));
      assert.equal(computeDigest(analysis.changeSet.changes, blobs), analysis.report.digest);
      const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8')) as { digest: string };
      assert.equal(packet.digest, analysis.report.digest);
      // And the spec as it is now is another digest: the copy is not just any spec.
      assert.notEqual((await analyzeRepository({ cwd: repo.root })).report.digest, analysis.report.digest);
  });

  it('never follows a symlinked spec file: a spec problem, not parsed or copied, bound as git stores it', async () => {
    const secret = path.join(repo.root, '..', 'home', 'secret.md');
    writeFileSync(secret, '- [ ] 9. TOP SECRET in `etc/shadow`\n');
    await repo.rm(`${KIRO}/tasks.md`);
    symlinkSync(secret, path.join(repo.root, KIRO, 'tasks.md'));
    const candidate = { id: KIRO, format: 'kiro' as const, name: 'cache', files: [`${KIRO}/requirements.md`, `${KIRO}/tasks.md`] };
    // The same with the default reader (the specs command, the editor) and the analysis's.
    const files = (): WorktreeSpecFiles => new WorktreeSpecFiles(repo.root);
    for (const reader of [undefined, () => files().reader]) {
      const [spec] = await loadSpecs(repo.root, [candidate], reader?.());
      assert.deepEqual(spec!.tasks, []);
      assert.deepEqual(spec!.problems.map((p) => p.message), [`\`${KIRO}/tasks.md\`: a symbolic link; not read (spec files are read as git stores them)`]);
    }
    const snap = await files().snapshot([`${KIRO}/requirements.md`, `${KIRO}/tasks.md`]);
    assert.deepEqual(Object.keys(snap.blobs).sort(), [`${KIRO}/requirements.md`, `${KIRO}/tasks.md`]);
    // The link is bound by the blob git stores for it (its target's name), never the target's bytes.
    await repo.git('add', '--', `${KIRO}/tasks.md`);
    assert.equal(snap.blobs[`${KIRO}/tasks.md`], (await repo.git('rev-parse', `:${KIRO}/tasks.md`)).trim());
    assert.deepEqual([...snap.contents.keys()], [`${KIRO}/requirements.md`]);
  });

  it('binds a spec file over 2 MB by its blob id without keeping or copying it', async () => {
    const big = `# Notes\n\n${'n'.repeat(99).concat('\n').repeat(22_000)}`;
    await repo.write(`${KIRO}/notes.md`, big);
    const analysis = await analyzeRepository({ cwd: repo.root });
    assert.ok(analysis.spec.files.includes(`${KIRO}/notes.md`));
    assert.ok(!analysis.specContents.has(`${KIRO}/notes.md`));
    const blobs: Record<string, string> = {};
    for (const f of analysis.spec.files) blobs[f] = gitBlobId(readFileSync(path.join(repo.root, f)));
    assert.equal(blobs[`${KIRO}/notes.md`], (await repo.git('hash-object', '--', `${KIRO}/notes.md`)).trim());
    assert.equal(computeDigest(analysis.changeSet.changes, blobs), analysis.report.digest);
    const dir = await writeBundle(analysis);
    assert.deepEqual(filesUnder(path.join(dir, 'spec')).sort(), ['.config.kiro', 'requirements.md', 'tasks.md']);
  });
});
