// Tier 3: a reviewer's path through the workbench with SpecGate loaded from source, on the
// fixture repository (Kiro spec billing-retry; an in-scope edit and an out-of-scope edit to
// src/auth/session.ts): sidebar, code lens over the out-of-scope hunk, bundle export.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closeQuickInput, openFromExplorer, openViewContainer, pickSshKey, readJson, reloadWindow, reviewBundles, reviewPanelBody, typeInPalette,
  runCommand, viewRows, waitForViewHeader, waitForWorkbench, waitUntil, clickOpenPacket } from './workbench.mjs';

export const title = 'SpecGate in the workbench (extension loaded from source)';
export const extension = 'development';

const OUT_OF_SCOPE_FILE = 'src/auth/session.ts';
const OUT_OF_SCOPE_LINE_TEXT = 'SESSION_TTL_MINUTES * 60_000 * 24';
const IN_SCOPE_FILE = 'src/billing/retry.ts';

/**
 * Each changed file in the review panel: its path, and open or closed, from its disclosure
 * button's aria-expanded and whether its hunks are shown (they must agree).
 */
function fileStates(body) {
  return body.evaluate(() => [...document.querySelectorAll('h3 > button.file-toggle')].map((b) => {
    const region = document.getElementById(b.getAttribute('aria-controls') ?? '');
    const shown = !!region && !region.hidden && region.offsetHeight > 0;
    return `${b.querySelector('.path')?.textContent} ${b.getAttribute('aria-expanded') === 'true' ? (shown ? 'open' : 'EXPANDED BUT HIDDEN') : shown ? 'COLLAPSED BUT SHOWN' : 'closed'}`;
  }).sort()).catch(() => []);
}

/** Waits until the review panel's files are open and closed as `want` says (fileStates' words). */
async function expectFiles(page, body, what, want) {
  let seen = [];
  await waitUntil(page, what, async () => (seen = await fileStates(body)).join(' | ') === want.join(' | '), 15000).catch((e) => {
    throw new Error(`${e.message}; files: ${seen.join(' | ') || '(none)'}`);
  });
}

/** `SpecGate: <title>` of every command the manifest offers in the palette. */
function paletteTitles(manifest) {
  const hidden = new Set(
    (manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command),
  );
  return manifest.contributes.commands.filter((c) => !hidden.has(c.command)).map((c) => `${c.category}: ${c.title}`);
}

