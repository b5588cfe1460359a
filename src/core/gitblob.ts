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
 * Whether content is binary: git's test, except for a file `path` names as text (source, a
 * script, configuration: see textByName) and a script that starts with `#!`. Those are read
 * as text whatever NULs they hold, so none can hide its lines from the review.
 */
export function looksBinary(content: Uint8Array, path?: string): boolean {
  if (!hasNulPrefix(content)) return false;
  if (content[0] === HASH && content[1] === BANG) return false;
  return path === undefined || !textByName(path);
}

/** Lines as git counts them: newline-terminated lines plus a final unterminated one. */
export function countLines(content: Uint8Array): number {
  let n = 0;
  let at = -1;
  while ((at = content.indexOf(10, at + 1)) !== -1) n++;
  if (content.length > 0 && content[content.length - 1] !== 10) n++;
  return n;
}
