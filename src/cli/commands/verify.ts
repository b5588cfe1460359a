// `specgate verify`: exit 0 only if a trusted reviewer approved exactly this change; else
// one line saying why, and exit 1.
import { verify } from '../../node/approvals';
import type { ChangeOptions } from './options';

export async function runVerify(o: ChangeOptions): Promise<number> {
  const r = await verify({ cwd: o.cwd, spec: o.spec, base: o.base, staged: o.staged });
  if (r.ok) {
    process.stdout.write(`specgate: ${r.reason}\n`);
    return 0;
  }
  process.stderr.write(`specgate: not approved: ${r.reason}\n`);
  return 1;
}
