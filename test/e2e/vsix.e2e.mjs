// Tier 3: what ships is what is tested. The packaged .vsix is installed into a throwaway
// extensions folder with `code-server --install-extension`, and the installed copy (no
// development path) must activate on the fixture workspace and answer its commands.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installExtension } from '../vscode/codeServer.mjs';
import { buildVsix } from '../vscode/vsix.mjs';
import { openViewContainer, runCommand, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'The packaged .vsix installed into code-server';
export const extension = 'vsix';

const ACTIVATED = /ExtensionService#_doActivateExtension specgate\.specgate\b/;

function extensionHostLogs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /exthost\.log$/.test(f))
    .map((f) => path.join(dir, f));
}

export async function beforeStart(t) {
  let vsix;
  await t.step('packages the extension into a .vsix', () => {
    vsix = buildVsix();
    t.note(`package: ${path.relative(t.repoRoot, vsix)}`);
  }, { critical: true });

  await t.step('code-server --install-extension installs the .vsix', async () => {
    await installExtension(vsix, t.extensionsDir, t.runDir);
    const installed = path.join(t.extensionsDir, `${t.manifest.publisher}.${t.manifest.name}-${t.manifest.version}`, 'package.json');
    if (!existsSync(installed)) {
      throw new Error(`no ${path.relative(t.extensionsDir, installed)} in the extensions folder after installing; found: ${readdirSync(t.extensionsDir).join(', ')}`);
    }
    const files = readdirSync(path.dirname(installed), { recursive: true }).map(String);
    if (!files.includes(path.join('dist', 'extension.js'))) throw new Error(`the installed extension has no dist/extension.js; files: ${files.join(', ')}`);
    // Its README (the Details page) is the user's one, docs/marketplace.md, not the
    // repository's README for SpecGate's developers.
    const readme = readFileSync(path.join(path.dirname(installed), 'readme.md'), 'utf8');
    const expected = readFileSync(path.join(t.repoRoot, 'docs', 'marketplace.md'), 'utf8');
    if (readme !== expected) throw new Error(`the installed readme.md is not docs/marketplace.md; it starts: ${JSON.stringify(readme.slice(0, 200))}`);
  }, { critical: true });
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens the fixture workspace with the installed extension', () => waitForWorkbench(page), { critical: true });

  await t.step('the installed SpecGate activates on the Kiro workspace', async () => {
    const logs = path.join(t.runDir, 'user-data/logs');
    await waitUntil(page, `"_doActivateExtension specgate.specgate" in the extension host log under ${logs}`, () =>
      extensionHostLogs(logs).some((f) => ACTIVATED.test(readFileSync(f, 'utf8'))),
    );
  });

  await t.step('its SpecGate view container shows and "SpecGate: Show Log" runs', async () => {
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Specs');
    await runCommand(page, 'SpecGate: Show Log');
    await waitUntil(page, 'the Output panel showing the SpecGate log', async () =>
      page.locator('.part.panel .monaco-editor .view-lines', { hasText: /SpecGate/ }).first().isVisible(),
    );
  });

  await t.step("the Extensions view opens SpecGate's Details page on the user's README", async () => {
    await runCommand(page, 'Extensions: Show Enabled Extensions');
    const item = page.locator('.extensions-viewlet .extension-list-item', { hasText: 'SpecGate' }).first();
    await waitUntil(page, 'SpecGate in the enabled extensions list', () => item.isVisible());
    await item.click();
    const details = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
    await waitUntil(page, 'the Details page showing "Getting started" and the Settings table', async () => {
      const text = await details.innerText({ timeout: 1000 }).catch(() => '');
      return /Getting started/.test(text) && /specgate\.approve\.keyPath/.test(text) && !/npm ci && npm run demo/.test(text);
    });
  });
}
