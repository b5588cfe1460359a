// Core types to vscode types, at the edge: 1-based inclusive line ranges to `Range`,
// findings to `Diagnostic`s, severities from settings, edits to `WorkspaceEdit`s.
import * as vscode from 'vscode';
import type { TextEditLike } from '../core/edits';
import type { Finding, Hunk, Severity } from '../core/model';
import { plainMessage } from '../core/render/plainTitle';
import { revealBidi } from '../core/render/reviewdata';
import type { SeveritySetting } from './config';

export const DIAGNOSTIC_SOURCE = 'SpecGate';
const RULES_DOC = 'https://github.com/specgate/specgate/blob/main/docs/rules.md';

/** Whole lines `startLine..endLine` (1-based, inclusive), clamped to the document when given. */
export function lineRange(startLine: number, endLine = startLine, lineCount?: number): vscode.Range {
  const max = lineCount === undefined ? Number.MAX_SAFE_INTEGER : Math.max(0, lineCount - 1);
  const start = Math.min(max, Math.max(0, startLine - 1));
  const end = Math.min(max, Math.max(start, endLine - 1));
  return new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER);
}

/**
 * The lines a hunk covers on the current side (1-based, inclusive). A pure deletion covers
 * the line above the gap (or the first line when the gap is at the top).
 */
export function hunkLines(h: Hunk): { startLine: number; endLine: number } {
  if (h.newLines > 0) return { startLine: h.newStart, endLine: h.newStart + h.newLines - 1 };
  const line = Math.max(1, h.newStart);
  return { startLine: line, endLine: line };
}

export function hunkRange(h: Hunk, lineCount?: number): vscode.Range {
  const { startLine, endLine } = hunkLines(h);
  return lineRange(startLine, endLine, lineCount);
}

export function toDiagnosticSeverity(severity: Severity, setting?: SeveritySetting): vscode.DiagnosticSeverity | undefined {
  switch (setting ?? severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    default:
      return undefined;
  }
}

/** The rules table of docs/rules.md (one row per rule id). */
export function ruleDocUri(): vscode.Uri {
  return (ruleDoc ??= vscode.Uri.parse(`${RULES_DOC}#rules`));
}
let ruleDoc: vscode.Uri | undefined;

/**
 * A finding as a diagnostic over `range`; undefined when the severity setting is `off`.
 * `toUri` turns a repository path into the file's URI (for related information).
 */
export function toDiagnostic(
  finding: Finding,
  range: vscode.Range,
  setting: SeveritySetting | undefined,
  toUri: (repoPath: string) => vscode.Uri,
): vscode.Diagnostic | undefined {
  const severity = toDiagnosticSeverity(finding.severity, setting);
  if (severity === undefined) return undefined;
  const d = new vscode.Diagnostic(range, revealBidi(plainMessage(finding.message)), severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = { value: finding.rule, target: ruleDocUri() };
  if (finding.related?.length) {
    d.relatedInformation = finding.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(toUri(r.file), lineRange(r.line)), revealBidi(plainMessage(r.message))),
    );
  }
  return d;
}

export function toRange(e: TextEditLike): vscode.Range {
  return new vscode.Range(e.startLine, e.startChar, e.endLine, e.endChar);
}

/** Core text edits on one document as a WorkspaceEdit (one undo step). */
export function toWorkspaceEdit(uri: vscode.Uri, edits: readonly TextEditLike[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, toRange(e), e.newText);
  return we;
}
