// The approval record a reviewer signs: its shape, its canonical bytes (exactly what the
// SSH signature covers) and where it lives in the repository. The record is stored as
// `.specgate/approvals/<digest prefix>.json` and its detached SSH signature beside it as
// `<digest prefix>.sig`; the signature is over the .json file's bytes, which are always the
// canonical serialisation below, so a record that is not byte-for-byte canonical is refused.
import { UsageError } from './model';

export const APPROVAL_SCHEMA = 'specgate.approval/1';
export const APPROVALS_DIR = '.specgate/approvals';
export const ALLOWED_SIGNERS_PATH = '.specgate/allowed_signers';
/** The `-n` namespace of every SpecGate signature, so a git commit signature cannot be replayed. */
export const SIGNATURE_NAMESPACE = 'specgate';
export const MAX_COMMENT_LENGTH = 4000;

export type Decision = 'approved' | 'rejected';

export interface Reviewer {
  name: string;
  email: string;
  /** The allowed_signers principal the signing key matched when the record was made. */
  principal?: string;
}

export interface ApprovalRecord {
  schema: typeof APPROVAL_SCHEMA;
  digest: string;
  /** Spec id the change was reviewed against. */
  spec: string;
  base: { ref: string; commit: string | null };
  decision: Decision;
  reviewer: Reviewer;
  /** ISO 8601 UTC. */
  time: string;
  comment: string;
  tool: { name: 'specgate'; version: string };
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PREFIX_LENGTH = 16;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** `sha256:abcdef012345…`: enough to tell two digests apart in a one-line message. */
export function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

/** Repo-relative path of the record for a digest. */
export function approvalPath(digest: string): string {
  if (!isDigest(digest)) throw new UsageError(`not a SpecGate digest: ${JSON.stringify(digest)}`);
  return `${APPROVALS_DIR}/${digest.slice(7, 7 + PREFIX_LENGTH)}.json`;
}

/** Repo-relative path of the detached signature that belongs to a record path. */
export function signaturePathFor(recordPath: string): string {
  return recordPath.replace(/\.json$/, '') + '.sig';
}

/** JSON with keys sorted at every level, two-space indent and a final newline. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON holds finite numbers only');
    return value;
  }
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The bytes that get signed and stored. */
export function serializeApproval(record: ApprovalRecord): string {
  return canonicalJson(record);
}

export type ParsedApproval = { ok: true; record: ApprovalRecord } | { ok: false; problem: string };

/** Reads a stored record strictly: known shape only, and byte-for-byte canonical. */
export function parseApproval(text: string): ParsedApproval {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  const problem = shapeProblem(value);
  if (problem) return { ok: false, problem };
  if (canonicalJson(value) !== text) return { ok: false, problem: 'is not in canonical form (edited by hand?)' };
  return { ok: true, record: value as ApprovalRecord };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keysExactly(o: Record<string, unknown>, required: string[], optional: string[] = []): boolean {
  const keys = Object.keys(o);
  return required.every((k) => k in o) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function shapeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'is not a JSON object';
  if (v.schema !== APPROVAL_SCHEMA) return `has schema ${JSON.stringify(v.schema)}, expected ${APPROVAL_SCHEMA}`;
  if (!keysExactly(v, ['schema', 'digest', 'spec', 'base', 'decision', 'reviewer', 'time', 'comment', 'tool'])) {
    return 'has missing or unknown fields';
  }
  if (!isDigest(v.digest)) return 'has no valid digest';
  if (typeof v.spec !== 'string' || v.spec === '') return 'has no spec';
  const base = v.base;
  if (!isObject(base) || !keysExactly(base, ['ref', 'commit']) || typeof base.ref !== 'string') return 'has a malformed base';
  if (base.commit !== null && (typeof base.commit !== 'string' || !/^[0-9a-f]{40,64}$/.test(base.commit))) return 'has a malformed base commit';
  if (v.decision !== 'approved' && v.decision !== 'rejected') return 'has an unknown decision';
  const r = v.reviewer;
  if (!isObject(r) || !keysExactly(r, ['name', 'email'], ['principal'])) return 'has a malformed reviewer';
  if (typeof r.name !== 'string' || typeof r.email !== 'string') return 'has a malformed reviewer';
  if (r.principal !== undefined && typeof r.principal !== 'string') return 'has a malformed reviewer principal';
  if (typeof v.time !== 'string' || Number.isNaN(Date.parse(v.time))) return 'has no valid time';
  if (typeof v.comment !== 'string' || v.comment.length > MAX_COMMENT_LENGTH) return 'has a malformed comment';
  const t = v.tool;
  if (!isObject(t) || !keysExactly(t, ['name', 'version']) || t.name !== 'specgate' || typeof t.version !== 'string') {
    return 'has a malformed tool field';
  }
  return undefined;
}

/** A new record, checked; the comment is trimmed and bounded. */
export function makeApproval(input: {
  digest: string;
  spec: string;
  base: { ref: string; commit: string | null };
  decision: Decision;
  reviewer: Reviewer;
  time: Date;
  comment?: string;
  version: string;
}): ApprovalRecord {
  if (!isDigest(input.digest)) throw new UsageError(`not a SpecGate digest: ${JSON.stringify(input.digest)}`);
  const comment = (input.comment ?? '').trim();
  if (comment.length > MAX_COMMENT_LENGTH) throw new UsageError(`--comment has ${comment.length} characters; shorten it to ${MAX_COMMENT_LENGTH} or fewer`);
  const reviewer: Reviewer = { name: input.reviewer.name, email: input.reviewer.email };
  if (input.reviewer.principal) reviewer.principal = input.reviewer.principal;
  return {
    schema: APPROVAL_SCHEMA,
    digest: input.digest,
    spec: input.spec,
    base: { ref: input.base.ref, commit: input.base.commit },
    decision: input.decision,
    reviewer,
    time: input.time.toISOString(),
    comment,
    tool: { name: 'specgate', version: input.version },
  };
}
