// Compiles the extension-host integration tests (test/integration/**/*.ts) to
// out/integration/*.js with esbuild: `vscode` and `mocha` stay external (the host provides
// `vscode`; mocha is loaded from node_modules). The folder is emptied first, so a deleted
// test never runs from a stale build.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'test/integration');
const outDir = path.join(root, 'out/integration');

const entryPoints = readdirSync(srcDir, { recursive: true })
  .map(String)
  .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
  .map((f) => path.join(srcDir, f));

rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outbase: srcDir,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`build-tests: ${entryPoints.length - 1} integration test file(s) -> ${path.relative(root, outDir)}/`);
