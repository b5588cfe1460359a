// What the REVIEW.md and review.html renderers share: their input, and the report read in
// the order a reviewer needs it (findings that need a decision first, then traceability).
import type { Finding, FindingKind, Report, ReportChange, Severity, TaskState } from '../model';
import { shownGlob } from '../spec/paths';
import { plainTitle } from './plainTitle';
import type { DiffHunk, FileDiff, LargeFile } from './diffview';

export interface ReviewMeta {
  version: string;
  /** ISO 8601 time the bundle was written. */
  time: string;
  author: { name: string; email: string };
  /** How the change was taken: all uncommitted work, the index, or since a base ref. */
  mode: 'worktree' | 'staged';
  baseOption?: string;
}

export interface ReviewInput {
  report: Report;
  /** Per-file diffs, hunks already classified (see diffview.classifyHunks). */
  diffs: FileDiff[];
  /** The spec files as reviewed. */
  specFiles: { path: string; text: string }[];
  meta: ReviewMeta;
  /**
   * One line each about how SpecGate read the change (a file listed as binary because its
   * working-tree encoding could not be decoded; see ChangeSet.notes). Plain text that names
   * repository files: escaped by each renderer.
   */
  notes?: readonly string[];
}

/** Kinds a reviewer must decide on: accept the blast radius or send the change back. */
export const DECISION_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'out-of-scope',
  'excluded-path',
  'file-deleted',
  'mass-rewrite',
  'large-deletion',
  'protected-path',
  'removed-export',
  'task-done-without-change',
]);

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function byImportance(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.startLine ?? 0) - (b.startLine ?? 0) ||
    a.rule.localeCompare(b.rule)
  );
}

const byPathOf = new WeakMap<Report, Map<string, Finding[]>>();

/**
 * A report's findings grouped by file, each list in the report's order; made once per
 * report (a report is never changed after it is made): views that ask for each of 2,000
 * files among 15,000 findings would otherwise take a second.
 */
export function findingsByPath(report: Pick<Report, 'findings'>): ReadonlyMap<string, readonly Finding[]> {
  let byPath = byPathOf.get(report as Report);
  if (!byPath) {
    byPath = new Map();
    for (const f of report.findings) {
      const list = byPath.get(f.path);
      if (list) list.push(f);
      else byPath.set(f.path, [f]);
    }
    byPathOf.set(report as Report, byPath);
  }
  return byPath;
}

/** The findings about one file, in the report's order (see findingsByPath). */
export function findingsOf(report: Pick<Report, 'findings'>, path: string): readonly Finding[] {
  return findingsByPath(report).get(path) ?? [];
}

/**
 * A findings heading's count: the findings, and how many entries show them when entries merge
 * several (each hunk outside the scope is a finding; one file's are one entry).
 */
export function countOf(findings: number, entries: number): string {
  return findings === entries ? `${findings}` : `${findings} in ${entries} ${entries === 1 ? 'entry' : 'entries'}`;
}

export function decisionFindings(report: Report): Finding[] {
  return report.findings.filter((f) => DECISION_KINDS.has(f.kind)).sort(byImportance);
}

export function otherFindings(report: Report): Finding[] {
  return report.findings.filter((f) => !DECISION_KINDS.has(f.kind)).sort(byImportance);
}

export type TraceGap = 'no-task' | 'no-change';

export interface TraceLine {
  requirement: string;
  title: string;
  tasks: { id: string; state?: TaskState }[];
  paths: string[];
  /** A gap: no task where SG301 looks for one, or tasks that changed no file. */
  gap?: TraceGap;
  /**
   * No task cites the requirement, and no rule flags that: the layout's tasks cite no
   * requirement of this kind (OpenSpec, spec-kit tasks citing user stories only). Shown
   * plainly, so the Gap column agrees with the findings.
   */
  uncited?: true;
}

