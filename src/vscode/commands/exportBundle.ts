// SpecGate: Export Review Bundle — analyses the saved working tree against the active spec,
// writes the bundle (progress notification), then offers to open the packet or reveal the
// folder. Runs git, so only in a trusted workspace.
import * as vscode from 'vscode';
import { writeBundle } from '../../node/bundle';
import { analyzeRepository } from '../../node/engine';
import { readSettings } from '../config';
import type { SpecGateModel } from '../model/types';
import { contains, folderRoot, pickFolder, shownPath, targetOf } from './target';

export interface ExportArgs {
  root?: string;
  specId?: string;
  /** Folder to write the bundle under (default `.specgate/reviews/`). */
  out?: string;
  /** Skip the "open / reveal" offer (tests, scripted use). */
  quiet?: boolean;
}

/** Returns the absolute bundle folder, or undefined when cancelled. */
export async function exportBundle(model: SpecGateModel, log: vscode.LogOutputChannel, arg: unknown): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('SpecGate: exporting a review bundle runs git, so it needs a trusted workspace.');
    return undefined;
  }
  const a = (arg && typeof arg === 'object' ? arg : {}) as ExportArgs;
  const t = targetOf(arg);
  const state = await pickFolder(model, t, 'Folder whose change to export', { purpose: 'export a review bundle', git: true, spec: true });
  if (!state) return undefined;
  const specId = t.specId ?? state.activeSpec?.id;
  if (!specId) {
    void vscode.window.showWarningMessage('SpecGate: select the active spec first (SpecGate: Select Active Spec).');
    return undefined;
  }
  const root = folderRoot(state);
  const unsaved = vscode.workspace.textDocuments.filter(
    (d) => d.isDirty && d.uri.scheme === 'file' && (state.paths.toRepoPath(d.uri) !== undefined || contains(root, d.uri.fsPath)),
  );
  if (unsaved.length > 0 && !a.quiet) {
    const save = 'Save All and Export';
    const anyway = 'Export Saved Content';
    const choice = await vscode.window.showWarningMessage(
      `SpecGate: ${unsaved.length} file(s) have unsaved changes; a bundle holds what is on disk.`,
      save,
      anyway,
    );
    if (!choice) return undefined;
    if (choice === save) await vscode.workspace.saveAll(false);
  }
  const settings = readSettings(state.folder.uri);
  const dir = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SpecGate: exporting the review bundle', cancellable: false },
    async (progress) => {
      progress.report({ message: 'analysing the change…' });
      const analysis = await analyzeRepository({
        cwd: root,
        spec: specId,
        base: settings.baseRef || undefined,
        extraProtected: [...settings.protectedPaths],
      });
      progress.report({ message: 'writing the bundle…' });
      return writeBundle(
        { report: analysis.report, spec: analysis.spec, git: analysis.git, changeSet: analysis.changeSet, specContents: analysis.specContents },
        a.out !== undefined ? { out: a.out } : {},
      );
    },
  );
  log.info(`review bundle written: ${dir}`);
  if (!a.quiet) {
    const open = 'Open Packet';
    const reveal = 'Reveal Folder';
    void vscode.window.showInformationMessage(`SpecGate: review bundle written to ${shownPath(state, dir)}.`, open, reveal).then((c) => {
      if (c === open) void vscode.commands.executeCommand('specgate.openPacket', { root, bundleDir: dir });
      if (c === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
    });
  }
  return dir;
}
