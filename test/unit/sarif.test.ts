import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Report } from '../../src/core/model';
import { FINGERPRINT_KEY, pathToUri, renderSarif, rootToUri } from '../../src/core/render/sarif';
import { renderText, safePath, safeText } from '../../src/core/render/text';
import { RULES } from '../../src/core/rules/catalog';
import { added, change, changeSet, config, deleted, hunk, req, spec, task } from './helpers/analysisFixtures';

function report(shift = 0): Report {
  const s = spec({
    requirements: [req('1', ['1.1'])],
    tasks: [task('1', { paths: ['src/a.ts'], requirements: ['1.1'] })],
    scope: { include: ['src/**'], exclude: [], protected: [] },
    scopeSources: [{ glob: 'src/**', list: 'include', origin: 'front-matter', range: { file: '.kiro/specs/demo/design.md', startLine: 2, endLine: 2 } }],
  });
  return analyze(
    s,
    changeSet([
      change('lib/x y#1.ts', { hunks: [hunk(3 + shift, 1, 3 + shift, 2), hunk(9 + shift, 1, 10 + shift, 1)] }),
      deleted('infra/main.tf', 12),
      added('src/ünï.ts', 4),
    ]),
    { config: config(), specBlobs: {} },
  );
}

describe('SARIF', () => {
  const log = renderSarif(report(), { srcRoot: '/work/repo' });
  const run = log.runs[0]!;

  it('is a SARIF 2.1.0 log with a described rule for every finding kind', () => {
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema!, /sarif-2\.1\.0/);
    const driver = run.tool.driver;
    assert.equal(driver.name, 'SpecGate');
    assert.ok(driver.version && driver.informationUri?.startsWith('https://'));
    assert.deepEqual(driver.rules!.map((r) => r.id), RULES.map((r) => r.id));
    for (const r of driver.rules!) {
      assert.ok(r.name && r.shortDescription?.text && r.fullDescription?.text && r.help?.text, r.id);
      assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration!.level!), r.id);
    }
  });

  it('gives each result its rule, level, message, a repo-relative location with a start line, and a fingerprint', () => {
    assert.equal(run.results!.length, report().findings.length);
    for (const r of run.results!) {
      assert.equal(run.tool.driver.rules![r.ruleIndex!]!.id, r.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(r.level!));
      assert.ok(r.message.text);
      const loc = r.locations![0]!.physicalLocation!;
      assert.equal(loc.artifactLocation!.uriBaseId, '%SRCROOT%');
      assert.ok(!loc.artifactLocation!.uri!.startsWith('/'));
      assert.ok(loc.region!.startLine! >= 1);
      assert.match(r.partialFingerprints![FINGERPRINT_KEY]!, /^[0-9a-f]{32}:(?:[0-9a-f]{16}|-):\d+$/);
    }
    const outOfScope = run.results!.filter((r) => r.ruleId === 'SG101');
    assert.deepEqual(
      outOfScope.map((r) => [r.locations![0]!.physicalLocation!.artifactLocation!.uri, r.locations![0]!.physicalLocation!.region]),
      [
        ['infra/main.tf', { startLine: 1, endLine: 12 }],
        ['lib/x%20y%231.ts', { startLine: 3, endLine: 4 }],
        ['lib/x%20y%231.ts', { startLine: 10 }],
      ],
    );
    assert.deepEqual(outOfScope[0]!.relatedLocations![0]!.physicalLocation!.artifactLocation!.uri, '.kiro/specs/demo/design.md');
    assert.equal(run.originalUriBaseIds!['%SRCROOT%']!.uri, 'file:///work/repo/');
  });

  it('shows control, bidi and invisible characters of a message as escapes, as the text report does', () => {
    const s = spec({ requirements: [req('1', ['1.1'], { title: 'Audit \u202egol.exe \u009b31m\u200b' }), req('2', ['2.1'])], tasks: [task('1', { paths: ['src/a.ts'], requirements: ['2.1'] })] });
    const r = analyze(s, changeSet([]), { config: config(), specBlobs: {} });
    const texts = renderSarif(r).runs[0]!.results!.map((x) => x.message.text!);
    assert.ok(texts.includes('No task references requirement 1 (Audit \\u{202e}gol.exe \\u{9b}31m\\u{200b}).'), JSON.stringify(texts));
    assert.equal(texts.some((t) => /[\u202e\u009b\u200b]/u.test(t)), false);
  });

  it('keeps fingerprints when lines move and makes them unique within a run', () => {
    const fp = (l: typeof log) => l.runs[0]!.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    const moved = renderSarif(report(40));
    assert.deepEqual(fp(moved), fp(log));
    assert.equal(new Set(fp(log)).size, fp(log).length);
  });

  it("follows a finding's code, not its order: a hunk added above an alert does not take over its fingerprint", () => {
    // The file's lines before and after a hunk is added at line 1 (all else moves down by 6).
    const code = (shift: number) => (path: string, line: number) => {
      if (path !== 'lib/x y#1.ts') return undefined;
      const n = line - shift;
      return n < 1 ? `new hunk line ${line}` : `line ${n} of the old code`;
    };
    const fpOf = (l: typeof log) => new Map(l.runs[0]!.results!.filter((r) => r.ruleId === 'SG101' && r.locations![0]!.physicalLocation!.artifactLocation!.uri === 'lib/x%20y%231.ts').map((r) => [r.locations![0]!.physicalLocation!.region!.startLine!, r.partialFingerprints![FINGERPRINT_KEY]!]));
    const lineText = (at: (p: string, l: number) => string | undefined) => (f: { path: string; startLine?: number }) => (f.startLine === undefined ? undefined : at(f.path, f.startLine));
    const before = fpOf(renderSarif(report(), { lineText: lineText(code(0)) }));
    const grown = report(6);
    const hunks = grown.changes.find((c) => c.path === 'lib/x y#1.ts')!;
    assert.ok(hunks);
    // A new out-of-scope hunk at line 1, above the two old ones (now at 9 and 16).
    grown.findings.unshift({ ...grown.findings.find((f) => f.rule === 'SG101' && f.path === 'lib/x y#1.ts')!, startLine: 1, endLine: 1 });
    const after = fpOf(renderSarif(grown, { lineText: lineText(code(6)) }));
    assert.equal(after.get(9), before.get(3), 'the first old alert keeps its fingerprint');
    assert.equal(after.get(16), before.get(10), 'the second old alert keeps its fingerprint');
    assert.ok(![...before.values()].includes(after.get(1)!), 'the new hunk has a fingerprint of its own');
  });

  it('says in a run notification how many findings past GitHub\'s 25,000 results it left out', () => {
    const big = report();
    const one = big.findings[0]!;
    big.findings = Array.from({ length: 25_003 }, (_, i) => ({ ...one, startLine: i + 1 }));
    const r = renderSarif(big);
    assert.equal(r.runs[0]!.results!.length, 25_000);
    assert.deepEqual(r.runs[0]!.invocations![0]!.toolExecutionNotifications!.map((n) => n.message.text), [
      '3 of 25003 findings are left out: GitHub code scanning takes at most 25000 results per run (the least severe were left out; check --format json lists them all)',
    ]);
  });

  it('maps info to note and omits %SRCROOT% without a root', () => {
    const r = renderSarif(report());
    assert.equal(r.runs[0]!.originalUriBaseIds, undefined);
    const levels = new Set(r.runs[0]!.results!.map((x) => x.level));
    assert.ok(!levels.has('info' as never));
  });

  it('percent-encodes URIs', () => {
    assert.equal(pathToUri('a b/c#d?e%f/ü/@x+y.ts'), 'a%20b/c%23d%3Fe%25f/%C3%BC/@x+y.ts');
    assert.equal(pathToUri('x\ny'), 'x%0Ay');
    assert.equal(rootToUri('C:\\work\\r'), 'file:///C:/work/r/');
  });
});

