import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Report } from '../../src/core/model';
import { FINGERPRINT_KEY, pathToUri, renderSarif, rootToUri } from '../../src/core/render/sarif';
import { renderText, safeText } from '../../src/core/render/text';
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
      assert.match(r.partialFingerprints![FINGERPRINT_KEY]!, /^[0-9a-f]{32}:\d+$/);
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

  it('keeps fingerprints when lines move and makes them unique within a run', () => {
    const fp = (l: typeof log) => l.runs[0]!.results!.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    const moved = renderSarif(report(40));
    assert.deepEqual(fp(moved), fp(log));
    assert.equal(new Set(fp(log)).size, fp(log).length);
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
    assert.ok(lines.some((l) => /^      error   SG101 lines 3–4, 10: Change outside the scope/.test(l)), text);
    assert.ok(!text.includes('\x1b['));
    assert.ok(renderText(report(), { color: true }).includes('\x1b[31m'));
  });
  it('lines the summary up in one column, names the non-goals group and a file\'s tasks in plain words, and counts merged findings only where the lines do not', () => {
    const r = report();
    const text = renderText(r);
    assert.deepEqual(text.split('\n').slice(0, 6), [
      'Risk:      CRITICAL',
      'Spec:      .kiro/specs/demo (kiro)',
      'Base:      HEAD (cccccccccccc)',
      'Changes:   3 files, +7 −14, 2 outside the scope',
      'Findings:  4 errors, 1 warning, 2 info',
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
    assert.ok(lines.includes('      error   SG102 3× lines 1–12: Change in a path the spec rules out.'), lines.join('\n'));
  });

  it('neutralises control characters in names and messages', () => {
    assert.equal(safeText('a\x1b[2Jb\nc'), 'a\\u{1b}[2Jb\\nc');
    assert.equal(safeText('evil\u202egnp.ts \u2066x\u2069 \u200f \u061c ok é'), 'evil\\u{202e}gnp.ts \\u{2066}x\\u{2069} \\u{200f} \\u{61c} ok é');
  });
});
