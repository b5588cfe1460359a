// Pure parsers of git's machine output: `diff --raw -z`, `--numstat -z`, and `-U0` patches
// (one section per file pair), plus the pairing of raw records with patch sections. They
// read bytes (git's output as is) and decode only names and header lines.
import type { Hunk } from './model';

/** One `git diff --raw -z --no-abbrev` record. */
export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  /** Git's status letter: A C D M R T U X. */
  status: string;
  /** Similarity score of R/C records (R100 → 100). */
  score?: number;
  /** The new path (for D, the deleted path). */
  path: string;
  /** The source path of R/C records. */
  oldPath?: string;
}

/** One `git diff --numstat -z` record; binary files have null counts (`-\t-`). */
export interface NumstatEntry {
  added: number | null;
  removed: number | null;
  binary: boolean;
  path: string;
  oldPath?: string;
}

/** One `diff --git` section of a patch. */
export interface PatchSection {
  /** The `diff --git …` line, without the newline. */
  header: string;
  /** Extended header lines (`new file mode …`, `rename from …`, `index …`, `---`, `+++`). */
  extended: string[];
  hunks: Hunk[];
  added: number;
  removed: number;
  /** True when a changed line holds a NUL byte (binary content diffed as text). */
  hasNul: boolean;
  /** True when git printed `Binary files … differ` instead of hunks. */
  binary: boolean;
  /** Each hunk's body bytes as printed (`-`/`+`/`\` lines), when the parser keeps them. */
  bodies?: HunkBodies;
  /** With the parser's `watch`: whether its hunk bodies hold a match of it (hunk headers aside). */
  watched?: boolean;
}

/**
 * Where a section's hunk bodies lie in the pushed chunks, without an object per hunk:
 * pieces of whole lines, in order, as flat (hunk index, buffer index, start, end) quads.
 */
export interface HunkBodies {
  buffers: Uint8Array[];
  pieces: number[];
}

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();
const NUL = 0;
const LF = 10;
const COLON = 58;

function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

/** True for git's all-zero object id ("not known / not present"). */
export function isNullId(id: string | undefined): boolean {
  return id === undefined || /^0+$/.test(id);
}

/**
 * Parses raw records from `input` starting at byte `start`. Stops at the first byte that
 * does not begin a record (`complete`), or, when `final` is false, before a record that is
 * not fully there yet (more output to come). `end` is where parsing stopped.
 */
export function parseRawZ(input: string | Uint8Array, start = 0, final = true): { entries: RawEntry[]; end: number; complete: boolean } {
  const buf = bytesOf(input);
  const entries: RawEntry[] = [];
  let pos = start;
  while (pos < buf.length) {
    if (buf[pos] !== COLON) return { entries, end: pos, complete: true };
    const metaEnd = buf.indexOf(NUL, pos);
    if (metaEnd === -1) break;
    const meta = utf8.decode(buf.subarray(pos + 1, metaEnd)).split(' ');
    if (meta.length < 5) throw new Error(`git diff --raw: bad record '${meta.join(' ')}'`);
    const [oldMode, newMode, oldBlob, newBlob, statusField] = meta as [string, string, string, string, string];
    const status = statusField.charAt(0);
    const twoNames = status === 'R' || status === 'C';
    const n1 = buf.indexOf(NUL, metaEnd + 1);
    const n2 = n1 === -1 || !twoNames ? n1 : buf.indexOf(NUL, n1 + 1);
    if (n1 === -1 || n2 === -1) break;
    const first = utf8.decode(buf.subarray(metaEnd + 1, n1));
    const entry: RawEntry = { oldMode, newMode, oldBlob, newBlob, status, path: first };
    if (twoNames) {
      entry.oldPath = first;
      entry.path = utf8.decode(buf.subarray(n1 + 1, n2));
    }
    const scoreText = statusField.slice(1);
    if (scoreText !== '') entry.score = Number(scoreText);
    entries.push(entry);
    pos = n2 + 1;
  }
  if (final && pos < buf.length) throw new Error('git diff --raw: truncated record');
  return { entries, end: pos, complete: final };
}

