// Tier 3: what a reviewer sees of a realistic change (the bundled example: an out-of-scope
// file, an excluded and protected Terraform rewrite, a removed export, a deleted test, a task
// ticked done without a change) — the sidebar from the first moment it shows, at its default
// and its narrowest width, the status bar item, the hover and the quick fixes over a flagged
// hunk, the Problems panel, and the review panel in a dark, a light and both high-contrast
// themes: every text in it readable (WCAG AA contrast, computed from the rendered colours),
// every button named for a screen reader.
import path from 'node:path';
import { createExampleRepo } from '../../scripts/demo-lib.mjs';
import {
  errorToasts, hoverUntilShown, openFromExplorer, openViewContainer, reviewBundles, reviewPanelBody, runCommand, setColorTheme, sidebar, viewPane, viewRows, visibleText,
  waitUntil,
} from './workbench.mjs';

export const title = 'what a reviewer sees: sidebar, status bar, hover, quick fixes, Problems and the review panel in four themes';
export const extension = 'development';
export const createWorkspace = (dir) => createExampleRepo(path.join(dir, 'billing-service'), { layout: 'kiro', applyChange: true }).root;

const THEMES = ['Dark Modern', 'Light Modern', 'Dark High Contrast', 'Light High Contrast'];
/** WCAG 2 AA for body text. */
const MIN_CONTRAST = 4.5;

/**
 * Every element of the panel that holds text, with the contrast of its rendered colour
 * against the background it is painted on (translucent layers blended, as the eye sees them).
 */
function textContrasts(body) {
  return body.evaluate(() => {
    const rgba = (s) => {
      const m = /rgba?\(([^)]+)\)/.exec(s);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let out = [255, 255, 255];
      for (const c of layers.reverse()) out = out.map((v, i) => v * (1 - c[3]) + c[i] * c[3]);
      return out;
    };
    const luminance = (rgb) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]);
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      const bg = background(el);
      const fg = rgba(getComputedStyle(el).color);
      const seen = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
      const [hi, lo] = [luminance(seen), luminance(bg)].sort((a, b) => b - a);
      out.push({ what: `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''} "${el.textContent.trim().slice(0, 30)}"`, ratio: (hi + 0.05) / (lo + 0.05), color: getComputedStyle(el).color });
    }
    return out;
  });
}

