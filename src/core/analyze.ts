// The analysis: a spec and a change set in, the `specgate.report/1` report out. Pure and
// synchronous; every glob list is compiled once per call.
import { strictestProtected, type Config, type SeverityOverride } from './config';
import { readsContent } from './dangers';
import { computeDigest } from './digest';
import type { ChangeSet, Finding, FindingKind, Report, ReportChange, ReportSpec, Severity, Spec, Task, TraceRow } from './model';
import { isLockfile, manifestsOf, type Workspaces } from './lockfiles';
import { isDependencyManifest } from './manifests';
import { compileProtected } from './protected';
import { riskLevel } from './risk';
import { deletionRules, rewriteRules } from './rules/blast';
import type { AnalyzedChange, Rule, RuleContext } from './rules/context';
import { removedExportRule } from './rules/exports';
import { protectedRule } from './rules/protected';
import { scopeRules } from './rules/scope';
import { specProblemRule } from './rules/spec';
import { dependencyRule } from './rules/dependencies';
import { changeWithoutTaskRule, requirementRule, taskDoneRule } from './rules/tasks';
import { isNegated } from './globMatch';
import { compileScope, compileTaskIndex } from './scope';
import { isArchivedChange } from './spec/resolve';
import { linkTasks } from './trace';

/**
 * Whether the rules read a file's texts (old and new): for what the change does in it
 * (core/dangers.ts) or for the dependencies it declares (core/manifests.ts). The change set
 * and the editor's live overlay carry them for such files.
 */
export function readsText(path: string): boolean {
  return readsContent(path) || isDependencyManifest(path);
}

