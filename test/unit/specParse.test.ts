// parseSpec and its parts on small inline specs: structure, ranges, refs, scope, and bad
// input that must give a problem (never a throw or a hang).
import { strict as assert } from 'node:assert';
import type { Spec, SpecFormat } from '../../src/core/model';
import { parseSpec } from '../../src/core/spec/parse';
import { parseMarkdown, parseMarkdownUncached } from '../../src/core/spec/markdown';
import { remarkStructure } from './remarkStructure';
import { barePath, expandBraces, looksLikePath, pathsInLine, shownGlob, toScopeGlobs } from '../../src/core/spec/paths';
import { parseRefList } from '../../src/core/spec/refs';
import picomatch from 'picomatch';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function spec(format: SpecFormat, files: Record<string, string>, id = defaultId(format)): Spec {
  const list = Object.keys(files).map((rel) => (format === 'plain' ? id : `${id}/${rel}`));
  return parseSpec(
    { id, format, name: id.slice(id.lastIndexOf('/') + 1), files: list },
    Object.entries(files).map(([rel, text]) => ({ path: format === 'plain' ? id : `${id}/${rel}`, text })),
  );
}

function defaultId(format: SpecFormat): string {
  return { kiro: '.kiro/specs/s', speckit: 'specs/001-s', openspec: 'openspec/changes/s', plain: 'docs/s.md' }[format];
}

const KIRO_REQS = lines(
  '# Requirements',
  '',
  '### Requirement 1: Retry',
  '',
  '#### Acceptance Criteria',
  '',
  '1. WHEN a charge fails THEN retry',
  '   continued text of criterion 1',
  '2. WHEN retrying THEN back off',
  '',
  '##### Notes inside the criteria',
  '',
  '3. WHEN exhausted THEN raise',
  '',
  '### Requirement 2',
  '',
  '#### Acceptance Criteria',
  '',
  '1. WHEN x THEN y',
  '',
  '```markdown',
  '### Requirement 9: only an example',
  '#### Acceptance Criteria',
  '1. WHEN in a fence THEN nothing',
  '```',
);

