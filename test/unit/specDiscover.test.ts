// discoverSpecs / loadSpecs on real folders: git-listed (ignored and vendored folders are
// never read) and walked (untrusted workspaces), and files that must not crash loading.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Git } from '../../src/node/git';
import { discoverSpecs, discoverStagedSpecs, loadSpecs, stagedReader } from '../../src/node/specs';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const FIXTURE = path.resolve(__dirname, '../fixtures/specs/repo');
const PLAIN = '---\nscope:\n  - src/**\n---\n# A plain spec\n';
const LAYOUT_IDS = ['.kiro/specs/billing-retry', 'docs/specs/cache.md', 'openspec/changes/add-rate-limit', 'specs/001-export-csv'];

async function write(root: string, file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), content);
}

/** A named pipe: reading it blocks forever, so a test hangs if discovery reads it. */
function fifo(abs: string): void {
  execFileSync('mkfifo', [abs]);
}

describe('discoverSpecs with git', function () {
  let repo: TestRepo;
  before(async () => {
    repo = await makeRepo();
    await cp(FIXTURE, repo.root, { recursive: true });
    await repo.write('.gitignore', 'ignored/\n');
    // SpecGate's records, committed and not: a bundle's copy of a spec is not a spec.
    await repo.write('.specgate/reviews/cache-20260102-030405-0123abcd/spec/cache.md', PLAIN);
    await repo.write('.specgate/approvals/notes.md', PLAIN);
    await repo.commit('fixture');
    await repo.write('.specgate/reviews/cache-20260103-030405-4567abcd/spec/cache.md', PLAIN);
    await repo.write('.specgate/reviews/kiro/.kiro/specs/copy/tasks.md', '- [ ] 1. x\n');
    fifo(path.join(repo.root, '.specgate', 'reviews', 'cache-20260103-030405-4567abcd', 'spec', 'pipe.md'));
    await repo.write('node_modules/pkg/docs/spec.md', PLAIN);
    await repo.write('node_modules/pkg/.kiro/specs/x/tasks.md', '- [ ] 1. x\n');
    await repo.write('ignored/plan.md', PLAIN);
    await repo.write('untracked/plan.md', PLAIN);
    fifo(path.join(repo.root, 'ignored', 'pipe.md'));
    fifo(path.join(repo.root, 'node_modules', 'pkg', 'pipe.md'));
    fifo(path.join(repo.root, 'docs', 'pipe.md'));
    fifo(path.join(repo.root, '.kiro', 'specs', 'billing-retry', 'notes.md'));
  });
  after(async () => repo?.cleanup());

  it('finds every layout, tracked and untracked, and nothing ignored, vendored or in SpecGate\'s records', async () => {
    const found = await discoverSpecs(repo.root);
    assert.deepEqual(found.map((c) => c.id), [...LAYOUT_IDS.slice(0, 3), 'specs/001-export-csv', 'untracked/plan.md'].sort());
    assert.deepEqual(found.find((c) => c.id === 'docs/specs/cache.md'), { id: 'docs/specs/cache.md', format: 'plain', name: 'cache', files: ['docs/specs/cache.md'] });
  });

  it('lists the same whatever pathspec mode the caller\'s shell sets, and finds upper-case .MD files in nested folders', async () => {
    await repo.write('deep/er/PLAN.MD', PLAIN);
    try {
      const expected = [...LAYOUT_IDS.slice(0, 3), 'deep/er/PLAN.MD', 'specs/001-export-csv', 'untracked/plan.md'].sort();
      assert.deepEqual((await discoverSpecs(repo.root)).map((c) => c.id), expected);
      for (const mode of ['GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS', 'GIT_LITERAL_PATHSPECS']) {
        process.env[mode] = '1';
        try {
          assert.deepEqual((await discoverSpecs(repo.root)).map((c) => c.id), expected, mode);
        } finally {
          delete process.env[mode];
        }
      }
    } finally {
      await repo.rm('deep');
    }
  });

  it('leaves out spec files deleted from the work tree, and a spec whose files are all gone', async () => {
    await repo.rm('openspec/changes/add-rate-limit/design.md');
    await repo.rm('specs/001-export-csv');
    try {
      const found = await discoverSpecs(repo.root);
      assert.ok(!found.some((c) => c.id === 'specs/001-export-csv'));
      assert.deepEqual(found.find((c) => c.format === 'openspec')?.files, [
        'openspec/changes/add-rate-limit/proposal.md',
        'openspec/changes/add-rate-limit/specs/api/spec.md',
        'openspec/changes/add-rate-limit/tasks.md',
      ]);
    } finally {
      await repo.git('checkout', '--', '.');
    }
  });

  it('loads the specs it found into the model', async () => {
    const specs = await loadSpecs(repo.root, await discoverSpecs(repo.root));
    const kiro = specs.find((s) => s.format === 'kiro')!;
    assert.deepEqual(kiro.requirements.map((r) => [r.id, r.criteria.map((c) => c.id)]), [
      ['1', ['1.1', '1.2']],
      ['2', ['2.1', '2.2', '2.3']],
    ]);
    assert.deepEqual(kiro.tasks.map((t) => [t.id, t.state, t.requirements]), [
      ['1', 'done', ['1.1', '1.2']],
      ['2', 'in-progress', []],
      ['2.1', 'done', ['1.1', '2.1']],
      ['2.2', 'optional', ['2.2', '2.3']],
    ]);
    assert.ok(specs.every((s) => s.problems.length === 0));
  });
});

