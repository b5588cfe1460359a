// SpecGate: Verify Approval — runs the same check as `specgate verify` (the pre-commit gate)
// and shows its one-line reason.
import * as vscode from 'vscode';
import { verify, type VerifyOutcome } from '../../node/approvals';
import { readSettings } from '../config';
import { editorMessage } from '../messages';
import type { SpecGateModel } from '../model/types';
import { folderRoot, pickFolder, targetOf } from './target';
import { showInformation, showWarning } from '../notify';

export interface VerifyArgs {
  root?: string;
  /** Check the index against HEAD, as the pre-commit hook does. */
  staged?: boolean;
  quiet?: boolean;
}

export async function verifyCommand(model: SpecGateModel, arg: unknown): Promise<VerifyOutcome | undefined> {
  if (!vscode.workspace.isTrusted) {
    void showWarning('SpecGate: verifying runs git and ssh-keygen, so it needs a trusted workspace.');
    return undefined;
  }
  const a = (arg && typeof arg === 'object' ? arg : {}) as VerifyArgs;
  const t = targetOf(arg);
  const state = await pickFolder(model, t, 'Folder whose approval to verify', { purpose: 'verify an approval', git: true, spec: true });
  if (!state) return undefined;
  const settings = readSettings(state.folder.uri);
  const outcome = await verify({
    cwd: folderRoot(state),
    ...(t.specId ?? state.activeSpec?.id ? { spec: t.specId ?? state.activeSpec!.id } : {}),
    ...(a.staged ? { staged: true } : settings.baseRef ? { base: settings.baseRef } : {}),
  });
  if (!a.quiet) {
    const text = `SpecGate: ${editorMessage(outcome.reason)}`;
    if (outcome.ok) void showInformation(text);
    else void showWarning(text);
  }
  return outcome;
}
