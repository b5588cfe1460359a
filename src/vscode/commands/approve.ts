// SpecGate: Approve / Reject Review Packet — signs a decision over the bundle's digest with
// the reviewer's SSH key (asked with a file picker the first time, remembered in the
// `specgate.approve.keyPath` setting once it has signed), through the same code as
// `specgate approve`. A remembered key that cannot sign can be replaced from the error.
// A change has one record: replacing another reviewer's asks first (a modal naming them and
// their decision; Cancel writes nothing), and the message says what a decision replaced.
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { approve, describeEarlier, ReplaceDeclined, type ApproveResult, type EarlierRecord } from '../../node/approvals';
import { editorMessage } from '../messages';
import type { SpecGateModel } from '../model/types';
import { UsageError } from '../../core/model';
import { bundleDirOf, currentReview } from './currentReview';
import { folderRoot, pickFolder, shownPath, targetOf } from './target';
import { showError, showInformation, showWarning } from '../notify';

export interface ApproveArgs {
  root?: string;
  bundleDir?: string;
  /** SSH private key; given, no key prompt is shown and the setting is left alone. */
  keyPath?: string;
  /** Given (even empty), no comment prompt is shown. */
  comment?: string;
  /** Ask for the key even when one is remembered (after the remembered one failed). */
  chooseKey?: boolean;
}

const KEY_SETTING = 'approve.keyPath';

/** The modal asked before another reviewer's record of this change is replaced: true to replace it. */
async function confirmReplace(earlier: EarlierRecord, decision: 'approved' | 'rejected'): Promise<boolean> {
  const replace = decision === 'approved' ? 'Replace with My Approval' : 'Replace with My Rejection';
  const theirs = earlier.decision === 'rejected' ? 'rejection' : 'approval';
  const choice = await showWarning(
    `SpecGate: another reviewer's ${theirs} of this change would be replaced.`,
    {
      modal: true,
      // Record text is one line with control characters shown (approvals.ts); showWarning shows no link in it.
      detail: `${earlier.rel} holds ${describeEarlier(earlier)}. A change has one record, so your ${decision === 'approved' ? 'approval' : 'rejection'} replaces it.`,
    },
    replace,
  );
  return choice === replace;
}

interface ChosenKey {
  key: string;
  /** Taken from the setting (else just picked: remembered only after it signed). */
  remembered: boolean;
}

async function askKey(choose: boolean): Promise<ChosenKey | undefined> {
  const config = vscode.workspace.getConfiguration('specgate');
  const setting = config.get<unknown>(KEY_SETTING);
  const remembered = typeof setting === 'string' ? setting.trim() : '';
  if (!choose && remembered && existsSync(remembered)) return { key: remembered, remembered: true };
  const ssh = path.join(os.homedir(), '.ssh');
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: 'Sign with This Key',
    title: 'SSH private key to sign the review decision with',
    ...(existsSync(ssh) ? { defaultUri: vscode.Uri.file(ssh) } : {}),
  });
  const key = picked?.[0]?.fsPath;
  return key ? { key, remembered: false } : undefined;
}

export async function approveCommand(
  model: SpecGateModel,
  log: vscode.LogOutputChannel,
  decision: 'approved' | 'rejected',
  arg: unknown,
): Promise<ApproveResult | undefined> {
  const verb = decision === 'approved' ? 'approve' : 'reject';
  if (!vscode.workspace.isTrusted) {
    void showWarning(`SpecGate: to ${verb} a change SpecGate runs git and ssh-keygen, so it needs a trusted workspace.`);
    return undefined;
  }
  const a = (arg && typeof arg === 'object' ? arg : {}) as ApproveArgs;
  const t = targetOf(arg);
  const state = await pickFolder(model, t, `Folder whose change to ${verb}`, { purpose: `${verb} a change`, git: true, spec: true });
  if (!state) return undefined;
  const root = folderRoot(state);
  let bundleDir = t.bundleDir ? bundleDirOf(t.bundleDir) : undefined;
  if (!bundleDir) {
    const review = await currentReview(state);
    bundleDir = review.bundle?.dir;
  }
  if (!bundleDir) {
    const exportFirst = 'Export Review Bundle';
    const choice = await showWarning(`SpecGate: there is no review bundle of the current change to ${verb}.`, exportFirst);
    if (choice !== exportFirst) return undefined;
    // The Export command's own path: it asks about unsaved files as it does from the palette.
    bundleDir = await vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root, noOffer: true });
    if (!bundleDir) return undefined;
  }
  const chosen: ChosenKey | undefined = a.keyPath !== undefined ? { key: a.keyPath, remembered: false } : await askKey(a.chooseKey === true);
  if (!chosen) return undefined;
  const key = chosen.key;
  let comment = a.comment;
  if (comment === undefined) {
    comment = await vscode.window.showInputBox({
      title: decision === 'approved' ? 'Approve the change' : 'Reject the change',
      prompt: decision === 'approved' ? 'Comment stored in the signed record (optional)' : 'Why is the change rejected? (stored in the signed record)',
      ignoreFocusOut: true,
    });
    if (comment === undefined) return undefined;
  }
  let result: ApproveResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SpecGate: signing the ${decision === 'approved' ? 'approval' : 'rejection'}` },
      // No terminal here: a passphrase-protected key must come through ssh-agent (never a hidden prompt).
      () =>
        approve({
          cwd: root,
          path: bundleDir!,
          key,
          reject: decision === 'rejected',
          comment: comment ?? '',
          ssh: { interactive: false },
          confirmReplace: (earlier) => confirmReplace(earlier, decision),
        }),
    );
  } catch (err) {
    if (err instanceof ReplaceDeclined) {
      log.info(`${decision}: kept ${err.earlier.rel}, nothing written`);
      return undefined;
    }
    // A remembered key that cannot sign (a public key picked by mistake, a key since
    // replaced) would fail every time: offer to choose another one.
    if (!chosen.remembered || !(err instanceof UsageError) || !err.message.includes(key)) throw err;
    const other = 'Choose Another Key';
    const choice = await showError(`SpecGate: ${editorMessage(err.message)}`, other);
    if (choice !== other) return undefined;
    return approveCommand(model, log, decision, { root, bundleDir, comment, chooseKey: true });
  }
  if (a.keyPath === undefined && !chosen.remembered) {
    await vscode.workspace.getConfiguration('specgate').update(KEY_SETTING, key, vscode.ConfigurationTarget.Global);
  }
  log.info(`${decision} record written: ${result.file}`);
  const rel = shownPath(state, result.file);
  // What was replaced comes first: a notification shows its first line only until expanded.
  const replaced = `${result.replaced ? `; ${result.replaced.message}` : ''}${result.note ? `; ${result.note}` : ''}`;
  if (result.warning) void showWarning(`SpecGate: ${decision}${replaced} (${rel}), but: ${editorMessage(result.warning)}`);
  else void showInformation(`SpecGate: ${decision === 'approved' ? 'approved' : 'rejected'} and signed${replaced} (${rel}).`);
  return result;
}