describe('spec model: Kiro', () => {
  it('reads requirements, criteria (`#####` does not end them) and their line ranges; fenced headings are not structure', () => {
    const s = spec('kiro', { 'requirements.md': KIRO_REQS });
    assert.deepEqual(
      s.requirements.map((r) => ({ id: r.id, title: r.title, criteria: r.criteria.map((c) => [c.id, c.range.startLine, c.range.endLine]), range: [r.range.startLine, r.range.endLine] })),
      [
        { id: '1', title: 'Retry', criteria: [['1.1', 7, 8], ['1.2', 9, 11], ['1.3', 13, 13]], range: [3, 13] },
        { id: '2', title: '', criteria: [['2.1', 19, 25]], range: [15, 25] },
      ],
    );
    assert.equal(s.requirements[0].range.file, '.kiro/specs/s/requirements.md');
  });

  const TASKS = lines(
    '# Plan',
    '',
    '- [x] 1. Set up `src/retry.ts` and',
    '  `src/{client,server}.ts`',
    '  - _Requirements: 1.1–1.3,',
    '    2.1_',
    '- [-] 2. Parent',
    '',
    '  - [ ]* 2.1 Optional child in `/usr/bin` and `~/.x` and `A/B/C`',
    '    - _Requirements: all_',
    '  - [~] 2.2 Queued child',
    '- [ ] 2. Duplicate number kept',
    '  - _Requirements: 9.9, 12 (descope record), banana_',
    '- [X] 3. Capital X is done',
    '```',
    '- [ ] 99. fenced, not a task',
    '```',
    'Prose with `[x]` in backticks is not a task.',
  );

  it('reads tasks at any depth with every state, ids, parents, wrapped titles and expanded refs', () => {
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': TASKS });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.state, t.mark, t.optional, t.depth, t.parent ?? null, t.range.startLine, t.range.endLine]),
      [
        ['1', 'done', 'x', false, 0, null, 3, 6],
        ['2', 'in-progress', '-', false, 0, null, 7, 7],
        ['2.1', 'optional', ' ', true, 1, '2', 9, 10],
        ['2.2', 'todo', '~', false, 1, '2', 11, 11],
        ['L12', 'todo', ' ', false, 0, null, 12, 13],
        ['3', 'done', 'X', false, 0, null, 14, 14],
      ],
    );
    assert.equal(s.tasks[0].title, 'Set up `src/retry.ts` and `src/{client,server}.ts`');
    assert.deepEqual(s.tasks[0].requirements, ['1.1', '1.2', '1.3', '2.1']);
    assert.deepEqual(s.tasks[0].paths, ['src/retry.ts', 'src/client.ts', 'src/server.ts']);
    assert.equal(s.tasks[2].allRequirements, true);
    assert.deepEqual(s.tasks[2].paths, []);
    assert.deepEqual(s.tasks[4].requirements, ['9.9', '12']);
  });

  it('turns a reference to a missing requirement (or a non-id) into a problem with its line', () => {
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': TASKS });
    assert.deepEqual(s.problems, [
      { file: '.kiro/specs/s/tasks.md', line: 12, message: 'task id 2 is used twice (lines 7 and 12): the task at line 12 is checked as task L12; give it a number of its own' },
      { file: '.kiro/specs/s/tasks.md', line: 13, message: 'task L12 references requirement 9.9, which does not exist' },
      { file: '.kiro/specs/s/tasks.md', line: 13, message: 'task L12 references requirement 12, which does not exist' },
      { file: '.kiro/specs/s/tasks.md', line: 13, message: 'task L12: `banana` is not a requirement reference' },
    ]);
    assert.deepEqual(s.unresolvedRefs?.map((u) => [u.task, u.ref, u.range.startLine]), [
      ['L12', '9.9', 13],
      ['L12', '12', 13],
      ['L12', 'banana', 13],
    ]);
  });

  it('reads criteria listed with no `#### Acceptance Criteria` heading (plain or after a bold line), not those of a sub-heading', () => {
    const s = spec('kiro', {
      'requirements.md': lines(
        '### Requirement 1: Plain list',
        '',
        '**User Story:** As a payer, I want retries.',
        '',
        '1. WHEN a charge fails THEN retry',
        '2. WHEN retries run out THEN stop',
        '',
        '### Requirement 2: Bold label',
        '',
        '1. As an admin I count this line? No: it comes before the label.',
        '',
        '**Acceptance Criteria:**',
        '',
        '1. WHEN asked THEN report',
        '',
        '#### Notes',
        '',
        '1. not a criterion',
      ),
      'tasks.md': lines('- [ ] 1. Retry', '  - _Requirements: 1.2, 2.1_'),
    });
    assert.deepEqual(
      s.requirements.map((r) => [r.id, r.criteria.map((c) => [c.id, c.text, c.range.startLine])]),
      [
        ['1', [['1.1', 'WHEN a charge fails THEN retry', 5], ['1.2', 'WHEN retries run out THEN stop', 6]]],
        ['2', [['2.1', 'WHEN asked THEN report', 14]]],
      ],
    );
    assert.deepEqual(s.problems, []);
  });

  it('numbers acceptance criteria as the rendered list shows them: a nested list is part of its item, `1.` on every line counts up, `1)` is a list too', () => {
    const reqs = lines(
      '# Requirements',
      '',
      '### Requirement 1: Export',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN the user exports THEN the system SHALL:',
      '   1. write a CSV file',
      '   2. include a header row',
      '2. WHEN the export fails THEN the system SHALL show an error',
      '',
      '### Requirement 2: Import',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN a file is dropped THEN the system SHALL parse it',
      '1. WHEN parsing fails THEN the system SHALL show the line',
      '1. WHEN the file is empty THEN the system SHALL warn',
      '',
      '### Requirement 3: Undo',
      '',
      '#### Acceptance Criteria',
      '',
      '1) WHEN the user presses undo THEN the system SHALL revert',
      '2) WHEN nothing to undo THEN the system SHALL do nothing',
    );
    const s = spec('kiro', { 'requirements.md': reqs, 'tasks.md': lines('- [ ] 1. Export, import and undo in `src/io.ts`', '  - _Requirements: 1.2, 2.3, 3.2_') });
    assert.deepEqual(
      s.requirements.map((r) => [r.id, r.criteria.map((c) => [c.id, c.text, c.range.startLine, c.range.endLine])]),
      [
        ['1', [['1.1', 'WHEN the user exports THEN the system SHALL:', 7, 9], ['1.2', 'WHEN the export fails THEN the system SHALL show an error', 10, 10]]],
        ['2', [['2.1', 'WHEN a file is dropped THEN the system SHALL parse it', 16, 16], ['2.2', 'WHEN parsing fails THEN the system SHALL show the line', 17, 17], ['2.3', 'WHEN the file is empty THEN the system SHALL warn', 18, 18]]],
        ['3', [['3.1', 'WHEN the user presses undo THEN the system SHALL revert', 24, 24], ['3.2', 'WHEN nothing to undo THEN the system SHALL do nothing', 25, 25]]],
      ],
    );
    assert.deepEqual(s.problems, []);
  });

  it('keeps the text of code spans in a requirement title as written: stars and underscores are code there', () => {
    const s = spec('kiro', { 'requirements.md': lines('### Requirement 1: Support `a**b` and `x__y__z` in `src/**/*.ts`, **bold** too', '', '1. WHEN a THEN SHALL b') });
    assert.equal(s.requirements[0]!.title, 'Support a**b and x__y__z in src/**/*.ts, bold too');
  });

  it('expands a range across requirements (`1.3–2.1`) through the criteria in document order', () => {
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Span', '  - _Requirements: 1.2–2.1_', '- [ ] 2. Backwards', '  - _Requirements: 2.1–1.1_') });
    assert.deepEqual(s.tasks[0].requirements, ['1.2', '1.3', '2.1']);
    assert.deepEqual(s.problems.map((p) => [p.line, p.message]), [[4, 'task 2: `2.1–1.1` is not a requirement reference']]);
  });

  it('reports once when tasks reference requirements but there is no requirements document', () => {
    const s = spec('kiro', { 'tasks.md': TASKS });
    const refs = s.problems.filter((p) => !p.message.startsWith('task id 2 is used twice'));
    assert.equal(refs.length, 1);
    assert.match(refs[0].message, /^tasks reference requirements \(1\.1, 1\.2, 1\.3…\) but the spec defines none$/);
  });

  it('says which heading level Kiro reads when requirements.md has its requirements at another level', () => {
    const reqs = lines('# Requirements', '', '## Requirement 1: Retry failed charges', '', '1. WHEN a charge fails THEN retry', '', '#### Requirement 2', 'text');
    const s = spec('kiro', { 'requirements.md': reqs, 'tasks.md': lines('- [ ] 1. Retry', '  - _Requirements: 1_') });
    assert.deepEqual(s.requirements, []);
    assert.deepEqual(
      s.problems.map((p) => [p.file.slice(p.file.lastIndexOf('/') + 1), p.line, p.message]),
      [
        ['requirements.md', 3, 'the level-2 heading "## Requirement 1: Retry failed charges" is not read as a requirement: Kiro requirements are level-3 headings ("### Requirement 1: Retry failed charges")'],
        ['requirements.md', 7, 'the level-4 heading "#### Requirement 2" is not read as a requirement: Kiro requirements are level-3 headings ("### Requirement 2")'],
        ['tasks.md', 2, 'tasks reference requirements (1…) but the spec defines none'],
      ],
    );
    // Beside requirements at level 3, one at another level is a problem too: left out silently,
    // every reference to it would "not exist". A heading of a number read at level 3 is a part of it.
    const mixed = spec('kiro', { 'requirements.md': lines('### Requirement 1: A', '1. WHEN a THEN b', '#### Requirement 1 notes', '## Requirement 2') });
    assert.deepEqual(mixed.requirements.map((r) => r.id), ['1']);
    assert.deepEqual(mixed.problems.map((p) => [p.line, p.message]), [
      [4, 'the level-2 heading "## Requirement 2" is not read as a requirement: Kiro requirements are level-3 headings ("### Requirement 2")'],
    ]);
  });

  it('takes backticked paths in tasks and design as include scope, repository paths only', () => {
    const design = lines('# Design', '- `src/retry.ts` and `lib/`', '## Non-Goals', '- `infra/main.tf` stays');
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': TASKS, 'design.md': design });
    assert.deepEqual(s.scope, {
      include: ['src/retry.ts', 'src/client.ts', 'src/server.ts', 'lib/**'],
      exclude: ['infra/main.tf'],
      protected: [],
    });
    assert.deepEqual(
      s.scopeSources.map((x) => [x.glob, x.list, x.origin, x.range?.file.split('/').pop(), x.range?.startLine]),
      [
        ['src/retry.ts', 'include', 'task', 'tasks.md', 3],
        ['src/client.ts', 'include', 'task', 'tasks.md', 4],
        ['src/server.ts', 'include', 'task', 'tasks.md', 4],
        ['src/retry.ts', 'include', 'design', 'design.md', 2],
        ['lib/**', 'include', 'design', 'design.md', 2],
        ['infra/main.tf', 'exclude', 'scope-section', 'design.md', 4],
      ],
    );
  });

  it('reads no task and no path in an HTML comment or an indented code block: the rendered page shows none of them', () => {
    const tasks = lines(
      '# Plan',
      '',
      '- [ ] 1. Add caching in `src/cache.ts` <!-- and `src/inline.ts` -->',
      '  <!-- - [ ] 1.1 hidden in `src/nested.ts` -->',
      '',
      '<!--',
      '- [ ] 2. (dropped) Rewrite `src/auth/session.ts`',
      '-->',
      '',
      '<!-- also `src/secrets.ts` -->',
      '',
      'Task format example:',
      '',
      '    - [x] 3. Example task in `src/example.ts`',
      '',
      '- [x] 4. Log in `src/log.ts`',
    );
    const design = lines('# Design', '', '<!--', 'Old plan: `src/old/`', '-->', '', '<script>`src/script.ts`</script>', '', 'Uses `src/cache.ts`.');
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': tasks, 'design.md': design });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.state, t.title, t.paths]),
      [
        ['1', 'todo', 'Add caching in `src/cache.ts` <!-- and `src/inline.ts` -->', ['src/cache.ts']],
        ['4', 'done', 'Log in `src/log.ts`', ['src/log.ts']],
      ],
    );
    assert.deepEqual(s.scope.include, ['src/cache.ts', 'src/log.ts']);
    // A comment with `--!>` in it, which a browser ends there and shows what follows, is read.
    const bang = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Real `src/a.ts`', '', '<!-- note --!>', '- [x] 2. Shown in a preview `src/b.ts`', '-->') });
    assert.deepEqual(bang.tasks.map((t) => t.id), ['1', '2']);
    // Comment markers in code spans are code: the path between them is named.
    const spans = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': tasks, 'design.md': lines('# Design', '', '## Non-Goals', '', '- Key material: `<!--` `src/secret/**` `-->`') });
    assert.deepEqual(spans.scope.exclude, ['src/secret/**']);
    // Visible raw HTML is text a reader sees: its paths count.
    const shown = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': tasks, 'design.md': lines('# Design', '', '<div>', 'Touches `src/shown.ts`', '</div>') });
    assert.deepEqual(shown.scope.include, ['src/cache.ts', 'src/log.ts', 'src/shown.ts']);
  });

  it('reads a checkbox in an ordered list item (`1. [ ]`, `2) [x]`) as a task, as GitHub and VS Code draw it', () => {
    const tasks = lines('# Plan', '', '- [x] 1. Add the parser in `src/parser.ts`', '1. [ ] 2. Add the CLI flag in `src/cli.ts`', '2) [x] Document it in `docs/cli.md`', '   1. [ ] 3.1 A nested one in `src/nested.ts`');
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': tasks });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.state, t.paths, t.parent ?? null]),
      [
        ['1', 'done', ['src/parser.ts'], null],
        ['2', 'todo', ['src/cli.ts'], null],
        ['L5', 'done', ['docs/cli.md'], null],
        ['3.1', 'todo', ['src/nested.ts'], 'L5'],
      ],
    );
  });

  it('puts no path in scope that the design says is not to change, as a Scope section\'s clause would not', () => {
    const design = lines(
      '# Design',
      '',
      'The cache sits in front of `src/api/`. We will not modify `src/billing/` at all.',
      'This design deliberately avoids touching `src/legacy/`, which stays unchanged.',
      'Touch `src/shared/` but not `src/shared/auth/`.',
    );
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Cache in `src/cache.ts`'), 'design.md': design });
    assert.deepEqual(s.scope.include, ['src/cache.ts', 'src/api/**', 'src/shared/**']);
    const proposal = lines('## Why', '', 'Speed.', '', '## Impact', '', '- Affected: `src/cache/`', '- Not affected: `src/billing/` (must stay unchanged)');
    const o = spec('openspec', { 'proposal.md': proposal, 'tasks.md': lines('## 1. Cache', '', '- [ ] 1.1 Add `src/cache/lru.ts`') });
    assert.deepEqual(o.scope.include, ['src/cache/lru.ts', 'src/cache/**']);
  });

  it('reads no path a task line forbids changing (`Do not modify x`), in every layout; an adjective about something else is no prohibition', () => {
    const kiro = spec('kiro', {
      'requirements.md': KIRO_REQS,
      'tasks.md': lines('- [ ] 1. Add retry in `src/billing/retry.ts`', '  - Do not modify `src/legacy/client.ts`', '  - `src/legacy/db.ts` must not change', '  - Never touch `src/legacy/auth.ts`'),
    });
    assert.deepEqual(kiro.tasks[0]!.paths, ['src/billing/retry.ts']);
    assert.deepEqual(kiro.scope.include, ['src/billing/retry.ts']);
    const sk = spec('speckit', {
      'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'),
      'tasks.md': lines('# Tasks', '', '- [ ] T001 Add retry in src/billing/retry.ts', '- [ ] T002 Do not modify src/legacy/client.ts', '- [ ] T003 Integration test (existing commands unchanged) in tests/integration/compat.spec.ts'),
    });
    assert.deepEqual(sk.tasks.map((t) => [t.id, t.paths]), [['T001', ['src/billing/retry.ts']], ['T002', []], ['T003', ['tests/integration/compat.spec.ts']]]);
    const os = spec('openspec', { 'proposal.md': lines('## Why', '', 'x'), 'tasks.md': lines('## 1. Retry', '', '- [ ] 1.1 Add `src/billing/retry.ts`', '- [ ] 1.2 Do not modify `src/legacy/client.ts`') });
    assert.deepEqual(os.tasks.map((t) => [t.id, t.paths]), [['1.1', ['src/billing/retry.ts']], ['1.2', []]]);
  });

  it('reads a scope item wrapped over several lines as one: a path on its second line is excluded too', () => {
    const design = lines('# Design', '', '## Non-Goals', '', '- **No certificate provider.** Descoped by operator decision; the', '  drafted requirements live elsewhere. `cmd/ca_service` is untouched.', '- Rewriting the legacy importer that lives in', '`src/legacy/` (it stays as it is).', '');
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Cache in `src/cache.ts`'), 'design.md': design });
    assert.deepEqual(s.scope.exclude, ['cmd/ca_service', 'cmd/ca_service/**', 'src/legacy/**']);
    assert.deepEqual(s.scope.include, ['src/cache.ts']);
  });

  it('reads a `**Scope:**` list that its lead-in says must stay unaffected (Kiro\'s bugfix design) as no scope', () => {
    const design = lines(
      '# Design',
      '',
      '### Preservation Requirements',
      '',
      '**Scope:**',
      'All inputs that do NOT involve the `mcpServers` field should be completely unaffected by this fix. This includes:',
      '- The `src/installer/mcp-config.ts` write path',
      '- The compressor agent in `src/agents/compressor.ts`',
      '',
      '**Scope:**',
      '- `src/installer/index.ts`',
    );
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Fix in `src/installer/index.ts`'), 'design.md': design });
    assert.deepEqual(s.scope, { include: ['src/installer/index.ts'], exclude: [], protected: [] });
  });

  it('says once per file that absolute paths of the author\'s machine are not read as scope', () => {
    const tasks = lines('# Tasks', '', '- [ ] T001 Create the hint in /home/me/proj/src/types/hint.ts', '- [ ] T002 Wire it in /home/me/proj/src/cli.ts and src/cli.ts', '- [ ] T003 Docs in `C:\\Users\\me\\proj\\README.md`');
    const s = spec('speckit', { 'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'), 'tasks.md': tasks });
    assert.deepEqual(s.tasks.map((t) => [t.id, t.paths]), [['T001', []], ['T002', ['src/cli.ts']], ['T003', []]]);
    assert.deepEqual(s.problems.map((p) => [p.line, p.message]), [
      [3, "this file names 3 absolute paths, the first here (`/home/me/proj/src/types/hint.ts`): a path of the author's machine is not read as scope, so a task that names its files only so covers none; write paths from the repository root"],
    ]);
  });

  it('reads the entries a task writes into an ignore file as patterns, not paths it changes, in every layout', () => {
    const sk = spec('speckit', {
      'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'),
      'tasks.md': lines('# Tasks', '', '- [X] **T008** [P] Create .gitignore', '  - **Entries**: `todo.db`, `.venv`, `htmlcov/`, `.env`, `node_modules/`, `*.log`, `./keep.txt`, `src/gen/`'),
    });
    assert.deepEqual(sk.tasks[0]!.paths, ['.gitignore', 'keep.txt', 'src/gen/**']);
    assert.deepEqual(sk.scope.include, ['.gitignore', 'keep.txt', 'src/gen/**']);
    const kiro = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': lines('- [ ] 1. Ignore the outputs in `.gitignore`: `dist/`, `*.log`, `.env`', '- [ ] 2. Build in `dist/`') });
    assert.deepEqual(kiro.tasks.map((t) => t.paths), [['**/.gitignore'], ['dist/**']]);
    assert.deepEqual(kiro.scope.include, ['**/.gitignore', 'dist/**']);
    const plain = spec('plain', { 'cache.md': lines('---', 'scope: ["src/**"]', '---', '# Cache', '', '- [ ] Ignore the outputs in `.gitignore`: `dist/`, `*.log`, `.env`') });
    assert.deepEqual(plain.tasks.map((t) => t.paths), [['**/.gitignore']]);
    assert.deepEqual(plain.scope.include, ['**/.gitignore', 'src/**']);
  });

  it('reads `Create X.kt … in dir/` as the one file dir/X.kt, not every X.kt and the whole folder', () => {
    const kiro = spec('kiro', {
      'requirements.md': KIRO_REQS,
      'tasks.md': lines('- [ ] 1. Add the stats screen', '  - Create `StatsScreen.kt` wrapper class in `app/src/ui/screens/`', '  - Add tests for `Stats.kt` in `test/`', '- [ ] 2. Move `Old.kt` into `lib/`'),
    });
    assert.deepEqual(kiro.tasks.map((t) => t.paths), [['app/src/ui/screens/StatsScreen.kt', '**/Stats.kt', 'test/**'], ['**/Old.kt', 'lib/**']]);
    const sk = spec('speckit', { 'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'), 'tasks.md': lines('# Tasks', '', '- [ ] T001 Create A.kt and B.kt in app/src/ui/') });
    assert.deepEqual(sk.tasks[0]!.paths, ['app/src/ui/A.kt', 'app/src/ui/B.kt']);
  });

  it('reads no path a task or design names as a reference to look at: a pattern to follow, see, tests that still pass', () => {
    const kiro = spec('kiro', {
      'requirements.md': KIRO_REQS,
      'tasks.md': lines(
        '- [ ] 1. Add the retry helper in `src/billing/retry.ts`, following the pattern in `src/payments/retry.ts`',
        '  - See `src/shared/backoff.ts` for reference',
        '  - Verify existing tests still pass (`test/auth.test.ts`, `test/db.test.ts`)',
        '  - Update handlers like `src/h/a.ts` and `src/h/b.ts`',
      ),
      'design.md': lines('# Design', '', 'Based on `src/reference/impl.ts`; the handler lives in `src/billing/handler.ts`.'),
    });
    assert.deepEqual(kiro.tasks[0]!.paths, ['src/billing/retry.ts', 'src/h/a.ts', 'src/h/b.ts']);
    assert.deepEqual(kiro.scope.include, ['src/billing/retry.ts', 'src/h/a.ts', 'src/h/b.ts', 'src/billing/handler.ts']);
  });

  it('reads a task struck through as a whole as cancelled: no task, no path; struck wording with new wording after it is a task', () => {
    const tasks = lines(
      '- [x] 1. Add the cache in `src/cache.ts`',
      '- [x] 2. ~~Rewrite the importer~~ `src/importer.ts`',
      '  - ~~Touch `src/legacy.ts` too~~',
      '- [ ] ~~3. Drop the old client~~',
      '- [ ] 4. ~~Use Redis~~ Use Memcached in `src/store.ts`',
    );
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': tasks });
    assert.deepEqual(s.tasks.map((t) => [t.id, t.state, t.paths]), [['1', 'done', ['src/cache.ts']], ['4', 'todo', ['src/store.ts']]]);
    assert.deepEqual(s.scope.include, ['src/cache.ts', 'src/store.ts']);
  });

  it('reads bugfix.md clauses as criteria and `.config.kiro`; Unchanged Behavior paths are not excluded (they name the code under repair)', () => {
    const bugfix = lines(
      '# Bugfix',
      '### Current Behavior (Defect)',
      '1.1 WHEN x THEN it breaks',
      '1.2 WHEN y THEN it breaks',
      '### Unchanged Behavior (Regression Prevention)',
      '3.1 WHEN `src/auth/session.ts` is used THEN it SHALL CONTINUE TO work',
    );
    const s = spec('kiro', { 'bugfix.md': bugfix, '.config.kiro': '{"specType":"bugfix"}', 'tasks.md': lines('- [ ] 1. Fix', '  - _Requirements: 1.1, 3.1_') });
    assert.deepEqual(s.requirements.map((r) => [r.id, r.kind, r.title, r.criteria.map((c) => c.id)]), [
      ['1', 'bugfix', 'Current Behavior (Defect)', ['1.1', '1.2']],
      ['3', 'bugfix', 'Unchanged Behavior (Regression Prevention)', ['3.1']],
    ]);
    assert.deepEqual(s.problems, []);
    assert.deepEqual(s.scope.exclude, []);
  });

  it('reports a requirement defined twice', () => {
    const s = spec('kiro', { 'requirements.md': lines('### Requirement 1: A', '### Requirement 2: B', '### Requirement 1: A again') });
    assert.deepEqual(s.problems, [{ file: '.kiro/specs/s/requirements.md', line: 3, message: 'requirement 1 is defined twice (also at `requirements.md:1`)' }]);
  });

  it('reports a .config.kiro that is not JSON', () => {
    const s = spec('kiro', { '.config.kiro': '{nope', 'tasks.md': '- [ ] 1. x\n' });
    assert.deepEqual(s.problems, [{ file: '.kiro/specs/s/.config.kiro', line: 1, message: '.config.kiro is not valid JSON' }]);
  });
});

