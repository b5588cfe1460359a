// A change has one approval record. Alice (a trusted reviewer) rejected it with the real CLI;
// Bob then runs Approve in the editor: before anything is signed over her record, a modal
// names her, her rejection and its comment. Cancel writes nothing; "Replace with My
// Approval" replaces it, and the notification says whose rejection was replaced.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFixtureWorkspace } from '../vscode/fixtureWorkspace.mjs';
import { openViewContainer, pickSshKey, reviewBundles, runCommand, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = "Approve over another reviewer's rejection asks first: Cancel writes nothing, Replace says whose rejection it replaced";
export const extension = 'development';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const COMMENT = 'the retry loop has no cap [docs](command:workbench.action.quit)';

function env() {
  const e = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', SSH_ASKPASS_REQUIRE: 'never' };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'SSH_AUTH_SOCK', 'SSH_ASKPASS', 'DISPLAY']) delete e[k];
  return e;
}
function git(cwd, args) {
  return execFileSync('git', args, { cwd, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

let keys = { alice: '', bob: '' };

/** The fixture repository with Alice and Bob trusted in the base's allowed_signers. */
export function createWorkspace(dir) {
  const { root } = createFixtureWorkspace(dir);
  const keyDir = path.join(dir, 'keys');
  mkdirSync(keyDir, { recursive: true });
  const lines = [];
  for (const name of ['alice', 'bob']) {
    const key = path.join(keyDir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@example.com`, '-f', key]);
    keys[name] = key;
    lines.push(`${name}@example.com namespaces="specgate" ${readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')}`);
  }
  mkdirSync(path.join(root, '.specgate'), { recursive: true });
  writeFileSync(path.join(root, '.specgate/allowed_signers'), `${lines.join('\n')}\n`);
  git(root, ['add', '.specgate/allowed_signers']);
  git(root, ['-c', 'user.name=Fixture Author', '-c', 'user.email=author@example.com', 'commit', '-q', '-m', 'trust the reviewers']);
  return root;
}

/** The one approval record and its signature, as bytes on disk. */
function record(root) {
  const dir = path.join(root, '.specgate/approvals');
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length !== 1) throw new Error(`expected one record, found: ${names.join(', ') || '(none)'}`);
  const file = path.join(dir, names[0]);
  return { json: readFileSync(file, 'utf8'), sig: readFileSync(file.replace(/\.json$/, '.sig'), 'utf8') };
}

/** Runs Approve, picks Bob's key, types a comment, and waits for the modal asking to replace Alice's record. */
async function approveAsBob(t, comment) {
  const { page } = t;
  await runCommand(page, 'SpecGate: Approve Review Packet');
  await pickSshKey(page, keys.bob);
  const widget = page.locator('.quick-input-widget');
  await waitUntil(page, 'the comment prompt', async () =>
    (await widget.isVisible()) && /Comment stored in the signed record/.test(await widget.innerText().catch(() => '')),
  );
  await widget.locator('input').first().fill(comment);
  await page.keyboard.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await waitUntil(page, "the modal asking to replace Alice's rejection", async () => (await dialog.isVisible()) && /another reviewer/.test(await dialog.innerText()), 30000);
  return dialog;
}

export async function run(t) {
  const { page } = t;
  const root = t.workspace;
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keys.alice}.pub`], { encoding: 'utf8' }).split(' ')[1];
  let rejected;

  await t.step('the change is exported, and Alice rejects it with specgate approve --reject', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Review');
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const bundles = await waitUntil(page, 'a review bundle', () => reviewBundles(root).length > 0 && reviewBundles(root), 60000);
    execFileSync(process.execPath, [CLI, 'approve', bundles[0], '--key', keys.alice, '--reject', '--comment', COMMENT], { cwd: root, env: env(), stdio: 'pipe' });
    rejected = record(root);
    if (JSON.parse(rejected.json).decision !== 'rejected') throw new Error(`Alice's record is not a rejection: ${rejected.json}`);
  }, { critical: true });

  await t.step("Bob's Approve asks in a modal naming Alice, her rejection and comment; Cancel writes nothing", async () => {
    const dialog = await approveAsBob(t, 'looks fine to me');
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    await t.shot('replace-question');
    t.note(text);
    // Her record's time in UTC to the second, as the sidebar shows times, not the ISO text.
    const at = `${new Date(JSON.parse(rejected.json).time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    const earlier = `a rejection by alice@example.com (${fingerprint}) at ${at}: the retry loop has no cap [docs] (command:workbench.action.quit)`;
    for (const part of ["SpecGate: another reviewer's rejection of this change would be replaced.", earlier, 'Replace with My Approval']) {
      if (!text.includes(part)) throw new Error(`the modal lacks "${part}": ${text}`);
    }
    if (await dialog.locator('.dialog-message-container a').count()) throw new Error('the modal renders a link from the record text');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    await page.waitForTimeout(1500);
    const now = record(root);
    if (now.json !== rejected.json || now.sig !== rejected.sig) throw new Error(`Cancel changed the record: ${now.json}`);
    const approvedToasts = await page.locator('.notifications-toasts .notification-toast', { hasText: /SpecGate: approved/ }).count();
    if (approvedToasts) throw new Error('a notification says approved after Cancel');
  });

  await t.step('"Replace with My Approval" replaces the record, and the notification says whose rejection it replaced', async () => {
    const dialog = await approveAsBob(t, 'overruled: the cap is in the caller');
    await dialog.locator('.monaco-button', { hasText: 'Replace with My Approval' }).first().click();
    await waitUntil(page, "Bob's approval in the record", () => {
      const r = JSON.parse(record(root).json);
      return r.decision === 'approved' && r.reviewer.principal === 'bob@example.com';
    }, 30000);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /SpecGate: approved and signed/ }).first();
    await waitUntil(page, 'the notification that the change was approved', () => toast.isVisible());
    const said = (await toast.innerText()).replace(/\s+/g, ' ');
    await t.shot('replaced');
    t.note(said);
    if (!said.startsWith(`SpecGate: approved and signed; replaced the earlier rejection by alice@example.com (${fingerprint}) of this change (.specgate/approvals/`)) throw new Error(`the notification does not say what it replaced: ${said}`);
  });
}
