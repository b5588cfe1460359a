// A workspace folder's file events: the workbench's recursive watcher, and a watcher of our
// own on each folder it cannot see into. On Linux the recursive watcher (parcel, inotify)
// starts watching a folder when told it was made, so the folders already inside it by then
// send nothing: a folder moved or copied in, and often the lower folders of one `mkdir -p`
// (parcel-bundler/watcher#97). A file written, edited or deleted there by a shell command
// would leave the analysis behind until some other event. So each folder made or moved in is
// walked, and every folder below it gets a watcher of its own: node's fs.watch, since VS Code
// hands a non-recursive watch inside the workspace to that same recursive watcher. One that
// reports a new folder has that folder watched too. Other systems' recursive watchers
// (FSEvents, ReadDirectoryChangesW) watch whole trees, so there are no gaps to fill.
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../disposable';

/** Folders watched on their own, per workspace folder; past it the oldest is dropped. */
export const MAX_NESTED_WATCHERS = 256;
/** Folders never walked: git's own, and package trees no change of a spec lives in. */
const SKIP = new Set(['.git', 'node_modules']);

export class FolderWatcher extends Disposable {
  /** Folder path → its watcher, oldest first. */
  private readonly nested = new Map<string, FSWatcher>();
  private readonly fillGaps: boolean;

  /**
   * `onEvent` gets every relevant event (created, changed or deleted); `relevant` says which
   * are (events inside .git mostly are not).
   */
  constructor(
    folder: vscode.WorkspaceFolder,
    private readonly onEvent: (uri: vscode.Uri) => void,
    private readonly relevant: (uri: vscode.Uri) => boolean,
    options: { fillGaps?: boolean } = {},
  ) {
    super();
    this.fillGaps = options.fillGaps ?? (process.platform === 'linux' && folder.uri.scheme === 'file');
    const main = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*')));
    main.onDidCreate((uri) => this.created(uri, false));
    main.onDidChange((uri) => this.changed(uri));
    main.onDidDelete((uri) => this.deleted(uri));
    this._register({
      dispose: () => {
        for (const w of this.nested.values()) w.close();
        this.nested.clear();
      },
    });
  }

  private created(uri: vscode.Uri, byOwnWatcher: boolean): void {
    if (!this.relevant(uri)) return;
    this.onEvent(uri);
    if (this.fillGaps) void this.made(uri.fsPath, byOwnWatcher);
  }

  private changed(uri: vscode.Uri): void {
    if (this.relevant(uri)) this.onEvent(uri);
  }

  private deleted(uri: vscode.Uri): void {
    this.forget(uri.fsPath);
    if (this.relevant(uri)) this.onEvent(uri);
  }

  /**
   * A path was made: when it is a folder, watch every folder below it, and the folder itself
   * when our own watcher reported it (the recursive one does not know it).
   */
  private async made(dir: string, watchItself: boolean): Promise<void> {
    if (this.isDisposed) return;
    try {
      if (!(await lstat(dir)).isDirectory()) return;
    } catch {
      return; // gone again
    }
    if (watchItself) this.watch(dir);
    const queue = [dir];
    let walked = 0;
    while (queue.length > 0 && walked < MAX_NESTED_WATCHERS && !this.isDisposed) {
      const d = queue.shift() as string;
      let entries;
      try {
        entries = await readdir(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        // A symbolic link is not followed: it may lead out of the folder, or round in a loop.
        if (!e.isDirectory() || SKIP.has(e.name)) continue;
        const child = path.join(d, e.name);
        this.watch(child);
        queue.push(child);
        if (++walked >= MAX_NESTED_WATCHERS) break;
      }
    }
  }

  private watch(dir: string): void {
    if (this.isDisposed || this.nested.has(dir)) return;
    let w: FSWatcher;
    try {
      w = fsWatch(dir, { persistent: false }, (type, name) => {
        if (name === null) return;
        const uri = vscode.Uri.file(path.join(dir, name.toString()));
        // 'rename' is a name made or gone: which one, the disk says.
        if (type === 'change') this.changed(uri);
        else void lstat(uri.fsPath).then(() => this.created(uri, true), () => this.deleted(uri));
      });
    } catch {
      return; // gone already, or no watch left (the system's limit)
    }
    w.on('error', () => this.forget(dir));
    this.nested.set(dir, w);
    while (this.nested.size > MAX_NESTED_WATCHERS) {
      const [oldest, watcher] = this.nested.entries().next().value as [string, FSWatcher];
      watcher.close();
      this.nested.delete(oldest);
    }
  }

  /** A deleted path: the watchers of it and of the folders below it go. */
  private forget(gone: string): void {
    for (const [dir, w] of [...this.nested]) {
      if (dir !== gone && !dir.startsWith(gone + path.sep)) continue;
      w.close();
      this.nested.delete(dir);
    }
  }
}
