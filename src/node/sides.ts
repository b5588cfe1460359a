// One side of a changed file as git sees it, read from the working tree (small files into
// one reused buffer, synchronously, in batches that let git's pipes drain; symlinks as their
// target; FIFOs never block) or from a blob's content.
import { isUtf8 } from 'node:buffer';
import * as crypto from 'node:crypto';
import { closeSync, constants as fsc, createReadStream, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { BLOB_HEADER_ROOM, blobIdInPlace, countLines, gitBlobId, hasNulPrefix, looksBinary } from '../core/gitblob';

/** Facts about one side of a file. */
export interface Side {
  blob?: string;
  size: number;
  binary: boolean;
  lines?: number;
  text?: string;
  /** The content, when its text is wanted (decoded by `SideTexts.finish`); the working-tree side keeps it to rebuild the old side from the patch. */
  bytes?: Buffer;
  /** Exported names and their lines (JS/TS sources, with `scanExports`). */
  exports?: ReadonlyMap<string, number>;
  /** Git file mode of a working-tree file. */
  mode?: string;
  /**
   * A working-tree file whose bytes git's clean conversion may change (a CR for
   * `core.autocrlf`/`eol`, `$Id` for `ident`): its blob id as git would store it is asked of git.
   */
  mayConvert?: true;
  /** A working-tree text file read with its mode (an untracked one) whose bytes are not UTF-8: it may be under `working-tree-encoding`. */
  notUtf8?: true;
  /** Text by its name that holds a NUL byte (git would call it binary): it may be UTF-16 under `working-tree-encoding`. */
  nul?: true;
}

/** Whether git's clean conversion (line ends, `ident`) could change these bytes. */
export function mayConvert(bytes: Buffer): boolean {
  return bytes.indexOf(13) !== -1 || bytes.indexOf('$Id') !== -1;
}

/** Files read synchronously per turn of the event loop (git's pipes drain in between). */
const READ_BATCH = 32;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Streams a big file: blob id, binary test on the first bytes, line count; no text kept. */
function hashLargeFile(abs: string, size: number, rel: string): Promise<Side> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha1').update(`blob ${size}\0`);
    let lines = 0;
    let first = true;
    let binary = false;
    let last = 10;
    let seen = 0;
    let convert = false;
    let tail = Buffer.alloc(0);
    createReadStream(abs)
      .on('data', (chunk: string | Buffer) => {
        const b = chunk as Buffer;
        h.update(b);
        // `$Id` may lie across two chunks: the last bytes of one are tried with the next.
        if (!convert) convert = mayConvert(b) || (tail.length > 0 && mayConvert(Buffer.concat([tail, b.subarray(0, 3)])));
        tail = Buffer.from(b.subarray(Math.max(0, b.length - 3)));
        if (first) binary = looksBinary(b, rel);
        first = false;
        let at = -1;
        while ((at = b.indexOf(10, at + 1)) !== -1) lines++;
        if (b.length) last = b[b.length - 1]!;
        seen += b.length;
      })
      .on('error', reject)
      .on('end', () => {
        if (seen !== size) return reject(new Error(`${abs} changed while being read`));
        const side: Side = { blob: h.digest('hex'), size, binary, lines: size > 0 && last !== 10 ? lines + 1 : lines };
        if (convert) side.mayConvert = true;
        resolve(side);
      });
  });
}

const OPEN_FLAGS = fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0);

/**
 * Reads the working-tree side of a path (small files synchronously: far cheaper than the
 * promise API for thousands of small files). Never follows a symlink (its target is the
 * content, as git sees it) and never blocks on a FIFO. Null when missing or not a file.
 */
/**
 * Small files are read into this one buffer (no allocation, no fstat); larger ones as
 * before. The content goes at HEAD_ROOM, so git's `blob <size>\0` header can be written
 * just before it and the blob id taken in one hash call, with no copy.
 */
const SCRATCH = Buffer.allocUnsafe(256 * 1024);
const HEAD_ROOM = BLOB_HEADER_ROOM;