export async function run(t) {
  const { page } = t;

  await t.step('from the first moment, the sidebar never says "no spec" or "no active spec" of a workspace that has one', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await openViewContainer(page, 'SpecGate', 60000);
    const wrong = [];
    await waitUntil(page, 'billing-retry in the Specs view', async () => {
      const welcome = (await sidebar(page).locator('.welcome-view-content').allInnerTexts().catch(() => [])).join(' ');
      const rows = [...(await viewRows(page, 'Specs')), ...(await viewRows(page, 'Changes')), ...(await viewRows(page, 'Review'))];
      for (const s of [welcome, ...rows]) {
        if (/No spec found|No active spec|Select the active spec|No spec: create one/.test(s) && !wrong.includes(s)) {
          wrong.push(s);
          await t.shot('wrong-empty-state');
        }
      }
      return rows.some((r) => r.startsWith('billing-retry'));
    }, 60000);
    if (wrong.length) throw new Error(`shown while the spec was being read: ${wrong.map((w) => w.replace(/\s+/g, ' ').slice(0, 120)).join(' | ')}`);
  });

  await t.step('the sidebar with the change: out of scope, excluded, high risk, in scope by task, and the task done without a change', async () => {
    let rows = [];
    await waitUntil(page, 'the Changes groups and the flagged task', async () => {
      rows = [...(await viewRows(page, 'Specs')), ...(await viewRows(page, 'Changes'))];
      return ['Out of scope', 'Excluded (non-goals)', 'High risk', 'In scope'].every((g) => rows.some((r) => r.startsWith(g))) &&
        rows.some((r) => /^4 Test the retry behaviour.*no change behind it/.test(r));
    }, 60000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
    await t.shot('sidebar');
  });

  await t.step('the status bar item says in words how many files are outside the spec and the risk, with a screen reader label', async () => {
    const item = page.locator('.statusbar-item').filter({ hasText: 'billing-retry' }).filter({ hasText: /risk/ }).first();
    let text = '';
    await waitUntil(page, 'the SpecGate status bar item', async () => {
      text = (await item.count()) ? (await item.innerText()).replace(/\s+/g, ' ').trim() : '';
      return /3 outside spec/.test(text);
    }).catch((e) => {
      throw new Error(`${e.message}; item: ${text}`);
    });
    if (!/critical risk/.test(text)) throw new Error(`the item does not say "critical risk": ${text}`);
    const label = await item.locator('[aria-label]').first().getAttribute('aria-label').catch(() => null) ?? await item.getAttribute('aria-label');
    if (label !== 'SpecGate: active spec billing-retry, 3 files outside the spec, risk critical') throw new Error(`screen reader label: ${label}`);
    await hoverUntilShown(page, 'the status bar item\'s tooltip naming "excluded (non-goals)"', item, page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'excluded (non-goals)' }).first());
    t.note(`status bar: ${text}`);
    await t.shot('status-bar-hover');
    await page.mouse.move(700, 400);
  });

  await t.step('a file\'s tooltip names each finding once with its lines, inside the window', async () => {
    const row = viewPane(page, 'Changes').locator('.pane-body .monaco-list-row').filter({ hasText: /^\s*main\.tf/ }).first();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'infra/main.tf (modified, excluded)' }).first();
    const text = await hoverUntilShown(page, 'the tooltip of main.tf in the Changes view', row, hover);
    const sg102 = text.split('\n').filter((l) => l.startsWith('SG102'));
    if (sg102.length !== 1 || !/\(12 hunks at lines 1–2, 4, /.test(sg102[0])) throw new Error(`SG102 lines in the tooltip: ${sg102.join(' | ')}`);
    const box = await hover.boundingBox();
    if (!box || box.y < 0) throw new Error(`the tooltip runs off the window: ${JSON.stringify(box)}`);
    await t.shot('file-tooltip');
    await page.mouse.move(700, 400);
  });

  await t.step('the sidebar at its narrowest (170 px): screenshot', async () => {
    const before = await sidebar(page).boundingBox();
    /** Drags the sash on the sidebar's right edge to x. */
    const dragTo = async (x) => {
      const box = await sidebar(page).boundingBox();
      const right = box.x + box.width;
      const sashes = await page.locator('.monaco-sash.vertical').all();
      let handle;
      for (const sash of sashes) {
        const b = await sash.boundingBox().catch(() => null);
        if (b && Math.abs(b.x + b.width / 2 - right) <= 4 && b.height > 100) handle = b;
      }
      if (!handle) throw new Error(`no sash at the sidebar's right edge (x ${right})`);
      const y = box.y + 300;
      await page.mouse.move(handle.x + handle.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(x, y, { steps: 8 });
      await page.mouse.up();
    };
    await dragTo(before.x + 100);
    const after = await sidebar(page).boundingBox();
    t.note(`sidebar width ${before.width} → ${after.width} px`);
    if (after.width > 180) throw new Error(`the sidebar did not narrow: ${after.width} px`);
    await t.shot('narrow-sidebar');
    await dragTo(before.x + before.width);
  });

  await t.step('hovering the flagged hunk in src/auth/session.ts shows the finding, its rule and where the spec sets its scope', async () => {
    await openFromExplorer(page, 'src/auth/session.ts');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const line = editor.locator('.view-line', { hasText: 'SESSION_TTL_MS = 8' }).first();
    await waitUntil(page, 'the squiggle under the edited line', () => editor.locator('.squiggly-error').first().isVisible(), 30000);
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'SG101' }).first();
    // Measured on every try: the code lens over the hunk can arrive after the squiggle and
    // push the line down.
    const shown = await waitUntil(page, 'a hover naming SG101', async () => {
      const box = await line.boundingBox().catch(() => null);
      if (box) await page.mouse.move(box.x + 80 + Math.random() * 4, box.y + box.height / 2);
      return visibleText(hover);
    });
    const text = shown.replace(/\s+/g, ' ');
    if (!/Change outside the scope of spec .kiro\/specs\/billing-retry/.test(text) || !/the spec declares its scope here/.test(text)) throw new Error(`hover: ${text}`);
    t.note(`hover: ${text.slice(0, 200)}`);
    await t.shot('hunk-hover');
    await page.mouse.move(700, 700);
  });

  await t.step('the quick fix menu on the hunk: add to scope, link to a task, revert', async () => {
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await page.keyboard.press('Escape');
    const line = editor.locator('.view-line', { hasText: 'SESSION_TTL_MS = 8' }).first();
    const menuText = async () => (await page.locator('.action-widget').allInnerTexts()).join('\n');
    let asked = 0;
    await waitUntil(page, 'the quick fix menu', async () => {
      if (/Add src\/auth\/session\.ts to the scope of spec billing-retry/.test(await menuText())) return true;
      // Asked again only when the first ask found no actions (the analysis may still be
      // arriving); the line is measured each time, as a code lens may have moved it.
      if (Date.now() - asked > 6000) {
        const box = await line.boundingBox().catch(() => null);
        if (!box) return false;
        asked = Date.now();
        await page.keyboard.press('Escape');
        await page.mouse.click(box.x + 60, box.y + box.height / 2);
        await page.keyboard.press('Control+.');
      }
      return false;
    });
    const text = await menuText();
    for (const want of ['Link src/auth/session.ts to task 1: Compute backoff delays with full jitter', 'Link src/auth/session.ts to a task…', 'Revert this hunk to the base']) {
      if (!text.includes(want)) throw new Error(`the quick fix menu lacks "${want}": ${text.replace(/\n/g, ' | ')}`);
    }
    await t.shot('quick-fix');
    await page.keyboard.press('Escape');
  });

  await t.step('the Problems panel lists SpecGate\'s findings with their rule ids', async () => {
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel').first();
    await waitUntil(page, 'SG102 and SG202 in the Problems panel', async () => {
      const text = await panel.innerText().catch(() => '');
      return text.includes('SG102') && text.includes('SG202');
    });
    await t.shot('problems');
    await page.keyboard.press('Control+J');
  });

  await t.step('the export notification\'s "Reveal Folder" shows the bundle folder in the Explorer (no error in a browser or remote window)', async () => {
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    const dir = await waitUntil(page, 'a new bundle', () => reviewBundles(t.workspace).find((b) => !before.has(b)), 30000);
    const button = page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Reveal Folder' }).first();
    await waitUntil(page, 'the "Reveal Folder" button', () => button.isVisible());
    await button.click();
    const name = path.basename(dir);
    const row = page.locator('.explorer-folders-view .monaco-list-row.selected, .explorer-folders-view .monaco-list-row.focused', { hasText: name });
    await waitUntil(page, `${name} selected in the Explorer`, async () => {
      const errors = await errorToasts(page);
      if (errors.length) throw new Error(`an error instead: ${errors.join(' | ')}`);
      return row.first().isVisible();
    }, 10000);
    await t.shot('reveal-folder');
  });

  await t.step('the review panel opens on the bundle', async () => {
    await runCommand(page, 'SpecGate: Open Review Packet');
    await waitUntil(page, 'the review panel', async () => (await reviewPanelBody(page).innerText({ timeout: 1000 }).catch(() => '')).includes('Traceability'), 30000);
  }, { critical: true });

  await t.step('the review panel shows the code a finding quotes as code: the removed export linearDelay, the non-goal glob infra/**', async () => {
    const body = reviewPanelBody(page);
    const row = (rule) => body.locator('table.findings tr').filter({ hasText: rule }).first();
    const facts = await body.evaluate(() => [...document.querySelectorAll('table.findings td.message')].map((td) => ({
      text: td.textContent,
      code: [...td.querySelectorAll('code')].map((c) => c.textContent),
      font: td.querySelector('code') ? getComputedStyle(td.querySelector('code')).fontFamily : '',
      bodyFont: getComputedStyle(td).fontFamily,
    })));
    const sg220 = facts.find((f) => f.text === 'Removed export linearDelay; code that imports it may break.');
    if (!sg220 || sg220.code.join('|') !== 'linearDelay') throw new Error(`the SG220 message and its code: ${JSON.stringify(facts.filter((f) => /export/.test(f.text)))}`);
    if (sg220.font === sg220.bodyFont) throw new Error(`the quoted code is in the text's font (${sg220.font})`);
    if (!facts.some((f) => f.code.join('|') === '.kiro/specs/billing-retry|infra/**' && /its non-goal infra\/\*\* covers this file/.test(f.text))) throw new Error(`no non-goal glob shown as code: ${JSON.stringify(facts.map((f) => f.code))}`);
    await row('SG220').scrollIntoViewIfNeeded();
    await t.shot('panel-quoted-code');
    await body.evaluate(() => window.scrollTo(0, 0));
  });

  await t.step('the review panel\'s merged rows say how many hunks they stand for (12 for infra/main.tf, 3 for session.ts), and its badge counts findings and rows', async () => {
    const body = reviewPanelBody(page);
    const ranges = await body.evaluate(() => [...document.querySelectorAll('table.findings .ranges')].map((d) => d.textContent));
    const want = ['12 hunks at lines 1–2, 4, 6, 9–12, 16–19, 21, ', '3 hunks at lines 6–10, 51, 53'];
    if (!ranges.some((r) => r.startsWith(want[0])) || !ranges.includes(want[1])) throw new Error(`the rows' counts: ${JSON.stringify(ranges)}`);
    // The section's badge counts findings, as REVIEW.md does (21 need a decision), and says how many rows show them.
    const badge = await body.evaluate(() => document.querySelector('#decisions .count')?.textContent?.replace(/\s+/g, ' ').trim());
    const rows = await body.evaluate(() => document.querySelectorAll('section[aria-labelledby="decisions"] table.findings tr:has(td)').length);
    if (badge !== `, 21 in ${rows} rows` || rows >= 21) throw new Error(`the decisions badge reads ${JSON.stringify(badge)} over ${rows} rows; want ", 21 in ${rows} rows"`);
    await body.locator('table.findings .ranges').first().scrollIntoViewIfNeeded();
    await t.shot('panel-merged-counts');
    await body.evaluate(() => window.scrollTo(0, 0));
  });

  await t.step('the review panel\'s changed files name their task in the singular, their tasks in the plural', async () => {
    const body = reviewPanelBody(page);
    const summaries = await body.evaluate(() => [...document.querySelectorAll('div.file > h3.file-header')].map((s) => s.textContent.replace(/\s+/g, ' ').trim()));
    const of = (p) => summaries.find((s) => s.startsWith(p)) ?? `(no summary for ${p})`;
    if (!of('src/billing/retry.ts').endsWith('· task 1')) throw new Error(`retry.ts: ${of('src/billing/retry.ts')}`);
    if (!of('src/billing/client.ts').endsWith('· tasks 2, 2.3, 3')) throw new Error(`client.ts: ${of('src/billing/client.ts')}`);
  });

  for (const theme of THEMES) {
    await t.step(`the review panel in ${theme}: every text at least ${MIN_CONTRAST}:1 against its background, diff lines told apart`, async () => {
      await setColorTheme(page, theme);
      const body = reviewPanelBody(page);
      await body.evaluate(() => window.scrollTo(0, 0));
      // The webview takes the new theme's variables a moment after the workbench.
      const kind = { 'Dark Modern': 'vscode-dark', 'Light Modern': 'vscode-light', 'Dark High Contrast': 'vscode-high-contrast', 'Light High Contrast': 'vscode-high-contrast-light' }[theme];
      await waitUntil(page, `the panel in ${theme}`, async () => (await body.getAttribute('class')).split(' ').includes(kind) && !(kind === 'vscode-high-contrast' && (await body.getAttribute('class')).includes('vscode-high-contrast-light')));
      await page.waitForTimeout(300);
      const contrasts = await textContrasts(body);
      const low = contrasts.filter((c) => c.ratio < MIN_CONTRAST);
      const code = contrasts.filter((c) => c.what.startsWith('code '));
      if (!code.some((c) => c.what === 'code "linearDelay"')) throw new Error(`the quoted code was not measured: ${code.map((c) => c.what).join('; ')}`);
      t.note(`${theme}: quoted code at ${Math.min(...code.map((c) => c.ratio)).toFixed(2)}:1 or more`);
      await t.shot(`panel-${theme}`);
      await body.locator('table.findings tr').filter({ hasText: 'SG220' }).first().scrollIntoViewIfNeeded();
      await t.shot(`panel-${theme}-code`);
      await body.locator('div.file', { hasText: 'infra/main.tf' }).locator('pre.diff').first().scrollIntoViewIfNeeded();
      await t.shot(`panel-${theme}-diff`);
      // An added and a removed line differ from a context line in background or in a bar at their start.
      const look = await body.evaluate(() => {
        const style = (sel) => {
          const cs = getComputedStyle(document.querySelector(sel));
          return `${cs.backgroundColor} ${cs.boxShadow}`;
        };
        return { add: style('pre.diff .add'), del: style('pre.diff .del'), ctx: style('pre.diff .ctx') };
      });
      if (look.add === look.ctx || look.del === look.ctx || look.add === look.del) throw new Error(`diff lines look alike: ${JSON.stringify(look)}`);
      // Each line has its old and new line numbers before it, drawn from an attribute: not part of its text.
      const gutter = await body.evaluate(() => {
        const line = document.querySelector('div.file pre.diff .line.add[data-ln]');
        return line && { ln: line.dataset.ln, drawn: getComputedStyle(line, '::before').content, text: line.textContent };
      });
      if (!gutter || !/^ +\d+ $/.test(gutter.ln) || gutter.drawn !== JSON.stringify(gutter.ln) || !gutter.text.startsWith('+')) {
        throw new Error(`no line-number gutter on an added line: ${JSON.stringify(gutter)}`);
      }
      if (low.length) throw new Error(`text below ${MIN_CONTRAST}:1 — ${low.map((c) => `${c.what} ${c.ratio.toFixed(2)} (${c.color})`).join('; ')}`);
    });
  }

  await t.step('the review panel in a narrow editor (a 900 px window): nothing wider than the panel but the diff lines, which scroll', async () => {
    await page.setViewportSize({ width: 900, height: 900 });
    const body = reviewPanelBody(page);
    await page.waitForTimeout(500);
    const wide = await body.evaluate(() => {
      const limit = document.documentElement.clientWidth;
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('pre.diff')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > limit + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" right ${Math.round(r.right)} > ${limit}`);
      }
      return { limit, out: out.slice(0, 8), page: document.documentElement.scrollWidth };
    });
    await body.evaluate(() => window.scrollTo(0, 0));
    await t.shot('panel-narrow');
    await page.setViewportSize({ width: 1400, height: 900 });
    if (wide.out.length || wide.page > wide.limit + 1) throw new Error(`wider than the ${wide.limit} px panel (page ${wide.page} px): ${wide.out.join(' | ')}`);
  });

  await t.step('the review panel for a screen reader: named buttons, column headers, one status line, Tab reaches Approve first', async () => {
    const body = reviewPanelBody(page);
    const facts = await body.evaluate(() => ({
      open: [...document.querySelectorAll('.hunk-header button')].map((b) => b.getAttribute('aria-label')),
      th: [...document.querySelectorAll('thead th')].filter((th) => th.getAttribute('scope') !== 'col').length,
      tables: [...document.querySelectorAll('table')].filter((tb) => !document.getElementById(tb.getAttribute('aria-labelledby') ?? '')).length,
      status: [...document.querySelectorAll('[role="status"]')].map((e) => e.textContent),
      live: [...document.querySelectorAll('[aria-live]')].map((e) => e.tagName),
    }));
    if (facts.open.length < 2 || new Set(facts.open).size !== facts.open.length || facts.open.some((l) => !/^Open file at hunk: \S.*, line \d+$/.test(l ?? ''))) {
      throw new Error(`"Open file at hunk" buttons without a distinct name: ${facts.open.slice(0, 5).join(' | ')}`);
    }
    if (!facts.open.includes('Open file at hunk: src/auth/session.ts, line 3')) throw new Error(`no button named for session.ts line 3: ${facts.open.join(' | ')}`);
    if (facts.th) throw new Error(`${facts.th} column header(s) without scope="col"`);
    if (facts.tables) throw new Error(`${facts.tables} table(s) not labelled by a heading`);
    if (facts.status.length !== 1 || !/Exported: awaiting approval/.test(facts.status[0])) throw new Error(`status lines: ${JSON.stringify(facts.status)}`);
    if (facts.live.length) throw new Error(`live regions besides the status line: ${facts.live.join(', ')}`);
    await body.locator('h1').click();
    await page.keyboard.press('Tab');
    const first = await body.evaluate(() => document.activeElement?.textContent);
    if (first !== 'Approve…') throw new Error(`Tab from the title goes to "${first}", not Approve…`);
    await t.shot('panel-focus');
  });
}
