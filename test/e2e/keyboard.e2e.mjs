// Tier 3: a reviewer who uses only the keyboard and a screen reader, on the fixture repository
// (Kiro spec billing-retry; an in-scope edit and an out-of-scope edit to src/auth/session.ts).
// The sidebar rows' screen reader labels; the review panel reached, walked with Tab, its
// files opened and closed with Enter and Space, a hunk opened with Enter, the change approved
// with Enter and the new state announced by the live region already on the page; the focus
// outline in the theme's focus colour, in the high-contrast themes too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fillFileDialog, openViewContainer, screenState, reviewBundles, reviewPanelBody, runCommand, setColorTheme, viewPane, waitForViewHeader, waitForWorkbench, waitUntil,
} from './workbench.mjs';

export const title = 'keyboard and screen reader: sidebar labels, the review panel by Tab, Enter and Space, focus in high contrast';
export const extension = 'development';

const OUT_OF_SCOPE_FILE = 'src/auth/session.ts';

/** What has focus in the panel: its tag, text, accessible name and how its focus is drawn against the theme's focus colour. */
function focused(body) {
  return body.evaluate(() => {
    const a = document.activeElement;
    // The panel keeps its active element while the keyboard is elsewhere (an editor): only
    // a focused document takes the keys.
    if (!document.hasFocus()) return { tag: 'none (the panel does not have the keyboard)' };
    if (!a || a === document.body) return { tag: 'body' };
    const cs = getComputedStyle(a);
    const probe = document.createElement('span');
    probe.style.color = 'var(--vscode-focusBorder)';
    document.body.append(probe);
    const focusBorder = getComputedStyle(probe).color;
    probe.remove();
    return {
      tag: a.tagName.toLowerCase(),
      heading: a.closest('h1, h2, h3, h4, h5, h6')?.tagName.toLowerCase(),
      text: (a.getAttribute('aria-label') ?? a.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80),
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      focusBorder,
      drawn: cs.outlineStyle === 'solid' && parseFloat(cs.outlineWidth) >= 1 && cs.outlineColor === focusBorder,
    };
  });
}

/**
 * Ctrl+1 (the editor group holding the panel, as a keyboard user goes back to it), then waits
 * until the panel's document has the keyboard: the webview takes focus a moment after the
 * key, and keys sent before then go to the workbench. Pressed again every 2 s until then.
 */
async function focusPanel(page, body) {
  await page.keyboard.press('Control+1');
  let pressed = Date.now();
  await waitUntil(page, 'the keyboard focus in the review panel (Ctrl+1)', async () => {
    if (await body.evaluate(() => document.hasFocus()).catch(() => false)) return true;
    if (Date.now() - pressed > 2000) {
      pressed = Date.now();
      await page.keyboard.press('Control+1');
    }
    return false;
  });
}

/** Presses `key` until the panel's focus is on an element `want` accepts (at most `max` times). */
async function tabTo(page, body, key, want, what, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(body);
    seen.push(`${f.tag} "${f.text ?? ''}"`);
    if (want(f)) return f;
  }
  throw new Error(`${what}: not reached with ${key} in ${max} presses; focus went ${seen.slice(0, 20).join(' → ')}; on screen: ${await screenState(page)}`);
}

