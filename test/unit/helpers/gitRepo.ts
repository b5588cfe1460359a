// Temp git repositories for tests: real `git`, isolated from the machine's config.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TestRepo {
  /** Absolute path of the work tree (realpath, no trailing slash). */
  readonly root: string;
  /** Writes a file (creating folders); a string is written as UTF-8. */
  write(file: string, content: string | Buffer): Promise<void>;
  /** Removes a file or folder from the work tree (not from the index). */
  rm(file: string): Promise<void>;
  /** Runs git in the repo and returns its stdout. Rejects on a non-zero exit. */
  git(...args: string[]): Promise<string>;
  /** Stages everything (`git add -A`) and commits; returns the new commit id. */
  commit(message: string): Promise<string>;
  /** Removes the temp folder (the repo and its fake HOME). */
  cleanup(): Promise<void>;
}

/** Environment for git in tests: no system or global config, fixed identity. */
export function testGitEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
  };
}

function runGit(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.end();
  });
}

/**
 * Creates a repo on branch `main` with a local identity. With `files`, writes and commits
 * them ("initial"); without, HEAD stays unborn.
 */
export async function makeRepo(files?: Record<string, string | Buffer>): Promise<TestRepo> {
  const { realpath } = await import('node:fs/promises');
  const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'specgate-repo-')));
  const home = path.join(dir, 'home');
  const root = path.join(dir, 'repo');
  await mkdir(home, { recursive: true });
  await mkdir(root, { recursive: true });
  const env = testGitEnv(home);
  const git = (...args: string[]) => runGit(root, env, args);
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Test Author');
  await git('config', 'user.email', 'author@example.com');
  await git('config', 'commit.gpgsign', 'false');
  await git('config', 'core.autocrlf', 'false');

  const repo: TestRepo = {
    root,
    async write(file, content) {
      const abs = path.join(root, file);
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, content);
    },
    async rm(file) {
      await rm(path.join(root, file), { recursive: true, force: true });
    },
    git,
    async commit(message) {
      await git('add', '-A');
      await git('commit', '-q', '--allow-empty', '-m', message);
      return (await git('rev-parse', 'HEAD')).trim();
    },
    async cleanup() {
      await rm(dir, { recursive: true, force: true });
    },
  };
  if (files) {
    for (const [f, c] of Object.entries(files)) await repo.write(f, c);
    await repo.commit('initial');
  }
  return repo;
}
