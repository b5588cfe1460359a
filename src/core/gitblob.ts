// Facts about file content as git sees it: the blob id, the binary heuristic, line counts.
import { createHash } from 'node:crypto';

/** The id git gives a blob with this content: sha1 of `blob <len>\0` + content. */
export function gitBlobId(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** The id of the empty tree, which every git knows without storing it. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Git's own test (xdiff `buffer_is_binary`): a NUL byte in the first 8000 bytes. */
export function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8000).indexOf(0) !== -1;
}

/** Lines as git counts them: newline-terminated lines plus a final unterminated one. */
export function countLines(content: Uint8Array): number {
  let n = 0;
  let at = -1;
  while ((at = content.indexOf(10, at + 1)) !== -1) n++;
  if (content.length > 0 && content[content.length - 1] !== 10) n++;
  return n;
}