/** Every requirement with its tasks and changed files; a missing link the rules flag is a gap. */
export function traceLines(report: Report): TraceLine[] {
  const rows = new Map(report.traceability.map((r) => [r.requirement, r]));
  const states = new Map(report.spec.tasks.map((t) => [t.id, t.state]));
  const flagged = new Set(report.findings.filter((f) => f.kind === 'requirement-uncovered' && f.requirement !== undefined).map((f) => f.requirement!));
  const ids = report.spec.requirements.map((r) => r.id);
  for (const r of report.traceability) if (!ids.includes(r.requirement)) ids.push(r.requirement);
  return ids.map((id) => {
    const row = rows.get(id);
    const tasks = (row?.tasks ?? []).map((t) => ({ id: t, state: states.get(t) }));
    const paths = row?.paths ?? [];
    const missing: TraceGap | undefined = tasks.length === 0 ? 'no-task' : paths.length === 0 ? 'no-change' : undefined;
    const title = report.spec.requirements.find((r) => r.id === id)?.title ?? '';
    // An OpenSpec requirement is known by its title: shown once, not as id and title.
    const line: TraceLine = { requirement: id, title: title === id ? '' : title, tasks, paths };
    // No task at all is a gap where the rules look for one (SG301); a requirement whose tasks
    // changed nothing always is one (SG301 or, for a task ticked done, SG302 says why).
    if (missing === 'no-change' || (missing && flagged.has(id))) line.gap = missing;
    else if (missing) line.uncited = true;
    return line;
  });
}

/**
 * The summary's `outOfScope` counts excluded files too, which the file lists show apart; this
 * names them so the numbers add up: ` (1 excluded by a non-goal)`, or nothing.
 */
export function excludedNote(report: Pick<Report, 'summary' | 'changes'>): string {
  const excluded = report.changes.filter((c) => c.classification === 'excluded').length;
  return excluded > 0 && excluded <= report.summary.outOfScope ? ` (${excluded} excluded by a non-goal)` : '';
}

/** Changed files no task names (the spec's own files excepted). */
export function unexplainedChanges(report: Report): ReportChange[] {
  return report.changes.filter((c) => c.tasks.length === 0 && c.classification !== 'spec');
}

/**
 * A finding shown beside the code it is about (a diff's heading or hunk): all but the scope
 * findings, which the heading's scope and each hunk's flag already say.
 */
export function besideCode(f: Finding): boolean {
  return f.kind !== 'out-of-scope' && f.kind !== 'excluded-path';
}

/** The tasks that name a changed file (its title as text, its requirements): why it changed. */
export function explainingTasks(report: Pick<Report, 'spec'>, change: Pick<ReportChange, 'tasks'>): { id: string; title: string; requirements: readonly string[] }[] {
  return change.tasks.map((id) => {
    const t = report.spec.tasks.find((x) => x.id === id);
    return { id, title: t?.title ? plainTitle(t.title) : '', requirements: t?.requirements ?? [] };
  });
}

/** `line 4` or `lines 2–21` (empty for a finding without lines). */
export function linesText(f: { startLine?: number; endLine?: number }): string {
  if (f.startLine === undefined) return '';
  return `${(f.endLine ?? f.startLine) === f.startLine ? 'line' : 'lines'} ${lineRange(f)}`;
}

export function lineRange(f: { startLine?: number; endLine?: number }): string {
  if (f.startLine === undefined) return '';
  return f.endLine !== undefined && f.endLine !== f.startLine ? `${f.startLine}–${f.endLine}` : `${f.startLine}`;
}

export const GAP_TEXT: Record<TraceGap, string> = {
  'no-task': 'gap: no task',
  'no-change': 'gap: no changed file',
};

/** A requirement no task cites where no rule looks for one (TraceLine.uncited), said plainly. */
export const UNCITED_TEXT = 'no task cites it';

export const CLASS_TEXT: Record<string, string> = {
  'in-scope': 'in scope',
  'out-of-scope': 'OUT OF SCOPE',
  excluded: 'EXCLUDED: non-goal',
  spec: 'spec',
};

