// The glue the CLI and the extension both call: open the repository, find and load the
// specs, pick one, read the config, collect the change set, hash the spec files, analyse.
import { lstat, readFile, readlink, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { analyze, readsText } from '../core/analyze';
import { registryHosts } from '../core/dangers';
import { isPackageJsonLockfile, packageJsonWorkspaces, pnpmWorkspaces, type Workspaces } from '../core/lockfiles';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type Config } from '../core/config';
import { ignoredReason, ignoringGlobs, isDefaultIgnoreList, leftOutByBoth } from '../core/ignoreSpecs';
import { NoSpecChosen, UsageError, type ChangeSet, type Report, type Spec } from '../core/model';
import { frontMatterDeclaresScope } from '../core/spec/frontmatter';
import { parseSpec, type SpecFileText } from '../core/spec/parse';
import { isArchivedChange, resolveSpec, specOfFolder } from '../core/spec/resolve';
import type { NearMissSpec, SpecCandidate } from '../core/spec/detect';
import { safePath, safeText, someOf } from '../core/render/text';
import { collectChangeSet, trackCacheWrite } from './changeset';
import { Git } from './git';
import { discoverSpecs, discoverSpecsAndNearMisses, discoverStagedSpecs, loadSpecs, nearMissText, specsOutsideSparseCheckout, stagedProblems, stagedReader, WorktreeSpecFiles, type IgnoreTest, type SpecIgnore, type StagedSpecs } from './specs';
import { openSpecCache, parseCached, runningBuild, saveSpecCache, SPEC_CACHE_NAME } from './specCache';
import { mark } from './timings';

export { CONFIG_PATH };
const MAX_CONFIG_BYTES = 256 * 1024;

export interface AnalyzeRepositoryOptions {
  /** Any folder inside the repository. */
  cwd: string;
  /** The repository, already opened at `cwd` (else it is opened here). */
  git?: Git;
  /** Spec id or unique folder name; default: the only spec, or the one the branch names. */
  spec?: string;
  /** Compare from the merge base of this revision and HEAD to the working tree. */
  base?: string;
  /** Compare the index with HEAD. */
  staged?: boolean;
  /** Protected globs from outside the repository config (editor settings). */
  extraProtected?: string[];
  /**
   * Use the caches in the git folder: changes (diffcache.ts) and, in the CLI, parsed specs
   * (specCache.ts); `SPECGATE_NO_CACHE=1` turns them off (see usesCaches). Only for what
   * informs (check, the editor): anything in the repository can write those files, so
   * bundles, approvals and verify never read them.
   */
  useCache?: boolean;
  /** Aborting stops the analysis and kills its git processes; the call then rejects with an AbortError. */
  signal?: AbortSignal;
}

export interface RepositoryAnalysis {
  report: Report;
  spec: Spec;
  specs: Spec[];
  git: Git;
  changeSet: ChangeSet;
  config: Config;
  /**
   * The bytes of the spec's files the report was made from (those over 2 MB left out): as
   * the index holds them with `staged`, else as read once from the working tree, parsed
   * and hashed for the digest. A bundle copies these, never the files as they are by then.
   */
  specContents: ReadonlyMap<string, Buffer>;
  /** The blob ids the digest binds the spec's files by (as git stores them). */
  specBlobs: Readonly<Record<string, string>>;
  /** The spec as the base has it (see AnalyzeOptions.baseSpec); the spec itself when the change leaves it alone. */
  baseSpec?: Spec;
  /** Set when the base has none of the spec's files: the change creates the spec (see AnalyzeOptions.specIsNew). */
  specIsNew?: boolean;
  /** The workspace members of each changed npm/yarn/pnpm lockfile's folder at the base (see AnalyzeOptions.workspaces). */
  workspaces?: Workspaces;
  /** Registry hosts the base's configs beside those lockfiles name (see AnalyzeOptions.registries). */
  registries?: ReadonlySet<string>;
  /**
   * Folders in the work tree laid out almost as a spec, which SpecGate does not read
   * (`specs/feature-x/` without spec-kit's number); none are looked for with `staged`.
   */
  nearMisses: NearMissSpec[];
}

function defaultConfig(): Config {
  return { ...DEFAULT_CONFIG, thresholds: { ...DEFAULT_CONFIG.thresholds }, protected: [], severity: {}, ignoreSpecs: [...DEFAULT_CONFIG.ignoreSpecs] };
}

