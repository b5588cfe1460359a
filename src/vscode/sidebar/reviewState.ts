// The review state of the current change: not exported, exported, approved, rejected, or
// stale (approved or rejected before the change moved on). Derived from the bundles in
// `.specgate/reviews/` and the records in `.specgate/approvals/`.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { shownTime } from '../../core/time';

export type ReviewStatus = 'no-report' | 'not-exported' | 'exported' | 'approved' | 'rejected' | 'stale';

export interface BundleInfo {
  /** Absolute bundle folder. */
  dir: string;
  digest: string;
  specId: string;
  /** Folder modification time (ms), to pick the newest. */
  mtime: number;
}

export interface RecordInfo {
  file: string;
  digest: string;
  specId: string;
  decision: 'approved' | 'rejected';
  reviewer: string;
  time: string;
  comment?: string;
  /** The base the change was reviewed against; absent when the record does not say. */
  base?: { ref: string; commit: string | null };
}

export interface ReviewState {
  status: ReviewStatus;
  digest?: string;
  specId?: string;
  /** The newest bundle of the current digest (or, when none, of the spec). */
  bundle?: BundleInfo;
  /**
   * The record for the current digest, or for `stale` the newest record of the spec made
   * against the current base (when there is none, the newest against any base).
   */
  record?: RecordInfo;
  /** With `not-exported`: the newest bundle of the spec, of an earlier state of the change. */
  earlier?: BundleInfo;
  /**
   * Set when `record` was made against another base commit than the current change's: the
   * two commits (null: before the first commit).
   */
  otherBase?: { record: string | null; current: string | null };
}

/** The current change: its digest, spec and base commit (null before the first commit; absent when unknown). */
export interface CurrentChange {
  digest: string;
  specId: string;
  base?: string | null;
}

/**
 * Pure: the state from what is on disk. As `specgate verify` does, a stale state names the
 * newest record made against the current base, and only when there is none the newest of any
 * base; a record made against another base says which (`otherBase`).
 */
export function deriveReviewState(current: CurrentChange | undefined, bundles: readonly BundleInfo[], records: readonly RecordInfo[]): ReviewState {
  if (!current) return { status: 'no-report' };
  const base = { digest: current.digest, specId: current.specId };
  const newestBundle = (xs: BundleInfo[]): BundleInfo | undefined => [...xs].sort((a, b) => b.mtime - a.mtime)[0];
  const newestRecord = (xs: RecordInfo[]): RecordInfo | undefined => [...xs].sort((a, b) => b.time.localeCompare(a.time))[0];
  const sameBase = (r: RecordInfo): boolean => r.base === undefined || current.base === undefined || r.base.commit === current.base;
  // Same base first, then any base.
  const pick = (xs: RecordInfo[]): RecordInfo | undefined => newestRecord(xs.filter(sameBase)) ?? newestRecord(xs);
  const other = (r: RecordInfo) => (sameBase(r) ? {} : { otherBase: { record: r.base!.commit, current: current.base! } });
  const bundle = newestBundle(bundles.filter((b) => b.digest === current.digest));
  const withBundle = bundle ? { bundle } : {};
  const record = pick(records.filter((r) => r.digest === current.digest));
  if (record) return { ...base, ...withBundle, status: record.decision, record, ...other(record) };
  const old = pick(records.filter((r) => r.specId === current.specId));
  if (old) return { ...base, ...withBundle, status: 'stale', record: old, ...other(old) };
  if (bundle) return { ...base, status: 'exported', bundle };
  const earlier = newestBundle(bundles.filter((b) => b.specId === current.specId));
  return { ...base, status: 'not-exported', ...(earlier ? { earlier } : {}) };
}

/** A base commit as the review state names it: its first 12 hex digits. */
export function baseName(commit: string | null): string {
  return commit ? commit.slice(0, 12) : 'no commit (before the first commit)';
}

/** What a record made against another base says of the two bases, e.g. `against base 1234567890ab; the change is now against base abcdef123456`. */
export function otherBaseText(o: NonNullable<ReviewState['otherBase']>): string {
  return `against base ${baseName(o.record)}; the change is now against base ${baseName(o.current)}`;
}

