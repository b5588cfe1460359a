// Collects the change set from git: what changed, per file, with exact -U0 hunks, blob ids,
// modes and line counts. A handful of git calls whatever the number of files: one streamed
// `git diff --raw -p` and `ls-files --others` (with a change cache: `git diff --raw`, then a
// patch only for the files the cache lacks); the working-tree files are read and the old
// sides of sources rebuilt while git is still writing patches.
import { createReadStream, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gitDiffHeader, isNullId, pairSections, unchangedGitlink, postImageId, parseNumstatZ, parseRawWithPatch, parseRawZ, PatchParser, type PatchSection, type RawEntry } from '../core/diffparse';
import { isScriptPath, scanExports } from '../core/exports';
import { decodeWorkingTree } from '../core/encoding';
import { BLOB_HEADER_ROOM, blobIdInPlace, countLines, EMPTY_TREE, gitBlobId, lfsPointer, looksBinary } from '../core/gitblob';
import { liveDiff } from '../core/livediff';
import { lineSimilarity, MOVE_SIMILARITY } from '../core/similarity';
import { ADDED_LINE_WORDS, editWork, sectionWork, textWork, workClassOf, type HeldWork } from '../core/placeholders';
import { oldFromNew } from '../core/reverse';
import { UsageError, type ChangeSet, type ChangeStatus, type FileChange, type Hunk } from '../core/model';
import { safePath, safeText, someOf } from '../core/render/text';
import { textByName } from '../core/textFiles';
import { reformatted, type Reformat } from '../core/reformat';
import { whitespaceChanged, whitespaceOnly, type WhitespaceChanged, type WhitespaceOnly } from '../core/whitespace';
import { isRecordPath, RECORD_DIRS, recordKind } from '../core/records';
import { appendDiffCache, loadDiffCache, MAX_APPENDS, PAIR_HEAD, pairKey, saveDiffCache, type CacheEntries, type CachedExports, type CachedPair, type CachedPlaceholders, type DiffCache } from './diffcache';
import { SAFE_DIFF_FLAGS, type Git } from './git';
import { mapLimit } from './mapLimit';
import { recordsInBlobs, recordsOnDisk } from './records';
import { readWorktreeAll, sideFromBlob, type Side } from './sides';
import { mark } from './timings';

export interface ChangeSetOptions {
  /** Compare from the merge base of this revision and HEAD to the working tree. */
  base?: string;
  /** Compare the index with HEAD. */
  staged?: boolean;
  /** Which files should carry oldText/newText (e.g. TS/JS sources for removed exports). */
  wantText?: (path: string) => boolean;
  /** Text is attached only for sides up to this size (default 1 MB). */
  maxTextBytes?: number;
  /** Files larger than this (either side) are listed with counts, not diffed (default 8 MB). */
  maxDiffBytes?: number;
  /** Aborting stops the git processes; the call then rejects. */
  signal?: AbortSignal;
  /** HEAD's commit (null: unborn) when the caller resolved it just now; else it is asked. */
  head?: string | null;
  /** The diff cache file (in the git folder; see diffcache.ts): read, and rewritten when it changed. Not with `staged`. */
  cacheFile?: string;
  /**
   * Scan JS/TS sources for their exports as each side is read, while git still writes the
   * patch, and compare the two sides at once (FileChange.exportsRemoved; oldExports and
   * newExports where they cannot be compared here). Text is kept only if `wantText`.
   */
  scanExports?: boolean;
}

/**
 * SpecGate's record folders (see core/records.ts). The main diff leaves them out; they are
 * diffed apart, names only, and only the files there that are not records by name and shape
 * join the change (a record never does).
 */
const RECORD_PATHSPECS = RECORD_DIRS.map((p) => `:(top)${p.slice(0, -1)}`);
const EXCLUDE_PATHSPECS = RECORD_DIRS.map((p) => `:(top,exclude)${p.slice(0, -1)}`);

/**
 * Untracked files, not ignored (those in the record folders are told apart afterwards), tagged
 * `? `, and in the same listing the index's unmerged entries (a conflict not yet resolved),
 * tagged `M ` (untrackedAndUnmerged reads it).
 */
const UNTRACKED_ARGS = ['ls-files', '-z', '-t', '--others', '--exclude-standard', '--unmerged'];

/** UNTRACKED_ARGS' output: the untracked paths, and the unmerged paths (once each). */
function untrackedAndUnmerged(out: string): { untracked: string[]; unmerged: Set<string> } {
  const untracked: string[] = [];
  const unmerged = new Set<string>();
  for (const item of splitZ(out)) {
    if (item.startsWith('? ')) untracked.push(item.slice(2));
    else if (item.startsWith('M ')) unmerged.add(item.slice(item.indexOf('\t') + 1));
  }
  return { untracked, unmerged };
}

/** The first five paths, shown, and how many more there are: `a, b, c, d, e and 2 more`. */
function someNames(paths: readonly string[]): string {
  return someOf(paths, 5, safePath);
}

/** The note for changed files whose merge conflict is not resolved (worktree only: --staged refuses them). */
export function unmergedNote(paths: readonly string[]): string {
  return paths.length === 1
    ? `${someNames(paths)} has a merge conflict not yet resolved: this change holds the file as it stands, conflict markers and all (resolve it and git add it, then review again)`
    : `${paths.length} files have merge conflicts not yet resolved (${someNames(paths)}): this change holds them as they stand, conflict markers and all (resolve them and git add them, then review again)`;
}

/**
 * The notes on the index's unmerged paths and on submodules checked out at the old commit
 * (`behind`: not in `changes`, see unchangedGitlink): files in conflict the change holds,
 * submodules in conflict, paths in conflict the change does not hold (a deletion by one side),
 * and the submodules merely behind the index.
 */
function conflictNotes(unmerged: ReadonlySet<string>, changes: readonly FileChange[], behind: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const p of behind) {
    // A submodule in conflict is one too: the conflict is what to say of it.
    if (!unmerged.has(p)) notes.push(`${safePath(p)} is a submodule whose checkout is still the old commit, while the index records another: as the work tree stands it has not changed, so it is not part of this change (git submodule update checks out the commit the index records)`);
  }
  if (unmerged.size === 0) return notes;
  const gitlinks = new Set([...behind, ...changes.filter((c) => c.newMode === '160000' || c.oldMode === '160000').map((c) => c.path)]);
  const held = new Set([...changes.map((c) => c.path), ...behind]);
  const conflicted = [...unmerged].filter((p) => held.has(p)).sort();
  const files = conflicted.filter((p) => !gitlinks.has(p));
  if (files.length > 0) notes.push(unmergedNote(files));
  for (const p of conflicted.filter((x) => gitlinks.has(x))) {
    notes.push(`${safePath(p)} is a submodule with a merge conflict not yet resolved: this change holds the commit its work tree has checked out (pick the commit, git add it, then review again)`);
  }
  // Unmerged, and as the work tree stands no change (a deletion by one side, the file as the base has it).
  const pending = [...unmerged].filter((p) => !held.has(p)).sort();
  if (pending.length === 1) {
    notes.push(`${someNames(pending)} has a merge conflict not yet resolved, and as the work tree stands it is not part of this change; resolving it (git rm or git add) may change that, so review again once resolved`);
  } else if (pending.length > 1) {
    notes.push(`${pending.length} files have a merge conflict not yet resolved (${someNames(pending)}), and as the work tree stands they are not part of this change; resolving them (git rm or git add) may change that, so review again once resolved`);
  }
  return notes;
}

/** The note for a repository in the work tree with no commit, which git add refuses and the change leaves out. */
function uncommittedNestedNote(dir: string): string {
  return `${safePath(dir)} is a git repository with no commit checked out: git add refuses it, so it is not part of this change and nothing in it is reviewed (commit in it first, or remove its .git folder to add its files here)`;
}

/** What changed in the record folders: names, modes and blob ids only, no renames. */
function recordDiffArgs(from: string, staged: boolean): string[] {
  return ['diff', '--raw', '-z', '--no-abbrev', ...SAFE_DIFF_FLAGS, '--no-renames', ...(staged ? ['--cached'] : []), from, '--', ...RECORD_PATHSPECS];
}

const DEFAULT_MAX_TEXT = 1024 * 1024;
const DEFAULT_MAX_DIFF = 8 * 1024 * 1024;
/** Above this much pathspec text, the files the cache lacks are diffed with all the others. */
const MAX_PATHSPEC_CHARS = 24 * 1024;
/** At most this many files are diffed early (see diffEarly), and read first as the latest runs' (DiffCache.recent); more (a checkout, say) and the diff waits for the hashes. */
const MAX_EARLY_DIFF = 256;
/** At most this many early diffs (each a git process). */
const MAX_EARLY_DIFFS = 4;
/** The files the last run read are read again in parts of this many (see collect's prefetch). */
const PREFETCH_PART = 320;

interface Work {
  entry: RawEntry;
  sections: PatchSection[];
  oldSide?: Side;
  newSide?: Side;
  /** The working-tree side has been read (or found missing). */
  newRead?: boolean;
  /** Its patch sections are all in (paired as they arrive; confirmed at the end). */
  sectionsIn?: boolean;
  /** The old side was rebuilt (or found not rebuildable) and both sides scanned. */
  settled?: boolean;
  /** Exports of the old side the new one lacks, when both sides were scanned (see FileChange). */
  exportsRemoved?: { name: string; oldLine: number }[];
  /** A submodule at another commit whose work tree has changes of its own (git marks the commit `-dirty`). */
  dirtyWorkTree?: boolean;
  /** Its hunks change whitespace alone (see FileChange.whitespaceOnly). */
  whitespace?: WhitespaceOnly;
  /** Lines that came back differing only in trailing whitespace (see FileChange.whitespaceChanged). */
  whitespaceChanged?: WhitespaceChanged;
  /** Its removed and added lines hold the same tokens but for a few (see FileChange.reformat). */
  reformat?: Reformat;
  /** What its changed lines hold: comments alone, placeholders, secrets, silencers (see core/placeholders.ts). */
  held?: HeldWork;
}

function statusOf(letter: string): ChangeStatus {
  switch (letter) {
    case 'A':
    case 'C':
      return 'added';
    case 'D':
      return 'deleted';
    case 'R':
      return 'renamed';
    case 'T':
      return 'type-changed';
    default:
      return 'modified';
  }
}

function diffArgs(from: string, staged: boolean, text: boolean, maxDiff: number): string[] {
  return [
    '-c',
    `core.bigFileThreshold=${maxDiff}`,
    'diff',
    '--raw',
    '-p',
    '-z',
    '-U0',
    '--inter-hunk-context=0',
    '--no-abbrev',
    // Full blob ids on the `index` line: a rebuilt old side is trusted when the post-image is the bytes read.
    '--full-index',
    ...SAFE_DIFF_FLAGS,
    // Hunks depend on the bytes only, never on a user's diff settings (the cache relies on it).
    '--diff-algorithm=myers',
    '--indent-heuristic',
    '-M',
    ...(text ? ['--text'] : []),
    ...(staged ? ['--cached'] : []),
    from,
  ];
}

/**
 * The git commands a first look at the uncommitted change runs side by side (each after
 * `SAFE_CONFIG`): the diff against `from` and the untracked listing. For the benchmark, which
 * times them alone as the least a Node tool pays.
 */
export function firstLookGitArgs(from: string): string[][] {
  return [[...diffArgs(from, false, false, DEFAULT_MAX_DIFF), '--', ...EXCLUDE_PATHSPECS], UNTRACKED_ARGS, recordDiffArgs(from, false)];
}

/**
 * The old side of a changed source file, rebuilt from its working-tree bytes and the patch;
 * undefined when that is not possible or the result is not the old blob.
 */
function rebuiltOldSide(w: Work, maxText: number): Side | undefined {
  const e = w.entry;
  if (w.sections.length !== 1) return undefined;
  const section = w.sections[0]!;
  if (section.binary || !section.bodies) return undefined;
  const n = w.newSide;
  const newBytes = e.status === 'D' ? Buffer.alloc(0) : n?.bytes;
  if (newBytes === undefined) return undefined;
  const rebuilt = oldFromNew(newBytes, section.hunks, section.bodies, BLOB_HEADER_ROOM, allocUnzeroed);
  if (rebuilt === null) return undefined;
  const bytes = rebuilt as Buffer;
  // When git's post-image is these very bytes, the patch describes them and the rebuilt side
  // is the old one; otherwise (a deletion, a rename without an index line) its blob id decides.
  if (e.status !== 'D' && n?.blob !== undefined && n.lines !== undefined && postImageId(section.extended) === n.blob) {
    const binary = looksBinary(bytes, e.oldPath ?? e.path);
    const side: Side = { blob: e.oldBlob, size: bytes.length, binary };
    if (!binary) {
      side.lines = n.lines - section.added + section.removed;
      if (bytes.length <= maxText) side.bytes = bytes;
    }
    return side;
  }
  if (blobIdInPlace(new Uint8Array(bytes.buffer, 0, bytes.byteOffset + bytes.length), bytes.byteOffset, bytes.byteOffset + bytes.length) !== e.oldBlob) return undefined;
  return sideFromBlob(bytes, bytes.length, e.oldBlob, true, maxText, e.oldPath ?? e.path);
}

