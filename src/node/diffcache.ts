// A content-addressed cache of what a change set costs to learn, kept in the repository's
// git folder (never committed): the `-U0` hunks between two blobs and, for JS/TS sources, the
// exports the old blob has and the new one lacks. Both depend only on the bytes (the change
// set pins its diff options), so an entry is right for as long as it exists. The file holds
// what the last runs used; a run whose files are all in it asks git only for the list of
// changes, not for the patch. A run that learnt a few pairs appends them as one more line;
// the file is rewritten with only what a run used when its file list changed or unused
// entries pile up. Anything in the repository can write it: only what informs (check, the
// editor) reads it, never a digest or an approval. A process killed mid-append leaves a cut
// line: it is left out when read, never has another line glued to it, and the next write
// rewrites the file without it; a killed rewrite's temporary file is removed by a later one.
import { constants as fsConstants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_WORK_CLASS } from '../core/placeholders';
import { removeStalePartials } from './partials';

// 11: the paths each run diffed anew (DiffCache.recent), the reformat verdict's numbers in each entry, and
// verdicts that know a password in a URL and a mixed-case TODO message: older entries are read as none.
const SCHEMA = 'specgate.cache/11';
const MAX_BYTES = 64 * 1024 * 1024;
const KEY = /^(?:[0-9a-f]{40}(?:[0-9a-f]{24})?)?:(?:[0-9a-f]{40}(?:[0-9a-f]{24})?)?$/;

/**
 * Hunks of one blob pair: lines added, removed, the new side's line count, whether only
 * whitespace changed (0 no, 1 line endings, 2 indentation too), the removed lines that came
 * back differing only in trailing whitespace and how their line endings changed (0 otherwise,
 * 1 CRLF to LF, 2 LF to CRLF; FileChange.whitespaceChanged), whether the lines changed are
 * all comments (1, FileChange.commentOnly; 0 otherwise), the kind of path that was worked out
 * for (core/placeholders.ts workClassOf), the reformat verdict (FileChange.reformat: the tokens
 * of the removed lines, those removed, those added, the removed lines that lose one; 0, 0, 0, 0
 * when there is none), then (oldStart, oldLines, newStart, newLines) per hunk.
 */
export type CachedPair = number[];
/** The numbers of a CachedPair before its hunks. */
export const PAIR_HEAD = 12;
/** Exports: name and (old) line, flat. */
export type CachedExports = (string | number)[];
/** What the new blob's added lines hold (FileChange.placeholders, secrets, silenced): (new line, code, text) each, flat; the change set reads the codes. */
export type CachedPlaceholders = (number | string)[];

export interface DiffCache {
  /** Working-tree files the last run read: read again before git lists the changes. */
  paths: string[];
  /**
   * The paths the latest runs diffed anew (the last run's first), each once: an assistant at
   * work edits the same files again, so they are read first, and a file among them whose bytes
   * no entry knows is diffed before the rest are read (see changeset.ts diffEarly).
   */
  recent: string[];
  /** `oldBlob:newBlob` (an empty side for an added or deleted file) → its hunks. */
  pairs: Map<string, CachedPair>;
  /** The same key → the exports of the old blob that the new blob lacks (sources only). */
  gone: Map<string, CachedExports>;
  /** The same key → the placeholders and secrets the new blob's added lines hold (files that have any). */
  stubs: Map<string, CachedPlaceholders>;
  /** Lines of entries in the file (the first, and one per append since). */
  bodies?: number;
  /** The file holds a line cut short (an append killed part way): the next write rewrites it. */
  torn?: boolean;
}

/** Appended lines allowed before the file is rewritten whole. */
export const MAX_APPENDS = 32;

export function pairKey(oldBlob: string | undefined, newBlob: string | undefined): string {
  return `${oldBlob ?? ''}:${newBlob ?? ''}`;
}

/** A repository path as the cache may name one: relative, and never out of the work tree. */
const isRepoPath = (p: unknown): p is string => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').includes('..');

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Each line after the first: entries as flat arrays (a JSON object with thousands of keys
 * costs several times more to parse): `keys`, `at` (entry i's numbers are `nums[at[i]]` up to
 * `at[i + 1]`), `nums`, `gone` as runs of (key index, name count, name, line, …), and `stubs`
 * as runs of (key index, count, line, code, text, …). A later line's entry replaces an earlier one's.
 */