describe('discoverStagedSpecs (the index, what a commit would take)', function () {
  isolateGitConfig();
  let repo: TestRepo;
  const SCOPED = (glob: string) => `---\nscope:\n  - ${glob}\n---\n# Plain\n`;
  before(async () => {
    repo = await makeRepo({
      'docs/specs/cache.md': SCOPED('src/cache/**'),
      '.kiro/specs/k/requirements.md': '### Requirement 1: One\n',
      '.kiro/specs/k/tasks.md': '- [ ] 1. Do `src/k.ts`\n',
      '.kiro/specs/k/design.md': '# Design\n',
    });
    // Unstaged: the spec widened, a new plain spec, a new Kiro file.
    await repo.write('docs/specs/cache.md', SCOPED('src/**'));
    await repo.write('docs/specs/untracked.md', SCOPED('src/**'));
    await repo.write('.kiro/specs/k/notes.md', '# Notes\n');
    // Staged: a deletion (the file stays in the work tree), a new spec then removed from the
    // work tree, a symbolic link, a binary file, a big file, a bundle's copy of a spec.
    await repo.git('rm', '-q', '--cached', '.kiro/specs/k/design.md');
    await repo.write('docs/specs/staged.md', SCOPED('lib/**'));
    await repo.write('.kiro/specs/k/big.md', '- [ ] 9. big\n'.repeat(200_000));
    await repo.write('.kiro/specs/k/pic.md', Buffer.from([0x89, 0x50, 0, 0, 1, 2]));
    require('node:fs').symlinkSync('../../../docs/specs/cache.md', path.join(repo.root, '.kiro/specs/k/link.md'));
    await repo.write('.specgate/reviews/cache-20260102-030405-0123abcd/spec/cache.md', SCOPED('src/**'));
    await repo.git('add', '--', 'docs/specs/staged.md', '.kiro/specs/k/big.md', '.kiro/specs/k/pic.md', '.kiro/specs/k/link.md', '.specgate/reviews');
    await repo.rm('docs/specs/staged.md');
  });
  after(async () => repo?.cleanup());

  it('lists the index\'s spec files with their blob ids, and reads their texts from those blobs', async () => {
    const staged = await discoverStagedSpecs(await Git.open(repo.root));
    assert.deepEqual(staged.candidates, [
      { id: '.kiro/specs/k', format: 'kiro', name: 'k', files: ['.kiro/specs/k/big.md', '.kiro/specs/k/link.md', '.kiro/specs/k/pic.md', '.kiro/specs/k/requirements.md', '.kiro/specs/k/tasks.md'] },
      { id: 'docs/specs/cache.md', format: 'plain', name: 'cache', files: ['docs/specs/cache.md'] },
      { id: 'docs/specs/staged.md', format: 'plain', name: 'staged', files: ['docs/specs/staged.md'] },
    ]);
    for (const [f, entry] of staged.files) assert.equal(entry.blob, (await repo.git('rev-parse', `:${f}`)).trim(), f);
    assert.equal(staged.files.get('.kiro/specs/k/big.md')!.content, null);
    // A link is in the spec with the blob git stores (its target's name), and never read.
    assert.deepEqual(staged.files.get('.kiro/specs/k/link.md'), { blob: (await repo.git('rev-parse', ':.kiro/specs/k/link.md')).trim(), size: 0, content: null, link: true });
    assert.equal(staged.files.get('docs/specs/cache.md')!.content!.toString('utf8'), SCOPED('src/cache/**'));

    const specs = await loadSpecs(repo.root, staged.candidates, stagedReader(staged));
    assert.deepEqual(specs.map((s) => [s.id, s.scope.include]), [
      ['.kiro/specs/k', ['src/k.ts']],
      ['docs/specs/cache.md', ['src/cache/**']],
      ['docs/specs/staged.md', ['lib/**']],
    ]);
    assert.deepEqual(specs[0]!.problems.map((p) => p.message), [
      '`.kiro/specs/k/big.md`: 2.5 MB is over the 2 MB limit for spec files; not read',
      '`.kiro/specs/k/link.md`: a symbolic link; not read (spec files are read as git stores them)',
      '`.kiro/specs/k/pic.md`: binary file; not read',
    ]);
  });
});

