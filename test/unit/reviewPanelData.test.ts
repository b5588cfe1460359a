// The review panel's shell HTML and data: strict CSP, no packet text in the HTML, hunks
// marked out of scope, and only well-formed messages accepted back from the webview.
import type { Finding, Report } from '../../src/core/model';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeReport } from './reviewFixture';
import { noticeHtml, reviewHtml } from '../../src/vscode/webview/html';
import { buildPanelData, checkPacket, parsePanelMessage } from '../../src/vscode/webview/panelData';

const PATCH = [
  'diff --git a/src/billing/retry.ts b/src/billing/retry.ts',
  'index 1111111..2222222 100644',
  '--- a/src/billing/retry.ts',
  '+++ b/src/billing/retry.ts',
  '@@ -2 +2,2 @@',
  '-old',
  '+new',
  '+more',
  'diff --git a/infra/main.tf b/infra/main.tf',
  'deleted file mode 100644',
  '--- a/infra/main.tf',
  '+++ /dev/null',
  '@@ -1,3 +0,0 @@',
  '-a',
  '-b',
  '-c',
  '',
].join('\n');

describe('review panel', () => {
  it('HTML: strict CSP with a nonce on the only script, resources from the webview source', () => {
    const html = reviewHtml({ cspSource: 'https://webview.test', styleUri: 'https://webview.test/media/review.css', scriptUri: 'https://webview.test/media/review.js', nonce: 'abc123' });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src https:\/\/webview\.test; img-src https:\/\/webview\.test; font-src https:\/\/webview\.test; script-src 'nonce-abc123'">/,
    );
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="abc123" src="https://webview.test/media/review.js">']);
    assert.doesNotMatch(html, /onerror|javascript:|<img/);
  });

  it('HTML of a restored panel\'s notice: no script allowed or present, the line escaped as text', () => {
    const html = noticeHtml({ cspSource: 'https://webview.test', styleUri: 'https://webview.test/media/review.css', message: `The bundle <img src=x onerror="alert(1)"> & 'x' is gone.` });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src https:\/\/webview\.test">/);
    assert.doesNotMatch(html, /<script|<img/);
    assert.ok(html.includes('<main id="app"><p class="notice" role="status">The bundle &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;x&#39; is gone.</p></main>\n</body>'), html);
  });

  it('HTML: no live region around the whole packet (a screen reader would read all of it on every update)', () => {
    const html = reviewHtml({ cspSource: 'x', styleUri: 's', scriptUri: 'j' });
    assert.doesNotMatch(html, /aria-live/);
    assert.match(html, /<main id="app" aria-busy="true">/);
  });

  it('CSS: every colour from a --vscode-* theme variable (no hex, rgb() or colour names that would ignore the theme)', () => {
    const css = readFileSync(path.join(__dirname, '../../media/review.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const colourProps = /^(color|background(-color)?|border(-(top|right|bottom|left))?(-color)?|outline(-color)?|box-shadow|fill|stroke)$/;
    const bad: string[] = [];
    for (const m of css.matchAll(/([a-z-]+)\s*:\s*([^;{}]+)/g)) {
      const [, prop, value] = m as unknown as [string, string, string];
      if (!colourProps.test(prop)) continue;
      const bare = value.replace(/var\(--vscode-[a-zA-Z0-9-]+/g, '').replace(/\b(transparent|inherit|currentColor|none|solid|dashed|inset|initial)\b/g, '');
      if (/#[0-9a-f]{3,8}\b|\b(rgba?|hsla?)\(|\b(red|green|blue|black|white|gr[ae]y|orange|yellow)\b/i.test(bare)) bad.push(`${prop}: ${value.trim()}`);
    }
    assert.deepEqual(bad, []);
  });

  it('HTML: a fresh random nonce each time', () => {
    const a = reviewHtml({ cspSource: 'x', styleUri: 's', scriptUri: 'j' });
    const b = reviewHtml({ cspSource: 'x', styleUri: 's', scriptUri: 'j' });
    const nonce = (h: string) => /'nonce-([^']+)'/.exec(h)![1];
    assert.notEqual(nonce(a), nonce(b));
    assert.ok(nonce(a)!.length >= 16);
  });

  it('data: findings needing a decision first, traceability, and out-of-scope hunks marked', () => {
    const d = buildPanelData(makeReport(), PATCH);
    assert.deepEqual(d.decisions.map((f) => f.rule).slice(0, 2), ['SG102', 'SG201']);
    const tf = d.files.find((f) => f.path === 'infra/main.tf')!;
    assert.equal(tf.hunks.length, 1);
    assert.equal(tf.hunks[0]!.outside, true);
    assert.equal(tf.hunks[0]!.line, 1);
    const retry = d.files.find((f) => f.path === 'src/billing/retry.ts')!;
    assert.equal(retry.hunks[0]!.outside, false);
    assert.deepEqual(retry.hunks[0]!.lines, ['-old', '+new', '+more']);
    assert.deepEqual(retry.hunks[0]!.gutters, ['2   ', '  2 ', '  3 '], 'old and new line numbers, drawn before each line');
    assert.deepEqual(d.trace.map((t) => t.requirement), ['1', '2', '3']);
  });

  it('data: each hunk carries the findings whose lines it holds, the file those no one hunk holds; scope findings stay with the badge', () => {
    const report = makeReport();
    const removed: Finding = { rule: 'SG220', kind: 'removed-export', severity: 'error', path: 'src/billing/retry.ts', startLine: 2, endLine: 3, message: 'Removed export `old`.' };
    const protectedFile: Finding = { rule: 'SG210', kind: 'protected-path', severity: 'error', path: 'src/billing/retry.ts', message: 'Protected path.' };
    report.findings = [...report.findings, removed, protectedFile];
    const d = buildPanelData(report, PATCH);
    const retry = d.files.find((f) => f.path === 'src/billing/retry.ts')!;
    assert.deepEqual(retry.hunks[0]!.findings, [
      { rule: 'SG220', kind: 'removed-export', severity: 'error', lines: 'lines 2–3', message: 'Removed export old.', parts: [{ text: 'Removed export ', code: false }, { text: 'old', code: true }, { text: '.', code: false }] },
    ]);
    assert.deepEqual(retry.findings?.map((n) => [n.rule, n.lines]), [['SG210', undefined]]);
    // The deleted file's SG102 (excluded) is its badge; its SG201 has no lines: under the file.
    const tf = d.files.find((f) => f.path === 'infra/main.tf')!;
    assert.deepEqual(tf.findings?.map((n) => n.rule), ['SG201']);
    assert.equal(tf.hunks[0]!.findings, undefined);
  });

  it('data: a roll-up by rule above 30 rows or more of findings that need a decision, none below', () => {
    const base = makeReport();
    const extra = Array.from({ length: 30 }, (_, i): Finding => {
      const path = `${i < 25 ? 'gen' : 'lib/x'}/f${i}.ts`;
      return { rule: 'SG101', kind: 'out-of-scope', severity: 'error', path, startLine: 1, endLine: 1, message: `${path} is outside the spec's scope` };
    });
    const d = buildPanelData({ ...base, findings: [...base.findings, ...extra] }, PATCH);
    assert.ok(d.decisions.length >= 30);
    assert.deepEqual(
      d.rollup?.find((r) => r.rule === 'SG101'),
      { rule: 'SG101', kind: 'out-of-scope', severity: 'error', counts: '30 hunks in 30 files, 2 folders', top: [{ folder: 'gen/', files: 25 }, { folder: 'lib/x/', files: 5 }] },
    );
    assert.equal(buildPanelData(base, PATCH).rollup, undefined);
  });

  it('data: the same finding on several hunks of one file is one row saying how many hunks, listing every range', () => {
    const r = makeReport();
    const excluded = (startLine: number, endLine: number) =>
      ({ rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/vpc.tf', startLine, endLine, message: 'infra/** is a non-goal' }) as const;
    r.findings = [excluded(4, 4), excluded(9, 12), excluded(30, 31)];
    const d = buildPanelData(r, PATCH);
    assert.deepEqual(d.decisions, [
      { rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/vpc.tf', line: 4, lines: '3 hunks at lines 4, 9–12, 30–31', message: 'infra/** is a non-goal', parts: [{ code: false, text: 'infra/** is a non-goal' }] },
    ]);
    // The section's badge counts the findings the one row stands for, as REVIEW.md does.
    assert.deepEqual(d.counts, { decisions: 3, others: 0 });
  });

  it('data: a message\'s quoted code comes apart from its text (the panel shows it as code), the message itself plain', () => {
    const r = makeReport();
    r.findings = [
      { rule: 'SG220', kind: 'removed-export', severity: 'warning', path: 'src/billing/retry.ts', startLine: 22, endLine: 29, message: 'Removed export `linearDelay`; code that imports it may break.' },
      { rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/vpc.tf', startLine: 1, endLine: 1, message: 'Change excluded by spec `s`: its non-goal `<b>x</b>` covers this file.' },
    ];
    const d = buildPanelData(r, PATCH);
    const all = [...d.decisions, ...d.others];
    const sg220 = all.find((f) => f.rule === 'SG220')!;
    assert.equal(sg220.message, 'Removed export linearDelay; code that imports it may break.');
    assert.deepEqual(sg220.parts, [
      { code: false, text: 'Removed export ' },
      { code: true, text: 'linearDelay' },
      { code: false, text: '; code that imports it may break.' },
    ]);
    assert.deepEqual(all.find((f) => f.rule === 'SG102')!.parts, [
      { code: false, text: 'Change excluded by spec ' },
      { code: true, text: 's' },
      { code: false, text: ': its non-goal ' },
      { code: true, text: '<b>x</b>' },
      { code: false, text: ' covers this file.' },
    ]);
  });

  it('data: spec text stays plain data (an XSS payload is a string, never markup in the HTML)', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const r = makeReport();
    r.spec.requirements[0]!.title = payload;
    const d = buildPanelData(r, PATCH);
    assert.equal(d.trace[0]!.title, payload);
    const html = reviewHtml({ cspSource: 'x', styleUri: 's', scriptUri: 'j' });
    assert.ok(!html.includes(payload));
  });

  it('packet: keeps the base commit only as a full object id (a deleted file opens from it; the packet is untrusted)', () => {
    const id = 'a'.repeat(40);
    const withBase = (commit: unknown) => buildPanelData({ ...makeReport(), base: { ref: 'HEAD', commit } } as unknown as Report, PATCH).baseCommit;
    assert.equal(withBase(id), id);
    assert.equal(withBase('b'.repeat(64)), 'b'.repeat(64));
    for (const bad of [null, 'abc123', `${id}:src/x.ts`, `--output=${id}`, 'A'.repeat(40), 42]) assert.equal(withBase(bad), null, JSON.stringify(bad));
  });

  it('packet: refuses what is not a SpecGate report', () => {
    assert.throws(() => checkPacket({ schema: 'other' }), /not a SpecGate review packet/);
    assert.throws(() => checkPacket(null), /not a SpecGate review packet/);
    assert.equal(checkPacket(makeReport()).schema, 'specgate.report/1');
  });

  it('messages: accepts only known types, and files the packet names', () => {
    const d = buildPanelData(makeReport(), PATCH);
    assert.deepEqual(parsePanelMessage({ type: 'approve' }, d), { type: 'approve' });
    assert.deepEqual(parsePanelMessage({ type: 'export', path: 'ignored' }, d), { type: 'export' });
    assert.deepEqual(parsePanelMessage({ type: 'openFile', path: 'src/billing/retry.ts', line: 2 }, d), { type: 'openFile', path: 'src/billing/retry.ts', line: 2 });
    for (const bad of [
      { type: 'openFile', path: '/etc/passwd', line: 1 },
      { type: 'openFile', path: '../x', line: 1 },
      { type: 'openFile', path: 'src/other.ts', line: 1 },
      { type: 'openFile', path: 'src/billing/retry.ts', line: 0 },
      { type: 'openFile', path: 'src/billing/retry.ts', line: 1.5 },
      { type: 'run', command: 'rm' },
      'approve',
      null,
    ]) {
      assert.equal(parsePanelMessage(bad, d), undefined, JSON.stringify(bad));
    }
  });
});
