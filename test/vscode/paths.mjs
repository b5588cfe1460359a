// Where the real-VS Code test tiers keep their tools and throwaway state (all under the
// git-ignored .vscode-test/), and the environment that keeps code-server, chromium and git
// away from the machine's own configuration.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const testDir = process.env.SPECGATE_VSCODE_TEST_DIR || path.join(repoRoot, '.vscode-test');
export const codeServerBin = path.join(testDir, 'code-server/node_modules/.bin/code-server');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const resultsDir = path.join(repoRoot, 'test-results');
export const tmpRoot = path.join(testDir, 'tmp');

/**
 * Points TMPDIR and XDG_* of this process (and so of chromium and code-server) at folders
 * under .vscode-test/. Call once, before anything reads os.tmpdir().
 */
export function isolateProcessEnv() {
  const xdg = path.join(testDir, 'xdg');
  for (const d of [tmpRoot, `${xdg}/config`, `${xdg}/data`, `${xdg}/cache`]) mkdirSync(d, { recursive: true });
  Object.assign(process.env, {
    TMPDIR: tmpRoot,
    XDG_CONFIG_HOME: `${xdg}/config`,
    XDG_DATA_HOME: `${xdg}/data`,
    XDG_CACHE_HOME: `${xdg}/cache`,
  });
}

/** A fresh folder for one run (user data, extensions, HOME, workspace), under .vscode-test/tmp. */
export function makeRunDir(label) {
  mkdirSync(tmpRoot, { recursive: true });
  return realpathSync(mkdtempSync(path.join(tmpRoot, `${label}-`)));
}