export interface AnalyzeOptions {
  config: Config;
  /**
   * The config committed at the base, when the change edits the config file: the change
   * cannot loosen the rules it is judged by. Each threshold is the stricter of the two, the
   * protected globs are both lists, and each finding takes the higher of its two severities
   * (it is dropped only when both say `off`).
   */
  baseConfig?: Config;
  /** Blob id of each spec file as analysed (path → sha1 hex). */
  specBlobs: Record<string, string>;
  /** Protected globs from outside the repo config (editor settings). */
  extraProtected?: string[];
  /**
   * The spec as the base has it, when the change edits its files: a file in scope only by
   * the change's own edit to the spec (a scope glob or task path added, a non-goal taken
   * away) is reported, so a change cannot widen the scope it is judged by unseen. The same
   * object as the spec (or none) when the change leaves the spec alone. Its tasks ticked done
   * are not reported by SG302, which is for tasks ticked in this change (see tasksDoneBefore).
   */
  baseSpec?: Pick<Spec, 'scope' | 'tasks' | 'requirements' | 'files' | 'id' | 'format' | 'text' | 'nonGoals'>;
  /**
   * The change creates the spec (none of its files is in the base): its tasks do not make a
   * protected file a warning yet (SG210), as a task this change adds to an existing spec
   * does not.
   */
  specIsNew?: boolean;
  /**
   * The caller carried the texts of the files whose content the protected-path rule reads
   * (core/dangers.ts readsContent) wherever it could: one without them was too large or not
   * text, which its finding says.
   */
  contentRead?: boolean;
  /** Registry hosts the base's `.npmrc`/`.yarnrc.yml` name (see dangers.ts registryHosts). */
  registries?: ReadonlySet<string>;
  /** The workspace members each lockfile folder declares at the base (see lockfiles.ts). */
  workspaces?: Workspaces;
  /**
   * The repository's other specs (archived OpenSpec changes left out): a file outside this
   * spec's scope that another spec's scope covers says which, so the reviewer sees a change
   * that mixes two features, or was checked against the wrong spec.
   */
  otherSpecs?: readonly Pick<Spec, 'scope' | 'tasks' | 'files' | 'id' | 'format'>[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const OVERRIDE_RANK: Record<SeverityOverride, number> = { off: 0, info: 1, warning: 2, error: 3 };

/** Thresholds and protected globs of two configs, whichever flags more (severities are per finding, in analyze). */
function strictest(a: Config, b: Config): Config {
  return {
    thresholds: {
      massRewrite: Math.min(a.thresholds.massRewrite, b.thresholds.massRewrite),
      massRewriteMinLines: Math.min(a.thresholds.massRewriteMinLines, b.thresholds.massRewriteMinLines),
      largeDeletion: Math.min(a.thresholds.largeDeletion, b.thresholds.largeDeletion),
    },
    protected: strictestProtected(a.protected, b.protected),
    allowSelfApproval: a.allowSelfApproval && b.allowSelfApproval,
    // Specs were found with the current config's list already; it decides nothing here.
    ignoreSpecs: a.ignoreSpecs,
    severity: a.severity, // not read by the rules: analyze resolves each finding's severity against both
  };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.startLine ?? 0) - (b.startLine ?? 0) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * Sorts as compareFindings does, comparing first by a number per finding (severity, then
 * the path's rank among all paths): a string comparison of paths per pair costs more than
 * the rest of the sort on a change with thousands of findings.
 */
function sortFindings(findings: Finding[]): void {
  const paths = [...new Set(findings.map((f) => f.path))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Map(paths.map((p, i) => [p, i]));
  const keyed = findings.map((f) => ({ f, key: SEVERITY_ORDER[f.severity] * paths.length + rank.get(f.path)! }));
  keyed.sort((a, b) => a.key - b.key || compareFindings(a.f, b.f));
  for (let i = 0; i < keyed.length; i++) findings[i] = keyed[i]!.f;
}

function reportSpec(spec: Spec, requirementsOf: (id: string) => string[]): ReportSpec {
  const seen = new Set<string>();
  const tasks: ReportSpec['tasks'] = [];
  for (const t of spec.tasks) {
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    tasks.push({ id: t.id, title: t.title, state: t.state, requirements: requirementsOf(t.id), paths: [...t.paths] });
  }
  return {
    id: spec.id,
    format: spec.format,
    name: spec.name,
    files: [...spec.files],
    requirements: spec.requirements.map((r) => ({ id: r.id, title: r.title, criteria: r.criteria.map((c) => (c.id ? `${c.id}: ${c.text}` : c.text)) })),
    tasks,
    scope: { include: [...spec.scope.include], exclude: [...spec.scope.exclude], protected: [...spec.scope.protected] },
  };
}

/** Analyses one change set against one spec. */
export function analyze(spec: Spec, changeSet: ChangeSet, opts: AnalyzeOptions): Report {
  const scope = compileScope(spec);
  const taskIndex = compileTaskIndex(spec.tasks);
  const configs = opts.baseConfig ? [opts.config, opts.baseConfig] : [opts.config];
  const config = configs.length === 1 ? opts.config : strictest(opts.config, opts.baseConfig!);
  // Only the config may un-protect (`!glob`): the spec and the editor setting, which the
  // change's author can write, add protected globs and take none away.
  // The spec as the base has it protects too: a change that deletes its spec's `protected:`
  // lines is judged by them, as by the base's config.
  const baseProtected = opts.baseSpec && opts.baseSpec !== spec ? opts.baseSpec.scope.protected : [];
  const addedProtected = [...spec.scope.protected, ...baseProtected, ...(opts.extraProtected ?? [])].filter((g) => !isNegated(g));
  const protectedPaths = compileProtected([...config.protected, ...addedProtected]);
  const links = linkTasks(spec);
  const tasksById = new Map<string, Task>();
  for (const t of spec.tasks) if (!tasksById.has(t.id)) tasksById.set(t.id, t);

  const sorted = [...changeSet.changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A rename is as far out of scope as the worse of its two names (a spec file counts as in scope).
  const rank = { spec: 1, 'in-scope': 1, 'out-of-scope': 2, excluded: 3 } as const;
  const changes: AnalyzedChange[] = sorted.map((change) => {
    let classification = scope.classify(change.path);
    let tasks = taskIndex.tasksFor(change.path);
    if (change.oldPath !== undefined && change.oldPath !== change.path) {
      const old = scope.classify(change.oldPath);
      if (rank[old] > rank[classification]) classification = old;
      tasks = [...new Set([...tasks, ...taskIndex.tasksFor(change.oldPath)])];
    }
    return { change, classification, tasks };
  });
  // A lockfile written from a manifest the change edits takes that manifest's scope (out of
  // scope becomes in scope; excluded stays) and, naming none itself, its tasks.
  let byPath: Map<string, AnalyzedChange> | undefined;
  for (const a of changes) {
    if (a.tasks.length > 0 && a.classification !== 'out-of-scope') continue;
    if (!isLockfile(a.change.path)) continue;
    byPath ??= new Map(changes.map((x) => [x.change.path, x]));
    const from = manifestsOf(a.change.path, [...byPath.keys()], opts.workspaces).map((p) => byPath!.get(p)!);
    if (from.length === 0) continue;
    if (a.classification === 'out-of-scope' && from.some((m) => m.classification === 'in-scope')) {
      a.classification = 'in-scope';
      a.scopeVia = from.filter((m) => m.classification === 'in-scope').map((m) => m.change.path);
    }
    if (a.tasks.length === 0) {
      const named = from.filter((m) => m.tasks.length > 0);
      a.tasks = [...new Set(named.flatMap((m) => m.tasks))];
      if (named.length > 0) a.via = named.map((m) => m.change.path);
    }
  }

  const ctx: RuleContext = { spec, changes, config, scope, taskIndex, protectedPaths, tasksById, relatedOfTasks: new Map(), contentRead: !!opts.contentRead, registries: opts.registries ?? new Set() };
  if (configs.every((c) => c.severity['change-without-task'] === 'off')) ctx.dependenciesOff = true;
  const others = (opts.otherSpecs ?? []).filter((o) => o.id !== spec.id && !isArchivedChange(o.id));
  if (others.length > 0) ctx.otherScopes = () => others.map((o) => ({ id: o.id, covers: coverTest(o) }));
  if (opts.baseSpec && opts.baseSpec !== spec) {
    ctx.baseScope = compileScope(opts.baseSpec);
    ctx.baseTasks = opts.baseSpec.tasks;
    ctx.baseTaskIndex = compileTaskIndex(opts.baseSpec.tasks);
    ctx.baseProtected = baseProtected;
    ctx.baseRequirements = opts.baseSpec.requirements;
    if (opts.baseSpec.text !== undefined) ctx.baseSpecText = opts.baseSpec.text;
    if (opts.baseSpec.nonGoals !== undefined) ctx.baseNonGoals = opts.baseSpec.nonGoals;
  } else if (opts.specIsNew) {
    ctx.baseTaskIndex = compileTaskIndex([]);
    ctx.specIsNew = true;
  }
  // Each rule with the kinds it reports; a rule whose kinds are all `off` does not run.
  const rules: [Rule, FindingKind[]][] = [
    [scopeRules, ['out-of-scope', 'excluded-path']],
    [deletionRules, ['file-deleted', 'large-deletion']],
    [rewriteRules, ['mass-rewrite']],
    [protectedRule, ['protected-path']],
    [removedExportRule, ['removed-export']],
    [requirementRule(links), ['requirement-uncovered']],
    [taskDoneRule, ['task-done-without-change']],
    [changeWithoutTaskRule, ['change-without-task']],
    [dependencyRule, ['change-without-task']],
    [specProblemRule(links), ['spec-problem']],
  ];
  const findings: Finding[] = [];
  for (const [rule, kinds] of rules) {
    if (kinds.every((k) => configs.every((c) => c.severity[k] === 'off'))) continue;
    for (const f of rule(ctx)) {
      let severity: SeverityOverride = 'off';
      for (const c of configs) {
        const s = c.severity[f.kind] ?? f.severity;
        if (OVERRIDE_RANK[s] > OVERRIDE_RANK[severity]) severity = s;
      }
      if (severity === 'off') continue;
      f.severity = severity;
      findings.push(f);
    }
  }
  sortFindings(findings);

  const reportChanges: ReportChange[] = changes.map(({ change: c, classification, tasks }) => ({
    path: c.path,
    ...(c.oldPath !== undefined ? { oldPath: c.oldPath } : {}),
    status: c.status,
    binary: c.binary,
    added: c.added,
    removed: c.removed,
    classification,
    tasks,
    // A hunk is classified as its file is (DESIGN's report has no per-hunk classification;
    // readers fall back to the file's): the change's own hunk objects, not copies.
    hunks: c.hunks,
    // A mode change (chmod +x) has no lines to show: the report says it. So does a new file
    // that is not a plain one (executable, a symbolic link, a submodule): its lines alone do
    // not show that a new `config` is a link to /etc/passwd. A link or submodule that stays
    // one keeps its modes too: its one line is where it points, its "binary" change a commit.
    ...(c.oldMode !== undefined && c.newMode !== undefined && (c.oldMode !== c.newMode || c.newMode === '120000' || c.newMode === '160000')
      ? { oldMode: c.oldMode, newMode: c.newMode }
      : c.status === 'added' && c.newMode !== undefined && c.newMode !== '100644'
        ? { newMode: c.newMode }
        : {}),
  }));

  const pathsOfTask = new Map<string, string[]>();
  for (const c of reportChanges) {
    for (const t of c.tasks) {
      const list = pathsOfTask.get(t) ?? [];
      list.push(c.path);
      pathsOfTask.set(t, list);
    }
  }
  const traceability: TraceRow[] = spec.requirements.map((r) => {
    const tasks = links.tasksOf(r.id);
    const paths = [...new Set(tasks.flatMap((t) => pathsOfTask.get(t) ?? []))].sort();
    return { requirement: r.id, tasks, paths };
  });

  let added = 0;
  let removed = 0;
  let outOfScope = 0;
  for (const c of reportChanges) {
    added += c.added;
    removed += c.removed;
    if (c.classification === 'out-of-scope' || c.classification === 'excluded') outOfScope++;
  }

  return {
    schema: 'specgate.report/1',
    spec: reportSpec(spec, links.requirementsOf),
    base: { ref: changeSet.base.ref, commit: changeSet.base.commit },
    changes: reportChanges,
    findings,
    traceability,
    summary: { files: reportChanges.length, added, removed, outOfScope, risk: riskLevel(findings) },
    digest: computeDigest(changeSet.changes, opts.specBlobs),
  };
}

/**
 * Whether another spec's scope covers a path: its scope compiled once per spec object, and
 * each path's answer kept with it (the editor analyses again on every edit).
 */
const coverTests = new WeakMap<object, (path: string) => boolean>();
function coverTest(spec: Pick<Spec, 'scope' | 'tasks' | 'files' | 'id' | 'format'>): (path: string) => boolean {
  let test = coverTests.get(spec);
  if (!test) {
    const scope = compileScope(spec);
    const answers = new Map<string, boolean>();
    test = (path) => {
      let a = answers.get(path);
      if (a === undefined) answers.set(path, (a = scope.classify(path) === 'in-scope'));
      return a;
    };
    coverTests.set(spec, test);
  }
  return test;
}
