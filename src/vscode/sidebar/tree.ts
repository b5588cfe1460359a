// A tree view over the sidebar's node model: renders nodes as TreeItems, implements
// getParent (so reveal works), and refreshes only while the view is visible, and then only
// the rows that changed: VS Code forgets every item of a tree refreshed whole, so a context
// menu opened on a row just before would run its command on nothing.
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import { baseUri } from './baseContent';
import { ariaLabel, reconcile, tooltipText, type Node, type NodeTarget } from './nodes';

/** Past this many changed rows, the tree is drawn again whole (one request, not hundreds). */
const MAX_ROWS_REDRAWN = 200;

export class NodeTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The nodes the view shows (undefined: built when next asked). */
  private roots: Node[] | undefined;
  /** A rebuild being compared with the shown nodes. */
  private pending: Promise<void> | undefined;
  private generation = 0;
  private stale = false;
  /** What the user expanded or collapsed, by node id: kept across rebuilds, over the defaults. */
  private readonly userExpanded = new Map<string, boolean>();

  constructor(
    viewId: string,
    private readonly build: () => Node[] | Promise<Node[]>,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) this.invalidate();
      }),
      this.view.onDidExpandElement((e) => this.userExpanded.set(e.element.id, true)),
      this.view.onDidCollapseElement((e) => this.userExpanded.set(e.element.id, false)),
    );
  }

  /**
   * Marks the tree out of date. Visible, it is rebuilt now and only the rows that differ are
   * drawn again; hidden, it is rebuilt when it becomes visible.
   */
  invalidate(): void {
    const generation = ++this.generation;
    this.pending = undefined;
    const shown = this.roots;
    if (!this.view.visible || !shown) {
      this.roots = undefined;
      this.stale = !this.view.visible;
      if (this.view.visible) this.changed.fire(undefined);
      return;
    }
    this.stale = false;
    const run = (async () => {
      let next: Node[];
      try {
        next = await this.build();
      } catch {
        // Drawn whole, so the view's own request meets the error as before.
        if (generation === this.generation) (this.roots = undefined), this.changed.fire(undefined);
        return;
      }
      if (generation !== this.generation) return;
      const redraw = reconcile(shown, next);
      if (redraw === undefined || redraw.length > MAX_ROWS_REDRAWN) {
        this.roots = next;
        this.changed.fire(undefined);
      } else if (redraw.length > 0) {
        this.changed.fire(redraw);
      }
    })();
    const pending: Promise<void> = run.finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
  }

  /** The current root nodes, built if needed (tests and the status bar read this). */
  async current(): Promise<Node[]> {
    while (this.pending) await this.pending.catch(() => undefined);
    this.roots ??= await this.build();
    return this.roots;
  }

  async getChildren(element?: Node): Promise<Node[]> {
    return element ? element.children : this.current();
  }

  getParent(element: Node): Node | undefined {
    return element.parent;
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const state =
      n.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : (this.userExpanded.get(n.id) ?? n.expanded)
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    if (n.description !== undefined) item.description = n.description;
    // A tooltip left for later is built when the row is hovered (resolveTreeItem).
    if (typeof n.tooltip === 'string') item.tooltip = n.tooltip;
    item.accessibilityInformation = { label: ariaLabel(n) };
    if (n.contextValue !== undefined) item.contextValue = n.contextValue;
    if (n.file !== undefined) {
      item.resourceUri = vscode.Uri.file(n.file);
      if (!n.icon) item.iconPath = vscode.ThemeIcon.File;
    }
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
    if (n.target) item.command = toCommand(n.target, n.label);
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, n: Node): vscode.TreeItem {
    item.tooltip ??= tooltipText(n);
    return item;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

export function toCommand(t: NodeTarget, title: string): vscode.Command {
  switch (t.type) {
    case 'line': {
      const pos = new vscode.Position(Math.max(0, t.line - 1), 0);
      return {
        command: 'vscode.open',
        title: 'Go to line',
        arguments: [vscode.Uri.file(t.file), { selection: new vscode.Range(pos, pos), preview: true }],
      };
    }
    case 'diff': {
      const file = vscode.Uri.file(t.file);
      const base = baseUri(t.root, t.oldPath ?? t.path, t.status === 'added' ? null : t.baseCommit);
      const label = revealBidi(t.oldPath ? `${t.oldPath} → ${t.path}` : t.path);
      if (t.status === 'deleted') {
        // The base beside nothing, titled so: a plain tab of the old text would read as a file still there.
        return {
          command: 'vscode.diff',
          title: 'Open the deleted file against base',
          arguments: [base, baseUri(t.root, t.path, null), `${label} (deleted: base ↔ nothing)`, { preview: true }],
        };
      }
      return {
        command: 'vscode.diff',
        title: 'Open diff against base',
        arguments: [base, file, `${label} (base ↔ working tree)`, { preview: true }],
      };
    }
    case 'command':
      return { command: t.command, title, arguments: t.args ?? [] };
  }
}
