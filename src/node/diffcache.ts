// A content-addressed cache of what a change set costs to learn, kept in the repository's
// git folder (never committed): the `-U0` hunks between two blobs and, for JS/TS sources, the
// exports the old blob has and the new one lacks. Both depend only on the bytes (the change
// set pins its diff options), so an entry is right for as long as it exists. The file holds
// what the last run used; a run whose files are all in it asks git only for the list of
// changes, not for the patch. Anything in the repository can write it: only what informs
// (check, the editor) reads it, never a digest or an approval.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

const SCHEMA = 'specgate.cache/5';
const MAX_BYTES = 64 * 1024 * 1024;
const KEY = /^(?:[0-9a-f]{40}(?:[0-9a-f]{24})?)?:(?:[0-9a-f]{40}(?:[0-9a-f]{24})?)?$/;

/** Hunks of one blob pair: lines added, removed, the new side's line count, then (oldStart, oldLines, newStart, newLines) per hunk. */
export type CachedPair = number[];
/** Exports: name and (old) line, flat. */
export type CachedExports = (string | number)[];

export interface DiffCache {
  /** Working-tree files the last run read: read again before git lists the changes. */
  paths: string[];
  /** `oldBlob:newBlob` (an empty side for an added or deleted file) → its hunks. */
  pairs: Map<string, CachedPair>;
  /** The same key → the exports of the old blob that the new blob lacks (sources only). */
  gone: Map<string, CachedExports>;
}

export function pairKey(oldBlob: string | undefined, newBlob: string | undefined): string {
  return `${oldBlob ?? ''}:${newBlob ?? ''}`;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * The file's second line: flat arrays (a JSON object with thousands of keys costs several
 * times more to parse): `keys`, `at` (entry i's numbers are `nums[at[i]]` up to `at[i + 1]`),
 * `nums`, and `gone` as runs of (key index, name count, name, line, …).
 */
interface Body {
  keys: string[];
  at: number[];
  nums: number[];
  gone: (string | number)[];
}

function readBody(data: Partial<Body> | null, cache: DiffCache): boolean {
  const { keys, at, nums, gone } = data ?? {};
  if (!Array.isArray(keys) || !Array.isArray(at) || !Array.isArray(nums) || !Array.isArray(gone) || at.length !== keys.length + 1 || at[0] !== 0) return false;
  for (let i = 0; i < nums.length; i++) if (!isCount(nums[i])) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const from = at[i]!;
    const to = at[i + 1]!;
    if (typeof key !== 'string' || !KEY.test(key) || !isCount(to) || to > nums.length || to - from < 3 || (to - from - 3) % 4 !== 0) return false;
    cache.pairs.set(key, nums.slice(from, to));
  }
  for (let i = 0; i < gone.length; ) {
    const index = gone[i];
    const count = gone[i + 1];
    const key = isCount(index) && index < keys.length ? keys[index] : undefined;
    if (key === undefined || !isCount(count) || i + 2 + 2 * count > gone.length) return false;
    const flat = gone.slice(i + 2, i + 2 + 2 * count);
    for (let j = 0; j < flat.length; j += 2) if (typeof flat[j] !== 'string' || !isCount(flat[j + 1]) || (flat[j + 1] as number) < 1) return false;
    cache.gone.set(key, flat);
    i += 2 + 2 * count;
  }
  return true;
}

/**
 * The cache in `file`; an empty one when it is missing, too large, or not ours (never an
 * error). The file is two lines: the paths (handed to `onPaths` first, so reading them can
 * start), then the rest.
 */
export async function loadDiffCache(file: string, onPaths?: (paths: string[]) => void): Promise<DiffCache> {
  const empty = (): DiffCache => ({ paths: [], pairs: new Map(), gone: new Map() });
  try {
    if ((await stat(file)).size > MAX_BYTES) return empty();
    const text = await readFile(file, 'utf8');
    const nl = text.indexOf('\n');
    if (nl === -1) return empty();
    const head = JSON.parse(text.slice(0, nl)) as { schema?: unknown; paths?: unknown };
    if (head?.schema !== SCHEMA || !Array.isArray(head.paths) || !head.paths.every((p) => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').includes('..'))) return empty();
    const paths = head.paths as string[];
    onPaths?.(paths);
    const cache: DiffCache = { paths, pairs: new Map(), gone: new Map() };
    return readBody(JSON.parse(text.slice(nl + 1)) as Partial<Body> | null, cache) ? cache : empty();
  } catch {
    return empty();
  }
}

/** The file's text for `cache` (what saveDiffCache writes). */
export function formatDiffCache(cache: DiffCache): string {
  const body: Body = { keys: [], at: [0], nums: [], gone: [] };
  for (const [key, pair] of cache.pairs) {
    const gone = cache.gone.get(key);
    if (gone !== undefined) body.gone.push(body.keys.length, gone.length / 2, ...gone);
    body.keys.push(key);
    for (const n of pair) body.nums.push(n);
    body.at.push(body.nums.length);
  }
  return `${JSON.stringify({ schema: SCHEMA, paths: cache.paths })}\n${JSON.stringify(body)}\n`;
}

/** Replaces the cache file (through a temporary file and a rename: readers never see half a file). */
export async function saveDiffCache(file: string, cache: DiffCache): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, formatDiffCache(cache), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed next time.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
