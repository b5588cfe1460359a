// The change as a patch that `git apply` takes on the base commit: binary files included,
// untracked files included (through a throw-away copy of the index, so the real index is
// never touched), nothing else than the change set's own paths. Text is diffed as text
// whatever `.gitattributes` says (`-diff`, `binary` would otherwise hide it behind a binary
// patch); only content the change set found binary gets git's binary patch.
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY_TREE } from '../core/gitblob';
import { coveringPathspecs } from '../core/pathCover';
import type { ChangeSet, FileChange } from '../core/model';
import { DEFAULT_DIFF_LIMITS, PatchSplitter, remainingLimits, type DiffLimits, type FileDiff } from '../core/render/diffview';
import { copyIndexFile, SAFE_DIFF_FLAGS, SCRATCH_INDEX_ENV, type Git } from './git';

const CHUNK = 500;

function diffArgs(from: string, staged: boolean, binary: boolean): string[] {
  return [
    'diff',
    binary ? '--binary' : '--text',
    '--full-index',
    // Three lines of context whatever `diff.context` says: git apply needs context to apply.
    '--unified=3',
    '-M',
    ...SAFE_DIFF_FLAGS,
    // A submodule is patched by its commit alone: the change set already left out what its
    // own work tree holds (with a note), so git need not run `status` in each one to mark
    // it `-dirty`, which fails in a nested repository configured `core.bare`.
    '--ignore-submodules=dirty',
    ...(staged ? ['--cached'] : []),
    from,
    '--',
  ];
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function pathsOf(changes: FileChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))].sort();
}

/** Bytes of a patch line kept for reading it (headers, display); the patch file has all of it. */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Splits streamed bytes into lines (without the line feed), keeping at most `maxBytes` of
 * each, and says where each starts: a line of any length costs no more memory than that.
 */
class LineScanner {
  private parts: Buffer[] = [];
  private kept = 0;
  private cut = false;
  private pos = 0;
  private lineStart = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string, cut: boolean, start: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      this.keep(chunk.subarray(from, nl === -1 ? chunk.length : nl));
      if (nl === -1) {
        this.pos += chunk.length - from;
        return;
      }
      this.pos += nl + 1 - from;
      this.emit();
      this.lineStart = this.pos;
      from = nl + 1;
    }
  }

  end(): void {
    if (this.kept > 0 || this.cut) this.emit();
  }

  private keep(piece: Buffer): void {
    const room = this.maxBytes - this.kept;
    if (piece.length > room) this.cut = true;
    const take = piece.subarray(0, Math.max(0, Math.min(room, piece.length)));
    if (take.length === 0) return;
    this.parts.push(Buffer.from(take));
    this.kept += take.length;
  }

  private emit(): void {
    const bytes = Buffer.concat(this.parts, this.kept);
    const line = isUtf8(bytes) ? bytes.toString('utf8') : revealInvalidUtf8(bytes);
    const cut = this.cut;
    this.parts = [];
    this.kept = 0;
    this.cut = false;
    this.onLine(line, cut, this.lineStart);
  }
}

/**
 * A line that is not UTF-8 (a Latin-1 file, say) as text a reviewer can read: its valid
 * UTF-8 as it is, every other byte as `\xb5`. Decoded as UTF-8, each such byte would be
 * U+FFFD, and `10µs` → `10³s` would read as a line replaced by the same line.
 */
