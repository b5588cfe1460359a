// Builds the *Specs* tree: every spec, the active one marked; under it requirements
// (covered / not covered, with their criteria) and tasks (state, nested tasks, changed files).
import type { Report, ReportChange, Spec, Task } from '../../core/model';
import { UNTRUSTED_NOTE } from '../model/types';
import { absolute, partOfLabel, reportFor, type FolderInput } from './folderInput';
import { changeNode } from './changeNode';
import { makeNode, plural, type Node } from './nodes';
import { errorRow, hasNoSpec, IGNORED_ROWS, ignoredSpecRow, moreIgnoredRow, nearMissRow, noSpecRow, stateNode, untrustedRow } from './stateRows';
import { plainMessage, plainTitle } from '../../core/render/plainTitle';
import { shownGlob } from '../../core/spec/paths';

const TASK_ICONS: Record<Task['state'], { id: string; color?: string }> = {
  todo: { id: 'circle-large-outline' },
  'in-progress': { id: 'clock', color: 'charts.yellow' },
  done: { id: 'pass-filled', color: 'charts.green' },
  optional: { id: 'circle-small' },
};

export function buildSpecsNodes(folders: readonly FolderInput[]): Node[] {
  // One folder with no spec: no rows, so the view's welcome content (Create a Spec) shows.
  if (folders.length === 1) return hasNoSpec(folders[0]!) ? [] : folderChildren(folders[0]!, '');
  return folders.map((f) =>
    makeNode({
      id: `folder:${f.key ?? f.name}`,
      label: f.name,
      description: f.partOf !== undefined ? `in ${f.partOf}` : plural(f.specs.length, 'spec'),
      icon: { id: 'root-folder' },
      contextValue: 'specgate.folder',
      expanded: true,
      children: folderChildren(f, `${f.key ?? f.name}/`),
    }),
  );
}

function folderChildren(f: FolderInput, prefix: string): Node[] {
  if (f.partOf !== undefined) return [partOfNode(f, prefix), ...noteNodes(f, prefix)];
  const notes: Node[] = [];
  // Untrusted, the folder's note says what the shield row below says: shown once.
  if (f.error !== undefined && !(f.error === UNTRUSTED_NOTE && !f.trusted) && (f.specs.length > 0 || !f.trusted)) {
    notes.push(stateNode(`${prefix}error`, errorRow(f.error, 'specs')));
  }
  // A folder laid out almost as a spec, which is not read: named first (with no spec it is
  // likely the one meant; beside others, its tasks and scope count for nothing).
  for (const near of f.nearMisses ?? []) notes.push(stateNode(`${prefix}near:${near.folder}`, nearMissRow(f, near)));
  if (!f.trusted) notes.push(stateNode(`${prefix}untrusted`, untrustedRow('specs')));
  else if (f.specs.length === 0) notes.push(stateNode(`${prefix}no-spec`, noSpecRow(f)));
  // With no spec read, the specs ignoreSpecs leaves out (test data): one may be the one meant.
  const ignored = f.specs.length === 0 ? (f.ignoredSpecs ?? []) : [];
  for (const ig of ignored.slice(0, IGNORED_ROWS)) notes.push(stateNode(`${prefix}ignored:${ig.id}`, ignoredSpecRow(f, ig)));
  if (ignored.length > IGNORED_ROWS) notes.push(stateNode(`${prefix}ignored-more`, moreIgnoredRow(ignored.slice(IGNORED_ROWS))));
  return [...notes, ...noteNodes(f, prefix), ...f.specs.map((s) => specNode(f, s, prefix))];
}

export function partOfNode(f: FolderInput, prefix: string): Node {
  return makeNode({ id: `${prefix}part-of`, label: partOfLabel(f), tooltip: partOfLabel(f), icon: { id: 'info' } });
}

export function noteNodes(f: FolderInput, prefix: string): Node[] {
  return f.note === undefined ? [] : [makeNode({ id: `${prefix}note`, label: f.note, tooltip: f.note, icon: { id: 'info' } })];
}

