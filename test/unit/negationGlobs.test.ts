// `!glob` in a glob list subtracts from the list (as in gitignore) and never turns the list
// into "everything but" (picomatch's reading): in a spec's non-goals it keeps a path out of
// the excludes; in `.specgate/config.yml`'s `protected:` it un-protects; in a spec's
// `protected:` front matter or the editor setting it un-protects nothing (the change's author
// can write those). Also SG101's message for a rename into scope, which names the old path.
// Real git repositories through analyzeRepository, and the matchers themselves.
import { strict as assert } from 'node:assert';
import { parseConfig, strictestProtected } from '../../src/core/config';
import type { Finding, Report } from '../../src/core/model';
import { compileProtected } from '../../src/core/protected';
import { compileGlobs, compileScope, compileTaskIndex } from '../../src/core/scope';
import { analyzeRepository } from '../../src/node/engine';
import { task } from './helpers/analysisFixtures';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const SPEC = 'docs/specs/feature.md';
const spec = (frontMatter: string, taskLine: string) => `---\n${frontMatter}\n---\n# Feature\n\n## Tasks\n\n- [ ] 1. ${taskLine}\n`;
const shown = (r: Report) => r.findings.map((f: Finding) => [f.rule, f.path, f.message]);
const classes = (r: Report) => r.changes.map((c) => [c.path, c.classification]);

