// Writes a review bundle: a NEW folder `<out>/<spec>-<yyyymmdd-hhmmss>-<digest8>/` with
// packet.json, REVIEW.md, review.html, changes.patch, review.sarif and spec/ (the spec's
// documents; see isSpecCopyName). A folder in the work tree other than .specgate/reviews/ is
// refused unless git ignores it (the bundle would be part of the change). Everything is
// computed before the folder is made; a failure while writing removes the folder again,
// and an existing folder is never written into.
import { lstat, mkdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { postImageId } from '../core/diffparse';
import { UsageError, type ChangeSet, type Report, type Spec } from '../core/model';
import { isSpecCopyName } from '../core/records';
import { classifyHunks, splitPatch } from '../core/render/diffview';
import { renderHtml } from '../core/render/html';
import { renderMarkdown } from '../core/render/markdown';
import type { ReviewInput, ReviewMeta } from '../core/render/reviewdata';
import { renderSarif } from '../core/render/sarif';
import { VERSION } from '../core/version';
import type { Git } from './git';
import { makeFolders } from './folders';
import { changePatch } from './patch';

export const DEFAULT_REVIEWS_DIR = '.specgate/reviews';
const MAX_SPEC_FILE = 2 * 1024 * 1024;

/** What a bundle is made from: the result of analysing the repository. */
export interface BundleSource {
  report: Report;
  spec: Spec;
  git: Git;
  changeSet: ChangeSet;
  /**
   * The spec files' bytes the analysis read; required for a staged change (the index's,
   * see analyzeRepository), so that spec/ holds the very spec the report describes.
   */
  specContents?: ReadonlyMap<string, Buffer>;
}

export interface BundleOptions {
  /** Folder to write the bundle under; default `.specgate/reviews/` at the repo root. */
  out?: string;
  /** The bundle's time (tests). */
  now?: Date;
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
}

export type Packet = Report & PacketInfo;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
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

/** The spec files as reviewed: for a staged change the index's as analysed, else the working tree. */
async function specFiles(source: BundleSource): Promise<{ path: string; content: Buffer }[]> {
  const staged = source.changeSet.mode === 'staged';
  if (staged && !source.specContents) throw new Error('a staged bundle needs the spec texts its analysis read (specContents)');
  const out: { path: string; content: Buffer }[] = [];
  for (const f of source.spec.files) {
    if (!safeRelative(f)) continue;
    let content: Buffer | undefined;
    if (staged) {
      content = source.specContents!.get(f);
    } else {
      const abs = path.join(source.git.root, f);
      const st = await lstat(abs).catch(() => undefined);
      // A symlink is stored as its target text, as git does: never follow it out of the repo.
      if (st?.isSymbolicLink()) content = Buffer.from(await readlink(abs));
      else if (st?.isFile() && st.size <= MAX_SPEC_FILE) content = await readFile(abs);
    }
    if (content && content.length <= MAX_SPEC_FILE) out.push({ path: f, content });
  }
  return out;
}

/** Checks that the patch describes every change, with the very blobs the digest was computed from. */
function checkPatchMatches(patch: string, changeSet: ChangeSet): void {
  const byPath = new Map(changeSet.changes.map((c) => [c.path, c]));
  const diffs = splitPatch(patch, { maxLinesPerFile: 0, maxLinesTotal: 0 });
  const inPatch = new Set(diffs.map((d) => d.path));
  for (const c of changeSet.changes) {
    if (!inPatch.has(c.path)) throw new UsageError(`${c.path} changed while the bundle was being written (it is missing from the patch); run specgate bundle again`);
  }
  for (const d of diffs) {
    const change = byPath.get(d.path);
    const post = postImageId(d.header);
    if (!change || post === undefined || change.newBlob === undefined || /^0+$/.test(post)) continue;
    if (post !== change.newBlob) {
      throw new UsageError(`${d.path} changed while the bundle was being written; run specgate bundle again`);
    }
  }
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
  const rel = path.relative(root, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return;
  const posix = rel.split(path.sep).join('/');
  if (posix === DEFAULT_REVIEWS_DIR) return;
  if (posix !== '' && (await git.exec(['check-ignore', '-q', '--', `${posix}/`], { allowExit: [1, 128] })).code === 0) return;
  const shown = posix === '' ? 'the top folder' : `${posix.replace(/[\0-\x1f\x7f]/g, '?')}/`;
  throw new UsageError(
    `will not write the review bundle in ${shown} of the repository: git does not ignore it, so the bundle would become part of the change and its spec copy a second spec; leave --out out to write it in ${DEFAULT_REVIEWS_DIR}/, or pass a folder outside the repository or one git ignores`,
  );
}

/** Claims a new folder: the name itself, or with `-2`, `-3`… when it exists already. */
async function claimFolder(parent: string, name: string): Promise<string> {
  for (let n = 1; n <= 100; n++) {
    const dir = path.join(parent, n === 1 ? name : `${name}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new UsageError(`too many bundles named ${name} in ${parent}; remove old ones or pass --out`);
}

/** Writes the bundle and returns the absolute path of its folder. */
export async function writeBundle(source: BundleSource, opts: BundleOptions = {}): Promise<string> {
  const { report, git, changeSet } = source;
  if (opts.out !== undefined && opts.out.trim() === '') {
    throw new UsageError('the folder to write the review bundle under is empty; pass --out with a folder, or leave it out for .specgate/reviews/');
  }
  const now = opts.now ?? new Date();
  const outDir = opts.out !== undefined ? path.resolve(git.root, opts.out) : path.join(git.root, DEFAULT_REVIEWS_DIR);
  await checkBundleFolder(git, outDir);

  const [patch, files, name, email, roots] = await Promise.all([
    changePatch(git, changeSet),
    specFiles(source),
    git.userName(),
    git.userEmail(),
    rootCommits(git),
  ]);
  const patchText = patch.toString('utf8');
  checkPatchMatches(patchText, changeSet);

  const info: PacketInfo = {
    tool: { name: 'specgate', version: VERSION },
    createdAt: now.toISOString(),
    author: { name: name ?? '', email: email ?? '' },
    change: { mode: changeSet.mode, base: changeSet.mode === 'worktree' && changeSet.base.ref !== 'HEAD' ? changeSet.base.ref : null },
    repository: { roots },
  };
  const packet: Packet = { ...report, ...info };
  const meta: ReviewMeta = { version: VERSION, time: info.createdAt, author: info.author, mode: changeSet.mode };
  if (info.change.base !== null) meta.baseOption = info.change.base;
  const input: ReviewInput = {
    report,
    diffs: splitPatch(patchText).map((d) => classifyHunks(d, report.changes.find((c) => c.path === d.path))),
    specFiles: files.map((f) => ({ path: f.path, text: f.content.toString('utf8') })),
    meta,
  };
  const contents: [string, string | Buffer][] = [
    ['packet.json', JSON.stringify(packet, null, 2) + '\n'],
    ['REVIEW.md', renderMarkdown(input)],
    ['review.html', await renderHtml(input)],
    ['changes.patch', patch],
    ['review.sarif', JSON.stringify(renderSarif(report), null, 2) + '\n'],
    // spec/ holds the spec's documents only (see isSpecCopyName); review.html shows every file.
    ...files
      .map((f): [string, Buffer] => [specCopyPath(source.spec.id, f.path), f.content])
      .filter(([rel]) => isSpecCopyName(rel))
      .map(([rel, content]): [string, Buffer] => [`spec/${rel}`, content]),
  ];

  try {
    await makeFolders(outDir);
  } catch (err) {
    throw describeWriteError(err, outDir);
  }
  let dir: string;
  try {
    dir = await claimFolder(outDir, `${safeName(report.spec.name)}-${stamp(now)}-${report.digest.replace(/^sha256:/, '').slice(0, 8)}`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw describeWriteError(err, outDir);
  }
  try {
    for (const [rel, data] of contents) {
      const file = path.join(dir, rel);
      await makeFolders(path.dirname(file));
      await writeFile(file, data, { flag: 'wx' });
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw describeWriteError(err, outDir);
  }
  return dir;
}
