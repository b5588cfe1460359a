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
// A hook with the marker that is not byte for byte a script SpecGate writes (`hookScript` for
// the `SPECGATE_CLI=`/`SPECGATE_NODE=` values it holds, or the npx form) has edits of the
// user's own: install replaces it only with --force (kept as a backup like a foreign hook, so
// uninstall puts it back), and uninstall removes it only with --force, after keeping it beside
// as `pre-commit.specgate-edited` (then `-2`, `-3`, …; never over a file there).
// husky (v9) points core.hooksPath at `.husky/_`, a folder it writes again on every `npm
// install`: a gate put there would be gone after the next one, and replacing husky's hook there
// stops the user's `.husky/pre-commit` running. Install refuses that folder, --force or not,
// naming `.husky/pre-commit` as the file to add the gate's line to.
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
export const EDITED_SUFFIX = '.specgate-edited';
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
  /**
   * `gated`: install found a hook SpecGate did not write that runs the gate already, and left
   * it; `foreign`: uninstall found one that does not run it (no gate to remove), and left it.
   */
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent' | 'gated' | 'foreign';
  /** Where a foreign or edited hook was moved (install --force). */
  backup?: string;
  /** Uninstall --force of a SpecGate hook with the user's edits: where the edited hook was kept. */
  edited?: string;
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

/** The gate where the CLI's path is unknown (SpecGate installed as an npm package). */
const NPX_GATE = 'npx --no-install specgate verify --staged';

/** What a gate whose CLI is gone says (see hookScript). */
const GONE = `The pre-commit gate cannot run: SpecGate's CLI is no longer at $SPECGATE_CLI (a clone moved, or an update of the extension removed it). Run 'specgate hook install', or SpecGate: Install Pre-commit Gate in VS Code, again.`;

/** The hook script: verify the staged change, and say what to do when it is refused. */
export function hookScript(cliPath: string | undefined, nodePath: string): string {
  // Where the CLI it names is gone (a clone moved, or an extension folder an update of the
  // extension removed), the gate does not run npx, which asks the npm registry and fails with
  // exit 1, read as "not approved": it says what happened and how to mend it.
  return cliPath ? scriptAround([...runCli(cliPath, nodePath), 'else', `  echo "specgate: ${GONE}" >&2`, '  exit 2', 'fi'], CLI_REFUSAL) : scriptAround([NPX_GATE]);
}

/** What a refused commit is told to do: the general words, for a gate run through npx. */
const REFUSAL = "specgate: commit refused. Run 'specgate bundle --staged', have a trusted reviewer run 'specgate approve <bundle> --key <their key>', then commit again.";

/**
 * The same for a gate that names its CLI: the editor's commands, and the CLI as it can be run
 * here (a user of the extension has no `specgate` on the PATH).
 */
const CLI_REFUSAL =
  'specgate: commit refused. Have the staged change reviewed: SpecGate: Export Review Bundle in VS Code (or node \\"$SPECGATE_CLI\\" bundle --staged), ' +
  'then a trusted reviewer approves it with SpecGate: Approve Review Packet (or node \\"$SPECGATE_CLI\\" approve <bundle> --key <their key>); then commit again.';

/** The hook's lines that run the CLI it names, up to the `else` of a CLI that is gone. */
function runCli(cliPath: string, nodePath: string): string[] {
  return [
    `SPECGATE_CLI=${shQuote(cliPath)}`,
    `SPECGATE_NODE=${shQuote(nodePath)}`,
    'if [ ! -x "$SPECGATE_NODE" ]; then SPECGATE_NODE=node; fi',
    'if [ -f "$SPECGATE_CLI" ]; then',
    '  # verify opens no network connection: node need not first parse the certificates NODE_EXTRA_CA_CERTS names.',
    '  NODE_EXTRA_CA_CERTS= "$SPECGATE_NODE" "$SPECGATE_CLI" verify --staged',
  ];
}

