// SpecGate: Open Review Packet — shows a bundle in the review panel: the one given, else the
// current change's bundle, else a folder the user picks.
import * as vscode from 'vscode';
import { editorMessage } from '../messages';
import type { SpecGateModel } from '../model/types';
import type { PanelState } from '../webview/panelData';
import type { OpenedPanel, ReviewPanels } from '../webview/reviewPanel';
import type { VerifyCache } from '../sidebar/verifyCache';
import { bundleDirOf, currentReview, panelStateFor } from './currentReview';
import { folderRoot, pickFolder, targetOf } from './target';
import { showError } from '../notify';

export async function openPacket(model: SpecGateModel, panels: ReviewPanels, verified: VerifyCache, arg: unknown): Promise<OpenedPanel | undefined> {
  const t = targetOf(arg);
  const state = await pickFolder(model, t, 'Folder whose review packet to open', { purpose: 'open a review packet', git: false, spec: true });
  let bundleDir = t.bundleDir ? bundleDirOf(t.bundleDir) : undefined;
  let stateLine: PanelState | undefined;
  if (state) {
    const review = await currentReview(state);
    bundleDir ??= review.bundle?.dir;
    if (bundleDir !== undefined) stateLine = await panelStateFor(state, review, bundleDir, verified);
  }
  if (!bundleDir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      openLabel: 'Open Review Bundle',
      title: 'No bundle for the current change: pick a review bundle folder',
      ...(state ? { defaultUri: vscode.Uri.joinPath(vscode.Uri.file(folderRoot(state)), '.specgate', 'reviews') } : {}),
    });
    if (!picked?.[0]) return undefined;
    bundleDir = picked[0].fsPath;
  }
  const root = state ? folderRoot(state) : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? bundleDir);
  try {
    return await panels.open(bundleDir, root, stateLine);
  } catch (err) {
    void showError(`SpecGate: ${editorMessage((err as Error).message)}`);
    return undefined;
  }
}
