// `specgate approve PATH --key KEY [--reject] [--comment TEXT] [--force]`: signs a decision
// about a review bundle whose digest is still the current change's. A digest has one record:
// another reviewer's is replaced only with --force, and whatever is replaced is named.
import { shortDigest } from '../../core/approval';
import { approve } from '../../node/approvals';

export async function runApprove(o: { path: string; cwd: string; key?: string; reject: boolean; comment?: string; force?: boolean }): Promise<number> {
  // Without a terminal, a passphrase may come on stdin (as with ssh-keygen itself).
  const r = await approve({ cwd: o.cwd, path: o.path, key: o.key, reject: o.reject, comment: o.comment, force: o.force, ssh: { stdin: 'inherit' } });
  const s = r.report.summary;
  process.stdout.write(
    `${r.record.decision} ${shortDigest(r.record.digest)} (spec ${r.record.spec}: ${s.files} file${s.files === 1 ? '' : 's'}, +${s.added} −${s.removed}, ${s.outOfScope} out of scope, risk ${s.risk})\n` +
      `wrote ${r.file}\n`,
  );
  if (r.replaced) process.stderr.write(`specgate: ${r.replaced.message}\n`);
  if (r.note) process.stderr.write(`specgate: note: ${r.note}\n`);
  if (r.warning) process.stderr.write(`specgate: warning: ${r.warning}\n`);
  return 0;
}
