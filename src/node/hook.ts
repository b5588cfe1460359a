// `specgate hook install|uninstall`: the pre-commit gate. The hook runs
// `specgate verify --staged` (the running CLI by absolute path, else `npx specgate`), is
// recognised by a marker line, and never replaces a hook SpecGate did not write unless
// forced. Forced, it moves the old hook aside as a backup: `pre-commit.specgate-backup`,
// then `pre-commit.specgate-backup-2`, `-3`, … (each install takes the number after the
// highest there). The backups are a stack: uninstall puts back the newest one, the hook that
// was in place just before the last forced install, and leaves the older ones where they are.
// The hook goes only into a hooks folder of this repository's own: a `core.hooksPath` set in
// the global or system config to an absolute path, or one (from any config) outside the work
// tree and the git folder, is a folder other repositories run hooks from too, and install
// refuses it in one line that says how to give this repository its own.
// The new hook is written to a hidden file beside it (`.pre-commit.specgate-partial-<pid>-<6
// hex>`, flushed to disk) and renamed into place: a hook by that name is always whole. Where
// there was no hook, it takes the name only if still free (a hard link, which never replaces),
// and a backup is made the same way, so a hook or a backup that appears meanwhile is never
// replaced. A killed install leaves at most the hidden file; the next install removes it.
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, readdir, readFile, realpath, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { shownPath } from '../core/edits';
import { UsageError } from '../core/model';
import { copyNewFile, syncFolder, writeNewFile } from './durable';
import { makeFolders } from './folders';
import { removeStalePartials } from './partials';
import { Git } from './git';
import { isWithin as isInside } from './within';

export const HOOK_MARKER = '# specgate-pre-commit-hook v1';
export const BACKUP_SUFFIX = '.specgate-backup';
const MAX_BACKUPS = 100;

export interface HookOptions {
  cwd: string;
  force?: boolean;
  /** The CLI to run from the hook; default: this process's dist/cli.js when it is one. */
  cliPath?: string;
  /** The node binary to run it with; default: this process's. */
  nodePath?: string;
}

export interface HookResult {
  path: string;
  action: 'installed' | 'updated' | 'removed' | 'absent';
  /** Where a foreign hook was moved (install --force). */
  backup?: string;
  /** The backup put back on uninstall (the newest one). */
  restored?: string;
  /** Older backups, left in place on uninstall, oldest first. */
  kept?: string[];
  /**
   * Uninstall only: the hook was in a hooks folder other repositories use too (put there by
   * an older SpecGate), so none of them runs the gate any more; says where that folder is set.
   */
  shared?: string;
}

/** A single-quoted sh word. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook script: verify the staged change, and say what to do when it is refused. */
/** The gate where the CLI's path is unknown (SpecGate installed as an npm package). */
const NPX_GATE = 'npx --no-install specgate verify --staged';

export function hookScript(cliPath: string | undefined, nodePath: string): string {
  const run = cliPath
    ? [
        `SPECGATE_CLI=${shQuote(cliPath)}`,
        `SPECGATE_NODE=${shQuote(nodePath)}`,
        'if [ ! -x "$SPECGATE_NODE" ]; then SPECGATE_NODE=node; fi',
        'if [ -f "$SPECGATE_CLI" ]; then',
        '  # verify opens no network connection: node need not first parse the certificates NODE_EXTRA_CA_CERTS names.',
        '  NODE_EXTRA_CA_CERTS= "$SPECGATE_NODE" "$SPECGATE_CLI" verify --staged',
        'else',
        `  ${NPX_GATE}`,
        'fi',
      ]
    : [NPX_GATE];
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Installed by `specgate hook install`; `specgate hook uninstall` removes it.',
    '# Lets a commit through only when a trusted reviewer signed an approval of exactly',
    '# the staged content.',
    ...run,
    'status=$?',
    'if [ "$status" -eq 1 ]; then',
    '  echo "specgate: commit refused. Run \'specgate bundle --staged\', have a trusted reviewer run \'specgate approve <bundle> --key <their key>\', then commit again." >&2',
    'elif [ "$status" -ne 0 ]; then',
    '  echo "specgate: commit refused: specgate verify could not run (see above)." >&2',
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
}

/** The CLI executable this process runs from, when it is the built `cli.js` (or the bundle it loads). */
function runningCli(): string | undefined {
  const self = typeof __filename === 'string' ? __filename : undefined;
  if (!self) return undefined;
  if (path.basename(self) === 'cli-main.js') return path.join(path.dirname(self), 'cli.js');
  return path.basename(self) === 'cli.js' ? self : undefined;
}

