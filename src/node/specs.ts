// Finds and reads the specs of a repository on disk. With git (trusted workspaces) the
// file list is `git ls-files` (tracked + untracked, ignored files left out); without it
// (untrusted workspaces) a walk that skips vendored and build folders. Plain-spec
// detection reads only the head of markdown files. Bad files become spec problems.
// `discoverStagedSpecs` finds and reads them as the index holds them instead (`--staged`).
// Nothing in SpecGate's record folders (`.specgate/approvals/`, `.specgate/reviews/`) is read:
// a spec there is never wanted (a bundle holds a copy of the spec it reviewed), records or not.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, readlink, stat, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spec, SpecProblem } from '../core/model';
import { isRecordPath } from '../core/records';
import { detectSpecs, moreSuchFolders, nearMissClause, nearMissSpecs, type NearMissSpec, type SpecCandidate } from '../core/spec/detect';
import { frontMatterDeclaresScope } from '../core/spec/frontmatter';
import { DEFAULT_IGNORE_SPECS } from '../core/config';
import { compileGlobs } from '../core/scope';
import { MAX_SPEC_FILE_BYTES, parseSpec, SPEC_TEXT_FILE, type SpecFileText } from '../core/spec/parse';
import { EMPTY_TREE, gitBlobId, looksBinary } from '../core/gitblob';
import { mapLimit } from './mapLimit';
import { mayConvert } from './sides';
import { SAFE_DIFF_FLAGS, type Git } from './git';
import { codeSpan } from '../core/render/plainTitle';
import { safePath, safeText } from '../core/render/text';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', 'dist', 'out', 'build', 'target', 'third_party']);
const DOT_DIRS_READ = new Set(['.kiro', '.specify', '.specgate']);
const MAX_WALK_FILES = 200_000;
const HEAD_BYTES = 4096;
/**
 * Only what spec detection can use: the layouts' folders and markdown anywhere (git filters,
 * not us). Plain pathspecs, not `:(glob)`: a folder prefix and a single leading `*` (which
 * crosses `/` here) are git's fast cases; `**` globs took it twice as long on 20,000 files.
 */
const SPEC_PATHSPECS = [':(top).kiro/specs/', ':(top)specs/', ':(top).specify/specs/', ':(top)openspec/changes/', ':(top,icase)*.md', ':(top,icase)*.markdown'];

export interface DiscoverOptions {
  /** False: walk the folder instead of asking git (untrusted workspaces). */
  useGit?: boolean;
  /**
   * Files never read as specs: `ignoreSpecs` globs of the config (which may still be being
   * read while git lists the files), or a test of a path. Without it, the config's defaults.
   */
  ignore?: SpecIgnore;
  /**
   * Also name the specs `ignore` leaves out (`specgate specs` says what it did not read);
   * `'if-none'`: only when no spec is read (the editor names them instead of "no spec").
   */
  listIgnored?: boolean | 'if-none';
}

export type IgnoreTest = (path: string) => boolean;
export type SpecIgnore = readonly string[] | IgnoreTest | Promise<readonly string[] | IgnoreTest>;

export async function discoverSpecs(repoRoot: string, opts: DiscoverOptions = {}): Promise<SpecCandidate[]> {
  return (await discoverSpecsAndNearMisses(repoRoot, opts)).candidates;
}

/** Marks a pending ignore list as handled: it is awaited only after git's listing, which may fail first. */
function awaitedLater(ignore: DiscoverOptions['ignore']): void {
  if (ignore instanceof Promise) ignore.catch(() => undefined);
}

/**
 * The listed paths spec discovery may read (not vendored, not SpecGate's records, not ignored
 * by the config), and apart those the config's list alone leaves out.
 */
async function splitPaths(paths: readonly string[], ignore: DiscoverOptions['ignore']): Promise<{ kept: string[]; ignored: string[] }> {
  const list = await (ignore ?? DEFAULT_IGNORE_SPECS);
  const globs = typeof list === 'function' ? undefined : compileGlobs(list);
  const isIgnored = typeof list === 'function' ? list : (p: string) => globs!.test(p);
  const kept: string[] = [];
  const ignored: string[] = [];
  for (const p of [...new Set(paths)].sort()) {
    if (readable(p)) (isIgnored(p) ? ignored : kept).push(p);
  }
  return { kept, ignored };
}

async function readablePaths(paths: readonly string[], ignore: DiscoverOptions['ignore']): Promise<string[]> {
  return (await splitPaths(paths, ignore)).kept;
}

