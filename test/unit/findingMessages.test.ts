// Finding messages quote code as markdown code spans. Surfaces that show text as it is (the
// terminal, SARIF `message.text`, the editor, the sidebar, the review panel) show the code
// without backticks; REVIEW.md, review.html and SARIF `message.markdown` show it as code.
import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Finding } from '../../src/core/model';
import { renderHtml } from '../../src/core/render/html';
import { renderMarkdown } from '../../src/core/render/markdown';
import { codeSpan, messageParts, plainMessage } from '../../src/core/render/plainTitle';
import { renderSarif } from '../../src/core/render/sarif';
import { renderText } from '../../src/core/render/text';
import { buildChangesNodes } from '../../src/vscode/sidebar/changesNodes';
import { buildSpecsNodes } from '../../src/vscode/sidebar/specsNodes';
import type { FolderInput } from '../../src/vscode/sidebar/folderInput';
import { tooltipText, type Node } from '../../src/vscode/sidebar/nodes';
import { blastTitle, excludedReason } from '../../src/vscode/editor/lensText';
import { buildPanelData } from '../../src/vscode/webview/panelData';
import { change, changeSet, config, spec } from './helpers/analysisFixtures';
import { makeInput, makeReport, PATCH } from './reviewFixture';

const EXPORT = 'Removed export `linearDelay`; code that imports it may break.';
const EXPORT_PLAIN = 'Removed export linearDelay; code that imports it may break.';

function reportWith(findings: Finding[]) {
  const r = makeReport();
  return { ...r, findings: [...findings, ...r.findings] };
}

const removedExport: Finding = { rule: 'SG220', kind: 'removed-export', severity: 'warning', path: 'src/billing/retry.ts', startLine: 2, endLine: 2, message: EXPORT };

