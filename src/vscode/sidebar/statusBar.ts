// The status bar item: active spec, out-of-scope count and risk; a click opens the sidebar.
import * as vscode from 'vscode';
import type { FolderInput } from './folderInput';

export interface StatusText {
  text: string;
  tooltip: string;
  warn: boolean;
}

/** Pure: what the item says for the given folders (undefined: hide it). */
export function statusText(folders: readonly FolderInput[]): StatusText | undefined {
  const active = folders.filter((f) => f.activeSpecId !== undefined);
  if (active.length === 0) return undefined;
  const f = active.find((x) => x.report) ?? active[0]!;
  const spec = f.specs.find((s) => s.id === f.activeSpecId);
  const name = spec?.name ?? f.activeSpecId!;
  if (!f.report) {
    const why = f.trusted ? (f.error ?? 'not analysed yet') : 'untrusted workspace: no analysis';
    return { text: `$(target) ${name}`, tooltip: `SpecGate: active spec ${name} — ${why}`, warn: false };
  }
  const { outOfScope, risk } = f.report.summary;
  const text = `$(target) ${name}  $(${outOfScope > 0 ? 'error' : 'pass'}) ${outOfScope}  $(flame) ${risk}`;
  const tooltip = `SpecGate: active spec ${name} — ${outOfScope} out-of-scope file${outOfScope === 1 ? '' : 's'}, risk ${risk}. Click to open the SpecGate sidebar.`;
  return { text, tooltip, warn: outOfScope > 0 || risk === 'high' || risk === 'critical' };
}

export class SpecStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('specgate.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'SpecGate';
    this.item.command = { command: 'workbench.view.extension.specgate', title: 'Open SpecGate' };
  }

  update(folders: readonly FolderInput[]): void {
    const s = statusText(folders);
    if (!s) {
      this.item.hide();
      return;
    }
    this.item.text = s.text;
    this.item.tooltip = s.tooltip;
    this.item.backgroundColor = s.warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
