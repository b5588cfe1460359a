// Whether a change that replaces most of a file's lines kept their content: a formatter run
// (prettier, black, gofmt, rustfmt) along with an edit, not a delete-and-recreate. The removed
// lines and the added lines are each read as one stream of tokens (a run of ASCII letters,
// digits, `_`, `$` and bytes of UTF-8 characters, or any other character that is not
// whitespace, on its own), and the two streams are compared in order, as a shortest edit
// (Myers) removes and adds tokens. Whitespace and line breaks are no tokens, and three things
// formatters rewrite are read alike: `'` as `"`, `;` as nothing, and a `,` just before `)`,
// `]` or `}` (a trailing comma) as nothing. Nothing else: a word, a bracket or an operator
// changed counts, and so does a block moved, since the order counts. Indentation is not
// compared (SG202 says so where it is meaning).
//
// Worked out only where the rewrite verdict is made, for a change that removes at least
// WHITESPACE_CHANGED_SHARE of its file, from git's hunk bodies (or an unsaved buffer's lines,
// as UTF-8), and ended early: the tokens of both sides counted first (into hash buckets,
// whatever their order, no string made), which ends a real rewrite; then the tokens read as
// strings, counted exactly, and the diff, given up past the tokens the share allows.
import { diffArrays } from 'diff';
import { eachBodyLine, type PatchSection } from './diffparse';
import type { FileChange } from './model';
import { mayBeRewrite, WHITESPACE_CHANGED_SHARE } from './whitespace';

/** See FileChange.reformat. */
export type Reformat = NonNullable<FileChange['reformat']>;

/**
 * A change is a reformat when the tokens it removes and adds, together, are at most this
 * share of the tokens of the lines it removed (not of the whole file: a file partly
 * reformatted is held to the share of what it replaced)...
 */
export const REFORMAT_EDIT_SHARE = 0.2;
/** ...and at most this many: the diff's cost grows with the square of the edit it may find. */
export const REFORMAT_MAX_EDIT = 1000;

const MINUS = 45;
const PLUS = 43;
const COMMA = 44;
const SEMICOLON = 59;
const APOSTROPHE = 39;
const QUOTE = 34;
const isCloser = (c: number) => c === 41 || c === 93 || c === 125; // ) ] }

/** A byte of a word token: ASCII letters and digits, `_`, `$`, and any byte of a UTF-8 character. */
const isWord = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c >= 128;
/** Space, tab, line feed, vertical tab, form feed, carriage return. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * One side of a change, read line by line (as UTF-8 bytes) into tokens, read alike as the
 * header says; what it keeps of them is the subclass's. The removed lines are one side, the
 * added lines the other.
 */
abstract class Side {
  /** Its tokens. */
  count = 0;
  protected lines = 0;
  /** The last token is a `,`: a closing bracket next makes it a trailing comma. */
  private comma = false;

  /** Reads a line: bytes [start, end) of `buf`, without the `-`/`+` mark (a line break is whitespace). */
  line(buf: Uint8Array, start: number, end: number): void {
    this.begin(buf, start, end);
    for (let i = start; i < end; ) {
      const c = buf[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      let j = i + 1;
      if (isWord(c)) while (j < end && isWord(buf[j]!)) j++;
      else if (c === SEMICOLON) {
        i = j;
        continue;
      } else if (this.comma && isCloser(c)) {
        this.count--;
        this.dropComma();
      }
      this.comma = c === COMMA;
      this.count++;
      this.add(buf, i, j, c === APOSTROPHE ? QUOTE : c);
      i = j;
    }
    this.lines++;
  }

  /** A line starts. */
  protected begin(_buf: Uint8Array, _start: number, _end: number): void {}
  /** A token: bytes [start, end) of `buf`, `first` its first byte (an apostrophe read as a quote). */
  protected abstract add(buf: Uint8Array, start: number, end: number, first: number): void;
  /** The last token added, a `,`, is a trailing comma. */
  protected abstract dropComma(): void;
}

/** How many buckets Tally hashes tokens into. */
const BUCKETS = 4096;

/**
 * A side's tokens counted into hash buckets shared with the other side (+1 for one, -1 for
 * the other), commas left out: the sum of the buckets' sizes is at most the tokens found on
 * one side and not the other (two tokens in one bucket can only cancel out), so at most what
 * any edit removes and adds. Makes no string: a rewrite ends here, cheaply.
 */
class Tally extends Side {
  constructor(
    private readonly buckets: Int32Array,
    private readonly sign: 1 | -1,
  ) {
    super();
  }

