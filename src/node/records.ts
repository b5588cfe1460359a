// Tells SpecGate's records in `.specgate/approvals/` and `.specgate/reviews/` from other files
// there (see core/records.ts for the rules): by name, then by a capped sample of the content
// as the working tree or the index holds it. Only files in those folders are ever looked at.
import { open, lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { isInPartialBundle, isRecordContent, RECORD_MAX_BYTES, RECORD_TAIL_BYTES, recordHeadBytes, recordKind, type RecordKind, type RecordSample } from '../core/records';
import type { Git } from './git';

/**
 * Reads the sample of a regular file in the working tree; undefined for anything else
 * (missing, a symlink, a folder, too large), and for an executable file when `executableCounts`
 * says git records the bit (core.fileMode), asked only for such a file.
 */
async function sampleFile(abs: string, kind: RecordKind, executableCounts?: () => Promise<boolean>): Promise<RecordSample | undefined> {
  const st = await lstat(abs).catch(() => undefined);
  if (!st?.isFile() || st.size > RECORD_MAX_BYTES[kind]) return undefined;
  if (st.mode & 0o111 && executableCounts && (await executableCounts())) return undefined;
  const fh = await open(abs, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const size = st.size;
    const head = Buffer.alloc(Math.min(size, recordHeadBytes(kind)));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead !== head.length) return undefined;
    const tailLength = Math.min(size, RECORD_TAIL_BYTES);
    const tail = Buffer.alloc(tailLength);
    if ((await fh.read(tail, 0, tailLength, size - tailLength)).bytesRead !== tailLength) return undefined;
    return { size, head, tail };
  } finally {
    await fh.close();
  }
}

/** The sample of content held in memory (a blob). */
function sampleOf(content: Buffer, kind: RecordKind): RecordSample {
  return { size: content.length, head: content.subarray(0, recordHeadBytes(kind)), tail: content.subarray(Math.max(0, content.length - RECORD_TAIL_BYTES)) };
}

/**
 * Whether a working-tree file (repo-relative) is one of SpecGate's records, by name and shape.
 * With `executableCounts`, an executable file is none where git records the bit, as `git add`
 * would record it (an untracked file's mode is read from disk, not from git).
 */
export async function isRecordOnDisk(root: string, rel: string, executableCounts?: () => Promise<boolean>): Promise<boolean> {
  const kind = recordKind(rel);
  if (!kind) return false;
  const sample = await sampleFile(path.join(root, rel), kind, executableCounts);
  return sample !== undefined && isRecordContent(kind, sample, isInPartialBundle(rel));
}

/** The working-tree files of `rels` that are records (a few read at a time). */
export async function recordsOnDisk(root: string, rels: readonly string[], executableCounts?: () => Promise<boolean>): Promise<Set<string>> {
  const found = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < rels.length) {
      const rel = rels[next++]!;
      if (await isRecordOnDisk(root, rel, executableCounts)) found.add(rel);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, rels.length) }, worker));
  return found;
}

/** A file as a commit or the index holds it: its path, blob id and mode. */
export interface BlobFile {
  path: string;
  blob: string;
  mode: string;
}

/**
 * Which of `files` are records (in their order), their content read through one `git
 * cat-file --batch`. Only regular files that are not executable can be (SpecGate writes none
 * executable; a mode outside the digest would let a change make one a program unseen).
 */
export async function recordsInBlobs(git: Git, files: readonly BlobFile[], signal?: AbortSignal): Promise<boolean[]> {
  const found = files.map(() => false);
  const byBlob = new Map<string, number[]>();
  let max = 0;
  files.forEach((f, i) => {
    const kind = recordKind(f.path);
    if (!kind || f.mode !== '100644' || !/^[0-9a-f]{40,64}$/.test(f.blob) || /^0+$/.test(f.blob)) return;
    const list = byBlob.get(f.blob) ?? [];
    list.push(i);
    byBlob.set(f.blob, list);
    max = Math.max(max, RECORD_MAX_BYTES[kind]);
  });
  await git.readBlobs(
    [...byBlob.keys()],
    (id, type, content) => {
      if (type !== 'blob' || content === null) return;
      for (const i of byBlob.get(id) ?? []) {
        const p = files[i]!.path;
        const kind = recordKind(p)!;
        found[i] = content.length <= RECORD_MAX_BYTES[kind] && isRecordContent(kind, sampleOf(content, kind), isInPartialBundle(p));
      }
    },
    max,
    signal,
  );
  return found;
}
