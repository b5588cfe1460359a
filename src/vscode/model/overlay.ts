// An unsaved buffer as a change: diffs the base content against the buffer with core's
// bounded jsdiff — incrementally from the buffer's previous diff when there is one, so a
// keystroke re-diffs only the lines it touched — and fills the FileChange fields the rules
// read (counts, hunks, blob ids, line counts, text for JS/TS sources).
import { readsText } from '../../core/analyze';
import { gitBlobId } from '../../core/gitblob';
import { diffState, updateState, type LiveDiffState } from '../../core/incdiff';
import type { FileChange, Hunk } from '../../core/model';
import { linesWork } from '../../core/placeholders';
import { reformattedLines } from '../../core/reformat';
import { whitespaceChangedLines, whitespaceOnlyLines } from '../../core/whitespace';

/** Bounds for one live diff: the editor must never wait on a pathological rewrite. */
// Beyond them a region becomes one coarse replacement hunk until the next save, when git
// diffs the file exactly.
export const LIVE_DIFF_LIMITS = { timeoutMs: 200, maxEditLength: 2000 } as const;
const TEXT_CAP = 1024 * 1024;
const SOURCE = /\.(?:[cm]?[jt]sx?)$/i;

export interface OverlayInput {
  path: string;
  /** Base content; null when the file is not in the base (a new file). */
  baseText: string | null;
  /** Blob id of the base content, when known. */
  baseBlob?: string;
  text: string;
  /** The file's entry in the on-disk change set, if any (keeps renames and modes). */
  disk?: FileChange;
  /** The diff of the same base against the buffer's previous text, to update incrementally. */
  previous?: LiveDiffState;
}

export interface Overlay {
  /** The change the buffer makes; null when it equals the base. */
  change: FileChange | null;
  state: LiveDiffState;
}

export function overlayChange(o: OverlayInput): Overlay {
  const base = o.baseText ?? '';
  const state = o.previous ? updateState(o.previous, o.text, LIVE_DIFF_LIMITS) : diffState(base, o.text, LIVE_DIFF_LIMITS);
  const renamed = o.disk?.status === 'renamed' ? o.disk : undefined;
  if (o.baseText !== null && state.hunks.length === 0 && !renamed) return { change: null, state };
  const change: FileChange = {
    path: o.path,
    status: renamed ? 'renamed' : o.baseText === null ? 'added' : 'modified',
    binary: false,
    added: state.added,
    removed: state.removed,
    hunks: [...state.hunks],
    newBlob: gitBlobId(Buffer.from(o.text, 'utf8')),
    newMode: o.disk?.newMode ?? '100644',
    newLineCount: state.lines.length,
  };
  if (renamed?.oldPath !== undefined) change.oldPath = renamed.oldPath;
  if (o.baseText !== null) {
    change.oldBlob = o.baseBlob ?? o.disk?.oldBlob ?? gitBlobId(Buffer.from(base, 'utf8'));
    change.oldMode = o.disk?.oldMode ?? '100644';
    change.oldLineCount = state.base.length;
    // A re-indent or a line-ending change typed or pasted in is judged as git's hunks judge it
    // on save (a note or a warning, not a critical rewrite). Ends at the first line that
    // differs in more than whitespace, so a keystroke's hunk costs one comparison.
    const whitespace = whitespaceOnlyLines(state.base, state.lines, state.hunks);
    if (whitespace !== undefined) change.whitespaceOnly = whitespace;
    // A CRLF file saved as LF along with an edit: the lines that came back, as on save. Only
    // when a quarter of the file is removed, so a keystroke's hunk costs nothing more.
    const changed = whitespace === undefined ? whitespaceChangedLines(state.base, state.lines, state.hunks) : undefined;
    if (changed !== undefined) change.whitespaceChanged = changed;
    // A formatter run along with an edit: the same tokens but for a few, as on save (SG202
    // calls it a reformat). Only when a quarter of the file is removed, as above.
    const reformat = whitespace === undefined ? reformattedLines(state.base, state.lines, state.hunks) : undefined;
    if (reformat !== undefined) change.reformat = reformat;
  }
  // Comments alone, a placeholder typed in (`throw new Error('Not implemented')`), a key pasted
  // in, a check silenced (`// @ts-ignore`), as the change set reads them from git's hunks once
  // saved (SG302 for a task ticked done; SG210 for the others).
  if (change.whitespaceOnly === undefined) {
    const held = linesWork(o.path, o.baseText === null ? null : state.base, state.lines, state.hunks);
    if (held.commentOnly) change.commentOnly = true;
    if (held.placeholders) change.placeholders = held.placeholders;
    if (held.secrets) change.secrets = held.secrets;
    if (held.silenced) change.silenced = held.silenced;
  }
  // Texts feed the removed-export rule, whose full scan of a large file costs more than the
  // rest of the analysis: while typing it runs when a changed line could affect an export (the
  // full refresh after a save checks the whole file). And the protected-path rule's reading of
  // Terraform, SQL, workflows… (core/dangers.ts), which reads the changed lines only. Never for
  // a symbolic link, whose buffer is its target's text, not the link.
  const small = base.length <= TEXT_CAP && o.text.length <= TEXT_CAP && change.newMode !== '120000';
  if (small && ((o.baseText !== null && SOURCE.test(o.path) && mayTouchExports(state)) || readsText(o.path))) {
    if (o.baseText !== null) change.oldText = base;
    change.newText = o.text;
  }
  return { change, state };
}

/** Export statements, or tokens that change what the scanner sees as code (comments, templates). */
const EXPORT_RISK = /\bexports?\b|\/\*|\*\/|`/;

function mayTouchExports(state: LiveDiffState): boolean {
  const touched = (lines: readonly string[], from: number, count: number): boolean => {
    for (let i = from; i < from + count; i++) if (EXPORT_RISK.test(lines[i] ?? '')) return true;
    return false;
  };
  return state.hunks.some(
    (h: Hunk) =>
      touched(state.base, h.oldLines === 0 ? h.oldStart : h.oldStart - 1, h.oldLines) ||
      touched(state.lines, h.newLines === 0 ? h.newStart : h.newStart - 1, h.newLines),
  );
}