/** Diffs in the order of the report's file list, each with its 1-based number there (and its part, for a file with several). */
export function orderedDiffs(input: ReviewInput): { diff: FileDiff; number: number; change?: ReportChange; part?: { index: number; of: number } }[] {
  const index = new Map(input.report.changes.map((c, i) => [c.path, i]));
  const ordered = input.diffs
    .map((diff) => {
      const i = index.get(diff.path);
      return { diff, number: i === undefined ? Number.MAX_SAFE_INTEGER : i + 1, change: i === undefined ? undefined : input.report.changes[i] };
    })
    .sort((a, b) => a.number - b.number)
    .map((d, k) => (d.change ? d : { ...d, number: input.report.changes.length + k + 1 }));
  // A file that changed type (a file made a symbolic link) has two diffs, its old side's
  // removal and its new side's addition: one number, in parts.
  const count = new Map<number, number>();
  for (const d of ordered) count.set(d.number, (count.get(d.number) ?? 0) + 1);
  const seen = new Map<number, number>();
  return ordered.map((d) => {
    const of = count.get(d.number)!;
    if (of === 1) return d;
    const at = (seen.get(d.number) ?? 0) + 1;
    seen.set(d.number, at);
    return { ...d, part: { index: at, of } };
  });
}

/**
 * The changed files whose content the review cannot show line by line (too large to diff, or
 * binary; a submodule's change is its commit, which the review shows): nothing in the review
 * judged their lines, so the reviewer is told to read them elsewhere before approving.
 */
export function unshownFiles(input: Pick<ReviewInput, 'report' | 'diffs'>): { path: string; why: string }[] {
  const large = new Set(input.diffs.filter((d) => d.large).map((d) => d.path));
  return input.report.changes.flatMap((c) => {
    if (large.has(c.path)) return [{ path: c.path, why: 'too large to show' }];
    const gitlink = c.oldMode === '160000' || c.newMode === '160000';
    return c.binary && !gitlink && c.status !== 'deleted' ? [{ path: c.path, why: 'binary' }] : [];
  });
}

/** Files named under *Needs a decision* as not shown; the rest are counted. */
export const MAX_UNSHOWN = 20;

/** The sentence under *Needs a decision* that leads the list of them. */
export function unshownLead(n: number): string {
  return `Not shown in this review (${n}), so no finding judged their lines; open ${n === 1 ? 'it' : 'them'} in the repository before approving (changes.patch holds binary files as encoded git patches, which no one can read):`;
}

/** Globs listed per scope list in the summary; the rest are counted. */
const MAX_SCOPE_GLOBS = 12;

/**
 * The scope the files were judged against, for the summary: each non-empty list (scope
 * globs, non-goals, protected) with its globs as the spec wrote them; task paths count as
 * scope too.
 */
export function scopeLists(report: Pick<Report, 'spec'>): { label: string; globs: string[]; more: number }[] {
  const { include, exclude } = report.spec.scope;
  const lists = [
    { label: 'in scope', globs: include },
    { label: 'non-goals', globs: exclude },
    { label: 'protected by the spec', globs: report.spec.scope.protected },
  ];
  // A route folder's path as the spec wrote it (`app/(shop)/**`), as findings name it.
  return lists.filter((l) => l.globs.length > 0).map((l) => ({ label: l.label, globs: l.globs.slice(0, MAX_SCOPE_GLOBS).map(shownGlob), more: Math.max(0, l.globs.length - MAX_SCOPE_GLOBS) }));
}

/** A byte count for people: `812 B`, `3.4 KB`, `50.0 MB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** What is said of a file too large to show: its sides' sizes and blob ids (`?` where unknown), one entry per side it has. */
export function largeSides(large: LargeFile): { side: 'old' | 'new'; size: string; blob: string }[] {
  const out: { side: 'old' | 'new'; size: string; blob: string }[] = [];
  if (large.oldBlob !== undefined || large.oldSize !== undefined) out.push({ side: 'old', size: large.oldSize === undefined ? '?' : sizeText(large.oldSize), blob: large.oldBlob ?? '?' });
  if (large.newBlob !== undefined || large.newSize !== undefined) out.push({ side: 'new', size: large.newSize === undefined ? '?' : sizeText(large.newSize), blob: large.newBlob ?? '?' });
  return out;
}

export const LARGE_NOTE = 'Too large to show line by line: listed, not diffed. changes.patch has it in full.';

const MODE = /^[0-7]{6}$/;

/** What a new file's mode makes it, where that is more than a plain file. */
const NEW_MODE_GLOSS: Readonly<Record<string, string>> = { '100755': 'executable', '120000': 'a symbolic link', '160000': 'a submodule' };

/**
 * What a change did to the file's mode, for every place a reviewer reads it
 * (`mode 100644 → 100755 (now executable)`, or for a new file that is not a plain one `mode
 * 120000 (a symbolic link)`); undefined when the mode stayed (or a packet holds something
 * that is no mode).
 */
