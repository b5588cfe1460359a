// SG220 removed-export: an exported name of a JS/TS file present in the old text and
// absent from the new (deleted files lose all their exports).
import { isScriptPath, scanExports } from '../exports';
import type { FileChange, Finding, Hunk } from '../model';
import { codeSpan } from '../render/plainTitle';
import { finding, taskRelated, type Rule } from './context';

/** Maps an old-side line to the new-side lines of the hunk that removed it (hunks in order: a binary search). */
function newSideLines(hunks: readonly Hunk[], oldLine: number): { startLine: number; endLine: number } | undefined {
  let lo = 0;
  let hi = hunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const h = hunks[mid]!;
    if (oldLine < h.oldStart) hi = mid - 1;
    else if (oldLine >= h.oldStart + Math.max(h.oldLines, 1)) lo = mid + 1;
    else if (h.newLines === 0) return { startLine: Math.max(1, h.newStart), endLine: Math.max(1, h.newStart) };
    else return { startLine: h.newStart, endLine: h.newStart + h.newLines - 1 };
  }
  return undefined;
}

function removedExports(c: FileChange): readonly { name: string; oldLine: number }[] {
  if (c.exportsRemoved !== undefined) return c.exportsRemoved;
  const oldPath = c.oldPath ?? c.path;
  if (c.status === 'added' || !isScriptPath(oldPath)) return [];
  const before = c.oldExports ?? (c.oldText !== undefined ? scanExports(c.oldText) : undefined);
  if (before === undefined || before.size === 0) return [];
  let after: ReadonlyMap<string, number> = new Map();
  if (c.status !== 'deleted' && isScriptPath(c.path)) {
    const scanned = c.newExports ?? (c.newText !== undefined ? scanExports(c.newText) : undefined);
    if (scanned === undefined) return [];
    after = scanned;
  }
  const removed: { name: string; oldLine: number }[] = [];
  for (const [name, oldLine] of before) if (!after.has(name)) removed.push({ name, oldLine });
  return removed;
}

/** Above this many removed exports in one file, the file gets one finding naming them. */
export const MAX_EXPORT_FINDINGS = 10;

function describe(name: string): string {
  if (name === 'default') return 'the default export';
  return name.startsWith('* from') ? `the re-export ${codeSpan(`export ${name}`)}` : `export ${codeSpan(name)}`;
}

function nameList(names: string[]): string {
  const shown = names.slice(0, 8).map((n) => codeSpan(n.startsWith('* from') ? `export ${n}` : n));
  return `${shown.join(', ')}${names.length > shown.length ? `, ... (${names.length - shown.length} more)` : ''}`;
}

export const removedExportRule: Rule = (ctx) => {
  const out: Finding[] = [];
  for (const a of ctx.changes) {
    const c = a.change;
    const removed = removedExports(c);
    if (removed.length === 0) continue;
    const common = { path: c.path, task: a.tasks[0], related: taskRelated(ctx, a.tasks) };
    if (c.status === 'deleted' || removed.length > MAX_EXPORT_FINDINGS) {
      const first = removed[0]!;
      const lines = c.status === 'deleted' ? { startLine: first.oldLine, endLine: first.oldLine } : newSideLines(c.hunks, first.oldLine);
      const one = removed.length === 1;
      const what = one ? describe(first.name) : `${removed.length} exports (${nameList(removed.map((r) => r.name))})`;
      const why = c.status === 'deleted' ? ' with the deleted file' : '';
      out.push(finding('removed-export', { ...common, ...lines, message: `Removed ${what}${why}; code that imports ${one ? 'it' : 'them'} may break.` }));
      continue;
    }
    for (const { name, oldLine } of removed) {
      const lines = newSideLines(c.hunks, oldLine);
      const message = `Removed ${describe(name)}; code that imports it may break.`;
      out.push(finding('removed-export', { path: common.path, task: common.task, related: common.related, startLine: lines?.startLine, endLine: lines?.endLine, message }));
    }
  }
  return out;
};
