// SpecGate: Install Pre-commit Gate — installs the hook that runs `specgate verify --staged`
// with the CLI shipped in this extension. A hook SpecGate did not write is replaced only
// after the user agrees (the old one is kept as a backup).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UsageError } from '../../core/model';
import { installHook as install, type HookResult } from '../../node/hook';
import type { SpecGateModel } from '../model/types';
import { folderRoot, pickFolder, targetOf } from './target';
import { hookQuestionDetail } from '../messages';
import { showError, showInformation, showWarning } from '../notify';

export interface InstallHookArgs {
  root?: string;
  force?: boolean;
}

export async function installHook(model: SpecGateModel, extensionPath: string, arg: unknown): Promise<HookResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    void showWarning('SpecGate: the pre-commit gate can be installed only in a trusted workspace.');
    return undefined;
  }
  const state = await pickFolder(model, targetOf(arg), 'Repository to install the pre-commit gate in', {
    purpose: 'install the pre-commit gate',
    git: true,
    spec: false,
  });
  if (!state) return undefined;
  if (!state.repoRoot) {
    void showError(`SpecGate: ${state.folder.name} is not inside a git repository.`);
    return undefined;
  }
  const a = (arg && typeof arg === 'object' ? arg : {}) as InstallHookArgs;
  const options = {
    cwd: folderRoot(state),
    cliPath: path.join(extensionPath, 'dist', 'cli.js'),
    // Desktop VS Code runs on Electron, not node: let the hook find node on PATH there.
    nodePath: process.versions.electron ? 'node' : process.execPath,
  };
  let result: HookResult;
  try {
    result = await install({ ...options, force: a.force === true });
  } catch (err) {
    const edited = err instanceof UsageError && /is SpecGate's hook with edits of your own/.test(err.message);
    if (!(err instanceof UsageError) || a.force !== undefined || !(edited || /not written by SpecGate/.test(err.message))) throw err;
    const replace = 'Replace (keep a backup)';
    const choice = await showWarning(
      edited ? "SpecGate: the pre-commit hook is SpecGate's, with edits of your own." : 'SpecGate: a pre-commit hook that SpecGate did not write is already installed.',
      { modal: true, detail: hookQuestionDetail(err.message, replace) },
      replace,
    );
    if (choice !== replace) return undefined;
    result = await install({ ...options, force: true });
  }
  if (result.action === 'unchanged') {
    void showInformation(`SpecGate: the pre-commit gate is installed already (${result.path}); it was left as it is.`);
    return result;
  }
  if (result.action === 'gated') {
    void showInformation(`SpecGate: the pre-commit hook (${result.path}) already runs specgate verify --staged; it was left as it is.`);
    return result;
  }
  const backup = result.backup ? ` The previous hook is kept as ${path.basename(result.backup)}.` : '';
  void showInformation(
    `SpecGate: pre-commit gate ${result.action} (${result.path}). Commits now need a signed approval of the staged change.${backup}`,
  );
  return result;
}
