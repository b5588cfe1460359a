// review.html puts the intent and the findings beside the code: each diff names the tasks
// (and requirements) that explain its file, lists the findings whose lines fall in a hunk
// above that hunk, and a finding in *Needs a decision* links to its hunk. The traceability
// matrix agrees with the findings, the spec's deep headings keep their level, and the
// page's inks are readable in both colour schemes.
import { strict as assert } from 'node:assert';
import { markdownToHtml, renderHtml } from '../../src/core/render/html';
import { renderMarkdown } from '../../src/core/render/markdown';
import { placeFindings, traceLines } from '../../src/core/render/reviewdata';
import type { Finding } from '../../src/core/model';
import { makeInput, makeReport } from './reviewFixture';

const PATCH = [
  'diff --git a/src/billing/retry.ts b/src/billing/retry.ts',
  'index 2222222222222222222222222222222222222222..3333333333333333333333333333333333333333 100644',
  '--- a/src/billing/retry.ts',
  '+++ b/src/billing/retry.ts',
  '@@ -1,3 +1,3 @@',
  ' // retry',
  '-export function legacy() {}',
  '+function legacy() {}',
  ' export function retry() {}',
  '@@ -20,3 +20,4 @@',
  ' a',
  '+b',
  ' c',
  ' d',
  '',
].join('\n');

function input() {
  const report = makeReport();
  report.changes = [
    {
      path: 'src/billing/retry.ts',
      status: 'modified',
      binary: false,
      added: 2,
      removed: 1,
      classification: 'in-scope',
      tasks: ['1'],
      hunks: [
        { oldStart: 2, oldLines: 1, newStart: 2, newLines: 1, classification: 'in-scope' },
        { oldStart: 20, oldLines: 0, newStart: 21, newLines: 1, classification: 'in-scope' },
      ],
    },
  ];
  const removed: Finding = { rule: 'SG220', kind: 'removed-export', severity: 'error', path: 'src/billing/retry.ts', startLine: 2, endLine: 2, message: 'export `legacy` was removed' };
  const rewrite: Finding = { rule: 'SG202', kind: 'mass-rewrite', severity: 'warning', path: 'src/billing/retry.ts', startLine: 2, endLine: 21, message: 'most of the file was replaced' };
  const protectedFile: Finding = { rule: 'SG210', kind: 'protected-path', severity: 'error', path: 'src/billing/retry.ts', message: 'a protected path' };
  report.findings = [removed, rewrite, protectedFile];
  report.traceability = [{ requirement: '1', tasks: ['1'], paths: ['src/billing/retry.ts'] }];
  return { input: makeInput({ report, patch: PATCH }), removed, rewrite, protectedFile };
}

/** The hunk element with this id, up to its end. */
function hunk(html: string, id: string): string {
  const at = html.indexOf(`id="${id}"`);
  assert.ok(at > 0, `no element with id ${id}`);
  return html.slice(at, html.indexOf('</div>', at));
}

describe('review.html: findings and tasks beside the code', () => {
  it('places a finding in the one displayed hunk its lines fall in; one spanning hunks, or without lines, stays with the file', () => {
    const { input: i, removed, rewrite, protectedFile } = input();
    const places = placeFindings(i.report, i.diffs);
    const [h1, h2] = i.diffs[0]!.hunks;
    assert.equal(places.hunkOf.get(removed), h1);
    assert.equal(places.hunkOf.has(rewrite), false);
    assert.equal(places.hunkOf.has(protectedFile), false);
    assert.deepEqual(places.inHunk.get(h1!), [removed]);
    assert.equal(places.inHunk.has(h2!), false);
  });

  it('lists the hunk finding above its hunk, the file findings under the heading with the task that explains the file, and links the finding to its hunk', async () => {
    const html = await renderHtml(input().input);
    assert.match(hunk(html, 'file-1-h1'), /SG220 removed-export<\/span> <span class="muted">line 2<\/span>: export <code>legacy<\/code> was removed[\s\S]*-export function legacy/);
    assert.doesNotMatch(hunk(html, 'file-1-h2'), /SG2\d\d/);
    const file = html.slice(html.indexOf('id="file-1"'), html.indexOf('id="file-1-h1"'));
    assert.match(file, /Task: <code>1<\/code> Add retry loop <span class="muted">\(requirement <code>1<\/code>\)<\/span>/);
    assert.match(file, /SG202 mass-rewrite<\/span> <span class="muted">lines 2–21<\/span>/);
    assert.match(file, /SG210 protected-path<\/span>: a protected path/);
    const decide = html.slice(html.indexOf('id="decide"'), html.indexOf('id="other"'));
    assert.match(decide, /SG220 removed-export<\/span> <a href="#file-1-h1">/);
    assert.match(decide, /SG210 protected-path<\/span> <a href="#file-1">/);
  });

  it('REVIEW.md does the same: the task under the heading, the file findings, and each hunk finding right above its hunk', () => {
    const md = renderMarkdown(input().input);
    const diff = md.slice(md.indexOf('### 1. `src/billing/retry.ts`'));
    assert.equal(
      diff.split('```diff')[0],
      '### 1. `src/billing/retry.ts` (modified · in scope · +2 −1)\n\n' +
        'Task: `1` Add retry loop (requirement `1`)\n\n' +
        '- **WARNING** SG202 mass-rewrite (lines 2–21): most of the file was replaced\n' +
        '- **ERROR** SG210 protected-path: a protected path\n\n' +
        '- **ERROR** SG220 removed-export (line 2): export `legacy` was removed\n\n',
    );
    // The second hunk has none above it.
    assert.match(diff, /```\n\n```diff\n@@ -20,3 \+20,4 @@/);
  });

  it('does not repeat an out-of-scope or excluded finding in the diff, where the hunk flag says it', async () => {
    const html = await renderHtml(makeInput());
    const diffs = html.slice(html.indexOf('id="diffs"'), html.indexOf('id="spec"'));
    assert.doesNotMatch(diffs, /SG102|SG101/);
    assert.match(diffs, /SG201 file-deleted<\/span>: infra\/main.tf was deleted/);
  });
});

