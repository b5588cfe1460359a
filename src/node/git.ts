// Runs git for SpecGate, safely: argument arrays (no shell), revisions verified before use,
// no repository-configured program ever runs (fsmonitor, external diff, textconv, filters).
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { copyFile, lstat, mkdtemp, readFile, realpath, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY_TREE, looksBinary } from '../core/gitblob';
import { UsageError } from '../core/model';
import { safeText } from '../core/render/text';
import { mark } from './timings';

export interface RunOptions {
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** `utf8` (default) returns a string, `buffer` a Buffer. */
  encoding?: 'buffer' | 'utf8';
  /** Exit codes besides 0 that are not failures (e.g. `[1]` for `rev-parse --verify --quiet`). */
  allowExit?: number[];
  /** Extra environment entries for this call. */
  env?: Record<string, string>;
  /** Environment entries removed for this call. */
  unsetEnv?: readonly string[];
  /** Aborting kills git; the call then rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface RunResult<T> {
  stdout: T;
  stderr: string;
  code: number;
}

/** A git command failed for a reason outside the user's input. One line, shown as is. */
export class GitError extends Error {
  override readonly name = 'GitError';
  /** `E…` so the CLI prints it as one line without a stack trace. */
  readonly code = 'EGIT';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

const MAX_BUFFER = 1024 * 1024 * 1024;
/** Variables that point git at a repository: dropped to ask a repository nested in ours. */
const REPOSITORY_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX'];
const CACHE_NAME = 'specgate-change-cache.json';
/**
 * Flags every `git diff` of ours carries: no external diff or textconv program from the
 * repository, plain output with a/ b/ prefixes, paths from the top, submodules shown as
 * commit ids.
 */
export const SAFE_DIFF_FLAGS: readonly string[] = [
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '--no-relative',
  '--ignore-submodules=none',
  // `Subproject commit <id>` sections whatever `diff.submodule` says (`log` prints no patch).
  '--submodule=short',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/** Settings every git call gets, so that no user configuration changes what SpecGate reads. */
export const SAFE_CONFIG: readonly string[] = ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', '-c', 'diff.noprefix=false', '-c', 'color.ui=false'];

/**
 * For git run on a throw-away copy of the index: no split index, so its writes stay in that
 * file (with `core.splitIndex`, each write could leave a new `sharedindex.*` in the git folder).
 */
export const SCRATCH_INDEX_ENV: Readonly<Record<string, string>> = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.splitIndex', GIT_CONFIG_VALUE_0: 'false' };

function gitEnv(extra?: Record<string, string>, unset?: readonly string[]): NodeJS.ProcessEnv {
  // GIT_NO_REPLACE_OBJECTS: `git replace` makes git show one object's content under another's
  // id; a review would show the replacement while the digest binds the id, whose real content
  // a clone (which fetches no refs/replace/) then holds.
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_NO_REPLACE_OBJECTS: '1' };
  delete env.GIT_EXTERNAL_DIFF;
  delete env.GIT_DIFF_OPTS;
  delete env.GIT_CONFIG_PARAMETERS;
  delete env.GIT_CONFIG_COUNT;
  // Pathspec modes from the caller's shell would change what our pathspecs mean.
  delete env.GIT_LITERAL_PATHSPECS;
  delete env.GIT_GLOB_PATHSPECS;
  delete env.GIT_NOGLOB_PATHSPECS;
  delete env.GIT_ICASE_PATHSPECS;
  for (const k of unset ?? []) delete env[k];
  return extra ? { ...env, ...extra } : env;
}

/** The git subcommand in an argument list (skipping `-c key=value` pairs). */
function commandName(args: string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return '';
}

/**
 * Git's reason, from its stderr: the first line it printed. When the failure came from a
 * submodule (git runs `status` in each one to tell whether it is dirty), git names it only
 * on a later line, and the reason alone ("this operation must be run in a work tree") would
 * not say where to look.
 */
function firstLine(s: string): string {
  const lines = s.split('\n');
  const line = (lines.find((l) => l.trim() !== '') ?? '').replace(/^(fatal|error): /, '').trim();
  const inSubmodule = lines.map((l) => /failed in submodule (.+)$/.exec(l.trim())?.[1]).find((p) => p !== undefined);
  return inSubmodule !== undefined && !line.includes(inSubmodule) ? `${line} (in the submodule ${inSubmodule})` : line;
}

/**
 * Copies an index file keeping its mtime (floored to the second): git trusts an entry's
 * cached stat data only when the entry is older than the index file, so a copy with a fresh
 * mtime would make a file edited in the same second as the last `git add` look unchanged
 * ("racy git"). False when there is no index to copy.
 */
export async function copyIndexFile(from: string, to: string): Promise<boolean> {
  try {
    const st = await stat(from);
    await copyFile(from, to);
    const mtime = Math.floor(st.mtimeMs / 1000);
    await utimes(to, mtime, mtime);
    return true;
  } catch {
    return false;
  }
}

/**
 * With HEAD naming no commit: fine on an unborn branch (no commit yet, the change is every
 * file), but a UsageError when HEAD names an object the repository lacks (a damaged or partly
 * copied repository), which would otherwise read as a first commit.
 */
async function refuseMissingHead(cwd: string): Promise<void> {
  const named = await execGit(cwd, [], ['rev-parse', '--verify', '--quiet', '--end-of-options', 'HEAD'], { allowExit: [1, 128] });
  const id = String(named.stdout).trim();
  if (named.code === 0 && /^[0-9a-f]{40,64}$/.test(id)) {
    throw new UsageError(`HEAD names ${id.slice(0, 12)}, which is not a commit this repository holds (git status says "bad object HEAD"); repair the repository, or check out a branch that exists`);
  }
}

/** Low-level: runs git with the safety config in `cwd`, never through a shell. */
function execGit(cwd: string, pre: string[], args: string[], opts: RunOptions = {}): Promise<RunResult<string | Buffer>> {
  mark(`git ${commandName(args)} started`);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFE_CONFIG, ...pre, ...args],
      { cwd, env: gitEnv(opts.env, opts.unsetEnv), maxBuffer: MAX_BUFFER, encoding: 'buffer', windowsHide: true, signal: opts.signal },
      (err, stdoutBuf, stderrBuf) => {
        mark(`git ${commandName(args)} ended`);
        const stderr = stderrBuf.toString('utf8');
        const stdout = opts.encoding === 'buffer' ? stdoutBuf : stdoutBuf.toString('utf8');
        if (!err) return resolve({ stdout, stderr, code: 0 });
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        // Aborted through opts.signal: git was killed; the caller asked for that, so no GitError.
        if (e.name === 'AbortError') return reject(err);
        if (e.code === 'ENOENT') {
          return reject(new UsageError('git was not found on PATH; install git and try again'));
        }
        if (typeof e.code === 'number' && opts.allowExit?.includes(e.code)) {
          return resolve({ stdout, stderr, code: e.code });
        }
        const what = firstLine(stderr) || e.message;
        reject(new GitError(`git ${commandName(args)} failed: ${what}`, typeof e.code === 'number' ? e.code : null, stderr));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** A running git whose stdout is streamed; `done` settles once, on the first failure or at exit. */
interface StreamingGit {
  /** Called with each stdout chunk; a throw ends the run with that error. */
  onData(chunk: Buffer): void;
  /** Called when git exits with an allowed code; a throw fails the run, else it resolves. */
  onExit?(): void;
}

/**
 * Spawns git with stdout streamed to `handler`, stdin fed `input`, and stderr kept for
 * messages (and resolved with, for the warnings of a run that succeeded). One place for what
 * every streaming call needs: ENOENT as a one-line error, a single settlement, and the child
 * killed on the first failure.
 */
function spawnStreaming(cwd: string, argv: string[], handler: StreamingGit, opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_CONFIG, ...argv], { cwd, env: gitEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, signal: opts.signal });
    let stderr = '';
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      child.kill();
      reject(err);
    };
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? new UsageError('git was not found on PATH; install git and try again') : err),
    );
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout.on('data', (d: Buffer) => {
      if (settled) return;
      try {
        handler.onData(d);
      } catch (err) {
        fail(err instanceof GitError && err.stderr === '' ? new GitError(err.message, err.exitCode, stderr) : (err as Error));
      }
    });
    child.on('close', (code) => {
      if (settled) return;
      if (!(code === 0 || (code !== null && opts.allowExit?.includes(code)))) {
        return fail(new GitError(`git ${commandName(argv)} failed: ${firstLine(stderr) || `exit code ${code}`}`, code, stderr));
      }
      try {
        handler.onExit?.();
      } catch (err) {
        return fail(err as Error);
      }
      settled = true;
      resolve(stderr);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  });
}

