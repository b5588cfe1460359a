// Registers the SpecGate sidebar (Specs, Changes, Review trees) and the status bar item,
// and returns an API that lets integration tests read the exact tree contents.
import * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

/** A plain, serialisable snapshot of one tree item and its children. */
export interface TreeSnapshot {
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  icon?: string;
  children: TreeSnapshot[];
}

export interface SidebarApi {
  readonly trees: {
    specs(): Promise<TreeSnapshot[]>;
    changes(): Promise<TreeSnapshot[]>;
    review(): Promise<TreeSnapshot[]>;
  };
}

export function registerSidebar(
  _context: vscode.ExtensionContext,
  _model: SpecGateModel,
  _log: vscode.LogOutputChannel,
): SidebarApi {
  return {
    trees: {
      specs: async () => [],
      changes: async () => [],
      review: async () => [],
    },
  };
}