/** The specs among listed paths: the layouts' folders, and markdown whose head declares scope. */
async function specsAmong(repoRoot: string, paths: readonly string[]): Promise<SpecCandidate[]> {
  const layoutOnly = detectSpecs(paths);
  const inLayout = (p: string): boolean => layoutOnly.some((c) => p.startsWith(`${c.id}/`));
  const heads = await markdownHeads(repoRoot, paths.filter((p) => !inLayout(p)));
  const found = detectSpecs(paths, (p) => frontMatterDeclaresScope(heads.get(p) ?? ''));
  const withFiles = await Promise.all(found.map(async (c) => ({ ...c, files: await existing(repoRoot, c.files) })));
  return withFiles.filter((c) => c.files.length > 0);
}

/**
 * The specs, and the folders laid out almost as one (`specs/feature-x/` without spec-kit's
 * number), from one listing of the files (git's, or a walk with `useGit: false`).
 */
export async function discoverSpecsAndNearMisses(repoRoot: string, opts: DiscoverOptions = {}): Promise<{ candidates: SpecCandidate[]; nearMisses: NearMissSpec[]; ignored?: SpecCandidate[] }> {
  awaitedLater(opts.ignore);
  let listed: string[] | null = null;
  if (opts.useGit !== false) listed = await gitFiles(repoRoot);
  const gitListed = listed !== null;
  listed ??= await walk(repoRoot);
  const { kept, ignored } = await splitPaths(listed, opts.ignore);
  const candidates = await specsAmong(repoRoot, kept);
  // No spec: one that git ignores is named, with the ignore line (the failure path only).
  const nearMisses = candidates.length === 0 && gitListed ? [...nearMissSpecs(kept), ...(await gitIgnoredSpecs(repoRoot))] : nearMissSpecs(kept);
  const found = { candidates, nearMisses };
  const list = opts.listIgnored === true || (opts.listIgnored === 'if-none' && candidates.length === 0);
  return list ? { ...found, ignored: await specsAmong(repoRoot, ignored) } : found;
}

/** Near misses in one clause: `specs/feature-x/ looks like a spec, but spec-kit folders are numbered, so …`. */
export function nearMissText(near: readonly NearMissSpec[]): string {
  const shown = near.slice(0, 3).map((n) => nearMissClause({ folder: safePath(n.folder), hint: safeText(n.hint) }));
  const others = near.length - shown.length;
  return `${shown.join('; ')}${others > 0 ? `; and ${moreSuchFolders(others)}` : ''}`;
}

/** Where spec detection never looks: vendored folders and SpecGate's record folders. */
function readable(p: string): boolean {
  return !isRecordPath(p) && !p.split('/').some((seg) => seg === 'node_modules' || seg === 'vendor' || seg === 'third_party');
}

/** A spec file as the index holds it: its blob id, size, and bytes unless over the 2 MB limit. */
export interface IndexedSpecFile {
  blob: string;
  size: number;
  content: Buffer | null;
  /** A symbolic link (mode 120000): its blob is the target's name, never read as text. */
  link?: true;
}

/** Why a symbolic link in a spec is not read, in the working tree and in the index alike. */
const LINK_PROBLEM = 'a symbolic link; not read (spec files are read as git stores them)';

/** The specs as a commit would take them, and every one of their files' index entries. */
export interface StagedSpecs {
  candidates: SpecCandidate[];
  files: Map<string, IndexedSpecFile>;
  /**
   * Spec files only marked `git add -N` (intent to add): in the index as empty entries, but
   * a commit does not take them, so no spec here holds them. By the spec id they would
   * belong to (a layout folder, or the file itself when its working-tree front matter
   * declares scope).
   */
  intentToAdd: Map<string, string[]>;
}

/** The empty blob's id (sha1, sha256): the id every intent-to-add entry has in the index. */
const EMPTY_BLOBS = new Set(['e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813']);

/**
 * Which of these index entries (all empty blobs) a commit would not take: entries marked
 * `git add -N`. Asked the way the staged change set is (`git diff --cached`, where such an
 * entry does not exist): an entry is taken when that diff adds or modifies it, or when HEAD
 * has it and that diff leaves it alone; it is not when HEAD lacks it and the diff does not
 * add it, or when the diff deletes it.
 */
