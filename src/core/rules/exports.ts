// SG220 removed-export: an exported name of a JS/TS file present in the old text and
// absent from the new (deleted files lose all their exports).
import { isScriptPath, scanExports } from '../exports';
import type { FileChange, Finding, Hunk } from '../model';
import { finding, taskRelated, type Rule } from './context';

/** Maps an old-side line to the new-side lines of the hunk that removed it. */
function newSideLines(hunks: readonly Hunk[], oldLine: number): { startLine: number; endLine: number } | undefined {
  for (const h of hunks) {
    if (oldLine >= h.oldStart && oldLine < h.oldStart + Math.max(h.oldLines, 1)) {
      if (h.newLines === 0) return { startLine: Math.max(1, h.newStart), endLine: Math.max(1, h.newStart) };
      return { startLine: h.newStart, endLine: h.newStart + h.newLines - 1 };
    }
  }
  return undefined;
}

function removedExports(c: FileChange): { name: string; oldLine: number }[] {
  const oldPath = c.oldPath ?? c.path;
  if (c.status === 'added' || c.oldText === undefined || !isScriptPath(oldPath)) return [];
  const before = scanExports(c.oldText);
  if (before.size === 0) return [];
  let after = new Map<string, number>();
  if (c.status !== 'deleted') {
    if (isScriptPath(c.path)) {
      if (c.newText === undefined) return [];
      after = scanExports(c.newText);
    }
  }
  return [...before].filter(([name]) => !after.has(name)).map(([name, oldLine]) => ({ name, oldLine }));
}

export const removedExportRule: Rule = (ctx) => {
  const out: Finding[] = [];
  for (const a of ctx.changes) {
    const c = a.change;
    const related = taskRelated(ctx, a.tasks);
    for (const { name, oldLine } of removedExports(c)) {
      const lines = c.status === 'deleted' ? { startLine: oldLine, endLine: oldLine } : newSideLines(c.hunks, oldLine);
      const what = name === 'default' ? 'the default export' : name.startsWith('* from') ? `the re-export \`export ${name}\`` : `export \`${name}\``;
      out.push(
        finding('removed-export', {
          path: c.path,
          ...lines,
          message: `Removed ${what}${c.status === 'deleted' ? ' (file deleted)' : ''}; code that imports it may break.`,
          task: a.tasks[0],
          related: related.length > 0 ? related : undefined,
        }),
      );
    }
  }
  return out;
};
