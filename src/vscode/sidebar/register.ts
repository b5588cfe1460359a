// Registers the SpecGate sidebar (Specs, Changes, Review trees), the status bar item and
// the base-content scheme the diffs use, all refreshed from the live model. Returns an API
// that lets integration tests read the exact tree contents.
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';
import { registerBaseContent } from './baseContent';
import { buildChangesNodes } from './changesNodes';
import { toFolderInputs, type FolderInput } from './folderInput';
import { snapshot, type Node, type TreeSnapshot } from './nodes';
import { buildReviewNodes, type ReviewInput } from './reviewNodes';
import { deriveReviewState, readReviewFiles, type PacketCache } from './reviewState';
import { buildSpecsNodes } from './specsNodes';
import { hasNoSpec, outsideGit } from './stateRows';
import { SpecStatusBar } from './statusBar';
import { NodeTree, toCommand } from './tree';
import type { VerifyCache } from './verifyCache';
import { registerSpecLanguage } from '../language/register';

export type { TreeSnapshot } from './nodes';

export interface SidebarApi {
  readonly trees: {
    specs(): Promise<TreeSnapshot[]>;
    changes(): Promise<TreeSnapshot[]>;
    review(): Promise<TreeSnapshot[]>;
  };
  /** The status bar item's text (with `$(icon)` placeholders). */
  statusText(): string;
  /**
   * Does what clicking an item does: the item reached from the view's roots by these labels.
   * False when no such item or it does nothing on a click.
   */
  click(view: 'specs' | 'changes' | 'review', labels: readonly string[]): Promise<boolean>;
  /** Rebuilds every tree now (after the model changed), visible or not. */
  invalidate(): void;
}

/** How long the views wait for the first analysis before showing what is known so far. */
const FIRST_LOOK_MS = 10_000;

/**
 * @param firstRefresh the model's first refresh: until it settles the views show VS Code's
 * progress bar, not "no spec" or "no active spec" (which is only what an empty model says).
 * @param verified what verification says of an approval, shared with the review panel
 */
export function registerSidebar(
  context: vscode.ExtensionContext,
  model: SpecGateModel,
  log: vscode.LogOutputChannel,
  firstRefresh: Promise<unknown>,
  verified: VerifyCache,
  reviewWritten: vscode.Event<void>,
): SidebarApi {
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const ready = Promise.race([
    firstRefresh.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_LOOK_MS))),
  ]).then(() => {
    settled = true;
    clearTimeout(timer);
  });
  let disposed = false;
  context.subscriptions.push({
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
    },
  });
  const inputs = (): FolderInput[] => toFolderInputs(model.folders());
  const specs = new NodeTree('specgate.specs', async () => (await ready, buildSpecsNodes(inputs())));
  const changes = new NodeTree('specgate.changes', async () => (await ready, buildChangesNodes(inputs())));
  const packets: PacketCache = new Map();
  const review = new NodeTree('specgate.review', async () => (await ready, buildReview(model, verified, packets, log)));
  const status = new SpecStatusBar();
  const trees = [specs, changes, review];
  let noSpec: boolean | undefined;
  let noRepository: boolean | undefined;
  // The folder the status bar speaks for: the active editor's (the one showing its repository,
  // when another folder does). With no file editor in front (the review panel, an output),
  // the last one's, so the item does not jump.
  let lastFolder: string | undefined;
  const currentFolder = (): string | undefined => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const hit = uri ? model.lookup(uri) : undefined;
    if (hit) lastFolder = hit.state.folder.uri.toString();
    return lastFolder;
  };
  const invalidate = (): void => {
    for (const t of trees) t.invalidate();
    const folders = inputs();
    status.update(folders, currentFolder());
    // The views' "no spec" welcome content shows only once the model has looked.
    const now = settled && folders.length > 0 && folders.every(hasNoSpec);
    if (now !== noSpec) {
      noSpec = now;
      void vscode.commands.executeCommand('setContext', 'specgate.noSpec', now);
    }
    // No folder in a git repository: the welcome says that SpecGate needs one, not just a spec.
    const gitless = settled && folders.length > 0 && folders.every(outsideGit);
    if (gitless !== noRepository) {
      noRepository = gitless;
      void vscode.commands.executeCommand('setContext', 'specgate.noRepository', gitless);
    }
  };
  void ready.then(() => disposed || invalidate());
  context.subscriptions.push(
    ...trees,
    status,
    registerBaseContent(log, (root) => model.folders().some((s) => s.repoRoot === root)),
    model.onDidChange(invalidate),
    vscode.window.onDidChangeActiveTextEditor(() => status.update(inputs(), currentFolder())),
    vscode.workspace.onDidGrantWorkspaceTrust(invalidate),
    watchReviews(invalidate),
    reviewWritten(invalidate),
    // Hover and go-to-definition in spec files read the same live model as the trees.
    registerSpecLanguage(model),
  );
  invalidate();

  const read = async (t: NodeTree): Promise<TreeSnapshot[]> => snapshot(await t.current());
  const click = async (view: 'specs' | 'changes' | 'review', labels: readonly string[]): Promise<boolean> => {
    let nodes = await { specs, changes, review }[view].current();
    let node: Node | undefined;
    for (const label of labels) {
      node = nodes.find((n) => n.label === label);
      if (!node) return false;
      nodes = node.children;
    }
    if (!node?.target) return false;
    const c = toCommand(node.target, node.label);
    await vscode.commands.executeCommand(c.command, ...(c.arguments ?? []));
    return true;
  };
  return {
    trees: { specs: () => read(specs), changes: () => read(changes), review: () => read(review) },
    statusText: () => status.text,
    click,
    invalidate,
  };
}

async function buildReview(
  model: SpecGateModel,
  verified: VerifyCache,
  packets: PacketCache,
  log: vscode.LogOutputChannel,
): Promise<Node[]> {
  const inputs: ReviewInput[] = [];
  const states = model.folders();
  const folders = toFolderInputs(states);
  for (const [i, st] of states.entries()) {
    const folder = folders[i]!;
    const r = folder.report;
    try {
      const files = r ? await readReviewFiles(folder.root, packets) : { bundles: [], records: [] };
      const state = deriveReviewState(r ? { digest: r.digest, specId: r.spec.id, base: r.base.commit } : undefined, files.bundles, files.records);
      const input: ReviewInput = { folder, state };
      // An approval on disk is shown with what verification (the commit gate) says of it.
      if (state.status === 'approved' && folder.trusted && r) {
        const v = await verified.get(st.folder, folder.root, r.spec.id, r.digest, r.base.commit, state.record!.file + state.record!.time);
        if (v) input.verify = v;
      }
      inputs.push(input);
    } catch (err) {
      log.warn(`review state of ${folder.name}: ${(err as Error).message}`);
      inputs.push({ folder, state: { status: 'no-report' } });
    }
  }
  return buildReviewNodes(inputs);
}

/** Bundles and approval records written outside the extension (the CLI) refresh the Review view. */
function watchReviews(onChange: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/.specgate/{reviews,approvals}/**');
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, 200);
  };
  const subs = [watcher, watcher.onDidCreate(fire), watcher.onDidChange(fire), watcher.onDidDelete(fire)];
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    for (const d of subs) d.dispose();
  });
}