/**
 * What a whole-change diff's stderr says of its rename detection: undefined when git paired
 * renames as usual; else the `diff.renameLimit` git says it would have needed (0 when it
 * names none). When the change adds and deletes too many files for that limit, git pairs by
 * content only files that kept their name. Its warnings are read in English: these runs
 * have LC_ALL=C.
 */
export function renameLimitNeeded(stderr: string): number | undefined {
  if (!stderr.includes('rename detection was skipped')) return undefined;
  const m = /set your diff\.renameLimit variable to at least (\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

/**
 * The files under `filter=lfs` that git lists as modified only because their stat data is
 * stale (touched, or copied back): the index holds the base's blob for the file, the mode is
 * the same, and the pointer git-lfs would store for the working-tree bytes is that blob, so
 * neither a commit nor `git add` would change it. SpecGate runs no filter; it computes the
 * pointer (gitblob.ts lfsPointer), streaming the file through SHA-256. The index must agree:
 * a file committed (or staged) raw since the base, or put under lfs by the change's own
 * `.gitattributes`, is a change whatever its bytes would make.
 */
async function unchangedLfsFiles(git: Git, changes: readonly FileChange[], filtered: ReadonlyMap<string, string>, signal?: AbortSignal): Promise<Set<string>> {
  const matched: FileChange[] = [];
  const candidates = changes.filter((c) => c.status === 'modified' && filtered.get(c.path) === 'lfs' && c.oldBlob !== undefined && c.oldMode === c.newMode && c.newMode !== '120000');
  await mapLimit(candidates, 4, async (c) => {
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(path.join(git.root, c.path), { signal })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (err) {
      if (signal?.aborted) throw err;
      return;
    }
    if (gitBlobId(Buffer.from(lfsPointer(hash.digest('hex'), size))) === c.oldBlob) matched.push(c);
  });
  if (matched.length === 0) return new Set();
  const staged = await git.indexBlobs(matched.map((c) => c.path), signal);
  return new Set(matched.filter((c) => staged.get(c.path) === c.oldBlob).map((c) => c.path));
}

/** The note for a change too big for git's diff.renameLimit (see renameLimitNeeded). */
export function renameLimitNote(needed: number): string {
  const fix = needed > 0 ? `set diff.renameLimit to at least ${needed} (git config diff.renameLimit ${needed}) to have them paired` : 'a higher diff.renameLimit may have them paired';
  return `git did not compare every added file with every deleted one for renames: the change adds and deletes more files than diff.renameLimit allows, so a tracked file renamed and edited is listed as deleted and added, and judged so, unless it kept its file name (renames without edits are still paired, and SpecGate pairs untracked files with deleted ones itself); ${fix}`;
}

/**
 * One note per filter driver that changed working-tree files are under: SpecGate does not run
 * it, so they are bound (and shown) by their working-tree bytes, and `git add` would store
 * what the driver makes of them.
 */
export function filterNotes(filtered: ReadonlyMap<string, string>): string[] {
  const byDriver = new Map<string, string[]>();
  for (const [file, driver] of filtered) byDriver.set(driver, [...(byDriver.get(driver) ?? []), file]);
  return [...byDriver].map(([driver, files]) => {
    const named = files.slice(0, 5).map(safePath).join(', ') + (files.length > 5 ? `, and ${files.length - 5} more` : '');
    const what = files.length === 1 ? `${named} is` : `${files.length} files (${named}) are`;
    return `${what} under the filter "${safeText(driver)}", which SpecGate does not run (it runs no program a repository names): bound and shown as the working tree has ${files.length === 1 ? 'it' : 'them'}, not as git add stores ${files.length === 1 ? 'it' : 'them'}, so this digest is not the staged change's; to review what the commit will hold, stage the change and use --staged`;
  });
}

/** Git's messages in English, for the few that are read (renameLimitNeeded); paths are unaffected (-z, core.quotepath=off). */
const C_MESSAGES = { LC_ALL: 'C' };

/** Whether a diff of some listed files gave them as the listing did: the same paths, pairs and statuses. */
function samePairs(listed: Work[], again: Work[]): boolean {
  if (listed.length !== again.length) return false;
  const want = new Map(listed.map((w) => [w.entry.path, w.entry]));
  return again.every(({ entry: e }) => {
    const l = want.get(e.path);
    // Each path once: a path given twice (two early diffs) must not stand in for one missing.
    want.delete(e.path);
    return l !== undefined && l.oldPath === e.oldPath && l.status === e.status;
  });
}

/** A buffer whose bytes the caller writes before reading (small ones come from Node's pool). */
const allocUnzeroed = (size: number): Uint8Array => Buffer.allocUnsafe(size);

/**
 * Whether the removed-export comparison of this change can be made here, once: a source
 * changed in place, or renamed to another source, or deleted. (Other cases, such as a
 * source renamed to a non-source, are left to the rule, with both sides' exports.)
 */
function exportsComparable(e: RawEntry, texts: SideTexts): boolean {
  if (!texts.scans(e.oldPath ?? e.path)) return false;
  return e.status === 'D' || ((e.status === 'M' || e.status === 'R') && texts.scans(e.path));
}

/** Sets `exportsRemoved` when both sides were scanned (see exportsComparable), and lets their lists go. */
function compareExports(w: Work, texts: SideTexts): void {
  const e = w.entry;
  const before = w.oldSide?.exports;
  if (!before || !exportsComparable(e, texts)) return;
  const after = e.status === 'D' ? undefined : w.newSide?.exports;
  if (e.status !== 'D' && !after) return;
  const removed: { name: string; oldLine: number }[] = [];
  // forEach, not for…of: no entry array per export (this runs for every changed source).
  before.forEach((oldLine, name) => {
    if (!after?.has(name)) removed.push({ name, oldLine });
  });
  w.exportsRemoved = removed;
  w.oldSide!.exports = undefined;
  if (w.newSide) w.newSide.exports = undefined;
}

/**
 * The change cache's key for a file (its old and new blob ids), or undefined when the file is
 * not one the cache holds: a type change, a conflict, a submodule, a binary or too-large side.
 */
function cacheKeyOf(w: Work, maxDiff: number): string | undefined {
  const e = w.entry;
  if (e.status === 'T' || e.status === 'U' || isGitlink(e.oldMode) || isGitlink(e.newMode)) return undefined;
  const n = w.newSide;
  if (e.status !== 'D' && (n?.blob === undefined || n.binary || n.size > maxDiff)) return undefined;
  return pairKey(e.status === 'A' || isNullId(e.oldBlob) ? undefined : e.oldBlob, e.status === 'D' ? undefined : n!.blob);
}

/**
 * The commit a submodule's work tree has checked out, from its patch's `index` line: git's
 * raw record gives no id for it when it differs from the index.
 */
function submoduleCommit(sections: readonly PatchSection[]): string | undefined {
  const id = sections.length === 1 ? postImageId(sections[0]!.extended) : undefined;
  return id !== undefined && /^[0-9a-f]{40,64}$/.test(id) && !isNullId(id) ? id : undefined;
}

function isGitlink(mode: string): boolean {
  return mode === '160000';
}

/** A submodule that only has changes in its own work tree: the same commit on both sides. */
function dirtySubmodule(e: RawEntry): boolean {
  return e.status === 'M' && isGitlink(e.oldMode) && isGitlink(e.newMode) && !isNullId(e.oldBlob) && e.newBlob === e.oldBlob;
}

const DIRTY_MARK = Buffer.from('-dirty');

/** Whether a submodule's patch marks its new commit `-dirty`: its work tree has changes of its own. */
function marksDirty(section: PatchSection): boolean {
  const b = section.bodies;
  if (!b) return false;
  // A few short lines (`-Subproject commit <id>`, `+Subproject commit <id>-dirty`), maybe cut between chunks.
  const parts: Uint8Array[] = [];
  for (let i = 0; i < b.pieces.length; i += 4) parts.push(b.buffers[b.pieces[i + 1]!]!.subarray(b.pieces[i + 2]!, b.pieces[i + 3]!));
  return Buffer.concat(parts).includes(DIRTY_MARK);
}

/** Splits a NUL-separated list, dropping the empty tail. */
function splitZ(s: string): string[] {
  const parts = s.split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A name's bytes as git quotes them when they are not UTF-8 (`src/caf\351.txt`). */
function shownBytes(name: Buffer): string {
  let out = '';
  for (const b of name) out += b === 0x5c ? '\\\\' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  return out;
}

/**
 * Git hands file names over as bytes, and SpecGate reads them as UTF-8: a name that is not
 * UTF-8 would be shown, bound and read as another name (`caf\uFFFD.txt`), and an untracked
 * one could not be read at all. Asked only when a name holds U+FFFD: the names of the change
 * as bytes, and a usage error naming those that are not UTF-8.
 */
async function refuseNonUtf8Names(git: Git, from: string, staged: boolean, signal?: AbortSignal): Promise<void> {
  const lists = await Promise.all([
    git.run(['diff', '--name-only', '-z', ...SAFE_DIFF_FLAGS, '--no-renames', ...(staged ? ['--cached'] : []), from, '--'], { encoding: 'buffer', signal }),
    staged ? Promise.resolve(Buffer.alloc(0)) : git.run(['ls-files', '-z', '--others', '--exclude-standard'], { encoding: 'buffer', signal }),
  ]);
  const bad: string[] = [];
  for (const out of lists) {
    for (let at = 0; at < out.length; ) {
      const end = out.indexOf(0, at);
      const name = out.subarray(at, end < 0 ? out.length : end);
      at = end < 0 ? out.length : end + 1;
      try {
        strictUtf8.decode(name);
      } catch {
        bad.push(shownBytes(name));
      }
    }
  }
  if (bad.length === 0) return;
  const one = bad.length === 1;
  throw new UsageError(
    `${one ? 'a file name' : `${bad.length} file names`} in the change ${one ? 'is' : 'are'} not UTF-8 (${someOf(bad, 3)}), so SpecGate can neither show ${one ? 'it' : 'them'} nor bind ${one ? 'it' : 'them'} to an approval; rename ${one ? 'it' : 'them'} to UTF-8 (git mv, or mv for a file git does not track yet)`,
  );
}

function hasOldBlob(e: RawEntry): boolean {
  return !isNullId(e.oldBlob) && !isGitlink(e.oldMode) && e.status !== 'A';
}

function hasNewSide(e: RawEntry): boolean {
  return e.status !== 'D' && !isGitlink(e.newMode) && e.newMode !== '000000';
}

/** Which sides' texts are read, and what becomes of them once read. */
interface SideTexts {
  /** The text of this path is needed, for the caller or for the export scan. */
  need(path: string): boolean;
  /** This path's exports are scanned. */
  scans(path: string): boolean;
  /** Scans a source's text for exports; drops text the caller did not ask to keep. */
  finish<S extends Side | null>(side: S, path: string): S;
}

function sideTexts(wantText: (p: string) => boolean, scan: boolean): SideTexts {
  const isSource = (p: string) => scan && isScriptPath(p);
  return {
    need: (p) => wantText(p) || isSource(p),
    scans: isSource,
    finish(side, p) {
      if (side?.bytes === undefined || side.exports !== undefined || side.text !== undefined) return side;
      const text = side.bytes.toString('utf8');
      if (isSource(p)) side.exports = scanExports(text);
      if (wantText(p)) side.text = text;
      return side;
    },
  };
}

/** Reads old (and, staged, new) blobs for `work` through one cat-file; fills the sides. */
function readBlobSides(
  git: Git,
  work: Work[],
  pickOld: (w: Work) => boolean,
  pickNew: (w: Work) => boolean,
  texts: SideTexts,
  maxText: number,
  maxDiff: number,
  signal?: AbortSignal,
): Promise<void> {
  const ids: string[] = [];
  const waiting = new Map<string, ((content: Buffer | null, size: number) => void)[]>();
  const ask = (id: string, cb: (content: Buffer | null, size: number) => void) => {
    const list = waiting.get(id);
    if (list) list.push(cb);
    else {
      waiting.set(id, [cb]);
      ids.push(id);
    }
  };
  for (const w of work) {
    const e = w.entry;
    const oldPath = e.oldPath ?? e.path;
    if (pickOld(w)) ask(e.oldBlob, (c, size) => (w.oldSide = texts.finish(sideFromBlob(c, size, e.oldBlob, texts.need(oldPath), maxText, oldPath), oldPath)));
    if (pickNew(w)) ask(e.newBlob, (c, size) => (w.newSide = texts.finish(sideFromBlob(c, size, e.newBlob, texts.need(e.path), maxText, e.path), e.path)));
  }
  return git.readBlobs(ids, (id, _type, content, size) => {
    for (const cb of waiting.get(id) ?? []) cb(content, size);
  }, maxDiff, signal);
}

/** Cache files being written (the change cache, the spec cache), not awaited where started. */
const cacheWrites = new Set<Promise<void>>();

/** Keeps `write` (which never rejects) among the writes cacheWritten waits for. */
export function trackCacheWrite(write: Promise<void>): void {
  cacheWrites.add(write);
  void write.finally(() => cacheWrites.delete(write));
}

/** Settles when the cache files of the last collection (and spec cache) are written. */
export async function cacheWritten(): Promise<void> {
  await Promise.all([...cacheWrites]);
}

/**
 * The change set: by default all uncommitted work against HEAD (staged, unstaged and
 * untracked-not-ignored files); `staged`: the index against HEAD; `base`: from the merge
 * base of BASE and HEAD to the working tree. An unborn HEAD compares with the empty tree.
 */
export async function collectChangeSet(git: Git, opts: ChangeSetOptions = {}): Promise<ChangeSet> {
  if (opts.base !== undefined && opts.staged) throw new UsageError('use either --base or --staged, not both');
  // A diff of the working tree writes the index it refreshes: it writes a copy (see withScratchIndex).
  return opts.staged ? collect(git, opts) : git.withScratchIndex((scratch) => collect(scratch, opts));
}

async function collect(git: Git, opts: ChangeSetOptions): Promise<ChangeSet> {
  // Early diffs (see diffEarly) still running when the collection ends (it failed, or the
  // whole change was diffed instead) are stopped: nothing reads them, and their git would
  // go on using the scratch index after it is removed.
  const ended = new AbortController();
  try {
    return await collectUntil(git, opts, ended.signal);
  } finally {
    ended.abort();
  }
}

async function collectUntil(git: Git, opts: ChangeSetOptions, ended: AbortSignal): Promise<ChangeSet> {
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT;
  const maxDiff = opts.maxDiffBytes ?? DEFAULT_MAX_DIFF;
  const wantText = opts.wantText ?? (() => false);
  const staged = !!opts.staged;
  // The files the last run read are read again at once, while git works out what changed:
  // those the latest runs diffed anew first, then the rest in parts. A file whose bytes are
  // the new side of no pair the cache holds has changed since: it is diffed early (see
  // diffEarly), as soon as the part it is in is read, or once git has listed the change.
  const prefetched = new Map<string, Side | null>();
  let prefetching: Promise<void> = Promise.resolve();
  const unknownRead: string[] = [];
  // Diffs those found so far; set once diffEarly can run (until then they wait).
  let flushUnknown: (() => void) | undefined;
  const cacheLoading =
    opts.cacheFile !== undefined && !staged
      ? loadDiffCache(opts.cacheFile, (paths, cache) => {
          const known = new Set<string>();
          for (const key of cache.pairs.keys()) known.add(key.slice(key.indexOf(':') + 1));
          const item = (p: string) => ({
            path: p,
            keepText: -1,
            set: (side: Side | null) => {
              prefetched.set(p, side);
              // Binary and too-large files are never in the cache (cacheKeyOf): diffed each run.
              if (side && (side.blob === undefined || side.binary || side.size > maxDiff || !known.has(side.blob))) unknownRead.push(p);
            },
          });
          const rest = new Set(paths);
          const first = cache.recent.filter((p) => rest.has(p)).slice(0, MAX_EARLY_DIFF);
          for (const p of first) rest.delete(p);
          const others = [...rest];
          prefetching = (async () => {
            await readWorktreeAll(git.root, first.map(item), maxDiff, false, true);
            flushUnknown?.();
            for (let i = 0; i < others.length; i += PREFETCH_PART) {
              await readWorktreeAll(git.root, others.slice(i, i + PREFETCH_PART).map(item), maxDiff, false, true);
              flushUnknown?.();
            }
          })();
          prefetching.catch(() => undefined);
        })
      : undefined;
  const texts = sideTexts(wantText, !!opts.scanExports);
  const keepOf = (p: string) => (texts.need(p) ? maxText : -1);
  const wantsOldText = (w: Work) => hasOldBlob(w.entry) && (texts.need(w.entry.oldPath ?? w.entry.path) || texts.need(w.entry.path));
  const signal = opts.signal;

  let from: string;
  let base: ChangeSet['base'];
  if (opts.base !== undefined) {
    // HEAD first: on an unborn branch `--base HEAD` (or any base) can only fail, and this says why.
    const resolving = git.resolveCommit(opts.base);
    resolving.catch(() => undefined);
    const head = await git.headCommit();
    if (head === null) throw new UsageError(`--base needs a commit on HEAD, and the current branch has none yet; commit first or drop --base`);
    const baseCommit = await resolving;
    from = await git.mergeBase(baseCommit, head, [opts.base, 'HEAD']);
    base = { ref: opts.base, commit: from };
  }

  if (opts.base === undefined) {
    const head = opts.head !== undefined ? opts.head : await git.headCommit();
    from = head ?? EMPTY_TREE;
    base = { ref: 'HEAD', commit: head };
  }

  // With a cache file, the list of changes is asked for first of all (it is what the
  // cached path waits on); without one, the full diff below.
  const rawArgs = ['diff', '--raw', '-z', '--no-abbrev', ...SAFE_DIFF_FLAGS, '-M', from!, '--', ...EXCLUDE_PATHSPECS];
  const listing = opts.cacheFile !== undefined && !staged && existsSync(opts.cacheFile) ? git.exec(rawArgs, { encoding: 'buffer', signal, env: C_MESSAGES }) : undefined;
  listing?.catch(() => undefined);

  // The record folders, apart: the files changed there that are not records (by name and
  // shape, as the index holds them with --staged, else as the working tree does). A record
  // deleted is no change either.
  const recordDirChanges = git.run(recordDiffArgs(from!, staged), { encoding: 'buffer', signal }).then(async (out) => {
    const entries = parseRawZ(out, 0, true).entries;
    // Only a regular file that is not executable can be a record (its mode as git sees it).
    const present = entries.filter((e) => e.status !== 'D' && recordKind(e.path) !== undefined && e.newMode === '100644');
    const records = staged
      ? await recordsInBlobs(git, present.map((e) => ({ path: e.path, blob: e.newBlob, mode: e.newMode })), signal).then((ok) => new Set(present.filter((_, i) => ok[i]).map((e) => e.path)))
      : await recordsOnDisk(git.root, present.map((e) => e.path));
    if (!staged) refuseRecordsOutsideSparse(git.root, present.filter((e) => !records.has(e.path) && !isNullId(e.newBlob)).map((e) => e.path));
    return entries.filter((e) => !(e.status === 'D' ? recordKind(e.path) !== undefined : records.has(e.path))).map((e) => e.path);
  });
  recordDirChanges.catch(() => undefined);

  // Untracked files: listed beside the diff, read as soon as they are known; in the record
  // folders, only those that are not records.
  const untracked = new Map<string, Side>();
  // A name that may not be UTF-8 (see refuseNonUtf8Names).
  let suspectNames = false;
  // Repositories nested in the work tree, untracked: `git add` would record each as a gitlink.
  const nestedRepos: FileChange[] = [];
  const nestedNotes: string[] = [];
  // The index's unmerged paths (worktree only), from the untracked listing.
  let unmergedPaths = new Set<string>();
  // What a new file's lines hold: comments alone, placeholders, secrets, silencers (see core/placeholders.ts).
  const untrackedHeld = new Map<string, HeldWork>();
  const readUntracked = (paths: string[]) =>
    readWorktreeAll(
      git.root,
      paths.map((p) => ({
        path: p,
        keepText: maxText,
        set: (s: Side | null) => {
          if (!s) return;
          if (s.bytes !== undefined && !s.binary && !s.nul) {
            const held = textWork(p, s.bytes.toString('utf8'));
            if (held.commentOnly || held.placeholders || held.secrets || held.silenced) untrackedHeld.set(p, held);
          }
          untracked.set(p, texts.finish(s, p));
          if (!texts.need(p)) s.bytes = undefined;
        },
      })),
      maxDiff,
      true,
    );
  // With a listing under way, after it: the two walks of the tree would share the cores.
  const untrackedDone = staged
    ? Promise.resolve()
    : (listing ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => git.run(UNTRACKED_ARGS, { signal }))
        .then(async (out) => {
          const listing = untrackedAndUnmerged(out);
          const all = listing.untracked;
          unmergedPaths = listing.unmerged;
          if (all.some((p) => p.includes('\uFFFD'))) suspectNames = true;
          const listed = all.filter((p) => !p.endsWith('/'));
          const nested = (async () => {
            const dirs = all.filter((p) => p.endsWith('/')).map((p) => p.slice(0, -1));
            for (let i = 0; i < dirs.length; i += 8) {
              const heads = await Promise.all(dirs.slice(i, i + 8).map((d) => git.nestedHead(d)));
              heads.forEach((head, k) => {
                const dir = dirs[i + k]!;
                // One git cannot read is refused: it might be a commit's, and nothing would bind it.
                if (head === undefined) throw new UsageError(`${safePath(dir)} is a git repository inside the work tree whose HEAD git cannot read (git rev-parse HEAD fails there); repair it, or move it out of the work tree`);
                if (head === 'unborn') nestedNotes.push(uncommittedNestedNote(dir));
                else nestedRepos.push({ path: dir, status: 'added', binary: true, added: 0, removed: 0, hunks: [], newMode: '160000', newBlob: head });
              });
            }
          })();
          const inRecordDirs = listed.filter(isRecordPath);
          const read = readUntracked(inRecordDirs.length ? listed.filter((p) => !isRecordPath(p)) : listed);
          if (inRecordDirs.length) {
            // Untracked: the mode is the file's own, and an executable one is no record where git records the bit.
            const records = await recordsOnDisk(git.root, inRecordDirs.filter((p) => recordKind(p) !== undefined), () => git.trustsExecutableBit());
            await readUntracked(inRecordDirs.filter((p) => !records.has(p)));
          }
          await Promise.all([read, nested]);
        });
  // Keep a failure here from going unhandled while the diff runs; it is awaited below.
  untrackedDone.catch(() => undefined);

  // Set when a diff of the whole change says git compared only same-name files for renames (diff.renameLimit).
  let renamesNeeded: number | undefined;
  const seeRenameLimit = (stderr: string) => {
    const needed = renameLimitNeeded(stderr);
    if (needed !== undefined) renamesNeeded = Math.max(renamesNeeded ?? 0, needed);
  };
  // The whole change, as streamChanges is given it (its renames are the report's).
  const WHOLE = ['--', ...EXCLUDE_PATHSPECS];
  // Submodules whose checkout is the old commit while the index records another (see unchangedGitlink).
  const behindCheckouts = new Set<string>();

  // The diff, streamed: raw records and patches for `pathArgs` (a pathspec list after `--`).
  // With `only`, of just those paths of the record folders, taken without renames as their
  // listing was.
  const streamChanges = async (pathArgs: string[], env?: Record<string, string>, only?: ReadonlySet<string>, callSignal = signal): Promise<Work[]> => {
    const keep = only ? (e: RawEntry) => only.has(e.path) : (e: RawEntry) => !isRecordPath(e.path);
    // Once the raw records are in, read the other sides while git writes the patches
    // (working-tree files in this process, blobs through cat-file), and parse the patches as
    // they come.
    let head: Buffer = Buffer.alloc(0);
    let rawParsed = 0;
    let rawDone = false;
    const entries: RawEntry[] = [];
    const work: Work[] = [];
    const workOf = new Map<RawEntry, Work>();
    // Outside --staged the old side of a source file is rebuilt from the patch and the
    // working-tree bytes (checked against its blob id), so no blob is read for it: as soon
    // as a file's patch is in and its working-tree side read, while git writes the rest.
    const settle = (w: Work) => {
      if (w.settled || !w.sectionsIn || (!staged && hasNewSide(w.entry) && !w.newRead)) return;
      w.settled = true;
      if (!staged && isGitlink(w.entry.newMode) && w.sections.some(marksDirty)) w.dirtyWorkTree = true;
      if (!staged && w.oldSide === undefined && wantsOldText(w)) w.oldSide = texts.finish(rebuiltOldSide(w, maxText) ?? null, w.entry.oldPath ?? w.entry.path) ?? undefined;
      compareExports(w, texts);
      if (w.sections.length === 1) {
        const s = w.sections[0]!;
        w.whitespace = whitespaceOnly(s);
        // Only for what looks like a rewrite (see whitespaceChanged), while the bodies are here.
        if (w.whitespace === undefined) {
          const oldLines = oldLineCountOf(w);
          w.whitespaceChanged = whitespaceChanged(s, oldLines);
          w.reformat = reformatted(s, oldLines);
        }
        if (w.whitespace === undefined && w.entry.status !== 'D') w.held = sectionWork(s, w.entry.path);
      }
      if (w.newSide) w.newSide.bytes = undefined;
      if (w.oldSide) w.oldSide.bytes = undefined;
      for (const section of w.sections) section.bodies = undefined;
    };
    // Sections are paired with raw records as they complete (git writes both in one order);
    // the pairing at the end is the one that counts, and a rebuilt side is checked anyway.
    let pairAt = 0;
    const onSection = (section: PatchSection) => {
      for (; pairAt < entries.length; pairAt++) {
        const e = entries[pairAt]!;
        if (section.header !== gitDiffHeader(e.oldPath ?? e.path, e.path)) continue;
        const w = workOf.get(e);
        if (w) w.sections.push(section);
        if (!w || e.status !== 'T' || w.sections.length === 2) {
          pairAt++;
          if (w) {
            w.sectionsIn = true;
            settle(w);
          }
        }
        return;
      }
    };
    const patch = new PatchParser({ keepBodies: true, onSection, watch: ADDED_LINE_WORDS });
    let patchStarted = false;
    const feedPatch = (bytes: Buffer) => {
      let from = 0;
      if (!patchStarted) {
        while (from < bytes.length && bytes[from] === 0) from++; // the NUL after the raw records
        if (from === bytes.length) return;
        patchStarted = true;
      }
      patch.push(bytes.subarray(from));
    };
    let sidesDone: Promise<void> = Promise.resolve();
    const startSides = () => {
      mark('raw records in');
      for (const e of entries) {
        if (!keep(e)) continue;
        const w: Work = { entry: e, sections: [] };
        work.push(w);
        workOf.set(e, w);
      }
      const blobs = readBlobSides(
        git,
        work,
        (w) => staged && wantsOldText(w),
        (w) => staged && hasNewSide(w.entry) && !isNullId(w.entry.newBlob),
        texts,
        maxText,
        maxDiff,
        signal,
      );
      const files = staged
        ? Promise.resolve()
        : readWorktreeAll(
            git.root,
            work
              .filter((w) => hasNewSide(w.entry))
              .map((w) => ({
                path: w.entry.path,
                keepText: keepOf(w.entry.path),
                set: (s: Side | null) => {
                  if (s) w.newSide = texts.finish(s, w.entry.path);
                  w.newRead = true;
                  settle(w);
                },
              })),
            maxDiff,
          );
      sidesDone = Promise.all([blobs, files]).then(() => undefined);
      sidesDone.catch(() => undefined);
    };
    const stderr = await git.stream([...diffArgs(from!, staged, false, maxDiff), ...(only ? ['--no-renames'] : []), ...pathArgs], (chunk) => {
      if (rawDone) return feedPatch(chunk);
      head = head.length ? Buffer.concat([head, chunk]) : chunk;
      const r = parseRawZ(head, rawParsed, false);
      entries.push(...r.entries);
      rawParsed = r.end;
      if (!r.complete && rawParsed > 0) {
        head = head.subarray(rawParsed);
        rawParsed = 0;
      }
      if (r.complete) {
        rawDone = true;
        startSides();
        feedPatch(head.subarray(r.end));
        head = Buffer.alloc(0);
      }
    }, { signal: callSignal, env: { ...env, ...C_MESSAGES } });
    if (pathArgs === WHOLE) seeRenameLimit(stderr);
    if (!rawDone) {
      const r = parseRawZ(head, rawParsed, true);
      entries.push(...r.entries);
      rawDone = true;
      startSides();
      feedPatch(head.subarray(r.end));
    }
    mark('diff stream ended');
    for (const { entry, sections } of pairSections(entries, patch.end())) {
      const w = workOf.get(entry);
      if (w) w.sections = sections;
    }
    await sidesDone;
    mark('sides read');
    for (const w of work) {
      w.sectionsIn = true;
      w.newRead = true;
      settle(w);
    }
    mark('old sides rebuilt');
    return work.filter((w) => {
      if (!unchangedGitlink(w.entry, w.sections)) return true;
      behindCheckouts.add(w.entry.path);
      return false;
    });
  };

  // The cached path: `git diff --raw` (no patch), the working-tree sides read and hashed,
  // and each file whose blob pair (and old exports, for a source) the cache holds settled
  // from it. The rest stay unsettled, for git to diff.
  const listChanges = async (cache: DiffCache): Promise<Work[]> => {
    const { stdout: out, stderr } = await (listing ?? git.exec(rawArgs, { encoding: 'buffer', signal, env: C_MESSAGES }));
    seeRenameLimit(stderr);
    const listed: Work[] = parseRawZ(out, 0, true)
      .entries.filter((e) => !isRecordPath(e.path))
      .map((entry) => ({ entry, sections: [] }));
    mark('raw records in (cached path)');
    // Now also the files found changed since the first ones were read, and those the last run
    // did not read (changed since, or renamed), if few.
    const read = new Set(cache.paths);
    const byPath = new Map(listed.map((w) => [w.entry.path, w]));
    const more = [...unknownRead.map((p) => byPath.get(p)), ...listed.filter((w) => hasNewSide(w.entry) && !read.has(w.entry.path))].filter(
      (w): w is Work => w !== undefined && !earlyDiffs.some((d) => d.paths.has(w.entry.path)),
    );
    if (more.length * 2 <= listed.length) diffEarly(pathsOf([...new Set(more)]));
    await prefetching;
    mark('prefetched files read');
    const unread: Work[] = [];
    for (const w of listed) {
      if (!hasNewSide(w.entry)) continue;
      const side = prefetched.get(w.entry.path);
      if (side === undefined) unread.push(w);
      else {
        w.newSide = side ?? undefined;
        w.newRead = true;
      }
    }
    await readWorktreeAll(
      git.root,
      unread.map((w) => ({
        path: w.entry.path,
        keepText: -1,
        set: (side: Side | null) => {
          if (side) w.newSide = side;
          w.newRead = true;
        },
      })),
      maxDiff,
      false,
      true,
    );
    for (const w of listed) {
      const e = w.entry;
      const key = cacheKeyOf(w, maxDiff);
      const pair = key === undefined ? undefined : cache.pairs.get(key);
      // An entry worked out for a path of another kind (comment style, test or not): diffed again.
      if (!pair || pair[7] !== workClassOf(e.path)) continue;
      const n = w.newSide;
      const oldBlob = hasOldBlob(e) ? e.oldBlob : undefined;
      const oldPath = e.oldPath ?? e.path;
      // The caller wants text (an added file's too): git gives it, where the cache holds none.
      if (wantText(oldPath) || wantText(e.path)) continue;
      // A source's removed exports come with its pair; a source pair without them is diffed.
      let gone: { name: string; oldLine: number }[] | undefined;
      if (oldBlob !== undefined && texts.scans(oldPath)) {
        const flat = exportsComparable(e, texts) ? cache.gone.get(key!) : undefined;
        if (!flat) continue;
        gone = [];
        for (let i = 0; i < flat.length; i += 2) gone.push({ name: flat[i] as string, oldLine: flat[i + 1] as number });
      }
      const oldSide: Side | undefined = oldBlob !== undefined ? { blob: oldBlob, size: 0, binary: false } : undefined;
      const hunks: Hunk[] = [];
      for (let i = PAIR_HEAD; i < pair.length; i += 4) hunks.push({ oldStart: pair[i]!, oldLines: pair[i + 1]!, newStart: pair[i + 2]!, newLines: pair[i + 3]! });
      w.whitespace = WHITESPACE_CODE[pair[3]!];
      w.whitespaceChanged = whitespaceChangedOf(pair);
      w.reformat = reformatOf(pair);
      w.held = heldOf(pair, cache.stubs.get(key!));
      if (n) n.lines = pair[2]!;
      w.sections = [{ header: gitDiffHeader(oldPath, e.path), extended: [], hunks, added: pair[0]!, removed: pair[1]!, hasNul: false, binary: false }];
      w.oldSide = oldSide;
      w.exportsRemoved = gone;
      if (n) n.bytes = undefined;
      w.settled = true;
    }
    return listed;
  };

  const pathsOf = (ws: Work[]) => ws.flatMap((w) => (w.entry.oldPath !== undefined ? [w.entry.oldPath, w.entry.path] : [w.entry.path]));
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  // Files the cache lacks, found before all are read (see the prefetch above): git is asked
  // for their patch at once, while the rest are listed, read and hashed. Which files the
  // cache settles is still decided by each file's own hash once all are read.
  const earlyDiffs: { paths: ReadonlySet<string>; diffing: Promise<Work[]>; stop: AbortController }[] = [];
  const diffEarly = (paths: string[]) => {
    if (paths.length === 0 || paths.length > MAX_EARLY_DIFF || paths.reduce((n, p) => n + p.length + 1, 0) > MAX_PATHSPEC_CHARS) return;
    const stop = new AbortController();
    const diffing = streamChanges(['--', ...paths], literal, undefined, AbortSignal.any(signal ? [signal, stop.signal, ended] : [stop.signal, ended]));
    diffing.catch(() => undefined);
    earlyDiffs.push({ paths: new Set(paths), diffing, stop });
  };
  let flushed = 0;
  flushUnknown = () => {
    if (flushed === unknownRead.length || earlyDiffs.length >= MAX_EARLY_DIFFS) return;
    diffEarly(unknownRead.slice(flushed).filter((p) => !earlyDiffs.some((d) => d.paths.has(p))));
    flushed = unknownRead.length;
  };
  flushUnknown();
  const cache = cacheLoading ? await cacheLoading : undefined;
  let work: Work[];
  let learnt = true;
  let fromCache = 0;
  let diffedEarly = 0;
  if (cache && cache.pairs.size > 0) {
    // Files whose blob pair is in the cache need no patch: git lists the changes, this
    // process reads the working tree, and git diffs only the rest.
    const listed = await listChanges(cache);
    const misses = listed.filter((w) => !w.settled);
    const missPaths = pathsOf(misses);
    learnt = misses.length > 0;
    fromCache = listed.length - misses.length;
    // The early diffs (see diffEarly) serve when they cover every miss; else they are stopped.
    const earlyServes = earlyDiffs.length > 0 && misses.length > 0 && misses.every((w) => earlyDiffs.some((d) => d.paths.has(w.entry.path)));
    if (!earlyServes) for (const d of earlyDiffs) d.stop.abort();
    if (misses.length === 0) work = listed;
    else if (misses.length * 2 > listed.length || missPaths.reduce((n, p) => n + p.length + 1, 0) > MAX_PATHSPEC_CHARS) {
      fromCache = 0;
      work = await streamChanges(WHOLE);
    }
    else {
      let again: Work[] | undefined;
      if (earlyServes) {
        const missed = new Set(misses.map((w) => w.entry.path));
        // The files they diffed that the cache settled after all (touched, not changed) are left out.
        const got = await Promise.all(earlyDiffs.map((d) => d.diffing.catch(() => undefined)));
        again = got.every((ws) => ws !== undefined) ? got.flat().filter((w) => missed.has(w.entry.path)) : undefined;
        if (again !== undefined && !samePairs(misses, again)) again = undefined;
        if (again !== undefined) diffedEarly = again.length;
        mark(`early diff ${again ? 'used' : 'not used'}`);
      }
      again ??= await streamChanges(['--', ...missPaths], literal);
      if (samePairs(misses, again)) work = [...listed.filter((w) => w.settled), ...again];
      else {
        // Git pairs renames among the paths it is given, and skips inexact pairing above
        // `diff.renameLimit`: among the misses alone it can pair a deletion and an addition
        // that the whole listing left apart. The report must not depend on the cache.
        fromCache = 0;
        diffedEarly = 0;
        work = await streamChanges(WHOLE);
      }
    }
    mark(`cache: ${listed.length - misses.length} of ${listed.length} files`);
  } else {
    work = await streamChanges(WHOLE);
  }
  const cacheWork = work;

  // Files in the record folders that are not records: diffed like any other (never from the
  // cache), by name, or when the names are too many the folders whole, keeping just those.
  const recordDirPaths = await recordDirChanges;
  if (recordDirPaths.length > 0) {
    const only = new Set(recordDirPaths);
    const byName = recordDirPaths.reduce((n, p) => n + p.length + 1, 0) <= MAX_PATHSPEC_CHARS;
    work = [...work, ...(await streamChanges(['--', ...(byName ? recordDirPaths : RECORD_PATHSPECS)], byName ? literal : undefined, only))];
    mark(`record folders: ${recordDirPaths.length} other files`);
  }

  // Working-tree files whose bytes look binary may be text in another encoding, which git
  // stores and diffs as UTF-8 (`working-tree-encoding`): asked of git only when there are any.
  const notes: string[] = [];
  if (renamesNeeded !== undefined) notes.push(renameLimitNote(renamesNeeded));
  // The files decoded from their working-tree encoding, and that encoding.
  const decodedFrom = new Map<string, string>();
  if (!staged) {
    // A text file whose post-image (git hashes what it would store) is not the bytes read was
    // converted, unless line ends or `ident` explain it (storedBlobIds binds those).
    const converted = (w: Work, s: Side) => {
      const post = !s.mayConvert && w.sections.length === 1 ? postImageId(w.sections[0]!.extended) : undefined;
      return post !== undefined && !isNullId(post) && post !== s.blob;
    };
    const items = work.flatMap((w) =>
      w.newSide && (w.newSide.binary || w.newSide.nul || converted(w, w.newSide)) ? [{ path: w.entry.path, side: w.newSide, keepText: keepOf(w.entry.path), set: (s: Side) => void (w.newSide = s) }] : [],
    );
    await decodeEncodedSides(git, items, texts, maxDiff, notes, decodedFrom, signal);
  }

  // Git called these binary: read their old side too, to tell real binary content from an
  // attribute (`-diff`, `binary`) or the size cap. Old source texts that could not be
  // rebuilt come the same way.
  const gitBinary = (w: Work) => w.sections.some((s) => s.binary);
  await readBlobSides(git, work, (w) => (gitBinary(w) || wantsOldText(w)) && w.oldSide === undefined && hasOldBlob(w.entry), () => false, texts, maxText, maxDiff, signal);

  // Text that git hid behind an attribute: diff again with --text, so nothing is hidden.
  const sizeOver = (w: Work) => (w.oldSide?.size ?? 0) > maxDiff || (w.newSide?.size ?? 0) > maxDiff;
  const contentBinary = (w: Work) => !!w.oldSide?.binary || !!w.newSide?.binary;
  const redo = work.filter((w) => gitBinary(w) && !sizeOver(w) && !contentBinary(w));
  const tooLargeText = work.filter((w) => sizeOver(w) && !contentBinary(w) && w.entry.status !== 'A' && w.entry.status !== 'D');
  // Blob sides too large to diff were read for their size only: their lines are counted by
  // streaming each blob (nothing kept), so the blast-radius rules (mass rewrite, large
  // deletion) judge them from the counts. Only these files pay for it.
  const uncounted = work.flatMap((w) =>
    contentBinary(w)
      ? []
      : ([[w.oldSide, w.entry.oldPath ?? w.entry.path], [staged ? w.newSide : undefined, w.entry.path]] as const).flatMap(([s, path]) =>
          s !== undefined && s.size > maxDiff && s.lines === undefined && s.blob !== undefined && !isNullId(s.blob) ? [{ side: s, path }] : [],
        ),
  );
  // The re-diff keeps the first diff's pairs: git pairs renames among the paths it is given,
  // and a smaller set can pair them otherwise. So files that were no rename are re-diffed
  // with renames off, and each rename alone with its own two paths.
  const redoOnce = (ws: Work[], renames: boolean) =>
    git.run([...diffArgs(from!, staged, true, maxDiff), ...(renames ? [] : ['--no-renames']), '--', ...pathsOf(ws)], { encoding: 'buffer', env: literal, signal });
  const redoRuns = async (): Promise<Buffer[] | null> => {
    if (redo.length === 0) return null;
    const single = redo.filter((w) => w.entry.oldPath === undefined);
    const renamed = redo.filter((w) => w.entry.oldPath !== undefined);
    const [once, pairs] = await Promise.all([single.length ? redoOnce(single, false).then((b) => [b]) : [], mapLimit(renamed, 4, (w) => redoOnce([w], true))]);
    return [...once, ...pairs];
  };
  const [redoOut, numstatOut] = await Promise.all([
    redoRuns(),
    tooLargeText.length
      ? git.run(['diff', '--numstat', '-z', '--text', ...SAFE_DIFF_FLAGS, '-M', ...(staged ? ['--cached'] : []), from!, '--', ...pathsOf(tooLargeText)], { env: literal, signal })
      : null,
    mapLimit(uncounted, 4, async ({ side, path }) => {
      const lines = await git.blobLineCount(side.blob!, path, signal);
      if (lines !== undefined) side.lines = lines;
    }),
  ]);
  if (redoOut) {
    const again = new Map(redoOut.flatMap((out) => parseRawWithPatch(out)).map((r) => [r.entry.path, r]));
    for (const w of redo) {
      const r = again.get(w.entry.path);
      // Only the same pair as the first diff's (the same old path, or none).
      if (r && r.entry.oldPath === w.entry.oldPath) w.sections = r.sections;
    }
  }
  const bigCounts = new Map<string, { added: number; removed: number }>();
  const uncountedText: Work[] = [];
  if (numstatOut) {
    for (const n of parseNumstatZ(numstatOut)) {
      if (n.binary) uncountedText.push(...tooLargeText.filter((w) => w.entry.path === n.path));
      else bigCounts.set(n.path, { added: n.added ?? 0, removed: n.removed ?? 0 });
    }
  }
  // Numstat calls text with NULs (or a `-diff` attribute) binary even with --text; the patch
  // does not, so these few are counted from it, each with its own paths.
  await mapLimit(uncountedText, 4, async (w) => {
    const args = [...SAFE_DIFF_FLAGS, '-M', ...(staged ? ['--cached'] : []), from!, '--', ...pathsOf([w])];
    bigCounts.set(w.entry.path, await git.patchLineCounts(args, { env: literal, signal }));
  });

  mark('binary re-diff done');
  await untrackedDone;
  mark('untracked done');
  if (!staged) {
    const items: EncodedCandidate[] = [];
    untracked.forEach((side, p) => {
      if (side.binary || side.nul || side.notUtf8) items.push({ path: p, side, keepText: keepOf(p), set: (s: Side) => void untracked.set(p, s) });
    });
    await decodeEncodedSides(git, items, texts, maxDiff, notes, decodedFrom, signal);
  }
  // A submodule whose work tree has edits or new files of its own, at the commit this side
  // records: a commit of this repository records only that commit, so none of it is part of
  // the change. Listing it would flag an edit that cannot be committed here, and make the
  // working tree's digest differ from the staged one.
  const kept: Work[] = [];
  for (const w of work) {
    if (!dirtySubmodule(w.entry)) {
      kept.push(w);
      const commit = w.dirtyWorkTree ? submoduleCommit(w.sections) : undefined;
      if (commit !== undefined) {
        notes.push(`${safePath(w.entry.path)} is a submodule with uncommitted changes of its own; they are not part of this change, so they are not reviewed (the change moves it to commit ${commit.slice(0, 12)}, which the patch marks -dirty)`);
      }
    } else notes.push(`${safePath(w.entry.path)} is a submodule with uncommitted changes of its own; they are not part of this change, so they are not reviewed (its commit, ${w.entry.oldBlob.slice(0, 12)}, is unchanged)`);
  }
  const tracked = kept.map((w) => toFileChange(w, maxDiff, bigCounts));
  // An untracked file's mode is the one `git add` would record: with core.fileMode=false
  // (Windows, FAT/NTFS/SMB mounts) 100644 whatever its executable bit on disk, so the working
  // tree's digest is the staged one. (A tracked file's mode comes from git's raw record.)
  if (!staged && [...untracked.values()].some((s) => s.mode === '100755') && !(await git.trustsExecutableBit())) {
    untracked.forEach((s) => {
      if (s.mode === '100755') s.mode = '100644';
    });
  }
  const added = [...untracked].map(([p, side]) => untrackedChange(p, side, maxDiff, untrackedHeld.get(p)));
  if (!staged) {
    const sides = [...untracked.values()];
    await storedBlobIds(git, [...tracked.map((c, i) => [c, kept[i]!.newSide] as const), ...added.map((c, i) => [c, sides[i]] as const)], signal);
  }
  if (suspectNames || work.some((w) => w.entry.path.includes('\uFFFD') || !!w.entry.oldPath?.includes('\uFFFD'))) {
    await refuseNonUtf8Names(git, from!, staged, signal);
  }
  let merged = [...(await pairUntracked(git, tracked, added, texts, maxText, decodedFrom)), ...nestedRepos];
  merged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (!staged) {
    const filtered = await git.filteredPaths(merged.filter((c) => c.status !== 'deleted' && c.newMode !== '160000').map((c) => c.path), signal);
    const same = await unchangedLfsFiles(git, merged, filtered, signal);
    if (same.size > 0) {
      merged = merged.filter((c) => !same.has(c.path));
      for (const p of same) filtered.delete(p);
    }
    notes.push(...filterNotes(filtered));
  }
  notes.push(...conflictNotes(unmergedPaths, merged, behindCheckouts));
  notes.push(...nestedNotes);
  mark('changes built');
  // Written only when this run learnt something (a file diffed anew).
  if (opts.cacheFile !== undefined && cache !== undefined && learnt) {
    trackCacheWrite(writeCache(opts.cacheFile, cache, cacheWork, maxDiff));
    mark('cache saved');
  }
  const result: ChangeSet = { base: base!, mode: staged ? 'staged' : 'worktree', changes: merged };
  const unmerged = staged ? work.filter((w) => w.entry.status === 'U').map((w) => w.entry.path) : [];
  if (unmerged.length > 0) result.unmerged = unmerged;
  if (notes.length > 0) result.notes = notes.sort();
  if (cache !== undefined) result.fromCache = cacheWork.length === 0 ? 0 : fromCache;
  if (diffedEarly > 0 && result.fromCache) result.diffedEarly = diffedEarly;
  return result;
}

/** A cache entry's whitespace code: the index of FileChange.whitespaceOnly here (0: neither). */
const WHITESPACE_CODE: readonly (WhitespaceOnly | undefined)[] = [undefined, 'line-endings', 'indentation'];
/** A cache entry's line-ending code: the index of FileChange.whitespaceChanged's `to` here (0: neither). */
const ENDINGS_CODE: readonly (WhitespaceChanged['to'] | undefined)[] = [undefined, 'lf', 'crlf'];

/** How a cache entry's marks (DiffCache.stubs: line, code, text) say what each is: a code from here up is that kind, less this. */
const MARK_PLACEHOLDER = 0;
const MARK_SECRET = 1;
const MARK_SILENCED = 1000;

/** Work.held as a cache entry holds it (see CachedPair and DiffCache.stubs). */
/** What most files hold: nothing (one object for them all). */
const NOTHING_HELD: HeldWork = Object.freeze({});

function heldOf(pair: CachedPair, flat: CachedPlaceholders | undefined): HeldWork {
  if (pair[6] !== 1 && flat === undefined) return NOTHING_HELD;
  const held: HeldWork = {};
  if (pair[6] === 1) held.commentOnly = true;
  if (flat !== undefined) {
    for (let i = 0; i < flat.length; i += 3) {
      const line = flat[i] as number;
      const code = flat[i + 1] as number;
      const text = flat[i + 2] as string;
      if (code === MARK_PLACEHOLDER) (held.placeholders ??= []).push({ line, text });
      else if (code < MARK_SILENCED) (held.secrets ??= []).push({ line, kind: code - MARK_SECRET });
      else (held.silenced ??= []).push({ line, kind: code - MARK_SILENCED, text });
    }
  }
  return held;
}

/** FileChange.whitespaceChanged as a cache entry holds it (see CachedPair). */
function whitespaceChangedOf(pair: CachedPair): WhitespaceChanged | undefined {
  const lines = pair[4]!;
  if (lines === 0) return undefined;
  const to = ENDINGS_CODE[pair[5]!];
  return to ? { lines, to } : { lines };
}

/** FileChange.reformat as a cache entry holds it (see CachedPair). */
function reformatOf(pair: CachedPair): Reformat | undefined {
  const tokens = pair[8]!;
  return tokens === 0 ? undefined : { tokens, removed: pair[9]!, added: pair[10]!, lines: pair[11]! };
}

/**
 * The old side's line count at settle, as toFileChange works it out; undefined when unknown
 * (whitespaceChanged then reads the bodies whatever the share removed).
 */
function oldLineCountOf(w: Work): number | undefined {
  if (w.oldSide?.lines !== undefined) return w.oldSide.lines;
  const lines = w.newSide?.lines;
  if (lines === undefined) return undefined;
  let added = 0;
  let removed = 0;
  for (const s of w.sections) {
    added += s.added;
    removed += s.removed;
  }
  return lines - added + removed;
}

/** A file's entry for the cache: its key, hunks and (sources) removed exports; undefined when the cache does not hold such files. */
function entryOf(w: Work, maxDiff: number): { key: string; pair: CachedPair; gone?: CachedExports; stubs?: CachedPlaceholders } | undefined {
  const s = w.sections[0];
  const key = cacheKeyOf(w, maxDiff);
  if (key === undefined || w.sections.length !== 1 || !s || s.binary || s.hasNul) return undefined;
  if (w.oldSide && (w.oldSide.binary || w.oldSide.size > maxDiff)) return undefined;
  const changed = w.whitespaceChanged;
  const re = w.reformat;
  const pair = [s.added, s.removed, w.newSide?.lines ?? 0, WHITESPACE_CODE.indexOf(w.whitespace), changed?.lines ?? 0, ENDINGS_CODE.indexOf(changed?.to), w.held?.commentOnly ? 1 : 0, workClassOf(w.entry.path)];
  pair.push(re?.tokens ?? 0, re?.removed ?? 0, re?.added ?? 0, re?.lines ?? 0);
  for (const h of s.hunks) pair.push(h.oldStart, h.oldLines, h.newStart, h.newLines);
  const held = w.held;
  const stubs = held?.placeholders || held?.secrets || held?.silenced
    ? [
        ...(held.placeholders ?? []).flatMap((p) => [p.line, MARK_PLACEHOLDER, p.text]),
        ...(held.secrets ?? []).flatMap((x) => [x.line, MARK_SECRET + x.kind, '']),
        ...(held.silenced ?? []).flatMap((x) => [x.line, MARK_SILENCED + x.kind, x.text]),
      ]
    : undefined;
  return { key, pair, gone: w.exportsRemoved?.flatMap((r) => [r.name, r.oldLine]), stubs };
}

/** The working-tree files this run read (the next run reads them again while git lists). */
function pathsRead(work: readonly Work[]): string[] {
  const paths: string[] = [];
  for (const w of work) if (w.newSide !== undefined && hasNewSide(w.entry)) paths.push(w.entry.path);
  return paths;
}

/**
 * Appends the entries this run learnt to the cache file when it read the same files as the
 * run that wrote it; otherwise (or once unused entries would make up most of the file, or
 * after MAX_APPENDS appends, or when it holds a line cut short) rewrites the file with exactly
 * what this run used. Each entry is built once: a known one is taken from the old cache.
 */
function writeCache(file: string, old: DiffCache, work: readonly Work[], maxDiff: number): Promise<void> {
  const paths = pathsRead(work);
  const oldPaths = new Set(old.paths);
  const samePaths = paths.length === oldPaths.size && paths.every((p) => oldPaths.has(p));
  // The paths diffed anew (DiffCache.recent): none when most were (a first look, a checkout).
  const hot: string[] = [];
  const fresh: CacheEntries = { pairs: new Map(), gone: new Map(), stubs: new Map(), hot };
  const known: string[] = [];
  for (const w of work) {
    const key = cacheKeyOf(w, maxDiff);
    if (key !== undefined && old.pairs.has(key) && (w.exportsRemoved === undefined || old.gone.has(key))) {
      known.push(key);
      continue;
    }
    const e = entryOf(w, maxDiff);
    if (!e) continue;
    if (hasNewSide(w.entry)) hot.push(w.entry.path);
    fresh.pairs.set(e.key, e.pair);
    if (e.gone) fresh.gone.set(e.key, e.gone);
    // Two paths of one blob pair: the entry is the last one's, placeholders and all (see workClassOf).
    if (e.stubs) fresh.stubs.set(e.key, e.stubs);
    else fresh.stubs.delete(e.key);
  }
  if (fresh.pairs.size === 0 && samePaths) return Promise.resolve();
  if (hot.length > MAX_EARLY_DIFF || hot.length * 2 > paths.length) hot.length = 0;
  const used = known.length + fresh.pairs.size;
  const bodies = old.bodies ?? 0;
  if (samePaths && !old.torn && bodies > 0 && bodies < MAX_APPENDS && old.pairs.size + fresh.pairs.size <= 2 * used) return appendDiffCache(file, fresh);
  const still = new Set(paths);
  const recent = [...new Set([...hot, ...old.recent])].filter((p) => still.has(p)).slice(0, MAX_EARLY_DIFF);
  const next: DiffCache = { paths, recent, pairs: new Map(), gone: new Map(), stubs: new Map() };
  for (const key of known) {
    next.pairs.set(key, old.pairs.get(key)!);
    const gone = old.gone.get(key);
    if (gone !== undefined) next.gone.set(key, gone);
    const stubs = old.stubs.get(key);
    if (stubs !== undefined) next.stubs.set(key, stubs);
  }
  for (const [key, pair] of fresh.pairs) next.pairs.set(key, pair);
  for (const [key, gone] of fresh.gone) next.gone.set(key, gone);
  for (const [key, stubs] of fresh.stubs) next.stubs.set(key, stubs);
  return saveDiffCache(file, next);
}

function toFileChange(w: Work, maxDiff: number, bigCounts: Map<string, { added: number; removed: number }>): FileChange {
  const e = w.entry;
  const status = statusOf(e.status);
  const o = w.oldSide;
  const n = w.newSide;
  const tooLarge = (o?.size ?? 0) > maxDiff || (n?.size ?? 0) > maxDiff;
  // A NUL in git's patch makes the file binary unless it is text by its name, or both sides
  // read as text (a `#!` script): then its lines, NULs and all, are the change (looksBinary).
  const nulIsText = () => textByName(e.path) || (e.oldPath !== undefined && textByName(e.oldPath)) || ((n ?? o) !== undefined && n?.binary !== true && o?.binary !== true);
  const binary = !!o?.binary || !!n?.binary || (!tooLarge && w.sections.some((s) => s.binary || (s.hasNul && !nulIsText())));
  const gitlink = isGitlink(e.oldMode) || isGitlink(e.newMode);
  const hunks: Hunk[] = [];
  let added = 0;
  let removed = 0;
  for (const s of w.sections) {
    hunks.push(...s.hunks);
    added += s.added;
    removed += s.removed;
  }
  const fc: FileChange = { path: e.path, status, binary: binary || gitlink, added: 0, removed: 0, hunks: [] };
  if (status === 'renamed' && e.oldPath !== undefined) fc.oldPath = e.oldPath;
  if (e.oldMode !== '000000') fc.oldMode = e.oldMode;
  if (e.newMode !== '000000') fc.newMode = e.newMode;
  if (status !== 'added' && !isNullId(e.oldBlob)) fc.oldBlob = e.oldBlob;
  const newBlob = n?.blob ?? (isNullId(e.newBlob) ? (isGitlink(e.newMode) ? submoduleCommit(w.sections) : undefined) : e.newBlob);
  if (status !== 'deleted' && newBlob !== undefined) fc.newBlob = newBlob;
  if (tooLarge) {
    fc.tooLarge = true;
    if (o !== undefined && status !== 'added') fc.oldSize = o.size;
    if (n !== undefined && status !== 'deleted') fc.newSize = n.size;
  }
  if (fc.binary) return fc;

  if (tooLarge) {
    if (status === 'added') added = n?.lines ?? added;
    if (status === 'deleted') removed = o?.lines ?? removed;
    const counts = bigCounts.get(e.path);
    if (counts) ({ added, removed } = counts);
  } else {
    fc.hunks = hunks;
  }
  fc.added = added;
  fc.removed = removed;
  let newLines = status === 'deleted' ? undefined : n?.lines;
  let oldLines = status === 'added' ? undefined : o?.lines;
  if (!tooLarge) {
    if (oldLines === undefined && status !== 'added') oldLines = newLines !== undefined ? newLines - added + removed : status === 'deleted' ? removed : undefined;
    if (newLines === undefined && status !== 'deleted' && oldLines !== undefined) newLines = oldLines + added - removed;
  } else if (oldLines === undefined && newLines !== undefined && status !== 'added' && bigCounts.has(e.path)) {
    // Git diffed it as text (its old side was never read): numstat's counts are of these two texts.
    oldLines = newLines - added + removed;
  }
  if (newLines !== undefined) fc.newLineCount = newLines;
  if (oldLines !== undefined) fc.oldLineCount = oldLines;
  if (o?.text !== undefined && status !== 'added') fc.oldText = o.text;
  if (n?.text !== undefined && status !== 'deleted') fc.newText = n.text;
  if (o?.exports !== undefined && status !== 'added') fc.oldExports = o.exports;
  if (n?.exports !== undefined && status !== 'deleted') fc.newExports = n.exports;
  if (w.exportsRemoved !== undefined) fc.exportsRemoved = w.exportsRemoved;
  if (w.whitespace !== undefined && !tooLarge) fc.whitespaceOnly = w.whitespace;
  if (w.whitespaceChanged !== undefined && !tooLarge) fc.whitespaceChanged = w.whitespaceChanged;
  if (w.reformat !== undefined && !tooLarge) fc.reformat = w.reformat;
  if (w.held?.commentOnly && !tooLarge) fc.commentOnly = true;
  if (w.held?.placeholders && !tooLarge && status !== 'deleted') fc.placeholders = w.held.placeholders;
  if (w.held?.secrets && !tooLarge && status !== 'deleted') fc.secrets = w.held.secrets;
  if (w.held?.silenced && !tooLarge && status !== 'deleted') fc.silenced = w.held.silenced;
  return fc;
}

/**
 * Working-tree text files whose bytes git's clean conversion may change (`core.autocrlf`, an
 * `eol` or `ident` attribute) get the blob id git would store for them: what a commit takes,
 * and what the index holds once they are staged, so the working-tree digest is the staged one.
 */
async function storedBlobIds(git: Git, pairs: readonly (readonly [FileChange, Side | undefined])[], signal?: AbortSignal): Promise<void> {
  const candidates = pairs.filter(([c, side]) => side?.mayConvert && !side.binary && c.newBlob !== undefined && (c.newMode === '100644' || c.newMode === '100755'));
  if (candidates.length === 0) return;
  const ids = await storedIds(git, candidates.map(([c, side]) => ({ path: c.path, blob: side!.blob })), signal);
  for (const [c] of candidates) {
    const id = ids.get(c.path);
    if (id !== undefined) c.newBlob = id;
  }
}

/**
 * The blob ids that bind these working-tree files (see storedBlobIds), for those whose id is
 * not `blob`, the hash of their bytes as they are.
 */
async function storedIds(git: Git, files: readonly { path: string; blob?: string }[], signal?: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // A file whose bytes are exactly the blob the index holds for it is that blob: it is what a
  // commit of the index takes (and what a checkout of a commit holding a blob git's clean
  // conversion would change, `$Id: …$` or CRLF, writes). Hashing it as `git add` would store
  // it anew would bind other bytes than the commit's: a commit holding a payload inside
  // `$Id: …$` would pass `verify --base` with the approval of the blob without it.
  const indexed = await git.indexBlobs(
    files.map((f) => f.path),
    signal,
  );
  const differ = files.filter((f) => f.blob === undefined || indexed.get(f.path) !== f.blob);
  // Nor is a file whose bytes are what a checkout of that blob writes (`$Id$` expanded, LF made
  // CRLF): a CI checkout of a commit whose blob holds `$Id:";code;"$` writes `$Id: <id> $`,
  // which `git add` would store as `$Id$`, the approved blob, and not the commit's.
  const checkedOut = await mapLimit(differ, 8, async (f) => {
    const blob = indexed.get(f.path);
    if (blob === undefined) return false;
    const [written, bytes] = await Promise.all([git.checkoutBytes(blob, f.path, signal), readFile(path.join(git.root, f.path)).catch(() => undefined)]);
    if (written === undefined || bytes === undefined || !written.equals(bytes)) return false;
    out.set(f.path, blob);
    return true;
  });
  let todo = differ.filter((_, i) => !checkedOut[i]);
  if (todo.length === 0) return out;
  // A file whose index blob holds a CR (committed with CRLF): under core.autocrlf or
  // text=auto `git add` stores its bytes unconverted, which hash-object (no index) does not
  // know; its id comes from `git add` into a copy of the index.
  const crBlobs = new Set<string>();
  const indexedTodo = [...new Set(todo.map((f) => indexed.get(f.path)).filter((b): b is string => b !== undefined))];
  await git.readBlobs(indexedTodo, (id, _type, content) => void (content?.includes(13) && crBlobs.add(id)), 8 * 1024 * 1024, signal);
  const safeCrlf = todo.filter((f) => crBlobs.has(indexed.get(f.path) ?? ''));
  if (safeCrlf.length > 0) {
    const added = await git.addedBlobIds(safeCrlf.map((f) => f.path), signal);
    for (const [p, id] of added) out.set(p, id);
    todo = todo.filter((f) => !added.has(f.path));
  }
  const ids = await git.cleanBlobIds(todo.map((f) => f.path), signal);
  todo.forEach((f, i) => out.set(f.path, ids[i]!));
  return out;
}

/** A working-tree side that may be encoded (see decodeEncodedSides), and how to replace it. */
interface EncodedCandidate {
  path: string;
  side: Side;
  keepText: number;
  set: (side: Side) => void;
}


/**
 * Working-tree files under git's `working-tree-encoding` attribute (UTF-16 PowerShell, .reg,
 * .rc files): git stores, and diffs, their UTF-8 re-encoding. `items` are the suspect
 * working-tree sides only (bytes that look binary; a text file git hashed to another blob
 * than its bytes; an untracked file that is not UTF-8): one `check-attr` asks for their
 * attribute, none when there are none. Each with the attribute is bound by the blob git would
 * store (see storedIds), and decoded: when its UTF-8 text is that very blob it replaces the
 * side (lines, text, exports), else the file is listed as binary and `notes` says why.
 */
async function decodeEncodedSides(
  git: Git,
  items: readonly EncodedCandidate[],
  texts: SideTexts,
  maxDiff: number,
  notes: string[],
  decodedFrom: Map<string, string>,
  signal?: AbortSignal,
): Promise<void> {
  const looks = items.filter((it) => it.side.mode !== '120000');
  if (looks.length === 0) return;
  const encodings = await git.workingTreeEncodings(
    looks.map((it) => it.path),
    signal,
  );
  const encoded = looks.filter((it) => encodings.has(it.path));
  if (encoded.length === 0) return;
  const ids = await storedIds(
    git,
    encoded.map((it) => ({ path: it.path, blob: it.side.blob })),
    signal,
  );
  await mapLimit(encoded, 8, async (it) => {
    const encoding = encodings.get(it.path)!;
    const blob = ids.get(it.path) ?? it.side.blob;
    const asBinary = (why?: string) => {
      if (why !== undefined) notes.push(`${safePath(it.path)} uses working-tree-encoding=${safeText(encoding)}, which SpecGate does not diff: ${why}; it is listed as binary`);
      const side: Side = { size: it.side.size, binary: true };
      if (blob !== undefined) side.blob = blob;
      if (it.side.mode !== undefined) side.mode = it.side.mode;
      it.set(side);
    };
    // Too large to diff: listed with its size, bound as git would store it.
    if (it.side.size > maxDiff) return it.set(blob === undefined ? it.side : { ...it.side, blob });
    const bytes = await readFile(path.join(git.root, it.path)).catch(() => undefined);
    if (bytes === undefined) return asBinary('it could not be read');
    const decoded = decodeWorkingTree(bytes, encoding);
    if ('problem' in decoded) return asBinary(decoded.problem);
    let utf8 = Buffer.from(decoded.text, 'utf8');
    // With CRLF in the work tree (`eol=CRLF`, as git's manual sets it for PowerShell, or
    // core.autocrlf), git stores the decoded text with LF: that is the content, if its id says so.
    if (blob !== undefined && gitBlobId(utf8) !== blob && decoded.text.includes('\r\n')) {
      const lf = Buffer.from(decoded.text.replace(/\r\n/g, '\n'), 'utf8');
      if (gitBlobId(lf) === blob) utf8 = lf;
    }
    if (blob === undefined || gitBlobId(utf8) !== blob) return asBinary('its decoded text is not the content git would store');
    const binary = looksBinary(utf8, it.path);
    const side: Side = { blob, size: utf8.length, binary };
    if (it.side.mode !== undefined) side.mode = it.side.mode;
    if (!binary) {
      side.lines = countLines(utf8);
      if (utf8.length <= it.keepText) side.bytes = utf8;
    }
    texts.finish(side, it.path);
    side.bytes = undefined;
    it.set(side);
    decodedFrom.set(it.path, encoding);
  });
}

function untrackedChange(p: string, side: Side, maxDiff: number, held: HeldWork | undefined): FileChange {
  const tooLarge = side.size > maxDiff;
  const fc: FileChange = { path: p, status: 'added', binary: side.binary, added: 0, removed: 0, hunks: [] };
  if (side.blob !== undefined) fc.newBlob = side.blob;
  if (side.mode !== undefined) fc.newMode = side.mode;
  if (tooLarge) {
    fc.tooLarge = true;
    fc.newSize = side.size;
  }
  if (!side.binary && side.lines !== undefined) {
    fc.added = side.lines;
    fc.newLineCount = side.lines;
    if (!tooLarge && side.lines > 0) fc.hunks = [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: side.lines }];
    if (side.text !== undefined) fc.newText = side.text;
    if (side.exports !== undefined) fc.newExports = side.exports;
    if (held?.commentOnly && !tooLarge) fc.commentOnly = true;
    if (held?.placeholders && !tooLarge) fc.placeholders = held.placeholders;
    if (held?.secrets && !tooLarge) fc.secrets = held.secrets;
    if (held?.silenced && !tooLarge) fc.silenced = held.silenced;
  }
  return fc;
}

/**
 * Untracked files are found apart from git's diff, so git cannot pair them with deletions.
 * Same content under a new name → a rename; a path both deleted (from the index) and
 * present on disk → a modification (or nothing, when the bytes are the same).
 */
async function pairUntracked(
  git: Git,
  tracked: FileChange[],
  untrackedAdds: FileChange[],
  texts: SideTexts,
  maxText: number,
  decodedFrom: ReadonlyMap<string, string>,
): Promise<FileChange[]> {
  // A rename whose source is back on disk, untracked (moved in the index, then copied back):
  // git stages a new file beside the old one, which is that old file, changed or not.
  const untrackedPaths = new Set(untrackedAdds.map((a) => a.path));
  const sources = tracked.filter((c) => c.status === 'renamed' && c.oldPath !== undefined && untrackedPaths.has(c.oldPath)).map(splitRename);
  if (sources.length > 0) tracked = [...tracked, ...sources];
  const changes = [...tracked, ...untrackedAdds];
  const deletedByPath = new Map<string, FileChange>();
  const deletedByBlob = new Map<string, FileChange[]>();
  for (const c of tracked) {
    if (c.status !== 'deleted' || c.oldBlob === undefined) continue;
    deletedByPath.set(c.path, c);
    const list = deletedByBlob.get(c.oldBlob) ?? [];
    list.push(c);
    deletedByBlob.set(c.oldBlob, list);
  }
  if (deletedByPath.size === 0 || untrackedAdds.length === 0) return changes;
  const drop = new Set<FileChange>();
  const pending: Revived[] = [];
  // A path deleted from the index and still on disk is the same file, changed or not: settled
  // first, so that no other file of the same content takes its deletion for a move's source.
  const revived = new Set<FileChange>();
  for (const add of untrackedAdds) {
    const same = deletedByPath.get(add.path);
    if (!same) continue;
    drop.add(same);
    revived.add(add);
    // The same bytes and mode: no change. A mode alone changed (`chmod +x`) is one, as git says once it is staged.
    if (same.oldBlob === add.newBlob && (same.oldMode === undefined || add.newMode === undefined || same.oldMode === add.newMode)) {
      drop.add(add);
      continue;
    }
    await reviveAsModified(git, same, add, texts, maxText, pending, decodedFrom.get(add.path));
  }
  for (const add of untrackedAdds) {
    if (revived.has(add)) continue;
    // Among files of the same content, git prefers the one of the same name.
    const sameContent = add.newBlob !== undefined ? deletedByBlob.get(add.newBlob)?.filter((d) => !drop.has(d)) : undefined;
    const moved = sameContent?.find((d) => path.posix.basename(d.path) === path.posix.basename(add.path)) ?? sameContent?.[0];
    if (moved) {
      drop.add(moved);
      add.status = 'renamed';
      add.oldPath = moved.path;
      // The same bytes: nothing of it is added, comments, placeholders, secrets and silencers alike.
      delete add.commentOnly;
      delete add.placeholders;
      delete add.secrets;
      delete add.silenced;
      add.oldBlob = moved.oldBlob;
      if (moved.oldMode !== undefined) add.oldMode = moved.oldMode;
      if (moved.oldLineCount !== undefined) add.oldLineCount = moved.oldLineCount;
      if (add.tooLarge && add.newSize !== undefined) add.oldSize = add.newSize;
      add.added = 0;
      add.removed = 0;
      add.hunks = [];
      if (moved.oldText !== undefined) add.oldText = moved.oldText;
      // A deleted source compared already lost every export: that list is its old exports.
      const oldExports = moved.oldExports ?? (moved.exportsRemoved ? new Map(moved.exportsRemoved.map((r) => [r.name, r.oldLine])) : undefined);
      if (oldExports !== undefined) add.oldExports = oldExports;
    }
  }
  await pairMoved(
    git,
    tracked.filter((c) => c.status === 'deleted' && !drop.has(c)),
    untrackedAdds.filter((c) => c.status === 'added' && !drop.has(c)),
    drop,
    texts,
    maxText,
    decodedFrom,
    pending,
  );
  await diffRevived(git, pending);
  for (const r of pending) judgeRevived(r);
  return changes.filter((c) => !drop.has(c));
}

/**
 * What the lines a pair paired here adds hold (comments alone, placeholders, secrets,
 * silencers), from its hunks and both sides' bytes: the verdict git's hunk bodies give once
 * the pair is staged, so a key pasted into a file moved with `mv` is found as in any edit,
 * and a `// @ts-ignore` the file had before the move is not new.
 */
function judgeRevived(r: Revived): void {
  const c = r.change;
  const held = editWork(c.path, r.oldBytes.toString('utf8'), r.newBytes.toString('utf8'), c.hunks);
  if (held.commentOnly) c.commentOnly = true;
  if (held.placeholders) c.placeholders = held.placeholders;
  if (held.secrets) c.secrets = held.secrets;
  if (held.silenced) c.silenced = held.silenced;
}

/**
 * Turns a rename into the addition of its new path, and returns the deletion of its old path
 * (which pairUntracked then pairs with the file on disk there).
 */
function splitRename(c: FileChange): FileChange {
  const lines = c.oldLineCount;
  const gone: FileChange = { path: c.oldPath!, status: 'deleted', binary: c.binary, added: 0, removed: c.binary ? 0 : (lines ?? 0), hunks: [] };
  if (!c.binary && !c.tooLarge && lines) gone.hunks = [{ oldStart: 1, oldLines: lines, newStart: 0, newLines: 0 }];
  if (c.oldBlob !== undefined) gone.oldBlob = c.oldBlob;
  if (c.oldMode !== undefined) gone.oldMode = c.oldMode;
  if (lines !== undefined) gone.oldLineCount = lines;
  if (c.tooLarge) {
    gone.tooLarge = true;
    if (c.oldSize !== undefined) gone.oldSize = c.oldSize;
  }
  if (c.oldText !== undefined) gone.oldText = c.oldText;
  if (c.oldExports !== undefined) gone.oldExports = c.oldExports;
  c.status = 'added';
  for (const k of ['oldPath', 'oldBlob', 'oldMode', 'oldLineCount', 'oldSize', 'oldText', 'oldExports', 'exportsRemoved', 'whitespaceOnly', 'whitespaceChanged', 'reformat', 'commentOnly', 'placeholders', 'secrets', 'silenced'] as const) delete c[k];
  c.removed = 0;
  if (!c.binary && c.newLineCount !== undefined) {
    c.added = c.newLineCount;
    c.hunks = !c.tooLarge && c.newLineCount > 0 ? [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: c.newLineCount }] : [];
  }
  return gone;
}

/** Above this many deleted × new pairs, only those that share a name are compared (see pairMoved). */
const MAX_MOVE_PAIRS = 400;

/** A plain text file, small enough to diff: what a move may be made of. */
function movable(c: FileChange, side: 'old' | 'new'): boolean {
  const mode = side === 'old' ? c.oldMode : c.newMode;
  return !c.binary && !c.tooLarge && (mode === undefined || mode === '100644' || mode === '100755') && (side === 'new' || c.oldBlob !== undefined);
}

/**
 * Files moved with a shell's `mv` and then edited: git sees a deletion and an untracked file,
 * and pairs them as a rename (50 % alike) only once both are staged. Paired here the same way,
 * so a check of the working tree finds what a check of the staged change finds, not a deleted
 * file, a new one, and their exports lost. Each pair is compared line by line (see
 * lineSimilarity); a change with more than MAX_MOVE_PAIRS pairs compares only those that
 * share a name, or a name but for the extension in one folder.
 */
async function pairMoved(
  git: Git,
  deleted: FileChange[],
  adds: FileChange[],
  drop: Set<FileChange>,
  texts: SideTexts,
  maxText: number,
  decodedFrom: ReadonlyMap<string, string>,
  pending: Revived[],
): Promise<void> {
  const dels = deleted.filter((d) => movable(d, 'old'));
  const news = adds.filter((a) => movable(a, 'new'));
  if (dels.length === 0 || news.length === 0) return;
  const base = (p: string) => path.posix.basename(p);
  const stemIn = (p: string) => {
    const b = base(p);
    const dot = b.lastIndexOf('.');
    return `${path.posix.dirname(p)}/${dot > 0 ? b.slice(0, dot) : b}`;
  };
  // Every pair when they are few; else those that share a name, found through two indexes.
  let named: ((del: FileChange) => readonly FileChange[]) | undefined;
  if (dels.length * news.length > MAX_MOVE_PAIRS) {
    const byName = new Map<string, FileChange[]>();
    const add = (key: string, c: FileChange) => {
      const list = byName.get(key);
      if (list) list.push(c);
      else byName.set(key, [c]);
    };
    for (const c of news) {
      add(`n:${base(c.path)}`, c);
      add(`s:${stemIn(c.path)}`, c);
    }
    named = (del) => [...new Set([...(byName.get(`n:${base(del.path)}`) ?? []), ...(byName.get(`s:${stemIn(del.path)}`) ?? [])])];
  }
  const pairs: { del: FileChange; add: FileChange }[] = [];
  for (const del of dels) {
    for (const add of named ? named(del) : news) {
      // Half alike at best when one has more than twice the other's lines (a loose first cut: lines, not bytes).
      const [a, b] = [del.removed, add.added];
      if (Math.min(a, b) * 2.5 < Math.max(a, b)) continue;
      pairs.push({ del, add });
    }
  }
  if (pairs.length === 0) return;
  // Each side read once: its bytes (kept for the pair's diff) and its text.
  const olds = new Map<string, { bytes: Buffer; text: string }>();
  const ids = [...new Set(pairs.map((p) => p.del.oldBlob!))];
  await git.readBlobs(ids, (id, _type, content) => {
    if (content) olds.set(id, { bytes: content, text: content.toString('utf8') });
  }, maxText);
  const newSides = new Map<FileChange, { bytes: Buffer; text: string }>();
  for (const add of new Set(pairs.map((p) => p.add))) {
    const bytes = await readFile(path.join(git.root, add.path)).catch(() => undefined);
    if (bytes === undefined) continue;
    const encoding = decodedFrom.get(add.path);
    const decoded = encoding === undefined ? undefined : decodeWorkingTree(bytes, encoding);
    newSides.set(add, { bytes, text: decoded !== undefined && 'text' in decoded ? decoded.text : bytes.toString('utf8') });
  }
  const scored = pairs
    .flatMap(({ del, add }) => {
      const before = olds.get(del.oldBlob!)?.text;
      const after = newSides.get(add)?.text;
      if (before === undefined || after === undefined) return [];
      const score = lineSimilarity(before, after);
      return score >= MOVE_SIMILARITY ? [{ del, add, score, sameName: base(del.path) === base(add.path) }] : [];
    })
    // The most alike first; among equals, the one of the same name (as git prefers), then by path.
    .sort((x, y) => y.score - x.score || Number(y.sameName) - Number(x.sameName) || (x.add.path < y.add.path ? -1 : x.add.path > y.add.path ? 1 : 0));
  const taken = new Set<FileChange>();
  for (const { del, add } of scored) {
    if (taken.has(del) || taken.has(add)) continue;
    taken.add(del);
    taken.add(add);
    drop.add(del);
    await reviveAsModified(git, del, add, texts, maxText, pending, decodedFrom.get(add.path), { oldBytes: olds.get(del.oldBlob!)!.bytes, newBytes: newSides.get(add)!.bytes });
    add.status = 'renamed';
    add.oldPath = del.path;
  }
}

/** A pair paired here (see pairUntracked), its hunks still to come from git. */
interface Revived {
  change: FileChange;
  oldBytes: Buffer;
  /** The new side as git stores it (decoded from a working-tree encoding). */
  newBytes: Buffer;
}

/** Per-file patch sections of `git diff --no-index` over two folders of numbered files. */
const NO_INDEX_FILE = /^diff --git "?a\/.*\/(\d+)"? "?b\/.*\/\d+"?$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The hunks of the pairs found here, from git itself (`git diff --no-index -U0` over copies of
 * both sides in a temporary folder, all pairs in one run, with the main diff's settings),
 * so that they are git's hunks as once the change is staged: another diff could
 * line the same edit up otherwise, and each hunk outside the scope is a finding. Where git
 * cannot run that diff, the in-process diff stands in.
 */
async function diffRevived(git: Git, pending: readonly Revived[]): Promise<void> {
  if (pending.length === 0) return;
  let dir: string | undefined;
  try {
    dir = await mkdtemp(path.join(tmpdir(), 'specgate-pairs-'));
    await Promise.all(['a', 'b'].map((side) => mkdir(path.join(dir!, side))));
    await mapLimit(
      pending.map((r, i) => ({ r, i })),
      16,
      async ({ r, i }) => {
        await writeFile(path.join(dir!, 'a', String(i)), r.oldBytes);
        await writeFile(path.join(dir!, 'b', String(i)), r.newBytes);
      },
    );
    // The settings of the main diff (diffArgs): hunks from the bytes alone, not a repository's diff settings.
    const out = await git.run(
      ['diff', '--no-index', '-U0', '--inter-hunk-context=0', '--text', ...SAFE_DIFF_FLAGS, '--diff-algorithm=myers', '--indent-heuristic', '--no-renames', '--', path.join(dir, 'a'), path.join(dir, 'b')],
      { allowExit: [1] },
    );
    for (const r of pending) {
      r.change.hunks = [];
      r.change.added = 0;
      r.change.removed = 0;
    }
    let at: FileChange | undefined;
    for (const line of out.split('\n')) {
      const file = NO_INDEX_FILE.exec(line);
      if (file) at = pending[Number(file[1])]?.change;
      const h = at && HUNK_HEADER.exec(line);
      if (!h || !at) continue;
      const hunk: Hunk = { oldStart: Number(h[1]), oldLines: h[2] === undefined ? 1 : Number(h[2]), newStart: Number(h[3]), newLines: h[4] === undefined ? 1 : Number(h[4]) };
      at.hunks.push(hunk);
      at.added += hunk.newLines;
      at.removed += hunk.oldLines;
    }
    // A pair git's output did not name (a temporary folder whose name git quotes, say).
    for (const r of pending) if (r.change.hunks.length === 0 && !r.oldBytes.equals(r.newBytes)) diffInProcess(r);
  } catch {
    for (const r of pending) diffInProcess(r);
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function diffInProcess(r: Revived): void {
  const d = liveDiff(r.oldBytes.toString('utf8'), r.newBytes.toString('utf8'), { timeoutMs: 2000 });
  r.change.hunks = d.hunks;
  r.change.added = d.added;
  r.change.removed = d.removed;
}

/** What a mode makes of a path: a file (executable or not), a symbolic link, a submodule. */
function modeKind(mode: string | undefined): 'file' | 'link' | 'gitlink' {
  return mode === '120000' ? 'link' : mode === '160000' ? 'gitlink' : 'file';
}

/** A path deleted from the index but still on disk, with other bytes: diff it in memory. */
async function reviveAsModified(
  git: Git,
  del: FileChange,
  add: FileChange,
  texts: SideTexts,
  maxText: number,
  /** Where the pair goes to be diffed by git with the others (see diffRevived). */
  pending: Revived[],
  encoding?: string,
  /** Both sides' bytes, when the caller read them already. */
  read?: { oldBytes: Buffer; newBytes: Buffer },
): Promise<void> {
  // A file that became a symbolic link (or back) is a type change, as git says of it.
  const typeChanged = modeKind(del.oldMode) !== modeKind(add.newMode);
  add.status = typeChanged ? 'type-changed' : 'modified';
  add.oldBlob = del.oldBlob;
  // Worked out for the file as all new: an edit's are worked out once its hunks are in (judgeRevived).
  delete add.commentOnly;
  delete add.placeholders;
  delete add.secrets;
  delete add.silenced;
  if (del.oldMode !== undefined) add.oldMode = del.oldMode;
  if (add.tooLarge && del.oldSize !== undefined) add.oldSize = del.oldSize;
  if (del.binary || add.binary || add.tooLarge || del.tooLarge || del.oldBlob === undefined) {
    add.binary = add.binary || del.binary;
    add.hunks = [];
    add.removed = add.binary ? 0 : del.removed;
    return;
  }
  const oldBytes = read?.oldBytes ?? (await git.showBlob(del.oldBlob));
  // A symbolic link's content is its target's name, as git stores it, not the file it names.
  const abs = path.join(git.root, add.path);
  const newBytes =
    read?.newBytes ?? (await (add.newMode === '120000' ? readlink(abs, { encoding: 'buffer' }) : readFile(abs)).catch(() => Buffer.alloc(0)));
  if (typeChanged) {
    // Git shows a type change as the old content removed and the new added.
    const [before, after] = [countLines(oldBytes), countLines(newBytes)];
    add.hunks = [...(before > 0 ? [{ oldStart: 1, oldLines: before, newStart: 0, newLines: 0 }] : []), ...(after > 0 ? [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: after }] : [])];
    add.added = after;
    add.removed = before;
  } else {
    // A file decoded from its working-tree encoding is diffed as the UTF-8 text git stores.
    const decoded = encoding === undefined ? undefined : decodeWorkingTree(newBytes, encoding);
    pending.push({ change: add, oldBytes, newBytes: decoded !== undefined && 'text' in decoded ? Buffer.from(decoded.text, 'utf8') : newBytes });
  }
  add.oldLineCount = countLines(oldBytes);
  const old = texts.finish(sideFromBlob(oldBytes, oldBytes.length, del.oldBlob, texts.need(add.path), maxText, del.path), add.path);
  if (old.text !== undefined) add.oldText = old.text;
  if (old.exports !== undefined) add.oldExports = old.exports;
}

/**
 * Records the index holds that are not on disk although git diffs them as present (its id
 * is the index's: skip-worktree, a sparse checkout that leaves `.specgate/` out). SpecGate
 * knows a record by reading it from the work tree, so it cannot tell them from files of the
 * change: refused in one line saying how to bring them in, rather than reported as change.
 */
function refuseRecordsOutsideSparse(root: string, paths: readonly string[]): void {
  const outside = paths.filter((p) => !existsSync(path.join(root, p)));
  if (outside.length === 0) return;
  const folders = [...new Set(outside.map((p) => p.split('/', 1)[0]!))];
  const many = outside.length > 1;
  throw new UsageError(
    `${safePath(outside[0]!)}${many ? ` and ${outside.length - 1} more files` : ''} with a record's name ${many ? 'are' : 'is'} in the index but not in the work tree (outside the sparse checkout, or marked skip-worktree), so SpecGate cannot tell ${many ? 'them' : 'it'} from files of the change; add ${folders.join(' ')} (git sparse-checkout add ${folders.join(' ')}) and try again`,
  );
}