export async function run(t) {
  const { page } = t;
  /** The bundle the export step wrote. */
  let exported;

  await t.step('the workbench opens the fixture workspace', () => waitForWorkbench(page), { critical: true });

  await t.step('the activity bar shows SpecGate with its Specs, Changes and Review views', async () => {
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
  }, { critical: true });

  await t.step('the command palette lists every SpecGate command', async () => {
    const expected = paletteTitles(t.manifest);
    const rows = await typeInPalette(page, 'SpecGate: ');
    let missing = expected;
    await waitUntil(page, 'the SpecGate commands in the palette', async () => {
      const texts = (await rows.allInnerTexts()).join('\n');
      missing = expected.filter((e) => !texts.includes(e));
      return missing.length === 0;
    }, 15000).catch((e) => {
      throw new Error(`${e.message}; missing: ${missing.join(', ')}`);
    });
    await t.shot('palette');
    await closeQuickInput(page);
  });

  await t.step('the Specs view shows the billing-retry spec', async () => {
    await waitUntil(page, 'a row naming billing-retry in the Specs view (tree provider of specgate.specs)', async () =>
      (await viewRows(page, 'Specs')).some((r) => /billing-retry/i.test(r)),
    );
  });

  await t.step('the Changes view lists src/auth/session.ts as out of scope', async () => {
    let rows = [];
    await waitUntil(page, 'an "out of scope" group holding session.ts in the Changes view (tree provider of specgate.changes)', async () => {
      rows = await viewRows(page, 'Changes');
      return rows.some((r) => /out of scope/i.test(r)) && rows.some((r) => r.includes('session.ts'));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    await t.docImage('sidebar.png');
  });

  await t.step('a code lens sits over the out-of-scope edit in src/auth/session.ts', async () => {
    await openFromExplorer(page, OUT_OF_SCOPE_FILE);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const lens = editor.locator('.codelens-decoration').filter({ hasText: /scope/i }).first();
    await waitUntil(page, `a code lens mentioning "scope" in ${OUT_OF_SCOPE_FILE} (CodeLensProvider for out-of-scope hunks)`, () =>
      lens.isVisible(),
    );
    // Monaco lays lines out again as lens zones are inserted, so the geometry is read until it
    // settles (a condition, polled), not once.
    const editedLine = editor.locator('.view-line', { hasText: OUT_OF_SCOPE_LINE_TEXT }).first();
    const lenses = editor.locator('.codelens-decoration').filter({ hasText: /scope/i });
    let seen = 'the edited line is not rendered';
    await waitUntil(page, `a "scope" code lens directly over the edited line "${OUT_OF_SCOPE_LINE_TEXT}"`, async () => {
      const line = (await editedLine.count()) ? await editedLine.boundingBox({ timeout: 1000 }).catch(() => null) : null;
      if (!line) {
        seen = 'the edited line is not rendered';
        return false;
      }
      const boxes = (await Promise.all((await lenses.all()).map((l) => l.boundingBox({ timeout: 1000 }).catch(() => null)))).filter(Boolean);
      seen = `line top ${line.y}; lens boxes ${JSON.stringify(boxes)}`;
      // A lens renders in a zone above the line its range starts on: the hunk's first line,
      // which is the edited line or one of up to three context lines above it.
      return boxes.some((l) => {
        const gap = line.y - (l.y + l.height);
        return gap >= -2 && gap <= line.height * 3 + 4;
      });
    }).catch((e) => {
      throw new Error(`${e.message}; ${seen}`);
    });
    t.note(`code lens: ${(await lens.innerText()).replace(/\s+/g, ' ')}`);
    await t.docImage('codelens.png');
  });

  await t.step('"SpecGate: Export Review Bundle" from the command palette writes a bundle under .specgate/reviews/', async () => {
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const created = await waitUntil(page, `a new bundle folder with packet.json, REVIEW.md, review.html in ${path.join(t.workspace, '.specgate/reviews')}`, () => {
      const fresh = reviewBundles(t.workspace).filter((b) => !before.has(b));
      return fresh.length > 0 && fresh;
    });
    const name = path.basename(created[0]);
    if (!/^billing-retry-\d{8}-\d{6}-[0-9a-f]{8}$/.test(name)) {
      throw new Error(`bundle folder "${name}" is not named <spec>-<yyyymmdd-hhmmss>-<digest8>`);
    }
    const packet = readJson(path.join(created[0], 'packet.json'));
    const paths = (packet.changes ?? []).map((c) => c.path).sort();
    if (packet.schema !== 'specgate.report/1' || !paths.includes(OUT_OF_SCOPE_FILE)) {
      throw new Error(`packet.json is not a specgate.report/1 naming ${OUT_OF_SCOPE_FILE} (schema ${packet.schema}, changes ${paths.join(', ')})`);
    }
    exported = created[0];
    t.note(`bundle: ${path.relative(t.workspace, created[0])}`);
  });

  await t.step('the export notification\'s "Open Packet" shows the review panel for the bundle', async () => {
    await clickOpenPacket(page);
    const body = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
    await waitUntil(page, 'the review panel (webview) naming the spec billing-retry and src/auth/session.ts', async () => {
      const text = await body.innerText({ timeout: 1000 }).catch(() => '');
      return text.includes('billing-retry') && text.includes(OUT_OF_SCOPE_FILE);
    });
    await t.docImage('review-panel.png');
  });

  await t.step('the review panel keeps the files the reviewer opened and closed when it is hidden and shown, and when the packet is opened again', async () => {
    const body = reviewPanelBody(page);
    const initial = [`${OUT_OF_SCOPE_FILE} open`, `${IN_SCOPE_FILE} closed`];
    const expect = (what, want) => expectFiles(page, body, what, want);
    await expect('the in-scope file closed and the out-of-scope one open at first', initial);
    await body.locator('h3 > button.file-toggle').filter({ hasText: IN_SCOPE_FILE }).first().click();
    await body.locator('h3 > button.file-toggle').filter({ hasText: OUT_OF_SCOPE_FILE }).first().click();
    const flipped = [`${OUT_OF_SCOPE_FILE} closed`, `${IN_SCOPE_FILE} open`];
    await expect('the reviewer\'s choice: the in-scope file open, the out-of-scope one closed', flipped);
    // Another editor in front of the panel: its page is unloaded, and loaded again when it comes back.
    await page.locator('.tabs-container .tab', { hasText: 'session.ts' }).first().click();
    await waitUntil(page, 'session.ts in front of the review panel', () => page.locator('.tabs-container .tab.active', { hasText: 'session.ts' }).first().isVisible(), 10000);
    await page.locator('.tabs-container .tab', { hasText: 'Review: ' }).first().click();
    await expect('the same files open after the panel was hidden and shown again', flipped);
    await t.shot('panel-files-kept');
    // The packet opened again: the panel's page is set anew and the packet posted again.
    await runCommand(page, 'SpecGate: Open Review Packet');
    await expect('the same files open after the packet was opened again', flipped);
  });

  await t.step('after the window reloads, the review panel is back with the same bundle, state line and open files, and its Approve… asks for the key', async () => {
    if (!exported) throw new Error('no bundle was exported by the steps before');
    const digest = readJson(path.join(exported, 'packet.json')).digest;
    const body = reviewPanelBody(page);
    const line = body.locator('[role="status"]');
    const stateBefore = await line.innerText({ timeout: 5000 });
    const flipped = [`${OUT_OF_SCOPE_FILE} closed`, `${IN_SCOPE_FILE} open`];
    await expectFiles(page, body, 'the reviewer\'s files before the reload', flipped);
    await reloadWindow(page);
    await waitForWorkbench(page);
    const tab = page.locator('.tabs-container .tab', { hasText: 'Review: billing-retry' }).first();
    await waitUntil(page, 'the "Review: billing-retry" tab after the reload', () => tab.isVisible());
    let heading = '';
    await waitUntil(page, `the restored review panel showing "Review: billing-retry" and the bundle's digest ${digest}`, async () => {
      heading = await body.locator('h1').innerText({ timeout: 1000 }).catch(() => '');
      const shown = await body.locator('.digest').innerText({ timeout: 1000 }).catch(() => '');
      return heading === 'Review: billing-retry' && shown === digest;
    }).catch((e) => {
      throw new Error(`${e.message}; heading: ${heading || '(none)'}`);
    });
    await expectFiles(page, body, 'the files the reviewer opened and closed, as before the reload', flipped);
    const stateAfter = await line.innerText({ timeout: 5000 });
    if (stateAfter !== stateBefore) throw new Error(`the state line was "${stateBefore}" before the reload and is "${stateAfter}" after`);
    t.note(`state line: ${stateAfter}`);
    await t.shot('panel-restored');
    // The restored panel's buttons reach the extension: Approve… asks for the key (cancelled here).
    await body.locator('.actions button', { hasText: 'Approve…' }).first().click();
    const widget = page.locator('.quick-input-widget');
    await waitUntil(page, 'the key dialog opened by the restored panel\'s Approve…', async () =>
      (await widget.isVisible()) && /SSH private key/.test(await widget.innerText().catch(() => '')),
    );
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5000 });
  });

  await t.step('"SpecGate: Approve Review Packet" asks for the SSH key in a file dialog and for a comment, then writes the signed approval', async () => {
    const keyDir = mkdtempSync(path.join(os.tmpdir(), 'specgate-ui-key-'));
    const key = path.join(keyDir, 'reviewer_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reviewer@example.com', '-f', key]);
    const approvals = path.join(t.workspace, '.specgate/approvals');
    const records = () => (existsSync(approvals) ? readdirSync(approvals).filter((f) => f.endsWith('.json')) : []);
    const before = new Set(records());
    await runCommand(page, 'SpecGate: Approve Review Packet');
    await pickSshKey(page, key, () => t.shot('approve-key'));
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    await waitUntil(page, 'the comment prompt of the approval', async () =>
      (await widget.isVisible()) && /Comment stored in the signed record/.test(await widget.innerText().catch(() => '')),
    );
    await t.shot('approve-comment');
    await input.fill('Looked at every hunk; the session change is intended.');
    await page.keyboard.press('Enter');
    const fresh = await waitUntil(page, `a new approval record in ${approvals}`, () => {
      const now = records().filter((f) => !before.has(f));
      return now.length > 0 && now;
    });
    if (fresh.length !== 1) throw new Error(`expected one new approval record in ${approvals}, found ${fresh.join(', ')}`);
    // The key is no trusted reviewer's (not in allowed_signers at the base commit), so the
    // notification says it was approved, and that verify will not count it.
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /SpecGate: approved/ }).first();
    await waitUntil(page, 'the notification that the change was approved', () => toast.isVisible());
    t.note(`notification: ${(await toast.innerText()).replace(/\s+/g, ' ').slice(0, 200)}`);
    const record = readJson(path.join(approvals, fresh[0]));
    if (record.decision !== 'approved' || record.comment !== 'Looked at every hunk; the session change is intended.') {
      throw new Error(`the record is not the approval asked for: ${JSON.stringify(record).slice(0, 300)}`);
    }
    const sig = path.join(approvals, fresh[0].replace(/\.json$/, '.sig'));
    if (!existsSync(sig) || !readFileSync(sig, 'utf8').startsWith('-----BEGIN SSH SIGNATURE-----')) throw new Error(`no SSH signature beside the record (${sig})`);
    t.note(`approval: ${path.relative(t.workspace, path.join(approvals, fresh[0]))}`);
    // The review panel, still showing this bundle, says it was approved.
    const body = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
    await waitUntil(page, 'the review panel saying "Approved by"', async () => /Approved by /.test(await body.innerText({ timeout: 1000 }).catch(() => '')));
    // The time as the sidebar shows it, and, since the key is no trusted reviewer's, what the
    // commit gate says of the approval (as the Review view does), as a warning; only the
    // decision that still applies offered.
    const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: t.workspace, encoding: 'utf8' }).trim().slice(0, 12);
    const when = String(record.time).replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC');
    const reviewer = record.reviewer.name ?? record.reviewer.email ?? record.reviewer.principal;
    const expected = `Approved by ${reviewer} at ${when}, but the gate will not pass: untrusted signer: ${base} has no .specgate/allowed_signers, so no reviewer is trusted; commit the reviewers' public keys there first.`;
    const line = body.locator('[role="status"]');
    await waitUntil(page, 'the state line saying the gate will not pass', async () => (await line.innerText({ timeout: 1000 }).catch(() => '')) === expected).catch(async (e) => {
      throw new Error(`${e.message}; the state line: ${await line.innerText().catch(() => '(none)')}`);
    });
    const cls = await line.getAttribute('class');
    if (cls !== 'state state-warning') throw new Error(`the state line is not shown as a warning (class ${cls})`);
    t.note(`state line: ${expected}`);
    const buttons = await body.locator('.actions button').allInnerTexts();
    if (buttons.join('|') !== 'Reject…') throw new Error(`buttons once approved: ${buttons.join(' | ')}`);
    await t.shot('approved');
    rmSync(keyDir, { recursive: true, force: true });
  });

  await t.step('after the bundle is deleted and the page reloads, the review panel says in one line that it is no longer there', async () => {
    if (!exported) throw new Error('no bundle was exported by the steps before');
    rmSync(exported, { recursive: true, force: true });
    await page.reload();
    await waitForWorkbench(page);
    const expected = `The review bundle .specgate/reviews/${path.basename(exported)} is no longer there (deleted or moved), so this review cannot be shown again. Open a bundle with SpecGate: Open Review Packet.`;
    // The notice page runs no script: it is the webview's document as set, read as it renders.
    const notice = reviewPanelBody(page).locator('p.notice');
    let seen = '';
    await waitUntil(page, 'the restored panel\'s line saying the bundle is no longer there', async () => (seen = await notice.innerText({ timeout: 1000 }).catch(() => '')) === expected).catch((e) => {
      throw new Error(`${e.message}; the panel says: ${seen || '(nothing)'}`);
    });
    await t.shot('panel-bundle-gone');
  });

  await t.step('a file SpecGate cannot decode (UTF-16LE with a byte order mark, which git refuses): the new bundle\'s panel shows why it is listed as binary, in a Notes section', async () => {
    const file = 'scripts/deploy<b>.ps1';
    writeFileSync(path.join(t.workspace, '.gitattributes'), '*.ps1 working-tree-encoding=UTF-16LE text\n');
    mkdirSync(path.join(t.workspace, 'scripts'), { recursive: true });
    writeFileSync(path.join(t.workspace, file), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Write-Host "deploy"\n', 'utf16le')]));
    const note = `${file} uses working-tree-encoding=UTF-16LE, which SpecGate does not diff: it starts with a byte order mark, which git refuses for UTF-16LE; it is listed as binary`;
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const created = await waitUntil(page, 'a new bundle naming the .ps1 file', () => {
      const fresh = reviewBundles(t.workspace).filter((b) => !before.has(b) && existsSync(path.join(b, 'packet.json')));
      return fresh.length > 0 && fresh;
    });
    const packet = readJson(path.join(created[0], 'packet.json'));
    if (JSON.stringify(packet.notes) !== JSON.stringify([note])) throw new Error(`packet.json notes: ${JSON.stringify(packet.notes)}`);
    await clickOpenPacket(page);
    const body = reviewPanelBody(page);
    const notes = body.locator('section[aria-labelledby="notes"]');
    let seen = '';
    await waitUntil(page, 'the review panel\'s Notes section with the note', async () => {
      seen = await notes.locator('li').allInnerTexts().catch(() => []).then((l) => l.join(' | '));
      return seen === note;
    }).catch((e) => {
      throw new Error(`${e.message}; the Notes items: ${seen || '(none)'}`);
    });
    // Text, not markup: the name's <b> is shown, and made no element.
    if ((await notes.locator('b').count()) !== 0) throw new Error('the file name became markup in the panel');
    await notes.scrollIntoViewIfNeeded();
    await t.shot('panel-notes');
  });
}
