// Shields code under test (which runs git with process.env) from the machine's git config.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Call inside a `describe`: sets GIT_CONFIG_NOSYSTEM/GLOBAL for its tests, restores after. */
export function isolateGitConfig(): void {
  const saved: Record<string, string | undefined> = {};
  const keys = ['GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_EXTERNAL_DIFF'];
  let home = '';
  before(() => {
    for (const k of keys) saved[k] = process.env[k];
    home = mkdtempSync(path.join(tmpdir(), 'specgate-home-'));
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    process.env.GIT_CONFIG_GLOBAL = path.join(home, 'gitconfig');
    delete process.env.GIT_EXTERNAL_DIFF;
  });
  after(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    rmSync(home, { recursive: true, force: true });
  });
}
