// What a Specs view row for a spec `ignoreSpecs` leaves out does (shown only while no spec is
// read): says which glob leaves it out and, if asked, takes that glob out of the list in
// `.specgate/config.yml` as a workspace edit (creating the file with the rest of the default
// list when there is none), saves it so the analysis reads the spec, and offers to undo
// that. The spec and its globs come from the model, never from the command's argument, which
// only says which row was clicked (and, with `read: true`, that the edit is wanted without
// asking).
import * as vscode from 'vscode';
import { readOnlyReason } from '../editor/readonly';
import { CONFIG_PATH } from '../../core/config';
import { ignoreSpecsWithout } from '../../core/ignoreSpecs';
import { revealBidi } from '../../core/render/reviewdata';
import type { SpecGateModel } from '../model/types';
import { showError, showInformation, showWarning } from '../notify';
import { plural } from '../sidebar/nodes';
import { exists } from './newSpec';
import { folderRoot } from './target';

/** Returns true when the config now reads the spec. */
export async function readIgnoredSpec(model: SpecGateModel, arg: unknown): Promise<boolean> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as Record<string, unknown>;
  if (typeof o.root !== 'string' || typeof o.spec !== 'string') {
    void showError('SpecGate: this command reads a spec named in the Specs view; click its row there.');
    return false;
  }
  const state = model.folders().find((s) => !s.owner && folderRoot(s) === o.root);
  const ignored = state?.ignoredSpecs.find((x) => x.id === o.spec);
  const shown = revealBidi(o.spec);
  if (!state || !ignored) {
    void showWarning(`SpecGate: ${shown} is read as a spec now, or is gone: nothing to change.`);
    return false;
  }
  const globs = revealBidi(ignored.globs.join(', '));
  // The other specs no glob would leave out any more: read too.
  const others = state.ignoredSpecs.filter((x) => x !== ignored && x.globs.every((g) => ignored.globs.includes(g)));
  const why = ignored.byDefault ? `SpecGate does not read test data by default (${globs})` : `${CONFIG_PATH} leaves it out (${globs})`;
  const also = others.length > 0 ? ` That reads ${plural(others.length, 'other spec')} too (${revealBidi(others.slice(0, 3).map((x) => x.id).join(', '))}${others.length > 3 ? ', …' : ''}).` : '';
  const read = 'Read It';
  const ask = `SpecGate: ${shown} is not read as a spec: ${why}. Take ${globs} out of ignoreSpecs in ${CONFIG_PATH}?${also}`;
  const choice = o.read === true ? read : await showWarning(ask, read);
  if (choice !== read) return false;

  const uri = state.paths.toUri(CONFIG_PATH);
  const had = await exists(uri);
  const doc = had ? await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined) : undefined;
  if (had && !doc) {
    void showError(`SpecGate: ${CONFIG_PATH} cannot be read; nothing was changed.`);
    return false;
  }
  const before = doc?.getText();
  // A buffer with unsaved edits of the user's is edited, not saved: saving would write them too.
  const wasDirty = doc?.isDirty ?? false;
  let next: string;
  try {
    next = ignoreSpecsWithout(before, ignored.globs);
  } catch (err) {
    void showError(`SpecGate: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}; nothing was changed.`);
    return false;
  }
  const readOnly = doc ? await readOnlyReason(uri) : undefined;
  if (readOnly !== undefined) {
    void showError(`SpecGate: ${CONFIG_PATH} is read-only in this editor (${readOnly}); nothing was changed.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  if (doc) edit.replace(uri, fullRange(doc), next);
  else edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: Buffer.from(next, 'utf8') });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void showError(`SpecGate: the editor did not ${doc ? 'edit' : 'create'} ${CONFIG_PATH}; nothing was changed.`);
    return false;
  }
  const edited = await vscode.workspace.openTextDocument(uri);
  if (!wasDirty) await edited.save();
  const line = Math.max(0, edited.getText().split('\n').findIndex((l) => l.startsWith('ignoreSpecs:')));
  await vscode.window.showTextDocument(edited, { preview: false, selection: new vscode.Range(line, 0, line, 0) });
  await model.refresh();
  const undo = doc ? 'Undo' : 'Undo (Delete the File)';
  const saved = wasDirty ? ` Save ${CONFIG_PATH} (it had unsaved edits, so SpecGate did not save it) to read the spec.` : '';
  void showInformation(`SpecGate: ignoreSpecs in ${CONFIG_PATH} no longer leaves out ${globs}, so ${shown} is read as a spec.${saved}`, undo).then(async (c) => {
    if (c !== undo) return;
    // Only what this edit did is undone: the file back as it was, if it is still as SpecGate left it.
    const now = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const current = now ? now.getText() : (await exists(uri)) ? Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8') : undefined;
    if (current !== next) {
      void showError(`SpecGate: ${CONFIG_PATH} changed since SpecGate edited it, so it was not put back; nothing was changed.`);
      return;
    }
    const back = new vscode.WorkspaceEdit();
    if (before === undefined) back.deleteFile(uri, { ignoreIfNotExists: true });
    else back.replace(uri, fullRange(now ?? (await vscode.workspace.openTextDocument(uri))), before);
    if (!(await vscode.workspace.applyEdit(back))) {
      void showError(`SpecGate: the editor did not put ${CONFIG_PATH} back; nothing was changed.`);
      return;
    }
    if (before !== undefined && !wasDirty) await (await vscode.workspace.openTextDocument(uri)).save();
    await model.refresh();
  });
  return true;
}

function fullRange(doc: vscode.TextDocument): vscode.Range {
  return new vscode.Range(0, 0, doc.lineCount, 0);
}
