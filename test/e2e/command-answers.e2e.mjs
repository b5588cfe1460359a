// What three commands say and ask in cases off the main path. Approve with no bundle yet:
// its "Export Review Bundle" button asks about the unsaved file as the Export command does.
// Add to scope when the spec file it would edit was deleted since SpecGate read the spec
// (here a spec file that is a link to a file outside the folder, whose target goes): one
// line naming the file, no raw "cannot open" error, nothing changed. Export Review Bundle in
// a repository with no spec: says there is no spec and offers New Spec, not "select the
// active spec"; with a folder laid out almost as a spec, names it, and the Specs view's row
// for it renames it, and offers the rename back. A spec among test data, which ignoreSpecs
// leaves out: named in the Specs view; its row takes the glob out of a new config, and Undo
// deletes the file again. Install Pre-commit Gate over SpecGate's hook with a line of the
// user's added: asks in a modal, and Replace keeps the edited hook as the backup.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { closeQuickInput, errorToasts, openViewContainer, reviewBundles, runCommand, viewPane, viewRows, waitForViewHeader, waitForWorkbench, waitUntil, typeUnsavedEdit, expectBundleWithSavedEdit } from './workbench.mjs';

export const title = 'Commands answer off the main path: Approve exports asking about unsaved files, Add to scope on a deleted spec file, Export with no spec';
export const extension = 'development';

const FILE = 'src/auth/session.ts';
const EDIT = '// an edit not yet saved';
const SPEC_DIR = '.kiro/specs/billing-retry';
const REQUIREMENTS = `${SPEC_DIR}/requirements.md`;

