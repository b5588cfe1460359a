// SpecGate: Restore File — a file the change deleted, put back as the base commit has it,
// from its row in the Changes view (a deleted file has no editor for a lens or a light bulb),
// or from the command palette, which lists the deleted files to pick one.
// The file is created through a WorkspaceEdit (Undo deletes it again), never over a file.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Git } from '../../node/git';
import { editorMessage } from '../messages';
import type { FolderState, SpecGateModel } from '../model/types';
import { showError, showInformation } from '../notify';
import { exists } from './newSpec';
import { checkoutRefuses } from '../../core/gitPath';
import { revealBidi } from '../../core/render/reviewdata';

/** The largest file Restore File puts back. */
const MAX_RESTORE_BYTES = 256 * 1024 * 1024;

/** Returns whether the file was put back. */
export async function restoreFile(model: SpecGateModel, arg: unknown): Promise<boolean> {
  // No row (the command palette, a key): pick among the deleted files.
  const picked = arg === undefined || arg === null ? await pickDeleted(model) : arg;
  if (picked === undefined) return false;
  const t = (picked as { target?: { type?: unknown; root?: unknown; path?: unknown; status?: unknown; baseCommit?: unknown }; file?: unknown } | undefined) ?? {};
  const target = t.target;
  const file = t.file;
  if (!target || target.type !== 'diff' || target.status !== 'deleted' || typeof target.root !== 'string' || typeof target.path !== 'string' || typeof file !== 'string') {
    void showError('SpecGate: Restore File puts back a file the change deleted; right-click its row in the Changes view.');
    return false;
  }
  if (!vscode.workspace.isTrusted) {
    void showError('SpecGate runs no git in an untrusted workspace, so it cannot restore files there.');
    return false;
  }
  // The file must be a deletion of the analysed change, in a folder SpecGate shows: a crafted
  // argument can name no other file, and the base commit is the analysis's own.
  const uri = vscode.Uri.file(file);
  const hit = model.lookup(uri);
  const commit = hit?.state.report?.base.commit;
  if (!hit || hit.state.repoRoot !== target.root || hit.change?.path !== target.path || hit.change.status !== 'deleted' || typeof commit !== 'string' || !/^[0-9a-f]{40,64}$/.test(commit)) {
    void showError(`SpecGate: ${revealBidi(target.path)} is not a file the analysed change deleted; nothing was changed.`);
    return false;
  }
  // Shown with control and bidi characters as escapes (a file name is the change's text).
  const shown = revealBidi(target.path);
  // A path git's checkout would not write (into .git itself): never written here either.
  if (checkoutRefuses(target.path)) {
    void showError(`SpecGate: ${shown} is a path git does not check out (inside .git); nothing was changed.`);
    return false;
  }
  // A folder on the way that is a symbolic link would take the file elsewhere (git restore
  // puts a folder there instead): refused.
  const linked = await linkedFolder(hit.state.folder.uri.fsPath, file);
  if (linked !== undefined) {
    void showError(`SpecGate: ${revealBidi(linked)}, a folder on the way to ${shown}, is a symbolic link; nothing was changed.`);
    return false;
  }
  if (await exists(uri)) {
    void showError(`SpecGate: ${shown} exists again; nothing was changed.`);
    return false;
  }
  let bytes: Buffer | undefined;
  let mode: string | undefined;
  try {
    // Git as the analysis runs it: no filter driver the repository configures runs.
    const git = await Git.open(target.root);
    const entry = await git.entryAt(commit, target.path);
    if (!entry) throw new Error('no such file there');
    mode = entry.mode;
    // A link or a submodule is no file's bytes: written as one, it would be a wrong file.
    if (mode === '120000' || mode === '160000') {
      const what = mode === '120000' ? 'a symbolic link' : 'a submodule';
      void showError(`SpecGate: ${shown} is ${what} in ${commit.slice(0, 12)}, and Restore File puts back files only; nothing was changed (git restore puts it back).`);
      return false;
    }
    // A filter driver's smudge (git-lfs, git-crypt) is a program the repository names, which
    // SpecGate never runs; without it the file would come back as git stores it (a pointer).
    const driver = (await git.filteredPaths([target.path])).get(target.path);
    if (driver !== undefined) {
      void showError(`SpecGate: ${shown} is under the filter ${revealBidi(driver)}, which SpecGate does not run; nothing was changed (git restore puts it back).`);
      return false;
    }
    // As a checkout writes it: the line endings the repository's attributes and config ask for.
    bytes = await git.checkoutBytes(entry.id, target.path);
    if (!bytes) throw new Error('git could not write it out');
    if (bytes.length > MAX_RESTORE_BYTES) throw new Error(`it is larger than ${MAX_RESTORE_BYTES / 1024 / 1024} MB`);
  } catch (err) {
    void showError(`SpecGate: could not read ${shown} in ${commit.slice(0, 12)}: ${editorMessage((err as Error).message)}`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: false, contents: bytes });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void showError(`SpecGate: ${shown} could not be restored.`);
    return false;
  }
  // Executable in the base: executable again, where it can be read (as git's checkout does),
  // on the file just made (opened without following a link that took its place since).
  if (mode === '100755') {
    await open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
      .then(async (h) => {
        try {
          const st = await h.stat();
          if (st.isFile()) await h.chmod(st.mode | ((st.mode & 0o444) >> 2));
        } finally {
          await h.close();
        }
      })
      .catch((err: Error) => void showError(`SpecGate: restored ${shown}, but could not make it executable: ${err.message}`));
  }
  void showInformation(`SpecGate: restored ${shown} as ${commit.slice(0, 12)} has it (Undo deletes it again).`);
  if (!bytes.subarray(0, 8000).includes(0)) await vscode.window.showTextDocument(uri, { preview: false });
  void model.refresh();
  return true;
}

