// Quick fixes on out-of-scope and excluded hunks: add the file to the spec's scope, link it
// to a task, revert the hunk. Each runs a fix command that applies one WorkspaceEdit.
import * as vscode from 'vscode';
import type { Task, TaskState } from '../../core/model';
import { shownPath } from '../../core/edits';
import { revealBidi } from '../../core/render/reviewdata';
import { CommandId } from '../commandIds';
import { DIAGNOSTIC_SOURCE, hunkRange } from '../convert';
import type { WorkspaceModel } from '../model/workspaceModel';
import type { FixArgs } from './codeLens';
import { plainTitle } from '../../core/render/plainTitle';

/** Tasks offered directly as "Link to task N"; the rest through a picker. */
const MAX_TASK_ACTIONS = 5;
const STATE_ORDER: Record<TaskState, number> = { 'in-progress': 0, todo: 1, optional: 2, done: 3 };

export class SpecGateCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly model: WorkspaceModel) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    token: vscode.CancellationToken,
  ): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const engine = this.model.engineFor(document.uri);
    const repoPath = engine?.paths.toRepoPath(document.uri);
    const spec = engine?.activeSpec;
    if (!engine || repoPath === undefined || !spec) return [];
    const change = engine.change(repoPath);
    if (!change) return [];
    const uri = document.uri.toString();
    const shown = shownPath(change.path);
    const actions: vscode.CodeAction[] = [];
    for (const h of change.hunks) {
      if (token.isCancellationRequested) return [];
      const classification = h.classification ?? change.classification;
      if (classification !== 'out-of-scope' && classification !== 'excluded') continue;
      const hr = hunkRange(h, document.lineCount);
      if (!hr.intersection(range) && !hr.contains(range.start)) continue;
      const diagnostics = context.diagnostics.filter(
        (d) => d.source === DIAGNOSTIC_SOURCE && (d.range.intersection(hr) !== undefined || hr.contains(d.range.start)),
      );
      const hunk = { oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines };
      const action = (title: string, command: string, args: FixArgs): vscode.CodeAction => {
        const a = new vscode.CodeAction(revealBidi(title), vscode.CodeActionKind.QuickFix);
        a.command = { title, command, arguments: [args] };
        a.diagnostics = diagnostics;
        return a;
      };
      if (classification === 'out-of-scope') {
        actions.push(action(`Add ${shown} to the scope of spec ${spec.name}`, CommandId.AddToScope, { uri }));
        const tasks = [...new Map(spec.tasks.map((t) => [t.id, t])).values()].sort(
          (a: Task, b: Task) => STATE_ORDER[a.state] - STATE_ORDER[b.state],
        );
        for (const t of tasks.slice(0, MAX_TASK_ACTIONS)) {
          actions.push(action(`Link ${shown} to task ${t.id}: ${plainTitle(t.title)}`, CommandId.LinkToTask, { uri, taskId: t.id }));
        }
        if (tasks.length > MAX_TASK_ACTIONS) actions.push(action(`Link ${shown} to a task…`, CommandId.LinkToTask, { uri }));
      }
      // A new file's hunk is the whole file: reverting it leaves the file empty (undoable).
      actions.push(action(change.status === 'added' ? 'Revert this hunk to the base (empties the new file)' : 'Revert this hunk to the base', CommandId.RevertHunk, { uri, hunk }));
      break;
    }
    return actions;
  }
}

export function registerCodeActions(model: WorkspaceModel): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new SpecGateCodeActionProvider(model), SpecGateCodeActionProvider.metadata);
}
