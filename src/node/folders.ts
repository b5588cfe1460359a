// Makes folders one level at a time. Node's `mkdir(dir, { recursive: true })` never returns
// where a file system answers ENOENT for a new folder whose parent exists (as /proc does): it
// retries the parent, finds it, and tries the child again, forever, at full CPU.
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

function notFound(err: NodeJS.ErrnoException): undefined {
  if (err.code === 'ENOENT') return undefined;
  throw err;
}

/**
 * Creates `dir` and its missing parents, from the nearest existing folder down; one mkdir per
 * missing level, so it ends. Rejects with the failing call's error (ENOENT, EACCES, EROFS…),
 * or ENOTDIR when the nearest existing path is not a folder.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; ) {
    const st = await stat(at).catch(notFound);
    if (st) {
      if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: at });
      break;
    }
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await mkdir(level);
    } catch (err) {
      // Made meanwhile by another process: fine when it is a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(level).catch(notFound))?.isDirectory()) throw err;
    }
  }
}
