// Picks the spec a command works on: `--spec` (an id or a name, else one that matches it
// loosely: in any case, a spec-kit folder's number or its name without the number), else the
// spec whose folder the command runs in, else the only spec, else the one the branch names (as
// a whole part of it); otherwise a usage error that lists the candidates. Archived OpenSpec
// changes are chosen only by name or folder.
import { NoSpecChosen, UsageError } from '../model';
import { someOf } from '../render/text';

const LAYOUTS = '.kiro/specs/<name>/, specs/NNN-name/ (or .specify/specs/NNN-name/), openspec/changes/<id>/ or a markdown file with `scope:` front matter';

/** Ids a message lists before it says how many more there are. */
const LISTED = 8;

/** An archived OpenSpec change (`openspec/changes/archive/…`): chosen only by name, never as the only spec or by the branch. */
export function isArchivedChange(id: string): boolean {
  return /(^|\/)openspec\/changes\/archive\//.test(id);
}

/** A spec-kit folder's number and its name after it (`specs/012-billing`: 012, billing). */
function specKitParts(s: { id: string; name: string }): { number: string; rest: string } | undefined {
  if (!/^(?:\.specify\/)?specs\/\d{3,}-[^/]+$/.test(s.id)) return undefined;
  const m = /^(\d{3,})-(.+)$/.exec(s.name);
  return m ? { number: m[1]!, rest: m[2]! } : undefined;
}

/** `a, b, c and 4 more`: at most LISTED ids, so 400 specs make a line, not a page. */
function listed(xs: readonly { id: string }[]): string {
  return someOf(xs.map((s) => s.id), LISTED) + (xs.length > LISTED ? ' (specgate specs lists them)' : '');
}

/** A spec that is one markdown file (front matter), not a folder. */
function isFileSpec(id: string): boolean {
  return /\.(?:md|markdown)$/i.test(id);
}

/**
 * The spec whose folder the command runs in (`here`: that folder from the repository's root,
 * `/`-separated): a spec folder or a folder inside it; else the nearest folder on the way up
 * that holds one-file specs, when it holds a single one (`packages/ui/src` for
 * packages/ui/SPEC.md; none in a folder of several). The root names none: a spec file there
 * would otherwise outrank the branch everywhere.
 */
export function specOfFolder<T extends { id: string }>(specs: readonly T[], here: string | undefined): T | undefined {
  if (!here) return undefined;
  const inside = specs.filter((s) => !isFileSpec(s.id) && (here === s.id || here.startsWith(`${s.id}/`)));
  if (inside.length > 0) return inside.reduce((a, b) => (b.id.length > a.id.length ? b : a));
  const folderOf = (id: string) => id.slice(0, Math.max(0, id.lastIndexOf('/')));
  for (let dir = here; dir !== ''; dir = folderOf(dir)) {
    const files = specs.filter((s) => isFileSpec(s.id) && folderOf(s.id) === dir);
    if (files.length > 0) return files.length === 1 ? files[0] : undefined;
  }
  return undefined;
}

export function resolveSpec<T extends { id: string; name: string }>(specs: readonly T[], arg: string | undefined, branch: string | undefined, here?: string): T {
  if (specs.length === 0) throw new UsageError(`no spec found in this repository (SpecGate reads ${LAYOUTS}); write one there, or make one with SpecGate: New Spec in VS Code`);
  if (arg !== undefined && arg.trim() !== '') return byArgument(specs, arg);
  const active = specs.filter((s) => !isArchivedChange(s.id));
  const pool = active.length ? active : specs;
  const hits = branch ? branchHits(pool, branch) : [];
  const longest = Math.max(0, ...hits.map((h) => h.key.length));
  const best = hits.filter((h) => h.key.length === longest);
  // The longest name wins only over names inside it (`auth` in `auth-v2`, the Kiro spec
  // `cache` in spec-kit's `025-cache-v2`): a branch that names two unrelated specs
  // (`auth-cache-split`) picks neither.
  const named = best.length === 1 && hits.every((h) => best[0]!.key.includes(h.key)) ? best[0]!.spec : undefined;
  const mine = specOfFolder(specs, here);
  if (mine) {
    // Run from one spec's folder on a branch that names another: which was meant is not clear.
    if (named && named !== mine) {
      throw new NoSpecChosen(`no spec given; the current folder is in ${mine.id}, but the branch name ${branch} names ${named.id}; pass --spec`, [mine.id, named.id]);
    }
    return mine;
  }
  if (pool.length === 1) return pool[0];
  if (named) return named;
  if (hits.length > 1) {
    throw new NoSpecChosen(`no spec given, and the branch name ${branch} names ${hits.length} specs: ${listed(hits.map((h) => h.spec))}; pass --spec`, hits.map((h) => h.spec.id));
  }
  const archived = specs.length - pool.length;
  const left = archived > 0 ? ` (and ${archived} archived ${archived === 1 ? 'change' : 'changes'}, chosen only by name)` : '';
  throw new NoSpecChosen(`no spec given and ${pool.length} specs found${left}: ${listed(pool)}; pass --spec`, pool.map((s) => s.id));
}

/**
 * `--spec`: an id or a name as written; else, when exactly one spec answers to it, a name in
 * another case, a spec-kit folder's number (`012`) or its name without the number
 * (`billing`). Several that answer are named, and none is picked.
 */
function byArgument<T extends { id: string; name: string }>(specs: readonly T[], arg: string): T {
  const want = arg.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  const exact = specs.find((s) => s.id === want);
  if (exact) return exact;
  const named = specs.filter((s) => s.name === want);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new UsageError(`--spec ${arg} matches ${named.length} specs: ${listed(named)}; pass the full id`);
  const lower = want.toLowerCase();
  const loose = specs.filter((s) => {
    const kit = specKitParts(s);
    return s.id.toLowerCase() === lower || s.name.toLowerCase() === lower || kit?.number === want || kit?.rest.toLowerCase() === lower;
  });
  if (loose.length === 1) return loose[0];
  if (loose.length > 1) throw new UsageError(`--spec ${arg} matches ${loose.length} specs: ${listed(loose)}; pass the full id`);
  throw new UsageError(`no spec ${arg}; specs found: ${listed(specs)}`);
}

/**
 * The specs the branch names, each with the longest of its names that stands in the branch:
 * its folder name; for a spec-kit folder also that name without its number (`cache-v2` of
 * `025-cache-v2`), and its number where a part of the branch starts with it (`012-fix`, as
 * spec-kit's own scripts find a feature's folder).
 */
function branchHits<T extends { id: string; name: string }>(specs: readonly T[], branch: string): { spec: T; key: string }[] {
  const b = branch.toLowerCase();
  const parts = b.split('/');
  const hits: { spec: T; key: string }[] = [];
  for (const spec of specs) {
    const kit = specKitParts(spec);
    const keys = [spec.name.toLowerCase(), kit?.rest.toLowerCase()].filter((k): k is string => !!k && namesSegment(b, k));
    if (kit && parts.some((p) => p === kit.number || p.startsWith(`${kit.number}-`))) keys.push(kit.number);
    if (keys.length > 0) hits.push({ spec, key: keys.reduce((x, y) => (y.length > x.length ? y : x)) });
  }
  return hits;
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
