// Splitting a list into runs of bounded weight, for APIs that take a list but quietly drop
// what goes past a total (VS Code's DiagnosticCollection.set).

/**
 * `items`, in order, cut into runs whose weights add up to at most `max`. An item heavier
 * than `max` goes alone. No run is empty.
 */
export function batches<T>(items: readonly T[], weight: (item: T) => number, max: number): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (run.length > 0 && total + w > max) {
      out.push(run);
      run = [];
      total = 0;
    }
    run.push(item);
    total += w;
  }
  if (run.length > 0) out.push(run);
  return out;
}
