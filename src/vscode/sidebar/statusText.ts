// What the status bar item says: active spec, out-of-scope count and risk; with no spec
// read, a folder laid out almost as a spec. Pure.
import { revealBidi } from '../../core/render/reviewdata';
import { moreSuchFolders, nearMissClause } from '../../core/spec/detect';
import { noIcons } from '../messages';
import type { FolderInput } from './folderInput';
import { plural } from './nodes';

export interface StatusText {
  text: string;
  tooltip: string;
  /** What a screen reader says for the item (the text without its icons' names). */
  accessibility: string;
  warn: boolean;
}

/** Pure: what the item says for the given folders (undefined: hide it). */
export function statusText(folders: readonly FolderInput[]): StatusText | undefined {
  const active = folders.filter((f) => f.activeSpecId !== undefined);
  if (active.length === 0) return nearMissText(folders);
  const f = active.find((x) => x.report) ?? active[0]!;
  const spec = f.specs.find((s) => s.id === f.activeSpecId);
  const name = revealBidi(spec?.name ?? f.activeSpecId!);
  if (!f.report && f.analysisFailed) {
    // An analysis that failed (a bad specgate.baseRef, say) shows no finding anywhere: the
    // Problems panel reads "No problems". The item says so, in the warning colour.
    const why = revealBidi(f.error ?? 'the analysis failed');
    return {
      text: `$(target) ${noIcons(name)}  $(warning) not analysed`,
      tooltip: `SpecGate: active spec ${name} — not analysed, so no finding is shown: ${why}. Click to open the SpecGate sidebar.`,
      accessibility: `SpecGate: active spec ${name}, not analysed: ${why}`,
      warn: true,
    };
  }
  if (!f.report) {
    const why = f.trusted ? revealBidi(f.error ?? 'not analysed yet') : 'untrusted workspace: no analysis';
    return { text: `$(target) ${noIcons(name)}`, tooltip: `SpecGate: active spec ${name} — ${why}`, accessibility: `SpecGate: active spec ${name}, ${why}`, warn: false };
  }
  const { outOfScope, risk } = f.report.summary;
  // The count is of files outside the spec: out of scope and excluded (non-goals), which the
  // Changes view lists apart. Words, not only an icon: $(error) with a number beside VS
  // Code's own problem counter read as a second count of errors.
  const scope = outOfScope > 0 ? `$(warning) ${outOfScope} outside spec` : '$(pass) in scope';
  const text = `$(target) ${noIcons(name)}  ${scope}  $(flame) ${risk} risk`;
  const excluded = f.report.changes.filter((c) => c.classification === 'excluded').length;
  const parts = [`${plural(outOfScope - excluded, 'file')} out of scope`];
  if (excluded > 0) parts.push(`${plural(excluded, 'file')} excluded (non-goals)`);
  const outside = outOfScope > 0 ? parts.join(', ') : 'every changed file in scope';
  const tooltip = `SpecGate: active spec ${name} — ${outside}; risk ${risk}. Click to open the SpecGate sidebar.`;
  const accessibility = `SpecGate: active spec ${name}, ${outOfScope > 0 ? `${plural(outOfScope, 'file')} outside the spec` : 'every changed file in scope'}, risk ${risk}`;
  return { text, tooltip, accessibility, warn: outOfScope > 0 || risk === 'high' || risk === 'critical' };
}

/**
 * With no spec active anywhere: hidden, unless a trusted folder with no spec read has a folder
 * laid out almost as one. The user meant to write a spec, and without the item nothing outside
 * the sidebar says that none is read.
 */
function nearMissText(folders: readonly FolderInput[]): StatusText | undefined {
  const f = folders.find((x) => x.trusted && x.specs.length === 0 && x.nearMisses?.length);
  if (!f) return undefined;
  const near = f.nearMisses!;
  const others = near.length > 1 ? ` (and ${moreSuchFolders(near.length - 1)})` : '';
  const why = revealBidi(`${nearMissClause(near[0]!)}${others}`);
  return {
    text: '$(warning) No spec read',
    tooltip: `SpecGate: no spec read in ${revealBidi(f.name)} — ${why}. Click to open the SpecGate sidebar and fix it.`,
    accessibility: `SpecGate: no spec read, ${why}`,
    warn: true,
  };
}
