// Fails when src/core reaches for the host or the machine: core is pure TypeScript that
// the CLI and the extension both call. Checks import/require/dynamic import forms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FORBIDDEN = ['vscode', 'fs', 'fs/promises', 'child_process', 'node:fs', 'node:fs/promises', 'node:child_process'];
const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|js|mts|cts)$/.test(name)) yield p;
  }
}

const root = process.argv[2] ?? 'src/core';
const offences = [];
for (const file of walk(root)) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(pattern)) {
      if (FORBIDDEN.includes(m[1])) offences.push(`${file}:${i + 1}: imports '${m[1]}'`);
    }
  });
}
if (offences.length) {
  console.error(`check-boundary: ${root} must not import vscode, fs or child_process:\n  ${offences.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-boundary: ${root} is free of vscode, fs and child_process imports`);
