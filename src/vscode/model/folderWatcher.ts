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
import { isBundleFolderName, isPartialBundleFolderName } from '../../core/records';
import { Disposable } from '../disposable';

/** Folders watched on their own, per workspace folder; past it the oldest is dropped. */
export const MAX_NESTED_WATCHERS = 256;
/** Folders never walked: git's own, and package trees no change of a spec lives in. */
const SKIP = new Set(['.git', 'node_modules']);
/**
 * SpecGate's bundles (each export is two new folders): never part of a change, and watched
 * by the Review view itself. Watched here, a hundred exports would take the table's places
 * from the folders of a change (a tree moved in), whose edits would then go unseen.
 */
const REVIEWS = /^\.specgate[\\/]reviews[\\/]([^\\/]+)/;
/** A folder's watcher younger than this is kept when a walk meets the folder again. */
const RENEW_MS = 1000;

export class FolderWatcher extends Disposable {
  /** Folder path → its watcher, oldest first. */
  private readonly nested = new Map<string, { watcher: FSWatcher; ino: number; at: number }>();
  private warnedFull = false;
  private readonly fillGaps: boolean;
  private readonly root: string;

  /**
   * `onEvent` gets every relevant event (created, changed or deleted); `relevant` says which
   * are (events inside .git mostly are not).
   */
  constructor(
    folder: vscode.WorkspaceFolder,
    private readonly onEvent: (uri: vscode.Uri) => void,
    private readonly relevant: (uri: vscode.Uri) => boolean,
    private readonly log: (message: string) => void,
  ) {
    super();
    this.fillGaps = process.platform === 'linux' && folder.uri.scheme === 'file';
    this.root = folder.uri.fsPath;
    const main = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*')));
    main.onDidCreate((uri) => this.created(uri, false));
    main.onDidChange((uri) => this.changed(uri, true));
    main.onDidDelete((uri) => this.deleted(uri));
    this._register({
      dispose: () => {
        for (const n of this.nested.values()) n.watcher.close();
        this.nested.clear();
      },
    });
  }

  /**
   * Whether `dir` is (or is in) a bundle folder, or one being written, in the reviews folder
   * at the workspace folder's top: any other folder there, or a `.specgate` folder deeper
   * down, is a change's like any other, and is watched.
   */
  private isRecords(dir: string): boolean {
    const name = REVIEWS.exec(path.relative(this.root, dir))?.[1];
    return name !== undefined && (isBundleFolderName(name) || isPartialBundleFolderName(name) !== undefined);
  }

  /** The folders watched on their own now, oldest first. */
  folders(): string[] {
    return [...this.nested.keys()];
  }

  private created(uri: vscode.Uri, byOwnWatcher: boolean): void {
    if (!this.relevant(uri)) return;
    this.onEvent(uri);
    if (this.fillGaps) void this.made(uri.fsPath, byOwnWatcher);
  }

  /** `merged`: the workbench's event, which may be a folder deleted and made again (it merges the two into one change). */
  private changed(uri: vscode.Uri, merged: boolean): void {
    if (!this.relevant(uri)) return;
    this.onEvent(uri);
    if (merged && this.fillGaps) void this.made(uri.fsPath, false);
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
    if (this.isDisposed || this.isRecords(dir)) return;
    let ino: number;
    try {
      const st = await lstat(dir);
      if (!st.isDirectory()) return;
      ino = st.ino;
    } catch {
      return; // gone again
    }
    if (watchItself) this.watch(dir, ino);
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
        if (this.isRecords(child)) continue;
        try {
          this.watch(child, (await lstat(child)).ino);
        } catch {
          continue; // gone again
        }
        queue.push(child);
        if (++walked >= MAX_NESTED_WATCHERS) break;
      }
    }
  }

  /**
   * Watches the folder `dir` (inode `ino`), unless this burst watched it already. A folder
   * made again where one was watched is another one, whose deletion may have come merged with
   * the making (so the old watcher was not dropped), and whose inode may be the old one's
   * (ext4 reuses it at once): it is watched anew, unless its watcher is the same inode's and
   * under RENEW_MS old (a burst walking one tree once per folder made in it).
   */
  private watch(dir: string, ino: number): void {
    if (this.isDisposed) return;
    const old = this.nested.get(dir);
    if (old?.ino === ino && Date.now() - old.at < RENEW_MS) return;
    old?.watcher.close();
    this.nested.delete(dir);
    let watcher: FSWatcher;
    try {
      watcher = fsWatch(dir, { persistent: false }, (type, name) => {
        if (name === null) return;
        const uri = vscode.Uri.file(path.join(dir, name.toString()));
        // 'rename' is a name made or gone: which one, the disk says.
        if (type === 'change') this.changed(uri, false);
        else void lstat(uri.fsPath).then(() => this.created(uri, true), () => this.deleted(uri));
      });
    } catch {
      return; // gone already, or no watch left (the system's limit)
    }
    watcher.on('error', () => this.forget(dir));
    this.nested.set(dir, { watcher, ino, at: Date.now() });
    if (this.nested.size > MAX_NESTED_WATCHERS && !this.warnedFull) {
      this.warnedFull = true;
      this.log(`more than ${MAX_NESTED_WATCHERS} new folders to watch: the oldest are no longer watched, so a shell edit there is seen only with the next other change`);
    }
    while (this.nested.size > MAX_NESTED_WATCHERS) {
      const [oldest, w] = this.nested.entries().next().value as [string, { watcher: FSWatcher }];
      w.watcher.close();
      this.nested.delete(oldest);
    }
  }

  /** A deleted path: the watchers of it and of the folders below it go. */
  private forget(gone: string): void {
    for (const [dir, n] of [...this.nested]) {
      if (dir !== gone && !dir.startsWith(gone + path.sep)) continue;
      n.watcher.close();
      this.nested.delete(dir);
    }
  }
}