describe('spec model: spec-kit', () => {
  const SPEC = lines(
    '# Feature',
    '### User Story 1 - Export (Priority: P1)',
    '**Acceptance Scenarios**:',
    '1. **Given** a, **When** b, **Then** c',
    '2. **Given** d, **When** e, **Then** f',
    '### Functional Requirements',
    '- **FR-001**: System MUST export.',
    '- **NFR-001**: Fast.',
    '- **SC-001**: Under 2 s.',
    '- FR-002 mentioned without bold is not a definition',
  );
  const TASKS = lines(
    '- [P] tasks can run in parallel',
    '- [ ] T001 Create src/export/ and README.md',
    '- [x] T002 [P] [US1] Encoder in `src/export/csv.ts` for A/B/C and @types/node',
    '  - **File**: src/export/util.ts',
    '- [X] **T072b** [US2] Bold id with a suffix',
    '- [ ] Checklist line without an id',
  );
  const PLAN = lines(
    '## Project Structure',
    '```text',
    'specs/[###-feature]/',
    '└── plan.md',
    'src/',
    '├── export/          # new',
    '│   ├── csv.ts',
    '│   └── ...',
    '└── cli.py',
    'tests/',
    'pyproject.toml      # root file',
    '```',
    '```toml',
    'todo = "src.cli:main"',
    '```',
    '```bash',
    '$ todo --help',
    '```',
  );

  it('reads `T-006` task ids as `T006` ones are read (they were checkbox lines and no task)', () => {
    const s = spec('speckit', { 'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'), 'tasks.md': lines('# Tasks', '', '- [x] T-006 [P] Add the parser in src/parser.ts', '- [ ] All tests pass') });
    assert.deepEqual(s.tasks.map((t) => [t.id, t.state, t.parallel, t.paths]), [['T-006', 'done', true, ['src/parser.ts']]]);
  });

  it('reads FR definitions not bold (with their colon) or numbered, and resolves `_Requirements: FR-001_` in tasks', () => {
    const specMd = lines('# Feature', '', '## Requirements', '', '- **FR-001**: System MUST authenticate users', '- FR-002: System MUST rate-limit logins', '1. **FR-003**: System MUST expire tokens', '- FR-005 is covered elsewhere');
    const tasks = lines('# Tasks', '', '- [ ] T001 Login handler in src/auth/login.ts', '  _Requirements: FR-001_', '- [ ] T002 Rate limiter in src/auth/rate.ts', '  _Requirements: FR-002, FR-099_');
    const s = spec('speckit', { 'spec.md': specMd, 'tasks.md': tasks });
    assert.deepEqual(s.requirements.map((r) => [r.id, r.title]), [['FR-001', 'System MUST authenticate users'], ['FR-002', 'System MUST rate-limit logins'], ['FR-003', 'System MUST expire tokens']]);
    assert.deepEqual(s.tasks.map((t) => [t.id, t.requirements]), [['T001', ['FR-001']], ['T002', ['FR-002', 'FR-099']]]);
    assert.deepEqual(s.problems.map((p) => p.message), ['task T002 references requirement FR-099, which does not exist']);
  });

  it('reads FR/NFR/SC definitions and user stories with their acceptance scenarios', () => {
    const s = spec('speckit', { 'spec.md': SPEC });
    assert.deepEqual(s.requirements.map((r) => [r.id, r.kind, r.criteria.map((c) => c.id)]), [
      ['FR-001', 'functional', []],
      ['NFR-001', 'non-functional', []],
      ['SC-001', 'success', []],
      ['US1', 'story', ['US1.1', 'US1.2']],
    ]);
  });

  it('reads T-id tasks only (not legends or checklists), with [P], [USn], suffix ids and line paths', () => {
    const s = spec('speckit', { 'spec.md': SPEC, 'tasks.md': TASKS, 'plan.md': PLAN });
    assert.deepEqual(s.tasks.map((t) => [t.id, t.state, t.parallel, t.story ?? null, t.title]), [
      ['T001', 'todo', false, null, 'Create src/export/ and README.md'],
      ['T002', 'done', true, 'US1', 'Encoder in `src/export/csv.ts` for A/B/C and @types/node'],
      ['T072b', 'done', false, 'US2', 'Bold id with a suffix'],
    ]);
    assert.deepEqual(s.tasks[1].paths, ['src/export/csv.ts', 'src/export/util.ts']);
    assert.deepEqual(s.problems, [{ file: 'specs/001-s/tasks.md', line: 5, message: 'task T072b references requirement US2, which does not exist' }]);
    // A bare file name in a task line is the root's (`README.md`), not every folder's.
    assert.deepEqual(s.scope.include, ['src/export/**', 'README.md', 'src/export/csv.ts', 'src/export/util.ts', 'src/cli.py', 'tests/**', 'pyproject.toml']);
    assert.deepEqual(
      s.scopeSources.filter((x) => x.origin === 'plan').map((x) => [x.glob, x.range?.startLine]),
      [
        ['src/export/csv.ts', 7],
        ['src/export/**', 6],
        ['src/cli.py', 9],
        ['tests/**', 10],
        ['pyproject.toml', 11],
      ],
    );
  });
});