/** Runs git, handing stdout to `onData` chunk by chunk as it arrives; resolves with its stderr. */
function streamGit(cwd: string, pre: string[], args: string[], onData: (chunk: Buffer) => void, opts: RunOptions = {}): Promise<string> {
  return spawnStreaming(cwd, [...pre, ...args], { onData }, opts);
}

/** Reads many objects through one `git cat-file --batch`, streaming (no giant buffer). */
function catFileBatch(
  cwd: string,
  pre: string[],
  ids: string[],
  onObject: (id: string, type: string, content: Buffer | null, size: number, head?: Buffer) => void,
  maxBytes: number,
  signal?: AbortSignal,
  headBytes = 0,
): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  let want = -1; // bytes of content (+ LF) still expected for the current object
  let header: { id: string; type: string; size: number } | null = null;
  let chunks: Buffer[] = [];
  let got = 0;
  return spawnStreaming(
    cwd,
    [...pre, 'cat-file', '--batch'],
    {
      onData(data) {
        pending = pending.length ? Buffer.concat([pending, data]) : data;
        for (;;) {
          if (header === null) {
            const nl = pending.indexOf(10);
            if (nl === -1) break;
            const line = pending.subarray(0, nl).toString('utf8');
            pending = pending.subarray(nl + 1);
            const expected = ids[index++];
            if (expected === undefined) throw new GitError('git cat-file returned more objects than asked', null, '');
            const m = /^([0-9a-f]+) (\S+) (\d+)$/.exec(line);
            if (!m) {
              onObject(expected, 'missing', null, 0);
              continue;
            }
            header = { id: expected, type: m[2]!, size: Number(m[3]) };
            want = header.size + 1;
            chunks = [];
            got = 0;
          }
          if (pending.length === 0) break;
          const take = Math.min(want, pending.length);
          const keep = header.size <= maxBytes;
          // Of an object too large to keep, only its first `headBytes` bytes are kept.
          const room = keep ? take : Math.max(0, Math.min(take, headBytes - got));
          if (room > 0) chunks.push(pending.subarray(0, room));
          got += take;
          want -= take;
          pending = pending.subarray(take);
          if (want > 0) break;
          const content = keep ? Buffer.concat(chunks).subarray(0, header.size) : null;
          if (keep || headBytes === 0) onObject(header.id, header.type, content, header.size);
          else onObject(header.id, header.type, null, header.size, Buffer.concat(chunks).subarray(0, Math.min(headBytes, header.size)));
          header = null;
          chunks = [];
        }
      },
      onExit() {
        if (index < ids.length || header !== null) throw new GitError('git cat-file ended early', 0, '');
      },
    },
    { input: ids.map((id) => `${id}\n`).join(''), signal },
  ).then(() => undefined);
}

/**
 * A path as `--stdin-paths` reads it: one line, C-quoted when it starts with a quote or holds
 * a line end (git unquotes a line that starts with `"`, and drops a CR before the LF).
 */
function stdinPath(p: string): string {
  if (!p.startsWith('"') && !/[\n\r]/.test(p)) return p;
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return `"${p.replace(/["\\\n\r\t]/g, (c) => esc[c]!)}"`;
}

/**
 * The work tree whose git folder `cwd` is in (`.git`, `.git/hooks`, or a linked worktree's
 * `.git/worktrees/<name>`), or undefined when `cwd` is not inside a non-bare repository's
 * git folder. Only a work tree git confirms owns that git folder is returned.
 */
