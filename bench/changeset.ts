// `npm run bench`: times `specgate check --format json` on a large synthetic change against
// the floor (git status + git diff -U0 on the same change), plus collectChangeSet alone,
// with peak memory, and writes the table into BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { collectChangeSet, firstLookGitArgs } from '../src/node/changeset';
import { Git, SAFE_CONFIG } from '../src/node/git';
import { makeSyntheticRepo, type SynthStats } from './synthRepo';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist/cli.js');
const RUNS = Number(process.env.SPECGATE_BENCH_RUNS ?? 11);
const FILES = Number(process.env.SPECGATE_BENCH_FILES ?? 20_000);
const CHANGED = Number(process.env.SPECGATE_BENCH_CHANGED ?? 2_000);
/** Files of the change edited again before each round (an assistant still at work). */
const EDITS = Number(process.env.SPECGATE_BENCH_EDITS ?? 20);
/**
 * Another build of the CLI (e.g. of an older commit) to time in the same runs, for a
 * before/after: as a first look (SPECGATE_NO_CACHE=1), so that its change cache (perhaps of
 * another format) never meets this build's.
 */
const BASELINE = process.env.SPECGATE_BENCH_BASELINE ? path.resolve(process.env.SPECGATE_BENCH_BASELINE) : undefined;
const BASELINE_LABEL = process.env.SPECGATE_BENCH_BASELINE_LABEL ?? BASELINE;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 300;

interface Timed {
  ms: number;
  /** User + system CPU time of the command and its children (from /usr/bin/time). */
  cpuMs?: number;
  rssMb?: number;
  status: number | null;
  stdoutBytes: number;
  stderr: string;
}

const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0' };

/**
 * The least a Node tool pays for a first look: node starts, runs the git commands `check`
 * runs (argv as JSON in argv[1]) side by side, reads their output and exits. Everything
 * `check` takes beyond this is its own work.
 */
const NODE_AND_GIT = `const { spawn } = require('node:child_process');
let open = 0;
for (const args of JSON.parse(process.argv[1])) {
  open++;
  const c = spawn('git', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  c.stdout.on('data', () => {});
  c.on('close', (code) => { if (code !== 0) process.exitCode = 2; if (--open === 0) process.stdout.write('done\\n'); });
}`;

