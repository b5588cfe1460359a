// Commits seen through the built-in git extension (vscode.git), told apart from SpecGate's own
// file system watcher: a second model is built without that watcher, so when a commit made
// outside the editor reaches it, the git extension's repository state is what brought it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FIXTURE_CHANGE, git, resetWorkspace, waitFor, workspaceRoot } from './fixtures';

interface Model {
  refresh(): Promise<void>;
  idle(): Promise<void>;
  dispose(): void;
  folders(): readonly { report?: { base: { commit: string | null }; changes: readonly { path: string }[] } }[];
}
interface Api {
  model: Model;
  createModel(o: { trusted: boolean; watchFiles?: boolean }): Model;
}
// The small part of the git extension's API (extensions/git/src/api/git.d.ts) read here.
interface GitApi {
  readonly repositories: readonly { readonly rootUri: vscode.Uri; readonly state: { readonly HEAD?: { commit?: string } } }[];
}

describe('the built-in git extension', function () {
  this.timeout(60_000);
  let api: Api;

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
    assert.ok(ext, 'SpecGate is installed in the test host');
    api = await ext.activate();
    await resetWorkspace();
    await api.model.refresh();
  });

  after(async () => {
    await resetWorkspace();
    await api.model.refresh();
  });

  it('brings a commit made outside the editor to a model that has no file watcher', async function () {
    const gitExt = vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): GitApi }>('vscode.git');
    if (!gitExt) this.skip(); // a host without the built-in git extension: the path under test is not there
    const exports = await gitExt!.activate();
    assert.ok(exports.enabled, 'git.enabled is on in the test host');
    const gitApi = exports.getAPI(1);
    const root = workspaceRoot();
    const rootUri = vscode.Uri.file(root).toString();
    const before = (await git(root, 'rev-parse', 'HEAD')).trim();
    // The git extension has read the repository (its HEAD is known) before the model starts.
    await waitFor('the git extension to open the fixture repository', () =>
      gitApi.repositories.some((r) => r.rootUri.toString() === rootUri && r.state.HEAD?.commit === before),
    );

    const model = api.createModel({ trusted: true, watchFiles: false });
    try {
      await model.refresh();
      const [state] = model.folders();
      assert.equal(state?.report?.base.commit, before);
      assert.ok(state?.report?.changes.some((c) => c.path === FIXTURE_CHANGE.outOfScope), 'the out-of-scope edit is uncommitted');

      await git(root, 'add', '--', FIXTURE_CHANGE.outOfScope);
      await git(root, '-c', 'user.name=Fixture', '-c', 'user.email=f@example.com', 'commit', '-q', '-m', 'session', '--', FIXTURE_CHANGE.outOfScope);
      const after = (await git(root, 'rev-parse', 'HEAD')).trim();

      // No refresh is asked for here and no file is saved in the editor: only the git
      // extension's state change can start the analysis that sees the new HEAD.
      const report = await waitFor(
        'the model to analyse against the new commit',
        () => {
          const r = model.folders()[0]?.report;
          return r?.base.commit === after && r;
        },
        30_000,
      );
      assert.ok(!report.changes.some((c) => c.path === FIXTURE_CHANGE.outOfScope), 'the committed file left the change set');
      assert.ok(report.changes.some((c) => c.path === FIXTURE_CHANGE.inScope), 'the uncommitted in-scope edit is still there');
    } finally {
      model.dispose();
    }
  });
});