interface Body {
  keys: string[];
  at: number[];
  nums: number[];
  gone: (string | number)[];
  stubs: (string | number)[];
  /** The paths this line's run diffed anew (DiffCache.recent). */
  hot: string[];
}

function readBody(data: Partial<Body> | null, cache: DiffCache): boolean {
  const { keys, at, nums, gone, stubs, hot } = data ?? {};
  if (!Array.isArray(keys) || !Array.isArray(at) || !Array.isArray(nums) || !Array.isArray(gone) || !Array.isArray(stubs) || !Array.isArray(hot) || at.length !== keys.length + 1 || at[0] !== 0) return false;
  if (!hot.every(isRepoPath)) return false;
  // The later line's first: read from the end of the file, the list is reversed then.
  cache.recent.push(...[...hot].reverse());
  // Inline (this runs for every number of every hunk): whole numbers from 0 to 2^53 - 1.
  for (let i = 0; i < nums.length; i++) {
    const n = nums[i];
    if (!(typeof n === 'number' && n >= 0 && n <= Number.MAX_SAFE_INTEGER && n % 1 === 0)) return false;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const from = at[i]!;
    const to = at[i + 1]!;
    if (typeof key !== 'string' || !KEY.test(key) || !isCount(to) || to > nums.length || to - from < PAIR_HEAD || (to - from - PAIR_HEAD) % 4 !== 0 || nums[from + 3]! > 2 || nums[from + 5]! > 2 || nums[from + 6]! > 1 || nums[from + 7]! > MAX_WORK_CLASS || nums[from + 9]! + nums[from + 10]! > nums[from + 8]!) return false;
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
  // A later line's entry replaces an earlier one's whole (the same blobs under a path of
  // another kind have other verdicts: see core/placeholders.ts workClassOf).
  for (const key of keys) cache.stubs.delete(key as string);
  for (let i = 0; i < stubs.length; ) {
    const index = stubs[i];
    const count = stubs[i + 1];
    const key = isCount(index) && index < keys.length ? keys[index] : undefined;
    if (key === undefined || !isCount(count) || i + 2 + 3 * count > stubs.length) return false;
    const flat = stubs.slice(i + 2, i + 2 + 3 * count);
    for (let j = 0; j < flat.length; j += 3) if (!isCount(flat[j]) || (flat[j] as number) < 1 || !isCount(flat[j + 1]) || typeof flat[j + 2] !== 'string') return false;
    cache.stubs.set(key, flat);
    i += 2 + 3 * count;
  }
  return true;
}

/** How every line of entries starts (formatBody). */
const BODY_START = '{"keys":[';

/**
 * Whether a line of entries that is not JSON is one cut short: an append killed part way
 * (its start, then perhaps a whole line an older writer glued to it). Any other line that
 * is not JSON means the file is not ours.
 */
function isCutLine(line: string): boolean {
  return line.startsWith(BODY_START) || BODY_START.startsWith(line);
}

/**
 * The text of a cache file in the git folder, or undefined when it is larger than `maxBytes`
 * or not a regular file (rejects when it cannot be opened). Anything in the repository can
 * put a FIFO or a device there: it is opened without blocking and never read, where a plain
 * read would wait for a writer (a check hung, deaf to Ctrl-C) or read without end.
 */
export async function readCacheText(file: string, maxBytes: number): Promise<string | undefined> {
  const fh = await open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > maxBytes) return undefined;
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * The cache in `file`; an empty one when it is missing, too large, or not ours (never an
 * error). The first line holds the paths, each further line entries; `onPaths` is handed
 * them once all is read, so reading the files can start before the caller has the cache. A
 * last line without its newline (an append under way,
 * or one killed part way) and a line of entries cut short are left out (and `torn` set).
 */
export async function loadDiffCache(file: string, onPaths?: (paths: string[], cache: DiffCache) => void): Promise<DiffCache> {
  const empty = (): DiffCache => ({ paths: [], recent: [], pairs: new Map(), gone: new Map(), stubs: new Map() });
  try {
    const text = await readCacheText(file, MAX_BYTES);
    if (text === undefined) return empty();
    const nl = text.indexOf('\n');
    if (nl === -1) return empty();
    const head = JSON.parse(text.slice(0, nl)) as { schema?: unknown; paths?: unknown };
    if (head?.schema !== SCHEMA || !Array.isArray(head.paths) || !head.paths.every(isRepoPath)) return empty();
    const paths = head.paths as string[];
    const cache: DiffCache = { paths, recent: [], pairs: new Map(), gone: new Map(), stubs: new Map(), bodies: 0 };
    let at = nl + 1;
    for (let end = text.indexOf('\n', at); end !== -1; at = end + 1, end = text.indexOf('\n', at)) {
      const line = text.slice(at, end);
      let data: Partial<Body> | null;
      try {
        data = JSON.parse(line) as Partial<Body> | null;
      } catch (err) {
        if (!isCutLine(line)) throw err;
        cache.torn = true;
        continue;
      }
      if (!readBody(data, cache)) return empty();
      cache.bodies!++;
    }
    if (at < text.length) cache.torn = true;
    if (cache.bodies === 0) return empty();
    cache.recent = [...new Set(cache.recent.reverse())];
    onPaths?.(paths, cache);
    return cache;
  } catch {
    return empty();
  }
}

/** The file's text for `cache` (what saveDiffCache writes). */
export function formatDiffCache(cache: DiffCache): string {
  return `${JSON.stringify({ schema: SCHEMA, paths: cache.paths })}\n${formatBody({ ...cache, hot: cache.recent })}`;
}

/** What a line of entries holds: entries, and the paths its run diffed anew (see DiffCache.recent). */
export type CacheEntries = Pick<DiffCache, 'pairs' | 'gone' | 'stubs'> & { hot?: readonly string[] };

/** One line of entries. */
function formatBody(cache: CacheEntries): string {
  // Numbers joined per entry (native) rather than pushed one by one into one array.
  const keys: string[] = [];
  const at: number[] = [0];
  const nums: string[] = [];
  const gone: (string | number)[] = [];
  const stubs: (string | number)[] = [];
  let count = 0;
  for (const [key, pair] of cache.pairs) {
    const names = cache.gone.get(key);
    if (names !== undefined) gone.push(keys.length, names.length / 2, ...names);
    const held = cache.stubs.get(key);
    if (held !== undefined) stubs.push(keys.length, held.length / 3, ...held);
    keys.push(key);
    nums.push(pair.join(','));
    count += pair.length;
    at.push(count);
  }
  return `{"keys":${JSON.stringify(keys)},"at":[${at.join(',')}],"nums":[${nums.join(',')}],"gone":${JSON.stringify(gone)},"stubs":${JSON.stringify(stubs)},"hot":${JSON.stringify(cache.hot ?? [])}}\n`;
}

/**
 * Adds entries to the file as one more line (no rewrite of what is there). Should the file
 * end in a line cut short (a writer killed since it was read), the new line starts on a line
 * of its own, so the cut one stays the only line lost. A missing file is not made.
 */
export async function appendDiffCache(file: string, entries: CacheEntries): Promise<void> {
  try {
    const fh = await open(file, fsConstants.O_RDWR | fsConstants.O_APPEND | fsConstants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      // Not a regular file since it was read (see readCacheText): left alone.
      if (!st.isFile()) return;
      const { size } = st;
      const last = Buffer.alloc(1);
      const cut = size > 0 && (await fh.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a;
      await fh.write(`${cut ? '\n' : ''}${formatBody(entries)}`);
    } finally {
      await fh.close();
    }
  } catch {
    // Only speed is lost.
  }
}

/** Temporary files of rewrites (`<cache file>.<pid>-<hex>.tmp`; before the pid was in the name, `<cache file>.<hex>.tmp`). */
export function tempMatcher(file: string): (name: string) => { pid: number } | undefined {
  const prefix = `${path.basename(file)}.`;
  return (name) => {
    if (!name.startsWith(prefix)) return undefined;
    const m = /^(?:([1-9][0-9]{0,9})-)?[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (!m) return undefined;
    // An older writer's name holds no process id: removed once an hour old (as this process's own are).
    return { pid: m[1] !== undefined ? Number(m[1]) : process.pid };
  };
}

/**
 * Replaces the cache file (through a temporary file and a rename: readers never see half a
 * file), then removes what rewrites killed part way left (their process gone, or an hour old).
 */
export async function saveDiffCache(file: string, cache: DiffCache): Promise<void> {
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, formatDiffCache(cache), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed next time.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  await removeStalePartials(path.dirname(file), tempMatcher(file), 'file').catch(() => undefined);
}
