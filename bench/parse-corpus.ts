// Time to parse the whole real-spec corpus (../shared/fixtures/real-specs) cold: a fresh
// process, empty cache, files already in memory. Then the same again warm (cache hits),
// a synthetic 10,000-task tasks.md, and `specgate specs --json` end to end on a folder
// holding the corpus at its source paths (when dist/cli.js is built).   npm run bench:parse
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SpecFormat } from '../src/core/model';

const ROOT = path.resolve(__dirname, '../../shared/fixtures/real-specs');

function walk(dir: string, base = ''): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n), `${base}${n}/`) : [`${base}${n}`]));
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'MANIFEST.json'))) {
    console.error(`bench:parse: ${ROOT} not found (the shared real-spec corpus)`);
    process.exitCode = 2;
    return;
  }
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'MANIFEST.json'), 'utf8')) as { id: string; format: string; source_path: string }[];
  const inputs = manifest.map((e) => {
    const files = walk(path.join(ROOT, e.id)).map((rel) => ({ path: `${e.source_path}/${rel}`, text: readFileSync(path.join(ROOT, e.id, rel), 'utf8') }));
    const format = (e.format === 'spec-kit' ? 'speckit' : e.format) as SpecFormat;
    return { candidate: { id: e.source_path, format, name: path.basename(e.source_path), files: files.map((f) => f.path) }, files };
  });
  const bytes = inputs.reduce((n, i) => n + i.files.reduce((m, f) => m + Buffer.byteLength(f.text), 0), 0);
  const nFiles = inputs.reduce((n, i) => n + i.files.length, 0);

  const t0 = performance.now();
  const { parseSpec } = require('../src/core/spec/parse') as typeof import('../src/core/spec/parse');
  const tLoad = performance.now() - t0;

  const time = (): { wall: number; cpu: number } => {
    const t = performance.now();
    const c = process.cpuUsage();
    for (const i of inputs) parseSpec(i.candidate, i.files);
    const u = process.cpuUsage(c);
    return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 };
  };
  const cold = time();
  const warm = time();

  let tasks = '# Tasks\n\n';
  for (let i = 1; i <= 10_000; i++) tasks += `- [${i % 3 ? ' ' : 'x'}] ${i}. Task ${i} in \`src/mod${i % 50}/file${i}.ts\`\n  - _Requirements: 1.${(i % 4) + 1}_\n`;
  const t2 = performance.now();
  const big = parseSpec({ id: '.kiro/specs/big', format: 'kiro', name: 'big', files: ['.kiro/specs/big/tasks.md'] }, [{ path: '.kiro/specs/big/tasks.md', text: tasks }]);
  const tBig = performance.now() - t2;

  console.log(`corpus: ${manifest.length} specs, ${nFiles} files, ${(bytes / 1024).toFixed(0)} KB (node ${process.version})`);
  console.log(`module load (unified, remark, yaml, parsers): ${tLoad.toFixed(0)} ms`);
  console.log(`parse cold: ${cold.wall.toFixed(0)} ms (cpu ${cold.cpu.toFixed(0)} ms)   warm (content-hash cache): ${warm.wall.toFixed(0)} ms (cpu ${warm.cpu.toFixed(0)} ms)`);
  console.log(`load average: ${require('node:os').loadavg()[0].toFixed(1)} on ${require('node:os').cpus().length} cores`);
  console.log(`10,000-task tasks.md (${(tasks.length / 1024).toFixed(0)} KB, ${big.tasks.length} tasks): ${tBig.toFixed(0)} ms`);

  const cli = path.resolve(__dirname, '../dist/cli.js');
  if (!existsSync(cli)) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'specgate-bench-'));
  try {
    for (const i of inputs) {
      for (const f of i.files) {
        mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        writeFileSync(path.join(dir, f.path), f.text);
      }
    }
    const t3 = performance.now();
    const out = JSON.parse(execFileSync(process.execPath, [cli, 'specs', '--cwd', dir, '--json'], { encoding: 'utf8' })) as unknown[];
    console.log(`node dist/cli.js specs --json on the corpus as a folder (${out.length} specs, process start included): ${(performance.now() - t3).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
