import { strict as assert } from 'node:assert';
import type { Report, Requirement, Spec, Task } from '../../src/core/model';
import { blastTitle, excludedReason, inScopeTitle, outOfScopeReason, requirementTitle, taskTitle } from '../../src/vscode/editor/lensText';
import type { Finding } from '../../src/core/model';

const range = { file: '.kiro/specs/retry/tasks.md', startLine: 1, endLine: 1 };
const task = (id: string, title: string): Task => ({
  id, title, state: 'todo', mark: ' ', optional: false, requirements: [], allRequirements: false, paths: [], range, depth: 0,
});
const requirement = (id: string): Requirement => ({ id, title: `R${id}`, kind: 'requirement', criteria: [], range });
const spec = (include: string[]): Spec => ({
  id: '.kiro/specs/retry', format: 'kiro', name: 'retry', files: [], requirements: [], tasks: [],
  scope: { include, exclude: [], protected: [] }, scopeSources: [], problems: [],
});
const report = (over: Partial<Report>): Report => ({
  schema: 'specgate.report/1',
  spec: { id: '.kiro/specs/retry', format: 'kiro', name: 'retry', files: [], requirements: [], tasks: [], scope: { include: [], exclude: [], protected: [] } },
  base: { ref: 'HEAD', commit: null }, changes: [], findings: [], traceability: [],
  summary: { files: 0, added: 0, removed: 0, outOfScope: 0, risk: 'low' }, digest: 'sha256:0', ...over,
});
const change = (path: string, tasks: string[], hunks = 1) => ({
  path, status: 'modified' as const, binary: false, added: 1, removed: 1, classification: 'in-scope' as const, tasks,
  hunks: Array.from({ length: hunks }, (_, i) => ({ oldStart: i * 10 + 1, oldLines: 1, newStart: i * 10 + 1, newLines: 1 })),
});

describe('code lens titles', () => {
  it('says why a hunk is outside the spec', () => {
    assert.equal(outOfScopeReason(spec(['src/billing/**']), 'src/auth/session.ts'), 'Outside spec retry: no task or scope glob covers src/auth/session.ts');
    assert.equal(outOfScopeReason(spec([]), 'src/a.ts'), 'Outside spec retry: the spec declares no scope');
  });

  it('names the non-goal glob of an excluded path when the finding gives it', () => {
    const f = [{ rule: 'SG102', kind: 'excluded-path' as const, severity: 'error' as const, path: 'src/legacy/x.ts', message: 'Change excluded by spec `src/x`: its non-goal `src/legacy/**` covers this file.' }];
    assert.equal(excludedReason(spec([]), 'src/legacy/x.ts', f), 'Excluded by spec retry: src/legacy/x.ts is a non-goal (src/legacy/**)');
    assert.equal(excludedReason(spec([]), 'src/legacy/x.ts', []), 'Excluded by spec retry: src/legacy/x.ts is a non-goal');
  });

  it('counts a task’s changed files and hunks', () => {
    const r = report({ changes: [change('a.ts', ['1'], 2), change('b.ts', ['1', '2'])] });
    assert.deepEqual(taskTitle(r, task('1', 'One')), { title: '2 changed files · 3 hunks', paths: ['a.ts', 'b.ts'] });
    assert.deepEqual(taskTitle(r, task('2', 'Two')), { title: '1 changed file · 1 hunk', paths: ['b.ts'] });
    assert.deepEqual(taskTitle(r, task('3', 'Three')), { title: 'No changes yet', paths: [] });
  });

  it('says what covers a requirement, or that nothing does', () => {
    const r = report({
      traceability: [
        { requirement: '1', tasks: ['1', '2'], paths: ['a.ts'] },
        { requirement: '2', tasks: ['3'], paths: [] },
        { requirement: '3', tasks: [], paths: [] },
      ],
    });
    assert.equal(requirementTitle(r, requirement('1')).title, 'Covered by tasks 1, 2 · 1 changed file');
    assert.equal(requirementTitle(r, requirement('2')).title, 'Not covered: task 3, no changed file');
    assert.equal(requirementTitle(r, requirement('3')).title, 'Not covered: no task');
  });

  it('names the task and requirements of an in-scope change', () => {
    const r = report({ changes: [change('a.ts', ['2'])] });
    r.spec.tasks.push({ id: '2', title: 'Record each attempt', state: 'todo', requirements: ['2', '3'], paths: ['a.ts'] });
    assert.equal(inScopeTitle(spec(['a.ts']), r, r.changes[0]), 'In scope: task 2 (Record each attempt) · requirements 2, 3');
    assert.equal(inScopeTitle(spec(['src/**']), r, change('b.ts', [])), 'In scope of spec retry: a scope glob covers b.ts');
  });

  describe('blastTitle', () => {
    const f = (kind: Finding['kind'], message: string): Finding => ({ rule: 'SG000', kind, severity: 'warning', path: 'a.ts', message });
    it('names the kind before a message that does not', () => {
      assert.equal(blastTitle(f('protected-path', 'Terraform file: modified with a high blast radius.')), 'Protected path: Terraform file: modified with a high blast radius.');
    });
    it('does not repeat the kind when the message starts with it', () => {
      assert.equal(blastTitle(f('removed-export', 'Removed export `linearDelay`; code that imports it may break.')), 'Removed export linearDelay; code that imports it may break.');
    });
  });
});
