// Writes a review bundle: a NEW folder `<out>/<spec>-<yyyymmdd-hhmmss>-<digest8>/` with
// packet.json, REVIEW.md, review.html, changes.patch, review.sarif and spec/ (the spec's
// documents; see isSpecCopyName). A folder in the work tree other than .specgate/reviews/ is
// refused unless git ignores it (the bundle would be part of the change). Everything is
// computed before anything is written. The files go into a hidden folder beside the bundle,
// `.<bundle>.partial-<pid>-<6 hex>` (packet.json last, each file flushed to disk), which is
// then renamed to the bundle's name in one step: a folder with a bundle's name is always a
// whole bundle, whenever the process is killed or the machine loses power. A failure or an
// abort removes the hidden folder; one left by a killed writer is never taken for a bundle
// (see core/records.ts) and is removed by the next bundle written beside it once its writer
// is gone or it is an hour old. An existing folder is never written into or replaced.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, realpath, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { postImageId } from '../core/diffparse';
import { UsageError, type ChangeSet, type FileChange, type Report, type Spec } from '../core/model';
import { isPartialBundleFolderName, isRecordPath, isSpecCopyName, REVIEWS_GITIGNORE } from '../core/records';
import { classifyHunks, type FileDiff, type LargeFile } from '../core/render/diffview';
import { renderHtml } from '../core/render/html';
import { renderMarkdown } from '../core/render/markdown';
import { decisionFindings, type ReviewInput, type ReviewMeta } from '../core/render/reviewdata';
import { renderSarif } from '../core/render/sarif';
import { safePath, someOf } from '../core/render/text';
import { VERSION } from '../core/version';
import type { Git } from './git';
import { copyNewFile, syncFiles, syncFolder, writeNewFile } from './durable';
import { makeFolders } from './folders';
import { removeStalePartials } from './partials';
import { findingLines } from './findingLines';
import { writeChangePatch, type PatchFile } from './patch';
import { mark } from './timings';
import { relativeWithin } from './within';

export const DEFAULT_REVIEWS_DIR = '.specgate/reviews';
const MAX_SPEC_FILE = 2 * 1024 * 1024;

/** What a bundle is made from: the result of analysing the repository. */
export interface BundleSource {
  report: Report;
  spec: Spec;
  git: Git;
  changeSet: ChangeSet;
  /**
   * The spec files' bytes the analysis read, parsed and hashed (the index's for a staged
   * change; see analyzeRepository): spec/ holds these, the very spec the report and its
   * digest describe, never the files as they are by the time the bundle is written.
   */
  specContents: ReadonlyMap<string, Buffer>;
}

export interface BundleOptions {
  /** Folder to write the bundle under; default `.specgate/reviews/` at the repo root. */
  out?: string;
  /** The bundle's time (tests). */
  now?: Date;
  /**
   * Aborting stops the work (git is killed) and leaves nothing behind: no bundle folder, no
   * temporary file. The call then rejects with the signal's reason (an AbortError). An abort
   * that comes once the last file is written changes nothing: the bundle is returned.
   */
  signal?: AbortSignal;
  /** Told what is being done, in a few words ("writing the patch…"), for a progress display. */
  onProgress?: (message: string) => void;
}

/** The extra facts packet.json carries beside the report. */
export interface PacketInfo {
  tool: { name: 'specgate'; version: string };
  createdAt: string;
  author: { name: string; email: string };
  /** How the change was taken, so `approve` can take it again the same way. */
  change: { mode: 'worktree' | 'staged'; base: string | null };
  /** Root commits of the repository's history: tells bundles of another repository apart. */
  repository: { roots: string[] };
  /**
   * How SpecGate read the change, one line each (ChangeSet.notes: a file listed as binary
   * because its working-tree encoding could not be decoded); left out when there are none.
   * Plain text naming repository files: escape it wherever it is shown.
   */
  notes?: string[];
}

export type Packet = Report & PacketInfo;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/**
 * What a bundle folder is named by: the spec's name, and for a plain spec with a name every
 * package can have (`packages/ui/SPEC.md`, `docs/README.md`) its folder's name before it
 * (`ui-SPEC`), so two packages' bundles are told apart.
 */
