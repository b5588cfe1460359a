// Hover and go-to-definition on requirement references in spec markdown (tasks files and the
// rest of a spec): the hover shows the requirement or criterion text, the definition jumps
// to it. Registered only for markdown inside the spec layouts' folders.
import * as vscode from 'vscode';
import type { Spec } from '../../core/model';
import type { FolderState, SpecGateModel } from '../model/types';
import { refAt, resolveRef, type Resolved } from './refAt';
import { plainTitle } from '../../core/render/plainTitle';

export const SPEC_SELECTOR: vscode.DocumentSelector = [
  { language: 'markdown', pattern: '**/.kiro/specs/**/*.md' },
  { language: 'markdown', pattern: '**/specs/**/*.md' },
  { language: 'markdown', pattern: '**/openspec/**/*.md' },
  { language: 'markdown', pattern: '**/docs/specs/**/*.md' },
];

interface Found {
  /** Repository paths to the URIs the editor names them by. */
  paths: FolderState['paths'];
  spec: Spec;
  resolved: Resolved;
  range: vscode.Range;
}

function find(model: SpecGateModel, doc: vscode.TextDocument, pos: vscode.Position): Found | undefined {
  const hit = model.lookup(doc.uri);
  if (!hit) return undefined;
  const rel = hit.state.paths.toRepoPath(doc.uri);
  const spec = rel === undefined ? undefined : hit.state.specs.find((s) => s.files.includes(rel));
  if (!spec) return undefined;
  const ref = refAt(doc.lineAt(pos.line).text, pos.character);
  if (!ref) return undefined;
  const resolved = resolveRef(spec, ref.ref);
  if (!resolved) return undefined;
  return { paths: hit.state.paths, spec, resolved, range: new vscode.Range(pos.line, ref.start, pos.line, ref.end) };
}

function hoverText(r: Resolved): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const req = r.requirement;
  const title = plainTitle(req.title);
  if (r.kind === 'criterion') {
    md.appendMarkdown('**');
    md.appendText(`Criterion ${r.criterion.id}`);
    md.appendMarkdown('** — ');
    md.appendText(`Requirement ${req.id}${title && title !== req.id ? `: ${title}` : ''}`);
    md.appendMarkdown('\n\n');
    md.appendText(r.criterion.text);
    return md;
  }
  md.appendMarkdown('**');
  md.appendText(title && title !== req.id ? `${req.id}: ${title}` : req.id);
  md.appendMarkdown('**');
  for (const c of req.criteria) {
    md.appendMarkdown('\n\n');
    md.appendText(`${c.id}. ${c.text}`);
  }
  return md;
}

function target(found: Found): vscode.Location {
  const r = found.resolved.kind === 'criterion' ? found.resolved.criterion.range : found.resolved.requirement.range;
  const uri = found.paths.toUri(r.file);
  return new vscode.Location(uri, new vscode.Position(Math.max(0, r.startLine - 1), 0));
}

export function registerSpecLanguage(model: SpecGateModel): vscode.Disposable {
  const hover = vscode.languages.registerHoverProvider(SPEC_SELECTOR, {
    provideHover(doc, pos) {
      const found = find(model, doc, pos);
      return found ? new vscode.Hover(hoverText(found.resolved), found.range) : undefined;
    },
  });
  const definition = vscode.languages.registerDefinitionProvider(SPEC_SELECTOR, {
    provideDefinition(doc, pos) {
      const found = find(model, doc, pos);
      if (!found) return undefined;
      const loc = target(found);
      const link: vscode.LocationLink = { originSelectionRange: found.range, targetUri: loc.uri, targetRange: loc.range };
      return [link];
    },
  });
  return vscode.Disposable.from(hover, definition);
}
