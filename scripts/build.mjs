// Bundles the extension and the CLI with esbuild. tsc --noEmit type-checks separately
// (npm run typecheck), because esbuild strips types without checking them.
//   node scripts/build.mjs            development build (sourcemaps)
//   node scripts/build.mjs --minify   what ships in the .vsix
//   node scripts/build.mjs --watch    rebuild on change
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExampleRepo } from './demo-lib.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const minify = process.argv.includes('--minify');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: minify ? false : 'linked',
  minify,
  logLevel: 'warning',
  legalComments: 'none',
  // unified/remark are ESM-only; esbuild inlines them into the CJS bundle.
  mainFields: ['module', 'main'],
  define: { __SPECGATE_VERSION__: JSON.stringify(version) },
};

const targets = [
  { ...common, entryPoints: { extension: 'src/vscode/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The executable is a small loader; the CLI itself is cli-main.js, run with a code cache.
  { ...common, entryPoints: { 'cli-main': 'src/cli/main.ts' }, outdir: 'dist', minify: true },
  { ...common, entryPoints: { cli: 'src/cli/loader.ts' }, outdir: 'dist', sourcemap: false, banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('esbuild: watching src/ ...');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
  writeCodeCache();
}

/**
 * Makes dist/cli-main.js.cache: runs the CLI's common commands once on the bundled example
 * with SPECGATE_WRITE_CODE_CACHE=1, so the cache holds the code those runs compiled. The
 * cache only speeds the start up; without it (no git here, say) the CLI works the same.
 */
function writeCodeCache() {
  rmSync('dist/cli-main.js.cache', { force: true });
  const dir = mkdtempSync(join(tmpdir(), 'specgate-cache-'));
  try {
    createExampleRepo(join(dir, 'repo'));
    const env = { ...process.env, SPECGATE_WRITE_CODE_CACHE: '1', GIT_CONFIG_NOSYSTEM: '1' };
    // Each run starts from the cache so far and writes it back with what it compiled besides.
    const runs = [['specs', '--json'], ['check', '--fail-on', 'none'], ['check', '--format', 'sarif', '--fail-on', 'none'], ['check', '--format', 'json', '--fail-on', 'none']];
    for (const args of runs) {
      execFileSync(process.execPath, ['dist/cli.js', ...args, '--cwd', join(dir, 'repo')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    }
  } catch (err) {
    rmSync('dist/cli-main.js.cache', { force: true });
    console.warn(`build: no code cache for the CLI (${String(err.message ?? err).split('\n')[0]}); it will start a little slower`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
