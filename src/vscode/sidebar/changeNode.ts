// One changed file as a tree node: name, folder and line counts; clicking opens the diff
// against the base.
import type { Report, ReportChange } from '../../core/model';
import { plainMessage } from '../../core/render/plainTitle';
import { deltaText, findingsOf, groupFindings, groupWhereText, modeText } from '../../core/render/reviewdata';
import { absolute, type FolderInput } from './folderInput';
import { basename, deltaWords, dirname, findingWords, makeNode, type Node } from './nodes';

const STATUS_LETTER: Record<ReportChange['status'], string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
  'type-changed': 'T',
};

const CLASS_WORDS: Record<ReportChange['classification'], string> = {
  'in-scope': 'in scope',
  'out-of-scope': 'out of scope',
  excluded: 'excluded (non-goal)',
  spec: 'spec file',
};

export function changeNode(f: FolderInput, report: Report, c: ReportChange, parentId: string, note?: string): Node {
  const dir = dirname(c.path);
  const counts = deltaText(c);
  const description = [STATUS_LETTER[c.status], dir, counts, note].filter((x) => x !== undefined && x !== '').join(' · ');
  const mode = modeText(c);
  const own = findingsOf(report, c.path);
  // Built when the row is hovered: for each of 2,000 rows it was most of a rebuild's work.
  const tooltip = () => {
    const lines = [`${c.path} (${c.status}, ${c.classification})`];
    if (c.oldPath) lines.push(`renamed from ${c.oldPath}`);
    if (mode) lines.push(mode);
    if (c.tasks.length > 0) lines.push(`Tasks: ${c.tasks.join(', ')}`);
    // One line per distinct finding (an out-of-scope file has one per hunk), with how many and its lines.
    for (const g of groupFindings(own)) {
      const where = groupWhereText(g);
      lines.push(`${g.finding.rule} ${plainMessage(g.finding.message)}${where ? ` (${where})` : ''}`);
    }
    return lines.join('\n');
  };
  const aria = [
    basename(c.path),
    CLASS_WORDS[c.classification],
    c.oldPath ? `renamed from ${c.oldPath}` : c.status,
    dir ? `in ${dir}` : '',
    deltaWords(c),
    mode ?? '',
    note ? note.replace(/-/g, ' ') : '',
    c.tasks.length > 0 ? `${c.tasks.length === 1 ? 'task' : 'tasks'} ${c.tasks.join(', ')}` : '',
    findingWords(own.map((x) => x.severity)),
  ];
  return makeNode({
    id: `${parentId}/file:${c.path}`,
    label: basename(c.path),
    description,
    tooltip,
    tooltipKey: JSON.stringify([c.oldPath, mode, c.tasks, own.map((x) => [x.rule, x.message, x.startLine, x.endLine])]),
    aria: aria.filter((x) => x !== '').join(', '),
    file: absolute(f, c.path),
    // Status and scope: the row's menu offers the scope fixes for a file outside the scope
    // (a deleted file has no editor to show a lens or a light bulb in).
    contextValue: `specgate.change.${c.status}.${c.classification}`,
    target: {
      type: 'diff',
      root: f.root,
      path: c.path,
      file: absolute(f, c.path),
      ...(c.oldPath !== undefined ? { oldPath: c.oldPath } : {}),
      status: c.status,
      baseCommit: report.base.commit,
    },
  });
}