export function revealInvalidUtf8(buf: Buffer): string {
  let out = '';
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n > 0 && i + n <= buf.length && isUtf8(buf.subarray(i, i + n))) {
      out += buf.toString('utf8', i, i + n);
      i += n;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** The change's patch, written to a temporary file, with its files as read for display. */
export interface PatchFile {
  /** The patch (`git apply` takes it on the base): every changed file in full, in change-set order. */
  file: string;
  /** Its size in bytes. */
  size: number;
  /** Each file's header and the lines kept for display (see PatchSplitter), in patch order. */
  diffs: FileDiff[];
  /** Removes the temporary file. */
  dispose(): Promise<void>;
}

export interface PatchFileOptions {
  /** What of the patch is kept for display (default: DEFAULT_DIFF_LIMITS). */
  limits?: DiffLimits;
  /** Files whose lines are not kept for display at all (too large to diff). */
  omit?: (path: string) => boolean;
  /** Aborting kills git and removes the temporary folder; the call then rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * Files the review must show first: when the limits cannot show every line, these get
   * the budget before the others (the display keeps the patch's order).
   */
  first?: (path: string) => boolean;
}

/**
 * Writes the patch from the change set's base to its new side (index or working tree) to a
 * temporary file, streaming git's output there: memory stays bounded whatever the change's
 * size, and what is kept for display obeys the limits. Text and binary content come from two
 * runs of git; their files are put in the change set's order, as one patch.
 */
export async function writeChangePatch(git: Git, changeSet: ChangeSet, opts: PatchFileOptions = {}): Promise<PatchFile> {
  const dir = await mkdtemp(path.join(tmpdir(), 'specgate-patch-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const out = await writeParts(git, changeSet, dir, opts);
    if (out.spent && opts.first) out.diffs = resplit(out.file, opts.limits ?? DEFAULT_DIFF_LIMITS, opts.omit, opts.first);
    return { file: out.file, size: out.size, diffs: out.diffs, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

interface Section {
  part: number;
  start: number;
  end: number;
  /** Index of its file in the display split. */
  file: number;
}

async function writeParts(git: Git, changeSet: ChangeSet, dir: string, opts: PatchFileOptions): Promise<Omit<PatchFile, 'dispose'> & { spent: boolean }> {
  const splitter = new PatchSplitter(opts.limits ?? DEFAULT_DIFF_LIMITS, opts.omit);
  const sections: Section[] = [];
  const partFiles: string[] = [];
  const partSizes: number[] = [];
  let files = 0;
  const from = changeSet.base.commit ?? EMPTY_TREE;
  const paths = pathsOf(changeSet.changes);
  // One diff for the text (with --text), one for real binary content (and submodules).
  const groups = [false, true]
    .map((binary) => ({ binary, paths: pathsOf(changeSet.changes.filter((c) => c.binary === binary)) }))
    .filter((g) => g.paths.length > 0 && paths.length > 0);
  const staged = changeSet.mode === 'staged';
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  const signal = opts.signal;

  const diff = async (env: Record<string, string>): Promise<void> => {
    // Every path the diff would see (untracked files are in the index copy by now): a folder
    // holding nothing else than one group's paths is named for them (see coveringPathspecs).
    const universe = (await git.run(['diff', '--name-only', '-z', ...SAFE_DIFF_FLAGS, '--no-renames', ...(staged ? ['--cached'] : []), from, '--'], { env, signal }))
      .split('\0')
      .filter((p) => p !== '');
    for (const [part, group] of groups.entries()) {
      const g = { ...group, pathspecs: coveringPathspecs(group.paths, universe) };
      const file = path.join(dir, `part-${part}.patch`);
      partFiles.push(file);
      const fd = openSync(file, 'wx');
      let size = 0;
      try {
        const scanner = new LineScanner(MAX_LINE_BYTES, (line, cut, start) => {
          if (line.startsWith('diff --git ')) {
            const last = sections[sections.length - 1];
            if (last && last.part === part) last.end = start;
            sections.push({ part, start, end: -1, file: files++ });
          }
          splitter.line(line, cut);
        });
        for (const group of chunks(g.pathspecs, CHUNK)) {
          // Written as it comes, synchronously: git waits on its pipe while the disk catches up.
          await git.stream([...diffArgs(from, staged, g.binary), ...group], (chunk) => {
            writeAll(fd, chunk);
            size += chunk.length;
            scanner.push(chunk);
          }, { env, signal });
        }
        scanner.end();
      } finally {
        closeSync(fd);
      }
      partSizes.push(size);
      for (const s of sections) if (s.part === part && s.end === -1) s.end = size;
    }
  };

  if (staged) await diff(literal);
  else {
    const index = path.join(dir, 'index');
    const copied = await copyIndexFile(git.indexFile, index);
    const env = { ...literal, ...SCRATCH_INDEX_ENV, GIT_INDEX_FILE: index };
    // Writing an index runs the repository's post-index-change hook: no hook is found
    // under /dev/null (here and for the intent-to-add entries below).
    if (!copied && changeSet.base.commit) await git.run(['-c', 'core.hooksPath=/dev/null', 'read-tree', '--end-of-options', changeSet.base.commit], { env, signal });
    const untracked = new Set(
      // A repository nested in the work tree is listed as `dir/`; the change names it `dir`.
      (await git.run(['ls-files', '-z', '--others', '--exclude-standard'], { env, signal })).split('\0').filter((p) => p !== '').map((p) => p.replace(/\/$/, '')),
    );
    // (A nested repository with no commit is not in the change: git add refuses it. Listed
    // here, it keeps a folder that holds one from standing for its files.)
    const intent = paths.filter((p) => untracked.has(p));
    if (intent.length) {
      await git.run(['-c', 'core.hooksPath=/dev/null', 'add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        env,
        signal,
        input: coveringPathspecs(intent, untracked).join('\0') + '\0',
      });
    }
    // Files under a filter driver are diffed as the work tree has them, as the change set bound them.
    await git.unstatFiltered(index, signal);
    await diff(env);
  }

  signal?.throwIfAborted();
  const diffs = splitter.finish();
  const out = path.join(dir, 'changes.patch');
  const nonEmpty = partSizes.filter((n) => n > 0).length;
  if (nonEmpty < 2) {
    // One run (or none): its output is the patch as it stands.
    const only = partSizes.findIndex((n) => n > 0);
    if (only === -1) writeFileSync(out, '', { flag: 'wx' });
    else await rename(partFiles[only]!, out);
    return { file: out, size: Math.max(0, ...partSizes), diffs, spent: splitter.spent };
  }
  // Both: each file where git would put it, in the change set's (path) order.
  const order = new Map(changeSet.changes.map((c, i) => [c.path, i]));
  const rank = (s: Section): number => order.get(diffs[s.file]?.path ?? '') ?? Number.MAX_SAFE_INTEGER;
  const sorted = sections.map((s, i) => ({ s, i, rank: rank(s) })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  // Bytes before a part's first section (none from git) are kept, first.
  const lead = partSizes.map((_, part) => sections.find((s) => s.part === part)?.start ?? partSizes[part]!);
  const fds = partFiles.map((f) => openSync(f, 'r'));
  const outFd = openSync(out, 'wx');
  let size = 0;
  const buf = Buffer.allocUnsafe(1024 * 1024);
  const copy = (part: number, start: number, end: number) => {
    for (let at = start; at < end; ) {
      const n = readSync(fds[part]!, buf, 0, Math.min(buf.length, end - at), at);
      if (n === 0) throw new Error(`patch part ended early at byte ${at}`);
      writeAll(outFd, buf.subarray(0, n));
      at += n;
      size += n;
    }
  };
  try {
    lead.forEach((end, part) => copy(part, 0, end));
    for (const { s } of sorted) copy(s.part, s.start, s.end);
  } finally {
    for (const fd of fds) closeSync(fd);
    closeSync(outFd);
  }
  const byFile = new Map(sorted.map(({ s }, k) => [s.file, k]));
  return { file: out, size, diffs: diffs.map((d, i) => ({ d, k: byFile.get(i) ?? Number.MAX_SAFE_INTEGER })).sort((a, b) => a.k - b.k).map((x) => x.d), spent: splitter.spent };
}

/**
 * The display split again, when the limits could not show every line: the `first` files
 * take the budget in one pass over the patch, the others share what is left in a second.
 * Each file keeps its place in the patch's order.
 */
function resplit(file: string, limits: DiffLimits, omit: ((path: string) => boolean) | undefined, first: (path: string) => boolean): FileDiff[] {
  const feed = (splitter: PatchSplitter): PatchSplitter => {
    const scanner = new LineScanner(MAX_LINE_BYTES, (line, cut) => splitter.line(line, cut));
    const fd = openSync(file, 'r');
    try {
      for (let at = 0; ; ) {
        // A fresh buffer per read: the scanner keeps views of a line that spans two reads.
        const buf = Buffer.allocUnsafe(1024 * 1024);
        const n = readSync(fd, buf, 0, buf.length, at);
        if (n === 0) break;
        scanner.push(buf.subarray(0, n));
        at += n;
      }
    } finally {
      closeSync(fd);
    }
    scanner.end();
    return splitter;
  };
  const firstPass = feed(new PatchSplitter(limits, (p) => !!omit?.(p) || !first(p)));
  const secondPass = feed(new PatchSplitter(remainingLimits(limits, firstPass.used), (p) => !!omit?.(p) || first(p)));
  const a = firstPass.finish();
  const b = secondPass.finish();
  return a.map((d, i) => (first(d.path) || b[i] === undefined ? d : b[i]!));
}

/** Writes all of `data` to `fd`. */
function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
}
