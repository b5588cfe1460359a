// A content-addressed cache of what a change set costs to learn, kept in the repository's
// git folder (never committed): the `-U0` hunks between two blobs and, for JS/TS sources, the
// exports the old blob has and the new one lacks. Both depend only on the bytes (the change
// set pins its diff options), so an entry is right for as long as it exists. The file holds
// what the last runs used; a run whose files are all in it asks git only for the list of
// changes, not for the patch. A run that learnt a few pairs appends them as one more line;
// the file is rewritten with only what a run used when its file list changed or unused
// entries pile up. Anything in the repository can write it: only what informs (check, the
// editor) reads it, never a digest or an approval.
import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

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
  /** Lines of entries in the file (the first, and one per append since). */
  bodies?: number;
}

/** Appended lines allowed before the file is rewritten whole. */
export const MAX_APPENDS = 32;

export function pairKey(oldBlob: string | undefined, newBlob: string | undefined): string {
  return `${oldBlob ?? ''}:${newBlob ?? ''}`;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Each line after the first: entries as flat arrays (a JSON object with thousands of keys
 * costs several times more to parse): `keys`, `at` (entry i's numbers are `nums[at[i]]` up to
 * `at[i + 1]`), `nums`, and `gone` as runs of (key index, name count, name, line, …). A later
 * line's entry replaces an earlier one's.
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
  // Inline (this runs for every number of every hunk): whole numbers from 0 to 2^53 - 1.
  for (let i = 0; i < nums.length; i++) {
    const n = nums[i];
    if (!(typeof n === 'number' && n >= 0 && n <= Number.MAX_SAFE_INTEGER && n % 1 === 0)) return false;
  }
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
 * error). The first line holds the paths (handed to `onPaths` first, so reading them can
 * start), each further line entries. A last line without its newline (an append under way)
 * is left out.
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
    const cache: DiffCache = { paths, pairs: new Map(), gone: new Map(), bodies: 0 };
    for (let at = nl + 1, end = text.indexOf('\n', at); end !== -1; at = end + 1, end = text.indexOf('\n', at)) {
      if (!readBody(JSON.parse(text.slice(at, end)) as Partial<Body> | null, cache)) return empty();
      cache.bodies!++;
    }
    return cache.bodies! > 0 ? cache : empty();
  } catch {
    return empty();
  }
}

/** The file's text for `cache` (what saveDiffCache writes). */
export function formatDiffCache(cache: DiffCache): string {
  return `${JSON.stringify({ schema: SCHEMA, paths: cache.paths })}\n${formatBody(cache)}`;
}

/** One line of entries. */
function formatBody(cache: Pick<DiffCache, 'pairs' | 'gone'>): string {
  // Numbers joined per entry (native) rather than pushed one by one into one array.
  const keys: string[] = [];
  const at: number[] = [0];
  const nums: string[] = [];
  const gone: (string | number)[] = [];
  let count = 0;
  for (const [key, pair] of cache.pairs) {
    const names = cache.gone.get(key);
    if (names !== undefined) gone.push(keys.length, names.length / 2, ...names);
    keys.push(key);
    nums.push(pair.join(','));
    count += pair.length;
    at.push(count);
  }
  return `{"keys":${JSON.stringify(keys)},"at":[${at.join(',')}],"nums":[${nums.join(',')}],"gone":${JSON.stringify(gone)}}\n`;
}

/** Adds entries to the file as one more line (no rewrite of what is there). */
export async function appendDiffCache(file: string, entries: Pick<DiffCache, 'pairs' | 'gone'>): Promise<void> {
  try {
    await appendFile(file, formatBody(entries), { mode: 0o600 });
  } catch {
    // Only speed is lost.
  }
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
