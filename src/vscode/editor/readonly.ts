// Whether VS Code holds a file read-only. `workspace.applyEdit` does not refuse an edit to a
// file that `files.readonlyInclude` (or its permissions, with `files.readonlyFromPermissions`)
// makes read-only: the buffer changes, cannot be saved or undone, and closes without asking.
// So a fix asks first, and refuses with the reason.
import { access, constants } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compileGlobs } from '../../core/scope';

/** The globs of a `files.readonly*` setting that are switched on. */
function onGlobs(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob.replace(/\\/g, '/'));
}

/** Why the editor holds `uri` read-only (a setting, the file system), or undefined when it does not. */
export async function readOnlyReason(uri: vscode.Uri): Promise<string | undefined> {
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false) return 'its file system is read-only';
  const files = vscode.workspace.getConfiguration('files', uri);
  const include = onGlobs(files.get('readonlyInclude'));
  if (include.length > 0) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const abs = uri.fsPath.replace(/\\/g, '/');
    // Relative globs are read from the workspace folder; absolute ones against the whole path.
    const rel = folder ? path.relative(folder.uri.fsPath, uri.fsPath).replace(/\\/g, '/') : undefined;
    const matches = (globs: string[]) => {
      const m = compileGlobs(globs.map((g) => g.replace(/^\/+/, '')));
      return (rel !== undefined && !rel.startsWith('..') && m.test(rel)) || m.test(abs.replace(/^\/+/, ''));
    };
    if (matches(include) && !matches(onGlobs(files.get('readonlyExclude')))) return 'the setting files.readonlyInclude';
  }
  if (files.get('readonlyFromPermissions') === true && uri.scheme === 'file') {
    const writable = await access(uri.fsPath, constants.W_OK).then(
      () => true,
      () => false,
    );
    if (!writable) return 'its permissions, with the setting files.readonlyFromPermissions';
  }
  return undefined;
}
