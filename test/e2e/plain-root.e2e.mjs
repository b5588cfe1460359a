// A plain spec anywhere: a repository whose only spec is `SPEC.md` at its root (the
// Details page's example), with an edit outside its scope. SpecGate starts by itself once
// the window has started, without the user opening its view: the status bar names the spec
// and the edit, and the file's out-of-scope lens is there. A file deleted outside the scope
// has no editor for a lens or a light bulb: its row in the Changes view offers the fixes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openFromExplorer, openViewContainer, viewPane, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'a plain spec at the repository root starts SpecGate by itself: status bar and lens, no view opened';
export const extension = 'development';

export function createWorkspace() {
  const root = path.join(mkdtempSync(path.join('/tmp', 'specgate-plainroot-')), 'cache-service');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'SPEC.md'), '---\nscope: [src/cache/**, test/cache/**]\nout_of_scope: [infra/**]\n---\n# Response cache\n\n- [ ] 1. Add `src/cache/lru.ts`\n');
  writeFileSync(path.join(root, 'src/handler.ts'), 'export function handle(): number {\n  return 1;\n}\n');
  writeFileSync(path.join(root, 'src/legacy.ts'), 'export const legacy = true;\n');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const git = (...args) => execFileSync('git', args, { cwd: root, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=A', '-c', 'user.email=a@example.com', 'add', '-A');
  git('-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-q', '-m', 'cache service');
  writeFileSync(path.join(root, 'src/handler.ts'), 'export function handle(): number {\n  return 2;\n}\n');
  rmSync(path.join(root, 'src/legacy.ts'));
  return root;
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens on the Explorer, the SpecGate view not opened', () => waitForWorkbench(page), { critical: true });

  await t.step('the status bar names the spec SPEC and the edit outside it, with no SpecGate view opened', async () => {
    const item = page.locator('.statusbar-item', { hasText: 'SPEC' }).filter({ hasText: /outside spec/ }).first();
    let seen = '';
    await waitUntil(page, 'a status bar item "SPEC · 2 outside spec"', async () => {
      seen = (await item.count()) > 0 ? (await item.innerText()).replace(/\s+/g, ' ') : '';
      return /SPEC.*2 outside spec/.test(seen);
    }, 60000);
    t.note(`status bar: ${seen}`);
    const sidebarTitle = (await page.locator('.part.sidebar .composite.title').first().innerText().catch(() => '')).trim();
    if (/SPECGATE/i.test(sidebarTitle)) throw new Error(`the SpecGate view was open: ${sidebarTitle}`);
    await t.shot('status-bar');
  });

  await t.step('src/handler.ts shows the out-of-scope lens', async () => {
    await openFromExplorer(page, 'src/handler.ts');
    const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration').filter({ hasText: /Outside spec SPEC/ }).first();
    await waitUntil(page, 'the "Outside spec SPEC" code lens', () => lens.isVisible());
    await t.shot('lens');
  });

  await t.step('the deleted src/legacy.ts: its row in the Changes view offers Add to Scope, which writes it into SPEC.md', async () => {
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Changes');
    const row = viewPane(page, 'Changes').locator('.monaco-list-row', { hasText: 'legacy.ts' }).first();
    await waitUntil(page, 'the row of legacy.ts in the Changes view', () => row.isVisible());
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Add to Scope' }).first();
    await waitUntil(page, 'Add to Scope in the row\'s menu', () => entry.isVisible());
    const menu = (await page.locator('.context-view .monaco-menu').first().innerText()).replace(/\s+/g, ' ');
    t.note(`menu: ${menu}`);
    if (!/Link to Task/.test(menu)) throw new Error(`the menu lacks Link to Task: ${menu}`);
    await t.shot('changes-menu');
    await page.waitForTimeout(300); // the menu's fade-in: a click before it ends can be lost
    await entry.click();
    // The spec opens with the edit (auto save off or on, the editor holds it; saved here to read it).
    await waitUntil(page, 'SPEC.md open with src/legacy.ts in its scope', async () => {
      const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText().catch(() => '');
      return text.replace(/\u00a0/g, ' ').includes('src/legacy.ts');
    });
    await page.keyboard.press('Control+S');
    await waitUntil(page, 'SPEC.md saved with src/legacy.ts', () => readFileSync(path.join(t.workspace, 'SPEC.md'), 'utf8').includes('src/legacy.ts'));
    t.note(readFileSync(path.join(t.workspace, 'SPEC.md'), 'utf8').split('\n').slice(0, 4).join(' | '));
    await t.shot('spec-after');
  });

  await t.step('the deleted src/legacy.ts: Restore File on its row puts it back as the base has it, and the row goes', async () => {
    // The saved scope analysed: the row now says "in scope" (its screen reader label), and none "out of scope".
    const pane = viewPane(page, 'Changes');
    const row = pane.locator('.monaco-list-row[aria-label^="legacy.ts, in scope,"]').first();
    await waitUntil(page, 'the row of legacy.ts in the Changes view, in scope', async () =>
      (await row.isVisible()) && (await pane.locator('.monaco-list-row[aria-label^="legacy.ts, out of scope,"]').count()) === 0);
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Restore File' }).first();
    await waitUntil(page, 'Restore File in the row\'s menu', () => entry.isVisible());
    await page.waitForTimeout(300); // the menu's fade-in: a click before it ends can be lost
    await entry.click();
    const file = path.join(t.workspace, 'src/legacy.ts');
    await waitUntil(page, 'src/legacy.ts back on disk', () => existsSync(file));
    const text = readFileSync(file, 'utf8');
    if (text !== 'export const legacy = true;\n') throw new Error(`restored with other content: ${JSON.stringify(text)}`);
    await waitUntil(page, 'legacy.ts gone from the Changes view', async () => (await viewPane(page, 'Changes').locator('.monaco-list-row', { hasText: 'legacy.ts' }).count()) === 0, 30000);
    await t.shot('restored');
  });
}
