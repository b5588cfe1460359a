// The status bar item: active spec, out-of-scope count and risk; a click opens the sidebar.
import * as vscode from 'vscode';
import type { FolderInput } from './folderInput';
import { statusText } from './statusText';

export class SpecStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('specgate.status', vscode.StatusBarAlignment.Left, 50);
  private shown = false;

  constructor() {
    this.item.name = 'SpecGate';
    this.item.command = { command: 'workbench.view.extension.specgate', title: 'Open SpecGate' };
  }

  /** @param current the key of the folder the active editor's file is in, when it has one. */
  update(folders: readonly FolderInput[], current?: string): void {
    const s = statusText(folders, current);
    if (!s) {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.accessibilityInformation = { label: s.accessibility };
    this.item.backgroundColor = s.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.shown = true;
  }

  /** What the item shows; empty while it is hidden. */
  get text(): string {
    return this.shown ? this.item.text : '';
  }

  dispose(): void {
    this.item.dispose();
  }
}
