// spec-kit specs (`specs/NNN-name/`, `.specify/specs/…`): `**FR-001**`, `**SC-001**`,
// `**NFR-001**` and `User Story N` in spec.md; `- [ ] T012 [P] [US1] … in src/x.py` tasks;
// scope from task-line paths and plan.md's Project Structure tree.
import type { Criterion, Requirement, RequirementKind, SpecProblem } from '../model';
import type { MdFile, SpecContext } from './context';
import type { MdHeading } from './markdown';
import { isRouteName, withoutIgnoreEntries, type NamedPath } from './paths';
import { lineRange } from './scope';
import { pathsToChange, sectionsWhere, TASK_LINE } from './sections';
import { scanTasks, type TaskIdRule } from './tasks';
import { trimEnd } from './kiro';

const KINDS: Readonly<Record<string, RequirementKind>> = { FR: 'functional', NFR: 'non-functional', SC: 'success' };

export const speckitId: TaskIdRule = (text) => {
  // `T012`, and `T-012` as some write it.
  const m = /^\**(T-?\d+[a-z]?)\**\s*(.*)$/.exec(text);
  return m ? { id: m[1], rest: m[2] } : null;
};

export function readSpeckit(ctx: SpecContext): void {
  const spec = ctx.file('spec.md');
  if (spec) ctx.requirements.push(...speckitRequirements(spec));
  const tasks = ctx.file('tasks.md');
  if (tasks) readTasks(ctx, tasks);
  const plan = ctx.file('plan.md');
  if (plan) {
    for (const { line, path } of projectStructure(plan, ctx.problems)) ctx.scope.addPath(path, 'include', 'plan', lineRange(plan.path, line), false, true);
  }
}

/** The one user story (`USn`) the nearest heading above `line` names, as `US3` or `User Story 3`; undefined for none or several. */
function storyOfPhase(headings: readonly MdHeading[], line: number): string | undefined {
  let nearest: MdHeading | undefined;
  for (const h of headings) {
    if (h.line >= line) break;
    nearest = h;
  }
  if (!nearest) return undefined;
  const named = new Set([...nearest.text.matchAll(/\b(?:US|User Story\s+)(\d+)\b/gi)].map((m) => `US${Number(m[1])}`));
  return named.size === 1 ? [...named][0] : undefined;
}

function readTasks(ctx: SpecContext, f: MdFile): void {
  const scan = scanTasks(f.doc, f.path, speckitId);
  ctx.addRefs(scan.refs);
  ctx.problems.push(...scan.problems);
  ctx.details.nonTaskCheckboxLines += scan.nonTaskLines.length;
  const { lines } = f.doc;
  const seen = new Set<string>();
  const hasStories = ctx.requirements.some((r) => r.kind === 'story');
  for (const t of scan.tasks) {
    const first = lines[t.range.startLine - 1];
    const rest = (speckitId(first.replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+\[.\]\*?\s*/, '').trim())?.rest ?? '').trim();
    t.parallel = /\[P\]/.test(rest);
    // A task without a `[USn]` label covers the story its phase's heading names, if exactly
    // one (`## Phase 2: Foundational (Generic Callback - US3)`, `## Phase 3: User Story 1 - …`);
    // its story label stays the one it was written with.
    const label = /\[(US\d+)\]/.exec(rest)?.[1];
    const story = label ?? storyOfPhase(f.doc.headings, t.range.startLine);
    if (label) t.story = label;
    if (story) {
      t.requirements.push(story);
      if (hasStories) ctx.refs.push({ task: t.id, file: f.path, line: t.range.startLine, ids: [story], all: [], nonstandard: [], invalid: [] });
    }
    t.title = rest.replace(/\[(?:P|US\d+)\]\s*/g, '').trim() || t.title;
    const globs = new Set<string>();
    const onTaskLine = taskLinePaths(rest, f.path);
    for (const { path } of onTaskLine) {
      if (!seen.has(path)) ctx.details.taskLinePaths.push(path);
      seen.add(path);
    }
    const named = [
      ...onTaskLine.map((p) => ({ ...p, line: t.range.startLine })),
      ...t.bodyLines.filter((line) => !f.doc.literal[line - 1]).flatMap((line) => taskLinePaths(lines[line - 1], f.path).map((p) => ({ ...p, line }))),
    ];
    for (const { path, bare, line } of withoutIgnoreEntries(named)) {
      for (const g of ctx.scope.addPath(path, 'include', 'task', lineRange(f.path, line), bare, rootedBare(path, bare))) globs.add(g);
    }
    t.paths = [...globs];
    const { bodyLines: _omit, ...task } = t;
    ctx.tasks.push(task);
  }
}

/**
 * A requirement's definition: `- **FR-001**: …` as the template writes it, in a numbered item
 * too, or not bold with its colon (`- FR-002: …`; without one, `- FR-002 verified` is prose).
 */