describe('`!glob` in glob lists', function () {
  this.timeout(60000);

  describe('the matchers', () => {
    it('compileGlobs: a `!` pattern subtracts, whatever its place, and names no match', () => {
      for (const list of [
        ['src/legacy/**', '!src/legacy/keep.ts'],
        ['!src/legacy/keep.ts', 'src/legacy/**'],
      ]) {
        const m = compileGlobs(list);
        assert.deepEqual(
          ['src/legacy/old.ts', 'src/legacy/keep.ts', 'src/x.ts', 'README.md'].map((p) => [p, m.test(p), m.which(p) ?? null]),
          [
            ['src/legacy/old.ts', true, 'src/legacy/**'],
            ['src/legacy/keep.ts', false, null],
            ['src/x.ts', false, null],
            ['README.md', false, null],
          ],
        );
      }
    });

    it('compileGlobs: a list of `!` patterns alone matches nothing; a `!` folder takes what is under it', () => {
      const alone = compileGlobs(['!src/legacy/keep.ts']);
      assert.deepEqual(['src/x.ts', 'README.md', 'src/legacy/keep.ts'].map((p) => alone.test(p)), [false, false, false]);
      const folder = compileGlobs(['**/migrations/**', '!db/migrations', '!./tools/x.sql']);
      assert.deepEqual(
        ['db/migrations/001.sql', 'app/migrations/001.sql', 'tools/x.sql'].map((p) => folder.test(p)),
        [false, true, false],
      );
    });

    it('compileScope: an exclude written `!glob` carves out of the excludes; an include written `!glob` still excludes', () => {
      const scope = compileScope({ scope: { include: ['src/**', '!src/gen/**'], exclude: ['src/legacy/**', '!src/legacy/keep.ts'], protected: [] }, tasks: [], files: [] });
      assert.deepEqual(
        ['src/x.ts', 'src/legacy/keep.ts', 'src/legacy/old.ts', 'src/gen/a.ts', 'lib/y.ts'].map((p) => [p, scope.classify(p), scope.excludedBy(p) ?? null]),
        [
          ['src/x.ts', 'in-scope', null],
          ['src/legacy/keep.ts', 'in-scope', null],
          ['src/legacy/old.ts', 'excluded', 'src/legacy/**'],
          ['src/gen/a.ts', 'excluded', 'src/gen/**'],
          ['lib/y.ts', 'out-of-scope', null],
        ],
      );
    });

    it('compileTaskIndex: a task path written `!glob` names no file', () => {
      const index = compileTaskIndex([task('1', { paths: ['!src/a.ts'] }), task('2', { paths: ['src/b.ts'] })]);
      assert.deepEqual(['src/x.ts', 'src/a.ts', 'src/b.ts'].map((p) => index.tasksFor(p)), [[], [], ['2']]);
    });

    it('compileProtected: a `!` glob un-protects defaults and extras alike, and protects nothing else', () => {
      const m = compileProtected(['src/db/**', '!db/migrations/**', '!src/db/seed.ts']);
      assert.deepEqual(
        ['db/migrations/001.sql', 'app/migrations/001.sql', 'src/db/pool.ts', 'src/db/seed.ts', 'src/x.ts', 'README.md'].map((p) => [p, m.match(p)?.glob ?? null]),
        [
          ['db/migrations/001.sql', null],
          ['app/migrations/001.sql', '**/migrations/**'],
          ['src/db/pool.ts', 'src/db/**'],
          ['src/db/seed.ts', null],
          ['src/x.ts', null],
          ['README.md', null],
        ],
      );
    });

    it('the config takes a `!` protected glob as written and refuses a `!` with no glob', () => {
      assert.deepEqual(parseConfig('protected:\n  - "!db/migrations/**"\n  - infra/**\n').protected, ['!db/migrations/**', 'infra/**']);
      assert.throws(() => parseConfig('protected:\n  - src/**\n  - "!"\n'), { message: ".specgate/config.yml: 'protected[1]' must hold a glob after its `!`" });
    });

    it('a change to the config un-protects only what the base config un-protects too', () => {
      assert.deepEqual(strictestProtected(['!db/migrations/**', '!a/**', 'x/**'], ['!a/**', 'y/**']), ['!a/**', 'x/**', 'y/**']);
    });
  });

  describe('in a real repository', () => {
    let repo: TestRepo;
    afterEach(() => repo?.cleanup());
    const check = async (extraProtected?: string[]) => (await analyzeRepository({ cwd: repo.root, ...(extraProtected ? { extraProtected } : {}) })).report;

    it('a non-goal `!glob` keeps that path out of the non-goals, and excludes nothing else', async () => {
      repo = await makeRepo({
        [SPEC]: spec('scope: ["src/**"]\nout_of_scope:\n  - "src/legacy/**"\n  - "!src/legacy/keep.ts"', 'Change `src/x.ts` and `src/legacy/keep.ts`'),
        'src/x.ts': 'export const a = 1;\n',
        'src/legacy/keep.ts': 'export const k = 1;\n',
        'src/legacy/old.ts': 'export const o = 1;\n',
      });
      await repo.write('src/x.ts', 'export const a = 2;\n');
      await repo.write('src/legacy/keep.ts', 'export const k = 2;\n');
      await repo.write('src/legacy/old.ts', 'export const o = 2;\n');
      const r = await check();
      assert.deepEqual(classes(r), [
        ['src/legacy/keep.ts', 'in-scope'],
        ['src/legacy/old.ts', 'excluded'],
        ['src/x.ts', 'in-scope'],
      ]);
      assert.deepEqual(shown(r), [['SG102', 'src/legacy/old.ts', 'Change excluded by spec `docs/specs/feature.md`: its non-goal `src/legacy/**` covers this file.']]);
      assert.equal(r.summary.risk, 'high');
    });

    it('`!glob` in the config un-protects (a default too), and protects nothing else', async () => {
      repo = await makeRepo({
        '.specgate/config.yml': 'protected:\n  - "!db/migrations/**"\n',
        [SPEC]: spec('scope: ["src/**", "db/**"]', 'Add `db/migrations/002.sql` and change `src/x.ts`'),
        'src/x.ts': 'export const a = 1;\n',
        'db/migrations/001.sql': 'create table t (id int);\n',
        'README.md': '# readme\n',
      });
      await repo.write('src/x.ts', 'export const a = 2;\n');
      await repo.write('db/migrations/002.sql', 'alter table t add column n int;\n');
      await repo.write('README.md', '# readme, edited\n');
      await repo.write('.env', 'TOKEN=x\n');
      const r = await check();
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG210').map((f) => [f.path, f.message]),
        [['.env', 'Protected path (secrets or environment, `**/.env*`): added file with a high blast radius.']],
      );
      assert.deepEqual(r.findings.filter((f) => f.rule === 'SG101').map((f) => f.path), ['.env', 'README.md']);
    });

    it('a change that adds the `!glob` to the config does not un-protect for its own review', async () => {
      repo = await makeRepo({
        [SPEC]: spec('scope: ["db/**"]', 'Add `db/migrations/002.sql`'),
        'db/migrations/001.sql': 'create table t (id int);\n',
      });
      await repo.write('.specgate/config.yml', 'protected:\n  - "!db/migrations/**"\n');
      await repo.write('db/migrations/002.sql', 'alter table t add column n int;\n');
      const r = await check();
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG210').map((f) => [f.path, f.severity]),
        [
          ['.specgate/config.yml', 'error'],
          ['db/migrations/002.sql', 'warning'],
        ],
      );
      // Committed, the config's `!` glob applies to the next change.
      await repo.commit('un-protect migrations');
      await repo.write('db/migrations/003.sql', 'alter table t add column m int;\n');
      assert.deepEqual((await check()).findings.filter((f) => f.rule === 'SG210'), []);
    });

    it("a spec's `protected: [\"!glob\"]` is a spec problem and un-protects nothing", async () => {
      repo = await makeRepo({
        [SPEC]: spec('scope: ["src/**", "db/**"]\nprotected:\n  - "!src/generated/**"\n  - "!db/migrations/**"\n  - src/db/**', 'Change `src/x.ts`'),
        'src/x.ts': 'export const a = 1;\n',
        'src/db/pool.ts': 'export const p = 1;\n',
        'db/migrations/001.sql': 'create table t (id int);\n',
      });
      await repo.write('src/x.ts', 'export const a = 2;\n');
      await repo.write('src/db/pool.ts', 'export const p = 2;\n');
      await repo.write('db/migrations/001.sql', 'create table t (id bigint);\n');
      const r = await check();
      const problem = (glob: string) => `front matter \`protected\`: \`${glob}\` is ignored: a spec cannot un-protect a path; protected paths can be un-protected only in \`.specgate/config.yml\``;
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG401').map((f) => [f.path, f.startLine, f.message]),
        [
          [SPEC, 3, problem('!db/migrations/**')],
          [SPEC, 3, problem('!src/generated/**')],
        ],
      );
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG210').map((f) => f.path),
        ['db/migrations/001.sql', 'src/db/pool.ts'],
      );
      assert.deepEqual(r.spec.scope.protected, ['src/db/**']);
    });

    it('the editor setting `specgate.protectedPaths` adds protected globs and takes none away', async () => {
      repo = await makeRepo({
        [SPEC]: spec('scope: ["src/**", "db/**"]', 'Change `src/x.ts` and `db/migrations/001.sql`'),
        'src/x.ts': 'export const a = 1;\n',
        'db/migrations/001.sql': 'create table t (id int);\n',
      });
      await repo.write('src/x.ts', 'export const a = 2;\n');
      await repo.write('db/migrations/001.sql', 'create table t (id bigint);\n');
      const r = await check(['!db/migrations/**', '!src/**']);
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG210').map((f) => [f.path, f.message]),
        [['db/migrations/001.sql', 'Protected path (database migration, `**/migrations/**`): modified file with a high blast radius. Named by task 1.']],
      );
    });

    it('SG101 for a file moved into scope names the old path, the one outside', async () => {
      repo = await makeRepo({
        [SPEC]: spec('scope: ["src/**"]', 'Move the tool to `src/tool.ts`'),
        'scripts/tool.ts': 'export const t1 = 1;\nexport const t2 = 2;\n',
        'lib/other.ts': 'export const o = 1;\n',
      });
      await repo.write('src/tool.ts', 'export const t1 = 1;\nexport const t2 = 2;\n');
      await repo.rm('scripts/tool.ts');
      // A rename with both names outside keeps the message about this file.
      await repo.write('lib2/other.ts', 'export const o = 1;\n');
      await repo.rm('lib/other.ts');
      await repo.git('add', '-A');
      const r = (await analyzeRepository({ cwd: repo.root, staged: true })).report;
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG101').map((f) => [f.path, f.message]),
        [
          ['lib2/other.ts', 'Rename outside the scope of spec `docs/specs/feature.md`: no scope glob or task path covers this file.'],
          ['src/tool.ts', 'Rename outside the scope of spec `docs/specs/feature.md`: no scope glob or task path covers the old path `scripts/tool.ts`.'],
        ],
      );
    });
  });
});
