// Runs the built CLI (`node dist/cli.js`) against a test repository.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../../src/core/model';
import { testGitEnv, type TestRepo } from './gitRepo';

export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliBuilt(): boolean {
  return existsSync(CLI);
}

export function runCli(repo: TestRepo, args: string[], cwd = repo.root): Promise<CliResult> {
  const env = testGitEnv(path.join(path.dirname(repo.root), 'home'));
  delete env.NO_COLOR;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `specgate check --format json` and the parsed report; fails the test on a usage error. */
export async function checkJson(repo: TestRepo, ...args: string[]): Promise<{ code: number; report: Report }> {
  const r = await runCli(repo, ['check', '--format', 'json', ...args]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`check exited ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}
