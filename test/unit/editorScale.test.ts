// Helpers that keep the editor right and quick on a change with thousands of findings.
import * as assert from 'node:assert/strict';
import { batches } from '../../src/core/batches';
import type { Finding } from '../../src/core/model';
import { findingsOf } from '../../src/core/render/reviewdata';

describe('batches', () => {
  const len = (s: string) => s.length;

  it('cuts a list into runs that weigh at most the limit, in order', () => {
    assert.deepEqual(batches(['aaa', 'bb', 'c', 'dddd', 'e'], len, 5), [['aaa', 'bb'], ['c', 'dddd'], ['e']]);
  });

  it('puts an item heavier than the limit alone, and never makes an empty run', () => {
    assert.deepEqual(batches(['aaaaaaa', 'b', 'cccccc'], len, 5), [['aaaaaaa'], ['b'], ['cccccc']]);
    assert.deepEqual(batches([], len, 5), []);
  });

  it('keeps everything: 15,330 diagnostics over 2,000 files go in runs of at most 1,000', () => {
    const files = Array.from({ length: 2000 }, (_, i) => Array.from({ length: i < 1870 ? 8 : 1 + (i % 3) }, () => i));
    const runs = batches(files, (d) => d.length, 1000);
    assert.deepEqual(runs.flat(), files);
    assert.ok(runs.every((r) => r.reduce((n, d) => n + d.length, 0) <= 1000));
    // Each run is as full as it can be: the next file would not have fitted.
    const weight = (r: number[][]) => r.reduce((n, d) => n + d.length, 0);
    for (let i = 0; i + 1 < runs.length; i++) assert.ok(weight(runs[i]!) + runs[i + 1]![0]!.length > 1000, `run ${i}`);
  });
});

describe('findingsOf', () => {
  const finding = (path: string, startLine: number): Finding => ({ kind: 'out-of-scope', rule: 'SG101', severity: 'error', path, startLine, message: `${path}:${startLine}` });

  it("gives one file's findings in the report's order, and none for a file without", () => {
    const report = { findings: [finding('b.ts', 3), finding('a.ts', 1), finding('b.ts', 1), finding('c.ts', 9)] };
    assert.deepEqual(findingsOf(report, 'b.ts'), [report.findings[0], report.findings[2]]);
    assert.deepEqual(findingsOf(report, 'a.ts'), [report.findings[1]]);
    assert.deepEqual(findingsOf(report, 'd.ts'), []);
    // Another report is grouped on its own.
    const next = { findings: [finding('b.ts', 7)] };
    assert.deepEqual(findingsOf(next, 'b.ts'), next.findings);
    assert.equal(findingsOf(report, 'b.ts').length, 2);
  });
});
