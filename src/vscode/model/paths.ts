// Maps between editor URIs and repository paths for one workspace folder, through the
// folder's real path (git reports the real top-level; the editor may hold a symlinked one).
import * as path from 'node:path';
import * as vscode from 'vscode';

export class RepoPaths {
  constructor(
    /** The folder as the editor names it. */
    private readonly folderFs: string,
    /** The folder's real path. */
    private readonly folderReal: string,
    /** Absolute directory repository paths are relative to (the repository root, or the folder). */
    readonly root: string,
  ) {}

  /** The repository path (forward slashes) of a file URI, or undefined outside the root. */
  toRepoPath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    let abs = uri.fsPath;
    const inFolder = path.relative(this.folderFs, abs);
    if (!inFolder.startsWith('..') && !path.isAbsolute(inFolder)) abs = path.join(this.folderReal, inFolder);
    const rel = path.relative(this.root, abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  /** The file URI of a repository path, named as the editor names the folder when inside it. */
  toUri(repoPath: string): vscode.Uri {
    const abs = path.join(this.root, ...repoPath.split('/'));
    const inFolder = path.relative(this.folderReal, abs);
    if (!inFolder.startsWith('..') && !path.isAbsolute(inFolder)) return vscode.Uri.file(path.join(this.folderFs, inFolder));
    return vscode.Uri.file(abs);
  }
}
