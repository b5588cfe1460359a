// The review panel: a webview showing one bundle's packet (risk, findings needing a
// decision, traceability, diffs with out-of-scope hunks marked) with Approve / Reject and
// "open file at hunk". Scripts only from media/ with a nonce; data only by postMessage.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import { noticeHtml, reviewHtml } from './html';
import { buildPanelData, checkPacket, packetNotes, parsePanelMessage, type PanelData, type PanelState } from './panelData';
import { showWarning } from '../notify';
import { baseUri } from '../sidebar/baseContent';
import { safePath } from '../../core/render/text';

/** The panel's view type: what VS Code restores it by after a reload (see panelSerializer.ts). */
export const REVIEW_VIEW_TYPE = 'specgate.review';

const MAX_PACKET = 64 * 1024 * 1024;
const MAX_PATCH = 64 * 1024 * 1024;

export interface OpenedPanel {
  /** The panel's HTML as set on the webview. */
  html: string;
  /** The data posted to the panel. */
  data: PanelData;
}

export type PanelAction = (action: 'approve' | 'reject' | 'export', bundleDir: string, root: string) => void;
/** The URI the editor names a repository path of the repository at `root` by. */
export type FileUri = (root: string, repoPath: string) => vscode.Uri;

export async function readBundle(bundleDir: string): Promise<PanelData> {
  const packetFile = path.join(bundleDir, 'packet.json');
  const st = await fs.stat(packetFile).catch(() => undefined);
  if (!st?.isFile()) throw new Error(`no packet.json in ${bundleDir}`);
  if (st.size > MAX_PACKET) throw new Error(`packet.json in ${bundleDir} is too large to show`);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(packetFile, 'utf8'));
  } catch {
    throw new Error(`packet.json in ${bundleDir} is not valid JSON`);
  }
  const report = checkPacket(json);
  const patchFile = path.join(bundleDir, 'changes.patch');
  const pst = await fs.stat(patchFile).catch(() => undefined);
  const patch = pst?.isFile() && pst.size <= MAX_PATCH ? await fs.readFile(patchFile, 'utf8') : '';
  return buildPanelData(report, patch, packetNotes(json));
}

/**
 * The packet for the webview, and the bundle folder it comes from: the webview keeps both in
 * its saved state, so a panel restored after a window reload knows which bundle to show.
 */
function packetMessage(cur: { data: PanelData; bundleDir: string }): { type: 'packet'; data: PanelData; bundle: string } {
  return { type: 'packet', data: cur.data, bundle: cur.bundleDir };
}

/** Posts to the webview; one closed before it got the message (its panel disposed meanwhile) needs nothing. */
function post(webview: vscode.Webview, message: unknown): void {
  webview.postMessage(message).then(undefined, () => undefined);
}

function applyState(data: PanelData, state: PanelState): void {
  data.state = state.line;
  data.status = state.status;
  if (state.warning) data.stateWarning = true;
  else delete data.stateWarning;
}

/** The panel's data for a bundle, with its review state line when known. */
async function bundleData(bundleDir: string, state: PanelState | undefined): Promise<PanelData> {
  const data = await readBundle(bundleDir);
  if (state !== undefined) applyState(data, state);
  return data;
}

/** Where a restore stands: taken when it starts, current until the panel shows something newer. */
export type RestoreTicket = number;

