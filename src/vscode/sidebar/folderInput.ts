// The part of a workspace folder's live state the sidebar builders read, without `vscode`
// objects, so the builders stay plain functions over data.
import * as path from 'node:path';
import type { Report, Spec } from '../../core/model';
import type { NearMissSpec } from '../../core/spec/detect';
import { ownerState, type FolderState, type IgnoredSpec } from '../model/types';
import { distinctFolderNames } from './folderNames';

export interface FolderInput {
  /** Workspace folder name, told apart from another folder's of the same name (folderNames.ts). */
  name: string;
  /** What names the folder uniquely (its URI), for the views' node ids; default: `name`. */
  key?: string;
  /** Absolute repository root (or the folder itself when there is no repository). */
  root: string;
  specs: readonly Spec[];
  /** Folders laid out almost as a spec, which are not read, and the name each would be read by. */
  nearMisses?: readonly NearMissSpec[];
  /** With no spec read: the specs ignoreSpecs leaves out. */
  ignoredSpecs?: readonly IgnoredSpec[];
  activeSpecId: string | undefined;
  report: Report | undefined;
  trusted: boolean;
  error?: string;
  /** The folder is in a repository, and its analysis failed (`error` says why): no finding is shown. */
  analysisFailed?: boolean;
  /** A one-line fact that is no problem (the folder is git-ignored in its repository). */
  note?: string;
  /** How the analysis read the change, one line each (a file listed as binary, and why). */
  changeNotes?: readonly string[];
  /** The name of the folder that shows this folder's repository, when that is another one. */
  partOf?: string;
  /** The absolute path the editor names a repository path by (default: under `root`). */
  toPath?: (repoPath: string) => string;
}

/** Each folder's input, with the name it is shown by (distinctFolderNames). */
export function toFolderInputs(states: readonly FolderState[]): FolderInput[] {
  const names = shownFolderNames(states);
  return states.map((s) => toFolderInput(s, names));
}

/** The name each folder is shown by, by its state (distinctFolderNames over all of them). */
export function shownFolderNames(states: readonly FolderState[]): Map<FolderState, string> {
  const shown = distinctFolderNames(states.map((s) => ({ name: s.folder.name, path: s.folder.uri.fsPath })));
  return new Map(states.map((s, i) => [s, shown[i]!]));
}

function toFolderInput(state: FolderState, names: ReadonlyMap<FolderState, string>): FolderInput {
  const shownName = (s: FolderState): string => names.get(s) ?? s.folder.name;
  const input: FolderInput = {
    name: shownName(state),
    key: state.folder.uri.toString(),
    root: state.repoRoot ?? state.folder.uri.fsPath,
    // The active spec as the analysis reads it (with its unsaved edits), so its rows agree with the findings.
    specs: state.activeSpec ? state.specs.map((s) => (s.id === state.activeSpec!.id ? state.activeSpec! : s)) : state.specs,
    activeSpecId: state.activeSpec?.id,
    report: state.report,
    trusted: state.trusted,
    toPath: (repoPath) => state.paths.toUri(repoPath).fsPath,
  };
  if (state.nearMisses.length > 0) input.nearMisses = state.nearMisses;
  if (state.ignoredSpecs.length > 0) input.ignoredSpecs = state.ignoredSpecs;
  if (state.error !== undefined) input.error = state.error;
  if (state.trusted && state.error !== undefined && state.repoRoot !== undefined && state.report === undefined) input.analysisFailed = true;
  if (state.note !== undefined) input.note = state.note;
  if (state.changeNotes?.length) input.changeNotes = state.changeNotes;
  if (state.owner) input.partOf = shownName(ownerState(state));
  return input;
}

/** The one row a folder that follows another shows in each view. */
export function partOfLabel(input: FolderInput): string {
  return `Same repository as ${input.partOf}: its specs, changes and review are shown there`;
}

/** The report when it belongs to the given spec. */
export function reportFor(input: FolderInput, specId: string): Report | undefined {
  return input.report && input.report.spec.id === specId ? input.report : undefined;
}

export function absolute(input: FolderInput, repoPath: string): string {
  return input.toPath ? input.toPath(repoPath) : path.join(input.root, ...repoPath.split('/'));
}