async function workTreeOfGitFolder(cwd: string): Promise<{ top: string; linked: boolean } | undefined> {
  const r = await execGit(cwd, [], ['rev-parse', '--is-inside-git-dir', '--is-bare-repository', '--absolute-git-dir'], { allowExit: [128] }).catch(() => undefined);
  const lines = String(r?.stdout ?? '').replace(/\n$/, '').split('\n');
  if (r?.code !== 0 || lines[0] !== 'true' || lines[1] !== 'false' || lines.length !== 3) return undefined;
  const gitDir = lines[2]!;
  // A linked worktree's git folder names the worktree's `.git` file in its `gitdir` file.
  const linked = (await readFile(path.join(gitDir, 'gitdir'), 'utf8').catch(() => '')).replace(/\r?\n$/, '');
  const candidate = linked !== '' && path.isAbsolute(linked) ? path.dirname(linked) : path.dirname(gitDir);
  const c = await execGit(candidate, [], ['rev-parse', '--show-toplevel', '--absolute-git-dir'], { allowExit: [128], unsetEnv: REPOSITORY_ENV }).catch(() => undefined);
  const out = String(c?.stdout ?? '').replace(/\n$/, '');
  const top = out.slice(0, Math.max(0, out.lastIndexOf('\n')));
  const confirmed = out.slice(out.lastIndexOf('\n') + 1);
  if (c?.code !== 0 || top === '') return undefined;
  const [a, b] = await Promise.all([realpath(confirmed).catch(() => confirmed), realpath(gitDir).catch(() => gitDir)]);
  return a === b ? { top, linked: candidate !== path.dirname(gitDir) } : undefined;
}

/**
 * Scratch index folders not yet removed. A command that stops (Ctrl-C) may exit while one is
 * in use, before its own cleanup runs: they go at the process's exit.
 */
const scratchDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of scratchDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Left in the temp folder: nothing more can be done on the way out.
    }
  }
});

/**
 * git refuses a repository another user owns ("dubious ownership"); its remedy, which git
 * prints on the lines after the first, is added to the one line SpecGate shows.
 */
function dubiousOwnerHint(why: string): string {
  const m = /dubious ownership in repository at '(.+)'$/.exec(why);
  if (!m) return '';
  const folder = m[1]!;
  // Quoted for a shell when it needs to be, so the command can be pasted as it is.
  const arg = /^[\w@%+=:,./-]+$/.test(folder) ? folder : `'${folder.replace(/'/g, "'\\''")}'`;
  return `; if you trust it: git config --global --add safe.directory ${arg}`;
}

export class Git {
  private constructor(
    /** Absolute path of the work tree's top folder, as git reports it. */
    readonly root: string,
    /** `-c` overrides that switch off every filter driver the repo configures. */
    private readonly neutralise: string[],
    /** The commit HEAD named when the repository was opened; null on an unborn branch. */
    readonly headAtOpen: string | null,
    /** Absolute path of SpecGate's change cache in the git folder (see diffcache.ts). */
    readonly cacheFile: string,
    /** Absolute path of the index git reads here (`GIT_INDEX_FILE`, a linked worktree's own). */
    readonly indexFile: string,
    /** Environment entries for every command of this Git (see withScratchIndex). */
    private readonly env?: Readonly<Record<string, string>>,
  ) {}

  private withEnv<T extends RunOptions>(opts: T): T {
    return this.env ? { ...opts, env: { ...this.env, ...opts.env } } : opts;
  }

  /**
   * Runs `fn` with a Git whose commands read a throw-away copy of the index. A `git diff` of
   * the working tree refreshes the stat data of files touched but unchanged and writes the
   * index back, holding index.lock meanwhile, whatever GIT_OPTIONAL_LOCKS says (git 2.39): a
   * `git add` or `git commit` of the user's at that moment failed ("index.lock: File
   * exists"), and the user's index was rewritten by a command meant to read. The copy takes
   * that write. Without an index to copy (none yet), `fn` gets this Git.
   */
  async withScratchIndex<T>(fn: (git: Git) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(path.join(tmpdir(), 'specgate-index-'));
    scratchDirs.add(dir);
    try {
      const index = path.join(dir, 'index');
      if (!(await copyIndexFile(this.indexFile, index))) return await fn(this);
      await this.unstatFiltered(index);
      // The refresh's write runs the post-index-change hook: none is found under /dev/null.
      return await fn(new Git(this.root, [...this.neutralise, '-c', 'core.hooksPath=/dev/null'], this.headAtOpen, this.cacheFile, this.indexFile, { ...this.env, ...SCRATCH_INDEX_ENV, GIT_INDEX_FILE: index }));
    } finally {
      // A git killed by an abort may still be writing its index.lock here: retried, and never
      // an error of its own (the exit handler has another go).
      await rm(dir, { recursive: true, force: true, maxRetries: 3 }).then(() => scratchDirs.delete(dir), () => undefined);
    }
  }

  /**
   * The filter driver each of `paths` is under, of those the repository configures (and
   * SpecGate switches off: it never runs a program the repository names). Git runs them
   * when it stores a file, so such a file's working-tree bytes are not the blob `git add`
   * stores. Empty when the repository configures no filter.
   */
  async filteredPaths(paths: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const drivers = this.filterDrivers();
    if (drivers.size === 0 || paths.length === 0) return found;
    const out = await this.run(['check-attr', '-z', '--stdin', 'filter'], { input: paths.join('\0') + '\0', signal });
    const parts = out.split('\0');
    for (let i = 0; i + 2 < parts.length; i += 3) {
      const [file, , value] = [parts[i]!, parts[i + 1], parts[i + 2]!];
      if (drivers.has(value)) found.set(file, value);
    }
    return found;
  }

  /** The filter drivers the repository configures, which every command here switches off. */
  private filterDrivers(): Set<string> {
    return new Set(this.neutralise.flatMap((c) => /^filter\.(.+)\.required=false$/s.exec(c)?.slice(1, 2) ?? []));
  }

