// Builds the bundled example (examples/) into a real git repository: the baseline commit,
// then, optionally, the assistant's change left uncommitted in the working tree. Used by
// `npm run demo`, the unit test of the demo and the VS Code test tiers.
//
// examples/billing-service/         the service as committed, with its Kiro spec
// examples/billing-service.change/  the files as the assistant left them, plus DELETED
//                                   (one repo-relative path per line: files it deleted)
// examples/specs-alt/<layout>/      the same spec as spec-kit or OpenSpec (replaces .kiro/)
// examples/specs-alt/<layout>.change/  that spec's tasks.md as the assistant ticked it
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

/** Spec id (folder relative to the repo root) of the example spec in each layout. */
export const EXAMPLE_SPEC_IDS = {
  kiro: '.kiro/specs/billing-retry',
  speckit: 'specs/001-billing-retry',
  openspec: 'openspec/changes/add-billing-retry',
};

/** Task the assistant ticked done without touching its file, per layout. */
const UNCHANGED_TASK = { kiro: '4', speckit: 'T007', openspec: '3.1' };

/**
 * The findings the example exists to show, per layout: every one must appear in
 * `specgate check` of the changed example (other findings may appear too).
 */
export function expectedExampleFindings(layout) {
  return [
    { kind: 'out-of-scope', path: 'src/auth/session.ts' },
    { kind: 'change-without-task', path: 'src/billing/config.ts' },
    { kind: 'protected-path', path: 'infra/main.tf' },
    { kind: 'mass-rewrite', path: 'infra/main.tf' },
    { kind: 'excluded-path', path: 'infra/main.tf' },
    { kind: 'removed-export', path: 'src/billing/retry.ts' },
    { kind: 'file-deleted', path: 'test/auth.test.ts' },
    { kind: 'task-done-without-change', task: UNCHANGED_TASK[layout] },
  ];
}

const IDENTITY = ['-c', 'user.name=SpecGate Demo', '-c', 'user.email=demo@specgate.invalid'];
const FIXED_DATE = '2026-03-10T09:00:00Z';

/** Git without the machine's system or global config, so it behaves the same everywhere. */
function gitEnv() {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: process.platform === 'win32' ? 'NUL' : '/dev/null',
    GIT_AUTHOR_DATE: FIXED_DATE,
    GIT_COMMITTER_DATE: FIXED_DATE,
  };
}

function git(cwd, args) {
  return execFileSync('git', [...IDENTITY, '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
    cwd,
    env: gitEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Copies `from` into `to`, skipping the change tree's DELETED list and, if asked, `.kiro/`. */
function copyTree(from, to, { skipKiro }) {
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(from.length).replace(/^[\\/]/, '');
      if (rel === 'DELETED') return false;
      if (skipKiro && (rel === '.kiro' || rel.startsWith(`.kiro${sep}`))) return false;
      return true;
    },
  });
}

/** Paths listed in a change tree's DELETED file (blank lines and `#` comments ignored). */
export function readDeletedList(changeDir) {
  const file = join(changeDir, 'DELETED');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const n = normalize(l);
      if (isAbsolute(n) || n === '..' || n.startsWith(`..${sep}`)) throw new Error(`DELETED: not a path inside the repository: ${l}`);
      return n;
    });
}

function applyChangeTree(changeDir, root, opts) {
  for (const rel of readDeletedList(changeDir)) rmSync(join(root, rel), { force: true, recursive: true });
  copyTree(changeDir, root, opts);
}

/**
 * Makes `dir` (created if missing; must be empty if it exists) a git repository holding the
 * example service with its spec in `layout`, committed on branch `main` then checked out
 * as `feature/billing-retry`. With `applyChange`, the assistant's change is then written
 * to the working tree, uncommitted: files edited, `infra/main.tf` deleted and written
 * anew, `test/auth.test.ts` deleted, the spec's tasks ticked.
 *
 * @param {string} dir
 * @param {{ layout?: 'kiro' | 'speckit' | 'openspec', applyChange?: boolean }} [options]
 * @returns {{ root: string, layout: 'kiro' | 'speckit' | 'openspec', specId: string, baseCommit: string }}
 */
export function createExampleRepo(dir, { layout = 'kiro', applyChange = true } = {}) {
  if (!(layout in EXAMPLE_SPEC_IDS)) throw new Error(`unknown layout ${layout}: use kiro, speckit or openspec`);
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  if (readdirSync(root).length > 0) throw new Error(`${root} is not empty`);

  const skipKiro = layout !== 'kiro';
  copyTree(join(EXAMPLES_DIR, 'billing-service'), root, { skipKiro });
  if (skipKiro) copyTree(join(EXAMPLES_DIR, 'specs-alt', layout), root, { skipKiro });

  git(root, ['-c', 'init.defaultBranch=main', 'init', '-q']);
  git(root, ['add', '--all', '--', '.']);
  git(root, ['commit', '-q', '--no-verify', '-m', 'billing-service 1.4.0 with the billing-retry spec']);
  git(root, ['checkout', '-q', '-b', 'feature/billing-retry']);
  const baseCommit = git(root, ['rev-parse', 'HEAD']).trim();

  if (applyChange) {
    applyChangeTree(join(EXAMPLES_DIR, 'billing-service.change'), root, { skipKiro });
    if (skipKiro) applyChangeTree(join(EXAMPLES_DIR, 'specs-alt', `${layout}.change`), root, { skipKiro });
  }
  return { root, layout, specId: EXAMPLE_SPEC_IDS[layout], baseCommit };
}

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/cli.js is missing or older than anything under src/ or package.json. */
export function cliIsStale() {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return true;
  const built = statSync(cli).mtimeMs;
  return newestMtime(join(REPO_ROOT, 'src')) > built || statSync(join(REPO_ROOT, 'package.json')).mtimeMs > built;
}

/** Runs the build when the CLI bundle is stale; returns true when it built. */
export function ensureBuilt() {
  if (!cliIsStale()) return false;
  execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  return true;
}
