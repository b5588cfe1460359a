// What the editor features and the sidebar read: one live state per workspace folder.
// Implemented by src/vscode/model/workspaceModel.ts (the live engine); consumed by
// src/vscode/editor/* and src/vscode/sidebar/*.
import type * as vscode from 'vscode';
import type { Report, ReportChange, Spec } from '../../core/model';
import type { NearMissSpec } from '../../core/spec/detect';

/** The note a folder carries in an untrusted workspace (its `error`, which is not a failure). */
export const UNTRUSTED_NOTE =
  'Workspace not trusted: SpecGate shows the specs but runs no git, so changes are not analysed. Trust the workspace to analyse them.';

/** A spec `ignoreSpecs` leaves out: its id, the globs that do, and whether they are the defaults. */
export interface IgnoredSpec {
  readonly id: string;
  readonly globs: readonly string[];
  /** The list in force is SpecGate's default one (test data), not the config's own. */
  readonly byDefault: boolean;
}

export interface FolderState {
  readonly folder: vscode.WorkspaceFolder;
  /** Repository root (absolute), when the folder is inside a git repository. */
  readonly repoRoot: string | undefined;
  readonly specs: readonly Spec[];
  /**
   * The folders laid out almost as a spec (`specs/feature-x/` without spec-kit's number),
   * which are not read, and the name each would be read by.
   */
  readonly nearMisses: readonly NearMissSpec[];
  /**
   * While no spec is read: the specs `ignoreSpecs` leaves out (test data by default), so the
   * Specs view names them instead of only "no spec". Empty once any spec is read.
   */
  readonly ignoredSpecs: readonly IgnoredSpec[];
  readonly activeSpec: Spec | undefined;
  /** Latest analysis of the change against the active spec (undefined: none yet, or untrusted). */
  readonly report: Report | undefined;
  /** False in an untrusted workspace: specs are read, no git runs. */
  readonly trusted: boolean;
  /** A one-line problem to show (no repository, bad config, …). */
  readonly error?: string;
  /** A one-line fact about the folder that is no problem (git ignores it in its repository). */
  readonly note?: string;
  /**
   * How the latest analysis read the change, one line each (ChangeSet.notes: a file listed as
   * binary because its working-tree encoding could not be decoded); undefined when none.
   */
  readonly changeNotes?: readonly string[];
  /**
   * The folder that shows this folder's repository, when that is another one (this folder is
   * nested in it, or is the same folder): this one then has no specs or report of its own.
   */
  readonly owner?: FolderState;
  /** Repository paths to the URIs the editor names them by, and back. */
  readonly paths: {
    toRepoPath(uri: vscode.Uri): string | undefined;
    toUri(repoPath: string): vscode.Uri;
  };
}

/** The folder state that shows `state`'s repository (itself unless it follows another). */
export function ownerState(state: FolderState): FolderState {
  let s = state;
  for (let i = 0; s.owner && i < 16; i++) s = s.owner;
  return s;
}

export interface SpecGateModel extends vscode.Disposable {
  /** Fires after any folder's state changed. */
  readonly onDidChange: vscode.Event<void>;
  folders(): readonly FolderState[];
  /** The folder state and (if changed) the report entry for a document. */
  lookup(uri: vscode.Uri): { state: FolderState; change?: ReportChange } | undefined;
  refresh(): Promise<void>;
  /** Stores the spec the user chose for the folder (undefined: none chosen, SpecGate picks). */
  setActiveSpec(folder: vscode.WorkspaceFolder, specId: string | undefined): Promise<void>;
}