/** One line describing a review state, for messages and the panel. */
export function describeReview(s: ReviewState): string {
  switch (s.status) {
    case 'no-report':
      return 'The change has not been analysed.';
    case 'not-exported':
      return s.earlier
        ? `Not exported: the change has moved on since the last review bundle (exported at ${shownTime(new Date(s.earlier.mtime).toISOString())}).`
        : 'Not exported: no review bundle for this change yet.';
    case 'exported':
      return 'Exported: awaiting approval.';
    case 'approved':
      return `Approved by ${s.record!.reviewer} at ${shownTime(s.record!.time)}${s.otherBase ? `, ${otherBaseText(s.otherBase)} (the same content)` : ''}.`;
    case 'rejected':
      return `Rejected by ${s.record!.reviewer} at ${shownTime(s.record!.time)}${s.otherBase ? `, ${otherBaseText(s.otherBase)} (the same content)` : ''}.`;
    case 'stale':
      return s.otherBase
        ? `Stale: ${s.record!.decision} by ${s.record!.reviewer} at ${shownTime(s.record!.time)} ${otherBaseText(s.otherBase)}, and the change has moved on since.`
        : `Stale: ${s.record!.decision} by ${s.record!.reviewer} at ${shownTime(s.record!.time)}, but the change has moved on since.`;
  }
}

/** What a packet.json says, remembered by file, size and modification time. */
export type PacketCache = Map<string, { key: string; digest: string; specId: string }>;

/**
 * Reads bundles and records of a repository; unreadable or foreign files are skipped.
 * With a cache, a packet.json is parsed again only when it changed.
 */
export async function readReviewFiles(root: string, cache?: PacketCache): Promise<{ bundles: BundleInfo[]; records: RecordInfo[] }> {
  const bundles: BundleInfo[] = [];
  const records: RecordInfo[] = [];
  const reviews = path.join(root, '.specgate', 'reviews');
  const seen = new Set<string>();
  for (const name of await list(reviews)) {
    // A hidden folder is a bundle still being written, or one a killed writer left unfinished.
    if (name.startsWith('.')) continue;
    const dir = path.join(reviews, name);
    const file = path.join(dir, 'packet.json');
    const fst = await fs.stat(file).catch(() => undefined);
    if (!fst?.isFile()) continue;
    const key = `${fst.size}:${fst.mtimeMs}`;
    seen.add(file);
    let info = cache?.get(file);
    if (!info || info.key !== key) {
      const packet = await readJson(file);
      if (!packet || typeof packet.digest !== 'string') continue;
      info = { key, digest: packet.digest, specId: specIdOf(packet.spec) };
      cache?.set(file, info);
    }
    const st = await fs.stat(dir).catch(() => undefined);
    bundles.push({ dir, digest: info.digest, specId: info.specId, mtime: st?.mtimeMs ?? 0 });
  }
  // Bundles deleted since: their entries go (one per bundle ever seen, in a long session).
  for (const file of cache?.keys() ?? []) if (file.startsWith(reviews + path.sep) && !seen.has(file)) cache?.delete(file);
  const approvals = path.join(root, '.specgate', 'approvals');
  for (const name of await list(approvals)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(approvals, name);
    const r = await readJson(file);
    if (!r || typeof r.digest !== 'string') continue;
    const decision = r.decision === 'rejected' || r.decision === 'reject' ? 'rejected' : r.decision === 'approved' || r.decision === 'approve' ? 'approved' : undefined;
    if (!decision) continue;
    const rec: RecordInfo = {
      file,
      digest: r.digest,
      specId: specIdOf(r.spec),
      decision,
      reviewer: reviewerOf(r.reviewer),
      time: typeof r.time === 'string' ? r.time : '',
    };
    if (typeof r.comment === 'string' && r.comment !== '') rec.comment = r.comment;
    const b = r.base;
    if (b && typeof b === 'object' && typeof b.ref === 'string' && (b.commit === null || typeof b.commit === 'string')) rec.base = { ref: b.ref, commit: b.commit };
    records.push(rec);
  }
  return { bundles, records };
}

function specIdOf(spec: unknown): string {
  if (typeof spec === 'string') return spec;
  if (spec && typeof spec === 'object' && typeof (spec as { id?: unknown }).id === 'string') return (spec as { id: string }).id;
  return '';
}

function reviewerOf(reviewer: unknown): string {
  if (typeof reviewer === 'string') return reviewer;
  if (reviewer && typeof reviewer === 'object') {
    const r = reviewer as Record<string, unknown>;
    for (const k of ['name', 'email', 'principal']) if (typeof r[k] === 'string') return r[k] as string;
  }
  return 'unknown reviewer';
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function readJson(file: string): Promise<any> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > 64 * 1024 * 1024) return undefined;
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