function parseConfigBytes(bytes: Buffer, where: string): Config {
  if (bytes.length > MAX_CONFIG_BYTES) throw new UsageError(`${where}: larger than ${MAX_CONFIG_BYTES / 1024} KB; is it the right file?`);
  return parseConfig(bytes.toString('utf8'), where);
}

/**
 * A config that is a symbolic link (or sits in a linked `.specgate` folder) is refused
 * everywhere: the work tree would follow the link and git would hold only its target's name,
 * so the rules a change is judged by could change with the change touching nothing in
 * `.specgate/`, and the working tree and the index would read two different configs.
 */
function symlinkedConfig(what: string, where = ''): UsageError {
  const fix = what === CONFIG_PATH ? 'replace the link with the file itself' : `replace the link with the folder itself`;
  return new UsageError(
    `${what}${where} is a symbolic link; SpecGate reads its config only from a regular file (a link's target could change the rules without the change touching .specgate/): ${fix}`,
  );
}

/** Reads `.specgate/config.yml` from the working tree; defaults when it is absent. A symbolic link is refused. */
export async function loadConfig(root: string): Promise<Config> {
  let bytes: Buffer;
  try {
    const folder = path.dirname(CONFIG_PATH);
    const [dir, file] = await Promise.all([lstat(path.join(root, folder)).catch(() => undefined), lstat(path.join(root, CONFIG_PATH)).catch(() => undefined)]);
    if (dir?.isSymbolicLink()) throw symlinkedConfig(folder);
    if (file?.isSymbolicLink()) throw symlinkedConfig(CONFIG_PATH);
    bytes = await readFile(path.join(root, CONFIG_PATH));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return defaultConfig();
    throw new UsageError(`cannot read ${CONFIG_PATH}: ${(err as Error).message}`);
  }
  return parseConfigBytes(bytes, CONFIG_PATH);
}

/** The mode git holds the config file with, in the index (`rev` null) or in a commit; undefined when it is not there. */
async function configModeInGit(git: Git, rev: string | null): Promise<string | undefined> {
  const out =
    rev === null
      ? await git.run(['ls-files', '-s', '-z', '--', `:(top,literal)${CONFIG_PATH}`])
      : await git.run(['ls-tree', '-z', '--full-tree', '--end-of-options', rev, '--', CONFIG_PATH], { env: { GIT_LITERAL_PATHSPECS: '1' } });
  return /^([0-7]{6}) /.exec(out)?.[1];
}

/**
 * The config file as git has it: in the index (`rev` null) or in a commit; defaults when it
 * is not there. A bad file is a UsageError naming where it was read; so is a symbolic link
 * (mode 120000, whose blob is its target's name).
 */
async function configInGit(git: Git, rev: string | null): Promise<Config> {
  const [bytes, mode] = await Promise.all([git.fileAt(rev, CONFIG_PATH), configModeInGit(git, rev)]);
  const where = rev === null ? ' (staged)' : ` at ${rev.slice(0, 12)}`;
  if (mode === '120000') throw symlinkedConfig(CONFIG_PATH, where);
  if (bytes === undefined) return defaultConfig();
  return parseConfigBytes(bytes, `${CONFIG_PATH}${where}`);
}

/**
 * What `specgate specs` leaves out, as `check` (against HEAD) would: the working tree's
 * ignoreSpecs and, while that differs from HEAD's list (an uncommitted edit), only what both
 * leave out. `edited` says whether the two differ. Without a repository, the working tree's.
 */
export async function listingIgnore(root: string, git: Git | undefined): Promise<{ ignore: readonly string[] | IgnoreTest; edited: boolean; list: readonly string[] }> {
  const list = (await loadConfig(root)).ignoreSpecs;
  if (!git) return { ignore: list, edited: false, list };
  const before = (await configAtBase(git, git.headAtOpen)).ignoreSpecs;
  if (sameList(list, before)) return { ignore: list, edited: false, list };
  return { ignore: leftOutByBoth(list, before), edited: true, list };
}

/**
 * The config in a base commit (the defaults for none, or for a file there that does not parse
 * or is a symbolic link: so a change that replaces a linked config with the file itself can
 * be checked, judged by the stricter of its file and the defaults).
 */
async function configAtBase(git: Git, commit: string | null): Promise<Config> {
  if (commit === null) return defaultConfig();
  try {
    return await configInGit(git, commit);
  } catch (err) {
    if (err instanceof UsageError) return defaultConfig();
    throw err;
  }
}

/**
 * The config as it stands at the change's base, when the change edits it (undefined when
 * it does not): the change is judged by whichever of the two flags more, so it cannot
 * loosen the rules it is judged by. A base config that does not parse counts as the defaults.
 */
