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
 * What is on screen besides the editors, for a failure message: the notifications, hovers,
 * quick input, dialog, context or action menu shown, and where the keyboard focus is.
 */
export async function screenState(page) {
  const texts = async (selector) =>
    (await page.locator(selector).allInnerTexts().catch(() => [])).map((t) => t.replace(/\s+/g, ' ').trim().slice(0, 160)).filter(Boolean);
  const parts = [];
  for (const [label, selector] of [
    ['notifications', '.notifications-toasts .notification-toast'],
    ['hovers', '.monaco-hover:not(.hidden), .workbench-hover'],
    ['quick input', '.quick-input-widget:visible'],
    ['dialog', '.monaco-dialog-box'],
    ['menu', '.context-view .monaco-menu, .action-widget'],
  ]) {
    const shown = await texts(selector);
    if (shown.length) parts.push(`${label}: ${shown.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  const focus = await page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'body';
    const where = a.closest('.monaco-editor') ? 'editor' : a.closest('.part.sidebar') ? 'sidebar' : a.closest('.part.panel') ? 'panel' : a.closest('.quick-input-widget') ? 'quick input' : a.tagName === 'IFRAME' ? 'a webview' : '';
    return `${a.tagName.toLowerCase()}${a.className && typeof a.className === 'string' ? `.${a.className.trim().split(/\s+/).slice(0, 3).join('.')}` : ''}${where ? ` (${where})` : ''}`;
  }).catch(() => '?');
  parts.push(`focus: ${focus}`);
  return parts.join('; ');
}

/**
 * Polls `probe` every 200 ms until it returns a truthy value; fails at once when VS Code
 * shows an error notification (unless `allowErrors`: the wait is for an error, which may
 * follow another), and after `timeoutMs` with `what`, the last value and what was on screen
 * instead (screenState).
 */
export async function waitUntil(page, what, probe, timeoutMs = 30000, { allowErrors = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    const errors = allowErrors ? [] : await errorToasts(page);
    if (errors.length) throw new Error(`${what}: VS Code shows an error instead: ${errors.join(' | ')}`);
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms (last: ${JSON.stringify(last)}; on screen: ${await screenState(page)})`);
    await page.waitForTimeout(200);
  }
}

/**
 * The text of `locator` if it is on screen now, else ''. A hover read once it was seen can
 * be gone a moment later (the row under it redrawn), and reading it then would wait for one
 * that never comes: so a hover's text is read where it is found, in the same try.
 */
export async function visibleText(locator) {
  if (!(await locator.isVisible())) return '';
  return locator.innerText({ timeout: 500 }).catch(() => '');
}

/**
 * Hovers `target` until `hover` shows, and returns its text. A hover begun on an element
 * that is then redrawn (a view refreshing, the status bar updating) never shows, so the mouse
 * leaves and comes back every 2 s, to wherever `target` is by then.
 */
export async function hoverUntilShown(page, what, target, hover, timeoutMs = 30000) {
  let moved = 0;
  return waitUntil(page, what, async () => {
    const text = await visibleText(hover);
    if (text) return text;
    if (Date.now() - moved > 2000) {
      moved = Date.now();
      await page.mouse.move(0, 0);
      await target.hover({ timeout: 5000 }).catch(() => {});
    }
    return false;
  }, timeoutMs);
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
    await row.waitFor({ timeout: 15000 });
    if (i < parts.length - 1) {
      // A click that lands while the Explorer re-renders (a file watcher event) can select the
      // folder without opening it: clicked again, at most every 2 s, until it is open.
      let clickedAt = 0;
      await waitUntil(page, `the folder ${parts.slice(0, i + 1).join('/')} expanded in the Explorer`, async () => {
        if ((await row.getAttribute('aria-expanded')) === 'true') return true;
        if (Date.now() - clickedAt > 2000) {
          clickedAt = Date.now();
          await row.click();
        }
        return false;
      }, 15000);
    } else {
      await row.click();
    }
  }
  const name = parts[parts.length - 1];
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 15000 });
}

