// A pre-commit gate left naming a SpecGate CLI that is gone (the folder of an earlier version
// of the extension, which VS Code removes on update): every commit is refused. After its first
// analysis the extension says so once, and its button installs the gate again with this
// version's CLI; nothing is written before the user asks.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { repoRoot } from '../vscode/paths.mjs';
import { openViewContainer, waitForViewHeader, waitUntil } from './workbench.mjs';

export const title = 'A pre-commit gate naming a SpecGate that is gone: the extension says so once, and installs the gate again when asked';
export const extension = 'development';

const GONE = '/home/dev/.vscode/extensions/specgate.specgate-0.0.9/dist/cli.js';

let hook = '';
let written = '';

export function createWorkspace(dir) {
  const { root } = createFixtureWorkspace(dir);
  // The gate as SpecGate writes it, by the CLI of this checkout, then left naming an earlier
  // version's folder (a hook SpecGate wrote, unedited, for that CLI).
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'hook', 'install', '--cwd', root], { stdio: 'pipe' });
  hook = path.join(root, '.git/hooks/pre-commit');
  const script = readFileSync(hook, 'utf8');
  written = script.replace(/^SPECGATE_CLI='[^']*'$/m, `SPECGATE_CLI='${GONE}'`);
  if (written === script) throw new Error('no SPECGATE_CLI line in the hook');
  writeFileSync(hook, written);
  return root;
}

function toastItems(page) {
  return page.locator('.notifications-toasts .notification-toast');
}

export async function run(t) {
  const { page } = t;
  const message = `SpecGate: the pre-commit gate of ${t.workspace} runs a SpecGate that is gone (${GONE}), so every commit there is refused. Install the gate again with this version?`;
  await t.step('after the first analysis, one warning names the repository and the CLI that is gone; the hook is left as it is', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await openViewContainer(page, 'SpecGate', 60000);
    await waitForViewHeader(page, 'Specs');
    const toast = toastItems(page).filter({ hasText: 'runs a SpecGate that is gone' });
    await waitUntil(page, 'the warning about the gate', async () => (await toast.count()) > 0, 60000);
    const text = (await toast.first().locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
    if (text !== message) throw new Error(`the warning reads: ${text}`);
    if ((await toast.count()) !== 1) throw new Error(`${await toast.count()} warnings about the gate`);
    if (readFileSync(hook, 'utf8') !== written) throw new Error('the hook changed before the user asked');
    await page.waitForTimeout(600); // the toast's fade-in, for the screenshot
    await t.shot('stale-gate-warning');
  });

  await t.step('"Install the Gate Again" writes the hook with this version\'s CLI, and says so', async () => {
    await toastItems(page).filter({ hasText: 'runs a SpecGate that is gone' }).first().locator('.monaco-button', { hasText: 'Install the Gate Again' }).first().click();
    const cli = path.join(repoRoot, 'dist/cli.js');
    await waitUntil(page, 'the hook naming this version\'s CLI', async () => readFileSync(hook, 'utf8').includes(`SPECGATE_CLI='${cli}'`));
    const done = toastItems(page).filter({ hasText: 'pre-commit gate updated' });
    await waitUntil(page, 'the note that the gate was installed again', async () => (await done.count()) > 0);
    const text = (await done.first().locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
    if (text !== `SpecGate: pre-commit gate updated (${hook}). Commits now need a signed approval of the staged change.`) throw new Error(`the note reads: ${text}`);
    if (readFileSync(hook, 'utf8').includes(GONE)) throw new Error('the hook still names the CLI that is gone');
    await page.waitForTimeout(600);
    await t.shot('stale-gate-mended');
  });
}