export function modeText(c: { oldMode?: unknown; newMode?: unknown }): string | undefined {
  const { oldMode: from, newMode: to } = c;
  if (from === undefined && typeof to === 'string' && Object.hasOwn(NEW_MODE_GLOSS, to)) return `mode ${to} (${NEW_MODE_GLOSS[to]})`;
  if (typeof from !== 'string' || typeof to !== 'string' || !MODE.test(from) || !MODE.test(to) || from === to) return undefined;
  const gloss =
    to === '100755' ? 'now executable' : from === '100755' && to === '100644' ? 'no longer executable' : to === '120000' ? 'now a symbolic link' : from === '120000' ? 'no longer a symbolic link' : '';
  return `mode ${from} → ${to}${gloss ? ` (${gloss})` : ''}`;
}

/**
 * What a change amounts to: `+3 −1`, `binary` or `submodule`, then its mode change
 * (` · mode 100644 → 100755 (now executable)`), or ` · symbolic link` for a link that stays
 * one (its one line is where it points, not text).
 */
export function deltaText(c: Pick<ReportChange, 'binary' | 'added' | 'removed' | 'oldMode' | 'newMode'>): string {
  const mode = modeText(c) ?? (c.oldMode === '120000' && c.newMode === '120000' ? 'symbolic link' : undefined);
  const gitlink = c.oldMode === '160000' || c.newMode === '160000';
  return `${gitlink ? 'submodule' : c.binary ? 'binary' : `+${c.added} −${c.removed}`}${mode ? ` · ${mode}` : ''}`;
}

/** Said of a file whose lines the review's limit over all files left out (not a file without line changes). */
export const OVER_BUDGET_NOTE = 'Diff not shown: the review already shows as many diff lines as it can (the files that need a decision first); changes.patch has every line.';
/** The summary's line on files whose lines the limit over all files left out, or undefined for none. */
export function overBudgetSummary(diffs: readonly Pick<FileDiff, 'overBudget'>[]): string | undefined {
  const n = diffs.filter((d) => d.overBudget).length;
  if (n === 0) return undefined;
  return `${n} file${n === 1 ? '' : 's'} ${n === 1 ? 'is' : 'are'} shown in part or not at all: the review shows a limited number of diff lines, the files that need a decision first; changes.patch has every line.`;
}

/** What is said of a file diff without hunks, naming its mode change when it has one. */
export function noLinesText(change: Pick<ReportChange, 'oldMode' | 'newMode'> | undefined): string {
  const mode = change ? modeText(change) : undefined;
  return mode ? `No line changes; ${mode}.` : 'No line changes.';
}

/** Header lines worth showing (modes, renames); blob ids are noise for a reader. */
export function shownHeader(diff: FileDiff): string[] {
  return diff.header.filter((l) => !l.startsWith('index '));
}

/** Findings that say the same thing about the same file, merged: one line, every range. */
export interface FindingGroup {
  finding: Finding;
  /** `4`, `9–12`, … for each merged finding that has lines. */
  ranges: string[];
  /** How many findings were merged into this one. */
  count: number;
}

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = JSON.stringify([f.rule, f.severity, f.path, f.message, f.task ?? '', f.requirement ?? '']);
    let g = groups.get(key);
    if (!g) {
      g = { finding: f, ranges: [], count: 0 };
      groups.set(key, g);
    }
    g.count++;
    const r = lineRange(f);
    if (r && !g.ranges.includes(r)) g.ranges.push(r);
  }
  return [...groups.values()];
}

/** `line 4`, `lines 4, 9–12`, or nothing. */
export function rangesText(ranges: string[]): string {
  if (ranges.length === 0) return '';
  return ranges.length === 1 && !ranges[0]!.includes('–') ? `line ${ranges[0]}` : `lines ${ranges.join(', ')}`;
}

/** Kinds with one finding per hunk (SG101, SG102): a merged line counts hunks. */
const PER_HUNK: ReadonlySet<FindingKind> = new Set<FindingKind>(['out-of-scope', 'excluded-path']);

/**
 * How many findings a merged line stands for, so the lines add up to the report's counts:
 * `12 hunks` (SG101, SG102), `2 findings`, or nothing for one.
 */
