// Spec-to-change rules: SG301 requirement-uncovered, SG302 task-done-without-change,
// SG303 change-without-task.
import type { FileChange, Finding, Requirement, RequirementKind, Task } from '../model';
import type { TaskLinks } from '../trace';
import { codeSpan } from '../render/plainTitle';
import { shownGlob } from '../spec/paths';
import { finding, scopeRelated, taskRelated, type Rule, type RuleContext } from './context';
import { tasksDoneBefore } from './doneBefore';

/** Outcome-style requirements that tasks do not implement one by one. */
const NOT_WORK_ITEMS: ReadonlySet<RequirementKind> = new Set(['success', 'non-functional']);

/** Tasks that some changed file is linked to. */
function changedTasks(ctx: RuleContext): Set<string> {
  const ids = new Set<string>();
  for (const a of ctx.changes) for (const t of a.tasks) ids.add(t);
  return ids;
}

/** Files whose being there is the work, empty as they are (a package marker, a folder kept in git). */
const EMPTY_ON_PURPOSE = /(?:^|\/)(?:__init__\.py|py\.typed|\.gitkeep|\.keep|\.nojekyll|\.gitignore|\.npmignore|\.dockerignore)$/;

/**
 * Why a changed file holds no work a task could be done by, if it holds none: a new text file
 * left empty or holding only comments, or a file whose lines changed only in whitespace (line
 * endings, trailing spaces, indentation) or only in comments (a `// TODO: retry here`). A mode
 * change, a rename, a symbolic link or a binary file is work of its own.
 */
function hollow(c: FileChange): string | undefined {
  if (c.binary || c.tooLarge) return undefined;
  const sameMode = c.oldMode === c.newMode || c.oldMode === undefined || c.newMode === undefined;
  if (c.status === 'added' && (c.newMode === undefined || c.newMode === '100644') && !EMPTY_ON_PURPOSE.test(c.path)) {
    if (c.added === 0) return 'is empty';
    if (c.commentOnly) return 'holds only comments';
  }
  if (c.status === 'modified' && sameMode && c.whitespaceOnly !== undefined) return 'changes only whitespace';
  if (c.status === 'modified' && sameMode && c.commentOnly) return 'changes only comments';
  return undefined;
}

/** Tasks whose linked changed files are all hollow (see hollow), with what each of those files is. */
function hollowTasks(ctx: RuleContext): Map<string, string[]> {
  const why = new Map<string, string[]>();
  const worked = new Set<string>();
  for (const a of ctx.changes) {
    const h = hollow(a.change);
    for (const t of a.tasks) {
      if (h === undefined) worked.add(t);
      else why.set(t, [...(why.get(t) ?? []), `${codeSpan(a.change.path)} ${h}`]);
    }
  }
  for (const t of worked) why.delete(t);
  return why;
}

export function requirementRule(links: TaskLinks): Rule {
  return (ctx) => {
    const out: Finding[] = [];
    const touched = changedTasks(ctx);
    // A kind is checked only when the spec's tasks reference at least one requirement of it.
    const linkedKinds = new Set<RequirementKind>();
    for (const r of ctx.spec.requirements) {
      if (links.tasksOf(r.id).some((id) => !ctx.tasksById.get(id)?.allRequirements)) linkedKinds.add(r.kind);
    }
    for (const r of ctx.spec.requirements) {
      if (NOT_WORK_ITEMS.has(r.kind) || !linkedKinds.has(r.kind)) continue;
      const tasks = links.tasksOf(r.id);
      const related = [{ file: r.range.file, line: r.range.startLine, message: `requirement ${r.id}` }];
      const common = { path: r.range.file, startLine: r.range.startLine, endLine: r.range.startLine, requirement: r.id };
      if (tasks.length === 0) {
        out.push(finding('requirement-uncovered', { ...common, related, message: `No task references requirement ${label(r)}.` }));
        continue;
      }
      const states = tasks.map((id) => ctx.tasksById.get(id)?.state);
      const open = states.every((s) => s === 'todo' || s === 'optional');
      if (open && !tasks.some((id) => touched.has(id))) {
        out.push(
          finding('requirement-uncovered', {
            ...common,
            related: [...related, ...taskRelated(ctx, tasks)],
            message: `Requirement ${label(r)} has no change: its tasks (${tasks.join(', ')}) are open and no changed file is linked to them.`,
          }),
        );
      }
    }
    return out;
  };
}