describe('spec model: spec-kit plan trees', () => {
  it('reads no entry the tree marks as not this work\'s to change, nor anything under it', () => {
    const plan = lines(
      '# Plan',
      '',
      '## Project Structure',
      '',
      '```text',
      'extension/',
      '├── src/',
      '│   └── content.ts        # [NEW] the content script',
      '├── dist/                 # build output (gitignored)',
      '│   └── content.js',
      '├── generated/            # generated by protoc, do not edit',
      '├── vendor/               # third-party code, unchanged',
      '└── todo.db               # SQLite database (created on first run, gitignored)',
      '```',
    );
    const s = spec('speckit', { 'spec.md': lines('# Spec', '', '- **FR-001**: System MUST x.'), 'plan.md': plan, 'tasks.md': lines('# Tasks') });
    assert.deepEqual(s.scope.include, ['extension/src/content.ts']);
  });
});

describe('spec model: OpenSpec', () => {
  it('reads deltas by operation with scenarios, renames, and ignores fenced examples', () => {
    const delta = lines(
      '## Purpose',
      'Before the deltas.',
      '## ADDED Requirements',
      '### Requirement: Limit',
      '#### Scenario: Over',
      '- WHEN over THEN 429',
      '#### Scenario: Under',
      '## REMOVED Requirements',
      '### Requirement: Old thing',
      '## RENAMED Requirements',
      '- FROM: `### Requirement: Login`',
      '- TO: `### Requirement: Sign in`',
      '    ```',
      '    ## ADDED Requirements',
      '    ### Requirement: Fenced',
      '    ```',
    );
    const s = spec('openspec', { 'proposal.md': lines('## Why', 'x', '## Impact', '- `src/a.ts`, src/b/c.ts, sync/removal/drift, docs/'), 'specs/api/spec.md': delta, 'tasks.md': lines('## 1. Group', '- [x] 1.1 Do', '  - [ ] nested no id') });
    assert.deepEqual(s.requirements.map((r) => [r.id, r.operation, r.capability, r.criteria.map((c) => c.id)]), [
      ['Limit', 'ADDED', 'api', ['Over', 'Under']],
      ['Old thing', 'REMOVED', 'api', []],
      ['Sign in', 'RENAMED', 'api', []],
    ]);
    // A scenario's text is its steps; one with none under its heading is named by its title.
    assert.deepEqual(s.requirements[0]!.criteria.map((c) => c.text), ['WHEN over THEN 429', 'Under']);
    assert.deepEqual(s.tasks.map((t) => [t.id, t.state, t.parent ?? null]), [
      ['1.1', 'done', null],
      ['L3', 'todo', '1.1'],
    ]);
    assert.deepEqual(s.scope.include, ['src/a.ts', 'src/b/c.ts', 'docs/**']);
  });

  it('takes bold `**Non-Goals:**` lists in design.md as exclude scope', () => {
    const s = spec('openspec', { 'design.md': lines('## Goals / Non-Goals', '**Goals:**', '- `src/keep.ts`', '**Non-Goals:**', '- Touching `db/`', '## Decisions', '- `src/other.ts`') });
    assert.deepEqual(s.scope, { include: [], exclude: ['db/**'], protected: [] });
  });
});

