// Picks the spec a command works on: `--spec` (id or unique folder name), else the only
// spec, else the one whose folder name the branch names (as a whole part of it); otherwise a usage error that
// lists the candidates. Archived OpenSpec changes are chosen only by name.
import { NoSpecChosen, UsageError } from '../model';

const LAYOUTS = '.kiro/specs/<name>/, specs/NNN-name/ (or .specify/specs/NNN-name/), openspec/changes/<id>/ or a markdown file with `scope:` front matter';

/** An archived OpenSpec change (`openspec/changes/archive/…`): chosen only by name, never as the only spec or by the branch. */
export function isArchivedChange(id: string): boolean {
  return /(^|\/)openspec\/changes\/archive\//.test(id);
}

export function resolveSpec<T extends { id: string; name: string }>(specs: readonly T[], arg: string | undefined, branch: string | undefined): T {
  if (specs.length === 0) throw new UsageError(`no spec found in this repository (SpecGate reads ${LAYOUTS}); write one there, or make one with SpecGate: New Spec in VS Code`);
  const list = (xs: readonly T[]): string => xs.map((s) => s.id).join(', ');
  if (arg !== undefined && arg.trim() !== '') {
    const want = arg.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    const exact = specs.find((s) => s.id === want);
    if (exact) return exact;
    const named = specs.filter((s) => s.name === want);
    if (named.length === 1) return named[0];
    if (named.length > 1) throw new UsageError(`--spec ${arg} matches ${named.length} specs: ${list(named)}; pass the full id`);
    throw new UsageError(`no spec ${arg}; specs found: ${list(specs)}`);
  }
  const active = specs.filter((s) => !isArchivedChange(s.id));
  const pool = active.length ? active : specs;
  if (pool.length === 1) return pool[0];
  if (branch) {
    const b = branch.toLowerCase();
    const hits = pool.filter((s) => s.name && namesSegment(b, s.name.toLowerCase()));
    const longest = Math.max(0, ...hits.map((s) => s.name.length));
    const best = hits.filter((s) => s.name.length === longest);
    // The longest name wins only over names inside it (`auth` in `auth-v2`): a branch that
    // names two unrelated specs (`auth-cache-split`) picks neither.
    const within = (s: T): boolean => best[0]!.name.toLowerCase().includes(s.name.toLowerCase());
    if (best.length === 1 && hits.every(within)) return best[0]!;
    if (hits.length > 1) {
      throw new NoSpecChosen(`no spec given, and the branch name ${branch} names ${hits.length} specs: ${list(hits)}; pass --spec`, hits.map((s) => s.id));
    }
  }
  throw new NoSpecChosen(`no spec given and ${pool.length} specs found: ${list(pool)}; pass --spec`, pool.map((s) => s.id));
}

/**
 * Whether `name` stands in `branch` as a whole part of it: bounded on each side by the
 * branch's ends or by a character that is no letter or digit (`/`, `-`, `_`, `.`), so the
 * spec `ui` is not named by `fix/build-script`, while `billing-retry` is by
 * `feature/billing-retry-v2`.
 */
function namesSegment(branch: string, name: string): boolean {
  const alnum = /[\p{L}\p{N}]/u;
  for (let at = branch.indexOf(name); at !== -1; at = branch.indexOf(name, at + 1)) {
    const before = at === 0 ? '' : branch[at - 1]!;
    const after = branch[at + name.length] ?? '';
    if (!alnum.test(before) && !alnum.test(after)) return true;
  }
  return false;
}