function specNode(f: FolderInput, spec: Spec, prefix: string): Node {
  const active = spec.id === f.activeSpecId;
  const report = reportFor(f, spec.id);
  const id = `${prefix}spec:${spec.id}`;
  const children: Node[] = [requirementsGroup(f, spec, report, id), tasksGroup(f, spec, report, id)];
  if (spec.problems.length > 0) {
    children.push(
      makeNode({
        id: `${id}/problems`,
        label: 'Problems',
        description: String(spec.problems.length),
        aria: `Problems in the spec, ${spec.problems.length}`,
        icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
        expanded: false,
        children: spec.problems.map((p, i) =>
          makeNode({
            id: `${id}/problems/${i}`,
            label: plainMessage(p.message),
            description: p.line ? `${p.file}:${p.line}` : p.file,
            icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
            target: { type: 'line', file: absolute(f, p.file), line: p.line ?? 1 },
          }),
        ),
      }),
    );
  }
  return makeNode({
    id,
    label: spec.name,
    description: active ? `${spec.format} · active` : spec.format,
    tooltip: `${spec.id} (${spec.format})${active ? ' — the active spec' : ''}`,
    aria: `${spec.name}, ${spec.format} spec${active ? ', the active spec' : ''}`,
    icon: active ? { id: 'target', color: 'charts.green' } : { id: 'book' },
    contextValue: active ? 'specgate.spec.active' : 'specgate.spec',
    ref: { root: f.root, specId: spec.id },
    expanded: active,
    children,
  });
}

function requirementsGroup(f: FolderInput, spec: Spec, report: Report | undefined, parentId: string): Node {
  const id = `${parentId}/requirements`;
  const covered = new Map<string, { tasks: string[]; paths: string[] }>();
  for (const row of report?.traceability ?? []) covered.set(row.requirement, row);
  // As the requirement-uncovered rule does: coverage is tracked only for kinds of requirement
  // that some task links to (OpenSpec tasks, and spec-kit tasks for FRs, link none).
  const linkedKinds = new Set(spec.requirements.filter((r) => (covered.get(r.id)?.tasks.length ?? 0) > 0).map((r) => r.kind));
  const children = spec.requirements.map((r) => {
    const rid = `${id}/${r.id}`;
    const row = covered.get(r.id);
    const isCovered = !!row && row.paths.length > 0;
    const tracked = linkedKinds.has(r.kind);
    let description: string | undefined;
    let coverage = '';
    let icon: Node['icon'] = { id: 'symbol-property' };
    if (report && tracked) {
      description = isCovered ? `covered · ${plural(row!.paths.length, 'file')}` : 'not covered';
      coverage = isCovered ? `covered by ${plural(row!.paths.length, 'changed file')}` : 'not covered by any changed file';
      icon = isCovered ? { id: 'pass', color: 'charts.green' } : { id: 'circle-slash', color: 'problemsWarningIcon.foreground' };
    } else if (report) {
      description = 'no task links';
      coverage = 'coverage not tracked: no task links requirements of this kind';
    }
    const title = plainTitle(r.title);
    const label = title && title !== r.id ? `${r.id} ${title}` : r.id;
    const tooltip = [`${r.id}: ${title}`, ...r.criteria.map((c) => `${c.id} ${c.text}`)];
    if (report && !tracked) tooltip.push('No task of this spec names requirements of this kind, so their coverage is not tracked.');
    if (row && row.tasks.length > 0) tooltip.push(`Tasks: ${row.tasks.join(', ')}`);
    return makeNode({
      id: rid,
      label,
      ...(description !== undefined ? { description } : {}),
      aria: `Requirement ${label}${coverage ? `, ${coverage}` : ''}${r.criteria.length > 0 ? `, ${plural(r.criteria.length, 'acceptance criterion', 'acceptance criteria')}` : ''}`,
      tooltip: tooltip.join('\n'),
      icon,
      contextValue: report && tracked ? (isCovered ? 'specgate.requirement.covered' : 'specgate.requirement.uncovered') : 'specgate.requirement',
      expanded: false,
      target: { type: 'line', file: absolute(f, r.range.file), line: r.range.startLine },
      children: r.criteria.map((c) =>
        makeNode({
          id: `${rid}/${c.id}`,
          label: c.id,
          description: oneLine(c.text),
          tooltip: c.text,
          aria: `Criterion ${c.id}: ${c.text.replace(/\s+/g, ' ').trim()}`,
          icon: { id: 'symbol-field' },
          contextValue: 'specgate.criterion',
          target: { type: 'line', file: absolute(f, c.range.file), line: c.range.startLine },
        }),
      ),
    });
  });
  const total = spec.requirements.length;
  const tracked = spec.requirements.filter((r) => linkedKinds.has(r.kind));
  const coveredCount = tracked.filter((r) => (covered.get(r.id)?.paths.length ?? 0) > 0).length;
  const summary = tracked.length > 0 ? `${coveredCount}/${tracked.length} covered` : `${total} · no task links`;
  const summaryWords = tracked.length > 0 ? `${coveredCount} of ${tracked.length} covered` : `${total}, no task links them`;
  return makeNode({
    id,
    label: 'Requirements',
    description: report ? summary : String(total),
    aria: `Requirements, ${report ? summaryWords : total}`,
    icon: { id: 'checklist' },
    contextValue: 'specgate.group.requirements',
    expanded: false,
    children,
  });
}

