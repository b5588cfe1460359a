// Unsaved edits thrown away: an edit to the spec (a new task naming the out-of-scope file)
// counts while it is unsaved, in every view alike, and once the tab is closed with *Don't
// Save* the out-of-scope file is flagged again; an unsaved code edit closed the same way takes
// its Problems entry with it. Then the review panel follows the change: a bundle of an earlier
// state says it is out of date and offers to export again, and a file the change deletes
// opens as the base has it.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspaceNoAutoSave } from '../vscode/fixtureWorkspace.mjs';
import {
  clickOpenPacket, closeQuickInput, errorToasts, openFromExplorer, openViewContainer, readJson, reviewBundles, reviewPanelBody, runCommand, viewPane, viewRows, waitForViewHeader,
  typeAtEnd, waitForWorkbench, waitUntil,
} from './workbench.mjs';

export const createWorkspace = createFixtureWorkspaceNoAutoSave;

export const title = 'Unsaved edits thrown away stop counting; the review panel follows the change';
export const extension = 'development';

const TASKS = '.kiro/specs/billing-retry/tasks.md';
const OUT = 'src/auth/session.ts';
const NEW_TASK = '- [ ] 3. Extend sessions in `src/auth/session.ts`';

/** The status bar item of SpecGate (`billing-retry ⚠ 1 outside spec · high risk`). */
async function specGateStatus(page) {
  const items = await page.locator('.part.statusbar .statusbar-item').allInnerTexts();
  return items.map((s) => s.replace(/\s+/g, ' ').trim()).find((s) => s.startsWith('billing-retry')) ?? '(none)';
}

/** The Problems count in the status bar: errors, warnings, infos. */
async function problemCounts(page) {
  return (await page.locator('.part.statusbar .statusbar-item[id="status.problems"]').innerText().catch(() => '?')).replace(/\s+/g, ' ').trim();
}

/** Expands every collapsed row of a view (a tree's rows load as they open). */
async function expandAll(page, view) {
  const pane = viewPane(page, view);
  for (let i = 0; i < 6; i++) {
    const closed = pane.locator('.monaco-list-row[aria-expanded="false"]');
    if ((await closed.count()) === 0) return;
    await closed.first().click();
  }
}

/** Closes the active editor and answers *Don't Save* in VS Code's dialog. */
async function closeWithoutSaving(page, name) {
  await page.locator('.tabs-container .tab', { hasText: name }).first().click();
  await page.keyboard.press('Control+w');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10000 });
  await dialog.locator('.monaco-button', { hasText: "Don't Save" }).click();
  await waitUntil(page, `the ${name} tab closed`, async () => (await page.locator('.tabs-container .tab', { hasText: name }).count()) === 0, 10000);
}

/** Opens a file by its path with Quick Open (Ctrl+P): the Explorer lists no dot-folder rows to click here. */
async function quickOpen(page, rel) {
  await closeQuickInput(page);
  await page.keyboard.press('Control+p');
  const widget = page.locator('.quick-input-widget');
  await widget.locator('input').waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.type(rel, { delay: 10 });
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  await waitUntil(page, `${name} listed in Quick Open`, async () => (await widget.locator('.monaco-list-row').allInnerTexts()).some((r) => r.includes(name)), 10000);
  await page.keyboard.press('Enter');
  await waitUntil(page, `the ${name} tab active`, () => page.locator('.tabs-container .tab.active', { hasText: name }).first().isVisible(), 15000);
}

