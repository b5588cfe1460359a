// The change digest: sha256 over a canonical, order-independent list of each change (path,
// old path, status, old/new blob id, old/new mode) and each spec file's blob id. It binds
// content: how the change was collected (working tree or index, base ref name) plays no part.
import { createHash } from 'node:crypto';
import type { FileChange } from './model';

const enc = (s: string | undefined) => JSON.stringify(s ?? null);

/** `sha256:<hex>` of the canonical change list and spec blobs. */
export function computeDigest(changes: readonly FileChange[], specBlobs: Readonly<Record<string, string>>): string {
  const lines = changes.map((c) =>
    ['change', enc(c.path), enc(c.oldPath), enc(c.status), enc(c.oldBlob), enc(c.newBlob), enc(c.oldMode), enc(c.newMode)].join(' '),
  );
  for (const [path, blob] of Object.entries(specBlobs)) lines.push(['spec', enc(path), enc(blob)].join(' '));
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let text = 'specgate.digest/1\n';
  for (const l of lines) text += `${l}\n`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
