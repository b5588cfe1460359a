// Approving with the wrong file: the reviewer picks ~/.ssh/known_hosts in the key dialog.
// Signing fails with one message and the wrong file is not remembered in
// specgate.approve.keyPath (remembered, every later Approve would fail the same way without
// asking). A remembered key that cannot sign (set earlier, or since replaced) fails with a
// "Choose Another Key" button; the private key chosen there signs and is then remembered.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeQuickInput, errorToasts, openViewContainer, pickSshKey, reviewBundles, runCommand, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export const title = 'Approve with a file that is no key: refused, not remembered; a remembered bad key can be replaced';
export const extension = 'development';

/** specgate.approve.keyPath as stored (a machine-scoped setting: code-server keeps it in the remote's Machine settings). */
function keySetting(t) {
  for (const rel of ['user-data/Machine/settings.json', 'user-data/User/settings.json']) {
    const file = path.join(t.runDir, rel);
    if (!existsSync(file)) continue;
    const value = JSON.parse(readFileSync(file, 'utf8'))['specgate.approve.keyPath'];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Runs Approve and answers the key dialog with `key` and the comment prompt with `comment`. */
async function approveWith(t, key, comment) {
  const { page } = t;
  await runCommand(page, 'SpecGate: Approve Review Packet');
  await pickSshKey(page, key);
  const widget = page.locator('.quick-input-widget');
  await waitUntil(page, 'the comment prompt', async () =>
    (await widget.isVisible()) && /Comment stored in the signed record/.test(await widget.innerText().catch(() => '')),
  );
  await widget.locator('input').first().fill(comment);
  await page.keyboard.press('Enter');
}

/** The one error notification shown, once it is there. */
async function oneError(t, what) {
  const { page } = t;
  let seen = [];
  await waitUntil(page, what, async () => {
    seen = await errorToasts(page);
    return seen.length > 0;
  }).catch((e) => {
    if (!/shows an error instead/.test(e.message)) throw e;
  });
  seen = await errorToasts(page);
  if (seen.length !== 1) throw new Error(`expected one error notification, saw: ${seen.join(' | ') || '(none)'}`);
  return seen[0];
}

export async function run(t) {
  const { page } = t;
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'specgate-ui-key-'));
  const key = path.join(keyDir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reviewer@example.com', '-f', key]);
  const wrong = path.join(keyDir, 'known_hosts');
  writeFileSync(wrong, 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n');
  const approvals = path.join(t.workspace, '.specgate/approvals');
  const records = () => (existsSync(approvals) ? readdirSync(approvals).filter((f) => f.endsWith('.json')) : []);
  try {
    await t.step('the workbench opens and the change is exported', async () => {
      await waitForWorkbench(page);
      await openViewContainer(page, 'SpecGate');
      await waitForViewHeader(page, 'Review');
      await runCommand(page, 'SpecGate: Export Review Bundle');
      await waitUntil(page, 'a review bundle', () => reviewBundles(t.workspace).length > 0, 60000);
    }, { critical: true });

    await t.step('approving with known_hosts fails with one message, and the file is not remembered', async () => {
      await approveWith(t, wrong, 'first try');
      const text = await oneError(t, 'an error notification about the key');
      await t.shot('wrong-key-refused');
      if (!text.includes(wrong)) throw new Error(`the error does not name ${wrong}: ${text}`);
      t.note(text);
      if (records().length) throw new Error(`a record was written: ${records().join(', ')}`);
      const remembered = keySetting(t);
      if (remembered !== undefined) throw new Error(`specgate.approve.keyPath remembers a key that did not sign: ${remembered}`);
      await page.keyboard.press('Escape');
      for (const close of await page.locator('.notifications-toasts .notification-toast .codicon-notifications-clear').all()) await close.click().catch(() => {});
    }, { critical: true });

    await t.step('a remembered key that cannot sign offers "Choose Another Key"; the private key chosen there signs and is remembered', async () => {
      const machine = path.join(t.runDir, 'user-data/Machine');
      mkdirSync(machine, { recursive: true });
      writeFileSync(path.join(machine, 'settings.json'), JSON.stringify({ 'specgate.approve.keyPath': wrong }));
      // The settings file is re-read on change, a moment later (seconds on a busy machine):
      // until then Approve, knowing no key, asks for one. Such an ask is closed and Approve run
      // again; once the setting is read, the remembered key must be used without asking.
      const widget = page.locator('.quick-input-widget');
      const prompt = async () => ((await widget.isVisible()) ? await widget.innerText().catch(() => '') : '');
      let asks = 0;
      await runCommand(page, 'SpecGate: Approve Review Packet');
      await waitUntil(page, 'the comment prompt (the remembered key is used without asking)', async () => {
        const text = await prompt();
        if (/Comment stored in the signed record/.test(text)) return true;
        if (/SSH private key/.test(text)) {
          asks += 1;
          await closeQuickInput(page);
          await page.waitForTimeout(1000);
          await runCommand(page, 'SpecGate: Approve Review Packet');
        }
        return false;
      });
      if (asks) t.note(`asked for a key ${asks} time(s) before the setting was read`);
      await widget.locator('input').first().fill('second try');
      await page.keyboard.press('Enter');
      const button = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Choose Another Key' }).first();
      await waitUntil(page, 'a "Choose Another Key" button on the signing error', () => button.isVisible()).catch((e) => {
        if (!/shows an error instead/.test(e.message)) throw e;
      });
      await t.shot('choose-another-key');
      if (!(await button.isVisible())) throw new Error(`no "Choose Another Key" button; errors: ${(await errorToasts(page)).join(' | ')}`);
      await button.click();
      await pickSshKey(page, key);
      await waitUntil(page, 'a signed approval record', () => records().length === 1);
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /SpecGate: approved/ }).first();
      await waitUntil(page, 'the notification that the change was approved', () => toast.isVisible());
      await t.shot('approved');
      await waitUntil(page, `specgate.approve.keyPath = ${key}`, () => keySetting(t) === key);
    });
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}