function tasksGroup(f: FolderInput, spec: Spec, report: Report | undefined, parentId: string): Node {
  const id = `${parentId}/tasks`;
  const byTask = new Map<string, ReportChange[]>();
  for (const c of report?.changes ?? []) {
    for (const t of c.tasks) byTask.set(t, [...(byTask.get(t) ?? []), c]);
  }
  const doneWithoutChange = new Set(
    (report?.findings ?? []).filter((x) => x.kind === 'task-done-without-change' && x.task).map((x) => x.task!),
  );
  const known = new Set(spec.tasks.map((t) => t.id));
  const childrenOf = new Map<string | undefined, Task[]>();
  for (const t of spec.tasks) {
    const key = t.parent !== undefined && known.has(t.parent) ? t.parent : undefined;
    childrenOf.set(key, [...(childrenOf.get(key) ?? []), t]);
  }
  const build = (t: Task): Node => {
    const tid = `${id}/${t.id}`;
    const files = byTask.get(t.id) ?? [];
    const sub = (childrenOf.get(t.id) ?? []).map(build);
    const flagged = doneWithoutChange.has(t.id);
    const parts: string[] = [t.state];
    if (report) parts.push(plural(files.length, 'file'));
    if (flagged) parts.push('no change behind it');
    const title = plainTitle(t.title);
    const label = /^L\d+$/.test(t.id) ? title : `${t.id} ${title}`;
    const words = [`Task ${label}`, t.state.replace('-', ' ')];
    if (report) words.push(plural(files.length, 'changed file'));
    if (flagged) words.push('ticked done with no change behind it');
    if (sub.length > 0) words.push(plural(sub.length, 'subtask'));
    if (t.requirements.length > 0) words.push(`${t.requirements.length === 1 ? 'requirement' : 'requirements'} ${t.requirements.join(', ')}`);
    const tooltip = [`${t.id} ${title} (${t.state})`];
    if (flagged) tooltip.push('Ticked done in this change, but none of the paths it names changed (SG302 task-done-without-change).');
    if (t.requirements.length > 0) tooltip.push(`Requirements: ${t.requirements.join(', ')}`);
    if (t.paths.length > 0) tooltip.push(`Paths: ${t.paths.map(shownGlob).join(', ')}`);
    if (report) tooltip.push(files.length > 0 ? `Changed: ${files.map((c) => c.path).join(', ')}` : 'No changed file is linked to it.');
    return makeNode({
      id: tid,
      label,
      description: parts.join(' · '),
      aria: words.join(', '),
      tooltip: tooltip.join('\n'),
      icon: flagged ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : TASK_ICONS[t.state],
      contextValue: `specgate.task.${t.state}`,
      expanded: false,
      target: { type: 'line', file: absolute(f, t.range.file), line: t.range.startLine },
      children: [...sub, ...files.map((c) => changeNode(f, report!, c, tid))],
    });
  };
  const roots = (childrenOf.get(undefined) ?? []).map(build);
  const done = spec.tasks.filter((t) => t.state === 'done').length;
  return makeNode({
    id,
    label: 'Tasks',
    description: `${done}/${spec.tasks.length} done`,
    aria: `Tasks, ${done} of ${spec.tasks.length} done`,
    icon: { id: 'tasklist' },
    contextValue: 'specgate.group.tasks',
    expanded: true,
    children: roots,
  });
}

function oneLine(text: string, max = 80): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
