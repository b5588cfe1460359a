// Whether a patch section changes nothing but whitespace: each hunk replaces its lines one for
// one with lines that differ only in line endings and trailing whitespace (a CRLF file saved
// as LF), or also in indentation (a re-indent). Read from the hunk bodies git printed, so it
// costs the bytes of the hunks only, and usually one line: the first pair that differs in
// anything else ends it.
import { eachBodyLine, type PatchSection } from './diffparse';
import type { FileChange } from './model';

/** `line-endings`: line endings and trailing whitespace only; `indentation`: leading whitespace too. */
export type WhitespaceOnly = NonNullable<FileChange['whitespaceOnly']>;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const VT = 11;
const FF = 12;
const MINUS = 45;
const PLUS = 43;

const isBlank = (b: number | undefined) => b === SPACE || b === TAB || b === CR || b === VT || b === FF;

/** One body line: its buffer and the bytes after its `-`/`+`, without the line break. */
interface Line {
  buf: Uint8Array;
  start: number;
  end: number;
}

/** Lines [start, end) of a body line, with trailing whitespace cut, and leading too when `indent`. */
function trimmed(l: Line, indent: boolean): [number, number] {
  let s = l.start;
  let e = l.end;
  while (e > s && isBlank(l.buf[e - 1])) e--;
  if (indent) while (s < e && isBlank(l.buf[s])) s++;
  return [s, e];
}

function same(a: Line, b: Line, indent: boolean): boolean {
  const [as, ae] = trimmed(a, indent);
  const [bs, be] = trimmed(b, indent);
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a.buf[as + i] !== b.buf[bs + i]) return false;
  return true;
}

/**
 * What a section's hunks change, when it is whitespace alone (see WhitespaceOnly); undefined
 * when anything else changed, when a hunk adds or removes lines, or without hunk bodies.
 */
export function whitespaceOnly(section: PatchSection): WhitespaceOnly | undefined {
  const bodies = section.bodies;
  if (!bodies || section.binary || section.hasNul || section.hunks.length === 0) return undefined;
  if (!section.hunks.every((h) => h.oldLines === h.newLines && h.oldLines > 0)) return undefined;
  let result: WhitespaceOnly = 'line-endings';
  let removed: Line[] = [];
  let added: Line[] = [];
  let hunk = -1;
  // A hunk's removed lines, then its added ones, compared pair by pair.
  const flush = (): boolean => {
    if (removed.length !== added.length) return false;
    for (let i = 0; i < removed.length; i++) {
      if (result === 'line-endings' && same(removed[i]!, added[i]!, false)) continue;
      if (!same(removed[i]!, added[i]!, true)) return false;
      result = 'indentation';
    }
    removed = [];
    added = [];
    return true;
  };
  const stopped = eachBodyLine(bodies, (h, buf, mark, start, end) => {
    if (h !== hunk) {
      if (!flush()) return true;
      hunk = h;
    }
    if (mark === MINUS) removed.push({ buf, start, end });
    else if (mark === PLUS) added.push({ buf, start, end });
    // `\ No newline at end of file`: only the last line's ending, which is whitespace.
    return false;
  });
  return !stopped && flush() ? result : undefined;
}

/** A text line without its trailing whitespace (the line break too), and without its indentation when `indent`. */
function trimmedText(line: string, indent: boolean): string {
  let s = 0;
  let e = line.length;
  while (e > s && isBlank(line.charCodeAt(e - 1))) e--;
  if (e > s && line.charCodeAt(e - 1) === LF) {
    e--;
    while (e > s && isBlank(line.charCodeAt(e - 1))) e--;
  }
  if (indent) while (s < e && isBlank(line.charCodeAt(s))) s++;
  return line.slice(s, e);
}

/**
 * whitespaceOnly for a live buffer: the same verdict from its base and current lines (each
 * with its line break) and the hunks between them, as the change set reads from git's hunk
 * bodies once the buffer is saved.
 */
export function whitespaceOnlyLines(base: readonly string[], lines: readonly string[], hunks: readonly { oldStart: number; oldLines: number; newStart: number; newLines: number }[]): WhitespaceOnly | undefined {
  if (hunks.length === 0 || !hunks.every((h) => h.oldLines === h.newLines && h.oldLines > 0)) return undefined;
  let result: WhitespaceOnly = 'line-endings';
  for (const h of hunks) {
    for (let i = 0; i < h.oldLines; i++) {
      const a = base[h.oldStart - 1 + i];
      const b = lines[h.newStart - 1 + i];
      if (a === undefined || b === undefined) return undefined;
      if (result === 'line-endings' && trimmedText(a, false) === trimmedText(b, false)) continue;
      if (trimmedText(a, true) !== trimmedText(b, true)) return undefined;
      result = 'indentation';
    }
  }
  return result;
}

/**
 * A change looks like a rewrite, and FileChange.whitespaceChanged is worked out for it, when it
 * removes at least this share of the old lines (below it SG202 never fires with the default
 * thresholds, and the bodies of scattered edits are not read again).
 */
export const WHITESPACE_CHANGED_SHARE = 0.25;

/** See FileChange.whitespaceChanged. */
export type WhitespaceChanged = NonNullable<FileChange['whitespaceChanged']>;

/**
 * Removed and added lines of one hunk, each as its text without trailing whitespace and that
 * whitespace (the line break not included), matched as multisets: a removed line that comes
 * back as an added one that differs from it only in its trailing whitespace. Lines that come
 * back byte for byte are not counted (a rewrite has its `}` too).
 */
