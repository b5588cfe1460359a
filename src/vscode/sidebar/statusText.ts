// What the status bar item says: active spec, out-of-scope count and risk. Pure.
import { revealBidi } from '../../core/render/reviewdata';
import type { FolderInput } from './folderInput';

export interface StatusText {
  text: string;
  tooltip: string;
  warn: boolean;
}

/** Pure: what the item says for the given folders (undefined: hide it). */
export function statusText(folders: readonly FolderInput[]): StatusText | undefined {
  const active = folders.filter((f) => f.activeSpecId !== undefined);
  if (active.length === 0) return undefined;
  const f = active.find((x) => x.report) ?? active[0]!;
  const spec = f.specs.find((s) => s.id === f.activeSpecId);
  const name = revealBidi(spec?.name ?? f.activeSpecId!);
  if (!f.report) {
    const why = f.trusted ? revealBidi(f.error ?? 'not analysed yet') : 'untrusted workspace: no analysis';
    return { text: `$(target) ${name}`, tooltip: `SpecGate: active spec ${name} — ${why}`, warn: false };
  }
  const { outOfScope, risk } = f.report.summary;
  const text = `$(target) ${name}  $(${outOfScope > 0 ? 'error' : 'pass'}) ${outOfScope}  $(flame) ${risk}`;
  const tooltip = `SpecGate: active spec ${name} — ${outOfScope} out-of-scope file${outOfScope === 1 ? '' : 's'}, risk ${risk}. Click to open the SpecGate sidebar.`;
  return { text, tooltip, warn: outOfScope > 0 || risk === 'high' || risk === 'critical' };
}
