// Workspace trust: the fixture repository opens in restricted mode (trust left on, the
// author declines at first). SpecGate lists the spec but runs no git, and says so in the
// Changes view; once the workspace is trusted, without a reload, the change is analysed.
import { openViewContainer, viewPane, viewRows, waitForViewHeader, waitUntil } from './workbench.mjs';

export const title = 'workspace trust: restricted mode first, then trusted without a reload';
export const extension = 'development';
export const workspaceTrust = true;

export async function run(t) {
  const { page } = t;

  await t.step('the workbench asks whether to trust the folder, and is told no (restricted mode)', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    const no = page.locator('.monaco-dialog-box .monaco-button', { hasText: /No, I don.t trust the authors/ }).first();
    await waitUntil(page, 'the workspace trust dialog', () => no.isVisible(), 60000);
    await t.shot('trust-dialog');
    await no.click();
    await waitUntil(page, 'the "Restricted Mode" status bar item', () =>
      page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().isVisible(),
    );
  }, { critical: true });

  await t.step('in restricted mode SpecGate lists the spec and says it analyses no changes (no git)', async () => {
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes']) await waitForViewHeader(page, v);
    await waitUntil(page, 'billing-retry in the Specs view', async () => (await viewRows(page, 'Specs')).some((r) => /billing-retry/.test(r)));
    const notes = (await viewRows(page, 'Specs')).filter((r) => /trusted/i.test(r));
    if (notes.length !== 1) throw new Error(`the Specs view should say once that the workspace is untrusted; rows: ${notes.join(' | ')}`);
    let rows = [];
    await waitUntil(page, '"Untrusted: changes not analysed" in the Changes view', async () => {
      rows = await viewRows(page, 'Changes');
      return rows.some((r) => r.includes('Untrusted: changes not analysed'));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    if (rows.some((r) => r.includes('session.ts'))) throw new Error(`a change is listed in restricted mode: ${rows.join(' | ')}`);
    await t.shot('restricted');
  }, { critical: true });

  await t.step('clicking that row opens Manage Workspace Trust; Trust there analyses the change at once', async () => {
    await viewPane(page, 'Changes').locator('.monaco-list-row', { hasText: 'Untrusted: changes not analysed' }).first().click();
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^\s*Trust\s*$/ }).first();
    await waitUntil(page, 'the "Trust" button of the workspace trust editor', () => trust.isVisible());
    await trust.click();
    let rows = [];
    await waitUntil(page, 'src/auth/session.ts out of scope in the Changes view', async () => {
      rows = await viewRows(page, 'Changes');
      return rows.some((r) => /out of scope/i.test(r)) && rows.some((r) => r.includes('session.ts'));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    await t.shot('trusted');
  });
}
