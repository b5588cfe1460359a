// Tier 3: the sidebar and the spec language support as a user sees them (extension loaded
// from source, fixture repository): the Specs tree expanded to requirements and tasks, the
// Changes groups, a diff opened from a changed file, a hover on a requirement reference in
// tasks.md, and the Review view after an export. Each step leaves a screenshot to look at.
import {
  openViewContainer, runCommand, sidebar, viewPane, viewRows, visibleText, waitForViewHeader,
  waitForWorkbench, waitUntil,
} from './workbench.mjs';

export const title = 'SpecGate sidebar, diff, hover and Review view (screenshots)';
export const extension = 'development';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A row of a view whose text starts with `label`. */
function row(page, view, label) {
  return viewPane(page, view).locator('.pane-body .monaco-list-row').filter({ hasText: new RegExp(`^\\s*${escapeRe(label)}`) }).first();
}

async function expand(page, view, label) {
  const r = row(page, view, label);
  await r.waitFor({ timeout: 15000 });
  // A click that lands while the view re-renders (the analysis refreshing it) can select the
  // row without toggling it, as it would for a user, who clicks again: so does this, at most
  // every 2 s, until the row is expanded.
  let clickedAt = 0;
  await waitUntil(page, `"${label}" expanded in ${view}`, async () => {
    const state = await r.getAttribute('aria-expanded');
    if (state === 'true') return true;
    if (state === 'false' && Date.now() - clickedAt > 2000) {
      clickedAt = Date.now();
      await r.click();
    }
    return false;
  });
}

/**
 * Clicks `r` until the tab `tabText` is the active one: a click that lands while the view
 * re-renders (the analysis refreshing it) opens nothing, and a user clicks again. Opening
 * the same file twice is harmless.
 */
async function clickUntilOpen(page, r, tabText) {
  const tab = page.locator('.tabs-container .tab.active', { hasText: tabText }).first();
  let clickedAt = 0;
  await waitUntil(page, `the editor tab "${tabText}"`, async () => {
    if (await tab.isVisible()) return true;
    if (Date.now() - clickedAt > 3000) {
      clickedAt = Date.now();
      await r.click({ timeout: 5000 }).catch(() => {});
    }
    return false;
  });
}

export async function run(t) {
  const { page } = t;

  await t.step('the workbench opens the fixture workspace', () => waitForWorkbench(page), { critical: true });

  await t.step('Specs: the active spec with requirements (covered / not covered) and tasks', async () => {
    await openViewContainer(page, 'SpecGate');
    for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
    await waitUntil(page, 'billing-retry marked active in the Specs view', async () =>
      (await viewRows(page, 'Specs')).some((r) => /billing-retry.*active/.test(r)),
    );
    // Expand once the analysis is in (the coverage count shows), not while it still arrives.
    await waitUntil(page, 'the Requirements row with its coverage count', async () =>
      (await viewRows(page, 'Specs')).some((r) => /^Requirements.*covered/.test(r)),
    );
    await expand(page, 'Specs', 'Requirements');
    let rows = [];
    await waitUntil(page, 'requirement 1 covered and requirement 2 not covered', async () => {
      rows = await viewRows(page, 'Specs');
      return rows.some((r) => /Retry failed payments.*covered/.test(r)) && rows.some((r) => /Record attempts.*not covered/.test(r));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
    t.note(`Specs rows: ${rows.join(' | ')}`);
    await t.docImage('sidebar-specs.png');
  });

  await t.step('Changes: out of scope and in scope by task, with counts', async () => {
    let rows = [];
    await waitUntil(page, 'Out of scope 1 / In scope 1 in the Changes view', async () => {
      rows = await viewRows(page, 'Changes');
      return rows.some((r) => /^Out of scope\s*1$/.test(r)) && rows.some((r) => /^In scope\s*1$/.test(r));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
    t.note(`Changes rows: ${rows.join(' | ')}`);
  });

  await t.step('clicking session.ts in Changes opens its diff against the base', async () => {
    await clickUntilOpen(page, row(page, 'Changes', 'session.ts'), 'base ↔ working tree');
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15000 });
    await t.docImage('changes-diff.png');
  });

  await t.step('clicking a task in Specs opens tasks.md; hover on 1.2 shows the acceptance criterion', async () => {
    await openViewContainer(page, 'SpecGate');
    await clickUntilOpen(page, row(page, 'Specs', '1 Add the retry policy'), 'tasks.md');
    const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: '_Requirements: 1.1, 1.2_' }).first();
    await line.waitFor({ timeout: 10000 });
    // The spec grammar makes `1.2` a token of its own (variable.other.constant.requirement-ref.specgate).
    const token = line.locator('span > span').filter({ hasText: /^1\.2$/ }).first();
    await waitUntil(page, 'the reference 1.2 as a token of its own (the SpecGate injection grammar)', () => token.isVisible());
    // The code lenses SpecGate puts over the tasks ("1 changed file · 1 hunk") arrive on their
    // own time and push the lines down, so the hover waits for them, and the token is measured
    // again on every try: a position measured once can end up over the line above.
    await page.locator('.editor-instance .monaco-editor .codelens-decoration').filter({ hasText: /1 changed file/ }).first()
      .waitFor({ timeout: 30000 });
    const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /Criterion\s1\.2/ });
    let nudge = 0;
    let seen = [];
    const shown = await waitUntil(page, 'a hover naming Criterion 1.2 (HoverProvider for spec markdown)', async () => {
      const text = await visibleText(hover.first());
      if (text) return text;
      seen = await page.locator('.monaco-hover:not(.hidden)').allInnerTexts();
      const box = await token.boundingBox();
      if (box) await page.mouse.move(box.x + box.width / 2 + (nudge ^= 1), box.y + box.height / 2);
      return false;
    }).catch((e) => {
      throw new Error(`${e.message}; hovers shown: ${seen.map((h) => JSON.stringify(h.replace(/\s+/g, ' '))).join(', ') || 'none'}`);
    });
    t.note(`hover: ${shown.replace(/\s+/g, ' ')}`);
    await t.docImage('hover.png');
  });

  await t.step('Review: Export Review Bundle turns "Not exported" into "Exported"', async () => {
    await page.keyboard.press('Escape');
    await openViewContainer(page, 'SpecGate');
    await waitUntil(page, '"Not exported" in the Review view', async () => (await viewRows(page, 'Review')).some((r) => r.startsWith('Not exported')));
    await runCommand(page, 'SpecGate: Export Review Bundle');
    let rows = [];
    await waitUntil(page, '"Exported" in the Review view', async () => {
      rows = await viewRows(page, 'Review');
      return rows.some((r) => r.startsWith('Exported'));
    }).catch((e) => {
      throw new Error(`${e.message}; rows: ${rows.join(' | ')}`);
    });
    await sidebar(page).hover();
    await t.docImage('review-view.png');
  });
}
