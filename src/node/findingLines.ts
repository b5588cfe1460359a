// The text of the line each finding starts at, for SARIF fingerprints that follow the code
// rather than the order of findings: a hunk added above an alert must not take over its
// identity (and with it a reviewer's dismissal). Read only for SARIF output.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ChangeSet, Finding } from '../core/model';
import type { Git } from './git';

/** Files larger than this are not read for their lines (the fingerprint then has no line text). */
const MAX_BYTES = 1024 * 1024;

/**
 * A lookup of the line a finding starts at, in the side its line numbers count: the old side
 * of a deleted file (a committed blob), the index's blob with --staged, the working tree
 * otherwise. Findings on files outside the change, and binary or too large files, get none.
 */
export async function findingLines(git: Git, changeSet: ChangeSet, findings: readonly Finding[]): Promise<(f: Finding) => string | undefined> {
  const byPath = new Map(changeSet.changes.map((c) => [c.path, c]));
  const wanted = new Set(findings.filter((f) => f.startLine !== undefined && byPath.has(f.path)).map((f) => f.path));
  const lines = new Map<string, string[]>();
  const split = (b: Buffer) => b.toString('utf8').split('\n');
  const blobs = new Map<string, string[]>();
  for (const p of wanted) {
    const c = byPath.get(p)!;
    if (c.binary || c.tooLarge) continue;
    const blob = c.status === 'deleted' ? c.oldBlob : changeSet.mode === 'staged' ? c.newBlob : undefined;
    if (blob !== undefined) {
      const list = blobs.get(blob) ?? [];
      list.push(p);
      blobs.set(blob, list);
    } else if (c.status !== 'deleted') {
      const bytes = await readFile(path.join(git.root, p)).catch(() => undefined);
      if (bytes !== undefined && bytes.length <= MAX_BYTES) lines.set(p, split(bytes));
    }
  }
  await git.readBlobs([...blobs.keys()], (id, _type, content) => {
    if (content) for (const p of blobs.get(id) ?? []) lines.set(p, split(content));
  }, MAX_BYTES);
  return (f) => (f.startLine === undefined ? undefined : lines.get(f.path)?.[f.startLine - 1]);
}