async function baseConfigIfEdited(git: Git, changeSet: ChangeSet): Promise<Config | undefined> {
  if (!changeSet.changes.some((c) => c.path === CONFIG_PATH || c.oldPath === CONFIG_PATH)) return undefined;
  return configAtBase(git, changeSet.base.commit);
}

/** Blob ids and bytes of the spec files, as the index holds them (as found, with `staged`). */
function stagedSpecFiles(files: readonly string[], staged: StagedSpecs): { blobs: Record<string, string>; contents: Map<string, Buffer> } {
  const blobs: Record<string, string> = {};
  const contents = new Map<string, Buffer>();
  for (const f of files) {
    const entry = staged.files.get(f);
    if (entry) blobs[f] = entry.blob;
    if (entry?.content) contents.set(f, entry.content);
  }
  return { blobs, contents };
}

/** The first ignoreSpecs glob that keeps a spec (its folder or file) from being read, if one does. */
function ignoredBy(id: string, ignore: readonly string[]): string | undefined {
  return ignoringGlobs(id, ignore)[0];
}

/**
 * `--spec` names no spec read: when it names one ignoreSpecs leaves out (by its path, or by
 * its name among the specs left out), a usage error naming the glob. The failure path: the
 * work tree is listed once more for the names.
 */
async function refuseIgnoredSpec(git: Git, arg: string, ignore: SpecIgnore, lists: readonly string[]): Promise<void> {
  const want = arg.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  let id: string | undefined = want;
  let glob = ignoredBy(want, lists);
  if (glob === undefined) {
    const left = (await discoverSpecsAndNearMisses(git.root, { useGit: true, ignore, listIgnored: true }).catch(() => undefined))?.ignored ?? [];
    id = left.find((c) => c.id === want || c.name === want)?.id;
    glob = id === undefined ? undefined : ignoredBy(id, lists);
  }
  if (glob === undefined) return;
  const why = isDefaultIgnoreList(lists) ? `SpecGate ignores test data by default (${safeText(glob)})` : `${CONFIG_PATH} ignores it (${safeText(glob)})`;
  const named = id === want ? '' : ` (${safePath(id!)})`;
  throw new IgnoredSpecsError(`--spec ${safeText(arg)}${named} is not read: ${why}; set ignoreSpecs in ${CONFIG_PATH} to a list without that glob to review against it`);
}

/**
 * The branch name that picks among several specs: the checked-out branch; on a detached HEAD,
 * the branch a rebase in progress is rebasing (a commit mid-rebase runs the pre-commit gate),
 * else (how CI checks out a pull request) the pull request's branch as the CI names it.
 */
async function branchName(git: Git): Promise<string | undefined> {
  return (
    (await git.currentBranch()) ??
    (await git.rebasingBranch()) ??
    (process.env.GITHUB_HEAD_REF || process.env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME || undefined)
  );
}

/**
 * `--spec` as typed, also read as a path: absolute, or relative to the folder the command runs
 * in (`--spec ../docs/specs/x.md` from `src/`); a file in a spec's folder names that spec
 * (`--spec .kiro/specs/auth/tasks.md`). An argument that starts with `./`, `../` or `/` is a
 * path only; otherwise what resolveSpec reads as given (an id from the repository's root, or
 * a folder name) comes first. Anything else is passed on unchanged, for resolveSpec's own
 * error.
 */
async function specArgument(specs: readonly Spec[], arg: string, root: string, cwd: string): Promise<string> {
  const typed = arg.trim();
  // `./x` and `../x` are paths from the current folder; anything else is first an id or a name.
  const explicit = /^\.\.?(?:\/|$)/.test(typed) || path.isAbsolute(typed);
  const want = typed.replace(/\/+$/, '');
  if (typed === '' || (!explicit && specs.some((s) => s.id === want || s.name === want))) return arg;
  const from = await realpath(cwd).catch(() => cwd);
  const given = path.resolve(from, typed);
  // The folders are taken as they really are (a linked /tmp, a linked checkout), the named
  // file or folder itself as named: a link there is not followed to another spec.
  const real = path.join(await realpath(path.dirname(given)).catch(() => path.dirname(given)), path.basename(given));
  const rel = path.relative(root, real).split(path.sep).join('/');
  if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return arg;
  // A folder that holds one plain spec (`packages/ui` for packages/ui/SPEC.md) names it.
  const plainIn = specs.filter((s) => s.format === 'plain' && path.posix.dirname(s.id) === rel);
  const hit = specs.find((s) => s.id === rel) ?? specs.find((s) => s.format !== 'plain' && rel.startsWith(`${s.id}/`)) ?? (plainIn.length === 1 ? plainIn[0] : undefined);
  return hit ? hit.id : arg;
}

