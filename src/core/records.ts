// SpecGate's own records in a repository: approval records and review bundles, in
// `.specgate/approvals/` and `.specgate/reviews/`. A file there is a record, and so never part
// of a change, only when both its NAME and its SHAPE are those SpecGate writes:
//
//   .specgate/approvals/<16 hex>.json   an approval record (specgate.approval/1 in the
//                                       canonical JSON that approve writes and verify reads)
//   .specgate/approvals/<16 hex>.sig    its SSH signature (`-----BEGIN SSH SIGNATURE-----`)
//   .specgate/reviews/<bundle>/…        a bundle's packet.json, REVIEW.md, review.html,
//                                       changes.patch, review.sarif, each starting as the
//                                       bundle writer starts it, and spec/… copies of spec
//                                       documents (markdown, text, YAML, JSON; no NUL byte)
//   .specgate/reviews/.gitignore        the one the bundle making the folder writes, as it
//                                       writes it (REVIEWS_GITIGNORE)
//
// where <bundle> is `<name>-<yyyymmdd>-<hhmmss>-<8 hex>` with an optional `-2`…`-100`.
// The writers' unfinished files count too, so that what a killed writer left behind is not
// taken for part of the change: a bundle being written lives in a hidden folder
// `.<bundle>.partial-<pid>-<6 hex>` until it is renamed to <bundle> (its files may be cut
// short: a file is one when it is empty or starts as the writer starts it), and an approval
// record or signature is written as `.<16 hex>.json.partial-<pid>-<6 hex>` (or `.sig…`),
// whole, before its rename. Any other file in those folders is an ordinary file of the change. Names are decided here from
// the path alone; shapes from a sample of the content (the first bytes, the last bytes and
// the size) that the caller reads, so that a bundle of a large change costs a few KB to check.
import { parseApproval } from './approval';

/** Folders (repo-relative, with a trailing slash) holding SpecGate's records. */
export const RECORD_DIRS: readonly string[] = ['.specgate/approvals/', '.specgate/reviews/'];

/** Whether a repo-relative path lies in one of SpecGate's record folders (record or not). */
export function isRecordPath(p: string): boolean {
  return RECORD_DIRS.some((d) => p.startsWith(d));
}

export type RecordKind = 'approval' | 'signature' | 'packet' | 'review-md' | 'review-html' | 'patch' | 'sarif' | 'spec-copy' | 'reviews-gitignore';

/** What `.specgate/reviews/.gitignore` holds when SpecGate writes it (see bundle.ts). */
export const REVIEWS_GITIGNORE =
  '# Written by SpecGate with the first review bundle here. Bundles are for reading and approving;\n' +
  '# what is committed is the approval record in .specgate/approvals/. Remove this file to\n' +
  '# commit bundles too (they are never part of a change either way).\n' +
  '*\n';
const REVIEWS_GITIGNORE_PATH = '.specgate/reviews/.gitignore';

const APPROVAL = /^\.specgate\/approvals\/(?:[0-9a-f]{16}\.(json|sig)|\.[0-9a-f]{16}\.(json|sig)\.partial-[1-9][0-9]{0,9}-[0-9a-f]{6})$/;
/** `safeName` of the spec (1–60 of `[A-Za-z0-9._-]`, not starting with `-` or `.`), the time, the digest's first 8 hex digits. */
const BUNDLE_NAME = String.raw`[A-Za-z0-9_][A-Za-z0-9._-]{0,59}-\d{8}-\d{6}-[0-9a-f]{8}`;
/** A bundle's name with the writer's suffix for a name taken already. */
const BUNDLE_FOLDER = new RegExp(`^${BUNDLE_NAME}(?:-(?:[2-9]|[1-9][0-9]|100))?$`);
/** The hidden folder a bundle is written in before it gets its name: the writer's process id and 6 random hex digits. */
const PARTIAL_FOLDER = new RegExp(`^\\.${BUNDLE_NAME}\\.partial-([1-9][0-9]{0,9})-[0-9a-f]{6}$`);
const BUNDLE_FILES: Record<string, RecordKind> = {
  'packet.json': 'packet',
  'REVIEW.md': 'review-md',
  'review.html': 'review-html',
  'changes.patch': 'patch',
  'review.sarif': 'sarif',
};
/** What a bundle's spec/ holds: documents that spec layouts use, never code. */
const SPEC_COPY_NAME = /(?:\.(?:md|markdown|txt|ya?ml|json)|^\.config\.kiro)$/i;

/** Whether a folder name is one the bundle writer gives a bundle. */
export function isBundleFolderName(name: string): boolean {
  return BUNDLE_FOLDER.test(name);
}

/** The writer's process id when a folder name is that of a bundle being written (see bundle.ts), else undefined. */
export function isPartialBundleFolderName(name: string): { pid: number } | undefined {
  const m = PARTIAL_FOLDER.exec(name);
  return m ? { pid: Number(m[1]) } : undefined;
}

/** The writer's process id when a file name is that of an approval record or signature being written, else undefined. */
export function isPartialApprovalName(name: string): { pid: number } | undefined {
  const m = /^\.[0-9a-f]{16}\.(?:json|sig)\.partial-([1-9][0-9]{0,9})-[0-9a-f]{6}$/.exec(name);
  return m ? { pid: Number(m[1]) } : undefined;
}

/** Whether a repo-relative path lies in a bundle folder still being written (or left so by a killed writer). */
export function isInPartialBundle(p: string): boolean {
  const dir = RECORD_DIRS[1]!;
  if (!p.startsWith(dir)) return false;
  const rest = p.slice(dir.length);
  const slash = rest.indexOf('/');
  return slash > 0 && PARTIAL_FOLDER.test(rest.slice(0, slash));
}

