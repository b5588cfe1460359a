// Brings the review panel back after the window reloads. VS Code restores the panel's tab
// and hands over the state its webview last saved (media/review.js: the bundle folder, the
// packet, the files the reviewer opened); that state was written by the webview, so the
// bundle folder it names is checked (savedBundle.ts) before anything of it is shown.
//
// A bundle that cannot be shown again (deleted, moved, not under .specgate/reviews/, or the
// workspace not trusted) leaves the tab in place with one line saying why, in a page with no
// script, rather than closing it with a notification: the tab is where the reviewer looks,
// in the group and position they left it, and a toast at a reload is easily missed, leaving
// a review that silently vanished. The Markdown preview does the same for a deleted file.
// In an untrusted workspace nothing is read and no git runs; once the workspace is trusted,
// the same tab shows the bundle.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PanelData, PanelState } from './panelData';
import type { RestoreTicket, ReviewPanels } from './reviewPanel';
import { checkSavedBundle, savedBundleMessage, savedBundlePath, shownBundle, visible } from './savedBundle';
import { editorMessage } from '../messages';

export interface RestoreHost {
  /** Whether the workspace is trusted: an untrusted one reopens nothing and runs no git. */
  trusted(): boolean;
  /** The folders whose `.specgate/reviews/` a restored panel may show a bundle of (each workspace folder's repository root, or the folder). */
  roots(): Promise<readonly string[]>;
  /** The review state line the panel shows with the bundle, as *Open Review Packet* has it. */
  stateFor(bundleDir: string, root: string): Promise<PanelState | undefined>;
  /** Fires when the user trusts the workspace. */
  readonly onDidGrantTrust: vscode.Event<void>;
}

/** What a restored panel shows. */
export type Restored =
  | { shown: 'bundle'; bundleDir: string; root: string; html: string; data: PanelData }
  | { shown: 'notice'; message: string; html: string }
  /** The panel was closed (another review panel is open), or shows something newer than this restore. */
  | { shown: 'nothing' };

export interface RestoreOptions {
  /** Forces the trust state (tests: the test host runs with workspace trust disabled). */
  trusted?: boolean;
}

export class ReviewPanelSerializer implements vscode.WebviewPanelSerializer, vscode.Disposable {
  /** Restores waiting for the workspace to be trusted: a listener each, dropped with its panel. */
  private readonly waiting = new Set<vscode.Disposable>();

  constructor(
    private readonly panels: ReviewPanels,
    private readonly host: RestoreHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    await this.restore(panel, state);
  }

  /** Shows in `panel` the bundle its saved `state` names, or one line saying why not. */
  async restore(panel: vscode.WebviewPanel, state: unknown, options: RestoreOptions = {}): Promise<Restored> {
    const ticket = this.panels.adopt(panel);
    if (ticket === undefined) {
      this.log.info('review panel restored after a reload: another review panel is open, so it was closed');
      return { shown: 'nothing' };
    }
    try {
      const out = await this.restoreIn(panel, ticket, state, options);
      this.log.info(`review panel restored after a reload: ${out.shown === 'bundle' ? out.bundleDir : out.shown === 'notice' ? out.message : 'superseded'}`);
      return out;
    } catch (err) {
      this.log.error(`review panel restored after a reload: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return this.notice(panel, ticket, `SpecGate cannot show this review again: ${visible(editorMessage(err instanceof Error ? err.message : String(err)))}.`);
    }
  }

  private async restoreIn(panel: vscode.WebviewPanel, ticket: RestoreTicket, state: unknown, options: RestoreOptions): Promise<Restored> {
    const named = savedBundlePath(state);
    if (named === undefined) return this.notice(panel, ticket, savedBundleMessage({ ok: false, problem: 'unnamed' }));
    if (!(options.trusted ?? this.host.trusted())) {
      this.whenTrusted(panel, ticket, state);
      return this.notice(
        panel,
        ticket,
        `This workspace is not trusted, so SpecGate has not reopened the review bundle ${visible(path.basename(named))}: trust the workspace to see it here again.`,
      );
    }
    const roots = await this.host.roots();
    if (!this.panels.holds(panel, ticket)) return { shown: 'nothing' };
    const check = await checkSavedBundle(state, roots);
    if (!check.ok) return this.notice(panel, ticket, savedBundleMessage(check));
    const line = await this.host.stateFor(check.bundleDir, check.root).catch((err: Error) => {
      this.log.warn(`review state of a restored panel: ${err.message}`);
      return undefined;
    });
    let opened;
    try {
      opened = await this.panels.restoreBundle(panel, ticket, check.bundleDir, check.root, line);
    } catch (err) {
      return this.notice(panel, ticket, `The review bundle ${shownBundle(check)} cannot be shown again: ${visible(editorMessage((err as Error).message))}.`);
    }
    return opened ? { shown: 'bundle', bundleDir: check.bundleDir, root: check.root, ...opened } : { shown: 'nothing' };
  }

  private notice(panel: vscode.WebviewPanel, ticket: RestoreTicket, message: string): Restored {
    const html = this.panels.restoreNotice(panel, ticket, message);
    return html === undefined ? { shown: 'nothing' } : { shown: 'notice', message, html };
  }

  /** Once the workspace is trusted, restores the panel again, unless it was closed or shows something else by then. */
  private whenTrusted(panel: vscode.WebviewPanel, ticket: RestoreTicket, state: unknown): void {
    const subs: vscode.Disposable[] = [];
    const drop = (): void => {
      for (const d of subs.splice(0)) {
        d.dispose();
        this.waiting.delete(d);
      }
    };
    subs.push(
      this.host.onDidGrantTrust(() => {
        drop();
        if (this.panels.holds(panel, ticket)) void this.restore(panel, state);
      }),
      panel.onDidDispose(drop),
    );
    for (const d of subs) this.waiting.add(d);
  }

  dispose(): void {
    for (const d of this.waiting) d.dispose();
    this.waiting.clear();
  }
}
