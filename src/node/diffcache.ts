// A content-addressed cache of what a change set costs to learn, kept in the repository's
// git folder (never committed): the `-U0` hunks between two blobs and, for JS/TS sources, the
// exports the old blob has and the new one lacks. Both depend only on the bytes (the change
// set pins its diff options), so an entry is right for as long as it exists. The file holds
// what the last run used; a run whose files are all in it asks git only for the list of
// changes, not for the patch. Anything in the repository can write it: only what informs
// (check, the editor) reads it, never a digest or an approval.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

const SCHEMA = 'specgate.cache/4';
const MAX_BYTES = 64 * 1024 * 1024;
const BLOB = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

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

function validPair(key: string, v: unknown): v is CachedPair {
  const [a, b] = key.split(':');
  if ((a !== '' && !BLOB.test(a ?? '')) || (b !== '' && !BLOB.test(b ?? ''))) return false;
  return Array.isArray(v) && v.length >= 3 && (v.length - 3) % 4 === 0 && v.every((n) => Number.isSafeInteger(n) && n >= 0);
}

function validExports(v: unknown): v is CachedExports {
  if (!Array.isArray(v) || v.length % 2 !== 0) return false;
  for (let i = 0; i < v.length; i += 2) if (typeof v[i] !== 'string' || !Number.isSafeInteger(v[i + 1]) || (v[i + 1] as number) < 1) return false;
  return true;
}

/**
 * The cache in `file`; an empty one when it is missing, too large, or not ours (never an
 * error). The file is two lines: the paths (handed to `onPaths` first, so reading them can
 * start), then the rest.
 */
export async function loadDiffCache(file: string, onPaths?: (paths: string[]) => void): Promise<DiffCache> {
  const empty: DiffCache = { paths: [], pairs: new Map(), gone: new Map() };
  try {
    if ((await stat(file)).size > MAX_BYTES) return empty;
    const text = await readFile(file, 'utf8');
    const nl = text.indexOf('\n');
    if (nl === -1) return empty;
    const head = JSON.parse(text.slice(0, nl)) as { schema?: unknown; paths?: unknown };
    if (head?.schema !== SCHEMA || !Array.isArray(head.paths) || !head.paths.every((p) => typeof p === 'string' && p !== '' && !p.startsWith('/') && !p.split('/').includes('..'))) return empty;
    const paths = head.paths as string[];
    onPaths?.(paths);
    const data = JSON.parse(text.slice(nl + 1)) as { pairs?: unknown; gone?: unknown };
    if (typeof data?.pairs !== 'object' || data.pairs === null || typeof data.gone !== 'object' || data.gone === null) return empty;
    const cache: DiffCache = { paths, pairs: new Map(), gone: new Map() };
    for (const [k, v] of Object.entries(data.pairs)) if (validPair(k, v)) cache.pairs.set(k, v);
    for (const [k, v] of Object.entries(data.gone)) if (cache.pairs.has(k) && validExports(v)) cache.gone.set(k, v);
    return cache;
  } catch {
    return empty;
  }
}

/** Replaces the cache file (through a temporary file and a rename: readers never see half a file). */
export async function saveDiffCache(file: string, cache: DiffCache): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const text = `${JSON.stringify({ schema: SCHEMA, paths: cache.paths })}\n${JSON.stringify({ pairs: Object.fromEntries(cache.pairs), gone: Object.fromEntries(cache.gone) })}\n`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed next time.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
