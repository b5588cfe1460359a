// What every rule reads: the spec, the classified changes, the config and the compiled
// matchers; plus helpers that build findings with consistent lines and related locations.
import type { Config } from '../config';
import type { Classification, FileChange, Finding, FindingKind, Hunk, NonGoal, RelatedLocation, Requirement, Severity, Spec, Task } from '../model';
import { RULE_IDS } from '../model';
import type { ProtectedMatcher } from '../protected';
import type { CompiledScope, TaskIndex } from '../scope';
import { codeSpan } from '../render/plainTitle';
import { shownGlob } from '../spec/paths';
import { RULE_BY_KIND } from './catalog';

export interface AnalyzedChange {
  change: FileChange;
  classification: Classification;
  /** Ids of the tasks that name the path (or, for renames, the old path). */
  tasks: string[];
  /** For a lockfile that names no task itself: the changed manifests whose tasks it took (see lockfiles.ts). */
  via?: string[];
  /** For a lockfile out of the scope itself: the changed manifests in scope that put it in scope (see lockfiles.ts). */
  scopeVia?: string[];
}

export interface RuleContext {
  spec: Spec;
  changes: AnalyzedChange[];
  config: Config;
  scope: CompiledScope;
  taskIndex: TaskIndex;
  protectedPaths: ProtectedMatcher;
  tasksById: Map<string, Task>;
  /** See AnalyzeOptions.contentRead. */
  contentRead: boolean;
  /** See AnalyzeOptions.registries. */
  registries: ReadonlySet<string>;
  /** taskRelated's memo. */
  relatedOfTasks: Map<string, readonly RelatedLocation[]>;
  /** The spec's tasks at the base, when the change edits the spec (see AnalyzeOptions.baseSpec). */
  baseTasks?: readonly Task[];
  /**
   * Which tasks name a path at the base, when the change edits the spec or creates it (none
   * then): only those vouch for a protected file (SG210).
   */
  baseTaskIndex?: TaskIndex;
  /** The spec's scope at the base, when the change edits the spec (see AnalyzeOptions.baseSpec). */
  baseScope?: CompiledScope;
  /** The spec's requirements at the base, when the change edits the spec. */
  baseRequirements?: readonly Requirement[];
  /** The spec's text at the base (Spec.text), when the change edits the spec: a dependency named only by the change's edit is not vouched for. */
  baseSpecText?: string;
  /** The spec's non-goals at the base (Spec.nonGoals), with baseSpecText: lines of it that vouch for no dependency. */
  baseNonGoals?: readonly NonGoal[];
  /** The change creates the spec (see AnalyzeOptions.specIsNew). */
  specIsNew?: boolean;
  /** The spec's `protected:` globs at the base, when the change edits the spec: they still apply. */
  baseProtected?: readonly string[];
  /**
   * SG303 (change-without-task) is off in every config: its dependency findings are not made,
   * so SG210 keeps the dependency dangers they would otherwise own (see readsDependencies).
   */
  dependenciesOff?: boolean;
  /** The other specs' scopes, compiled when first asked for (see AnalyzeOptions.otherSpecs). */
  otherScopes?: () => readonly { id: string; covers: (path: string) => boolean }[];
}

export type Rule = (ctx: RuleContext) => Finding[];

type FindingFields = Omit<Finding, 'rule' | 'kind' | 'severity'> & { severity?: Severity };

/** A finding with its fields in one canonical order and no undefined fields. */
export function finding(kind: FindingKind, fields: FindingFields): Finding {
  const f = { rule: RULE_IDS[kind], kind, severity: fields.severity ?? RULE_BY_KIND[kind].severity, path: fields.path } as Finding;
  if (fields.startLine !== undefined) f.startLine = fields.startLine;
  if (fields.endLine !== undefined) f.endLine = fields.endLine;
  f.message = fields.message;
  if (fields.task !== undefined) f.task = fields.task;
  if (fields.requirement !== undefined) f.requirement = fields.requirement;
  if (fields.related && fields.related.length > 0) f.related = fields.related;
  return f;
}

