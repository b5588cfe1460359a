// Few pathspecs for many paths. Git matches every file it walks against every pathspec it
// is given, so naming 10,000 new files one by one makes `git add -N` and `git diff` take
// seconds. A folder can stand for its files when git would find nothing else under it.

/** The folders a repo-relative path lies in, innermost last (`a/b/c` gives `a`, `a/b`). */
function foldersOf(p: string): string[] {
  const out: string[] = [];
  for (let at = p.indexOf('/'); at > 0; at = p.indexOf('/', at + 1)) out.push(p.slice(0, at));
  return out;
}

/**
 * Literal pathspecs that select exactly the `wanted` paths among `universe` (every path the
 * git command would otherwise see): the outermost folder holding no path of `universe` that
 * is not wanted stands for all of its files; a path with no such folder stands for itself.
 * Sorted, each once. `universe` need not hold the wanted paths themselves.
 */
export function coveringPathspecs(wanted: Iterable<string>, universe: Iterable<string>): string[] {
  const want = new Set(wanted);
  // Folders that hold a path the command must not see: they cannot stand for their files.
  const blocked = new Set<string>();
  for (const p of universe) {
    if (want.has(p)) continue;
    for (const dir of foldersOf(p)) blocked.add(dir);
  }
  // Each wanted path takes its outermost free folder. The folders around that one are
  // blocked, so every wanted path inside it takes the same one: no chosen pathspec lies
  // inside another.
  const out = new Set<string>();
  for (const p of want) out.add(foldersOf(p).find((dir) => !blocked.has(dir)) ?? p);
  return [...out].sort();
}