/**
 * Whether a file of a spec, at this path relative to the bundle's spec/ folder, is copied
 * there: a relative path of plain segments whose file name is a spec document's.
 */
export function isSpecCopyName(rel: string): boolean {
  const segs = rel.split('/');
  if (segs.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0'))) return false;
  return SPEC_COPY_NAME.test(segs[segs.length - 1]!);
}

/**
 * Which of SpecGate's records a repo-relative path names, or undefined when the name is not
 * one SpecGate writes (the file is then an ordinary file wherever it lies).
 */
export function recordKind(p: string): RecordKind | undefined {
  const a = APPROVAL.exec(p);
  if (a) return (a[1] ?? a[2]) === 'json' ? 'approval' : 'signature';
  if (p === REVIEWS_GITIGNORE_PATH) return 'reviews-gitignore';
  const dir = RECORD_DIRS[1]!;
  if (!p.startsWith(dir)) return undefined;
  const rest = p.slice(dir.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || !(isBundleFolderName(rest.slice(0, slash)) || PARTIAL_FOLDER.test(rest.slice(0, slash)))) return undefined;
  const file = rest.slice(slash + 1);
  const kind = BUNDLE_FILES[file];
  if (kind) return kind;
  return file.startsWith('spec/') && isSpecCopyName(file.slice('spec/'.length)) ? 'spec-copy' : undefined;
}

/** The largest file of each kind that can be a record (the writers' and readers' limits). */
export const RECORD_MAX_BYTES: Readonly<Record<RecordKind, number>> = {
  approval: 64 * 1024,
  signature: 64 * 1024,
  packet: 64 * 1024 * 1024,
  'review-md': 256 * 1024 * 1024,
  'review-html': 256 * 1024 * 1024,
  patch: 256 * 1024 * 1024,
  sarif: 256 * 1024 * 1024,
  'spec-copy': 2 * 1024 * 1024,
  'reviews-gitignore': 1024,
};

/** How many leading bytes the shape check of a kind reads: all of a small record, else enough for its start and a binary sniff. */
export function recordHeadBytes(kind: RecordKind): number {
  return kind === 'approval' || kind === 'signature' || kind === 'reviews-gitignore' ? RECORD_MAX_BYTES[kind] : 8192;
}

/** How many trailing bytes the shape check reads. */
export const RECORD_TAIL_BYTES = 3;

/** What the shape check sees of a file: its size, its first bytes (all of it when it is small) and its last bytes. */
export interface RecordSample {
  size: number;
  head: Uint8Array;
  tail: Uint8Array;
}

const NL = String.raw`\r?\n`;
const STARTS: Partial<Record<RecordKind, RegExp>> = {
  packet: new RegExp(`^\\{${NL}  "schema": "specgate\\.report/1",${NL}`),
  sarif: new RegExp(`^\\{${NL}  "\\$schema": "https://json\\.schemastore\\.org/sarif-2\\.1\\.0\\.json",${NL}  "version": "2\\.1\\.0",${NL}`),
  'review-md': /^# SpecGate review: /,
  'review-html': new RegExp(`^<!doctype html>${NL}<html lang="en">${NL}<head>${NL}<meta charset="utf-8">${NL}<meta http-equiv="Content-Security-Policy" content="default-src 'none';`),
  patch: /^diff --git /,
};
const SIGNATURE = /^-----BEGIN SSH SIGNATURE-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n){1,1000}-----END SSH SIGNATURE-----\r?\n?$/;
const JSON_END = /\}\r?\n$/;

const text = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(b);

/**
 * A record or signature as SpecGate wrote it, from a working-tree file that a checkout with
 * CRLF line ends (`core.autocrlf`, `eol=crlf`) wrote: git stores LF, and a record holds no CR
 * of its own (JSON escapes one, an armoured signature has none), so CRLF → LF gives back
 * exactly the bytes that were signed.
 */
export function recordText(s: string): string {
  return s.includes('\r\n') ? s.replace(/\r\n/g, '\n') : s;
}

/**
 * Whether a file named as a record of `kind` (see recordKind) has that record's shape. (An
 * approval record under another digest's name is still one: verify calls it tampered.) In a
 * bundle folder still being written (`partial`, see isInPartialBundle) a file may be cut
 * short: empty, or started as the writer starts it, is enough.
 */
export function isRecordContent(kind: RecordKind, s: RecordSample, partial = false): boolean {
  if (s.size > RECORD_MAX_BYTES[kind]) return false;
  if (partial && kind !== 'approval' && kind !== 'signature') {
    if (s.size === 0) return true;
    if (kind === 'packet' || kind === 'sarif') return STARTS[kind]!.test(text(s.head.subarray(0, 512)));
  }
  const whole = s.head.length >= s.size;
  switch (kind) {
    case 'approval': {
      if (!whole) return false;
      return parseApproval(recordText(text(s.head.subarray(0, s.size)))).ok;
    }
    case 'signature':
      return whole && SIGNATURE.test(text(s.head.subarray(0, s.size)));
    case 'reviews-gitignore':
      // As written, or as a checkout with CRLF line ends has it.
      return whole && text(s.head.subarray(0, s.size)).replace(/\r\n/g, '\n') === REVIEWS_GITIGNORE;
    case 'spec-copy':
      return s.head.subarray(0, 8000).indexOf(0) === -1;
    case 'patch':
      return s.size === 0 || STARTS.patch!.test(text(s.head.subarray(0, 64)));
    case 'packet':
    case 'sarif':
      return STARTS[kind]!.test(text(s.head.subarray(0, 512))) && JSON_END.test(text(s.tail));
    default:
      return STARTS[kind]!.test(text(s.head.subarray(0, 512)));
  }
}
