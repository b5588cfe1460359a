// Whether a path lies in a folder, path by path: `/a/repo` holds neither `/a/repo-2` nor
// `/b`, and does hold a folder named `..x`.
import * as path from 'node:path';

/** `p` relative to `dir` ('' for `dir` itself), or undefined when `p` lies outside `dir`. */
export function relativeWithin(dir: string, p: string): string | undefined {
  const rel = path.relative(dir, p);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? undefined : rel;
}

/** Whether `p` is `dir` or lies inside it. */
export function isWithin(dir: string, p: string): boolean {
  return relativeWithin(dir, p) !== undefined;
}