/** A row's argument for one deleted file of a folder's analysed change (in the repository at `root`). */
function deletedRow(state: FolderState, root: string, path: string): { target: { type: 'diff'; root: string; path: string; status: 'deleted' }; file: string } {
  return { target: { type: 'diff', root, path, status: 'deleted' }, file: state.paths.toUri(path).fsPath };
}

/**
 * The analysed changes' deleted files, to pick one; undefined when there is none (said in one
 * message) or the pick was dismissed. One file is still offered, not restored unasked.
 */
async function pickDeleted(model: SpecGateModel): Promise<unknown> {
  const folders = model.folders().filter((s) => s.report && s.repoRoot !== undefined);
  const items = folders.flatMap((s) =>
    s.report!.changes
      .filter((c) => c.status === 'deleted' && !checkoutRefuses(c.path))
      .map((c) => ({ label: revealBidi(c.path), description: folders.length > 1 ? s.folder.name : undefined, row: deletedRow(s, s.repoRoot!, c.path) })),
  );
  if (!vscode.workspace.isTrusted) {
    void showError('SpecGate runs no git in an untrusted workspace, so it cannot restore files there.');
    return undefined;
  }
  if (items.length === 0) {
    void showInformation('SpecGate: the analysed change deletes no file, so there is none to restore.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title: 'SpecGate: Restore File', placeHolder: 'A file the change deleted, to put back as the base has it' });
  return pick?.row;
}

/** The first folder below `root` on the way to `file` that is a symbolic link (relative to root), if any. */
async function linkedFolder(root: string, file: string): Promise<string | undefined> {
  const rel = path.relative(root, path.dirname(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  let dir = root;
  for (const part of rel.split(path.sep)) {
    dir = path.join(dir, part);
    const st = await lstat(dir).catch(() => undefined);
    if (!st) return undefined; // not there: made as a folder
    if (st.isSymbolicLink()) return path.relative(root, dir).split(path.sep).join('/');
  }
  return undefined;
}
