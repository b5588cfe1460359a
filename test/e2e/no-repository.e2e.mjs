// A folder that holds a spec but is no git repository: SpecGate lists the spec, says why it
// analyses nothing, and the commands that need git (Export Review Bundle, Verify Approval)
// each answer with one message in the editor's words, not the command line's ("--cwd").
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { closeQuickInput, errorToasts, openViewContainer, runCommand, sidebar, viewPane, viewRows, visibleText, waitForViewHeader, waitUntil } from './workbench.mjs';

export const title = 'a folder with a spec but no git repository: specs listed, git commands refused in one clear message';
export const extension = 'development';

export function createWorkspace(dir) {
  // Outside every repository: the run folder may lie in an ignored part of SpecGate's own
  // clone (.vscode-test/ in CI), where git would find that clone from the workspace.
  const root = path.join(mkdtempSync(path.join('/tmp', 'specgate-nogit-')), 'notes');
  mkdirSync(root, { recursive: true });
  cpSync(path.join(import.meta.dirname, '../fixtures/workspace/kiro-billing/base'), root, { recursive: true });
  return root;
}

const NEEDS_GIT = 'SpecGate lists the specs but needs a git repository to analyse changes';
/** The row that says so in the sidebar (NEEDS_GIT and the path are its tooltip). */
const NO_GIT_ROW = 'No git repository: no analysis';
/** What a command that needs git says when no folder is in a repository. */
const COMMAND_NEEDS_GIT = /^SpecGate: to .+, SpecGate needs a git repository, and notes is not in one\.$/;

async function clearToasts(page) {
  await page.keyboard.press('Escape');
  for (const close of await page.locator('.notifications-toasts .notification-toast .codicon-notifications-clear').all()) {
    await close.click().catch(() => {});
  }
}

async function commandError(t, page, command, purpose) {
  await clearToasts(page);
  await runCommand(page, command);
  let seen = [];
  await waitUntil(page, `an error notification after "${command}"`, async () => {
    seen = await errorToasts(page);
    return seen.length > 0;
  }).catch((e) => {
    // waitUntil throws on an error toast too: that is the one wanted here.
    if (!/shows an error instead/.test(e.message)) throw e;
  });
  seen = await errorToasts(page);
  await t.shot(command);
  if (seen.length !== 1) throw new Error(`expected one error notification, saw: ${seen.join(' | ') || '(none)'}`);
  const [text] = seen;
  if (!COMMAND_NEEDS_GIT.test(text) || !text.includes(`to ${purpose},`)) throw new Error(`the message does not say that to ${purpose} needs a git repository, and that notes is in none: ${text}`);
  if (/--[a-z]|specgate (bundle|approve|verify)/.test(text)) throw new Error(`the message speaks the command line's language: ${text}`);
  t.note(`${command}: ${text}`);
  await closeQuickInput(page);
}

export async function run(t) {
  const { page } = t;
  await t.step('the Specs view lists the spec and says, short, that the folder is in no git repository; its tooltip says why and where', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await openViewContainer(page, 'SpecGate', 60000);
    await waitForViewHeader(page, 'Specs');
    let rows = [];
    await waitUntil(page, `billing-retry and the row "${NO_GIT_ROW}" in the Specs view`, async () => {
      rows = await viewRows(page, 'Specs');
      return rows.some((r) => r.startsWith('billing-retry')) && rows.some((r) => r === NO_GIT_ROW);
    }, 60000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    // The label fits the sidebar: not cut off with an ellipsis.
    const label = viewPane(page, 'Specs').locator('.monaco-list-row', { hasText: NO_GIT_ROW }).locator('.label-name').first();
    const cut = await label.evaluate((e) => e.scrollWidth > e.clientWidth);
    if (cut) throw new Error(`"${NO_GIT_ROW}" is cut off in a ${(await sidebar(page).boundingBox()).width} px sidebar`);
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: NEEDS_GIT }).first();
    let moved = 0;
    const shown = await waitUntil(page, 'the tooltip with the path and the reason', async () => {
      const seen = await visibleText(hover);
      if (seen) return seen;
      if (Date.now() - moved > 2000) {
        // Measured on every try: the row moves when the view refreshes.
        const box = await label.boundingBox().catch(() => null);
        if (!box) return false;
        moved = Date.now();
        await page.mouse.move(700, 400);
        await page.mouse.move(box.x + 20 + Math.random() * 10, box.y + box.height / 2, { steps: 3 });
      }
      return false;
    }, 30000);
    const text = shown.replace(/\s+/g, ' ');
    if (!/^not a git repository: \/\S+\/notes: SpecGate lists the specs/.test(text)) throw new Error(`tooltip: ${text}`);
    await t.shot('no-git-tooltip');
    await page.mouse.move(700, 400);
  }, { critical: true });

  await t.step('"SpecGate: Export Review Bundle" says in one message that a git repository is needed', () =>
    commandError(t, page, 'SpecGate: Export Review Bundle', 'export a review bundle'),
  );
  await t.step('"SpecGate: Verify Approval" says in one message that a git repository is needed', () => commandError(t, page, 'SpecGate: Verify Approval', 'verify an approval'));
  await t.step('"SpecGate: Install Pre-commit Gate" says in one message that a git repository is needed', () =>
    commandError(t, page, 'SpecGate: Install Pre-commit Gate', 'install the pre-commit gate'),
  );

  await t.step('with the spec gone too, the Specs view says a git repository is needed; "Initialize Repository" makes one, and the welcome then asks for a spec only', async () => {
    await clearToasts(page);
    rmSync(path.join(t.workspace, '.kiro'), { recursive: true, force: true });
    const welcome = viewPane(page, 'Specs').locator('.welcome-view-content');
    await waitUntil(page, 'the Specs welcome saying the folder is not in a git repository, with "Initialize Repository"', async () =>
      /not in a git repository/.test((await welcome.innerText().catch(() => '')) || '') && (await welcome.locator('.monaco-button', { hasText: 'Initialize Repository' }).count()) === 1,
    60000);
    await t.shot('no-spec-no-git-welcome');
    await welcome.locator('.monaco-button', { hasText: 'Initialize Repository' }).click();
    // git.init asks which folder when it is not sure; the workspace's own folder is the answer.
    const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes' }).first();
    await waitUntil(page, 'a .git folder in the workspace', async () => {
      if (await pick.isVisible().catch(() => false)) await pick.click().catch(() => {});
      return existsSync(path.join(t.workspace, '.git'));
    });
    await waitUntil(page, 'the Specs welcome asking for a spec, no longer for a repository', async () => {
      const text = (await welcome.innerText().catch(() => '')) || '';
      return /No spec found in this workspace/.test(text) && !/not in a git repository/.test(text);
    }, 60000);
    await t.shot('no-spec-welcome-after-init');
  });
}
