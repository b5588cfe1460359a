// The editor features in the real extension host, on the fixture repository (a Kiro spec
// billing-retry; src/billing/retry.ts edited in scope, src/auth/session.ts edited out of
// scope): code lenses, diagnostics, quick fixes with one-step undo, unsaved buffers, files
// made outside the editor, and an untrusted workspace that runs no git. State is read only
// through the vscode API and the extension's exported API.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BASE_REF, FIXTURE_CHANGE, git, resetWorkspace, waitFor, workspaceRoot, workspaceUri } from './fixtures';

const CommandId = { LinkToTask: 'specgate.linkToTask', AddToScope: 'specgate.addToScope' } as const;

interface Model {
  refresh(): Promise<void>;
  idle(): Promise<void>;
  dispose(): void;
  readonly gitRuns: number;
  watchedFolders(): string[];
  folders(): readonly { specs: readonly { id: string }[]; activeSpec?: { id: string }; report?: unknown; trusted: boolean; error?: string }[];
}
interface Api {
  model: Model;
  createModel(o: { trusted: boolean }): Model;
}

const OUT = FIXTURE_CHANGE.outOfScope;
const REASON = `Outside spec billing-retry: no task or scope glob covers ${OUT}`;

async function lenses(uri: vscode.Uri): Promise<{ line: number; title: string }[]> {
  await vscode.workspace.openTextDocument(uri);
  const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return found.filter((l) => l.command?.title).map((l) => ({ line: l.range.start.line, title: l.command!.title }));
}

function specGateDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SpecGate');
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

async function quickFixes(uri: vscode.Uri, line: number): Promise<vscode.CodeAction[]> {
  const range = new vscode.Range(line, 0, line, 0);
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

async function run(action: vscode.CodeAction): Promise<unknown> {
  assert.ok(action.command, `quick fix "${action.title}" has a command`);
  return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Writes a new file no task names, waits for its out-of-scope lens, runs `check`, then removes the file and waits for its diagnostics to go. */
async function withNewOutOfScopeFile(rel: string, text: string, check: (uri: vscode.Uri, found: { line: number; title: string }[]) => Promise<void>): Promise<void> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), rel));
  await writeFile(uri.fsPath, text);
  try {
    const found = await waitFor('the out-of-scope lens on the new file', async () => {
      const l = await lenses(uri);
      return l.some((x) => x.title.includes('Outside spec')) && l;
    });
    await check(uri, found);
  } finally {
    await rm(uri.fsPath, { force: true });
  }
  await waitFor('the diagnostics to go with the file', () => specGateDiagnostics(uri).length === 0);
}

/**
 * Whether a file's SG101 entries are all the warning that it is in scope only by this change's
 * own (here unsaved) edit to the spec: what a task or scope glob added in the change leaves.
 */
function widenedOnly(uri: vscode.Uri): boolean {
  const d = specGateDiagnostics(uri).filter((x) => codeOf(x) === 'SG101');
  return d.length > 0 && d.every((x) => x.severity === vscode.DiagnosticSeverity.Warning && x.message === "New file in scope only by this change's edit to spec .kiro/specs/billing-retry: at the base, no scope glob or task path covers this file.");
}

