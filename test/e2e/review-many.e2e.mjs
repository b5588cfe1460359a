// A review panel for a change with many files outside the scope: none opens by itself (the
// panel would take seconds to draw thousands of diffs), the panel says so, and a file's diff
// is drawn when the reviewer opens it. A few such files (the other scenarios) still open by
// themselves. Its long list of findings starts with a roll-up by rule.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openViewContainer, reviewBundles, reviewPanelBody, runCommand, waitForViewHeader, waitForWorkbench, waitUntil, clickOpenPacket } from './workbench.mjs';

export const title = 'the review panel with 60 files outside the scope: none opens by itself, each opens when asked';
export const extension = 'development';

const COUNT = 60;

export function beforeStart(t) {
  const dir = path.join(t.workspace, 'src/extra');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < COUNT; i++) writeFileSync(path.join(dir, `f${String(i).padStart(2, '0')}.ts`), `export const extra${i} = ${i};\n`);
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens the change', () => waitForWorkbench(page), { critical: true });

  await t.step('Export Review Bundle, then Open Packet, shows the review panel', async () => {
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Changes');
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    await waitUntil(page, 'a new review bundle', () => reviewBundles(t.workspace).some((b) => !before.has(b)), 60000);
    await clickOpenPacket(page);
    await waitUntil(page, 'the review panel listing the change', async () => (await reviewPanelBody(page).innerText({ timeout: 1000 }).catch(() => '')).includes('Changes'));
  }, { critical: true });

  await t.step(`no file is open, the panel says why, and no diff is drawn until asked`, async () => {
    const body = reviewPanelBody(page);
    // The fixture's own out-of-scope edit (src/auth/session.ts) and the 60 new files.
    const note = `${COUNT + 1} files have changes outside the scope: open each one to read its diff.`;
    await waitUntil(page, `the note "${note}"`, async () => (await body.innerText()).includes(note));
    const open = await body.locator('button.file-toggle[aria-expanded="true"]').count();
    if (open !== 0) throw new Error(`${open} files opened by themselves`);
    const hunks = await body.locator('pre.diff').count();
    if (hunks !== 0) throw new Error(`${hunks} diffs drawn before any file was opened`);
    await t.shot('collapsed');
  });

  await t.step('the findings that need a decision start with a roll-up by rule: how many, on how many files, and where most are', async () => {
    const body = reviewPanelBody(page);
    const rollup = body.locator('section .rollup');
    await waitUntil(page, 'the roll-up above the findings', () => rollup.isVisible());
    const text = (await rollup.innerText()).replace(/\s+/g, ' ');
    // The 60 new files, one hunk each, and the fixture's own out-of-scope edit (its hunks counted too).
    const want = new RegExp(`out of scope SG101: \\d+ hunks in ${COUNT + 1} files, 2 folders; most in src/extra/ ${COUNT}, src/auth/ 1`);
    if (!want.test(text)) throw new Error(`the roll-up reads "${text}", not ${want}`);
    await rollup.scrollIntoViewIfNeeded();
    await t.shot('rollup');
  });

  await t.step('opening one file draws its diff', async () => {
    const body = reviewPanelBody(page);
    await body.locator('button.file-toggle', { hasText: 'src/extra/f07.ts' }).first().click();
    await waitUntil(page, 'the diff of src/extra/f07.ts', async () => (await body.locator('pre.diff').allInnerTexts()).join('\n').includes('+export const extra7 = 7;'));
    const drawn = await body.locator('pre.diff').count();
    if (drawn !== 1) throw new Error(`${drawn} diffs drawn after opening one file`);
    await t.shot('one-open');
  });
}