  /**
   * In the throw-away index `indexFile`, clears the stat data of each entry under a filter
   * driver the repository configures whose staged blob differs from HEAD's. Where a file's
   * stat data matches, git takes the index's blob for it, which is what the filter made of
   * the file; with its drivers switched off, git then diffs the file as it is, as SpecGate
   * binds it, however recently it was staged. Mode and blob stay. An entry the index has as
   * HEAD has it keeps its stat data: under git-lfs its bytes are never its blob (a pointer),
   * and the stat check is what tells git it is unchanged. Nothing runs when the repository
   * configures no filter.
   */
  async unstatFiltered(indexFile: string, signal?: AbortSignal): Promise<void> {
    // A name an attribute pathspec cannot hold is left out (an attribute value has no spaces).
    const drivers = [...this.filterDrivers()].filter((d) => /^[A-Za-z0-9_.+-]+$/.test(d));
    if (drivers.length === 0) return;
    const env = { ...SCRATCH_INDEX_ENV, GIT_INDEX_FILE: indexFile };
    const staged = (
      await this.run(['diff', '--cached', '--name-only', '-z', '--no-renames', ...SAFE_DIFF_FLAGS, this.headAtOpen ?? EMPTY_TREE, '--', ...drivers.map((d) => `:(attr:filter=${d})`)], { env, signal })
    )
      .split('\0')
      .filter((p) => p !== '');
    if (staged.length === 0) return;
    const entries = await this.run(['ls-files', '-s', '-z', '--', ...staged], { env: { ...env, GIT_LITERAL_PATHSPECS: '1' }, signal });
    // Writing an index runs the post-index-change hook: none is found under /dev/null.
    if (entries !== '') await this.run(['-c', 'core.hooksPath=/dev/null', 'update-index', '-z', '--index-info'], { env, signal, input: entries });
  }

  /** Opens the repository containing `cwd`. Bad folder or no repository → UsageError. */
  static async open(cwd: string): Promise<Git> {
    let isDir = false;
    try {
      isDir = (await stat(cwd)).isDirectory();
    } catch {
      throw new UsageError(`folder not found: ${cwd} (pass --cwd with a folder inside a git repository)`);
    }
    if (!isDir) throw new UsageError(`not a folder: ${cwd} (pass --cwd with a folder inside a git repository)`);
    // The top folder and the filter drivers to switch off, asked at once.
    const [topR, filters] = await Promise.allSettled([
      // LC_ALL=C: git's messages are matched below.
      execGit(cwd, [], ['rev-parse', '--show-toplevel', '--git-path', CACHE_NAME, '--git-path', 'index', '--verify', '--quiet', 'HEAD^{commit}'], { allowExit: [1], env: { LC_ALL: 'C' } }),
      // With the filter drivers, the object format: blob ids here are SHA-1.
      execGit(cwd, [], ['config', '-z', '--get-regexp', '^(filter\\.|extensions\\.objectformat$)'], { allowExit: [1] }),
    ]);
    if (topR.status === 'rejected') {
      const err = topR.reason as unknown;
      if (err instanceof UsageError) throw err;
      const why = err instanceof GitError ? firstLine(err.stderr) : '';
      const owner = /must be run in a work tree/i.test(why) ? await workTreeOfGitFolder(cwd) : undefined;
      if (owner !== undefined) {
        const top = safeText(owner.top);
        const folder = owner.linked ? `the git folder of the linked worktree ${top}` : `the .git folder of ${top}`;
        throw new UsageError(`${safeText(cwd)} is inside ${folder}, not its work tree; run from the work tree (e.g. --cwd ${top})`);
      }
      // git names the folder a `.git` file points at when that folder is gone (a linked
      // worktree whose main repository moved): said, with git's repair.
      const pointed = /^not a git repository: '?(.+?)'?$/.exec(why)?.[1];
      if (pointed !== undefined && pointed !== '.git' && process.env.GIT_DIR !== undefined) {
        throw new UsageError(`not a git repository: GIT_DIR names ${safeText(pointed)}, which is not one (unset GIT_DIR, or point it at a repository)`);
      }
      if (pointed !== undefined && pointed !== '.git') {
        throw new UsageError(
          `not a git repository: ${safeText(cwd)}: git follows a .git file to ${safeText(pointed)}, which is not there (a linked worktree whose main repository moved? run git worktree repair ${safeText(cwd)} in the main repository)`,
        );
      }
      throw new UsageError(
        /not a git repository/i.test(why) || why === ''
          ? `not a git repository: ${cwd} (run inside a repository or pass --cwd)`
          : /must be run in a work tree/i.test(why)
            ? `no work tree at ${cwd}: a bare repository cannot be checked (run in a clone with a work tree, or pass --cwd)`
            : `cannot use the git repository at ${cwd}: ${why}${dubiousOwnerHint(why)}`,
      );
    }
    // The top folder, the cache and index paths (relative to cwd), then HEAD's commit (exit 1
    // and no line when unborn). A top folder may hold a newline: the known lines are cut from the end.
    let out = (topR.value.stdout as string).replace(/\n$/, '');
    let head: string | null = null;
    if (topR.value.code === 0) {
      head = out.slice(out.lastIndexOf('\n') + 1);
      out = out.slice(0, Math.max(0, out.lastIndexOf('\n')));
    } else await refuseMissingHead(cwd);
    const indexRel = out.slice(out.lastIndexOf('\n') + 1);
    out = out.slice(0, Math.max(0, out.lastIndexOf('\n')));
    const cacheRel = out.slice(out.lastIndexOf('\n') + 1);
    const top = out.slice(0, Math.max(0, out.lastIndexOf('\n')));
    if (top === '') throw new UsageError(`no work tree at ${cwd} (a bare repository cannot be checked)`);
    if (filters.status === 'rejected') throw filters.reason;
    const names = new Set<string>();
    for (const rec of (filters.value.stdout as string).split('\0')) {
      const key = rec.split('\n', 1)[0] ?? '';
      if (key === 'extensions.objectformat') {
        const format = rec.slice(key.length + 1).trim().toLowerCase();
        if (format !== '' && format !== 'sha1') {
          throw new UsageError(`the repository at ${safeText(top)} stores its objects with ${safeText(format)}, and SpecGate reads SHA-1 repositories only (its blob ids, digests and approvals are SHA-1)`);
        }
        continue;
      }
      const m = /^filter\.(.+)\.[^.]+$/s.exec(key);
      if (m) names.add(m[1]!);
    }
    const neutralise: string[] = [];
    for (const n of names) {
      for (const k of ['clean', 'smudge', 'process']) neutralise.push('-c', `filter.${n}.${k}=`);
      // A `required` driver with no command makes git fail on every file it covers.
      neutralise.push('-c', `filter.${n}.required=false`);
    }
    return new Git(top, neutralise, head, path.resolve(cwd, cacheRel), path.resolve(cwd, indexRel));
  }