/** The folder a command runs in, from the repository's root (`/`-separated); undefined at the root or outside it. */
async function folderInRepository(root: string, cwd: string): Promise<string | undefined> {
  const [top, from] = await Promise.all([realpath(root).catch(() => root), realpath(cwd).catch(() => cwd)]);
  const rel = path.relative(top, from).split(path.sep).join('/');
  return rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel) ? undefined : rel;
}

/**
 * resolveSpec; with --staged, a spec the index lacks because its files are only marked
 * `git add -N` is named in the error, with what to do.
 */
function pickSpec(specs: Spec[], arg: string | undefined, branch: string | undefined, here: string | undefined, staged: StagedSpecs | undefined): Spec {
  try {
    return resolveSpec(specs, arg, branch, here);
  } catch (err) {
    const missing = staged ? [...staged.intentToAdd.keys()].filter((id) => !specs.some((s) => s.id === id)) : [];
    if (!(err instanceof UsageError) || missing.length === 0) throw err;
    const message = `${err.message} (with --staged, not in the index: ${missing.join(', ')}, whose files are only marked with git add -N, which a commit does not take; git add them)`;
    throw err instanceof NoSpecChosen ? new NoSpecChosen(message, err.candidates) : new UsageError(message);
  }
}

/**
 * With --staged, a path still in conflict has no entry a commit could take (git refuses to
 * commit until it is resolved): a usage error naming the paths, not a change with no content.
 */
function refuseUnmerged(paths: readonly string[]): never {
  const named = someOf(paths, 3, safePath);
  throw new UsageError(`the index has unresolved merge conflicts in ${named}, so a commit can take nothing yet; resolve them and git add the files first`);
}

/** With no spec in the work tree: a usage error naming the specs a sparse checkout leaves out, if any. */
async function refuseSparse(git: Git): Promise<void> {
  const outside = await specsOutsideSparseCheckout(git).catch(() => [] as string[]);
  if (outside.length === 0) return;
  const ids = outside.slice(0, 3).map((id) => safeText(id));
  // A sparse checkout takes folders (cone mode takes nothing else): a single-file spec's folder.
  const folders = [...new Set(outside.map((id) => (/\.(?:md|markdown)$/i.test(id) ? path.posix.dirname(id) : id)))].map((f) => safeText(f));
  throw new UsageError(
    `no spec in the work tree: ${someOf(outside, 3, safeText)} ${outside.length === 1 ? 'is' : 'are'} outside the sparse checkout; add ${folders.length === 1 && outside.length === 1 && folders[0] !== ids[0] ? 'its folder' : outside.length === 1 ? 'it' : 'them'} (git sparse-checkout add ${folders.join(' ')}) and try again`,
  );
}

/** No spec at all, but folders laid out almost as one: a usage error that says what to rename. */
async function refuseNearMisses(git: Git, listed: readonly NearMissSpec[] | undefined, ignore: readonly string[]): Promise<void> {
  // With --staged, nothing was listed from the work tree yet: listed now (this is the failure path).
  const near = listed ?? (await discoverSpecsAndNearMisses(git.root, { useGit: true, ignore }).then((d) => d.nearMisses, () => []));
  if (near.length === 0) return;
  throw new UsageError(`no spec found in this repository; ${nearMissText(near)}`);
}

/** No spec read, but ignoreSpecs left some out: a usage error naming them and the way to read them. */
async function refuseIgnored(git: Git, ignore: SpecIgnore, lists: readonly string[]): Promise<void> {
  // The failure path: the work tree is listed once more, this time naming what was left out.
  const left = ((await discoverSpecsAndNearMisses(git.root, { useGit: true, ignore, listIgnored: true }).catch(() => undefined))?.ignored ?? []).map((c) => c.id);
  if (left.length === 0) return;
  const why = ignoredReason(lists, left.length);
  throw new IgnoredSpecsError(`no spec found in this repository; ignoreSpecs leaves out ${someOf(left, 3, safePath)} (${why}); set ignoreSpecs in ${CONFIG_PATH} to read ${left.length === 1 ? 'it' : 'them'}`);
}

/**
 * No spec read, or not the one `--spec` names, because ignoreSpecs left it out: when the
 * change edits the list, the base's list may still read it (analyzeWith looks again).
 */
class IgnoredSpecsError extends UsageError {}

