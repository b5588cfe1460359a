// SpecGate: Select Active Spec — a quick pick of every spec in every folder (or the spec
// given by a tree node / argument); the choice is remembered per workspace by the model.
import * as vscode from 'vscode';
import { shownFolderNames } from '../sidebar/folderInput';
import { plural } from '../sidebar/nodes';
import { revealBidi } from '../../core/render/reviewdata';
import { isArchivedChange } from '../../core/spec/resolve';
import type { SpecGateModel } from '../model/types';
import { pickFolder, targetOf } from './target';
import { showError, showInformation } from '../notify';

export async function selectSpec(model: SpecGateModel, arg: unknown): Promise<string | undefined> {
  const t = targetOf(arg);
  if (t.specId) {
    const state = await pickFolder(model, t, 'Folder of the spec', { purpose: 'select a spec', git: false, spec: false });
    const spec = state?.specs.find((s) => s.id === t.specId || s.name === t.specId);
    if (!state || !spec) {
      void showError(`SpecGate: no spec ${t.specId} in this workspace.`);
      return undefined;
    }
    await model.setActiveSpec(state.folder, spec.id);
    return spec.id;
  }
  const folders = model.folders();
  const multi = folders.length > 1;
  const names = shownFolderNames(folders);
  // Each folder's active spec first: with forty specs it is the one most often looked for.
  const activeFirst = (state: (typeof folders)[number]) => [...state.specs].sort((a, b) => Number(b.id === state.activeSpec?.id) - Number(a.id === state.activeSpec?.id));
  const items = folders.flatMap((state) =>
    activeFirst(state).map((spec) => ({
      label: `${spec.id === state.activeSpec?.id ? '$(target) ' : ''}${revealBidi(spec.name)}`,
      description: revealBidi(multi ? `${names.get(state) ?? state.folder.name} · ${spec.id}` : spec.id),
      detail: [spec.format, plural(spec.requirements.length, 'requirement'), plural(spec.tasks.length, 'task'), ...(isArchivedChange(spec.id) ? ['archived'] : [])].join(' · '),
      state,
      spec,
    })),
  );
  if (items.length === 0 && folders.length === 0) {
    // No folder: a spec lives in a repository, so Create a Spec could only fail.
    const open = 'Open Folder';
    const choice = await showInformation('SpecGate: no folder is open; open the repository whose spec you want to select.', open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  if (items.length === 0) {
    const create = 'Create a Spec';
    const choice = await showInformation('SpecGate: no spec found in this workspace.', create);
    if (choice === create) await vscode.commands.executeCommand('specgate.newSpec');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, {
    placeHolder: 'Select the spec the current change implements',
    matchOnDescription: true,
  });
  if (!pick) return undefined;
  await model.setActiveSpec(pick.state.folder, pick.spec.id);
  return pick.spec.id;
}
