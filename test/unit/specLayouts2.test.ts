// Layout details the exploratory spec report found: a plain spec whose only scope key is
// misspelt, OpenSpec's archive step, OpenSpec requirement names shared by capabilities,
// backticked paths with spaces, and spec-kit plans that still hold the template's options.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Spec } from '../../src/core/model';
import { detectSpecs } from '../../src/core/spec/detect';
import { frontMatterDeclaresScope } from '../../src/core/spec/frontmatter';
import { namedPaths, spacedSpanPath } from '../../src/core/spec/paths';
import { change, changeSet, config, joinLines, parsedSpec } from './helpers/analysisFixtures';

const spec = parsedSpec;

const problems = (s: Spec) => s.problems.map((p) => [p.line, p.message]);

describe('spec layouts (exploratory report, part 2)', () => {
  describe('a plain spec whose only scope key is misspelt', () => {
    it('is a spec when a near-miss key holds globs', () => {
      for (const fm of ['Scope:\n  - src/search/**', 'include: src/search/**', 'exclude: [src/auth/**]', 'Out-of-scope: src/x/**', 'Non-Goals:\n- infra/**', 'protect:\n  - db/schema.sql']) {
        assert.equal(frontMatterDeclaresScope(`---\n${fm}\n---\n# Search\n`), true, fm);
      }
    });

    it('is no spec when the near-miss key holds no glob, or front matter has no scope key', () => {
      for (const fm of ['include: true', 'Scope: global', 'exclude: drafts', 'include: https://example.com/x', 'title: Search\ntags: [a/b]']) {
        assert.equal(frontMatterDeclaresScope(`---\n${fm}\n---\n# Search\n`), false, fm);
      }
      assert.equal(frontMatterDeclaresScope('# Search\n\nScope: src/**\n'), false);
    });

    it('is found by detection, and its problem names the key and the one to write', () => {
      const text = joinLines('---', 'Scope:', '  - src/search/**', '---', '# Search');
      const found = detectSpecs(['docs/search.md', 'README.md'], (p) => p === 'docs/search.md' && frontMatterDeclaresScope(text));
      assert.deepEqual(found, [{ id: 'docs/search.md', format: 'plain', name: 'search', files: ['docs/search.md'] }]);
      const s = spec('plain', { 'search.md': text }, 'docs/search.md');
      assert.deepEqual(problems(s), [[2, 'front matter `Scope` is not a key SpecGate reads, so its globs are ignored; write `scope:`']]);
      const r = analyze(s, changeSet([change('src/search/index.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(
        r.findings.filter((f) => f.rule === 'SG401').map((f) => [f.path, f.startLine ?? null, f.message]),
        [
          ['docs/search.md', null, 'Spec `docs/search.md` declares no scope (no scope globs, no paths in tasks): every change is out of scope.'],
          ['docs/search.md', 2, 'front matter `Scope` is not a key SpecGate reads, so its globs are ignored; write `scope:`'],
        ],
      );
    });

    it("reads front matter closed by YAML's document end (`...`, as pandoc writes it), and the body after it", () => {
      const s = spec('plain', { 's.md': joinLines('---', 'scope:', '  - src/search/**', '...', '# Search', '', '- [ ] 1. Rank in `src/search/rank.ts`') });
      assert.deepEqual(s.scope.include, ['src/search/rank.ts', 'src/search/**']);
      assert.deepEqual(problems(s), []);
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [['1', ['src/search/rank.ts']]]);
    });

    it('says so when the front matter holding only a near-miss key is not closed', () => {
      const s = spec('plain', { 's.md': joinLines('---', 'include: src/search/**', '# Search') });
      assert.deepEqual(problems(s), [[1, 'front matter is not closed with a `---` (or `...`) line; its scope is ignored']]);
    });
  });

  describe("OpenSpec's archive step", () => {
    const files = {
      'proposal.md': joinLines('## Why', 'x', '## Impact', '- Affected code: `src/audit/log.ts`'),
      'tasks.md': joinLines('## 1. Audit', '- [x] 1.1 Add `src/audit/log.ts`'),
      'specs/audit/spec.md': joinLines('## ADDED Requirements', '### Requirement: Audit log', 'The system SHALL log logins.', '#### Scenario: logged', '- **WHEN** login', '- **THEN** entry'),
    };
    const moved = (rel: string) => change(`openspec/changes/archive/2025-02-01-add-audit/${rel}`, { status: 'renamed', oldPath: `openspec/changes/add-audit/${rel}`, hunks: [] });
    const classes = (s: Spec, cs: ReturnType<typeof change>[]) => {
      const r = analyze(s, changeSet(cs), { config: config(), specBlobs: {} });
      return { classes: r.changes.map((c) => [c.path, c.classification]), sg101: r.findings.filter((f) => f.rule === 'SG101').map((f) => f.path) };
    };

    it("classifies the change's files moved into archive/ and the capability spec its delta is applied to as spec", () => {
      const s = spec('openspec', files, 'openspec/changes/archive/2025-02-01-add-audit');
      assert.deepEqual(
        classes(s, [
          moved('proposal.md'),
          moved('specs/audit/spec.md'),
          moved('tasks.md'),
          change('openspec/specs/audit/spec.md', { status: 'added' }),
          change('src/audit/log.ts', { status: 'added' }),
        ]),
        {
          classes: [
            ['openspec/changes/archive/2025-02-01-add-audit/proposal.md', 'spec'],
            ['openspec/changes/archive/2025-02-01-add-audit/specs/audit/spec.md', 'spec'],
            ['openspec/changes/archive/2025-02-01-add-audit/tasks.md', 'spec'],
            ['openspec/specs/audit/spec.md', 'spec'],
            ['src/audit/log.ts', 'in-scope'],
          ],
          sg101: [],
        },
      );
    });

    it("keeps other capabilities' specs, other changes' files and code moved with the change out of scope", () => {
      const s = spec('openspec', files, 'openspec/changes/archive/2025-02-01-add-audit');
      assert.deepEqual(
        classes(s, [
          change('openspec/specs/billing/spec.md'),
          change('openspec/specs/audit/design.md', { status: 'added' }),
          change('openspec/changes/archive/2025-02-01-add-audit/proposal.md', { status: 'renamed', oldPath: 'openspec/changes/other/proposal.md', hunks: [] }),
          change('openspec/changes/archive/2025-02-01-add-audit/impl.ts', { status: 'renamed', oldPath: 'openspec/changes/add-audit/impl.ts', hunks: [] }),
        ]).classes,
        [
          ['openspec/changes/archive/2025-02-01-add-audit/impl.ts', 'out-of-scope'],
          ['openspec/changes/archive/2025-02-01-add-audit/proposal.md', 'out-of-scope'],
          ['openspec/specs/audit/design.md', 'out-of-scope'],
          ['openspec/specs/billing/spec.md', 'out-of-scope'],
        ],
      );
    });

    it('classifies the capability spec as spec for an active change too, and a deletion of the old folder', () => {
      const active = spec('openspec', files, 'openspec/changes/add-audit');
      assert.deepEqual(classes(active, [change('openspec/specs/audit/spec.md')]), { classes: [['openspec/specs/audit/spec.md', 'spec']], sg101: [] });
      const archived = spec('openspec', files, 'openspec/changes/archive/2025-02-01-add-audit');
      assert.deepEqual(classes(archived, [change('openspec/changes/add-audit/tasks.md', { status: 'deleted' })]).classes, [['openspec/changes/add-audit/tasks.md', 'spec']]);
    });
  });

  describe('OpenSpec requirements with the same name in two capabilities', () => {
    const delta = (who: string) => joinLines('## ADDED Requirements', '### Requirement: Structured logging', `The ${who} SHALL log JSON.`, '#### Scenario: json', '- **WHEN** x', '- **THEN** y');

    it('get the capability in their ids; a name of one capability stays bare', () => {
      const s = spec('openspec', {
        'tasks.md': joinLines('## 1. Logs', '- [ ] 1.1 Log JSON in `src/api/log.ts`'),
        'specs/api/spec.md': delta('api'),
        'specs/worker/spec.md': joinLines(delta('worker'), '### Requirement: Retry', 'The worker SHALL retry.'),
      });
      assert.deepEqual(
        s.requirements.map((r) => [r.id, r.title, r.capability]),
        [
          ['api: Structured logging', 'Structured logging', 'api'],
          ['worker: Structured logging', 'Structured logging', 'worker'],
          ['Retry', 'Retry', 'worker'],
        ],
      );
      const r = analyze(s, changeSet([change('src/api/log.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.traceability.map((t) => t.requirement), ['api: Structured logging', 'worker: Structured logging', 'Retry']);
    });
  });

  describe('a backticked path with spaces', () => {
    it('is read when the span is one path as a whole', () => {
      for (const p of ['src/my file.ts', 'docs/design notes/', 'src/a b/c.ts', 'docs/my notes/*.md']) assert.equal(spacedSpanPath(p), true, p);
      for (const p of ['git add src/a.ts', 'src/a.ts src/b.ts', 'src/x and src/y.ts', 'src/x to src/y.ts', 'npm test -- src/a.ts', 'cd src/ && ls', 'My Docs/a.md', 'src/ a.ts', 'src/my  file.ts', 'src/my file', 'src/my file.ts --watch']) {
        assert.equal(spacedSpanPath(p), false, p);
      }
      assert.deepEqual(namedPaths('- [ ] 1. Fix `src/my file.ts` and `git add src/a.ts`', { strict: true, bare: false }), [{ path: 'src/my file.ts', bare: false }]);
    });

    it('links the file to its Kiro task, and puts it in scope', () => {
      const s = spec('kiro', { 'tasks.md': joinLines('# Implementation Plan', '', '- [x] 1. Fix the crash in `src/my file.ts`', '- [ ] 2. Stage it with `git add src/other.ts`') });
      assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [['1', ['src/my file.ts']], ['2', []]]);
      const r = analyze(s, changeSet([change('src/my file.ts')]), { config: config(), specBlobs: {} });
      assert.deepEqual(r.changes.map((c) => [c.path, c.classification, c.tasks]), [['src/my file.ts', 'in-scope', ['1']]]);
    });

    it('is read in spec-kit task lines and plain specs too', () => {
      const kit = spec('speckit', { 'tasks.md': joinLines('# Tasks', '', '- [ ] T001 [US1] Move the notes into `docs/design notes/`') });
      assert.deepEqual(kit.tasks.map((t) => t.paths), [['docs/design notes/**']]);
      const plain = spec('plain', { 's.md': joinLines('---', 'scope: src/**', '---', '# S', '', '- [ ] Update `assets/App Icon.png`') });
      assert.deepEqual(plain.tasks.map((t) => t.paths), [['assets/App Icon.png']]);
    });
  });

  describe("a spec-kit plan that still holds the template's structure options", () => {
    const plan = (decision: string, marker = '# [REMOVE IF UNUSED] Option') =>
      joinLines(
        '# Implementation Plan: Export',
        '',
        '## Project Structure',
        '',
        '### Source Code (repository root)',
        '',
        '```text',
        `${marker} 1: Single project (DEFAULT)`,
        'src/',
        '├── models/',
        '└── services/',
        '',
        `${marker} 2: Web application (when "frontend" + "backend" detected)`,
        'backend/',
        '├── src/',
        '│   └── api/',
        '└── tests/',
        '```',
        '',
        `**Structure Decision**: ${decision}`,
      );
    const read = (text: string) => {
      const s = spec('speckit', { 'spec.md': '# Feature Specification: Export\n', 'plan.md': text });
      return { include: s.scope.include, problems: problems(s) };
    };

    it('reads only the option the Structure Decision names by number', () => {
      assert.deepEqual(read(plan('Option 2 (web application): only `backend/` changes.')), { include: ['backend/src/api/**', 'backend/tests/**'], problems: [] });
    });

    it('reads only the option the Structure Decision names by name, also with the older markers', () => {
      assert.deepEqual(read(plan('Single project structure: all code in `src/`.', '# Option')), { include: ['src/models/**', 'src/services/**'], problems: [] });
    });

    it('reads none of them when the decision is the template placeholder, and says so', () => {
      assert.deepEqual(read(plan('[Document the selected structure and reference the real directories captured above]')), {
        include: [],
        problems: [
          [
            8,
            "the plan still holds the template's structure options (Option 1, Option 2) and its Structure Decision names none of them: their paths are not read as scope (delete the unused options, or name the chosen one in the Structure Decision)",
          ],
        ],
      });
    });

    it('reads a tree with no option markers as before', () => {
      const text = joinLines('## Project Structure', '', '```text', 'src/', '├── models/', '└── services/', '```', '', '**Structure Decision**: Option 1');
      assert.deepEqual(read(text), { include: ['src/models/**', 'src/services/**'], problems: [] });
    });
  });
});

describe('spec-kit tasks without a story label, under a phase heading that names one', () => {
  const specMd = joinLines('# Feature Specification: Callbacks', '', '### User Story 1 - Register (Priority: P1)', '', '### User Story 3 - Generic callback (Priority: P2)', '');
  const tasksMd = joinLines(
    '# Tasks',
    '',
    '## Phase 2: Foundational (Generic Callback - US3)',
    '',
    '- [x] T001 Add the callback type in `src/callback.ts`',
    '',
    '## Phase 3: User Story 1 - Register',
    '',
    '- [x] T002 [US1] Register in `src/register.ts`',
    '- [x] T003 Wire the form in `src/form.ts`',
    '',
    '## Phase 4: Polish (US1, US3)',
    '',
    '- [ ] T004 Tidy `src/util.ts`',
  );

  it('cover the story the heading names, keeping their own (absent) label; a heading naming two gives none', () => {
    const s = spec('speckit', { 'spec.md': specMd, 'tasks.md': tasksMd });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.story ?? null, t.requirements]),
      [
        ['T001', null, ['US3']],
        ['T002', 'US1', ['US1']],
        ['T003', null, ['US1']],
        ['T004', null, []],
      ],
    );
    const r = analyze(s, changeSet([change('src/callback.ts'), change('src/register.ts'), change('src/form.ts')]), { config: config(), specBlobs: {} });
    assert.deepEqual(r.findings.filter((f) => f.rule === 'SG301').map((f) => f.requirement), []);
  });
});

