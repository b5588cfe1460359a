// Tier 2 runner: runs the mocha files in out/integration/ inside the real Node extension host
// of code-server, with SpecGate loaded from this repository (extensionDevelopmentPath).
// The web workbench takes both paths from its `payload` query, runs the tests and reports the
// exit code through window.codeAutomationExit; the host's console arrives through
// window.codeAutomationLog. Exit code = the tests' result (124 on timeout, 2 on a harness error).
// Two suites, each in its own window: `main` (the files in out/integration/) opens the fixture
// repository as a folder; `folders` (out/integration/folders/) opens the multi-root workspace
// of test/vscode/foldersWorkspace.mjs.
//   node test/vscode/runIntegration.mjs [--grep PATTERN] [--suite main|folders]
// Env: SPECGATE_TEST_TIMEOUT_MS (default 480000), SPECGATE_KEEP_RUN=1 keeps the run folder,
//      VERBOSE=1 prints the workbench's own log too.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { isolateProcessEnv, makeRunDir, repoRoot, resultsDir } from './paths.mjs';
import { remoteUri, startCodeServer } from './codeServer.mjs';
import { launchChromium } from './browser.mjs';
import { createFixtureWorkspace } from './fixtureWorkspace.mjs';
import { createFoldersWorkspace } from './foldersWorkspace.mjs';

const TIMEOUT_MS = Number(process.env.SPECGATE_TEST_TIMEOUT_MS || 480000);
const testsEntry = path.join(repoRoot, 'out/integration/index.js');
const NOISE = /^(Resolving|Resolved|Creating a socket|Updating additional|\[Service Worker\]|ChatSessionStore|Creation of workbench contribution|Started local extension host|Extension host \(|Received request)|ENOTFOUND open-vsx\.org|open-vsx\.org|Error fetching extension gallery/;

const t0 = Date.now();
const say = (...a) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const SUITES = {
  main: (runDir) => ({ opens: 'folder', path: createFixtureWorkspace(path.join(runDir, 'ws')).root }),
  folders: (runDir) => ({ opens: 'workspace', path: createFoldersWorkspace(path.join(runDir, 'ws')) }),
};

function parseArgs(argv) {
  const i = argv.indexOf('--grep');
  if (i >= 0 && argv[i + 1]) process.env.SPECGATE_TEST_GREP = argv[i + 1];
  const j = argv.indexOf('--suite');
  const suites = j >= 0 ? [argv[j + 1]] : Object.keys(SUITES);
  for (const s of suites) if (!SUITES[s]) throw new Error(`no suite ${s}: use ${Object.keys(SUITES).join(' or ')}`);
  return suites;
}

async function main() {
  const suites = parseArgs(process.argv.slice(2));
  isolateProcessEnv();
  for (const [file, fix] of [[testsEntry, 'node scripts/build-tests.mjs'], [path.join(repoRoot, 'dist/extension.js'), 'npm run build']]) {
    if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run '${fix}'`);
  }
  mkdirSync(resultsDir, { recursive: true });
  let code = 0;
  for (const suite of suites) {
    const c = await runSuite(suite);
    if (c !== 0 && code === 0) code = c;
  }
  return code;
}

async function runSuite(suite) {
  const runDir = makeRunDir('integration');
  const removeRunDir = () => process.env.SPECGATE_KEEP_RUN || rmSync(runDir, { recursive: true, force: true });
  process.on('exit', removeRunDir);
  const ws = SUITES[suite](runDir);
  process.env.SPECGATE_TEST_SUITE = suite;
  say(`suite ${suite}: ${ws.opens}`, ws.path);

  let server;
  let browser;
  let timer;
  try {
    server = await startCodeServer({ runDir, folder: ws.path, logFile: path.join(resultsDir, `integration-${suite}-code-server.log`) });
    say(`code-server ${server.origin} (process group ${server.pid})`);
    browser = await launchChromium();
    const page = await browser.newPage();
    let settle;
    const result = new Promise((resolve) => (settle = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) }));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!process.env.VERBOSE && NOISE.test(line)) return;
      console.log(type === 'log' || type === 'info' ? line : `[ext-host ${type}] ${line}`);
    });
    page.on('pageerror', (e) => say('page error:', e.message));
    if (process.env.VERBOSE) page.on('console', (m) => console.log('[page]', m.text()));
    page.on('crash', () => settle({ code: 2, reason: 'the workbench page crashed' }));
    server.exited.then(({ code, signal }) =>
      settle({ code: 2, reason: `code-server exited early (code ${code}, signal ${signal}):\n${server.logTail()}` }),
    );
    timer = setTimeout(() => settle({ code: 124, reason: `no result within ${TIMEOUT_MS} ms (SPECGATE_TEST_TIMEOUT_MS)` }), TIMEOUT_MS);

    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, testsEntry)],
    ]);
    await page.goto(`${server.origin}/?${ws.opens}=${encodeURIComponent(ws.path)}&payload=${encodeURIComponent(payload)}`);
    const { code, reason } = await result;
    if (reason) say('FAILED:', reason);
    say(code === 0 ? `integration tests passed (suite ${suite})` : `integration tests FAILED (suite ${suite}, exit code ${code})`);
    return code;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
    await server?.stop();
    removeRunDir();
    process.off('exit', removeRunDir);
  }
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    interrupted = true;
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(interrupted ? 130 : code),
  (e) => {
    console.error(`[integration] harness error: ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  },
);