export function groupCountText(group: FindingGroup): string {
  if (group.count <= 1) return '';
  return `${group.count} ${PER_HUNK.has(group.finding.kind) ? 'hunks' : 'findings'}`;
}

/** From this many lines under *Needs a decision*, a roll-up by rule leads them. */
export const ROLLUP_MIN_LINES = 30;

/** One rule's share of the findings that need a decision. */
export interface RollupRow {
  rule: string;
  kind: FindingKind;
  /** The most severe of its findings. */
  severity: Severity;
  findings: number;
  files: number;
  folders: number;
  /** The folders holding most of its files, most first (`''`: the repository's top folder). */
  top: { folder: string; files: number }[];
}

/**
 * The findings that need a decision summed up by rule, in the order of the list below it
 * (most important first): how many, on how many files in how many folders, and where most
 * are. A reviewer facing thousands of lines decides on these first.
 */
export function decisionRollup(findings: readonly Finding[], top = 3): RollupRow[] {
  const rows = new Map<string, { row: RollupRow; files: Map<string, Set<string>> }>();
  for (const f of findings) {
    let r = rows.get(f.rule);
    if (!r) {
      r = { row: { rule: f.rule, kind: f.kind, severity: f.severity, findings: 0, files: 0, folders: 0, top: [] }, files: new Map() };
      rows.set(f.rule, r);
    }
    r.row.findings++;
    if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[r.row.severity]) r.row.severity = f.severity;
    const folder = f.path.slice(0, f.path.lastIndexOf('/') + 1);
    const inFolder = r.files.get(folder) ?? new Set<string>();
    inFolder.add(f.path);
    r.files.set(folder, inFolder);
  }
  return [...rows.values()].map(({ row, files }) => {
    const byFolder = [...files].map(([folder, set]) => ({ folder, files: set.size }));
    byFolder.sort((a, b) => b.files - a.files || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
    return { ...row, files: byFolder.reduce((n, f) => n + f.files, 0), folders: byFolder.length, top: byFolder.slice(0, top) };
  });
}

/** `15000 hunks in 1870 files, 190 folders`: a roll-up row's counts (the folders named by each renderer). */
export function rollupCountText(row: RollupRow): string {
  const what = PER_HUNK.has(row.kind) ? 'hunk' : 'finding';
  const n = (k: number, word: string) => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `${n(row.findings, what)} in ${n(row.files, 'file')}${row.folders > 1 ? `, ${n(row.folders, 'folder')}` : ''}`;
}

/** What leads the roll-up: how many lines of findings follow it. */
export function rollupLead(lines: number): string {
  return `At a glance, by rule (the ${lines} lines follow):`;
}

/** Where a roll-up row's files are, folder names formatted by `code`: `; most in a/ 3, b/ 1`, ` in a/`, or nothing. */
export function rollupWhere(row: RollupRow, code: (folder: string) => string): string {
  // One file in each folder: no folder holds "most", and the counts say how many folders.
  if (row.folders > 1 && (row.top[0]?.files ?? 0) < 2) return '';
  if (row.folders > 1) return `; most in ${row.top.map((t) => `${t.folder ? code(t.folder) : 'the top folder'} ${t.files}`).join(', ')}`;
  return row.top[0]?.folder ? ` in ${code(row.top[0].folder)}` : '';
}

/** Whether some merged line stands for several hunks: the count per hunk is then worth saying. */
export function mergesHunks(groups: readonly FindingGroup[]): boolean {
  return groups.some((g) => g.count > 1 && PER_HUNK.has(g.finding.kind));
}

/**
 * Where a merged line points, with its count first when it stands for several findings:
 * `line 4`, `lines 1–67`, `3 hunks at lines 6–10, 51, 53`, `2 findings`. With `max`, the
 * ranges past it are counted (`… 21 and 6 more`).
 */
export function groupWhereText(group: FindingGroup, max = Infinity): string {
  const count = groupCountText(group);
  const spans = group.ranges;
  if (spans.length === 0) return count;
  const shown = spans.length > max ? `${spans.slice(0, max).join(', ')} and ${spans.length - max} more` : '';
  const where = shown ? `lines ${shown}` : rangesText(spans);
  return count ? `${count} at ${where}` : where;
}