describe('traceability agrees with the findings', () => {
  it('a requirement no task cites is a gap only where SG301 flags it; elsewhere (OpenSpec) it is said plainly, and a title equal to the id is shown once', async () => {
    const report = makeReport();
    report.spec.requirements.push({ id: 'Audit trail', title: 'Audit trail', criteria: [] });
    const lines = traceLines(report);
    assert.deepEqual(
      lines.map((l) => [l.requirement, l.title, l.gap ?? '', l.uncited ?? false]),
      [
        ['1', 'Retry failed charges', '', false],
        ['2', 'Notify the customer', 'no-change', false],
        ['3', 'Audit log', 'no-task', false],
        ['Audit trail', '', '', true],
      ],
    );
    const md = renderMarkdown(makeInput({ report }));
    assert.match(md, /\| `Audit trail` \| — \| — \| no task cites it \|/);
    const html = await renderHtml(makeInput({ report }));
    assert.match(html, /<tr><td><code>Audit trail<\/code><\/td><td>—<\/td><td>—<\/td><td><span class="muted">no task cites it<\/span><\/td><\/tr>/);
  });
});

describe('review.html: headings and colours', () => {
  it('is one main landmark of named regions: each section labelled by its heading, table headers scoped', async () => {
    const html = await renderHtml(makeInput());
    assert.equal(html.match(/<main>/g)?.length, 1);
    const sections = [...html.matchAll(/<section id="(\w+)"( aria-labelledby="([\w-]+)")?>\n<h2( id="([\w-]+)")?>/g)].map((m) => [m[1], m[3], m[5]]);
    assert.deepEqual(sections.map((x) => x[0]), ['decide', 'other', 'trace', 'files', 'diffs', 'spec']);
    for (const [id, labelledBy, heading] of sections) assert.deepEqual([labelledBy, heading], [`${id}-title`, `${id}-title`], id);
    // (The page's own tables; a table in the spec is rendered as the spec writes it.)
    assert.equal(html.slice(0, html.indexOf('<section id="spec"')).match(/<th>/g), null, 'every header cell says its scope');
  });

  it('a spec heading deeper than h6 is a heading element with its level, under its parent', () => {
    const html = markdownToHtml('# Requirements\n\n## Requirements\n\n### Requirement 1\n\n#### Acceptance Criteria\n\n1. WHEN x THEN y\n', 4);
    assert.match(html, /<h4>Requirements<\/h4>\s*<h5>Requirements<\/h5>\s*<h6>Requirement 1<\/h6>\s*<div role="heading" aria-level="7" class="deep-heading">Acceptance Criteria<\/div>/);
  });

  it('the inks of errors, warnings, additions and hunk headers reach 4.5:1 on the light and the dark canvas', async () => {
    const html = await renderHtml(makeInput());
    const inks = (block: string) => Object.fromEntries([...block.matchAll(/--(red|green|purple|amber): (#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
    const light = inks(/:root \{ color-scheme: light dark;([^}]*)\}/.exec(html)![1]!);
    const dark = inks(/@media \(prefers-color-scheme: dark\) \{ :root \{([^}]*)\}/.exec(html)![1]!);
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: string, b: string) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x! + 0.05) / (y! + 0.05);
    };
    assert.deepEqual(Object.keys(light).sort(), ['amber', 'green', 'purple', 'red']);
    assert.deepEqual(Object.keys(dark).sort(), ['amber', 'green', 'purple', 'red']);
    // Chromium's Canvas: white, and #121212 in the dark scheme.
    const low = [
      ...Object.entries(light).filter(([, c]) => ratio(c, '#ffffff') < 4.5).map(([k, c]) => `light ${k} ${c}: ${ratio(c, '#ffffff').toFixed(2)}`),
      ...Object.entries(dark).filter(([, c]) => ratio(c, '#121212') < 4.5).map(([k, c]) => `dark ${k} ${c}: ${ratio(c, '#121212').toFixed(2)}`),
    ];
    assert.deepEqual(low, []);
    // No text colour is set outside those inks.
    assert.doesNotMatch(html.slice(html.indexOf('<style>'), html.indexOf('</style>')).replace(/--\w+: #[0-9a-f]{6}/g, ''), /[^-]color: #/);
  });
});
