// The three fixes behind the code lenses and quick fixes. Each computes its text edits with
// src/core/edits and applies them as ONE WorkspaceEdit (one undo restores the previous text
// exactly; nothing is saved). Add to scope and Link to task edit the spec and reveal the
// edited line; Revert hunk restores the hunk's base content in the document.
import * as vscode from 'vscode';
import { addToScopeEdit, linkRefusal, linkToTaskEdit, revertHunkEdit, shownPath, type TextEditLike } from '../../core/edits';
import { liveDiff } from '../../core/livediff';
import { UsageError, type Hunk, type Spec, type Task } from '../../core/model';
import { revealBidi } from '../../core/render/reviewdata';
import { CommandId } from '../commandIds';
import { editorMessage } from '../messages';
import { toRange, toWorkspaceEdit } from '../convert';
import type { FolderEngine } from '../model/folderEngine';
import { LIVE_DIFF_LIMITS } from '../model/overlay';
import type { WorkspaceModel } from '../model/workspaceModel';
import { plainTitle } from '../../core/render/plainTitle';
import { showError, showInformation } from '../notify';
import { readOnlyReason } from './readonly';

interface Target {
  engine: FolderEngine;
  spec: Spec;
  uri: vscode.Uri;
  repoPath: string;
}

class FixError extends Error {}

function isHunk(v: unknown): v is Hunk {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  return ['oldStart', 'oldLines', 'newStart', 'newLines'].every((k) => Number.isInteger(h[k]) && (h[k] as number) >= 0);
}

/**
 * A Changes view row, as its menu hands it over. VS Code forgets the rows of a view redrawn
 * whole, and then hands over nothing: refused, where the editor's file would be taken.
 */
function rowArg(arg: unknown): unknown {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>;
  if (typeof a.file !== 'string' || typeof a.id !== 'string') {
    throw new FixError('the Changes view changed as the menu opened, so it named no file; nothing was changed. Right-click the row again');
  }
  return arg;
}

/** The file a fix is about: the `uri` argument, else the active editor's document. */
function target(model: WorkspaceModel, arg: unknown): Target & { hunk?: Hunk; taskId?: string } {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<string, unknown>;
  let uri: vscode.Uri | undefined;
  if (typeof a.uri === 'string') uri = vscode.Uri.parse(a.uri, true);
  else if (a.uri instanceof vscode.Uri) uri = a.uri;
  // A row of the Changes view (its context menu): the changed file it names.
  else if (typeof a.file === 'string' && typeof a.id === 'string') uri = vscode.Uri.file(a.file);
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (!uri) throw new FixError('open the changed file first');
  const engine = model.engineFor(uri);
  const repoPath = engine?.paths.toRepoPath(uri);
  if (!engine || repoPath === undefined) throw new FixError(`${shownPath(uri.fsPath)} is not in a workspace folder SpecGate analyses`);
  const spec = engine.activeSpec;
  if (!spec) throw new FixError('no active spec: run SpecGate: Select Active Spec');
  const out: Target & { hunk?: Hunk; taskId?: string } = { engine, spec, uri, repoPath };
  if (isHunk(a.hunk)) out.hunk = a.hunk;
  if (typeof a.taskId === 'string') out.taskId = a.taskId;
  return out;
}

/** The spec file that takes new scope entries: where scope is already declared, else the main file. */
export function scopeFileFor(spec: Spec): string {
  const declared = (origin: string) => spec.scopeSources.find((s) => s.list === 'include' && s.origin === origin && s.range)?.range?.file;
  const main: Record<Spec['format'], RegExp> = {
    kiro: /\/(requirements|bugfix)\.md$/,
    speckit: /\/spec\.md$/,
    openspec: /\/proposal\.md$/,
    plain: /./,
  };
  return declared('front-matter') ?? declared('scope-section') ?? spec.files.find((f) => main[spec.format].test(f)) ?? spec.files[0];
}

/**
 * The spec file `file` as a document: the user's unsaved buffer when there is one, else the
 * file on disk. A file deleted (or made unreadable) since the spec was last read is one clear
 * line, before anything is changed; so is one VS Code still holds a saved buffer of.
 */
async function openSpecFile(t: Target, file: string): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument }> {
  const uri = t.engine.paths.toUri(file);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return { uri, doc: open };
  const refuse = (why: string) => new FixError(`${shownPath(file)} of spec ${revealBidi(t.spec.name)} ${why}; nothing was changed`);
  // Gone: no file, or a link whose target is gone (a link that points nowhere has neither type).
  const st = await vscode.workspace.fs.stat(uri).then(
    (s) => s,
    () => undefined,
  );
  if (!st || (st.type & (vscode.FileType.File | vscode.FileType.Directory)) === 0) throw refuse('is no longer there (deleted since SpecGate last read the spec)');
  try {
    return { uri, doc: open ?? (await vscode.workspace.openTextDocument(uri)) };
  } catch (err) {
    throw refuse(`cannot be read (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`);
  }
}

