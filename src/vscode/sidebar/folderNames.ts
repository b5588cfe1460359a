// Workspace folder names as SpecGate shows them. Two folders may share a name (`front/svc`
// and `back/svc`, or a `"name"` given twice in a .code-workspace file); each is then shown
// with the folder it sits in, or its whole path where that is the same too. Pure.
import * as path from 'node:path';

export interface NamedFolder {
  /** The workspace folder's name. */
  name: string;
  /** Its path on disk (as the editor names it). */
  path: string;
}

/** The name each folder is shown by, in order: its own where no other folder has it. */
export function distinctFolderNames(folders: readonly NamedFolder[]): string[] {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const names = count(folders.map((f) => f.name));
  const withParent = folders.map((f) => (names.get(f.name)! > 1 ? `${f.name} (${path.basename(path.dirname(f.path)) || path.dirname(f.path)})` : f.name));
  const again = count(withParent);
  return folders.map((f, i) => (again.get(withParent[i]!)! > 1 ? `${f.name} (${f.path})` : withParent[i]!));
}
