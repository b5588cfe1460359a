// The analysis over the real-spec corpus: every spec, parsed as the engine parses it, is
// analysed against a change touching each path its tasks name plus files outside its scope.
// Nothing may throw, every change gets a classification, and it stays fast.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { computeDigest } from '../../src/core/digest';
import type { FileChange } from '../../src/core/model';
import { renderSarif } from '../../src/core/render/sarif';
import { renderText } from '../../src/core/render/text';
import { detectSpecs } from '../../src/core/spec/detect';
import { parseSpec } from '../../src/core/spec/parse';
import { change, changeSet, config, deleted } from './helpers/analysisFixtures';

const ROOT = path.resolve(__dirname, '../../../shared/fixtures/real-specs');
const PREFIX: Record<string, (name: string) => string> = {
  kiro: (n) => `.kiro/specs/${n.split('__').pop()}`,
  speckit: (n) => `specs/${n.split('__').pop()}`,
  openspec: (n) => `openspec/changes/${n.split('__').pop()}`,
};

function* files(dir: string, rel = ''): Generator<string> {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) yield* files(abs, `${rel}${name}/`);
    else yield `${rel}${name}`;
  }
}

describe('analysis over the real-spec corpus', () => {
  before(function () {
    if (!existsSync(ROOT)) {
      console.log(`    (skipped: ${ROOT} is absent)`);
      this.skip();
    }
  });

  it('analyses every real spec without throwing, each change classified, quickly', function () {
    let count = 0;
    for (const layout of ['kiro', 'speckit', 'openspec']) {
      const dir = path.join(ROOT, layout);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const base = PREFIX[layout]!(name);
        const texts = [...files(path.join(dir, name))].map((f) => ({ path: `${base}/${f}`, text: readFileSync(path.join(dir, name, f), 'utf8') }));
        const [candidate] = detectSpecs(texts.map((t) => t.path));
        assert.ok(candidate, `${layout}/${name}: no spec detected`);
        const spec = parseSpec(candidate, texts);
        const literal = [...new Set(spec.tasks.flatMap((t) => t.paths).filter((p) => !/[*?[\]{}]/.test(p)))];
        const changes: FileChange[] = [
          ...literal.map((p) => change(p, { oldText: 'export const a = 1;\nexport function b() {}\n', newText: 'export const a = 2;\n' })),
          change('unrelated/outside.ts'),
          deleted('infra/main.tf', 30),
          change(spec.files[0]!),
        ];
        const blobs = Object.fromEntries(spec.files.map((f) => [f, 'e'.repeat(40)]));
        const t0 = performance.now();
        const report = analyze(spec, changeSet(changes), { config: config(), specBlobs: blobs });
        const ms = performance.now() - t0;
        assert.ok(ms < 200, `${name}: ${ms.toFixed(0)} ms`);
        assert.equal(report.changes.length, new Set(changes.map((c) => c.path)).size);
        for (const c of report.changes) {
          if (literal.includes(c.path)) assert.equal(c.classification === 'in-scope' || c.classification === 'excluded' || c.classification === 'spec', true, `${name}: ${c.path} ${c.classification}`);
        }
        assert.equal(report.changes.find((c) => c.path === 'unrelated/outside.ts')!.classification, 'out-of-scope');
        assert.equal(report.changes.find((c) => c.path === spec.files[0])!.classification, 'spec');
        assert.ok(report.findings.some((f) => f.kind === 'protected-path' && f.path === 'infra/main.tf'));
        assert.equal(report.digest, computeDigest(changes, blobs));
        assert.equal(report.traceability.length, spec.requirements.length);
        renderText(report);
        renderSarif(report);
        JSON.stringify(report);
        count++;
      }
    }
    assert.ok(count >= 15, `analysed ${count} specs`);
  });
});
