// Whether a patch section changes nothing but whitespace: each hunk replaces its lines one for
// one with lines that differ only in line endings and trailing whitespace (a CRLF file saved
// as LF), or also in indentation (a re-indent). Read from the hunk bodies git printed, so it
// costs the bytes of the hunks only, and usually one line: the first pair that differs in
// anything else ends it.
import type { PatchSection } from './diffparse';
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
  const { buffers, pieces } = bodies;
  for (let p = 0; p < pieces.length; p += 4) {
    if (pieces[p] !== hunk) {
      if (!flush()) return undefined;
      hunk = pieces[p]!;
    }
    const buf = buffers[pieces[p + 1]!]!;
    const end = pieces[p + 3]!;
    for (let s = pieces[p + 2]!; s < end; ) {
      let e = buf.indexOf(LF, s);
      if (e === -1 || e > end) e = end;
      const mark = buf[s];
      const line = { buf, start: s + 1, end: e };
      if (mark === MINUS) removed.push(line);
      else if (mark === PLUS) added.push(line);
      // `\ No newline at end of file`: only the last line's ending, which is whitespace.
      s = e + 1;
    }
  }
  return flush() ? result : undefined;
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