  /** Runs `git ARGS` at the repository root; rejects (GitError) on an exit code not allowed. */
  run(args: string[], opts: RunOptions & { encoding: 'buffer' }): Promise<Buffer>;
  run(args: string[], opts?: RunOptions & { encoding?: 'utf8' }): Promise<string>;
  async run(args: string[], opts: RunOptions = {}): Promise<string | Buffer> {
    return (await execGit(this.root, this.neutralise, args, this.withEnv(opts))).stdout;
  }

  /** Runs `git ARGS` at the root, handing stdout to `onData` as it arrives (for big outputs); resolves with its stderr. */
  stream(args: string[], onData: (chunk: Buffer) => void, opts: RunOptions = {}): Promise<string> {
    return streamGit(this.root, this.neutralise, args, onData, this.withEnv(opts));
  }

  /** Like `run`, but also returns the exit code (useful with `allowExit`). */
  exec(args: string[], opts: RunOptions & { encoding: 'buffer' }): Promise<RunResult<Buffer>>;
  exec(args: string[], opts?: RunOptions & { encoding?: 'utf8' }): Promise<RunResult<string>>;
  exec(args: string[], opts: RunOptions = {}): Promise<RunResult<string | Buffer>> {
    return execGit(this.root, this.neutralise, args, this.withEnv(opts));
  }

