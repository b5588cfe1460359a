import { strict as assert } from 'node:assert';
import { renderHtml, REVIEW_CSP } from '../../src/core/render/html';
import { renderMarkdown } from '../../src/core/render/markdown';
import { makeInput, makeReport } from './reviewFixture';

interface Node5 {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node5[];
  content?: Node5;
  value?: string;
}

async function parse(html: string): Promise<Node5> {
  const parse5 = await import('parse5');
  return parse5.parse(html) as unknown as Node5;
}

function* elements(node: Node5): Generator<Node5> {
  if (node.tagName) yield node;
  for (const c of node.childNodes ?? []) yield* elements(c);
  if (node.content) yield* elements(node.content);
}

function text(node: Node5): string {
  if (node.nodeName === '#text') return node.value ?? '';
  return (node.childNodes ?? []).map(text).join('');
}

const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '</style><script>alert(3)</script>',
  '<a href="javascript:alert(4)">x</a>',
  '"><svg onload=alert(5)>',
];

function hostileInput() {
  const evilPath = 'src/<script>alert(1)</script>" onerror="alert(9)</style>.ts';
  const report = makeReport();
  report.spec.name = `billing ${PAYLOADS[0]}`;
  report.spec.requirements[0]!.title = PAYLOADS[1]!;
  report.base.ref = PAYLOADS[4]!;
  report.changes.push({
    path: evilPath,
    status: 'added',
    binary: false,
    added: 2,
    removed: 0,
    classification: 'out-of-scope',
    tasks: [PAYLOADS[3]!],
    hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2, classification: 'out-of-scope' }],
  });
  report.findings.push({ rule: 'SG101', kind: 'out-of-scope', severity: 'error', path: evilPath, message: PAYLOADS.join(' '), task: PAYLOADS[2] });
  report.traceability.push({ requirement: PAYLOADS[0]!, tasks: [PAYLOADS[1]!], paths: [evilPath] });
  const patch = [
    `diff --git a/${evilPath} b/${evilPath}`,
    'new file mode 100644',
    '--- /dev/null',
    `+++ b/${evilPath}`,
    '@@ -0,0 +1,2 @@',
    `+const s = '${PAYLOADS[0]}${PAYLOADS[2]}';`,
    `+// ${PAYLOADS[1]} ${PAYLOADS[3]}`,
    '',
  ].join('\n');
  const spec = [
    '---',
    `scope: ["${PAYLOADS[2]}"]`,
    '---',
    '# Spec',
    '',
    PAYLOADS.join('\n\n'),
    '',
    '[click me](javascript:alert(6)) and [data](data:text/html;base64,PHNjcmlwdD4=) and <javascript:alert(7)>',
    '[png](data:image/png;base64,iVBORw0KGgo=) [file](file:///etc/passwd) [vb](VBSCRIPT:msgbox) [ent](&#106;avascript:alert(8)) [sp]( javascript:alert(10))',
    '',
    '![remote](https://evil.example/track.png)',
    '',
    '<iframe src="https://evil.example"></iframe><div style="background:url(https://evil.example/x)">styled</div>',
    '',
    '```html',
    PAYLOADS[2],
    '```',
  ].join('\n');
  return makeInput({ report, patch, specFiles: [{ path: `.kiro/specs/x/${PAYLOADS[0]}.md`, text: spec }] });
}

