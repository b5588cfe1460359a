// SpecGate: Install Pre-commit Gate — installs the hook that runs `specgate verify --staged`.
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

export async function installHook(_model: SpecGateModel, _arg: unknown): Promise<string | undefined> {
  void vscode.window.showWarningMessage('SpecGate: installing the hook is not available in this build yet.');
  return undefined;
}
