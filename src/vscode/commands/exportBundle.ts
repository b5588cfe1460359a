// SpecGate: Export Review Bundle — analyses the saved working tree against the active spec,
// writes the bundle (progress notification with Cancel: git is killed and nothing is left
// behind), then offers to open the packet or reveal the folder. Runs git, so only in a
// trusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { relativeWithin } from '../../node/within';
import { shownPath as revealedName } from '../../core/edits';
import { writeBundle } from '../../node/bundle';
import { analyzeRepository } from '../../node/engine';
import { nearMissText } from '../../node/specs';
import { revealBidi } from '../../core/render/reviewdata';
import { readSettings } from '../config';
import type { FolderState, SpecGateModel } from '../model/types';
import { contains, folderRoot, pickFolder, shownPath, targetOf } from './target';
import { showError, showInformation, showWarning } from '../notify';

export interface ExportArgs {
  root?: string;
  specId?: string;
  /** Folder to write the bundle under (default `.specgate/reviews/`). */
  out?: string;
  /** Ask nothing: no unsaved-files question, no "open / reveal" offer (tests, scripted use). */
  quiet?: boolean;
  /** Skip only the "open / reveal" offer: the caller goes on with the bundle (Approve). */
  noOffer?: boolean;
  /** Cancels the export as the notification's Cancel button does (scripted use, tests). */
  cancellation?: vscode.CancellationToken;
}

function isToken(v: unknown): v is vscode.CancellationToken {
  return typeof v === 'object' && v !== null && typeof (v as vscode.CancellationToken).onCancellationRequested === 'function';
}

/** Returns the absolute bundle folder, or undefined when cancelled. */
export async function exportBundle(model: SpecGateModel, log: vscode.LogOutputChannel, arg: unknown): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void showWarning('SpecGate: exporting a review bundle runs git, so it needs a trusted workspace.');
    return undefined;
  }
  const a = (arg && typeof arg === 'object' ? arg : {}) as ExportArgs;
  const t = targetOf(arg);
  const state = await pickFolder(model, t, 'Folder whose change to export', { purpose: 'export a review bundle', git: true, spec: true });
  if (!state) return undefined;
  const specId = t.specId ?? state.activeSpec?.id;
  if (!specId && state.specs.length === 0) {
    // Nothing to select: say how to make a spec, and offer to.
    // A folder laid out almost as a spec is named, with where SpecGate would read it.
    const create = 'New Spec';
    const why = state.nearMisses.length > 0 ? `; ${nearMissText(state.nearMisses)}` : '';
    void showWarning(
      `SpecGate: ${revealBidi(state.folder.name)} has no spec, so there is nothing to review the change against${why}; create one with SpecGate: New Spec.`,
      create,
    ).then((c) => c === create && vscode.commands.executeCommand('specgate.newSpec', { root: folderRoot(state) }));
    return undefined;
  }
  if (!specId) {
    void showWarning('SpecGate: select the active spec first (SpecGate: Select Active Spec).');
    return undefined;
  }
  const root = folderRoot(state);
  const unsaved = vscode.workspace.textDocuments.filter(
    (d) => d.isDirty && d.uri.scheme === 'file' && (state.paths.toRepoPath(d.uri) !== undefined || contains(root, d.uri.fsPath)),
  );
  if (unsaved.length > 0 && !a.quiet) {
    const save = 'Save All and Export';
    const anyway = 'Export Saved Content';
    const choice = await showWarning(
      `SpecGate: ${unsaved.length} file(s) have unsaved changes; a bundle holds what is on disk.`,
      save,
      anyway,
    );
    if (!choice) return undefined;
    if (choice === save) {
      await vscode.workspace.saveAll(false);
      // A save that failed (a read-only file, a folder where the file was) leaves the disk
      // behind the editor: a bundle now would not hold what the user asked to save.
      const failed = unsaved.filter((d) => d.isDirty);
      if (failed.length > 0) {
        const names = failed.slice(0, 3).map((d) => revealedName(vscode.workspace.asRelativePath(d.uri))).join(', ');
        void showError(`SpecGate: ${failed.length} file(s) could not be saved (${names}${failed.length > 3 ? ', …' : ''}); nothing was exported.`);
        return undefined;
      }
    }
  }
  // A second click while the folder's export runs would make a second, identical bundle.
  if (exporting.has(root)) {
    void showInformation('SpecGate: a review bundle of this folder is being exported already.');
    return undefined;
  }
  exporting.add(root);
  try {
    return await exportWithProgress(state, root, specId, a, log);
  } finally {
    exporting.delete(root);
  }
}

/** Repository roots whose bundle is being written. */
const exporting = new Set<string>();

async function exportWithProgress(state: FolderState, root: string, specId: string, a: ExportArgs, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const settings = readSettings(state.folder.uri);
  const abort = new AbortController();
  const dir = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SpecGate: exporting the review bundle', cancellable: true },
    async (progress, token) => {
      const subs = [token, ...(isToken(a.cancellation) ? [a.cancellation] : [])].map((t) => {
        if (t.isCancellationRequested) abort.abort();
        return t.onCancellationRequested(() => abort.abort());
      });
      const { signal } = abort;
      try {
        progress.report({ message: 'analysing the change…' });
        const analysis = await analyzeRepository({
          cwd: root,
          spec: specId,
          base: settings.baseRef || undefined,
          extraProtected: [...settings.protectedPaths],
          signal,
        });
        return await writeBundle(
          { report: analysis.report, spec: analysis.spec, git: analysis.git, changeSet: analysis.changeSet, specContents: analysis.specContents },
          { ...(a.out !== undefined ? { out: a.out } : {}), signal, onProgress: (message) => progress.report({ message }) },
        );
      } catch (err) {
        if (signal.aborted) return undefined;
        throw err;
      } finally {
        for (const sub of subs) sub.dispose();
      }
    },
  );
  if (dir === undefined) {
    log.info('review bundle export cancelled; nothing was written');
    void showInformation('SpecGate: export cancelled, nothing written.');
    return undefined;
  }
  log.info(`review bundle written: ${dir}`);
  if (!a.quiet && !a.noOffer) {
    const open = 'Open Packet';
    const reveal = 'Reveal Folder';
    void showInformation(`SpecGate: review bundle written to ${shownPath(state, dir)}.`, open, reveal).then((c) => {
      if (c === open) void vscode.commands.executeCommand('specgate.openPacket', { root, bundleDir: dir });
      if (c === reveal) void revealBundle(state, dir, log);
    });
  }
  return dir;
}

/**
 * Shows the bundle folder: in the Explorer when the workspace holds it (everywhere, also in
 * a browser or a remote window, where the operating system's file manager is out of reach),
 * else in the file manager on a local desktop, else by its path in a message.
 */
async function revealBundle(state: FolderState, dir: string, log: vscode.LogOutputChannel): Promise<void> {
  const rel = relativeWithin(folderRoot(state), dir);
  const uri = rel === undefined ? vscode.Uri.file(dir) : state.paths.toUri(rel.split(path.sep).join('/'));
  try {
    if (vscode.workspace.getWorkspaceFolder(uri)) {
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    }
    if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
      await vscode.commands.executeCommand('revealFileInOS', uri);
      return;
    }
  } catch (err) {
    log.warn(`reveal ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  void showInformation(`SpecGate: the review bundle is in ${dir}.`);
}
