// What killed writers leave behind: the hidden, unfinished files and folders SpecGate writes
// before renaming them to their names (a bundle folder, an approval record). Each name holds
// the writer's process id; one is removed once that process runs no more on this machine, or
// once it is an hour old whatever the id says (the id may be another machine's, or reused).
import { lstat, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';

/** How old a leftover must be to be removed whatever its writer's process id says. */
export const STALE_PARTIAL_MS = 60 * 60 * 1000;

/** Whether a process of this id runs on this machine (EPERM: it runs, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the leftovers in `parent` that `match` names (it returns the writer's process id)
 * and that are of `type`; a symbolic link, or an entry of another type, is left alone. A
 * leftover of this very process is removed only when it is an hour old (it may be a write
 * under way). Returns the names removed; a failure to remove one is no error.
 */
export async function removeStalePartials(
  parent: string,
  match: (name: string) => { pid: number } | undefined,
  type: 'folder' | 'file',
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const m = match(name);
    if (!m) continue;
    const entry = path.join(parent, name);
    const st = await lstat(entry).catch(() => undefined);
    if (!st || (type === 'folder' ? !st.isDirectory() : !st.isFile())) continue;
    const old = now - st.mtimeMs >= STALE_PARTIAL_MS;
    if (!old && (m.pid === process.pid || processRuns(m.pid))) continue;
    try {
      await rm(entry, { recursive: type === 'folder', force: true });
      removed.push(name);
    } catch {
      // Someone else's to clean up.
    }
  }
  return removed;
}
