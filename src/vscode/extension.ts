// Extension entry point. Activation is lazy (spec layouts' folders, views, commands) and
// fails loudly: an error during activation is shown to the user, not swallowed.
import * as vscode from 'vscode';

export interface SpecGateApi {
  readonly version: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<SpecGateApi> {
  const log = vscode.window.createOutputChannel('SpecGate', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('specgate.showOutput', () => log.show()));
  log.info('SpecGate activated');
  return { version: context.extension.packageJSON.version as string };
}

export function deactivate(): void {
  // Every disposable is owned by context.subscriptions.
}