/** Runs a command under /usr/bin/time -v when present (for peak RSS), capturing stdout. */
function timed(cmd: string, args: string[], cwd: string, extraEnv?: Record<string, string>): Timed {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const e = extraEnv ? { ...env, ...extraEnv } : env;
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, env: e, maxBuffer: 1024 * 1024 * 1024 })
    : spawnSync(cmd, args, { cwd, env: e, maxBuffer: 1024 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const stderr = r.stderr?.toString('utf8') ?? '';
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const cpuMs = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : undefined;
  return { ms, cpuMs, rssMb: m ? Number(m[1]) / 1024 : undefined, status: r.status, stdoutBytes: r.stdout?.length ?? 0, stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function main(): Promise<void> {
  // On a busy machine, wall times measure the neighbours; a higher priority (when allowed,
  // inherited by every measured command alike) keeps the comparison about our work.
  let niced = false;
  try {
    require('node:os').setPriority(0, -10);
    niced = true;
  } catch {
    // not allowed: measure at normal priority
  }
  // SPECGATE_BENCH_KEEP=DIR builds the repository there once and keeps it (for profiling).
  const keep = process.env.SPECGATE_BENCH_KEEP;
  const work = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), 'specgate-bench-'));
  const repo = path.join(work, 'repo');
  try {
    let stats: SynthStats;
    const statsFile = path.join(work, 'stats.json');
    if (keep && existsSync(statsFile)) {
      stats = JSON.parse(readFileSync(statsFile, 'utf8')) as SynthStats;
      process.stdout.write(`bench: reusing ${repo}\n`);
    } else {
      process.stdout.write(`bench: building a synthetic repository (${FILES} files, ${CHANGED} changed) in ${repo} ...\n`);
      const t0 = Date.now();
      stats = makeSyntheticRepo(repo, { files: FILES, changedFiles: CHANGED, perDir: 100 });
      if (keep) writeFileSync(statsFile, JSON.stringify(stats));
      process.stdout.write(`bench: built in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }

    const status = ['-c', 'core.fsmonitor=false', 'status', '--porcelain', '-z'];
    const diff = ['-c', 'core.fsmonitor=false', 'diff', '-U0', '--text', '--no-ext-diff', '--no-textconv', 'HEAD'];
    // `check` as a re-check (the change cache in .git from the run before, as in the editor or
    // a second run) and as a first look (--no-cache: what a fresh clone in CI pays).
    const check = [CLI, 'check', '--format', 'json', '--fail-on', 'none', '--cwd', repo];
    const checkCold = [...check, '--no-cache'];
    const cliWorks = existsSync(CLI) && timed(process.execPath, check, repo).status === 0;

    // An evolving change: before each round, EDITS files of the change get one more line (a
    // different one each round), so a re-check finds that many files it has not seen. They
    // are put back at the end.
    const editable = spawnSync('git', ['diff', '--name-only', '-z', '--diff-filter=M', 'HEAD', '--', '*.ts'], { cwd: repo, env })
      .stdout.toString('utf8')
      .split('\0')
      .filter((p) => p !== '');
    const originals = new Map<string, Buffer>();
    const editRound = (round: number) => {
      for (let k = 0; k < EDITS && editable.length > 0; k++) {
        const file = path.join(repo, editable[(round * EDITS + k) % editable.length]!);
        if (!originals.has(file)) originals.set(file, readFileSync(file));
        writeFileSync(file, Buffer.concat([originals.get(file)!, Buffer.from(`export const benchEdit${round}_${k} = ${round};\n`)]));
      }
    };

    // Warm the page cache and the index stat info, then measure interleaved.
    timed('git', status, repo);
    timed('git', diff, repo);
    const floor: number[] = [];
    const statusMs: number[] = [];
    const diffMs: number[] = [];
    const floorCpu: number[] = [];
    const floorRss: number[] = [];
    const series = () => ({ ms: [] as number[], cpu: [] as number[], rss: [] as number[] });
    const edited = series();
    const recheck = series();
    const cold = series();
    const base = series();
    // Node's own start, and (where the environment names extra CA certificates, as this
    // sandbox does) the same runs without them: node reads and parses that file before any
    // script runs, a cost of every node process that SpecGate, which opens no connection,
    // does not need.
    const nodeStart: number[] = [];
    const nodeAndGit: number[] = [];
    const nodeAndGitArgs = ['-e', NODE_AND_GIT, JSON.stringify(firstLookGitArgs('HEAD').map((a) => [...SAFE_CONFIG, ...a]))];
    const nodeStartNoCa: number[] = [];
    const extraCa = !!process.env.NODE_EXTRA_CA_CERTS;
    const noCa = { NODE_EXTRA_CA_CERTS: '' };
    const recheckNoCa = series();
    const coldNoCa = series();
    const run = (into: ReturnType<typeof series>, args: string[], what: string, extraEnv?: Record<string, string>) => {
      const c = timed(process.execPath, args, repo, extraEnv);
      if (c.status !== 0) throw new Error(`${what} exited ${c.status}: ${c.stderr.slice(0, 500)}`);
      into.ms.push(c.ms);
      if (c.cpuMs !== undefined) into.cpu.push(c.cpuMs);
      if (c.rssMb !== undefined) into.rss.push(c.rssMb);
      return c;
    };
    let reportBytes = 0;
    let changes = 0;
    try {
      for (let i = 0; i < RUNS; i++) {
        editRound(i);
        const s = timed('git', status, repo);
        const d = timed('git', diff, repo);
        statusMs.push(s.ms);
        diffMs.push(d.ms);
        floor.push(s.ms + d.ms);
        if (s.cpuMs !== undefined && d.cpuMs !== undefined) floorCpu.push(s.cpuMs + d.cpuMs);
        floorRss.push(Math.max(s.rssMb ?? 0, d.rssMb ?? 0));
        nodeStart.push(timed(process.execPath, ['-e', '0'], repo).ms);
        if (extraCa) nodeStartNoCa.push(timed(process.execPath, ['-e', '0'], repo, noCa).ms);
        const least = timed(process.execPath, nodeAndGitArgs, repo);
        if (least.status !== 0) throw new Error(`node and git alone exited ${least.status}: ${least.stderr.slice(0, 500)}`);
        nodeAndGit.push(least.ms);
        if (cliWorks) {
          run(edited, check, 'specgate check (after edits)');
          reportBytes = run(recheck, check, 'specgate check').stdoutBytes;
          // Each run without the certificates right after its twin, so both meet the same state.
          if (extraCa) run(recheckNoCa, check, 'specgate check (no extra CA certificates)', noCa);
          run(cold, checkCold, 'specgate check --no-cache');
          if (extraCa) run(coldNoCa, checkCold, 'specgate check --no-cache (no extra CA certificates)', noCa);
        }
        if (BASELINE) run(base, [BASELINE, ...check.slice(1)], 'baseline check', { SPECGATE_NO_CACHE: '1' });
      }
    } finally {
      for (const [file, bytes] of originals) writeFileSync(file, bytes);
    }
    const git = await Git.open(repo);
    const collectMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const cs = await collectChangeSet(git, { scanExports: true });
      collectMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      changes = cs.changes.length;
    }
    const collectAdded = (await collectChangeSet(git)).changes.reduce((n, c) => n + c.added + c.removed, 0);

    const floorMed = median(floor);
    const med = (xs: number[]) => (xs.length ? median(xs) : NaN);
    const ratio = med(recheck.ms) / floorMed;
    const editedRatio = med(edited.ms) / floorMed;
    const coldRatio = med(cold.ms) / floorMed;
    const allRss = [...edited.rss, ...recheck.rss, ...cold.rss];
    const peak = allRss.length ? Math.max(...allRss) : NaN;
    const cpuOf = (x: ReturnType<typeof series>) => `${fmt(med(x.cpu))} (${(med(x.cpu) / med(floorCpu)).toFixed(2)}×)`;
    const verdict = (r: number) => `${r.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${r <= TARGET_RATIO ? 'OK' : 'OVER'}`;
    const best = (x: number[]) => `${fmt(Math.min(...x))} (${(Math.min(...x) / Math.min(...floor)).toFixed(2)}×)`;
    const load = require('node:os').loadavg()[0].toFixed(1);
    const na = 'not measured: `node dist/cli.js check` does not run yet';
    const rows: [string, string][] = [
      ['repository', `${stats.files} files; change: ${stats.changedFiles} files (${stats.modified} edited, ${stats.rewritten} rewritten, ${stats.deleted} deleted, ${stats.added} new untracked; ${stats.staged} staged), ${collectAdded} changed lines; each round, ${EDITS} of its files get one more line`],
      ['floor: `git status --porcelain -z` + `git diff -U0 --text HEAD`', `${fmt(floorMed)} (status ${fmt(median(statusMs))} + diff ${fmt(median(diffMs))})`],
      ['`collectChangeSet` alone (in process, warm)', `${fmt(median(collectMs))} (${changes} changes)`],
      [`\`node dist/cli.js check --format json\` after ${EDITS} files were edited (change cache from the round before; those files diffed anew)`, cliWorks ? `${fmt(med(edited.ms))}, ${verdict(editedRatio)}` : na],
      ['the same again, nothing edited since (re-check)', cliWorks ? `${fmt(med(recheck.ms))}, ${verdict(ratio)} (report ${(reportBytes / 1024 / 1024).toFixed(1)} MB)` : na],
      ['`check --format json --no-cache`, first look (no cache, as in a fresh clone)', cliWorks ? `${fmt(med(cold.ms))}, ${verdict(coldRatio)}` : na],
      ['best of the runs: floor / after edits / re-check / first look', cliWorks ? `${fmt(Math.min(...floor))} / ${best(edited.ms)} / ${best(recheck.ms)} / ${best(cold.ms)}` : 'n/a'],
      ['CPU time (user+sys): floor / after edits / re-check / first look', floorCpu.length && recheck.cpu.length ? `${fmt(median(floorCpu))} / ${cpuOf(edited)} / ${cpuOf(recheck)} / ${cpuOf(cold)}` : 'n/a'],
      [
        '`node -e 0` (node\'s own start, in every `check` above)',
        extraCa
          ? `${fmt(median(nodeStart))}; ${fmt(median(nodeStartNoCa))} with \`NODE_EXTRA_CA_CERTS\` unset (this environment sets it, and node reads those certificates at start)`
          : fmt(median(nodeStart)),
      ],
      [
        'node starting and running the same git commands as a first look, side by side, doing nothing with their output (the least a Node tool pays)',
        `${fmt(median(nodeAndGit))} (${(median(nodeAndGit) / floorMed).toFixed(2)}×)`,
      ],
      ...(extraCa && cliWorks
        ? ([['re-check / first look with `NODE_EXTRA_CA_CERTS` unset (same runs)', `${fmt(med(recheckNoCa.ms))} (${(med(recheckNoCa.ms) / floorMed).toFixed(2)}×) / ${fmt(med(coldNoCa.ms))} (${(med(coldNoCa.ms) / floorMed).toFixed(2)}×)`]] as [string, string][])
        : []),
      ['peak RSS of `specgate check`', Number.isFinite(peak) ? `${peak.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB) ${peak < TARGET_RSS_MB ? 'OK' : 'OVER'}; git floor ${Math.max(...floorRss).toFixed(0)} MB` : 'n/a'],
    ];
    if (BASELINE && base.ms.length) {
      const cpu = base.cpu.length ? `, CPU ${fmt(median(base.cpu))}` : '';
      rows.push([`baseline (${BASELINE_LABEL}), same runs, first look (\`SPECGATE_NO_CACHE=1\`)`, `${fmt(median(base.ms))} (${(median(base.ms) / floorMed).toFixed(2)}× the floor; best ${fmt(Math.min(...base.ms))})${cpu}`]);
    }
    const table = ['| measure | result |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
    const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const machine = `node ${process.version}, ${spawnSync('git', ['--version']).stdout.toString().trim()}, ${require('node:os').cpus().length} CPUs, load average ${load} at the end${niced ? ', measured at nice -10' : ''}, median of ${RUNS} runs`;
    process.stdout.write(`\n${table}\n\n${machine}\n`);
    writeSection(`## Change analysis\n\n\`npm run bench\` (bench/changeset.ts, bench/synthRepo.ts), ${when}, ${machine}.\nThe floor is what any tool must pay to learn the change from git; the target is at most\n${TARGET_RATIO}× the floor and under ${TARGET_RSS_MB} MB peak.\n\n${table}\n`);
    if (cliWorks && (editedRatio > TARGET_RATIO || ratio > TARGET_RATIO || coldRatio > TARGET_RATIO || peak >= TARGET_RSS_MB)) {
      process.stdout.write(`bench: over target (after edits ${editedRatio.toFixed(2)}×, re-check ${ratio.toFixed(2)}×, first look ${coldRatio.toFixed(2)}×, peak ${peak.toFixed(0)} MB); wall times depend on the machine's load (${load}).\n`);
    }
  } finally {
    if (!keep) rmWithRetry(work);
  }
}

function rmWithRetry(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/** Replaces (or appends) the "## Change analysis" section of BENCHMARKS.md, leaving the rest. */
function writeSection(section: string): void {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = old.indexOf('## Change analysis');
  let next: string;
  if (start === -1) next = `${old.trimEnd()}\n\n${section}`;
  else {
    const after = old.indexOf('\n## ', start + 1);
    next = old.slice(0, start) + section + (after === -1 ? '' : `\n${old.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 2;
});
