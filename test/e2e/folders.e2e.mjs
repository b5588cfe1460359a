// Workspace folders in every relation to git, as a user sees them (test/vscode/foldersWorkspace.mjs):
// a repository and a folder nested in it (the change is listed once, the nested folder points
// to the outer one), a folder opened through a symbolic link (a change opens by the folder's
// path), a folder in no repository, and a folder git ignores inside another repository (it
// says so, and nothing contradicts it). Commands that need git offer only folders in one.
import { createFoldersWorkspace } from '../vscode/foldersWorkspace.mjs';
import { closeQuickInput, openViewContainer, runCommand, viewPane, viewRows, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'workspace folders and git: nested, symlinked, git-less and git-ignored folders';
export const extension = 'development';

export function createWorkspace(dir) {
  return createFoldersWorkspace(dir);
}

const NAMES = ['billing-service', 'auth', 'linked', 'notes', 'proj'];
const NESTED_ROW = 'Same repository as billing-service: its specs, changes and review are shown there';
/** The row of a folder in no repository (its tooltip holds the path and the reason). */
const NO_GIT_ROW = 'No git repository: no analysis';

/** The first row of a view labelled `name` (a folder node, a group; the description follows the label). */
function folderRow(page, view, name) {
  return viewPane(page, view)
    .locator('.pane-body .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${name}\\s*$`) }) })
    .first();
}

async function setExpanded(page, view, name, expanded) {
  const row = folderRow(page, view, name);
  await row.waitFor({ timeout: 30000 });
  let clickedAt = 0;
  await waitUntil(page, `"${name}" ${expanded ? 'expanded' : 'collapsed'} in ${view}`, async () => {
    const state = await row.getAttribute('aria-expanded');
    if (state === null || state === String(expanded)) return true;
    if (Date.now() - clickedAt > 2000) {
      clickedAt = Date.now();
      // The twistie only toggles: a click that lands on another row while the tree
      // re-renders opens nothing.
      await row.locator('.monaco-tl-twistie').click();
    }
    return false;
  });
}

/**
 * The rows of one folder's subtree (the view's other folders collapsed first), once `ok`
 * holds for them (they render a moment after the folder expands); fails naming `what`.
 */
async function folderRows(page, view, name, what, ok) {
  for (const n of NAMES) await setExpanded(page, view, n, false);
  await setExpanded(page, view, name, true);
  let own = [];
  await waitUntil(page, what, async () => {
    const rows = await viewRows(page, view);
    const start = rows.findIndex((r) => r.startsWith(name));
    const next = rows.findIndex((r, k) => k > start && NAMES.some((n) => r.startsWith(n)));
    own = start < 0 ? [] : rows.slice(start + 1, next < 0 ? undefined : next);
    return ok(own);
  }).catch((e) => {
    throw new Error(`${e.message}; ${name}'s rows: ${own.join(' | ') || '(none)'}`);
  });
  return own;
}

async function pickerRows(page) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 15000 });
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens the five folders and SpecGate analyses them', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
    let rows = [];
    await waitUntil(page, 'the three analysed folders with their change counts in Changes', async () => {
      // The tree is virtualised: every folder collapsed (in order, each bringing the next into view).
      for (const n of NAMES) await setExpanded(page, 'Changes', n, false);
      rows = await viewRows(page, 'Changes');
      return ['billing-service', 'linked', 'proj'].every((n) => rows.some((r) => r.startsWith(n) && r.includes('2 changed')));
    }, 60000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
  }, { critical: true });

  await t.step('Changes: the repository\'s change once, under billing-service; auth points there', async () => {
    const own = await folderRows(page, 'Changes', 'billing-service', 'session.ts under billing-service', (rows) => rows.some((r) => r.startsWith('session.ts')));
    t.note(`billing-service: ${own.join(' | ')}`);
    const nested = await folderRows(page, 'Changes', 'auth', `the one row "${NESTED_ROW}" under auth`, (rows) => rows.length === 1 && rows[0] === NESTED_ROW);
    t.note(`auth: ${nested.join(' | ')}`);
    const all = await viewRows(page, 'Changes');
    if (!all.some((r) => r.startsWith('auth') && r.includes('in billing-service'))) throw new Error(`the auth row does not say "in billing-service": ${all.join(' | ')}`);
    await setExpanded(page, 'Changes', 'billing-service', true);
    await t.shot('changes-nested');
  });

  await t.step('Specs: proj says git ignores it, above the repository\'s spec; notes says it needs a repository, beside its own spec', async () => {
    const proj = await folderRows(page, 'Specs', 'proj', 'the git-ignore note, then the spec, under proj', (rows) =>
      rows[0]?.startsWith('Git ignores this folder: it lies in the repository ') && rows.some((r) => r.startsWith('billing-retry')),
    );
    t.note(`proj: ${proj.join(' | ')}`);
    if (proj.some((r) => r.includes(NO_GIT_ROW))) throw new Error(`proj says both: ${proj.join(' | ')}`);
    await t.shot('specs-proj');
    const notes = await folderRows(page, 'Specs', 'notes', 'the needs-git note once and the spec under notes', (rows) =>
      rows.filter((r) => r.includes(NO_GIT_ROW)).length === 1 && rows.some((r) => r.startsWith('billing-retry')),
    );
    t.note(`notes: ${notes.join(' | ')}`);
    await t.shot('specs-notes');
  });

  for (const [command, placeholder, offered] of [
    ['SpecGate: Export Review Bundle', 'Folder whose change to export', ['billing-service', 'linked', 'proj']],
    ['SpecGate: Install Pre-commit Gate', 'Repository to install the pre-commit gate in', ['billing-service', 'linked', 'proj']],
    // A spec can be written without git: notes is offered too.
    ['SpecGate: New Spec', 'Folder to create the spec in', ['billing-service', 'linked', 'notes', 'proj']],
  ]) {
    await t.step(`"${command}" offers each repository once${offered.includes('notes') ? ' and the folder in none' : ', only folders in one'}: ${offered.join(', ')}`, async () => {
      // With no editor open, no folder is preselected by the active editor.
      await runCommand(page, 'View: Close All Editors');
      await page.locator('.editor-group-container .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10000 });
      await runCommand(page, command);
      try {
        const input = page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
        await waitUntil(page, `the folder picker "${placeholder}"`, () => input.isVisible(), 15000).catch(async (e) => {
          const attrs = await page.locator('.quick-input-widget input').evaluateAll((els) => els.map((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`).join(' ')));
          throw new Error(`${e.message}; inputs: ${attrs.join(' || ')}`);
        });
        await pickerRows(page);
        const names = await page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts();
        t.note(`picker: ${names.join(' | ')}`);
        await t.shot(command);
        if (JSON.stringify(names.map((n) => n.trim())) !== JSON.stringify(offered)) throw new Error(`the picker offers ${names.join(' | ')}`);
      } finally {
        await closeQuickInput(page);
      }
    });
  }

  await t.step('a change of the symlinked folder opens by the folder\'s path (linked › src › auth), with its base content', async () => {
    await folderRows(page, 'Changes', 'linked', 'the Out of scope group under linked', (rows) => rows.some((r) => r.startsWith('Out of scope')));
    await setExpanded(page, 'Changes', 'Out of scope', true);
    await viewPane(page, 'Changes').locator('.pane-body .monaco-list-row').filter({ hasText: /^\s*session\.ts/ }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'base ↔ working tree' }).waitFor({ timeout: 15000 });
    const crumbs = page.locator('.monaco-diff-editor').first().locator('xpath=ancestor::*[contains(@class,"editor-group-container")]').locator('.breadcrumbs-control .monaco-breadcrumb-item');
    let seen = [];
    await waitUntil(page, 'breadcrumbs linked › src › auth › session.ts', async () => {
      seen = (await crumbs.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
      return seen.join('/') === 'linked/src/auth/session.ts';
    }).catch((e) => {
      throw new Error(`${e.message}; breadcrumbs: ${seen.join(' › ')}`);
    });
    // The base side is the file as committed (not empty, as when git was asked in the wrong folder).
    await waitUntil(page, 'the base side of the diff shows the committed file', async () =>
      (await page.locator('.monaco-diff-editor .editor.original .view-lines').first().innerText().catch(() => '')).includes('SESSION_TTL_MINUTES'),
    );
    await t.shot('symlink-diff');
  });
}
