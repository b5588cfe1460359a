// Checkbox task lists (any layout): every `- [?]` line outside code and comments, its state,
// id, nesting, wrapped title, `_Requirements:` refs and the paths its lines name.
import type { SourceRange, SpecProblem, Task, TaskState } from '../model';
import type { MdDoc } from './markdown';
import { parseRefList, requirementsLine, validatesRefs } from './refs';

export interface RawRefs {
  task: string;
  file: string;
  ids: string[];
  all: string[];
  nonstandard: string[];
  invalid: string[];
  line: number;
}

export interface ScannedTask extends Task {
  /** Lines (1-based) of the task's body after the checkbox line. */
  bodyLines: number[];
}

export interface TaskScan {
  tasks: ScannedTask[];
  refs: RawRefs[];
  validates: string[];
  /** Checkbox lines the id rule rejected (spec-kit legends, checklists), and struck tasks. */
  nonTaskLines: number[];
  /** The lines (1-based, first and last) of tasks struck through as a whole (see isStruck): no task, no path. */
  struck: { startLine: number; endLine: number }[];
  /** Task ids written more than once (spec problems; see scanTasks). */
  problems: SpecProblem[];
}

// A bullet or an ordered list item (`1. [ ]`, `2) [x]`): GitHub and VS Code draw both as a checkbox.
const CHECKBOX = /^(\s*)(?:[-*+]|\d{1,9}[.)])\s+\[(.)\](\*?)\s*(.*)$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;

export interface TaskIdRule {
  /** Returns the id and the rest of the text, or null when the line is not a task. */
  (text: string): { id: string; rest: string } | null;
}

export const numberedId: TaskIdRule = (text) => {
  const m = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/.exec(text) ?? /^(\d+(?:\.\d+)*)\.?$/.exec(text);
  return m ? { id: m[1], rest: m[2] ?? '' } : { id: '', rest: text };
};

export function stateOf(mark: string, optional: boolean): TaskState {
  if (mark === 'x' || mark === 'X') return 'done';
  if (mark === '-') return 'in-progress';
  return optional ? 'optional' : 'todo';
}

/**
 * Whether a task's text is struck through as a whole (`~~8. Dropped~~`, with at most code
 * spans or a reference after it): a reader takes it for cancelled, not done or to do. Struck
 * wording followed by new wording (`~~Use Redis~~ Use Memcached in src/cache.ts`) is a task.
 */
function isStruck(text: string): boolean {
  if (!text.includes('~~')) return false;
  const rest = text.replace(/~~[^~]+~~/g, ' ').replace(/`[^`]*`/g, ' ').replace(/\s*_Requirements?:.*$/, '');
  return rest !== text && !/[\p{L}\p{N}]/u.test(rest.replace(/[*_]/g, ''));
}

export function scanTasks(doc: MdDoc, file: string, idRule: TaskIdRule = numberedId): TaskScan {
  const { lines, literal } = doc;
  const checkbox: number[] = [];
  for (let i = 0; i < lines.length; i++) if (!literal[i] && CHECKBOX.test(lines[i])) checkbox.push(i);
  const headingLines = new Set(doc.headings.map((h) => h.line - 1));
  const out: TaskScan = { tasks: [], refs: [], validates: [], nonTaskLines: [], struck: [], problems: [] };
  const stack: { indent: number; id: string }[] = [];
  // Each written id: the lines it is on, and the id of its latest task (a parent for `N.M`).
  const written = new Map<string, { lines: number[]; latest: string }>();
  for (let k = 0; k < checkbox.length; k++) {
    const i = checkbox[k];
    const m = CHECKBOX.exec(lines[i]) as RegExpExecArray;
    const [, ws, mark, star, text] = m;
    const parsed = idRule(text.trim());
    if (!parsed) {
      out.nonTaskLines.push(i + 1);
      continue;
    }
    let end = k + 1 < checkbox.length ? checkbox[k + 1] : lines.length;
    for (let j = i + 1; j < end; j++) {
      const l = lines[j];
      if (headingLines.has(j) || (/^\S/.test(l) && !LIST_ITEM.test(l) && !/^_/.test(l) && (literal[j] || !lines[j - 1].trim()))) {
        end = j;
        break;
      }
    }
    while (end - 1 > i && lines[end - 1].trim() === '') end--;
    if (isStruck(parsed.rest)) {
      out.nonTaskLines.push(i + 1);
      out.struck.push({ startLine: i + 1, endLine: Math.max(i + 1, end) });
      continue;
    }
    const indent = ws.replace(/\t/g, '    ').length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const line = i + 1;
    let id = parsed.id || `L${line}`;
    // An id written twice (a task inserted without renumbering): the later task is its own
    // task, `L<line>` as an unnumbered one is, so no check, link or report entry takes one
    // task for the other; the spec gets a problem naming both lines.
    const same = parsed.id ? written.get(parsed.id) : undefined;
    if (same) {
      same.lines.push(line);
      id = `L${line}`;
      const times = same.lines.length === 2 ? 'twice' : `${same.lines.length} times`;
      const where = `${same.lines.slice(0, -1).join(', ')} and ${line}`;
      out.problems.push({
        file,
        line,
        message: `task id ${parsed.id} is used ${times} (lines ${where}): the task at line ${line} is checked as task ${id}; give it a number of its own`,
      });
      same.latest = id;
    } else if (parsed.id) written.set(parsed.id, { lines: [line], latest: id });
    let parent = stack.length ? stack[stack.length - 1].id : undefined;
    let depth = stack.length;
    if (parent === undefined && parsed.id.includes('.')) {
      const up = written.get(parsed.id.slice(0, parsed.id.lastIndexOf('.')));
      if (up) {
        parent = up.latest;
        depth = 1;
      }
    }
    stack.push({ indent, id });
    let title = parsed.rest.trim();
    const bodyLines: number[] = [];
    let wrapping = true;
    for (let j = i + 1; j < end; j++) {
      if (literal[j]) {
        wrapping = false;
        continue;
      }
      const l = lines[j];
      if (wrapping && l.trim() && !LIST_ITEM.test(l) && !/^\s*_[A-Za-z]/.test(l) && !/^\s*\*\*/.test(l)) {
        title += ' ' + l.trim();
      } else wrapping = false;
      bodyLines.push(j + 1);
    }
    const optional = star === '*';
    const task: ScannedTask = {
      id,
      title: title.replace(/\s+_Requirements?:.*$/, '').trim(),
      state: stateOf(mark, optional),
      mark,
      optional,
      requirements: [],
      allRequirements: false,
      paths: [],
      range: { file, startLine: line, endLine: Math.max(line, end) } satisfies SourceRange,
      depth,
      bodyLines,
    };
    if (parent !== undefined) task.parent = parent;
    for (let j = i; j < end; j++) {
      if (literal[j]) continue;
      if (lines[j].includes('_Requirement')) {
        const r = requirementsLine(lines, j);
        if (r) {
          const list = parseRefList(r.body);
          for (const ref of list.ids) if (!task.requirements.includes(ref)) task.requirements.push(ref);
          if (list.all.length) task.allRequirements = true;
          out.refs.push({ task: id, file, line: j + 1, ...list });
        }
      }
      if (lines[j].includes('**Validates')) out.validates.push(...validatesRefs(lines[j]));
    }
    out.tasks.push(task);
  }
  return out;
}
