// Files written so that a crash never leaves half of one under its name: created new (never
// over a file that exists, never through a symbolic link) and flushed to disk before the
// caller renames them, or the folder holding them, to their final name.
import { constants as fsConstants } from 'node:fs';
import { copyFile, open } from 'node:fs/promises';

/** Flushes a folder's entries to disk, where the platform can (Linux, macOS); elsewhere, or on any failure, does nothing. */
export async function syncFolder(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Windows cannot flush a folder; the rename is still one step.
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Writes a new file (never one that exists, never through a symbolic link); `sync: false` leaves the flush to syncFiles. */
export async function writeNewFile(file: string, data: string | Buffer, { signal, sync = true }: { signal?: AbortSignal; sync?: boolean } = {}): Promise<void> {
  const fh = await open(file, 'wx');
  try {
    await fh.writeFile(data, { signal });
    if (sync) await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Copies a file to a new one (never one that exists). */
export async function copyNewFile(from: string, file: string): Promise<void> {
  await copyFile(from, file, fsConstants.COPYFILE_EXCL);
}

/**
 * Flushes written files to disk, several at a time: the file system commits the flushes that
 * wait together at once, so a thousand small files cost a few journal commits, not a thousand.
 */
export async function syncFiles(files: readonly string[], signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      signal?.throwIfAborted();
      const fh = await open(files[next++]!, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, files.length) }, worker));
}