const FR_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\*\*((FR|SC|NFR)-\d+)\*\*:?|((FR|SC|NFR)-\d+):)\s*(.*)$/;

/** A plan tree's note that its entry is not this work's to change. */
const NOT_CHANGED =
  /\b(?:unchanged|untouched|not (?:changed|modified|touched|edited)|do not (?:edit|modify|change|touch)|(?:auto-?)?generated|build output|compiled output|gitignored|git-ignored|ignored by git|not committed|never committed|third[- ]party|vendored|read[- ]only)\b/i;

/** The paths a task line names, but those it says are not to change (`Do not modify src/x.ts`). */
function taskLinePaths(text: string, file: string): NamedPath[] {
  return pathsToChange(text, { file }, TASK_LINE);
}

/**
 * A bare file name in a task line (`Initialize package.json`, `Update README.md`) is the one at
 * the repository's root: read in any folder, it put every package.json of a monorepo in scope.
 * Backticked, it is any folder's, as everywhere (`util.ts` is `**\/util.ts`).
 */
function rootedBare(path: string, bare: boolean): boolean {
  return bare && !path.includes('/');
}

function speckitRequirements(f: MdFile): Requirement[] {
  const { lines, literal } = f.doc;
  const out: Requirement[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (literal[i]) continue;
    const m = FR_ITEM.exec(lines[i]);
    if (!m) continue;
    out.push({
      id: m[1] ?? m[3]!,
      title: m[5]!.replace(/^[:\s-]+/, '').trim(),
      kind: KINDS[m[2] ?? m[4]!],
      criteria: [],
      range: lineRange(f.path, i + 1, i + 1),
    });
  }
  for (const s of sectionsWhere(f.doc, (h) => h.depth >= 2 && h.depth <= 4 && /^User Story\s+\d+/i.test(h.text))) {
    const n = /^User Story\s+(\d+)/i.exec(s.heading.text)![1];
    const id = `US${n}`;
    const criteria: Criterion[] = [];
    let inScenarios = false;
    const end = trimEnd(lines, s.start, s.end);
    for (let i = s.start; i < end; i++) {
      if (literal[i]) continue;
      if (/^\s*\**Acceptance Scenarios/i.test(lines[i])) inScenarios = true;
      else if (/^\s*\*\*[^*]+\*\*:?\s*$/.test(lines[i]) || /^\s*\*\*[^*]+\*\*:/.test(lines[i])) inScenarios = false;
      if (!inScenarios) continue;
      const c = /^(\d+)\.\s+(.*)$/.exec(lines[i]);
      if (c) criteria.push({ id: `${id}.${c[1]}`, text: c[2].trim(), range: lineRange(f.path, i + 1, i + 1) });
    }
    out.push({ id, title: s.heading.text, kind: 'story', criteria, range: lineRange(f.path, s.start, end) });
  }
  return out;
}

/** Fence info strings a directory tree comes in (code blocks in other languages are not trees). */
const TREE_INFO = /^(?:|text|txt|plain|plaintext|tree)$/i;

/**
 * A template option's marker in a plan tree: `# [REMOVE IF UNUSED] Option 2: Web application
 * (when …)`, or the older template's `# Option 2: Web application`. Its number and name.
 */
const OPTION_MARKER = /^\s*#\s*(?:\[REMOVE IF UNUSED\]\s*)?Option\s+(\d+)\s*[:.–—-]?\s*([^(\n]*)/i;

interface TemplateOptions {
  /** The option each tree line of the section belongs to (0-based line index → number), markers included. */
  of: Map<number, string>;
  /** The option the Structure Decision names, when it names exactly one of them. */
  chosen?: string;
}

/**
 * The template's structure options left in a plan's trees (spec-kit's plan template offers
 * a tree per kind of project, each headed `# [REMOVE IF UNUSED] Option N: …`, and asks the
 * author to delete the unused ones), and the one the *Structure Decision* names, by number
 * (`Option 2`) or by name (`Web application`); a decision still in the template's brackets
 * (`[Document the selected structure …]`) names none.
 */
