// SpecGate: Verify Approval — runs the same check as `specgate verify` and shows its
// one-line reason.
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

export async function verifyCommand(_model: SpecGateModel, _arg: unknown): Promise<{ ok: boolean; reason: string } | undefined> {
  void vscode.window.showWarningMessage('SpecGate: verification is not available in this build yet.');
  return undefined;
}
