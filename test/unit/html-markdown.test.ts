import { strict as assert } from 'node:assert';
import { markdownToHtml, renderHtml } from '../../src/core/render/html';
import { mdCode, mdFence, mdText, renderMarkdown } from '../../src/core/render/markdown';
import { splitPatch, pathOfDiffLine } from '../../src/core/render/diffview';
import type { Finding } from '../../src/core/model';
import { makeInput, makeReport, PATCH } from './reviewFixture';
import { nodes, parseMd, type MdNode } from './helpers/markdownTree';

describe('REVIEW.md', () => {
  it('leads with risk and decisions, then traceability, files and diffs', () => {
    const md = renderMarkdown(makeInput());
    // The excluded file is among those outside the scope, and the file list shows it apart: named.
    assert.equal(md.split('\n')[2], '**Risk: HIGH** · 2 files changed, +2 −4 · 1 outside the scope (1 excluded by a non-goal) · 3 need a decision');
    const at = ['**Risk: HIGH**', '## Needs a decision (3)', '## Other findings (1)', '## Traceability', '## Files (2)', '## Diffs'].map((s) => md.indexOf(s));
    assert.ok(at.every((i) => i >= 0), String(at));
    assert.deepEqual([...at].sort((a, b) => a - b), at);
    const decide = md.slice(at[1], at[2]);
    assert.deepEqual(decide.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.split(' ').slice(1, 4).join(' ')), [
      '**ERROR** SG102 excluded-path:',
      '**ERROR** SG201 file-deleted:',
      '**WARNING** SG302 task-done-without-change:',
    ]);
  });

  it('marks gaps in the traceability matrix and the out-of-scope hunk', () => {
    const md = renderMarkdown(makeInput());
    assert.match(md, /\| `2` Notify the customer \| `2` \(done\) \| — \| \*\*gap: no changed file\*\* \|/);
    assert.match(md, /\| `3` Audit log \| — \| — \| \*\*gap: no task\*\* \|/);
    const flag = md.indexOf('**⚠ EXCLUDED: non-goal**');
    assert.ok(flag > 0 && md.indexOf('-resource "x" "y" {') > flag);
    assert.equal(md.match(/⚠/g)?.length, 1, 'only the excluded hunk is flagged');
  });

  it('keeps file names with backticks, pipes and newlines inside one table cell and one code span', async () => {
    const name = 'a`b|c\n<d>*e*.ts';
    const report = makeReport();
    report.changes = [{ path: name, status: 'added', binary: false, added: 1, removed: 0, classification: 'out-of-scope', tasks: [], hunks: [] }];
    const md = renderMarkdown(makeInput({ report, patch: '' }));
    const tree = await parseMd(md);
    const tables = [...nodes(tree)].filter((n) => n.type === 'table');
    const files = tables[tables.length - 1]!;
    for (const row of files.children!) assert.equal(row.children!.length, 6);
    const codes = [...nodes(files.children![1]!)].filter((n) => n.type === 'inlineCode').map((n) => n.value);
    assert.deepEqual(codes, ['a`b|c␤<d>*e*.ts']);
    assert.equal([...nodes(tree)].filter((n) => n.type === 'html').length, 0, 'no raw HTML anywhere');
  });

  it('merges findings that say the same about one file into one line with how many it stands for and every range', () => {
    const report = makeReport();
    report.findings = [4, 9, 21].map((line) => ({
      rule: 'SG102',
      kind: 'excluded-path' as const,
      severity: 'error' as const,
      path: 'infra/main.tf',
      startLine: line,
      endLine: line === 9 ? 12 : line,
      message: 'non-goal',
    }));
    const md = renderMarkdown(makeInput({ report }));
    const lines = md.split('\n').filter((l) => l.includes('SG102'));
    assert.deepEqual(lines, ['- **ERROR** SG102 excluded-path: `infra/main.tf` 3 hunks at lines 4, 9–12, 21: non-goal']);
    // The heading counts findings, as the lines do: 3 on this one line.
    assert.ok(md.includes('## Needs a decision (3 in 1 entry)\n\n- **ERROR** SG102'), md);
  });

  it('counts merged findings of a kind that is not per hunk as findings, with or without lines', () => {
    const report = makeReport();
    const problem = { rule: 'SG401', kind: 'spec-problem' as const, severity: 'warning' as const, path: '.kiro/specs/billing-retry/tasks.md', message: 'bad reference' };
    report.findings = [
      { ...problem, startLine: 3, endLine: 3 },
      { ...problem, startLine: 7, endLine: 7 },
      { ...problem, message: 'no line', startLine: undefined },
      { ...problem, message: 'no line', startLine: undefined },
    ];
    const md = renderMarkdown(makeInput({ report }));
    assert.deepEqual(
      md.split('\n').filter((l) => l.includes('SG401')),
      ['- **WARNING** SG401 spec-problem: `.kiro/specs/billing-retry/tasks.md` 2 findings: no line', '- **WARNING** SG401 spec-problem: `.kiro/specs/billing-retry/tasks.md` 2 findings at lines 3, 7: bad reference'],
    );
  });

  it('escapes untrusted text so it cannot become links, emphasis or HTML', async () => {
    const tree = await parseMd(`x ${mdText('<b>[a](javascript:x) *b* `c` | ~~d~~ & !')} y`);
    const kinds = new Set([...nodes(tree)].map((n) => n.type));
    assert.deepEqual([...kinds].sort(), ['paragraph', 'root', 'text']);
  });

  it('lets no HTML, link or image from untrusted names, titles, messages or code into REVIEW.md', async () => {
    const evil = '<img src=x onerror=alert(1)>[x](javascript:alert(2))![i](http://e.x/i.png)</style><script>alert(3)</script>';
    const report = makeReport();
    report.spec.name = evil;
    report.spec.requirements[0]!.title = evil;
    report.base.ref = evil;
    report.findings[0]!.message = evil;
    report.findings[0]!.task = evil;
    report.changes[0]!.path = `src/${evil}.ts`;
    report.changes[0]!.tasks = [evil];
    report.traceability[0]!.paths = [`src/${evil}.ts`];
    const patch = ['diff --git a/x.ts b/x.ts', '--- a/x.ts', '+++ b/x.ts', '@@ -1 +1 @@', `-${evil}`, '+```', ''].join('\n');
    const md = renderMarkdown(makeInput({ report, patch }));
    const tree = await parseMd(md);
    const kinds = new Set([...nodes(tree)].map((n) => n.type));
    for (const bad of ['html', 'image', 'linkReference', 'imageReference']) assert.ok(!kinds.has(bad), `${bad} node in REVIEW.md`);
    // Only GFM's bare-URL autolinks remain, and only with harmless schemes.
    const urls = [...nodes(tree)].filter((n) => n.type === 'link').map((n) => (n as MdNode & { url: string }).url);
    for (const url of urls) assert.match(url, /^(https?|mailto):/);
    assert.ok(!urls.some((u) => u.includes('javascript')));
    const codes = [...nodes(tree)].filter((n) => n.type === 'code').map((n) => n.value);
    assert.ok(codes.some((c) => c === `@@ -1 +1 @@\n-${evil}\n+\`\`\``));
  });

  it('shows terminal control characters from the repository as text, so `cat REVIEW.md` obeys none', () => {
    const osc52 = '\x1b]52;c;ZXZpbA==\x07';
    const report = makeReport();
    report.spec.name = `fe\x1b[31mat${osc52}`;
    report.changes[0]!.path = 'src/a\rb\x08.ts';
    const patch = ['diff --git a/x.ts b/x.ts', '--- a/x.ts', '+++ b/x.ts', '@@ -1,2 +1,2 @@', '-old\r', '-old', '+new\r', `+echo "${osc52}" \x9b\rX`, ''].join('\n');
    const md = renderMarkdown(makeInput({ report, patch }));
    assert.equal(md.split('\n')[0], '# SpecGate review: fe\\\\u{1b}\\[31mat\\\\u{1b}\\]52;c;ZXZpbA==\\\\u{7}');
    // Only a CR that ends a line (a CRLF file) is left as it is.
    assert.deepEqual([...md.matchAll(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g)].map((m) => [m[0], md.slice(m.index - 3, m.index)]), [['\r', 'old'], ['\r', 'new']]);
    assert.ok(md.includes('+echo "\\u{1b}]52;c;ZXZpbA==\\u{7}" \\u{9b}\\u{d}X\n'), 'the diff line, revealed');
    assert.ok(md.includes('`src/a␤b\\u{8}.ts`'), 'the path');
    assert.equal(mdCode('a\x1bb'), '`a\\u{1b}b`');
  });

  it('shows invisible characters (zero-width, BOM, word joiner, Hangul filler, tags) and control characters in REVIEW.md and review.html alike', async () => {
    const report = makeReport();
    report.changes[0]!.path = 'src/index.ts\u200b';
    const patch = ['diff --git a/x.ts b/x.ts', '--- a/x.ts', '+++ b/x.ts', '@@ -1 +1 @@', '-const { timeout } = q;', '+const { timeout,\u3164} = q; "a\u200bb\ufeffc\u2060d\u{e0041}" /* \0 */ \x1b[2J', ''].join('\n');
    const input = makeInput({ report, patch });
    const line = '+const { timeout,\\u{3164}} = q; "a\\u{200b}b\\u{feff}c\\u{2060}d\\u{e0041}" /* \\u{0} */ \\u{1b}[2J';
    const md = renderMarkdown(input);
    assert.ok(md.includes(`${line}\n`), 'REVIEW.md diff line');
    assert.ok(md.includes('`src/index.ts\\u{200b}`'), 'REVIEW.md path');
    const html = await renderHtml(input);
    assert.ok(html.includes(line.replace(/"/g, '&quot;')), 'review.html diff line');
    assert.ok(html.includes('<code>src/index.ts\\u{200b}</code>'), 'review.html path');
    assert.equal(/[\0\x1b\u200b\u3164\ufeff\u2060]/u.test(html.replace(/<style>[\s\S]*?<\/style>/, '')), false, 'no invisible character left in review.html');
  });

  it('shows them in the spec files rendered on review.html too, and leaves an emoji\'s own parts alone', async () => {
    const spec = '# Plan \x1b]0;TITLE\x07\n\n- [x] 1. Edit `src/a\u200b.ts` \u009b31m\n\n\u26a0\ufe0f Keep `src/b.ts`; \ud83d\udc69\u200d\ud83d\udcbb owns it; a\u200db\ufe0f\n';
    const html = await renderHtml(makeInput({ specFiles: [{ path: '.kiro/specs/s/tasks.md', text: spec }] }));
    const section = html.slice(html.indexOf('<section id="spec"'));
    assert.ok(section.includes('<h4>Plan \\u{1b}]0;TITLE\\u{7}</h4>'), section);
    assert.ok(section.includes('Edit <code>src/a\\u{200b}.ts</code> \\u{9b}31m'), section);
    assert.ok(section.includes('\u26a0\ufe0f Keep <code>src/b.ts</code>; \ud83d\udc69\u200d\ud83d\udcbb owns it; a\\u{200d}b\\u{fe0f}'), section);
    assert.equal(/[\x1b\x07\u009b\u200b]/u.test(section), false);
  });

  it('shows a line break in a file name as ␤ in review.html, as in REVIEW.md, and wraps diff lines', async () => {
    const report = makeReport();
    report.changes[0]!.path = 'src/new\nline.ts';
    const html = await renderHtml(makeInput({ report }));
    assert.ok(html.includes('<code>src/new␤line.ts</code>'));
    assert.match(html, /\.hunk pre \{ white-space: pre-wrap; overflow-wrap: anywhere; \}/);
    // The red bold of the Files table's scope cell is not on every line of an out-of-scope hunk.
    assert.match(html, /\.gap, td > \.outside \{ color: var\(--red\); font-weight: 600; \}/);
    assert.equal(html.includes('.gap, .outside {'), false);
  });

  it('calls a re-pointed symbolic link one, and a submodule bump a submodule (not binary), in REVIEW.md and review.html', async () => {
    const report = makeReport();
    report.changes = [
      { path: 'src/config.json', status: 'modified', binary: false, added: 1, removed: 1, oldMode: '120000', newMode: '120000', classification: 'in-scope', tasks: [], hunks: [] },
      { path: 'vendor/lib', status: 'modified', binary: true, added: 0, removed: 0, oldMode: '160000', newMode: '160000', classification: 'in-scope', tasks: [], hunks: [] },
    ];
    const input = makeInput({ report, patch: '' });
    const md = renderMarkdown(input);
    assert.ok(md.includes('| 1 | `src/config.json` | modified | in scope | +1 −1 · symbolic link | — |'), md);
    assert.ok(md.includes('| 2 | `vendor/lib` | modified | in scope | submodule | — |'), md);
    const html = await renderHtml(input);
    assert.ok(html.includes('<span class="plus">+1</span> <span class="minus">−1</span> · symbolic link'), 'html link');
    assert.ok(html.includes('<td>submodule</td>'), 'html submodule');
  });

  it('shows a spec\'s HTML comment in review.html as a comment, not its lines as the list the model does not read', () => {
    const html = markdownToHtml('# Plan\n\n- [ ] 1. Real `src/a.ts`\n\n<!--\n- [x] 2. Hidden `src/b.ts`\n-->\n\nText <!-- inline --> and <b>bold</b>.\n');
    assert.ok(html.includes('<div class="raw-html hidden-html"><p class="muted">HTML comment: a markdown preview shows nothing of it, and SpecGate reads no task or path in it.</p><pre>&lt;!--\n- [x] 2. Hidden `src/b.ts`\n--&gt;</pre></div>'), html);
    assert.equal((html.match(/<li>/g) ?? []).length, 1, 'only the real task is a list item');
    assert.ok(html.includes('&lt;!-- inline --&gt;</span> and &lt;b&gt;bold&lt;/b&gt;.'), html);
    assert.equal(/<(?:b|!--)[\s>]/.test(html), false, 'no raw HTML');
  });

  it('shows where an external link in a spec goes, beside a text that may look like a repository path', () => {
    const html = markdownToHtml('See [`src/a.ts`](https://evil.example/x), [docs](./docs/a.md) and <https://x.example/y>.\n');
    assert.ok(html.includes('<a href="https://evil.example/x"><code>src/a.ts</code></a> <span class="muted link-target">(https://evil.example/x)</span>'), html);
    assert.ok(html.includes('<a href="./docs/a.md">docs</a> and'), 'a relative link is left as it is');
    assert.ok(html.includes('<a href="https://x.example/y">https://x.example/y</a>.'), 'a link that shows its target is left as it is');
  });

  it('lists a spec file\'s link definitions, which markdown shows as nothing, under it in review.html', () => {
    const html = markdownToHtml('# Design\n\nTouches `src/a.ts`.\n\n[ref]: <https://example.com> "`src/auth/**`"\n[x]: javascript:alert(1)\n');
    assert.ok(html.includes('<p class="muted">Link definitions in this file (markdown shows them as nothing):</p>'), html);
    assert.ok(html.includes('<li><code>[REF]</code>: <code>https://example.com</code> <code>&quot;`src/auth/**`&quot;</code></li>'), html);
    // A definition with a scheme that may not link is no definition: it shows as its text.
    assert.ok(html.includes('<p>[x]: javascript:alert(1)</p>'), html);
    assert.equal(html.includes('<a '), false);
    assert.equal(markdownToHtml('# Plain\n\nNo definitions.\n').includes('Link definitions'), false);
  });

  it('names the files it cannot show under Needs a decision, and links each finding to its file\'s diff', async () => {
    const report = makeReport();
    report.changes.push({ path: 'assets/logo.png', status: 'added', binary: true, added: 0, removed: 0, classification: 'in-scope', tasks: [], hunks: [] });
    const input = makeInput({ report });
    const md = renderMarkdown(input);
    const lead = '**Not shown in this review (1), so no finding judged their lines; open it in the repository before approving (changes.patch holds binary files as encoded git patches, which no one can read):** `assets/logo.png` (binary).';
    assert.ok(md.includes(lead), md);
    assert.ok(md.indexOf(lead) < md.indexOf('## Other findings'), 'under Needs a decision');
    const html = await renderHtml(input);
    assert.ok(html.includes('<p class="flag">Not shown in this review (1), so no finding judged their lines; open it in the repository before approving (changes.patch holds binary files as encoded git patches, which no one can read): <code>assets/logo.png</code> (binary).</p>'));
    const n = report.changes.findIndex((c) => c.path === 'infra/main.tf') + 1;
    assert.ok(n > 0 && html.includes(`<a href="#file-${n}"><code>infra/main.tf</code></a>`), 'the finding links to the diff');
    assert.ok(html.includes(`<section class="file" id="file-${n}">`), 'which exists');
    // Nothing to say when every file is shown.
    assert.equal(renderMarkdown(makeInput()).includes('Not shown in this review'), false);
  });

  it('leads a long Needs a decision list with a roll-up by rule: counts, files, folders, and where most are', async () => {
    // 36 out-of-scope files with 2 hunks each in three folders, and 2 deletions: 38 lines.
    const base = makeReport();
    const outside = Array.from({ length: 36 }, (_, i) => `${i < 20 ? 'src/gen' : i < 32 ? 'lib/extra' : 'tools'}/f${i}.ts`);
    const findings: Finding[] = [
      ...outside.flatMap((p) =>
        [1, 9].map((line): Finding => ({ rule: 'SG101', kind: 'out-of-scope', severity: 'error', path: p, startLine: line, endLine: line, message: `${p} is outside the spec's scope` })),
      ),
      ...['old/a.ts', 'b.ts'].map((p): Finding => ({ rule: 'SG201', kind: 'file-deleted', severity: 'warning', path: p, message: `${p} was deleted` })),
      ...base.findings.filter((f) => f.kind === 'requirement-uncovered'),
    ];
    const input = makeInput({ report: { ...base, findings } });
    const md = renderMarkdown(input);
    const decide = md.slice(md.indexOf('## Needs a decision'), md.indexOf('## Other findings'));
    const lead = 'At a glance, by rule (the 38 lines follow):';
    assert.ok(decide.includes(lead), decide.slice(0, 400));
    assert.deepEqual(decide.slice(decide.indexOf(lead)).split('\n---\n')[0]!.split('\n').filter((l) => l.startsWith('- ')), [
      "- **ERROR** SG101 out-of-scope: 72 hunks in 36 files, 3 folders; most in `src/gen/` 20, `lib/extra/` 12, `tools/` 4",
      // One file in each folder: no folder holds "most".
      '- **WARNING** SG201 file-deleted: 2 findings in 2 files, 2 folders',
    ]);
    assert.equal(decide.split('\n---\n')[1]!.split('\n').filter((l) => l.startsWith('- ')).length, 38, 'then every line, as before');
    const html = await renderHtml(input);
    assert.ok(html.includes('<p>At a glance, by rule (the 38 lines follow):</p>'));
    assert.ok(html.includes('<a class="rule" href="#decide-SG101">SG101 out-of-scope</a>: 72 hunks in 36 files, 3 folders; most in <code>src/gen/</code> 20, <code>lib/extra/</code> 12, <code>tools/</code> 4</li>'));
    // In review.html the lines follow in one part per rule, each folding under its heading:
    // the long one starts folded, the short one open; the roll-up row links to its part.
    const parts = [...html.matchAll(/<details class="rule-part" id="(decide-\w+)"( open)?><summary><span class="rule">([^<]+)<\/span> \((\d+) entries\)<\/summary>\n<ul class="findings">\n([\s\S]*?)<\/ul><\/details>/g)];
    assert.deepEqual(
      parts.map((m) => [m[1], m[2] === ' open', m[3], m[4], m[5]!.split('\n').filter((l) => l.startsWith('<li')).length]),
      [
        ['decide-SG101', false, 'SG101 out-of-scope', '36', 36],
        ['decide-SG201', true, 'SG201 file-deleted', '2', 2],
      ],
    );
    // A short list has none.
    assert.equal(renderMarkdown(makeInput()).includes('At a glance'), false);
    assert.equal((await renderHtml(makeInput())).includes('At a glance'), false);
  });

  it('marks the trailing whitespace of a changed line in review.html, so a whitespace-only edit does not read as none', async () => {
    const patch = ['diff --git a/x.ts b/x.ts', '--- a/x.ts', '+++ b/x.ts', '@@ -1,2 +1,2 @@', '-  return 1;', '-  b;\t\r', '+  return 1;  ', '+  b;\r', ''].join('\n');
    const html = await renderHtml(makeInput({ patch }));
    assert.ok(html.includes('<span class="add" data-ln="  1 ">+  return 1;<span class="trail" title="trailing whitespace">  </span></span>'), 'added trailing spaces');
    assert.ok(html.includes('<span class="del" data-ln="2   ">-  b;<span class="trail" title="trailing whitespace">\t</span>\r</span>'), 'a tab before a CRLF line end');
    assert.ok(html.includes('<span class="del" data-ln="1   ">-  return 1;</span>'), 'none to mark');
  });

  it('numbers each diff line in review.html with its old and new line, in an attribute the page draws but does not copy', async () => {
    // Hunks with context far into a file: the numbers count on from each hunk's start, to the file's widest.
    const patch = [
      'diff --git a/x.ts b/x.ts',
      '--- a/x.ts',
      '+++ b/x.ts',
      '@@ -8,3 +8,3 @@ fn',
      ' keep',
      '-old',
      '+new',
      ' keep too',
      '@@ -98,2 +98,3 @@',
      ' ctx',
      '+added',
      ' last',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    const html = await renderHtml(makeInput({ patch }));
    const lines = [...html.matchAll(/<span class="(add|del|ctx|note)" data-ln="([^"]*)">([^<]*)<\/span>/g)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(lines, [
      ['ctx', '  8   8 ', ' keep'],
      ['del', '  9     ', '-old'],
      ['add', '      9 ', '+new'],
      ['ctx', ' 10  10 ', ' keep too'],
      ['ctx', ' 98  98 ', ' ctx'],
      ['add', '     99 ', '+added'],
      ['ctx', ' 99 100 ', ' last'],
      ['note', '        ', '\\ No newline at end of file'],
    ]);
    assert.match(html, /\.hunk pre > \[data-ln\]::before \{ content: attr\(data-ln\);[^}]*user-select: none; \}/);
  });

  it('says in the summary which scope the files were judged against', async () => {
    const input = makeInput();
    assert.ok(renderMarkdown(input).includes('\n| Scope | in scope: `src/billing/**` · non-goals: `infra/**` · and the paths the tasks name |\n'));
    assert.ok((await renderHtml(input)).includes('<tr><th scope="row">Scope</th><td>in scope: <code>src/billing/**</code> · non-goals: <code>infra/**</code> · and the paths the tasks name</td></tr>'));
    const report = makeReport();
    report.spec.scope = { include: [], exclude: [], protected: ['db/**'] };
    assert.ok(renderMarkdown(makeInput({ report })).includes('\n| Scope | protected by the spec: `db/**` · and the paths the tasks name |\n'));
  });

  it('numbers a file that changed type once, its two diffs as parts, in REVIEW.md and review.html (one anchor)', async () => {
    const report = makeReport();
    report.changes.unshift({ ...report.changes[0]!, path: 'src/l.txt', status: 'type-changed', classification: 'in-scope' });
    const patch = [
      'diff --git a/src/l.txt b/src/l.txt',
      'deleted file mode 100644',
      'index 1111111111111111111111111111111111111111..0000000000000000000000000000000000000000',
      '--- a/src/l.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-text',
      'diff --git a/src/l.txt b/src/l.txt',
      'new file mode 120000',
      'index 0000000000000000000000000000000000000000..2222222222222222222222222222222222222222',
      '--- /dev/null',
      '+++ b/src/l.txt',
      '@@ -0,0 +1 @@',
      '+target',
      '\\ No newline at end of file',
      PATCH.slice(PATCH.indexOf('diff --git a/src/billing/retry.ts')),
    ].join('\n');
    const input = makeInput({ report, patch });
    const headings = renderMarkdown(input).split('\n').filter((l) => l.startsWith('### '));
    assert.deepEqual(headings.map((h) => h.replace(/ \(.*\)/, '')), ['### 1. `src/l.txt`, part 1 of 2', '### 1. `src/l.txt`, part 2 of 2', '### 2. `src/billing/retry.ts`']);
    const html = await renderHtml(input);
    assert.equal(html.match(/id="file-1"/g)?.length, 1);
    assert.equal(html.match(/, part [12] of 2<\/span><\/h3>/g)?.length, 2);
  });

  it('fences code with more backticks than the code holds', async () => {
    const block = mdFence(['+const s = "```";', '+````'], 'diff');
    const tree = await parseMd(block);
    const code = [...nodes(tree)].filter((n) => n.type === 'code');
    assert.equal(code.length, 1);
    assert.equal(code[0]!.value, '+const s = "```";\n+````');
    assert.equal(mdCode('``'), '``` `` ```');
  });
});

