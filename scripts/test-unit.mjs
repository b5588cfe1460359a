// The unit tier: mocha over test/unit, in two passes. Most files run two at a time
// (`--parallel`, one worker process per file, so a file's environment changes stay its own);
// the files that assert a time budget run after them, alone, so that the other worker's git
// processes do not eat into the budget they check. Extra arguments go to both passes
// (`npm run test:unit -- --grep digest`).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** Test files with a wall-clock assertion (a parse, scan or analysis under N ms). */
const TIMED = ['analyze', 'analyze-realspecs', 'incdiff', 'livediff', 'rules-exports', 'scope', 'specDiscover', 'specParse'];
const timedGlob = `test/unit/{${TIMED.join(',')}}.test.ts`;

const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const extra = process.argv.slice(2);
const passes = [
  ['--parallel', '--jobs', '2', '--ignore', timedGlob, 'test/unit/**/*.test.ts'],
  TIMED.map((name) => `test/unit/${name}.test.ts`),
];
for (const args of passes) {
  const run = spawnSync(process.execPath, [mocha, ...args, ...extra], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
