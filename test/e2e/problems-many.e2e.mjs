// The Problems panel holds every finding of a change with more than a thousand of them. VS
// Code passes on at most 1,100 diagnostics of one DiagnosticCollection.set call and drops
// the rest without a word, while the extension host keeps them all (so only the workbench
// side, read here from the status bar, shows the cut).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { repoRoot } from '../vscode/paths.mjs';
import { waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'the Problems panel on a change with 1,200 findings: all of them reach the workbench, and an edit to one file changes only its own';
export const extension = 'development';

const FILES = 80;
const LINES = 120;
/** Every eighth line of each file is edited: 15 hunks, each an out-of-scope finding (SG101 gives one per hunk up to 20). */
const HUNKS = 15;
const lines = (i, edited) => Array.from({ length: LINES }, (_, k) => (edited && k % 8 === 0 ? `edited ${i}.${k}` : `line ${i}.${k}`)).join('\n') + '\n';
const file = (i) => `data/f${String(i).padStart(2, '0')}.txt`;

function git(cwd, args) {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function createWorkspace(dir) {
  // The fixture's base without its change; the data files committed, then edited.
  const { root } = createFixtureWorkspace(dir, { applyChange: false });
  mkdirSync(path.join(root, 'data'));
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(root, file(i)), lines(i, false));
  git(root, ['add', 'data']);
  git(root, ['commit', '-q', '-m', 'data']);
  for (let i = 0; i < FILES; i++) writeFileSync(path.join(root, file(i)), lines(i, true));
  return root;
}

/** What the CLI finds, by severity: what the Problems panel must hold. */
function cliCounts(root) {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'check', '--format', 'json', '--fail-on', 'none', '--no-cache'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const counts = { errors: 0, warnings: 0, infos: 0 };
  for (const f of JSON.parse(out).findings) counts[f.severity === 'error' ? 'errors' : f.severity === 'warning' ? 'warnings' : 'infos'] += 1;
  return counts;
}

/** The workbench's own count of problems, from the status bar item's label ("Errors: 1234, Warnings: 5"). */
async function problemCounts(page) {
  const label = (await page.locator('.part.statusbar [id="status.problems"] a, .part.statusbar [id="status.problems"]').first().getAttribute('aria-label').catch(() => null)) ?? '';
  const n = (re) => Number(re.exec(label)?.[1] ?? 0);
  return { errors: n(/Errors: (\d+)/), warnings: n(/Warnings: (\d+)/), infos: n(/Infos: (\d+)/), label };
}

async function waitForCounts(page, want) {
  const same = (c) => c.errors === want.errors && c.warnings === want.warnings && c.infos === want.infos;
  let last;
  await waitUntil(page, `the status bar counting ${JSON.stringify(want)} problems`, async () => same((last = await problemCounts(page))), 90000).catch((e) => {
    throw new Error(`${e.message.split(' (last')[0]}; it says "${last?.label}"`);
  });
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens the change', () => waitForWorkbench(page), { critical: true });

  await t.step('every finding reaches the Problems panel: the status bar counts what the CLI finds', async () => {
    const want = cliCounts(t.workspace);
    // The change is what this scenario made: 80 files of 15 hunks, each out of the spec's scope.
    if (want.errors < FILES * HUNKS) throw new Error(`the CLI finds ${want.errors} errors, fewer than the ${FILES * HUNKS} hunks out of scope`);
    await waitForCounts(page, want);
    await page.keyboard.press('Control+Shift+M');
    await waitUntil(page, 'the Problems panel', () => page.locator('.markers-panel').first().isVisible());
    await t.shot('problems');
  });

  await t.step('an edit on disk to one file adds its one new finding, and the others stay', async () => {
    // One more hunk out of scope, far from the others (a new last line).
    writeFileSync(path.join(t.workspace, file(7)), `${lines(7, true)}appended\n`);
    const want = cliCounts(t.workspace);
    await waitForCounts(page, want);
    await t.shot('after-edit');
  });
}
