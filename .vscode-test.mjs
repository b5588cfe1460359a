// @vscode/test-cli configuration: runs the same compiled integration tests in a desktop VS Code
// that @vscode/test-electron downloads: out/integration/*.test.js in the fixture repository,
// out/integration/folders/*.test.js in the multi-root workspace of test/vscode/foldersWorkspace.mjs.
// For machines that can reach update.code.visualstudio.com; on machines that cannot, the
// code-server runner (test/vscode/runIntegration.mjs) runs the same files. Build first:
//   npm run build && node scripts/build-tests.mjs && npx vscode-test   (npm run test:electron)
import { defineConfig } from '@vscode/test-cli';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFixtureWorkspace } from './test/vscode/fixtureWorkspace.mjs';
import { createFoldersWorkspace } from './test/vscode/foldersWorkspace.mjs';

const parent = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'specgate-ws-')));
const { root: workspaceFolder } = createFixtureWorkspace(parent);
const foldersWorkspace = createFoldersWorkspace(path.join(parent, 'folders'));
process.on('exit', () => rmSync(parent, { recursive: true, force: true }));

const common = {
  version: process.env.SPECGATE_VSCODE_VERSION || '1.100.3',
  extensionDevelopmentPath: '.',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  env: {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CEILING_DIRECTORIES: parent,
    SPECGATE_TEST_RUN_DIR: parent,
  },
  mocha: { ui: 'bdd', timeout: 30000 },
};

export default defineConfig([
  { ...common, label: 'integration', files: 'out/integration/*.test.js', workspaceFolder },
  { ...common, label: 'folders', files: 'out/integration/folders/*.test.js', workspaceFolder: foldersWorkspace },
]);
