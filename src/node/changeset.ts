// Collects the change set from git: what changed, per file, with exact -U0 hunks, blob ids,
// modes and line counts. A handful of git calls whatever the number of files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readlink } from 'node:fs/promises';
import * as path from 'node:path';
import { isNullId, parseNumstatZ, parseRawWithPatch, type PatchSection, type RawEntry } from '../core/diffparse';
import { countLines, EMPTY_TREE, gitBlobId, looksBinary } from '../core/gitblob';
import { liveDiff } from '../core/livediff';
import { UsageError, type ChangeSet, type ChangeStatus, type FileChange, type Hunk } from '../core/model';
import type { Git } from './git';

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
}

/** Folders whose files are SpecGate's own records, never part of a change. */
export const NEVER_CHANGED = ['.specgate/approvals/', '.specgate/reviews/'];
const EXCLUDE_PATHSPECS = NEVER_CHANGED.map((p) => `:(top,exclude)${p.slice(0, -1)}`);

const DEFAULT_MAX_TEXT = 1024 * 1024;
const DEFAULT_MAX_DIFF = 8 * 1024 * 1024;
const READ_CONCURRENCY = 24;

/** Facts about one side of a file. */
interface Side {
  blob?: string;
  size: number;
  binary: boolean;
  lines?: number;
  text?: string;
  /** Git file mode of a working-tree file. */
  mode?: string;
}

interface Work {
  entry: RawEntry;
  sections: PatchSection[];
  oldSide?: Side;
  newSide?: Side;
  /** Set when the file must be diffed again with --text (git called it binary, it is not). */
  redo?: boolean;
}

function neverChanged(p: string): boolean {
  return NEVER_CHANGED.some((d) => p.startsWith(d));
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
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--no-relative',
    '--ignore-submodules=none',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '-M',
    ...(text ? ['--text'] : []),
    ...(staged ? ['--cached'] : []),
    from,
  ];
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Streams a big file: blob id, binary test on the first bytes, line count; no text kept. */
function hashLargeFile(abs: string, size: number): Promise<Side> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha1').update(`blob ${size}\0`);
    let lines = 0;
    let first = true;
    let binary = false;
    let last = 10;
    let seen = 0;
    createReadStream(abs)
      .on('data', (chunk: string | Buffer) => {
        const b = chunk as Buffer;
        h.update(b);
        if (first) binary = looksBinary(b);
        first = false;
        let at = -1;
        while ((at = b.indexOf(10, at + 1)) !== -1) lines++;
        if (b.length) last = b[b.length - 1]!;
        seen += b.length;
      })
      .on('error', reject)
      .on('end', () => {
        if (seen !== size) return reject(new Error(`${abs} changed while being read`));
        resolve({ blob: h.digest('hex'), size, binary, lines: size > 0 && last !== 10 ? lines + 1 : lines });
      });
  });
}

/** Reads the working-tree side of a path. Null when it is missing or a folder (submodule). */
async function readWorktree(root: string, rel: string, maxDiff: number, keepText: number): Promise<Side | null> {
  const abs = path.join(root, rel);
  let st;
  try {
    st = await lstat(abs);
  } catch {
    return null;
  }
  if (st.isSymbolicLink()) {
    const target = Buffer.from(await readlink(abs, { encoding: 'buffer' }));
    return { blob: gitBlobId(target), size: target.length, binary: false, lines: countLines(target), text: target.toString('utf8'), mode: '120000' };
  }
  if (!st.isFile()) return null;
  const mode = st.mode & 0o111 ? '100755' : '100644';
  if (st.size > maxDiff) return { ...(await hashLargeFile(abs, st.size)), mode };
  const bytes = await readFile(abs);
  const binary = looksBinary(bytes);
  const side: Side = { blob: gitBlobId(bytes), size: bytes.length, binary, mode };
  if (!binary) side.lines = countLines(bytes);
  if (!binary && bytes.length <= keepText) side.text = bytes.toString('utf8');
  return side;
}

function sideFromBlob(content: Buffer | null, size: number, id: string, keepText: boolean, maxText: number): Side {
  if (content === null) return { blob: id, size, binary: false };
  const binary = looksBinary(content);
  const side: Side = { blob: id, size, binary };
  if (!binary) side.lines = countLines(content);
  if (!binary && keepText && content.length <= maxText) side.text = content.toString('utf8');
  return side;
}

