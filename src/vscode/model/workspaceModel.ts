// The live engine behind every editor feature: one FolderEngine per workspace folder, kept
// current from saved files, unsaved buffers (debounced per document, superseded work
// dropped), files changed outside the editor (a file system watcher, and the built-in git
// extension's repository state when present), settings and workspace trust. Folders of one
// repository share one analysis: the outermost folder shows it, folders inside it follow.
import * as vscode from 'vscode';
import type { Finding, ReportChange } from '../../core/model';
import { findingsOf } from '../../core/render/reviewdata';
import type { Settings } from '../config';
import { Disposable } from '../disposable';
import { FolderEngine } from './folderEngine';
import { FolderWatcher } from './folderWatcher';
import type { FolderLink } from './paths';
import type { FolderState, SpecGateModel } from './types';
import { isWithin as contains } from '../../node/within';

const SPEC_KEY = 'specgate.activeSpec';
/** Quiet time after a burst of file system events before a full refresh. */
const FS_SETTLE_MS = 250;
/** A burst of file events that never settles (a codemod writing a file every 150 ms) still refreshes this often. */
const FS_MAX_WAIT_MS = 2000;

export interface WorkspaceModelOptions {
  settings: Settings;
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
  /** Forces the trust state (tests construct an untrusted model this way); default: the workspace's. */
  trusted?: boolean;
  /** false: no file system watcher, so only the git extension reports commits (a test sees that path alone). */
  watchFiles?: boolean;
}

export interface DocumentLookup {
  state: FolderState;
  change?: ReportChange;
}

export class WorkspaceModel extends Disposable implements SpecGateModel {
  /** The repository paths file events named since a folder's refresh was scheduled ('all': some other cause). */
  private readonly folderFiles = new Map<string, Set<string> | 'all'>();
  /** When a folder's pending refresh was first scheduled (for FS_MAX_WAIT_MS). */
  private readonly folderSince = new Map<string, number>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  private readonly engines = new Map<string, FolderEngine>();
  private readonly watchers = new Map<string, FolderWatcher>();
  private readonly docTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Per open document, the generation of its latest scheduled run (one counter for all, so a key dropped on close and made again never repeats one). */
  private readonly docGenerations = new Map<string, number>();
  private lastGeneration = 0;
  private readonly pendingDocs = new Set<Promise<unknown>>();
  private readonly folderTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly gitHeads = new Map<string, string>();
  private readonly analysisKeys = new Map<FolderEngine, string>();
  private changeQueued = false;
  private _gitRuns = 0;