function scriptAround(run: string[], refusal = REFUSAL): string {
  return [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Installed by `specgate hook install`; `specgate hook uninstall` removes it.',
    '# Lets a commit through only when a trusted reviewer signed an approval of exactly',
    '# the staged content.',
    ...run,
    'status=$?',
    'if [ "$status" -eq 1 ]; then',
    `  echo "${refusal}" >&2`,
    'elif [ "$status" -ne 0 ]; then',
    '  echo "specgate: commit refused: specgate verify could not run (see above)." >&2',
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
}

/**
 * The scripts earlier versions of SpecGate wrote for a CLI path: a hook still as one of them
 * wrote it is not the user's, and install updates it (uninstall removes it) as its own.
 */
function earlierScripts(cliPath: string, nodePath: string): string[] {
  return [
    // Until 2026-11-25: npx when the CLI was gone.
    scriptAround([...runCli(cliPath, nodePath), 'else', `  ${NPX_GATE}`, 'fi']),
    // Until 2026-11-25 (session 28): the refusal named only the `specgate` command.
    scriptAround([...runCli(cliPath, nodePath), 'else', `  echo "specgate: ${GONE}" >&2`, '  exit 2', 'fi']),
  ];
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
  /** What to do when `dir` lies in the work tree (not in the git folder): a hooks folder of its own. */
  ownFolderFix?: string;
  /** `dir` lies in the work tree, outside the git folder: a hook there is a file of the repository. */
  inWorkTree?: boolean;
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
  const commonDir = path.resolve(git.root, commonRel);
  if (!setting) {
    // git's default folder, but a link to a folder elsewhere is shared as much as a
    // core.hooksPath naming that folder would be.
    const real = await realpathOfNearest(dir);
    const ownPlaces = await Promise.all([git.root, commonDir, gitDir].map(realpathOfNearest));
    if (ownPlaces.some((p) => isInside(p, real))) return { dir };
    return {
      dir,
      shared: `the hooks folder ${shownPath(dir)} is a link to ${shownPath(real)}, outside this repository, where other repositories may use it too`,
      fix: `to gate only this repository, replace the link with a folder of its own (the hooks in ${shownPath(real)} then no longer run for it) and install the gate again`,
    };
  }
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
  const [rootReal, commonReal, gitDirReal] = ownPlaces as [string, string, string];
  if (isInside(rootReal, real) && !isInside(commonReal, real) && !isInside(gitDirReal, real)) {
    return { dir, inWorkTree: true, ownFolderFix: `git config --local core.hooksPath ${shownPath(shWord(path.join(commonDir, 'hooks')))}` };
  }
  return { dir };
}

/**
 * Whether a hook that SpecGate did not write runs the gate already: a line, not a comment,
 * that runs `verify --staged` of specgate or of a `cli.js` (the line install asks for, in any
 * of its forms), not after an `exit`, not printed, and not with its refusal swallowed. (A
 * shell script can hide a line in more ways than these; CI's verify is the gate that counts.)
 */
function runsGate(text: string): boolean {
  for (const l of text.split('\n')) {
    if (/^\s*#/.test(l)) continue;
    // A hook that exits before the line never runs it.
    if (/^\s*exit\b/.test(l)) return false;
    if (!/specgate|\bcli\.js\b/i.test(l) || !/\sverify\s/.test(l) || !/\s--staged\b/.test(l)) continue;
    // Printed, or its refusal swallowed (`|| true`, `|| :`, `; exit 0`): no gate.
    if (/^\s*(?:echo|printf)\b/.test(l) || /\|\|\s*(?:true|:|exit\s+0)\b|;\s*(?:exit\s+0|true)\s*$/.test(l)) continue;
    return true;
  }
  return false;
}

/** Whether a hook SpecGate did not write runs SpecGate: the gate line install asks for, or any line naming specgate. */
function runsSpecGate(text: string): boolean {
  return runsGate(text) || /specgate/i.test(text);
}

function runsItself(file: string): UsageError {
  return new UsageError(`${shownPath(file)} was not written by SpecGate, though it runs specgate; left as it is: to drop the gate, delete its specgate line yourself`);
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st) return undefined;
  return readFile(file).catch(() => Buffer.alloc(0));
}

/** Whether a hook carries SpecGate's marker (it may still hold the user's edits: see isUnedited). */
function isOurs(text: string): boolean {
  return text.split('\n').slice(0, 5).includes(HOOK_MARKER);
}

/** The value of a `NAME='…'` line of a hook SpecGate wrote (as shQuote wrote it). */
function quotedValue(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}=('(?:[^']|'\\\\'')*')$`, 'm').exec(text);
  return m ? m[1]!.slice(1, -1).split(`'\\''`).join(`'`) : undefined;
}

/**
 * Whether a hook is byte for byte a script SpecGate writes, for the CLI and node it names or
 * in the npx form; a marked hook that is not has lines of the user's own, which a rewrite
 * would lose.
 */
function isUnedited(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  const cli = quotedValue(text, 'SPECGATE_CLI');
  const node = quotedValue(text, 'SPECGATE_NODE');
  const candidates = [hookScript(undefined, '')];
  if (cli !== undefined && node !== undefined) candidates.push(hookScript(cli, node), ...earlierScripts(cli, node));
  return candidates.some((script) => Buffer.from(script, 'utf8').equals(bytes));
}

/**
 * The `.husky` folder when `dir` is the hooks folder husky (v9) writes again on every `npm
 * install`: `_` inside `.husky`, or a `_` holding husky's `h` (or older `husky.sh`) helper for
 * a husky folder of another name. Only a folder named `_`: husky 4 put its `husky.sh` in
 * `.git/hooks`, whose parent holds no hooks.
 */
async function huskyFolder(dir: string): Promise<string | undefined> {
  if (path.basename(dir) !== '_') return undefined;
  const parent = path.dirname(dir);
  if (path.basename(parent) === '.husky') return parent;
  for (const helper of ['h', 'husky.sh']) {
    if ((await lstat(path.join(dir, helper)).catch(() => undefined))?.isFile()) return parent;
  }
  return undefined;
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
  return numberedName(file, BACKUP_SUFFIX, n);
}

/** The n-th name of a kept hook: `<file><suffix>`, then `<file><suffix>-2`, `-3`, …. */
function numberedName(file: string, suffix: string, n: number): string {
  return `${file}${suffix}${n === 1 ? '' : `-${n}`}`;
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

function tooManyCopies(file: string): UsageError {
  return new UsageError(`too many copies of ${shownPath(file)}; remove old ${shownPath(path.basename(file))}${EDITED_SUFFIX}* files`);
}

/** The name the copy of an edited hook would take now: the first free one. */
async function freeEditedName(file: string): Promise<string> {
  for (let n = 1; n <= MAX_BACKUPS; n++) {
    const name = numberedName(file, EDITED_SUFFIX, n);
    if (!(await lstat(name).catch(() => undefined))) return name;
  }
  throw tooManyCopies(file);
}

/** Keeps the hook `file` under the first free edited-copy name (never over a file there); returns that name. */
async function keepEdited(file: string): Promise<string> {
  for (let n = 1; n <= MAX_BACKUPS; n++) {
    const name = numberedName(file, EDITED_SUFFIX, n);
    try {
      await linkNew(file, name);
      // The copy is on disk before the hook goes.
      await syncFolder(path.dirname(file));
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw tooManyCopies(file);
}

/** Writes (or updates) the pre-commit hook. */
export async function installHook(o: HookOptions): Promise<HookResult> {
  const git = await Git.open(o.cwd);
  const folder = await hooksFolder(git);
  const { dir, shared, fix } = folder;
  if (shared !== undefined) throw new UsageError(`not installing the pre-commit gate: ${shared}; ${fix}`);
  const cliPath = o.cliPath ?? runningCli();
  const nodePath = o.nodePath ?? process.execPath;
  const husky = await huskyFolder(dir);
  if (husky !== undefined) {
    // The hook husky runs from its generated one: done when the line asked for below is in it.
    const userHook = path.join(husky, 'pre-commit');
    const theirs = await readIfExists(userHook);
    if (!o.force && theirs !== undefined && runsGate(theirs.toString('utf8'))) return { path: userHook, action: 'gated' };
    throw new UsageError(
      `not installing the pre-commit gate in ${shownPath(dir)}: husky writes that folder again on every npm install; ` +
        `to gate commits, add the line \`${shownPath(gateCommand(cliPath, nodePath))} || exit 1\` to ${shownPath(path.join(husky, 'pre-commit'))} ` +
        `(create it if there is none), which husky runs; --force does not write into husky's folder either (see docs/ci.md)`,
    );
  }
  const file = path.join(dir, 'pre-commit');
  const existing = await readIfExists(file);
  // A hook SpecGate did not write, or its own with lines the user added: replaced only when
  // forced, and then kept as a backup that uninstall puts back.
  const kind = existing === undefined ? undefined : !isOurs(existing.toString('utf8')) ? 'foreign' : isUnedited(existing) ? undefined : 'edited';
  // Another tool's hook that already runs the gate (the line asked for below, added): done.
  if (kind === 'foreign' && !o.force && runsGate(existing!.toString('utf8'))) return { path: file, action: 'gated' };
  // A hooks folder in the work tree (`core.hooksPath .githooks`) holds files of the
  // repository: the hook, which names this machine's node and CLI, would be a file of every
  // change (outside the scope, protected) and of the next `git add -A`. Unless git ignores it
  // (or it is SpecGate's hook there already, put there with --force: then it is updated).
  if (folder.inWorkTree && !o.force && !(existing !== undefined && kind === undefined)) {
    const rel = path.relative(git.root, file).split(path.sep).join('/');
    const ignored = (await git.exec(['check-ignore', '-q', '--', rel], { allowExit: [1, 128] })).code === 0;
    if (!ignored) {
      throw new UsageError(
        `not installing the pre-commit gate in ${shownPath(dir)}: that hooks folder is in the work tree and git does not ignore it, so the hook, which names this machine's node and CLI, ` +
          `would be a file of every change and of the next commit; to gate every clone, add the line \`${NPX_GATE} || exit 1\` to ${shownPath(rel)} and commit it, ` +
          `or give this repository a hooks folder of its own with ${folder.ownFolderFix} and install the gate again (--force writes it there anyway)`,
      );
    }
  }
  let backup: string | undefined;
  if (kind !== undefined) {
    const next = await nextBackupName(file);
    if (!o.force) {
      // A hook manager's hook (husky, pre-commit) runs the team's other checks: replacing it
      // stops them, so first say how to add the gate to it.
      const line = `\`${shownPath(gateCommand(cliPath, nodePath))} || exit 1\``;
      throw new UsageError(
        kind === 'edited'
          ? `${shownPath(file)} is SpecGate's hook with edits of your own; to keep them, leave it as it is, with its verify lines (or the line ${line}) still in it to gate commits, ` +
              `or pass --force to replace it (the edited hook is kept as ${shownPath(path.basename(next))}, and specgate hook uninstall puts it back)`
          : `${shownPath(file)} exists and was not written by SpecGate; to keep it running, add the line ${line} to it ` +
              `(or to your hook manager's configuration; see docs/ci.md), or pass --force to replace it (the old hook is kept as ${shownPath(path.basename(next))} and no longer runs)`,
      );
    }
    backup = next;
  }
  const script = hookScript(cliPath, nodePath);
  // The very hook this install would write: nothing to do (and nothing to say was updated).
  if (existing !== undefined && kind === undefined && existing.equals(Buffer.from(script, 'utf8'))) return { path: file, action: 'unchanged' };
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
 * The pre-commit gate of the repository at `cwd` when it is SpecGate's own hook, as SpecGate
 * wrote it, and the CLI it names is gone (a clone moved, an update of the extension removed
 * the folder): every commit is refused until it is installed again. Undefined otherwise, or
 * when the hooks folder cannot be read.
 */
