// --staged reads the spec a commit would take: a big plain spec is found as in the working
// tree, and files only marked `git add -N` (intent to add) are not part of it.
import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/core/model';
import { analyzeRepository } from '../../src/node/engine';
import { Git } from '../../src/node/git';
import { discoverSpecs, discoverStagedSpecs, loadSpecs, stagedProblems, stagedReader } from '../../src/node/specs';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const KIRO = '.kiro/specs/feat';
const REQS = '### Requirement 1: X\n\n#### Acceptance Criteria\n\n1. WHEN a THEN the system SHALL b\n';
const TASKS = '- [ ] 1. Do `src/x.ts`\n  - _Requirements: 1.1_\n';
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';

/** A plain spec over the 2 MB limit whose front matter declares scope. */
function bigPlainSpec(): string {
  return `---\nscope:\n  - src/**\n---\n# Big\n\n${'x'.repeat(99).concat('\n').repeat(22_000)}`;
}

describe('--staged: the spec a commit would take', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  afterEach(async () => repo?.cleanup());

  it('binds a symlinked spec file by the blob git stores for it, staged and in the working tree alike', async () => {
    repo = await makeRepo({ [`${KIRO}/requirements.md`]: REQS, 'notes/tasks.md': TASKS, 'a.txt': 'a\n' });
    require('node:fs').symlinkSync('../../../notes/tasks.md', require('node:path').join(repo.root, KIRO, 'tasks.md'));
    await repo.write('src/x.ts', 'x\n');
    await repo.git('add', '-A');
    const staged = await analyzeRepository({ cwd: repo.root, staged: true });
    const worktree = await analyzeRepository({ cwd: repo.root });
    assert.deepEqual(staged.spec.files, [`${KIRO}/requirements.md`, `${KIRO}/tasks.md`]);
    assert.deepEqual(staged.spec.problems.map((p) => p.message), [`\`${KIRO}/tasks.md\`: a symbolic link; not read (spec files are read as git stores them)`]);
    assert.deepEqual(worktree.spec.problems, staged.spec.problems);
    assert.equal(staged.report.digest, worktree.report.digest);
  });

  it('finds a plain spec over 2 MB from its head, as the working tree does, and reports it as not read', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await repo.write('docs/big.md', bigPlainSpec());
    await repo.write('src/x.ts', 'x\n');
    await repo.git('add', 'docs/big.md', 'src/x.ts');
    const git = await Git.open(repo.root);
    const inTree = await discoverSpecs(repo.root);
    const staged = await discoverStagedSpecs(git);
    assert.deepEqual(staged.candidates, inTree);
    assert.deepEqual(staged.candidates.map((c) => c.id), ['docs/big.md']);
    const [spec] = await loadSpecs(repo.root, staged.candidates, stagedReader(staged));
    assert.deepEqual(spec!.problems.map((p) => p.message), ['`docs/big.md`: 2.1 MB is over the 2 MB limit for spec files; not read', '`docs/big.md` has no readable spec file']);

    // Only in the index (gone from the work tree): still the staged spec, same digest as before.
    const before = await analyzeRepository({ cwd: repo.root, staged: true });
    await repo.rm('docs/big.md');
    const after = await analyzeRepository({ cwd: repo.root, staged: true });
    assert.equal(after.spec.id, 'docs/big.md');
    assert.equal(after.report.digest, before.report.digest);
  });

  it('leaves out spec files only marked git add -N, as git commit does, and says so', async () => {
    repo = await makeRepo({ [`${KIRO}/requirements.md`]: REQS, [`${KIRO}/design.md`]: '# Design\n', 'a.txt': 'a\n' });
    await repo.write(`${KIRO}/tasks.md`, TASKS);
    await repo.write(`${KIRO}/empty.md`, '');
    await repo.write('src/x.ts', 'x\n');
    await repo.git('add', 'src/x.ts', `${KIRO}/empty.md`);
    // A new file marked intent-to-add, and a tracked one turned into one (a commit deletes it).
    await repo.git('add', '-N', `${KIRO}/tasks.md`);
    await repo.git('rm', '-q', '--cached', `${KIRO}/design.md`);
    await repo.git('add', '-N', `${KIRO}/design.md`);
    assert.equal((await repo.git('rev-parse', `:${KIRO}/tasks.md`)).trim(), EMPTY_BLOB);

    const staged = await discoverStagedSpecs(await Git.open(repo.root));
    assert.deepEqual(staged.candidates.map((c) => [c.id, c.files]), [[KIRO, [`${KIRO}/empty.md`, `${KIRO}/requirements.md`]]]);
    assert.deepEqual([...staged.intentToAdd], [[KIRO, [`${KIRO}/design.md`, `${KIRO}/tasks.md`]]]);
    const [spec] = await loadSpecs(repo.root, staged.candidates, stagedReader(staged), stagedProblems(staged));
    assert.deepEqual(spec!.problems.map((p) => p.file), [`${KIRO}/design.md`, `${KIRO}/tasks.md`]);
    assert.match(spec!.problems[1]!.message, /^\.kiro\/specs\/feat\/tasks\.md: only marked with git add -N \(intent to add\), which a commit does not take/);

    const a = await analyzeRepository({ cwd: repo.root, staged: true });
    assert.deepEqual(a.spec.files, [`${KIRO}/empty.md`, `${KIRO}/requirements.md`]);
    assert.deepEqual(a.spec.tasks, []);
    assert.deepEqual(
      a.report.findings.filter((f) => f.kind === 'spec-problem' && f.path.endsWith('tasks.md')).map((f) => f.rule),
      ['SG401'],
    );
    assert.deepEqual(a.report.changes.map((c) => [c.path, c.status]), [
      [`${KIRO}/design.md`, 'deleted'],
      [`${KIRO}/empty.md`, 'added'],
      ['src/x.ts', 'added'],
    ]);
    // The commit takes exactly the spec files the staged analysis read.
    await repo.git('commit', '-q', '-m', 'take');
    assert.deepEqual((await repo.git('ls-tree', '-r', '--name-only', 'HEAD', '--', KIRO)).split('\n').filter(Boolean), a.spec.files);
  });

  it('stops with a usage error naming a spec whose files are all only marked git add -N (before the first commit too)', async () => {
    repo = await makeRepo();
    await repo.write('docs/plan.md', '---\nscope:\n  - src/**\n---\n# Plan\n');
    await repo.write('src/x.ts', 'x\n');
    await repo.git('add', 'src/x.ts');
    await repo.git('add', '-N', 'docs/plan.md');
    await assert.rejects(
      analyzeRepository({ cwd: repo.root, staged: true }),
      (e: Error) => e instanceof UsageError && /^no spec found .*not in the index: docs\/plan\.md, whose files are only marked with git add -N.*git add them\)$/.test(e.message) && !e.message.includes('\n'),
    );
    // Staged for real, it is the spec.
    await repo.git('add', 'docs/plan.md');
    assert.equal((await analyzeRepository({ cwd: repo.root, staged: true })).spec.id, 'docs/plan.md');
  });
});
