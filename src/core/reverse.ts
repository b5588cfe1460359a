// The old side of a file rebuilt from its new bytes and the `-U0` hunks git printed: the
// new lines each hunk added are swapped back for the lines it removed. The caller makes sure
// the patch describes these very bytes (git's post-image id is their blob id, or the result
// is the old blob), so a patch that does not (an end-of-line conversion, a file changed
// while being read) is never taken for the old side.
import type { HunkBodies } from './diffparse';
import type { Hunk } from './model';

const LF = 10;
const MINUS = 45;
const BACKSLASH = 92;

/** Whether the last line copied for the current hunk was a removed line (its `\\` may follow in the next piece). */
let lastRemoved = false;

/**
 * Copies the removed lines of one piece of a hunk body (its `-` lines, without the `-`)
 * to `out` at `at`; a `\\` line right after a removed line drops that line's newline.
 * Returns the new end. One byte loop: the lines are short, and a call per line costs more
 * than the copy.
 */
function copyRemoved(body: Uint8Array, start: number, end: number, out: Uint8Array, at: number, floor: number): number {
  let pos = start;
  while (pos < end) {
    const first = body[pos]!;
    if (first === MINUS) {
      let p = pos + 1;
      while (p < end) {
        const b = body[p++]!;
        out[at++] = b;
        if (b === LF) break;
      }
      pos = p;
      lastRemoved = true;
      continue;
    }
    if (first === BACKSLASH && lastRemoved && at > floor && out[at - 1] === LF) at--;
    lastRemoved = false;
    while (pos < end && body[pos++] !== LF);
  }
  return at;
}

/**
 * Rebuilds the old bytes from `newBytes` and the hunks (with their body bytes, as
 * `PatchParser` keeps them). Null when the hunks do not fit the new bytes. `room`: bytes
 * left free before the result in its buffer (for blobIdInPlace). `alloc`: makes the
 * result's buffer (its content need not be zeroed; every byte returned is written).
 */
export function oldFromNew(
  newBytes: Uint8Array,
  hunks: readonly Hunk[],
  bodies: HunkBodies,
  room = 0,
  alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size),
): Uint8Array | null {
  const { buffers, pieces } = bodies;
  let bound = room + newBytes.length;
  for (let i = 0; i < pieces.length; i += 4) bound += pieces[i + 3]! - pieces[i + 2]!;
  const out = alloc(bound);
  let at = room;
  // Walks the new bytes forward to the start of line `target` (0-based); -1 past the end.
  let line = 0;
  let lineAt = 0;
  const offsetOf = (target: number): number => {
    const n = newBytes.length;
    let p = lineAt;
    let l = line;
    while (l < target) {
      if (p >= n) return -1;
      while (p < n && newBytes[p++] !== LF);
      l++;
    }
    line = l;
    lineAt = p;
    return p;
  };
  let copied = 0;
  let piece = 0;
  for (let k = 0; k < hunks.length; k++) {
    const h = hunks[k]!;
    const firstNew = h.newLines === 0 ? h.newStart : h.newStart - 1;
    const from = offsetOf(firstNew);
    if (from === -1 || from < copied) return null;
    const to = h.newLines === 0 ? from : offsetOf(firstNew + h.newLines);
    if (to === -1) return null;
    out.set(newBytes.subarray(copied, from), at);
    at += from - copied;
    lastRemoved = false;
    while (piece < pieces.length && pieces[piece]! < k) piece += 4;
    for (; piece < pieces.length && pieces[piece] === k; piece += 4) {
      at = copyRemoved(buffers[pieces[piece + 1]!]!, pieces[piece + 2]!, pieces[piece + 3]!, out, at, room);
    }
    copied = to;
  }
  out.set(newBytes.subarray(copied), at);
  at += newBytes.length - copied;
  return out.subarray(room, at);
}