export function bundleSpecName(spec: { id: string; name: string; format: string }): string {
  const folder = path.posix.basename(path.posix.dirname(spec.id));
  const generic = /^(spec|specs|readme|index|plan|design|tasks|requirements|proposal)$/i.test(spec.name);
  return spec.format === 'plain' && generic && folder !== '.' && folder !== '' ? `${folder}-${spec.name}` : spec.name;
}

/** A folder-name-safe form of the spec's name. */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60);
  return s || 'spec';
}

/** Root commits of HEAD's history (empty before the first commit). */
export async function rootCommits(git: Git): Promise<string[]> {
  if ((await git.headCommit()) === null) return [];
  const out = await git.run(['rev-list', '--max-parents=0', 'HEAD']);
  return out.split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l)).sort();
}

/** A repo-relative path that stays inside the folder it is joined to. */
function safeRelative(p: string): boolean {
  return p !== '' && !p.includes('\0') && !path.posix.isAbsolute(p) && !p.split('/').some((seg) => seg === '..' || seg === '');
}

/** Where a spec file goes under `spec/`: relative to the spec's folder (or its name for a one-file spec). */
export function specCopyPath(specId: string, file: string): string {
  if (file === specId) return path.posix.basename(file);
  if (file.startsWith(`${specId}/`)) return file.slice(specId.length + 1);
  return file;
}

/** The spec files as reviewed: the bytes the analysis read (within the 2 MB limit). */
function specFiles(source: BundleSource): { path: string; content: Buffer }[] {
  const out: { path: string; content: Buffer }[] = [];
  for (const f of source.spec.files) {
    const content = source.specContents.get(f);
    if (safeRelative(f) && content && content.length <= MAX_SPEC_FILE) out.push({ path: f, content });
  }
  return out;
}

/** Checks that the patch describes every change, with the very blobs the digest was computed from. */
export function checkPatchMatches(diffs: readonly FileDiff[], changeSet: ChangeSet): void {
  const byPath = new Map(changeSet.changes.map((c) => [c.path, c]));
  // A move the change set paired may be a deletion and a new file in git's patch.
  const oldPaths = new Set(changeSet.changes.flatMap((c) => (c.oldPath !== undefined ? [c.oldPath] : [])));
  // Git may pair a deletion and an untracked file as a rename the change set lists apart.
  const inPatch = new Set(diffs.flatMap((d) => (d.oldPath !== undefined ? [d.path, d.oldPath] : [d.path])));
  for (const c of changeSet.changes) {
    if (!inPatch.has(c.path)) throw new UsageError(`${c.path} changed while the bundle was being written (it is missing from the patch); run specgate bundle again`);
  }
  for (const d of diffs) {
    const change = byPath.get(d.path);
    // Folders stand for their files in git's pathspecs: a file that appeared since is no part of the change.
    if (!change && !(d.oldPath !== undefined && byPath.has(d.oldPath)) && !oldPaths.has(d.path)) {
      throw new UsageError(`${d.path} changed while the bundle was being written (it is in the patch but was not in the change); run specgate bundle again`);
    }
    const post = postImageId(d.header);
    if (!change || post === undefined || change.newBlob === undefined || /^0+$/.test(post)) continue;
    if (post !== change.newBlob) {
      throw new UsageError(`${d.path} changed while the bundle was being written; run specgate bundle again`);
    }
  }
}

/** A file the change set found too large to diff: listed with its sizes and blob ids, not shown line by line. */
function withLargeFacts(d: FileDiff, change: FileChange | undefined): FileDiff {
  if (!change?.tooLarge) return d;
  const large: LargeFile = {};
  if (change.oldSize !== undefined) large.oldSize = change.oldSize;
  if (change.newSize !== undefined) large.newSize = change.newSize;
  if (change.oldBlob !== undefined) large.oldBlob = change.oldBlob;
  if (change.newBlob !== undefined) large.newBlob = change.newBlob;
  return { ...d, large };
}

