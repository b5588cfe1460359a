// `specgate bundle [--out DIR]`: writes a review bundle for the change and prints its path.
// Ctrl-C (SIGINT) or SIGTERM stops it cleanly: git is killed, and no bundle folder and no
// temporary file are left behind; a second signal ends the process at once.
import { constants as osConstants } from 'node:os';
import * as path from 'node:path';
import { writeBundle } from '../../node/bundle';
import { analyzeRepository } from '../../node/engine';
import { GitError } from '../../node/git';
import type { ChangeOptions } from './options';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function runBundle(o: ChangeOptions & { out?: string }): Promise<number> {
  const abort = new AbortController();
  let received: (typeof STOP_SIGNALS)[number] | undefined;
  const onSignal = (sig: (typeof STOP_SIGNALS)[number]) => {
    if (received !== undefined) process.exit(128 + osConstants.signals[sig]);
    received = sig;
    abort.abort();
  };
  // The launcher's handler (one line, then exit) would end the run before git is stopped and
  // the partial bundle removed: it is told to leave the signals to this one.
  (globalThis as Record<symbol, unknown>)[Symbol.for('specgate.signalsTaken')] = true;
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  try {
    const { signal } = abort;
    const result = await analyzeRepository({ cwd: o.cwd, spec: o.spec, base: o.base, staged: o.staged, signal });
    for (const note of result.changeSet.notes ?? []) process.stderr.write(`specgate: note: ${note}\n`);
    const dir = await writeBundle(result, { out: o.out === undefined ? undefined : path.resolve(o.cwd, o.out), signal });
    process.stdout.write(`${dir}\n`);
    return 0;
  } catch (err) {
    // Ctrl-C in a terminal reaches git too: git killed by it may fail before our own signal is handled.
    if (received === undefined && err instanceof GitError && err.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    if (received === undefined) throw err;
    process.stderr.write(`specgate: bundle cancelled (${received}); no bundle was written\n`);
    return 128 + osConstants.signals[received];
  } finally {
    (globalThis as Record<symbol, unknown>)[Symbol.for('specgate.signalsTaken')] = false;
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
}
