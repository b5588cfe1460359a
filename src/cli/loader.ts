// The `specgate` executable. Loads the CLI bundle (cli-main.js) with the V8 code cache the
// build made for it (cli-main.js.cache), so a run skips most parsing and compiling: a
// third of a short command's start. The cache is used only when its header names these
// exact bytes (sha1) and V8 accepts it (same V8, same flags); otherwise the bundle
// compiles as usual. `SPECGATE_WRITE_CODE_CACHE=1` (the build's training run) writes it.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// A short run spends much of its time in code that runs only a few times: baseline machine
// code from the first call beats the interpreter there, and the optimising compiler is
// asked in only for code that runs 8× longer than V8's default before it tiers up (its
// background compiles of code a short run barely uses took a core's worth of time from git
// and from us: a third less CPU on a large change). And most of what a check allocates
// lives to its end: the young generation grows to its full size in fewer, costlier-to-skip
// collections. The cache is made with these flags too. Only flags that are safe to change
// in a running process belong here (heap layout and GC threading flags are not).
if (Number(process.versions.v8.split('.')[0]) >= 10) setFlagsFromString('--always-sparkplug --interrupt-budget=540672 --semi-space-growth-factor=8');

// Ctrl-C (or SIGTERM) before a command takes the signals itself (bundle does, to clean up):
// one line and the signal's exit code, where node's default would end the run in silence.
// Nothing has been written by then; a command that writes installs its own handler.
// (Its listener stays: removing it would drop a signal that arrived but is not yet handled.
// A command that takes the signals sets SIGNALS_TAKEN, and this one then leaves them to it.)
const earlyStop = (sig: 'SIGINT' | 'SIGTERM'): void => {
  if ((globalThis as Record<symbol, unknown>)[Symbol.for('specgate.signalsTaken')]) return;
  process.stderr.write(`specgate: stopped (${sig})\n`);
  process.exit(sig === 'SIGINT' ? 130 : 143);
};
process.on('SIGINT', earlyStop);
process.on('SIGTERM', earlyStop);

const MAIN = path.join(__dirname, 'cli-main.js');
const CACHE = `${MAIN}.cache`;
const ID_BYTES = 20;

let source: string;
try {
  source = readFileSync(MAIN, 'utf8');
} catch (err) {
  // This launcher copied without the bundle it loads: one line and exit 2, never a stack
  // trace and exit 1 (which `verify` uses for "not approved").
  process.stderr.write(`specgate: cannot read ${MAIN} (${(err as NodeJS.ErrnoException).code ?? 'error'}): this launcher runs the cli-main.js beside it; copy both files of dist/\n`);
  process.exit(2);
}
const id = createHash('sha1').update(source).digest();
// The build, for what is cached per build (node/specCache.ts runningBuild).
(globalThis as Record<symbol, unknown>)[Symbol.for('specgate.build')] = id.toString('hex');
let cachedData: Buffer | undefined;
let state = 'absent';
try {
  const cache = readFileSync(CACHE);
  state = 'made for other bytes';
  if (cache.length > ID_BYTES && cache.subarray(0, ID_BYTES).equals(id)) cachedData = cache.subarray(ID_BYTES);
} catch {
  // no cache: compile as usual
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: MAIN, cachedData });
if (cachedData) state = script.cachedDataRejected ? 'rejected by V8' : 'used';
if (process.env.SPECGATE_TIMINGS) process.stderr.write(`[specgate] code cache: ${state}\n`);
if (process.env.SPECGATE_WRITE_CODE_CACHE === '1') {
  // After the run, so the functions it compiled are in the cache too.
  process.once('exit', () => {
    try {
      writeFileSync(`${CACHE}.tmp`, Buffer.concat([id, script.createCachedData()]));
      renameSync(`${CACHE}.tmp`, CACHE);
    } catch (err) {
      process.stderr.write(`specgate: could not write the code cache: ${(err as Error).message}\n`);
    }
  });
}
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, MAIN, __dirname);