function describeWriteError(err: unknown, where: string): UsageError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e?.code === 'EACCES' || e?.code === 'EPERM' ? 'permission denied'
    : e?.code === 'EROFS' ? 'read-only file system'
    : e?.code === 'ENOTDIR' ? 'a path component is not a folder'
    : e?.code === 'ENOSPC' ? 'no space left on device'
    : e?.code === 'ENOENT' ? 'the file system does not let a folder be made there'
    : (e?.message ?? String(err));
  return new UsageError(`cannot write the review bundle under ${where}: ${why}; pass --out with a writable folder`);
}

/** Where a path is on disk: its deepest existing folder with symlinks resolved, and the rest as given. */
async function realLocation(p: string): Promise<string> {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    const real = await realpath(at).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...rest);
    const parent = path.dirname(at);
    if (parent === at) return path.resolve(p);
    rest.unshift(path.basename(at));
    at = parent;
  }
}

/**
 * Refuses to write a bundle inside the work tree anywhere but `.specgate/reviews/` (where
 * its files are records, see core/records.ts) unless git ignores the folder: there its files
 * would be untracked files of the change, and its spec copy a second spec.
 */
export async function checkBundleFolder(git: Git, outDir: string): Promise<void> {
  const [root, real] = await Promise.all([realLocation(git.root), realLocation(outDir)]);
  const rel = relativeWithin(root, real);
  if (rel === undefined) return;
  const posix = rel.split(path.sep).join('/');
  if (posix === DEFAULT_REVIEWS_DIR) return;
  if (posix === '.git' || posix.startsWith('.git/')) {
    throw new UsageError(`will not write the review bundle in ${safePath(posix)}/: that is git's own folder, which git manages; leave --out out to write it in ${DEFAULT_REVIEWS_DIR}/, or pass a folder outside the repository`);
  }
  if (posix !== '' && (await git.exec(['check-ignore', '-q', '--', `${posix}/`], { allowExit: [1, 128] })).code === 0) return;
  const shown = posix === '' ? 'the top folder' : `${safePath(posix)}/`;
  throw new UsageError(
    `will not write the review bundle in ${shown} of the repository: git does not ignore it, so the bundle would become part of the change and its spec copy a second spec; leave --out out to write it in ${DEFAULT_REVIEWS_DIR}/, or pass a folder outside the repository or one git ignores`,
  );
}

/**
 * Makes the hidden folder a bundle is written into, beside where it will go:
 * `.<name>.partial-<pid>-<6 hex>`. Hidden so that listings pass it by, in the same folder so
 * that the rename to its final name is one step on one file system.
 */
