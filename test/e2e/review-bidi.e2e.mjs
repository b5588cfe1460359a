// Trojan Source in the workbench: a change adds a file whose name holds U+202E (right-to-left
// override) and lines of code holding it, and a file whose name is an HTML tag with an
// event handler. The Changes view and the review panel (a webview, in the real browser) show
// the override as the visible text `\u{202e}` and never as the invisible control, and the
// tag is text, not an element.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openViewContainer, reviewBundles, reviewPanelBody, runCommand, viewRows, waitForViewHeader, waitForWorkbench, waitUntil, clickOpenPacket } from './workbench.mjs';

export const title = 'bidirectional controls and markup in names and code: shown as text in the Changes view and the review panel';
export const extension = 'development';

const RLO = '\u202e';
const BIDI_NAME = `caf\u00e9 ${RLO}evil.ts`;
const BIDI_SHOWN = 'caf\u00e9 \\u{202e}evil.ts';
const TAG_NAME = '<img src=x onerror=document.title=1>.ts';
const BIDI_RAW = /[\u202a-\u202e\u2066-\u2069]/;

export function beforeStart(t) {
  const dir = path.join(t.workspace, 'src/auth');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, BIDI_NAME), `export const role = "user ${RLO} // admin";\n`);
  writeFileSync(path.join(dir, TAG_NAME), 'export const y = "<script>document.title=2</script>";\n');
  appendFileSync(path.join(dir, 'session.ts'), `// access check ${RLO}{ return true }\nconst gate = "open\u200b";\n`);
}

export async function run(t) {
  const { page } = t;
  await t.step('the workbench opens the change', () => waitForWorkbench(page), { critical: true });

  await t.step('the Changes view names the file with \\u{202e} shown, not applied', async () => {
    await openViewContainer(page, 'SpecGate');
    await waitForViewHeader(page, 'Changes');
    let rows = [];
    await waitUntil(page, `a Changes row "${BIDI_SHOWN}"`, async () => {
      rows = await viewRows(page, 'Changes');
      return rows.some((r) => r.startsWith(BIDI_SHOWN));
    }, 60000).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
    });
    const raw = rows.filter((r) => BIDI_RAW.test(r));
    if (raw.length) throw new Error(`Changes rows with a raw bidirectional control: ${raw.join(' | ')}`);
    await t.shot('changes');
  }, { critical: true });

  await t.step('Export Review Bundle, then Open Packet, shows the review panel', async () => {
    const before = new Set(reviewBundles(t.workspace));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    await waitUntil(page, 'a new review bundle', () => reviewBundles(t.workspace).some((b) => !before.has(b)));
    await clickOpenPacket(page);
    await waitUntil(page, 'the review panel listing the change', async () =>
      (await reviewPanelBody(page).innerText({ timeout: 1000 }).catch(() => '')).includes('Changes'),
    );
  }, { critical: true });

  await t.step('the panel shows the override as \\u{202e} in the file name, the finding and the diff lines', async () => {
    const body = reviewPanelBody(page);
    const text = await body.innerText();
    const expected = [
      `src/auth/${BIDI_SHOWN}`,
      'export const role = "user \\u{202e} // admin";',
      '// access check \\u{202e}{ return true }',
      // A zero-width space is shown too (the same set as review.html's).
      'const gate = "open\\u{200b}";',
    ];
    const missing = expected.filter((e) => !text.includes(e));
    if (missing.length) throw new Error(`the panel does not show: ${missing.join(' | ')}`);
    const raw = text.split('\n').filter((l) => BIDI_RAW.test(l));
    if (raw.length) throw new Error(`panel lines with a raw bidirectional control: ${raw.join(' | ')}`);
    // Scroll the session.ts hunk into view for the screenshot.
    await body.locator('pre.diff span', { hasText: 'access check' }).first().scrollIntoViewIfNeeded();
    await t.shot('panel-bidi');
  });

  await t.step('the panel shows markup in a file name and a diff line as text: no element, no script ran', async () => {
    const body = reviewPanelBody(page);
    const text = await body.innerText();
    for (const e of [`src/auth/${TAG_NAME}`, '<script>document.title=2</script>']) {
      if (!text.includes(e)) throw new Error(`the panel does not show "${e}" as text`);
    }
    const injected = await body.locator('img, script:not([nonce]), iframe').count();
    if (injected) throw new Error(`${injected} element(s) made from packet text in the panel`);
    const title = await page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('title').innerText().catch(() => '');
    if (title === '1' || title === '2') throw new Error(`a script from the packet ran (document.title = ${title})`);
  });
}
