// Which manifest a lockfile is written from (`package-lock.json` from `package.json`): a
// lockfile that changes with its manifest is part of the manifest's change, so it takes the
// manifest's scope and tasks instead of reading as an edit nobody asked for.

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

/**
 * The manifest among `changed` that the lockfile at `path` is written from: in its own folder.
 * None for a path that is no lockfile, or when that manifest did not change (a lockfile changed
 * alone is its own change). Not a manifest further down (a workspace's package, or any
 * `package.json` under the lockfile, a test fixture's too): a one-character edit there would
 * carry a root lockfile's whole change.
 */
export function manifestsOf(path: string, changed: readonly string[]): string[] {
  const slash = path.lastIndexOf('/');
  const names = MANIFESTS.get(path.slice(slash + 1));
  if (!names) return [];
  const folder = path.slice(0, slash + 1);
  return changed.filter((p) => p.lastIndexOf('/') === slash && p.startsWith(folder) && names.includes(p.slice(slash + 1)));
}
