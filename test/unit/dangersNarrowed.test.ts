// Checks and tests narrowed by configuration (core/dangers.ts narrowed): files left out of
// ESLint, TypeScript, the test run or coverage, ESLint rules switched off, pytest's `addopts`
// and `go test -skip` leaving tests out; and an entry moved, reformatted, migrated to another
// file or taken out (more runs) left quiet.
import { strict as assert } from 'node:assert';
import { readsContent } from '../../src/core/dangers';
import type { Report } from '../../src/core/model';
import { analyzeRepository } from '../../src/node/engine';
import { edit, found, lines } from './helpers/dangerChange';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';

describe('checks and tests narrowed by configuration', () => {
  describe('ESLint', () => {
    const rc = lines('{', '  "root": true,', '  "ignorePatterns": ["dist/"],', '  "rules": {', '    "no-console": "error",', '    "eqeqeq": ["error", "always"]', '  }', '}');

    it('ignorePatterns entries added, and rules switched off, are warnings naming them', () => {
      const now = rc.replace('["dist/"]', '["dist/", "src/legacy/**", "scripts/"]').replace('"no-console": "error"', '"no-console": "off"').replace('["error", "always"]', '["off"],\n    "@typescript-eslint/no-explicit-any": 0');
      assert.deepEqual(found(edit('.eslintrc.json', rc, now)), {
        '.eslintrc.json': [
          "new:3 (warning) leaves `src/legacy/**` and `scripts/` out of ESLint's checks (added to its ignored files)",
          'new:5 (warning) turns off the ESLint rules `no-console`, `eqeqeq` and `@typescript-eslint/no-explicit-any`',
        ],
      });
    });

    it('flat config: ignores and globalIgnores entries, a rule off; YAML; .eslintignore lines', () => {
      const flat = lines("import js from '@eslint/js';", 'export default [', '  js.configs.recommended,', "  { ignores: ['dist/**'] },", "  { rules: { 'no-unused-vars': 'error' } },", '];');
      const now = flat.replace("['dist/**']", "['dist/**', 'src/generated-by-hand/**']").replace("'no-unused-vars': 'error'", "'no-unused-vars': 'off'").replace('  js.configs', "  globalIgnores(['e2e/']),\n  js.configs");
      assert.deepEqual(found(edit('eslint.config.mjs', flat, now)), {
        'eslint.config.mjs': [
          "new:3 (warning) leaves `e2e/` and `src/generated-by-hand/**` out of ESLint's checks (added to its ignored files)",
          'new:6 (warning) turns off the ESLint rule `no-unused-vars`',
        ],
      });
      const yml = lines('root: true', 'ignorePatterns:', '  - dist', 'rules:', '  no-console: error');
      assert.deepEqual(found(edit('.eslintrc.yml', yml, yml.replace('  - dist', '  - dist\n  - src/old').replace('no-console: error', "no-console: 'off'\n  no-debugger: 0"))), {
        '.eslintrc.yml': ["new:4 (warning) leaves `src/old` out of ESLint's checks (added to its ignored files)", 'new:6 (warning) turns off the ESLint rules `no-console` and `no-debugger`'],
      });
      assert.deepEqual(found(edit('.eslintignore', lines('dist/'), lines('dist/', '# legacy', 'src/legacy/', '!src/legacy/keep.ts'))), {
        '.eslintignore': ["new:3 (warning) leaves `src/legacy/` out of ESLint's checks (added to its ignored files)"],
      });
      assert.equal(readsContent('.eslintrc.cjs'), true);
      assert.equal(readsContent('packages/web/eslint.config.ts'), true);
      assert.equal(readsContent('.eslintignore'), true);
    });

    it('quiet: a config migrated to flat config keeping its entries, generated folders, a rule turned on, entries taken out, a new config where none went', () => {
      const flat = lines('export default [', "  { ignores: ['dist/**', 'src/legacy/**'] },", "  { rules: { 'no-console': 'off' } },", '];');
      const old = rc.replace('"dist/"', '"dist/", "src/legacy/"').replace('"no-console": "error"', '"no-console": "off"');
      assert.deepEqual(found(edit('.eslintrc.json', old, undefined), edit('eslint.config.js', undefined, flat)), {});
      assert.deepEqual(found(edit('.eslintrc.json', rc, rc.replace('["dist/"]', '["dist/", "build/", "coverage/**", "**/*.d.ts", "node_modules"]'))), {});
      assert.deepEqual(found(edit('.eslintrc.json', old, rc)), {});
      assert.deepEqual(found(edit('eslint.config.js', undefined, flat)), {});
      assert.deepEqual(found(edit('.eslintrc.json', rc, rc.replace('"error", "always"', '"warn", "always"'))), {});
    });
  });

  describe('TypeScript exclude', () => {
    const ts = lines('{', '  "compilerOptions": { "strict": true },', '  "include": ["src", "test"],', '  "exclude": ["node_modules", "dist"]', '}');

    it('a source folder added to exclude is a warning', () => {
      assert.deepEqual(found(edit('tsconfig.json', ts, ts.replace('"dist"]', '"dist", "src/legacy", "test"]'))), {
        'tsconfig.json': ["new:4 (warning) leaves `src/legacy` and `test` out of TypeScript's checks (added to `exclude`)"],
      });
    });

    it('quiet: generated folders, tests left out of a build config, a new tsconfig, an entry taken out', () => {
      assert.deepEqual(found(edit('tsconfig.json', ts, ts.replace('"dist"]', '"dist", "out", ".next"]'))), {});
      assert.deepEqual(found(edit('tsconfig.build.json', ts, ts.replace('"dist"]', '"dist", "test", "src/**/*.spec.ts"]'))), {});
      assert.deepEqual(found(edit('packages/a/tsconfig.json', undefined, ts.replace('"dist"]', '"dist", "scripts"]'))), {});
      assert.deepEqual(found(edit('tsconfig.json', ts.replace('"dist"]', '"dist", "src/legacy"]'), ts)), {});
    });
  });

  describe('Jest and Vitest', () => {
    const jest = lines('module.exports = {', "  testPathIgnorePatterns: ['/node_modules/'],", "  coveragePathIgnorePatterns: ['/node_modules/'],", '};');

    it('testPathIgnorePatterns, modulePathIgnorePatterns and coveragePathIgnorePatterns entries added are warnings', () => {
      const now = jest.replace("testPathIgnorePatterns: ['/node_modules/']", "testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/payments/']").replace("coveragePathIgnorePatterns: ['/node_modules/']", "coveragePathIgnorePatterns: ['/node_modules/', 'src/api/']").replace('};', "  modulePathIgnorePatterns: ['<rootDir>/e2e'],\n};");
      assert.deepEqual(found(edit('jest.config.js', jest, now)), {
        'jest.config.js': [
          'new:2 (warning) leaves the tests matching `<rootDir>/src/payments/` out of the Jest run (added to `testPathIgnorePatterns`)',
          'new:3 (warning) leaves the files matching `src/api/` out of coverage (added to `coveragePathIgnorePatterns`): their untested code no longer counts against the thresholds',
          'new:4 (warning) leaves the files matching `<rootDir>/e2e` out of the Jest run, tests with them (added to `modulePathIgnorePatterns`)',
        ],
      });
      const pkg = lines('{', '  "name": "app",', '  "jest": {', '    "testPathIgnorePatterns": [', '      "/node_modules/"', '    ]', '  }', '}');
      assert.deepEqual(found(edit('package.json', pkg, pkg.replace('      "/node_modules/"', '      "/node_modules/",\n      "checkout\\\\.test\\\\.ts$"'))), {
        'package.json': ['new:6 (warning) leaves the tests matching `checkout\\.test\\.ts$` out of the Jest run (added to `testPathIgnorePatterns`)'],
      });
    });

    it('Vitest test.exclude and coverage.exclude entries added are warnings; a spread of the defaults is none', () => {
      const vite = lines("import { defineConfig, configDefaults } from 'vitest/config';", 'export default defineConfig({', '  test: {', '    exclude: [...configDefaults.exclude],', "    coverage: { exclude: ['**/*.d.ts'] },", '  },', '});');
      const now = vite.replace('[...configDefaults.exclude]', "[...configDefaults.exclude, 'src/flaky/**', '**/*.slow.test.ts']").replace("['**/*.d.ts']", "['**/*.d.ts', 'src/server/**']");
      assert.deepEqual(found(edit('vitest.config.ts', vite, now)), {
        'vitest.config.ts': [
          'new:4 (warning) leaves the tests matching `src/flaky/**` and `**/*.slow.test.ts` out of the Vitest run (added to `test.exclude`)',
          'new:5 (warning) leaves the files matching `src/server/**` out of coverage (added to `coverage.exclude`): their untested code no longer counts against the thresholds',
        ],
      });
    });

    it('quiet: an entry reformatted or moved to another file, taken out, a generated folder; exclude outside test', () => {
      const spread = lines('module.exports = {', '  testPathIgnorePatterns: [', "    '/node_modules/',", "    '/dist/',", '  ],', "  coveragePathIgnorePatterns: ['/node_modules/'],", '};');
      assert.deepEqual(found(edit('jest.config.js', jest, spread)), {});
      const had = jest.replace("['/node_modules/']", "['/node_modules/', '/src/legacy/']");
      const pkg = lines('{', '  "jest": { "testPathIgnorePatterns": ["/node_modules/", "<rootDir>/src/legacy"] }', '}');
      assert.deepEqual(found(edit('jest.config.js', had, undefined), edit('package.json', lines('{', '}'), pkg)), {});
      assert.deepEqual(found(edit('jest.config.js', had, jest)), {});
      const vite = lines('export default {', "  build: { rollupOptions: { external: ['x'] } },", "  optimizeDeps: { exclude: ['src/legacy'] },", '};');
      assert.deepEqual(found(edit('vite.config.ts', lines('export default {', '};'), vite)), {});
    });
  });

  describe('pytest addopts', () => {
    it('--ignore, --deselect, -k "not …" and -m "not …" added to addopts in pytest.ini, pyproject.toml and setup.cfg are warnings', () => {
      const ini = lines('[pytest]', 'addopts =', '    -ra', '    --strict-markers', 'testpaths = tests');
      const now = ini.replace('    --strict-markers', '    --strict-markers\n    --ignore=tests/integration\n    -k "not flaky and not slow"');
      assert.deepEqual(found(edit('pytest.ini', ini, now)), {
        'pytest.ini': ['new:5 (warning) makes every pytest run leave out what `--ignore=tests/integration` and `-k "not flaky and not slow"` names (added to `addopts`)'],
      });
      const toml = lines('[project]', 'name = "app"', '', '[tool.pytest.ini_options]', 'addopts = "-ra"', '');
      assert.deepEqual(found(edit('pyproject.toml', toml, toml.replace('addopts = "-ra"', 'addopts = "-ra --deselect tests/test_api.py::test_refund -m \'not slow\'"'))), {
        'pyproject.toml': ['new:5 (warning) makes every pytest run leave out what `--deselect=tests/test_api.py::test_refund` and `-m "not slow"` names (added to `addopts`)'],
      });
      const list = toml.replace('addopts = "-ra"', 'addopts = [\n  "-ra",\n  "--ignore=tests/e2e",\n]');
      assert.deepEqual(found(edit('pyproject.toml', toml, list)), { 'pyproject.toml': ['new:7 (warning) makes every pytest run leave out what `--ignore=tests/e2e` names (added to `addopts`)'] });
      const cfg = lines('[metadata]', 'name = app', '', '[tool:pytest]', 'addopts = -ra');
      assert.deepEqual(found(edit('setup.cfg', cfg, cfg.replace('addopts = -ra', 'addopts = -ra --ignore tests/slow'))), {
        'setup.cfg': ['new:5 (warning) makes every pytest run leave out what `--ignore=tests/slow` names (added to `addopts`)'],
      });
    });

    it('quiet: the same options reformatted or moved into pyproject.toml, taken out, a -k that selects, addopts outside pytest\'s section', () => {
      const ini = lines('[pytest]', 'addopts = -ra --ignore=tests/integration -k "not flaky"');
      const toml = lines('[tool.pytest.ini_options]', 'addopts = [', '  "-ra",', '  "--ignore", "tests/integration",', '  "-k", "not flaky",', ']');
      assert.deepEqual(found(edit('pytest.ini', ini, undefined), edit('pyproject.toml', lines('[project]', 'name = "app"'), lines('[project]', 'name = "app"', '', ...toml.trimEnd().split('\n')))), {});
      assert.deepEqual(found(edit('pytest.ini', ini, lines('[pytest]', 'addopts = -ra'))), {});
      assert.deepEqual(found(edit('pytest.ini', lines('[pytest]', 'addopts = -ra'), lines('[pytest]', 'addopts = -ra -k "smoke or api"'))), {});
      assert.deepEqual(found(edit('tox.ini', lines('[tox]', 'envlist = py312'), lines('[tox]', 'envlist = py312', '[other]', 'addopts = --ignore=tests'))), {});
    });
  });

  describe('test commands in CI, Makefiles and scripts', () => {
    it('go test -skip, pytest --ignore and jest --testPathIgnorePatterns added to a run are warnings', () => {
      const make = lines('test:', '\tgo test ./...');
      assert.deepEqual(found(edit('Makefile', make, make.replace('go test ./...', "go test -skip 'TestFlaky|TestSlow' ./..."))), {
        Makefile: ['new:2 (warning) makes a test run leave out what `go test -skip TestFlaky|TestSlow` names'],
      });
      const ci = lines('on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - run: python -m pytest -q', '      - run: npx jest --ci');
      const now = ci.replace('pytest -q', 'pytest -q --deselect tests/test_pay.py::test_refund').replace('jest --ci', 'jest --ci --testPathIgnorePatterns=checkout');
      assert.deepEqual(found(edit('.github/workflows/ci.yml', ci, now)), {
        '.github/workflows/ci.yml': ['new:6 (warning) makes a test run leave out what `pytest --deselect=tests/test_pay.py::test_refund` and `jest --testPathIgnorePatterns=checkout` names'],
      });
      const pkg = lines('{', '  "scripts": {', '    "test": "vitest run"', '  }', '}');
      assert.deepEqual(found(edit('package.json', pkg, pkg.replace('vitest run', 'vitest run --exclude src/legacy'))), {
        'package.json': ['new:3 (warning) makes a test run leave out what `vitest --exclude=src/legacy` names'],
      });
    });

    it('quiet: the same skip moved to another line or file, taken out; go test -run; a skip flag of another tool', () => {
      const make = lines('test:', "\tgo test -skip TestFlaky ./...");
      assert.deepEqual(found(edit('Makefile', make, lines('test: lint', "\tgo test -race -skip TestFlaky ./..."))), {});
      assert.deepEqual(found(edit('Makefile', make, lines('test:', '\t./scripts/test.sh')), edit('scripts/test.sh', undefined, lines('#!/bin/sh', 'go test -skip TestFlaky ./...'))), {});
      assert.deepEqual(found(edit('Makefile', make, lines('test:', '\tgo test ./...'))), {});
      assert.deepEqual(found(edit('Makefile', lines('test:', '\tgo test ./...'), lines('test:', '\tgo test -run TestRetry ./...', '\tdocker build --skip x .'))), {});
    });
  });

  describe('a config the change adds, in a git repository', function () {
    this.timeout(60_000);
    isolateGitConfig();
    let repo: TestRepo;
    afterEach(() => repo?.cleanup());
    const SPEC = lines('---', 'scope: ["**"]', '---', '# Lint', '', '## Tasks', '- [ ] 1. Tidy the build');
    const TS = lines('{', '  "compilerOptions": { "strict": true },', '  "include": ["src", "test"],', '  "exclude": ["node_modules", "dist"]', '}');
    const RC = lines('{', '  "root": true,', '  "extends": ["eslint:recommended"],', '  "rules": { "no-console": "error", "eqeqeq": "error" }', '}');
    const BASE = { 'docs/spec.md': SPEC, 'tsconfig.json': TS, '.eslintrc.json': RC, 'package.json': lines('{ "name": "app", "private": true }'), 'src/legacy/old.js': lines('console.log(1 == 2);'), 'test/a.test.ts': lines('export {};') };
    /** What the change narrows: SG210's dangers, one line each without the file's header. */
    const narrowing = async () => {
      const { report } = await analyzeRepository({ cwd: repo.root });
      return (report as Report).findings.filter((f) => f.rule === 'SG210').flatMap((f) => [...f.message.matchAll(/(?:it|It) ((?:leaves|turns off|stops)[^(]*\([^)]*\)|turns off the ESLint rules? [^(;.]*)/g)].map((m) => `${f.path}: ${m[1]!.replace(/ \((?:old )?lines? [\d, ]+\)/, '').trim()}`));
    };

    it('a new tsconfig in place of one taken away, excluding the tests: a warning; a build config beside it, or a new package\'s: quiet', async () => {
      repo = await makeRepo(BASE);
      // tsconfig.json replaced by tsconfig.app.json, which leaves the tests out (git pairs them: most lines alike).
      await repo.rm('tsconfig.json');
      await repo.write('tsconfig.app.json', TS.replace('"dist"]', '"dist", "test"]'));
      assert.deepEqual(await narrowing(), ["tsconfig.app.json: leaves `test` out of TypeScript's checks (added to `exclude`)"]);
      // Deleted and a new one added that git does not pair: the same.
      await repo.write('tsconfig.app.json', lines('{', '  "extends": "./tsconfig.base.json",', '  "compilerOptions": { "noEmit": true, "strict": true, "target": "ES2022" },', '  "exclude": ["test", "node_modules"]', '}'));
      assert.deepEqual(await narrowing(), ["tsconfig.app.json: leaves `test` out of TypeScript's checks (added to `exclude`)"]);
      // The tests handed to a project of their own: quiet.
      await repo.write('tsconfig.test.json', lines('{', '  "compilerOptions": { "strict": true, "noEmit": true },', '  "include": ["test"]', '}'));
      assert.deepEqual(await narrowing(), []);
      await repo.git('checkout', '--', '.');
      await repo.rm('tsconfig.app.json');
      await repo.rm('tsconfig.test.json');
      // Beside tsconfig.json, which still checks the tests: a build config, quiet.
      await repo.write('tsconfig.build.json', lines('{', '  "extends": "./tsconfig.json",', '  "exclude": ["test", "**/*.test.ts"]', '}'));
      // A new package's own tsconfig.json: quiet.
      await repo.write('packages/api/tsconfig.json', TS.replace('"dist"]', '"dist", "test", "scripts"]'));
      await repo.write('packages/api/package.json', lines('{ "name": "api" }'));
      assert.deepEqual(await narrowing(), []);
      // A solution tsconfig handing its files to a new project that leaves the tests out: a warning.
      await repo.write('tsconfig.json', lines('{', '  "files": [],', '  "references": [{ "path": "./tsconfig.build.json" }]', '}'));
      assert.deepEqual(await narrowing(), ["tsconfig.build.json: leaves `test` and `**/*.test.ts` out of TypeScript's checks (added to `exclude`)"]);
    });

    it('a nested ESLint config that turns rules off for its folder, or stops the configs above it: a warning; a new package\'s own config: quiet', async () => {
      repo = await makeRepo(BASE);
      await repo.write('src/legacy/.eslintrc.json', lines('{', '  "rules": { "no-console": "off", "eqeqeq": 0 }', '}'));
      assert.deepEqual(await narrowing(), ['src/legacy/.eslintrc.json: turns off the ESLint rules `no-console` and `eqeqeq`']);
      await repo.write('src/legacy/.eslintrc.json', lines('{', '  "root": true', '}'));
      assert.deepEqual(await narrowing(), ['src/legacy/.eslintrc.json: stops the ESLint configs above `src/legacy/` from checking it (`"root": true`, extending none)']);
      await repo.rm('src/legacy/.eslintrc.json');
      await repo.write('src/legacy/eslint.config.js', lines('export default [', '  { rules: { "no-console": "off" } },', '];'));
      assert.deepEqual(await narrowing(), ['src/legacy/eslint.config.js: turns off the ESLint rule `no-console`']);
      await repo.rm('src/legacy/eslint.config.js');
      // A new package with its own config (root, its own rules): quiet.
      await repo.write('packages/web/package.json', lines('{ "name": "web" }'));
      await repo.write('packages/web/.eslintrc.json', lines('{', '  "root": true,', '  "extends": ["next/core-web-vitals"],', '  "rules": { "react/no-unescaped-entities": "off" }', '}'));
      await repo.write('packages/web/index.js', lines('export {};'));
      assert.deepEqual(await narrowing(), []);
      // A nested config that sets up a stricter check, turning nothing off: quiet.
      await repo.write('src/legacy/.eslintrc.json', lines('{', '  "rules": { "no-var": "error" }', '}'));
      assert.deepEqual(await narrowing(), []);
    });
  });
});