/** Refuses, before any change, a file the editor holds read-only (see readonly.ts). */
async function refuseReadOnly(uri: vscode.Uri, what: string): Promise<void> {
  const why = await readOnlyReason(uri);
  if (why !== undefined) throw new FixError(`${shownPath(vscode.workspace.asRelativePath(uri, false))} is read-only in this editor (${why}), so ${what}; nothing was changed`);
}

async function applyAndReveal(uri: vscode.Uri, edits: TextEditLike[], reveal: boolean): Promise<boolean> {
  await refuseReadOnly(uri, 'the spec cannot take the edit');
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(uri, edits));
  if (!ok) throw new FixError(`the edit to ${vscode.workspace.asRelativePath(uri)} could not be applied`);
  if (reveal) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const first = edits[0];
    const line = Math.min(doc.lineCount - 1, first.startLine + Math.max(0, first.newText.split('\n').length - 2));
    const range = doc.lineAt(line).range;
    await vscode.window.showTextDocument(doc, { preview: false, selection: range });
  }
  return true;
}

async function addToScope(model: WorkspaceModel, arg: unknown): Promise<boolean> {
  const t = target(model, arg);
  const file = scopeFileFor(t.spec);
  if (!file) throw new FixError(`spec ${t.spec.name} has no file to add scope to`);
  const { uri: specUri, doc } = await openSpecFile(t, file);
  const edits = addToScopeEdit(doc.getText(), t.repoPath);
  if (edits.length === 0) {
    void showInformation(`SpecGate: ${shownPath(t.repoPath)} is already listed in the scope of spec ${revealBidi(t.spec.name)}.`);
    return false;
  }
  return applyAndReveal(specUri, edits, true);
}

const TASK_LINE = /^\s*(?:[-*+]|\d{1,9}[.)])\s+\[.\]\*?\s*(.*)$/;
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Whether a line is the checkbox line of `task`: it holds the start of the title, or it
 * starts with the task's id (`3.`, `1.1`, `T012`), or it is the first line of a title that
 * wraps onto the lines below it.
 */
function isTaskLine(text: string, task: Task): boolean {
  const m = TASK_LINE.exec(text);
  if (!m) return false;
  const rest = squash(m[1] ?? '');
  const title = squash(task.title);
  if (title !== '' && rest.includes(title.slice(0, 40))) return true;
  if (!/^L\d+$/.test(task.id)) {
    const id = task.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`^${id}[.):]?(?:\\s|$)`).test(rest)) return true;
  }
  const first = rest.replace(/^\d+(?:\.\d+)*[.)]?\s+/, '');
  return first !== '' && title.startsWith(first);
}

/** The line a task is on now: its parsed line, or where its checkbox line moved in an edited buffer. */
function taskLine(doc: vscode.TextDocument, task: Task): number | undefined {
  const at = task.range.startLine;
  if (at >= 1 && at <= doc.lineCount && isTaskLine(doc.lineAt(at - 1).text, task)) return at;
  for (let i = 0; i < doc.lineCount; i++) if (isTaskLine(doc.lineAt(i).text, task)) return i + 1;
  return undefined;
}

async function pickTask(spec: Spec, path: string): Promise<Task | undefined> {
  const tasks = [...new Map(spec.tasks.map((t) => [t.id, t])).values()];
  if (tasks.length === 0) throw new FixError(`spec ${spec.name} has no tasks`);
  const pick = await vscode.window.showQuickPick(
    tasks.map((t) => ({ label: revealBidi(`${t.id}. ${plainTitle(t.title)}`), description: t.state, task: t })),
    { title: revealBidi(`Link ${shownPath(path)} to a task of ${spec.name}`), placeHolder: 'Task that this change belongs to', matchOnDescription: true },
  );
  return pick?.task;
}

async function linkToTask(model: WorkspaceModel, arg: unknown): Promise<boolean> {
  const t = target(model, arg);
  // Refused before a task is asked for: no pick is wasted on a name the spec cannot hold.
  const refused = linkRefusal(t.repoPath);
  if (refused !== undefined) throw new FixError(refused);
  let task: Task | undefined;
  if (t.taskId !== undefined) {
    task = t.spec.tasks.find((x) => x.id === t.taskId);
    if (!task) throw new FixError(`spec ${t.spec.name} has no task ${t.taskId}`);
  } else task = await pickTask(t.spec, t.repoPath);
  if (!task) return false;
  const { uri: specUri, doc } = await openSpecFile(t, task.range.file);
  const line = taskLine(doc, task);
  if (line === undefined) throw new FixError(`task ${task.id} was not found in ${task.range.file}; save the spec and try again`);
  const edits = linkToTaskEdit(doc.getText(), line, t.repoPath);
  if (edits.length === 0) {
    void showInformation(`SpecGate: task ${revealBidi(task.id)} already names ${shownPath(t.repoPath)}.`);
    return false;
  }
  return applyAndReveal(specUri, edits, true);
}

