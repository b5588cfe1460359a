// `npm run demo`: SpecGate on the bundled example, offline, in under a minute.
// Builds the CLI if it is stale, makes the example a git repository in a temp folder with
// an assistant's change uncommitted, runs `specgate check` and `specgate bundle`, and says
// where the review bundle is and how to open it.
//   node scripts/demo.mjs [--layout kiro|speckit|openspec] [--dir EMPTY_DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createExampleRepo, ensureBuilt, REPO_ROOT } from './demo-lib.mjs';

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

const USAGE = 'usage: npm run demo -- [--layout kiro|speckit|openspec] [--dir EMPTY_DIR]';
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '-h' || arg === '--help') {
    process.stdout.write(`${USAGE}\nRuns specgate check and specgate bundle on the bundled example, made a git repository in a temp folder (or in EMPTY_DIR).\n`);
    process.exit(0);
  }
  if (arg === '--layout' || arg === '--dir') {
    if (process.argv[i + 1] === undefined) fail(`${arg} needs a value; ${USAGE}`);
    i++;
  } else fail(`unknown argument ${arg}; ${USAGE}`);
}

const layout = argValue('--layout') ?? 'kiro';
if (!['kiro', 'speckit', 'openspec'].includes(layout)) fail(`unknown --layout ${layout}: use kiro, speckit or openspec`);

const bold = process.stdout.isTTY && !process.env.NO_COLOR;
const heading = (text) => process.stdout.write(bold ? `\n\x1b[1m== ${text}\x1b[0m\n` : `\n== ${text}\n`);

if (ensureBuilt()) process.stdout.write('demo: built dist/cli.js\n');
const cli = join(REPO_ROOT, 'dist', 'cli.js');

const parent = argValue('--dir') ? resolve(argValue('--dir')) : realpathSync(mkdtempSync(join(tmpdir(), 'specgate-demo-')));
const dir = argValue('--dir') ? parent : join(parent, 'billing-service');
let example;
try {
  example = createExampleRepo(dir, { layout, applyChange: true });
} catch (err) {
  if (err && err.code === 'ENOENT' && err.path === 'git') fail('git is not installed or not on PATH; SpecGate needs git');
  fail(err instanceof Error ? err.message.split('\n')[0] : String(err));
}

heading('The example');
process.stdout.write(
  [
    `Repository:  ${example.root}`,
    `Spec:        ${example.specId} (${layout}), committed with the service on main`,
    'Change:      an assistant implemented the spec\'s tasks (uncommitted), and also',
    '             - edited src/auth/session.ts, which no task names (session lifetime 15 min -> 8 h)',
    '             - deleted and rewrote infra/main.tf (Terraform: queues renamed, i.e. destroyed and recreated)',
    '             - removed the exported function linearDelay from src/billing/retry.ts',
    '             - deleted test/auth.test.ts',
    '             - ticked the test task done without touching test/billing.test.ts',
    '             - changed src/billing/config.ts, which the design names but no task does',
    '',
  ].join('\n'),
);

function runCli(args, capture) {
  const r = spawnSync(process.execPath, [cli, ...args, '--cwd', example.root], {
    cwd: example.root,
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  if (r.error) fail(`could not run ${cli}: ${r.error.message}`);
  return r;
}

heading('specgate check');
const check = runCli(['check'], false);
if (check.status === 1) process.stdout.write('\n(specgate check exited 1: there are findings at error level, as the example intends.)\n');
else if (check.status !== 0) fail(`specgate check failed with exit code ${check.status}`);

heading('specgate bundle');
const bundle = runCli(['bundle'], true);
process.stdout.write(bundle.stdout);
process.stderr.write(bundle.stderr);
if (bundle.status !== 0) fail(`specgate bundle failed with exit code ${bundle.status}`);

function findBundle() {
  for (const line of bundle.stdout.split(/\r?\n/)) {
    for (const token of line.split(/\s+/)) {
      const candidate = resolve(example.root, token.replace(/[.,:;]$/, ''));
      if (token && existsSync(join(candidate, 'review.html'))) return candidate;
    }
  }
  const reviews = join(example.root, '.specgate', 'reviews');
  if (!existsSync(reviews)) return undefined;
  const dirs = readdirSync(reviews)
    .map((n) => join(reviews, n))
    .filter((p) => existsSync(join(p, 'review.html')))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return dirs[0];
}

const bundleDir = findBundle();
if (!bundleDir) fail('specgate bundle succeeded but no bundle folder with review.html was found');

heading('Next');
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
process.stdout.write(
  [
    `Bundle:       ${bundleDir}`,
    `Review page:  ${join(bundleDir, 'review.html')}`,
    `              open it in any browser, e.g. ${opener} '${join(bundleDir, 'review.html')}'`,
    `In VS Code:   code '${example.root}'`,
    '              and open the SpecGate view in the activity bar (install the extension first:',
    `              npm run package && code --install-extension specgate-${version}.vsix)`,
    '',
  ].join('\n'),
);
