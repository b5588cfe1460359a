// The review panel after a window reload, in the real extension host: VS Code hands the
// extension's WebviewPanelSerializer a fresh panel and the state its webview saved. Here the
// panel is a real one (vscode.window.createWebviewPanel, the same view type) and the state is
// what media/review.js saves, or what a tampered webview could save instead. A bundle in the
// workspace's .specgate/reviews/ comes back with its review state line and becomes the one
// panel Open Review Packet reuses; anything else leaves one escaped line and no script.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resetWorkspace, waitFor, workspaceRoot } from './fixtures';

type Restored =
  | { shown: 'bundle'; bundleDir: string; root: string; html: string; data: { spec: { name: string }; digest: string; state?: string; status?: string } }
  | { shown: 'notice'; message: string; html: string }
  | { shown: 'nothing' };

interface Api {
  model: { refresh(): Promise<void>; folders(): readonly { report?: { digest: string } }[] };
  reviewSerializer: vscode.WebviewPanelSerializer & {
    restore(panel: vscode.WebviewPanel, state: unknown, options?: { trusted?: boolean }): Promise<Restored>;
  };
}

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>('specgate.specgate');
  assert.ok(ext, 'extension not loaded');
  return ext.activate();
}

/** A panel as VS Code hands one to the serializer after a reload: the review panel's view type, no content yet. */
function restoredPanel(): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel('specgate.review', 'Review: billing-retry', vscode.ViewColumn.Active, {});
}

/**
 * Lets the workbench finish making a panel's webview: one disposed within a few ms of being
 * created makes VS Code log "OverlayWebview has been disposed" (any panel, not only ours).
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 150));
}

/** Tabs showing a SpecGate review panel, in every group. */
function reviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('specgate.review'));
}

function expectNotice(r: Restored, text: RegExp): string {
  assert.equal(r.shown, 'notice', `shown: ${JSON.stringify(r).slice(0, 300)}`);
  const n = r as Extract<Restored, { shown: 'notice' }>;
  assert.match(n.message, text);
  assert.doesNotMatch(n.message, /\n/);
  assert.ok(!/<script/i.test(n.html), 'a script in the notice page');
  assert.match(n.html, /content="default-src 'none'; style-src [^;"]+"/);
  return n.message;
}

