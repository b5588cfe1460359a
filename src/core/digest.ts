// The change digest: sha256 over a canonical, order-independent list of each change (path,
// old path, status, old/new blob id, old/new mode) and each spec file's blob id. It binds
// content: how the change was collected (working tree or index, base ref name) plays no part.
// Nor does rename pairing: a rename is listed as the deletion of its old path and the
// addition of its new one. Git pairs a file moved without `git mv` only once it is staged,
// and by heuristics a user's settings steer (`diff.renameLimit`); what each path held and
// holds is the same either way.
import { createHash } from 'node:crypto';
import type { FileChange } from './model';

const enc = (s: string | undefined) => JSON.stringify(s ?? null);

type DigestEntry = Pick<FileChange, 'path' | 'oldPath' | 'status' | 'oldBlob' | 'newBlob' | 'oldMode' | 'newMode'>;

function line(c: DigestEntry): string {
  return ['change', enc(c.path), enc(c.oldPath), enc(c.status), enc(c.oldBlob), enc(c.newBlob), enc(c.oldMode), enc(c.newMode)].join(' ');
}

/** The digest's entries for one change: a rename as its deletion and its addition. */
function entries(c: FileChange): DigestEntry[] {
  if (c.status !== 'renamed' || c.oldPath === undefined) return [c];
  return [
    { path: c.oldPath, status: 'deleted', oldBlob: c.oldBlob, oldMode: c.oldMode },
    { path: c.path, status: 'added', newBlob: c.newBlob, newMode: c.newMode },
  ];
}

/** `sha256:<hex>` of the canonical change list and spec blobs. */
export function computeDigest(changes: readonly FileChange[], specBlobs: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const c of changes) for (const e of entries(c)) lines.push(line(e));
  for (const [path, blob] of Object.entries(specBlobs)) lines.push(['spec', enc(path), enc(blob)].join(' '));
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = 'specgate.digest/1\n';
  for (const l of lines) text += `${l}\n`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
