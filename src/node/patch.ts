// The change as a patch that `git apply` takes on the base commit: binary files included,
// untracked files included (through a throw-away copy of the index, so the real index is
// never touched), nothing else than the change set's own paths. Text is diffed as text
// whatever `.gitattributes` says (`-diff`, `binary` would otherwise hide it behind a binary
// patch); only content the change set found binary gets git's binary patch.
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EMPTY_TREE } from '../core/gitblob';
import type { ChangeSet, FileChange } from '../core/model';
import { splitPatch } from '../core/render/diffview';
import { SAFE_DIFF_FLAGS, type Git } from './git';

const CHUNK = 500;

function diffArgs(from: string, staged: boolean, binary: boolean): string[] {
  return [
    'diff',
    binary ? '--binary' : '--text',
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

function pathsOf(changes: FileChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))].sort();
}

/** The patch split where each `diff --git` line starts. */
function fileSections(patch: Buffer): Buffer[] {
  const starts: number[] = [];
  const marker = Buffer.from('diff --git ');
  for (let at = patch.indexOf(marker); at !== -1; at = patch.indexOf(marker, at + 1)) {
    if (at === 0 || patch[at - 1] === 10) starts.push(at);
  }
  return starts.map((s, i) => patch.subarray(s, starts[i + 1] ?? patch.length));
}

/** The text and binary patches as one, each file where git would put it: in the change set's (path) order. */
function merged(patches: Buffer[], changeSet: ChangeSet): Buffer {
  const nonEmpty = patches.filter((p) => p.length > 0);
  if (nonEmpty.length < 2) return Buffer.concat(nonEmpty);
  const order = new Map(changeSet.changes.map((c, i) => [c.path, i]));
  const rank = (section: Buffer): number => {
    // The header ends where the first hunk or binary patch starts; only it names the file.
    const text = section.subarray(0, 64 * 1024).toString('utf8');
    const end = text.search(/\n(?:@@ |GIT binary patch|Binary files )/);
    const file = splitPatch(end === -1 ? text : text.slice(0, end))[0];
    return (file ? order.get(file.path) : undefined) ?? Number.MAX_SAFE_INTEGER;
  };
  const sections = nonEmpty.flatMap(fileSections).map((section) => ({ section, rank: rank(section) }));
  return Buffer.concat(sections.sort((a, b) => a.rank - b.rank).map((s) => s.section));
}

/** The patch from the change set's base to its new side (index or working tree). */
export async function changePatch(git: Git, changeSet: ChangeSet): Promise<Buffer> {
  const from = changeSet.base.commit ?? EMPTY_TREE;
  const paths = pathsOf(changeSet.changes);
  if (paths.length === 0) return Buffer.alloc(0);
  // One diff for the text (with --text), one for real binary content (and submodules).
  const groups = [false, true]
    .map((binary) => ({ binary, paths: pathsOf(changeSet.changes.filter((c) => c.binary === binary)) }))
    .filter((g) => g.paths.length > 0);
  const staged = changeSet.mode === 'staged';
  const literal = { GIT_LITERAL_PATHSPECS: '1' };
  const diff = async (env: Record<string, string>): Promise<Buffer> => {
    const patches = [];
    for (const g of groups) {
      const parts = [];
      for (const group of chunks(g.paths, CHUNK)) parts.push(await git.run([...diffArgs(from, staged, g.binary), ...group], { encoding: 'buffer', env }));
      patches.push(Buffer.concat(parts));
    }
    return merged(patches, changeSet);
  };
  if (staged) return diff(literal);

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
    return await diff(env);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
