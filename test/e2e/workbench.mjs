// What a user does in the VS Code workbench, as Playwright actions on code-server's page:
// open a view container, read a view's rows, open a file from the Explorer, run a command
// from the palette. Every wait is on a condition; errors name what was missing.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Texts of the error notifications and error dialogs on screen (e.g. "command 'x' not found"). */
export async function errorToasts(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.codicon-error') });
  const dialogs = page.locator('.monaco-dialog-box', { has: page.locator('.codicon-dialog-error') }).locator('.dialog-message-container');
  return [...(await toasts.allInnerTexts()), ...(await dialogs.allInnerTexts())].map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * Polls `probe` every 200 ms until it returns a truthy value; fails at once when VS Code
 * shows an error notification, and after `timeoutMs` with `what` and the last value.
 */
export async function waitUntil(page, what, probe, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    const errors = await errorToasts(page);
    if (errors.length) throw new Error(`${what}: VS Code shows an error instead: ${errors.join(' | ')}`);
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await page.waitForTimeout(200);
  }
}

/** Waits for the workbench and the Explorer listing the opened folder. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
}

function activityItem(page, label) {
  return page.locator(`.part.activitybar .action-item .action-label[aria-label^="${label}"]`).first();
}

/** The side bar part (where view containers render). */
export function sidebar(page) {
  return page.locator('[id="workbench.parts.sidebar"]');
}

/** Opens a view container from the activity bar unless it is already showing. */
export async function openViewContainer(page, label, timeoutMs = 30000) {
  const item = activityItem(page, label);
  try {
    await item.waitFor({ timeout: timeoutMs });
  } catch {
    const seen = await page.locator('.part.activitybar .action-item .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    throw new Error(`no "${label}" view container in the activity bar (contributes.viewsContainers); items seen: ${seen.join(', ')}`);
  }
  const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!checked) await item.click();
}

