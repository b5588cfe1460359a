// Compiles the extension-host integration tests (test/integration/**/*.ts) to
// out/integration/*.js with esbuild: `vscode` and `mocha` stay external (the host provides
// `vscode`; mocha is loaded from node_modules). The folder is replaced as a whole (built
// beside it, then renamed), so a deleted test never runs from a stale build and a runner
// starting at the same moment sees either the old or the new set.
import * as esbuild from 'esbuild';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = path.join(root, 'test/integration');
const outDir = path.join(root, 'out/integration');

const entryPoints = readdirSync(srcDir, { recursive: true })
  .map(String)
  .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
  .map((f) => path.join(srcDir, f));

const staging = `${outDir}.new-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outbase: srcDir,
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
const old = `${outDir}.old-${process.pid}`;
try {
  renameSync(outDir, old);
} catch {
  // first build: nothing to move away
}
renameSync(staging, outDir);
rmSync(old, { recursive: true, force: true });
console.log(`build-tests: ${entryPoints.length - 1} integration test file(s) -> ${path.relative(root, outDir)}/`);
