// The live state of one workspace folder: its specs, the active spec, and the analysis of
// the change against it. A full refresh runs the engine (git) off the hot path, coalesced;
// unsaved buffers are laid over the on-disk change set and re-analysed with the pure core
// (`analyze`), which is fast enough to run after every debounced edit.
import { realpath, stat, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { analyze } from '../../core/analyze';
import { DEFAULT_IGNORE_SPECS, type Config } from '../../core/config';
import { gitBlobId, looksBinary } from '../../core/gitblob';
import { ignoringGlobs, isDefaultIgnoreList } from '../../core/ignoreSpecs';
import type { Workspaces } from '../../core/lockfiles';
import { UsageError, type ChangeSet, type FileChange, type Report, type ReportChange, type Spec } from '../../core/model';
import { seedState, type LiveDiffState } from '../../core/incdiff';
import { parseSpec } from '../../core/spec/parse';
import { resolveSpec } from '../../core/spec/resolve';
import { analyzeRepository, listingIgnore } from '../../node/engine';
import { Git } from '../../node/git';
import { discoverSpecsAndNearMisses, loadSpecs } from '../../node/specs';
import type { NearMissSpec } from '../../core/spec/detect';
import type { SpecGateSettings } from '../config';
import { editorMessage } from '../messages';
import { overlayChange } from './overlay';
import { RepoPaths, type FolderLink } from './paths';
import { UNTRUSTED_NOTE, type FolderState, type IgnoredSpec } from './types';
import { relativeWithin } from '../../node/within';

const BASE_TEXT_CAP = 8 * 1024 * 1024;
const BASE_CACHE_SIZE = 200;


/** What the folder engine needs from its owner. */
export interface FolderHost {
  readonly settings: () => SpecGateSettings;
  readonly trusted: () => boolean;
  readonly storedSpec: (folder: vscode.WorkspaceFolder) => string | undefined;
  readonly log: vscode.LogOutputChannel;
  /** Called before every engine call that runs git (counts them; tests assert none when untrusted). */
  readonly countGit: () => void;
  readonly changed: () => void;
  /**
   * The engine of another workspace folder that shows the repository at `root` and holds
   * this folder (`folderReal`): the outermost such folder, the first one of equal folders.
   */
  readonly ownerOf: (engine: FolderEngine, folderReal: string, root: string) => Promise<FolderEngine | undefined>;
  /** The folders that follow `engine` (their files map to its repository paths too). */
  readonly followersOf: (engine: FolderEngine) => readonly FolderLink[];
  /** Called when this engine started or stopped following another. */
  readonly ownerChanged: () => void;
}

interface Analysis {
  git: Git;
  changeSet: ChangeSet;
  config: Config;
  spec: Spec;
  specBlobs: Record<string, string>;
  extraProtected: string[];
  report: Report;
  /** The spec as the base has it: an unsaved edit that widens the scope is reported as a saved one is. */
  baseSpec?: Spec;
  /** No spec files at the base: the change creates the spec. */
  specIsNew?: boolean;
  /** Workspace members of the changed lockfiles' folders at the base. */
  workspaces?: Workspaces;
  registries?: ReadonlySet<string>;
}

interface Overlay {
  version: number;
  change: FileChange | null;
}

interface BaseText {
  text: string | null;
  blob?: string;
  /** The path is git-ignored (and not in the base): not part of any change. */
  ignored?: boolean;
}

export class FolderEngine implements FolderState {
  repoRoot: string | undefined;
  specs: readonly Spec[] = [];
  nearMisses: readonly NearMissSpec[] = [];
  ignoredSpecs: readonly IgnoredSpec[] = [];
  activeSpec: Spec | undefined;
  report: Report | undefined;
  trusted: boolean;
  error?: string;
  note?: string;
  owner?: FolderEngine;

  private analysis: Analysis | undefined;
  private readonly overlays = new Map<string, Overlay>();
  /** The active spec re-read with its unsaved buffers, while any of them is edited. */
  private specOverlay: { spec: Spec; specBlobs: Record<string, string> } | undefined;
  private readonly baseTexts = new Map<string, Promise<BaseText>>();
  /** Each live buffer's last diff against its base, to diff the next edit incrementally. */
  private readonly diffStates = new Map<string, { base: BaseText; state: LiveDiffState }>();
  private readonly lastUpdateMs = new Map<string, number>();
  private readonly changesByPath = new Map<string, ReportChange>();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private disposed = false;
  /** The folder's real path (as last resolved), and the folder repository paths are relative to. */
  private real: Promise<string> | undefined;
  private folderReal: string;
  private pathsRoot: string;
  private pathsCache: RepoPaths | undefined;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly host: FolderHost,
  ) {
    this.trusted = host.trusted();
    this.folderReal = folder.uri.fsPath;
    this.pathsRoot = folder.uri.fsPath;
  }

  /** Maps repository paths to editor URIs through this folder and the folders following it. */
  get paths(): RepoPaths {
    this.pathsCache ??= new RepoPaths([this.link, ...this.host.followersOf(this)], this.pathsRoot);
    return this.pathsCache;
  }

  /** This folder as the editor names it and as it really is. */
  get link(): FolderLink {
    return { fs: this.folder.uri.fsPath, real: this.folderReal };
  }

  /** Rebuilds the path mapping (the folders following this one changed). */
  relink(): void {
    this.pathsCache = undefined;
  }

  /** The folder's real path (symbolic links resolved). */
  realPath(): Promise<string> {
    const fsPath = this.folder.uri.fsPath;
    this.real ??= realpath(fsPath).catch(() => fsPath);
    return this.real;
  }

  private setPathsRoot(root: string): void {
    if (root === this.pathsRoot) return;
    this.pathsRoot = root;
    this.pathsCache = undefined;
  }

  dispose(): void {
    this.disposed = true;
  }

  get changeNotes(): readonly string[] | undefined {
    return this.analysis?.changeSet.notes;
  }

  /** The report entry for a repository path. */
  change(repoPath: string): ReportChange | undefined {
    return this.changesByPath.get(repoPath);
  }

  /** The running full refresh (with any queued after it), if one is running. */
  get running(): Promise<void> | undefined {
    return this.refreshing;
  }

  /** Runs a full refresh; when one is running, runs another after it (coalesced). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          await this.refreshOnce();
        } while (this.refreshAgain && !this.disposed);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    this.trusted = this.host.trusted();
    this.real = undefined;
    const folderReal = await this.realPath();
    if (folderReal !== this.folderReal) {
      this.folderReal = folderReal;
      this.pathsCache = undefined;
    }
    const started = performance.now();
    try {
      if (this.trusted) await this.refreshTrusted(folderReal);
      else await this.refreshUntrusted(folderReal);
    } catch (err) {
      this.fail(err);
    }
    this.host.log.trace(`${this.folder.name}: refreshed in ${(performance.now() - started).toFixed(0)} ms`);
    if (!this.disposed) this.host.changed();
  }

  private fail(err: unknown): void {
    const message = editorMessage(err instanceof Error ? err.message : String(err));
    if (!(err instanceof UsageError)) this.host.log.error(`${this.folder.name}: ${err instanceof Error ? (err.stack ?? message) : message}`);
    this.analysis = undefined;
    this.setReport(undefined);
    this.error = message.split('\n')[0];
  }

  private async refreshTrusted(folderReal: string): Promise<void> {
    let git: Git;
    try {
      this.host.countGit();
      git = await Git.open(folderReal);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await this.follow(folderReal, undefined);
      // Where git finds no repository the folder stands alone, even when a folder above it
      // holds a .git that git does not reach (GIT_CEILING_DIRECTORIES): its own specs, no others.
      // A repository git finds but cannot use (an unsafe owner…), or no git at all: the
      // repository found by its .git is the one whose specs are listed.
      const found = /^(cannot use the git repository|git was not found)/.test(err.message) ? await findRepoRoot(folderReal) : undefined;
      await this.showSpecsOnly(found ?? folderReal, found, err);
      return;
    }
    if (this.disposed) return;
    const ignored = await this.isIgnored(git, folderReal);
    if (await this.follow(folderReal, git.root)) {
      this.note = ignored ? ignoredNote(git.root, true) : undefined;
      return;
    }
    const note = ignored ? ignoredNote(git.root, false) : undefined;
    const settings = this.host.settings();
    const stored = this.host.storedSpec(this.folder);
    const extraProtected = [...settings.protectedPaths];
    const run = async (spec: string | undefined) => {
      this.host.countGit();
      return analyzeRepository({ cwd: folderReal, git, spec, base: settings.baseRef || undefined, extraProtected, useCache: true });
    };
    let result: Awaited<ReturnType<typeof analyzeRepository>>;
    // Set when the spec the user chose is gone: the views say so, and what is shown instead.
    let lost: string | undefined;
    try {
      result = await run(stored);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      // A remembered spec that no longer exists falls back to the default choice.
      if (stored !== undefined && /spec/i.test(err.message)) {
        const gone = `The spec you chose, ${stored}, is no longer there (renamed or deleted)`;
        try {
          result = await run(undefined);
          lost = `${gone}; ${result.spec.id} is the active spec now.`;
        } catch (again) {
          if (!(again instanceof UsageError)) throw again;
          await this.showSpecsOnly(git.root, git.root, again, git);
          this.note = joinNotes(note, `${gone}; select the active spec.`);
          return;
        }
      } else {
        await this.showSpecsOnly(git.root, git.root, err, git);
        this.note = note;
        return;
      }
    }
    if (this.disposed) return;
    this.repoRoot = result.git.root;
    this.setPathsRoot(result.git.root);
    this.specs = result.specs;
    this.nearMisses = result.nearMisses;
    this.ignoredSpecs = [];
    this.activeSpec = result.spec;
    this.error = undefined;
    this.note = joinNotes(note, lost);
    const commit = result.changeSet.base.commit;
    if (this.analysis?.changeSet.base.commit !== commit || this.analysis?.git.root !== result.git.root) {
      this.baseTexts.clear();
      this.overlays.clear();
      this.diffStates.clear();
    }
    const specBlobs = result.specBlobs;
    this.analysis = {
      git: result.git,
      changeSet: result.changeSet,
      config: result.config,
      spec: result.spec,
      specBlobs,
      extraProtected,
      report: result.report,
      ...(result.baseSpec ? { baseSpec: result.baseSpec } : {}),
      ...(result.specIsNew ? { specIsNew: true } : {}),
      ...(result.workspaces ? { workspaces: result.workspaces } : {}),
      ...(result.registries ? { registries: result.registries } : {}),
    };
    // Disk moved on: cached texts of changed paths may be stale, and the disk state now
    // covers every buffer that has no unsaved edits.
    for (const c of result.changeSet.changes) if (c.status !== 'modified') this.baseTexts.delete(c.path);
    const dirty = new Set<string>();
    for (const d of vscode.workspace.textDocuments) {
      const p = d.isDirty && !d.isClosed ? this.paths.toRepoPath(d.uri) : undefined;
      if (p !== undefined) dirty.add(p);
    }
    for (const p of [...this.overlays.keys()]) {
      if (dirty.has(p)) continue;
      this.overlays.delete(p);
      this.diffStates.delete(p);
    }
    if (this.specOverlay && !result.spec.files.some((f) => dirty.has(f))) this.specOverlay = undefined;
    if (this.specOverlay && this.specOverlay.spec.id !== result.spec.id) this.specOverlay = undefined;
    this.recompute();
  }

  /**
   * No analysis possible (no repository, several specs and none chosen, bad config): lists
   * the specs under `root` (the repository's root, or the folder when it is in none).
   */
  private async showSpecsOnly(root: string, repoRoot: string | undefined, err: unknown, git?: Git): Promise<void> {
    this.repoRoot = repoRoot;
    this.note = undefined;
    this.setPathsRoot(root);
    try {
      await this.readSpecs(root, git);
    } catch {
      this.specs = [];
      this.nearMisses = [];
      this.ignoredSpecs = [];
    }
    const stored = this.host.storedSpec(this.folder);
    this.activeSpec = this.specs.find((s) => s.id === stored) ?? (this.specs.length === 1 ? this.specs[0] : undefined);
    this.fail(err);
  }

  /**
   * The specs under `root`, and the folders laid out almost as one, found by a walk. With the
   * repository's `git` (trusted), an uncommitted edit to ignoreSpecs leaves out only what
   * HEAD's list leaves out too, as the analysis does; without, the work tree's list.
   */
  private async readSpecs(root: string, git?: Git): Promise<void> {
    // A config that does not parse is the folder's error already (shown with these specs).
    const listing = listingIgnore(root, git).catch(() => ({ ignore: DEFAULT_IGNORE_SPECS, list: DEFAULT_IGNORE_SPECS }));
    const found = await discoverSpecsAndNearMisses(root, { useGit: false, ignore: listing.then((l) => l.ignore), listIgnored: 'if-none' });
    this.specs = await loadSpecs(root, found.candidates);
    this.nearMisses = found.nearMisses;
    const { list } = await listing;
    this.ignoredSpecs = this.specs.length > 0 ? [] : (found.ignored ?? []).map((c) => ({ id: c.id, globs: ignoringGlobs(c.id, list), byDefault: isDefaultIgnoreList(list) }));
  }

  private async refreshUntrusted(folderReal: string): Promise<void> {
    const repoRoot = await findRepoRoot(folderReal);
    const root = repoRoot ?? folderReal;
    this.note = undefined;
    if (await this.follow(folderReal, repoRoot)) {
      this.error = UNTRUSTED_NOTE;
      return;
    }
    this.repoRoot = repoRoot;
    this.setPathsRoot(root);
    this.analysis = undefined;
    this.overlays.clear();
    this.diffStates.clear();
    this.specOverlay = undefined;
    this.baseTexts.clear();
    await this.readSpecs(root);
    const stored = this.host.storedSpec(this.folder);
    let active = this.specs.find((s) => s.id === stored);
    if (!active && this.specs.length > 0) {
      try {
        active = resolveSpec(this.specs, undefined, repoRoot ? await readBranch(repoRoot) : undefined);
      } catch {
        active = undefined;
      }
    }
    this.activeSpec = active;
    this.setReport(undefined);
    this.error = UNTRUSTED_NOTE;
  }

  /**
   * Follows the folder that shows the repository at `root`, when another one does (true):
   * this one then keeps no specs or analysis of its own. False when this folder shows it.
   */
  private async follow(folderReal: string, root: string | undefined): Promise<boolean> {
    const owner = root === undefined ? undefined : await this.host.ownerOf(this, folderReal, root);
    if (this.disposed) return owner !== undefined;
    const changed = owner !== this.owner;
    this.owner = owner;
    if (owner && root !== undefined) {
      this.repoRoot = root;
      this.setPathsRoot(root);
      this.specs = [];
      this.nearMisses = [];
      this.ignoredSpecs = [];
      this.activeSpec = undefined;
      this.analysis = undefined;
      this.overlays.clear();
      this.diffStates.clear();
      this.specOverlay = undefined;
      this.baseTexts.clear();
      this.setReport(undefined);
      this.error = undefined;
    }
    if (changed) this.host.ownerChanged();
    return owner !== undefined;
  }

  /**
   * Whether git ignores the folder in the repository holding it (its files are never part
   * of a change; a folder holding a tracked file is not ignored). A failure counts as no.
   */
  private async isIgnored(git: Git, folderReal: string): Promise<boolean> {
    const prefix = relativeWithin(git.root, folderReal);
    if (prefix === undefined || prefix === '') return false;
    this.host.countGit();
    // `./` first: check-ignore reads a leading `:(…)` as pathspec magic, and folder names are the user's.
    const r = await git
      .exec(['check-ignore', '--quiet', '--', `./${prefix.split(path.sep).join('/')}`], { allowExit: [1, 128] })
      .catch((err: unknown) => {
        this.host.log.warn(`${this.folder.name}: git check-ignore: ${err instanceof Error ? err.message : String(err)}`);
        return { code: 1 };
      });
    return r.code === 0;
  }

  // ---------------------------------------------------------------------------------------
  // Live buffers

  /**
   * Lays an edited buffer over the change set and re-analyses. A buffer without unsaved
   * edits (saved, or undone back) keeps its overlay until the next full refresh reads the
   * disk, so the state never steps back in between. Returns false when superseded.
   */
  async updateDocument(doc: vscode.TextDocument, isCurrent: () => boolean): Promise<boolean> {
    const a = this.analysis;
    if (!a || a.changeSet.mode !== 'worktree') return true;
    const repoPath = this.paths.toRepoPath(doc.uri);
    if (repoPath === undefined || repoPath === '.git' || repoPath.startsWith('.git/')) return true;
    if (doc.isClosed) {
      this.diffStates.delete(repoPath);
      if (this.overlays.delete(repoPath)) this.recompute();
      return true;
    }
    if (a.spec.files.includes(repoPath)) {
      const specOverlay = await this.reparseSpec(a);
      if (!isCurrent() || this.analysis !== a) return false;
      this.specOverlay = specOverlay;
    }
    const disk = a.changeSet.changes.find((c) => c.path === repoPath);
    const base = await this.baseText(a, repoPath, disk);
    if (!isCurrent() || this.analysis !== a) return false;
    if (base.ignored) return true;
    const kept = this.diffStates.get(repoPath);
    const previous = kept?.base === base ? kept.state : await this.seed(repoPath, base, disk);
    if (!isCurrent() || this.analysis !== a) return false;
    const text = doc.getText();
    // A huge buffer is listed from disk on save, not diffed while typing.
    if (text.length > BASE_TEXT_CAP) return true;
    const started = performance.now();
    const { change, state } = overlayChange({
      path: repoPath,
      baseText: base.text,
      baseBlob: base.blob,
      text,
      disk,
      previous,
    });
    this.diffStates.set(repoPath, { base, state });
    this.overlays.set(repoPath, { version: doc.version, change });
    this.recompute();
    this.lastUpdateMs.set(repoPath, performance.now() - started);
    return true;
  }

  /**
   * Whether git ignores every one of these repository paths (a build writing into `dist/`):
   * then nothing in the analysis can have changed, and no refresh is needed. False without
   * an analysis, in an untrusted folder (no git runs there), or when git cannot say.
   */
  async allIgnored(repoPaths: readonly string[]): Promise<boolean> {
    const a = this.analysis;
    if (!a || !this.trusted || repoPaths.length === 0) return false;
    // SpecGate's own files are read from disk whether git ignores them or not.
    if (repoPaths.some((p) => p === '.specgate' || p.startsWith('.specgate/'))) return false;
    this.host.countGit();
    // Tracked files are never ignored (check-ignore leaves them out), so an edit to one
    // refreshes; so does a name git reads otherwise (`:(…)`), which it does not echo back.
    const r = await a.git
      .exec(['check-ignore', '-z', '--stdin'], { allowExit: [1], input: repoPaths.join('\0') + '\0' })
      .catch(() => undefined);
    if (!r || r.code !== 0) return false;
    const ignored = new Set(r.stdout.split('\0'));
    return repoPaths.every((p) => ignored.has(p));
  }

  /** Milliseconds the last live update of a path took in process (diff and analysis). */
  liveUpdateMs(repoPath: string): number | undefined {
    return this.lastUpdateMs.get(repoPath);
  }

  /**
   * A buffer's first edit starts from the saved file's diff, which git already computed:
   * the file on disk with the change set's hunks (or the base itself, for an unchanged
   * file). Undefined (a full diff) when they do not agree.
   */
  private async seed(repoPath: string, base: BaseText, disk: FileChange | undefined): Promise<LiveDiffState | undefined> {
    if (base.text === null) return undefined;
    if (!disk) return seedState(base.text, base.text, []);
    if (disk.binary || disk.tooLarge || (disk.status !== 'modified' && disk.status !== 'renamed')) return undefined;
    try {
      const onDisk = await readFile(path.join(this.paths.root, ...repoPath.split('/')));
      if (disk.newBlob !== undefined && gitBlobId(onDisk) !== disk.newBlob) return undefined;
      return seedState(base.text, onDisk.toString('utf8'), disk.hunks);
    } catch {
      return undefined;
    }
  }

  /** The active spec parsed from its open buffers (as edited) and the other files on disk. */
  private async reparseSpec(a: Analysis): Promise<{ spec: Spec; specBlobs: Record<string, string> }> {
    const open = new Map<string, vscode.TextDocument>();
    for (const d of vscode.workspace.textDocuments) {
      const p = d.isClosed ? undefined : this.paths.toRepoPath(d.uri);
      if (p !== undefined && a.spec.files.includes(p)) open.set(p, d);
    }
    const specBlobs = { ...a.specBlobs };
    const files: { path: string; text: string }[] = [];
    for (const f of a.spec.files) {
      const doc = open.get(f);
      if (doc) {
        const text = doc.getText();
        files.push({ path: f, text });
        if (doc.isDirty) specBlobs[f] = gitBlobId(Buffer.from(text, 'utf8'));
        continue;
      }
      try {
        files.push({ path: f, text: await readFile(path.join(this.paths.root, ...f.split('/')), 'utf8') });
      } catch {
        // A spec file deleted meanwhile: the next full refresh reports it.
      }
    }
    return { spec: parseSpec(a.spec, files), specBlobs };
  }

  /**
   * A buffer closed: its unsaved text, if any, is thrown away (closed with *Don't Save*, which
   * sends no change event back to the disk's text). Its overlay goes, and when it is a file of
   * the active spec, the spec is read again from the open buffers and the disk. True when the
   * analysis changed.
   */
  async dropDocument(uri: vscode.Uri): Promise<boolean> {
    const repoPath = this.paths.toRepoPath(uri);
    if (repoPath === undefined) return false;
    this.diffStates.delete(repoPath);
    this.lastUpdateMs.delete(repoPath);
    let changed = this.overlays.delete(repoPath);
    const a = this.analysis;
    if (a && this.specOverlay && a.spec.files.includes(repoPath)) {
      const specOverlay = await this.reparseSpec(a);
      // A full refresh meanwhile read the disk itself.
      if (this.analysis !== a) return true;
      this.specOverlay = specOverlay;
      changed = true;
    }
    if (changed) this.recompute();
    return changed;
  }

  /** The document version a path's live analysis reflects, when it is an unsaved buffer. */
  analysedVersion(repoPath: string): number | undefined {
    return this.overlays.get(repoPath)?.version;
  }

  /** Base content of a repository path (null: not in the base), for reverting hunks. */
  async baseTextOf(repoPath: string): Promise<string | null | undefined> {
    const a = this.analysis;
    if (!a) return undefined;
    const disk = a.changeSet.changes.find((c) => c.path === repoPath);
    const b = await this.baseText(a, repoPath, disk);
    return b.ignored ? undefined : b.text;
  }

  private baseText(a: Analysis, repoPath: string, disk: FileChange | undefined): Promise<BaseText> {
    const key = repoPath;
    let p = this.baseTexts.get(key);
    if (!p) {
      p = this.loadBaseText(a, repoPath, disk).catch((err) => {
        this.baseTexts.delete(key);
        this.host.log.warn(`base content of ${repoPath}: ${err instanceof Error ? err.message : String(err)}`);
        return { text: null, ignored: true };
      });
      this.baseTexts.set(key, p);
      while (this.baseTexts.size > BASE_CACHE_SIZE) this.baseTexts.delete(this.baseTexts.keys().next().value as string);
    }
    return p;
  }

  private async loadBaseText(a: Analysis, repoPath: string, disk: FileChange | undefined): Promise<BaseText> {
    const commit = a.changeSet.base.commit;
    if (disk?.status === 'added' || commit === null) return { text: null };
    let blob = disk?.oldBlob;
    if (!blob) {
      this.host.countGit();
      const r = await a.git.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}:${disk?.oldPath ?? repoPath}`], {
        allowExit: [1, 128],
      });
      const id = r.stdout.trim();
      if (r.code === 0 && /^[0-9a-f]{40,64}$/.test(id)) blob = id;
    }
    if (!blob) {
      this.host.countGit();
      const ignored = await a.git.exec(['check-ignore', '--quiet', '--', repoPath], { allowExit: [1] });
      return ignored.code === 0 ? { text: null, ignored: true } : { text: null };
    }
    this.host.countGit();
    const bytes = await a.git.showBlob(blob);
    if (bytes.length > BASE_TEXT_CAP || looksBinary(bytes, repoPath)) return { text: null, ignored: true };
    return { text: bytes.toString('utf8'), blob };
  }

  /** Re-analyses the on-disk change set with the live buffers laid over it (pure, fast). */
  private recompute(): void {
    const a = this.analysis;
    if (!a) return;
    const spec = this.specOverlay?.spec ?? a.spec;
    this.activeSpec = spec;
    if (this.overlays.size === 0 && !this.specOverlay) {
      this.setReport(a.report);
      return;
    }
    const changes = a.changeSet.changes.filter((c) => !this.overlays.has(c.path));
    for (const o of this.overlays.values()) if (o.change) changes.push(o.change);
    changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    const specBlobs = this.specOverlay?.specBlobs ?? a.specBlobs;
    try {
      this.setReport(analyze(spec, { ...a.changeSet, changes }, { config: a.config, specBlobs, extraProtected: a.extraProtected, baseSpec: a.baseSpec, specIsNew: a.specIsNew, contentRead: true, workspaces: a.workspaces, registries: a.registries, otherSpecs: this.specs }));
    } catch (err) {
      this.fail(err);
    }
  }

  private setReport(report: Report | undefined): void {
    this.report = report;
    this.changesByPath.clear();
    for (const c of report?.changes ?? []) this.changesByPath.set(c.path, c);
  }
}

/** Two one-line notes of a folder as one (either may be absent). */
function joinNotes(a: string | undefined, b: string | undefined): string | undefined {
  return a !== undefined && b !== undefined ? `${a} ${b}` : (a ?? b);
}

/** What a folder that git ignores says (`following`: another folder shows the repository). */
function ignoredNote(root: string, following: boolean): string {
  return following
    ? `Git ignores this folder: it lies in the repository ${root}; none of this folder's files is part of a change.`
    : `Git ignores this folder: it lies in the repository ${root}, whose specs and change are shown; none of this folder's files is part of a change.`;
}

/**
 * The nearest folder at or above `dir` holding `.git` (a folder or a worktree file), by fs
 * only; like git, it does not go up into a folder listed in GIT_CEILING_DIRECTORIES.
 */
async function findRepoRoot(dir: string): Promise<string | undefined> {
  const ceilings = await ceilingDirectories();
  for (let d = dir; ; d = path.dirname(d)) {
    if (await isRepoRoot(d)) return d;
    const up = path.dirname(d);
    if (up === d || ceilings.has(up)) return undefined;
  }
}

async function ceilingDirectories(): Promise<Set<string>> {
  const list = (process.env.GIT_CEILING_DIRECTORIES ?? '').split(path.delimiter).filter((p) => path.isAbsolute(p));
  const out = new Set<string>();
  for (const p of list) {
    out.add(path.resolve(p));
    out.add(await realpath(p).catch(() => path.resolve(p)));
  }
  return out;
}

async function isRepoRoot(dir: string): Promise<boolean> {
  try {
    await stat(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}

/** The branch named in `.git/HEAD`, read as a file (no git runs). */
async function readBranch(repoRoot: string): Promise<string | undefined> {
  try {
    const head = await readFile(path.join(repoRoot, '.git', 'HEAD'), 'utf8');
    const m = /^ref: refs\/heads\/(.+)$/m.exec(head);
    return m?.[1]?.trim();
  } catch {
    return undefined;
  }
}