function isGitlink(mode: string): boolean {
  return mode === '160000';
}

/** Splits a NUL-separated list, dropping the empty tail. */
function splitZ(s: string): string[] {
  const parts = s.split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The change set: by default all uncommitted work against HEAD (staged, unstaged and
 * untracked-not-ignored files); `staged`: the index against HEAD; `base`: from the merge
 * base of BASE and HEAD to the working tree. An unborn HEAD compares with the empty tree.
 */
export async function collectChangeSet(git: Git, opts: ChangeSetOptions = {}): Promise<ChangeSet> {
  if (opts.base !== undefined && opts.staged) throw new UsageError('use either --base or --staged, not both');
  const maxText = opts.maxTextBytes ?? DEFAULT_MAX_TEXT;
  const maxDiff = opts.maxDiffBytes ?? DEFAULT_MAX_DIFF;
  const wantText = opts.wantText ?? (() => false);
  const staged = !!opts.staged;

  let from: string;
  let base: ChangeSet['base'];
  if (opts.base !== undefined) {
    const baseCommit = await git.resolveCommit(opts.base);
    const head = await git.headCommit();
    if (head === null) throw new UsageError(`--base needs a commit on HEAD, and this repository has none yet; commit first or drop --base`);
    from = await git.mergeBase(baseCommit, head);
    base = { ref: opts.base, commit: from };
  } else {
    const head = await git.headCommit();
    from = head ?? EMPTY_TREE;
    base = { ref: 'HEAD', commit: head };
  }

  const [diffOut, untrackedOut] = await Promise.all([
    git.run([...diffArgs(from, staged, false, maxDiff), '--', ...EXCLUDE_PATHSPECS], { encoding: 'buffer' }),
    staged ? Promise.resolve('') : git.run(['ls-files', '-z', '--others', '--exclude-standard', '--', ...EXCLUDE_PATHSPECS]),
  ]);

  const work: Work[] = parseRawWithPatch(diffOut.toString('utf8'))
    .filter(({ entry }) => !neverChanged(entry.path) && !(entry.oldPath !== undefined && neverChanged(entry.oldPath) && entry.status !== 'R'))
    .map(({ entry, sections }) => ({ entry, sections }));

  // The new side: working-tree files (worktree mode) or index blobs (staged mode).
  // The old side: blobs, read only where needed (binary check, text, size).
  const oldIds: string[] = [];
  const oldWanted = new Map<string, Work[]>();
  const newIds: string[] = [];
  const newWanted = new Map<string, Work[]>();
  const want = (ids: string[], map: Map<string, Work[]>, id: string, w: Work) => {
    const list = map.get(id);
    if (list) list.push(w);
    else {
      map.set(id, [w]);
      ids.push(id);
    }
  };
  const worktreeReads: Work[] = [];
  for (const w of work) {
    const e = w.entry;
    const gitBinary = w.sections.some((s) => s.binary);
    const hasOld = !isNullId(e.oldBlob) && !isGitlink(e.oldMode) && e.status !== 'A';
    const hasNew = e.status !== 'D' && !isGitlink(e.newMode) && e.newMode !== '000000';
    const p = e.oldPath ?? e.path;
    if (hasOld && (gitBinary || wantText(p) || wantText(e.path))) want(oldIds, oldWanted, e.oldBlob, w);
    if (hasNew) {
      if (staged) {
        if (!isNullId(e.newBlob)) want(newIds, newWanted, e.newBlob, w);
      } else worktreeReads.push(w);
    }
  }

  const untrackedPaths = splitZ(untrackedOut).filter((p) => !p.endsWith('/') && !neverChanged(p));
  const untracked: { path: string; side: Side | null }[] = untrackedPaths.map((p) => ({ path: p, side: null }));

  await Promise.all([
    git.readBlobs(
      oldIds,
      (id, _type, content, size) => {
        for (const w of oldWanted.get(id) ?? []) {
          w.oldSide = sideFromBlob(content, size, id, wantText(w.entry.oldPath ?? w.entry.path), maxText);
        }
      },
      maxDiff,
    ),
    git.readBlobs(
      newIds,
      (id, _type, content, size) => {
        for (const w of newWanted.get(id) ?? []) w.newSide = sideFromBlob(content, size, id, wantText(w.entry.path), maxText);
      },
      maxDiff,
    ),
    pool(worktreeReads, READ_CONCURRENCY, async (w) => {
      const side = await readWorktree(git.root, w.entry.path, maxDiff, wantText(w.entry.path) ? maxText : -1);
      if (side) w.newSide = side;
    }),
    pool(untracked, READ_CONCURRENCY, async (u) => {
      u.side = await readWorktree(git.root, u.path, maxDiff, wantText(u.path) ? maxText : -1);
    }),
  ]);

  // Git said "binary" but the content says text of a diffable size: an attribute (`-diff`,
  // `binary`) hid it. Diff those again with --text so nothing is hidden.
  const redo = work.filter((w) => {
    if (!w.sections.some((s) => s.binary)) return false;
    const o = w.oldSide;
    const n = w.newSide;
    const tooBig = (o?.size ?? 0) > maxDiff || (n?.size ?? 0) > maxDiff;
    const binary = !!o?.binary || !!n?.binary;
    return !tooBig && !binary;
  });
  const tooLargeText = work.filter((w) => {
    const o = w.oldSide;
    const n = w.newSide;
    const tooBig = (o?.size ?? 0) > maxDiff || (n?.size ?? 0) > maxDiff;
    return tooBig && !o?.binary && !n?.binary && w.entry.status !== 'A' && w.entry.status !== 'D';
  });
  const pathsOf = (ws: Work[]) => ws.flatMap((w) => (w.entry.oldPath !== undefined ? [w.entry.oldPath, w.entry.path] : [w.entry.path]));
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  const [redoOut, numstatOut] = await Promise.all([
    redo.length
      ? git.run([...diffArgs(from, staged, true, maxDiff), '--', ...pathsOf(redo)], { encoding: 'buffer', env: literal })
      : Promise.resolve(null),
    tooLargeText.length
      ? git.run(
          ['diff', '--numstat', '-z', '--text', '--no-ext-diff', '--no-textconv', '--no-relative', '-M', ...(staged ? ['--cached'] : []), from, '--', ...pathsOf(tooLargeText)],
          { env: literal },
        )
      : Promise.resolve(null),
  ]);
  if (redoOut) {
    const again = new Map(parseRawWithPatch(redoOut.toString('utf8')).map((r) => [r.entry.path, r.sections]));
    for (const w of redo) {
      const s = again.get(w.entry.path);
      if (s) w.sections = s;
    }
  }
  const bigCounts = new Map<string, { added: number; removed: number }>();
  if (numstatOut) {
    for (const n of parseNumstatZ(numstatOut)) bigCounts.set(n.path, { added: n.added ?? 0, removed: n.removed ?? 0 });
  }

  const tracked = work.map((w) => toFileChange(w, maxDiff, bigCounts));
  const added = untracked.flatMap((u) => (u.side === null ? [] : [untrackedChange(u.path, u.side, maxDiff)]));
  const merged = await pairUntracked(git, tracked, added, wantText, maxText);
  merged.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { base, mode: staged ? 'staged' : 'worktree', changes: merged };
}

function toFileChange(w: Work, maxDiff: number, bigCounts: Map<string, { added: number; removed: number }>): FileChange {
  const e = w.entry;
  const status = statusOf(e.status);
  const o = w.oldSide;
  const n = w.newSide;
  const tooLarge = (o?.size ?? 0) > maxDiff || (n?.size ?? 0) > maxDiff;
  const binary = !!o?.binary || !!n?.binary || (!tooLarge && w.sections.some((s) => s.binary || s.hasNul));
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
  const newBlob = n?.blob ?? (isNullId(e.newBlob) ? undefined : e.newBlob);
  if (status !== 'deleted' && newBlob !== undefined) fc.newBlob = newBlob;
  if (tooLarge) fc.tooLarge = true;

  if (!fc.binary) {
    if (tooLarge) {
      const counts = bigCounts.get(e.path);
      if (status === 'added') added = n?.lines ?? added;
      if (status === 'deleted') removed = o?.lines ?? removed;
      if (counts) ({ added, removed } = counts);
    } else {
      fc.hunks = hunks;
    }
    fc.added = added;
    fc.removed = removed;
    const newLines = status === 'deleted' ? undefined : n?.lines;
    const oldLines = status === 'added' ? undefined : o?.lines ?? (newLines !== undefined && !tooLarge ? newLines - added + removed : status === 'deleted' && !tooLarge ? removed : undefined);
    if (newLines !== undefined) fc.newLineCount = newLines;
    else if (status !== 'deleted' && oldLines !== undefined && !tooLarge) fc.newLineCount = oldLines + added - removed;
    if (oldLines !== undefined) fc.oldLineCount = oldLines;
    if (o?.text !== undefined && status !== 'added') fc.oldText = o.text;
    if (n?.text !== undefined && status !== 'deleted') fc.newText = n.text;
  }
  return fc;
}

function untrackedChange(p: string, side: Side, maxDiff: number): FileChange {
  const tooLarge = side.size > maxDiff;
  const fc: FileChange = { path: p, status: 'added', binary: side.binary, added: 0, removed: 0, hunks: [] };
  if (side.blob !== undefined) fc.newBlob = side.blob;
  if (side.mode !== undefined) fc.newMode = side.mode;
  if (tooLarge) fc.tooLarge = true;
  if (!side.binary && side.lines !== undefined) {
    fc.added = side.lines;
    fc.newLineCount = side.lines;
    if (!tooLarge && side.lines > 0) fc.hunks = [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: side.lines }];
    if (side.text !== undefined) fc.newText = side.text;
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
  wantText: (p: string) => boolean,
  maxText: number,
): Promise<FileChange[]> {
  const changes = [...tracked, ...untrackedAdds];
  const deletedByPath = new Map<string, FileChange>();
  const deletedByBlob = new Map<string, FileChange[]>();
  for (const c of changes) {
    if (c.status !== 'deleted' || c.oldBlob === undefined) continue;
    deletedByPath.set(c.path, c);
    const list = deletedByBlob.get(c.oldBlob) ?? [];
    list.push(c);
    deletedByBlob.set(c.oldBlob, list);
  }
  if (deletedByPath.size === 0) return changes;
  const drop = new Set<FileChange>();
  for (const add of untrackedAdds) {
    const same = deletedByPath.get(add.path);
    if (same && !drop.has(same)) {
      drop.add(same);
      if (same.oldBlob === add.newBlob) {
        drop.add(add);
        continue;
      }
      await reviveAsModified(git, same, add, wantText, maxText);
      continue;
    }
    const moved = add.newBlob !== undefined ? deletedByBlob.get(add.newBlob)?.find((d) => !drop.has(d)) : undefined;
    if (moved) {
      drop.add(moved);
      add.status = 'renamed';
      add.oldPath = moved.path;
      add.oldBlob = moved.oldBlob;
      if (moved.oldMode !== undefined) add.oldMode = moved.oldMode;
      if (moved.oldLineCount !== undefined) add.oldLineCount = moved.oldLineCount;
      add.added = 0;
      add.removed = 0;
      add.hunks = [];
      if (moved.oldText !== undefined) add.oldText = moved.oldText;
    }
  }
  return changes.filter((c) => !drop.has(c));
}

/** A path deleted from the index but still on disk, with other bytes: diff it in memory. */
async function reviveAsModified(git: Git, del: FileChange, add: FileChange, wantText: (p: string) => boolean, maxText: number): Promise<void> {
  add.status = 'modified';
  add.oldBlob = del.oldBlob;
  if (del.oldMode !== undefined) add.oldMode = del.oldMode;
  if (del.binary || add.binary || add.tooLarge || del.tooLarge || del.oldBlob === undefined) {
    add.binary = add.binary || del.binary;
    add.hunks = [];
    add.removed = add.binary ? 0 : del.removed;
    return;
  }
  const oldBytes = await git.showBlob(del.oldBlob);
  const newBytes = await readFile(path.join(git.root, add.path)).catch(() => Buffer.alloc(0));
  const d = liveDiff(oldBytes.toString('utf8'), newBytes.toString('utf8'), { timeoutMs: 2000 });
  add.hunks = d.hunks;
  add.added = d.added;
  add.removed = d.removed;
  add.oldLineCount = countLines(oldBytes);
  if (wantText(add.path) && oldBytes.length <= maxText) add.oldText = oldBytes.toString('utf8');
}