describe('discoverSpecs without git (untrusted workspace walk)', function () {
  let root: string;
  before(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'specgate-walk-')));
    await cp(FIXTURE, root, { recursive: true });
    for (const dir of ['node_modules/p', 'vendor/v', 'dist', 'out', 'build', 'target', 'third_party/t', '.hidden', '.git/info']) {
      await write(root, `${dir}/spec.md`, PLAIN);
      fifo(path.join(root, dir, 'pipe.md'));
    }
    await write(root, '.specify/specs/feature/002-thing/spec.md', '# Spec\n\n- **FR-001**: System MUST work.\n');
    for (const dir of ['.specgate/reviews/cache-20260102-030405-0123abcd/spec', '.specgate/approvals', 'nested/repo/.specgate/reviews/cache-20260102-030405-0123abcd/spec']) {
      await write(root, `${dir}/cache.md`, PLAIN);
      fifo(path.join(root, dir, 'pipe.md'));
    }
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('walks the tree, reading .kiro and .specify but skipping vendored, build and other dot folders, and SpecGate\'s records (a nested repository\'s too)', async () => {
    const found = await discoverSpecs(root, { useGit: false });
    assert.deepEqual(found.map((c) => c.id), [...LAYOUT_IDS, '.specify/specs/feature/002-thing'].sort());
    const [sk] = await loadSpecs(root, found.filter((c) => c.id.startsWith('.specify')));
    assert.equal(sk.format, 'speckit');
    assert.deepEqual(sk.requirements.map((r) => r.id), ['FR-001']);
  });

  it('leaves out test data by default and what the ignore list names; an empty list reads it (walked as listed)', async () => {
    await write(root, 'test/fixtures/proj/docs/spec.md', PLAIN);
    await write(root, 'lib/testdata/plan.md', PLAIN);
    try {
      for (const useGit of [false, true]) {
        assert.deepEqual((await discoverSpecs(root, { useGit })).map((c) => c.id), [...LAYOUT_IDS, '.specify/specs/feature/002-thing'].sort(), `useGit ${useGit}`);
      }
      const all = await discoverSpecs(root, { useGit: false, ignore: [] });
      assert.deepEqual(all.map((c) => c.id), [...LAYOUT_IDS, '.specify/specs/feature/002-thing', 'lib/testdata/plan.md', 'test/fixtures/proj/docs/spec.md'].sort());
      // The list may still be being read (a promise); a folder named alone covers what it holds.
      const some = await discoverSpecs(root, { useGit: false, ignore: Promise.resolve(['.kiro/specs', 'docs/specs/cache.md', '**/testdata/**']) });
      assert.deepEqual(some.map((c) => c.id), ['.specify/specs/feature/002-thing', 'openspec/changes/add-rate-limit', 'specs/001-export-csv', 'test/fixtures/proj/docs/spec.md']);
      // A list that could not be read is the error (and no unhandled rejection on the way).
      await assert.rejects(discoverSpecs(root, { useGit: false, ignore: Promise.reject(new Error('bad config')) }), /^Error: bad config$/);
    } finally {
      await rm(path.join(root, 'test'), { recursive: true });
      await rm(path.join(root, 'lib'), { recursive: true });
    }
  });

  it('falls back to the walk when the folder is not a git repository', async () => {
    const found = await discoverSpecs(root);
    assert.equal(found.length, 5);
  });
});