async function closeAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && doc.uri.scheme === 'file') {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('editor: code lenses, diagnostics and quick fixes', function () {
  this.timeout(60000);
  let api: Api;
  const outUri = () => workspaceUri(OUT);

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
    assert.ok(ext, 'the extension is loaded');
    api = await ext.activate();
    // VS Code for the web saves after a delay by default; these tests check what is unsaved.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await resetWorkspace();
    await api.model.refresh();
  });

  afterEach(async () => {
    await closeAll();
  });

  after(async () => {
    await closeAll();
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await resetWorkspace();
    await api.model.refresh();
  });

  it('flags an edit to a file no task names: a code lens with its fixes and a diagnostic at the hunk lines', async () => {
    const line = FIXTURE_CHANGE.outOfScopeLine - 1;
    const found = await waitFor('the out-of-scope lens', async () => {
      const l = await lenses(outUri());
      return l.some((x) => x.title.includes(REASON)) && l;
    });
    assert.deepEqual(
      found.map((l) => [l.line, l.title.replace(/^\$\([a-z-]+\) /, '')]),
      [
        [line, REASON],
        [line, 'Add to Scope'],
        [line, 'Revert Hunk'],
        [line, 'Link to Task'],
      ],
    );
    const diags = specGateDiagnostics(outUri());
    assert.equal(diags.length, 1, JSON.stringify(diags.map((d) => d.message)));
    const [d] = diags;
    assert.equal(codeOf(d), 'SG101');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, line);
    assert.equal(d.range.end.line, line);
    assert.match(String(typeof d.code === 'object' ? d.code.target : ''), /\/docs\/rules\.md#rules$/);
    const related = (d.relatedInformation ?? []).map((r) => vscode.workspace.asRelativePath(r.location.uri));
    assert.ok(related.length > 0 && related.every((p) => p.startsWith('.kiro/specs/billing-retry/')), `related information points into the spec: ${related.join(', ')}`);
  });

  it('shows no lens and no scope diagnostic on an edit inside a task’s file', async () => {
    const uri = workspaceUri(FIXTURE_CHANGE.inScope);
    await waitFor('the report', () => api.model.folders()[0]?.report !== undefined);
    assert.deepEqual(await lenses(uri), []);
    assert.deepEqual(
      specGateDiagnostics(uri).map(codeOf).filter((c) => c === 'SG101' || c === 'SG102'),
      [],
    );
  });

  it('reflects an unsaved edit without saving it', async () => {
    const uri = workspaceUri('src/billing/attempts.ts');
    const editor = await vscode.window.showTextDocument(uri);
    const onDisk = await readFile(uri.fsPath, 'utf8');
    assert.deepEqual(await lenses(uri), [], 'an unchanged in-scope file has no lens');
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// scratch\n'));
    const readme = workspaceUri('README.md');
    const readmeEditor = await vscode.window.showTextDocument(readme);
    await readmeEditor.edit((e) => e.insert(new vscode.Position(2, 0), 'An unsaved line.\n'));
    const found = await waitFor('a lens over the unsaved README edit', async () => (await lenses(readme)).find((l) => l.title.includes('Outside spec')));
    assert.equal(found.line, 2);
    assert.equal(found.title.replace(/^\$\([a-z-]+\) /, ''), 'Outside spec billing-retry: no task or scope glob covers README.md');
    assert.deepEqual(specGateDiagnostics(readme).map((d) => [codeOf(d), d.range.start.line]), [['SG101', 2]]);
    assert.deepEqual(await lenses(uri), [], 'an unsaved in-scope edit gets no lens');
    assert.equal(readmeEditor.document.isDirty, true);
    assert.equal(await readFile(uri.fsPath, 'utf8'), onDisk, 'nothing was saved');
  });

  it('puts a high-blast-radius lens over an unsaved edit that removes an export', async () => {
    const uri = workspaceUri(FIXTURE_CHANGE.inScope);
    const editor = await vscode.window.showTextDocument(uri);
    const first = editor.document.lineAt(0);
    assert.match(first.text, /^export const MAX_RETRIES/);
    await editor.edit((e) => e.delete(new vscode.Range(0, 0, 0, 'export '.length)));
    const found = await waitFor('the removed-export lens', async () => (await lenses(uri)).find((l) => l.title.includes('Removed export')));
    // Plain text on the lens and in the Problems panel: the export's name without markdown backticks.
    assert.deepEqual([found.line, found.title], [0, '$(flame) Removed export MAX_RETRIES; code that imports it may break.']);
    const diag = specGateDiagnostics(uri).find((d) => codeOf(d) === 'SG220');
    assert.deepEqual([diag?.range.start.line, diag?.message], [0, 'Removed export MAX_RETRIES; code that imports it may break.']);
  });

  it('flags a placeholder typed into the file of a task ticked (SG302) and a key pasted in (SG210), unsaved, at their lines', async () => {
    // Task 2 (open at the base) names src/billing/attempts.ts: ticked here, unsaved too.
    const tasks = await vscode.window.showTextDocument(workspaceUri('.kiro/specs/billing-retry/tasks.md'));
    const open = tasks.document.getText().indexOf('- [ ] 2.');
    assert.ok(open >= 0);
    await tasks.edit((e) => e.replace(new vscode.Range(tasks.document.positionAt(open), tasks.document.positionAt(open + '- [ ]'.length)), '- [x]'));
    const uri = workspaceUri('src/billing/attempts.ts');
    const editor = await vscode.window.showTextDocument(uri);
    // The document ends with a line break: its last line is empty, and the text goes there.
    const end = editor.document.lineCount - 1;
    const key = ['AKIA', 'QX7ZR2NW', 'K4TB9PLM'].join('');
    await editor.edit((e) => e.insert(new vscode.Position(end, 0), `\nexport function refund(): void {\n  throw new Error("Method not implemented.");\n}\nconst fallbackKey = "${key}";\n`));
    const at = (d: vscode.Diagnostic) => [codeOf(d), d.range.start.line + 1, d.severity, d.message] as const;
    const sg302 = await waitFor('SG302 on the placeholder', () => {
      const d = specGateDiagnostics(uri).filter((x) => codeOf(x) === 'SG302');
      return d.length > 0 && d.map(at);
    });
    assert.deepEqual(sg302, [['SG302', end + 3, vscode.DiagnosticSeverity.Warning, 'Task 2 is ticked done, but this line leaves a placeholder (throw new Error("Method not implemented.");) where the work should be.']]);
    const sg210 = specGateDiagnostics(uri).filter((x) => codeOf(x) === 'SG210').map((d) => d.message);
    assert.equal(sg210.length, 1);
    assert.match(sg210[0]!, new RegExp(`writes what looks like an AWS access key into the repository \\(not quoted here\\): .*\\(line ${end + 5}\\)`));
    assert.ok(!sg210[0]!.includes(key), 'the key is never shown');
    assert.equal(editor.document.isDirty, true);
  });

  it('shows a bidirectional control in a file name as \\u{202e} on its code lens and quick fixes (Trojan Source)', async () => {
    await withNewOutOfScopeFile('src/auth/caf\u00e9 \u202eevil.ts', 'export const x = "\u202e";\n', async (uri, found) => {
      const titles = [...found.map((l) => l.title), ...(await quickFixes(uri, 0)).map((a) => a.title)];
      const shown = 'src/auth/caf\u00e9 \\u{202e}evil.ts';
      assert.ok(titles.some((t) => t.includes(`no task or scope glob covers ${shown}`)), titles.join(' | '));
      assert.ok(titles.some((t) => t === `Add ${shown} to the scope of spec billing-retry`), titles.join(' | '));
      const raw = [...titles, ...specGateDiagnostics(uri).map((d) => d.message)].filter((t) => /[\u202a-\u202e\u2066-\u2069]/.test(t));
      assert.deepEqual(raw, [], 'no lens, quick fix or diagnostic carries a raw bidirectional control');
    });
  });

  it('shows icon syntax in a file name as written on its code lens ($( escaped), so it draws no icon', async () => {
    await withNewOutOfScopeFile('src/auth/$(pass) ok.ts', 'export const ok = true;\n', async (_uri, found) => {
      const reason = found.find((l) => l.title.includes('Outside spec'))!.title;
      assert.equal(reason, '$(error) Outside spec billing-retry: no task or scope glob covers src/auth/\\$(pass) ok.ts');
    });
  });

  it("says that reverting a new file's hunk empties the file, on its quick fix and its lens's tooltip", async () => {
    await withNewOutOfScopeFile('src/auth/fresh.ts', 'export const fresh = 1;\n', async (uri) => {
      const fixes = (await quickFixes(uri, 0)).map((a) => a.title);
      assert.equal(fixes[fixes.length - 1], 'Revert this hunk to the base (empties the new file)');
      const found = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      const revert = found.find((l) => l.command?.title === 'Revert Hunk');
      assert.equal(revert?.command?.tooltip, 'Revert to the base, which has no such file: empties the new file (Ctrl+Z undoes it)');
    });
  });

  it('redraws only the file whose findings changed: the Problems entries of the others are left alone', async () => {
    const root = workspaceRoot();
    const one = vscode.Uri.file(path.join(root, 'src/auth/one.ts'));
    const two = vscode.Uri.file(path.join(root, 'src/auth/two.ts'));
    await writeFile(one.fsPath, 'export const one = 1;\n');
    await writeFile(two.fsPath, 'export const two = 2;\n');
    const seen = new Set<string>();
    const sub = vscode.languages.onDidChangeDiagnostics((e) => e.uris.forEach((u) => seen.add(u.toString())));
    try {
      await waitFor('diagnostics on both new files, at their one line', () =>
        [one, two].every((u) => specGateDiagnostics(u).some((d) => d.range.start.line === 0 && d.range.end.line === 0)),
      );
      // The watcher can deliver a file's create and write events apart: let every refresh
      // they start settle before listening.
      await new Promise((r) => setTimeout(r, 1500));
      await api.model.idle();
      seen.clear();
      await writeFile(one.fsPath, '// a first line\nexport const one = 1;\n');
      await waitFor('the finding on one.ts to cover its two lines', () => specGateDiagnostics(one).some((d) => d.range.end.line === 1));
      // The change event comes from the workbench, after the collection changed here.
      await waitFor('the diagnostics change event for one.ts', () => seen.has(one.toString()));
      await new Promise((r) => setTimeout(r, 500));
      await api.model.idle();
      assert.deepEqual([two, outUri()].filter((u) => seen.has(u.toString())).map((u) => u.fsPath), [], 'files whose findings did not change were not redrawn');
    } finally {
      sub.dispose();
      await rm(one.fsPath, { force: true });
      await rm(two.fsPath, { force: true });
    }
    await waitFor('the diagnostics to go with the files', () => specGateDiagnostics(one).length === 0 && specGateDiagnostics(two).length === 0);
  });

  it('runs no analysis when only files git ignores change (a build writing dist/): one check-ignore, the report kept', async () => {
    const root = workspaceRoot();
    const exclude = path.join(root, '.git/info/exclude');
    const before = await readFile(exclude, 'utf8').catch(() => '');
    await mkdir(path.dirname(exclude), { recursive: true });
    await writeFile(exclude, `${before}dist/\n`);
    try {
      // File events of the tests before (their clean-up) can come late: let them settle first.
      await new Promise((r) => setTimeout(r, 1500));
      await api.model.refresh();
      await api.model.idle();
      const report = api.model.folders()[0]!.report;
      const runs = api.model.gitRuns;
      await mkdir(path.join(root, 'dist'), { recursive: true });
      for (let i = 0; i < 5; i++) await writeFile(path.join(root, `dist/bundle${i}.js`), `console.log(${i});\n`);
      await waitFor('git asked whether the written files are ignored', () => api.model.gitRuns > runs);
      await new Promise((r) => setTimeout(r, 1000));
      await api.model.idle();
      // One check-ignore per burst the watcher delivers (it may split the five writes), no analysis:
      // an analysis would have made a new report.
      const asked = api.model.gitRuns - runs;
      assert.ok(asked >= 1 && asked <= 5, `${asked} git runs`);
      assert.equal(api.model.folders()[0]!.report, report, 'the report is the one from before');
      // A file git does not ignore still refreshes.
      await writeFile(path.join(root, 'src/auth/three.ts'), 'export const three = 3;\n');
      await waitFor('the analysis of the new file', () => specGateDiagnostics(vscode.Uri.file(path.join(root, 'src/auth/three.ts'))).length > 0);
    } finally {
      await writeFile(exclude, before);
      await rm(path.join(root, 'dist'), { recursive: true, force: true });
      await rm(path.join(root, 'src/auth/three.ts'), { force: true });
      await api.model.refresh();
    }
  });

  it('catches up during a burst of writes that never settles (a file written every 150 ms)', async () => {
    const root = workspaceRoot();
    const first = vscode.Uri.file(path.join(root, 'src/auth/first.ts'));
    const busy = path.join(root, 'src/auth/busy.ts');
    let seenDuringBurst = false;
    try {
      await writeFile(first.fsPath, 'export const first = 1;\n');
      // 5 s of writes 150 ms apart: the settle delay (250 ms) never passes.
      for (let i = 0; i < 33 && !seenDuringBurst; i++) {
        await writeFile(busy, `export const busy = ${i};\n`);
        await new Promise((r) => setTimeout(r, 150));
        seenDuringBurst = specGateDiagnostics(first).length > 0;
      }
      assert.equal(seenDuringBurst, true, 'the new file was analysed while the writes went on');
    } finally {
      await rm(first.fsPath, { force: true });
      await rm(busy, { force: true });
    }
    await waitFor('the diagnostics to go with the files', () => specGateDiagnostics(first).length === 0);
  });

  it('picks up a file created by a shell command', async () => {
    const rel = 'src/auth/token.ts';
    await new Promise<void>((resolve, reject) =>
      execFile('sh', ['-c', `printf 'export const TOKEN_TTL = 5;\\n' > '${rel}'`], { cwd: workspaceRoot() }, (err) => (err ? reject(err) : resolve())),
    );
    try {
      const diags = await waitFor('a diagnostic on the new file', () => {
        const d = specGateDiagnostics(workspaceUri(rel));
        return d.length > 0 && d;
      });
      assert.deepEqual(diags.map((d) => [codeOf(d), d.range.start.line]), [['SG101', 0]]);
    } finally {
      await rm(path.join(workspaceRoot(), rel), { force: true });
    }
    await waitFor('the diagnostic to go with the file', () => specGateDiagnostics(workspaceUri(rel)).length === 0);
  });

  it('follows files in the folders below a folder moved in (also where another was, and made by `mkdir -p`), which the workbench watcher does not see into', async () => {
    // VS Code's recursive watcher (parcel, inotify) starts watching a folder when told it was
    // made: the folders already below it by then send nothing. A folder moved in always has
    // them; the lower folders of one `mkdir -p` often.
    const sh = (script: string) =>
      new Promise<void>((resolve, reject) => execFile('sh', ['-c', script], { cwd: workspaceRoot() }, (err) => (err ? reject(err) : resolve())));
    const staged = await mkdtemp(path.join(path.dirname(workspaceRoot()), 'moved-'));
    await mkdir(path.join(staged, 'tree/x/y'), { recursive: true });
    await mkdir(path.join(staged, 'other/x/y'), { recursive: true });
    const cases = [
      { made: `mv '${path.join(staged, 'tree')}' src/auth/moved`, file: 'src/auth/moved/x/y/made.ts', top: 'src/auth/moved' },
      // Another tree where that one was: its folders are new ones, though their paths are not.
      { made: `rm -rf src/auth/moved && mv '${path.join(staged, 'other')}' src/auth/moved`, file: 'src/auth/moved/x/y/again.ts', top: 'src/auth/moved' },
      // The same made again at once: the file system may give the new folders the old ones' inodes.
      { made: `rm -rf src/auth/moved && mkdir -p src/auth/moved/x/y`, file: 'src/auth/moved/x/y/third.ts', top: 'src/auth/moved' },
      { made: `mkdir -p 'src/auth/deep/er/[id]/(group)'`, file: 'src/auth/deep/er/[id]/(group)/page.tsx', top: 'src/auth/deep' },
    ];
    try {
      for (const c of cases) {
        await sh(c.made);
        // The folder's own event has had its refresh: what follows comes only from inside it.
        await new Promise((r) => setTimeout(r, 1000));
        await api.model.idle();
        await sh(`printf 'export const MADE = 1;\\n' > '${c.file}'`);
        await waitFor(`a diagnostic on ${c.file}, written after the folder was made`, () => specGateDiagnostics(workspaceUri(c.file)).some((d) => codeOf(d) === 'SG101'));
        await sh(`rm '${c.file}'`);
        await waitFor(`the diagnostic to go with ${c.file}`, () => specGateDiagnostics(workspaceUri(c.file)).length === 0);
      }
    } finally {
      for (const c of cases) await rm(path.join(workspaceRoot(), c.top), { recursive: true, force: true });
      await rm(staged, { recursive: true, force: true });
    }
  });

  it('exported bundles take no place among the folders watched on their own, which a change\'s folders need (each export makes two)', async () => {
    const root = workspaceRoot();
    for (let i = 0; i < 3; i++) {
      await writeFile(path.join(root, FIXTURE_CHANGE.inScope), `export const many${i} = ${i};\n`);
      await api.model.refresh();
      assert.ok(await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true }));
    }
    // The folder events have come, and each new folder has been walked.
    await new Promise((r) => setTimeout(r, 1500));
    await api.model.idle();
    // The reviews folder itself may be watched (one place, however many exports); no bundle in it.
    const bundles = api.model.watchedFolders().filter((d) => d.includes(`${path.sep}.specgate${path.sep}reviews${path.sep}`));
    assert.deepEqual(bundles, []);
    await resetWorkspace();
    await api.model.refresh();
  });

  it('names a route non-goal in the diagnostic and the lens as the spec wrote it (app/(marketing)/legacy/), not as its escaped glob', async () => {
    const root = workspaceRoot();
    const design = '.kiro/specs/billing-retry/design.md';
    const rel = 'app/(marketing)/legacy/old.tsx';
    const text = await readFile(path.join(root, design), 'utf8');
    try {
      await writeFile(path.join(root, design), `${text}\n## Non-Goals\n\n- \`app/(marketing)/legacy/\`\n`);
      await mkdir(path.join(root, 'app/(marketing)/legacy'), { recursive: true });
      await writeFile(path.join(root, rel), 'export const old = 1;\n');
      const uri = workspaceUri(rel);
      const diags = await waitFor('the non-goal diagnostic on the route file', () => {
        const d = specGateDiagnostics(uri).filter((x) => codeOf(x) === 'SG102');
        return d.length > 0 && d;
      });
      assert.deepEqual(
        diags.map((d) => [d.message, (d.relatedInformation ?? []).map((r) => [vscode.workspace.asRelativePath(r.location.uri), r.message])]),
        [
          [
            'New file excluded by spec .kiro/specs/billing-retry: its non-goal app/(marketing)/legacy/** covers this file.',
            [[design, 'exclude glob app/(marketing)/legacy/**']],
          ],
        ],
      );
      const titles = (await lenses(uri)).map((l) => l.title.replace(/^\$\([a-z-]+\) /, ''));
      assert.ok(titles.includes(`Excluded by spec billing-retry: ${rel} is a non-goal (app/(marketing)/legacy/**)`), titles.join(' | '));
    } finally {
      await writeFile(path.join(root, design), text);
      await rm(path.join(root, 'app'), { recursive: true, force: true });
    }
    await waitFor('the diagnostic to go with the file', () => specGateDiagnostics(workspaceUri(rel)).length === 0);
  });

  it('follows a file renamed outside the editor', async () => {
    const root = workspaceRoot();
    const from = path.join(root, 'src/billing/attempts.ts');
    const to = path.join(root, 'src/billing/attempt-log.ts');
    await rename(from, to);
    try {
      const codes = await waitFor('a finding on the new name', () => {
        const c = specGateDiagnostics(vscode.Uri.file(to)).map(codeOf);
        return c.length > 0 && c;
      });
      assert.ok(codes.includes('SG101'), `the new name is outside the spec: ${codes.join(', ')}`);
    } finally {
      await rename(to, from);
    }
    await waitFor('the finding to go with the rename back', () => specGateDiagnostics(vscode.Uri.file(to)).length === 0);
  });

  it('reports the deletion of a protected file', async () => {
    const rel = '.github/workflows/ci.yml';
    const root = workspaceRoot();
    const abs = path.join(root, rel);
    try {
      await vscode.workspace.fs.writeFile(vscode.Uri.file(abs), Buffer.from('on: push\njobs: {}\n'));
      await git(root, 'add', '--', rel);
      await git(root, '-c', 'user.name=Fixture', '-c', 'user.email=f@example.com', 'commit', '-q', '-m', 'CI', '--', rel);
      await api.model.refresh();
      await unlink(abs);
      const codes = await waitFor('the deletion findings', () => {
        const c = specGateDiagnostics(vscode.Uri.file(abs)).map(codeOf);
        return c.includes('SG210') && c;
      });
      assert.ok(codes.includes('SG201'), `file-deleted too: ${codes.join(', ')}`);
    } finally {
      const base = (await git(root, 'rev-parse', '--verify', `${BASE_REF}^{commit}`)).trim();
      await git(root, 'reset', '-q', '--soft', base);
      await git(root, 'reset', '-q', '--', rel).catch(() => undefined);
      await rm(path.join(root, '.github'), { recursive: true, force: true });
      await api.model.refresh();
    }
  });

  it('calls an unsaved re-indent a whitespace change (SG202 warning), as it will be on save, a real edit among it a reformat (warning), and every moved line edited a rewrite', async () => {
    const rel = 'src/billing/table.ts';
    const root = workspaceRoot();
    const abs = path.join(root, rel);
    const lines = (indent: string) => Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? `function f${i}() {\n` : `${indent}return ${i};\n`)).join('');
    try {
      await writeFile(abs, lines('  '));
      await git(root, 'add', '--', rel);
      await git(root, '-c', 'user.name=Fixture', '-c', 'user.email=f@example.com', 'commit', '-q', '-m', 'table', '--', rel);
      await api.model.refresh();
      const uri = vscode.Uri.file(abs);
      const editor = await vscode.window.showTextDocument(uri);
      const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
      await editor.edit((e) => e.replace(whole, lines('\t')));
      const sg202 = () => specGateDiagnostics(uri).filter((d) => codeOf(d) === 'SG202').map((d) => [d.severity, d.message]);
      const reindent = await waitFor('SG202 on the unsaved re-indent', () => sg202().length > 0 && sg202());
      assert.deepEqual(reindent, [[vscode.DiagnosticSeverity.Warning, 'Only whitespace changed, on 75% of its 24 lines: re-indented, nothing else. Indentation is meaning in Python, YAML or a Makefile.']]);
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), lines('\t').replace('return 5;', 'return 50;')));
      const reformat = await waitFor('SG202 as a reformat once a line really changed', () => String(sg202()[0]?.[1]).startsWith('Reformatted') && sg202());
      // (The Problems panel shows the finding's text plain: no code span backticks.)
      assert.deepEqual(reformat, [
        [
          vscode.DiagnosticSeverity.Warning,
          "Reformatted, not rewritten: 75% of its 24 lines changed, but only 6% of their content: of their 36 words and symbols, 1 removed and 1 added; the rest only laid out anew (whitespace, line breaks, quotes, semicolons, trailing commas). Read the edits word by word (git diff --word-diff-regex='[[:alnum:]_$]+|[^[:space:]]').",
        ],
      ]);
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), lines('\t').replace(/return (\d+);/g, 'return $1 * 2;')));
      const rewrite = await waitFor('SG202 as a rewrite once every moved line changed', () => sg202()[0]?.[0] === vscode.DiagnosticSeverity.Error && sg202());
      assert.deepEqual(rewrite, [[vscode.DiagnosticSeverity.Error, 'Most of the file was replaced: 75% of its 24 lines removed, 18 added (delete-and-recreate).']]);
    } finally {
      await closeAll();
      const base = (await git(root, 'rev-parse', '--verify', `${BASE_REF}^{commit}`)).trim();
      await git(root, 'reset', '-q', '--soft', base);
      await git(root, 'reset', '-q', '--', rel).catch(() => undefined);
      await rm(abs, { force: true });
      await api.model.refresh();
    }
  });

  describe('quick fixes, each undone by one undo', () => {
    const line = FIXTURE_CHANGE.outOfScopeLine - 1;

    beforeEach(async () => {
      await waitFor('the out-of-scope lens', async () => (await lenses(outUri())).some((l) => l.title.includes(REASON)));
    });

    it('offers the three fixes on the out-of-scope hunk', async () => {
      const titles = (await quickFixes(outUri(), line)).map((a) => a.title);
      assert.equal(titles[0], `Add ${OUT} to the scope of spec billing-retry`);
      assert.ok(titles.includes(`Link ${OUT} to task 2: Record each attempt`), titles.join(' | '));
      assert.ok(titles.includes(`Link ${OUT} to task 1: Add the retry policy`), titles.join(' | '));
      assert.equal(titles[titles.length - 1], 'Revert this hunk to the base');
      assert.deepEqual(await quickFixes(outUri(), 0), [], 'no fix away from the hunk');
    });

    it('Add to scope writes the path into the spec, clears the lens, and undoes in one step', async () => {
      const specUri = workspaceUri('.kiro/specs/billing-retry/requirements.md');
      const before = await readFile(specUri.fsPath, 'utf8');
      const action = (await quickFixes(outUri(), line)).find((a) => a.title.startsWith('Add '));
      assert.ok(action);
      assert.equal(await run(action), true);
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.fsPath, specUri.fsPath, 'the spec is shown');
      assert.equal(doc.getText(), `---\nscope:\n  - ${OUT}\n---\n${before}`);
      assert.equal(await readFile(specUri.fsPath, 'utf8'), before, 'nothing was saved');
      await waitFor('the lens to go (unsaved spec re-read)', async () => !(await lenses(outUri())).some((l) => l.title.includes(REASON)));
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), before);
      assert.equal(doc.isDirty, false);
      await waitFor('the lens to come back', async () => (await lenses(outUri())).some((l) => l.title.includes(REASON)));
    });

    it('from a Changes view row, Add to Scope acts on that row\'s file only: a row VS Code forgot (no argument) changes nothing, not the file in the editor', async () => {
      const specUri = workspaceUri('.kiro/specs/billing-retry/requirements.md');
      const before = await readFile(specUri.fsPath, 'utf8');
      await vscode.window.showTextDocument(outUri(), { preview: false });
      assert.equal(await vscode.commands.executeCommand('specgate.addToScopeRow'), false);
      assert.equal(await vscode.commands.executeCommand('specgate.linkToTaskRow'), false);
      const spec = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === specUri.fsPath);
      assert.ok(!spec?.isDirty, 'no spec buffer edited');
      assert.equal(await readFile(specUri.fsPath, 'utf8'), before);
      // The row's own argument: its file, whatever the editor shows.
      assert.equal(await vscode.commands.executeCommand('specgate.addToScopeRow', { id: 'row', file: outUri().fsPath }), true);
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.fsPath, specUri.fsPath);
      assert.equal(doc.getText(), `---\nscope:\n  - ${OUT}\n---\n${before}`);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), before);
    });

    it('Link to task appends the path to the task line, and undoes in one step', async () => {
      const tasksUri = workspaceUri('.kiro/specs/billing-retry/tasks.md');
      const before = await readFile(tasksUri.fsPath, 'utf8');
      const action = (await quickFixes(outUri(), line)).find((a) => a.title.startsWith(`Link ${OUT} to task 2`));
      assert.ok(action);
      assert.equal(await run(action), true);
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.fsPath, tasksUri.fsPath);
      assert.equal(doc.getText(), before.replace('- [ ] 2. Record each attempt', `- [ ] 2. Record each attempt \`${OUT}\``));
      await waitFor('the lens to go', async () => !(await lenses(outUri())).some((l) => l.title.includes(REASON)));
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), before);
      assert.equal(doc.isDirty, false);
    });

    it('Link to task finds a task whose title wraps onto the next line', async () => {
      const rel = '.kiro/specs/billing-retry/tasks.md';
      const tasksUri = workspaceUri(rel);
      const before = await readFile(tasksUri.fsPath, 'utf8');
      await writeFile(tasksUri.fsPath, `${before}\n- [ ] 3. Fix\n  the session expiry\n  - _Requirements: 1.1_\n`);
      try {
        await api.model.refresh();
        // A tasks.md buffer still open from an earlier test is reloaded from disk a moment later.
        await waitFor('tasks.md as VS Code holds it to have task 3', async () => (await vscode.workspace.openTextDocument(tasksUri)).getText().includes('- [ ] 3. Fix'));
        const action = await waitFor('a quick fix "Link … to task 3: Fix the session expiry"', async () =>
          (await quickFixes(outUri(), line)).find((a) => a.title === `Link ${OUT} to task 3: Fix the session expiry`),
        );
        assert.equal(await run(action), true, 'the link is made');
        const doc = vscode.window.activeTextEditor?.document;
        assert.equal(doc?.uri.fsPath, tasksUri.fsPath);
        assert.ok(doc.getText().includes(`- [ ] 3. Fix \`${OUT}\`\n  the session expiry\n`), doc.getText());
      } finally {
        await closeAll();
        await writeFile(tasksUri.fsPath, before);
        await api.model.refresh();
      }
    });

    /** A new out-of-scope file named `rel`, analysed; removed again by the returned function. */
    async function newOutOfScopeFile(rel: string): Promise<{ uri: vscode.Uri; remove: () => Promise<void> }> {
      const uri = vscode.Uri.file(path.join(workspaceRoot(), rel));
      await writeFile(uri.fsPath, 'export const odd = 1;\n');
      await waitFor(`the out-of-scope diagnostic on ${JSON.stringify(rel)}`, () => specGateDiagnostics(uri).some((d) => codeOf(d) === 'SG101'));
      await vscode.workspace.openTextDocument(uri);
      return {
        uri,
        remove: async () => {
          await closeAll();
          await rm(uri.fsPath, { force: true });
          await waitFor('the diagnostics to go with the file', () => specGateDiagnostics(uri).length === 0);
        },
      };
    }

    it('Link to task and Add to scope refuse a file name holding a newline, and leave the spec untouched', async () => {
      const rel = 'src/auth/new\nline.ts';
      const { uri, remove } = await newOutOfScopeFile(rel);
      const tasksUri = workspaceUri('.kiro/specs/billing-retry/tasks.md');
      const reqUri = workspaceUri('.kiro/specs/billing-retry/requirements.md');
      try {
        const titles = (await quickFixes(uri, 0)).map((a) => a.title);
        assert.ok(titles.includes('Link src/auth/new\\u{a}line.ts to task 2: Record each attempt'), titles.join(' | '));
        const tasks = await vscode.workspace.openTextDocument(tasksUri);
        const req = await vscode.workspace.openTextDocument(reqUri);
        const [tasksBefore, reqBefore] = [tasks.getText(), req.getText()];
        assert.equal(await vscode.commands.executeCommand(CommandId.LinkToTask, { uri: uri.toString(), taskId: '2' }), false);
        assert.equal(await vscode.commands.executeCommand(CommandId.LinkToTask, { uri: uri.toString() }), false, 'refused before a task is asked for');
        assert.equal(await vscode.commands.executeCommand(CommandId.AddToScope, { uri: uri.toString() }), false);
        assert.deepEqual([tasks.getText(), tasks.isDirty, req.getText(), req.isDirty], [tasksBefore, false, reqBefore, false]);
      } finally {
        await remove();
      }
    });

    it('Add to scope and Link to task on a spec file deleted since the last analysis change nothing', async () => {
      const specUri = workspaceUri('.kiro/specs/billing-retry/requirements.md');
      const tasksUri = workspaceUri('.kiro/specs/billing-retry/tasks.md');
      try {
        // requirements.md shown in an editor (VS Code keeps its buffer once the file goes), tasks.md only on disk.
        const shown = await vscode.window.showTextDocument(specUri, { preview: false });
        await unlink(specUri.fsPath);
        // At once, before the file watcher has the spec read again.
        assert.equal(await vscode.commands.executeCommand(CommandId.AddToScope, { uri: outUri().toString() }), false);
        await unlink(tasksUri.fsPath);
        assert.equal(await vscode.commands.executeCommand(CommandId.LinkToTask, { uri: outUri().toString(), taskId: '2' }), false);
        assert.ok(!existsSync(specUri.fsPath) && !existsSync(tasksUri.fsPath), 'no spec file was made again');
        assert.equal(shown.document.isDirty, false, 'the buffer of the deleted requirements.md is not edited');
        const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && [specUri.fsPath, tasksUri.fsPath].includes(d.uri.fsPath));
        assert.deepEqual(dirty.map((d) => d.uri.fsPath), [], 'no edited buffer of a deleted spec file');
      } finally {
        await closeAll();
        await resetWorkspace();
        await api.model.refresh();
      }
    });

    it('Link to task names a file whose name has spaces so the spec reads it back: the lens goes', async () => {
      const rel = 'src/auth/my session.ts';
      const { uri, remove } = await newOutOfScopeFile(rel);
      try {
        assert.equal(await vscode.commands.executeCommand(CommandId.LinkToTask, { uri: uri.toString(), taskId: '2' }), true);
        const doc = vscode.window.activeTextEditor?.document;
        assert.ok(doc?.getText().includes(`- [ ] 2. Record each attempt \`"${rel}"\`\n`), doc?.getText());
        await waitFor('the out-of-scope error to become the warning that the change widened the spec (unsaved spec re-read)', () => widenedOnly(uri));
        await vscode.commands.executeCommand('undo');
        assert.equal(doc?.isDirty, false, 'one undo restores the spec');
      } finally {
        await remove();
      }
    });

    it('Link to task names a file in a route folder (src/auth/[id]/(group)/page.tsx) so the spec reads it back: the lens goes', async () => {
      const rel = 'src/auth/[id]/(group)/page.tsx';
      await mkdir(path.join(workspaceRoot(), 'src/auth/[id]/(group)'), { recursive: true });
      const { uri, remove } = await newOutOfScopeFile(rel);
      try {
        assert.equal(await vscode.commands.executeCommand(CommandId.LinkToTask, { uri: uri.toString(), taskId: '2' }), true);
        const doc = vscode.window.activeTextEditor?.document;
        assert.ok(doc?.getText().includes(`- [ ] 2. Record each attempt \`${rel}\`\n`), doc?.getText());
        await waitFor('the out-of-scope error to become the warning that the change widened the spec (unsaved spec re-read)', () => widenedOnly(uri));
        await vscode.commands.executeCommand('undo');
        assert.equal(doc?.isDirty, false, 'one undo restores the spec');
      } finally {
        await remove();
        await rm(path.join(workspaceRoot(), 'src/auth/[id]'), { recursive: true, force: true });
      }
    });

    it('Revert hunk restores the base lines in the buffer, and undoes in one step', async () => {
      const editor = await vscode.window.showTextDocument(outUri());
      const changed = editor.document.getText();
      const base = await git(workspaceRoot(), 'show', `${BASE_REF}:${OUT}`);
      const action = (await quickFixes(outUri(), line)).find((a) => a.title.startsWith('Revert'));
      assert.ok(action);
      assert.equal(await run(action), true);
      assert.equal(editor.document.getText(), base);
      assert.equal(editor.document.isDirty, true, 'the revert is not saved');
      await waitFor('the lens to go', async () => !(await lenses(outUri())).some((l) => l.title.includes(REASON)));
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), changed);
      assert.equal(editor.document.isDirty, false);
    });
    it('refuses Revert hunk and Add to scope on files the editor holds read-only (files.readonlyInclude), changing nothing', async () => {
      const files = vscode.workspace.getConfiguration('files');
      await files.update('readonlyInclude', { 'src/auth/**': true, '.kiro/**': true }, vscode.ConfigurationTarget.Workspace);
      const reqUri = workspaceUri('.kiro/specs/billing-retry/requirements.md');
      try {
        const editor = await vscode.window.showTextDocument(outUri());
        const changed = editor.document.getText();
        const action = (await quickFixes(outUri(), line)).find((a) => a.title.startsWith('Revert'));
        assert.ok(action);
        // VS Code itself applies an edit to such a buffer: it could then be neither saved nor undone.
        assert.equal(await run(action), false);
        assert.deepEqual([editor.document.getText(), editor.document.isDirty], [changed, false]);
        const req = await vscode.workspace.openTextDocument(reqUri);
        const before = req.getText();
        assert.equal(await vscode.commands.executeCommand(CommandId.AddToScope, { uri: outUri().toString() }), false);
        assert.deepEqual([req.getText(), req.isDirty], [before, false]);
        // Excluded again (files.readonlyExclude): the fix applies.
        await files.update('readonlyExclude', { 'src/auth/session.ts': true }, vscode.ConfigurationTarget.Workspace);
        assert.equal(await run(action), true);
        assert.equal(editor.document.isDirty, true);
        await vscode.commands.executeCommand('undo');
        assert.equal(editor.document.getText(), changed);
      } finally {
        await files.update('readonlyInclude', undefined, vscode.ConfigurationTarget.Workspace);
        await files.update('readonlyExclude', undefined, vscode.ConfigurationTarget.Workspace);
        await closeAll();
      }
    });
  });

  it('shows what each task changed and what covers each requirement in the spec files', async () => {
    const tasks = workspaceUri('.kiro/specs/billing-retry/tasks.md');
    const found = await waitFor('the task lenses', async () => {
      const l = await lenses(tasks);
      return l.length === 2 && l;
    });
    assert.deepEqual(
      found.map((l) => [l.line, l.title]),
      [
        [2, '1 changed file · 1 hunk'],
        [6, 'No changes yet'],
      ],
    );
    const reqs = await lenses(workspaceUri('.kiro/specs/billing-retry/requirements.md'));
    assert.deepEqual(
      reqs.map((l) => [l.line, l.title]),
      [
        [9, 'Covered by task 1 · 1 changed file'],
        [19, 'Not covered: task 2, no changed file'],
      ],
    );
  });

  describe('settings', () => {
    const specgate = () => vscode.workspace.getConfiguration('specgate');
    afterEach(async () => {
      for (const key of ['codeLens.enabled', 'codeLens.inScope', 'severity']) {
        await specgate().update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('adds a quiet lens naming task and requirement over in-scope hunks when asked', async () => {
      const uri = workspaceUri(FIXTURE_CHANGE.inScope);
      await specgate().update('codeLens.inScope', true, vscode.ConfigurationTarget.Global);
      const found = await waitFor('the in-scope lens', async () => {
        const l = await lenses(uri);
        return l.length > 0 && l;
      });
      assert.deepEqual(
        found.map((l) => [l.line, l.title]),
        [[3, 'In scope: task 1 (Add the retry policy) · requirement 1']],
      );
    });

    it('removes every lens while code lenses are off', async () => {
      await waitFor('the out-of-scope lens', async () => (await lenses(outUri())).length > 0);
      await specgate().update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor('no lens', async () => (await lenses(outUri())).length === 0);
      await specgate().update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the lens back', async () => (await lenses(outUri())).length === 4);
    });

    it('ignores a setting of the wrong type (a number as baseRef, a string as protectedPaths) and keeps analysing', async () => {
      try {
        await specgate().update('baseRef', 42, vscode.ConfigurationTarget.Global);
        await specgate().update('protectedPaths', 'src/**', vscode.ConfigurationTarget.Global);
        await api.model.refresh();
        const [state] = api.model.folders();
        assert.equal(state.error, undefined);
        assert.ok(state.report, 'the change is still analysed against HEAD');
        await waitFor('the out-of-scope lens', async () => (await lenses(outUri())).some((l) => l.title.includes(REASON)));
      } finally {
        await specgate().update('baseRef', undefined, vscode.ConfigurationTarget.Global);
        await specgate().update('protectedPaths', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('names the setting when specgate.baseRef is a revision that does not exist', async () => {
      try {
        await specgate().update('baseRef', 'no-such-branch', vscode.ConfigurationTarget.Global);
        await api.model.refresh();
        const [state] = api.model.folders();
        assert.equal(state.report, undefined);
        assert.equal(state.error, "unknown revision 'no-such-branch' (the setting specgate.baseRef): no branch, tag or commit of that name here; check the name, or fetch it first");
      } finally {
        await specgate().update('baseRef', undefined, vscode.ConfigurationTarget.Global);
        await api.model.refresh();
      }
    });

    it('takes diagnostic severities per kind from the settings, and hides a kind set to off', async () => {
      await specgate().update('severity', { 'out-of-scope': 'warning' }, vscode.ConfigurationTarget.Global);
      await waitFor('a warning', () => specGateDiagnostics(outUri()).some((d) => codeOf(d) === 'SG101' && d.severity === vscode.DiagnosticSeverity.Warning));
      await specgate().update('severity', { 'out-of-scope': 'off' }, vscode.ConfigurationTarget.Global);
      await waitFor('no SG101', () => !specGateDiagnostics(outUri()).some((d) => codeOf(d) === 'SG101'));
      await specgate().update('severity', undefined, vscode.ConfigurationTarget.Global);
      await waitFor('the error back', () => specGateDiagnostics(outUri()).some((d) => codeOf(d) === 'SG101' && d.severity === vscode.DiagnosticSeverity.Error));
    });
  });

  it('runs no git in an untrusted workspace, and still lists the specs', async function () {
    // The test host runs with workspace trust disabled, so an untrusted model is built
    // through the API hook. A `git` wrapper first on PATH logs every git this process starts.
    const bin = await mkdtemp(path.join(tmpdir(), 'sg-gitspy-'));
    const logFile = path.join(bin, 'calls.log');
    const realGit = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', 'command -v git'], (err, out) => (err ? reject(err) : resolve(out.trim()))),
    );
    await writeFile(path.join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${logFile}'\nexec '${realGit}' "$@"\n`);
    await chmod(path.join(bin, 'git'), 0o755);
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${oldPath ?? ''}`;
    const models: Model[] = [];
    try {
      await api.model.idle();
      const trusted = api.createModel({ trusted: true });
      models.push(trusted);
      await trusted.refresh();
      assert.ok(existsSync(logFile), 'the spy sees the git a trusted model runs');
      assert.ok(trusted.gitRuns > 0);
      trusted.dispose();

      // The spy sees every git of this process, the extension's own model's too (a file
      // event from an earlier test can make it refresh). A window in which that model ran
      // none is needed to tell: up to three tries, each with a new untrusted model.
      for (let attempt = 1; ; attempt++) {
        await api.model.idle();
        await rm(logFile, { force: true });
        const mainRuns = api.model.gitRuns;
        const untrusted = api.createModel({ trusted: false });
        models.push(untrusted);
        await untrusted.refresh();
        const [state] = untrusted.folders();
        assert.deepEqual(state.specs.map((s) => s.id), [FIXTURE_CHANGE.specId]);
        assert.equal(state.activeSpec?.id, FIXTURE_CHANGE.specId);
        assert.equal(state.report, undefined);
        assert.equal(state.trusted, false);
        assert.match(state.error ?? '', /not trusted.*runs no git/);
        assert.equal(untrusted.gitRuns, 0);
        const logged = existsSync(logFile) ? await readFile(logFile, 'utf8') : '';
        if (api.model.gitRuns === mainRuns) {
          assert.equal(logged, '', 'no git process started');
          break;
        }
        assert.ok(attempt < 3, `the extension's model ran git in each of ${attempt} tries, so the spy could not tell whose git it saw`);
      }
    } finally {
      process.env.PATH = oldPath;
      for (const m of models) m.dispose();
      await rm(bin, { recursive: true, force: true });
    }
  });
});