describe('review.html', () => {
  it('is one self-contained page with the CSP meta tag and a single inline style', async () => {
    const html = await renderHtml(makeInput());
    const doc = await parse(html);
    const all = [...elements(doc)];
    const csp = all.find((e) => e.tagName === 'meta' && e.attrs?.some((a) => a.name === 'http-equiv' && a.value === 'Content-Security-Policy'));
    assert.equal(csp?.attrs?.find((a) => a.name === 'content')?.value, REVIEW_CSP);
    assert.equal(REVIEW_CSP, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    assert.equal(all.filter((e) => e.tagName === 'script').length, 0);
    assert.equal(all.filter((e) => e.tagName === 'style').length, 1);
    assert.equal(all.filter((e) => ['link', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source'].includes(e.tagName!)).length, 0);
    assert.ok(!/https?:\/\//.test(html.replace(/<a [^>]*href="https?:\/\/[^"]*"/g, '')), 'no URL outside links');
  });

  it('leads with risk and the findings that need a decision, then traceability, files, diffs and spec', async () => {
    const html = await renderHtml(makeInput());
    const order = ['Risk: <strong>HIGH</strong>', 'id="decide"', 'id="other"', 'id="trace"', 'id="files"', 'id="diffs"', 'id="spec"'].map((s) => html.indexOf(s));
    assert.ok(order.every((i) => i > 0), String(order));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    const decide = html.slice(order[1], order[2]);
    assert.match(decide, /SG201 file-deleted/);
    assert.match(decide, /SG102 excluded-path/);
    assert.match(decide, /SG302 task-done-without-change/);
    assert.doesNotMatch(decide, /SG301/);
  });

  it('says on a merged finding how many hunks it stands for, so the lines add up to the heading', async () => {
    const report = makeReport();
    report.findings = [4, 9, 21].map((line) => ({
      rule: 'SG101',
      kind: 'out-of-scope' as const,
      severity: 'error' as const,
      path: 'src/auth/session.ts',
      startLine: line,
      endLine: line === 9 ? 12 : line,
      message: 'outside',
    }));
    const doc = await parse(await renderHtml(makeInput({ report })));
    const decide = [...elements(doc)].find((e) => e.attrs?.some((a) => a.name === 'id' && a.value === 'decide'))!;
    const heading = [...elements(decide)].find((e) => e.tagName === 'h2')!;
    const items = [...elements(decide)].filter((e) => e.tagName === 'li').map(text);
    assert.equal(text(heading), 'Needs a decision (3 in 1 entry)');
    const risk = [...elements(doc)].find((e) => e.attrs?.some((a) => a.name === 'class' && a.value.startsWith('risk ')))!;
    assert.equal(text(risk), 'Risk: HIGH · 2 files changed, +2 −4 · 1 outside the scope (1 excluded by a non-goal) · 3 need a decision');
    assert.deepEqual(items, ['error SG101 out-of-scope src/auth/session.ts 3 hunks at lines 4, 9–12, 21: outside']);
  });

  it('marks traceability gaps and out-of-scope hunks', async () => {
    const html = await renderHtml(makeInput());
    const doc = await parse(html);
    const gaps = [...elements(doc)].filter((e) => e.attrs?.some((a) => a.name === 'class' && a.value === 'has-gap')).map(text);
    assert.equal(gaps.length, 2);
    assert.match(gaps[0]!, /Notify the customer.*gap: no changed file/);
    assert.match(gaps[1]!, /Audit log.*gap: no task/);
    const outside = [...elements(doc)].filter((e) => e.attrs?.some((a) => a.name === 'class' && a.value === 'hunk outside')).map(text);
    assert.equal(outside.length, 1);
    assert.match(outside[0]!, /EXCLUDED[\s\S]*-resource "x" "y"/);
  });

  it('lets no <script>, on* attribute, javascript: link or </style> from spec text, file names or code become markup', async () => {
    const html = await renderHtml(hostileInput());
    const doc = await parse(html);
    const all = [...elements(doc)];
    assert.deepEqual(all.filter((e) => ['script', 'iframe', 'svg', 'img', 'object', 'embed', 'link'].includes(e.tagName!)).map((e) => e.tagName), []);
    const styles = all.filter((e) => e.tagName === 'style');
    assert.equal(styles.length, 1);
    assert.doesNotMatch(text(styles[0]!), /alert|script/);
    for (const e of all) {
      for (const a of e.attrs ?? []) {
        assert.ok(!/^on/i.test(a.name), `on* attribute ${a.name} on <${e.tagName}>`);
        assert.notEqual(a.name, 'style', `style attribute on <${e.tagName}>`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name)) {
          assert.ok(!/^\s*(javascript|data|vbscript):/i.test(a.value), `${a.name}=${a.value}`);
          assert.ok(a.value.startsWith('#') || /^https?:/.test(a.value) || a.name !== 'src', `${a.name}=${a.value}`);
        }
      }
    }
    const body = text(doc);
    for (const p of PAYLOADS) assert.ok(body.includes(p), `payload shown as text: ${p}`);
    assert.ok(body.includes('[image: remote]'));
  });

  it('renders the spec as markdown: headings, tables, task boxes, code, and front matter as code', async () => {
    const spec = [
      '---',
      'scope: ["src/**"]',
      '---',
      '# Tasks',
      '',
      '- [ ] 1. Open `src/a.ts`',
      '- [x] 2. Done',
      '- [-] 3. Under way',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      'See [design](./design.md), [site](https://example.com) and [mail](mailto:a@b.c).',
    ].join('\n');
    const html = await renderHtml(makeInput({ specFiles: [{ path: '.kiro/specs/x/tasks.md', text: spec }] }));
    const doc = await parse(html);
    const md = [...elements(doc)].find((e) => e.attrs?.some((a) => a.name === 'class' && a.value === 'md'))!;
    const inside = [...elements(md)];
    assert.equal(text(inside.find((e) => e.tagName === 'pre')!), 'scope: ["src/**"]');
    assert.deepEqual(inside.filter((e) => /^h[1-6]$/.test(e.tagName!)).map((e) => `${e.tagName} ${text(e)}`), ['h4 Tasks']);
    assert.deepEqual(inside.filter((e) => e.tagName === 'li').map(text), ['\u2610 1. Open src/a.ts', '\u2611 2. Done', '\u25d0 3. Under way']);
    assert.deepEqual(inside.filter((e) => e.tagName === 'td').map(text), ['1', '2']);
    assert.deepEqual(
      inside.filter((e) => e.tagName === 'a').map((e) => e.attrs!.find((a) => a.name === 'href')!.value),
      ['./design.md', 'https://example.com', 'mailto:a@b.c'],
    );
  });

  it('has a heading outline with no level skipped: a title, its sections, each changed file and each spec file under them, the spec\'s own headings below', async () => {
    const requirements = ['# Requirements', '', '### Requirement 1: Retry', '', '#### Acceptance Criteria', '', '## Glossary', '', '###### Deep'].join('\n');
    const html = await renderHtml(makeInput({ specFiles: [{ path: '.kiro/specs/billing-retry/requirements.md', text: requirements }, { path: '.kiro/specs/billing-retry/tasks.md', text: '## Tasks\n\n- [ ] 1. A\n' }] }));
    const outline = [...elements(await parse(html))].filter((e) => /^h[1-6]$/.test(e.tagName!)).map((e) => `${e.tagName} ${text(e).replace(/\s+/g, ' ').trim()}`);
    assert.deepEqual(outline, [
      'h1 SpecGate review: billing-retry',
      'h2 Needs a decision (3)',
      'h2 Other findings (1)',
      'h2 Traceability: requirement → tasks → files',
      'h2 Files (2)',
      'h2 Diffs',
      'h3 1. src/billing/retry.ts modified · in scope · +2 −1',
      'h3 2. infra/main.tf deleted · EXCLUDED: non-goal · +0 −3',
      'h2 Spec as reviewed (2 files)',
      'h3 .kiro/specs/billing-retry/requirements.md',
      'h4 Requirements',
      'h5 Requirement 1: Retry',
      'h6 Acceptance Criteria',
      'h5 Glossary',
      'h6 Deep',
      'h3 .kiro/specs/billing-retry/tasks.md',
      'h4 Tasks',
    ]);
  });

  it('lets each spec file be collapsed without script: an open <details> whose <summary> is the file\'s h3, the spec below it, all escaped', async () => {
    const evil = '.kiro/specs/x/<img src=x onerror=alert(1)>.md';
    const html = await renderHtml(makeInput({ specFiles: [{ path: '.kiro/specs/x/requirements.md', text: '# Requirements\n\nText <b>bold</b>.\n' }, { path: evil, text: '## Tasks\n' }] }));
    const doc = await parse(html);
    assert.ok(![...elements(doc)].some((e) => e.tagName === 'script'), 'no script');
    const spec = [...elements(doc)].find((e) => e.attrs?.some((a) => a.name === 'id' && a.value === 'spec'))!;
    const details = [...elements(spec)].filter((e) => e.tagName === 'details');
    const kids = (e: Node5) => (e.childNodes ?? []).filter((c) => c.tagName);
    assert.deepEqual(
      details.map((d) => ({
        attrs: d.attrs!.map((a) => `${a.name}=${a.value}`),
        children: kids(d).map((c) => c.tagName),
        summary: kids(kids(d)[0]!).map((c) => `${c.tagName} ${text(c)}`),
        spec: [...elements(kids(d)[1]!)].filter((e) => /^h[1-6]$/.test(e.tagName!)).map((e) => `${e.tagName} ${text(e)}`),
      })),
      [
        { attrs: ['class=spec-file', 'open='], children: ['summary', 'div'], summary: ['h3 .kiro/specs/x/requirements.md'], spec: ['h4 Requirements'] },
        { attrs: ['class=spec-file', 'open='], children: ['summary', 'div'], summary: [`h3 ${evil}`], spec: ['h4 Tasks'] },
      ],
    );
    assert.ok(!html.includes('<img'), 'the path is escaped');
    assert.ok(!html.includes('<b>bold'), 'the spec text is escaped');
  });

  it('shows bidirectional controls ("Trojan Source") in paths, messages, diff lines and the spec as \\u{202e}', async () => {
    const report = makeReport();
    const path = 'src/evil\u202egnp.ts';
    report.changes.push({ path, status: 'added', binary: false, added: 1, removed: 0, classification: 'out-of-scope', tasks: [], hunks: [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }] });
    report.findings.push({ rule: 'SG101', kind: 'out-of-scope', severity: 'error', path, message: 'New file \u2066outside\u2069.' });
    const patch = [`diff --git a/${path} b/${path}`, 'new file mode 100644', '--- /dev/null', `+++ b/${path}`, '@@ -0,0 +1 @@', "+if (role !== 'admin\u202e \u2066// admin\u2069\u2066') {", ''].join('\n');
    const input = makeInput({ report, patch, specFiles: [{ path: '.kiro/specs/x/tasks.md', text: '- [ ] 1. Edit `src/a\u202b.ts`\n' }] });
    const html = await renderHtml(input);
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(html), 'no raw bidirectional control left');
    assert.ok(html.includes('src/evil\\u{202e}gnp.ts'));
    assert.ok(html.includes('New file \\u{2066}outside\\u{2069}.'));
    assert.ok(html.includes("+if (role !== &#39;admin\\u{202e} \\u{2066}// admin\\u{2069}\\u{2066}&#39;) {"));
    assert.ok(html.includes('src/a\\u{202b}.ts'));
    const md = renderMarkdown(input);
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(md), 'no raw bidirectional control left in REVIEW.md');
    assert.ok(md.includes('src/evil\\u{202e}gnp.ts'));
    assert.ok(md.includes("+if (role !== 'admin\\u{202e} \\u{2066}// admin\\u{2069}\\u{2066}') {"));
  });
});
