// Which workspace folder (and bundle) a command acts on: the tree node or argument it was
// invoked with, else the active editor's folder, else the only folder, else a quick pick.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { revealBidi } from '../../core/render/reviewdata';
import type { FolderState, SpecGateModel } from '../model/types';

/** What commands accept as their first argument (tree nodes carry a `ref`). */
export interface CommandTarget {
  root?: string;
  specId?: string;
  bundleDir?: string;
}

/** Reads a command argument: a tree node, a target object, a Uri or a path string. */
export function targetOf(arg: unknown): CommandTarget {
  if (typeof arg === 'string') return { bundleDir: arg };
  if (arg instanceof vscode.Uri) return { bundleDir: arg.fsPath };
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  const src = o.ref && typeof o.ref === 'object' ? (o.ref as Record<string, unknown>) : o;
  const t: CommandTarget = {};
  if (typeof src.root === 'string') t.root = src.root;
  if (typeof src.specId === 'string') t.specId = src.specId;
  if (typeof src.bundleDir === 'string') t.bundleDir = src.bundleDir;
  return t;
}

function rootOf(s: FolderState): string {
  return s.repoRoot ?? s.folder.uri.fsPath;
}

/** Whether `file` is `dir` or inside it (path by path: `/a/repo` does not contain `/a/repo-2`). */
export function contains(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder state a command acts on, or undefined when the user cancelled or none fits. */
export async function pickFolder(model: SpecGateModel, t: CommandTarget, placeHolder: string): Promise<FolderState | undefined> {
  const all = model.folders();
  const byPath = (p: string): FolderState | undefined =>
    all.find((s) => contains(rootOf(s), p)) ?? all.find((s) => contains(s.folder.uri.fsPath, p));
  if (t.root) return byPath(t.root);
  if (t.bundleDir) {
    const s = byPath(t.bundleDir);
    if (s) return s;
  }
  if (all.length === 1) return all[0];
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor) {
    const hit = model.lookup(editor);
    if (hit) return hit.state;
  }
  const candidates = all.filter((s) => s.activeSpec);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) return undefined;
  const pick = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.folder.name, description: revealBidi(s.activeSpec?.name ?? ''), state: s })),
    { placeHolder },
  );
  return pick?.state;
}

export function folderRoot(s: FolderState): string {
  return rootOf(s);
}
