// Export Review Bundle with an unsaved edit: the export asks first. "Save All and Export"
// whose save fails (the file on disk became a folder) exports nothing and says which file
// could not be saved; once the save works, the bundle holds the edit the user saw.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspaceNoAutoSave } from '../vscode/fixtureWorkspace.mjs';
import { errorToasts, openViewContainer, reviewBundles, runCommand, waitForViewHeader, waitForWorkbench, waitUntil, typeUnsavedEdit, expectBundleWithSavedEdit } from './workbench.mjs';

export const createWorkspace = createFixtureWorkspaceNoAutoSave;

export const title = 'Export Review Bundle with unsaved edits: a failed save exports nothing; a saved one is in the bundle';
export const extension = 'development';

const FILE = 'src/auth/session.ts';
const EDIT = '// an edit not yet saved';

async function answer(page, button) {
  const b = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: button }).first();
  await waitUntil(page, `the unsaved-files question with "${button}"`, () => b.isVisible());
  await b.click();
}

async function clearToasts(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitUntil(page, 'no notification left', async () => (await page.locator('.notifications-toasts .notification-toast').count()) === 0, 5000);
}

export async function run(t) {
  const { page } = t;
  const abs = path.join(t.workspace, FILE);
  let original = '';

  await t.step('the workbench opens, and an edit to src/auth/session.ts is left unsaved', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Review');
    original = readFileSync(abs, 'utf8');
    await typeUnsavedEdit(page, FILE, EDIT);
  }, { critical: true });

  await t.step('"Save All and Export" whose save fails exports nothing, and says which file was not saved', async () => {
    rmSync(abs);
    mkdirSync(abs);
    await runCommand(page, 'SpecGate: Export Review Bundle');
    await answer(page, 'Save All and Export');
    const expected = `SpecGate: 1 file(s) could not be saved (${FILE}); nothing was exported.`;
    let seen = [];
    // VS Code's own "Failed to save" comes first; SpecGate's error follows once saveAll returns.
    await waitUntil(page, `the error "${expected}"`, async () => {
      seen = await errorToasts(page);
      return seen.some((s) => s.includes(expected));
    }, 15000, { allowErrors: true }).catch((e) => {
      throw new Error(`${e.message.split(' (last:')[0]}; VS Code shows: ${seen.join(' | ') || '(nothing)'}`);
    });
    await t.shot('save-failed');
    await page.waitForTimeout(2000);
    const written = reviewBundles(t.workspace);
    if (written.length) throw new Error(`a bundle was written although the save failed: ${written.join(', ')}`);
  });

  await t.step('with the file back, "Save All and Export" saves it and the bundle holds the edit', async () => {
    rmSync(abs, { recursive: true });
    writeFileSync(abs, original);
    await clearToasts(page);
    await runCommand(page, 'SpecGate: Export Review Bundle');
    await answer(page, 'Save All and Export');
    await expectBundleWithSavedEdit(page, t.workspace, abs, EDIT);
  });
}
