// Spec language support and the diff side of the sidebar in the real extension host: hover
// and go-to-definition on a requirement reference in tasks.md, and the base content the
// Changes view diffs against.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BASE_REF, createFixtureRepo, git, resetWorkspace, waitFor, workspaceRoot, workspaceUri } from './fixtures';

const TASKS = '.kiro/specs/billing-retry/tasks.md';
const REQUIREMENTS = '.kiro/specs/billing-retry/requirements.md';

interface Api {
  model: { refresh(): Promise<void>; folders(): readonly { specs: readonly unknown[] }[] };
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n')
    .replace(/&nbsp;/g, ' ');
}

describe('spec language support', () => {
  before(async () => {
    await resetWorkspace();
    const ext = vscode.extensions.getExtension<Api>('specgate.specgate')!;
    const a = await ext.activate();
    await a.model.refresh();
    await waitFor('specs loaded', () => (a.model.folders()[0]?.specs.length ?? 0) > 0);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetWorkspace();
  });

  it('hover on `1.2` in a _Requirements:_ line shows the criterion and its requirement', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceUri(TASKS));
    const line = doc.lineAt(4).text;
    assert.equal(line, '  - _Requirements: 1.1, 1.2_');
    const pos = new vscode.Position(4, line.indexOf('1.2') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
    const text = hoverText(hovers);
    assert.match(text, /Criterion 1\.2/);
    assert.match(text, /Requirement 1: Retry failed payments/);
    assert.match(text, /wait 2\^n minutes before it runs/);
  });

  it('go to definition on `2.1` jumps to the criterion line in requirements.md', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceUri(TASKS));
    const line = doc.lineAt(8).text;
    const pos = new vscode.Position(8, line.indexOf('2.1'));
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
    const mine = defs.map((d) => ('targetUri' in d ? { uri: d.targetUri, line: d.targetRange.start.line } : { uri: d.uri, line: d.range.start.line }));
    assert.deepEqual(
      mine.map((d) => [path.relative(workspaceRoot(), d.uri.fsPath).split(path.sep).join('/'), d.line + 1]),
      [[REQUIREMENTS, 27]],
    );
  });

  it('no hover on a task number or plain prose', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceUri(TASKS));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 6));
    assert.doesNotMatch(hoverText(hovers), /Criterion|Requirement/);
  });

  it('the specgate-base: document of a changed file is its content in the base commit', async () => {
    const root = workspaceRoot();
    const commit = (await git(root, 'rev-parse', '--verify', '--end-of-options', `${BASE_REF}^{commit}`)).trim();
    const uri = vscode.Uri.from({ scheme: 'specgate-base', path: '/src/auth/session.ts', query: JSON.stringify({ root, commit }) });
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.getText(), await git(root, 'show', `${commit}:src/auth/session.ts`));
    assert.match(doc.getText(), /SESSION_TTL_MINUTES \* 60_000;/);
    const added = await vscode.workspace.openTextDocument(
      vscode.Uri.from({ scheme: 'specgate-base', path: '/src/new.ts', query: JSON.stringify({ root, commit: null }) }),
    );
    assert.equal(added.getText(), '');
  });

  it('the specgate-base: scheme reads nothing from a repository outside the workspace', async () => {
    const other = await createFixtureRepo();
    try {
      const commit = (await other.git('rev-parse', 'HEAD')).trim();
      assert.match(await other.git('cat-file', 'blob', `${commit}:src/auth/session.ts`), /SESSION_TTL_MINUTES/);
      const doc = await vscode.workspace.openTextDocument(
        vscode.Uri.from({ scheme: 'specgate-base', path: '/src/auth/session.ts', query: JSON.stringify({ root: other.root, commit }) }),
      );
      assert.equal(doc.getText(), '');
    } finally {
      await other.cleanup();
    }
  });
});