function sameHunk(a: Hunk, b: Hunk): boolean {
  return a.oldStart === b.oldStart && a.oldLines === b.oldLines && a.newStart === b.newStart && a.newLines === b.newLines;
}

/** The hunk to revert in the current text: the one asked for, or the one at `line` (1-based). */
function chooseHunk(hunks: Hunk[], wanted: Hunk | undefined, line: number | undefined): Hunk | undefined {
  if (wanted) {
    const exact = hunks.find((h) => sameHunk(h, wanted));
    if (exact) return exact;
    const lo = wanted.newStart;
    const hi = wanted.newStart + Math.max(wanted.newLines, 1) - 1;
    return hunks.find((h) => h.newStart <= hi && h.newStart + Math.max(h.newLines, 1) - 1 >= lo);
  }
  if (line === undefined) return undefined;
  return hunks.find((h) => line >= Math.max(1, h.newStart) && line <= Math.max(1, h.newStart + Math.max(h.newLines, 1) - 1));
}

async function revertHunk(model: WorkspaceModel, arg: unknown): Promise<boolean> {
  const t = target(model, arg);
  const doc = await vscode.workspace.openTextDocument(t.uri);
  const base = await t.engine.baseTextOf(t.repoPath);
  if (base === undefined) throw new FixError(`the base content of ${shownPath(t.repoPath)} is not available`);
  const text = doc.getText();
  const diff = liveDiff(base ?? '', text, LIVE_DIFF_LIMITS);
  const editor = vscode.window.activeTextEditor;
  const cursor = editor?.document === doc ? editor.selection.active.line + 1 : undefined;
  const hunk = chooseHunk(diff.hunks, t.hunk, cursor);
  if (!hunk) throw new FixError(`no changed lines to revert there in ${shownPath(t.repoPath)}`);
  const edits = revertHunkEdit(text, base ?? '', hunk);
  if (edits.length === 0) return false;
  await refuseReadOnly(t.uri, 'the hunk cannot be reverted here');
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(t.uri, edits));
  // The editor refused the edit (a read-only file, say): said, as Add to scope says it.
  if (!ok) throw new FixError(`the revert of ${shownPath(t.repoPath)} could not be applied; nothing was changed`);
  if (editor?.document !== doc) {
    await vscode.window.showTextDocument(doc, { preview: false, selection: new vscode.Range(toRange(edits[0]).start, toRange(edits[0]).start) });
  }
  return true;
}

async function showChangedFiles(arg: unknown): Promise<void> {
  const uris = (typeof arg === 'object' && arg !== null ? (arg as { uris?: unknown }).uris : undefined) ?? [];
  const list = (Array.isArray(uris) ? uris : []).filter((u): u is string => typeof u === 'string').map((u) => vscode.Uri.parse(u, true));
  if (list.length === 0) return;
  const pick =
    list.length === 1
      ? list[0]
      : (await vscode.window.showQuickPick(list.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Changed files' }))?.uri;
  if (pick) await vscode.window.showTextDocument(pick, { preview: true });
}

export function registerFixCommands(model: WorkspaceModel, log: vscode.LogOutputChannel): vscode.Disposable {
  const wrap =
    (name: string, fn: (arg: unknown) => Promise<unknown>) =>
    async (arg: unknown): Promise<unknown> => {
      try {
        return await fn(arg);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (!(err instanceof FixError || err instanceof UsageError)) log.error(`${name}: ${err instanceof Error ? (err.stack ?? message) : message}`);
        void showError(`SpecGate: ${editorMessage(message)}`);
        return false;
      }
    };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(CommandId.AddToScope, wrap('Add to scope', (a) => addToScope(model, a))),
    vscode.commands.registerCommand(CommandId.LinkToTask, wrap('Link to task', (a) => linkToTask(model, a))),
    vscode.commands.registerCommand(CommandId.AddToScopeRow, wrap('Add to scope', (a) => addToScope(model, rowArg(a)))),
    vscode.commands.registerCommand(CommandId.LinkToTaskRow, wrap('Link to task', (a) => linkToTask(model, rowArg(a)))),
    vscode.commands.registerCommand(CommandId.RevertHunk, wrap('Revert hunk', (a) => revertHunk(model, a))),
    vscode.commands.registerCommand(CommandId.ShowChangedFiles, wrap('Show changed files', (a) => showChangedFiles(a))),
  );
}
