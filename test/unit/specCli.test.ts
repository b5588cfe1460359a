// `specgate specs`: the built CLI on a temp repository holding one spec of each layout
// (test/fixtures/specs/repo), JSON and text output, and bad --cwd.
import { strict as assert } from 'node:assert';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { checkJson, cliBuilt, runCli } from './helpers/checkCli';

const FIXTURE = path.resolve(__dirname, '../fixtures/specs/repo');

describe('specgate specs (built CLI)', function () {
  let repo: TestRepo;

  before(async function () {
    if (!cliBuilt()) {
      console.warn('  skipped: dist/cli.js is missing (run npm run build)');
      this.skip();
    }
    repo = await makeRepo();
    await cp(FIXTURE, repo.root, { recursive: true });
    await repo.commit('specs of every layout');
  });
  after(async () => repo?.cleanup());

  it('prints every spec with its counts and scope as JSON, from a subfolder', async () => {
    const r = await runCli(repo, ['specs', '--cwd', path.join(repo.root, 'src'), '--json']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        id: '.kiro/specs/billing-retry',
        format: 'kiro',
        name: 'billing-retry',
        files: ['.kiro/specs/billing-retry/design.md', '.kiro/specs/billing-retry/requirements.md', '.kiro/specs/billing-retry/tasks.md'],
        requirements: 2,
        criteria: 5,
        tasks: 4,
        tasksDone: 2,
        scope: { include: ['src/billing/retry.ts', 'src/billing/client.ts', 'test/billing.test.ts'], exclude: ['infra/**'], protected: [] },
        problems: 0,
      },
      {
        id: 'docs/specs/cache.md',
        format: 'plain',
        name: 'cache',
        files: ['docs/specs/cache.md'],
        requirements: 0,
        criteria: 0,
        tasks: 2,
        tasksDone: 1,
        scope: { include: ['src/cache/lru.ts', 'src/cache/**', 'src/config.ts'], exclude: ['src/db/**'], protected: ['migrations/**'] },
        problems: 0,
      },
      {
        id: 'openspec/changes/add-rate-limit',
        format: 'openspec',
        name: 'add-rate-limit',
        files: [
          'openspec/changes/add-rate-limit/design.md',
          'openspec/changes/add-rate-limit/proposal.md',
          'openspec/changes/add-rate-limit/specs/api/spec.md',
          'openspec/changes/add-rate-limit/tasks.md',
        ],
        requirements: 2,
        criteria: 3,
        tasks: 3,
        tasksDone: 1,
        scope: { include: ['src/api/limit.ts', 'src/api/server.ts'], exclude: ['src/db/**'], protected: [] },
        problems: 0,
      },
      {
        id: 'specs/001-export-csv',
        format: 'speckit',
        name: '001-export-csv',
        files: ['specs/001-export-csv/plan.md', 'specs/001-export-csv/spec.md', 'specs/001-export-csv/tasks.md'],
        requirements: 4,
        criteria: 2,
        tasks: 4,
        tasksDone: 2,
        scope: {
          include: ['src/export/**', 'src/export/csv.ts', 'src/reports/routes.ts', 'tests/export/csv.test.ts', 'src/export/index.ts', 'tests/export/**'],
          exclude: ['src/reports/pdf.ts'],
          protected: [],
        },
        problems: 0,
      },
    ]);
  });

  it('prints one text block per spec without --json', async () => {
    const r = await runCli(repo, ['specs', '--cwd', repo.root]);
    assert.equal(r.code, 0);
    const blocks = r.stdout.trim().split(/\n\n/);
    assert.equal(blocks.length, 4);
    assert.match(blocks[0], /^\.kiro\/specs\/billing-retry {2}\(kiro\)\n {2}files: 3 {2}requirements: 2 \(5 criteria\) {2}tasks: 2\/4 done\n/);
    assert.match(blocks[0], /\n {4}- infra\/\*\*$/m);
    assert.match(blocks[3], /^specs\/001-export-csv {2}\(speckit\)/);
  });

  it('says "1 criterion", not "1 criteria"', async () => {
    await repo.write('.kiro/specs/one-rule/requirements.md', '# Requirements\n\n### Requirement 1: One\n\n#### Acceptance Criteria\n\n1. WHEN a THE system SHALL b\n');
    try {
      const text = (await runCli(repo, ['specs', '--cwd', repo.root])).stdout;
      assert.match(text, /^\.kiro\/specs\/one-rule {2}\(kiro\)\n {2}files: 1 {2}requirements: 1 \(1 criterion\) {2}tasks: 0\/0 done\n/m);
    } finally {
      await repo.git('clean', '-fdq', '--', '.kiro/specs/one-rule');
    }
  });

  it('shows a spec folder named with terminal escapes, bidi controls and a backslash as visible text', async () => {
    const name = 'evil\x1b[2J\u009b31m\u202egnp\\nx';
    await repo.write(`.kiro/specs/${name}/tasks.md`, '- [ ] 1. Do it in `src/a.ts`\n');
    try {
      const text = (await runCli(repo, ['specs', '--cwd', repo.root])).stdout;
      assert.ok(text.includes('.kiro/specs/evil\\u{1b}[2J\\u{9b}31m\\u{202e}gnp\\\\nx  (kiro)\n'), text);
      assert.doesNotMatch(text, /[\x1b\u009b\u202e]/);
    } finally {
      await repo.git('clean', '-fdq', '--', '.kiro/specs');
    }
  });

  it('shows a named route path as the spec wrote it and a glob as written; --json keeps the escaped globs that match', async () => {
    await repo.write('.kiro/specs/blog/tasks.md', '- [ ] 1. Post page `app/blog/[slug]/page.tsx`, product pages `app/shop/[product-id]/`\n');
    await repo.write(
      '.kiro/specs/blog/design.md',
      ['---', 'scope:', '  - src/**/*.ts', '  - app/[lang]/layout.tsx', '---', '# Design', '', '## Non-Goals', '', '- `app/(marketing)/legacy/`', ''].join('\n'),
    );
    try {
      const text = (await runCli(repo, ['specs', '--cwd', repo.root])).stdout;
      const block = text.split(/\n\n/).find((b) => b.startsWith('.kiro/specs/blog '));
      assert.equal(
        block?.split('\n').slice(2).join('\n'),
        [
          '  scope: 4 include, 1 exclude, 0 protected',
          '    + app/blog/[slug]/page.tsx',
          '    + app/shop/[product-id]/**',
          '    + src/**/*.ts',
          '    + app/[lang]/layout.tsx',
          '    - app/(marketing)/legacy/**',
        ].join('\n'),
      );
      const json = JSON.parse((await runCli(repo, ['specs', '--json'])).stdout);
      assert.deepEqual(json.find((s: { id: string }) => s.id === '.kiro/specs/blog').scope, {
        include: ['app/blog/\\[slug\\]/page.tsx', 'app/shop/\\[product-id\\]/**', 'src/**/*.ts', 'app/[lang]/layout.tsx'],
        exclude: ['app/\\(marketing\\)/legacy/**'],
        protected: [],
      });
    } finally {
      await repo.git('clean', '-fdq', '--', '.kiro/specs/blog');
    }
  });

  it('lists a spec problem (a reference to a requirement that does not exist) with its line', async () => {
    await repo.write('.kiro/specs/billing-retry/tasks.md', '- [ ] 1. Retry\n  - _Requirements: 1.1, 7.4_\n');
    try {
      const json = JSON.parse((await runCli(repo, ['specs', '--json'])).stdout);
      assert.equal(json[0].problems, 1);
      const text = (await runCli(repo, ['specs'])).stdout;
      assert.match(text, /problems: 1\n {4}\.kiro\/specs\/billing-retry\/tasks\.md:2 {2}task 1 references requirement 7\.4, which does not exist/);
    } finally {
      await repo.git('checkout', '--', '.kiro/specs/billing-retry/tasks.md');
    }
  });

  it('counts a spec that declares no scope as a problem, as check does', async () => {
    await repo.write('.kiro/specs/empty/tasks.md', '- [ ] 1. Do something\n');
    try {
      const json = JSON.parse((await runCli(repo, ['specs', '--json'])).stdout) as { id: string; problems: number }[];
      assert.equal(json.find((s) => s.id === '.kiro/specs/empty')?.problems, 1);
      const text = (await runCli(repo, ['specs'])).stdout;
      assert.match(text, /\.kiro\/specs\/empty {2}\(kiro\)\n(?:.*\n){2} {2}problems: 1\n {4}\.kiro\/specs\/empty\/tasks\.md {2}Spec \.kiro\/specs\/empty declares no scope \(no scope globs, no paths in tasks\): every change is out of scope\.\n/);
    } finally {
      await repo.git('clean', '-fdq', '--', '.kiro/specs/empty');
    }
  });

  it('says so when a folder has no spec', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'specgate-nospec-'));
    try {
      const r = await runCli(repo, ['specs', '--cwd', empty, '--json']);
      assert.equal(r.code, 0);
      assert.deepEqual(JSON.parse(r.stdout), []);
      const t = await runCli(repo, ['specs', '--cwd', empty]);
      assert.match(t.stdout, /^no specs found in /);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('with no spec, names a folder laid out almost as one and what to rename it to (specs, check and bundle alike)', async () => {
    const other = await makeRepo({ 'specs/feature-x/spec.md': '# Feature Specification: X\n', 'specs/feature-x/tasks.md': '- [ ] T001 Do it\n', 'src/a.ts': 'export const a = 1;\n' });
    try {
      await other.write('src/a.ts', 'export const a = 2;\n');
      const hint = 'specs/feature-x/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-feature-x/';
      const t = await runCli(other, ['specs']);
      assert.equal(t.code, 0);
      assert.equal(t.stdout.split('\n')[2], `${hint}.`);
      for (const args of [['check'], ['bundle'], ['check', '--staged']]) {
        const r = await runCli(other, args);
        assert.equal(r.code, 2, args.join(' '));
        assert.equal(r.stderr, `specgate: no spec found in this repository; ${hint}\n`, args.join(' '));
      }
    } finally {
      await other.cleanup();
    }
  });

  it('beside a spec it reads, `specs` names a folder laid out almost as one, numbered past the others', async () => {
    const other = await makeRepo({
      'specs/001-export/spec.md': '# Feature Specification: Export\n',
      'specs/001-export/tasks.md': '- [ ] T001 Export in src/a.ts\n',
      'specs/feature-x/spec.md': '# Feature Specification: X\n',
      'src/a.ts': 'export const a = 1;\n',
    });
    try {
      const t = await runCli(other, ['specs']);
      assert.equal(t.code, 0);
      const lines = t.stdout.split('\n');
      assert.equal(lines[0], 'specs/001-export  (speckit)');
      assert.deepEqual(lines.slice(-3), ['', 'not read: specs/feature-x/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/002-feature-x/', '']);
      // The JSON lists the specs read, as before.
      assert.deepEqual(JSON.parse((await runCli(other, ['specs', '--json'])).stdout).map((s: { id: string }) => s.id), ['specs/001-export']);
    } finally {
      await other.cleanup();
    }
  });

  it('test data is not a spec by default (ignoreSpecs): check reviews against the one spec, --spec of a fixture says why, the config can read it', async () => {
    const scoped = (glob: string) => `---\nscope:\n  - ${glob}\n---\n# Spec\n`;
    const other = await makeRepo({
      'docs/specs/export.md': scoped('src/**'),
      'test/fixtures/repo/docs/specs/cache.md': scoped('cache/**'),
      'pkg/__fixtures__/plan.md': scoped('x/**'),
      'go/testdata/spec.md': scoped('y/**'),
      'src/a.ts': 'export const a = 1;\n',
    });
    try {
      await other.write('src/a.ts', 'export const a = 2;\n');
      const ids = async () => JSON.parse((await runCli(other, ['specs', '--json'])).stdout).map((s: { id: string }) => s.id);
      assert.deepEqual(await ids(), ['docs/specs/export.md']);
      // The text says what it left out, in one line.
      const listed = (await runCli(other, ['specs'])).stdout.split('\n');
      assert.equal(listed[0], 'docs/specs/export.md  (plain)');
      assert.deepEqual(listed.slice(-2), ['ignored (ignoreSpecs in .specgate/config.yml; by default test data): go/testdata/spec.md, pkg/__fixtures__/plan.md, test/fixtures/repo/docs/specs/cache.md', '']);
      const { code, report } = await checkJson(other);
      assert.deepEqual([code, report.spec.id], [0, 'docs/specs/export.md']);
      const fixture = await runCli(other, ['check', '--spec', 'test/fixtures/repo/docs/specs/cache.md']);
      assert.equal(fixture.code, 2);
      assert.equal(
        fixture.stderr,
        'specgate: --spec test/fixtures/repo/docs/specs/cache.md is not read: SpecGate ignores test data by default (**/fixtures/**); set ignoreSpecs in .specgate/config.yml to a list without that glob to review against it\n',
      );
      // By its name, too: the spec it means is named.
      const byName = await runCli(other, ['check', '--spec', 'cache']);
      assert.deepEqual(
        [byName.code, byName.stderr],
        [2, 'specgate: --spec cache (test/fixtures/repo/docs/specs/cache.md) is not read: SpecGate ignores test data by default (**/fixtures/**); set ignoreSpecs in .specgate/config.yml to a list without that glob to review against it\n'],
      );
      const nothing = await runCli(other, ['check', '--spec', 'nothing']);
      assert.equal(nothing.stderr, 'specgate: no spec nothing; specs found: docs/specs/export.md\n');
      // An empty list reads every spec; a list of its own replaces the defaults.
      await other.write('.specgate/config.yml', 'ignoreSpecs: []\n');
      assert.deepEqual(await ids(), ['docs/specs/export.md', 'go/testdata/spec.md', 'pkg/__fixtures__/plan.md', 'test/fixtures/repo/docs/specs/cache.md']);
      assert.equal((await checkJson(other, '--spec', 'test/fixtures/repo/docs/specs/cache.md')).report.spec.id, 'test/fixtures/repo/docs/specs/cache.md');
      await other.write('.specgate/config.yml', 'ignoreSpecs:\n  - docs/**\n  - "**/testdata/**"\n');
      // Not committed yet: a file is left out only if HEAD's list (the defaults) leaves it out too.
      assert.deepEqual(await ids(), ['docs/specs/export.md', 'pkg/__fixtures__/plan.md', 'test/fixtures/repo/docs/specs/cache.md']);
      assert.deepEqual((await runCli(other, ['specs'])).stdout.split('\n').slice(-3), [
        'ignored (ignoreSpecs in .specgate/config.yml; by default test data): go/testdata/spec.md',
        "ignoreSpecs in .specgate/config.yml differs from HEAD's: until the edit is committed, a file is left out only if both lists leave it out",
        '',
      ]);
      // Committed, it is the list.
      await other.git('add', '.specgate/config.yml');
      await other.commit('ignore docs and testdata');
      assert.deepEqual(await ids(), ['pkg/__fixtures__/plan.md', 'test/fixtures/repo/docs/specs/cache.md']);
      assert.equal((await runCli(other, ['specs'])).stdout.split('\n').at(-2), 'ignored (ignoreSpecs in .specgate/config.yml; by default test data): docs/specs/export.md, go/testdata/spec.md');
      const own = await runCli(other, ['check', '--spec', 'docs/specs/export.md']);
      assert.equal(own.stderr, 'specgate: --spec docs/specs/export.md is not read: .specgate/config.yml ignores it (docs/**); set ignoreSpecs in .specgate/config.yml to a list without that glob to review against it\n');
      // --staged reads the index's config: the work tree's list does not count until staged.
      await other.write('.specgate/config.yml', 'ignoreSpecs: ["**/*.md"]\n');
      const staged = await checkJson(other, '--staged', '--spec', 'test/fixtures/repo/docs/specs/cache.md');
      assert.equal(staged.report.spec.id, 'test/fixtures/repo/docs/specs/cache.md');
      // A list that is not one is the config's one-line error, for `specs` as for `check`.
      await other.write('.specgate/config.yml', 'ignoreSpecs: {a: 1}\n');
      for (const args of [['specs'], ['check']]) {
        const bad = await runCli(other, args);
        assert.deepEqual([bad.code, bad.stderr], [2, "specgate: .specgate/config.yml: 'ignoreSpecs' must be a list of glob strings\n"], args.join(' '));
      }
    } finally {
      await other.cleanup();
    }
  });

  it('with every spec ignored, check says which and how to read them, not just "no spec found"', async () => {
    const scoped = '---\nscope:\n  - src/**\n---\n# Spec\n';
    const other = await makeRepo({ 'test/fixtures/a/spec.md': scoped, 'src/a.ts': 'export const a = 1;\n' });
    try {
      await other.write('src/a.ts', 'export const a = 2;\n');
      const one = await runCli(other, ['check']);
      assert.deepEqual(
        [one.code, one.stderr],
        [2, 'specgate: no spec found in this repository; ignoreSpecs leaves out test/fixtures/a/spec.md (by default, test data is not read); set ignoreSpecs in .specgate/config.yml to read it\n'],
      );
      for (const f of ['b', 'c', 'd']) await other.write(`docs/${f}.md`, scoped);
      await other.write('.specgate/config.yml', 'ignoreSpecs: ["**/*.md"]\n');
      // Committed: a list the change itself edits leaves out only what the base's list does too.
      await other.git('add', '.specgate/config.yml', 'docs');
      await other.commit('ignore every markdown file');
      const many = await runCli(other, ['bundle']);
      assert.deepEqual(
        [many.code, many.stderr],
        [2, 'specgate: no spec found in this repository; ignoreSpecs leaves out docs/b.md, docs/c.md, docs/d.md and 1 more (.specgate/config.yml ignores them); set ignoreSpecs in .specgate/config.yml to read them\n'],
      );
    } finally {
      await other.cleanup();
    }
  });

  it('a change to ignoreSpecs cannot hide the spec it is reviewed against: until committed, a file is left out only if both lists leave it out', async () => {
    const scoped = (glob: string) => `---\nscope:\n  - ${glob}\n---\n# Spec\n`;
    const other = await makeRepo({ 'docs/specs/billing.md': scoped('src/a.ts'), 'test/fixtures/loose.md': scoped('"**"'), 'src/a.ts': 'export const a = 1;\n' });
    try {
      // The change: a file outside spec billing (spec names are not in the branch name, main), and a config that would swap a for the fixture (scope **).
      await other.write('src/x.ts', 'export const x = 1;\n');
      await other.write('.specgate/config.yml', 'ignoreSpecs: ["docs/specs/**"]\n');
      const swapped = await runCli(other, ['check']);
      assert.deepEqual([swapped.code, swapped.stderr], [2, 'specgate: no spec given and 2 specs found: docs/specs/billing.md, test/fixtures/loose.md; pass --spec\n']);
      // Named, the spec the change would hide is the one reviewed against, and the config change is a finding.
      const named = await checkJson(other, '--spec', 'docs/specs/billing.md');
      assert.deepEqual([named.code, named.report.spec.id], [1, 'docs/specs/billing.md']);
      assert.deepEqual(named.report.findings.filter((f) => f.path === '.specgate/config.yml').map((f) => f.rule).sort(), ['SG101', 'SG210']);
      // specgate specs lists both, and says why.
      const listed = (await runCli(other, ['specs'])).stdout;
      assert.match(listed, /^docs\/specs\/billing\.md {2}\(plain\)$/m);
      assert.match(listed, /^test\/fixtures\/loose\.md {2}\(plain\)$/m);
      assert.match(listed, /differs from HEAD's: until the edit is committed, a file is left out only if both lists leave it out$/m);
      // With the fixture named, the review is against it, and the config change is a finding.
      const { code, report } = await checkJson(other, '--spec', 'test/fixtures/loose.md');
      assert.equal(code, 1);
      assert.equal(report.spec.id, 'test/fixtures/loose.md');
      assert.deepEqual(report.findings.filter((f) => f.path === '.specgate/config.yml').map((f) => f.rule), ['SG210']);
      // Committed, the list is the base's too, and applies.
      await other.git('add', '.specgate/config.yml');
      await other.commit('ignore docs/specs');
      assert.equal((await checkJson(other)).report.spec.id, 'test/fixtures/loose.md');
    } finally {
      await other.cleanup();
    }
  });

  it('a change to ignoreSpecs that leaves out every spec is reviewed against the spec the base commit reads', async () => {
    const scoped = (glob: string) => `---\nscope:\n  - ${glob}\n---\n# Spec\n`;
    const other = await makeRepo({ 'docs/specs/billing.md': scoped('src/a.ts'), 'src/a.ts': 'export const a = 1;\n' });
    try {
      await other.write('src/x.ts', 'export const x = 1;\n');
      await other.write('.specgate/config.yml', 'ignoreSpecs: ["docs/specs/**"]\n');
      // Not "no spec found": the base's list reads docs/specs/billing.md, so the change is reviewed against it.
      const { code, report } = await checkJson(other);
      assert.equal(code, 1);
      assert.equal(report.spec.id, 'docs/specs/billing.md');
      assert.deepEqual(
        report.findings.filter((f) => f.path === '.specgate/config.yml' || f.path === 'src/x.ts').map((f) => `${f.path} ${f.rule}`).sort(),
        ['.specgate/config.yml SG101', '.specgate/config.yml SG210', 'src/x.ts SG101'],
      );
      // Staged, the same: the index's list against HEAD's.
      await other.git('add', '.specgate/config.yml', 'src/x.ts');
      const staged = await checkJson(other, '--staged');
      assert.deepEqual([staged.code, staged.report.spec.id], [1, 'docs/specs/billing.md']);
      // Committed, the list applies: every spec is left out, and the error says so.
      await other.commit('ignore docs/specs');
      const r = await runCli(other, ['check']);
      assert.deepEqual(
        [r.code, r.stderr],
        [2, 'specgate: no spec found in this repository; ignoreSpecs leaves out docs/specs/billing.md (.specgate/config.yml ignores it); set ignoreSpecs in .specgate/config.yml to read it\n'],
      );
    } finally {
      await other.cleanup();
    }
  });

  it('exits 2 with one `specgate:` line for a --cwd that does not exist', async () => {
    const r = await runCli(repo, ['specs', '--cwd', path.join(repo.root, 'no-such-folder')]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^specgate: folder not found: .*no-such-folder/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('exits 2 when --cwd is a file', async () => {
    const r = await runCli(repo, ['specs', '--cwd', path.join(repo.root, 'README.md')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^specgate: not a folder: /);
  });

  it('in a monorepo, --spec takes a package folder holding one plain spec and a spec-kit number; the branch names a spec-kit folder by its name without the number', async () => {
    const scoped = (glob: string) => `---\nscope:\n  - ${glob}\n---\n# Spec\n`;
    const other = await makeRepo({
      'packages/ui/SPEC.md': scoped('packages/ui/**'),
      'packages/sdk/SPEC.md': scoped('packages/sdk/**'),
      'specs/012-billing/spec.md': '# Feature Specification: Billing\n',
      'specs/012-billing/tasks.md': '- [ ] T001 Write `src/billing.ts`\n',
      'specs/025-cache-v2/spec.md': '# Feature Specification: Cache\n',
      'specs/025-cache-v2/tasks.md': '- [ ] T001 Write `src/cache.ts`\n',
      '.kiro/specs/cache/tasks.md': '- [ ] 1. Write `src/cache-old.ts`\n',
      'src/a.ts': 'export const a = 1;\n',
    });
    try {
      await other.write('src/cache.ts', 'export const c = 1;\n');
      assert.equal((await checkJson(other, '--spec', 'packages/ui')).report.spec.id, 'packages/ui/SPEC.md');
      assert.equal((await checkJson(other, '--spec', 'packages/sdk/')).report.spec.id, 'packages/sdk/SPEC.md');
      assert.equal((await checkJson(other, '--spec', '012')).report.spec.id, 'specs/012-billing');
      const packages = await runCli(other, ['check', '--spec', 'packages']);
      assert.deepEqual([packages.code, packages.stderr.split(';')[0]], [2, 'specgate: no spec packages']);
      // Two packages' bundles are told apart by their folder names.
      const ui = await runCli(other, ['bundle', '--spec', 'packages/ui']);
      assert.match(ui.stdout, /\.specgate\/reviews\/ui-SPEC-\d{8}-\d{6}-[0-9a-f]{8}\b/);
      await other.git('checkout', '-q', '-b', 'feature/cache-v2');
      assert.equal((await checkJson(other)).report.spec.id, 'specs/025-cache-v2');
      // A file another spec covers: the finding names that spec.
      await other.write('src/billing.ts', 'export const b = 1;\n');
      const mixed = await checkJson(other);
      assert.deepEqual(
        mixed.report.findings.filter((f) => f.rule === 'SG101').map((f) => f.message),
        ['New file outside the scope of spec `specs/025-cache-v2`: no scope glob or task path covers this file; spec `specs/012-billing` covers it.'],
      );
    } finally {
      await other.cleanup();
    }
  });
});

