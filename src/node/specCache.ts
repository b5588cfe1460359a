// Parsed specs, kept in the repository's git folder beside the change cache (never
// committed): a check parses every spec the repository has to pick one, and most of that
// work repeats from run to run. An entry is keyed by the build of SpecGate that parsed it
// (the CLI bundle's own hash) and by the spec's files and their exact text, so it is right
// for as long as it exists. Like the change cache, anything in the repository can write
// it: only what informs (check) reads it, never a digest or an approval; an entry that does
// not look like a spec of the files asked for is parsed again.
import { createHash, randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spec } from '../core/model';
import type { SpecCandidate } from '../core/spec/detect';
import type { SpecFileText } from '../core/spec/parse';
import { readCacheText, tempMatcher } from './diffcache';
import { removeStalePartials } from './partials';

const SCHEMA = 'specgate.specs/1';
/** The file's name, in the folder of the change cache (the git folder). */
export const SPEC_CACHE_NAME = 'specgate-spec-cache.json';
/** A file larger than this is not read (it is rewritten with what the next run uses). */
const MAX_BYTES = 32 * 1024 * 1024;

/** The build of the running CLI: set by its loader (the bundle's sha1); absent elsewhere, where nothing is cached. */
export function runningBuild(): string | undefined {
  const id = (globalThis as Record<symbol, unknown>)[Symbol.for('specgate.build')];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

export interface SpecCache {
  readonly file: string;
  readonly build: string;
  /** Key → the spec as JSON, as read from the file. */
  readonly stored: ReadonlyMap<string, string>;
  /** Key → JSON of the specs this run used (the file's next content). */
  readonly used: Map<string, string>;
}

/** The key of a spec's parse: the build, the candidate and its files' text. */
export function specKey(build: string, candidate: SpecCandidate, texts: readonly SpecFileText[]): string {
  const h = createHash('sha1');
  h.update(JSON.stringify([build, candidate.id, candidate.format, candidate.name, candidate.files, texts.length]));
  for (const t of texts) h.update(`\0${t.path}\0${t.text.length}\0`).update(t.text);
  return h.digest('hex');
}

/** The cache in `file` for `build`; an empty one when missing, too large, of another build or not ours. */
export async function openSpecCache(file: string, build: string): Promise<SpecCache> {
  const stored = new Map<string, string>();
  const cache: SpecCache = { file, build, stored, used: new Map() };
  try {
    const text = await readCacheText(file, MAX_BYTES);
    if (text === undefined) return cache;
    const data = JSON.parse(text) as { schema?: unknown; build?: unknown; keys?: unknown; specs?: unknown };
    if (data?.schema !== SCHEMA || data.build !== build || !Array.isArray(data.keys) || !Array.isArray(data.specs) || data.keys.length !== data.specs.length) return cache;
    data.keys.forEach((key, i) => {
      const spec = (data.specs as unknown[])[i];
      if (typeof key === 'string' && /^[0-9a-f]{40}$/.test(key) && typeof spec === 'string') stored.set(key, spec);
    });
  } catch {
    // No cache, or not one of ours: every spec is parsed.
  }
  return cache;
}

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === 'boolean';
const listOf = (each: Check): Check => (v) => Array.isArray(v) && v.every(each);
/** An object whose `fields` pass their checks (a `?` after a name: absent is fine too). */
const shaped =
  (fields: Record<string, Check>): Check =>
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.entries(fields).every(([name, check]) => {
      const optional = name.endsWith('?');
      const value = (v as Record<string, unknown>)[optional ? name.slice(0, -1) : name];
      return (optional && value === undefined) || check(value);
    });
const RANGE = shaped({ file: isString, startLine: isNumber, endLine: isNumber });
/** The fields of a spec that the rules read, each element of each list included (see core/model.ts). */
const SPEC = shaped({
  files: listOf(isString),
  requirements: listOf(shaped({ id: isString, title: isString, kind: isString, criteria: listOf(shaped({ id: isString, text: isString, range: RANGE })), range: RANGE })),
  tasks: listOf(
    shaped({ id: isString, title: isString, state: isString, mark: isString, optional: isBoolean, requirements: listOf(isString), allRequirements: isBoolean, paths: listOf(isString), range: RANGE, depth: isNumber, 'parent?': isString }),
  ),
  scope: shaped({ include: listOf(isString), exclude: listOf(isString), protected: listOf(isString) }),
  scopeSources: listOf(shaped({ glob: isString, list: isString, origin: isString, 'range?': RANGE })),
  problems: listOf(shaped({ message: isString, file: isString, 'line?': isNumber })),
  'unresolvedRefs?': listOf(shaped({ task: isString, ref: isString, range: RANGE })),
  'text?': isString,
  'nonGoals?': listOf(shaped({ text: isString, range: RANGE })),
});

/**
 * Whether `value` has the shape of the spec of `candidate`: its id, format and name, and the
 * fields the rules read, to each element of each list. A planted or damaged entry is parsed
 * again rather than let an analysis fail on it.
 */
function specOf(value: unknown, candidate: SpecCandidate): value is Spec {
  const s = value as Partial<Spec> | null;
  return typeof s === 'object' && s !== null && s.id === candidate.id && s.format === candidate.format && s.name === candidate.name && SPEC(s);
}

/**
 * The spec of `candidate`'s files: from the cache when it holds this parse, else `parse`d
 * (and kept for the file). A fresh object each time: the caller may change it.
 */
export function parseCached(cache: SpecCache, candidate: SpecCandidate, texts: readonly SpecFileText[], parse: () => Spec): Spec {
  const key = specKey(cache.build, candidate, texts);
  const json = cache.stored.get(key);
  if (json !== undefined) {
    try {
      const spec: unknown = JSON.parse(json);
      if (specOf(spec, candidate)) {
        cache.used.set(key, json);
        return spec;
      }
    } catch {
      // parsed again below
    }
  }
  const spec = parse();
  cache.used.set(key, JSON.stringify(spec));
  return spec;
}

/** Writes what this run used when it differs from what was read (a temporary file, then a rename). */
export async function saveSpecCache(cache: SpecCache): Promise<void> {
  if (cache.used.size === cache.stored.size && [...cache.used.keys()].every((k) => cache.stored.get(k) === cache.used.get(k))) return;
  const keys = [...cache.used.keys()];
  // The specs are stored as JSON text (parsed only when used), so the file is read cheaply.
  const text = JSON.stringify({ schema: SCHEMA, build: cache.build, keys, specs: keys.map((k) => cache.used.get(k)) });
  const tmp = `${cache.file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, cache.file);
  } catch {
    // Only speed is lost.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  await removeStalePartials(path.dirname(cache.file), tempMatcher(cache.file), 'file').catch(() => undefined);
}