export async function staleGate(cwd: string): Promise<{ path: string; cli: string } | undefined> {
  try {
    const git = await Git.open(cwd);
    const { dir } = await hooksFolder(git);
    const file = path.join(dir, 'pre-commit');
    const bytes = await readIfExists(file);
    if (bytes === undefined || !isOurs(bytes.toString('utf8')) || !isUnedited(bytes)) return undefined;
    const cli = quotedValue(bytes.toString('utf8'), 'SPECGATE_CLI');
    if (cli === undefined || (await lstat(cli).catch(() => undefined)) !== undefined) return undefined;
    return { path: file, cli };
  } catch {
    return undefined;
  }
}

/**
 * Removes the pre-commit hook if SpecGate wrote it and puts back the newest backup (the hook
 * the last forced install replaced); older backups stay where they are. A SpecGate hook with
 * the user's edits goes only when forced, after a copy of it is kept beside it.
 */
export async function uninstallHook(o: HookOptions): Promise<HookResult> {
  const git = await Git.open(o.cwd);
  const { dir, shared } = await hooksFolder(git);
  // Under husky, the hook of the user's own is the one husky's generated hook runs.
  const husky = await huskyFolder(dir);
  const userHook = husky !== undefined ? path.join(husky, 'pre-commit') : undefined;
  const theirs = userHook !== undefined ? await readIfExists(userHook) : undefined;
  if (userHook !== undefined && theirs !== undefined && runsSpecGate(theirs.toString('utf8'))) throw runsItself(userHook);
  const file = path.join(dir, 'pre-commit');
  const bytes = await readIfExists(file);
  if (bytes === undefined) return { path: userHook ?? file, action: 'absent' };
  const existing = bytes.toString('utf8');
  if (!isOurs(existing)) {
    // Another tool's hook (husky, pre-commit, a hand-written one): not ours to delete. When it
    // runs SpecGate itself, the gate lives in that file, and only an edit there removes it.
    // Without one, there is no gate to remove: done, as with no hook at all.
    if (!runsSpecGate(existing)) return { path: file, action: 'foreign' };
    throw runsItself(file);
  }
  let edited: string | undefined;
  if (!isUnedited(bytes)) {
    if (!o.force) {
      throw new UsageError(
        `${shownPath(file)} is SpecGate's hook with edits of your own; left as it is: to drop the gate, delete its specgate lines yourself, ` +
          `or pass --force to remove it (the edited hook is kept as ${shownPath(path.basename(await freeEditedName(file)))})`,
      );
    }
    try {
      edited = await keepEdited(file);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot keep a copy of ${file}, so it was left as it is: ${(err as Error).message}`);
    }
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
  if (edited !== undefined) result.edited = edited;
  if (newest !== undefined) result.restored = newest;
  if (backups.length > 0) result.kept = backups;
  if (shared !== undefined) result.shared = shared;
  return result;
}
