// Turns a `git diff` patch into per-file hunks for the review renderers, and
// marks each displayed hunk with the scope classification of the report hunks it covers.
import type { Classification, ReportChange } from '../model';

export interface DiffHunk {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
  classification?: Classification;
}

export interface FileDiff {
  path: string;
  /** A rename's (or copy's) old path, from `rename from`. */
  oldPath?: string;
  binary: boolean;
  /** The extended header lines (`new file mode …`, `index …`), without `diff --git`. */
  header: string[];
  hunks: DiffHunk[];
  /** Lines were dropped (or cut short) to keep the review readable; changes.patch has them all. */
  truncated: boolean;
  /** No lines kept at all: the change set found the file too large to diff (see `large`). */
  omitted?: boolean;
  /** Lines dropped because the review's budget over all files was spent (not this file's own limit). */
  overBudget?: boolean;
  /** A file too large to diff: its sizes and blob ids, listed instead of its lines. */
  large?: LargeFile;
}

/** What a review lists about a file too large to show line by line. */
export interface LargeFile {
  oldSize?: number;
  newSize?: number;
  oldBlob?: string;
  newBlob?: string;
}

export interface DiffLimits {
  maxLinesPerFile: number;
  maxLinesTotal: number;
  /** A longer line is cut (and the file marked shortened). Default: no limit. */
  maxLineChars?: number;
  /** Characters of diff lines kept over all files. Default: no limit. */
  maxCharsTotal?: number;
}

/** What ends a diff line cut at maxLineChars: how many characters follow in changes.patch (`atLeast`: more than that). */
export function cutMarker(more: number, atLeast = false): string {
  return `… [line cut here: ${atLeast ? 'over ' : ''}${more} more character${more === 1 && !atLeast ? '' : 's'} in changes.patch]`;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxLinesPerFile: 2000, maxLinesTotal: 30000, maxLineChars: 2000, maxCharsTotal: 4_000_000 };

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Decodes one git C-quoted string starting at `s[0] === '"'`; returns it and the rest. */
function unquote(s: string): { value: string; rest: string } | undefined {
  const bytes: number[] = [];
  let i = 1;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') return { value: new TextDecoder().decode(Uint8Array.from(bytes)), rest: s.slice(i + 1) };
    if (ch === '\\') {
      const next = s[i + 1] ?? '';
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(s.slice(i + 1, i + 4), 8) & 0xff);
        i += 4;
        continue;
      }
      const code = C_ESCAPES[next];
      if (code === undefined) return undefined;
      bytes.push(code);
      i += 2;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const text = String.fromCodePoint(cp);
    bytes.push(...new TextEncoder().encode(text));
    i += text.length;
  }
  return undefined;
}

/** The path of a `diff --git a/X b/X` line when both sides are equal (renames: see `rename to`). */
export function pathOfDiffLine(line: string): string | undefined {
  const rest = line.slice('diff --git '.length);
  if (rest.startsWith('"')) {
    const q = unquote(rest);
    return q && q.value.startsWith('a/') ? q.value.slice(2) : undefined;
  }
  if (!rest.startsWith('a/')) return undefined;
  const half = (rest.length - 1) / 2;
  if (!Number.isInteger(half)) return undefined;
  const a = rest.slice(0, half);
  const b = rest.slice(half + 1);
  return b === `b/${a.slice(2)}` ? a.slice(2) : undefined;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Splits a patch, fed line by line (without the line feed), into files and hunks, keeping
 * only what the limits allow for display: memory stays bounded whatever the patch's size.
 * Every file's header is kept. `omit(path)` files keep no lines at all (listed, not diffed).
 */
export class PatchSplitter {
  private readonly files: FileDiff[] = [];
  private file: FileDiff | undefined;
  private hunk: DiffHunk | undefined;
  private fileLines = 0;
  private totalLines = 0;
  private totalChars = 0;
  private omitting = false;
  /** Some file lost lines to the budget over all files. */
  spent = false;
  private readonly maxLineChars: number;
  private readonly maxCharsTotal: number;

  constructor(
    private readonly limits: DiffLimits = DEFAULT_DIFF_LIMITS,
    private readonly omit?: (path: string) => boolean,
  ) {
    this.maxLineChars = limits.maxLineChars ?? Number.MAX_SAFE_INTEGER;
    this.maxCharsTotal = limits.maxCharsTotal ?? Number.MAX_SAFE_INTEGER;
  }

  /** One line of the patch; `cut` when the caller kept only its start. */
  line(line: string, cut = false): void {
    if (line.startsWith('diff --git ')) {
      this.file = { path: pathOfDiffLine(line) ?? line.slice(11), binary: false, header: [], hunks: [], truncated: false };
      this.files.push(this.file);
      this.hunk = undefined;
      this.fileLines = 0;
      this.omitting = false;
      return;
    }
    const file = this.file;
    if (!file) return;
    const m = HUNK.exec(line);
    if (m) {
      if (this.hunk === undefined && this.omit?.(file.path)) {
        file.omitted = true;
        this.omitting = true;
      }
      if (this.omitting) return;
      this.hunk = {
        header: line,
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        lines: [],
      };
      file.hunks.push(this.hunk);
      return;
    }
    if (this.omitting) return;
    if (!this.hunk) {
      if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
        const name = line.slice(line.indexOf(' to ') + 4);
        file.path = name.startsWith('"') ? (unquote(name)?.value ?? name) : name;
      } else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
        const name = line.slice(line.indexOf(' from ') + 6);
        file.oldPath = name.startsWith('"') ? (unquote(name)?.value ?? name) : name;
      }
      if (line.startsWith('GIT binary patch') || line.startsWith('Binary files ')) file.binary = true;
      else if (!line.startsWith('--- ') && !line.startsWith('+++ ') && !file.binary && line !== '') file.header.push(line);
      return;
    }
    if (this.fileLines >= this.limits.maxLinesPerFile || this.totalLines >= this.limits.maxLinesTotal || this.totalChars >= this.maxCharsTotal) {
      file.truncated = true;
      if (this.fileLines < this.limits.maxLinesPerFile) file.overBudget = this.spent = true;
      return;
    }
    if (line === '') return;
    let kept = line;
    let counted = line.length;
    // The limit is on the line's text: the diff's own `+`, `-` or space comes on top.
    const limit = this.maxLineChars + 1;
    if (line.length > limit) {
      // Cut where the reader sees it, saying how much is left out (in characters, not UTF-16
      // units; `over` when the patch reader already cut the line), never inside a surrogate pair.
      const end = /[\uD800-\uDBFF]/.test(line[limit - 1] ?? '') ? limit - 1 : limit;
      kept = `${line.slice(0, end)} ${cutMarker([...line.slice(end)].length, cut)}`;
      counted = end + 2;
      cut = true;
    }
    if (cut) file.truncated = true;
    this.hunk.lines.push(kept);
    this.fileLines++;
    this.totalLines++;
    this.totalChars += counted;
  }

  /** Lines and characters kept so far, over all files. */
  get used(): { lines: number; chars: number } {
    return { lines: this.totalLines, chars: this.totalChars };
  }

  /** The files seen, each with the hunks kept (a shortened file keeps no empty hunk). */
  finish(): FileDiff[] {
    for (const f of this.files) f.hunks = f.hunks.filter((h) => h.lines.length > 0 || !f.truncated);
    return this.files;
  }
}

