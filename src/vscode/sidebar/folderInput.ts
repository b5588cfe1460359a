// The part of a workspace folder's live state the sidebar builders read, without `vscode`
// objects, so the builders stay plain functions over data.
import * as path from 'node:path';
import type { Report, Spec } from '../../core/model';
import type { FolderState } from '../model/types';

export interface FolderInput {
  /** Workspace folder name. */
  name: string;
  /** Absolute repository root (or the folder itself when there is no repository). */
  root: string;
  specs: readonly Spec[];
  activeSpecId: string | undefined;
  report: Report | undefined;
  trusted: boolean;
  error?: string;
}

export function toFolderInput(state: FolderState): FolderInput {
  const input: FolderInput = {
    name: state.folder.name,
    root: state.repoRoot ?? state.folder.uri.fsPath,
    specs: state.specs,
    activeSpecId: state.activeSpec?.id,
    report: state.report,
    trusted: state.trusted,
  };
  if (state.error !== undefined) input.error = state.error;
  return input;
}

/** The report when it belongs to the given spec. */
export function reportFor(input: FolderInput, specId: string): Report | undefined {
  return input.report && input.report.spec.id === specId ? input.report : undefined;
}

export function absolute(input: FolderInput, repoPath: string): string {
  return path.join(input.root, ...repoPath.split('/'));
}
