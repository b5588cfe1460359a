// Every finding of every folder's report in one DiagnosticCollection: rule id as the code
// (linked to docs/rules.md), source SpecGate, the severity from `specgate.severity` (`off`
// hides a kind), and related information pointing into the spec.
import * as vscode from 'vscode';
import type { Finding, Report } from '../../core/model';
import type { Settings } from '../config';
import { lineRange, toDiagnostic } from '../convert';
import { Disposable } from '../disposable';
import type { FolderEngine } from '../model/folderEngine';
import type { WorkspaceModel } from '../model/workspaceModel';

export class DiagnosticsController extends Disposable {
  readonly collection = this._register(vscode.languages.createDiagnosticCollection('specgate'));
  /** What each folder last contributed, so an unchanged report is not redrawn. */
  private readonly shown = new Map<FolderEngine, { report: Report | undefined; paths: FolderEngine['paths']; uris: vscode.Uri[] }>();

  constructor(
    private readonly model: WorkspaceModel,
    private readonly settings: Settings,
  ) {
    super();
    this._register(model.onDidChange(() => this.update(false)));
    this._register(settings.onDidChange(() => this.update(true)));
    this.update(true);
  }

  private update(force: boolean): void {
    const engines = new Set(this.model.folders() as FolderEngine[]);
    for (const [engine, prev] of this.shown) {
      if (engines.has(engine)) continue;
      for (const uri of prev.uris) this.collection.delete(uri);
      this.shown.delete(engine);
    }
    for (const engine of engines) {
      const prev = this.shown.get(engine);
      // The same report is redrawn when its paths map to other URIs (a folder now follows it).
      if (!force && prev && prev.report === engine.report && prev.paths === engine.paths) continue;
      for (const uri of prev?.uris ?? []) this.collection.delete(uri);
      const uris = this.draw(engine);
      this.shown.set(engine, { report: engine.report, paths: engine.paths, uris });
    }
  }

  private draw(engine: FolderEngine): vscode.Uri[] {
    const report = engine.report;
    if (!report) return [];
    const severity = this.settings.value.severity;
    const toUri = (p: string) => engine.paths.toUri(p);
    const byPath = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const list = byPath.get(f.path) ?? [];
      list.push(f);
      byPath.set(f.path, list);
    }
    const uris: vscode.Uri[] = [];
    for (const [path, findings] of byPath) {
      const diagnostics: vscode.Diagnostic[] = [];
      for (const f of findings) {
        const d = toDiagnostic(f, lineRange(f.startLine ?? 1, f.endLine ?? f.startLine ?? 1), severity[f.kind], toUri);
        if (d) diagnostics.push(d);
      }
      if (diagnostics.length === 0) continue;
      const uri = toUri(path);
      this.collection.set(uri, diagnostics);
      uris.push(uri);
    }
    return uris;
  }
}
