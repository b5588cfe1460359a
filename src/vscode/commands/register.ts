// Registers every SpecGate command the sidebar and the command palette offer. Each command
// takes an optional first argument (a tree node, a target object or a path) so it can run
// without prompts from tests and menus, and returns its result.
import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { editorMessage } from '../messages';
import type { SpecGateModel } from '../model/types';
import { REVIEW_VIEW_TYPE, ReviewPanels } from '../webview/reviewPanel';
import { newSpec } from './newSpec';
import { restoreFile } from './restoreFile';
import { fixSpecFolder } from './fixSpecFolder';
import { readIgnoredSpec } from './readIgnoredSpec';
import { openPacket } from './openPacket';
import { selectSpec } from './selectSpec';
import { approveCommand } from './approve';
import { exportBundle } from './exportBundle';
import { installHook } from './installHook';
import { verifyCommand } from './verify';
import { currentReview, panelStateFor } from './currentReview';
import type { VerifyCache } from '../sidebar/verifyCache';
import { folderRoot } from './target';
import { showError } from '../notify';
import { ReviewPanelSerializer } from '../webview/panelSerializer';

/** How long the change must rest before the review panel's state line follows it. */
const PANEL_STATE_DELAY_MS = 300;

export function registerCommands(
  context: vscode.ExtensionContext,
  model: SpecGateModel,
  log: vscode.LogOutputChannel,
  verified: VerifyCache,
  settled: () => Promise<void>,
  /** A bundle or an approval record was written (the Review view reads them again). */
  wroteReview: () => void,
): { reviewSerializer: ReviewPanelSerializer } {
  const panels = new ReviewPanels(
    context.extensionUri,
    log,
    (action, bundleDir, root) => {
      if (action === 'export') {
        // Export Again (an outdated bundle): the new bundle then shows in the panel.
        void vscode.commands.executeCommand<string | undefined>(CommandId.ExportBundle, { root, noOffer: true }).then((dir) => {
          if (dir !== undefined) void vscode.commands.executeCommand(CommandId.OpenPacket, { root, bundleDir: dir });
        });
        return;
      }
      void vscode.commands.executeCommand(action === 'approve' ? CommandId.Approve : CommandId.Reject, { bundleDir });
    },
    // A file opened from the panel is the one the workspace folder names (a symlinked folder too).
    (root, repoPath) =>
      model.folders().find((s) => !s.owner && (s.repoRoot ?? s.folder.uri.fsPath) === root)?.paths.toUri(repoPath) ??
      vscode.Uri.joinPath(vscode.Uri.file(root), ...repoPath.split('/')),
  );
  // What the panel's state line was last worked out from: the bundle shown and the change's digest.
  let panelKey: string | undefined;
  /**
   * Sets the panel's state line from the current change. Reading the review records is done
   * only when the bundle or the change's digest is another than last time, or when `reread`
   * (a record or bundle was written).
   */
  const refreshPanel = async (reread: boolean): Promise<void> => {
    const shown = panels.shown();
    if (!shown) return;
    const state = model.folders().find((s) => !s.owner && folderRoot(s) === shown.root);
    const report = state?.report;
    if (!state || !report) return;
    const key = `${shown.bundleDir}\0${report.digest}`;
    if (!reread && key === panelKey) return;
    panelKey = key;
    // An outdated bundle needs no record read: only the digests tell.
    const review = shown.digest === report.digest ? await currentReview(state) : { status: 'not-exported' as const, digest: report.digest };
    const line = await panelStateFor(state, review, shown.bundleDir, verified, shown.digest);
    if (line !== undefined) panels.setState(shown.bundleDir, line);
  };
  const guard =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        log.error(`${name}: ${err instanceof Error && err.stack ? err.stack : msg}`);
        void showError(`SpecGate: ${editorMessage(msg)}`);
        return undefined;
      }
    };
  const reg = (id: string, fn: (arg?: unknown) => Promise<unknown>): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, guard(id, fn)));
  };
  context.subscriptions.push(panels);
  // The review panel comes back after a window reload, showing the bundle it showed.
  const reviewSerializer = new ReviewPanelSerializer(
    panels,
    {
      trusted: () => vscode.workspace.isTrusted,
      // Bundles are written to the .specgate/reviews/ of the root each folder's analysis uses.
      roots: async () => {
        await settled();
        return [...new Set(model.folders().filter((s) => !s.owner).map(folderRoot))];
      },
      stateFor: async (bundleDir, root) => {
        const state = model.folders().find((s) => !s.owner && folderRoot(s) === root);
        return state ? panelStateFor(state, await currentReview(state), bundleDir, verified) : undefined;
      },
      onDidGrantTrust: vscode.workspace.onDidGrantWorkspaceTrust,
    },
    log,
  );
  context.subscriptions.push(reviewSerializer, vscode.window.registerWebviewPanelSerializer(REVIEW_VIEW_TYPE, reviewSerializer));
  reg(CommandId.SelectSpec, (arg) => selectSpec(model, arg));
  reg(CommandId.Refresh, () => model.refresh());
  reg(CommandId.ExportBundle, async (arg) => {
    const dir = await exportBundle(model, log, arg);
    if (dir !== undefined) wroteReview();
    return dir;
  });
  reg(CommandId.OpenPacket, async (arg) => {
    const opened = await openPacket(model, panels, verified, arg);
    if (opened) await refreshPanel(true);
    return opened;
  });
  // After a decision, the review panel (when it shows that bundle) says so at once.
  const decide = async (decision: 'approved' | 'rejected', arg: unknown) => {
    const result = await approveCommand(model, log, decision, arg);
    if (result) {
      wroteReview();
      await refreshPanel(true);
    }
    return result;
  };
  // The panel's state line follows the change as the Review view does: a bundle of an earlier
  // state is out of date (no Approve), and one made current again (an edit undone) is not.
  // A record written outside the editor (`specgate approve` in a terminal) is read again too.
  let panelTimer: ReturnType<typeof setTimeout> | undefined;
  let reread = false;
  const panelLater = (records: boolean): void => {
    if (!panels.shown()) return;
    reread ||= records;
    if (panelTimer) clearTimeout(panelTimer);
    panelTimer = setTimeout(() => {
      panelTimer = undefined;
      const again = reread;
      reread = false;
      void refreshPanel(again).catch((err) => log.warn(`review panel state: ${err instanceof Error ? err.message : String(err)}`));
    }, PANEL_STATE_DELAY_MS);
  };
  const records = vscode.workspace.createFileSystemWatcher('**/.specgate/approvals/**');
  context.subscriptions.push(
    model.onDidChange(() => panelLater(false)),
    records,
    records.onDidCreate(() => panelLater(true)),
    records.onDidChange(() => panelLater(true)),
    records.onDidDelete(() => panelLater(true)),
    { dispose: () => panelTimer && clearTimeout(panelTimer) },
  );
  reg(CommandId.Approve, (arg) => decide('approved', arg));
  reg(CommandId.Reject, (arg) => decide('rejected', arg));
  reg(CommandId.Verify, (arg) => verifyCommand(model, arg));
  reg(CommandId.InstallHook, (arg) => installHook(model, context.extensionPath, arg));
  reg(CommandId.NewSpec, (arg) => newSpec(model, arg));
  reg(CommandId.RestoreFile, (arg) => restoreFile(model, arg));
  reg(CommandId.FixSpecFolder, (arg) => fixSpecFolder(model, arg));
  reg(CommandId.ReadIgnoredSpec, (arg) => readIgnoredSpec(model, arg));
  return { reviewSerializer };
}
