// Which workspace folder (and bundle) a command acts on: the tree node or argument it was
// invoked with, else the only folder that qualifies, else the active editor's folder, else a
// quick pick. A folder that follows another (same repository) is never offered: the one it
// follows is. A command that needs git is offered only folders in a git repository, and
// says so in one line when there is none.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import { ownerState, type FolderState, type SpecGateModel } from '../model/types';
import { isWithin, relativeWithin } from '../../node/within';
import { showError } from '../notify';
import { shownFolderNames } from '../sidebar/folderInput';

/** What commands accept as their first argument (tree nodes carry a `ref`). */
export interface CommandTarget {
  root?: string;
  specId?: string;
  bundleDir?: string;
}

/** Reads a command argument: a tree node, a target object, a Uri or a path string. */
export function targetOf(arg: unknown): CommandTarget {
  if (typeof arg === 'string') return { bundleDir: arg };
  if (arg instanceof vscode.Uri) return { bundleDir: arg.fsPath };
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  const src = o.ref && typeof o.ref === 'object' ? (o.ref as Record<string, unknown>) : o;
  const t: CommandTarget = {};
  if (typeof src.root === 'string') t.root = src.root;
  if (typeof src.specId === 'string') t.specId = src.specId;
  if (typeof src.bundleDir === 'string') t.bundleDir = src.bundleDir;
  return t;
}

function rootOf(s: FolderState): string {
  return s.repoRoot ?? s.folder.uri.fsPath;
}

/** Whether `file` is `dir` or inside it (path by path: `/a/repo` does not contain `/a/repo-2`). */
export function contains(dir: string, file: string): boolean {
  return isWithin(dir, file);
}

/** What a command needs of the folder it acts on. */
export interface FolderNeeds {
  /** What the command does, for the line saying no folder fits ("export a review bundle"). */
  purpose: string;
  /** It runs git: only folders in a git repository qualify. */
  git: boolean;
  /** It acts on the active spec: folders that have one are offered first. */
  spec: boolean;
}

/**
 * The folder state a command acts on, or undefined when the user cancelled or none fits
 * (then, for a command that needs git, after one line saying so).
 */
export async function pickFolder(model: SpecGateModel, t: CommandTarget, placeHolder: string, needs: FolderNeeds): Promise<FolderState | undefined> {
  const all = model.folders();
  const fits = (s: FolderState): boolean => !needs.git || s.repoRoot !== undefined;
  const refuse = (states: readonly FolderState[]): undefined => {
    if (!needs.git) return undefined;
    const where = states.length === 1 ? `${states[0]!.folder.name} is not in one` : states.length === 0 ? 'no folder is open' : 'no workspace folder is in one';
    void showError(`SpecGate: to ${needs.purpose}, SpecGate needs a git repository, and ${where}.`);
    return undefined;
  };
  const byPath = (p: string): FolderState | undefined => {
    const s = all.find((x) => contains(rootOf(x), p)) ?? all.find((x) => contains(x.folder.uri.fsPath, p));
    return s ? ownerState(s) : undefined;
  };
  if (t.root) {
    const s = byPath(t.root);
    return s && !fits(s) ? refuse([s]) : s;
  }
  if (t.bundleDir) {
    const s = byPath(t.bundleDir);
    if (s && fits(s)) return s;
  }
  // One entry per repository: folders that follow another are shown by it.
  const shown = all.filter((s) => !s.owner);
  const fitting = shown.filter(fits);
  if (fitting.length === 0) return refuse(shown);
  if (fitting.length === 1) return fitting[0];
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor) {
    const hit = model.lookup(editor);
    if (hit && fits(hit.state)) return hit.state;
  }
  const withSpec = needs.spec ? fitting.filter((s) => s.activeSpec) : [];
  const candidates = withSpec.length > 0 ? withSpec : fitting;
  if (candidates.length === 1) return candidates[0];
  // Two folders of one name are told apart by where they are.
  const names = shownFolderNames(model.folders());
  const pick = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: revealBidi(names.get(s) ?? s.folder.name), description: revealBidi(s.activeSpec?.name ?? ''), state: s })),
    { placeHolder },
  );
  return pick?.state;
}

export function folderRoot(s: FolderState): string {
  return rootOf(s);
}

/** An absolute path under the folder's root, as the workspace names it (for messages). */
export function shownPath(s: FolderState, abs: string): string {
  const rel = relativeWithin(rootOf(s), abs);
  if (rel === undefined || rel === '') return vscode.workspace.asRelativePath(abs);
  return vscode.workspace.asRelativePath(s.paths.toUri(rel.split(path.sep).join('/')));
}
