// The one model every layer shares: specs, changes, findings and the report.
// Plain data only (JSON-serialisable): the CLI prints it, the extension converts it at
// the edge (src/vscode/convert.ts), bundles store it. Lines are 1-based; paths are
// repository-relative with forward slashes.

/** Which spec layout a spec was read from. */
export type SpecFormat = 'kiro' | 'speckit' | 'openspec' | 'plain';

/** A place in a spec file: repo-relative path and an inclusive 1-based line range. */
export interface SourceRange {
  file: string;
  startLine: number;
  endLine: number;
}

/** An acceptance criterion (Kiro `N.M`), a scenario, or a bugfix clause. */
export interface Criterion {
  id: string;
  text: string;
  range: SourceRange;
}

export type RequirementKind =
  | 'requirement' // Kiro `### Requirement N`, OpenSpec `### Requirement: …`
  | 'bugfix' // Kiro bugfix.md section
  | 'functional' // spec-kit FR-001
  | 'non-functional' // spec-kit NFR-001
  | 'success' // spec-kit SC-001
  | 'story'; // spec-kit User Story N

export type DeltaOperation = 'ADDED' | 'MODIFIED' | 'REMOVED' | 'RENAMED';

export interface Requirement {
  /** `1`, `FR-001`, `US1`, or for OpenSpec the requirement's name. */
  id: string;
  title: string;
  kind: RequirementKind;
  criteria: Criterion[];
  range: SourceRange;
  /** OpenSpec deltas only. */
  operation?: DeltaOperation;
  /** OpenSpec: the capability folder (`specs/<cap>/spec.md`). */
  capability?: string;
}

/** The state the report contract names. */
export type TaskState = 'todo' | 'in-progress' | 'done' | 'optional';

export interface Task {
  /** `1`, `2.3`, `T012`, `T072b`; unnumbered tasks get a synthetic `L<line>`. */
  id: string;
  title: string;
  state: TaskState;
  /** The character between the brackets as written: ` `, `x`, `X`, `-`, `~`. */
  mark: string;
  /** `- [ ]*`: an optional task (its state is `optional` unless done). */
  optional: boolean;
  /** Requirement ids after range expansion (`2.1–2.3` → 2.1, 2.2, 2.3). */
  requirements: string[];
  /** True when the task says `_Requirements: all_`. */
  allRequirements: boolean;
  /** Repository paths and globs the task names (normalised, scope-ready). */
  paths: string[];
  range: SourceRange;
  /** Nesting depth, 0 for top level. */
  depth: number;
  /** Id of the enclosing task, when nested. */
  parent?: string;
  /** spec-kit `[P]`. */
  parallel?: boolean;
  /** spec-kit `[US1]`. */
  story?: string;
}

export interface Scope {
  /** Globs a change may touch. Empty include = nothing declared. */
  include: string[];
  /** Non-goals: globs a change must not touch. */
  exclude: string[];
  /** Extra protected globs declared by the spec (front matter `protected:`). */
  protected: string[];
}

/** Where a scope glob came from, so diagnostics and quick fixes can point at it. */
export interface ScopeSource {
  glob: string;
  list: keyof Scope;
  origin: 'front-matter' | 'scope-section' | 'task' | 'design' | 'plan' | 'impact' | 'config';
  range?: SourceRange;
}

/**
 * A line of the spec's non-goals as written: a line of an Out of Scope / Non-Goals / Do Not
 * Touch section (or label, or of an item labelled so in a mixed section), or a value line of
 * front matter `out_of_scope:` / `non_goals:`. Not globs: what a rule reads for a name the
 * spec puts out of scope (a dependency, see rules/dependencies.ts).
 */
export interface NonGoal {
  text: string;
  range: SourceRange;
}

/** Something wrong with the spec itself; becomes a `spec-problem` finding. */
export interface SpecProblem {
  message: string;
  file: string;
  line?: number;
}

