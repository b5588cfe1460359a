// What a spec's text makes of scope: items of Scope sections that say a path is out of
// scope, the headings of non-goal sections, path references with a location, links,
// bold, quoted and backslash paths, bugfix specs' Unchanged Behavior clauses, which files
// of a spec folder are the spec, and the message for a missing acceptance criterion.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Spec } from '../../src/core/model';
import { parseSpec } from '../../src/core/spec/parse';
import { scopeKindOf } from '../../src/core/spec/sections';
import { change, changeSet, config, joinLines, parsedSpec } from './helpers/analysisFixtures';

const spec = parsedSpec;

/** A plain spec with `scope: src/**` in front matter and `body` after its title. */
const plain = (...body: string[]): Spec => spec('plain', { 's.md': joinLines('---', 'scope: src/**', '---', '# Search', '', ...body) });
const scopeOf = (s: Spec) => ({ include: s.scope.include, exclude: s.scope.exclude });
const problems = (s: Spec) => s.problems.map((p) => [p.line, p.message]);

describe('reading scope from a spec', () => {
  describe('items of a Scope section that say a path is out of scope', () => {
    const cases: [string, string[], { include: string[]; exclude: string[] }][] = [
      ['an `Out of scope:` item', ['## Scope', '', '- In scope: `src/export/`', '- Out of scope: `src/auth/` (session handling stays as is)'], { include: ['src/**', 'src/export/**'], exclude: ['src/auth/**'] }],
      ['a bold `**Out of scope**:` item', ['## Scope', '', '- **Out of scope**: `src/auth/`'], { include: ['src/**'], exclude: ['src/auth/**'] }],
      ['a plain `Out of scope:` paragraph before a list', ['## Scope', '', 'In scope:', '- `src/export/`', '', 'Out of scope:', '- `src/auth/`'], { include: ['src/**', 'src/export/**'], exclude: ['src/auth/**'] }],
      ['a `NOT` item', ['## Scope', '', '- NOT `src/auth/`'], { include: ['src/**'], exclude: ['src/auth/**'] }],
      ['`(but not …)` in an item', ['## Scope', '', '- `src/export/` (but not `src/auth/`)'], { include: ['src/**', 'src/export/**'], exclude: ['src/auth/**'] }],
      ['`except` in an item', ['## Scope', '', '- `src/` except `src/gen/`'], { include: ['src/**'], exclude: ['src/gen/**'] }],
      ['`must not change` after the path', ['## Scope', '', '- `src/auth/` and `src/db/` must not change'], { include: ['src/**'], exclude: ['src/auth/**', 'src/db/**'] }],
      ['`do not touch` before the path', ['## Scope', '', '- Do not touch `src/auth/`'], { include: ['src/**'], exclude: ['src/auth/**'] }],
      ['a non-goal said after the path', ['## Scope', '', '- `src/auth/` is a non-goal'], { include: ['src/**'], exclude: ['src/auth/**'] }],
      ['`is not affected` or `no changes to`', ['## Scope', '', '- `src/cli/` is not affected', '- No changes to `src/db/`'], { include: ['src/**'], exclude: ['src/cli/**', 'src/db/**'] }],
      ['a label item with the paths nested under it', ['## Scope', '', '- **In scope:**', '  - `src/export/`', '- **Out of scope:**', '  - `src/auth/`', '  - `src/db/`'], { include: ['src/**', 'src/export/**'], exclude: ['src/auth/**', 'src/db/**'] }],
    ];
    for (const [name, body, expected] of cases) {
      it(`excludes, never includes, the path of ${name}`, () => {
        const s = plain(...body);
        assert.deepEqual(scopeOf(s), expected);
        assert.deepEqual(s.problems, []);
      });
    }

    it('reads no glob from an item whose words exclude a path but not clearly which, and says so', () => {
      const s = plain('## Scope', '', '- `src/export/` is new and `src/auth/` is out of scope');
      assert.deepEqual(scopeOf(s), { include: ['src/**'], exclude: [] });
      assert.deepEqual(problems(s), [
        [8, 'this scope item names `src/export/` and `src/auth/` with words that exclude a path, but not clearly which: they are not read as scope (list excluded paths under an Out of Scope heading or label)'],
      ]);
    });

    it('reads no glob, and says so, when the words after a path say what of it must stay', () => {
      const s = plain('## Scope', '', '- `src/api/client.ts`: do not change the signature, only the body');
      assert.deepEqual(scopeOf(s), { include: ['src/**'], exclude: [] });
      assert.deepEqual(problems(s), [
        [8, 'this scope item names `src/api/client.ts` with words that exclude a path, but not clearly which: it is not read as scope (list excluded paths under an Out of Scope heading or label)'],
      ]);
    });

    it('reads words that keep something else unchanged, further on in the item, as not about the path', () => {
      const s = plain('## Scope', '', '- `src/api/` — add the new endpoint, keep the existing routes unchanged', '- `src/auth/`: legacy, frozen');
      assert.deepEqual(scopeOf(s), { include: ['src/**', 'src/api/**'], exclude: ['src/auth/**'] });
      assert.deepEqual(problems(s), []);
    });

    it('keeps reading plain items of a Scope section as includes', () => {
      const s = plain('## Scope', '', '- `src/export/` and `src/report.ts`', '- Handles files that are not found, in `src/io.ts`');
      assert.deepEqual(scopeOf(s), { include: ['src/**', 'src/export/**', 'src/report.ts', 'src/io.ts'], exclude: [] });
    });

    it('keeps a Kiro design.md from including a path its Scope section excludes', () => {
      const s = spec('kiro', {
        'design.md': joinLines('# Design', '## Scope', '- In scope: `src/export/csv.ts`', '- Out of scope: `src/auth/session.ts`'),
        'tasks.md': joinLines('- [ ] 1. Exporter in `src/export/csv.ts`'),
      });
      assert.deepEqual(scopeOf(s), { include: ['src/export/csv.ts'], exclude: ['src/auth/session.ts'] });
      const r = analyze(s, changeSet([change('src/auth/session.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => c.classification), ['excluded']);
    });
  });

  describe('headings of non-goal sections', () => {
    const excluding = [
      '## Out of Scope',
      '## Explicitly Out of Scope',
      '### Explicitly out of scope',
      '## Not in scope (for now)',
      '## NOT in scope (the fence — do not cross)',
      '## Out of scope for MVP',
      '## Out of Scope / Non-Goals',
      '## Do Not Touch',
      '## Non-Goals (v1)',
    ];
    for (const h of excluding) {
      it(`reads "${h}" as a non-goal section`, () => {
        assert.deepEqual(scopeOf(plain(h, '', '- `src/auth/` must not change')), { include: ['src/**'], exclude: ['src/auth/**'] });
      });
    }

    it('classifies headings: include, exclude, mixed, or none for a feature named after scope', () => {
      assert.deepEqual(
        ['Scope', 'In Scope', 'Out of scope for MVP', 'Scope and Non-Goals', 'Goals / Non-Goals', 'Out-of-scope detection', 'Requirement 3: Out of scope requests', 'Scope creep'].map(scopeKindOf),
        ['include', 'include', 'exclude', 'mixed', 'mixed', null, null, null],
      );
    });

    it('reads no include from a mixed heading without labels, only the items that say out of scope, and says so', () => {
      const s = plain('## Scope and Non-Goals', '', '- `src/export/`', '- Non-goal: `src/auth/`');
      assert.deepEqual(scopeOf(s), { include: ['src/**'], exclude: ['src/auth/**'] });
      assert.deepEqual(problems(s), [
        [6, '"Scope and Non-Goals" mixes scope and non-goals, and no label says whether `src/export/` is in or out of scope: not read as scope (put it under an In scope: or Out of scope: label)'],
      ]);
    });

    it('splits a mixed heading by its labels', () => {
      const s = plain('## Scope and Non-Goals', '', '**In scope:**', '- `src/export/`', '', '**Non-goals:**', '- `src/auth/`');
      assert.deepEqual(scopeOf(s), { include: ['src/**', 'src/export/**'], exclude: ['src/auth/**'] });
      assert.deepEqual(s.problems, []);
    });

    it('does not read a front matter key as a label', () => {
      const s = spec('plain', { 's.md': joinLines('---', 'scope:', '  - src/cache/**', '---', '# Cache') });
      assert.deepEqual(s.scopeSources.map((x) => [x.glob, x.origin]), [['src/cache/**', 'front-matter']]);
    });
  });

  describe('paths with a location after them', () => {
    it('drops `:42`, `:10:5`, `:76-105`, `#L10-L20`, `#L10` and `::test` from Kiro task paths', () => {
      const s = spec('kiro', {
        'tasks.md': joinLines(
          '- [ ] 1. Fix the null check at `src/api/handler.ts:42`',
          '- [ ] 2. Fix `src/api/colon.ts:10:5` and `server/src/db.ts:76-105`',
          '- [ ] 3. Fix `src/api/range.ts#L10-L20` and `src/api/line.ts#L10`',
          '- [ ] 4. Test `tests/test_a.py::test_null` and `tests/test_b.py::TestB::test_x[1-2]`',
        ),
      });
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [
        ['1', ['src/api/handler.ts']],
        ['2', ['src/api/colon.ts', 'server/src/db.ts']],
        ['3', ['src/api/range.ts', 'src/api/line.ts']],
        ['4', ['tests/test_a.py', 'tests/test_b.py']],
      ]);
      const r = analyze(s, changeSet([change('src/api/handler.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => [c.classification, c.tasks]), [['in-scope', ['1']]]);
    });

    it('drops them from bare spec-kit task paths and Scope items, but not from front matter', () => {
      const s = spec('speckit', {
        'spec.md': joinLines('---', 'scope:', '  - lib/x.ts:42', '---', '# Spec', '## Scope', '- `docs/a.md#L3`'),
        'tasks.md': joinLines('- [ ] T001 [US1] Fix null check in src/a.py:42', '- [ ] T002 [P] [US1] Regression test in tests/test_a.py::test_null'),
      });
      assert.deepEqual(s.tasks.map((t) => t.paths), [['src/a.py'], ['tests/test_a.py']]);
      assert.deepEqual(s.scope.include, ['src/a.py', 'tests/test_a.py', 'lib/x.ts:42', 'docs/a.md']);
    });

    it('keeps a colon that follows no file name', () => {
      const s = spec('kiro', { 'tasks.md': joinLines('- [ ] 1. Serve `localhost:8080` from `src/server:3`') });
      assert.deepEqual(s.tasks[0]!.paths, ['src/server:3', 'src/server:3/**']);
    });
  });

  describe('links, bold, quoted and backslash paths', () => {
    it('reads link targets and backslash paths in Kiro task lines, but not bare or bold ones', () => {
      const s = spec('kiro', {
        'tasks.md': joinLines(
          '- [ ] 1. Update the route table (see [router](src/api/router.ts))',
          '- [ ] 2. Update `src\\api\\routes.ts`',
          '- [ ] 3. Read [the guide](https://example.com/a.ts), [usage](#usage) and ![diagram](img/flow.png)',
          '- [ ] 4. Link up [three levels](../../../lib/util.ts) and [from the root](/tools/gen.ts)',
          '- [ ] 5. Update **src/bold.ts** and src/bare.ts',
        ),
      });
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [
        ['1', ['src/api/router.ts']],
        ['2', ['src/api/routes.ts']],
        ['3', []],
        ['4', ['lib/util.ts', 'tools/gen.ts']],
        ['5', []],
      ]);
    });

    it('reads bold, quoted, linked and backslash paths in spec-kit task lines', () => {
      const s = spec('speckit', {
        'tasks.md': joinLines(
          '- [ ] T003 [US1] Update **src/b.py**',
          '- [ ] T004 [US1] Update "src/c.py" and \'src/d.py\'',
          '- [ ] T005 [US1] Update [e.py](src/e.py)',
          '- [ ] T006 [US1] Update src\\f.py',
          '- [ ] T007 [US1] See [the plan](plan.md) and [research](./research.md)',
        ),
      });
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [
        ['T003', ['src/b.py']],
        ['T004', ['src/c.py', 'src/d.py']],
        ['T005', ['src/e.py']],
        ['T006', ['src/f.py']],
        ['T007', ['specs/001-s/plan.md', 'specs/001-s/research.md']],
      ]);
    });

    it('reads bare paths with a folder in OpenSpec task lines, not bare folder or file names', () => {
      const s = spec('openspec', {
        'proposal.md': joinLines('## Why', 'Need logs.', '## Impact', '- Affected code:', '  - src/api/log.ts', '  - src/worker/index.ts'),
        'tasks.md': joinLines('## 1. API', '- [ ] 1.1 Add structured logging in src/api/log.ts', '- [ ] 1.2 Skip archive/ and count tasks.md files', '## 2. Worker', '- [ ] 2.1 Wire the logger in `src/worker/index.ts`'),
      });
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [
        ['1.1', ['src/api/log.ts']],
        ['1.2', []],
        ['2.1', ['src/worker/index.ts']],
      ]);
      const r = analyze(s, changeSet([change('src/api/log.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => c.tasks), [['1.1']]);
      assert.deepEqual(r.findings.filter((f) => f.kind === 'change-without-task'), []);
    });
  });

  describe('Kiro bugfix specs', () => {
    const bugfix = joinLines(
      '# Bugfix Requirements Document',
      '## Bug Analysis',
      '### Current Behavior (Defect)',
      '1.1 WHEN the config file is empty THEN `loadConfig()` in `src/config.ts` throws a TypeError',
      '### Expected Behavior (Correct)',
      '2.1 WHEN the config file is empty THEN the system SHALL return the default config',
      '### Unchanged Behavior (Regression Prevention)',
      '3.1 WHEN the config file is valid THEN `loadConfig()` in `src/config.ts` SHALL CONTINUE TO return the parsed values',
      '- `src/parse.ts` SHALL CONTINUE TO accept comments',
    );
    const design = joinLines('# Design', '## Preservation', '**Unchanged Behaviors:**', '- `src/format.ts` must continue to print the same output');
    const tasks = joinLines('# Implementation Plan', '- [ ] 1. Fix the empty-config crash', '  - [ ] 1.1 Implement the fix in `src/config.ts`', '    - _Requirements: 2.1, 3.1_');

    it('reads no exclude from Unchanged Behavior clauses or labels, so the fix is in scope', () => {
      const s = spec('kiro', { '.config.kiro': '{"specType":"bugfix"}', 'bugfix.md': bugfix, 'design.md': design, 'tasks.md': tasks });
      assert.deepEqual(scopeOf(s), { include: ['src/config.ts', 'src/format.ts'], exclude: [] });
      const r = analyze(s, changeSet([change('src/config.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => [c.path, c.classification, c.tasks]), [['src/config.ts', 'in-scope', ['1.1']]]);
      assert.deepEqual(r.findings.filter((f) => f.rule === 'SG102'), []);
    });

    it('still reads Unchanged Behavior as a non-goal section outside bugfix specs', () => {
      const s = plain('## Unchanged Behavior', '', '- `src/auth/`');
      assert.deepEqual(scopeOf(s), { include: ['src/**'], exclude: ['src/auth/**'] });
    });
  });

  describe('which files of a spec folder are the spec', () => {
    it('classifies code and scripts in a Kiro spec folder like any file, and the markdown and .config.kiro as the spec', () => {
      const id = '.kiro/specs/export';
      const files = { 'tasks.md': joinLines('- [ ] 1. Exporter in `src/export.ts`'), '.config.kiro': '{}' };
      const candidate = { id, format: 'kiro' as const, name: 'export', files: [`${id}/.config.kiro`, `${id}/impl/uploader.ts`, `${id}/notes/extra.md`, `${id}/setup.sh`, `${id}/tasks.md`] };
      const s = parseSpec(candidate, Object.entries(files).map(([rel, text]) => ({ path: `${id}/${rel}`, text })));
      assert.deepEqual(s.files, [`${id}/.config.kiro`, `${id}/notes/extra.md`, `${id}/tasks.md`]);
      const r = analyze(s, changeSet([change(`${id}/impl/uploader.ts`), change(`${id}/setup.sh`), change(`${id}/tasks.md`), change('src/export.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => [c.path, c.classification]), [
        [`${id}/impl/uploader.ts`, 'out-of-scope'],
        [`${id}/setup.sh`, 'out-of-scope'],
        [`${id}/tasks.md`, 'spec'],
        ['src/export.ts', 'in-scope'],
      ]);
    });

    it("keeps spec-kit's contracts and OpenSpec's .openspec.yaml as spec files", () => {
      const sk = parseSpec({ id: 'specs/001-a', format: 'speckit', name: '001-a', files: ['specs/001-a/contracts/api.yaml', 'specs/001-a/spec.md', 'specs/001-a/tool.py'] }, [{ path: 'specs/001-a/spec.md', text: '# Spec\n' }]);
      assert.deepEqual(sk.files, ['specs/001-a/contracts/api.yaml', 'specs/001-a/spec.md']);
      const os = parseSpec({ id: 'openspec/changes/a', format: 'openspec', name: 'a', files: ['openspec/changes/a/.openspec.yaml', 'openspec/changes/a/proposal.md', 'openspec/changes/a/run.sh'] }, [{ path: 'openspec/changes/a/proposal.md', text: '## Why\nx\n' }]);
      assert.deepEqual(os.files, ['openspec/changes/a/.openspec.yaml', 'openspec/changes/a/proposal.md']);
    });
  });

  describe('references to an acceptance criterion that does not exist', () => {
    it('names the criterion and the requirement that exists, not a missing requirement', () => {
      const s = spec('kiro', {
        'requirements.md': joinLines('# Requirements Document', '### Requirement 2: B', '#### Acceptance Criteria', '1. THE system SHALL b'),
        'tasks.md': joinLines('# Implementation Plan', '- [ ] 1. Task in `src/b.ts`', '  - _Requirements: 2.3, 4.1_'),
      });
      assert.deepEqual(s.tasks[0]!.requirements, ['2.3', '4.1']);
      assert.deepEqual(problems(s), [
        [3, 'task 1 references 2.3, but acceptance criterion 2.3 of requirement 2 does not exist (requirement 2 has 2.1)'],
        [3, 'task 1 references requirement 4.1, which does not exist'],
      ]);
    });
  });
});
