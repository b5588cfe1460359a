// Hand-built review inputs for the REVIEW.md / review.html renderer tests.
import type { Report } from '../../src/core/model';
import type { ReviewInput } from '../../src/core/render/reviewdata';
import { classifyHunks, splitPatch } from '../../src/core/render/diffview';

export function makeReport(over: Partial<Report> = {}): Report {
  return {
    schema: 'specgate.report/1',
    spec: {
      id: '.kiro/specs/billing-retry',
      format: 'kiro',
      name: 'billing-retry',
      files: ['.kiro/specs/billing-retry/requirements.md', '.kiro/specs/billing-retry/tasks.md'],
      requirements: [
        { id: '1', title: 'Retry failed charges', criteria: ['1.1'] },
        { id: '2', title: 'Notify the customer', criteria: [] },
        { id: '3', title: 'Audit log', criteria: [] },
      ],
      tasks: [
        { id: '1', title: 'Add retry loop', state: 'done', requirements: ['1'], paths: ['src/billing/retry.ts'] },
        { id: '2', title: 'Email', state: 'done', requirements: ['2'], paths: ['src/mail.ts'] },
      ],
      scope: { include: ['src/billing/**'], exclude: ['infra/**'], protected: [] },
    },
    base: { ref: 'HEAD', commit: '0123456789abcdef0123456789abcdef01234567' },
    changes: [
      {
        path: 'src/billing/retry.ts',
        status: 'modified',
        binary: false,
        added: 2,
        removed: 1,
        classification: 'in-scope',
        tasks: ['1'],
        hunks: [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 2, classification: 'in-scope' }],
      },
      {
        path: 'infra/main.tf',
        status: 'deleted',
        binary: false,
        added: 0,
        removed: 3,
        classification: 'excluded',
        tasks: [],
        hunks: [{ oldStart: 1, oldLines: 3, newStart: 0, newLines: 0, classification: 'excluded' }],
      },
    ],
    findings: [
      { rule: 'SG201', kind: 'file-deleted', severity: 'error', path: 'infra/main.tf', message: 'infra/main.tf was deleted' },
      { rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/main.tf', message: 'infra/** is a non-goal' },
      { rule: 'SG301', kind: 'requirement-uncovered', severity: 'warning', path: '.kiro/specs/billing-retry/requirements.md', startLine: 9, message: 'requirement 3 has no task', requirement: '3' },
      { rule: 'SG302', kind: 'task-done-without-change', severity: 'warning', path: '.kiro/specs/billing-retry/tasks.md', startLine: 4, message: 'task 2 is done but src/mail.ts did not change', task: '2' },
    ],
    traceability: [
      { requirement: '1', tasks: ['1'], paths: ['src/billing/retry.ts'] },
      { requirement: '2', tasks: ['2'], paths: [] },
    ],
    summary: { files: 2, added: 2, removed: 4, outOfScope: 1, risk: 'high' },
    digest: 'sha256:' + 'ab'.repeat(32),
    ...over,
  };
}

export const PATCH = [
  'diff --git a/infra/main.tf b/infra/main.tf',
  'deleted file mode 100644',
  'index 1111111111111111111111111111111111111111..0000000000000000000000000000000000000000',
  '--- a/infra/main.tf',
  '+++ /dev/null',
  '@@ -1,3 +0,0 @@',
  '-resource "x" "y" {',
  '-  a = 1',
  '-}',
  'diff --git a/src/billing/retry.ts b/src/billing/retry.ts',
  'index 2222222222222222222222222222222222222222..3333333333333333333333333333333333333333 100644',
  '--- a/src/billing/retry.ts',
  '+++ b/src/billing/retry.ts',
  '@@ -1,3 +1,4 @@',
  ' export function retry() {',
  '-  return 1;',
  '+  for (let i = 0; i < 3; i++) {}',
  '+  return 2;',
  ' }',
  '',
].join('\n');

export function makeInput(over: { report?: Report; patch?: string; specFiles?: { path: string; text: string }[] } = {}): ReviewInput {
  const report = over.report ?? makeReport();
  const diffs = splitPatch(over.patch ?? PATCH).map((d) => classifyHunks(d, report.changes.find((c) => c.path === d.path)));
  return {
    report,
    diffs,
    specFiles: over.specFiles ?? [
      { path: '.kiro/specs/billing-retry/requirements.md', text: '# Requirements\n\n### Requirement 1: Retry failed charges\n\n- [x] done\n' },
    ],
    meta: { version: '0.1.0', time: '2026-11-22T16:00:00.000Z', author: { name: 'Dev', email: 'dev@example.com' }, mode: 'worktree' },
  };
}
