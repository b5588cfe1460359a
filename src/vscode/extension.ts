// Extension entry point. Activation is lazy (spec layouts' folders, views, commands) and
// fails loudly: an error during activation is shown to the user, not swallowed.
// Wires one live model (src/vscode/model) to the editor features (code lenses, diagnostics,
// quick fixes), the sidebar and the commands, and returns the API tests read state through.
import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import { Settings } from './config';
import { registerCommands } from './commands/register';
import { registerCodeActions } from './editor/codeActions';
import { CodeLensController } from './editor/codeLens';
import { DiagnosticsController } from './editor/diagnostics';
import { registerFixCommands } from './editor/fixCommands';
import { WorkspaceModel } from './model/workspaceModel';
import { registerSidebar, type SidebarApi } from './sidebar/register';
import { VerifyCache } from './sidebar/verifyCache';
import { showError } from './notify';
import { offerToMendGates } from './commands/staleGate';
import type { ReviewPanelSerializer } from './webview/panelSerializer';

export interface SpecGateApi {
  readonly version: string;
  /** The live model every view and editor feature reads. */
  readonly model: WorkspaceModel;
  readonly trees: SidebarApi['trees'];
  /** Does what clicking a sidebar item does (tests). */
  readonly click: SidebarApi['click'];
  /** The status bar item's text (tests). */
  readonly statusText: SidebarApi['statusText'];
  readonly diagnostics: vscode.DiagnosticCollection;
  /**
   * Test hook: a second model over the same workspace with trust forced (e.g. `false`, since
   * the test host runs with workspace trust disabled), and optionally without its file system
   * watcher (`watchFiles: false`, so commits reach it only through the git extension). The
   * caller disposes it.
   */
  createModel(options: { trusted: boolean; watchFiles?: boolean }): WorkspaceModel;
  /** The serializer that restores the review panel after a window reload (tests call it with a panel and a saved state). */
  readonly reviewSerializer: ReviewPanelSerializer;
}

export async function activate(context: vscode.ExtensionContext): Promise<SpecGateApi> {
  const log = vscode.window.createOutputChannel('SpecGate', { log: true });
  context.subscriptions.push(log);
  try {
    context.subscriptions.push(vscode.commands.registerCommand(CommandId.ShowOutput, () => log.show()));
    const settings = new Settings();
    const model = new WorkspaceModel({ settings, workspaceState: context.workspaceState, log });
    context.subscriptions.push(settings, model);
    const diagnostics = new DiagnosticsController(model, settings);
    context.subscriptions.push(
      diagnostics,
      new CodeLensController(model, settings),
      registerCodeActions(model),
      registerFixCommands(model, log),
    );
    const first = model.refresh().catch((err) => log.error(`first analysis: ${err instanceof Error ? err.message : String(err)}`));
    // The Review view and the review panel show one verification outcome of an approval.
    const verified = new VerifyCache(log);
    // A bundle or record the commands wrote reaches the Review view at once, not through a
    // file watcher and a re-analysis (seconds on a big change).
    const reviewWritten = new vscode.EventEmitter<void>();
    context.subscriptions.push(reviewWritten);
    const sidebar = registerSidebar(context, model, log, first, verified, reviewWritten.event);
    const { reviewSerializer } = registerCommands(context, model, log, verified, () => first.then(() => model.idle()), () => reviewWritten.fire());
    // A gate left naming an earlier version's CLI refuses every commit: offered to mend, once.
    void first.then(() => offerToMendGates(model, log)).catch((err) => log.error(`checking the pre-commit gates: ${err instanceof Error ? err.message : String(err)}`));
    log.info(`SpecGate activated (${vscode.workspace.isTrusted ? 'trusted' : 'untrusted'} workspace)`);
    return {
      version: context.extension.packageJSON.version as string,
      model,
      trees: sidebar.trees,
      click: sidebar.click,
      statusText: sidebar.statusText,
      diagnostics: diagnostics.collection,
      createModel: ({ trusted, watchFiles }) => new WorkspaceModel({ settings, workspaceState: context.workspaceState, log, trusted, watchFiles }),
      reviewSerializer,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`activation failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
    void showError(`SpecGate could not start: ${message}`, 'Show Log').then((c) => c && log.show());
    throw err;
  }
}

export function deactivate(): void {
  // Every disposable is owned by context.subscriptions.
}