describe('spec model: declared scope in any layout', () => {
  it('reads front matter scope, out_of_scope and protected with their lines', () => {
    const s = spec('plain', { 's.md': lines('---', 'scope:', '  - src/cache/**', '  - src/cache', 'out_of_scope: src/db/**', 'protected:', '  - migrations/**', '---', '# Cache') });
    assert.deepEqual(s.scope, { include: ['src/cache/**', 'src/cache'], exclude: ['src/db/**'], protected: ['migrations/**'] });
    assert.deepEqual(s.scopeSources.map((x) => [x.glob, x.list, x.origin, x.range?.startLine]), [
      ['src/cache/**', 'include', 'front-matter', 2],
      ['src/cache', 'include', 'front-matter', 2],
      ['src/db/**', 'exclude', 'front-matter', 5],
      ['migrations/**', 'protected', 'front-matter', 6],
    ]);
    assert.deepEqual(s.problems, []);
  });

  it('reads Scope / In Scope / Out of Scope / Non-Goals sections, innermost heading winning', () => {
    const s = spec('speckit', {
      'spec.md': lines(
        '## Scope *(mandatory)*',
        '### In Scope',
        '- `src/a.ts` and src/b/',
        '- words like low/medium/high are not paths',
        '### Out of Scope',
        '- src/c.ts',
        '## 4. Non-Goals',
        '- no `infra/` changes',
        '## Other',
        '- `src/d.ts` is not scope here',
      ),
    });
    assert.deepEqual(s.scope, { include: ['src/a.ts', 'src/b/**'], exclude: ['src/c.ts', 'infra/**'], protected: [] });
  });

  it('keeps the lines of the non-goals as written (nonGoals), in any layout and in front matter, for rules that read names', () => {
    const ng = (s: Spec) => s.nonGoals?.map((g) => [g.range.file.slice(g.range.file.lastIndexOf('/') + 1), g.range.startLine, g.text]);
    // Kiro design: an Out of Scope section's lines, prose too; an item labelled so in a mixed section; not the goals.
    const k = spec('kiro', {
      'design.md': lines('# Design', '## Non-Goals', '- Replacing `moment` with `dayjs`', '  in this change', '', 'We keep axios.', '## Goals and Non-Goals', '- Non-goal: dropping lodash', '- Goal: `p-retry`'),
    });
    assert.deepEqual(ng(k), [
      ['design.md', 3, '- Replacing `moment` with `dayjs`'],
      ['design.md', 4, '  in this change'],
      ['design.md', 6, 'We keep axios.'],
      ['design.md', 8, '- Non-goal: dropping lodash'],
    ]);
    // spec-kit's Out of Scope, OpenSpec's bold label, front matter's list (the key's line only when the value is on it).
    assert.deepEqual(ng(spec('speckit', { 'spec.md': lines('## Scope', '### Out of Scope', '- Moving off `requests`') })), [['spec.md', 3, '- Moving off `requests`']]);
    assert.deepEqual(ng(spec('openspec', { 'design.md': lines('## Goals / Non-Goals', '**Goals:**', '- retry', '**Non-Goals:**', '- Swapping `zod`') })), [['design.md', 5, '- Swapping `zod`']]);
    assert.deepEqual(ng(spec('plain', { 's.md': lines('---', 'non_goals:', '  - moment', 'out_of_scope: [legacy/**]', 'scope: src/**', '---', '# S') })), [
      ['s.md', 3, '  - moment'],
      ['s.md', 4, 'out_of_scope: [legacy/**]'],
    ]);
    // None: the field is left out.
    assert.equal('nonGoals' in spec('plain', { 's.md': lines('# S', '- [ ] 1. Add `p-retry`') }), false);
  });
});

describe('spec model: bad input gives problems, never a throw or a hang', () => {
  it('malformed front matter YAML is a problem with its line; the rest is read', () => {
    const s = spec('plain', { 's.md': lines('---', 'scope:', '  - src/**', ' bad: [unclosed', '---', '- [ ] 1. still a task') });
    assert.equal(s.problems.length, 1);
    assert.equal(s.problems[0].file, 'docs/s.md');
    assert.equal(s.problems[0].line, 4);
    assert.match(s.problems[0].message, /^front matter is not valid YAML \(.+\); its scope is ignored$/);
    // Its position is the problem's line (4, in the file), not one counted inside the front matter.
    assert.doesNotMatch(s.problems[0].message, /at line \d|column \d/);
    assert.equal(s.tasks.length, 1);
    assert.deepEqual(s.scope.include, []);
  });

  it('a front matter key that reads as a scope key but is not one is a problem naming the key to write; other keys are left alone', () => {
    const s = spec('plain', {
      's.md': lines('---', 'scope: src/**', 'exclude:', '  - src/legacy/**', 'Non-Goals: [infra/**]', 'protect: deploy/**', 'Scope: lib/**', 'title: Retry', 'status: draft', 'out-of-scope: docs/**', '---'),
    });
    assert.deepEqual(s.problems.map((p) => [p.line, p.message]), [
      [3, 'front matter `exclude` is not a key SpecGate reads, so its globs are ignored; write `out_of_scope:`'],
      [5, 'front matter `Non-Goals` is not a key SpecGate reads, so its globs are ignored; write `non_goals:`'],
      [6, 'front matter `protect` is not a key SpecGate reads, so its globs are ignored; write `protected:`'],
      [7, 'front matter `Scope` is not a key SpecGate reads, so its globs are ignored; write `scope:`'],
    ]);
    assert.deepEqual(s.scope.include, ['src/**']);
    assert.deepEqual(s.scope.exclude, ['docs/**']);
  });

  it('front matter of the wrong shape, leaving the repository, or never closed is a problem', () => {
    assert.deepEqual(spec('plain', { 's.md': lines('---', 'scope: 3', '---') }).problems, [{ file: 'docs/s.md', line: 2, message: 'front matter `scope` must be a glob or a list of globs' }]);
    assert.deepEqual(spec('plain', { 's.md': lines('---', 'scope: [/etc/**, ../x]', '---') }).problems.map((p) => p.message), [
      'front matter `scope`: `/etc/**` is not a repository-relative glob',
      'front matter `scope`: `../x` is not a repository-relative glob',
    ]);
    assert.deepEqual(spec('plain', { 's.md': lines('---', '- a list', '---') }).problems.map((p) => p.message), ['front matter is not a YAML mapping; its scope is ignored']);
    assert.deepEqual(spec('plain', { 's.md': lines('---', 'scope:', '  - src/**', '# no closing line') }).problems.map((p) => p.message), [
      'front matter is not closed with a `---` (or `...`) line; its scope is ignored',
    ]);
  });

  it('a YAML alias bomb in front matter is a problem, not a hang', () => {
    const bomb = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    bomb.push('scope: *i', '---');
    const started = Date.now();
    const s = spec('plain', { 's.md': lines(...bomb) });
    assert.ok(Date.now() - started < 2000);
    assert.equal(s.problems.length, 1);
    assert.match(s.problems[0].message, /front matter/);
  });

  it('a binary or over-2-MB file is a problem and is not parsed', () => {
    const s = spec('kiro', { 'tasks.md': 'PNG\u0000\u0001binary', 'requirements.md': 'x'.repeat(2 * 1024 * 1024 + 1) });
    assert.deepEqual(s.problems.map((p) => p.message), [
      '`requirements.md` is larger than 2 MB; it was not read',
      '`tasks.md` is a binary file; it was not read',
      '`.kiro/specs/s` has no readable spec file',
    ]);
    // Located at the first file that could not be read, not at the folder (a SARIF result needs a file).
    assert.deepEqual(s.problems.map((p) => [p.file, p.line]), [
      ['.kiro/specs/s/requirements.md', 1],
      ['.kiro/specs/s/tasks.md', 1],
      ['.kiro/specs/s/requirements.md', 1],
    ]);
  });

  it('files that are not spec text (an image in the folder) are ignored, not problems', () => {
    const s = spec('kiro', { 'tasks.md': '- [ ] 1. x\n', 'diagram.png': '\u0089PNG\u0000\u0000', 'notes.txt': 'x'.repeat(3 * 1024 * 1024) });
    assert.deepEqual(s.problems, []);
    assert.equal(s.tasks.length, 1);
  });

  it('an empty spec folder gives one clear problem', () => {
    const s = parseSpec({ id: '.kiro/specs/empty', format: 'kiro', name: 'empty', files: [] }, []);
    assert.deepEqual(s.problems, [{ file: '.kiro/specs/empty', message: '`.kiro/specs/empty` has no readable spec file' }]);
    assert.deepEqual([s.requirements, s.tasks, s.scope.include], [[], [], []]);
  });

  it('CRLF line ends and a BOM give the same model and lines as LF', () => {
    const lf = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': TASKS_WITH_REFS });
    const crlf = spec('kiro', { 'requirements.md': `\uFEFF${KIRO_REQS.replace(/\n/g, '\r\n')}`, 'tasks.md': `\uFEFF${TASKS_WITH_REFS.replace(/\n/g, '\r\n')}` });
    assert.deepEqual(crlf, lf);
    assert.equal(lf.tasks[0].title, 'First');
    const fm = spec('plain', { 's.md': '\uFEFF---\r\nscope:\r\n  - src/**\r\n---\r\n# T\r\n' });
    assert.deepEqual(fm.scope.include, ['src/**']);
  });

  it('parses a 10,000-task list well under 2 s', () => {
    let text = '# Tasks\n\n';
    for (let i = 1; i <= 10_000; i++) text += `- [${i % 2 ? 'x' : ' '}] ${i}. Task ${i} in \`src/m${i % 40}/f${i}.ts\`\n  - _Requirements: 1.${(i % 3) + 1}_\n`;
    const started = Date.now();
    const s = spec('kiro', { 'requirements.md': KIRO_REQS, 'tasks.md': text });
    const ms = Date.now() - started;
    assert.equal(s.tasks.length, 10_000);
    assert.equal(s.tasks.filter((t) => t.state === 'done').length, 5_000);
    assert.equal(s.tasks[9_999].range.startLine, 3 + 2 * 9_999);
    assert.equal(s.problems.length, 0);
    assert.ok(ms < 2000, `took ${ms} ms`);
  });

  it('pathological lines (100k backticks, deep nesting, a 1 MB line) finish quickly', () => {
    const started = Date.now();
    spec('kiro', { 'tasks.md': '`'.repeat(100_000) });
    spec('kiro', { 'tasks.md': `${'> '.repeat(2_000)}- [ ] 1. deep\n` });
    spec('kiro', { 'tasks.md': `- [ ] 1. ${'a/'.repeat(500_000)}\n` });
    spec('kiro', { 'design.md': `${'- '.repeat(5_000)}x\n${'   '.repeat(3_000)}- [ ] 1. y\n` });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});

const TASKS_WITH_REFS = lines('- [ ] 1. First', '  - _Requirements: 1.1_', '- [x] 2. Second', '  - _Requirements: 2.1_');

describe('markdown structure', () => {
  it('is cached by content hash', () => {
    const text = `# Cached ${Date.now()}\n`;
    assert.equal(parseMarkdown(text), parseMarkdown(`${text}`));
  });

  it('keeps headings inside a long fence out of the structure, across chunk boundaries', () => {
    const body: string[] = ['# Top', ''];
    for (let i = 0; i < 60; i++) body.push(`- item ${i}`);
    body.push('', '```');
    for (let i = 0; i < 100; i++) body.push(i % 10 ? `- [ ] ${i}. fenced` : `# fenced ${i}`);
    body.push('```', '', 'Setext heading', '--------------', '', '## After');
    const doc = parseMarkdown(lines(...body));
    assert.deepEqual(doc.headings.map((h) => [h.depth, h.text, h.line]), [
      [1, 'Top', 1],
      [2, 'Setext heading', 167],
      [2, 'After', 170],
    ]);
    assert.equal(doc.fenced.filter(Boolean).length, 102);
  });
});

describe('markdown structure: markdown-it agrees with remark-parse', () => {
  it('gives the same headings and fenced lines as remark-parse on 500 seeded documents', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tokens = ['# H', '## H2 ##', '```', '```js', '~~~', '````', 'text', '- item', '  - sub', '1. num', '    code', '', '', '- [ ] 1. t', '#', '---', '===', '  ```', '> q', '<div>', '<!-- c', '-->', '#x', '\t```'];
    let withStructure = 0;
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 5 + rand(100) }, () => tokens[rand(tokens.length)]).join(rand(2) ? '\n' : '\r\n');
      const a = parseMarkdownUncached(text);
      const b = remarkStructure(text);
      assert.deepEqual([a.headings, a.fenced], [b.headings, b.fenced], text);
      if (a.headings.length + a.fenced.filter(Boolean).length > 0) withStructure++;
    }
    assert.ok(withStructure > 250);
  });
});

