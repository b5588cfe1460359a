// A task id written twice (an assistant inserts a task without renumbering): the later task
// stays a task of its own, checked as `L<line>` (the id an unnumbered task gets), so SG302
// still checks it and traceability never credits its requirement to the other task's files;
// the spec gets an SG401 problem naming the id and both lines.
import { strict as assert } from 'node:assert';
import { analyzeRepository } from '../../src/node/engine';
import { joinLines, parsedSpec } from './helpers/analysisFixtures';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const REQUIREMENTS = joinLines(
  '# Requirements Document',
  '',
  '### Requirement 1: Alpha',
  '',
  '1. WHEN a THEN the system SHALL b',
  '',
  '### Requirement 2: Beta',
  '',
  '1. WHEN e THEN the system SHALL f',
  '',
  '### Requirement 3: Gamma',
  '',
  '1. WHEN g THEN the system SHALL h',
);

const tasks = (mark: string) =>
  joinLines(
    '# Implementation Plan',
    '',
    `- [${mark}] 1. Alpha in \`src/a.ts\``,
    '  - _Requirements: 1_',
    `- [${mark}] 2. Beta in \`src/b.ts\``,
    '  - _Requirements: 2_',
    `- [${mark}] 2. Gamma in \`src/c.ts\``,
    '  - _Requirements: 3_',
  );

const DUPLICATE = 'task id 2 is used twice (lines 5 and 7): the task at line 7 is checked as task L7; give it a number of its own';

describe('duplicate task ids', function () {
  this.timeout(60000);
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  const setUp = async () => {
    repo = await makeRepo({
      '.kiro/specs/feat/requirements.md': REQUIREMENTS,
      '.kiro/specs/feat/design.md': '# Design\n',
      '.kiro/specs/feat/tasks.md': tasks(' '),
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 1;\n',
      'src/c.ts': 'export const c = 1;\n',
    });
    await repo.write('.kiro/specs/feat/tasks.md', tasks('x'));
  };

  it('reports the repeated id, and SG302 for the second task ticked with no change', async () => {
    await setUp();
    await repo.write('src/a.ts', 'export const a = 2;\n');
    await repo.write('src/b.ts', 'export const b = 2;\n');
    const r = (await analyzeRepository({ cwd: repo.root })).report;
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.path, f.startLine, f.task ?? null, f.message]),
      [
        ['SG302', '.kiro/specs/feat/tasks.md', 7, 'L7', 'Task L7 is ticked done, but none of the paths it names changed (`src/c.ts`).'],
        ['SG401', '.kiro/specs/feat/tasks.md', 7, null, DUPLICATE],
      ],
    );
    assert.deepEqual(
      r.spec.tasks.map((t) => [t.id, t.title, t.state, t.requirements, t.paths]),
      [
        ['1', 'Alpha in `src/a.ts`', 'done', ['1'], ['src/a.ts']],
        ['2', 'Beta in `src/b.ts`', 'done', ['2'], ['src/b.ts']],
        ['L7', 'Gamma in `src/c.ts`', 'done', ['3'], ['src/c.ts']],
      ],
    );
    // Requirement 3 is Gamma's: no changed file, never Beta's `src/b.ts`.
    assert.deepEqual(r.traceability, [
      { requirement: '1', tasks: ['1'], paths: ['src/a.ts'] },
      { requirement: '2', tasks: ['2'], paths: ['src/b.ts'] },
      { requirement: '3', tasks: ['L7'], paths: [] },
    ]);
  });

  it('links each changed file to its own task only', async () => {
    await setUp();
    for (const f of ['a', 'b', 'c']) await repo.write(`src/${f}.ts`, `export const ${f} = 2;\n`);
    const r = (await analyzeRepository({ cwd: repo.root })).report;
    assert.deepEqual(r.findings.map((f) => [f.rule, f.message]), [['SG401', DUPLICATE]]);
    assert.deepEqual(
      r.changes.filter((c) => c.path.startsWith('src/')).map((c) => [c.path, c.tasks]),
      [
        ['src/a.ts', ['1']],
        ['src/b.ts', ['2']],
        ['src/c.ts', ['L7']],
      ],
    );
    assert.deepEqual(r.traceability.map((t) => [t.requirement, t.tasks, t.paths]), [
      ['1', ['1'], ['src/a.ts']],
      ['2', ['2'], ['src/b.ts']],
      ['3', ['L7'], ['src/c.ts']],
    ]);
    assert.deepEqual(r.spec.tasks.map((t) => t.id), ['1', '2', 'L7']);
  });

  it('names every line of an id used three times, and nests a repeated parent\'s subtasks under it', () => {
    const s = parsedSpec('kiro', {
      'tasks.md': joinLines(
        '- [ ] 1. One',
        '  - [ ] 1.1 First child',
        '- [ ] 1. Again',
        '  - [ ] 1.1 Second child',
        '- [ ] 1. Third time',
        '- [ ] 1.2 Unindented child',
      ),
    });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.title, t.parent ?? null]),
      [
        ['1', 'One', null],
        ['1.1', 'First child', '1'],
        ['L3', 'Again', null],
        ['L4', 'Second child', 'L3'],
        ['L5', 'Third time', null],
        ['1.2', 'Unindented child', 'L5'],
      ],
    );
    assert.deepEqual(
      s.problems.map((p) => [p.line, p.message]),
      [
        [3, 'task id 1 is used twice (lines 1 and 3): the task at line 3 is checked as task L3; give it a number of its own'],
        [4, 'task id 1.1 is used twice (lines 2 and 4): the task at line 4 is checked as task L4; give it a number of its own'],
        [5, 'task id 1 is used 3 times (lines 1, 3 and 5): the task at line 5 is checked as task L5; give it a number of its own'],
      ],
    );
  });

  it('spec-kit: a repeated `T` id is a problem too, and the later task keeps its own paths', () => {
    const s = parsedSpec('speckit', {
      'spec.md': joinLines('# Spec', '', '- **FR-001**: System MUST retry', '- **FR-002**: System MUST log'),
      'tasks.md': joinLines('# Tasks', '', '- [ ] T001 Retry in src/retry.ts (FR-001)', '- [ ] T001 Log in src/log.ts'),
    });
    assert.deepEqual(
      s.tasks.map((t) => [t.id, t.paths]),
      [
        ['T001', ['src/retry.ts']],
        ['L4', ['src/log.ts']],
      ],
    );
    assert.deepEqual(
      s.problems.map((p) => [p.file, p.line, p.message]),
      [['specs/001-s/tasks.md', 4, 'task id T001 is used twice (lines 3 and 4): the task at line 4 is checked as task L4; give it a number of its own']],
    );
  });
});