async function makePartialFolder(parent: string, name: string): Promise<string> {
  for (;;) {
    const dir = path.join(parent, `.${name}.partial-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Gives the filled hidden folder its bundle name: the name itself, or with `-2`, `-3`… when
 * that exists. A name that exists is never replaced: rename(2) refuses a folder with files in
 * it, and a name that exists in any form is passed over before the rename (two writers
 * racing for one name each rename a folder holding files, so one of them is refused).
 */
async function publishFolder(partial: string, parent: string, name: string): Promise<string> {
  for (let n = 1; n <= 100; n++) {
    const dir = path.join(parent, n === 1 ? name : `${name}-${n}`);
    if (await lstat(dir).then(() => true, () => false)) continue;
    try {
      await rename(partial, dir);
      return dir;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'ENOTDIR') throw err;
    }
  }
  throw new UsageError(`too many bundles named ${name} in ${parent}; remove old ones or pass --out`);
}

/** Writes the bundle and returns the absolute path of its folder. */
export async function writeBundle(source: BundleSource, opts: BundleOptions = {}): Promise<string> {
  const { git, changeSet } = source;
  if (opts.out !== undefined && opts.out.trim() === '') {
    throw new UsageError('the folder to write the review bundle under is empty; pass --out with a folder, or leave it out for .specgate/reviews/');
  }
  const { signal } = opts;
  signal?.throwIfAborted();
  // A bundle of nothing could still be approved, and would then let an empty commit through.
  if (changeSet.changes.length === 0) {
    throw new UsageError(
      changeSet.mode === 'staged'
        ? 'nothing to bundle: nothing is staged (stage the change with git add first)'
        : changeSet.base.ref !== 'HEAD'
          ? `nothing to bundle: no file differs from the merge base with ${changeSet.base.ref}`
          : 'nothing to bundle: no file differs from HEAD (the change is committed, or not made yet)',
    );
  }
  const now = opts.now ?? new Date();
  const outDir = opts.out !== undefined ? path.resolve(git.root, opts.out) : path.join(git.root, DEFAULT_REVIEWS_DIR);
  await checkBundleFolder(git, outDir);
  signal?.throwIfAborted();
  opts.onProgress?.('writing the patch…');

  // The patch goes to a temporary file as git writes it (a change may hold files of any
  // size); only what the review shows is kept in memory. Files too large to diff are in
  // it in full, and listed, not shown, in REVIEW.md and review.html.
  const tooLarge = new Set(changeSet.changes.filter((c) => c.tooLarge).map((c) => c.path));
  // When the review cannot show every line, the files with a finding that needs a decision
  // are shown first (the rest share what is left of the budget).
  const decide = new Set(decisionFindings(source.report).map((f) => f.path));
  const patching = writeChangePatch(git, changeSet, { omit: (p) => tooLarge.has(p), first: (p) => decide.has(p), signal });
  const others = Promise.all([specFiles(source), git.userName(), git.userEmail(), rootCommits(git)]);
  others.catch(() => undefined);
  let patch: PatchFile;
  try {
    patch = await patching;
    mark('patch written');
  } catch (err) {
    // Its git calls are short: they end before the call does, so no git outlives it.
    await others.catch(() => undefined);
    throw err;
  }
  try {
    return await writeFolder(source, now, outDir, patch, await others, opts);
  } finally {
    await patch.dispose();
  }
}

/**
 * For a bundle of the staged change: the work tree's other changes (unstaged edits, untracked
 * files), which the review does not cover, named so that a short review of what is staged
 * does not read as the whole of the work (SpecGate's own records aside). Undefined when none.
 */
async function unstagedNote(git: Git, signal?: AbortSignal): Promise<string | undefined> {
  const out = await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=dirty'], { signal }).catch(() => '');
  const paths = out
    .split('\0')
    .filter((e) => e.length > 3 && (e.startsWith('??') || e[1] !== ' '))
    .map((e) => e.slice(3))
    .filter((p) => !isRecordPath(p));
  if (paths.length === 0) return undefined;
  return `${paths.length} more changed ${paths.length === 1 ? 'file is' : 'files are'} not staged, so not part of this review: ${someOf(paths, 5, safePath)}`;
}

/** Checks the patch, renders the review, and writes it all into a new folder under `outDir`. */
async function writeFolder(
  source: BundleSource,
  now: Date,
  outDir: string,
  patch: PatchFile,
  [files, name, email, roots]: [{ path: string; content: Buffer }[], string | undefined, string | undefined, string[]],
  { signal, onProgress }: BundleOptions,
): Promise<string> {
  const { report, changeSet } = source;
  signal?.throwIfAborted();
  checkPatchMatches(patch.diffs, changeSet);
  onProgress?.('rendering the review…');

  const info: PacketInfo = {
    tool: { name: 'specgate', version: VERSION },
    createdAt: now.toISOString(),
    author: { name: name ?? '', email: email ?? '' },
    change: { mode: changeSet.mode, base: changeSet.mode === 'worktree' && changeSet.base.ref !== 'HEAD' ? changeSet.base.ref : null },
    repository: { roots },
  };
  const notes = [...(changeSet.notes ?? [])];
  if (changeSet.mode === 'staged') {
    const left = await unstagedNote(source.git, signal);
    if (left) notes.push(left);
  }
  if (notes.length) info.notes = notes;
  const packet: Packet = { ...report, ...info };
  const meta: ReviewMeta = { version: VERSION, time: info.createdAt, author: info.author, mode: changeSet.mode };
  if (info.change.base !== null) meta.baseOption = info.change.base;
  const changeOf = new Map(changeSet.changes.map((c) => [c.path, c]));
  const reportOf = new Map(report.changes.map((c) => [c.path, c]));
  const input: ReviewInput = {
    report,
    diffs: patch.diffs.map((d) => classifyHunks(withLargeFacts(d, changeOf.get(d.path)), reportOf.get(d.path))),
    specFiles: files.map((f) => ({ path: f.path, text: f.content.toString('utf8') })),
    meta,
  };
  if (info.notes) input.notes = info.notes;
  // changes.patch is copied from its temporary file, in its place among the others;
  // packet.json comes last, so that a folder holding it holds a whole bundle.
  const lineText = await findingLines(source.git, changeSet, report.findings);
  const markdown = renderMarkdown(input);
  mark('REVIEW.md rendered');
  signal?.throwIfAborted();
  const html = await renderHtml(input);
  mark('review.html rendered');
  signal?.throwIfAborted();
  const contents: [string, string | Buffer | { copyOf: string }][] = [
    ['REVIEW.md', markdown],
    ['review.html', html],
    ['changes.patch', { copyOf: patch.file }],
    ['review.sarif', JSON.stringify(renderSarif(report, { notes: info.notes, lineText }), null, 2) + '\n'],
    // spec/ holds the spec's documents only (see isSpecCopyName); review.html shows every file.
    ...files
      .map((f): [string, Buffer] => [specCopyPath(source.spec.id, f.path), f.content])
      .filter(([rel]) => isSpecCopyName(rel))
      .map(([rel, content]): [string, Buffer] => [`spec/${rel}`, content]),
    ['packet.json', JSON.stringify(packet, null, 2) + '\n'],
  ];

  // The default folder, made by this bundle: it gets a .gitignore (see ignoreBundles).
  const newFolder = outDir === path.join(source.git.root, DEFAULT_REVIEWS_DIR) && !(await lstat(outDir).then(() => true, () => false));
  try {
    await makeFolders(outDir);
  } catch (err) {
    throw describeWriteError(err, outDir);
  }
  await removeStalePartials(outDir, isPartialBundleFolderName, 'folder');
  const bundleName = `${safeName(bundleSpecName(report.spec))}-${stamp(now)}-${report.digest.replace(/^sha256:/, '').slice(0, 8)}`;
  let partial: string;
  try {
    partial = await makePartialFolder(outDir, bundleName);
  } catch (err) {
    throw describeWriteError(err, outDir);
  }
  let dir: string;
  try {
    const folders = new Set([partial]);
    const written: string[] = [];
    for (const [rel, data] of contents) {
      signal?.throwIfAborted();
      onProgress?.(`writing ${rel}…`);
      const file = path.join(partial, rel);
      if (!folders.has(path.dirname(file))) {
        await makeFolders(path.dirname(file));
        for (let d = path.dirname(file); d !== partial && !folders.has(d); d = path.dirname(d)) folders.add(d);
      }
      if (typeof data === 'object' && 'copyOf' in data) await copyNewFile(data.copyOf, file);
      else await writeNewFile(file, data, { signal, sync: false });
      written.push(file);
    }
    // (An abort from here on changes nothing: the bundle is whole.) Every file, then every
    // folder's entries (deepest first), is on disk before the rename can be.
    await syncFiles(written);
    for (const d of [...folders].sort((a, b) => b.length - a.length)) await syncFolder(d);
    dir = await publishFolder(partial, outDir, bundleName);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    if (signal?.aborted) throw signal.reason;
    if (err instanceof UsageError) throw err;
    throw describeWriteError(err, outDir);
  }
  await syncFolder(outDir);
  if (newFolder) await ignoreBundles(outDir);
  mark('bundle folder written');
  return dir;
}

/**
 * Keeps bundles in the default folder out of Source Control and `git add -A`, as tools do
 * with their caches: a `.gitignore` in the folder, written when a bundle made the folder, so
 * one the user removed stays removed, and never over a file there. A failure to write it
 * costs the bundle nothing.
 */
async function ignoreBundles(outDir: string): Promise<void> {
  try {
    await writeNewFile(path.join(outDir, '.gitignore'), REVIEWS_GITIGNORE, { sync: false });
  } catch {
    // there already (EEXIST), or the folder is not writable for it: leave it
  }
}
