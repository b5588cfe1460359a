// Builds the synthetic repository the change-analysis benchmark runs on: many files, a
// large uncommitted change (scattered edits, whole-file rewrites, deletions, new files,
// part of it staged) and a small Kiro spec naming some of the files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SynthOptions {
  files: number;
  changedFiles: number;
  /** Files per folder. */
  perDir: number;
}

export interface SynthStats {
  files: number;
  changedFiles: number;
  modified: number;
  rewritten: number;
  deleted: number;
  added: number;
  staged: number;
  changedLines: number;
}

/** Deterministic pseudo-random numbers (LCG), so every run builds the same repository. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function gitIn(dir: string, args: string[], input?: string): void {
  execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], {
    cwd: dir,
    input,
    stdio: ['pipe', 'ignore', 'inherit'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' },
    maxBuffer: 1024 * 1024 * 1024,
  });
}

function sourceLines(rand: () => number, n: number, tag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rand() * 1e6);
    switch (i % 4) {
      case 0:
        out.push(`export function ${tag}Fn${i}(x: number): number {`);
        break;
      case 1:
        out.push(`  const v${i} = x * ${k} + ${i};`);
        break;
      case 2:
        out.push(`  return v${i - 1} % ${k + 1};`);
        break;
      default:
        out.push('}');
    }
  }
  return out;
}

export function fileName(i: number, perDir: number): string {
  return `src/mod${String(Math.floor(i / perDir)).padStart(3, '0')}/file${String(i % perDir).padStart(3, '0')}.ts`;
}

/** Creates the repository at `dir` (which must not exist) and returns what it changed. */
export function makeSyntheticRepo(dir: string, opts: SynthOptions): SynthStats {
  const rand = rng(20261122);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  gitIn(dir, ['init', '-q', '-b', 'main']);
  gitIn(dir, ['config', 'user.name', 'Bench']);
  gitIn(dir, ['config', 'user.email', 'bench@example.com']);
  gitIn(dir, ['config', 'commit.gpgsign', 'false']);
  gitIn(dir, ['config', 'gc.auto', '0']);

  const content = new Map<number, string[]>();
  const bigEvery = 20; // every 20th file is a 160-line file (rewrite candidates)
  for (let i = 0; i < opts.files; i++) {
    const n = i % bigEvery === 0 ? 160 : 40 + Math.floor(rand() * 40);
    const lines = sourceLines(rand, n, `m${i}`);
    content.set(i, lines);
    const p = path.join(dir, fileName(i, opts.perDir));
    if (i % opts.perDir === 0) mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, lines.join('\n') + '\n');
  }
  const specDir = path.join(dir, '.kiro/specs/bench-feature');
  mkdirSync(specDir, { recursive: true });
  writeFileSync(
    path.join(specDir, 'requirements.md'),
    [
      '# Requirements',
      '',
      '### Requirement 1: Faster modules',
      '',
      '#### Acceptance Criteria',
      '',
      '1. WHEN a module runs THEN it SHALL return quickly.',
      '',
      '### Requirement 2: New helpers',
      '',
      '1. WHEN a helper is added THEN it SHALL be exported.',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(specDir, 'design.md'), '# Design\n\nTouches `src/mod000/**` and `src/mod001/**`.\n\n## Non-Goals\n\n- `src/mod199/**`\n');
  writeFileSync(
    path.join(specDir, 'tasks.md'),
    [
      '# Implementation Plan',
      '',
      '- [x] 1. Speed up module 0 in `src/mod000/**`',
      '  - _Requirements: 1.1_',
      '- [ ] 2. Speed up module 1 in `src/mod001/**`',
      '  - _Requirements: 1.1_',
      `- [ ] 3. Add helpers in \`${fileName(250, opts.perDir)}\` and \`src/new/**\``,
      '  - _Requirements: 2.1_',
      '',
    ].join('\n'),
  );
  gitIn(dir, ['add', '-A']);
  gitIn(dir, ['commit', '-q', '-m', 'synthetic base']);
  gitIn(dir, ['repack', '-a', '-d', '-q']);

  // The change: spread over the tree so every folder has some.
  const stats: SynthStats = { files: opts.files + 3, changedFiles: 0, modified: 0, rewritten: 0, deleted: 0, added: 0, staged: 0, changedLines: 0 };
  const step = Math.floor(opts.files / opts.changedFiles);
  const toStage: string[] = [];
  let k = 0;
  for (let i = 0; i < opts.files && k < opts.changedFiles; i += step, k++) {
    const rel = fileName(i, opts.perDir);
    const abs = path.join(dir, rel);
    const lines = content.get(i)!;
    if (k % 20 === 0) {
      // whole-file rewrite ("delete and recreate")
      const fresh = sourceLines(rand, lines.length, `rw${i}`);
      writeFileSync(abs, fresh.join('\n') + '\n');
      stats.rewritten++;
      stats.changedLines += lines.length + fresh.length;
    } else if (k % 20 === 1) {
      rmSync(abs);
      stats.deleted++;
      stats.changedLines += lines.length;
    } else if (k % 20 === 2) {
      const fresh = sourceLines(rand, 60, `new${i}`);
      const newRel = `src/new/${String(k).padStart(4, '0')}.ts`;
      mkdirSync(path.join(dir, 'src/new'), { recursive: true });
      writeFileSync(path.join(dir, newRel), fresh.join('\n') + '\n');
      stats.added++;
      stats.changedLines += fresh.length;
    } else {
      // scattered edits: replace every 6th line
      const edited = [...lines];
      let n = 0;
      for (let j = 2; j < edited.length; j += 6) {
        edited[j] = `  // edited ${k}.${j}: ${Math.floor(rand() * 1e9)}`;
        n++;
      }
      writeFileSync(abs, edited.join('\n') + '\n');
      stats.modified++;
      stats.changedLines += 2 * n;
    }
    if (k % 7 === 3) toStage.push(rel);
  }
  stats.changedFiles = k;
  stats.staged = toStage.length;
  gitIn(dir, ['add', '--pathspec-from-file=-', '--pathspec-file-nul'], toStage.map((p) => `${p}\0`).join(''));
  return stats;
}
