// A repository with a Kiro spec, trusted reviewer keys committed in
// .specgate/allowed_signers, and a change under way; plus a way to run the CLI from source.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeKey, noPromptEnv, type TestKey } from './sshKeys';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

export const REQUIREMENTS = '# Requirements\n\n### Requirement 1: Cache lookups\n\n1. WHEN a key is read THEN the system SHALL return the cached value\n';
export const TASKS = '# Tasks\n\n- [x] 1. Add the cache in `src/app.ts`\n  - _Requirements: 1_\n';

export interface Keys {
  alice: TestKey;
  author: TestKey;
  mallory: TestKey;
  locked: TestKey;
}

export interface World {
  repo: TestRepo;
  keys: Keys;
  /** A folder outside the repository for bundles and scratch files. */
  scratch: string;
  env: NodeJS.ProcessEnv;
  /** Runs the CLI (from source, through tsx) in the repo. */
  cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Runs git in the repo, resolving with exit code and output (never rejecting). */
  gitRaw(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A node script that runs the CLI from source; what the installed hook calls. */
  cliScript: string;
}

const ROOT = path.join(__dirname, '../..');

/** Makes the world: alice and the author are trusted; mallory is the assistant's own key. */
export async function makeWorld(config?: string): Promise<World> {
  const files: Record<string, string> = {
    '.kiro/specs/cache/requirements.md': REQUIREMENTS,
    '.kiro/specs/cache/tasks.md': TASKS,
    'src/app.ts': 'export const a = 1;\n',
    'README.md': '# app\n',
  };
  const repo = await makeRepo(files);
  const scratch = path.join(repo.root, '..', 'scratch');
  mkdirSync(scratch, { recursive: true });
  const keys: Keys = {
    alice: makeKey(scratch, 'alice'),
    author: makeKey(scratch, 'author'),
    mallory: makeKey(scratch, 'mallory'),
    locked: makeKey(scratch, 'locked', 'correct horse'),
  };
  await repo.write('.specgate/allowed_signers', keys.alice.line('alice@example.com') + keys.author.line('author@example.com') + keys.locked.line('lock@example.com'));
  if (config !== undefined) await repo.write('.specgate/config.yml', config);
  await repo.commit('trusted reviewers');
  const env: NodeJS.ProcessEnv = { ...noPromptEnv(), ...testGitEnv(path.join(repo.root, '..', 'home')) };
  const cliScript = path.join(scratch, 'specgate-cli.js');
  writeFileSync(
    cliScript,
    [
      `require(${JSON.stringify(path.join(ROOT, 'node_modules/tsx/dist/cjs/index.cjs'))});`,
      `require(${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))}).main(process.argv.slice(2)).then((c) => { process.exitCode = c; });`,
      '',
    ].join('\n'),
  );
  const run = (cmd: string, args: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(cmd, args, { cwd: repo.root, env, timeout: 60000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 99) : 0;
        resolve({ code, stdout, stderr });
      });
      child.stdin?.end(input ?? '');
    });
  return {
    repo,
    keys,
    scratch,
    env,
    cliScript,
    cli: (args, input) => run(process.execPath, [cliScript, ...args], input),
    gitRaw: (args) => run('git', args),
  };
}

/**
 * For a describe block whose tests each make their own World: returns the function that makes
 * it and puts its environment in `process.env`; after each test the environment is restored
 * and the World removed.
 */
export function worldPerTest(): (config?: string) => Promise<World> {
  const prevEnv = { ...process.env };
  let current: World | undefined;
  afterEach(async () => {
    process.env = { ...prevEnv };
    await current?.repo.cleanup();
    current = undefined;
  });
  return async (config) => {
    current = await makeWorld(config);
    Object.assign(process.env, current.env);
    return current;
  };
}
