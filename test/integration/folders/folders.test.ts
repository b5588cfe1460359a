// Workspace folders in every relation to git a user can open, in one multi-root workspace
// (test/vscode/foldersWorkspace.mjs): a repository with a folder nested in it, a folder opened
// through a symbolic link, a folder in no repository, and a folder inside a part of a
// repository that git ignores. Each repository is analysed once and shown once; paths are
// the ones the workspace names; git-ignored and git-less folders say what they are, without
// contradicting themselves; an untrusted model runs no git for any of them.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { git, waitFor } from '../fixtures';

interface Snap {
  label: string;
  description?: string;
  file?: string;
  children: Snap[];
}

interface State {
  folder: vscode.WorkspaceFolder;
  repoRoot?: string;
  specs: readonly { id: string }[];
  activeSpec?: { id: string };
  report?: { digest: string; changes: readonly { path: string }[] };
  error?: string;
  note?: string;
  owner?: State;
  trusted: boolean;
  paths: { toUri(repoPath: string): vscode.Uri };
}

interface Model {
  refresh(): Promise<void>;
  idle(): Promise<void>;
  dispose(): void;
  readonly gitRuns: number;
  folders(): readonly State[];
}

interface Api {
  model: Model;
  trees: { specs(): Promise<Snap[]>; changes(): Promise<Snap[]>; review(): Promise<Snap[]> };
  click(view: 'specs' | 'changes' | 'review', labels: readonly string[]): Promise<boolean>;
  createModel(o: { trusted: boolean }): Model;
}

const NESTED_ROW = 'Same repository as billing-service: its specs, changes and review are shown there';
const NEEDS_GIT = 'SpecGate lists the specs but needs a git repository to analyse changes';
const NO_GIT_ROW = 'No git repository: no analysis';
const PROJ_SPEC = 'docs/specs/proj-notes.md';
const KIRO_SPEC = '.kiro/specs/billing-retry';

function folder(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((x) => x.name === name);
  assert.ok(f, `workspace folder ${name} (the runner opens test/vscode/foldersWorkspace.mjs's workspace)`);
  return f;
}

function stateOf(model: Model, name: string): State {
  const s = model.folders().find((x) => x.folder.name === name);
  assert.ok(s, `state of ${name}`);
  return s;
}

/** Label and description only, for exact comparisons. */
function shape(nodes: Snap[]): unknown[] {
  return nodes.map((n) => {
    const text = n.description === undefined ? n.label : `${n.label} — ${n.description}`;
    return n.children.length > 0 ? { [text]: shape(n.children) } : text;
  });
}

function files(nodes: Snap[], out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.file !== undefined) out.push(n.file);
    files(n.children, out);
  }
  return out;
}

function labels(nodes: Snap[], out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(n.label);
    labels(n.children, out);
  }
  return out;
}

function under(root: Snap[], name: string): Snap {
  const n = root.find((x) => x.label === name);
  assert.ok(n, `a ${name} node among ${root.map((x) => x.label).join(', ')}`);
  return n;
}

function specGateDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([u, ds]) => [u, ds.filter((d) => d.source === 'SpecGate')] as [vscode.Uri, vscode.Diagnostic[]])
    .filter(([, ds]) => ds.length > 0);
}

async function settled(a: Api): Promise<void> {
  await a.model.refresh();
  await a.model.idle();
  await waitFor('billing-service, linked and proj analysed', () =>
    ['billing-service', 'linked', 'proj'].every((n) => stateOf(a.model, n).report !== undefined),
  );
}