/** Parses `git diff --numstat -z` output. */
export function parseNumstatZ(text: string): NumstatEntry[] {
  const out: NumstatEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (text.charCodeAt(pos) === 0) {
      pos++;
      continue;
    }
    const t1 = text.indexOf('\t', pos);
    const t2 = t1 === -1 ? -1 : text.indexOf('\t', t1 + 1);
    if (t2 === -1) throw new Error('git diff --numstat: bad record');
    const a = text.slice(pos, t1);
    const r = text.slice(t1 + 1, t2);
    const binary = a === '-' && r === '-';
    const entry: NumstatEntry = {
      added: binary ? null : Number(a),
      removed: binary ? null : Number(r),
      binary,
      path: '',
    };
    pos = t2 + 1;
    const readName = (): string => {
      let end = text.indexOf('\0', pos);
      if (end === -1) end = text.length;
      const name = text.slice(pos, end);
      pos = end + 1;
      return name;
    };
    if (text.charCodeAt(pos) === 0) {
      pos++;
      entry.oldPath = readName();
      entry.path = readName();
    } else {
      entry.path = readName();
    }
    out.push(entry);
  }
  return out;
}

const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '"': '"', '\\': '\\' };

/** Quotes a path the way git writes it in patch headers (core.quotepath=off). */
export function quoteGitPath(name: string): string {
  if (!/[\x00-\x1f"\\\x7f]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const esc = C_ESCAPES[ch];
    if (esc !== undefined) out += `\\${esc}`;
    else if (ch < ' ' || ch === '\x7f') out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The post-image blob id on a diff's `index <old>..<new>` line, among its header lines. */
export function postImageId(headerLines: readonly string[]): string | undefined {
  for (const line of headerLines) {
    if (!line.startsWith('index ')) continue;
    return /^index [0-9a-f]+\.\.([0-9a-f]+)/.exec(line)?.[1];
  }
  return undefined;
}

/** The `diff --git` line git writes for a pair of paths. */
export function gitDiffHeader(oldPath: string, newPath: string): string {
  return `diff --git ${quoteGitPath(`a/${oldPath}`)} ${quoteGitPath(`b/${newPath}`)}`;
}

const DIFF_GIT = encoder.encode('diff --git ');
const AT = 64;
const BACKSLASH = 92;

function startsWithBytes(buf: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * Reads a `-U0` (or any) patch as it arrives, chunk by chunk, into `diff --git` sections
 * with exact hunk ranges. Hunk bodies are skipped by their line counts, so content that
 * looks like a header is never taken for one.
 */
export class PatchParser {
  readonly sections: PatchSection[] = [];
  private carry: Uint8Array | null = null;
  private cur: PatchSection | null = null;
  /** Body lines still to skip in the current hunk. */
  private remaining = 0;
  /** Where `watch` matched in the bytes being read (ascending), and the first not yet behind the read. */
  private hits: number[] = [];
  private hitAt = 0;

  /**
   * `keepBodies`: keep each hunk's body bytes (views of the pushed chunks, not copies).
   * `onSection`: called with each section once it is complete (the next one began, or the end).
   * `watch` (global, matching within a line): sets each section's `watched`, from one search
   * of each chunk's bytes read as Latin-1 (so a rare word costs no pass over each hunk).
   */
  constructor(private readonly opts: { keepBodies?: boolean; onSection?: (section: PatchSection) => void; watch?: RegExp } = {}) {}

  /** Feeds the next bytes of the patch. */
  push(chunk: Uint8Array): void {
    let buf = chunk;
    if (this.carry) {
      buf = new Uint8Array(this.carry.length + chunk.length);
      buf.set(this.carry, 0);
      buf.set(chunk, this.carry.length);
      this.carry = null;
    }
    const last = buf.lastIndexOf(LF);
    if (last === -1) {
      this.carry = buf.slice();
      return;
    }
    if (this.opts.watch) this.scan(buf, last + 1);
    this.lines(buf, last + 1);
    if (last + 1 < buf.length) this.carry = buf.slice(last + 1);
  }

  /** Ends the input and returns the sections. */
  end(): PatchSection[] {
    if (this.carry) {
      const rest = this.carry;
      this.carry = null;
      if (this.opts.watch) this.scan(rest, rest.length);
      this.lines(rest, rest.length);
    }
    if (this.remaining > 0) throw new Error('git diff: truncated hunk');
    if (this.cur) this.opts.onSection?.(this.cur);
    this.cur = null;
    return this.sections;
  }

  /** Where `watch` matches in bytes [0, limit) of `buf`: whole lines, each read once (the carry is read with the chunk that ends it). */
  private scan(buf: Uint8Array, limit: number): void {
    const re = this.opts.watch!;
    const text = Buffer.from(buf.buffer, buf.byteOffset, limit).toString('latin1');
    this.hits = [];
    this.hitAt = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) this.hits.push(m.index);
  }

  private lines(buf: Uint8Array, limit: number): void {
    let pos = 0;
    while (pos < limit) {
      if (this.remaining > 0) {
        pos = this.skipBody(buf, pos, limit);
        continue;
      }
      let end = buf.indexOf(LF, pos);
      if (end === -1 || end > limit) end = limit;
      this.line(buf, pos, end);
      pos = end + 1;
    }
  }

  /**
   * Skips hunk body lines from `pos` (a line start) until the hunk's count is used up or
   * `limit`; `\ No newline at end of file` lines do not count. A plain byte loop: cheaper
   * than a native search per line for the short lines of a patch.
   */
  private skipBody(buf: Uint8Array, pos: number, limit: number): number {
    let remaining = this.remaining;
    let nul = false;
    let p = pos;
    while (remaining > 0 && p < limit) {
      if (buf[p] === BACKSLASH) {
        while (p < limit && buf[p++] !== LF);
        continue;
      }
      for (;;) {
        const b = buf[p++];
        if (b === LF) break;
        if (b === NUL) nul = true;
        if (p >= limit) break;
      }
      remaining--;
    }
    this.remaining = remaining;
    const cur = this.cur!;
    if (nul) cur.hasNul = true;
    if (cur.bodies) addPiece(cur.bodies, cur.hunks.length - 1, buf, pos, p);
    if (this.hitAt < this.hits.length) {
      while (this.hitAt < this.hits.length && this.hits[this.hitAt]! < pos) this.hitAt++;
      if (this.hitAt < this.hits.length && this.hits[this.hitAt]! < p) cur.watched = true;
    }
    return p;
  }

  private line(buf: Uint8Array, s: number, e: number): void {
    const cur = this.cur;
    if (cur !== null && cur.hunks.length > 0 && buf[s] === BACKSLASH) {
      // "\ No newline at end of file" after the hunk's last line
      if (cur.bodies) addPiece(cur.bodies, cur.hunks.length - 1, buf, s, Math.min(e + 1, buf.length));
      return;
    }
    if (startsWithBytes(buf, s, DIFF_GIT)) {
      if (cur) this.opts.onSection?.(cur);
      this.cur = { header: utf8.decode(buf.subarray(s, e)), extended: [], hunks: [], added: 0, removed: 0, hasNul: false, binary: false };
      if (this.opts.keepBodies) this.cur.bodies = { buffers: [], pieces: [] };
      if (this.opts.watch) this.cur.watched = false;
      this.sections.push(this.cur);
      return;
    }
    if (cur === null) return; // `* Unmerged path …` and other notes between sections
    const hunk = buf[s] === AT && buf[s + 1] === AT ? hunkHeader(buf, s, e) : null;
    if (hunk === null) {
      if (cur.hunks.length === 0) {
        const line = utf8.decode(buf.subarray(s, e));
        cur.extended.push(line);
        if (line.startsWith('Binary files ') && line.endsWith(' differ')) cur.binary = true;
      }
      return;
    }
    cur.hunks.push(hunk);
    cur.removed += hunk.oldLines;
    cur.added += hunk.newLines;
    this.remaining = hunk.oldLines + hunk.newLines;
  }
}

/**
 * Hands each body line of `bodies` (pieces [from, to), by default all) to `each`: its hunk's
 * index, its buffer, its mark (`-`, `+`, or `\\` for "No newline at end of file") and where
 * the bytes after the mark lie [start, end), the line break left out. `each` returning true
 * stops the walk; the result says whether it was stopped.
 */
export function eachBodyLine(
  bodies: HunkBodies,
  each: (hunk: number, buf: Uint8Array, mark: number | undefined, start: number, end: number) => boolean | void,
  from = 0,
  to = bodies.pieces.length,
): boolean {
  const { buffers, pieces } = bodies;
  for (let p = from; p < to; p += 4) {
    const hunk = pieces[p]!;
    const buf = buffers[pieces[p + 1]!]!;
    const end = pieces[p + 3]!;
    for (let s = pieces[p + 2]!; s < end; ) {
      let e = buf.indexOf(LF, s);
      if (e === -1 || e > end) e = end;
      if (each(hunk, buf, buf[s], s + 1, e)) return true;
      s = e + 1;
    }
  }
  return false;
}

function addPiece(bodies: HunkBodies, hunk: number, buf: Uint8Array, start: number, end: number): void {
  if (bodies.buffers[bodies.buffers.length - 1] !== buf) bodies.buffers.push(buf);
  bodies.pieces.push(hunk, bodies.buffers.length - 1, start, end);
}

/** Where the last `readNumber` stopped (a module variable: no tuple per number on the hot path). */
let numberEnd = 0;

/** The decimal number at `at` (its end in `numberEnd`); -1 when there is no digit or too many. */
function readNumber(buf: Uint8Array, at: number, e: number): number {
  let n = 0;
  let p = at;
  while (p < e && buf[p]! >= 48 && buf[p]! <= 57) n = n * 10 + (buf[p++]! - 48);
  numberEnd = p;
  return p === at || p - at > 15 ? -1 : n;
}

/** `@@ -a[,b] +c[,d] @@…` read from bytes (the hot path: one per hunk); null if it is not one. */
function hunkHeader(buf: Uint8Array, s: number, e: number): Hunk | null {
  if (buf[s + 2] !== 32 || buf[s + 3] !== 45) return null; // "@@ -"
  const oldStart = readNumber(buf, s + 4, e);
  if (oldStart < 0) return null;
  let oldLines = 1;
  if (buf[numberEnd] === 44) {
    oldLines = readNumber(buf, numberEnd + 1, e);
    if (oldLines < 0) return null;
  }
  if (buf[numberEnd] !== 32 || buf[numberEnd + 1] !== 43) return null; // " +"
  const newStart = readNumber(buf, numberEnd + 2, e);
  if (newStart < 0) return null;
  let newLines = 1;
  if (buf[numberEnd] === 44) {
    newLines = readNumber(buf, numberEnd + 1, e);
    if (newLines < 0) return null;
  }
  const p = numberEnd;
  if (buf[p] !== 32 || buf[p + 1] !== AT || buf[p + 2] !== AT) return null; // " @@"
  return { oldStart, oldLines, newStart, newLines };
}

/** Splits a `-U0` (or any) patch into its `diff --git` sections with exact hunk ranges. */
export function parsePatch(input: string | Uint8Array, start = 0): PatchSection[] {
  const parser = new PatchParser();
  parser.push(bytesOf(input).subarray(start));
  return parser.end();
}

/**
 * A submodule the raw listing names but the patch does not: the index records another
 * commit than the old side, and the commit checked out in the work tree is the old one (a
 * `git pull` or checkout without `git submodule update`). Compared with the work tree it has
 * not changed.
 */
export function unchangedGitlink(entry: RawEntry, sections: readonly PatchSection[]): boolean {
  return sections.length === 0 && entry.status === 'M' && entry.oldMode === '160000' && entry.newMode === '160000' && isNullId(entry.newBlob);
}

/**
 * Pairs raw records with their patch sections, in git's order. A type change (T) comes as
 * two sections (deletion then creation); an unmerged record (U) may have none, and neither
 * may a submodule whose checkout is the old commit (see unchangedGitlink).
 */
export function pairSections(entries: RawEntry[], sections: PatchSection[]): { entry: RawEntry; sections: PatchSection[] }[] {
  const out: { entry: RawEntry; sections: PatchSection[] }[] = [];
  let s = 0;
  for (const entry of entries) {
    const expected = gitDiffHeader(entry.oldPath ?? entry.path, entry.path);
    const mine: PatchSection[] = [];
    const wanted = entry.status === 'T' ? 2 : 1;
    while (mine.length < wanted && s < sections.length && sections[s]!.header === expected) mine.push(sections[s++]!);
    if (mine.length === 0 && entry.status !== 'U' && !unchangedGitlink(entry, mine)) {
      throw new Error(`git diff: no patch section for '${entry.path}' (expected '${expected}', got '${sections[s]?.header ?? 'end'}')`);
    }
    out.push({ entry, sections: mine });
  }
  if (s !== sections.length) throw new Error(`git diff: ${sections.length - s} patch section(s) without a raw record`);
  return out;
}

/** Where the patch starts after the raw records: past the NUL git writes between them. */
export function patchStart(input: Uint8Array, rawEnd: number): number {
  let pos = rawEnd;
  while (pos < input.length && input[pos] === NUL) pos++;
  return pos;
}

/** Parses combined `git diff --raw -p -z` output and pairs records with sections. */
export function parseRawWithPatch(input: string | Uint8Array): { entry: RawEntry; sections: PatchSection[] }[] {
  const buf = bytesOf(input);
  const { entries, end } = parseRawZ(buf, 0, true);
  return pairSections(entries, parsePatch(buf, patchStart(buf, end)));
}
