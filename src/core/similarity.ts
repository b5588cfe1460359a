// How alike two texts are, for pairing a deleted file with a new one as a move, as git's
// rename detection would (`-M`, 50 %) once both are staged. Git scores the share of the larger
// file's bytes that the other holds too; this counts whole lines, which is close enough to
// tell a move with edits from a different file, and needs no hashing of chunks.

/** Git's default rename threshold (`-M50%`). */
export const MOVE_SIMILARITY = 0.5;

/** The share (0..1) of the longer text made of lines the other has too (each line used once). */
export function lineSimilarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  const counts = new Map<string, number>();
  for (const line of linesOf(a)) counts.set(line, (counts.get(line) ?? 0) + 1);
  let common = 0;
  for (const line of linesOf(b)) {
    const n = counts.get(line);
    if (n) {
      counts.set(line, n - 1);
      common += line.length + 1;
    }
  }
  // A last line without a line feed was counted with one.
  return Math.min(1, common / longest);
}

/** The lines of a text, without their line feeds (none after a last line feed). */
function linesOf(text: string): string[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