describe('finding messages: code spans, plain text', () => {
  describe('plainMessage and messageParts', () => {
    const cases: [string, string, string][] = [
      ['drops the backticks of a code span', EXPORT, EXPORT_PLAIN],
      ['keeps code with a backtick inside a longer fence', 'non-goal ``docs/a`b/**``.', 'non-goal docs/a`b/**.'],
      ['strips the one space that pads a fence', 'export `` `x` `` gone', 'export `x` gone'],
      ['leaves a backtick that opens no span', 'It`s a path: a``b.ts', 'It`s a path: a``b.ts'],
      ['leaves emphasis, links and escapes as written (a message is not markdown)', 'Deleted _old_.ts, *x* [a](b) \\*', 'Deleted _old_.ts, *x* [a](b) \\*'],
      ['leaves angle brackets and control characters to the surface to escape', 'Removed export `<b>\u0007`.', 'Removed export <b>\u0007.'],
      ['leaves a message without backticks alone', 'File deleted (12 lines).', 'File deleted (12 lines).'],
    ];
    for (const [name, input, expected] of cases) it(name, () => assert.equal(plainMessage(input), expected));

    it('splits a message into text and the code it quotes', () => {
      assert.deepEqual(messageParts('Protected path (ci, `.github/**`): modified `x`'), [
        { code: false, text: 'Protected path (ci, ' },
        { code: true, text: '.github/**' },
        { code: false, text: '): modified ' },
        { code: true, text: 'x' },
      ]);
    });

    it('codeSpan quotes any text so that messageParts gives it back exactly', () => {
      for (const s of ['src/**', 'a`b', '`a', 'b`', '``x``', ' padded ', 'a ``` b', '<img src=x>', 'tab\there']) {
        assert.deepEqual(messageParts(`x ${codeSpan(s)} y`), [{ code: false, text: 'x ' }, { code: true, text: s }, { code: false, text: ' y' }], s);
      }
    });
  });

  it('rules quote a glob holding backticks so that its plain text is the glob as written', () => {
    const s = spec({ scope: { include: ['src/**'], exclude: ['docs/a`b/**'], protected: [] } });
    const r = analyze(s, changeSet([change('docs/a`b/x.md')]), { config: config(), specBlobs: {} });
    const f = r.findings.find((x) => x.kind === 'excluded-path');
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.message, `Change excluded by spec \`${s.id}\`: its non-goal \`\`docs/a\`b/**\`\` covers this file.`);
    assert.equal(plainMessage(f.message), `Change excluded by spec ${s.id}: its non-goal docs/a\`b/** covers this file.`);
    assert.equal(excludedReason(s, 'docs/a`b/x.md', r.findings), `Excluded by spec ${s.name}: docs/a\`b/x.md is a non-goal (docs/a\`b/**)`);
  });

  it('the text report shows the message as plain text', () => {
    const text = renderText(reportWith([removedExport]), { color: false });
    const line = text.split('\n').find((l) => l.includes('SG220'));
    assert.ok(line?.endsWith(`SG220 line 2: ${EXPORT_PLAIN}`), line);
  });

  it('SARIF: message.text is plain text, message.markdown has the code as a code span and the rest escaped', () => {
    const odd: Finding = { ...removedExport, path: 'a.ts', message: 'Protected path (ci, `*.yml`): modified <b>file</b>.' };
    const results = renderSarif(reportWith([removedExport, odd])).runs[0]!.results!;
    const byPath = new Map(results.map((r) => [r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.message]));
    assert.deepEqual(byPath.get('src/billing/retry.ts'), { text: EXPORT_PLAIN, markdown: EXPORT });
    assert.deepEqual(byPath.get('a.ts'), { text: 'Protected path (ci, *.yml): modified <b>file</b>.', markdown: 'Protected path (ci, `*.yml`): modified \\<b\\>file\\</b\\>.' });
    // A message that quotes no code has no markdown form.
    assert.deepEqual(results.find((r) => r.ruleId === 'SG201')?.message, { text: 'infra/main.tf was deleted' });
  });

  it('REVIEW.md shows the quoted code as a code span, not as escaped backticks', () => {
    const md = renderMarkdown(makeInput({ report: reportWith([removedExport]) }));
    const line = md.split('\n').find((l) => l.includes('SG220'));
    assert.ok(line?.endsWith(`: ${EXPORT}`), line);
  });

  it('review.html shows the quoted code in <code>, escaped', async () => {
    const evil: Finding = { ...removedExport, message: 'Removed export `<img src=x onerror=alert(1)>`; code <i>that</i> imports it may break.' };
    const html = await renderHtml(makeInput({ report: reportWith([evil]) }));
    assert.ok(html.includes('Removed export <code>&lt;img src=x onerror=alert(1)&gt;</code>; code &lt;i&gt;that&lt;/i&gt; imports it may break.'), html);
  });

  it('the review panel, the Changes view tooltip and the code lens title show plain text', () => {
    const report = reportWith([removedExport]);
    const panel = buildPanelData(report, PATCH);
    assert.deepEqual([...panel.decisions, ...panel.others].filter((f) => f.rule === 'SG220').map((f) => f.message), [EXPORT_PLAIN]);

    const folder: FolderInput = { name: 'repo', root: '/repo', specs: [], activeSpecId: report.spec.id, report, trusted: true };
    const all = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...all(n.children)]);
    const node = all(buildChangesNodes([folder])).find((n) => n.label === 'retry.ts');
    const tooltip = node && tooltipText(node);
    assert.ok(tooltip?.includes(`SG220 ${EXPORT_PLAIN} (line 2)`), tooltip);

    assert.equal(blastTitle(removedExport), EXPORT_PLAIN);
  });

  it('the Specs view lists a spec problem as plain text', () => {
    const s = spec({ problems: [{ file: 'docs/specs/x.md', line: 2, message: `front matter \`scope\`: ${codeSpan('../a`b')} is not a repository-relative glob` }] });
    const folder: FolderInput = { name: 'repo', root: '/repo', specs: [s], activeSpecId: s.id, report: undefined, trusted: true };
    const all = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...all(n.children)]);
    const problem = all(buildSpecsNodes([folder])).find((n) => n.id.endsWith('/problems/0'));
    assert.deepEqual([problem?.label, problem?.description], ['front matter scope: ../a`b is not a repository-relative glob', 'docs/specs/x.md:2']);
  });
});