async function notTakenByCommit(git: Git, paths: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const head = git.headAtOpen;
  const env = { GIT_LITERAL_PATHSPECS: '1' };
  for (let i = 0; i < paths.length; i += 500) {
    const group = paths.slice(i, i + 500);
    const [diff, inHead] = await Promise.all([
      git.run(['diff', '--cached', '--name-status', '-z', '--no-renames', ...SAFE_DIFF_FLAGS, head ?? EMPTY_TREE, '--', ...group], { env }),
      head ? git.run(['ls-tree', '-z', '--name-only', '--full-tree', head, '--', ...group], { env }) : Promise.resolve(''),
    ]);
    const status = new Map<string, string>();
    const recs = diff.split('\0');
    for (let j = 0; j + 1 < recs.length; j += 2) status.set(recs[j + 1]!, recs[j]!);
    const headHas = new Set(inHead.split('\0'));
    for (const p of group) {
      const st = status.get(p);
      if (st === 'D' || (st === undefined && !headHas.has(p))) out.add(p);
    }
  }
  return out;
}

/**
 * The specs whose files the index holds but a sparse checkout leaves out of the work tree
 * (skip-worktree): found nowhere on disk, which is why a command sees no spec. Layout folders
 * by their paths; a plain spec by its front matter, read from the index's blob.
 */
export async function specsOutsideSparseCheckout(git: Git): Promise<string[]> {
  const listed = await git.run(['ls-files', '-z', '-t', '--', ...SPEC_PATHSPECS]);
  const skipped = new Set(
    listed
      .split('\0')
      .filter((rec) => rec.startsWith('S '))
      .map((rec) => rec.slice(2)),
  );
  if (skipped.size === 0) return [];
  const inIndex = await discoverStagedSpecs(git);
  return inIndex.candidates.filter((c) => c.files.some((f) => skipped.has(f))).map((c) => c.id);
}

/**
 * Finds the specs in the index (what a commit would take): its file list, and the texts of
 * its blobs, read by id through one `git cat-file --batch`. A spec file staged as deleted,
 * or untracked and not staged, is not part of any spec here; only merged entries (stage 0)
 * count. A symbolic link's blob is its target's name: it belongs to the spec and its blob id
 * to the digest, as in the working tree, but it is never read as text.
 */
export async function discoverStagedSpecs(git: Git, ignore?: DiscoverOptions['ignore']): Promise<StagedSpecs> {
  awaitedLater(ignore);
  const listed = await git.run(['ls-files', '-s', '-z', '--', ...SPEC_PATHSPECS]);
  const blobOf = new Map<string, string>();
  const links = new Set<string>();
  const records = listed.split('\0');
  const kept = new Set(await readablePaths(records.map((rec) => rec.slice(rec.indexOf('\t') + 1)), ignore));
  for (const rec of records) {
    const m = /^(100644|100755|120000) ([0-9a-f]{40,64}) 0\t(.+)$/s.exec(rec);
    if (!m || !kept.has(m[3]!)) continue;
    blobOf.set(m[3]!, m[2]!);
    if (m[1] === '120000') links.add(m[3]!);
  }
  // Entries marked `git add -N` are in the index but not in what a commit takes: left out.
  const empty = [...blobOf.keys()].filter((p) => EMPTY_BLOBS.has(blobOf.get(p)!)).sort();
  const ita = empty.length ? await notTakenByCommit(git, empty) : new Set<string>();
  for (const p of ita) blobOf.delete(p);
  const paths = [...blobOf.keys()].sort();
  const layoutOnly = detectSpecs(paths);
  const inLayout = (p: string): boolean => layoutOnly.some((c) => p.startsWith(`${c.id}/`));
  const layoutBlobs = new Set<string>();
  const markdownBlobs = new Set<string>();
  for (const p of paths) {
    if (links.has(p)) continue;
    if (inLayout(p)) layoutBlobs.add(blobOf.get(p)!);
    else if (/\.(?:md|markdown)$/i.test(p)) markdownBlobs.add(blobOf.get(p)!);
  }
  // Layout files are kept; other markdown only when its front matter declares scope.
  const contents = new Map<string, { size: number; content: Buffer | null }>();
  const scoped = new Set<string>();
  await git.readBlobs(
    [...new Set([...layoutBlobs, ...markdownBlobs])],
    (id, type, content, size, bigHead) => {
      if (type !== 'blob') return;
      // As in the working tree, a file over the limit is still a spec when its head says so
      // (and then a spec problem, not read): its first bytes come without the rest.
      const head = content?.subarray(0, HEAD_BYTES) ?? bigHead;
      const declares = head !== undefined && !head.includes(0) && frontMatterDeclaresScope(head.toString('utf8'));
      if (declares) scoped.add(id);
      if (layoutBlobs.has(id) || declares) contents.set(id, { size, content });
    },
    MAX_SPEC_FILE_BYTES,
    undefined,
    HEAD_BYTES,
  );
  const candidates = detectSpecs(paths, (p) => scoped.has(blobOf.get(p)!));
  const files = new Map<string, IndexedSpecFile>();
  for (const c of candidates) {
    for (const f of c.files) {
      const blob = blobOf.get(f)!;
      if (links.has(f)) files.set(f, { blob, size: 0, content: null, link: true });
      else files.set(f, { blob, size: contents.get(blob)?.size ?? 0, content: contents.get(blob)?.content ?? null });
    }
  }
  return { candidates, files, intentToAdd: await intentToAddBySpec(git.root, [...ita], paths) };
}