describe('loadSpecs with files that must not crash it', function () {
  let root: string;
  before(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'specgate-bad-')));
  });
  after(async () => rm(root, { recursive: true, force: true }));

  const one = async (files: Record<string, string | Buffer>) => {
    await rm(path.join(root, '.kiro'), { recursive: true, force: true });
    for (const [f, c] of Object.entries(files)) await write(root, f, c);
    const found = await discoverSpecs(root, { useGit: false });
    return { found, specs: await loadSpecs(root, found) };
  };

  it('reports a binary tasks.md as a problem and reads the rest', async () => {
    const bin = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]);
    const { specs } = await one({ '.kiro/specs/a/tasks.md': bin, '.kiro/specs/a/requirements.md': '### Requirement 1\n' });
    assert.equal(specs.length, 1);
    assert.deepEqual(specs[0].problems, [{ file: '.kiro/specs/a/tasks.md', line: 1, message: '`.kiro/specs/a/tasks.md`: binary file; not read' }]);
    assert.deepEqual(specs[0].requirements.map((r) => r.id), ['1']);
    assert.deepEqual(specs[0].tasks, []);
  });

  it('reports a 5 MB tasks.md as a problem without reading it', async () => {
    const big = '- [ ] 1. task\n'.repeat(Math.ceil((5 * 1024 * 1024) / 14));
    const started = Date.now();
    const { specs } = await one({ '.kiro/specs/a/tasks.md': big });
    assert.ok(Date.now() - started < 2000);
    assert.equal(specs[0].problems.length, 2);
    assert.match(specs[0].problems[0].message, /^`\.kiro\/specs\/a\/tasks\.md`: 5\.0 MB is over the 2 MB limit for spec files; not read$/);
    assert.match(specs[0].problems[1].message, /has no readable spec file/);
    // At the file that was not read, which code scanning can show, not at the spec's folder.
    assert.deepEqual([specs[0].problems[1].file, specs[0].problems[1].line], ['.kiro/specs/a/tasks.md', 1]);
    assert.deepEqual(specs[0].tasks, []);
  });

  it('reports an unreadable spec file as a problem', async function () {
    if (process.getuid?.() === 0) {
      // root reads mode-000 files; a path under a file gives the same "cannot be read" path.
      await rm(path.join(root, '.kiro'), { recursive: true, force: true });
      await write(root, '.kiro/specs/a/requirements.md', '### Requirement 1\n');
      const found = await discoverSpecs(root, { useGit: false });
      const specs = await loadSpecs(root, [{ ...found[0], files: [...found[0].files, '.kiro/specs/a/requirements.md/tasks.md'] }]);
      assert.match(specs[0].problems[0].message, /^`\.kiro\/specs\/a\/requirements\.md\/tasks\.md`: cannot be read \(ENOTDIR\); not read$/);
      return;
    }
    const { chmod } = await import('node:fs/promises');
    await one({ '.kiro/specs/a/tasks.md': '- [ ] 1. x\n' });
    await chmod(path.join(root, '.kiro/specs/a/tasks.md'), 0);
    const specs = await loadSpecs(root, await discoverSpecs(root, { useGit: false }));
    assert.match(specs[0].problems[0].message, /cannot be read \(EACCES\)/);
  });

  it('does not find an empty spec folder', async () => {
    await rm(path.join(root, '.kiro'), { recursive: true, force: true });
    await mkdir(path.join(root, '.kiro/specs/empty'), { recursive: true });
    assert.deepEqual(await discoverSpecs(root, { useGit: false }), []);
  });
});
