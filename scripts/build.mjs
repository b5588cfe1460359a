// Bundles the extension and the CLI with esbuild. tsc --noEmit type-checks separately
// (npm run typecheck), because esbuild strips types without checking them.
//   node scripts/build.mjs            development build (sourcemaps)
//   node scripts/build.mjs --minify   what ships in the .vsix
//   node scripts/build.mjs --watch    rebuild on change
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

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
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('esbuild: watching src/ ...');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  chmodSync('dist/cli.js', 0o755);
}