describe('text report', () => {
  it('puts risk first, groups files by classification and lists findings under them', () => {
    const text = renderText(report());
    const lines = text.split('\n');
    assert.equal(lines[0], 'Risk:      CRITICAL');
    const order = ['Out of scope (2)', 'In scope (1)'].map((h) => lines.indexOf(h));
    assert.ok(order[0]! > 0 && order[1]! > order[0]!, text);
    assert.ok(lines.includes('  D infra/main.tf  +0 −12'), text);
    assert.ok(lines.some((l) => /^      error   SG210 lines 1–12: Protected path \(Terraform/.test(l)), text);
    assert.ok(lines.some((l) => /^      error   SG101 2 hunks at lines 3–4, 10: Change outside the scope/.test(l)), text);
    assert.ok(!text.includes('\x1b['));
    assert.ok(renderText(report(), { color: true }).includes('\x1b[31m'));
  });
  it('lines the summary up in one column, names the non-goals group and a file\'s tasks in plain words, and counts the findings a line merges', () => {
    const r = report();
    const text = renderText(r);
    assert.deepEqual(text.split('\n').slice(0, 6), [
      'Risk:      CRITICAL',
      'Spec:      .kiro/specs/demo (kiro)',
      'Base:      HEAD (cccccccccccc)',
      'Changes:   3 files, +7 −14, 2 outside the scope',
      'Findings:  4 errors, 1 warning, 2 info (each hunk outside the scope counts as one)',
      `Digest:    ${r.digest}`,
    ]);
    const src = r.changes.find((c) => c.path === 'src/ünï.ts')!;
    src.tasks = ['1', '2.3'];
    const tf = r.changes.find((c) => c.path === 'infra/main.tf')!;
    tf.classification = 'excluded';
    // The same finding twice on one range, and once more without lines: three merged, one range.
    const twice = { rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/main.tf', startLine: 1, endLine: 12, message: 'Change in a path the spec rules out.' } as const;
    r.findings = [...r.findings.filter((f) => f.path !== 'infra/main.tf'), twice, { ...twice }, { ...twice, startLine: undefined, endLine: undefined }];
    const lines = renderText(r).split('\n');
    assert.ok(lines.includes("Excluded by the spec's non-goals (1)"), lines.join('\n'));
    assert.ok(lines.includes('  A src/ünï.ts  +4 −0  tasks 1, 2.3'), lines.join('\n'));
    assert.ok(lines.includes('      error   SG102 3 hunks at lines 1–12: Change in a path the spec rules out.'), lines.join('\n'));
  });

  it('says how many hunks a merged line stands for and what the header counts, so the lines add up to the header', () => {
    const r = report();
    // Twelve hunks outside the scope in one file: one line, its first six ranges, the count.
    const many = changeSet([change('lib/x y#1.ts', { hunks: Array.from({ length: 12 }, (_, i) => hunk(10 * i + 1, 1, 10 * i + 1, 2)) })]);
    const twelve = renderText(analyze(spec({ scope: { include: ['src/**'], exclude: [], protected: [] } }), many, { config: config(), specBlobs: {} })).split('\n');
    assert.deepEqual([...twelve.slice(3, 5), ...twelve.slice(7)], [
      'Changes:   1 file, +24 −12, 1 outside the scope',
      'Findings:  12 errors, 0 warnings, 0 info (each hunk outside the scope counts as one)',
      'Out of scope (1)',
      '  M lib/x y#1.ts  +24 −12',
      '      error   SG101 12 hunks at lines 1–2, 11–12, 21–22, 31–32, 41–42, 51–52 and 6 more: Change outside the scope of spec .kiro/specs/demo: no scope glob or task path covers this file.',
      '',
    ]);
    // The whole report of the fixture: 2 + 1 + 1 errors on the lines, as the header says.
    assert.equal(
      renderText(r),
      [
        'Risk:      CRITICAL',
        'Spec:      .kiro/specs/demo (kiro)',
        'Base:      HEAD (cccccccccccc)',
        'Changes:   3 files, +7 −14, 2 outside the scope',
        'Findings:  4 errors, 1 warning, 2 info (each hunk outside the scope counts as one)',
        `Digest:    ${r.digest}`,
        '',
        'Out of scope (2)',
        '  D infra/main.tf  +0 −12',
        '      error   SG101 lines 1–12: Deletion outside the scope of spec .kiro/specs/demo: no scope glob or task path covers this file.',
        '      error   SG210 lines 1–12: Protected path (Terraform, **/*.tf): deleted file with a high blast radius.',
        '      warning SG201 lines 1–12: File deleted (12 lines).',
        '  M lib/x y#1.ts  +3 −2',
        '      error   SG101 2 hunks at lines 3–4, 10: Change outside the scope of spec .kiro/specs/demo: no scope glob or task path covers this file.',
        '',
        'In scope (1)',
        '  A src/ünï.ts  +4 −0',
        '      info    SG303 No task names this file; it is in scope (src/**, from design.md line 2) but no task explains the change.',
        '',
        'About the spec',
        '  .kiro/specs/demo/requirements.md',
        '      info    SG301 line 5: Requirement 1 (Requirement 1) has no change: its tasks (1) are open and no changed file is linked to them. [requirement 1]',
        '',
      ].join('\n'),
    );
  });

  it('says nothing of hunks when no line merges any, and names the excluded files among those outside the scope', () => {
    const r = report();
    r.findings = r.findings.filter((f) => !(f.path === 'lib/x y#1.ts' && f.startLine === 10));
    r.changes.find((c) => c.path === 'infra/main.tf')!.classification = 'excluded';
    const lines = renderText(r).split('\n');
    assert.deepEqual(lines.slice(3, 5), ['Changes:   3 files, +7 −14, 2 outside the scope (1 excluded by a non-goal)', 'Findings:  3 errors, 1 warning, 2 info']);
    assert.ok(lines.includes("Excluded by the spec's non-goals (1)") && lines.includes('Out of scope (1)'), lines.join('\n'));
    assert.ok(lines.includes('      error   SG101 lines 3–4: Change outside the scope of spec .kiro/specs/demo: no scope glob or task path covers this file.'), lines.join('\n'));
  });

  it('neutralises control characters in names and messages', () => {
    assert.equal(safeText('a\x1b[2Jb\nc'), 'a\\u{1b}[2Jb\\nc');
    assert.equal(safeText('evil\u202egnp.ts \u2066x\u2069 \u200f \u061c ok é'), 'evil\\u{202e}gnp.ts \\u{2066}x\\u{2069} \\u{200f} \\u{61c} ok é');
  });

  it('prints a file literally named a\\nb apart from one whose name holds a line break', () => {
    const r = report();
    const lit = r.changes.find((c) => c.path === 'infra/main.tf')!;
    lit.path = 'docs/a\\nb.md';
    const nl = r.changes.find((c) => c.path === 'lib/x y#1.ts')!;
    nl.path = 'docs/a\nb.md';
    r.findings = [];
    const lines = renderText(r).split('\n');
    assert.ok(lines.some((l) => /^ {2}[A-Z] docs\/a\\\\nb\.md {2}/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}[A-Z] docs\/a\\nb\.md {2}/.test(l)), lines.join('\n'));
    assert.equal(safePath('C:\\x\n'), 'C:\\\\x\\n');
  });
});