describe('paths and scope globs', () => {
  it('turns named paths into scope globs', () => {
    const cases: [string, string[]][] = [
      ['src/', ['src/**']],
      ['src/app', ['src/app', 'src/app/**']],
      ['./src/a.ts', ['src/a.ts']],
      ['README.md', ['**/README.md']],
      ['*.cpp', ['**/*.cpp']],
      ['.clang-format', ['**/.clang-format']],
      ['tests/alibaba_{a,b}_mock_test.cpp', ['tests/alibaba_a_mock_test.cpp', 'tests/alibaba_b_mock_test.cpp']],
      ['extension/{src/{a,b},dist}/', ['extension/src/a/**', 'extension/src/b/**', 'extension/dist/**']],
      ['/usr/bin', []],
      ['~/.local/bin', []],
      ['../outside.ts', []],
      ['A/B/C', []],
      ['ON/OFF', []],
      ['@types/node', []],
      ['https://example.com/x.md', []],
      ['{AppBaseDir}/Modules/', []],
      ['C:\\\\x\\\\y.ts', []],
    ];
    for (const [input, globs] of cases) assert.deepEqual(toScopeGlobs(input), globs, input);
    assert.deepEqual(toScopeGlobs('low/medium/high', true), []);
    assert.deepEqual(toScopeGlobs('src/a/b.ts', true), ['src/a/b.ts']);
  });

  it('recognises path-like spans and bare tokens as the labels do', () => {
    assert.deepEqual(['src/x.ts', 'README.md', '.gitignore', '.md', 'merged.name', 'foo(bar)', 'a b', '1.2.3', 'x/y'].map(looksLikePath), [true, true, true, false, false, false, false, false, true]);
    assert.deepEqual(['src/x.ts,', '(README.md)', 'a/b', 'a/b/c', 'A/B/C', 'src/', './x', 'http://x/y.md'].map(barePath), ['src/x.ts', 'README.md', null, 'a/b/c', null, 'src/', './x', null]);
    assert.deepEqual(expandBraces('a/{b,c{d,e}}.ts'), ['a/b.ts', 'a/cd.ts', 'a/ce.ts']);
    assert.equal(expandBraces(`${'{a,b}'.repeat(20)}`).length, 64);
  });
});

