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

/**
 * The bytes of `repoPath` in `commit`, at most `max`: as git stores them (no filter runs), or
 * with `checkout`, as a checkout writes them (end-of-line conversion, the repository's
 * smudge filters).
 */
export function baseBlob(root: string, commit: string, repoPath: string, max: number, o: { checkout?: boolean } = {}): Promise<Buffer> {
  const args = ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', 'cat-file', o.checkout ? '--filters' : 'blob', `${commit}:${repoPath}`];
  return runGit(root, args, max);
}

/** Git's mode of `repoPath` in `commit` (`100644`, `100755`, `120000`, `160000`); undefined: no such entry. */
export async function baseMode(root: string, commit: string, repoPath: string): Promise<string | undefined> {
  const out = (await runGit(root, ['--literal-pathspecs', '-c', 'core.quotepath=off', 'ls-tree', '-z', '--full-tree', commit, '--', repoPath], 1024 * 1024)).toString('utf8');
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab > 0 && entry.slice(tab + 1) === repoPath) return entry.slice(0, entry.indexOf(' '));
  }
  return undefined;
}

function runGit(root: string, args: string[], max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: root, maxBuffer: max, encoding: 'buffer', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_NO_REPLACE_OBJECTS: '1' } }, (err, stdout) => {
      if (err) reject(new Error(String(err.message).split('\n')[0]));
      else resolve(stdout);
    });
  });
}