/**
 * Lines a hunk covers: the new side, or the old side for a deleted file. A pure removal
 * (`+N,0`) points at new line N, the line above the gap (line 1 at the top of the file).
 */
export function hunkLines(hunk: Hunk, deleted: boolean): { startLine: number; endLine: number } {
  if (deleted) {
    const start = Math.max(1, hunk.oldStart);
    return { startLine: start, endLine: start + Math.max(hunk.oldLines, 1) - 1 };
  }
  if (hunk.newLines === 0) {
    const at = Math.max(1, hunk.newStart);
    return { startLine: at, endLine: at };
  }
  const start = Math.max(1, hunk.newStart);
  return { startLine: start, endLine: start + hunk.newLines - 1 };
}

/** The span of all the change's hunks, or nothing for a change without hunks. */
export function changeLines(change: FileChange): { startLine?: number; endLine?: number } {
  if (change.hunks.length === 0) return {};
  const deleted = change.status === 'deleted';
  const first = hunkLines(change.hunks[0]!, deleted);
  const last = hunkLines(change.hunks[change.hunks.length - 1]!, deleted);
  return { startLine: first.startLine, endLine: Math.max(first.endLine, last.endLine) };
}

/** Where the tasks are declared: one shared, read-only list per set of ids (most changes share theirs). */
export function taskRelated(ctx: RuleContext, ids: readonly string[]): readonly RelatedLocation[] {
  if (ids.length === 0) return NO_LOCATIONS;
  const key = ids.length === 1 ? ids[0]! : ids.join('\0');
  let out = ctx.relatedOfTasks.get(key);
  if (out === undefined) {
    const list: RelatedLocation[] = [];
    for (const id of ids) {
      const t = ctx.tasksById.get(id);
      if (t) list.push({ file: t.range.file, line: t.range.startLine, message: `task ${t.id}: ${t.title}` });
    }
    out = list;
    ctx.relatedOfTasks.set(key, out);
  }
  return out;
}

const NO_LOCATIONS: readonly RelatedLocation[] = [];

/** Where the spec declares the glob (if it has a source range). */
export function scopeRelated(ctx: RuleContext, glob: string | undefined, list: 'include' | 'exclude' | 'protected'): RelatedLocation[] {
  if (glob === undefined) return [];
  const src = ctx.spec.scopeSources.find((s) => s.list === list && s.glob === glob && s.range);
  return src?.range ? [{ file: src.range.file, line: src.range.startLine, message: `${list} glob ${codeSpan(shownGlob(glob))}` }] : [];
}

/** First place the spec declares its scope, for out-of-scope findings. */
export function scopeDeclaration(ctx: RuleContext): RelatedLocation[] {
  const excluded = new Set(ctx.spec.scope.exclude);
  const src =
    ctx.spec.scopeSources.find((s) => s.list === 'include' && s.range && s.origin !== 'task' && !excluded.has(s.glob)) ??
    ctx.spec.scopeSources.find((s) => s.list === 'include' && s.range);
  return src?.range ? [{ file: src.range.file, line: src.range.startLine, message: 'the spec declares its scope here' }] : [];
}

export function lineCount(n: number): string {
  return `${n} line${n === 1 ? '' : 's'}`;
}

/**
 * Of the change's tasks, those that name it (its path, its old path, or the manifest a lockfile
 * follows) in the spec as the base has it: a task the change adds to the spec, or one in a
 * spec the change creates, vouches for nothing. All of them when the spec is unchanged.
 */
export function tasksAtBase(ctx: RuleContext, a: AnalyzedChange, ids: readonly string[] = a.tasks): string[] {
  const index = ctx.baseTaskIndex;
  if (!index) return [...ids];
  const c = a.change;
  const named = new Set([...index.tasksFor(c.path), ...(c.oldPath ? index.tasksFor(c.oldPath) : []), ...(a.via ?? []).flatMap((p) => index.tasksFor(p))]);
  return ids.filter((t) => named.has(t));
}
