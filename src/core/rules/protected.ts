// SG210 protected-path: a change touching a high-blast-radius file. An error, or a warning
// when a task names the file (the spec asked for it; a reviewer still looks).
import { CONFIG_PATH } from '../config';
import type { Finding } from '../model';
import { codeSpan } from '../render/plainTitle';
import { shownGlob } from '../spec/paths';
import { changeLines, finding, taskRelated, type Rule } from './context';

export const protectedRule: Rule = (ctx) => {
  const out: Finding[] = [];
  for (const a of ctx.changes) {
    const c = a.change;
    const hit = ctx.protectedPaths.match(c.path) ?? (c.oldPath ? ctx.protectedPaths.match(c.oldPath) : undefined);
    if (!hit) continue;
    const named = a.tasks.length > 0 ? ` Named by task ${a.tasks.join(', ')}.` : '';
    // The change is judged by the stricter of this file and the base's (analyze.ts): say so.
    const config = c.path === CONFIG_PATH || c.oldPath === CONFIG_PATH ? ' Rules it loosens apply once it is committed.' : '';
    out.push(
      finding('protected-path', {
        path: c.path,
        ...changeLines(c),
        severity: a.tasks.length > 0 ? 'warning' : 'error',
        message: `Protected path (${hit.category}, ${codeSpan(shownGlob(hit.glob))}): ${c.status} file with a high blast radius.${config}${named}`,
        task: a.tasks[0],
        related: taskRelated(ctx, a.tasks), // finding() leaves an empty list out
      }),
    );
  }
  return out;
};
