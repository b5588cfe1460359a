// The per-keystroke work of the editor's live engine, outside VS Code: a 10,000-line
// TypeScript file with 200 out-of-scope hunks, one character typed at a time. Measures the
// incremental diff + analysis the extension runs after the debounce, against a whole-file
// diff + analysis. The in-host measurement is test/integration/editor-latency.test.ts.
//   npm run bench:editor
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from '../src/core/analyze';
import { DEFAULT_CONFIG } from '../src/core/config';
import { seedState } from '../src/core/incdiff';
import { liveDiff } from '../src/core/livediff';
import { parseSpec } from '../src/core/spec/parse';
import { overlayChange } from '../src/vscode/model/overlay';

const LINES = 10000;
const HUNKS = 200;
const RUNS = 101;

const specDir = path.join(__dirname, '../test/fixtures/workspace/kiro-billing/base/.kiro/specs/billing-retry');
const files = ['requirements.md', 'design.md', 'tasks.md'].map((f) => ({
  path: `.kiro/specs/billing-retry/${f}`,
  text: readFileSync(path.join(specDir, f), 'utf8'),
}));
const spec = parseSpec({ id: '.kiro/specs/billing-retry', format: 'kiro', name: 'billing-retry', files: files.map((f) => f.path) }, files);
const config = { ...DEFAULT_CONFIG, thresholds: { ...DEFAULT_CONFIG.thresholds }, protected: [], severity: {} };

const lines = Array.from({ length: LINES }, (_, i) => `  total += weight(${i}) * factor(${i % 97}, "row ${i}");`);
const base = `${lines.join('\n')}\n`;
const current = [...lines];
for (let k = 0; k < HUNKS; k++) current[k * 50 + 7] += ' // tuned';
const saved = `${current.join('\n')}\n`;

function run(incremental: boolean): number[] {
  const cur = [...current];
  let state = seedState(base, saved, liveDiff(base, saved).hunks);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const line = ((i * 7) % HUNKS) * 50 + 7;
    cur[line] += 'x';
    const text = `${cur.join('\n')}\n`;
    const t0 = performance.now();
    const o = overlayChange({ path: 'src/generated/big.ts', baseText: base, text, previous: incremental ? state : undefined });
    state = o.state;
    const report = analyze(spec, { base: { ref: 'HEAD', commit: '0'.repeat(40) }, mode: 'worktree', changes: o.change ? [o.change] : [] }, { config, specBlobs: {} });
    times.push(performance.now() - t0);
    if (report.changes[0]?.hunks.length !== HUNKS) throw new Error(`expected ${HUNKS} hunks, got ${report.changes[0]?.hunks.length}`);
  }
  return times.sort((a, b) => a - b);
}

const fmt = (t: number[]): string =>
  `median ${t[t.length >> 1].toFixed(1)} ms, p90 ${t[Math.floor(t.length * 0.9)].toFixed(1)} ms, min ${t[0].toFixed(1)} ms`;
run(true); // warm up
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}; ${LINES} lines, ${HUNKS} hunks, ${RUNS} edits`);
console.log(`incremental diff + analyze (what the extension runs): ${fmt(run(true))}`);
console.log(`whole-file diff + analyze (for comparison):          ${fmt(run(false))}`);
