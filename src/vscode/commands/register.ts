// Registers every SpecGate command the sidebar and the command palette offer.
import type * as vscode from 'vscode';
import type { SpecGateModel } from '../model/types';

export function registerCommands(
  _context: vscode.ExtensionContext,
  _model: SpecGateModel,
  _log: vscode.LogOutputChannel,
): void {}
