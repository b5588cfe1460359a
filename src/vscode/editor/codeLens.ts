// Code lenses. The provider is cheap (it reads the model's latest report, checks the
// cancellation token) and the controller registers it only while `specgate.codeLens.enabled`
// is on. Over changed code: the reason an out-of-scope or excluded hunk is outside the spec
// with its fixes, high-blast-radius findings, and (setting) a quiet in-scope lens. In the
// active spec's own files: what each task changed and what covers each requirement.
import * as vscode from 'vscode';
import type { Hunk, Report, ReportChange, Spec } from '../../core/model';
import { findingsOf } from '../../core/render/reviewdata';
import { shownPath } from '../../core/edits';
import { plainMessage } from '../../core/render/plainTitle';
import { CommandId } from '../commandIds';
import type { Settings } from '../config';
import { hunkLines } from '../convert';
import { Disposable } from '../disposable';
import type { WorkspaceModel } from '../model/workspaceModel';
import { BLAST_KINDS, blastTitle, excludedReason, inScopeTitle, outOfScopeReason, requirementTitle, taskTitle } from './lensText';
import { noIcons } from '../messages';

/** Arguments of the fix commands (plain data, so lenses and code actions can carry them). */
export interface FixArgs {
  uri: string;
  hunk?: Hunk;
  taskId?: string;
}

const noop = (title: string, tooltip?: string): vscode.Command => ({ title, command: '', tooltip });

/** A lens sits at the start of a 1-based line (clamped to the document). */
function at(line: number, lineCount: number): vscode.Range {
  const l = Math.min(Math.max(0, lineCount - 1), Math.max(0, line - 1));
  return new vscode.Range(l, 0, l, 0);
}

