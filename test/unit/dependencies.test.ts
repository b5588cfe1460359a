import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import { declaredDependencies, isDependencyManifest } from '../../src/core/manifests';
import { readsText } from '../../src/core/analyze';
import { manifestsOf } from '../../src/core/lockfiles';
import type { ChangeSet, Finding, Spec } from '../../src/core/model';
import { names, namesRemoval, versionChange } from '../../src/core/rules/dependencies';
import { change, changeSet, config, hunk, joinLines, parsedSpec, spec, task } from './helpers/analysisFixtures';

const pkg = (deps: Record<string, string>, dev: Record<string, string> = {}, indent = 2) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps, ...(Object.keys(dev).length ? { devDependencies: dev } : {}) }, null, indent)}\n`;

const BASE_DEPS = { lodash: '4.17.21', express: '^4.18.2', ms: '2.1.3' };

/** A spec whose task 4 asks for `p-retry` in package.json (and whose tasks.md says so in its text). */
const kiro = (extra = '') =>
  parsedSpec('kiro', {
    'requirements.md': joinLines('# Requirements', '### Requirement 1: Retry', '#### Acceptance Criteria', '1. WHEN a charge fails THE client SHALL retry it; timeouts are in ms'),
    'design.md': joinLines('# Design', 'Retry with backoff in `src/billing/retry.ts`.'),
    'tasks.md': joinLines('# Tasks', '- [ ] 1. Add backoff in `src/billing/retry.ts`', '  - _Requirements: 1.1_', '- [ ] 4. Add `p-retry` to `package.json`', '  - _Requirements: 1.1_', extra),
  });

function pkgChange(before: string, after: string, path = 'package.json') {
  return change(path, { oldText: before, newText: after, hunks: [hunk(1, 1, 1, 1)] });
}

function run(cs: ChangeSet, s: Spec = kiro(), baseSpec?: Spec): Finding[] {
  return analyze(s, cs, { config: config(), specBlobs: {}, ...(baseSpec ? { baseSpec } : {}) }).findings.filter((f) => f.kind === 'change-without-task' && f.startLine !== undefined);
}
const shown = (fs: Finding[]) => fs.map((f) => [f.severity, f.startLine, f.message]);

describe('SG303 dependency changes no part of the spec names', () => {
  it('reports a ride-along downgrade beside the asked-for package, at its line', () => {
    const after = pkg({ lodash: '^3.10.1', express: '^4.18.2', ms: '2.1.3', 'p-retry': '^6.2.0' });
    const fs = run(changeSet([pkgChange(pkg(BASE_DEPS), after)]));
    assert.deepEqual(shown(fs), [['warning', 5, 'Dependency `lodash` changed from `4.17.21` to `^3.10.1` (a major version down), and the spec does not name it.']]);
    assert.equal(fs[0]!.rule, 'SG303');
    assert.deepEqual(fs[0]!.related?.map((r) => r.message), ['task 4: Add `p-retry` to `package.json`']);
    assert.equal(after.split('\n')[4], '    "lodash": "^3.10.1",');
  });

  it('stays quiet for the named package, its @types companion, reformatting and a `=`/`v` spelling', () => {
    const before = pkg(BASE_DEPS, { typescript: '5.4.0' });
    const after = pkg({ ...BASE_DEPS, ms: '=2.1.3', 'p-retry': '^6.2.0' }, { typescript: '5.4.0', '@types/p-retry': '^3.0.0' }, 4);
    assert.deepEqual(run(changeSet([pkgChange(before, after)])), []);
  });

  it('sorts by what the change does: added and removed warnings, a minor bump info, a move between lists info', () => {
    const before = pkg(BASE_DEPS, { chalk: '^5.0.0' });
    const after = pkg({ express: '^4.19.0', ms: '2.1.3', chalk: '^5.0.0', 'left-pad': '^1.3.0' });
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after)]))), [
      ['warning', 5, 'Dependency `lodash` removed from dependencies (was `4.17.21`), and the spec does not name it.'],
      ['warning', 8, 'Dependency `left-pad` added to dependencies (`^1.3.0`), and the spec does not name it.'],
      ['info', 5, 'Dependency `express` changed from `^4.18.2` to `^4.19.0` (a minor version up), and the spec does not name it.'],
      ['info', 7, 'Dependency `chalk` moved from devDependencies to dependencies, and the spec does not name it.'],
    ]);
  });

  it('reads a name in backticks or as a word; a short name only in backticks or beside a word that makes it a package', () => {
    assert.equal(names('Add p-retry to the client.', 'p-retry'), true);
    assert.equal(names('Use `p-retry@6` for retries', 'p-retry'), true);
    assert.equal(names('Use @types/p-retry', 'p-retry'), false);
    assert.equal(names('Use lodash.merge', 'lodash'), false);
    assert.equal(names('Upgrade `@aws-sdk/client-s3`', '@aws-sdk/client-s3'), true);
    assert.equal(names('Timeouts are in ms', 'ms'), false);
    assert.equal(names('Parse durations with `ms`', 'ms'), true);
    assert.equal(names('Parse durations with the ms package', 'ms'), true);
    assert.equal(names('Run `npm install ms`', 'ms'), true);
    assert.equal(names('Pin requests_oauthlib', 'requests-oauthlib'), true);
    // ms in the requirement's "timeouts are in ms" names no package.
    const fs = run(changeSet([pkgChange(pkg(BASE_DEPS), pkg({ ...BASE_DEPS, ms: '3.0.0' }))]));
    assert.deepEqual(shown(fs), [['warning', 7, 'Dependency `ms` changed from `2.1.3` to `3.0.0` (a major version up), and the spec does not name it.']]);
  });

  it('is covered by a task that asks for the dependencies to be updated, not by one that says not to', () => {
    const before = pkg(BASE_DEPS);
    const after = pkg({ lodash: '^3.10.1', express: '^5.0.0', ms: '2.1.3' });
    assert.deepEqual(run(changeSet([pkgChange(before, after)]), kiro('- [ ] 5. Bump all dependencies to their latest versions')), []);
    assert.deepEqual(run(changeSet([pkgChange(before, after)]), kiro('- [ ] 5. Update the dependency versions in `package.json`')), []);
    assert.equal(run(changeSet([pkgChange(before, after)]), kiro('- [ ] 5. Do not update dependencies')).length, 2);
  });

  it('sums up a Renovate-style update of many dependencies in one finding', () => {
    const names12 = Array.from({ length: 12 }, (_, i) => `pkg-${String.fromCharCode(97 + i)}`);
    const before = pkg(Object.fromEntries(names12.map((n) => [n, '^1.0.0'])));
    const after = pkg(Object.fromEntries(names12.map((n, i) => [n, i === 3 ? '^2.0.0' : '^1.1.0'])));
    const fs = run(changeSet([pkgChange(before, after)]));
    assert.deepEqual(shown(fs), [
      [
        'warning',
        5,
        '12 dependencies changed that the spec does not name (1 of them removed, added, downgraded or across a major version): `pkg-d` changed from `^1.0.0` to `^2.0.0` (a major version up); `pkg-a` changed from `^1.0.0` to `^1.1.0` (a minor version up); `pkg-b` changed from `^1.0.0` to `^1.1.0` (a minor version up); `pkg-c` changed from `^1.0.0` to `^1.1.0` (a minor version up); `pkg-e` changed from `^1.0.0` to `^1.1.0` (a minor version up); and 7 more. No task asks for a dependency update.',
      ],
    ]);
  });

  it("does not take a name that only the change's own edit to the spec adds", () => {
    const before = pkg(BASE_DEPS);
    const after = pkg({ ...BASE_DEPS, lodash: '^3.10.1' });
    const edited = kiro('- [x] 5. Pin `lodash` to 3');
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after)]), edited, kiro())), [
      ['warning', 5, "Dependency `lodash` changed from `4.17.21` to `^3.10.1` (a major version down), and only this change's own edit to the spec names it."],
    ]);
    assert.deepEqual(run(changeSet([pkgChange(before, after)]), edited, edited), []);
  });

  it('leaves a manifest out of scope to SG101, and a hand-built spec is read by its titles', () => {
    const s = spec({ tasks: [task('1', { title: 'Add `p-retry`', paths: ['src/a.ts'] })], scope: { include: ['src/**'], exclude: [], protected: [] } });
    assert.deepEqual(run(changeSet([pkgChange(pkg(BASE_DEPS), pkg({ ...BASE_DEPS, lodash: '3.0.0' }))]), s), []);
    const wide = { ...s, scope: { include: ['src/**', 'package.json'], exclude: [], protected: [] } };
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg(BASE_DEPS), pkg({ ...BASE_DEPS, 'p-retry': '6.0.0', lodash: '3.0.0' }))]), wide)), [
      ['warning', 5, 'Dependency `lodash` changed from `4.17.21` to `3.0.0` (a major version down), and the spec does not name it.'],
    ]);
  });

  describe("the spec's non-goals", () => {
    /** kiro(), with a design whose Non-Goals name `moment`, `dayjs` and `express`. */
    const scoped = (extra = '', nonGoals = ['- Replacing `moment` with `dayjs`', '- Upgrading express']) =>
      parsedSpec('kiro', {
        'requirements.md': joinLines('# Requirements', '### Requirement 1: Retry', '#### Acceptance Criteria', '1. WHEN a charge fails THE client SHALL retry it'),
        'design.md': joinLines('# Design', 'Retry with backoff in `src/billing/retry.ts`.', '', '## Non-Goals', ...nonGoals),
        'tasks.md': joinLines('# Tasks', '- [ ] 1. Add backoff in `src/billing/retry.ts`', '  - _Requirements: 1.1_', '- [ ] 4. Add `p-retry` to `package.json`', '  - _Requirements: 1.1_', extra),
      });
    const before = pkg({ ...BASE_DEPS, moment: '^2.29.4' });
    const after = pkg({ lodash: '4.17.21', express: '^4.18.3', ms: '2.1.3', dayjs: '^1.11.10', 'p-retry': '^6.2.0' });

    it('reports a change to a package the spec names only as a non-goal, a warning even for a patch bump, quoting the line', () => {
      assert.deepEqual(shown(run(changeSet([pkgChange(before, after)]), scoped())), [
        ['warning', 5, 'Dependency `moment` removed from dependencies (was `^2.29.4`), and the spec lists it as a non-goal: `` Replacing `moment` with `dayjs` `` (`design.md:5`).'],
        ['warning', 6, 'Dependency `express` changed from `^4.18.2` to `^4.18.3` (a patch version up), and the spec lists it as a non-goal: `Upgrading express` (`design.md:6`).'],
        ['warning', 8, 'Dependency `dayjs` added to dependencies (`^1.11.10`), and the spec lists it as a non-goal: `` Replacing `moment` with `dayjs` `` (`design.md:5`).'],
      ]);
    });

    it('a task that asks for it wins over the non-goal; a name the edit moves out of the non-goals vouches for nothing', () => {
      const asked = scoped('- [ ] 5. Replace `moment` with `dayjs`');
      assert.deepEqual(shown(run(changeSet([pkgChange(before, after)]), asked)), [
        ['warning', 6, 'Dependency `express` changed from `^4.18.2` to `^4.18.3` (a patch version up), and the spec lists it as a non-goal: `Upgrading express` (`design.md:6`).'],
      ]);
      // The base lists them as non-goals: this change's edit is what names them.
      assert.deepEqual(shown(run(changeSet([pkgChange(before, pkg({ ...BASE_DEPS, dayjs: '^1.11.10' }))]), asked, scoped())), [
        ['warning', 5, "Dependency `moment` removed from dependencies (was `^2.29.4`), and only this change's own edit to the spec names it."],
        ['warning', 8, "Dependency `dayjs` added to dependencies (`^1.11.10`), and only this change's own edit to the spec names it."],
      ]);
    });

    it('reads spec-kit Out of Scope and front matter non_goals the same way', () => {
      const kit = parsedSpec('speckit', {
        'spec.md': joinLines('# Spec', '- **FR-001**: System MUST retry failed charges', '## Scope', '### Out of Scope', '- Moving off `lodash`'),
        'tasks.md': joinLines('# Tasks', '- [ ] T001 Add `p-retry` to package.json (FR-001)'),
      });
      const fm = parsedSpec('plain', { 's.md': joinLines('---', 'non_goals:', '  - lodash', '---', '# Retry', '- [ ] 1. Add `p-retry` to `package.json`') });
      const up = pkg({ ...BASE_DEPS, lodash: '4.17.22', 'p-retry': '^6.2.0' });
      assert.deepEqual(shown(run(changeSet([pkgChange(pkg(BASE_DEPS), up)]), kit)), [
        ['warning', 5, 'Dependency `lodash` changed from `4.17.21` to `4.17.22` (a patch version up), and the spec lists it as a non-goal: `` Moving off `lodash` `` (`spec.md:5`).'],
      ]);
      assert.deepEqual(shown(run(changeSet([pkgChange(pkg(BASE_DEPS), up)]), fm)), [
        ['warning', 5, 'Dependency `lodash` changed from `4.17.21` to `4.17.22` (a patch version up), and the spec lists it as a non-goal: `lodash` (`s.md:3`).'],
      ]);
    });
  });

  describe('what a name covers', () => {
    it('a name covers adding a package and changing its version, not taking it out', () => {
      const before = pkg({ ...BASE_DEPS, 'p-retry': '^6.2.0' });
      assert.deepEqual(shown(run(changeSet([pkgChange(before, pkg(BASE_DEPS))]))), [
        ['warning', 5, 'Dependency `p-retry` removed from dependencies (was `^6.2.0`), and the spec names it but not its removal.'],
      ]);
      assert.deepEqual(run(changeSet([pkgChange(before, pkg({ ...BASE_DEPS, 'p-retry': '^7.0.0' }))])), []);
      // An upgrade names the version change, not the removal; a negated removal asks for none.
      const gone = pkg({ express: '^4.18.2', ms: '2.1.3' });
      const lodashGone = 'Dependency `lodash` removed from dependencies (was `4.17.21`), and the spec names it but not its removal.';
      assert.deepEqual(shown(run(changeSet([pkgChange(pkg(BASE_DEPS), gone)]), kiro('- [ ] 5. Upgrade `lodash` to 5'))), [['warning', 5, lodashGone]]);
      assert.deepEqual(shown(run(changeSet([pkgChange(pkg(BASE_DEPS), gone)]), kiro('- [ ] 5. Do not remove `lodash` yet'))), [['warning', 5, lodashGone]]);
    });

    it('a removal verb, `replace … with`, `from … to` or `instead of` covers the removal', () => {
      const after = pkg({ express: '^5.0.0', 'pretty-ms': '^9.0.0' });
      assert.deepEqual(run(changeSet([pkgChange(pkg(BASE_DEPS), after)]), kiro('- [ ] 5. Remove `lodash`; upgrade `express` to 5; replace `ms` with `pretty-ms`')), []);
      // The replacement is not what goes: its removal is named by nothing.
      assert.deepEqual(shown(run(changeSet([pkgChange(pkg({ ...BASE_DEPS, 'pretty-ms': '^9.0.0' }), pkg({ ...BASE_DEPS }))]), kiro('- [ ] 5. Replace `ms` with `pretty-ms`'))), [
        ['warning', 5, 'Dependency `pretty-ms` removed from dependencies (was `^9.0.0`), and the spec names it but not its removal.'],
      ]);
      assert.equal(namesRemoval('Migrate from moment to dayjs', 'moment'), true);
      assert.equal(namesRemoval('Migrate from moment to dayjs', 'dayjs'), false);
      assert.equal(namesRemoval('Use dayjs instead of moment.', 'moment'), true);
      assert.equal(namesRemoval('`moment` can be dropped', 'moment'), true);
      assert.equal(namesRemoval('`moment` must not be removed', 'moment'), false);
      assert.equal(namesRemoval('Remove the old loop and use p-retry', 'p-retry'), false);
      assert.equal(namesRemoval('Run `npm uninstall ms`', 'ms'), true);
      assert.equal(namesRemoval('Remove moment', '@types/moment'), true);
    });

    it("a removal only this change's edit to the spec asks for vouches for nothing", () => {
      const before = pkg({ ...BASE_DEPS, 'p-retry': '^6.2.0' });
      assert.deepEqual(shown(run(changeSet([pkgChange(before, pkg(BASE_DEPS))]), kiro('- [x] 5. Remove `p-retry` again'), kiro())), [
        ['warning', 5, "Dependency `p-retry` removed from dependencies (was `^6.2.0`), and only this change's own edit to the spec names its removal."],
      ]);
    });
  });

  it('compares versions: downgrades, majors (0.x by its minor), ranges, other sources', () => {
    assert.deepEqual(versionChange('1.2.3', '1.2.3'), undefined);
    assert.deepEqual(versionChange('^1.2.3', '^ 1.2.3'), undefined);
    assert.deepEqual(versionChange('1.2.3', '1.2.1'), { severity: 'warning', how: 'a downgrade' });
    assert.deepEqual(versionChange('1.2.3', '1.2.4'), { severity: 'info', how: 'a patch version up' });
    assert.deepEqual(versionChange('0.3.0', '0.4.0'), { severity: 'warning', how: 'a major version up' });
    assert.deepEqual(versionChange('4.17.21', '^4.17.21'), { severity: 'info', how: 'the exact version loosened to a range' });
    assert.deepEqual(versionChange('^4.17.21', '*'), { severity: 'warning', how: 'any version now' });
    assert.deepEqual(versionChange('^4.17.21', 'github:me/lodash'), { severity: 'warning', how: 'no longer a registry version' });
    assert.deepEqual(versionChange('>=2.31,<3', '>=2.28'), { severity: 'warning', how: 'a downgrade' });
    assert.deepEqual(versionChange('v1.9.1', 'v1.10.0'), { severity: 'info', how: 'a minor version up' });
  });

  describe('other manifests', () => {
    it('reads requirements.txt, pyproject.toml, go.mod and Cargo.toml', () => {
      assert.deepEqual(declaredDependencies('requirements-dev.txt', joinLines('# tools', '-r base.txt', 'requests[socks]>=2.31 ; python_version > "3.8"  # http', 'Django==4.2.1', '-e .', 'https://x/y.whl')), [
        { list: 'requirements', name: 'requests', version: '>=2.31', line: 3 },
        { list: 'requirements', name: 'Django', version: '==4.2.1', line: 4 },
        // `-e .` is the project itself; `y.whl` is no wheel's file name, so it has no package name and goes by its URL.
        { list: 'requirements', name: 'https://x/y.whl', version: 'https://x/y.whl', line: 6, source: { kind: 'url', where: 'https://x/y.whl', ref: '' }, nameless: true },
      ]);
      const py = joinLines('[project]', 'name = "app"', 'dependencies = [', '  "httpx>=0.27",', '  "pydantic==2.7.0",', ']', '[project.optional-dependencies]', 'test = ["pytest>=8"]', '[tool.poetry.dependencies]', 'python = "^3.11"', 'rich = { version = "^13.0", optional = true }');
      assert.deepEqual(declaredDependencies('pyproject.toml', py)?.map((d) => [d.list, d.name, d.version, d.line]), [
        ['project.dependencies', 'httpx', '>=0.27', 4],
        ['project.dependencies', 'pydantic', '==2.7.0', 5],
        ['optional-dependencies.test', 'pytest', '>=8', 8],
        ['poetry.dependencies', 'rich', '^13.0', 11],
      ]);
      const go = joinLines('module example.com/app', '', 'go 1.22', '', 'require github.com/pkg/errors v0.9.1', 'require (', '\tgolang.org/x/sync v0.7.0', '\tgithub.com/x/y v1.0.0 // indirect', ')');
      assert.deepEqual(declaredDependencies('go.mod', go)?.map((d) => [d.name, d.version, d.line]), [
        ['github.com/pkg/errors', 'v0.9.1', 5],
        ['golang.org/x/sync', 'v0.7.0', 7],
      ]);
      const cargo = joinLines('[package]', 'name = "app"', '[dependencies]', 'serde = { version = "1.0", features = ["derive"] }', 'anyhow = "1"', '[dev-dependencies.tokio]', 'version = "1.37"', "[target.'cfg(unix)'.dependencies]", 'libc = "0.2"');
      assert.deepEqual(declaredDependencies('crates/app/Cargo.toml', cargo)?.map((d) => [d.list, d.name, d.version, d.line]), [
        ['dependencies', 'serde', '1.0', 4],
        ['dependencies', 'anyhow', '1', 5],
        ['dev-dependencies', 'tokio', '1.37', 6],
        ['dependencies', 'libc', '0.2', 9],
      ]);
    });

    it("reads Pipfile's [packages] and [dev-packages] and a Gemfile's gem lines (groups aside)", () => {
      const pip = joinLines('[[source]]', 'url = "https://pypi.org/simple"', '', '[packages]', 'requests = "*"', '"django-cors-headers" = ">=4.0"', 'records = {version = ">0.5.0", extras = ["pandas"]}', 'mylib = {git = "https://github.com/me/mylib.git", ref = "v1.0"}', '', '[dev-packages]', 'pytest = "==8.2.0"', '', '[requires]', 'python_version = "3.12"');
      assert.deepEqual(declaredDependencies('Pipfile', pip)?.map((d) => [d.list, d.name, d.version, d.line]), [
        ['packages', 'requests', '*', 5],
        ['packages', 'django-cors-headers', '>=4.0', 6],
        ['packages', 'records', '>0.5.0', 7],
        ['packages', 'mylib', '{git = "https://github.com/me/mylib.git", ref = "v1.0"}', 8],
        ['dev-packages', 'pytest', '==8.2.0', 11],
      ]);
      const gems = joinLines(
        "source 'https://rubygems.org'",
        "ruby '3.2.2'",
        "gem 'rails', '~> 7.1'",
        'gem "pg", ">= 0.18", "< 2.0", require: false # the database',
        "gem('puma', '6.4.0')",
        'group :development, :test do',
        "  gem 'rspec-rails'",
        "  gem 'devise', github: 'heartcombo/devise', branch: 'main'",
        'end',
        "# gem 'old', '1.0'",
        'gemspec',
      );
      assert.deepEqual(declaredDependencies('Gemfile', gems)?.map((d) => [d.list, d.name, d.version, d.line]), [
        ['gems', 'rails', '~> 7.1', 3],
        ['gems', 'pg', '>= 0.18, < 2.0', 4],
        ['gems', 'puma', '6.4.0', 5],
        ['gems', 'rspec-rails', '', 7],
        ['gems', 'devise', "github: 'heartcombo/devise', branch: 'main'", 8],
      ]);
      // Recognised wherever manifests are (the change set carries their texts); their lockfiles are not manifests, and go with them.
      for (const p of ['Pipfile', 'api/Pipfile', 'Gemfile', 'app/Gemfile', 'gems.rb']) assert.equal(isDependencyManifest(p) && readsText(p), true, p);
      for (const p of ['Pipfile.lock', 'Gemfile.lock', 'Gemfile.rb', 'docs/Pipfile.md']) assert.equal(isDependencyManifest(p), false, p);
      assert.deepEqual(manifestsOf('api/Pipfile.lock', ['api/Pipfile', 'Pipfile']), ['api/Pipfile']);
      assert.deepEqual(manifestsOf('Gemfile.lock', ['Gemfile']), ['Gemfile']);
    });

    it('reports a ride-along in a Pipfile and a Gemfile, and a gem moved between groups is no change', () => {
      const s = spec({ tasks: [task('1', { title: 'Add `httpx` and the `sidekiq` gem', paths: ['Pipfile', 'Gemfile'] })] });
      const pipBefore = joinLines('[packages]', 'requests = "==2.31.0"', '[dev-packages]', 'pytest = "==8.2.0"');
      const pipAfter = joinLines('[packages]', 'requests = "==2.31.0"', 'httpx = ">=0.27"', '[dev-packages]', 'pytest = "==7.4.0"');
      const gemBefore = joinLines("gem 'rails', '~> 7.1'", 'group :test do', "  gem 'rspec-rails', '~> 6.1'", 'end');
      const gemAfter = joinLines("gem 'rails', '~> 6.1'", "gem 'sidekiq', '~> 7.2'", "gem 'rspec-rails', '~> 6.1'");
      assert.deepEqual(shown(run(changeSet([pkgChange(pipBefore, pipAfter, 'Pipfile'), pkgChange(gemBefore, gemAfter, 'Gemfile')]), s)), [
        ['warning', 1, 'Dependency `rails` changed from `~> 7.1` to `~> 6.1` (a major version down), and the spec does not name it.'],
        ['warning', 5, 'Dependency `pytest` changed from `==8.2.0` to `==7.4.0` (a major version down), and the spec does not name it.'],
      ]);
    });

    it('reports a ride-along in go.mod and requirements.txt the same way', () => {
      const s = spec({ tasks: [task('1', { title: 'Add `golang.org/x/sync` and `httpx`', paths: ['go.mod', 'requirements.txt'] })] });
      const goBefore = joinLines('module m', 'require (', '\tgithub.com/pkg/errors v0.9.1', ')');
      const goAfter = joinLines('module m', 'require (', '\tgithub.com/pkg/errors v0.8.0', '\tgolang.org/x/sync v0.7.0', ')');
      const reqBefore = joinLines('requests==2.31.0');
      const reqAfter = joinLines('requests==2.32.0', 'httpx>=0.27');
      assert.deepEqual(shown(run(changeSet([pkgChange(goBefore, goAfter, 'go.mod'), pkgChange(reqBefore, reqAfter, 'requirements.txt')]), s)), [
        ['warning', 3, 'Dependency `github.com/pkg/errors` changed from `v0.9.1` to `v0.8.0` (a major version down), and the spec does not name it.'],
        ['info', 1, 'Dependency `requests` changed from `==2.31.0` to `==2.32.0` (a minor version up), and the spec does not name it.'],
      ]);
    });
  });
});

describe('SG303 where a dependency comes from', () => {
  const s = (title: string, paths: string[]) => spec({ tasks: [task('1', { title, paths })] });
  const base = { lodash: '^4.17.21', ms: '2.1.3', 'p-retry': '^6.0.0' };

  it('package.json: an `npm:` alias names the package it installs, even when the spec names the alias name', () => {
    const after = pkg({ ...base, lodash: 'npm:lodash-es@^4.17.21' });
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg(base), after)]), s('Upgrade `lodash`', ['package.json']))), [
      ['warning', 5, 'Dependency `lodash` changed from `^4.17.21` to `npm:lodash-es@^4.17.21` (another package, `lodash-es`, under this name now), and the spec names it but not this source.'],
    ]);
    assert.deepEqual(run(changeSet([pkgChange(pkg(base), after)]), s('Alias `lodash` to `lodash-es`', ['package.json'])), []);
    assert.deepEqual(run(changeSet([pkgChange(pkg(base), after)]), s('Install `lodash-es` under the name `lodash`', ['package.json'])), []);
  });

  it('package.json: git, a tarball URL and a local path, added or switched to, need their source named; back to the registry is an info', () => {
    const after = pkg({ ...base, 'p-retry': 'github:me/p-retry#fix', ms: 'file:../ms', x: 'https://h.example/x-1.0.0.tgz' });
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg(base), after)]), s('Add `x`; upgrade `p-retry` and `ms`', ['package.json']))), [
      ['warning', 6, 'Dependency `ms` changed from `2.1.3` to `file:../ms` (taken off the registry: from a local path now), and the spec names it but not this source.'],
      ['warning', 7, 'Dependency `p-retry` changed from `^6.0.0` to `github:me/p-retry#fix` (taken off the registry: from a git repository now), and the spec names it but not this source.'],
      ['warning', 8, 'Dependency `x` added to dependencies from an archive at a URL (`https://h.example/x-1.0.0.tgz`), and the spec names it but not this source.'],
    ]);
    // A sentence naming the package and its source covers it: a fork, git, a local copy, the URL's host.
    assert.deepEqual(run(changeSet([pkgChange(pkg(base), after)]), s('Add `x` from h.example; take `p-retry` from our fork and `ms` from a local checkout', ['package.json'])), []);
    // Unnamed: the existing wording, the source in it.
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg(base), pkg({ ...base, lodash: 'me/lodash#v5' }))]), s('Add `x`', ['package.json']))), [
      ['warning', 5, 'Dependency `lodash` changed from `^4.17.21` to `me/lodash#v5` (taken off the registry: from a git repository now), and the spec does not name it.'],
    ]);
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg({ ...base, 'p-retry': 'github:me/p-retry#fix' }), pkg(base))]), s('Add `x`', ['package.json']))), [
      ['info', 7, 'Dependency `p-retry` changed from `github:me/p-retry#fix` to `^6.0.0` (back to the registry, from a git repository), and the spec does not name it.'],
    ]);
    // Another revision of the same repository is a re-version: the name covers it.
    assert.deepEqual(run(changeSet([pkgChange(pkg({ ...base, 'p-retry': 'github:me/p-retry#fix' }), pkg({ ...base, 'p-retry': 'github:me/p-retry#fix2' }))]), s('Bump `p-retry`', ['package.json'])), []);
  });

  it('requirements.txt: direct references, `-e git+…#egg=`, local paths, and a new package index named by its host (credentials masked)', () => {
    const before = joinLines('requests==2.31.0', 'httpx>=0.27');
    const after = joinLines('--extra-index-url https://user:tok@pypi.corp.example.com/simple', 'requests @ git+https://github.com/me/requests.git@fix', '-e git+https://github.com/me/tool.git#egg=tool', './libs/mylib', 'httpx>=0.27');
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after, 'requirements.txt')]), s('Upgrade `requests`', ['requirements.txt']))), [
      ['warning', 1, 'Package index `pypi.corp.example.com` added (`--extra-index-url https://***@pypi.corp.example.com/simple`): packages can now come from it, one there that shares a name with a public package included (dependency confusion), and the spec does not name it.'],
      ['warning', 2, 'Dependency `requests` changed from `==2.31.0` to `git+https://github.com/me/requests.git@fix` (taken off the registry: from a git repository now), and the spec names it but not this source.'],
      ['warning', 3, 'Dependency `tool` added to requirements from a git repository (`git+https://github.com/me/tool.git#egg=tool`), and the spec does not name it.'],
      ['warning', 4, 'Requirement `./libs/mylib` added to requirements from a local path with no package name, and the spec does not name it.'],
    ]);
    assert.deepEqual(declaredDependencies('requirements.txt', joinLines('-i https://pypi.corp/simple', 'https://x/foo-1.0-py3-none-any.whl', '-e .'))?.map((d) => [d.list, d.name, d.version, d.source?.kind]), [
      ['index', 'pypi.corp', '--index-url https://pypi.corp/simple', 'index'],
      ['requirements', 'foo', 'https://x/foo-1.0-py3-none-any.whl', 'url'],
    ]);
  });

  it('Cargo.toml: `{ git }`/`{ path }` sources, a `[patch.crates-io]` entry; a branch made a rev is a re-version', () => {
    const before = joinLines('[dependencies]', 'serde = "1.0"', 'tokio = { git = "https://github.com/tokio-rs/tokio", branch = "master" }', '[dependencies.rand]', 'version = "0.8"');
    const after = joinLines('[dependencies]', 'serde = "1.0"', 'tokio = { git = "https://github.com/tokio-rs/tokio", rev = "abc123" }', '[dependencies.rand]', 'path = "../rand"', '[patch.crates-io]', 'serde = { git = "https://github.com/me/serde" }');
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after, 'Cargo.toml')]), s('Upgrade `serde`, `tokio` and `rand`', ['Cargo.toml']))), [
      ['warning', 4, 'Dependency `rand` changed from `0.8` to `{ path = "../rand" }` (taken off the registry: from a local path now), and the spec names it but not this source.'],
      ['warning', 7, 'Dependency `serde` patched in [patch.crates-io] to come from a git repository (`{ git = "https://github.com/me/serde" }`): every crate of the build that uses it gets that instead, and the spec names it but not this source.'],
    ]);
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after, 'Cargo.toml')]), s('Add `x`', ['Cargo.toml'])))[0], [
      'warning',
      3,
      'Dependency `tokio` changed from `{ git = "https://github.com/tokio-rs/tokio", branch = "master" }` to `{ git = "https://github.com/tokio-rs/tokio", rev = "abc123" }` (another revision of the same git repository), and the spec does not name it.',
    ]);
  });

  it('go.mod: a `replace` directive added names both sides; one taken out is an info', () => {
    const before = joinLines('module m', 'require github.com/pkg/errors v0.9.1');
    const after = joinLines('module m', 'require github.com/pkg/errors v0.9.1', 'replace github.com/pkg/errors => github.com/me/errors v0.9.2', 'replace (', '\tgolang.org/x/net v0.1.0 => ../net', ')');
    assert.deepEqual(shown(run(changeSet([pkgChange(before, after, 'go.mod')]), s('Upgrade `github.com/pkg/errors`', ['go.mod']))), [
      ['warning', 3, 'Dependency `github.com/pkg/errors` replaced by `github.com/me/errors v0.9.2` (another module) in a new `replace` directive: every use of it builds with that instead, and the spec names it but not this source.'],
      ['warning', 5, 'Dependency `golang.org/x/net` replaced by `../net` (a local path) in a new `replace` directive: every use of it builds with that instead, and the spec does not name it.'],
    ]);
    assert.equal(run(changeSet([pkgChange(before, after, 'go.mod')]), s('Use `github.com/pkg/errors` from our fork', ['go.mod'])).length, 1);
    assert.deepEqual(shown(run(changeSet([pkgChange(after, before, 'go.mod')]), s('Add `x`', ['go.mod']))), [
      ['info', 1, 'Dependency `github.com/pkg/errors` no longer replaced (was `=> github.com/me/errors v0.9.2`), and the spec does not name it.'],
      ['info', 1, 'Dependency `golang.org/x/net` no longer replaced (was `v0.1.0 => ../net`), and the spec does not name it.'],
    ]);
  });

  it('Gemfile, Pipfile and uv: git and path sources, a gem server added; the public default is no new index', () => {
    const gb = joinLines("source 'https://rubygems.org'", "gem 'rails', '~> 7.1'");
    const ga = joinLines("source 'https://rubygems.org'", "source 'https://gems.corp.example.com'", "gem 'rails', '~> 7.1', git: 'https://github.com/me/rails'");
    const pb = joinLines('[packages]', 'requests = "*"');
    const pa = joinLines('[packages]', 'requests = {path = "./vendor/requests"}');
    const yb = joinLines('[project]', 'dependencies = ["httpx>=0.27"]');
    const ya = joinLines('[project]', 'dependencies = ["httpx>=0.27"]', '[tool.uv.sources]', 'httpx = { git = "https://github.com/me/httpx", tag = "v1" }');
    assert.deepEqual(shown(run(changeSet([pkgChange(gb, ga, 'Gemfile'), pkgChange(pb, pa, 'Pipfile'), pkgChange(yb, ya, 'pyproject.toml')]), s('Upgrade `rails`, `requests` and `httpx`', ['Gemfile', 'Pipfile', 'pyproject.toml']))), [
      ['warning', 2, 'Package index `gems.corp.example.com` added (`https://gems.corp.example.com`): packages can now come from it, one there that shares a name with a public package included (dependency confusion), and the spec does not name it.'],
      ['warning', 3, 'Dependency `rails` changed from `~> 7.1` to `~> 7.1 from https://github.com/me/rails` (taken off the registry: from a git repository now), and the spec names it but not this source.'],
      ['warning', 2, 'Dependency `requests` changed from `*` to `{path = "./vendor/requests"}` (taken off the registry: from a local path now), and the spec names it but not this source.'],
      ['warning', 2, 'Dependency `httpx` changed from `>=0.27` to `>=0.27 from https://github.com/me/httpx tag = v1` (taken off the registry: from a git repository now), and the spec names it but not this source.'],
    ]);
  });

  it("a source only this change's edit to the spec names vouches for nothing", () => {
    const after = pkg({ ...base, 'p-retry': 'github:me/p-retry#fix' });
    assert.deepEqual(shown(run(changeSet([pkgChange(pkg(base), after)]), kiro('- [ ] 5. Take `p-retry` from our fork'), kiro())), [
      ['warning', 7, "Dependency `p-retry` changed from `^6.0.0` to `github:me/p-retry#fix` (taken off the registry: from a git repository now), and only this change's own edit to the spec names this source."],
    ]);
  });
});
