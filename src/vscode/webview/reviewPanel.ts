// The review panel: a webview showing one bundle's packet (risk, findings needing a
// decision, traceability, diffs with out-of-scope hunks marked) with Approve / Reject and
// "open file at hunk". Scripts only from media/ with a nonce; data only by postMessage.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import { reviewHtml } from './html';
import { buildPanelData, checkPacket, parsePanelMessage, type PanelData, type PanelState } from './panelData';
import { showWarning } from '../notify';

const MAX_PACKET = 64 * 1024 * 1024;
const MAX_PATCH = 64 * 1024 * 1024;

export interface OpenedPanel {
  /** The panel's HTML as set on the webview. */
  html: string;
  /** The data posted to the panel. */
  data: PanelData;
}

export type PanelAction = (action: 'approve' | 'reject', bundleDir: string) => void;
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
  return buildPanelData(report, patch);
}

function applyState(data: PanelData, state: PanelState): void {
  data.state = state.line;
  data.status = state.status;
  if (state.warning) data.stateWarning = true;
  else delete data.stateWarning;
}

export class ReviewPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: { data: PanelData; bundleDir: string; root: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly onAction: PanelAction,
    private readonly fileUri: FileUri = (root, repoPath) => vscode.Uri.joinPath(vscode.Uri.file(root), ...repoPath.split('/')),
  ) {}

  /** Shows the bundle in the panel (created or revealed). */
  async open(bundleDir: string, root: string, state?: PanelState): Promise<OpenedPanel> {
    const data = await readBundle(bundleDir);
    if (state !== undefined) applyState(data, state);
    this.current = { data, bundleDir, root };
    const panel = this.ensurePanel();
    panel.title = revealBidi(`Review: ${data.spec.name}`);
    const webview = panel.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const html = reviewHtml({
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'review.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'review.js')).toString(),
    });
    webview.html = html;
    panel.reveal(undefined, false);
    // The script asks for data with `ready`; posting now too covers a webview that is already loaded.
    void webview.postMessage({ type: 'packet', data });
    return { html, data };
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const panel = vscode.window.createWebviewPanel('specgate.review', 'SpecGate Review', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'specgate.svg');
    const subs: vscode.Disposable[] = [];
    subs.push(
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.current = undefined;
        for (const d of subs) d.dispose();
      }),
    );
    this.panel = panel;
    return panel;
  }

  /** The bundle the panel shows, and the repository it belongs to. */
  shown(): { bundleDir: string; root: string } | undefined {
    return this.current && this.panel ? { bundleDir: this.current.bundleDir, root: this.current.root } : undefined;
  }

  /**
   * Replaces the review state of the bundle on show (after an approval, say); another
   * bundle's is left alone. Only the header changes: what the reviewer opened, scrolled to or
   * focused in the panel stays.
   */
  setState(bundleDir: string, state: PanelState): void {
    const cur = this.current;
    if (!cur || !this.panel || cur.bundleDir !== bundleDir) return;
    applyState(cur.data, state);
    void this.panel.webview.postMessage({ type: 'state', state: state.line, status: state.status, warning: state.warning === true });
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
        void this.panel?.webview.postMessage({ type: 'packet', data: cur.data });
        return;
      case 'approve':
      case 'reject':
        this.onAction(msg.type, cur.bundleDir);
        return;
      case 'openFile': {
        const uri = this.fileUri(cur.root, msg.path);
        const pos = new vscode.Position(msg.line - 1, 0);
        void vscode.window
          .showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside, preview: true })
          .then(undefined, (err: Error) => void showWarning(`SpecGate: cannot open ${msg.path}: ${err.message}`));
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
