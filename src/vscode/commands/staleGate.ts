// A pre-commit gate that names a SpecGate CLI that is gone (the folder of an earlier version
// of this extension, which VS Code removes on update, or a moved clone) refuses every commit.
// After the first analysis, each repository of the workspace is looked at once, and the user
// is offered to install the gate again with this version's CLI. Nothing is written unasked.
import * as vscode from 'vscode';
import { staleGate } from '../../node/hook';
import { CommandId } from '../commandIds';
import type { SpecGateModel } from '../model/types';
import { shownPath } from '../../core/edits';
import { showWarning } from '../notify';

export const UPDATE_GATE = 'Install the Gate Again';

/** Looks at each repository's gate once, and asks about those that name a CLI that is gone. */
export async function offerToMendGates(model: SpecGateModel, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.isTrusted) return;
  const roots = [...new Set(model.folders().map((s) => s.repoRoot).filter((r): r is string => r !== undefined))];
  await Promise.all(
    roots.map(async (root) => {
      const stale = await staleGate(root);
      if (!stale) return;
      log.warn(`the pre-commit gate ${stale.path} runs ${stale.cli}, which is gone`);
      const choice = await showWarning(
        `SpecGate: the pre-commit gate of ${shownPath(root)} runs a SpecGate that is gone (${shownPath(stale.cli)}), so every commit there is refused. Install the gate again with this version?`,
        UPDATE_GATE,
      );
      if (choice === UPDATE_GATE) await vscode.commands.executeCommand(CommandId.InstallHook, { root });
    }),
  );
}