/**
 * The spec each intent-to-add file would belong to: a layout folder (with the index's
 * files), or the file itself when its working-tree head declares scope.
 */
async function intentToAddBySpec(root: string, ita: string[], paths: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ita.length === 0) return out;
  const heads = await markdownHeads(root, ita);
  const itaSet = new Set(ita);
  for (const c of detectSpecs([...paths, ...ita].sort(), (p) => itaSet.has(p) && frontMatterDeclaresScope(heads.get(p) ?? ''))) {
    const left = c.files.filter((f) => itaSet.has(f));
    if (left.length) out.set(c.id, left);
  }
  return out;
}

/** Spec problems for what `discoverStagedSpecs` left out of a spec: its intent-to-add files. */
export function stagedProblems(staged: StagedSpecs): (c: SpecCandidate) => SpecProblem[] {
  return (c) =>
    (staged.intentToAdd.get(c.id) ?? []).map((file) => ({
      file,
      line: 1,
      message: `${file}: only marked with git add -N (intent to add), which a commit does not take; the staged spec leaves it out (git add it to include it)`,
    }));
}

/**
 * Reads and parses each candidate's text files. `read` gives a file's text (default: the
 * working tree under `repoRoot`); `stagedReader` reads them from a `discoverStagedSpecs` result.
 */
export async function loadSpecs(
  repoRoot: string,
  candidates: readonly SpecCandidate[],
  read: (file: string) => Promise<string | { problem: string }> = (file) => readSpecFile(path.join(repoRoot, file)),
  problemsOf?: (c: SpecCandidate) => SpecProblem[],
  parse: (c: SpecCandidate, texts: readonly SpecFileText[]) => Spec = parseSpec,
): Promise<Spec[]> {
  return Promise.all(
    candidates.map(async (c) => {
      const problems: SpecProblem[] = problemsOf?.(c) ?? [];
      const texts: { path: string; text: string }[] = [];
      for (const file of c.files) {
        if (!SPEC_TEXT_FILE.test(`/${file}`)) continue;
        const r = await read(file);
        if (typeof r === 'string') texts.push({ path: file, text: r });
        else problems.push({ file, line: 1, message: `${codeSpan(file)}: ${r.problem}` });
      }
      const spec = parse(c, texts);
      spec.problems.unshift(...problems);
      return spec;
    }),
  );
}

/** A reader for `loadSpecs` that takes each file's text from the index, as found. */
export function stagedReader(staged: StagedSpecs): (file: string) => Promise<string | { problem: string }> {
  return async (file) => {
    const f = staged.files.get(file);
    if (!f) return { problem: 'not in the index; not read' };
    if (f.link) return { problem: LINK_PROBLEM };
    if (f.content === null && f.size > MAX_SPEC_FILE_BYTES) return { problem: `${(f.size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit for spec files; not read` };
    if (f.content === null) return { problem: 'its blob cannot be read from the index; not read' };
    return specText(f.content);
  };
}

/** A spec file's bytes as text, or why they are not read (binary). */
function specText(buf: Buffer): string | { problem: string } {
  return buf.subarray(0, 8192).includes(0) ? { problem: 'binary file; not read' } : buf.toString('utf8');
}

const NO_FOLLOW = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

/** Why a spec file was not read; `size` when only for being over the 2 MB limit. */
interface NotRead {
  problem: string;
  size?: number;
  /** A symbolic link: git stores its target's name, which is all the digest binds of it. */
  link?: true;
}

