// A UI scenario on the bundled example (examples/, the same one `npm run demo` uses) in one
// spec layout: the assistant's change with every kind of finding, seen in the workbench.
// Each test/e2e/example-<layout>.e2e.mjs is this scenario for one layout.
import path from 'node:path';
import { createExampleRepo, EXAMPLE_SPEC_IDS } from '../../scripts/demo-lib.mjs';
import { clickOpenPacket, openFromExplorer, openViewContainer, reviewPanelBody, runCommand, viewRows, waitForViewHeader, waitForWorkbench, waitUntil } from './workbench.mjs';

export function exampleScenario(layout) {
  const specName = path.basename(EXAMPLE_SPEC_IDS[layout]);
  return {
    title: `the bundled example, ${layout} layout (extension loaded from source)`,
    extension: 'development',
    createWorkspace: (dir) => createExampleRepo(path.join(dir, 'billing-service'), { layout, applyChange: true }).root,
    async run(t) {
      const { page } = t;
      await t.step('the workbench opens the example', () => waitForWorkbench(page), { critical: true });

      await t.step(`the Specs view shows ${specName} (${layout}) as the active spec`, async () => {
        await openViewContainer(page, 'SpecGate');
        for (const v of ['Specs', 'Changes', 'Review']) await waitForViewHeader(page, v);
        let rows = [];
        await waitUntil(page, `a Specs row "${specName} ${layout} · active"`, async () => {
          rows = await viewRows(page, 'Specs');
          return rows.some((r) => r.includes(specName) && r.includes(layout) && r.includes('active'));
        }, 60000).catch((e) => {
          throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
        });
      }, { critical: true });

      if (layout === 'kiro') {
        await t.step('the Specs and Changes views show task titles as text: no backticks of the markdown', async () => {
          const label = '2 Retry only safe failures in src/billing/client.ts';
          let rows = [];
          await waitUntil(page, `a Specs row "${label}"`, async () => {
            rows = await viewRows(page, 'Specs');
            return rows.some((r) => r.startsWith(label));
          }).catch((e) => {
            throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
          });
          const changes = await viewRows(page, 'Changes');
          const raw = [...rows, ...changes].filter((r) => r.includes('`'));
          if (raw.length > 0) throw new Error(`rows with markdown backticks: ${raw.join(' | ')}`);
          await t.shot('specs-plain-titles');
        });
      }

      await t.step('the Changes view groups the change: session.ts out of scope, main.tf excluded and high risk', async () => {
        let rows = [];
        const after = (group, file) => {
          const i = rows.findIndex((r) => r.startsWith(group));
          if (i < 0) return false;
          const next = rows.findIndex((r, k) => k > i && /^(Out of scope|Excluded|High risk|In scope)/.test(r));
          return rows.slice(i + 1, next < 0 ? undefined : next).some((r) => r.startsWith(file));
        };
        await waitUntil(page, 'session.ts under "Out of scope", main.tf under "Excluded" and "High risk"', async () => {
          rows = await viewRows(page, 'Changes');
          return after('Out of scope', 'session.ts') && after('Excluded', 'main.tf') && after('High risk', 'main.tf');
        }).catch((e) => {
          throw new Error(`${e.message}; rows: ${rows.join(' | ') || '(none)'}`);
        });
        await t.shot('changes');
      });

      await t.step('the status bar shows the spec and the risk: critical', async () => {
        // (The git branch item, feature/billing-retry, names the spec too: match the risk as well.)
        const item = page.locator('.statusbar-item').filter({ hasText: specName }).filter({ hasText: /\b(low|medium|high|critical)\b/i }).first();
        let seen = '';
        await waitUntil(page, `a status bar item naming ${specName} with "critical"`, async () => {
          seen = (await item.count()) > 0 ? await item.innerText() : '(none)';
          return /critical/i.test(seen);
        }).catch((e) => {
          throw new Error(`${e.message}; item: ${seen}`);
        });
      });

      await t.step('a "Removed export" code lens sits in src/billing/retry.ts', async () => {
        await openFromExplorer(page, 'src/billing/retry.ts');
        const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration').filter({ hasText: /Removed export/ }).first();
        await waitUntil(page, 'a code lens "Removed export" over the hunk that removed linearDelay', () => lens.isVisible());
        const text = (await lens.innerText()).replace(/\s+/g, ' ');
        t.note(`code lens: ${text}`);
        await t.shot('removed-export-lens');
        // Plain text: the export's name as written, without the markdown backticks of the finding.
        if (!text.includes('Removed export linearDelay;') || text.includes('`')) throw new Error(`the lens does not name linearDelay as plain text: ${text}`);
      });

      await t.step('the review panel lists the removed export above the hunk of src/billing/retry.ts that removed it', async () => {
        await runCommand(page, 'SpecGate: Export Review Bundle');
        await clickOpenPacket(page);
        const body = reviewPanelBody(page);
        const toggle = body.locator('button.file-toggle', { hasText: 'src/billing/retry.ts' }).first();
        await waitUntil(page, 'src/billing/retry.ts among the panel\'s changes', () => toggle.isVisible());
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
        const note = body.locator('.hunk .in-diff li', { hasText: 'SG220' }).filter({ hasText: 'linearDelay' }).first();
        await waitUntil(page, 'an SG220 line in a hunk of src/billing/retry.ts', () => note.isVisible());
        const text = (await note.innerText()).replace(/\s+/g, ' ');
        t.note(`in the hunk: ${text}`);
        if (!/^(error|warning) removed export SG220 lines? [\d–]+: Removed export linearDelay;/.test(text)) throw new Error(`the hunk's finding reads: ${text}`);
        await note.scrollIntoViewIfNeeded();
        await t.shot('panel-removed-export');
      });
    },
  };
}