/**
 * The bidirectional embedding, override and isolate controls shown as `\u{202e}` and so
 * on: invisible, they make a name or a line of code read other than it is ("Trojan
 * Source"), so a reviewer must see them. (Marks such as U+200F stay: right-to-left prose
 * uses them.)
 */
export function revealBidi(s: string): string {
  return s.replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/**
 * revealBidi, and control characters too (NUL, ESC, BEL, backspace, a CR that ends no line,
 * C1 codes) as `\u{1b}` and the like: a terminal would run them and a browser drops or hides
 * them, so a line could read as other than it is. Tabs and line ends stay.
 */
export function revealControls(s: string): string {
  return revealBidi(s).replace(HIDDEN_CHARS, (c: string, at: number, all: string) =>
    isEmojiPart(c, all, at) ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

/**
 * An emoji's own invisible parts, which hide nothing: a variation selector right after a
 * pictograph (`⚠️` is U+26A0 U+FE0F), a zero-width joiner between two (`👩‍💻`). Shown as
 * escapes, every warning sign in an assistant's spec would read `⚠\u{fe0f}`.
 */
function isEmojiPart(c: string, all: string, at: number): boolean {
  if (c !== '\ufe0f' && c !== '\ufe0e' && c !== '\u200d') return false;
  if (!PICTOGRAPH_BEFORE.test(all.slice(Math.max(0, at - 4), at))) return false;
  return c !== '\u200d' || PICTOGRAPH_AFTER.test(all.slice(at + 1, at + 3));
}

const PICTOGRAPH_BEFORE = /\p{Extended_Pictographic}[\u{1f3fb}-\u{1f3ff}\ufe0f]?$/u;
const PICTOGRAPH_AFTER = /^\p{Extended_Pictographic}/u;

/**
 * Control characters (see revealControls), and the characters that draw nothing or change
 * the one before them while looking like nothing: zero-width spaces and joiners, word
 * joiners and invisible operators, the byte order mark, soft hyphens, variation selectors,
 * Hangul fillers (an identifier that reads as a space), tag characters.
 */
const HIDDEN_CHARS =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{e0000}-\u{e0fff}]|\r(?!\n|$)/gmu;

/** Where the review shows a finding: in the one displayed hunk its lines fall in, or at its file. */
export interface FindingPlaces {
  /** The findings shown in each displayed hunk, in report order. */
  inHunk: Map<DiffHunk, Finding[]>;
  /** Each finding shown in a hunk, and that hunk. */
  hunkOf: Map<Finding, DiffHunk>;
}

/**
 * Places each finding with lines in the displayed hunk that holds them: the new side's
 * lines, the old side's for a deleted file (as the rules number them). A finding whose lines
 * fall in no displayed hunk, or span several (a whole-file rewrite), stays with its file.
 */
export function placeFindings(report: { findings: readonly Finding[]; changes: readonly Pick<ReportChange, 'path' | 'status'>[] }, diffs: readonly FileDiff[]): FindingPlaces {
  const places: FindingPlaces = { inHunk: new Map(), hunkOf: new Map() };
  const diffsOf = new Map<string, FileDiff[]>();
  for (const d of diffs) {
    const list = diffsOf.get(d.path);
    if (list) list.push(d);
    else diffsOf.set(d.path, [d]);
  }
  const deleted = new Set(report.changes.filter((c) => c.status === 'deleted').map((c) => c.path));
  for (const f of report.findings) {
    if (f.startLine === undefined) continue;
    const end = f.endLine ?? f.startLine;
    const old = deleted.has(f.path);
    let hit: DiffHunk | undefined;
    let hits = 0;
    for (const d of diffsOf.get(f.path) ?? []) {
      for (const h of d.hunks) {
        const start = Math.max(1, old ? h.oldStart : h.newStart);
        const count = old ? h.oldLines : h.newLines;
        if (f.startLine <= start + Math.max(count, 1) - 1 && end >= start) {
          hit = h;
          hits++;
        }
      }
    }
    if (hits !== 1) continue;
    places.hunkOf.set(f, hit!);
    const list = places.inHunk.get(hit!);
    if (list) list.push(f);
    else places.inHunk.set(hit!, [f]);
  }
  return places;
}
