// Export Review Bundle on a change large enough to take seconds: its progress notification
// has a Cancel button; clicking it stops git, writes no folder, and says so in one line. The
// export run again afterwards writes the bundle.
import { readdirSync, readFileSync, readlinkSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { openViewContainer, reviewBundles, runCommand, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'Export Review Bundle can be cancelled from its progress notification';
export const extension = 'development';

const PROGRESS = 'SpecGate: exporting the review bundle';
const CANCELLED = 'SpecGate: export cancelled, nothing written.';

export function createWorkspace(dir) {
  const { root } = createFixtureWorkspace(dir);
  // About 60 MB of in-scope text: git and the writer take seconds over it.
  const lines = [];
  for (let i = 0, size = 0; size < 60 * 1024 * 1024; i++) {
    const l = `line ${i} ${(i * 7919) % 100003}\n`;
    lines.push(l);
    size += l.length;
  }
  writeFileSync(path.join(root, 'src/billing/big.txt'), lines.join(''));
  return root;
}

/** Pids of git processes working in `root` (their current folder). */
function gitIn(root) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/comm`, 'utf8').trim() === 'git' && readlinkSync(`/proc/${name}/cwd`) === root) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function folders(root) {
  const dir = path.join(root, '.specgate/reviews');
  return existsSync(dir) ? readdirSync(dir) : [];
}

const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens with the SpecGate views', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Review');
  }, { critical: true });

  await t.step('the export\'s progress notification has Cancel; clicking it stops git and writes nothing', async () => {
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const progress = toast(page, PROGRESS);
    const cancel = progress.locator('.monaco-button', { hasText: 'Cancel' }).first();
    await waitUntil(page, `the "${PROGRESS}" notification with a Cancel button`, () => cancel.isVisible());
    await waitUntil(page, 'git running in the workspace for the export', () => gitIn(t.workspace).length > 0, 15000);
    await t.shot('export-progress');
    await cancel.click();
    await waitUntil(page, `the notification "${CANCELLED}"`, () => toast(page, CANCELLED).isVisible());
    await waitUntil(page, 'no git left running in the workspace', () => gitIn(t.workspace).length === 0, 5000);
    const left = folders(t.workspace);
    if (left.length) throw new Error(`cancelled, yet .specgate/reviews/ holds ${left.join(', ')}`);
    if (await progress.isVisible()) throw new Error('the progress notification is still showing');
  });

  await t.step('exported again without cancelling, the bundle is written', async () => {
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const written = await waitUntil(page, 'a bundle folder with packet.json, REVIEW.md, review.html', () => {
      const b = reviewBundles(t.workspace);
      return b.length > 0 && b;
    }, 60000);
    await waitUntil(page, 'the "review bundle written" notification', () => toast(page, 'SpecGate: review bundle written to').isVisible());
    if (written.length !== 1) throw new Error(`expected one bundle, found ${written.join(', ')}`);
    t.note(`bundle: ${path.relative(t.workspace, written[0])}`);
  });
}
