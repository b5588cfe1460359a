// File names git allows but a spec line cannot always hold, through the code lens a user
// clicks: "Link to Task" on a file whose name has spaces writes it quoted on the task line
// (and the out-of-scope lens goes); on a file in a route folder (`[id]`) it writes the path
// as it is, and the task's tooltip lists it so (not as its escaped glob); on a file whose name holds a newline it refuses in one error message that shows
// the newline as \u{a}, and tasks.md gets no new line or path.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { errorToasts, hoverUntilShown, openFromExplorer, openViewContainer, showExplorer, viewPane, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'Link to task with odd file names: spaces quoted, a route folder as it is, a newline refused in one message';
export const extension = 'development';

const SPACED = 'src/auth/my session.ts';
const ROUTE = 'src/auth/[id]/page.tsx';
const NEWLINE = 'src/auth/new\nline.ts';
const TASKS = '.kiro/specs/billing-retry/tasks.md';

export function createWorkspace(dir) {
  const { root } = createFixtureWorkspace(dir);
  writeFileSync(path.join(root, SPACED), 'export const spaced = 1;\n');
  mkdirSync(path.join(root, path.dirname(ROUTE)), { recursive: true });
  writeFileSync(path.join(root, ROUTE), 'export default function Page() { return null; }\n');
  writeFileSync(path.join(root, NEWLINE), 'export const odd = 1;\n');
  return root;
}

function editor(page) {
  return page.locator('.editor-instance .monaco-editor').first();
}

async function clickLens(page, text) {
  const lens = editor(page).locator('.codelens-decoration a', { hasText: new RegExp(`^${text}$`) }).first();
  await waitUntil(page, `the "${text}" code lens`, () => lens.isVisible());
  await lens.click();
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens with the SpecGate views', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Changes');
  }, { critical: true });

  await t.step(`"Link to Task" on ${SPACED} writes it quoted on the task line, and its out-of-scope lens goes`, async () => {
    await openFromExplorer(page, SPACED);
    await clickLens(page, 'Link to Task');
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Record each attempt' }).first();
    await waitUntil(page, 'the task picker listing "2. Record each attempt"', () => row.isVisible());
    await t.shot('task-picker');
    await row.click();
    const line = editor(page).locator('.view-line', { hasText: 'Record each attempt' }).first();
    await waitUntil(page, `tasks.md showing the task line with \`"${SPACED}"\``, async () =>
      (await line.innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes(`\`"${SPACED}"\``),
    );
    await t.shot('task-linked');
    await page.locator('.tabs-container .tab', { hasText: 'my session.ts' }).first().click();
    const outside = editor(page).locator('.codelens-decoration', { hasText: 'Outside spec' });
    await waitUntil(page, `no "Outside spec" lens on ${SPACED} once the (unsaved) task names it`, async () => (await outside.count()) === 0);
  });

  await t.step(`"Link to Task" on ${ROUTE} writes the route path as it is on the task line, and its out-of-scope lens goes`, async () => {
    await openFromExplorer(page, ROUTE);
    const outside = editor(page).locator('.codelens-decoration', { hasText: 'Outside spec' });
    await waitUntil(page, `the "Outside spec" lens on ${ROUTE}`, async () => (await outside.count()) > 0);
    // Its hover text is the Problems entry's own words, which name the spec by its folder.
    const hover = await outside.locator('span, a', { hasText: 'Outside spec' }).first().getAttribute('title');
    if (hover !== 'New file outside the scope of spec .kiro/specs/billing-retry: no scope glob or task path covers this file.') {
      throw new Error(`the lens's hover text is ${JSON.stringify(hover)}`);
    }
    await clickLens(page, 'Link to Task');
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Record each attempt' }).first();
    await waitUntil(page, 'the task picker listing "2. Record each attempt"', () => row.isVisible());
    await row.click();
    const line = editor(page).locator('.view-line', { hasText: 'Record each attempt' }).first();
    await waitUntil(page, `tasks.md showing the task line with \`${ROUTE}\``, async () =>
      (await line.innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes(`\`${ROUTE}\``),
    );
    await t.shot('route-linked');
    await page.locator('.tabs-container .tab', { hasText: 'page.tsx' }).first().click();
    await waitUntil(page, `no "Outside spec" lens on ${ROUTE} once the task names it`, async () => (await outside.count()) === 0);
    await t.shot('route-in-scope');
  });

  await t.step(`the task's tooltip in the Specs view lists ${ROUTE} as written, not as its escaped glob`, async () => {
    await openViewContainer(page, 'SpecGate');
    const pane = viewPane(page, 'Specs');
    const task = pane.locator('.pane-body .monaco-list-row').filter({ hasText: /^\s*2 Record each attempt/ }).first();
    await waitUntil(page, 'the row of task 2 in the Specs view', () => task.isVisible());
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Paths:' }).first();
    // The row is redrawn when the view refreshes after the edit, which can cancel a hover
    // begun on the old row (or hide one just shown): hovered again until its text is read.
    const text = (await hoverUntilShown(page, "task 2's tooltip (Paths: …)", task, hover)).replace(/\u00a0/g, ' ');
    t.note(`tooltip: ${text.replace(/\n/g, ' / ')}`);
    await t.shot('route-task-tooltip');
    const paths = text.split('\n').find((l) => l.startsWith('Paths:')) ?? '';
    if (!paths.includes(ROUTE) || paths.includes('\\')) throw new Error(`the tooltip's paths do not show ${ROUTE} as written: ${paths}`);
    await page.mouse.move(700, 400);
  });

  await t.step('"Link to Task" on a file whose name holds a newline refuses in one message; tasks.md is unchanged', async () => {
    const before = readFileSync(path.join(t.workspace, TASKS), 'utf8');
    // The Explorer draws the name up to its newline ("new"), under src/auth/ (expanded above).
    await showExplorer(page);
    const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: /^\s*new\s+line\.ts\s*$/ }).first();
    await waitUntil(page, 'the new-line file in the Explorer', () => row.isVisible());
    await row.click();
    const outside = editor(page).locator('.codelens-decoration', { hasText: 'Outside spec' }).first();
    await waitUntil(page, 'the "Outside spec" lens on the new-line file', () => outside.isVisible());
    t.note(`lens: ${(await outside.innerText()).replace(/\s+/g, ' ')}`);
    await t.shot('newline-file');
    await clickLens(page, 'Link to Task');
    let seen = [];
    await waitUntil(page, 'an error notification', async () => {
      seen = await errorToasts(page);
      return seen.length > 0;
    }).catch((e) => {
      if (!/shows an error instead/.test(e.message)) throw e;
    });
    seen = await errorToasts(page);
    await page.waitForTimeout(500);
    await t.shot('refused');
    const expected = 'SpecGate: will not name src/auth/new\\u{a}line.ts in a task: its name holds a line break, which would split the spec line';
    if (seen.length !== 1 || !seen[0].startsWith(expected)) throw new Error(`expected one error "${expected}", saw: ${seen.join(' | ') || '(none)'}`);
    const quickInput = page.locator('.quick-input-widget');
    if (await quickInput.isVisible()) throw new Error('a task picker opened for a name that cannot be linked');
    // The browser saves edits after a delay (files.autoSave): an edit would be on disk by then.
    await page.waitForTimeout(2000);
    const after = readFileSync(path.join(t.workspace, TASKS), 'utf8');
    if (after.includes('line.ts') || after.split('\n').length !== before.split('\n').length) throw new Error(`tasks.md changed:\n${after}`);
  });
}