export class ReviewPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: { data: PanelData; bundleDir: string; root: string } | undefined;
  /** Whether the panel's webview runs scripts (off while it shows a notice; unknown for a panel VS Code restored). */
  private scripts: boolean | undefined = true;
  /** Counts what was shown: a restore that finishes after the panel showed something newer is dropped. */
  private generation = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly onAction: PanelAction,
    private readonly fileUri: FileUri = (root, repoPath) => vscode.Uri.joinPath(vscode.Uri.file(root), ...repoPath.split('/')),
  ) {}

  /** Shows the bundle in the panel (created or revealed). */
  async open(bundleDir: string, root: string, state?: PanelState): Promise<OpenedPanel> {
    const data = await bundleData(bundleDir, state);
    this.generation++;
    const panel = this.ensurePanel();
    return this.show(panel, data, bundleDir, root, true);
  }

  private media(...names: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media', ...names);
  }

  private options(scripts: boolean): vscode.WebviewOptions {
    return { enableScripts: scripts, enableCommandUris: false, localResourceRoots: [this.media()] };
  }

  private show(panel: vscode.WebviewPanel, data: PanelData, bundleDir: string, root: string, reveal: boolean): OpenedPanel {
    this.current = { data, bundleDir, root };
    if (this.scripts !== true) {
      panel.webview.options = this.options(true);
      this.scripts = true;
    }
    panel.title = revealBidi(`Review: ${data.spec.name}`);
    const webview = panel.webview;
    const html = reviewHtml({
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(this.media('review.css')).toString(),
      scriptUri: webview.asWebviewUri(this.media('review.js')).toString(),
    });
    webview.html = html;
    if (reveal) panel.reveal(undefined, false);
    // The script asks for data with `ready`; posting now too covers a webview that is already loaded.
    post(webview, packetMessage(this.current));
    return { html, data };
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = vscode.window.createWebviewPanel(REVIEW_VIEW_TYPE, 'SpecGate Review', vscode.ViewColumn.Active, this.options(true));
    this.scripts = true;
    this.own(panel);
    return panel;
  }

  /** Makes `panel` the one panel: its messages handled, forgotten when it closes. */
  private own(panel: vscode.WebviewPanel): void {
    panel.iconPath = this.media('specgate.svg');
    const subs: vscode.Disposable[] = [];
    subs.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.current = undefined;
        }
        for (const d of subs) d.dispose();
      }),
    );
    this.panel = panel;
  }

  /**
   * Takes over a panel VS Code restored after a window reload: it becomes the panel `open`
   * reuses. Returns the ticket a restore shows its outcome with, or undefined when another
   * panel is already there (then the restored one is closed: there is one review panel).
   */
  adopt(panel: vscode.WebviewPanel): RestoreTicket | undefined {
    if (this.panel && this.panel !== panel) {
      panel.dispose();
      return undefined;
    }
    if (this.panel !== panel) {
      this.own(panel);
      // What the restored webview may do is set with what it shows, not taken from before the reload.
      this.scripts = undefined;
    }
    return ++this.generation;
  }

  /** Whether a restore holding `ticket` may still show its outcome in `panel`. */
  holds(panel: vscode.WebviewPanel, ticket: RestoreTicket): boolean {
    return this.panel === panel && this.generation === ticket;
  }

  /** A restore's outcome: the bundle, without bringing the panel to the front (undefined when superseded). */
  async restoreBundle(panel: vscode.WebviewPanel, ticket: RestoreTicket, bundleDir: string, root: string, state?: PanelState): Promise<OpenedPanel | undefined> {
    const data = await bundleData(bundleDir, state);
    if (!this.holds(panel, ticket)) return undefined;
    return this.show(panel, data, bundleDir, root, false);
  }

  /** A restore's outcome: one line of text in place of the bundle, with no script (undefined when superseded). */
  restoreNotice(panel: vscode.WebviewPanel, ticket: RestoreTicket, message: string): string | undefined {
    if (!this.holds(panel, ticket)) return undefined;
    this.current = undefined;
    if (this.scripts !== false) {
      panel.webview.options = this.options(false);
      this.scripts = false;
    }
    const html = noticeHtml({ cspSource: panel.webview.cspSource, styleUri: panel.webview.asWebviewUri(this.media('review.css')).toString(), message });
    panel.webview.html = html;
    return html;
  }

  /** The bundle the panel shows, its digest, and the repository it belongs to. */
  shown(): { bundleDir: string; root: string; digest: string } | undefined {
    return this.current && this.panel ? { bundleDir: this.current.bundleDir, root: this.current.root, digest: this.current.data.digest } : undefined;
  }

  /**
   * Replaces the review state of the bundle on show (after an approval, say); another
   * bundle's is left alone. Only the header changes: what the reviewer opened, scrolled to or
   * focused in the panel stays.
   */
  setState(bundleDir: string, state: PanelState): void {
    const cur = this.current;
    if (!cur || !this.panel || cur.bundleDir !== bundleDir) return;
    if (cur.data.state === state.line && cur.data.status === state.status && (cur.data.stateWarning === true) === (state.warning === true)) return;
    applyState(cur.data, state);
    post(this.panel.webview, { type: 'state', state: state.line, status: state.status, warning: state.warning === true });
  }

  private receive(raw: unknown): void {
    const cur = this.current;
    const msg = parsePanelMessage(raw, cur?.data);
    if (!msg || !cur) {
      this.log.warn('review panel: ignored an unexpected message');
      return;
    }
    switch (msg.type) {
      case 'ready':
        if (this.panel) post(this.panel.webview, packetMessage(cur));
        return;
      case 'approve':
      case 'reject':
      case 'export':
        this.onAction(msg.type, cur.bundleDir, cur.root);
        return;
      case 'openFile':
        void this.openFile(cur, msg.path, msg.line);
        return;
    }
  }

  /**
   * Opens a file of the bundle beside the panel at `line`: a file the change deletes as the
   * base has it (read-only), any other as the working tree has it; one that is not there (any
   * more) gets one line saying so.
   */
  private async openFile(cur: { data: PanelData; root: string }, repoPath: string, line: number): Promise<void> {
    const file = cur.data.files.find((f) => f.path === repoPath);
    const deleted = file?.status === 'deleted';
    if (deleted && cur.data.baseCommit === null) {
      void showWarning(`SpecGate: ${shownName(repoPath)} is deleted by this change, and the bundle names no base commit to show it from.`);
      return;
    }
    const uri = deleted ? baseUri(cur.root, repoPath, cur.data.baseCommit) : this.fileUri(cur.root, repoPath);
    if (!deleted && !(await vscode.workspace.fs.stat(uri).then(() => true, () => false))) {
      void showWarning(`SpecGate: ${shownName(repoPath)} is not in the working tree any more (deleted or moved since the bundle was exported).`);
      return;
    }
    const pos = new vscode.Position(line - 1, 0);
    try {
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preview: true });
    } catch (err) {
      void showWarning(`SpecGate: cannot open ${shownName(repoPath)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** A repository path in a message: its control characters made visible (a file name is the change's, so untrusted). */
function shownName(repoPath: string): string {
  return safePath(repoPath);
}