class Matcher {
  lines = 0;
  private toLf = 0;
  private toCrlf = 0;
  /** Text of a removed line -> its trailing whitespace -> how many such lines are left to match. */
  private removed = new Map<string, Map<string, number>>();

  remove(text: string, tail: string): void {
    const tails = this.removed.get(text);
    if (tails) tails.set(tail, (tails.get(tail) ?? 0) + 1);
    else this.removed.set(text, new Map([[tail, 1]]));
  }

  add(text: string, tail: string): void {
    const tails = this.removed.get(text);
    if (!tails) return;
    for (const [was, left] of tails) {
      if (was === tail) continue;
      if (left === 1) tails.delete(was);
      else tails.set(was, left - 1);
      this.lines++;
      if (was === '\r' && tail === '') this.toLf++;
      else if (was === '' && tail === '\r') this.toCrlf++;
      return;
    }
  }

  /** Ends a hunk: its removed lines match nothing of the next. */
  next(): void {
    if (this.removed.size > 0) this.removed = new Map();
  }

  result(): WhitespaceChanged | undefined {
    if (this.lines === 0) return undefined;
    const to = this.toLf === this.lines ? 'lf' : this.toCrlf === this.lines ? 'crlf' : undefined;
    return to ? { lines: this.lines, to } : { lines: this.lines };
  }
}

const latin1 = new TextDecoder('latin1');

/**
 * FileChange.whitespaceChanged from a section's hunk bodies: for a change that removes at least
 * WHITESPACE_CHANGED_SHARE of its `oldLines` (all of it when they are unknown) and is not
 * whitespaceOnly. A hunk none of whose lines ends in whitespace is skipped unread.
 */
export function whitespaceChanged(section: PatchSection, oldLines: number | undefined): WhitespaceChanged | undefined {
  const bodies = section.bodies;
  if (!bodies || section.binary || section.hasNul || section.removed === 0 || section.added === 0) return undefined;
  if (oldLines !== undefined && section.removed < WHITESPACE_CHANGED_SHARE * oldLines) return undefined;
  const m = new Matcher();
  const { pieces } = bodies;
  // A hunk is read (its lines decoded and matched) only when one of its lines ends in whitespace.
  const endsBlank = (_h: number, buf: Uint8Array, mark: number | undefined, s: number, e: number) => (mark === MINUS || mark === PLUS) && e > s && isBlank(buf[e - 1]);
  const match = (_h: number, buf: Uint8Array, mark: number | undefined, s: number, e: number) => {
    if (mark !== MINUS && mark !== PLUS) return;
    const [ts, te] = trimmed({ buf, start: s, end: e }, false);
    const text = latin1.decode(buf.subarray(ts, te));
    const tail = latin1.decode(buf.subarray(te, e));
    if (mark === MINUS) m.remove(text, tail);
    else m.add(text, tail);
  };
  for (let from = 0; from < pieces.length; ) {
    let to = from + 4;
    while (to < pieces.length && pieces[to] === pieces[from]) to += 4;
    if (eachBodyLine(bodies, endsBlank, from, to)) {
      eachBodyLine(bodies, match, from, to);
      m.next();
    }
    from = to;
  }
  return m.result();
}

/** The trailing whitespace a text line ends in, without its line break (as git's hunk bodies have it). */
function splitTail(line: string): [string, string] {
  const text = trimmedText(line, false);
  const end = line.endsWith('\n') ? line.length - 1 : line.length;
  return [text, line.slice(text.length, end)];
}

/**
 * Whether hunks over a file of `baseLines` lines remove and add lines, and remove at least
 * WHITESPACE_CHANGED_SHARE of it: the changes the live verdicts (whitespaceChangedLines,
 * reformat.ts reformattedLines) look at, as the change set does from git's hunks.
 */
export function mayBeRewrite(baseLines: number, hunks: readonly { oldLines: number; newLines: number }[]): boolean {
  let removed = 0;
  let added = 0;
  for (const h of hunks) {
    removed += h.oldLines;
    added += h.newLines;
  }
  return removed > 0 && added > 0 && removed >= WHITESPACE_CHANGED_SHARE * baseLines;
}

/**
 * whitespaceChanged for a live buffer, from its base and current lines (each with its line
 * break) and the hunks between them: the same count as the change set reads from git's hunk
 * bodies once the buffer is saved, where the hunks cover the same lines.
 */
export function whitespaceChangedLines(base: readonly string[], lines: readonly string[], hunks: readonly { oldStart: number; oldLines: number; newStart: number; newLines: number }[]): WhitespaceChanged | undefined {
  if (!mayBeRewrite(base.length, hunks)) return undefined;
  const m = new Matcher();
  for (const h of hunks) {
    let blank = false;
    const ends = (l: string | undefined) => l !== undefined && splitTail(l)[1] !== '';
    for (let i = 0; i < h.oldLines && !blank; i++) blank = ends(base[h.oldStart - 1 + i]);
    for (let i = 0; i < h.newLines && !blank; i++) blank = ends(lines[h.newStart - 1 + i]);
    if (!blank) continue;
    for (let i = 0; i < h.oldLines; i++) {
      const l = base[h.oldStart - 1 + i];
      if (l !== undefined) m.remove(...splitTail(l));
    }
    for (let i = 0; i < h.newLines; i++) {
      const l = lines[h.newStart - 1 + i];
      if (l !== undefined) m.add(...splitTail(l));
    }
    m.next();
  }
  return m.result();
}
