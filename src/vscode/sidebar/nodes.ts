// The sidebar's own element model: plain data nodes (no `vscode` import) built from the
// live model by the *Nodes modules, rendered by tree.ts, snapshotted for tests.
import type { ChangeStatus, Severity } from '../../core/model';
import { revealBidi } from '../../core/render/reviewdata';

/** What clicking a node does. Paths are absolute file-system paths; lines are 1-based. */
export type NodeTarget =
  | { type: 'line'; file: string; line: number }
  | {
      type: 'diff';
      /** Repository root (where git reads the base content). */
      root: string;
      path: string;
      /** The working file, as the editor names it (a symlinked folder's path, not the real one). */
      file: string;
      oldPath?: string;
      status: ChangeStatus;
      baseCommit: string | null;
    }
  | { type: 'command'; command: string; args?: unknown[] };

export interface NodeRef {
  /** Absolute repository root of the node's folder. */
  root: string;
  specId?: string;
  /** Absolute bundle folder. */
  bundleDir?: string;
}

export interface Node {
  /** Unique and stable across refreshes, so expansion state survives. */
  id: string;
  label: string;
  description?: string;
  /**
   * What hovering the row shows; a function is called when first needed (tooltipText), so
   * a tree of 2,000 files does not build 2,000 tooltips nobody hovers.
   */
  tooltip?: string | (() => string);
  /**
   * For a tooltip left for later: a short string that differs whenever what it will show
   * does, so a rebuilt tree can tell an unchanged row without building its tooltip.
   */
  tooltipKey?: string;
  /**
   * What a screen reader says for the row. Without it: the label and description. (VS Code
   * would read the tooltip instead of both, dropping what only the row shows.)
   */
  aria?: string;
  /** A codicon id and an optional theme colour id. */
  icon?: { id: string; color?: string };
  /** Absolute path: the item shows the file's icon and resource decorations. */
  file?: string;
  contextValue?: string;
  /** Collapsible state when the node has children. */
  expanded?: boolean;
  target?: NodeTarget;
  /** What a context-menu command invoked on this node acts on. */
  ref?: NodeRef;
  children: Node[];
  parent?: Node;
}

/** A plain, serialisable snapshot of one tree item and its children (for tests). */
export interface TreeSnapshot {
  label: string;
  description?: string;
  /** What hovering the row shows. */
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  /** The file the item shows (its resource). */
  file?: string;
  children: TreeSnapshot[];
}

export type NodeInit = Omit<Node, 'children' | 'parent'> & { children?: Node[] };

/**
 * Creates a node and links its children to it. Its label, description and tooltip show
 * bidirectional controls as `\u{202e}` (file names, spec and task titles come from the
 * repository: an invisible override would make a name read other than it is).
 */
export function makeNode(init: NodeInit): Node {
  const n: Node = { ...init, label: revealBidi(init.label), children: init.children ?? [] };
  if (init.description !== undefined) n.description = revealBidi(init.description);
  const tooltip = init.tooltip;
  if (typeof tooltip === 'string') n.tooltip = revealBidi(tooltip);
  else if (tooltip !== undefined) n.tooltip = () => revealBidi(tooltip());
  if (init.aria !== undefined) n.aria = revealBidi(init.aria);
  for (const c of n.children) c.parent = n;
  return n;
}

export function snapshot(nodes: readonly Node[]): TreeSnapshot[] {
  return nodes.map((n) => {
    const s: TreeSnapshot = { label: n.label, children: snapshot(n.children) };
    if (n.description !== undefined) s.description = n.description;
    const tooltip = tooltipText(n);
    if (tooltip !== undefined) s.tooltip = tooltip;
    if (n.icon) s.icon = n.icon.id;
    if (n.contextValue !== undefined) s.contextValue = n.contextValue;
    if (n.file !== undefined) s.file = n.file;
    return s;
  });
}

/** The row's tooltip, built now if it was left for later (and kept). */
export function tooltipText(n: Node): string | undefined {
  if (typeof n.tooltip === 'function') n.tooltip = n.tooltip();
  return n.tooltip;
}

/** The row's screen reader label: its own, else the label and description as a sentence. */
export function ariaLabel(n: Pick<Node, 'label' | 'description' | 'aria'>): string {
  if (n.aria !== undefined) return n.aria;
  return n.description ? `${n.label}, ${n.description.split(' · ').join(', ')}` : n.label;
}

/** Line counts in words (`+3 −1` read aloud loses the signs): "3 lines added, 1 removed". */
export function deltaWords(c: { binary: boolean; added: number; removed: number }): string {
  return c.binary ? 'binary' : `${plural(c.added, 'line')} added, ${c.removed} removed`;
}

/**
 * A file's findings counted by severity in words, as the Problems panel and `check` count
 * them (one per hunk outside the scope): "2 errors, 1 warning", "no findings".
 */
export function findingWords(severities: readonly Severity[]): string {
  const count = (s: Severity): number => severities.filter((x) => x === s).length;
  const words = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), plural(count('info'), 'info', 'info')];
  return words.filter((w) => !w.startsWith('0 ')).join(', ') || 'no findings';
}

export function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What a row shows of itself (not its children), as one string; undefined when that cannot be
 * told without building a tooltip left for later (one with no tooltipKey).
 */
function rowKey(n: Node): string | undefined {
  if (typeof n.tooltip === 'function' && n.tooltipKey === undefined) return undefined;
  const tip = n.tooltipKey !== undefined ? { key: n.tooltipKey } : n.tooltip;
  return JSON.stringify([n.label, n.description, tip, n.aria, n.icon, n.file, n.contextValue, n.expanded, n.target, n.ref]);
}

/** Makes `old` the node `next` is, in place (its object, so its tree handle, stays). */
function adopt(old: Node, next: Node): void {
  const parent = old.parent;
  for (const k of Object.keys(old) as (keyof Node)[]) delete old[k];
  Object.assign(old, next, { children: next.children });
  if (parent) old.parent = parent;
  else delete old.parent;
  for (const c of old.children) c.parent = old;
}

/**
 * Brings the shown nodes `old` up to the rebuilt `next` in place, and returns the nodes whose
 * rows must be drawn again (each with all below it): none when nothing changed. A row that
 * is the same keeps its object, so the view keeps its item, and a context menu opened on it
 * still names it. Undefined: the list itself changed (rows added, removed or reordered), so
 * whatever holds it must be drawn again.
 */
export function reconcile(old: readonly Node[], next: readonly Node[], out: Node[] = []): Node[] | undefined {
  if (old.length !== next.length || old.some((n, i) => n.id !== next[i]?.id)) return undefined;
  for (let i = 0; i < old.length; i++) {
    const o = old[i]!;
    const n = next[i]!;
    const key = rowKey(o);
    if (key === undefined || key !== rowKey(n) || reconcile(o.children, n.children, out) === undefined) {
      adopt(o, n);
      out.push(o);
    }
  }
  return out;
}