  protected add(buf: Uint8Array, start: number, end: number, first: number): void {
    if (first === COMMA) return;
    // FNV-1a.
    let h = Math.imul(2166136261 ^ first, 16777619);
    for (let i = start + 1; i < end; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    this.buckets[(h >>> 0) % BUCKETS]! += this.sign;
  }

  protected dropComma(): void {
    // Commas are not counted into the buckets.
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextEncoder();

/** A side's tokens as strings (its bytes read as Latin-1: one character each), and the line (from 0) each is on. */
class Tokens extends Side {
  readonly list: string[] = [];
  readonly at: number[] = [];
  private text = '';
  private from = 0;

  protected override begin(buf: Uint8Array, start: number, end: number): void {
    this.text = latin1.decode(buf.subarray(start, end));
    this.from = start;
  }

  protected add(_buf: Uint8Array, start: number, end: number, first: number): void {
    this.list.push(first === QUOTE ? '"' : this.text.slice(start - this.from, end - this.from));
    this.at.push(this.lines);
  }

  protected dropComma(): void {
    this.list.pop();
    this.at.pop();
  }
}

/**
 * The reformat verdict of a change whose sides `read` hands, line by line, to the two Sides it
 * is given (the removed lines to the first): first tallied, then, when the tally leaves it
 * possible, read into tokens and compared.
 */
function judge(read: (before: Side, after: Side) => void): Reformat | undefined {
  const buckets = new Int32Array(BUCKETS);
  const tallyBefore = new Tally(buckets, 1);
  const tallyAfter = new Tally(buckets, -1);
  read(tallyBefore, tallyAfter);
  const tokens = tallyBefore.count;
  if (tokens === 0) return undefined;
  const budget = Math.min(Math.floor(REFORMAT_EDIT_SHARE * tokens), REFORMAT_MAX_EDIT);
  // Whatever the order, at least the difference in count is removed or added.
  if (Math.abs(tokens - tallyAfter.count) > budget) return undefined;
  let apart = 0;
  for (let i = 0; i < BUCKETS; i++) apart += Math.abs(buckets[i]!);
  if (apart > budget) return undefined;
  const before = new Tokens();
  const after = new Tokens();
  read(before, after);
  return compare(before, after, budget);
}

/**
 * The reformat verdict for the tokens of the removed lines against those of the added ones,
 * `budget` the most tokens they may remove and add (REFORMAT_EDIT_SHARE of the removed lines'
 * tokens, at most REFORMAT_MAX_EDIT); undefined past it.
 */
function compare(before: Tokens, after: Tokens, budget: number): Reformat | undefined {
  const tokens = before.list.length;
  // The tokens that are not on both sides (counted as multisets) are removed or added by any
  // edit (exactly, where the buckets of Tally may mix tokens).
  const counts = new Map<string, number>();
  for (const t of before.list) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of after.list) {
    const left = counts.get(t);
    if (left) {
      counts.set(t, left - 1);
      common++;
    }
  }
  if (tokens + after.list.length - 2 * common > budget) return undefined;
  // In order: a shortest edit (Myers), given up past the budget.
  const parts = diffArrays(before.list, after.list, { maxEditLength: budget });
  if (parts === undefined) return undefined;
  let removed = 0;
  let added = 0;
  // The removed lines that lose a token: their content changed, not only its layout.
  let lines = 0;
  let lastLine = -1;
  let at = 0;
  for (const p of parts) {
    if (p.added) {
      added += p.count;
      continue;
    }
    if (p.removed) {
      removed += p.count;
      for (let i = at; i < at + p.count; i++) {
        const line = before.at[i]!;
        if (line !== lastLine) lines++;
        lastLine = line;
      }
    }
    at += p.count;
  }
  return removed + added <= budget ? { tokens, removed, added, lines } : undefined;
}

/**
 * FileChange.reformat from a section's hunk bodies: for a change that removes at least
 * WHITESPACE_CHANGED_SHARE of its `oldLines` (all of it when they are unknown) and adds lines.
 */
export function reformatted(section: PatchSection, oldLines: number | undefined): Reformat | undefined {
  const bodies = section.bodies;
  if (!bodies || section.binary || section.hasNul || section.removed === 0 || section.added === 0) return undefined;
  if (oldLines !== undefined && section.removed < WHITESPACE_CHANGED_SHARE * oldLines) return undefined;
  return judge((before, after) => {
    eachBodyLine(bodies, (_h, buf, mark, s, e) => {
      if (mark === MINUS) before.line(buf, s, e);
      else if (mark === PLUS) after.line(buf, s, e);
    });
  });
}

/**
 * reformatted for a live buffer, from its base and current lines (each with its line break)
 * and the hunks between them: the same verdict as the change set reads from git's hunk
 * bodies once the buffer is saved, where the hunks cover the same lines.
 */
export function reformattedLines(base: readonly string[], lines: readonly string[], hunks: readonly { oldStart: number; oldLines: number; newStart: number; newLines: number }[]): Reformat | undefined {
  if (!mayBeRewrite(base.length, hunks)) return undefined;
  // As UTF-8, as git gives them: the same tokens.
  const removedLines: Uint8Array[] = [];
  const addedLines: Uint8Array[] = [];
  for (const h of hunks) {
    for (let i = 0; i < h.oldLines; i++) removedLines.push(utf8.encode(base[h.oldStart - 1 + i] ?? ''));
    for (let i = 0; i < h.newLines; i++) addedLines.push(utf8.encode(lines[h.newStart - 1 + i] ?? ''));
  }
  return judge((before, after) => {
    for (const l of removedLines) before.line(l, 0, l.length);
    for (const l of addedLines) after.line(l, 0, l.length);
  });
}