function label(r: Requirement): string {
  return r.title && r.title !== r.id ? `${r.id} (${r.title})` : r.id;
}

/** Lines of spec files that this change set added or edited (new side). */
function touchedSpecLines(ctx: RuleContext): (file: string, line: number) => boolean {
  const byFile = new Map<string, RuleContext['changes'][number]>();
  for (const a of ctx.changes) byFile.set(a.change.path, a);
  return (file, line) => {
    const a = byFile.get(file);
    if (!a) return false;
    const c = a.change;
    if (c.status === 'added') return true;
    if (c.binary || c.tooLarge) return true;
    return c.hunks.some((h) => h.newLines > 0 && line >= h.newStart && line < h.newStart + h.newLines);
  };
}

export const taskDoneRule: Rule = (ctx) => {
  const out: Finding[] = [];
  const touched = changedTasks(ctx);
  // A task whose files changed only in whitespace, or were created empty, has nothing behind it either.
  const empty = hollowTasks(ctx);
  const ticked = touchedSpecLines(ctx);
  const seen = new Set<string>();
  let doneBefore: ReadonlySet<string> | undefined;
  // A task that names no path is judged by the change as a whole: ticked in a change of the
  // spec's files alone, nothing stands behind it.
  const specOnly = ctx.changes.every((a) => a.classification === 'spec');
  // Beside other work, such a task cannot be judged: ticked in this change, it is named at
  // info, so the reviewer knows which ticks rest on their own reading. Not a parent task (its
  // subtasks are its work), nor a subtask of one that names paths (those are its paths too).
  const byId = new Map(ctx.spec.tasks.map((t) => [t.id, t]));
  const parents = new Set(ctx.spec.tasks.flatMap((t) => t.parent ?? []));
  const pathsAbove = (t: Task): boolean => {
    for (let p = t.parent, depth = 0; p !== undefined && depth < 20; p = byId.get(p)?.parent, depth++) if ((byId.get(p)?.paths.length ?? 0) > 0) return true;
    return false;
  };
  // Tasks ticked in this change whose linked files changed (their placeholders are read below).
  const tickedWithWork = new Set<string>();
  const doneAtBase = (t: Task) => !!ctx.baseTasks && (doneBefore ??= tasksDoneBefore(ctx.spec.tasks, ctx.baseTasks)).has(t.id);
  for (const t of ctx.spec.tasks) {
    if (t.state !== 'done' || seen.has(t.id)) continue;
    seen.add(t.id);
    const unjudged = t.paths.length === 0 && !specOnly;
    if (unjudged && (parents.has(t.id) || pathsAbove(t))) continue;
    const hollowFiles = unjudged ? undefined : empty.get(t.id);
    if (!ticked(t.range.file, t.range.startLine)) continue;
    if (!unjudged && touched.has(t.id) && !hollowFiles) {
      if (!doneAtBase(t)) tickedWithWork.add(t.id);
      continue;
    }
    // A task ticked at the base is not one ticked here, renumbered or reworded since or not.
    if (doneAtBase(t)) continue;
    out.push(
      finding('task-done-without-change', {
        ...(unjudged ? { severity: 'info' as const } : {}),
        path: t.range.file,
        startLine: t.range.startLine,
        endLine: t.range.startLine,
        task: t.id,
        related: taskRelated(ctx, [t.id]),
        message: unjudged
          ? `Task ${t.id} is ticked done and names no file or folder, so nothing in the change can be checked against it: confirm by hand that the change does what it says.`
          : hollowFiles
            ? `Task ${t.id} is ticked done, but the files linked to it hold no work: ${someFiles(hollowFiles)}.`
            : t.paths.length === 0
              ? `Task ${t.id} is ticked done, but this change holds nothing besides the spec's own files.`
              : `Task ${t.id} is ticked done, but none of the paths it names changed (${shortList(t)}).`,
      }),
    );
  }
  if (tickedWithWork.size > 0) out.push(...placeholderFindings(ctx, tickedWithWork));
  return out;
};

