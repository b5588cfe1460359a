// Facts about file content as git sees it: the blob id, the binary heuristic, line counts.
import * as crypto from 'node:crypto';
import { textByName } from './textFiles';

/** The id git gives a blob with this content: sha1 of `blob <len>\0` + content. */
export function gitBlobId(content: Uint8Array): string {
  return crypto.createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Bytes to leave free before content for blobIdInPlace (`blob <size>\0` takes at most 28). */
export const BLOB_HEADER_ROOM = 32;

const oneShotHash = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'hex') => string }).hash;
const BLOB_PREFIX = [98, 108, 111, 98, 32]; // "blob "

/**
 * gitBlobId of `buf[start, end)`, with git's header written into the room before `start`
 * (at least BLOB_HEADER_ROOM bytes, which it overwrites) and the whole hashed in one call:
 * no hash object and no copy per file.
 */
export function blobIdInPlace(buf: Uint8Array, start: number, end: number): string {
  if (start < BLOB_HEADER_ROOM) throw new RangeError('blobIdInPlace: no room for the header');
  if (!oneShotHash) return gitBlobId(buf.subarray(start, end));
  const size = String(end - start);
  let at = start - size.length - 6;
  const from = at;
  for (const b of BLOB_PREFIX) buf[at++] = b;
  for (let i = 0; i < size.length; i++) buf[at++] = size.charCodeAt(i);
  buf[at] = 0;
  return oneShotHash('sha1', buf.subarray(from, end), 'hex');
}

/** The id of the empty tree, which every git knows without storing it. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Git's own test (xdiff `buffer_is_binary`): a NUL byte in the first 8000 bytes. */
export function hasNulPrefix(content: Uint8Array): boolean {
  return content.subarray(0, 8000).indexOf(0) !== -1;
}

const HASH = 35;
const BANG = 33;

/**
 * Whether content is binary: git's test (a NUL in the first 8000 bytes), except for a file
 * `path` names as text (source, a script, configuration: see textByName), a script that
 * starts with `#!`, and UTF-8 text with a few NULs put in (textWithNuls). Those are read as
 * text whatever NULs they hold, so none can hide its lines from the review.
 */
export function looksBinary(content: Uint8Array, path?: string): boolean {
  if (!hasNulPrefix(content)) return false;
  if (content[0] === HASH && content[1] === BANG) return false;
  if (path !== undefined && textByName(path)) return false;
  return !textWithNuls(content);
}

/**
 * Above this share of NULs and odd control bytes it is not text with NULs put in: UTF-16 of
 * ASCII text is half NULs, a SQLite page mostly, a tar header's padding 5% of the window.
 */
const MAX_ODD_SHARE = 0.01;
/** …but a small file may hold a few: up to 8, and at most one byte in ten. */
const SMALL_ODD_ALLOWED = 8;
const SMALL_ODD_SHARE = 0.1;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Tab, LF, VT, FF, CR and ESC (colour codes in logs). */
const TEXT_CONTROLS = new Set([9, 10, 11, 12, 13, 27]);

/**
 * Whether the first 8000 bytes (git's window) are valid UTF-8 in which at most one byte in a
 * hundred (in a small file up to 8, one in ten) is a NUL or another control character text does not use: a text file with a
 * NUL put in, which git calls binary. Binary formats fail this (their bytes are not UTF-8, or are
 * mostly NULs and controls), and so does UTF-16 (a BOM is not UTF-8; ASCII in it is half
 * NULs), which goes to working-tree-encoding instead.
 */
export function textWithNuls(content: Uint8Array): boolean {
  let head = content.subarray(0, 8000);
  // NULs and the other control bytes text does not use (tab, line ends, form feed and ESC it does).
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if ((b < 32 && !TEXT_CONTROLS.has(b)) || b === 127) odd++;
  }
  if (odd > Math.max(head.length * MAX_ODD_SHARE, Math.min(SMALL_ODD_ALLOWED, head.length * SMALL_ODD_SHARE))) return false;
  // A character the window cuts in two is not an error (nor, at 8000 bytes, one the caller's read did).
  if (head.length === 8000) head = head.subarray(0, wholeCharsEnd(head));
  try {
    strictUtf8.decode(head);
    return true;
  } catch {
    return false;
  }
}

/** Where UTF-8 `bytes` end without a character cut at the end (its start, if one is). */
function wholeCharsEnd(bytes: Uint8Array): number {
  const end = bytes.length;
  let k = end - 1;
  while (k >= 0 && end - k < 4 && (bytes[k]! & 0xc0) === 0x80) k--;
  if (k < 0 || bytes[k]! < 0xc0) return end;
  const need = bytes[k]! >= 0xf0 ? 4 : bytes[k]! >= 0xe0 ? 3 : 2;
  return end - k < need ? k : end;
}

/** Lines as git counts them: newline-terminated lines plus a final unterminated one. */
export function countLines(content: Uint8Array): number {
  let n = 0;
  let at = -1;
  while ((at = content.indexOf(10, at + 1)) !== -1) n++;
  if (content.length > 0 && content[content.length - 1] !== 10) n++;
  return n;
}

/**
 * The pointer git-lfs's clean filter stores for a file of `size` bytes whose SHA-256 is
 * `sha256` (hex): what `git add` makes of a file under `filter=lfs`, by the git-lfs pointer
 * spec v1, computed without running git-lfs.
 */
export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}
