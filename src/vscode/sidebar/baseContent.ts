// The `specgate-base:` scheme: read-only base content of a file (its blob in the base
// commit), the left side of the sidebar's diffs. Runs git only in a trusted workspace.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { isWithin } from '../../node/within';

export const BASE_SCHEME = 'specgate-base';
const MAX_BYTES = 20 * 1024 * 1024;

interface BaseQuery {
  root: string;
  commit: string | null;
}

/** A URI for `repoPath` as it is in `commit` (null: the file did not exist). */
export function baseUri(root: string, repoPath: string, commit: string | null): vscode.Uri {
  const query: BaseQuery = { root, commit };
  return vscode.Uri.from({ scheme: BASE_SCHEME, path: `/${repoPath}`, query: JSON.stringify(query) });
}

/**
 * @param knownRoot whether a repository root is one the workspace's folders are in (a
 * symlinked folder's repository root is its real path, which no workspace folder names).
 */
export function registerBaseContent(log: vscode.LogOutputChannel, knownRoot: (root: string) => boolean): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      let q: BaseQuery;
      try {
        q = JSON.parse(uri.query) as BaseQuery;
      } catch {
        return '';
      }
      if (q.commit === null) return '';
      if (typeof q.root !== 'string' || typeof q.commit !== 'string' || !/^[0-9a-f]{40,64}$/.test(q.commit)) return '';
      if (!vscode.workspace.isTrusted) return '(SpecGate runs no git in an untrusted workspace, so the base content is not shown.)';
      if (!knownRoot(q.root) && !belongsToWorkspace(q.root)) return '';
      try {
        return await readBlob(q.root, q.commit, uri.path.slice(1));
      } catch (err) {
        log.warn(`base content of ${uri.path.slice(1)}: ${(err as Error).message}`);
        return '';
      }
    },
  };
  return vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, provider);
}

/** Only repositories of the open workspace: a crafted URI must not make git run elsewhere. */
function belongsToWorkspace(root: string): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((f) => isWithin(root, f.uri.fsPath) || isWithin(f.uri.fsPath, root));
}

async function readBlob(root: string, commit: string, repoPath: string): Promise<string> {
  const bytes = await baseBlob(root, commit, repoPath, MAX_BYTES);
  return bytes.includes(0) ? '(binary file)' : bytes.toString('utf8');
}

/** The bytes of `repoPath` in `commit`, as git stores them (no filter runs), at most `max`. */
function baseBlob(root: string, commit: string, repoPath: string, max: number): Promise<Buffer> {
  const args = ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', 'cat-file', 'blob', `${commit}:${repoPath}`];
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: root, maxBuffer: max, encoding: 'buffer', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_NO_REPLACE_OBJECTS: '1' } }, (err, stdout) => {
      if (err) reject(new Error(String(err.message).split('\n')[0]));
      else resolve(stdout);
    });
  });
}
