// Workspace trust: the fixture repository opens in restricted mode (trust left on, the
// author declines at first). SpecGate lists the spec but runs no git, and says so in the
// Changes view; once the workspace is trusted, without a reload, the change is analysed.
// Then a review panel left open while trust is withdrawn: after the reload it reads nothing
// and says why in one line, and the same tab shows the bundle once the workspace is trusted.
import path from 'node:path';
import { openViewContainer, readJson, reviewBundles, reviewPanelBody, runCommand, viewPane, viewRows, waitForViewHeader, waitUntil, clickOpenPacket } from './workbench.mjs';

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

  let bundle;
  await t.step('Export Review Bundle, then the notification\'s Open Packet: the review panel shows the bundle', async () => {
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    bundle = (await waitUntil(page, 'a new bundle under .specgate/reviews/', () => {
      const fresh = reviewBundles(t.workspace).filter((b) => !before.has(b));
      return fresh.length > 0 && fresh;
    }))[0];
    await clickOpenPacket(page);
    await expectPanelShows(page, bundle);
  }, { critical: true });

  await t.step('trust withdrawn (the folder removed from the trusted ones): the window reloads by itself in restricted mode, and the restored panel says in one line why it shows nothing', async () => {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    // A trusted folder's editor has no "Don't Trust": its row in the trusted folders is removed.
    const row = page.locator('.workspace-trust-editor .workspace-trust-settings .monaco-table-tr', { hasText: t.workspace }).first();
    await waitUntil(page, 'the workspace folder among the trusted folders', () => row.isVisible());
    await row.hover();
    const remove = row.locator('.action-label[aria-label="Delete Path"]').first();
    await waitUntil(page, 'the row\'s "Delete Path" action', () => remove.isVisible(), 10000);
    // Extensions cannot be stopped one by one: when trust is withdrawn, a remote window (as
    // code-server's is) reloads itself, saving its state first as *Reload Window* does; a
    // desktop window restarts its extension hosts instead. A reload of the test's own, begun
    // while VS Code's was under way, raced it.
    const reloaded = page.waitForEvent('load', { timeout: 60000 });
    await remove.click();
    await reloaded.catch((e) => {
      throw new Error(`the window did not reload after trust was withdrawn: ${e.message}`);
    });
    const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await waitUntil(page, 'the "Restricted Mode" status bar item after the reload', () => restricted.isVisible(), 60000);
    const tab = page.locator('.tabs-container .tab', { hasText: 'Review: billing-retry' }).first();
    await waitUntil(page, 'the "Review: billing-retry" tab, restored', () => tab.isVisible(), 60000);
    await tab.click();
    const expected = `This workspace is not trusted, so SpecGate has not reopened the review bundle ${path.basename(bundle)}: trust the workspace to see it here again.`;
    const notice = reviewPanelBody(page).locator('p.notice');
    let seen = '';
    await waitUntil(page, 'the restored panel\'s line saying the workspace is not trusted', async () => (seen = await notice.innerText({ timeout: 1000 }).catch(() => '')) === expected, 60000).catch((e) => {
      throw new Error(`${e.message}; the panel says: ${seen || '(nothing)'}`);
    });
    if (await reviewPanelBody(page).locator('.digest').count()) throw new Error('the restored panel shows the bundle in restricted mode');
    await t.shot('panel-untrusted');
  }, { critical: true });

  await t.step('Trust again, without a reload: the same tab shows the bundle', async () => {
    await runCommand(page, 'Workspaces: Manage Workspace Trust');
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^\s*Trust\s*$/ }).first();
    await waitUntil(page, 'the "Trust" button of the workspace trust editor', () => trust.isVisible());
    await trust.click();
    const tabs = page.locator('.tabs-container .tab', { hasText: 'Review: ' });
    await page.locator('.tabs-container .tab', { hasText: 'Review: billing-retry' }).first().click();
    await expectPanelShows(page, bundle);
    if ((await tabs.count()) !== 1) throw new Error(`${await tabs.count()} review tabs are open; the restored one should be the only one`);
    await t.shot('panel-trusted-again');
  });
}

/** Waits until the review panel shows `bundle`: its heading and the packet's digest. */
async function expectPanelShows(page, bundle) {
  const digest = readJson(path.join(bundle, 'packet.json')).digest;
  const body = reviewPanelBody(page);
  let heading = '';
  await waitUntil(page, `the review panel showing "Review: billing-retry" and the digest ${digest}`, async () => {
    heading = await body.locator('h1').innerText({ timeout: 1000 }).catch(() => '');
    const shown = await body.locator('.digest').innerText({ timeout: 1000 }).catch(() => '');
    return heading === 'Review: billing-retry' && shown === digest;
  }, 60000).catch((e) => {
    throw new Error(`${e.message}; heading: ${heading || '(none)'}`);
  });
}