/**
 * A placeholder left in a file linked to a task ticked done in this change: the task claims
 * work that line says is not there (`throw new Error('Not implemented')`, `todo!()`). One
 * finding per placeholder, at its line, naming the ticked tasks the file is linked to.
 */
function placeholderFindings(ctx: RuleContext, ticked: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const a of ctx.changes) {
    const stubs = a.change.placeholders;
    if (!stubs || stubs.length === 0) continue;
    const tasks = a.tasks.filter((t) => ticked.has(t));
    if (tasks.length === 0) continue;
    const who = tasks.length === 1 ? `Task ${tasks[0]} is` : `Tasks ${tasks.slice(0, -1).join(', ')} and ${tasks[tasks.length - 1]} are`;
    for (const p of stubs) {
      out.push(
        finding('task-done-without-change', {
          path: a.change.path,
          startLine: p.line,
          endLine: p.line,
          task: tasks[0]!,
          related: taskRelated(ctx, tasks),
          message: `${who} ticked done, but this line leaves a placeholder (${codeSpan(p.text)}) where the work should be.`,
        }),
      );
    }
  }
  return out;
}

function someFiles(list: string[]): string {
  return list.length > 4 ? `${list.slice(0, 4).join(', ')}, and ${list.length - 4} more` : list.join(', ');
}

function shortList(t: Task): string {
  const shown = t.paths.filter((p) => !p.endsWith('/**') || !t.paths.includes(p.slice(0, -3))).map((p) => codeSpan(shownGlob(p)));
  return shown.length > 4 ? `${shown.slice(0, 4).join(', ')}, ...` : shown.join(', ');
}

/** Security-related code (authentication, sessions, permissions, crypto, access guards), by a folder or file name part; camelCase names are read by their words (`authService.ts`, `useAuth.ts`). */
const SENSITIVE = /(?:^|[/_.-])(auth|authn|authz|authentication|authorization|security|permissions?|acl|rbac|crypto|session|login|passwords?|passwordless|jwt|oauth2?|sso|saml|csrf|cors|guards?|polic(?:y|ies)|middlewares?|iam|identity|admin|webhooks?)(?=$|[/_.-])/i;
/** Source code, where a check or a bypass lives: not docs, styles, translations or tests. */
const CODE = /\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|kts|cs|php|rs|scala|swift|exs?|clj|erl|lua)$/;
const NOT_CODE = /(?:^|\/)(?:docs?|tests?|__tests__|spec|e2e|fixtures?|locales?|i18n)\/|\.(?:test|spec)\.[^/]+$|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|go)$/;

/** The security-related part a code file's path names, if any. */
function sensitivePart(path: string): string | undefined {
  if (!CODE.test(path) || NOT_CODE.test(path)) return undefined;
  return SENSITIVE.exec(path.replace(/([a-z0-9])([A-Z])/g, '$1-$2'))?.[1]?.toLowerCase();
}

export const changeWithoutTaskRule: Rule = (ctx) => {
  if (!ctx.taskIndex.anyPaths) return [];
  const out: Finding[] = [];
  for (const a of ctx.changes) {
    if (a.classification !== 'in-scope' || a.tasks.length > 0) continue;
    const glob = ctx.scope.includedBy(a.change.path) ?? (a.change.oldPath ? ctx.scope.includedBy(a.change.oldPath) : undefined);
    const source = glob === undefined ? undefined : ctx.spec.scopeSources.find((s) => s.list === 'include' && s.glob === glob && s.range);
    const where = source?.range ? `, from ${codeSpan(source.range.file.slice(source.range.file.lastIndexOf('/') + 1))} line ${source.range.startLine}` : '';
    // Security-related code changed with no task behind it (a check removed, a bypass added): a warning.
    const sensitive = sensitivePart(a.change.path);
    out.push(
      finding('change-without-task', {
        path: a.change.path,
        ...(sensitive ? { severity: 'warning' as const } : {}),
        message: `No task names this file; it is in scope${glob ? ` (${codeSpan(shownGlob(glob))}${where})` : ''} but no task explains the change.${sensitive ? ` It changes security-related code (${codeSpan(sensitive)} in its path), which no task asked for.` : ''}`,
        related: scopeRelated(ctx, glob, 'include'),
      }),
    );
  }
  return out;
};
