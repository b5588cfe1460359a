// Which manifest a lockfile is written from (`package-lock.json` from `package.json`): a
// lockfile that changes with its manifest is part of the manifest's change, so it takes the
// manifest's scope and tasks instead of reading as an edit nobody asked for.
import { parse } from 'yaml';
import { compileGlobs } from './scope';

/** Lockfile name -> the manifest names it is written from (a Map: a file named `constructor` is no lockfile). */
const MANIFESTS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  'package-lock.json': ['package.json'],
  'npm-shrinkwrap.json': ['package.json'],
  'yarn.lock': ['package.json'],
  'pnpm-lock.yaml': ['package.json'],
  'bun.lock': ['package.json'],
  'bun.lockb': ['package.json'],
  'deno.lock': ['deno.json', 'deno.jsonc', 'package.json'],
  'Cargo.lock': ['Cargo.toml'],
  'go.sum': ['go.mod'],
  'poetry.lock': ['pyproject.toml'],
  'uv.lock': ['pyproject.toml'],
  'pdm.lock': ['pyproject.toml'],
  'Pipfile.lock': ['Pipfile'],
  'Gemfile.lock': ['Gemfile', 'gems.rb'],
  'composer.lock': ['composer.json'],
  'mix.lock': ['mix.exs'],
  'pubspec.lock': ['pubspec.yaml'],
  'Podfile.lock': ['Podfile'],
  'Package.resolved': ['Package.swift'],
  'flake.lock': ['flake.nix'],
}));

/** Whether the path is a lockfile SpecGate knows the manifest of. */
export function isLockfile(path: string): boolean {
  return MANIFESTS.has(path.slice(path.lastIndexOf('/') + 1));
}

/** Whether the path is a lockfile written from a `package.json` (npm, yarn, pnpm, bun, deno): one that workspaces and registry configs concern. */
export function isPackageJsonLockfile(path: string): boolean {
  return MANIFESTS.get(path.slice(path.lastIndexOf('/') + 1))?.includes('package.json') ?? false;
}

/**
 * The manifests among `changed` that the lockfile at `path` is written from: the one in its own
 * folder, and those of the workspace members the base declares beside it. None for a path that
 * is no lockfile, or when no such manifest changed (a lockfile changed alone is its own
 * change). Not any other manifest further down (a test fixture's `package.json`): a
 * one-character edit there would carry a root lockfile's whole change.
 */
export function manifestsOf(path: string, changed: readonly string[], workspaces?: Workspaces): string[] {
  const slash = path.lastIndexOf('/');
  const names = MANIFESTS.get(path.slice(slash + 1));
  if (!names) return [];
  const folder = path.slice(0, slash + 1);
  // The workspace members the base declares beside the lockfile (npm, yarn, pnpm), as globs of folders.
  const globs = isPackageJsonLockfile(path) ? workspaces?.get(folder) : undefined;
  const members = globs && globs.length > 0 ? compileGlobs(globs.map((g) => folder + g.replace(/^\.\//, '').replace(/\/+$/, ''))) : undefined;
  return changed.filter((p) => {
    if (!p.startsWith(folder) || !names.includes(p.slice(p.lastIndexOf('/') + 1))) return false;
    return p.lastIndexOf('/') === slash || (members !== undefined && p.endsWith('/package.json') && members.test(p.slice(0, p.lastIndexOf('/'))));
  });
}

/**
 * The workspace members each lockfile folder declares at the base (`packages/*` from
 * `"workspaces"` in its package.json, or `packages:` in pnpm-workspace.yaml), keyed by the
 * folder with its trailing slash (`''` for the root). Read from the base, not the change: a
 * member the change itself declares carries nothing yet.
 */
export type Workspaces = ReadonlyMap<string, readonly string[]>;

/** The member globs of a package.json text (`"workspaces": [...]` or `{ "packages": [...] }`). */
export function packageJsonWorkspaces(text: string): string[] {
  try {
    const json = JSON.parse(text) as { workspaces?: unknown };
    const w = json && typeof json === 'object' ? json.workspaces : undefined;
    const list = Array.isArray(w) ? w : w && typeof w === 'object' && Array.isArray((w as { packages?: unknown }).packages) ? (w as { packages: unknown[] }).packages : [];
    return list.filter((g): g is string => typeof g === 'string' && !g.startsWith('!'));
  } catch {
    return [];
  }
}

/** The member globs of a pnpm-workspace.yaml text (`packages:` list). */
export function pnpmWorkspaces(text: string): string[] {
  try {
    const doc = parse(text) as { packages?: unknown } | null;
    return Array.isArray(doc?.packages) ? doc.packages.filter((g): g is string => typeof g === 'string' && !g.startsWith('!')) : [];
  } catch {
    return [];
  }
}
