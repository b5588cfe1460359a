// Builds the *Changes* tree for each folder's active spec: changed files grouped as out of
// scope, excluded, high risk, in scope by task, and spec files, with counts on the groups.
import { editorMessage } from '../messages';
import type { FindingKind, ReportChange } from '../../core/model';
import { changeNode } from './changeNode';
import { noteNodes, partOfNode } from './specsNodes';
import type { FolderInput } from './folderInput';
import { makeNode, plural, type Node } from './nodes';
import { folderState, hasNoSpec, stateNode } from './stateRows';
import { plainTitle } from '../../core/render/plainTitle';

/** Finding kinds that make a file "high risk" (high blast radius). */
export const RISK_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'file-deleted',
  'mass-rewrite',
  'large-deletion',
  'protected-path',
  'removed-export',
]);

/**
 * A group of more files than this starts collapsed, its count on it: the 1,870 rows of a
 * big change's "Out of scope" cost the workbench seconds to fetch and draw, and say less
 * than the count. What the user expands or collapses is kept (NodeTree).
 */
export const EXPAND_MAX_FILES = 200;

export function buildChangesNodes(folders: readonly FolderInput[]): Node[] {
  // One folder with no spec: no rows, so the view's welcome content (Create a Spec) shows.
  if (folders.length === 1) return hasNoSpec(folders[0]!) ? [] : folderGroups(folders[0]!, '');
  return folders.map((f) =>
    makeNode({
      id: `folder:${f.key ?? f.name}`,
      label: f.name,
      ...(f.partOf !== undefined ? { description: `in ${f.partOf}` } : f.report ? { description: `${f.report.changes.length} changed` } : {}),
      icon: { id: 'root-folder' },
      contextValue: 'specgate.folder',
      expanded: true,
      children: folderGroups(f, `${f.key ?? f.name}/`),
    }),
  );
}

function folderGroups(f: FolderInput, prefix: string): Node[] {
  if (f.partOf !== undefined) return [partOfNode(f, prefix), ...noteNodes(f, prefix)];
  return [...noteNodes(f, prefix), ...changeNoteNodes(f, prefix), ...changeGroups(f, prefix)];
}

/** One row per note on how the change was read (a file listed as binary, and why), above the groups. */
function changeNoteNodes(f: FolderInput, prefix: string): Node[] {
  if (!f.report) return [];
  return (f.changeNotes ?? []).map((note, i) => {
    const said = editorMessage(note);
    return makeNode({ id: `${prefix}change-note:${i}`, label: said, tooltip: said, icon: { id: 'info' } });
  });
}

function changeGroups(f: FolderInput, prefix: string): Node[] {
  const r = f.report;
  if (!r) return [stateNode(`${prefix}none`, folderState(f, 'changes'))];
  if (r.changes.length === 0) {
    return [
      makeNode({
        id: `${prefix}none`,
        label: `No changes against ${r.base.ref}`,
        tooltip: `Nothing differs from ${r.base.ref}${r.base.commit ? ` (${r.base.commit.slice(0, 12)})` : ''}: no staged, unstaged or untracked file. Edits appear here as they are made.`,
        icon: { id: 'check' },
      }),
    ];
  }
  const groups: Node[] = [];
  const add = (key: string, label: string, icon: Node['icon'], files: ReportChange[], notes?: Map<string, string>): void => {
    if (files.length === 0) return;
    const id = `${prefix}${key}`;
    groups.push(
      makeNode({
        id,
        label,
        description: String(files.length),
        aria: `${label}, ${plural(files.length, 'file')}`,
        icon,
        contextValue: `specgate.group.${key}`,
        expanded: files.length <= EXPAND_MAX_FILES,
        children: files.map((c) => changeNode(f, r, c, id, notes?.get(c.path))),
      }),
    );
  };
  const by = (cls: ReportChange['classification']): ReportChange[] => r.changes.filter((c) => c.classification === cls);

  add('out-of-scope', 'Out of scope', { id: 'error', color: 'problemsErrorIcon.foreground' }, by('out-of-scope'));
  add('excluded', 'Excluded (non-goals)', { id: 'circle-slash', color: 'problemsErrorIcon.foreground' }, by('excluded'));

  const riskNotes = new Map<string, string>();
  for (const x of r.findings) {
    if (!RISK_KINDS.has(x.kind)) continue;
    const prev = riskNotes.get(x.path);
    if (prev === undefined) riskNotes.set(x.path, x.kind);
    else if (!prev.split(', ').includes(x.kind)) riskNotes.set(x.path, `${prev}, ${x.kind}`);
  }
  add(
    'high-risk',
    'High risk',
    { id: 'flame', color: 'problemsWarningIcon.foreground' },
    r.changes.filter((c) => riskNotes.has(c.path)),
    riskNotes,
  );

  const inScope = by('in-scope');
  if (inScope.length > 0) {
    const id = `${prefix}in-scope`;
    const titles = new Map(r.spec.tasks.map((t) => [t.id, plainTitle(t.title)]));
    const taskIds = [...new Set(inScope.flatMap((c) => c.tasks))];
    const order = new Map(r.spec.tasks.map((t, i) => [t.id, i]));
    taskIds.sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
    const children = taskIds.map((t) => {
      const files = inScope.filter((c) => c.tasks.includes(t));
      const tid = `${id}/task:${t}`;
      const title = titles.get(t);
      const label = title === undefined ? t : /^L\d+$/.test(t) ? title : `${t} ${title}`;
      return makeNode({
        id: tid,
        label,
        description: String(files.length),
        aria: `Task ${label}, ${plural(files.length, 'changed file')}`,
        icon: { id: 'tasklist' },
        contextValue: 'specgate.group.task',
        expanded: files.length <= EXPAND_MAX_FILES,
        children: files.map((c) => changeNode(f, r, c, tid)),
      });
    });
    const untasked = inScope.filter((c) => c.tasks.length === 0);
    if (untasked.length > 0) {
      const nid = `${id}/no-task`;
      children.push(
        makeNode({
          id: nid,
          label: 'In scope, in no task',
          description: String(untasked.length),
          aria: `In scope, in no task, ${plural(untasked.length, 'file')}`,
          icon: { id: 'question' },
          contextValue: 'specgate.group.no-task',
          expanded: untasked.length <= EXPAND_MAX_FILES,
          children: untasked.map((c) => changeNode(f, r, c, nid)),
        }),
      );
    }
    groups.push(
      makeNode({
        id,
        label: 'In scope',
        description: String(inScope.length),
        aria: `In scope, ${plural(inScope.length, 'file')}`,
        icon: { id: 'pass', color: 'charts.green' },
        contextValue: 'specgate.group.in-scope',
        expanded: true,
        children,
      }),
    );
  }
  add('spec', 'Spec files', { id: 'book' }, by('spec'));
  return groups;
}