/** A word for a shell command shown to the user: quoted only when it has to be. */
function shWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : shQuote(s);
}

/** The shell command that runs the gate, for a hook SpecGate did not write. */
function gateCommand(cliPath: string | undefined, nodePath: string): string {
  return cliPath ? `${shWord(nodePath)} ${shWord(cliPath)} verify --staged` : NPX_GATE;
}

/** `p` with every symbolic link in the part of it that exists resolved. */
async function realpathOfNearest(p: string): Promise<string> {
  const rest: string[] = [];
  for (let at = p; ; at = path.dirname(at)) {
    const real = await realpath(at).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...rest.reverse());
    if (path.dirname(at) === at) return p;
    rest.push(path.basename(at));
  }
}


/** The hooks folder git runs hooks from, and why it is not this repository's own (if it is not). */
interface HooksFolder {
  dir: string;
  /** Set when other repositories may run hooks from `dir` too: why, naming where core.hooksPath is set. */
  shared?: string;
  /** What to do to gate only this repository then. */
  fix?: string;
}

async function hooksFolder(git: Git): Promise<HooksFolder> {
  const line = async (args: string[]) => (await git.run(args)).replace(/\n$/, '');
  const [rel, commonRel, gitDir] = await Promise.all([
    line(['rev-parse', '--git-path', 'hooks']),
    line(['rev-parse', '--git-common-dir']),
    line(['rev-parse', '--absolute-git-dir']),
  ]);
  const dir = path.resolve(git.root, rel);
  let setting: { scope: string; origin: string; value: string } | undefined;
  try {
    const r = await git.exec(['config', '-z', '--show-origin', '--show-scope', '--get', 'core.hooksPath'], { allowExit: [1] });
    if (r.code === 0) {
      const [scope = '', origin = '', value = ''] = r.stdout.split('\0');
      setting = { scope, origin: origin.replace(/^file:/, ''), value };
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`cannot tell where core.hooksPath is set (${why}); the pre-commit gate needs git 2.26 or newer`);
  }
  if (!setting) return { dir };
  const commonDir = path.resolve(git.root, commonRel);
  const own = setting.scope === 'local' || setting.scope === 'worktree';
  // Shown on one line, whatever a repository's config holds.
  const where = own ? `in this repository's git config` : `in ${shownPath(setting.origin)} (${shownPath(setting.scope)} git config)`;
  const fix =
    `to gate only this repository, give it a hooks folder of its own with ` +
    `git config --local core.hooksPath ${shownPath(shWord(path.join(commonDir, 'hooks')))} ` +
    `(the hooks in ${shownPath(dir)} then no longer run for it) and install the gate again`;
  // An absolute path from a config every repository reads names one folder for all of them;
  // a relative one is resolved in each work tree, so it is this repository's own folder.
  if (!own && (path.isAbsolute(setting.value) || setting.value.startsWith('~'))) {
    return { dir, shared: `core.hooksPath is set to ${shownPath(setting.value)} ${where}, a hooks folder that every repository reading that config uses`, fix };
  }
  const real = await realpathOfNearest(dir);
  const ownPlaces = await Promise.all([git.root, commonDir, gitDir].map(realpathOfNearest));
  if (!ownPlaces.some((p) => isInside(p, real))) {
    return { dir, shared: `the hooks folder ${shownPath(dir)} (core.hooksPath ${where}) lies outside this repository, where other repositories may use it too`, fix };
  }
  return { dir };
}

async function readIfExists(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st) return undefined;
  return readFile(file, 'utf8').catch(() => '');
}

function isOurs(text: string): boolean {
  return text.split('\n').slice(0, 5).includes(HOOK_MARKER);
}

interface Backup {
  n: number;
  path: string;
}

