// Fixture workspaces for the extension-host tests. The runner opens a real git repository
// made from test/fixtures/workspace/kiro-billing (spec and code committed, the `change/`
// overlay left uncommitted); tests change it with real files and git, and call
// resetWorkspace() to return to that state. createFixtureRepo() makes further repositories
// (not opened in the window) in temp folders.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { cp, mkdir, realpath, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { makeRepo, type TestRepo } from '../unit/helpers/gitRepo';

/** The repository root (this file runs from out/integration/). */
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test/fixtures/workspace');
export const DEFAULT_FIXTURE = 'kiro-billing';
/** Ref holding the fixture's baseline commit (set by test/vscode/fixtureWorkspace.mjs). */
export const BASE_REF = 'refs/specgate-test/base';
/** Files the fixture's `change/` overlay modifies, and how the spec classifies them. */
export const FIXTURE_CHANGE = {
  inScope: 'src/billing/retry.ts',
  outOfScope: 'src/auth/session.ts',
  /** 1-based line of the out-of-scope edit in src/auth/session.ts. */
  outOfScopeLine: 4,
  specId: '.kiro/specs/billing-retry',
} as const;

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
}

/** Runs git in `cwd` (argument array, no shell); resolves with stdout. */
export function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} in ${cwd} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Absolute path of the first workspace folder (the fixture repository). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the runner must open the fixture workspace');
  return folder.uri.fsPath;
}

export function workspaceUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

/** Copies test/fixtures/workspace/<fixture>/change over `root` (the uncommitted work). */
export async function applyChange(root: string, fixture = DEFAULT_FIXTURE): Promise<void> {
  const src = path.join(FIXTURES_DIR, fixture, 'change');
  if (existsSync(src)) await cp(src, root, { recursive: true });
}

/**
 * Returns the opened fixture repository to its start state: the baseline commit checked out,
 * untracked files (bundles under .specgate/ too) removed, then (by default) the change
 * overlay applied again. Refuses to run anywhere but a fixture repository.
 */
export async function resetWorkspace(o: { applyChange?: boolean; fixture?: string } = {}): Promise<void> {
  const root = workspaceRoot();
  const top = (await git(root, 'rev-parse', '--show-toplevel')).trim();
  if ((await realpath(top)) !== (await realpath(root))) {
    throw new Error(`refusing to reset ${root}: it is not the root of its own git repository (${top})`);
  }
  const base = (await git(root, 'rev-parse', '--verify', '--end-of-options', `${BASE_REF}^{commit}`)).trim();
  await git(root, 'reset', '-q', '--hard', base);
  await git(root, 'clean', '-q', '-f', '-d', '-x');
  if (o.applyChange !== false) await applyChange(root, o.fixture);
}

/** Writes a workspace file through the file system (as a shell command or git would). */
export async function writeWorkspaceFile(rel: string, text: string): Promise<vscode.Uri> {
  const abs = path.join(workspaceRoot(), rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, text);
  return vscode.Uri.file(abs);
}

/** Opens a workspace file in an editor and resolves once it is the active editor. */
export async function openWorkspaceFile(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * A new repository in a temp folder holding the fixture: `base/` committed (and its commit
 * kept under BASE_REF), then `change/` applied unless `applyChange` is false.
 * Call `cleanup()` when done.
 */
export async function createFixtureRepo(o: { fixture?: string; applyChange?: boolean } = {}): Promise<TestRepo> {
  const fixture = o.fixture ?? DEFAULT_FIXTURE;
  const repo = await makeRepo();
  await cp(path.join(FIXTURES_DIR, fixture, 'base'), repo.root, { recursive: true });
  const base = await repo.commit('fixture baseline');
  await repo.git('update-ref', BASE_REF, base);
  if (o.applyChange !== false) await applyChange(repo.root, fixture);
  return repo;
}

/**
 * Polls `probe` every 100 ms until it returns a value other than undefined/false/null, and
 * resolves with it; rejects after `timeoutMs` naming `what` and the last value seen.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last !== undefined && last !== null && last !== false) return last as T;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `command` with no argument, as the palette does, accepts the first row of the quick
 * pick it opens (the real one: the workbench's accept command, until the command returns),
 * and resolves with what the command returned.
 */
export async function acceptFirstPick<T>(command: string): Promise<T> {
  let done = false;
  const run = Promise.resolve(vscode.commands.executeCommand<T>(command)).finally(() => (done = true));
  await waitFor(`the first row of ${command}'s quick pick accepted`, async () => {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 100));
    return done;
  });
  return run;
}
