// The words on SpecGate's code lenses, from the report: why a hunk is outside the spec,
// which task and requirement explain an in-scope hunk, and what covers a task or requirement.
import type { Finding, FindingKind, Report, ReportChange, Requirement, Spec, Task } from '../../core/model';
import { messageParts, plainMessage, plainTitle } from '../../core/render/plainTitle';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const BLAST_LABELS: Partial<Record<FindingKind, string>> = {
  'mass-rewrite': 'Mass rewrite',
  'protected-path': 'Protected path',
  'removed-export': 'Removed export',
  'large-deletion': 'Large deletion',
};

export const BLAST_KINDS = new Set(Object.keys(BLAST_LABELS) as FindingKind[]);

/** "Outside spec billing-retry: no task or scope glob covers src/auth/session.ts". */
export function outOfScopeReason(spec: Spec, path: string): string {
  const declared = spec.scope.include.length > 0;
  return declared ? `Outside spec ${spec.name}: no task or scope glob covers ${path}` : `Outside spec ${spec.name}: the spec declares no scope`;
}

/** "Excluded by spec billing-retry: src/legacy/x.ts is a non-goal (src/legacy/**)". */
export function excludedReason(spec: Spec, path: string, findings: readonly Finding[]): string {
  // The glob is the code an excluded-path finding quotes after "non-goal " (scope.ts).
  const glob = findings.filter((f) => f.kind === 'excluded-path').map((f) => nonGoalOf(f.message)).find((g) => g !== undefined);
  return `Excluded by spec ${spec.name}: ${path} is a non-goal${glob ? ` (${glob})` : ''}`;
}

/** The glob an excluded-path message names as the non-goal, if it names one. */
function nonGoalOf(message: string): string | undefined {
  const parts = messageParts(message);
  const i = parts.findIndex((p, k) => p.code && k > 0 && !parts[k - 1]!.code && parts[k - 1]!.text.endsWith('non-goal '));
  return i < 0 ? undefined : parts[i]!.text;
}

/** "Protected path: …" for a high-blast-radius finding; no label where the message already starts with it. */
export function blastTitle(f: Finding): string {
  const label = BLAST_LABELS[f.kind] ?? f.kind;
  const message = plainMessage(f.message);
  return message.toLowerCase().startsWith(label.toLowerCase()) ? message : `${label}: ${message}`;
}

function taskLabel(t: Pick<Task, 'id' | 'title'>): string {
  const plain = plainTitle(t.title);
  const title = plain.length > 60 ? `${plain.slice(0, 57)}…` : plain;
  return `task ${t.id} (${title})`;
}

/** "In scope: task 2 (Record each attempt) · requirement 2.1". */
export function inScopeTitle(spec: Spec, report: Report, change: ReportChange): string {
  if (change.tasks.length === 0) return `In scope of spec ${spec.name}: a scope glob covers ${change.path}`;
  const tasks = change.tasks.map((id) => report.spec.tasks.find((t) => t.id === id) ?? { id, title: '', requirements: [] });
  const reqs = [...new Set(tasks.flatMap((t) => t.requirements))];
  const taskPart = tasks.length === 1 ? taskLabel(tasks[0]) : `tasks ${tasks.map((t) => t.id).join(', ')}`;
  const reqPart = reqs.length === 0 ? '' : ` · ${reqs.length === 1 ? 'requirement' : 'requirements'} ${reqs.join(', ')}`;
  return `In scope: ${taskPart}${reqPart}`;
}

/** "2 changed files · 3 hunks" over a task, or "no changes yet". */
export function taskTitle(report: Report, task: Task): { title: string; paths: string[] } {
  const changes = report.changes.filter((c) => c.tasks.includes(task.id));
  if (changes.length === 0) return { title: 'No changes yet', paths: [] };
  const hunks = changes.reduce((n, c) => n + c.hunks.length, 0);
  return { title: `${plural(changes.length, 'changed file')} · ${plural(hunks, 'hunk')}`, paths: changes.map((c) => c.path) };
}

/** "Covered by task 1 · 1 changed file", or "Not covered: …". */
export function requirementTitle(report: Report, requirement: Requirement): { title: string; paths: string[] } {
  const row = report.traceability.find((r) => r.requirement === requirement.id);
  const tasks = row?.tasks ?? [];
  const paths = row?.paths ?? [];
  const taskPart = tasks.length === 0 ? 'no task' : `${tasks.length === 1 ? 'task' : 'tasks'} ${tasks.join(', ')}`;
  if (paths.length === 0) return { title: `Not covered: ${taskPart}${tasks.length ? ', no changed file' : ''}`, paths };
  return { title: `Covered by ${taskPart} · ${plural(paths.length, 'changed file')}`, paths: [...paths] };
}