/** A throw-away reviewer key made with ssh-keygen, in a folder of its own (removed by the caller). */
async function reviewerKey(): Promise<{ keyDir: string; key: string }> {
  const keyDir = await mkdtemp(path.join(os.tmpdir(), 'specgate-restore-key-'));
  const key = path.join(keyDir, 'reviewer');
  await new Promise<void>((resolve, reject) =>
    execFile('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'reviewer@example.com', '-f', key], (err) => (err ? reject(err) : resolve())),
  );
  return { keyDir, key };
}

describe('review panel restore after a window reload', function () {
  this.timeout(60000);
  let a: Api;
  let root: string;
  let bundle: string;
  let panels: vscode.WebviewPanel[];

  const panel = async (): Promise<vscode.WebviewPanel> => {
    const p = restoredPanel();
    panels.push(p);
    await settle();
    return p;
  };
  /** Closes the last panel restored, as the reviewer would (so the next restore is not a second panel). */
  const closeLast = async (): Promise<void> => {
    await settle();
    panels.pop()!.dispose();
  };
  /** What media/review.js saves: the bundle folder, the packet it showed, the files the reviewer opened. */
  const saved = (bundleDir: unknown) => ({ bundle: bundleDir, data: { spec: { name: 'stale' } }, open: [['sha256:x', [['src/billing/retry.ts', true]]]] });

  before(async () => {
    a = await api();
    root = workspaceRoot();
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    panels = [];
    await resetWorkspace();
    await a.model.refresh();
    await waitFor('an analysed change', () => a.model.folders()[0]?.report?.digest);
    bundle = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    assert.ok(bundle?.startsWith(path.join(root, '.specgate', 'reviews')), `export: ${bundle}`);
  });

  afterEach(async () => {
    await settle();
    for (const p of panels) p.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(() => resetWorkspace());

  it('a saved bundle in .specgate/reviews/ comes back with its state line, and Open Review Packet reuses that panel', async () => {
    const p = await panel();
    let disposed = false;
    p.onDidDispose(() => (disposed = true));
    const r = await a.reviewSerializer.restore(p, saved(bundle));
    assert.equal(r.shown, 'bundle', `shown: ${JSON.stringify(r).slice(0, 300)}`);
    const b = r as Extract<Restored, { shown: 'bundle' }>;
    assert.deepEqual([b.bundleDir, b.root, b.data.spec.name, p.title], [bundle, root, 'billing-retry', 'Review: billing-retry']);
    assert.equal(b.data.digest, a.model.folders()[0]?.report?.digest);
    // The same review state line as Open Review Packet gives the same bundle.
    assert.deepEqual([b.data.state, b.data.status], ['Exported: awaiting approval.', 'exported']);
    assert.equal(p.webview.html, b.html);
    assert.match(b.html, /<script nonce="[^"]+" src="[^"]+review\.js"><\/script>/);
    assert.equal(p.webview.options.enableScripts, true);

    const opened = await vscode.commands.executeCommand<{ html: string; data: { state?: string } }>('specgate.openPacket', { root, bundleDir: bundle });
    assert.ok(opened, 'Open Review Packet opened nothing');
    assert.equal(disposed, false, 'the restored panel was closed');
    assert.equal(p.webview.html, opened.html, 'Open Review Packet did not show the bundle in the restored panel');
    assert.equal(opened.data.state, b.data.state);
    assert.equal(reviewTabs().length, 1, `review tabs: ${reviewTabs().map((t) => t.label).join(', ')}`);

    // A second panel restored while one is there is closed: there is one review panel.
    const extra = await panel();
    let extraDisposed = false;
    extra.onDidDispose(() => (extraDisposed = true));
    assert.deepEqual(await a.reviewSerializer.restore(extra, saved(bundle)), { shown: 'nothing' });
    assert.equal(extraDisposed, true);
  });

  it('Approve on the restored panel\'s bundle updates that panel\'s state line', async () => {
    const { keyDir, key } = await reviewerKey();
    try {
      const p = await panel();
      const r = await a.reviewSerializer.restore(p, saved(bundle));
      assert.equal(r.shown, 'bundle');
      const b = r as Extract<Restored, { shown: 'bundle' }>;
      const result = await vscode.commands.executeCommand<{ file: string }>('specgate.approve', { root, bundleDir: bundle, keyPath: key, comment: '' });
      assert.ok(result, 'approve returned nothing');
      // The panel's data is what the webview is sent: its state line now says approved.
      await waitFor('the restored panel saying "Approved by"', () => b.data.state?.startsWith('Approved by ') || undefined);
      assert.equal(b.data.status, 'approved');
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });

  it('the panel follows what happens outside it: an approval made with the CLI, then the change moving on', async () => {
    const { keyDir, key } = await reviewerKey();
    try {
      const opened = await vscode.commands.executeCommand<{ data: { state?: string; status?: string } }>('specgate.openPacket', { root, bundleDir: bundle });
      assert.deepEqual([opened.data.state, opened.data.status], ['Exported: awaiting approval.', 'exported']);
      // `specgate approve` in a terminal: the panel reads the new record.
      const cli = path.join(vscode.extensions.getExtension('specgate.specgate')!.extensionPath, 'dist', 'cli.js');
      await new Promise<void>((resolve, reject) =>
        execFile(process.execPath, [cli, 'approve', bundle, '--key', key], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }, (err, _out, stderr) =>
          err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(),
        ),
      );
      await waitFor('the panel saying "Approved by" after the CLI approved', () => opened.data.state?.startsWith('Approved by ') || undefined);
      assert.equal(opened.data.status, 'approved');
      // The change moves on: the bundle is out of date, and the panel says so with both digests.
      const digest = a.model.folders()[0]!.report!.digest;
      await writeFile(path.join(root, 'src/billing/retry.ts'), '// moved on\n', { flag: 'a' });
      await a.model.refresh();
      await waitFor('the panel saying "Out of date"', () => opened.data.status === 'outdated' || undefined);
      const now = a.model.folders()[0]!.report!.digest;
      assert.equal(
        opened.data.state,
        `Out of date: the change has moved on since this bundle was exported (it is for ${digest.slice(0, 19)}, the change is now ${now.slice(0, 19)}); export the review bundle again to review the change as it stands.`,
      );
    } finally {
      await rm(keyDir, { recursive: true, force: true });
    }
  });

  it('a removed bundle: one line saying it is no longer there, no script, and the panel stays', async () => {
    await rm(bundle, { recursive: true, force: true });
    const p = await panel();
    let disposed = false;
    p.onDidDispose(() => (disposed = true));
    // Through the entry point VS Code calls.
    await a.reviewSerializer.deserializeWebviewPanel(p, saved(bundle));
    assert.match(p.webview.html, new RegExp(`The review bundle \\.specgate/reviews/${path.basename(bundle)} is no longer there \\(deleted or moved\\)`));
    assert.ok(!/<script/i.test(p.webview.html));
    assert.equal(p.webview.options.enableScripts, false);
    assert.equal(disposed, false);
    // Open Review Packet afterwards shows a bundle in that same panel.
    const again = await vscode.commands.executeCommand<string>('specgate.exportBundle', { root, quiet: true });
    const opened = await vscode.commands.executeCommand<{ html: string }>('specgate.openPacket', { root, bundleDir: again });
    assert.ok(opened);
    assert.equal(p.webview.html, opened.html);
    assert.equal(p.webview.options.enableScripts, true);
    assert.equal(reviewTabs().length, 1);
  });

  it('a bundle outside .specgate/reviews/ (a copy elsewhere in the workspace, or a link to it) is not shown', async () => {
    const copy = path.join(root, 'elsewhere', path.basename(bundle));
    await mkdir(path.dirname(copy), { recursive: true });
    await cp(bundle, copy, { recursive: true });
    const outside = expectNotice(await a.reviewSerializer.restore(await panel(), saved(copy)), /is not in the \.specgate\/reviews folder of a workspace folder/);
    assert.ok(outside.includes(copy), outside);
    await closeLast();

    const link = path.join(root, '.specgate', 'reviews', 'linked');
    await symlink(copy, link);
    expectNotice(await a.reviewSerializer.restore(await panel(), saved(link)), /a symbolic link in \.specgate\/reviews\/linked leads out of \.specgate\/reviews/);
    await closeLast();

    const tmp = await mkdtemp(path.join(os.tmpdir(), 'specgate-restore-'));
    try {
      await cp(bundle, path.join(tmp, 'b'), { recursive: true });
      expectNotice(await a.reviewSerializer.restore(await panel(), saved(path.join(tmp, 'b'))), /is not in the \.specgate\/reviews folder/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('a saved path with ".." is refused, even one that leads back to the bundle', async () => {
    const back = `${path.join(root, '.specgate', 'reviews', 'x')}/../${path.basename(bundle)}`;
    expectNotice(await a.reviewSerializer.restore(await panel(), saved(back)), /the bundle path it recorded, .*, has a "\." or "\.\." in it/);
    await closeLast();
    expectNotice(await a.reviewSerializer.restore(await panel(), saved(`${path.join(root, '.specgate', 'reviews')}/../../src`)), /has a "\." or "\.\." in it/);
  });

  it('a state naming no bundle (or markup) and an untrusted workspace each get their line, escaped', async () => {
    expectNotice(await a.reviewSerializer.restore(await panel(), { data: { spec: { name: 'x' } } }), /did not record which review bundle it showed/);
    await closeLast();
    const evil = `${path.join(root, 'x')}/<img src=x onerror=alert(1)>`;
    const r = await a.reviewSerializer.restore(await panel(), saved(evil));
    expectNotice(r, /is not in the \.specgate\/reviews folder/);
    assert.ok(!(r as { html: string }).html.includes('<img'), 'the saved path reached the page as markup');
    await closeLast();
    const untrusted = expectNotice(await a.reviewSerializer.restore(await panel(), saved(bundle), { trusted: false }), /^This workspace is not trusted, so SpecGate has not reopened the review bundle /);
    assert.ok(untrusted.includes(path.basename(bundle)));
  });
});
