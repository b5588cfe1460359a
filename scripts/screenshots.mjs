// Takes the README's screenshots (docs/images/sidebar.png, codelens.png, review-panel.png)
// of SpecGate on the bundled example, in a real VS Code (code-server) driven by headless
// chromium: the same machinery as the UI test tier (test/vscode, test/e2e/workbench.mjs).
// Needs `npm run setup:vscode-test` once.
//   node scripts/screenshots.mjs [--out DIR]     (default docs/images)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createExampleRepo, REPO_ROOT } from './demo-lib.mjs';
import { isolateProcessEnv, makeRunDir, resultsDir } from '../test/vscode/paths.mjs';
import { remoteUri, startCodeServer } from '../test/vscode/codeServer.mjs';
import { launchChromium } from '../test/vscode/browser.mjs';
import {
  openFromExplorer, openViewContainer, runCommand, viewPane, viewRows, waitForViewHeader, waitForWorkbench, waitUntil,
} from '../test/e2e/workbench.mjs';

const i = process.argv.indexOf('--out');
const outDir = path.resolve(i >= 0 ? process.argv[i + 1] : path.join(REPO_ROOT, 'docs/images'));

function build() {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/build.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

async function expandRow(page, view, label) {
  const row = viewPane(page, view).locator('.pane-body .monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ timeout: 15000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

async function main() {
  isolateProcessEnv();
  build();
  mkdirSync(outDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  const runDir = makeRunDir('shots');
  const { root } = createExampleRepo(path.join(runDir, 'ws', 'billing-service'), { layout: 'kiro', applyChange: true });
  let server;
  let browser;
  try {
    server = await startCodeServer({
      runDir,
      folder: root,
      extensionsDir: path.join(runDir, 'extensions'),
      logFile: path.join(resultsDir, 'screenshots-code-server.log'),
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const payload = JSON.stringify([['extensionDevelopmentPath', remoteUri(server, REPO_ROOT)]]);
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(root)}&payload=${encodeURIComponent(payload)}`);
    await waitForWorkbench(page);

    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
    await waitUntil(page, 'session.ts in the Changes view', async () => (await viewRows(page, 'Changes')).some((r) => r.includes('session.ts')), 60000);
    await expandRow(page, 'Specs', 'Tasks');
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(outDir, 'sidebar.png') });
    console.log(`saved ${path.join(outDir, 'sidebar.png')}`);

    await openFromExplorer(page, 'src/auth/session.ts');
    const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration').filter({ hasText: /scope/i }).first();
    await waitUntil(page, 'a code lens about scope in src/auth/session.ts', () => lens.isVisible(), 60000);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(outDir, 'codelens.png') });
    console.log(`saved ${path.join(outDir, 'codelens.png')}`);

    await runCommand(page, 'SpecGate: Export Review Bundle');
    const open = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open Packet' }).first();
    await waitUntil(page, 'the "Open Packet" button of the export notification', () => open.isVisible(), 60000);
    await open.click();
    const body = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
    await waitUntil(page, 'the review panel', async () => (await body.innerText({ timeout: 1000 }).catch(() => '')).includes('infra/main.tf'), 60000);
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(2000);
    await page.screenshot({ path: path.join(outDir, 'review-panel.png') });
    console.log(`saved ${path.join(outDir, 'review-panel.png')}`);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`screenshots: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
