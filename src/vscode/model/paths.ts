// Maps between editor URIs and repository paths for one repository's analysis, through the
// real paths of the workspace folders that show it (git reports the real top-level; the
// editor may hold a folder by a symlinked path, and nested folders of one repository share
// its analysis).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeWithin } from '../../node/within';

/** A workspace folder as the editor names it, and its real path. */
export interface FolderLink {
  readonly fs: string;
  readonly real: string;
}

export class RepoPaths {
  /** Innermost first, by real path (toUri) and by the editor's path (toRepoPath). */
  private readonly byReal: readonly FolderLink[];
  private readonly byFs: readonly FolderLink[];

  constructor(
    /** The folders whose files map here (the innermost that holds a file names it). */
    links: readonly FolderLink[],
    /** Absolute directory repository paths are relative to (the repository root, or the folder). */
    readonly root: string,
  ) {
    this.byReal = [...links].sort((a, b) => b.real.length - a.real.length);
    this.byFs = [...links].sort((a, b) => b.fs.length - a.fs.length);
    this.hasTwins = links.some((a) => links.some((b) => a !== b && a.real === b.real && a.fs !== b.fs));
  }

  /** Whether two of the folders are one folder on disk (see twins). */
  readonly hasTwins: boolean;

  /** The repository path (forward slashes) of a file URI, or undefined outside the root. */
  toRepoPath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    let abs = uri.fsPath;
    for (const l of this.byFs) {
      const rel = relativeWithin(l.fs, abs);
      if (rel !== undefined) {
        abs = path.join(l.real, rel);
        break;
      }
    }
    const rel = relativeWithin(this.root, abs);
    if (rel === undefined || rel === '') return undefined;
    return rel.split(path.sep).join('/');
  }

  /**
   * The same file under the other folders whose real path is that of the folder toUri names
   * it under: one repository opened twice, by its path and through a symbolic link (usually
   * none).
   */
  twins(repoPath: string): vscode.Uri[] {
    const abs = path.join(this.root, ...repoPath.split('/'));
    let first: FolderLink | undefined;
    const out: vscode.Uri[] = [];
    for (const l of this.byReal) {
      const rel = relativeWithin(l.real, abs);
      if (rel === undefined) continue;
      if (!first) first = l;
      else if (l.real === first.real && l.fs !== first.fs) out.push(vscode.Uri.file(path.join(l.fs, rel)));
    }
    return out;
  }

  /** The file URI of a repository path, named as the editor names the innermost folder holding it. */
  toUri(repoPath: string): vscode.Uri {
    const abs = path.join(this.root, ...repoPath.split('/'));
    for (const l of this.byReal) {
      const rel = relativeWithin(l.real, abs);
      if (rel !== undefined) return vscode.Uri.file(path.join(l.fs, rel));
    }
    return vscode.Uri.file(abs);
  }
}