/**
 * Splits a patch into files and hunks, capping how many lines are kept for display. When the
 * cap over all files is reached, the `first` files take the budget before the others (each
 * file keeps its place).
 */
export function splitPatch(patch: string, limits: DiffLimits = DEFAULT_DIFF_LIMITS, first?: (path: string) => boolean): FileDiff[] {
  const lines = patch.split('\n');
  const splitter = new PatchSplitter(limits);
  for (const line of lines) splitter.line(line);
  if (!splitter.spent || !first) return splitter.finish();
  const feed = (s: PatchSplitter) => {
    for (const line of lines) s.line(line);
    return s;
  };
  const a = feed(new PatchSplitter(limits, (p) => !first(p)));
  const b = feed(new PatchSplitter(remainingLimits(limits, a.used), first));
  const bs = b.finish();
  return a.finish().map((d, i) => (first(d.path) || bs[i] === undefined ? d : bs[i]!));
}

/** The limits left once `used` lines and characters are shown. */
export function remainingLimits(limits: DiffLimits, used: { lines: number; chars: number }): DiffLimits {
  return {
    ...limits,
    maxLinesTotal: Math.max(0, limits.maxLinesTotal - used.lines),
    maxCharsTotal: Math.max(0, (limits.maxCharsTotal ?? Number.MAX_SAFE_INTEGER) - used.chars),
  };
}

const WEIGHT: Record<Classification, number> = { spec: 0, 'in-scope': 1, excluded: 2, 'out-of-scope': 3 };

function overlaps(aStart: number, aLines: number, bStart: number, bLines: number): boolean {
  const aEnd = aStart + Math.max(aLines, 1) - 1;
  const bEnd = bStart + Math.max(bLines, 1) - 1;
  return aStart <= bEnd && bStart <= aEnd;
}

/** Gives every displayed hunk the most severe classification among the report hunks it covers. */
export function classifyHunks(diff: FileDiff, change: ReportChange | undefined): FileDiff {
  if (!change) return diff;
  const hunks = diff.hunks.map((h) => {
    let best: Classification | undefined;
    for (const r of change.hunks) {
      if (!overlaps(h.newStart, h.newLines, r.newStart, r.newLines) && !overlaps(h.oldStart, h.oldLines, r.oldStart, r.oldLines)) continue;
      const c = r.classification ?? change.classification;
      if (best === undefined || WEIGHT[c] > WEIGHT[best]) best = c;
    }
    return { ...h, classification: best ?? change.classification };
  });
  return { ...diff, hunks };
}

/**
 * The line-number gutter of each of a file's hunk lines: the old and the new line number,
 * each right-aligned to the file's widest, blank on the side a line is not on (and both on a
 * `\ No newline` note). One string per line, parallel to `hunk.lines`.
 */
export function hunkGutters(hunks: readonly Pick<DiffHunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines' | 'lines'>[]): string[][] {
  const last = hunks.reduce((m, h) => Math.max(m, h.oldStart + h.oldLines, h.newStart + h.newLines), 0);
  const width = String(last).length;
  const col = (n: number | undefined) => (n === undefined ? '' : String(n)).padStart(width);
  return hunks.map((h) => {
    let o = h.oldStart;
    let n = h.newStart;
    return h.lines.map((line) => {
      const c = line[0];
      if (c === '+') return `${col(undefined)} ${col(n++)} `;
      if (c === '-') return `${col(o++)} ${col(undefined)} `;
      if (c === '\\') return `${col(undefined)} ${col(undefined)} `;
      return `${col(o++)} ${col(n++)} `;
    });
  });
}

/** True for classifications a reviewer must look at. */
export function isOutside(c: Classification | undefined): boolean {
  return c === 'out-of-scope' || c === 'excluded';
}
