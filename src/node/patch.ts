// The change as a patch that `git apply` takes on the base commit: binary files included,
// untracked files included (through a throw-away copy of the index, so the real index is
// never touched), nothing else than the change set's own paths.
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY_TREE } from '../core/gitblob';
import type { ChangeSet } from '../core/model';
import { SAFE_DIFF_FLAGS, type Git } from './git';

const CHUNK = 500;

function diffArgs(from: string, staged: boolean): string[] {
  return [
    'diff',
    '--binary',
    '--full-index',
    '-M',
    ...SAFE_DIFF_FLAGS,
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

/**
 * Copies the index keeping its mtime (floored to the second). Git trusts an entry's cached
 * stat data only when the entry is older than the index file; a copy with a fresh mtime would
 * make a file edited in the same second as the last `git add` look unchanged ("racy git").
 */
async function copyIndex(from: string, to: string): Promise<boolean> {
  try {
    const st = await stat(from);
    await copyFile(from, to);
    const mtime = Math.floor(st.mtimeMs / 1000);
    await utimes(to, mtime, mtime);
    return true;
  } catch {
    return false;
  }
}

/** The patch from the change set's base to its new side (index or working tree). */
export async function changePatch(git: Git, changeSet: ChangeSet): Promise<Buffer> {
  const from = changeSet.base.commit ?? EMPTY_TREE;
  const paths = [...new Set(changeSet.changes.flatMap((c) => (c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))].sort();
  if (paths.length === 0) return Buffer.alloc(0);
  const staged = changeSet.mode === 'staged';
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  if (staged) {
    const parts = [];
    for (const group of chunks(paths, CHUNK)) parts.push(await git.run([...diffArgs(from, true), ...group], { encoding: 'buffer', env: literal }));
    return Buffer.concat(parts);
  }

  const dir = await mkdtemp(path.join(tmpdir(), 'specgate-index-'));
  try {
    const index = path.join(dir, 'index');
    const realIndex = path.resolve(git.root, (await git.run(['rev-parse', '--git-path', 'index'])).replace(/\n$/, ''));
    const copied = await copyIndex(realIndex, index);
    const env = { ...literal, GIT_INDEX_FILE: index };
    if (!copied && changeSet.base.commit) await git.run(['read-tree', '--end-of-options', changeSet.base.commit], { env });
    const untracked = new Set(
      (await git.run(['ls-files', '-z', '--others', '--exclude-standard'], { env })).split('\0').filter((p) => p !== ''),
    );
    const intent = paths.filter((p) => untracked.has(p));
    if (intent.length) {
      await git.run(['add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], { env, input: intent.join('\0') + '\0' });
    }
    const parts = [];
    for (const group of chunks(paths, CHUNK)) parts.push(await git.run([...diffArgs(from, false), ...group], { encoding: 'buffer', env }));
    return Buffer.concat(parts);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
