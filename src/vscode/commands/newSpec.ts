// SpecGate: New Spec — pick a layout and a name, create the starter files with a
// WorkspaceEdit (never overwriting an existing file), and open the tasks.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FolderState, SpecGateModel } from '../model/types';
import { LAYOUTS, checkSpecName, specTemplate, type Layout } from './specTemplates';
import { folderRoot, pickFolder, targetOf } from './target';
import { showError } from '../notify';

export interface NewSpecArgs {
  layout?: Layout;
  name?: string;
  root?: string;
}

/** Returns the created files (absolute paths), or undefined when cancelled or refused. */
export async function newSpec(model: SpecGateModel, arg: unknown): Promise<string[] | undefined> {
  const a = (arg && typeof arg === 'object' ? arg : {}) as NewSpecArgs;
  let root: string | undefined;
  let state: FolderState | undefined;
  if (model.folders().length > 0) {
    state = await pickFolder(model, targetOf(arg), 'Folder to create the spec in', { purpose: 'create a spec', git: false, spec: false });
    if (!state) return undefined;
    root = folderRoot(state);
  } else {
    root = a.root ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }
  if (!root) {
    void showError('SpecGate: open a folder first; a spec lives in a repository.');
    return undefined;
  }
  const layout =
    a.layout && LAYOUTS.some((l) => l.layout === a.layout)
      ? a.layout
      : (await vscode.window.showQuickPick(LAYOUTS.map((l) => ({ label: l.label, detail: l.detail, layout: l.layout })), {
          placeHolder: 'Spec layout',
        }))?.layout;
  if (!layout) return undefined;
  const name =
    a.name ??
    (await vscode.window.showInputBox({
      prompt: 'Spec name (the folder or file name)',
      placeHolder: 'billing-retry',
      validateInput: (v) => checkSpecName(v.trim()),
    }));
  if (name === undefined) return undefined;
  const bad = checkSpecName(name.trim());
  if (bad) {
    void showError(`SpecGate: ${bad}`);
    return undefined;
  }
  const rootUri = vscode.Uri.file(root);
  // Named as the workspace folder names them (a symlinked folder's path, not the real one).
  const uriOf = (rel: string): vscode.Uri => state?.paths.toUri(rel) ?? vscode.Uri.joinPath(rootUri, ...rel.split('/'));
  const speckitFolders = layout === 'speckit' ? await listDirs(path.join(root, 'specs')) : [];
  const tpl = specTemplate(layout, name.trim(), speckitFolders);
  const uris = tpl.files.map((f) => uriOf(f.path));
  for (const [i, uri] of uris.entries()) {
    if (await exists(uri)) {
      void showError(`SpecGate: ${tpl.files[i]!.path} already exists; nothing was created.`);
      return undefined;
    }
  }
  const edit = new vscode.WorkspaceEdit();
  tpl.files.forEach((f, i) => {
    edit.createFile(uris[i]!, { overwrite: false, ignoreIfExists: false, contents: Buffer.from(f.text, 'utf8') });
  });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void showError('SpecGate: the spec files could not be created.');
    return undefined;
  }
  const open = uriOf(tpl.open);
  await vscode.window.showTextDocument(open, { preview: false });
  // The spec just made is the one the user means to work on: it becomes the active spec
  // (with several specs, none would be, and the views would ask to select one).
  if (state) void model.setActiveSpec(state.folder, tpl.id);
  else void model.refresh();
  return uris.map((u) => u.fsPath);
}

/** Whether anything (file or folder) is at `uri`. */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}
