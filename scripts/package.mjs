// `npm run package`: builds minified and packs `specgate-<version>.vsix` with @vscode/vsce,
// then reads the archive back and fails if it holds anything that must not ship
// (sources, tests, source maps, examples, node_modules) or is over the size budget.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MAX_BYTES = 2 * 1024 * 1024;
const FORBIDDEN = [
  { re: /^extension\/(src|test|examples|scripts|bench|docs|node_modules)\//, why: 'sources, tests, examples or dependencies' },
  { re: /\.map$/, why: 'source map' },
  { re: /\.(ts|mts|cts)$/, why: 'TypeScript source' },
  { re: /^extension\/(tsconfig\.json|\.mocharc\.json|package-lock\.json)$/, why: 'development file' },
];

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${[cmd, ...args].join(' ')} exited ${r.status}`);
}

/** Entry names of a zip archive, read from its central directory. */
export function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = join(ROOT, `specgate-${version}.vsix`);
const vsce = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
if (!existsSync(vsce)) fail('@vscode/vsce is not installed: run npm ci first');

run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--minify']);
// The Details page of the installed extension is docs/marketplace.md (a user's README); the
// repository's README.md is for developers of SpecGate.
run(vsce, ['package', '--no-dependencies', '--readme-path', 'docs/marketplace.md', '--out', vsix]);

const entries = zipEntries(readFileSync(vsix));
const bad = entries.flatMap((e) => FORBIDDEN.filter((f) => f.re.test(e)).map((f) => `${e} (${f.why})`));
if (bad.length) fail(`${vsix} holds files that must not ship:\n  ${bad.join('\n  ')}`);
for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/cli-main.js']) {
  if (!entries.includes(needed)) fail(`${vsix} lacks ${needed}`);
}

const bytes = statSync(vsix).size;
const shown = bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${Math.round(bytes / 1024)} KB`;
process.stdout.write(`\n${vsix}\n  ${shown} (${bytes} bytes), ${entries.length} files:\n`);
for (const e of entries.filter((x) => x.startsWith('extension/'))) process.stdout.write(`    ${e.slice('extension/'.length)}\n`);
if (bytes > MAX_BYTES) fail(`${shown} is over the 2 MB budget`);