export async function run(t) {
  const { page } = t;

  await t.step('the workbench opens with the SpecGate views', async () => {
    await waitForWorkbench(page);
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
  }, { critical: true });

  await t.step('a screen reader hears the Changes rows\' counts, scope and status in words, not the tooltip', async () => {
    const labels = () => viewPane(page, 'Changes').locator('.pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
    let seen = [];
    await waitUntil(page, 'the out-of-scope group and session.ts in the Changes view', async () => {
      seen = await labels();
      return seen.some((l) => /^session\.ts/.test(l ?? ''));
    }).catch((e) => {
      throw new Error(`${e.message}; labels: ${seen.join(' | ')}`);
    });
    t.note(`Changes rows: ${seen.join(' | ')}`);
    if (!seen.includes('Out of scope, 1 file')) throw new Error(`no "Out of scope, 1 file" row label: ${seen.join(' | ')}`);
    const file = seen.find((l) => /^session\.ts/.test(l));
    if (!/^session\.ts, out of scope, modified, in src\/auth, \d+ lines? added, \d+ removed, 1 error$/.test(file)) throw new Error(`session.ts is read as "${file}"`);
    const retry = seen.find((l) => /^retry\.ts/.test(l ?? ''));
    if (!/^retry\.ts, in scope, .*, no findings$/.test(retry ?? '')) throw new Error(`retry.ts is read as "${retry}"`);
  });

  await t.step('the review panel opens from the palette on a new bundle, with the keyboard focus in it', async () => {
    await runCommand(page, 'SpecGate: Export Review Bundle');
    await waitUntil(page, 'a review bundle', () => reviewBundles(t.workspace).length > 0);
    await runCommand(page, 'SpecGate: Open Review Packet');
    const body = reviewPanelBody(page);
    await waitUntil(page, 'the review panel', async () => (await body.innerText({ timeout: 1000 }).catch(() => '')).includes(OUT_OF_SCOPE_FILE), 30000);
    await focusPanel(page, body);
  }, { critical: true });

  await t.step('the panel reads well: headings with their counts, requirement row headers, line counts in words', async () => {
    const body = reviewPanelBody(page);
    const facts = await body.evaluate(() => ({
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
      h2: [...document.querySelectorAll('h2')].map((h) => h.textContent),
      traceRows: document.querySelectorAll('table.trace tbody tr').length,
      rowHeaders: [...document.querySelectorAll('table.trace tbody tr > th[scope="row"]:first-child')].length,
      stats: document.querySelector('.stats')?.textContent ?? '',
      open: [...document.querySelectorAll('.hunk-header button')].map((b) => b.getAttribute('aria-label')),
      main: document.querySelectorAll('main').length,
    }));
    if (facts.main !== 1 || facts.h1.length !== 1) throw new Error(`landmark and title: ${facts.main} main, h1 ${JSON.stringify(facts.h1)}`);
    const bad = facts.h2.filter((h) => !/^[A-Z][a-z ]+(, \d+)?$/.test(h));
    if (bad.length || !facts.h2.some((h) => /^Changes, \d+$/.test(h))) throw new Error(`section headings as read: ${JSON.stringify(facts.h2)}`);
    if (facts.traceRows === 0 || facts.rowHeaders !== facts.traceRows) throw new Error(`${facts.rowHeaders} of ${facts.traceRows} traceability rows headed by their requirement`);
    if (!/\d+ lines? added, \d+ removed/.test(facts.stats)) throw new Error(`the change's size is not said in words: "${facts.stats}"`);
    if (!facts.open.every((l) => /^Open file at hunk: \S.*, line \d+$/.test(l ?? '')) || !facts.open.length) throw new Error(`hunk buttons named: ${facts.open.join(' | ')}`);
    t.note(`headings: ${facts.h2.join(' | ')}`);
  });

  await t.step('heading navigation goes from changed file to changed file: each file header is a level-3 heading holding its disclosure button, no level skipped', async () => {
    const body = reviewPanelBody(page);
    const facts = await body.evaluate(() => ({
      outline: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')].map((h) => ({
        level: Number(h.getAttribute('aria-level') ?? h.tagName.slice(1)),
        text: h.textContent.replace(/\s+/g, ' ').trim().slice(0, 40),
      })),
      files: [...document.querySelectorAll('.file')].map((f) => {
        const h = f.firstElementChild;
        const b = h?.querySelector('button');
        const region = document.getElementById(b?.getAttribute('aria-controls') ?? '');
        return {
          heading: h?.tagName.toLowerCase(),
          only: h?.children.length === 1 && h.firstElementChild === b,
          expanded: b?.getAttribute('aria-expanded'),
          shown: region ? !region.hidden : null,
          within: region ? f.contains(region) : false,
        };
      }),
      changes: Number(/^Changes, (\d+)$/.exec(document.getElementById('changes')?.textContent ?? '')?.[1]),
    }));
    const levels = facts.outline.map((h) => h.level);
    const skipped = levels.findIndex((l, i) => (i === 0 ? l !== 1 : l > levels[i - 1] + 1));
    if (skipped >= 0) throw new Error(`heading level skipped at ${JSON.stringify(facts.outline[skipped])}: ${levels.join(' ')}`);
    if (!facts.files.length || facts.files.length !== facts.changes) throw new Error(`${facts.files.length} file headers for ${facts.changes} changes`);
    const bad = facts.files.filter((f) => f.heading !== 'h3' || !f.only || !/^(true|false)$/.test(f.expanded ?? '') || f.shown !== (f.expanded === 'true') || !f.within);
    if (bad.length) throw new Error(`file headers not an h3 holding one button that shows and hides its file: ${JSON.stringify(bad)}`);
    const h3 = facts.outline.filter((h) => h.level === 3).map((h) => h.text);
    if (!h3.some((h) => h.startsWith(OUT_OF_SCOPE_FILE))) throw new Error(`no heading for ${OUT_OF_SCOPE_FILE}: ${h3.join(' | ')}`);
    t.note(`outline: ${facts.outline.map((h) => `h${h.level} ${h.text}`).join(' / ')}`);
  });

  await t.step('Tab walks the panel in reading order, each stop outlined in the theme\'s focus colour', async () => {
    const body = reviewPanelBody(page);
    const expected = await body.evaluate(() =>
      [...document.querySelectorAll('button, a[href]')]
        .filter((e) => !e.closest('[hidden]'))
        .map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)),
    );
    const stops = [];
    const first = await tabTo(page, body, 'Tab', (f) => f.tag !== 'body', 'the first control');
    stops.push(first);
    for (let i = 1; i < expected.length; i++) stops.push(await (async () => (await page.keyboard.press('Tab'), focused(body)))());
    const order = stops.map((s) => s.text);
    if (order.join(' | ') !== expected.join(' | ')) throw new Error(`Tab order:\n${order.join(' | ')}\nexpected:\n${expected.join(' | ')}`);
    if (order[0] !== 'Approve…' || order[1] !== 'Reject…') throw new Error(`the first stops are ${order.slice(0, 2).join(', ')}`);
    const undrawn = stops.filter((s) => !s.drawn);
    if (undrawn.length) throw new Error(`focus not outlined in the focus colour on: ${undrawn.map((s) => `${s.tag} "${s.text}" (${s.outline}; focusBorder ${s.focusBorder})`).join('; ')}`);
    t.note(`${stops.length} Tab stops: ${order.slice(0, 6).join(' → ')} …`);
  });

  await t.step('Enter and Space close and open a changed file; Enter on "Open file at hunk" opens the file at the hunk', async () => {
    const body = reviewPanelBody(page);
    const summary = await tabTo(page, body, 'Shift+Tab', (f) => f.tag === 'button' && f.heading === 'h3' && f.text.startsWith(OUT_OF_SCOPE_FILE), `the ${OUT_OF_SCOPE_FILE} file header`);
    await t.shot('summary-focused');
    // Open: the button says so and its hunks are shown (closed: neither).
    const isOpen = () => body.evaluate((_, p) => {
      const b = [...document.querySelectorAll('h3 > button[aria-expanded]')].find((x) => x.textContent?.startsWith(p));
      const region = document.getElementById(b?.getAttribute('aria-controls') ?? '');
      const expanded = b?.getAttribute('aria-expanded');
      return region && expanded === String(!region.hidden) && region.offsetHeight > 0 === !region.hidden ? expanded === 'true' : `inconsistent: aria-expanded ${expanded}, hidden ${region?.hidden}`;
    }, OUT_OF_SCOPE_FILE);
    const initially = await isOpen();
    if (initially !== true) throw new Error(`${OUT_OF_SCOPE_FILE} starts closed (${summary.text}): ${initially}`);
    await page.keyboard.press('Enter');
    await waitUntil(page, 'the file closed by Enter', async () => (await isOpen()) === false, 5000);
    await page.keyboard.press('Space');
    await waitUntil(page, 'the file opened by Space', async () => (await isOpen()) === true, 5000);
    const button = await tabTo(page, body, 'Tab', (f) => f.tag === 'button' && f.text.includes(OUT_OF_SCOPE_FILE), `the hunk button of ${OUT_OF_SCOPE_FILE}`, 5);
    const line = Number(/line (\d+)$/.exec(button.text)?.[1]);
    await page.keyboard.press('Enter');
    const tab = page.locator('.tabs-container .tab.active', { hasText: 'session.ts' });
    await waitUntil(page, 'session.ts open in an editor', () => tab.first().isVisible(), 15000);
    const cursor = page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
    await waitUntil(page, `the cursor at line ${line}`, async () => new RegExp(`^Ln ${line}, Col 1$`).test(((await cursor.innerText().catch(() => '')) || '').trim()), 10000);
    await t.shot('hunk-opened');
  });

  await t.step('Approve… with Enter: the new state is announced by the status line already on the page', async () => {
    const body = reviewPanelBody(page);
    await focusPanel(page, body);
    const status = body.locator('[role="status"]');
    await status.evaluate((e) => e.setAttribute('data-before-approval', ''));
    await tabTo(page, body, 'Shift+Tab', (f) => f.tag === 'button' && f.text === 'Approve…', 'Approve…');
    const keyDir = mkdtempSync(path.join(os.tmpdir(), 'specgate-ui-key-'));
    const key = path.join(keyDir, 'reviewer_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reviewer@example.com', '-f', key]);
    const approvals = path.join(t.workspace, '.specgate/approvals');
    await page.keyboard.press('Enter');
    // The key dialog (a quick input in the browser) answered from the keyboard: the path, then Enter.
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    const prompt = async () => ((await widget.isVisible()) ? await widget.innerText().catch(() => '') : '');
    await waitUntil(page, 'the file dialog asking for the SSH private key', async () => /SSH private key/.test(await prompt()));
    await fillFileDialog(page, input, key);
    await page.keyboard.press('Enter');
    // The dialog may still be listing the folder when Enter comes: Enter again (every 3 s) while it asks for the key.
    let pressed = Date.now();
    await waitUntil(page, 'the comment prompt', async () => {
      const text = await prompt();
      if (/SSH private key/.test(text) && Date.now() - pressed > 3000) {
        // The dialog may also have put its own folder back over the path.
        if ((await input.inputValue().catch(() => key)) !== key) await input.fill(key).catch(() => {});
        pressed = Date.now();
        await page.keyboard.press('Enter');
      }
      return /Comment stored in the signed record/.test(text);
    });
    await page.keyboard.press('Enter');
    await waitUntil(page, 'an approval record', () => existsSync(approvals) && readdirSync(approvals).some((f) => f.endsWith('.json')));
    await waitUntil(page, 'the status line saying "Approved by"', async () => /^Approved by /.test(await status.innerText({ timeout: 1000 }).catch(() => '')));
    const facts = await body.evaluate(() => ({
      live: [...document.querySelectorAll('[role="status"]')].map((e) => e.hasAttribute('data-before-approval')),
      buttons: [...document.querySelectorAll('.actions button')].map((b) => b.textContent),
    }));
    rmSync(keyDir, { recursive: true, force: true });
    if (facts.live.join() !== 'true') throw new Error(`the status line was replaced, not updated (a new live region is not announced): ${JSON.stringify(facts.live)}`);
    if (facts.buttons.join('|') !== 'Reject…') throw new Error(`buttons once approved: ${facts.buttons.join(' | ')}`);
    await t.shot('approved');
  });

  for (const theme of ['Dark High Contrast', 'Light High Contrast']) {
    await t.step(`${theme}: a focused file header and button are outlined in the theme's focus colour`, async () => {
      await setColorTheme(page, theme);
      const body = reviewPanelBody(page);
      const kind = theme === 'Dark High Contrast' ? 'vscode-high-contrast' : 'vscode-high-contrast-light';
      await waitUntil(page, `the panel in ${theme}`, async () => (await body.getAttribute('class')).split(' ').includes(kind));
      await focusPanel(page, body);
      // Forward: after the approval the panel's focus starts where the Approve button was, at
      // the top, and Shift+Tab from there leaves the panel for the workbench.
      const summary = await tabTo(page, body, 'Tab', (f) => f.tag === 'button' && f.heading === 'h3', 'a file header');
      await t.shot(`${theme}-summary-focus`);
      // Back: the last file header may be the panel's last stop, and Tab from there leaves it.
      const button = await tabTo(page, body, 'Shift+Tab', (f) => f.tag === 'button' && f.heading === undefined, 'a button');
      await t.shot(`${theme}-button-focus`);
      for (const f of [summary, button]) if (!f.drawn) throw new Error(`${f.tag} "${f.text}": outline ${f.outline}, focus colour ${f.focusBorder}`);
      t.note(`${theme}: outline ${summary.outline} on "${summary.text.slice(0, 40)}" and "${button.text.slice(0, 40)}"`);
    });
  }

  await runWideDiff(t);
}

async function runWideDiff(t) {
  const { page } = t;
  await t.step('a diff wider than the split panel is a Tab stop, outlined in the focus colour, and scrolls with the arrow keys', async () => {
    const body = reviewPanelBody(page);
    await focusPanel(page, body);
    const wide = await body.evaluate(() => [...document.querySelectorAll('pre.diff')].filter((p) => p.scrollWidth > p.clientWidth).length);
    if (wide === 0) throw new Error('no diff is wider than the panel (the editor split should make one)');
    const isPre = (f) => f.tag === 'pre';
    const pre = await tabTo(page, body, 'Tab', isPre, 'a wide diff', 30).catch(() => tabTo(page, body, 'Shift+Tab', isPre, 'a wide diff'));
    await t.shot('wide-diff-focus');
    if (!pre.drawn) throw new Error(`the focused diff: outline ${pre.outline}, focus colour ${pre.focusBorder}`);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    // Chromium scrolls smoothly on a key press: the offset grows over a few frames.
    await waitUntil(page, 'the focused diff scrolled right by ArrowRight', async () => (await body.evaluate(() => document.activeElement?.scrollLeft ?? 0)) > 0, 5000);
  });
}