  /** Full commit id of `rev`. A rev starting with `-` or unknown → UsageError. */
  async resolveCommit(rev: string): Promise<string> {
    if (rev === '' || rev.startsWith('-') || /[\0\n]/.test(rev)) {
      throw new UsageError(`invalid revision '${safeText(rev)}': give a branch, tag or commit`);
    }
    const shown = safeText(rev);
    // `:/text` names the youngest commit reachable from ANY ref whose message matches: a commit
    // anyone can push (a pull request's own) would become the base, with its allowed_signers.
    if (rev.startsWith(':/')) {
      throw new UsageError(`invalid revision '${shown}': git's commit-message search (:/text) is not accepted, since a new commit with a matching message would change the base; give a commit id or a ref`);
    }
    // `a..b` and `a...b` are ranges, which rev-parse --verify refuses as unknown names.
    if (rev.includes('..')) {
      throw new UsageError(`invalid revision '${shown}': a range names many commits; give one branch, tag or commit (--base main: SpecGate takes the merge base of it and HEAD itself)`);
    }
    const r = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { allowExit: [1, 128] });
    const id = r.stdout.trim();
    if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(id)) {
      const prefix = await this.ambiguousCommitPrefix(rev);
      if (prefix !== undefined) throw new UsageError(`ambiguous revision '${prefix}': more than one commit starts with it; give more of the commit id`);
      const type = await this.objectTypeOf(rev);
      if (type === 'blob' || type === 'tree') {
        const what = type === 'blob' ? "a blob (a file's content)" : 'a tree (a folder listing)';
        throw new UsageError(`invalid revision '${shown}': it names ${what}, not a commit; give a branch, tag or commit`);
      }
      throw new UsageError(`unknown revision '${shown}': no branch, tag or commit of that name here; check the name, or fetch it first (a CI checkout needs the full history, e.g. fetch-depth: 0)`);
    }
    await this.refuseAmbiguous(rev);
    return id;
  }

  /**
   * The short commit id `rev` starts with (`2c16`, `2c16~2`), lower-cased, when more than one
   * commit (or tag of a commit) has it: git then resolves none. Asked of git by the prefix
   * alone (`rev-parse --disambiguate`, hex only, so never read as an option), not from its
   * stderr, whose words depend on the user's language. Only on the failure path.
   */
  private async ambiguousCommitPrefix(rev: string): Promise<string | undefined> {
    const m = /^([0-9a-fA-F]{4,63})(?=$|[~^@:])/.exec(rev);
    if (!m) return undefined;
    const prefix = m[1]!.toLowerCase();
    const listed = await this.exec(['rev-parse', `--disambiguate=${prefix}`], { allowExit: [1, 128] });
    const ids = listed.code === 0 ? listed.stdout.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l)) : [];
    if (ids.length < 2) return undefined;
    const peeled = await this.exec(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: ids.map((i) => `${i}^{commit}\n`).join(''), allowExit: [128] });
    const commits = new Set(String(peeled.stdout).split('\n').flatMap((l) => /^([0-9a-f]{40,64}) commit$/.exec(l)?.[1] ?? []));
    return commits.size > 1 ? prefix : undefined;
  }

  /** The type of the object `rev` names once tags are peeled (`blob`, `tree`, `commit`), or undefined when it names none. */
  private async objectTypeOf(rev: string): Promise<string | undefined> {
    // (Not `${rev}^{}`: after `HEAD:` everything is a path, so the suffix would join the path.)
    const r = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', rev], { allowExit: [1, 128] });
    const id = r.stdout.trim();
    if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(id)) return undefined;
    const t = await this.exec(['cat-file', '--batch-check=%(objecttype)'], { input: `${id}^{}\n`, allowExit: [128] });
    const type = t.stdout.trim();
    return t.code === 0 && /^(blob|tree|commit)$/.test(type) ? type : undefined;
  }

  /**
   * Refuses a short ref name that git could take for refs of different commits. Git picks the
   * first of refs/NAME, refs/tags/NAME, refs/heads/NAME, refs/remotes/NAME(/HEAD), so a tag
   * pushed as `origin/main` (a CI clone fetches every tag) would otherwise stand in for the
   * remote-tracking branch `--base origin/main` means, and make the change's own commit the
   * trust base, with the change's own key in its allowed_signers.
   */
  private async refuseAmbiguous(rev: string): Promise<void> {
    if (/^[0-9a-f]{40,64}$/.test(rev)) return;
    // The ref name a revision starts with (`origin/main~2`, `origin/main^{commit}`, `origin/main@{1}`).
    const name = /^[^~^:@]*(?:@(?!\{)[^~^:@]*)*/.exec(rev)![0];
    // `HEAD`, `FETCH_HEAD`…: git reads those from its own folder first; `@{u}`, `:/text`: no name.
    if (name === '' || /^[A-Z_]+$/.test(name)) return;
    // One `cat-file --batch-check` peels every candidate (`<ref>^{commit}`, as rev-parse
    // would); a full name (refs/…) that is a ref comes first and is taken as it is.
    const full = name.startsWith('refs/');
    const refs = [`refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
    const asked = full ? [name, ...refs] : refs;
    const r = await this.exec(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: asked.map((ref) => `${ref}^{commit}\n`).join(''), allowExit: [128] });
    const lines = r.code === 0 ? String(r.stdout).split('\n') : [];
    const commitOf = (i: number): string | undefined => /^([0-9a-f]{40,64}) commit$/.exec(lines[i] ?? '')?.[1];
    if (full && commitOf(0)) return;
    const ids = refs.map((_, i) => commitOf(i + (full ? 1 : 0)));
    const found = refs.flatMap((ref, i) => (ids[i] ? [{ ref, commit: ids[i]! }] : []));
    if (new Set(found.map((f) => f.commit)).size > 1) {
      const shown = (s: string) => `'${safeText(s)}'`;
      throw new UsageError(
        `ambiguous revision ${shown(name)}: ${found.map((f) => `${shown(f.ref)} (${f.commit.slice(0, 12)})`).join(' and ')} differ; pass the full ref name (e.g. ${shown(found[found.length - 1]!.ref)})`,
      );
    }
  }

  /** The commit HEAD points at, or null when HEAD is unborn (no commit yet). */
  async headCommit(): Promise<string | null> {
    const r = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', 'HEAD^{commit}'], { allowExit: [1, 128] });
    const id = r.stdout.trim();
    if (r.code === 0 && id !== '') return id;
    await refuseMissingHead(this.root);
    return null;
  }

  /** The checked-out branch name (without `refs/heads/`), undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const r = await this.exec(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowExit: [1, 128] });
    const name = r.stdout.trim();
    return r.code === 0 && name !== '' ? name : undefined;
  }

  /**
   * The branch a rebase in progress is rebasing (git keeps its name in `rebase-merge/` or
   * `rebase-apply/head-name` while HEAD is detached), undefined when no rebase of a branch is
   * under way.
   */
  async rebasingBranch(): Promise<string | undefined> {
    const r = await this.exec(['rev-parse', '--git-path', 'rebase-merge/head-name', '--git-path', 'rebase-apply/head-name']);
    for (const rel of r.stdout.split('\n').filter((l) => l !== '')) {
      const file = path.resolve(this.root, rel);
      // A regular file of a branch name's size only (a FIFO put there would block the read).
      const st = await lstat(file).catch(() => undefined);
      if (!st?.isFile() || st.size > 4096) continue;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      const m = text === undefined ? null : /^refs\/heads\/(.+)$/.exec(text.trim());
      if (m) return m[1];
    }
    return undefined;
  }

  /** Whether this is a shallow clone (part of its history is cut off). */
  async isShallow(): Promise<boolean> {
    return (await this.exec(['rev-parse', '--is-shallow-repository'], { allowExit: [128] })).stdout.trim() === 'true';
  }

  /** Whether commit `a` is an ancestor of commit `b` or `b` itself (false when git cannot tell). */
  async isAncestor(a: string, b: string): Promise<boolean> {
    return (await this.exec(['merge-base', '--is-ancestor', '--end-of-options', a, b], { allowExit: [1, 128] })).code === 0;
  }

  /**
   * The best common ancestor of two revisions; UsageError when they share no history, naming
   * them as `names` says (the user's words rather than commit ids) and saying when a shallow
   * clone is why.
   */
  async mergeBase(a: string, b: string, names: [string, string] = [a, b]): Promise<string> {
    const [ca, cb] = await Promise.all([this.resolveCommit(a), this.resolveCommit(b)]);
    const r = await this.exec(['merge-base', '--end-of-options', ca, cb], { allowExit: [1] });
    const id = r.stdout.trim();
    if (r.code !== 0 || id === '') {
      const shallow = await this.isShallow();
      const label = (n: string) => `'${safeText(n)}'`;
      throw new UsageError(
        shallow
          ? `${label(names[0])} and ${label(names[1])} have no common history in this shallow clone; fetch the history (git fetch --unshallow, or fetch-depth: 0 in CI) and try again`
          : `${label(names[0])} and ${label(names[1])} have no common history; give a --base that shares history with HEAD (the branch this one was made from)`,
      );
    }
    return id;
  }

  /**
   * A repository file as commit `rev` holds it, or the index when `rev` is null; undefined
   * when it is not there. `file` is repo-relative (never read as an option: the argument
   * starts with the revision or `:`).
   */
  async fileAt(rev: string | null, file: string): Promise<Buffer | undefined> {
    const r = await this.exec(['cat-file', 'blob', `${rev ?? ''}:${file}`], { encoding: 'buffer', allowExit: [1, 128] });
    return r.code === 0 ? r.stdout : undefined;
  }

  /** The content of one blob. */
  async showBlob(blobId: string): Promise<Buffer> {
    if (!/^[0-9a-f]{4,64}$/.test(blobId)) throw new UsageError(`invalid blob id '${blobId}'`);
    return this.run(['cat-file', 'blob', blobId], { encoding: 'buffer' });
  }

  /**
   * Reads many blobs with one `git cat-file --batch`. Objects larger than `maxBytes` (or
   * missing) come back as null content; `type` is git's (`blob`, `commit`, …, `missing`).
   * With `headBytes`, an object larger than `maxBytes` comes with its first `headBytes`
   * bytes as `head` (the rest is skipped, not kept).
   */
  readBlobs(
    ids: string[],
    onObject: (id: string, type: string, content: Buffer | null, size: number, head?: Buffer) => void,
    maxBytes = Number.MAX_SAFE_INTEGER,
    signal?: AbortSignal,
    headBytes = 0,
  ): Promise<void> {
    for (const id of ids) if (!/^[0-9a-f]{4,64}$/.test(id)) throw new UsageError(`invalid object id '${id}'`);
    if (ids.length === 0) return Promise.resolve();
    return catFileBatch(this.root, this.neutralise, ids, onObject, maxBytes, signal, headBytes);
  }

  /**
   * The lines of one blob as git counts them (see countLines), streamed through `git cat-file
   * blob` and never kept: for a text too large to diff, whose old line count the blast-radius
   * rules need. Undefined when it is binary, judged as every side is (looksBinary, with the
   * `path` it has on that side).
   */
  async blobLineCount(id: string, path: string, signal?: AbortSignal): Promise<number | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(id)) throw new UsageError(`invalid blob id '${id}'`);
    let lines = 0;
    let size = 0;
    let last = 10;
    let head = Buffer.alloc(0);
    await this.stream(
      ['cat-file', 'blob', id],
      (chunk) => {
        if (head.length < 8000) head = Buffer.concat([head, chunk.subarray(0, 8000 - head.length)]);
        let at = -1;
        while ((at = chunk.indexOf(10, at + 1)) !== -1) lines++;
        if (chunk.length > 0) last = chunk[chunk.length - 1]!;
        size += chunk.length;
      },
      { signal },
    );
    if (looksBinary(head, path)) return undefined;
    return size > 0 && last !== 10 ? lines + 1 : lines;
  }

  /**
   * The lines a `git diff -U0` patch adds and removes, counted as it streams and never kept:
   * for a text too large to hold whose counts `--numstat` will not give (numstat calls a file
   * with a NUL, or a `-diff` attribute, binary whatever `--text` says). `args` follow `diff`.
   */
  async patchLineCounts(args: string[], opts: Pick<RunOptions, 'env' | 'signal'> = {}): Promise<{ added: number; removed: number }> {
    let added = 0;
    let removed = 0;
    // -U0: a section's body starts at its first `@@` and holds only `+`, `-` and `\` lines; the
    // next `diff --git` ends it. So a line's first byte says what it is.
    let inHunk = false;
    let lineStart = true;
    await this.stream(
      ['diff', '-U0', '--text', ...args],
      (chunk) => {
        let at = 0;
        while (at < chunk.length) {
          if (lineStart) {
            const c = chunk[at]!;
            if (c === 0x40 /* @ */) inHunk = true;
            else if (c === 0x64 /* d */) inHunk = false;
            else if (inHunk && c === 0x2b /* + */) added++;
            else if (inHunk && c === 0x2d /* - */) removed++;
          }
          const nl = chunk.indexOf(10, at);
          if (nl === -1) {
            lineStart = false;
            break;
          }
          at = nl + 1;
          lineStart = true;
        }
      },
      opts,
    );
    return { added, removed };
  }

  /** Sizes of many objects (`git cat-file --batch-check`); missing ones are absent. */
  async objectSizes(ids: string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (ids.length === 0) return sizes;
    for (const id of ids) if (!/^[0-9a-f]{4,64}$/.test(id)) throw new UsageError(`invalid object id '${id}'`);
    const out = await this.run(['cat-file', '--batch-check=%(objectname) %(objectsize)'], { input: ids.map((i) => `${i}\n`).join('') });
    for (const line of out.split('\n')) {
      const m = /^([0-9a-f]+) (\d+)$/.exec(line);
      if (m) sizes.set(m[1]!, Number(m[2]));
    }
    return sizes;
  }

  /**
   * The blob ids git would store for these working-tree files (`git hash-object
   * --stdin-paths`, nothing written): their bytes with line ends and `ident` converted as the
   * repository's config and attributes say, filter drivers off. In the order given.
   */
  async cleanBlobIds(files: readonly string[], signal?: AbortSignal): Promise<string[]> {
    if (files.length === 0) return [];
    const input = files.map((f) => `${stdinPath(f)}\n`).join('');
    const out = await this.run(['-c', 'core.safecrlf=false', 'hash-object', '--stdin-paths'], { input, signal });
    const ids = out.split('\n').filter((l) => l !== '');
    if (ids.length !== files.length || !ids.every((id) => /^[0-9a-f]{40,64}$/.test(id))) {
      throw new GitError('git hash-object failed: unexpected output', 0, '');
    }
    return ids;
  }

  /**
   * The `working-tree-encoding` attribute of these repo-relative paths (one `git check-attr`,
   * paths on stdin), for those that name an encoding; other paths are left out.
   */
  async workingTreeEncodings(files: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (files.length === 0) return found;
    const out = await this.run(['check-attr', '-z', '--stdin', 'working-tree-encoding'], { input: files.map((f) => `${f}\0`).join(''), signal });
    const parts = out.split('\0');
    for (let i = 0; i + 2 < parts.length; i += 3) {
      const value = parts[i + 2]!;
      if (value !== 'unspecified' && value !== 'unset' && value !== 'set' && value !== '') found.set(parts[i]!, value);
    }
    return found;
  }

  /**
   * The blob ids the index holds (stage 0) for these repo-relative paths; a path without one
   * is left out. (The whole index is listed when the paths would make a long command line.)
   */
  async indexBlobs(files: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const wanted = new Set(files);
    const chars = files.reduce((n, f) => n + f.length + 1, 0);
    const out = (await this.run(['ls-files', '-s', '-z', '--full-name', '--', ...(chars <= 24 * 1024 ? files.map((f) => `:(top,literal)${f}`) : [':(top)'])], {
      encoding: 'buffer',
      signal,
    })) as Buffer;
    const ids = new Map<string, string>();
    for (const rec of out.toString('utf8').split('\0')) {
      const m = /^[0-7]{6} ([0-9a-f]{40,64}) 0\t([\s\S]*)$/.exec(rec);
      if (m && wanted.has(m[2]!)) ids.set(m[2]!, m[1]!);
    }
    return ids;
  }

  /** Git's mode and object id of `file` in `commit` (`ls-tree`); undefined when it has no such entry. */
  async entryAt(commit: string, file: string, signal?: AbortSignal): Promise<{ mode: string; id: string } | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
    const out = await this.run(['ls-tree', '-z', '--full-tree', commit, '--', file], { env: { GIT_LITERAL_PATHSPECS: '1' }, signal });
    for (const entry of out.split('\0')) {
      const m = /^(\d{6}) \S+ ([0-9a-f]{40,64})\t(.*)$/s.exec(entry);
      if (m && m[3] === file) return { mode: m[1]!, id: m[2]! };
    }
    return undefined;
  }

  /**
   * The bytes a checkout writes for blob `blob` at `file` (`git cat-file --filters`: line ends
   * and `ident` converted as the repository's config and attributes say); undefined when git
   * cannot say.
   */
  async checkoutBytes(blob: string, file: string, signal?: AbortSignal): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(blob)) return undefined;
    const r = await this.exec(['cat-file', '--filters', `--path=${file}`, blob], { encoding: 'buffer', allowExit: [128], signal });
    return r.code === 0 ? r.stdout : undefined;
  }

  /**
   * The blob ids `git add` stores for these working-tree files, taken from a throw-away copy
   * of the index (the real one is never touched): for a file whose index blob holds a CR,
   * where git's safe CRLF handling (`core.autocrlf`, `text=auto`) stores the bytes as they
   * are, and `hash-object`, which reads no index, would convert them.
   */
  async addedBlobIds(files: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    if (files.length === 0) return ids;
    const dir = await mkdtemp(path.join(tmpdir(), 'specgate-index-'));
    try {
      const index = path.join(dir, 'index');
      if (!(await copyIndexFile(this.indexFile, index))) return ids;
      const env = { ...SCRATCH_INDEX_ENV, GIT_INDEX_FILE: index, GIT_LITERAL_PATHSPECS: '1' };
      // Writing an index runs the post-index-change hook: none is found under /dev/null.
      await this.run(['-c', 'core.hooksPath=/dev/null', '-c', 'core.safecrlf=false', 'add', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        env,
        signal,
        input: files.join('\0') + '\0',
      });
      const wanted = new Set(files);
      for (const entry of (await this.run(['ls-files', '-s', '-z'], { env, signal })).split('\0')) {
        const m = /^\d{6} ([0-9a-f]{40,64}) 0\t([^]*)$/.exec(entry);
        if (m && wanted.has(m[2]!)) ids.set(m[2]!, m[1]!);
      }
      return ids;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The blob id git would store for `bytes` at `file` (see cleanBlobIds). */
  async cleanBlobId(file: string, bytes: Buffer): Promise<string> {
    const id = (await this.run(['-c', 'core.safecrlf=false', 'hash-object', '--stdin', `--path=${file}`], { input: bytes })).trim();
    if (!/^[0-9a-f]{40,64}$/.test(id)) throw new GitError('git hash-object failed: unexpected output', 0, '');
    return id;
  }

  /**
   * The commit `git add` would record for the repository nested at `dir` (repository-relative):
   * its HEAD, read through its own `.git` (a folder or a gitfile), as git reads it, whatever
   * its config says of a work tree (core.bare, core.worktree). `'unborn'` when its HEAD names
   * a branch with no commit yet (git add refuses it); undefined when git cannot read it.
   * Asked without this repository's location variables (a hook's GIT_DIR, GIT_INDEX_FILE…).
   */
  async nestedHead(dir: string): Promise<string | 'unborn' | undefined> {
    const folder = path.join(this.root, dir);
    const gitDir = ['--git-dir', path.join(folder, '.git')];
    const opts = { allowExit: [1, 128], unsetEnv: REPOSITORY_ENV };
    const r = await execGit(folder, [], [...gitDir, 'rev-parse', '--verify', '--quiet', '--end-of-options', 'HEAD^{commit}'], opts).catch(() => undefined);
    const id = String(r?.stdout ?? '').trim();
    if (r?.code === 0 && /^[0-9a-f]{40,64}$/.test(id)) return id;
    const unborn = await execGit(folder, [], [...gitDir, 'symbolic-ref', '--quiet', 'HEAD'], opts).catch(() => undefined);
    return unborn?.code === 0 ? 'unborn' : undefined;
  }


  /**
   * Whether git records the executable bit of work-tree files (`core.fileMode`, true unless
   * set false, as on Windows and FAT/NTFS/SMB mounts). When it does not, `git add` records a
   * new file as 100644 whatever its bit on disk. Asked once, and only when needed.
   */
  trustsExecutableBit(): Promise<boolean> {
    this.fileModeAsked ??= this.exec(['config', '--type=bool', '--get', 'core.fileMode'], { allowExit: [1, 128] }).then((r) => !(r.code === 0 && r.stdout.trim() === 'false'));
    return this.fileModeAsked;
  }

  private fileModeAsked: Promise<boolean> | undefined;

  /** `user.email` from git config, or undefined. */
  async userEmail(): Promise<string | undefined> {
    return this.configValue('user.email');
  }

  /** `user.name` from git config, or undefined. */
  async userName(): Promise<string | undefined> {
    return this.configValue('user.name');
  }

  /** One config value (`git config --get KEY`), or undefined when unset. */
  async configValue(key: string): Promise<string | undefined> {
    const r = await this.exec(['config', '--get', '--end-of-options', key], { allowExit: [1] });
    const v = r.stdout.replace(/\n$/, '');
    return r.code === 0 ? v : undefined;
  }
}
