// `specgate hook install|uninstall`: writes or removes the pre-commit gate.
import * as path from 'node:path';
import { installHook, uninstallHook } from '../../node/hook';

export async function runHook(o: { action: 'install' | 'uninstall'; cwd: string; force: boolean }): Promise<number> {
  if (o.action === 'install') {
    const r = await installHook({ cwd: o.cwd, force: o.force });
    if (r.action === 'gated') {
      process.stdout.write(`${r.path} runs specgate verify --staged already (it was not written by SpecGate); left as it is\n`);
      return 0;
    }
    if (r.action === 'unchanged') {
      process.stdout.write(`${r.path} is the gate already, as this SpecGate writes it; left as it is\n`);
      return 0;
    }
    if (r.backup) process.stdout.write(`moved the previous hook to ${r.backup}\n`);
    process.stdout.write(`${r.action} ${r.path}: commits now need a signed approval of the staged change\n`);
    return 0;
  }
  const r = await uninstallHook({ cwd: o.cwd, force: o.force });
  if (r.edited) process.stdout.write(`kept the edited hook as ${r.edited}\n`);
  // A gate an older SpecGate put in a shared hooks folder was gating every repository using it.
  const shared = r.shared !== undefined ? `: ${r.shared}; none of them runs the gate now` : '';
  if (r.action === 'absent') process.stdout.write(`no pre-commit hook at ${r.path}; nothing to remove\n`);
  else if (r.action === 'foreign') process.stdout.write(`${r.path} was not written by SpecGate and does not run it, so there is no gate to remove; left as it is\n`);
  else if (!r.restored) process.stdout.write(`removed ${r.path}${shared}\n`);
  else {
    const kept = r.kept?.length ? `; older backups left as they are: ${r.kept.map((k) => path.basename(k)).join(', ')}` : '';
    process.stdout.write(`removed ${r.path} and put back the hook it replaced (${path.basename(r.restored)})${kept}${shared}\n`);
  }
  return 0;
}
