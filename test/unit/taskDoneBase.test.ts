// SG302 (task done without change) is for tasks ticked in this change: a task ticked at the
// base whose text the change edits is not one, while a task ticked now still is. Real git
// repositories, through analyzeRepository (working tree, staged and --base alike).
import { strict as assert } from 'node:assert';
import { analyzeRepository } from '../../src/node/engine';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const REQUIREMENTS = '# Requirements\n\n### Requirement 1: Retry\n\n1. WHEN a charge fails THEN the system SHALL retry it\n';
const tasks = (one: string, two: string) =>
  `# Tasks\n\n- [x] 1. ${one} in \`src/retry.ts\`\n  - _Requirements: 1_\n- [${two}] 2. Log each attempt in \`src/log.ts\`\n  - _Requirements: 1_\n`;

describe('SG302 and tasks ticked at the base', function () {
  this.timeout(60000);
  let repo: TestRepo;
  afterEach(() => repo?.cleanup());

  const sg302 = async (opts: { staged?: boolean; base?: string } = {}) =>
    (await analyzeRepository({ cwd: repo.root, ...opts })).report.findings.filter((f) => f.rule === 'SG302').map((f) => [f.task, f.startLine]);

  it('leaves a task ticked at the base alone when only its text is edited, and reports a task ticked now', async () => {
    repo = await makeRepo({
      '.kiro/specs/billing/requirements.md': REQUIREMENTS,
      '.kiro/specs/billing/tasks.md': tasks('Retry failed charges', ' '),
      'src/retry.ts': 'export const retry = 1;\n',
      'src/log.ts': 'export const log = 1;\n',
    });
    // The text of task 1 (done since the base) is edited, task 2 is ticked, no code changed.
    await repo.write('.kiro/specs/billing/tasks.md', tasks('Retry failed charges with backoff', 'x'));
    assert.deepEqual(await sg302(), [['2', 5]]);
    await repo.git('add', '-A');
    assert.deepEqual(await sg302({ staged: true }), [['2', 5]]);
    // The same on a branch, against its merge base.
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.git('commit', '-q', '-m', 'tick task 2');
    assert.deepEqual(await sg302({ base: 'main' }), [['2', 5]]);
  });

  it('knows a task by its text, not its id: a task inserted and ticked where a done one was is reported, the one renumbered is not', async () => {
    repo = await makeRepo({
      '.kiro/specs/billing/requirements.md': REQUIREMENTS,
      '.kiro/specs/billing/tasks.md': '# Tasks\n\n- [x] 1. Add the retry loop in `src/retry.ts`\n',
      'src/retry.ts': 'export const retry = 1;\n',
      'src/config.ts': 'export const config = 1;\n',
    });
    // A new task 1, ticked with no code behind it; the old task 1 is renumbered 2.
    await repo.write('.kiro/specs/billing/tasks.md', '# Tasks\n\n- [x] 1. Validate the config in `src/config.ts`\n- [x] 2. Add the retry loop in `src/retry.ts`\n');
    assert.deepEqual(await sg302(), [['1', 3]]);
    // Renumbered and reworded at once, it is not known for the task done before (only a task
    // that kept its number is taken as reworded): checked as ticked here, it is reported too.
    await repo.write('.kiro/specs/billing/tasks.md', '# Tasks\n\n- [x] 1. Validate the config in `src/config.ts`\n- [x] 2. Add the retry loop with backoff in `src/retry.ts`\n');
    assert.deepEqual(await sg302(), [['1', 3], ['2', 4]]);
    // A done task whose text is replaced by another task's is not the task done before.
    await repo.write('.kiro/specs/billing/tasks.md', '# Tasks\n\n- [x] 1. Validate the config in `src/config.ts`\n');
    assert.deepEqual(await sg302(), [['1', 3]]);
  });

  it('takes no sibling task for a reworded done one: a task ticked beside it with no change is reported', async () => {
    repo = await makeRepo({
      '.kiro/specs/billing/requirements.md': REQUIREMENTS,
      '.kiro/specs/billing/tasks.md': '# Tasks\n\n- [x] 1. Add unit tests for `src/a.ts`\n  - _Requirements: 1_\n- [ ] 2. Add unit tests for `src/b.ts`\n  - _Requirements: 1_\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 1;\n',
    });
    // Task 1 gets a note (reworded), task 2 is ticked with no code, src/a.ts gets a comment.
    await repo.write('.kiro/specs/billing/tasks.md', '# Tasks\n\n- [x] 1. Add unit tests for `src/a.ts` (see PR 12; covers the timeout, jitter and backoff cases)\n  - _Requirements: 1_\n- [x] 2. Add unit tests for `src/b.ts`\n  - _Requirements: 1_\n');
    await repo.write('src/a.ts', 'export const a = 1;\n// tests in test/a.test.ts\n');
    assert.deepEqual(await sg302(), [['2', 5]]);
  });

  it('knows an unnumbered task by its text, though its id is its line: a done task inserted above a done one is reported', async () => {
    const spec = (lines: string[]) => `---\nscope: ["src/**"]\n---\n# Cache\n\n${lines.join('\n')}\n`;
    repo = await makeRepo({
      'docs/specs/cache.md': spec(['- [x] Add the cache in `src/cache.ts`']),
      'src/cache.ts': 'export const cache = 1;\n',
      'src/config.ts': 'export const config = 1;\n',
    });
    await repo.write('docs/specs/cache.md', spec(['- [x] Validate the config in `src/config.ts`', '- [x] Add the cache in `src/cache.ts`']));
    assert.deepEqual(await sg302(), [['L6', 6]]);
  });

  it('reports every ticked task of a new tasks file', async () => {
    repo = await makeRepo({ '.kiro/specs/billing/requirements.md': REQUIREMENTS, 'src/retry.ts': 'export const retry = 1;\n', 'src/log.ts': 'export const log = 1;\n' });
    await repo.write('.kiro/specs/billing/tasks.md', tasks('Retry failed charges', 'x'));
    assert.deepEqual(await sg302(), [['1', 3], ['2', 5]]);
  });
});
