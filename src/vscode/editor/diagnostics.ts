// Every finding of every folder's report in one DiagnosticCollection: rule id as the code
// (linked to docs/rules.md), source SpecGate, the severity from `specgate.severity` (`off`
// hides a kind), and related information pointing into the spec.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { batches } from '../../core/batches';
import type { Report } from '../../core/model';
import { findingsByPath } from '../../core/render/reviewdata';
import type { Settings } from '../config';
import { lineRange, toDiagnostic } from '../convert';
import { Disposable } from '../disposable';
import type { FolderEngine } from '../model/folderEngine';
import type { WorkspaceModel } from '../model/workspaceModel';

/** VS Code shows at most this many diagnostics of one file (and a line saying how many more)… */
const MAX_PER_FILE = 1000;
/** …and passes on at most 1,100 of one `set` call to the workbench, dropping the rest unsaid. */
const MAX_PER_SET = 1000;

/** What one file shows: its diagnostics, and a key that is equal when they would be drawn alike. */
interface Shown {
  /** Where the file's diagnostics are set: its URI, and the same file under a second folder of the same real path. */
  uris: vscode.Uri[];
  key: string;
}

export class DiagnosticsController extends Disposable {
  readonly collection = this._register(vscode.languages.createDiagnosticCollection('specgate'));
  /** What each folder last contributed, so an unchanged report (or file) is not redrawn. */
  private readonly shown = new Map<FolderEngine, { report: Report | undefined; paths: FolderEngine['paths']; files: Map<string, Shown> }>();

  constructor(
    private readonly model: WorkspaceModel,
    private readonly settings: Settings,
  ) {
    super();
    this._register(model.onDidChange(() => this.update(false)));
    this._register(settings.onDidChange(() => this.update(true)));
    // A file of a repository opened twice has its diagnostics under the second folder's URI
    // only while it is open there (else the Problems panel would count each finding twice).
    const twinDocument = (d: vscode.TextDocument) => {
      if (d.uri.scheme === 'file' && this.model.folders().some((f) => (f as FolderEngine).paths.hasTwins)) this.update(true);
    };
    this._register(vscode.workspace.onDidOpenTextDocument(twinDocument));
    this._register(vscode.workspace.onDidCloseTextDocument(twinDocument));
    this.update(true);
  }

  private update(force: boolean): void {
    const engines = new Set(this.model.folders() as FolderEngine[]);
    for (const [engine, prev] of this.shown) {
      if (engines.has(engine)) continue;
      for (const f of prev.files.values()) for (const uri of f.uris) this.collection.delete(uri);
      this.shown.delete(engine);
    }
    for (const engine of engines) {
      const prev = this.shown.get(engine);
      // The same report is redrawn when its paths map to other URIs (a folder now follows it).
      if (!force && prev && prev.report === engine.report && prev.paths === engine.paths) continue;
      // Settings or URIs changed: every file is drawn again. Otherwise only the files whose
      // findings changed: a re-analysis after one edit among 15,000 findings redraws one file,
      // and the Problems panel does not empty and refill.
      const keep = !force && prev && prev.paths === engine.paths ? prev.files : undefined;
      const files = this.draw(engine, keep);
      for (const [path, f] of prev?.files ?? []) {
        const now = new Set(files.get(path)?.uris.map((u) => u.toString()));
        for (const uri of f.uris) if (!now.has(uri.toString())) this.collection.delete(uri);
      }
      this.shown.set(engine, { report: engine.report, paths: engine.paths, files });
    }
  }

  /** Sets the diagnostics of each file whose findings differ from `keep`'s; returns what each file now shows. */
  private draw(engine: FolderEngine, keep: Map<string, Shown> | undefined): Map<string, Shown> {
    const files = new Map<string, Shown>();
    const report = engine.report;
    if (!report) return files;
    const severity = this.settings.value.severity;
    // Related information points at a few spec files, from thousands of findings: one URI each.
    const uris = new Map<string, vscode.Uri>();
    const toUri = (p: string) => {
      let uri = uris.get(p);
      if (uri === undefined) uris.set(p, (uri = engine.paths.toUri(p)));
      return uri;
    };
    const changed: [vscode.Uri, vscode.Diagnostic[]][] = [];
    const open = engine.paths.hasTwins ? new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString())) : undefined;
    for (const [path, findings] of findingsByPath(report)) {
      // A digest of the findings, not their text: kept for 2,000 files it was a second copy of the report.
      const key = createHash('sha1').update(JSON.stringify(findings)).digest('base64');
      const before = keep?.get(path);
      if (before && before.key === key) {
        files.set(path, before);
        continue;
      }
      const diagnostics: vscode.Diagnostic[] = [];
      for (const f of findings) {
        const d = toDiagnostic(f, lineRange(f.startLine ?? 1, f.endLine ?? f.startLine ?? 1), severity[f.kind], toUri);
        if (d) diagnostics.push(d);
      }
      if (diagnostics.length === 0) continue;
      // One repository opened twice (its path and a link to it): the file open under the other folder has them too.
      const all = [toUri(path), ...(open ? engine.paths.twins(path).filter((u) => open.has(u.toString())) : [])];
      for (const uri of all) changed.push([uri, diagnostics]);
      files.set(path, { uris: all, key });
    }
    // Few calls for all of them, not one per file: each is a message to the workbench. But VS
    // Code passes on at most 1,100 diagnostics per call and silently drops the rest (a file
    // shows at most 1,000 and a line saying how many more), so no call carries more than 1,000.
    for (const run of batches(changed, ([, d]) => Math.min(d.length, MAX_PER_FILE + 1), MAX_PER_SET)) this.collection.set(run);
    return files;
  }
}