/** With --staged and no spec in the index: a usage error naming the specs the work tree has, not staged yet. */
async function refuseUnstagedSpec(git: Git, ignore: readonly string[]): Promise<void> {
  const inWorktree = (await discoverSpecs(git.root, { useGit: true, ignore }).catch(() => [])).map((c) => c.id);
  if (inWorktree.length === 0) return;
  const ids = inWorktree.slice(0, 3).map((id) => safeText(id));
  const one = inWorktree.length === 1;
  throw new UsageError(
    `no spec in the index (what a commit takes): ${someOf(inWorktree, 3, safeText)} ${one ? 'is' : 'are'} in the work tree but not staged; git add ${one ? 'it' : 'them'} first (git add ${ids.join(' ')})`,
  );
}

/** Analyses the repository's change against one spec. */
export async function analyzeRepository(opts: AnalyzeRepositoryOptions): Promise<RepositoryAnalysis> {
  if (opts.base !== undefined && opts.staged) throw new UsageError('use either --base or --staged, not both');
  opts.signal?.throwIfAborted();
  mark('analyzeRepository');
  const git = opts.git ?? (await Git.open(opts.cwd));
  mark('git open');
  opts.signal?.throwIfAborted();
  // The change set does not depend on the spec: it is collected while the specs are found,
  // read and parsed. A spec error still comes first, and stops git; so does the caller's abort.
  const abort = new AbortController();
  const stop = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await analyzeWith(git, opts, abort);
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}

interface SpecChoice {
  spec: Spec;
  specs: Spec[];
  nearMisses: NearMissSpec[];
  /**
   * Staged, the spec is the index's: its files, their texts and their blob ids, all from
   * one listing, so the report and the digest describe the spec the commit would take.
   */
  staged?: StagedSpecs;
  /** Set when the folder the command runs in, or else the branch name, picked the spec among several. */
  pickedBy?: { folder: string; among: number } | { branch: string; among: number };
}

/** Whether this analysis reads and writes the caches in the git folder (AnalyzeRepositoryOptions.useCache). */
function usesCaches(opts: AnalyzeRepositoryOptions): boolean {
  return !!opts.useCache && !process.env.SPECGATE_NO_CACHE;
}

/**
 * Finds, reads and picks the spec, leaving out the files the config's ignoreSpecs names (it
 * may still be being read). With `base`, the base commit's config while the change edits the
 * config: a file is left out only when both lists leave it out, so the change cannot hide
 * the spec it would be reviewed against. Every refusal (no spec, not staged, a near miss) is here.
 */
