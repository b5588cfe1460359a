// Settings take effect at once in the editor that is open: with src/billing/retry.ts (an
// in-scope edit) on one side and the Settings editor on the other, ticking
// "Specgate › Code Lens: In Scope" shows the quiet in-scope lens over the hunk, and
// unticking it takes the lens away, without touching the file.
import { closeQuickInput, openFromExplorer, runCommand, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'settings take effect at once: specgate.codeLens.inScope toggled in the Settings editor beside an open file';
export const extension = 'development';

const IN_SCOPE_LENS = /In scope: task 1 \(Add the retry policy\)/;

/**
 * Clicks the checkbox until it shows `checked`. A click that lands while the Settings editor
 * redraws the row (as it does after writing the last change: the "Modified" mark) is lost,
 * so a checkbox still in the old state 3 s after a click is clicked again.
 */
async function setCheckbox(page, checkbox, checked) {
  const want = String(checked);
  let clicked = 0;
  await waitUntil(page, `the checkbox ${checked ? 'ticked' : 'cleared'}`, async () => {
    const now = await checkbox.getAttribute('aria-checked').catch(() => null);
    if (now === want) return true;
    if (now !== null && Date.now() - clicked > 3000) {
      clicked = Date.now();
      await checkbox.click({ timeout: 5000 }).catch(() => {});
    }
    return false;
  });
}

export async function run(t) {
  const { page } = t;
  // The editor group holding retry.ts (the first one; the Settings editor opens in the second).
  const retry = page.locator('.editor-group-container').first().locator('.editor-instance .monaco-editor').first();
  const inScopeLens = retry.locator('.codelens-decoration').filter({ hasText: IN_SCOPE_LENS });
  // The row of this one setting: while the search is still narrowing, the Settings editor
  // lists other SpecGate settings above it (Code Lens: Enabled, which is on).
  const checkbox = page.locator('.settings-editor .setting-item-bool').filter({ hasText: /Code Lens:\s*In Scope/ }).locator('.setting-value-checkbox').first();

  await t.step('retry.ts is open beside the Settings editor filtered to specgate.codeLens.inScope', async () => {
    await waitForWorkbench(page);
    await openFromExplorer(page, 'src/billing/retry.ts');
    // The analysis has run when the out-of-scope file's problem is counted in the status bar.
    await waitUntil(page, 'the SpecGate status bar item with a risk', async () =>
      /high|critical|medium|low/.test(await page.locator('.statusbar-item', { hasText: 'billing-retry' }).first().innerText().catch(() => '')),
    60000);
    await closeQuickInput(page);
    await page.keyboard.press('Control+Backslash');
    await page.locator('.editor-group-container').nth(1).waitFor({ timeout: 10000 });
    await runCommand(page, 'Preferences: Open User Settings');
    await page.locator('.settings-editor').waitFor({ timeout: 15000 });
    await page.keyboard.type('specgate.codeLens.inScope', { delay: 20 });
    await waitUntil(page, 'the In Scope checkbox', () => checkbox.isVisible());
    if ((await checkbox.getAttribute('aria-checked')) === 'true') throw new Error('the setting is on before the test turns it on');
    if (await inScopeLens.count()) throw new Error('an in-scope lens is shown while the setting is off');
  }, { critical: true });

  await t.step('ticking the setting shows the in-scope lens over the open file', async () => {
    await setCheckbox(page, checkbox, true);
    await waitUntil(page, 'the lens "In scope: task 1 (Add the retry policy) …" in retry.ts', () => inScopeLens.first().isVisible());
    await t.shot('in-scope-on');
  }, { critical: true });

  await t.step('unticking it takes the lens away', async () => {
    await setCheckbox(page, checkbox, false);
    await waitUntil(page, 'no in-scope lens in retry.ts', async () => (await inScopeLens.count()) === 0);
    await t.shot('in-scope-off');
  });
}
