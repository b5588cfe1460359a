// What the review panel shows, computed from a bundle's packet.json and changes.patch:
// plain data posted to the webview, which renders it as text. No `vscode` import.
import type { Classification, Finding, FindingKind, Report, RiskLevel, Severity } from '../../core/model';
import { classifyHunks, hunkGutters, isOutside, splitPatch } from '../../core/render/diffview';
import { decisionFindings, decisionRollup, findingsOf, groupFindings, rollupCountText, ROLLUP_MIN_LINES, groupWhereText, besideCode, linesText, modeText, otherFindings, placeFindings, traceLines, type FindingGroup, type TraceLine } from '../../core/render/reviewdata';
import { messageParts, plainMessage, plainTitle, type MessagePart } from '../../core/render/plainTitle';

export interface PanelFinding {
  rule: string;
  /** The finding kind, shown in words beside the rule id. */
  kind: FindingKind;
  severity: Severity;
  path: string;
  /** First line, where "open file" goes. */
  line?: number;
  /** For a row that merges findings: how many and every line range (`3 hunks at lines 4, 9–12, 30`); else absent. */
  lines?: string;
  /** The message as plain text (code spans without their backticks). */
  message: string;
  /** The message in its parts: the panel shows quoted code (names, globs) as code. */
  parts: MessagePart[];
}

export interface PanelHunk {
  header: string;
  /** First new-side line (for "open file at hunk"); at least 1. */
  line: number;
  classification?: Classification;
  outside: boolean;
  lines: string[];
  /** The old and new line numbers of each line, drawn before it (parallel to `lines`). */
  gutters: string[];
  /** The findings whose lines fall in this hunk (scope findings aside: the hunk's badge says those). */
  findings?: PanelNote[];
}

/** A finding shown beside the code it is about (its file is the one shown). */
export interface PanelNote {
  rule: string;
  kind: FindingKind;
  severity: Severity;
  /** `line 4` or `lines 9–12`, when the finding has lines. */
  lines?: string;
  message: string;
  parts: MessagePart[];
}

export interface PanelFile {
  path: string;
  status: string;
  classification: Classification;
  added: number;
  removed: number;
  binary: boolean;
  truncated: boolean;
  tasks: string[];
  hunks: PanelHunk[];
  /** The mode change (`mode 100644 → 100755 (now executable)`), when the file's mode changed. */
  mode?: string;
  /** The file's findings that no one hunk holds (scope findings aside). */
  findings?: PanelNote[];
}

/** One rule's share of the findings that need a decision (see decisionRollup). */
export interface PanelRollup {
  rule: string;
  kind: FindingKind;
  severity: Severity;
  /** `72 hunks in 36 files, 3 folders`. */
  counts: string;
  /** The folders holding most of its files, most first (`''`: the top folder); named only with several folders. */
  top: { folder: string; files: number }[];
}

export interface PanelData {
  spec: { id: string; name: string; format: string };
  digest: string;
  base: string;
  /** The base commit (full id), to show a deleted file as it was; null before the first commit or when the packet names none. */
  baseCommit: string | null;
  risk: RiskLevel;
  summary: { files: number; added: number; removed: number; outOfScope: number };
  decisions: PanelFinding[];
  others: PanelFinding[];
  /** How many findings the rows of `decisions` and `others` stand for (a row can merge several), as REVIEW.md counts them. */
  counts: { decisions: number; others: number };
  /** From ROLLUP_MIN_LINES rows of `decisions` on: the same findings summed up by rule, shown above them. */
  rollup?: PanelRollup[];
  trace: TraceLine[];
  files: PanelFile[];
  /** Review state line shown above the buttons (e.g. "Approved by Ann at …"). */
  state?: string;
  /** The review state the line describes: the panel offers Approve unless approved, Reject unless rejected. */
  status?: PanelStatus;
  /** The line is a warning: an approval the commit gate will not accept. */
  stateWarning?: boolean;
  /** How SpecGate read the change, one line each (packet.json's optional `notes`): plain text, shown as text. */
  notes?: string[];
}

/**
 * What the panel knows of the bundle's review: the sidebar's review states, less `no-report`,
 * and `outdated` for a bundle of an earlier state of the change (nothing to approve or reject:
 * the panel offers to export again).
 */
export type PanelStatus = 'not-exported' | 'exported' | 'approved' | 'rejected' | 'stale' | 'outdated';

/** The review state shown in the panel's header. */
export interface PanelState {
  line: string;
  status: PanelStatus;
  /** An approval that `specgate verify` refuses: the line is shown as a warning. */
  warning?: boolean;
}

/** One row per finding group: the same rule and message on one file is one row, saying how many it stands for, every range listed. */
function finding(g: FindingGroup): PanelFinding {
  const f = g.finding;
  const out: PanelFinding = { rule: f.rule, kind: f.kind, severity: f.severity, path: f.path, message: plainMessage(f.message), parts: messageParts(f.message) };
  if (f.startLine !== undefined) out.line = f.startLine;
  if (g.count > 1 || g.ranges.length > 1) out.lines = groupWhereText(g);
  return out;
}

function notesOf(list: readonly Finding[]): PanelNote[] | undefined {
  const out = list
    .filter(besideCode)
    .map((f) => {
      const n: PanelNote = { rule: f.rule, kind: f.kind, severity: f.severity, message: plainMessage(f.message), parts: messageParts(f.message) };
      if (f.startLine !== undefined) n.lines = linesText(f);
      return n;
    });
  return out.length > 0 ? out : undefined;
}

