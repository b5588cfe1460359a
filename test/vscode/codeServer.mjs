// Starts code-server (VS Code 1.100.3 server + web workbench) in its own process group and
// always ends the whole group: the extension host and every helper process go with it.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeServerBin, tmpRoot } from './paths.mjs';
import { freePort } from './freePort.mjs';

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
};

function requireCodeServer() {
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${codeServerBin}: run 'npm run setup:vscode-test'`);
  }
}

/** Environment of code-server and its extension host: throwaway HOME, no machine git config. */
function serverEnv(runDir) {
  const home = path.join(runDir, 'home');
  mkdirSync(home, { recursive: true });
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('VSCODE_')) delete env[k];
  return {
    ...env,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CEILING_DIRECTORIES: tmpRoot,
    SPECGATE_TEST_RUN_DIR: runDir,
  };
}

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends a process group: SIGTERM, then SIGKILL for what is left after `graceMs`. */
export async function killGroup(child, graceMs = 5000) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitForExit(child, graceMs);
  if (groupAlive(child.pid)) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Starts code-server on a free port with `folder` open and resolves once it listens.
 * `workspaceTrust`: leave VS Code's workspace trust on (the folder opens in restricted mode
 * until trusted); every other run turns it off.
 * @param {{ runDir: string, folder: string, logFile: string, extensionsDir?: string, startTimeoutMs?: number, workspaceTrust?: boolean }} o
 */
export async function startCodeServer(o) {
  requireCodeServer();
  const userDataDir = path.join(o.runDir, 'user-data');
  const extensionsDir = o.extensionsDir ?? path.join(o.runDir, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = o.workspaceTrust ? { ...USER_SETTINGS, 'security.workspace.trust.enabled': true } : USER_SETTINGS;
  writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    o.folder,
  ];
  const child = spawn(codeServerBin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(o.runDir),
  });
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  const log = createWriteStream(o.logFile);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not listen within ${o.startTimeoutMs ?? 30000} ms; log: ${o.logFile}`)),
      o.startTimeoutMs ?? 30000,
    );
    const onData = (d) => {
      log.write(d);
      output += d;
      if (output.includes('HTTP server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`code-server failed to start: ${e.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (code ${code}, signal ${signal}) before listening:\n${output.slice(-2000)}`));
    });
  });
  const server = {
    port,
    origin: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    pid: child.pid,
    exited,
    logTail: (chars = 3000) => output.slice(-chars),
    async stop() {
      await killGroup(child);
      process.off('exit', onExit);
      await new Promise((resolve) => log.end(resolve));
    },
  };
  try {
    await listening;
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

/** `code-server --install-extension <vsix>` into `extensionsDir`; rejects with its output on failure. */
export async function installExtension(vsix, extensionsDir, runDir, timeoutMs = 120000) {
  requireCodeServer();
  mkdirSync(extensionsDir, { recursive: true });
  const child = spawn(
    codeServerBin,
    ['--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(runDir) },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const done = await waitForExit(child, timeoutMs);
  if (!done) {
    await killGroup(child, 1000);
    throw new Error(`code-server --install-extension did not finish within ${timeoutMs} ms:\n${output}`);
  }
  if (child.exitCode !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${child.exitCode}):\n${output}`);
  return output;
}

/** A `vscode-remote://` URI that the web workbench resolves to `absPath` on the server. */
export function remoteUri(server, absPath) {
  return `vscode-remote://${server.authority}${path.resolve(absPath)}`;
}