export interface Spec {
  /** Spec folder relative to the repo root, or the file for single-file specs. */
  id: string;
  format: SpecFormat;
  /** Folder name (`billing-retry`) or file stem. */
  name: string;
  /** Spec files, repo-relative, sorted. */
  files: string[];
  requirements: Requirement[];
  tasks: Task[];
  scope: Scope;
  scopeSources: ScopeSource[];
  problems: SpecProblem[];
  /** Requirement refs that do not resolve (kept for diagnostics). */
  unresolvedRefs?: { task: string; ref: string; range: SourceRange }[];
  /**
   * The spec's markdown files as written, joined: where a rule looks for a name the spec
   * mentions anywhere (a dependency, see rules/dependencies.ts). Absent for a spec built
   * without its files; the rule reads the titles and criteria then.
   */
  text?: string;
  /** The lines of its non-goals (see NonGoal), when it has any; they are lines of `text` too. */
  nonGoals?: NonGoal[];
}

// ---------------------------------------------------------------------------------------
// Changes

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'type-changed';

/** A hunk as git reports it with -U0 (line counts may be 0). */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface FileChange {
  path: string;
  oldPath?: string;
  status: ChangeStatus;
  binary: boolean;
  added: number;
  removed: number;
  hunks: Hunk[];
  /** Git blob ids (sha1 hex) of the old and new content; absent for the missing side. */
  oldBlob?: string;
  newBlob?: string;
  /** File modes as git reports them (`100644`, `100755`, `120000`). */
  oldMode?: string;
  newMode?: string;
  /** Line counts of each side when known (text files). */
  oldLineCount?: number;
  newLineCount?: number;
  /** True when the file was too large to diff line by line (listed, not diffed). */
  tooLarge?: boolean;
  /**
   * Set when git's hunks change whitespace alone, each line replaced by one that differs
   * only in its line ending and trailing whitespace (`line-endings`), or in its indentation
   * too (`indentation`). Absent when unknown (an unsaved buffer).
   */
  whitespaceOnly?: 'line-endings' | 'indentation';
  /**
   * For a change that is not whitespaceOnly but removes at least a quarter of the old lines
   * (see core/whitespace.ts): how many removed lines come back, in their hunk, as added lines
   * that differ only in line ending and trailing whitespace (a CRLF file saved as LF along
   * with an edit), and `to` when each of them only lost (`lf`) or gained (`crlf`) a carriage
   * return. SG202 judges the rest. Absent when there are none or it was not worked out.
   */
  whitespaceChanged?: { lines: number; to?: 'lf' | 'crlf' };
  /**
   * For a change that is not whitespaceOnly but removes at least a quarter of the old lines
   * (see core/reformat.ts): set when its removed lines and its added lines hold the same
   * tokens in the same order but for a few (at most REFORMAT_EDIT_SHARE of the removed lines'
   * tokens), whitespace, line breaks, quote style, semicolons and trailing commas aside: a
   * formatter run along with an edit. `tokens`: the tokens of the removed lines; `removed`,
   * `added`: the tokens a shortest edit removes and adds; `lines`: the removed lines that lose
   * a token (their content changed, not only its layout). SG202 judges the rewrite on those
   * lines. Absent otherwise, or when not worked out.
   */
  reformat?: { tokens: number; removed: number; added: number; lines: number };
  /**
   * A code file whose added and removed lines are all comments or blank (core/placeholders.ts):
   * the change holds no code. Absent when it holds code, or when not worked out.
   */
  commentOnly?: true;
  /**
   * Placeholders its added lines leave where code should be (`throw new Error('Not
   * implemented')`, `todo!()`), with their new-side lines: the first few (core/placeholders.ts).
   */
  placeholders?: readonly { line: number; text: string }[];
  /**
   * Secrets on its added lines, for a file whose text the change set does not carry (source
   * code, docs; core/dangers.ts reads the others): the new-side line and the kind, an index
   * into dangers.ts's list. Never the secret itself.
   */
  secrets?: readonly { line: number; kind: number }[];
  /**
   * Checks silenced on its added lines (`// @ts-ignore`, `/* eslint-disable *\/`, `# noqa`),
   * more of a kind than its removed lines took away, for a source file whose text the change
   * set does not carry: the new-side line, the kind (an index into dangers.ts's list) and the
   * line's text.
   */
  silenced?: readonly { line: number; kind: number; text: string }[];
  /** With `tooLarge`: each side's size in bytes, where known (a review lists them). */
  oldSize?: number;
  newSize?: number;
  /**
   * Old/new text, filled by the adapter only where a rule needs it (JS/TS sources for
   * removed exports) and under a size cap.
   */
  oldText?: string;
  newText?: string;
  /**
   * Exported names of each side with the line of each (JS/TS sources), when the adapter
   * scanned them already; the removed-export rule scans `oldText`/`newText` otherwise.
   */
  oldExports?: ReadonlyMap<string, number>;
  newExports?: ReadonlyMap<string, number>;
  /**
   * The old side's exports the new side lacks, with their old lines, when the adapter
   * compared the sides already (a JS/TS source changed in place, renamed to a source, or
   * deleted); the rule then takes it as is.
   */
  exportsRemoved?: readonly { name: string; oldLine: number }[];
}