describe('paths: route segments, top-level names and more extensions', () => {
  // The file-system routers' folders and files (Next.js, SvelteKit, Nuxt, Astro, Remix).
  const ROUTES = [
    'app/(marketing)/page.tsx',
    'app/blog/[slug]/page.tsx',
    'pages/[...slug].tsx',
    'app/[[...opt]]/page.tsx',
    'src/routes/[id]/+page.svelte',
    'app/@modal/(.)photo/page.tsx',
    'app/(..)(..)photo/page.tsx',
    'src/routes/[[lang=lang]]/+layout.svelte',
    'src/routes/[id=integer]/+page.ts',
    'src/routes/+layout@(app).svelte',
    'pages/users-[group]/[id].vue',
    'src/pages/[lang]-[version]/info.astro',
    'app/routes/($lang).about.tsx',
    'app/[locale]/(auth)/login/page.tsx',
  ];
  // Code (and prose) with brackets or parentheses, with and without a slash.
  const CODE = [
    'foo(bar)', 'useState()', 'arr[0]', 'a[0].b', 'Array<T>', 'fn(x/y)', 'items[i]/2', 'items[i]/page.tsx', 'obj[key]/x.ts', 'x[1]/y.ts',
    'f(a)/b.ts', 'fn()/x', 'x/foo()', 'x-(y)/z', '(a-b)/c', '(n)/2', "require('./x')", "import('./page')", '[a-z]+/[0-9]+', '/[0-9]/',
    '[^/]+/x', 'src/*.[jt]s', 'src/[a-z].ts', 'src/a(1).ts', '[link](docs/x.md)', '(x)/(y)', '[x]/[y]', '(auth)/login', '/api/users/[id]',
    '(group)', '[x]', '[P]', '(.)photo', '(group).tsx', 'a/b-(c)',
  ];

  it('reads route segments in backticks as paths, and keeps code with brackets or parentheses out', () => {
    assert.deepEqual(ROUTES.filter((p) => !looksLikePath(p)), []);
    assert.deepEqual(['app/(marketing)', 'app/(marketing)/', 'app/[slug]/**', '[id].tsx', '[...slug].astro', '[[...slug]].vue'].filter((p) => !looksLikePath(p)), []);
    assert.deepEqual(CODE.filter(looksLikePath), []);
  });

  it('reads route segments in bare tokens only in a path ending in a file name or /', () => {
    assert.deepEqual(ROUTES.map(barePath), ROUTES);
    assert.deepEqual(['app/(shop)/', '(app/[id]/page.tsx),', 'pages/[id].tsx.'].map(barePath), ['app/(shop)/', 'app/[id]/page.tsx', 'pages/[id].tsx']);
    assert.deepEqual(['app/(marketing)', 'app/[slug]/**', '[id].tsx', '[page](app/(shop)/page.tsx)', '[docs](docs/)', ...CODE].map(barePath).filter((p) => p !== null), []);
  });

  it('turns a named route path into a glob that matches it alone: brackets and parentheses escaped', () => {
    const cases: [string, string[]][] = [
      ['app/blog/[slug]/page.tsx', ['app/blog/\\[slug\\]/page.tsx']],
      ['app/(marketing)/page.tsx', ['app/\\(marketing\\)/page.tsx']],
      ['app/@modal/(.)photo/page.tsx', ['app/@modal/\\(.\\)photo/page.tsx']],
      ['app/(marketing)', ['app/\\(marketing\\)', 'app/\\(marketing\\)/**']],
      ['app/[slug]/', ['app/\\[slug\\]/**']],
      ['app/[locale]/**', ['app/\\[locale\\]/**']],
      ['[id].tsx', ['**/\\[id\\].tsx']],
      ['./[id].tsx', ['\\[id\\].tsx']],
      ['app/{(shop),(blog)}/page.tsx', ['app/\\(shop\\)/page.tsx', 'app/\\(blog\\)/page.tsx']],
      ['app/routes/$slug.tsx', ['app/routes/$slug.tsx']],
      ['app/routes/blog.$slug.tsx', ['app/routes/blog.$slug.tsx']],
      ['app/routes/$.tsx', ['app/routes/$.tsx']],
      ['build/$VERSION/app.js', []],
      ['src/$dir/a.ts', []],
    ];
    for (const [input, globs] of cases) assert.deepEqual(toScopeGlobs(input), globs, input);
    assert.deepEqual(toScopeGlobs('app/blog/[slug]/page.tsx', true), ['app/blog/\\[slug\\]/page.tsx']);
  });

  it('shows a named route path\'s glob as the path the spec wrote; any other glob as written', () => {
    for (const p of [...ROUTES, 'app/shop/[product-id]/page.tsx']) assert.deepEqual(toScopeGlobs(p).map(shownGlob), [p], p);
    assert.deepEqual(toScopeGlobs('app/(marketing)/').map(shownGlob), ['app/(marketing)/**']);
    assert.deepEqual(toScopeGlobs('app/[slug]').map(shownGlob), ['app/[slug]', 'app/[slug]/**']);
    // Globs with a character class, an unescaped bracket beside an escaped one, another escape, or none: as written.
    const asWritten = ['src/**/*.ts', 'app/[slug]/page.tsx', 'src/*.[jt]s', '*.@(js|ts)', 'app/\\[slug\\]/[id].tsx', 'app/\\(shop\\)/(x)/a.ts', 'src/\\*.ts', 'a\\\\[b\\].ts', 'x\\'];
    assert.deepEqual(asWritten.map(shownGlob), asWritten);
  });

  it('keeps a top-level name written from the root (./LICENSE) at the root; all-capitals slash words stay out', () => {
    const cases: [string, string[]][] = [
      ['./LICENSE', ['LICENSE']],
      ['./CODEOWNERS', ['CODEOWNERS']],
      ['./Makefile', ['Makefile']],
      ['./package.json', ['package.json']],
      ['./A/B', ['A/B', 'A/B/**']],
      ['./!x.ts', ['**/!x.ts']],
      ['package.json', ['**/package.json']],
      ['A/B/C', []],
      ['ON/OFF', []],
    ];
    for (const [input, globs] of cases) assert.deepEqual(toScopeGlobs(input), globs, input);
  });

  it('reads a well-known name without an extension (`Dockerfile`, `LICENSE`, `go.mod`) alone in backticks as a path; not README, constants or bare prose', () => {
    const cases: [string, string[]][] = [
      ['Dockerfile', ['**/Dockerfile']],
      ['Makefile', ['**/Makefile']],
      ['Jenkinsfile', ['**/Jenkinsfile']],
      ['LICENSE', ['**/LICENSE']],
      ['CODEOWNERS', ['**/CODEOWNERS']],
      ['go.mod', ['**/go.mod']],
      ['go.sum', ['**/go.sum']],
    ];
    for (const [input, globs] of cases) {
      assert.equal(looksLikePath(input), true, input);
      assert.deepEqual(toScopeGlobs(input), globs, input);
    }
    assert.deepEqual(['README', 'NOTICE', 'BUILD', 'FOO', 'Dockerfiles', 'dockerfile'].filter(looksLikePath), []);
    assert.deepEqual(pathsInLine('- [ ] 1. Update the Makefile and `Dockerfile`'), ['Dockerfile']);
    const kiro = spec('kiro', { 'tasks.md': lines('- [ ] 1. Pin the base image in `Dockerfile` and `go.mod`') });
    assert.deepEqual(kiro.tasks[0].paths, ['**/Dockerfile', '**/go.mod']);
  });

  it('knows the extensions of web and infrastructure projects; alone (.svelte) they are no dotfile', () => {
    const names = ['Counter.svelte', 'index.astro', 'post.mdx', 'schema.prisma', 'schema.graphql', 'query.gql', 'theme.less', 'main.sass', 'app.styl',
      'view.ejs', 'card.hbs', 'base.njk', 'page.liquid', 'base.twig', 'nginx.conf.j2', 'header.tpl', 'show.html.erb', 'db.rake', 'app.gemspec',
      'defs.bzl', 'Token.sol', 'prod.tfvars', 'bun.lockb', 'vite.config.mts', 'a.test.ts.snap', 'renovate.json5', 'main.bicep', 'policy.rego'];
    assert.deepEqual(names.filter((n) => !looksLikePath(n) || barePath(n) !== n), []);
    assert.deepEqual(['.svelte', '.astro', '.mdx', '.prisma', 'this.props', 'arr.map', 'app.patch'].filter(looksLikePath), []);
    assert.deepEqual(toScopeGlobs('infra/prod.tfvars', true), ['infra/prod.tfvars']);
  });

  it('reads a parameter named with hyphenated words ([product-id], [...blog-slug], [[opt-lang]]) as a route segment; character classes ([a-z]) and index arithmetic ([i-1]) stay code', () => {
    const hyphenated = [
      'app/shop/[product-id]/page.tsx',
      'app/blog/[...blog-slug]/page.tsx',
      'app/docs/[[...doc-path]]/page.tsx',
      'pages/[product-id].tsx',
      'src/routes/[[opt-lang]]/+page.svelte',
      'src/routes/[item-id=integer]/+page.ts',
      'src/pages/[post-id]-[lang].astro',
      'app/[product-id]/',
    ];
    assert.deepEqual(hyphenated.filter((p) => !looksLikePath(p)), []);
    assert.deepEqual(hyphenated.map(barePath), hyphenated);
    assert.deepEqual(looksLikePath('[product-id].tsx'), true);
    assert.deepEqual(toScopeGlobs('app/shop/[product-id]/page.tsx'), ['app/shop/\\[product-id\\]/page.tsx']);
    assert.deepEqual(toScopeGlobs('app/docs/[[...doc-path]]/'), ['app/docs/\\[\\[...doc-path\\]\\]/**']);
    const kiro = spec('kiro', { 'tasks.md': lines('- [ ] 1. Product page `app/shop/[product-id]/page.tsx`') });
    assert.deepEqual(kiro.tasks[0].paths, ['app/shop/\\[product-id\\]/page.tsx']);
    // Character classes, index arithmetic and malformed hyphenated names stay out.
    const nearMisses = [
      '[a-z]/x.ts', 'app/[a-z]/page.tsx', 'app/[A-Z]/page.tsx', 'app/[A-Za-z]/page.tsx', 'app/[a-zA-Z0-9]/page.tsx', 'src/[a-f0-9].ts', '[0-9]-[a-z].ts',
      'app/[x-y]/page.tsx', 'app/[i-1]/page.tsx', 'app/[len-1]/page.tsx', 'app/[n-10]/x.ts', 'arr[i-1]/x.ts', 'items[post-id]/x.ts', 'app/[product-]/page.tsx',
      'app/[-id]/page.tsx', 'app/[product--id]/page.tsx', 'app/[product-id=is-int]/page.tsx', 'app/[[:alpha:]]/x.ts', 'app/[[product-id]/x.ts', '[product-id]',
    ];
    assert.deepEqual(nearMisses.filter(looksLikePath), []);
    assert.deepEqual(nearMisses.map(barePath).filter((p) => p !== null), []);
  });

  it('reads Remix\'s escaped route file names (sitemap[.]xml.tsx, [robots.txt].tsx) as paths; regex classes, indexing and names without an extension stay code', () => {
    const escaped = [
      'app/routes/sitemap[.]xml.tsx',
      'app/routes/[robots.txt].tsx',
      'app/routes/api.[v1].users.tsx',
      'app/routes/[sitemap.xml].ts',
      'app/routes/blog.[feed.rss].ts',
      'app/routes/sitemap[.]xml/route.tsx',
    ];
    assert.deepEqual(escaped.filter((p) => !looksLikePath(p)), []);
    assert.deepEqual(escaped.map(barePath), escaped);
    assert.deepEqual(['[robots.txt].tsx', 'sitemap[.]xml.tsx', './[robots.txt].tsx'].filter((p) => !looksLikePath(p)), []);
    for (const p of escaped) assert.deepEqual(toScopeGlobs(p).map(shownGlob), [p], p);
    const cases: [string, string[]][] = [
      ['app/routes/sitemap[.]xml.tsx', ['app/routes/sitemap\\[.\\]xml.tsx']],
      ['app/routes/[robots.txt].tsx', ['app/routes/\\[robots.txt\\].tsx']],
      ['[robots.txt].tsx', ['**/\\[robots.txt\\].tsx']],
    ];
    for (const [input, globs] of cases) assert.deepEqual(toScopeGlobs(input), globs, input);
    // The glob matches the file with the brackets in its name, not the one a character class would.
    const m = picomatch(toScopeGlobs('app/routes/sitemap[.]xml.tsx'));
    assert.deepEqual([m('app/routes/sitemap[.]xml.tsx'), m('app/routes/sitemap.xml.tsx')], [true, false]);
    // A regex class alone or in a name without an extension, index expressions, globs and regexes beside an escape, links: code.
    const nearMisses = [
      '[.]', '[.]/x.ts', 'src/[.]', 'file[.]txt', 'foo[.]bar', 'config[.]json', 'name[.]test[.]ts', '[robots.txt]', 'app/routes/[robots.txt]',
      'app/routes/[robots.txt]/', 'arr[0].x', 'a[0].b', 'x[1.5]', 'x[1.5]/y', '.*[.]min.js', 'src/.*[.]ts', '\\w+[.]ts', 'a?[.]b.ts', '^src/.+[.]tsx?$',
      '[^.]+.ts', '[.].tsx?', '[.].ts', '[..]/x.ts', 'foo[...slug].tsx', '[robots.txt](robots.txt)', '[robots.txt](public/robots.txt)', '[notes.md]',
    ];
    assert.deepEqual(nearMisses.filter(looksLikePath), []);
    assert.deepEqual(nearMisses.map(barePath).filter((p) => p !== null), []);
    const kiro = spec('kiro', { 'tasks.md': lines('- [ ] 1. Serve `app/routes/sitemap[.]xml.tsx` and `app/routes/[robots.txt].tsx`; split on `[.]` only') });
    assert.deepEqual(kiro.tasks[0].paths, ['app/routes/sitemap\\[.\\]xml.tsx', 'app/routes/\\[robots.txt\\].tsx']);
    const speckit = spec('speckit', { 'tasks.md': lines('- [ ] T001 [P] [US1] Versioned users route in app/routes/api.[v1].users.tsx and app/routes/[robots.txt].tsx') });
    assert.deepEqual(speckit.tasks[0].paths, ['app/routes/api.\\[v1\\].users.tsx', 'app/routes/\\[robots.txt\\].tsx']);
  });

  it('reads a spec-kit plan tree\'s hyphenated route folders and SvelteKit +page files by their names', () => {
    const plan = lines(
      '## Project Structure',
      '```text',
      'src/routes/',
      '├── [product-id]/',
      '│   └── +page.svelte',
      '└── [[...rest-path]]/',
      '    └── +layout.ts',
      'web/',
      '+-- app.ts',
      '```',
    );
    const s = spec('speckit', { 'plan.md': plan });
    assert.deepEqual(s.scope.include, ['src/routes/\\[product-id\\]/+page.svelte', 'src/routes/\\[\\[...rest-path\\]\\]/+layout.ts', 'web/app.ts']);
  });

  it('links a Kiro task and a spec-kit task line to route files, which are then in scope alone', () => {
    const kiro = spec('kiro', {
      'tasks.md': lines('- [ ] 1. Blog pages `app/blog/[slug]/page.tsx` and `app/(marketing)/layout.tsx`', '- [ ] 2. Modal `app/@modal/(.)photo/page.tsx`'),
    });
    assert.deepEqual(kiro.tasks.map((t) => t.paths), [['app/blog/\\[slug\\]/page.tsx', 'app/\\(marketing\\)/layout.tsx'], ['app/@modal/\\(.\\)photo/page.tsx']]);
    const speckit = spec('speckit', { 'tasks.md': lines('- [ ] T001 [P] [US1] Post page in src/routes/[id]/+page.svelte and pages/[...slug].tsx') });
    assert.deepEqual(speckit.tasks[0].paths, ['src/routes/\\[id\\]/+page.svelte', 'pages/\\[...slug\\].tsx']);
  });
});