/** Opens the command palette (F1) and types `text`; returns the rows' locator. */
export async function typeInPalette(page, text) {
  await closeQuickInput(page);
  const input = page.locator('.quick-input-widget input');
  // F1 was lost once, right after trust was withdrawn: most likely VS Code's own reload of
  // the window then (see trust.e2e.mjs). Pressed again, up to three times in all, before the
  // wait gives up.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 3) throw new Error(`the command palette did not open after F1 three times (5 s each): ${err.message}`);
    }
  }
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

/**
 * Reloads the window as *Developer: Reload Window* does, and waits for the new page to load.
 * VS Code saves the workbench's state (open editors, a webview's state) before it reloads
 * this way; a browser reload (F5, `page.reload()`) does not wait for that save, so the state
 * of the last few seconds may be lost and a test would depend on when it was last saved.
 */
export async function reloadWindow(page) {
  const loaded = page.waitForEvent('load', { timeout: 60000 });
  await runCommand(page, 'Developer: Reload Window');
  await loaded;
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
  const asking = async () => (await widget.isVisible()) && /SSH private key/.test(await widget.innerText().catch(() => ''));
  await waitUntil(page, 'the file dialog asking for the SSH private key', asking);
  await fillFileDialog(page, input, key);
  await beforeSign();
  // The dialog ignores its button while it is still listing a folder: clicked again (every
  // 3 s, the path put back first) while it still asks for the key.
  const button = widget.locator('.monaco-button', { hasText: 'Sign with This Key' }).first();
  await button.click();
  let clicked = Date.now();
  await waitUntil(page, `the file dialog closed after "Sign with This Key" on ${key}`, async () => {
    if (!(await asking())) return true;
    if (Date.now() - clicked > 3000) {
      if ((await input.inputValue().catch(() => key)) !== key) await input.fill(key).catch(() => {});
      clicked = Date.now();
      await button.click({ timeout: 5000 }).catch(() => {});
    }
    return false;
  });
}

/**
 * Types `value` into VS Code's file dialog (in the browser, a quick input holding a path),
 * until it holds it: the dialog, still listing its first folder when it shows, can put its
 * own path back over what was typed.
 */
export async function fillFileDialog(page, input, value) {
  let filled = 0;
  await waitUntil(page, `the file dialog holding ${value}`, async () => {
    if ((await input.inputValue().catch(() => '')) === value) return true;
    if (Date.now() - filled > 1000) {
      filled = Date.now();
      await input.fill(value).catch(() => {});
    }
    return false;
  });
}

/** Opens `relPath` from the Explorer, types `text` and a line break at its end, and waits for the tab to show it unsaved. */
export async function typeUnsavedEdit(page, relPath, text) {
  await openFromExplorer(page, relPath);
  await typeAtEnd(page, relPath.slice(relPath.lastIndexOf('/') + 1), `${text}\n`);
}

/** Types `text` at the end of the active editor (the file `name`), and waits for its tab to show it unsaved. */
export async function typeAtEnd(page, name, text) {
  // Typed only once the editor has the keyboard (a click during a re-render may not give it).
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await waitUntil(page, `the editor of ${name} focused`, async () => {
    if (await editor.evaluate((e) => e.classList.contains('focused')).catch(() => false)) return true;
    await editor.locator('.view-lines').click();
    return false;
  }, 15000);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  await waitUntil(page, `the ${name} tab marked dirty`, () => page.locator('.tabs-container .tab.dirty', { hasText: name }).first().isVisible());
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

/** Clicks *Open Packet* on the notification an export shows, once it is on screen. */
export async function clickOpenPacket(page) {
  const button = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Open Packet' }).first();
  await waitUntil(page, 'the "Open Packet" button of the export notification', () => button.isVisible());
  await button.click();
}

/** The review panel's document (the webview's inner frame). */
export function reviewPanelBody(page) {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
}