/** Checks the shape a packet must have before anything reads it; throws a one-line Error. */
export function checkPacket(value: unknown): Report {
  const r = value as Report;
  if (
    !r ||
    typeof r !== 'object' ||
    r.schema !== 'specgate.report/1' ||
    typeof r.digest !== 'string' ||
    !r.spec ||
    typeof r.spec.id !== 'string' ||
    !Array.isArray(r.spec.requirements) ||
    !Array.isArray(r.spec.tasks) ||
    !Array.isArray(r.changes) ||
    !Array.isArray(r.findings) ||
    !Array.isArray(r.traceability) ||
    !r.summary ||
    !r.base
  ) {
    throw new Error('not a SpecGate review packet (packet.json with schema specgate.report/1)');
  }
  return r;
}

/** Most notes a panel shows, and the longest note: a packet is untrusted input. */
const MAX_NOTES = 200;
const MAX_NOTE = 2000;

/** The optional `notes` of a packet (bundle.ts's PacketInfo): strings only, the rest ignored; undefined when none. */
export function packetNotes(packet: unknown): string[] | undefined {
  const notes = (packet as { notes?: unknown } | null)?.notes;
  if (!Array.isArray(notes)) return undefined;
  const out = notes.filter((n): n is string => typeof n === 'string' && n !== '').slice(0, MAX_NOTES).map((n) => (n.length > MAX_NOTE ? `${n.slice(0, MAX_NOTE)}…` : n));
  return out.length > 0 ? out : undefined;
}

export function buildPanelData(report: Report, patch: string, notes?: readonly string[]): PanelData {
  // Past the display limits, the files with a finding that needs a decision are shown first.
  const toDecide = new Set(decisionFindings(report).map((f) => f.path));
  const diffs = new Map(splitPatch(patch, undefined, (p) => toDecide.has(p)).map((d) => [d.path, d]));
  const files: PanelFile[] = report.changes.map((c) => {
    const raw = diffs.get(c.path);
    const d = raw ? classifyHunks(raw, c) : undefined;
    const mode = modeText(c);
    const gutters = hunkGutters(d?.hunks ?? []);
    const own = findingsOf(report, c.path);
    const places = placeFindings({ findings: own, changes: [c] }, d ? [d] : []);
    const fileNotes = notesOf(own.filter((f) => !places.hunkOf.has(f)));
    return {
      ...(mode !== undefined ? { mode } : {}),
      ...(fileNotes ? { findings: fileNotes } : {}),
      path: c.path,
      status: c.status,
      classification: c.classification,
      added: c.added,
      removed: c.removed,
      binary: c.binary || (d?.binary ?? false),
      truncated: d?.truncated ?? false,
      tasks: c.tasks,
      hunks: (d?.hunks ?? []).map((h, i) => {
        const out: PanelHunk = {
          header: h.header,
          line: Math.max(1, h.newStart),
          outside: isOutside(h.classification),
          lines: h.lines,
          gutters: gutters[i]!,
        };
        if (h.classification !== undefined) out.classification = h.classification;
        const notes = notesOf(places.inHunk.get(h) ?? []);
        if (notes) out.findings = notes;
        return out;
      }),
    };
  });
  const decide = decisionFindings(report);
  const decideRows = groupFindings(decide);
  const other = otherFindings(report);
  return {
    spec: { id: report.spec.id, name: report.spec.name, format: report.spec.format },
    digest: report.digest,
    base: typeof report.base.commit === 'string' && report.base.commit !== '' ? `${report.base.ref} (${report.base.commit.slice(0, 12)})` : report.base.ref,
    baseCommit: typeof report.base.commit === 'string' && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(report.base.commit) ? report.base.commit : null,
    risk: report.summary.risk,
    summary: {
      files: report.summary.files,
      added: report.summary.added,
      removed: report.summary.removed,
      outOfScope: report.summary.outOfScope,
    },
    decisions: decideRows.map(finding),
    others: groupFindings(other).map(finding),
    counts: { decisions: decide.length, others: other.length },
    // Requirement titles are markdown in the spec; the panel shows them as text.
    trace: traceLines(report).map((t) => ({ ...t, title: plainTitle(t.title) })),
    files,
    ...(notes && notes.length > 0 ? { notes: [...notes] } : {}),
    ...(decideRows.length >= ROLLUP_MIN_LINES
      ? { rollup: decisionRollup(decide).map((r) => ({ rule: r.rule, kind: r.kind, severity: r.severity, counts: rollupCountText(r), top: r.folders > 1 && (r.top[0]?.files ?? 0) > 1 ? r.top : [] })) }
      : {}),
  };
}

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'approve' }
  | { type: 'reject' }
  | { type: 'export' }
  | { type: 'openFile'; path: string; line: number };

/** Accepts only the messages the panel's script sends, with a path the packet names. */
export function parsePanelMessage(value: unknown, data: PanelData | undefined): PanelMessage | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'approve':
    case 'reject':
    case 'export':
      return { type: m.type };
    case 'openFile': {
      if (typeof m.path !== 'string' || typeof m.line !== 'number') return undefined;
      if (!Number.isInteger(m.line) || m.line < 1 || m.line > 10_000_000) return undefined;
      if (m.path.startsWith('/') || m.path.split('/').includes('..')) return undefined;
      const named = (xs: readonly { path: string }[] | undefined): boolean => !!xs?.some((x) => x.path === m.path);
      if (!named(data?.files) && !named(data?.decisions) && !named(data?.others)) return undefined;
      return { type: 'openFile', path: m.path, line: m.line };
    }
    default:
      return undefined;
  }
}
