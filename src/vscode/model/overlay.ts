// An unsaved buffer as a change: diffs the base content against the buffer with core's
// bounded jsdiff (a give-up becomes a whole-file rewrite) and fills the FileChange fields
// the rules read (counts, hunks, blob ids, line counts, text for JS/TS sources).
import { countLines, gitBlobId } from '../../core/gitblob';
import { liveDiff } from '../../core/livediff';
import type { FileChange, Hunk } from '../../core/model';

/** Bounds for one live diff: the editor must never wait on a pathological rewrite. */
export const LIVE_DIFF_LIMITS = { timeoutMs: 150, maxEditLength: 20000 } as const;
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
}

/** The change an unsaved buffer makes; null when the buffer equals the base. */
export function overlayChange(o: OverlayInput): FileChange | null {
  const base = o.baseText ?? '';
  const diff = liveDiff(base, o.text, LIVE_DIFF_LIMITS);
  const renamed = o.disk?.status === 'renamed' ? o.disk : undefined;
  if (o.baseText !== null && diff.hunks.length === 0 && !renamed) return null;
  const newBytes = Buffer.from(o.text, 'utf8');
  const change: FileChange = {
    path: o.path,
    status: renamed ? 'renamed' : o.baseText === null ? 'added' : 'modified',
    binary: false,
    added: diff.added,
    removed: diff.removed,
    hunks: diff.hunks,
    newBlob: gitBlobId(newBytes),
    newMode: o.disk?.newMode ?? '100644',
    newLineCount: countLines(newBytes),
  };
  if (renamed?.oldPath !== undefined) change.oldPath = renamed.oldPath;
  if (o.baseText !== null) {
    change.oldBlob = o.baseBlob ?? o.disk?.oldBlob ?? gitBlobId(Buffer.from(base, 'utf8'));
    change.oldMode = o.disk?.oldMode ?? '100644';
    change.oldLineCount = countLines(Buffer.from(base, 'utf8'));
  }
  // Texts feed only the removed-export rule, whose full scan of a large file costs more than
  // the rest of the analysis; while typing it runs when a changed line could affect an
  // export. The full refresh after a save always checks the whole file.
  if (
    o.baseText !== null &&
    SOURCE.test(o.path) &&
    base.length <= TEXT_CAP &&
    o.text.length <= TEXT_CAP &&
    mayTouchExports(base, o.text, diff.hunks)
  ) {
    change.oldText = base;
    change.newText = o.text;
  }
  return change;
}

/** Export statements, or tokens that change what the scanner sees as code (comments, templates). */
const EXPORT_RISK = /exports?|\/\*|\*\/|`/;

function mayTouchExports(base: string, text: string, hunks: readonly Hunk[]): boolean {
  const oldLines = base.split('\n');
  const newLines = text.split('\n');
  for (const h of hunks) {
    const oldFrom = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    for (let i = oldFrom; i < oldFrom + h.oldLines; i++) if (EXPORT_RISK.test(oldLines[i] ?? '')) return true;
    const newFrom = h.newLines === 0 ? h.newStart : h.newStart - 1;
    for (let i = newFrom; i < newFrom + h.newLines; i++) if (EXPORT_RISK.test(newLines[i] ?? '')) return true;
  }
  return false;
}
