// SpecGate: Export Review Bundle — writes the bundle for the current change (progress
// notification), then offers to open the packet or reveal the folder.
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

export async function exportBundle(_model: SpecGateModel, _log: vscode.LogOutputChannel, _arg: unknown): Promise<string | undefined> {
  void vscode.window.showWarningMessage('SpecGate: exporting bundles is not available in this build yet.');
  return undefined;
}
