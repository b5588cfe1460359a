// Incremental live diff for an edited buffer: given the hunks of (base → previous text),
// re-diffs only the region an edit touched (plus the hunks it touches) against the base,
// and shifts the hunks after it. A keystroke in a 10,000-line file with 200 hunks costs a
// scan for the common prefix/suffix and a tiny jsdiff, not a whole-file diff.
import { liveDiff, type LiveDiffOptions, type LiveDiffResult } from './livediff';
import type { Hunk } from './model';

/** A text split into lines that keep their terminators (no empty line after a final `\n`). */
export function splitKeepingEol(text: string): string[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/);
}

export interface LiveDiffState {
  /** Base lines (with terminators). */
  readonly base: readonly string[];
  /** Current lines (with terminators). */
  readonly lines: readonly string[];
  /** Git -U0 hunks of base → current. */
  readonly hunks: readonly Hunk[];
  readonly added: number;
  readonly removed: number;
  /** True when a diff ran out of budget (some hunk is a coarse replacement). */
  readonly gaveUp: boolean;
}

function totals(hunks: readonly Hunk[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const h of hunks) {
    added += h.newLines;
    removed += h.oldLines;
  }
  return { added, removed };
}

/** liveDiff, without running jsdiff when one side is empty (all added or all removed). */
function diffTexts(oldText: string, newText: string, oldCount: number, newCount: number, opts: LiveDiffOptions): LiveDiffResult {
  if (oldText === newText) return { hunks: [], added: 0, removed: 0, gaveUp: false };
  if (oldText === '') return { hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: newCount }], added: newCount, removed: 0, gaveUp: false };
  if (newText === '') return { hunks: [{ oldStart: 1, oldLines: oldCount, newStart: 0, newLines: 0 }], added: 0, removed: oldCount, gaveUp: false };
  return liveDiff(oldText, newText, opts);
}

/** A full diff of base against text. */
export function diffState(baseText: string, text: string, opts: LiveDiffOptions = {}): LiveDiffState {
  const base = splitKeepingEol(baseText);
  const lines = splitKeepingEol(text);
  const d = diffTexts(baseText, text, base.length, lines.length, opts);
  return { base, lines, hunks: d.hunks, added: d.added, removed: d.removed, gaveUp: d.gaveUp };
}

/** 0-based half-open line range of a hunk on one side (an empty range sits at the gap). */
const newRange = (h: Hunk): [number, number] => {
  const s = h.newLines === 0 ? h.newStart : h.newStart - 1;
  return [s, s + h.newLines];
};

/**
 * The state for `text`, computed from `prev` (same base) by re-diffing only the changed
 * region. Equivalent to a full diff for the lines outside that region.
 */
export function updateState(prev: LiveDiffState, text: string, opts: LiveDiffOptions = {}): LiveDiffState {
  const next = splitKeepingEol(text);
  const old = prev.lines;
  let p0 = 0;
  const maxPrefix = Math.min(old.length, next.length);
  while (p0 < maxPrefix && old[p0] === next[p0]) p0++;
  if (p0 === old.length && p0 === next.length) return { ...prev, lines: next };
  let s = 0;
  const maxSuffix = maxPrefix - p0;
  while (s < maxSuffix && old[old.length - 1 - s] === next[next.length - 1 - s]) s++;
  // Changed region: old [p0, p1) became next [p0, t1).
  const p1 = old.length - s;
  const t1 = next.length - s;

  // Widen to every hunk the region overlaps or touches, until stable; the bounds then lie
  // in lines equal on both sides, where old and base lines correspond one to one.
  let a = p0;
  let b = p1;
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of prev.hunks) {
      const [hs, he] = newRange(h);
      if (he >= a && hs <= b && (hs < a || he > b)) {
        a = Math.min(a, hs);
        b = Math.max(b, he);
        grew = true;
      }
    }
  }
  const before: Hunk[] = [];
  const after: Hunk[] = [];
  let deltaBefore = 0;
  let deltaAbsorbed = 0;
  for (const h of prev.hunks) {
    const [hs, he] = newRange(h);
    if (he < a) {
      before.push(h);
      deltaBefore += h.newLines - h.oldLines;
    } else if (hs > b) after.push(h);
    else deltaAbsorbed += h.newLines - h.oldLines;
  }
  const ba = a - deltaBefore;
  const bb = b - deltaBefore - deltaAbsorbed;
  const lineDelta = t1 - p1;
  const nb = b + lineDelta;

  const region = diffTexts(prev.base.slice(ba, bb).join(''), next.slice(a, nb).join(''), bb - ba, nb - a, opts);
  const hunks: Hunk[] = [
    ...before,
    ...region.hunks.map((h) => ({ oldStart: h.oldStart + ba, oldLines: h.oldLines, newStart: h.newStart + a, newLines: h.newLines })),
    ...after.map((h) => ({ ...h, newStart: h.newStart + lineDelta })),
  ];
  const { added, removed } = totals(hunks);
  return { base: prev.base, lines: next, hunks, added, removed, gaveUp: prev.gaveUp || region.gaveUp };
}

/**
 * A state from hunks computed elsewhere (git's -U0 hunks of base → `text`), so a buffer's
 * first edit diffs incrementally too. Undefined when the hunks do not describe the texts.
 */
export function seedState(baseText: string, text: string, hunks: readonly Hunk[]): LiveDiffState | undefined {
  const base = splitKeepingEol(baseText);
  const lines = splitKeepingEol(text);
  let bi = 0;
  let ci = 0;
  let prevEnd = -1;
  for (const h of hunks) {
    const os = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    const ns = h.newLines === 0 ? h.newStart : h.newStart - 1;
    if (os < bi || ns < ci || ns <= prevEnd || os - bi !== ns - ci) return undefined;
    for (; ci < ns; ci++, bi++) if (lines[ci] !== base[bi]) return undefined;
    bi = os + h.oldLines;
    ci = ns + h.newLines;
    prevEnd = ci;
    if (bi > base.length || ci > lines.length) return undefined;
  }
  if (base.length - bi !== lines.length - ci) return undefined;
  for (; ci < lines.length; ci++, bi++) if (lines[ci] !== base[bi]) return undefined;
  const { added, removed } = totals(hunks);
  return { base, lines, hunks: [...hunks], added, removed, gaveUp: false };
}
