// Runs the grammar scope assertions (test/grammar/*.md) with vscode-tmgrammar-test: the
// injection grammars from package.json over a markdown host grammar. Always against the
// small host in this folder; also against VS Code's own markdown grammar when the
// code-server test install has it (npm run setup:vscode-test).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
// Front matter cases run over the small host only: the vscode-textmate 7 inside
// vscode-tmgrammar-test never enters VS Code's `\A`-anchored front matter rule.
const hosts = [{ file: path.join(root, 'test/grammar/markdown-host.tmLanguage.json'), cases: 'test/grammar/*.md' }];
const real = path.join(
  root,
  '.vscode-test/code-server/node_modules/code-server/lib/vscode/extensions/markdown-basics/syntaxes/markdown.tmLanguage.json',
);
if (existsSync(real)) hosts.push({ file: real, cases: 'test/grammar/{kiro,speckit}*.md' });

let failed = false;
for (const host of hosts) {
  console.log(`grammar tests over ${path.relative(root, host.file)}`);
  const r = spawnSync(process.execPath, [bin, '-g', host.file, host.cases], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
  // Missing embedded-language grammars (fenced code in VS Code's grammar) are noise here.
  const errors = String(r.stderr ?? '').split('\n').filter((l) => l && !/^grammar not found for /.test(l));
  if (errors.length > 0) console.error(errors.join('\n'));
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