/** The pane of a view in the side bar, found by its header title. */
export function viewPane(page, title) {
  return sidebar(page)
    .locator('.pane')
    .filter({ has: page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRe(title)}$`, 'i') }) });
}

/** Waits for a view's header in the side bar. */
export async function waitForViewHeader(page, title, timeoutMs = 30000) {
  try {
    await viewPane(page, title).locator('.pane-header').first().waitFor({ timeout: timeoutMs });
  } catch {
    const seen = await sidebar(page).locator('.pane-header .title').allInnerTexts();
    throw new Error(`no view "${title}" in the side bar; headers seen: ${seen.join(', ') || '(none)'}`);
  }
}

/** Row texts of a tree view (what is rendered, i.e. expanded parts only). */
export async function viewRows(page, title) {
  return (await viewPane(page, title).locator('.pane-body .monaco-list-row').allInnerTexts()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
}

/** Shows the Explorer (without toggling it away when it is already showing). */
export async function showExplorer(page) {
  if (await page.locator('.explorer-folders-view').isVisible()) return;
  await activityItem(page, 'Explorer').click();
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 10000 });
}

/** Opens `relPath` by expanding its folders in the Explorer and clicking the file. */
export async function openFromExplorer(page, relPath) {
  await showExplorer(page);
  const parts = relPath.split('/');
  for (const [i, name] of parts.entries()) {
    const row = page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ hasText: new RegExp(`^\\s*${escapeRe(name)}\\s*$`) })
      .first();
    await row.waitFor({ timeout: 10000 });
    const isFolder = i < parts.length - 1;
    if (!isFolder || (await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const name = parts[parts.length - 1];
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 10000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 10000 });
}

/** Opens the command palette (F1) and types `text`; returns the rows' locator. */
export async function typeInPalette(page, text) {
  await closeQuickInput(page);
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.type(text, { delay: 20 });
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

export async function closeQuickInput(page) {
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible()) {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
  }
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5000 });
  }
}

/** Runs a command by its palette title (F1, type, Enter on the matching row). */
export async function runCommand(page, title) {
  const rows = await typeInPalette(page, title);
  const exact = rows.filter({ hasText: new RegExp(`^\\s*${escapeRe(title)}`) }).first();
  try {
    await exact.waitFor({ timeout: 15000 });
  } catch {
    const seen = await rows.allInnerTexts();
    throw new Error(`the command palette has no "${title}"; rows: ${seen.join(' | ').replace(/\s+/g, ' ') || '(none)'}`);
  }
  const focused = rows.and(page.locator('.focused'));
  try {
    await focused.filter({ hasText: title }).first().waitFor({ timeout: 5000 });
  } catch {
    throw new Error(`"${title}" is listed but not the selected palette row (selected: ${(await focused.allInnerTexts()).join(' ')})`);
  }
  await page.keyboard.press('Enter');
}

/** Bundle folders under `<root>/.specgate/reviews/` that hold the files a bundle must have. */
export function reviewBundles(root) {
  const dir = path.join(root, '.specgate/reviews');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    // A bundle being written is a hidden `.<name>.partial-…` folder, complete just before its
    // rename: not a bundle yet.
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => path.join(dir, d.name))
    .filter((d) => ['packet.json', 'REVIEW.md', 'review.html'].every((f) => existsSync(path.join(d, f))));
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Answers SpecGate's SSH key dialog (in the browser, VS Code's file dialog is a quick input
 * holding a path) with `key` and signs; `beforeSign` runs once the path is in (a screenshot).
 */
export async function pickSshKey(page, key, beforeSign = async () => {}) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await waitUntil(page, 'the file dialog asking for the SSH private key', async () =>
    (await widget.isVisible()) && /SSH private key/.test(await widget.innerText().catch(() => '')),
  );
  await input.fill(key);
  await waitUntil(page, `the file dialog holding ${key}`, async () => (await input.inputValue()) === key);
  await beforeSign();
  await widget.locator('.monaco-button', { hasText: 'Sign with This Key' }).first().click();
}

/** Opens `relPath` from the Explorer, types `text` and a line break at its end, and waits for the tab to show it unsaved. */
export async function typeUnsavedEdit(page, relPath, text) {
  await openFromExplorer(page, relPath);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(`${text}\n`);
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  await waitUntil(page, 'the editor tab marked dirty', () => page.locator('.tabs-container .tab.dirty', { hasText: name }).first().isVisible());
}

/** Waits for the first bundle of `workspace`, and checks that `abs` was saved with `edit` and that the bundle's changes.patch adds it. */
export async function expectBundleWithSavedEdit(page, workspace, abs, edit) {
  const written = await waitUntil(page, 'a bundle folder', () => {
    const b = reviewBundles(workspace);
    return b.length > 0 && b;
  }, 30000);
  if (!readFileSync(abs, 'utf8').includes(edit)) throw new Error(`${abs} was not saved`);
  const patch = readFileSync(path.join(written[0], 'changes.patch'), 'utf8');
  if (!patch.includes(`+${edit}`)) throw new Error(`the bundle's changes.patch lacks the saved edit:\n${patch.slice(0, 600)}`);
  return written;
}

const THEME_KIND = { 'Dark Modern': 'vs-dark', 'Light Modern': 'vs', 'Dark High Contrast': 'hc-black', 'Light High Contrast': 'hc-light' };

/** Picks a colour theme by its label in "Preferences: Color Theme" and waits for the workbench to wear it. */
export async function setColorTheme(page, label) {
  const kind = THEME_KIND[label];
  if (!kind) throw new Error(`no known theme "${label}"`);
  // The palette ranks "Browse Color Themes in Marketplace" first for this text: click the row wanted.
  const row = (await typeInPalette(page, 'Preferences: Color Theme')).filter({ hasText: /^\s*Preferences: Color Theme/ }).first();
  await row.waitFor({ timeout: 10000 });
  await row.click();
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await waitUntil(page, 'the list of colour themes', async () => (await rows.allInnerTexts()).some((r) => r.includes('Light Modern')), 10000);
  await page.keyboard.type(label, { delay: 10 });
  const focused = rows.and(page.locator('.focused'));
  await waitUntil(page, `"${label}" selected in the theme list`, async () => (await focused.allInnerTexts()).some((r) => r.trim().startsWith(label)), 10000);
  await page.keyboard.press('Enter');
  await waitUntil(page, `the workbench in ${label}`, async () => ((await page.locator('.monaco-workbench').getAttribute('class')) ?? '').split(' ').includes(kind), 20000);
}

/** The review panel's document (the webview's inner frame). */
export function reviewPanelBody(page) {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
}