function git(cwd, args) {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[k];
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Where requirements.md really is: outside the opened folder, so no file watcher sees it go. */
let target = '';

/**
 * The fixture repository, auto save off (VS Code for the web saves after a delay), with
 * requirements.md committed as a link to a file outside the folder.
 */
export function createWorkspace(dir) {
  const { root } = createFixtureWorkspace(dir);
  mkdirSync(path.join(root, '.vscode'), { recursive: true });
  writeFileSync(path.join(root, '.vscode/settings.json'), JSON.stringify({ 'files.autoSave': 'off' }));
  appendFileSync(path.join(root, '.git/info/exclude'), '/.vscode/\n');
  const outside = path.join(dir, 'spec-files');
  mkdirSync(outside, { recursive: true });
  target = path.join(outside, 'requirements.md');
  renameSync(path.join(root, REQUIREMENTS), target);
  symlinkSync(target, path.join(root, REQUIREMENTS));
  git(root, ['add', '--', REQUIREMENTS]);
  git(root, ['commit', '-q', '-m', 'requirements.md kept with the other specs', '--', REQUIREMENTS]);
  return root;
}

/** Texts of the notifications on screen (any severity). */
async function toasts(page) {
  return (await page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function clearToasts(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await waitUntil(page, 'no notification left', async () => (await page.locator('.notifications-toasts .notification-toast').count()) === 0, 5000);
}

function toastButton(page, label) {
  return page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: label }).first();
}

/** Waits for a notification whose text is `expected`; fails naming every one shown meanwhile. */
async function waitForToast(page, what, expected, { error = false } = {}) {
  const shown = new Set();
  const look = async () => {
    const now = await toasts(page);
    for (const s of now) shown.add(s);
    return now;
  };
  await waitUntil(page, what, async () => (await look()).includes(expected)).catch((e) => {
    // waitUntil fails at once on an error notification: for an expected error, that is the one.
    if (!error || !/shows an error instead/.test(e.message)) throw new Error(`${e.message}; notifications shown meanwhile: ${[...shown].join(' | ') || '(none)'}`);
  });
  const seen = await look();
  if (!seen.includes(expected)) throw new Error(`expected the notification "${expected}"; VS Code showed: ${[...shown].join(' | ') || '(nothing)'}`);
  return seen;
}

export async function run(t) {
  const { page } = t;
  const abs = path.join(t.workspace, FILE);

  await t.step('the workbench opens, the spec is listed, and an edit to src/auth/session.ts is left unsaved', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Specs');
    await waitUntil(page, 'billing-retry in the Specs view', async () => (await viewRows(page, 'Specs')).some((r) => r.startsWith('billing-retry')), 60000);
    await typeUnsavedEdit(page, FILE, EDIT);
  }, { critical: true });

  await t.step('Approve with no bundle: its "Export Review Bundle" asks about the unsaved file, and "Save All and Export" exports the edit', async () => {
    await runCommand(page, 'SpecGate: Approve Review Packet');
    await waitForToast(page, 'the "no review bundle" question', 'SpecGate: there is no review bundle of the current change to approve.');
    await toastButton(page, 'Export Review Bundle').click();
    await waitForToast(page, 'the unsaved-files question', 'SpecGate: 1 file(s) have unsaved changes; a bundle holds what is on disk.');
    await t.shot('unsaved-question');
    if (reviewBundles(t.workspace).length) throw new Error('a bundle was written before the unsaved-files question was answered');
    await toastButton(page, 'Save All and Export').click();
    await expectBundleWithSavedEdit(page, t.workspace, abs, EDIT);
    // Approve goes on to ask for the SSH key: not wanted here.
    const widget = page.locator('.quick-input-widget');
    await waitUntil(page, 'the file dialog asking for the SSH key', async () => (await widget.isVisible()) && /SSH private key/.test(await widget.innerText().catch(() => '')));
    await closeQuickInput(page);
  });

  await t.step('"Add to Scope" when the spec file it edits was deleted since SpecGate read it: one line, nothing changed', async () => {
    await clearToasts(page);
    await page.locator('.tabs-container .tab', { hasText: 'session.ts' }).first().click();
    // The file has two hunks outside the scope, so two lenses: the one on screen (Monaco keeps
    // a lens scrolled out of view in the DOM, hidden).
    const lens = page.locator('.editor-instance .monaco-editor').first().locator('.codelens-decoration a:visible', { hasText: /^Add to Scope$/ }).first();
    await waitUntil(page, 'the "Add to Scope" code lens', () => lens.isVisible(), 30000);
    // Settle: the export's own refresh is over before the file goes.
    await page.waitForTimeout(2000);
    rmSync(target);
    await lens.click();
    const expected = `SpecGate: ${REQUIREMENTS} of spec billing-retry is no longer there (deleted since SpecGate last read the spec); nothing was changed`;
    const seen = await waitForToast(page, `the error "${expected}"`, expected, { error: true });
    await t.shot('spec-file-gone');
    const errors = await errorToasts(page);
    if (errors.length !== 1 || /cannot open|Unable to/i.test(errors.join(' '))) throw new Error(`expected one error, without VS Code's raw one; errors: ${errors.join(' | ')}; all: ${seen.join(' | ')}`);
    if (existsSync(target)) throw new Error(`${target} was made again`);
    if (await page.locator('.tabs-container .tab', { hasText: 'requirements.md' }).count()) throw new Error('an editor for requirements.md was opened');
    t.note(expected);
  });

  await t.step('Export Review Bundle with no spec in the repository: says so and offers New Spec, which asks for a layout', async () => {
    rmSync(path.join(t.workspace, '.kiro'), { recursive: true, force: true });
    await clearToasts(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Specs');
    await waitUntil(page, 'no billing-retry in the Specs view', async () => !(await viewRows(page, 'Specs')).some((r) => r.startsWith('billing-retry')), 30000);
    // Each view says so in its welcome content, with the button that makes one (no cut-off row).
    for (const view of ['Specs', 'Changes', 'Review']) {
      const welcome = viewPane(page, view).locator('.welcome-view-content');
      await waitUntil(page, `the ${view} view's welcome content with "Create a Spec"`, async () =>
        (await welcome.locator('.monaco-button', { hasText: 'Create a Spec' }).count()) === 1 && (await viewRows(page, view)).length === 0,
      );
      if (!/no spec/i.test(await welcome.innerText())) throw new Error(`the ${view} view's welcome does not say there is no spec: ${await welcome.innerText()}`);
    }
    await t.shot('no-spec-welcome');
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const expected = 'SpecGate: billing-service has no spec, so there is nothing to review the change against; create one with SpecGate: New Spec.';
    await waitForToast(page, 'the "no spec" warning', expected);
    await t.shot('no-spec');
    await toastButton(page, 'New Spec').click();
    const widget = page.locator('.quick-input-widget');
    await waitUntil(page, 'New Spec asking for the spec layout', async () => (await widget.isVisible()) && /Spec layout/.test(await widget.locator('input').first().getAttribute('placeholder').catch(() => '')));
    await t.shot('new-spec-layout');
    await closeQuickInput(page);
  });

  await t.step('Export Review Bundle with a spec-kit folder missing its number: the warning names it and the name SpecGate reads', async () => {
    const folder = path.join(t.workspace, 'specs/billing-retry');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'spec.md'), '# Feature Specification: Billing retry\n');
    writeFileSync(path.join(folder, 'tasks.md'), '- [ ] T001 Retry failed charges in src/billing/retry.ts\n');
    await clearToasts(page);
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const expected =
      'SpecGate: billing-service has no spec, so there is nothing to review the change against; ' +
      'specs/billing-retry/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-billing-retry/; create one with SpecGate: New Spec.';
    await waitForToast(page, 'the "no spec" warning naming specs/billing-retry/', expected);
    await t.shot('no-spec-near-miss');
  });

  await t.step('The Specs view names the folder SpecGate does not read; its row renames it, and Undo Rename puts it back', async () => {
    await clearToasts(page);
    await openViewContainer(page, 'SpecGate');
    // A row's label and description are rendered side by side: compared without spaces.
    const bare = (rows) => rows.map((r) => r.replace(/\s+/g, '')).join('|');
    const nearRow = 'specs/billing-retry/ not read as a spec';
    await waitUntil(page, 'the near-miss row in the Specs view', async () => bare((await viewRows(page, 'Specs')).slice(0, 1)) === bare([nearRow]));
    const rows = await viewRows(page, 'Specs');
    if (bare(rows) !== bare([nearRow, 'No spec: create one'])) throw new Error(`Specs view rows: ${rows.join(' | ')}`);
    const changes = await viewRows(page, 'Changes');
    if (bare(changes) !== bare(['No spec read specs/billing-retry/'])) throw new Error(`Changes view rows: ${changes.join(' | ')}`);
    // The status bar says so too, wherever the user is looking.
    const noSpecItem = page.locator('.statusbar-item', { hasText: 'No spec read' }).first();
    await waitUntil(page, 'the status bar item "No spec read"', () => noSpecItem.isVisible());
    await t.shot('near-miss-rows');
    await viewPane(page, 'Specs').locator('.monaco-list-row', { hasText: 'specs/billing-retry/' }).first().click();
    const question =
      'SpecGate: specs/billing-retry/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-billing-retry/. Rename the folder?';
    await waitForToast(page, 'the question naming the rename', question);
    await t.shot('near-miss-question');
    await toastButton(page, 'Rename to specs/001-billing-retry/').click();
    const renamed = path.join(t.workspace, 'specs/001-billing-retry');
    await waitUntil(page, 'specs/001-billing-retry/ on disk, specs/billing-retry/ gone', async () => existsSync(path.join(renamed, 'tasks.md')) && !existsSync(path.join(t.workspace, 'specs/billing-retry')));
    await waitUntil(page, 'the spec 001-billing-retry in the Specs view', async () => (await viewRows(page, 'Specs')).some((r) => r.startsWith('001-billing-retry')));
    await waitUntil(page, 'the status bar item gone with the spec read', async () => (await noSpecItem.count()) === 0 || !(await noSpecItem.isVisible()));
    await t.shot('near-miss-renamed');
    // The rename is offered back at once: Undo Rename moves the folder where it was.
    await waitForToast(page, 'the note that the folder was renamed', 'SpecGate: renamed specs/billing-retry/ to specs/001-billing-retry/.');
    await toastButton(page, 'Undo Rename').click();
    await waitUntil(page, 'the folder back under its old name', async () => existsSync(path.join(t.workspace, 'specs/billing-retry/tasks.md')) && !existsSync(renamed));
    await waitUntil(page, 'the near-miss row back in the Specs view', async () => bare((await viewRows(page, 'Specs')).slice(0, 1)) === bare([nearRow]));
    await waitUntil(page, 'the status bar item "No spec read" back', () => noSpecItem.isVisible());
  });

  await t.step('A spec among test data: the Specs view names it as ignored; its row takes the glob out of a new config, and Undo deletes the file', async () => {
    await clearToasts(page);
    const fixture = 'test/fixtures/app/docs/billing.md';
    mkdirSync(path.join(t.workspace, path.dirname(fixture)), { recursive: true });
    writeFileSync(path.join(t.workspace, fixture), '---\nscope:\n  - src/**\n---\n# Billing\n');
    const bare = (rows) => rows.map((r) => r.replace(/\s+/g, '')).join('|');
    const ignoredRow = `${fixture} ignored: ignoreSpecs`;
    await waitUntil(page, 'the ignored spec in the Specs view', async () => (await viewRows(page, 'Specs')).some((r) => r.startsWith(fixture)));
    const rows = await viewRows(page, 'Specs');
    if (bare(rows) !== bare(['specs/billing-retry/ not read as a spec', 'No spec: create one', ignoredRow])) throw new Error(`Specs view rows: ${rows.join(' | ')}`);
    await t.shot('ignored-spec-row');
    await viewPane(page, 'Specs').locator('.monaco-list-row', { hasText: fixture }).first().click();
    const question = `SpecGate: ${fixture} is not read as a spec: SpecGate does not read test data by default (**/fixtures/**). Take **/fixtures/** out of ignoreSpecs in .specgate/config.yml?`;
    await waitForToast(page, 'the question naming the glob', question);
    await t.shot('ignored-spec-question');
    await toastButton(page, 'Read It').click();
    const config = path.join(t.workspace, '.specgate/config.yml');
    await waitUntil(page, '.specgate/config.yml on disk', async () => existsSync(config));
    const written = readFileSync(config, 'utf8');
    if (!written.endsWith('ignoreSpecs:\n  - "**/__fixtures__/**"\n  - "**/testdata/**"\n')) throw new Error(`the config SpecGate wrote: ${written}`);
    await waitUntil(page, 'the spec billing read, in the Specs view', async () => (await viewRows(page, 'Specs')).some((r) => r.startsWith('billing')));
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'config.yml' });
    await waitUntil(page, 'config.yml open in the editor', () => tab.isVisible());
    await waitForToast(page, 'the note that the spec is read', `SpecGate: ignoreSpecs in .specgate/config.yml no longer leaves out **/fixtures/**, so ${fixture} is read as a spec.`);
    await t.shot('ignored-spec-read');
    await toastButton(page, 'Undo (Delete the File)').click();
    await waitUntil(page, 'the config deleted', async () => !existsSync(config));
    await waitUntil(page, 'the ignored row back in the Specs view', async () => bare(await viewRows(page, 'Specs')) === bare(['specs/billing-retry/ not read as a spec', 'No spec: create one', ignoredRow]));
  });

  await t.step("Install Pre-commit Gate over SpecGate's hook with an edit of the user's own asks first; Replace keeps the edited hook as the backup", async () => {
    await clearToasts(page);
    const hook = path.join(t.workspace, '.git/hooks/pre-commit');
    await runCommand(page, 'SpecGate: Install Pre-commit Gate');
    await waitUntil(page, 'the gate installed', async () => existsSync(hook) && readFileSync(hook, 'utf8').includes('# specgate-pre-commit-hook v1'));
    appendFileSync(hook, 'npm test || exit 1  # a check of my own\n');
    const edited = readFileSync(hook, 'utf8');
    await clearToasts(page);
    await runCommand(page, 'SpecGate: Install Pre-commit Gate');
    const dialog = page.locator('.monaco-dialog-box');
    await waitUntil(page, 'the modal about the edited hook', async () => (await dialog.isVisible()) && /the pre-commit hook is SpecGate's, with edits of your own/.test(await dialog.innerText()));
    const detail = (await dialog.innerText()).replace(/\s+/g, ' ');
    if (!detail.includes("is SpecGate's hook with edits of your own; to keep them, leave it as it is")) throw new Error(`the modal does not say what to do: ${detail}`);
    // Its button replaces the hook: the command line's --force is not the editor's way.
    if (detail.includes('--force') || !detail.includes('or choose Replace (keep a backup) to replace it')) throw new Error(`the modal speaks the command line's words: ${detail}`);
    await t.shot('edited-hook-question');
    if (readFileSync(hook, 'utf8') !== edited) throw new Error('the hook changed before the question was answered');
    await dialog.locator('.monaco-button', { hasText: 'Replace (keep a backup)' }).first().click();
    const backup = `${hook}.specgate-backup`;
    await waitUntil(page, 'the edited hook kept as pre-commit.specgate-backup', async () => existsSync(backup) && readFileSync(backup, 'utf8') === edited);
    if (readFileSync(hook, 'utf8').includes('a check of my own')) throw new Error('the new hook still holds the edit');
    await waitForToast(
      page,
      'the note naming the backup',
      `SpecGate: pre-commit gate installed (${hook}). Commits now need a signed approval of the staged change. The previous hook is kept as pre-commit.specgate-backup.`,
    );
  });
}
