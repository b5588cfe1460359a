// The one row a view shows for a folder it has nothing else to show for (untrusted, no git
// repository, no spec, no active spec, a failure): a short label that fits a narrow sidebar,
// the whole explanation in its tooltip, and, where there is a next step, the command that
// takes it when the row is clicked.
import { UNTRUSTED_NOTE, type IgnoredSpec } from '../model/types';
import type { FolderInput } from './folderInput';
import { makeNode, plural, type Node, type NodeTarget } from './nodes';
import { moreSuchFolders, nearMissClause, type NearMissSpec } from '../../core/spec/detect';
import { CommandId } from '../commandIds';
import { CONFIG_PATH } from '../../core/config';
import { someOf } from '../../core/render/text';

export type StateView = 'specs' | 'changes' | 'review';

export interface StateRow {
  label: string;
  description?: string;
  tooltip: string;
  icon: NonNullable<Node['icon']>;
  target?: NodeTarget;
}

const LAYOUTS = 'SpecGate reads Kiro (.kiro/specs), spec-kit (specs/NNN-name), OpenSpec (openspec/changes) and plain specs with scope front matter.';

/** The start of a folder's error when git finds no repository for it. */
const GITLESS = /^not a git repository: /;

/**
 * Whether the folder shows no spec at all (in a single-folder workspace the views' welcome
 * content says so instead). A folder laid out almost as a spec is named in rows instead.
 */
export function hasNoSpec(f: FolderInput): boolean {
  return f.partOf === undefined && f.trusted && f.specs.length === 0 && !f.report && !f.nearMisses?.length && !f.ignoredSpecs?.length;
}

/** The folder is trusted and git finds no repository for it (its error says so). */
export function outsideGit(f: FolderInput): boolean {
  return f.trusted && f.error !== undefined && GITLESS.test(f.error);
}

/** What a near-miss row runs: the command that explains the folder and offers the rename. */
export function fixSpecFolderTarget(f: FolderInput, near: NearMissSpec): NodeTarget {
  return { type: 'command', command: CommandId.FixSpecFolder, args: [{ root: f.root, folder: near.folder }] };
}

/** One folder laid out almost as a spec: its path, why it is not read, and the fix on a click. */
export function nearMissRow(f: FolderInput, near: NearMissSpec): StateRow {
  const fix = near.readAs ? ` Click to rename it to ${near.readAs}.` : ' Click to show it in the Explorer.';
  return {
    label: near.folder,
    description: 'not read as a spec',
    tooltip: `${nearMissClause(near)}.${fix}`,
    icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
    target: fixSpecFolderTarget(f, near),
  };
}

/** How many specs ignoreSpecs leaves out get a row of their own; the rest share one. */
export const IGNORED_ROWS = 3;

/**
 * With no spec read, one spec ignoreSpecs leaves out: its path, the glob, and on a click the
 * command that explains it and offers to take the glob out of the config.
 */
export function ignoredSpecRow(f: FolderInput, ig: IgnoredSpec): StateRow {
  const globs = ig.globs.join(', ');
  const why = ig.byDefault ? `SpecGate does not read test data by default (${globs})` : `${CONFIG_PATH} leaves it out (${globs})`;
  return {
    label: ig.id,
    description: 'ignored: ignoreSpecs',
    tooltip: `Not read as a spec: ${why}. Click to read it.`,
    icon: { id: 'eye-closed' },
    target: { type: 'command', command: CommandId.ReadIgnoredSpec, args: [{ root: f.root, spec: ig.id }] },
  };
}

/** The specs left out past the first IGNORED_ROWS, in one row (no click: each needs its own glob). */
export function moreIgnoredRow(rest: readonly IgnoredSpec[]): StateRow {
  const named = someOf(rest.map((ig) => ig.id), 10);
  return {
    label: `${plural(rest.length, 'more spec')} ignored`,
    tooltip: `Also not read as specs (ignoreSpecs in ${CONFIG_PATH}): ${named}. Run specgate specs to list them all.`,
    icon: { id: 'eye-closed' },
  };
}

export function untrustedRow(view: StateView): StateRow {
  const label = { specs: 'Untrusted: specs only, no analysis', changes: 'Untrusted: changes not analysed', review: 'Untrusted: no review state' }[view];
  return {
    label,
    tooltip: `${UNTRUSTED_NOTE} Click to manage workspace trust.`,
    icon: { id: 'shield' },
    target: { type: 'command', command: 'workbench.trust.manage' },
  };
}

export function noSpecRow(f: FolderInput): StateRow {
  return {
    label: 'No spec: create one',
    tooltip: `No spec in ${f.name}, so there is nothing to review the change against. ${LAYOUTS} Click to create one with SpecGate: New Spec.`,
    icon: { id: 'new-file' },
    target: { type: 'command', command: 'specgate.newSpec', args: [{ root: f.root }] },
  };
}

const SELECT: Pick<StateRow, 'label' | 'icon' | 'target'> = {
  label: 'Select the active spec',
  icon: { id: 'target' },
  target: { type: 'command', command: 'specgate.selectSpec' },
};

/** A folder's one-line problem (no repository, several specs and none chosen, a failure) as a row. */
export function errorRow(error: string, view: StateView): StateRow {
  // A folder outside any repository is a fact in Changes and Review; a failed analysis (a bad
  // specgate.baseRef, a config that does not parse) is a warning in every view, as in the status bar.
  const gitless = GITLESS.test(error);
  const icon: StateRow['icon'] = view !== 'specs' && gitless ? { id: 'info' } : { id: 'warning', color: 'problemsWarningIcon.foreground' };
  if (gitless) return { label: 'No git repository: no analysis', tooltip: error, icon };
  if (/choose one with SpecGate: Select Active Spec$/.test(error)) return { ...SELECT, tooltip: `${error}. Click to select it.` };
  return { label: error, tooltip: error, icon };
}

/** Why the Changes or Review view has no analysis of this folder to show (it has no report). */
export function folderState(f: FolderInput, view: StateView): StateRow {
  if (!f.trusted) return untrustedRow(view);
  const near = f.specs.length === 0 ? f.nearMisses?.[0] : undefined;
  if (near) {
    const others = f.nearMisses!.length - 1;
    const more = others > 0 ? ` (and ${moreSuchFolders(others)}: see the Specs view)` : '';
    return {
      label: 'No spec read',
      description: near.folder,
      tooltip: `No spec in ${f.name} is read, so there is nothing to review the change against: ${nearMissClause(near)}${more}. Click to fix it.`,
      icon: { id: 'warning', color: 'problemsWarningIcon.foreground' },
      target: fixSpecFolderTarget(f, near),
    };
  }
  if (f.specs.length === 0) return noSpecRow(f);
  if (f.error !== undefined) return errorRow(f.error, view);
  if (f.activeSpecId) return { label: 'Analysing…', tooltip: 'SpecGate is analysing the change against the active spec.', icon: { id: 'loading~spin' } };
  return { ...SELECT, tooltip: 'No spec is active: pick the one this change implements. Click to select it.' };
}

/** The row as a tree node. */
export function stateNode(id: string, row: StateRow): Node {
  // The row's label is short for a narrow sidebar; a screen reader hears the explanation too.
  const aria = row.tooltip === row.label || row.tooltip.startsWith(row.label) ? row.tooltip : `${row.label}. ${row.tooltip}`;
  return makeNode({ id, label: row.label, tooltip: row.tooltip, aria, icon: row.icon, ...(row.description !== undefined ? { description: row.description } : {}), ...(row.target ? { target: row.target } : {}) });
}
