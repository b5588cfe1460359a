// Multi-root workspaces as people make them: two folders of one name (front/svc and back/svc,
// two repositories), and one of them opened a second time through a symbolic link. The views
// show a node per folder, told apart by where each sits; the status bar speaks for the folder
// of the file in front, and names it; a file opened through the link has its diagnostics.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { closeQuickInput, openViewContainer, viewRows, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'multi-root: two folders of one name, and one repository opened twice';
export const extension = 'development';

const OUT = 'src/auth/session.ts';

export function createWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  // front's change is in scope (its out-of-scope edit undone); back keeps the out-of-scope edit.
  const front = createFixtureWorkspace(path.join(dir, 'front'), { folderName: 'svc' }).root;
  execFileSync('git', ['checkout', '-q', '--', OUT], { cwd: front });
  createFixtureWorkspace(path.join(dir, 'back'), { folderName: 'svc' });
  symlinkSync(path.join(dir, 'back', 'svc'), path.join(dir, 'svc-link'));
  const file = path.join(dir, 'services.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'front/svc' }, { path: 'back/svc' }, { path: 'svc-link' }], settings: { 'files.autoSave': 'off' } }, null, 2));
  return file;
}

/** The SpecGate status bar item's text. */
async function specGateStatus(page) {
  const items = await page.locator('.part.statusbar .statusbar-item').allInnerTexts();
  return items.map((s) => s.replace(/\s+/g, ' ').trim()).find((s) => s.includes('billing-retry')) ?? '(none)';
}

/**
 * Opens a file by its absolute path with Quick Open (Ctrl+P), as a user can. (The folders
 * hold files of one name: the steps tell them apart by what the status bar and tab say.)
 */
async function openPath(page, abs, rowText = path.basename(abs)) {
  await closeQuickInput(page);
  await page.keyboard.press('Control+p');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.type(abs, { delay: 5 });
  // Quick Open lists recently opened files of the same name first: the row is picked by what it says.
  const row = widget.locator('.monaco-list-row').filter({ hasText: path.basename(abs) }).filter({ hasText: rowText }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout: 10000 });
}

export async function run(t) {
  const { page } = t;
  const dir = path.dirname(t.workspace);

  await t.step('the workbench opens the three folders', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Specs');
  }, { critical: true });

  await t.step('the Specs, Changes and Review views show a node per folder, the two named svc told apart', async () => {
    for (const view of ['Specs', 'Changes', 'Review']) {
      let rows = [];
      await waitUntil(page, `"svc (front)" and "svc (back)" in ${view}`, async () => {
        rows = await viewRows(page, view);
        return ['svc (front)', 'svc (back)'].every((n) => rows.some((r) => r.startsWith(n)));
      }, 30000).catch((e) => {
        throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
      });
    }
    await t.shot('folders');
    // back's one error once: the link folder (the same repository) adds none while no file is open through it.
    const problems = page.locator('.part.statusbar .statusbar-item[id="status.problems"]');
    let counts = '';
    await waitUntil(page, 'the Problems count of errors at 1', async () => (counts = (await problems.innerText().catch(() => '')).replace(/\s+/g, ' ').trim()).startsWith('1 '), 20000).catch((e) => {
      throw new Error(`${e.message}; problems: ${counts}`);
    });
  });

  await t.step("the status bar speaks for the folder of the file in front: back's out-of-scope edit, then front's clean change", async () => {
    let status = '';
    await openPath(page, path.join(dir, 'back', 'svc', OUT));
    await waitUntil(page, 'the status bar naming svc (back) with 1 file outside the spec', async () => (status = await specGateStatus(page)) === 'svc (back) › billing-retry 1 outside spec high risk', 20000).catch((e) => {
      throw new Error(`${e.message}; status bar: ${status}`);
    });
    // Another file name than back's (Quick Open would list the session.ts opened a moment ago first, under the same "svc").
    await openPath(page, path.join(dir, 'front', 'svc', 'src/billing/retry.ts'));
    await waitUntil(page, 'the status bar naming svc (front), in scope', async () => /^svc \(front\) › billing-retry in scope/.test((status = await specGateStatus(page))), 20000).catch((e) => {
      throw new Error(`${e.message}; status bar: ${status}`);
    });
    await t.shot('status-front');
  });

  await t.step('the file opened through the link has its error squiggle, and the status bar speaks for the repository', async () => {
    await openPath(page, path.join(dir, 'svc-link', OUT), 'svc-link');
    const tab = page.locator('.tabs-container .tab.active').first();
    await waitUntil(page, 'the active tab naming svc-link', async () => (await tab.innerText().catch(() => '')).includes('svc-link'), 15000);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await waitUntil(page, 'an error squiggle in session.ts opened through svc-link', async () => (await editor.locator('.squiggly-error').count()) > 0, 20000);
    let status = '';
    await waitUntil(page, 'the status bar naming svc (back), whose repository the link shows', async () => (status = await specGateStatus(page)).startsWith('svc (back) › billing-retry 1 outside spec'), 10000).catch((e) => {
      throw new Error(`${e.message}; status bar: ${status}`);
    });
    await t.shot('link-squiggle');
  });
}