const overLimit = (size: number): NotRead => ({ problem: `${(size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit for spec files; not read`, size });

/**
 * Opens a working-tree file for reading as git would take it: a regular file, never through
 * a symbolic link (git stores a link's target name, and the target may be anything on the
 * machine), nothing else opened (a FIFO would block).
 */
async function openRegular(abs: string): Promise<{ fh: FileHandle; size: number } | NotRead> {
  const lst = await lstat(abs);
  if (lst.isSymbolicLink()) return { problem: LINK_PROBLEM, link: true };
  if (!lst.isFile()) return { problem: 'not a regular file; not read' };
  const fh = await open(abs, NO_FOLLOW);
  const st = await fh.stat();
  if (st.isFile()) return { fh, size: st.size };
  await fh.close();
  return { problem: 'not a regular file; not read' };
}

const cannotRead = (err: unknown): NotRead => ({ problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); not read` });

/** A spec file's bytes, up to the 2 MB limit, or why they were not read. */
async function readSpecBytes(abs: string): Promise<Buffer | NotRead> {
  let fh: FileHandle | undefined;
  try {
    const o = await openRegular(abs);
    if (!('fh' in o)) return o;
    fh = o.fh;
    if (o.size > MAX_SPEC_FILE_BYTES) return overLimit(o.size);
    const buf = await fh.readFile();
    return buf.length > MAX_SPEC_FILE_BYTES ? overLimit(buf.length) : buf;
  } catch (err) {
    return cannotRead(err);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The blob id of a regular file of any size, read in pieces; undefined when it cannot be read or changed while read. */
async function streamedBlobId(abs: string): Promise<string | undefined> {
  let fh: FileHandle | undefined;
  try {
    const o = await openRegular(abs);
    if (!('fh' in o)) return undefined;
    fh = o.fh;
    const hash = createHash('sha1').update(`blob ${o.size}\0`);
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let total = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, total);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > o.size) return undefined;
    }
    return total === o.size ? hash.digest('hex') : undefined;
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The text of a spec file, or why it was not read (a link, too large, binary, unreadable). */
export async function readSpecFile(abs: string): Promise<string | { problem: string }> {
  const r = await readSpecBytes(abs);
  return Buffer.isBuffer(r) ? specText(r) : { problem: r.problem };
}

/**
 * Reads working-tree spec files once each and keeps the bytes: the text a spec is parsed
 * from, the blob id the digest binds and a bundle's copy are one read, whatever happens to
 * the file in between.
 */
export class WorktreeSpecFiles {
  private readonly reads = new Map<string, Promise<Buffer | NotRead>>();
  constructor(private readonly root: string) {}

  /** A reader for `loadSpecs`. */
  readonly reader = async (file: string): Promise<string | { problem: string }> => {
    const r = await this.bytesOf(file);
    return Buffer.isBuffer(r) ? specText(r) : { problem: r.problem };
  };

  /**
   * The files as read (those not read yet, such as files that are not text, read now): each
   * one's blob id (with `storedId`, as git would store it when conversion may apply), and its bytes when within the 2 MB limit (a file over it is hashed as it
   * stands, not kept). A link, or a file that is gone or cannot be read, has neither.
   */
  async snapshot(
    files: readonly string[],
    storedId?: (file: string, bytes: Buffer) => Promise<string>,
  ): Promise<{ blobs: Record<string, string>; contents: Map<string, Buffer> }> {
    const blobs: Record<string, string> = {};
    const contents = new Map<string, Buffer>();
    await Promise.all(
      files.map(async (f) => {
        const r = await this.bytesOf(f);
        if (Buffer.isBuffer(r)) {
          // Bytes git's clean conversion may change are bound as git would store them.
          blobs[f] = storedId && mayConvert(r) && !looksBinary(r) ? await storedId(f, r) : gitBlobId(r);
          contents.set(f, r);
        } else if (r.size !== undefined) {
          const blob = await streamedBlobId(path.join(this.root, f));
          if (blob !== undefined) blobs[f] = blob;
        } else if (r.link) {
          // Bound as git stores it, the target's name: a link pointed elsewhere changes the digest.
          const target = await readlink(path.join(this.root, f), { encoding: 'buffer' }).catch(() => undefined);
          if (target !== undefined) blobs[f] = gitBlobId(target);
        }
      }),
    );
    return { blobs, contents };
  }

  private bytesOf(file: string): Promise<Buffer | NotRead> {
    let r = this.reads.get(file);
    if (r === undefined) {
      r = readSpecBytes(path.join(this.root, file));
      this.reads.set(file, r);
    }
    return r;
  }
}

/** The layouts' folders: where a spec that git ignores is looked for (not markdown anywhere, which would walk every ignored folder). */
const LAYOUT_PATHSPECS = SPEC_PATHSPECS.filter((p) => p.endsWith('/'));

/**
 * The layout specs (`.kiro/specs/<name>/`…) whose files git ignores (`.gitignore`,
 * `.git/info/exclude`, core.excludesFile), as near misses naming the ignore line: such a
 * spec cannot be committed, so it is never read, and "no spec found" alone would tell its
 * author to write one where one is. Asked only when no spec was found.
 */
export async function gitIgnoredSpecs(root: string): Promise<NearMissSpec[]> {
  const listed = await gitOut(root, ['ls-files', '-z', '-o', '-i', '--exclude-standard', '--', ...LAYOUT_PATHSPECS]);
  const specs = detectSpecs((listed ?? '').split('\0').filter((p) => p !== '' && readable(p)));
  if (specs.length === 0) return [];
  // Which line ignores each spec's first file: `<source>\0<line>\0<pattern>\0<path>\0` per path.
  const why = await gitOut(root, ['check-ignore', '-v', '-z', '--stdin'], specs.map((c) => `${c.files[0]}\0`).join(''));
  const parts = (why ?? '').split('\0');
  const lineOf = new Map<string, string>();
  for (let i = 0; i + 3 < parts.length; i += 4) lineOf.set(parts[i + 3]!, `${parts[i]}: ${parts[i + 2]}`);
  return specs.map((c) => {
    const line = lineOf.get(c.files[0]!);
    return { folder: `${c.id}/`, hint: `git ignores it${line === undefined ? '' : ` (${line})`}; stop ignoring it: a spec must be committed to be reviewed` };
  });
}

/** Git's stdout in `root` (our pathspecs read as written), or null when git fails. */
function gitOut(root: string, args: string[], input?: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024, env: pathspecEnv() }, (err, stdout) =>
      resolve(err ? null : stdout),
    );
    child.stdin?.end(input);
  });
}

function gitFiles(root: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', 'ls-files', '-z', '-co', '--exclude-standard', '--', ...SPEC_PATHSPECS],
      { cwd: root, maxBuffer: 512 * 1024 * 1024, env: pathspecEnv() },
      (err, stdout) => resolve(err ? null : stdout.split('\0').filter((p) => p !== '')),
    );
  });
}

/** The caller's environment without what would change how git reads our pathspecs. */
function pathspecEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_NO_REPLACE_OBJECTS: '1' };
  for (const k of ['GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS']) delete env[k];
  return env;
}

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [''];
  while (queue.length && out.length < MAX_WALK_FILES) {
    const rel = queue.shift()!;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        // Record folders at any depth: a nested repository's bundles hold copies of its specs too.
        if (SKIP_DIRS.has(e.name) || (e.name.startsWith('.') && !DOT_DIRS_READ.has(e.name)) || isRecordPath(`${recordTail(p)}/`)) continue;
        queue.push(p);
      } else if (e.isFile()) out.push(p);
    }
  }
  return out;
}

/** From the last `.specgate/` folder of a path on (`a/.specgate/reviews` → `.specgate/reviews`), or the path. */
function recordTail(p: string): string {
  const i = p.lastIndexOf('/.specgate/');
  return i < 0 ? p : p.slice(i + 1);
}

/** The head of each markdown file among `paths` that is a readable text file, read 16 at a time. */
async function markdownHeads(root: string, paths: readonly string[]): Promise<Map<string, string>> {
  const heads = new Map<string, string>();
  await mapLimit(paths.filter((p) => /\.(?:md|markdown)$/i.test(p)), 16, async (p) => {
    const head = await readHead(path.join(root, p));
    if (head !== null) heads.set(p, head);
  });
  return heads;
}

async function readHead(abs: string): Promise<string | null> {
  let fh;
  try {
    if (!(await stat(abs)).isFile()) return null;
    fh = await open(abs, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    return head.includes(0) ? null : head.toString('utf8');
  } catch {
    return null;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function existing(root: string, files: readonly string[]): Promise<string[]> {
  const keep = await Promise.all(files.map((f) => stat(path.join(root, f)).then((s) => s.isFile(), () => false)));
  return files.filter((_, i) => keep[i]);
}