export async function run(t) {
  const { page } = t;
  const root = t.workspace;
  const onDisk = readFileSync(path.join(root, TASKS), 'utf8');
  let flagged = '';

  await t.step('the workbench opens with src/auth/session.ts out of scope', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Specs');
    await waitUntil(page, 'the status bar saying 1 file is outside the spec', async () => /1 outside spec/.test(await specGateStatus(page)));
    flagged = await problemCounts(page);
    t.note(`status bar: ${await specGateStatus(page)}; problems: ${flagged}`);
  }, { critical: true });

  await t.step('an unsaved new task naming the file puts it in scope, and the Specs view lists that task', async () => {
    await quickOpen(page, TASKS);
    await typeAtEnd(page, 'tasks.md', `\n${NEW_TASK}\n  - _Requirements: 2.1_\n`);
    await waitUntil(page, 'the status bar saying the change is in scope', async () => /in scope/.test(await specGateStatus(page)) && !/outside/.test(await specGateStatus(page)));
    await openViewContainer(page, 'SpecGate');
    let rows = [];
    await waitUntil(page, 'task 3 in the Specs view, from the unsaved spec the findings come from', async () => {
      await expandAll(page, 'Specs');
      rows = await viewRows(page, 'Specs');
      return rows.some((r) => /^3\b.*Extend sessions/.test(r)) && rows.some((r) => /Tasks.*1\/3 done/.test(r));
    }, 20000).catch((e) => {
      throw new Error(`${e.message}; Specs rows: ${rows.join(' | ')}`);
    });
    await t.shot('unsaved-task');
  });

  await t.step("closed with Don't Save, the spec is the disk's again: the file is flagged outside the spec", async () => {
    await closeWithoutSaving(page, 'tasks.md');
    if (readFileSync(path.join(root, TASKS), 'utf8') !== onDisk) throw new Error(`${TASKS} changed on disk`);
    let status = '';
    await waitUntil(page, 'the status bar saying 1 file is outside the spec again', async () => /1 outside spec/.test((status = await specGateStatus(page))), 15000).catch((e) => {
      throw new Error(`${e.message}; status bar: ${status}`);
    });
    let rows = [];
    await waitUntil(page, 'no task 3 in the Specs or Changes view', async () => {
      rows = [...(await viewRows(page, 'Specs')), ...(await viewRows(page, 'Changes'))];
      return !rows.some((r) => /Extend sessions/.test(r));
    }, 10000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
    await waitUntil(page, `the Problems count back to ${flagged}`, async () => (await problemCounts(page)) === flagged, 10000);
    await t.shot('spec-discarded');
  });

  await t.step("an unsaved code edit closed with Don't Save takes its Problems entry with it", async () => {
    await openFromExplorer(page, OUT);
    await typeAtEnd(page, 'session.ts', '\nexport const extra = 42;\n');
    let counts = '';
    await waitUntil(page, 'one more problem for the unsaved out-of-scope line', async () => (counts = await problemCounts(page)) !== flagged, 15000).catch((e) => {
      throw new Error(`${e.message}; problems: ${counts}`);
    });
    await closeWithoutSaving(page, 'session.ts');
    await waitUntil(page, `the Problems count back to ${flagged}`, async () => (counts = await problemCounts(page)) === flagged, 15000).catch((e) => {
      throw new Error(`${e.message}; problems: ${counts}`);
    });
  });

  /** The bundle the export wrote. */
  let first = '';
  await t.step('a bundle exported and shown; once the change moves on, the panel says it is out of date and offers no Approve', async () => {
    const before = new Set(reviewBundles(root));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    first = (await waitUntil(page, 'a bundle folder', () => reviewBundles(root).find((b) => !before.has(b)))) ?? '';
    await clickOpenPacket(page);
    const body = reviewPanelBody(page);
    const line = body.locator('[role="status"]');
    await waitUntil(page, 'the panel saying "Exported: awaiting approval."', async () => (await line.innerText({ timeout: 1000 }).catch(() => '')) === 'Exported: awaiting approval.');
    // The change moves on outside the editor: the out-of-scope file is deleted.
    rmSync(path.join(root, OUT));
    const digest = readJson(path.join(first, 'packet.json')).digest;
    let seen = '';
    await waitUntil(page, 'the panel saying the bundle is out of date', async () => (seen = await line.innerText({ timeout: 1000 }).catch(() => '')).startsWith('Out of date: '), 20000).catch((e) => {
      throw new Error(`${e.message}; the state line: ${seen}`);
    });
    if (!seen.includes(`it is for ${digest.slice(0, 'sha256:'.length + 12)}`)) throw new Error(`the line does not name the bundle's digest ${digest}: ${seen}`);
    const buttons = await body.locator('.actions button').allInnerTexts();
    if (buttons.join('|') !== 'Export Again') throw new Error(`buttons of an out-of-date bundle: ${buttons.join(' | ')}`);
    await t.shot('panel-out-of-date');
  });

  await t.step('"Export Again" writes a bundle of the change as it stands and shows it', async () => {
    const body = reviewPanelBody(page);
    const before = new Set(reviewBundles(root));
    await body.locator('.actions button', { hasText: 'Export Again' }).first().click();
    const second = await waitUntil(page, 'a second bundle folder', () => reviewBundles(root).find((b) => !before.has(b)));
    const digest = readJson(path.join(second, 'packet.json')).digest;
    await waitUntil(page, `the panel showing the new bundle (${digest})`, async () => (await body.locator('.digest').innerText({ timeout: 1000 }).catch(() => '')) === digest, 20000);
    await waitUntil(page, 'its state line "Exported: awaiting approval."', async () => (await body.locator('[role="status"]').innerText({ timeout: 1000 }).catch(() => '')) === 'Exported: awaiting approval.');
  });

  await t.step('"Open file at hunk" on the deleted file opens it as the base has it, with no error', async () => {
    const body = reviewPanelBody(page);
    const toggle = body.locator('h3 > button.file-toggle', { hasText: OUT }).first();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await body.locator(`button[aria-label^="Open file at hunk: ${OUT},"]`).first().click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'session.ts' }).first();
    await waitUntil(page, 'a session.ts tab beside the panel', () => tab.isVisible(), 15000);
    const editor = page.locator('.editor-instance .monaco-editor').filter({ hasText: 'SESSION_TTL_MINUTES' }).first();
    await waitUntil(page, 'the base text of session.ts in the editor', () => editor.isVisible(), 15000);
    const errors = await errorToasts(page);
    const warnings = (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).filter((s) => /cannot open/.test(s));
    if (errors.length + warnings.length > 0) throw new Error(`notifications: ${[...errors, ...warnings].join(' | ')}`);
    await t.shot('deleted-file-opened');
    // One click, one export: the first bundle and the one Export Again wrote, no export still running.
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'exporting the review bundle' });
    await waitUntil(page, 'no export notification left', async () => (await progress.count()) === 0, 15000);
    if (reviewBundles(root).length !== 2) throw new Error(`bundles: ${reviewBundles(root).map((b) => path.basename(b)).join(', ')}`);
  });
}
