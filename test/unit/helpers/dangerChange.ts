// Changes for the readers of core/dangers.ts, built from two texts as the editor's live diff
// builds them, and their findings as one line each (`new:3 (warning) skips a test (…)`).
import { findDangers } from '../../../src/core/dangers';
import { liveDiff } from '../../../src/core/livediff';
import type { FileChange } from '../../../src/core/model';

/** A change of `path` from `oldText` to `newText` (undefined: added or deleted), with its hunks. */
export function edit(path: string, oldText: string | undefined, newText: string | undefined, extra: Partial<FileChange> = {}): FileChange {
  const d = liveDiff(oldText ?? '', newText ?? '');
  return {
    path,
    status: oldText === undefined ? 'added' : newText === undefined ? 'deleted' : 'modified',
    binary: false,
    added: d.added,
    removed: d.removed,
    hunks: d.hunks,
    ...(oldText !== undefined ? { oldText } : {}),
    ...(newText !== undefined ? { newText } : {}),
    ...extra,
  };
}

/** Lines joined as a file's text, with its last newline. */
export const lines = (...ls: string[]) => ls.join('\n') + '\n';

/** The dangers of a change by path, each as `side:line (severity) what`. */
export const found = (...changes: FileChange[]) =>
  Object.fromEntries([...findDangers(changes)].map(([p, ds]) => [p, ds.map((d) => `${d.side}:${d.line}${d.severity ? ` (${d.severity})` : ''} ${d.what}`)]));
