// Hunks for live editor buffers (unsaved text), where git cannot look: jsdiff with a time
// and edit budget. Hunks follow git's -U0 convention so they compare with git's own.
import { diffLines } from 'diff';
import type { Hunk } from './model';

export interface LiveDiffOptions {
  /** Give up after this many milliseconds (default 500). */
  timeoutMs?: number;
  /** Give up when the edit script would be longer than this (default: no limit). */
  maxEditLength?: number;
}

export interface LiveDiffResult {
  hunks: Hunk[];
  added: number;
  removed: number;
  /** True when the budget ran out: the result is one whole-file hunk (a full rewrite). */
  gaveUp: boolean;
}

function lineCount(text: string): number {
  if (text === '') return 0;
  let n = 0;
  let at = -1;
  while ((at = text.indexOf('\n', at + 1)) !== -1) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/** One hunk replacing every line of the old text with every line of the new. */
function wholeFile(oldText: string, newText: string): LiveDiffResult {
  const n = lineCount(oldText);
  const m = lineCount(newText);
  const hunks = n + m === 0 ? [] : [{ oldStart: n ? 1 : 0, oldLines: n, newStart: m ? 1 : 0, newLines: m }];
  return { hunks, added: m, removed: n, gaveUp: true };
}

/** Line diff of two texts as git -U0 hunks, within a budget; a whole-file hunk when it gives up. */
export function liveDiff(oldText: string, newText: string, opts: LiveDiffOptions = {}): LiveDiffResult {
  if (oldText === newText) return { hunks: [], added: 0, removed: 0, gaveUp: false };
  const changes = diffLines(oldText, newText, {
    timeout: opts.timeoutMs ?? 500,
    ...(opts.maxEditLength !== undefined ? { maxEditLength: opts.maxEditLength } : {}),
  });
  if (changes === undefined) return wholeFile(oldText, newText);

  const hunks: Hunk[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  let open: Hunk | null = null;
  const close = () => {
    if (!open) return;
    if (open.oldLines === 0) open.oldStart -= 1;
    if (open.newLines === 0) open.newStart -= 1;
    hunks.push(open);
    open = null;
  };
  for (const c of changes) {
    const count = c.count ?? lineCount(c.value);
    if (!c.added && !c.removed) {
      close();
      oldLine += count;
      newLine += count;
      continue;
    }
    open ??= { oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0 };
    if (c.removed) {
      open.oldLines += count;
      oldLine += count;
      removed += count;
    } else {
      open.newLines += count;
      newLine += count;
      added += count;
    }
  }
  close();
  return { hunks, added, removed, gaveUp: false };
}