  constructor(private readonly options: WorkspaceModelOptions) {
    super();
    this._register({ dispose: () => this.clearTimers() });
    for (const f of vscode.workspace.workspaceFolders ?? []) this.addFolder(f);
    this._register(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.removeFolder(f);
        for (const f of e.added) this.addFolder(f);
        // Which folder shows which repository may have changed for every folder.
        void this.refresh().catch((err) => this.options.log.error(String(err)));
      }),
    );
    this._register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.scheduleDocument(e.document)));
    this._register(vscode.workspace.onDidSaveTextDocument((d) => this.scheduleFolderFor(d.uri)));
    this._register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancelDocument(d.uri);
        // Any run still under way for it compares with no generation now, and stops.
        this.docGenerations.delete(d.uri.toString());
        const engine = this.engineFor(d.uri);
        if (!engine) return;
        // Closed without saving, its unsaved text no longer counts: the views, lenses and
        // Problems follow.
        const work = engine
          .dropDocument(d.uri)
          .then((changed) => changed && this.fireChanged())
          .catch((err) => this.options.log.error(`closing ${d.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => this.pendingDocs.delete(work));
        this.pendingDocs.add(work);
      }),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()));
    this._register(
      options.settings.onDidChange(() => {
        // Base ref and protected paths change the analysis; the rest is read when used.
        for (const engine of this.engines.values()) {
          const key = this.analysisKey(engine.folder);
          if (key === this.analysisKeys.get(engine)) continue;
          this.analysisKeys.set(engine, key);
          void this.refreshEngine(engine);
        }
      }),
    );
    this.watchGitExtension();
  }

  /** Git-running engine calls started by this model (an untrusted model must keep this at 0). */
  get gitRuns(): number {
    return this._gitRuns;
  }

  /** The folders watched on their own (see FolderWatcher), of every workspace folder: for tests and the log. */
  watchedFolders(): string[] {
    return [...this.watchers.values()].flatMap((w) => w.folders());
  }

  get trusted(): boolean {
    return this.options.trusted ?? vscode.workspace.isTrusted;
  }

  folders(): readonly FolderState[] {
    return [...this.engines.values()];
  }

  lookup(uri: vscode.Uri): DocumentLookup | undefined {
    const engine = this.engineFor(uri);
    if (!engine) return undefined;
    const repoPath = engine.paths.toRepoPath(uri);
    const change = repoPath === undefined ? undefined : engine.change(repoPath);
    return change ? { state: engine, change } : { state: engine };
  }

  /** The engine that shows the repository of the (innermost) folder holding `uri`. */
  engineFor(uri: vscode.Uri): FolderEngine | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const engine = folder ? this.engines.get(folder.uri.toString()) : undefined;
    return engine ? ownerEngine(engine) : undefined;
  }

  /** Findings of the active report about the file at `uri`. */
  findings(uri: vscode.Uri): Finding[] {
    const engine = this.engineFor(uri);
    const repoPath = engine?.paths.toRepoPath(uri);
    if (!engine?.report || repoPath === undefined) return [];
    return [...findingsOf(engine.report, repoPath)];
  }

  /** The version of an open document the live analysis reflects (undefined: the saved file). */
  analysedVersion(uri: vscode.Uri): number | undefined {
    const engine = this.engineFor(uri);
    const repoPath = engine?.paths.toRepoPath(uri);
    return repoPath === undefined ? undefined : engine?.analysedVersion(repoPath);
  }

  /** Milliseconds the last live update of an open document took in process (diff and analysis). */
  liveUpdateMs(uri: vscode.Uri): number | undefined {
    const engine = this.engineFor(uri);
    const repoPath = engine?.paths.toRepoPath(uri);
    return repoPath === undefined ? undefined : engine?.liveUpdateMs(repoPath);
  }

  async refresh(): Promise<void> {
    await Promise.all([...this.engines.values()].map((e) => this.refreshEngine(e)));
  }

  /** Stores the spec the user chose for the folder (undefined: none chosen, SpecGate picks). */
  async setActiveSpec(folder: vscode.WorkspaceFolder, specId: string | undefined): Promise<void> {
    await this.options.workspaceState.update(this.specKey(folder), specId);
    const engine = this.engines.get(folder.uri.toString());
    if (engine) await this.refreshEngine(engine);
  }

  /** Resolves when no debounced edit, analysis or refresh is pending. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.engines.values()].map((e) => e.running).filter((p) => p !== undefined);
      if (this.docTimers.size === 0 && this.folderTimers.size === 0 && this.pendingDocs.size === 0 && running.length === 0) return;
      await Promise.all([...this.pendingDocs, ...running]);
      if (this.docTimers.size > 0 || this.folderTimers.size > 0) await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The settings an analysis depends on, for one folder. */
  private analysisKey(folder: vscode.WorkspaceFolder): string {
    const s = this.options.settings.forFolder(folder);
    return JSON.stringify([s.baseRef, s.protectedPaths]);
  }

  private specKey(folder: vscode.WorkspaceFolder): string {
    return `${SPEC_KEY}:${folder.uri.toString()}`;
  }

  private addFolder(folder: vscode.WorkspaceFolder): FolderEngine {
    const engine = new FolderEngine(folder, {
      settings: () => this.options.settings.forFolder(folder),
      trusted: () => this.trusted,
      storedSpec: (f) => this.options.workspaceState.get<string>(this.specKey(f)),
      log: this.options.log,
      countGit: () => {
        if (!this.trusted) throw new Error('SpecGate: git must not run in an untrusted workspace');
        this._gitRuns++;
      },
      changed: () => this.fireChanged(),
      ownerOf: (e, real, root) => this.ownerOf(e, real, root),
      followersOf: (e) => this.followersOf(e),
      ownerChanged: () => {
        for (const e of this.engines.values()) e.relink();
        this.fireChanged();
      },
    });
    this.engines.set(folder.uri.toString(), engine);
    this.analysisKeys.set(engine, this.analysisKey(folder));
    if (this.options.watchFiles === false) return engine;
    const onFile = (uri: vscode.Uri) => {
      this.options.log.trace(`file event: ${uri.fsPath}`);
      const p = engine.paths.toRepoPath(uri);
      const file = p === undefined || p === '.git' || p.startsWith('.git/') ? undefined : p;
      this.scheduleFolder(engine, file);
      // A following folder's files are part of the analysis of the folder it follows.
      if (engine.owner) this.scheduleFolder(ownerEngine(engine), file);
    };
    const watcher = new FolderWatcher(folder, onFile, (uri) => this.isRelevantFileEvent(engine, uri), (m) => this.options.log.warn(`${folder.name}: ${m}`));
    this.watchers.set(folder.uri.toString(), watcher);
    return engine;
  }

  /**
   * The other folder that shows the repository at `root` and holds `real` (the folder of
   * `engine`): the outermost one inside the repository; of folders with the same real path,
   * the first in the workspace. Undefined: `engine` shows the repository itself.
   */
  private async ownerOf(engine: FolderEngine, real: string, root: string): Promise<FolderEngine | undefined> {
    const order = (e: FolderEngine) => (vscode.workspace.workspaceFolders ?? []).findIndex((f) => f.uri.toString() === e.folder.uri.toString());
    let best: { engine: FolderEngine; real: string } | undefined;
    for (const other of [...this.engines.values()]) {
      if (other === engine) continue;
      const otherReal = await other.realPath();
      if (!contains(otherReal, real) || !contains(root, otherReal)) continue;
      if (otherReal === real && order(other) > order(engine)) continue;
      if (!best || otherReal.length < best.real.length || (otherReal.length === best.real.length && order(other) < order(best.engine))) {
        best = { engine: other, real: otherReal };
      }
    }
    return best?.engine;
  }

  private followersOf(engine: FolderEngine): FolderLink[] {
    return [...this.engines.values()].filter((e) => e !== engine && ownerEngine(e) === engine).map((e) => e.link);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const engine = this.engines.get(key);
    engine?.dispose();
    if (engine) this.analysisKeys.delete(engine);
    this.engines.delete(key);
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
    this.fireChanged();
  }

  private isRelevantFileEvent(engine: FolderEngine, uri: vscode.Uri): boolean {
    const p = engine.paths.toRepoPath(uri);
    if (p === undefined) return true;
    // `.git` itself made or removed (git init, a clone moved in, rm -rf .git): the folder is now
    // in a repository of its own, or no longer.
    if (p === '.git') return true;
    if (p.startsWith('.git/')) return /^\.git\/(HEAD|refs\/heads\/)/.test(p);
    return true;
  }

  private async refreshEngine(engine: FolderEngine): Promise<void> {
    const timer = this.folderTimers.get(engine.folder.uri.toString());
    if (timer) {
      clearTimeout(timer);
      this.folderTimers.delete(engine.folder.uri.toString());
    }
    this.folderFiles.delete(engine.folder.uri.toString());
    this.folderSince.delete(engine.folder.uri.toString());
    await engine.refresh();
    // Buffers with unsaved edits not yet laid over the new state (a new base, a restart).
    for (const d of vscode.workspace.textDocuments) {
      if (!d.isDirty || d.isClosed || this.engineFor(d.uri) !== engine) continue;
      const p = engine.paths.toRepoPath(d.uri);
      if (p !== undefined && engine.analysedVersion(p) !== d.version) this.runDocument(d, engine);
    }
  }

  private scheduleFolderFor(uri: vscode.Uri): void {
    const engine = this.engineFor(uri);
    if (engine) this.scheduleFolder(engine);
  }

  /**
   * A full refresh after the file system settles (bursts of events become one run). `file`:
   * the repository path an event named; when every path of the burst is one git ignores (a
   * build writing `dist/`), nothing the analysis reads changed, and no refresh runs.
   */
  private scheduleFolder(engine: FolderEngine, file?: string): void {
    if (this.isDisposed) return;
    const key = engine.folder.uri.toString();
    const old = this.folderTimers.get(key);
    const since = this.folderSince.get(key) ?? Date.now();
    this.folderSince.set(key, since);
    // Within the burst's maximum wait the timer moves on with each event; past it, the one set
    // stands, so the views catch up at least every FS_MAX_WAIT_MS.
    const overdue = Date.now() - since >= FS_MAX_WAIT_MS;
    if (old && !overdue) clearTimeout(old);
    const pending = this.folderFiles.get(key);
    if (file === undefined) this.folderFiles.set(key, 'all');
    else if (pending === undefined) this.folderFiles.set(key, new Set([file]));
    else if (pending !== 'all') pending.add(file);
    if (old && overdue) return;
    this.folderTimers.set(
      key,
      setTimeout(() => {
        this.folderTimers.delete(key);
        this.folderSince.delete(key);
        const files = this.folderFiles.get(key);
        this.folderFiles.delete(key);
        const run = async () => {
          if (files !== undefined && files !== 'all' && (await engine.allIgnored([...files]))) {
            this.options.log.trace(`only files git ignores changed (${files.size}): no refresh`);
            return;
          }
          await this.refreshEngine(engine);
        };
        void run().catch((err) => this.options.log.error(String(err)));
      }, FS_SETTLE_MS),
    );
  }

  /** The hot path: only (re)starts a per-document timer. */
  private scheduleDocument(doc: vscode.TextDocument): void {
    if (this.isDisposed || doc.uri.scheme !== 'file') return;
    const key = doc.uri.toString();
    const generation = ++this.lastGeneration;
    this.docGenerations.set(key, generation);
    const old = this.docTimers.get(key);
    if (old) clearTimeout(old);
    this.docTimers.set(
      key,
      setTimeout(() => {
        this.docTimers.delete(key);
        const engine = this.engineFor(doc.uri);
        if (engine) this.runDocument(doc, engine);
      }, this.options.settings.value.debounceMs),
    );
  }

  private runDocument(doc: vscode.TextDocument, engine: FolderEngine): void {
    const key = doc.uri.toString();
    const generation = this.docGenerations.get(key) ?? 0;
    const version = doc.version;
    const isCurrent = () => !this.isDisposed && this.docGenerations.get(key) === generation && doc.version === version;
    const work = engine
      .updateDocument(doc, isCurrent)
      .catch((err) => this.options.log.error(`live analysis of ${doc.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.pendingDocs.delete(work));
    this.pendingDocs.add(work);
    void work.then(() => this.fireChanged());
  }

  private cancelDocument(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.docTimers.get(key);
    if (t) clearTimeout(t);
    this.docTimers.delete(key);
    this.docGenerations.set(key, ++this.lastGeneration);
  }

  /** Coalesces change notifications fired in the same tick into one event. */
  private fireChanged(): void {
    if (this.changeQueued || this.isDisposed) return;
    this.changeQueued = true;
    queueMicrotask(() => {
      this.changeQueued = false;
      if (!this.isDisposed) this._onDidChange.fire();
    });
  }

  private clearTimers(): void {
    for (const t of this.docTimers.values()) clearTimeout(t);
    for (const t of this.folderTimers.values()) clearTimeout(t);
    this.docTimers.clear();
    this.folderTimers.clear();
    this.folderFiles.clear();
    this.folderSince.clear();
    for (const e of this.engines.values()) e.dispose();
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
  }

  /** Commits, checkouts and resets seen through the built-in git extension, when it is there. */
  private watchGitExtension(): void {
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!ext) return;
    const hook = (exports: GitExtension) => {
      if (this.isDisposed || !exports.enabled) return;
      let api: GitApi;
      try {
        api = exports.getAPI(1);
      } catch {
        return;
      }
      const headOf = (repo: GitRepository) => `${repo.state.HEAD?.name ?? ''}@${repo.state.HEAD?.commit ?? ''}`;
      // One subscription per open repository, dropped when the git extension closes it.
      const watching = new Map<string, vscode.Disposable>();
      this._register({ dispose: () => (watching.forEach((d) => d.dispose()), watching.clear()) });
      const watch = (repo: GitRepository) => {
        const root = repo.rootUri.toString();
        // A repository the extension has already read: its HEAD now is the one to compare with,
        // so the first commit after this is a change (not taken for the initial state).
        if (repo.state.HEAD?.commit !== undefined && !this.gitHeads.has(root)) this.gitHeads.set(root, headOf(repo));
        watching.get(root)?.dispose();
        watching.set(
          root,
          repo.state.onDidChange(() => {
            const head = headOf(repo);
            if (this.gitHeads.get(root) === head) return;
            const first = !this.gitHeads.has(root);
            this.gitHeads.set(root, head);
            if (first) return;
            for (const engine of this.engines.values()) {
              if (engine.repoRoot && vscode.Uri.file(engine.repoRoot).toString() === root) {
                this.options.log.trace(`git extension: ${repo.rootUri.fsPath} is now at ${head}`);
                this.scheduleFolder(engine);
              }
            }
          }),
        );
      };
      // A repository the git extension opens (Initialize Repository, a clone) that holds a
      // folder SpecGate saw in none: analyse it now, whatever the file watcher caught.
      const opened = (repo: GitRepository) => {
        const root = repo.rootUri.fsPath;
        for (const engine of this.engines.values()) {
          if (engine.repoRoot === undefined && contains(root, engine.folder.uri.fsPath)) {
            this.options.log.trace(`git extension: opened ${root}, which holds ${engine.folder.name}`);
            this.scheduleFolder(engine);
          }
        }
      };
      const closed = (repo: GitRepository) => {
        const root = repo.rootUri.toString();
        watching.get(root)?.dispose();
        watching.delete(root);
        this.gitHeads.delete(root);
      };
      api.repositories.forEach(watch);
      this._register(api.onDidOpenRepository((repo) => (watch(repo), opened(repo))));
      if (api.onDidCloseRepository) this._register(api.onDidCloseRepository(closed));
    };
    if (ext.isActive) hook(ext.exports);
    else void Promise.resolve(ext.activate()).then(hook, () => undefined);
  }
}

/** The engine that shows `engine`'s repository (itself unless it follows another). */
function ownerEngine(engine: FolderEngine): FolderEngine {
  let e = engine;
  for (let i = 0; e.owner && i < 16; i++) e = e.owner;
  return e;
}


// The small part of the git extension's API (extensions/git/src/api/git.d.ts) used here.
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}
interface GitApi {
  readonly repositories: GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository?: vscode.Event<GitRepository>;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly HEAD: { name?: string; commit?: string } | undefined; readonly onDidChange: vscode.Event<void> };
}
