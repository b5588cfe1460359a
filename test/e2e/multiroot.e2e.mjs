// Multi-root: two repositories in one workspace, each with its own spec (the bundled example
// in Kiro and in OpenSpec form) and its own change. Each folder gets its own active spec and
// its own analysis; the Specs and Changes views show one node per folder. One folder sets
// its own `specgate.protectedPaths` in its .vscode/settings.json (a resource-scoped setting),
// which applies to that folder alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createExampleRepo } from '../../scripts/demo-lib.mjs';
import { openViewContainer, viewPane, viewRows, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'multi-root workspace: each folder its own repository and spec';
export const extension = 'development';

const FOLDERS = [
  { name: 'billing-kiro', layout: 'kiro', spec: 'billing-retry' },
  { name: 'billing-openspec', layout: 'openspec', spec: 'add-billing-retry' },
];

export function createWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of FOLDERS) createExampleRepo(path.join(dir, f.name), { layout: f.layout, applyChange: true });
  mkdirSync(path.join(dir, FOLDERS[0].name, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, FOLDERS[0].name, '.vscode/settings.json'), JSON.stringify({ 'specgate.protectedPaths': [FOLDER_PROTECTED] }, null, 2));
  const file = path.join(dir, 'billing.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: FOLDERS.map((f) => ({ path: f.name })) }, null, 2));
  return file;
}

/** Protected by billing-kiro's own folder setting; changed (and not otherwise high risk) in both folders. */
const FOLDER_PROTECTED = 'src/billing/client.ts';

/** Rows of one folder's subtree in a view, with the other folders collapsed. */
function ownRows(rows, name) {
  const start = rows.findIndex((r) => r.startsWith(name));
  if (start < 0) return undefined;
  const next = rows.findIndex((r, k) => k > start && FOLDERS.some((o) => r.startsWith(o.name)));
  return rows.slice(start + 1, next < 0 ? undefined : next);
}

/** Rows (file name, then its description) of a group ("High risk", …) in a folder's rows. */
function groupFiles(own, group) {
  const i = own.findIndex((r) => r.startsWith(group));
  if (i < 0) return [];
  const end = own.findIndex((r, k) => k > i && /^(Out of scope|Excluded|High risk|In scope|Spec files)/.test(r));
  return own.slice(i + 1, end < 0 ? undefined : end);
}

function folderRow(page, view, label) {
  return viewPane(page, view).locator('.pane-body .monaco-list-row').filter({ hasText: label }).first();
}

async function setExpanded(page, view, label, expanded) {
  const row = folderRow(page, view, label);
  await row.waitFor({ timeout: 30000 });
  // Clicked again (at most every 2 s) if a click landed while the view re-rendered.
  let clickedAt = 0;
  await waitUntil(page, `"${label}" ${expanded ? 'expanded' : 'collapsed'} in ${view}`, async () => {
    const state = await row.getAttribute('aria-expanded');
    if (state === null || state === String(expanded)) return true; // not a collapsible row: nothing to toggle
    if (state === String(!expanded) && Date.now() - clickedAt > 2000) {
      clickedAt = Date.now();
      await row.click();
    }
    return false;
  });
}

async function expand(page, view, label) {
  await setExpanded(page, view, label, true);
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens both folders', async () => {
    await waitForWorkbench(page);
    for (const f of FOLDERS) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: f.name }).first().waitFor({ timeout: 30000 });
    }
  }, { critical: true });

  await t.step('Specs: one node per folder, each with its own active spec', async () => {
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
    let rows = [];
    await waitUntil(page, 'both folders, each with its active spec, in the Specs view', async () => {
      for (const f of FOLDERS) await expand(page, 'Specs', f.name);
      rows = await viewRows(page, 'Specs');
      return FOLDERS.every((f) => rows.some((r) => r.startsWith(f.spec) && r.includes(`${f.layout} · active`)));
    }, 60000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    await t.shot('specs');
  });

  await t.step('Changes: each folder lists its own session.ts as out of scope', async () => {
    // The tree is virtualised: look at one folder at a time, the others collapsed (in order,
    // so that collapsing one brings the next into view).
    for (const f of FOLDERS) await setExpanded(page, 'Changes', f.name, false);
    for (const f of FOLDERS) {
      let rows = [];
      await waitUntil(page, `an "Out of scope" group with session.ts under ${f.name}`, async () => {
        await setExpanded(page, 'Changes', f.name, true);
        rows = await viewRows(page, 'Changes');
        const start = rows.findIndex((r) => r.startsWith(f.name));
        if (start < 0) return false;
        const next = rows.findIndex((r, k) => k > start && FOLDERS.some((o) => r.startsWith(o.name)));
        const own = rows.slice(start + 1, next < 0 ? undefined : next);
        const i = own.findIndex((r) => r.startsWith('Out of scope'));
        return i >= 0 && own.slice(i + 1).some((r) => r.startsWith('session.ts'));
      }, 60000).catch((e) => {
        throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
      });
      await t.shot(`changes-${f.name}`);
      await setExpanded(page, 'Changes', f.name, false);
    }
  });

  await t.step(`a folder's own specgate.protectedPaths applies to that folder only: ${FOLDER_PROTECTED} is high risk in ${FOLDERS[0].name}, not in ${FOLDERS[1].name}`, async () => {
    for (const f of FOLDERS) await setExpanded(page, 'Changes', f.name, false);
    const seen = {};
    for (const [i, f] of FOLDERS.entries()) {
      await waitUntil(page, `${f.name}'s High risk group ${i === 0 ? 'with' : 'without'} client.ts`, async () => {
        await setExpanded(page, 'Changes', f.name, true);
        const own = ownRows(await viewRows(page, 'Changes'), f.name) ?? [];
        seen[f.name] = own.join(' | ');
        const risky = groupFiles(own, 'High risk');
        if (risky.length === 0) return false;
        const listed = risky.some((r) => r.startsWith('client.ts'));
        return i === 0 ? listed : !listed;
      }, 60000).catch((e) => {
        throw new Error(`${e.message}; rows: ${JSON.stringify(seen)}`);
      });
      await t.shot(`protected-${f.name}`);
      await setExpanded(page, 'Changes', f.name, false);
    }
  });
}