async function chooseSpec(git: Git, opts: AnalyzeRepositoryOptions, worktree: WorktreeSpecFiles | undefined, config: Config | Promise<Config>, base?: Config): Promise<SpecChoice> {
  // Specs parsed by an earlier check (see specCache.ts), read while the specs are found.
  const build = usesCaches(opts) ? runningBuild() : undefined;
  const specCacheOpening = build ? openSpecCache(path.join(path.dirname(git.cacheFile), SPEC_CACHE_NAME), build) : undefined;
  const lists = Promise.resolve(config).then((c) => c.ignoreSpecs);
  const ignore: SpecIgnore = base ? leftOutByBoth(await lists, base.ignoreSpecs) : lists;
  const inIndex = opts.staged ? discoverStagedSpecs(git, ignore) : undefined;
  const { candidates, nearMisses } = await (inIndex ? inIndex.then((s) => ({ candidates: s.candidates, nearMisses: [] })) : discoverSpecsAndNearMisses(git.root, { useGit: true, ignore }));
  const staged = await inIndex;
  mark('specs discovered');
  const specCache = await specCacheOpening;
  // The branch name only picks among several specs: asked (while they are parsed) only then.
  const branch = opts.spec === undefined && candidates.length > 1 ? branchName(git) : Promise.resolve(undefined);
  branch.catch(() => undefined);
  const parse = specCache ? (c: SpecCandidate, texts: readonly SpecFileText[]) => parseCached(specCache, c, texts, () => parseSpec(c, texts)) : undefined;
  const specs = await loadSpecs(git.root, candidates, staged ? stagedReader(staged) : worktree!.reader, staged ? stagedProblems(staged) : undefined, parse);
  if (specCache) trackCacheWrite(saveSpecCache(specCache));
  const ignoreSpecs = await lists;
  if (specs.length === 0 && !staged) await refuseSparse(git);
  if (specs.length === 0 && staged && staged.intentToAdd.size === 0 && opts.spec === undefined) await refuseUnstagedSpec(git, ignoreSpecs);
  if (specs.length === 0 && (!staged || staged.intentToAdd.size === 0)) await refuseNearMisses(git, staged ? undefined : nearMisses, ignoreSpecs);
  if (specs.length === 0 && opts.spec === undefined) await refuseIgnored(git, ignore, ignoreSpecs);
  let spec: Spec;
  const picking = await branch;
  const here = opts.spec === undefined && specs.length > 1 ? await folderInRepository(git.root, opts.cwd) : undefined;
  try {
    spec = pickSpec(specs, opts.spec === undefined ? undefined : await specArgument(specs, opts.spec, git.root, opts.cwd), picking, here, staged);
  } catch (err) {
    if (err instanceof UsageError && opts.spec !== undefined) await refuseIgnoredSpec(git, opts.spec, ignore, ignoreSpecs);
    throw err;
  }
  mark('specs parsed');
  // Several specs to choose from and no --spec: the branch name picked this one, which a
  // reviewer should know (a wrong pick shows as a report full of out-of-scope findings).
  const pool = specs.filter((s) => !isArchivedChange(s.id));
  const byFolder = opts.spec === undefined && specOfFolder(specs, here) === spec;
  // The folder's pick is said whenever there was another spec to take (an archived change too).
  const pickedBy =
    opts.spec === undefined && byFolder && specs.length > 1
      ? { folder: here!, among: specs.length }
      : opts.spec === undefined && !byFolder && pool.length > 1 && picking
        ? { branch: picking, among: pool.length }
        : undefined;
  return { spec, specs, nearMisses, ...(staged ? { staged } : {}), ...(pickedBy ? { pickedBy } : {}) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The tasks ticked done at the base, from the spec as the base has it (specAtBase), when the
 * change edits a tasks file; undefined when it edits none. A file the base lacks has none done.
 */
/**
 * The active spec as the base has it, when the change adds, edits or deletes one of its files
 * (a deleted markdown file in its folder counts); the spec itself when the change leaves its
 * files alone; undefined when none of its files is at the base (a new spec: the reviewer
 * reads it whole).
 */
async function specAtBase(git: Git, spec: Spec, changeSet: ChangeSet, contents: ReadonlyMap<string, Buffer>): Promise<Spec | undefined> {
  const base = changeSet.base.commit;
  const files = new Set(spec.files);
  const folder = spec.format === 'plain' ? undefined : `${spec.id}/`;
  const byPath = new Map(changeSet.changes.map((c) => [c.path, c]));
  const gone = changeSet.changes.filter((c) => c.status === 'deleted' && folder !== undefined && c.path.startsWith(folder) && c.path.endsWith('.md') && !files.has(c.path)).map((c) => c.path);
  if (!spec.files.some((f) => byPath.has(f)) && gone.length === 0) return spec;
  if (!base) return undefined;
  const read = await Promise.all(
    [...spec.files, ...gone].map(async (f) => {
      const c = byPath.get(f);
      if (c === undefined) return { path: f, text: contents.get(f)?.toString('utf8') };
      if (c.status === 'added' || c.binary || c.tooLarge) return { path: f, text: undefined };
      // A file renamed into the spec was another file at the base: its tasks were never the spec's.
      if (c.oldPath !== undefined && c.oldPath !== f) return { path: f, text: undefined };
      return { path: f, text: (await git.fileAt(base, f))?.toString('utf8') };
    }),
  );
  const then = read.filter((r): r is { path: string; text: string } => r.text !== undefined);
  if (then.length === 0) return undefined;
  // A markdown file the change gives scope front matter was no spec at the base: the spec is new.
  if (spec.format === 'plain' && !frontMatterDeclaresScope(then[0]!.text.slice(0, 64 * 1024))) return undefined;
  return parseSpec({ id: spec.id, format: spec.format, name: spec.name, files: then.map((r) => r.path) }, then);
}

/**
 * The workspace members the base declares in the folder of each npm, yarn or pnpm lockfile the
 * change holds (its `package.json` `workspaces`, its `pnpm-workspace.yaml`): a lockfile follows
 * its members' manifests; and the registry hosts its `.npmrc`/`.yarnrc.yml` name. Undefined
 * when the change holds no such lockfile, as most do.
 */
async function baseWorkspaces(git: Git, changeSet: ChangeSet): Promise<{ members: Workspaces; registries: ReadonlySet<string> } | undefined> {
  const base = changeSet.base.commit;
  const folders = [
    ...new Set(
      changeSet.changes
        .filter((c) => isPackageJsonLockfile(c.path))
        .map((c) => c.path.slice(0, c.path.lastIndexOf('/') + 1)),
    ),
  ];
  if (!base || folders.length === 0) return undefined;
  const members = new Map<string, string[]>();
  const registries = new Set<string>();
  for (const folder of folders) {
    const [pkg, pnpm, npmrc, yarnrc] = await Promise.all(
      ['package.json', 'pnpm-workspace.yaml', '.npmrc', '.yarnrc.yml'].map((f) => git.fileAt(base, `${folder}${f}`).then((b) => b?.toString('utf8'))),
    );
    const globs = [...(pkg ? packageJsonWorkspaces(pkg) : []), ...(pnpm ? pnpmWorkspaces(pnpm) : [])];
    if (globs.length > 0) members.set(folder, globs);
    for (const rc of [npmrc, yarnrc]) if (rc) for (const h of registryHosts(rc)) registries.add(h);
  }
  return { members, registries };
}

/**
 * The target of each symbolic link the change adds or points elsewhere, as its new text, for
 * the protected-path rule (core/dangers.ts): from the working tree, or from the index's blob
 * when staged. A few links at most; none in most changes.
 */
async function linkTargets(git: Git, changeSet: ChangeSet): Promise<void> {
  const links = changeSet.changes.filter((c) => c.newMode === '120000' && c.status !== 'deleted' && c.newText === undefined);
  if (links.length === 0) return;
  if (changeSet.mode === 'staged') {
    const byBlob = new Map(links.filter((c) => c.newBlob).map((c) => [c.newBlob!, c]));
    await git.readBlobs([...byBlob.keys()], (id, type, content) => {
      const c = byBlob.get(id);
      if (c && type === 'blob' && content) c.newText = content.toString('utf8');
    }, 64 * 1024);
    return;
  }
  await Promise.all(
    links.map(async (c) => {
      const target = await readlink(path.join(git.root, ...c.path.split('/')), { encoding: 'buffer' }).catch(() => undefined);
      if (target !== undefined) c.newText = target.toString('utf8');
    }),
  );
}

/**
 * With no uncommitted change, what a check of it does not see, so "No changes." is not read as
 * an all-clear: staged files the working tree has back as HEAD has them (a commit would take
 * the index's), and commits on HEAD that its upstream (else `origin/HEAD`) lacks.
 */
async function emptyChangeNotes(git: Git): Promise<string[]> {
  const notes: string[] = [];
  const [staged, upstream] = await Promise.all([
    // Unmerged paths left out: a conflict is noted already, and a commit cannot take it yet.
    git.exec(['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=u', '--ignore-submodules=all', 'HEAD', '--'], { allowExit: [128] }),
    // The full ref (`refs/remotes/origin/main`): a tag of the short name would be taken instead.
    git.exec(['rev-parse', '--symbolic-full-name', '@{upstream}'], { allowExit: [128] }).then(async (r) => {
      if (r.code === 0 && r.stdout.trim().startsWith('refs/')) return r.stdout.trim();
      const origin = await git.exec(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { allowExit: [1, 128] });
      return origin.code === 0 && origin.stdout.trim().startsWith('refs/') ? origin.stdout.trim() : undefined;
    }),
  ]);
  const files = staged.code === 0 ? staged.stdout.split('\0').filter((p) => p !== '') : [];
  if (files.length > 0) {
    const what = files.length === 1 ? `a change to ${safePath(files[0]!)}` : `changes to ${files.length} files`;
    notes.push(`the index holds ${what} that the working tree does not (a commit would take ${files.length === 1 ? 'it' : 'them'}); specgate check --staged reviews ${files.length === 1 ? 'it' : 'them'}`);
  }
  if (upstream) {
    const ahead = await git.exec(['rev-list', '--count', `${upstream}..HEAD`, '--'], { allowExit: [128] });
    const n = ahead.code === 0 ? Number(ahead.stdout.trim()) : 0;
    const short = upstream.replace(/^refs\/(?:remotes|heads)\//, '');
    if (n > 0) notes.push(`HEAD is ${n} ${n === 1 ? 'commit' : 'commits'} ahead of ${safeText(short)}, which this check of uncommitted work does not review; specgate check --base ${safeText(upstream)} does`);
  }
  return notes;
}

async function analyzeWith(git: Git, opts: AnalyzeRepositoryOptions, abort: AbortController): Promise<RepositoryAnalysis> {
  const collecting = collectChangeSet(git, {
    base: opts.base,
    staged: !!opts.staged,
    scanExports: true,
    // Texts of the files whose content the protected-path rule reads (core/dangers.ts), and of
    // the manifests whose dependencies SG303 compares (core/manifests.ts).
    wantText: readsText,
    head: git.headAtOpen,
    cacheFile: usesCaches(opts) ? git.cacheFile : undefined,
    signal: abort.signal,
  });
  collecting.catch(() => undefined);
  // Each working-tree spec file is read once (parsed, hashed, kept for a bundle); staged, the
  // index's blobs are read instead.
  const worktree = opts.staged ? undefined : new WorktreeSpecFiles(git.root);
  let config: Config;
  let choice: SpecChoice | undefined;
  // Every spec, or the one --spec names, left out by ignoreSpecs: if the change edits the
  // list, the base's list may still read it (below), so a change cannot hide the spec it is
  // reviewed against. Else this error stands.
  let hidden: IgnoredSpecsError | undefined;
  // With --staged the commit takes the index's config, so that is the one read. Git lists
  // the files while it is read; its ignoreSpecs filters the list.
  const reading = opts.staged ? configInGit(git, null) : loadConfig(git.root);
  try {
    [choice, config] = await Promise.all([chooseSpec(git, opts, worktree, reading), reading]);
    abort.signal.throwIfAborted();
  } catch (err) {
    if (!(err instanceof IgnoredSpecsError)) {
      abort.abort();
      throw err;
    }
    hidden = err;
    config = await reading;
  }
  // A spec error comes before git's, and before what the change set says.
  const changeSet = await (hidden ? collecting.catch(() => Promise.reject(hidden)) : collecting);
  if (hidden && changeSet.unmerged) throw hidden;
  mark('change set');
  abort.signal.throwIfAborted();
  if (changeSet.unmerged) refuseUnmerged(changeSet.unmerged);
  const baseConfig = await baseConfigIfEdited(git, changeSet).catch((err) => Promise.reject(hidden ?? err));
  // The change edits ignoreSpecs: the spec is found again with the base's list too.
  if (baseConfig && !sameList(baseConfig.ignoreSpecs, config.ignoreSpecs)) choice = await chooseSpec(git, opts, worktree, config, baseConfig);
  if (!choice) throw hidden!;
  const { spec, specs, nearMisses, staged, pickedBy } = choice;
  if (pickedBy) {
    const by = 'folder' in pickedBy ? `the folder this runs in (${safePath(pickedBy.folder)})` : `the branch name ${safeText(pickedBy.branch)}`;
    const note = `${by} picked the spec ${safePath(spec.id)} among ${pickedBy.among} specs; pass --spec to review the change against another`;
    changeSet.notes = [...(changeSet.notes ?? []), note];
  }
  if (changeSet.changes.length === 0 && !opts.staged && opts.base === undefined && changeSet.base.commit) {
    const notes = await emptyChangeNotes(git).catch(() => []);
    if (notes.length > 0) changeSet.notes = [...(changeSet.notes ?? []), ...notes];
  }
  const specFiles = staged ? stagedSpecFiles(spec.files, staged) : await worktree!.snapshot(spec.files, (f, bytes) => git.cleanBlobId(f, bytes));
  abort.signal.throwIfAborted();
  const baseSpec = await specAtBase(git, spec, changeSet, specFiles.contents);
  abort.signal.throwIfAborted();
  await linkTargets(git, changeSet).catch(() => undefined);
  const lockBase = await baseWorkspaces(git, changeSet).catch(() => undefined);
  const workspaces = lockBase?.members;
  // No spec files at the base (or no base commit): the change creates the spec.
  const specIsNew = baseSpec === undefined;
  if (specIsNew && changeSet.changes.some((c) => !spec.files.includes(c.path))) {
    const note = `the spec ${safePath(spec.id)} is new in this change: the scope it declares is the change's own claim, so review the spec first`;
    changeSet.notes = [...(changeSet.notes ?? []), note];
  }
  const report = analyze(spec, changeSet, { config, baseConfig, specBlobs: specFiles.blobs, extraProtected: opts.extraProtected, baseSpec, specIsNew, contentRead: true, ...(workspaces ? { workspaces } : {}), ...(lockBase ? { registries: lockBase.registries } : {}), otherSpecs: specs });
  mark('analysed');
  return {
    report,
    spec,
    specs,
    git,
    changeSet,
    config,
    specContents: specFiles.contents,
    specBlobs: specFiles.blobs,
    nearMisses,
    ...(baseSpec ? { baseSpec } : { specIsNew }),
    ...(workspaces ? { workspaces } : {}),
    ...(lockBase ? { registries: lockBase.registries } : {}),
  };
}