describe('requirement reference lists', () => {
  it('expands ranges (en dash, em dash, hyphen) and keeps odd tokens visible', () => {
    assert.deepEqual(parseRefList('1.1, 2.1–2.3; 3.1—3.2, 4.1-4.2, 1.1'), { ids: ['1.1', '2.1', '2.2', '2.3', '3.1', '3.2', '4.1', '4.2'], all: [], nonstandard: [], invalid: [] });
    assert.deepEqual(parseRefList('All'), { ids: [], all: ['All'], nonstandard: [], invalid: [] });
    assert.deepEqual(parseRefList('12 (descope record), **5**'), { ids: ['12', '5'], all: [], nonstandard: ['12 (descope record)'], invalid: [] });
    assert.deepEqual(parseRefList('1.3–2.2, 1.5–1.1, x'), { ids: [], all: [], nonstandard: ['1.3–2.2', '1.5–1.1', 'x'], invalid: ['1.3–2.2', '1.5–1.1', 'x'] });
    assert.equal(parseRefList('1.1–1.99999999').ids.length, 0);
  });
});

describe('spec model: random markdown-like input', () => {
  it('never throws, and every range stays inside its file (500 seeded documents per layout)', () => {
    let seed = 0x5eed;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const tokens = ['- [ ] ', '- [x] ', '  - [-]* ', '1. ', '1.2 ', '### Requirement 3', '#### Acceptance Criteria', '## ADDED Requirements', '### Requirement: X', '#### Scenario: Y', '## Impact', '## Non-Goals', '**Non-Goals:**', '---', 'scope:', '  - src/**', '```', '~~~', '    ', '> ', '_Requirements: 1.1–1.3, all, 9_', 'T001 [P] [US1] ', '**FR-001**', '`src/{a,b}.ts`', 'src/x/y.ts', '<!--', '-->', '\t', '\r\n', '\n', '\n\n', 'word ', '├── ', '\u0000', '\uFEFF', '{', '[', '*', '\\'];
    const doc = (): string => Array.from({ length: 20 + rand(200) }, () => tokens[rand(tokens.length)]).join('');
    const formats: SpecFormat[] = ['kiro', 'speckit', 'openspec', 'plain'];
    for (const format of formats) {
      for (let n = 0; n < 500; n++) {
        const files: Record<string, string> =
          format === 'kiro'
            ? { 'requirements.md': doc(), 'tasks.md': doc(), 'design.md': doc() }
            : format === 'speckit'
              ? { 'spec.md': doc(), 'plan.md': doc(), 'tasks.md': doc() }
              : format === 'openspec'
                ? { 'proposal.md': doc(), 'tasks.md': doc(), 'specs/a/spec.md': doc() }
                : { 's.md': doc() };
        const s = spec(format, files);
        const lineCount = (file: string): number => {
          const rel = format === 'plain' ? 's.md' : file.slice(defaultId(format).length + 1);
          return (files[rel] ?? '').split(/\r\n|\r|\n/).length;
        };
        const ranges = [...s.requirements.map((r) => r.range), ...s.requirements.flatMap((r) => r.criteria.map((c) => c.range)), ...s.tasks.map((t) => t.range)];
        for (const r of ranges) assert.ok(r.startLine >= 1 && r.startLine <= r.endLine && r.endLine <= lineCount(r.file), `${format} #${n}: ${JSON.stringify(r)}`);
        for (const p of s.problems) assert.equal(typeof p.message, 'string');
      }
    }
  });
});
