// Latency of the live engine in the real extension host: a 10,000-line file with 200
// out-of-scope hunks, one keystroke-sized edit at a time; measures from the edit to the
// updated code lenses (the debounce set to 0, so this is the time after the debounce).
// Writes test-results/editor-latency.json; the median goes to BENCHMARKS.md.
import * as assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BASE_REF, REPO_ROOT, git, resetWorkspace, waitFor, workspaceRoot, workspaceUri } from './fixtures';

interface Model {
  refresh(): Promise<void>;
  idle(): Promise<void>;
  readonly onDidChange: vscode.Event<void>;
  analysedVersion(uri: vscode.Uri): number | undefined;
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

  it(`updates the lenses of a ${LINES}-line file with ${HUNKS} hunks within 50 ms (median) of an edit`, async () => {
    const uri = workspaceUri(REL);
    const editor = await vscode.window.showTextDocument(uri);
    const lensCount = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).length;
    await waitFor('the lenses over 200 hunks', async () => (await lensCount()) === HUNKS * 4 && true, 30000);

    const samples: number[] = [];
    const analysedAt: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const line = ((run * 7) % HUNKS) * 50 + 7;
      const analysed = new Promise<void>((resolve) => {
        const check = () => {
          if (model.analysedVersion(uri) === editor.document.version && editor.document.isDirty) {
            sub.dispose();
            resolve();
          }
        };
        const sub = model.onDidChange(check);
      });
      const t0 = performance.now();
      const ok = await editor.edit((e) => e.insert(new vscode.Position(line, editor.document.lineAt(line).text.length), 'x'));
      assert.ok(ok);
      await analysed;
      analysedAt.push(performance.now() - t0);
      const n = await lensCount();
      samples.push(performance.now() - t0);
      assert.equal(n, HUNKS * 4, 'still one lens group per hunk');
    }
    const result = { loadPerCore: os.loadavg()[0] / Math.max(1, os.cpus().length), lines: LINES, hunks: HUNKS, runs: RUNS, debounceMs: 0, medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples), analysedMedianMs: median(analysedAt), samples, analysedAt };
    await mkdir(path.join(REPO_ROOT, 'test-results'), { recursive: true });
    await writeFile(path.join(REPO_ROOT, 'test-results/editor-latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`editor latency: median ${result.medianMs.toFixed(1)} ms (min ${result.minMs.toFixed(1)}, max ${result.maxMs.toFixed(1)}) over ${RUNS} edits; analysis alone: median ${result.analysedMedianMs.toFixed(1)} ms`);
    // The 50 ms target holds on an idle machine; on a loaded one (other test runs sharing
    // the cores) the numbers are recorded with the load, and only a stall fails the test.
    const load = os.loadavg()[0] / Math.max(1, os.cpus().length);
    if (load < 1) assert.ok(result.medianMs < 50, `median ${result.medianMs.toFixed(1)} ms is over the 50 ms target`);
    else assert.ok(result.medianMs < 2000, `median ${result.medianMs.toFixed(1)} ms: the editor stalls (load ${load.toFixed(1)} per core)`);
  });
});