/** The blob id of the `size` bytes at HEAD_ROOM in SCRATCH. */
function scratchBlobId(size: number): string {
  return blobIdInPlace(SCRATCH, HEAD_ROOM, HEAD_ROOM + size);
}

/** `hashOnly`: blob id, size and the binary test, no line count (a re-check takes it from the cache). */
function readWorktree(root: string, rel: string, maxDiff: number, keepText: number, needMode: boolean, hashOnly = false): Side | Promise<Side> | null {
  // Git paths are normalised and relative: no path.join (it costs more than the read here).
  const abs = `${root}/${rel}`;
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch {
    return readSymlink(abs);
  }
  let bytes: Buffer;
  let mode: string | undefined;
  try {
    // A tracked file's mode comes from git's raw record: one read and done when it is small
    // (a short read is the end of a regular file; a FIFO or folder fails the read).
    if (!needMode) {
      const room = SCRATCH.length - HEAD_ROOM;
      const got = readSync(fd, SCRATCH, HEAD_ROOM, room, 0);
      if (got < room) {
        const bytes = SCRATCH.subarray(HEAD_ROOM, HEAD_ROOM + got);
        // One scan for a NUL; the name and the `#!` are looked at only when there is one.
        const nul = hasNulPrefix(bytes);
        const binary = nul && looksBinary(bytes, rel);
        const side: Side = { blob: scratchBlobId(got), size: got, binary };
        if (nul && !binary) side.nul = true;
        if (!binary && mayConvert(bytes)) side.mayConvert = true;
        if (!binary && !hashOnly) side.lines = countLines(bytes);
        if (!binary && got <= keepText) side.bytes = Buffer.from(bytes);
        return side;
      }
    }
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    mode = st.mode & 0o111 ? '100755' : '100644';
    if (st.size > maxDiff) return hashLargeFile(abs, st.size, rel).then((side) => ({ ...side, mode }));
    bytes = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, bytes, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got < st.size) bytes = bytes.subarray(0, got);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
  const nul = hasNulPrefix(bytes);
  const binary = nul && looksBinary(bytes, rel);
  const side: Side = { blob: gitBlobId(bytes), size: bytes.length, binary, mode };
  if (!binary && mayConvert(bytes)) side.mayConvert = true;
  if (nul && !binary) side.nul = true;
  if (!binary && needMode && !isUtf8(bytes)) side.notUtf8 = true;
  if (!binary) side.lines = countLines(bytes);
  if (!binary && bytes.length <= keepText) side.bytes = bytes;
  return side;
}

/** The side of a symlink (git stores its target as the content); null if it is not one. */
function readSymlink(abs: string): Side | null {
  try {
    if (!lstatSync(abs).isSymbolicLink()) return null;
    const target = readlinkSync(abs, { encoding: 'buffer' });
    return { blob: gitBlobId(target), size: target.length, binary: false, lines: countLines(target), bytes: target, mode: '120000' };
  } catch {
    return null;
  }
}

/** Reads many working-tree files in small synchronous batches, yielding in between. */
export async function readWorktreeAll(
  root: string,
  items: { path: string; set: (s: Side | null) => void; keepText: number }[],
  maxDiff: number,
  needMode = false,
  hashOnly = false,
): Promise<void> {
  const slow: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const r = readWorktree(root, it.path, maxDiff, it.keepText, needMode, hashOnly);
    if (r instanceof Promise) slow.push(r.then(it.set, () => it.set(null)));
    else it.set(r);
    if (i % READ_BATCH === READ_BATCH - 1) await nextTurn();
  }
  await Promise.all(slow);
}

/** `path`: the side's repository path (a file named as source is text whatever its bytes: see looksBinary). */
export function sideFromBlob(content: Buffer | null, size: number, id: string, keepText: boolean, maxText: number, path: string): Side {
  if (content === null) return { blob: id, size, binary: false };
  const binary = looksBinary(content, path);
  const side: Side = { blob: id, size, binary };
  if (!binary) side.lines = countLines(content);
  if (!binary && keepText && content.length <= maxText) side.bytes = content;
  return side;
}
