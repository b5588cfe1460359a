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

const RISK_RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

/** How much a folder's state asks for attention: a failed analysis most, then risk, then files outside the spec. */
function concern(f: FolderInput): number {
  if (!f.report) return f.analysisFailed ? 10_000_000 : -1;
  return RISK_RANK[f.report.summary.risk] * 1_000_000 + Math.min(f.report.summary.outOfScope, 999_999);
}

/**
 * Pure: what the item says for the given folders (undefined: hide it). With several folders it
 * speaks for the one `current` names (the active editor's; its key), else for the one whose
 * state asks most for attention, and names that folder.
 */
export function statusText(folders: readonly FolderInput[], current?: string): StatusText | undefined {
  const active = folders.filter((f) => f.activeSpecId !== undefined);
  if (active.length === 0) return nearMissText(folders);
  const f = (current !== undefined ? active.find((x) => (x.key ?? x.name) === current) : undefined) ?? active.reduce((a, b) => (concern(b) > concern(a) ? b : a));
  const spec = f.specs.find((s) => s.id === f.activeSpecId);
  const specName = revealBidi(spec?.name ?? f.activeSpecId!);
  // Several folders: the item says whose spec it is (`alpha › billing-retry`).
  const label = active.length > 1 ? `${revealBidi(f.name)} › ${specName}` : specName;
  const name = active.length > 1 ? `${specName} in ${revealBidi(f.name)}` : specName;
  if (!f.report && f.analysisFailed) {
    // An analysis that failed (a bad specgate.baseRef, say) shows no finding anywhere: the
    // Problems panel reads "No problems". The item says so, in the warning colour.
    const why = revealBidi(f.error ?? 'the analysis failed');
    return {
      text: `$(target) ${noIcons(label)}  $(warning) not analysed`,
      tooltip: `SpecGate: active spec ${name} — not analysed, so no finding is shown: ${why}. Click to open the SpecGate sidebar.`,
      accessibility: `SpecGate: active spec ${name}, not analysed: ${why}`,
      warn: true,
    };
  }
  if (!f.report) {
    const why = f.trusted ? revealBidi(f.error ?? 'not analysed yet') : 'untrusted workspace: no analysis';
    return { text: `$(target) ${noIcons(label)}`, tooltip: `SpecGate: active spec ${name} — ${why}`, accessibility: `SpecGate: active spec ${name}, ${why}`, warn: false };
  }
  const { outOfScope, risk } = f.report.summary;
  // The count is of files outside the spec: out of scope and excluded (non-goals), which the
  // Changes view lists apart. Words, not only an icon: $(error) with a number beside VS
  // Code's own problem counter read as a second count of errors.
  const scope = outOfScope > 0 ? `$(warning) ${outOfScope} outside spec` : '$(pass) in scope';
  const text = `$(target) ${noIcons(label)}  ${scope}  $(flame) ${risk} risk`;
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
