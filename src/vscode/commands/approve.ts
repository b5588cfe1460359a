// SpecGate: Approve / Reject Review Packet — signs a decision over the bundle's digest with
// the reviewer's SSH key (asked with a file picker, remembered in specgate.approve.keyPath).
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

export async function approveCommand(
  _model: SpecGateModel,
  _log: vscode.LogOutputChannel,
  _decision: 'approved' | 'rejected',
  _arg: unknown,
): Promise<string | undefined> {
  void vscode.window.showWarningMessage('SpecGate: signing approvals is not available in this build yet.');
  return undefined;
}
