// What a Specs view row for a folder laid out almost as a spec (`specs/feature-x/` without
// spec-kit's number) does: says why SpecGate does not read it and, where a rename is all it
// takes, renames it to the name SpecGate reads, as a workspace edit, and then offers to undo
// that (the Explorer's own Undo covers only its own renames). The folder and the new name
// come from the model, never from the command's argument, which only says which row was
// clicked (and, with `rename: true`, that the rename is wanted without asking).
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import { nearMissClause } from '../../core/spec/detect';
import type { SpecGateModel } from '../model/types';
import { showError, showInformation, showWarning } from '../notify';
import { exists } from './newSpec';
import { folderRoot } from './target';

/** Returns the folder's new URI when it was renamed, else undefined. */
export async function fixSpecFolder(model: SpecGateModel, arg: unknown): Promise<vscode.Uri | undefined> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Record<string, unknown>;
  if (typeof o.root !== 'string' || typeof o.folder !== 'string') {
    void showError('SpecGate: this command fixes a folder named in the Specs view; click its row there.');
    return undefined;
  }
  const state = model.folders().find((s) => !s.owner && folderRoot(s) === o.root);
  const near = state?.nearMisses.find((n) => n.folder === o.folder);
  const shown = revealBidi(o.folder);
  if (!state || !near) {
    void showWarning(`SpecGate: ${shown} is read as a spec now, or is gone: nothing to fix.`);
    return undefined;
  }
  const from = state.paths.toUri(near.folder.replace(/\/$/, ''));
  const reveal = 'Show in Explorer';
  const rename = near.readAs !== undefined ? `Rename to ${revealBidi(near.readAs)}` : undefined;
  const why = `SpecGate: ${revealBidi(nearMissClause(near))}.`;
  // `rename: true` (tests, other extensions) takes the rename without asking.
  const choice = rename && o.rename === true ? rename : rename ? await showWarning(`${why} Rename the folder?`, rename, reveal) : await showWarning(why, reveal);
  if (choice === reveal) {
    await vscode.commands.executeCommand('revealInExplorer', from);
    return undefined;
  }
  if (choice !== rename || near.readAs === undefined) return undefined;
  const to = state.paths.toUri(near.readAs.replace(/\/$/, ''));
  if (!(await exists(from))) {
    void showError(`SpecGate: ${shown} is gone; nothing was renamed.`);
    return undefined;
  }
  if (await exists(to)) {
    void showError(`SpecGate: ${revealBidi(near.readAs)} already exists, so ${shown} was not renamed; move its files there by hand.`);
    return undefined;
  }
  const newName = revealBidi(near.readAs);
  if (!(await move(from, to))) {
    void showError(`SpecGate: the editor did not rename ${shown} to ${newName}; nothing was changed.`);
    return undefined;
  }
  await model.refresh();
  const undo = 'Undo Rename';
  void showInformation(`SpecGate: renamed ${shown} to ${newName}.`, undo).then(async (c) => {
    if (c !== undo) return;
    // Only what this rename did is undone: the folder back where it was, nothing overwritten.
    if (!(await exists(to)) || (await exists(from)) || !(await move(to, from))) {
      void showError(`SpecGate: ${newName} could not be renamed back to ${shown} (one of them changed since); nothing was changed.`);
      return;
    }
    await model.refresh();
  });
  return to;
}

/** Renames `from` to `to` (never over an existing one) as a workspace edit; false when refused. */
async function move(from: vscode.Uri, to: vscode.Uri): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  edit.renameFile(from, to, { overwrite: false });
  return vscode.workspace.applyEdit(edit);
}