describe('workspace folders and git', function () {
  this.timeout(60000);
  let a: Api;
  let ws: string;

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
    assert.ok(ext, 'extension not loaded');
    a = await ext.activate();
    assert.ok(vscode.workspace.workspaceFile, 'the folders suite runs in a .code-workspace');
    ws = path.dirname(vscode.workspace.workspaceFile.fsPath);
    await settled(a);
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  describe('a folder nested in another folder of the same repository', () => {
    it('follows the outer folder: no specs or analysis of its own', () => {
      const outer = stateOf(a.model, 'billing-service');
      const nested = stateOf(a.model, 'auth');
      assert.equal(nested.owner, outer);
      assert.equal(nested.report, undefined);
      assert.deepEqual(nested.specs, []);
      assert.equal(nested.error, undefined);
      assert.deepEqual(outer.report?.changes.map((c) => c.path), ['src/auth/session.ts', 'src/billing/retry.ts']);
    });

    it('the sidebar lists the repository once, and the nested folder points to it in every view', async () => {
      const changes = await a.trees.changes();
      assert.deepEqual(shape([under(changes, 'auth')]), [{ 'auth — in billing-service': [NESTED_ROW] }]);
      assert.deepEqual(shape([under(changes, 'billing-service')]), [
        {
          'billing-service — 2 changed': [
            { 'Out of scope — 1': ['session.ts — M · src/auth · +1 −1'] },
            { 'In scope — 1': [{ '1 Add the retry policy — 1': ['retry.ts — M · src/billing · +1 −1'] }] },
          ],
        },
      ]);
      const repo = folder('billing-service').uri.fsPath;
      assert.deepEqual(files(changes).filter((f) => f.startsWith(repo + path.sep)).sort(), [
        path.join(repo, 'src/auth/session.ts'),
        path.join(repo, 'src/billing/retry.ts'),
      ]);
      assert.deepEqual(shape([under(await a.trees.specs(), 'auth')]), [{ 'auth — in billing-service': [NESTED_ROW] }]);
      assert.deepEqual(shape([under(await a.trees.review(), 'auth')]), [{ 'auth — in billing-service': [NESTED_ROW] }]);
    });

    it('a file of the nested folder gets its diagnostic once and its code lens from the shared analysis', async () => {
      const uri = vscode.Uri.file(path.join(folder('auth').uri.fsPath, 'session.ts'));
      assert.equal(vscode.workspace.getWorkspaceFolder(uri)?.name, 'auth');
      const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'SpecGate');
      assert.deepEqual(
        diags.map((d) => [typeof d.code === 'object' ? d.code.value : d.code, d.range.start.line + 1]),
        [['SG101', 4]],
      );
      await vscode.workspace.openTextDocument(uri);
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      const titles = lenses.map((l) => l.command?.title ?? '');
      assert.ok(titles.includes('$(error) Outside spec billing-retry: no task or scope glob covers src/auth/session.ts'), `lenses: ${titles.join(' | ')}`);
    });
  });

  describe('a folder opened through a symbolic link', () => {
    it('the Changes view shows and opens the files by the folder\'s path, with the base content beside them', async () => {
      const linked = folder('linked').uri.fsPath;
      assert.equal(linked, path.join(ws, 'linked'));
      const real = await realpath(linked);
      assert.notEqual(real, linked);
      const changes = await a.trees.changes();
      assert.deepEqual(files([under(changes, 'linked')]).sort(), [path.join(linked, 'src/auth/session.ts'), path.join(linked, 'src/billing/retry.ts')]);
      assert.ok(await a.click('changes', ['linked', 'Out of scope', 'session.ts']), 'session.ts under linked can be clicked');
      const tab = await waitFor('the diff editor', () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff ? input : undefined;
      });
      assert.equal(tab.modified.fsPath, path.join(linked, 'src/auth/session.ts'));
      const base = await vscode.workspace.openTextDocument(tab.original);
      assert.match(base.getText(), /^export const SESSION_TTL_MINUTES = 30;\n/);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath.startsWith(real + path.sep)), 'no document opened by the real path');
    });

    it('the Specs view opens the spec by the folder\'s path', async () => {
      const linked = folder('linked').uri.fsPath;
      assert.ok(await a.click('specs', ['linked', 'billing-retry', 'Requirements', '1 Retry failed payments']));
      const editor = await waitFor('an editor on requirements.md', () => vscode.window.activeTextEditor);
      assert.equal(editor.document.uri.fsPath, path.join(linked, '.kiro/specs/billing-retry/requirements.md'));
    });

    it('diagnostics name the files by the folder\'s path', () => {
      const real = path.join(ws, 'real');
      const uris = specGateDiagnostics().map(([u]) => u.fsPath);
      assert.ok(uris.includes(path.join(ws, 'linked', 'src/auth/session.ts')), uris.join(', '));
      assert.deepEqual(uris.filter((u) => u.startsWith(real + path.sep)), []);
    });

    it('hover and go to definition work in the linked spec and jump within the folder', async () => {
      const tasks = vscode.Uri.file(path.join(folder('linked').uri.fsPath, '.kiro/specs/billing-retry/tasks.md'));
      const doc = await vscode.workspace.openTextDocument(tasks);
      const line = doc.lineAt(8).text;
      assert.equal(line, '  - _Requirements: 2.1_');
      const pos = new vscode.Position(8, line.indexOf('2.1'));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const text = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
        .join('\n')
        .replace(/&nbsp;/g, ' ');
      assert.match(text, /Criterion 2\.1/);
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
      const targets = defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri).fsPath);
      assert.deepEqual(targets, [path.join(folder('linked').uri.fsPath, '.kiro/specs/billing-retry/requirements.md')]);
    });
  });

  describe('a folder in no git repository', () => {
    it('lists its own spec and says, once, that analysis needs a repository', async () => {
      const notes = stateOf(a.model, 'notes');
      assert.equal(notes.repoRoot, undefined);
      assert.deepEqual(notes.specs.map((s) => s.id), [KIRO_SPEC]);
      assert.ok(notes.error?.endsWith(NEEDS_GIT), notes.error);
      const specs = labels([under(await a.trees.specs(), 'notes')]);
      // The row says it short (the whole reason is its tooltip): once.
      assert.equal(specs.filter((l) => l === NO_GIT_ROW).length, 1);
    });

    it('a command that needs git, aimed at it, writes nothing', async () => {
      const dir = await vscode.commands.executeCommand<string | undefined>('specgate.exportBundle', { root: folder('notes').uri.fsPath, quiet: true });
      assert.equal(dir, undefined);
      assert.equal(existsSync(path.join(folder('notes').uri.fsPath, '.specgate')), false);
    });

    it('"git init" in a terminal makes it a repository, seen with no reload or refresh; removing .git makes it a folder without one again', async () => {
      const dir = folder('notes').uri.fsPath;
      await git(dir, 'init', '-q');
      try {
        const notes = await waitFor('notes in a repository of its own', () => {
          const s = stateOf(a.model, 'notes');
          return s.repoRoot !== undefined && s;
        });
        assert.equal(notes.repoRoot, await realpath(dir));
        assert.ok(!notes.error?.endsWith(NEEDS_GIT), notes.error);
        await waitFor('the Specs view no longer saying notes has no repository', async () => !labels([under(await a.trees.specs(), 'notes')]).includes(NO_GIT_ROW));
      } finally {
        await rm(path.join(dir, '.git'), { recursive: true, force: true });
      }
      const notes = await waitFor('notes without a repository again', () => {
        const s = stateOf(a.model, 'notes');
        return s.repoRoot === undefined && s.error?.endsWith(NEEDS_GIT) && s;
      });
      assert.deepEqual(notes.specs.map((s) => s.id), [KIRO_SPEC]);
      assert.equal(labels([under(await a.trees.specs(), 'notes')]).filter((l) => l === NO_GIT_ROW).length, 1);
    });
  });

  describe('a folder in a part of a repository that git ignores', () => {
    const note = (root: string) =>
      `Git ignores this folder: it lies in the repository ${root}, whose specs and change are shown; none of this folder's files is part of a change.`;
    const followingNote = (root: string) => `Git ignores this folder: it lies in the repository ${root}; none of this folder's files is part of a change.`;

    it('belongs to that repository, as git says, and says that git ignores it', async () => {
      const outer = await realpath(path.join(ws, 'outer'));
      const proj = stateOf(a.model, 'proj');
      assert.equal(proj.repoRoot, outer);
      assert.equal(proj.owner, undefined);
      assert.equal(proj.note, note(outer));
      assert.equal(proj.error, undefined);
      assert.deepEqual(proj.specs.map((s) => s.id), [KIRO_SPEC]);
      assert.deepEqual(proj.report?.changes.map((c) => c.path), ['src/auth/session.ts', 'src/billing/retry.ts']);
      const specs = await a.trees.specs();
      const rows = under(specs, 'proj').children;
      assert.equal(rows[0]?.label, note(outer));
      assert.deepEqual(labels([under(specs, 'proj')]).filter((l) => /git repository/.test(l)), []);
      assert.equal(under(await a.trees.changes(), 'proj').children[0]?.label, note(outer));
    });

    it('where git does not reach the repository above (GIT_CEILING_DIRECTORIES), it is a folder without one: its own spec, no other', async () => {
      const before = process.env.GIT_CEILING_DIRECTORIES;
      process.env.GIT_CEILING_DIRECTORIES = [before, path.join(ws, 'outer', 'build')].filter(Boolean).join(path.delimiter);
      try {
        await a.model.refresh();
        const proj = stateOf(a.model, 'proj');
        assert.equal(proj.repoRoot, undefined);
        assert.deepEqual(proj.specs.map((s) => s.id), [PROJ_SPEC]);
        assert.ok(proj.error?.endsWith(NEEDS_GIT), proj.error);
        assert.equal(proj.note, undefined);
        assert.equal(proj.report, undefined);
        const untrusted = a.createModel({ trusted: false });
        try {
          await untrusted.refresh();
          assert.equal(untrusted.gitRuns, 0);
          assert.equal(stateOf(untrusted, 'proj').repoRoot, undefined);
          assert.deepEqual(stateOf(untrusted, 'proj').specs.map((s) => s.id), [PROJ_SPEC]);
        } finally {
          untrusted.dispose();
        }
      } finally {
        if (before === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
        else process.env.GIT_CEILING_DIRECTORIES = before;
        await settled(a);
      }
    });

    it('once the repository itself is a workspace folder too, the ignored folder follows it', async () => {
      const outerPath = path.join(ws, 'outer');
      const count = vscode.workspace.workspaceFolders!.length;
      const added = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
      });
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.file(outerPath), name: 'outer' }));
      await added;
      try {
        const proj = await waitFor('proj following outer', () => {
          const s = a.model.folders().find((x) => x.folder.name === 'proj');
          return s?.owner?.folder.name === 'outer' ? s : undefined;
        });
        assert.equal(proj.report, undefined);
        await waitFor('outer analysed', () => stateOf(a.model, 'outer').report !== undefined);
        const changes = await a.trees.changes();
        assert.deepEqual(shape([under(changes, 'proj')]), [
          { 'proj — in outer': ['Same repository as outer: its specs, changes and review are shown there', followingNote(await realpath(outerPath))] },
        ]);
        assert.deepEqual(shape([under(await a.trees.specs(), 'proj')]), [
          { 'proj — in outer': ['Same repository as outer: its specs, changes and review are shown there', followingNote(await realpath(outerPath))] },
        ]);
        assert.equal(under(changes, 'outer').description, '2 changed');
      } finally {
        const removed = new Promise<void>((resolve) => {
          const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
        });
        vscode.workspace.updateWorkspaceFolders(count, 1);
        await removed;
        await settled(a);
      }
      assert.equal(stateOf(a.model, 'proj').owner, undefined);
    });
  });

  describe('a package folder of a repository with several specs', () => {
    it('takes the spec of its own folder, and says so, until another is chosen', async () => {
      const mono = path.join(ws, 'mono');
      const write = async (f: string, text: string) => {
        await mkdir(path.dirname(path.join(mono, f)), { recursive: true });
        await writeFile(path.join(mono, f), text);
      };
      await write('packages/ui/SPEC.md', '---\nscope: ["packages/ui/src/**"]\n---\n# UI\n');
      await write('packages/api/SPEC.md', '---\nscope: ["packages/api/src/**"]\n---\n# API\n');
      await write('.kiro/specs/auth/tasks.md', '# Tasks\n\n- [ ] 1. Edit `lib/auth.ts`\n');
      await write('packages/ui/src/button.ts', 'export const b = 1;\n');
      await write('packages/ui/src/old.ts', 'export const gone = 1;\n');
      await git(mono, 'init', '-q', '-b', 'main');
      await git(mono, 'add', '-A');
      await git(mono, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'base');
      await write('packages/ui/src/button.ts', 'export const b = 2;\n');
      await rm(path.join(mono, 'packages/ui/src/old.ts'));
      const count = vscode.workspace.workspaceFolders!.length;
      const added = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
      });
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.file(path.join(mono, 'packages/ui')), name: 'ui' }));
      await added;
      try {
        const ui = await waitFor('ui analysed', () => {
          const s = a.model.folders().find((x) => x.folder.name === 'ui');
          return s?.report !== undefined && s;
        });
        assert.deepEqual([ui.activeSpec?.id, ui.report!.changes.map((c) => c.path)], ['packages/ui/SPEC.md', ['packages/ui/src/button.ts', 'packages/ui/src/old.ts']]);
        const tree = [under(await a.trees.changes(), 'ui')];
        const rows = labels(tree);
        assert.ok(
          rows.includes('the workspace folder (packages/ui) picked the spec packages/ui/SPEC.md among 3 specs; choose another with SpecGate: Select Active Spec'),
          rows.join('\n'),
        );
        // A deleted file's row opens its base text beside nothing, titled as deleted (not a plain tab that reads as the file).
        const trail = (nodes: Snap[], label: string, above: string[] = []): string[] | undefined => {
          for (const n of nodes) {
            const here = [...above, n.label];
            if (n.label === label) return here;
            const below = trail(n.children, label, here);
            if (below) return below;
          }
          return undefined;
        };
        const row = trail(tree, 'old.ts');
        assert.ok(row && (await a.click('changes', row)), `old.ts among ${rows.join(', ')}`);
        const diff = await waitFor('the deleted file in a diff editor', () => {
          const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
          return tab?.input instanceof vscode.TabInputTextDiff ? { label: tab.label, input: tab.input } : undefined;
        });
        assert.equal(diff.label, 'packages/ui/src/old.ts (deleted: base ↔ nothing)');
        assert.deepEqual(
          [(await vscode.workspace.openTextDocument(diff.input.original)).getText(), (await vscode.workspace.openTextDocument(diff.input.modified)).getText()],
          ['export const gone = 1;\n', ''],
        );
      } finally {
        const removed = new Promise<void>((resolve) => {
          const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => (sub.dispose(), resolve()));
        });
        vscode.workspace.updateWorkspaceFolders(count, 1);
        await removed;
        await rm(mono, { recursive: true, force: true });
      }
    });
  });

  describe('an untrusted workspace', () => {
    it('runs no git, yet groups the nested folder and names the linked folder\'s files by its path', async () => {
      const m = a.createModel({ trusted: false });
      try {
        await m.refresh();
        assert.equal(m.gitRuns, 0);
        assert.equal(stateOf(m, 'auth').owner?.folder.name, 'billing-service');
        assert.deepEqual(stateOf(m, 'auth').specs, []);
        assert.deepEqual(stateOf(m, 'billing-service').specs.map((s) => s.id), [KIRO_SPEC]);
        assert.equal(stateOf(m, 'notes').repoRoot, undefined);
        assert.equal(stateOf(m, 'linked').repoRoot, await realpath(path.join(ws, 'linked')));
        assert.equal(stateOf(m, 'linked').paths.toUri('src/auth/session.ts').fsPath, path.join(ws, 'linked', 'src/auth/session.ts'));
        for (const s of m.folders()) assert.equal(s.report, undefined, `${s.folder.name} has no analysis`);
      } finally {
        m.dispose();
      }
    });
  });
});
