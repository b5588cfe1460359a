// SG401 spec-problem: the spec's own problems, requirement references that resolve to
// nothing, and a spec with no scope at all.
import type { Finding } from '../model';
import type { TaskLinks } from '../trace';
import { finding, type Rule } from './context';

export function specProblemRule(links: TaskLinks): Rule {
  return (ctx) => {
    const out: Finding[] = [];
    const spec = ctx.spec;
    for (const p of spec.problems) {
      out.push(finding('spec-problem', { path: p.file, startLine: p.line, endLine: p.line, message: p.message }));
    }
    const seen = new Set<string>();
    const refs = [
      ...(spec.unresolvedRefs ?? []).map((u) => ({ task: u.task, ref: u.ref, file: u.range.file, line: u.range.startLine })),
      ...links.unresolved.map((u) => ({ task: u.task.id, ref: u.ref, file: u.task.range.file, line: u.task.range.startLine })),
    ];
    if (spec.requirements.length === 0 && refs.length > 0) {
      const first = refs[0]!;
      out.push(
        finding('spec-problem', {
          path: first.file,
          startLine: first.line,
          endLine: first.line,
          message: `Tasks reference requirements (${[...new Set(refs.map((r) => r.ref))].slice(0, 5).join(', ')}), but spec ${spec.id} defines none.`,
        }),
      );
      refs.length = 0;
    }
    for (const u of refs) {
      const key = `${u.task}\0${u.ref}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        finding('spec-problem', {
          path: u.file,
          startLine: u.line,
          endLine: u.line,
          task: u.task,
          message: `Task ${u.task} references requirement ${u.ref}, which the spec does not define.`,
        }),
      );
    }
    if (ctx.scope.empty) {
      const file = spec.files[0] ?? spec.id;
      out.push(finding('spec-problem', { path: file, message: `Spec ${spec.id} declares no scope (no scope globs, no paths in tasks): every change is out of scope.` }));
    }
    return out;
  };
}