describe('patch splitting', () => {
  it('reads plain and C-quoted paths from diff --git lines', () => {
    assert.equal(pathOfDiffLine('diff --git a/src/a b.ts b/src/a b.ts'), 'src/a b.ts');
    assert.equal(pathOfDiffLine('diff --git "a/tab\\there\\303\\251" "b/tab\\there\\303\\251"'), 'tab\there\u00e9');
    assert.equal(pathOfDiffLine('diff --git a/b/ b/c b/b/ b/c'), 'b/ b/c');
  });

  it('marks binary files and caps long diffs', () => {
    const patch = [
      'diff --git a/x.bin b/x.bin',
      'new file mode 100644',
      'index 0000000..1111111',
      'GIT binary patch',
      'literal 3',
      'KcmZQzWMTjS00RI3',
      '',
      'diff --git a/big.txt b/big.txt',
      '--- a/big.txt',
      '+++ b/big.txt',
      '@@ -1,0 +1,5 @@',
      '+1',
      '+2',
      '+3',
      '+4',
      '+5',
      '',
    ].join('\n');
    const [bin, big] = splitPatch(patch, { maxLinesPerFile: 3, maxLinesTotal: 100 });
    assert.equal(bin!.binary, true);
    assert.deepEqual(bin!.hunks, []);
    assert.deepEqual(big!.hunks[0]!.lines, ['+1', '+2', '+3']);
    assert.equal(big!.truncated, true);
  });
});