export interface ChangeSet {
  base: { ref: string; commit: string | null };
  /** `worktree`: HEAD/merge-base to the working tree; `staged`: index against HEAD. */
  mode: 'worktree' | 'staged';
  changes: FileChange[];
  /** How many changed files' hunks came from the change cache instead of a git patch. */
  fromCache?: number;
  /** How many changed files' patches came from a diff started before their hashes were known, on a hint from their stat data (see node/diffcache.ts). */
  diffedEarly?: number;
  /** Paths still in conflict in the index (staged mode): a commit can take none of them yet. */
  unmerged?: string[];
  /** One line each about files shown as binary although git stores them as text (an encoding SpecGate cannot decode). */
  notes?: string[];
}

// ---------------------------------------------------------------------------------------
// Findings and the report

export type Severity = 'error' | 'warning' | 'info';

export type FindingKind =
  | 'out-of-scope'
  | 'excluded-path'
  | 'file-deleted'
  | 'mass-rewrite'
  | 'large-deletion'
  | 'protected-path'
  | 'removed-export'
  | 'requirement-uncovered'
  | 'task-done-without-change'
  | 'change-without-task'
  | 'spec-problem';

export const RULE_IDS: Readonly<Record<FindingKind, string>> = {
  'out-of-scope': 'SG101',
  'excluded-path': 'SG102',
  'file-deleted': 'SG201',
  'mass-rewrite': 'SG202',
  'large-deletion': 'SG203',
  'protected-path': 'SG210',
  'removed-export': 'SG220',
  'requirement-uncovered': 'SG301',
  'task-done-without-change': 'SG302',
  'change-without-task': 'SG303',
  'spec-problem': 'SG401',
};

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

export interface Finding {
  rule: string;
  kind: FindingKind;
  severity: Severity;
  /** The changed file, or the spec file for spec findings. */
  path: string;
  startLine?: number;
  endLine?: number;
  message: string;
  task?: string;
  requirement?: string;
  /** Where in the spec this finding points (for diagnostics' related information). */
  related?: readonly RelatedLocation[];
}

export type Classification = 'in-scope' | 'out-of-scope' | 'excluded' | 'spec';

export interface ReportHunk extends Hunk {
  classification?: Classification;
}

export interface ReportChange {
  path: string;
  oldPath?: string;
  status: ChangeStatus;
  binary: boolean;
  added: number;
  removed: number;
  classification: Classification;
  /** Ids of the tasks that name this path. */
  tasks: string[];
  hunks: ReportHunk[];
  /** Git's file modes of each side (`100644`, `100755`, `120000`, `160000`), only when the mode changed or the file stays a symbolic link or a submodule. */
  oldMode?: string;
  newMode?: string;
}

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface TraceRow {
  requirement: string;
  tasks: string[];
  paths: string[];
}

export interface ReportSpec {
  id: string;
  format: SpecFormat;
  name: string;
  files: string[];
  requirements: { id: string; title: string; criteria: string[] }[];
  tasks: { id: string; title: string; state: TaskState; requirements: string[]; paths: string[] }[];
  scope: Scope;
}

export interface Report {
  schema: 'specgate.report/1';
  spec: ReportSpec;
  base: { ref: string; commit: string | null };
  changes: ReportChange[];
  findings: Finding[];
  traceability: TraceRow[];
  summary: { files: number; added: number; removed: number; outOfScope: number; risk: RiskLevel };
  digest: string;
}

/** Thrown for bad input the user can fix; the CLI prints `specgate: <message>` and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** No --spec, several specs, and no branch name picking one: the ids it could have been. */
export class NoSpecChosen extends UsageError {
  constructor(
    message: string,
    readonly candidates: readonly string[],
  ) {
    super(message);
  }
}
