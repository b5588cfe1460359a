// Whether a change that replaces most of a file's lines kept their content: a formatter run
// (prettier, black, gofmt, rustfmt) along with an edit, not a delete-and-recreate. The removed
// lines and the added lines are each read as one stream of tokens (a run of ASCII letters,
// digits, `_` and `$` and of any character from U+0080 up, or any other character that is not
// whitespace, on its own), and the two streams are compared in order, as a shortest edit
// (Myers) removes and adds tokens. Whitespace and line breaks are no tokens, and three things
// formatters rewrite are read alike: `'` as `"`, `;` as nothing, and a `,` just before `)`,
// `]` or `}` (a trailing comma) as nothing. Nothing else: a word, a bracket or an operator
// changed counts, and so does a block moved, since the order counts. Indentation is not
// compared (SG202 says so where it is meaning).
//
// Worked out only where the rewrite verdict is made, for a change that removes at least
// WHITESPACE_CHANGED_SHARE of its file, from git's hunk bodies (or an unsaved buffer's
// lines), and ended early: a count of the tokens on both sides (whatever their order) first,
// which ends most real rewrites, then a diff given up past the tokens the share allows.
import { diffArrays } from 'diff';
import { eachBodyLine, type PatchSection } from './diffparse';
import type { FileChange } from './model';
import { WHITESPACE_CHANGED_SHARE } from './whitespace';

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

/** A token: a run of word characters, or one other character that is not whitespace. */
const TOKEN = /[A-Za-z0-9_$\u0080-\uffff]+|[^ \t\r\n\v\f]/g;

/** One side's tokens, read alike as the header says, and the line (from 0) each is on. */
class Tokens {
  readonly list: string[] = [];
  readonly at: number[] = [];
  private lines = 0;

  /** Adds a line's tokens (its text without the `-`/`+` mark; the line break is whitespace). */
  line(text: string): void {
    const { list, at } = this;
    const line = this.lines++;
    for (const m of text.matchAll(TOKEN)) {
      let t = m[0];
      if (t === ';') continue;
      if (t === "'") t = '"';
      // A trailing comma: the `,` before a closing bracket, on this line or an earlier one.
      else if ((t === ')' || t === ']' || t === '}') && list[list.length - 1] === ',') {
        list.pop();
        at.pop();
      }
      list.push(t);
      at.push(line);
    }
  }
}

/**
 * The reformat verdict for the tokens of the removed lines against those of the added ones;
 * undefined when the removed lines hold no token, or when the tokens removed and added come
 * to more than REFORMAT_EDIT_SHARE of the removed lines' tokens, or REFORMAT_MAX_EDIT.
 */
function compare(before: Tokens, after: Tokens): Reformat | undefined {
  const tokens = before.list.length;
  if (tokens === 0) return undefined;
  const budget = Math.min(Math.floor(REFORMAT_EDIT_SHARE * tokens), REFORMAT_MAX_EDIT);
  // Whatever the order, at least the difference in count is removed or added.
  if (Math.abs(tokens - after.list.length) > budget) return undefined;
  // The tokens that are not on both sides (counted as multisets) are removed or added by any
  // edit: a cheap bound that ends most real rewrites before the diff.
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

const latin1 = new TextDecoder('latin1');

/**
 * FileChange.reformat from a section's hunk bodies: for a change that removes at least
 * WHITESPACE_CHANGED_SHARE of its `oldLines` (all of it when they are unknown) and adds
 * lines. The bodies are bytes: read as Latin-1, a UTF-8 character is a run of characters
 * from U+0080 up, so the tokens split where they split in the decoded text.
 */
export function reformatted(section: PatchSection, oldLines: number | undefined): Reformat | undefined {
  const bodies = section.bodies;
  if (!bodies || section.binary || section.hasNul || section.removed === 0 || section.added === 0) return undefined;
  if (oldLines !== undefined && section.removed < WHITESPACE_CHANGED_SHARE * oldLines) return undefined;
  const before = new Tokens();
  const after = new Tokens();
  eachBodyLine(bodies, (_h, buf, mark, s, e) => {
    if (mark === MINUS) before.line(latin1.decode(buf.subarray(s, e)));
    else if (mark === PLUS) after.line(latin1.decode(buf.subarray(s, e)));
  });
  return compare(before, after);
}

/**
 * reformatted for a live buffer, from its base and current lines (each with its line break)
 * and the hunks between them: the same verdict as the change set reads from git's hunk
 * bodies once the buffer is saved, where the hunks cover the same lines.
 */
export function reformattedLines(base: readonly string[], lines: readonly string[], hunks: readonly { oldStart: number; oldLines: number; newStart: number; newLines: number }[]): Reformat | undefined {
  let removed = 0;
  let added = 0;
  for (const h of hunks) {
    removed += h.oldLines;
    added += h.newLines;
  }
  if (removed === 0 || added === 0 || removed < WHITESPACE_CHANGED_SHARE * base.length) return undefined;
  const before = new Tokens();
  const after = new Tokens();
  for (const h of hunks) {
    for (let i = 0; i < h.oldLines; i++) before.line(base[h.oldStart - 1 + i] ?? '');
    for (let i = 0; i < h.newLines; i++) after.line(lines[h.newStart - 1 + i] ?? '');
  }
  return compare(before, after);
}
