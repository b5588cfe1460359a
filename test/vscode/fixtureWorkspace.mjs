// Creates the workspace a test run opens: a real git repository made from a fixture under
// test/fixtures/workspace/<fixture>/ — `base/` committed, then `change/` copied over it as
// the uncommitted work an assistant left behind. The baseline commit is kept under the ref
// refs/specgate-test/base so tests can return to it (test/integration/fixtures.ts).
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

export const fixturesRoot = path.join(repoRoot, 'test/fixtures/workspace');
export const BASE_REF = 'refs/specgate-test/base';

function git(cwd, args) {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * @param {string} parentDir folder that receives the repository
 * @param {{ fixture?: string, folderName?: string, applyChange?: boolean }} [o]
 * @returns {{ root: string, baseCommit: string }}
 */
export function createFixtureWorkspace(parentDir, o = {}) {
  const fixture = o.fixture ?? 'kiro-billing';
  const src = path.join(fixturesRoot, fixture);
  if (!existsSync(path.join(src, 'base'))) throw new Error(`no fixture ${src}/base`);
  const root = path.join(parentDir, o.folderName ?? 'billing-service');
  mkdirSync(root, { recursive: true });
  cpSync(path.join(src, 'base'), root, { recursive: true });
  git(root, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [['user.name', 'Fixture Author'], ['user.email', 'author@example.com'], ['commit.gpgsign', 'false'], ['core.autocrlf', 'false']]) {
    git(root, ['config', k, v]);
  }
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', 'Billing service with the billing-retry spec']);
  const baseCommit = git(root, ['rev-parse', 'HEAD']).trim();
  git(root, ['update-ref', BASE_REF, baseCommit]);
  if (o.applyChange !== false && existsSync(path.join(src, 'change'))) {
    cpSync(path.join(src, 'change'), root, { recursive: true });
  }
  return { root, baseCommit };
}

/**
 * The fixture repository with auto save off (VS Code for the web saves after a delay by
 * default, and these scenarios look at unsaved edits); `.vscode/` is git-ignored.
 * @param {string} parentDir
 * @returns {string} the repository root
 */
export function createFixtureWorkspaceNoAutoSave(parentDir) {
  const { root } = createFixtureWorkspace(parentDir);
  mkdirSync(path.join(root, '.vscode'), { recursive: true });
  writeFileSync(path.join(root, '.vscode/settings.json'), JSON.stringify({ 'files.autoSave': 'off' }));
  appendFileSync(path.join(root, '.git/info/exclude'), '/.vscode/\n');
  return root;
}