/** The backups of `file` (`<file>.specgate-backup` is 1, then `-2`, `-3`, …), oldest (lowest number) first. */
async function backupsOf(file: string): Promise<Backup[]> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}${BACKUP_SUFFIX}`;
  const found: Backup[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = name === prefix ? ['', '1'] : name.startsWith(`${prefix}-`) ? /^([2-9]|[1-9]\d{1,8})$/.exec(name.slice(prefix.length + 1)) : null;
    if (m) found.push({ n: Number(m[1]), path: path.join(dir, name) });
  }
  return found.sort((a, b) => a.n - b.n);
}

/** The name for a new backup: the number after the newest backup's, so the newest is always the highest. */
async function nextBackupName(file: string): Promise<string> {
  const n = ((await backupsOf(file)).pop()?.n ?? 0) + 1;
  if (n > MAX_BACKUPS) throw new UsageError(`too many backups of ${file}; remove old ${path.basename(file)}${BACKUP_SUFFIX}* files`);
  return `${file}${BACKUP_SUFFIX}${n === 1 ? '' : `-${n}`}`;
}

/** The writer's process id when a name is that of a hook being installed (see installHook). */
function partialHookName(name: string): { pid: number } | undefined {
  const m = /^\.pre-commit\.specgate-partial-([1-9][0-9]{0,9})-[0-9a-f]{6}$/.exec(name);
  return m ? { pid: Number(m[1]) } : undefined;
}

/**
 * Gives the file `from` the new name `to` as well, failing with EEXIST when `to` exists (a
 * hard link never replaces). Where the file system has no hard links, a copy made with the
 * same rule.
 */
async function linkNew(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    await copyNewFile(from, to);
  }
}

/** Writes (or updates) the pre-commit hook. */
export async function installHook(o: HookOptions): Promise<HookResult> {
  const git = await Git.open(o.cwd);
  const { dir, shared, fix } = await hooksFolder(git);
  if (shared !== undefined) throw new UsageError(`not installing the pre-commit gate: ${shared}; ${fix}`);
  const file = path.join(dir, 'pre-commit');
  const existing = await readIfExists(file);
  const cliPath = o.cliPath ?? runningCli();
  const nodePath = o.nodePath ?? process.execPath;
  let backup: string | undefined;
  if (existing !== undefined && !isOurs(existing)) {
    const next = await nextBackupName(file);
    if (!o.force) {
      // A hook manager's hook (husky, pre-commit) runs the team's other checks: replacing it
      // stops them, so first say how to add the gate to it.
      throw new UsageError(
        `${shownPath(file)} exists and was not written by SpecGate; to keep it running, add the line \`${shownPath(gateCommand(cliPath, nodePath))} || exit 1\` to it ` +
          `(or to your hook manager's configuration; see docs/ci.md), or pass --force to replace it (the old hook is kept as ${shownPath(path.basename(next))} and no longer runs)`,
      );
    }
    backup = next;
  }
  const script = hookScript(cliPath, nodePath);
  let temp: string | undefined;
  try {
    await makeFolders(dir);
    await removeStalePartials(dir, partialHookName, 'file');
    temp = path.join(dir, `.pre-commit.specgate-partial-${process.pid}-${randomBytes(3).toString('hex')}`);
    await writeNewFile(temp, script);
    await chmod(temp, 0o755);
    if (existing === undefined) {
      await linkNew(temp, file);
      await rm(temp, { force: true });
    } else {
      if (backup) await linkNew(file, backup);
      await rename(temp, file);
    }
    temp = undefined;
    await syncFolder(dir);
  } catch (err) {
    if (temp !== undefined) await rm(temp, { force: true }).catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const taken = (err as { dest?: string }).dest ?? file;
      throw new UsageError(`${taken} appeared while the hook was being installed; nothing was replaced; run specgate hook install again`);
    }
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
  const result: HookResult = { path: file, action: existing !== undefined && !backup ? 'updated' : 'installed' };
  if (backup) result.backup = backup;
  return result;
}

/**
 * Removes the pre-commit hook if SpecGate wrote it and puts back the newest backup (the hook
 * the last forced install replaced); older backups stay where they are.
 */
export async function uninstallHook(o: HookOptions): Promise<HookResult> {
  const git = await Git.open(o.cwd);
  const { dir, shared } = await hooksFolder(git);
  const file = path.join(dir, 'pre-commit');
  const existing = await readIfExists(file);
  if (existing === undefined) return { path: file, action: 'absent' };
  if (!isOurs(existing)) {
    // Another tool's hook (husky, pre-commit, a hand-written one): not ours to delete. When it
    // runs SpecGate itself, the gate lives in that file, and only an edit there removes it.
    const runsGate = /specgate/i.test(existing);
    throw new UsageError(
      runsGate
        ? `${shownPath(file)} was not written by SpecGate, though it runs specgate; left as it is: to drop the gate, delete its specgate line yourself`
        : `${shownPath(file)} was not written by SpecGate, so there is no SpecGate hook to remove; left as it is`,
    );
  }
  const backups = (await backupsOf(file)).map((b) => b.path);
  const newest = backups.pop();
  try {
    // Renaming over our hook replaces it in one step; without a backup, just remove it.
    if (newest !== undefined) await rename(newest, file);
    else await rm(file);
  } catch (err) {
    throw new UsageError(`cannot remove ${file}: ${(err as Error).message}`);
  }
  const result: HookResult = { path: file, action: 'removed' };
  if (newest !== undefined) result.restored = newest;
  if (backups.length > 0) result.kept = backups;
  if (shared !== undefined) result.shared = shared;
  return result;
}