function templateOptions(f: MdFile, start: number, end: number): TemplateOptions {
  const { lines, fenced, literal } = f.doc;
  const of = new Map<number, string>();
  const names = new Map<string, string>();
  let current: string | undefined;
  for (let i = start; i < end; i++) {
    if (!fenced[i] || /^\s*(?:`{3,}|~{3,})/.test(lines[i]!)) {
      current = undefined;
      continue;
    }
    const m = OPTION_MARKER.exec(lines[i]!);
    if (m) {
      current = m[1]!;
      names.set(current, m[2]!.trim().toLowerCase());
    }
    if (current !== undefined) of.set(i, current);
  }
  if (of.size === 0) return { of };
  let decision = '';
  for (let i = 0; i < lines.length; i++) {
    if (literal[i] || !/^\s*(?:#+\s*|\*\*|__)?Structure Decision\b/i.test(lines[i]!)) continue;
    for (let j = i; j < lines.length && (j === i || lines[j]!.trim() !== '') && !literal[j]; j++) decision += ` ${lines[j]}`;
    if (lines[i]!.replace(/^[\s#*_]*Structure Decision[*_:\s]*/i, '').trim() === '') {
      for (let j = i + 2; j < lines.length && lines[j]!.trim() !== '' && !literal[j]; j++) decision += ` ${lines[j]}`;
    }
    break;
  }
  decision = decision.replace(/\[[^\]]*\]/g, ' ').replace(/Structure Decision/i, ' ').toLowerCase();
  const byNumber = new Set([...decision.matchAll(/\boption\s+(\d+)\b/g)].map((m) => m[1]!).filter((n) => names.has(n)));
  if (byNumber.size === 1) return { of, chosen: [...byNumber][0] };
  if (byNumber.size > 1) return { of };
  const byName = [...names].filter(([, name]) => name.length >= 3 && decision.includes(name));
  return byName.length === 1 ? { of, chosen: byName[0]![0] } : { of };
}

/**
 * Paths in the fenced trees under plan.md's `Project Structure` heading (leaves only). Of
 * the template's options left in the trees (see templateOptions), only the one the
 * Structure Decision names is read; when it names none, none is, and `problems` says so.
 */
export function projectStructure(f: MdFile, problems?: SpecProblem[]): { line: number; path: string }[] {
  const { lines, fenced } = f.doc;
  const out: { line: number; path: string }[] = [];
  for (const s of sectionsWhere(f.doc, (h) => /^Project Structure/i.test(h.text))) {
    const options = templateOptions(f, s.start, s.end);
    if (options.of.size > 0 && options.chosen === undefined && problems) {
      const numbers = [...new Set(options.of.values())];
      const first = Math.min(...options.of.keys());
      problems.push({
        file: f.path,
        line: first + 1,
        message: `the plan still holds the template's structure options (${numbers.map((n) => `Option ${n}`).join(', ')}) and its Structure Decision names none of them: their paths are not read as scope (delete the unused options, or name the chosen one in the Structure Decision)`,
      });
    }
    let stack: { col: number; path: string | null; line: number; children: number; open?: boolean }[] = [];
    const flush = (upTo: number): void => {
      while (stack.length && stack[stack.length - 1].col >= upTo) {
        const d = stack.pop()!;
        if ((d.children === 0 || d.open) && d.path !== null) out.push({ line: d.line, path: d.path });
      }
    };
    let open = false;
    let tree = false;
    for (let i = s.start; i < s.end; i++) {
      if (!fenced[i]) {
        open = false;
        continue;
      }
      const line = lines[i];
      const fence = /^\s*(?:`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (fence) {
        flush(-1);
        stack = [];
        tree = !open && TREE_INFO.test(fence[1]);
        open = !open;
        continue;
      }
      if (!tree) continue;
      const option = options.of.get(i);
      if (option !== undefined) {
        if (OPTION_MARKER.test(line)) {
          flush(-1);
          stack = [];
        }
        if (option !== options.chosen) continue;
      }
      // A `+` draws an ASCII tree only before `-` (`+-- src/`); before a name it is the name's
      // (SvelteKit's `+page.svelte`).
      const m = /^((?:[\s│├└─┬┼┤┐┘┌|`\\-]|\+(?=-))*)([^\s│├└─].*)$/.exec(line.replace(/\t/g, '    '));
      if (!m) continue;
      const col = [...m[1]].length;
      const name = m[2].replace(/\s+#.*$/, '').trim().split(/\s+/)[0] ?? '';
      if (/^(?:\.{2,}|…)$/.test(name)) {
        flush(col);
        if (stack.length) stack[stack.length - 1].open = true;
        continue;
      }
      // A route folder or file (`(marketing)/`, `[slug]/`, `[...slug].tsx`) is a name; other brackets are placeholders.
      const route = isRouteName(name);
      if (!name || name.startsWith('#') || !/[A-Za-z0-9]/.test(name) || (!route && /[=:"'$(),;]/.test(name))) continue;
      flush(col);
      const parent = stack.length ? stack[stack.length - 1] : undefined;
      if (parent) parent.children++;
      // An entry the tree marks as not changed by this work (`dist/  # build output`, `vendor/
      // # third-party, unchanged`, `todo.db  # created on first run, gitignored`) is not read,
      // nor anything under it.
      const note = /\s#\s*(.*)$/.exec(m[2])?.[1] ?? '';
      const placeholder = (!route && /[[\]<>*{}]/.test(name)) || parent?.path === null || NOT_CHANGED.test(note);
      const full = placeholder ? null : (parent ? parent.path : '') + name;
      if (name.endsWith('/')) stack.push({ col, path: full, line: i + 1, children: 0 });
      else if (full !== null) out.push({ line: i + 1, path: full });
    }
    flush(-1);
  }
  return out;
}