export class SpecGateCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the analysis changed, and when a setting the lenses read (codeLens.inScope) did. */
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: WorkspaceModel,
    private readonly settings: Settings,
  ) {
    this.subscriptions = [this.changed, model.onDidChange(() => this.changed.fire()), settings.onDidChange(() => this.changed.fire())];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const engine = this.model.engineFor(document.uri);
    const repoPath = engine?.paths.toRepoPath(document.uri);
    if (!engine || repoPath === undefined) return [];
    const spec = engine.activeSpec;
    const report = engine.report;
    if (!spec || !report || report.spec.id !== spec.id) return [];
    const lenses: vscode.CodeLens[] = [];
    if (spec.files.includes(repoPath)) this.specLenses(document, engine.paths.toUri.bind(engine.paths), spec, report, repoPath, lenses);
    const change = engine.change(repoPath);
    if (change && !token.isCancellationRequested) this.changeLenses(document, spec, report, change, lenses, token);
    if (token.isCancellationRequested) return [];
    // Paths, spec names and task titles come from the repository: bidirectional controls,
    // line breaks and other control characters shown as \u{…}.
    for (const l of lenses) {
      if (!l.command) continue;
      l.command.title = shownPath(l.command.title);
      if (l.command.tooltip !== undefined) l.command.tooltip = shownPath(l.command.tooltip);
    }
    return lenses;
  }

  private changeLenses(
    document: vscode.TextDocument,
    spec: Spec,
    report: Report,
    change: ReportChange,
    lenses: vscode.CodeLens[],
    token: vscode.CancellationToken,
  ): void {
    const uri = document.uri.toString();
    const lineCount = document.lineCount;
    const findings = findingsOf(report, change.path);
    for (const f of findings) {
      if (!BLAST_KINDS.has(f.kind)) continue;
      const range = at(f.startLine ?? 1, lineCount);
      lenses.push(new vscode.CodeLens(range, noop(`$(flame) ${noIcons(blastTitle(f))}`, plainMessage(f.message))));
    }
    const inScope = this.settings.value.codeLens.inScope;
    // The icon the Problems panel shows for the hunk's finding: an error (SG101's default) or a warning.
    const outIcon = findings.some((f) => f.kind === 'out-of-scope' && f.severity === 'error') ? '$(error)' : '$(warning)';
    // On hover, the words of the hunk's entry in the Problems panel (which names the spec by its folder).
    const problemText = (kind: 'out-of-scope' | 'excluded-path'): string | undefined => {
      const f = findings.find((x) => x.kind === kind);
      return f && plainMessage(f.message);
    };
    // A new file's hunk is the whole file: its revert empties the file, which the tooltip says.
    const revert = (hunk: Hunk): vscode.Command => ({
      title: 'Revert Hunk',
      command: CommandId.RevertHunk,
      arguments: [{ uri, hunk } satisfies FixArgs],
      tooltip: change.status === 'added' ? 'Revert to the base, which has no such file: empties the new file (Ctrl+Z undoes it)' : 'Put the base lines back in the editor (Ctrl+Z undoes it)',
    });
    let quiet: string | undefined;
    for (const h of change.hunks) {
      if (token.isCancellationRequested) return;
      const classification = h.classification ?? change.classification;
      const range = at(hunkLines(h).startLine, lineCount);
      const hunk: Hunk = { oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines };
      if (classification === 'out-of-scope') {
        lenses.push(
          new vscode.CodeLens(range, noop(`${outIcon} ${noIcons(outOfScopeReason(spec, change.path))}`, problemText('out-of-scope'))),
          new vscode.CodeLens(range, {
            title: 'Add to Scope',
            tooltip: "Add this file's path to the spec's scope (an undoable edit of the spec file)",
            command: CommandId.AddToScope,
            arguments: [{ uri } satisfies FixArgs],
          }),
          new vscode.CodeLens(range, revert(hunk)),
        );
        // A spec with no tasks has none to link to (the quick fix menu offers none either).
        if (spec.tasks.length > 0) {
          lenses.push(
            new vscode.CodeLens(range, {
              title: 'Link to Task',
              tooltip: "Name this file in a task you pick (an undoable edit of the spec's tasks file)",
              command: CommandId.LinkToTask,
              arguments: [{ uri } satisfies FixArgs],
            }),
          );
        }
      } else if (classification === 'excluded') {
        lenses.push(
          new vscode.CodeLens(range, noop(`$(circle-slash) ${noIcons(excludedReason(spec, change.path, findings))}`, problemText('excluded-path'))),
          new vscode.CodeLens(range, revert(hunk)),
        );
      } else if (inScope && classification === 'in-scope') {
        quiet ??= noIcons(inScopeTitle(spec, report, change));
        lenses.push(new vscode.CodeLens(range, noop(quiet)));
      }
    }
  }

  private specLenses(
    document: vscode.TextDocument,
    toUri: (repoPath: string) => vscode.Uri,
    spec: Spec,
    report: Report,
    repoPath: string,
    lenses: vscode.CodeLens[],
  ): void {
    const lineCount = document.lineCount;
    const open = (text: string, paths: string[]): vscode.Command => {
      const title = noIcons(text);
      return paths.length === 0 ? noop(title) : { title, command: CommandId.ShowChangedFiles, arguments: [{ uris: paths.map((p) => toUri(p).toString()) }] };
    };
    const seen = new Set<string>();
    for (const t of spec.tasks) {
      if (t.range.file !== repoPath || seen.has(t.id)) continue;
      seen.add(t.id);
      const { title, paths } = taskTitle(report, t);
      lenses.push(new vscode.CodeLens(at(t.range.startLine, lineCount), open(title, paths)));
    }
    for (const r of spec.requirements) {
      if (r.range.file !== repoPath) continue;
      const { title, paths } = requirementTitle(report, r);
      lenses.push(new vscode.CodeLens(at(r.range.startLine, lineCount), open(title, paths)));
    }
  }
}

/** Registers the provider only while code lenses are enabled in the settings. */
export class CodeLensController extends Disposable {
  private registration: vscode.Disposable | undefined;
  readonly provider: SpecGateCodeLensProvider;

  constructor(model: WorkspaceModel, private readonly settings: Settings) {
    super();
    this.provider = this._register(new SpecGateCodeLensProvider(model, settings));
    this._register({ dispose: () => this.registration?.dispose() });
    this._register(settings.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const enabled = this.settings.value.codeLens.enabled;
    if (enabled && !this.registration) {
      this.registration = vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this.provider);
    } else if (!enabled && this.registration) {
      this.registration.dispose();
      this.registration = undefined;
    }
  }
}
