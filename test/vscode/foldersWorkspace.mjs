// A multi-root workspace whose folders stand in each awkward relation to git that a user can
// open (test/integration/folders/ and test/e2e/folders.e2e.mjs run in it):
//   billing-service  a repository (the kiro-billing fixture, its change uncommitted)
//   auth             billing-service/src/auth: a folder nested in that same repository
//   linked           a symbolic link to another copy of the fixture repository (real/linked-service)
//   notes            a spec but no git repository
//   proj             outer/build/proj: inside the repository `outer`, in a part its .gitignore
//                    ignores; it holds a spec of its own (docs/specs/proj-notes.md)
// `outer` itself (the fixture with its change, plus `build/` ignored) is not a workspace folder.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace, fixturesRoot } from './fixtureWorkspace.mjs';

export const FOLDERS = {
  repo: { name: 'billing-service', path: 'billing-service' },
  nested: { name: 'auth', path: 'billing-service/src/auth' },
  linked: { name: 'linked', path: 'linked' },
  noGit: { name: 'notes', path: 'notes' },
  ignored: { name: 'proj', path: 'outer/build/proj' },
};

export const PROJ_SPEC_ID = 'docs/specs/proj-notes.md';
const PROJ_SPEC = ['---', 'scope:', '  - src/**', '---', '', '# Build notes', '', '- [ ] Write `src/build.ts`', ''].join('\n');

function git(cwd, args) {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Creates the folders under `dir` and the `.code-workspace` file listing them (in the order
 * of FOLDERS); returns the workspace file's path.
 * @param {string} dir
 * @param {{ folders?: (keyof typeof FOLDERS)[] }} [o] which folders the workspace lists (default: all)
 */
export function createFoldersWorkspace(dir, o = {}) {
  mkdirSync(dir, { recursive: true });
  createFixtureWorkspace(dir, { folderName: 'billing-service' });
  createFixtureWorkspace(path.join(dir, 'real'), { folderName: 'linked-service' });
  symlinkSync(path.join(dir, 'real', 'linked-service'), path.join(dir, 'linked'), 'dir');
  cpSync(path.join(fixturesRoot, 'kiro-billing', 'base'), path.join(dir, 'notes'), { recursive: true });
  const outer = createFixtureWorkspace(dir, { folderName: 'outer', applyChange: false }).root;
  writeFileSync(path.join(outer, '.gitignore'), 'build/\n');
  git(outer, ['add', '.gitignore']);
  git(outer, ['commit', '-q', '-m', 'ignore build output']);
  cpSync(path.join(fixturesRoot, 'kiro-billing', 'change'), outer, { recursive: true });
  // proj's own spec (git ignores it), unlike the repository's Kiro spec.
  mkdirSync(path.join(outer, 'build', 'proj', 'docs', 'specs'), { recursive: true });
  writeFileSync(path.join(outer, 'build', 'proj', 'docs', 'specs', 'proj-notes.md'), PROJ_SPEC);
  const keys = o.folders ?? Object.keys(FOLDERS);
  const file = path.join(dir, 'folders.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: keys.map((k) => ({ name: FOLDERS[k].name, path: FOLDERS[k].path })) }, null, 2));
  return file;
}
