// Collects scope globs with where each came from (first occurrence per glob, list and
// origin), turning named paths into globs on the way.
import type { Scope, ScopeSource, SourceRange } from '../model';
import { toScopeGlobs } from './paths';

export class ScopeCollector {
  readonly scope: Scope = { include: [], exclude: [], protected: [] };
  readonly sources: ScopeSource[] = [];
  private readonly seen = new Set<string>();
  private readonly listed = new Set<string>();

  /** Adds a path as named in prose, a task or a tree (converted to globs). */
  addPath(path: string, list: keyof Scope, origin: ScopeSource['origin'], range?: SourceRange, bare = false, rooted = false): string[] {
    const globs = toScopeGlobs(path, bare, rooted);
    for (const g of globs) this.addGlob(g, list, origin, range);
    return globs;
  }

  /** Adds a glob as written (front matter); a plain folder also covers what is under it. */
  addGlob(glob: string, list: keyof Scope, origin: ScopeSource['origin'], range?: SourceRange): void {
    const key = `${list}\0${origin}\0${glob}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (!this.listed.has(`${list}\0${glob}`)) {
      this.listed.add(`${list}\0${glob}`);
      this.scope[list].push(glob);
    }
    const source: ScopeSource = { glob, list, origin };
    if (range) source.range = range;
    this.sources.push(source);
  }
}

export function lineRange(file: string, line: number, endLine = line): SourceRange {
  return { file, startLine: line, endLine };
}
