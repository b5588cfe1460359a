// SG401 spec-problem: the spec's own problems (bad front matter, unresolved requirement
// references, as the parser reports them), references it missed, and a spec with no scope.
import type { Finding, Spec, SpecProblem } from '../model';
import { tooComplex } from '../globMatch';
import { codeSpan } from '../render/plainTitle';
import type { TaskLinks } from '../trace';
import { finding, type Rule } from './context';

export function specProblemRule(links: TaskLinks): Rule {
  return (ctx) => {
    const out: Finding[] = [];
    const spec = ctx.spec;
    for (const p of spec.problems) {
      out.push(finding('spec-problem', { path: p.file, startLine: p.line, endLine: p.line, message: p.message }));
    }
    // The parser reports the references it cannot resolve as problems; add only those it missed.
    const known = new Set((spec.unresolvedRefs ?? []).map((u) => `${u.task}\0${u.ref}`));
    const mentioned = (file: string, line: number, ref: string) => spec.problems.some((p) => p.file === file && p.line === line && p.message.includes(ref));
    if (spec.requirements.length > 0) {
      for (const u of links.unresolved) {
        const key = `${u.task.id}\0${u.ref}`;
        const { file, startLine: line } = u.task.range;
        if (known.has(key) || mentioned(file, line, u.ref)) continue;
        known.add(key);
        out.push(
          finding('spec-problem', {
            path: file,
            startLine: line,
            endLine: line,
            task: u.task.id,
            message: `Task ${u.task.id} references requirement ${u.ref}, which the spec does not define.`,
          }),
        );
      }
    }
    // A glob only picomatch reads, with wildcards enough to backtrack for minutes, matches nothing (see globMatch.ts).
    const globs = [...spec.scope.include, ...spec.scope.exclude, ...spec.scope.protected, ...spec.tasks.flatMap((t) => t.paths)];
    for (const g of new Set(tooComplex(globs))) {
      out.push(
        finding('spec-problem', {
          path: spec.files[0] ?? spec.id,
          message: `Glob ${codeSpan(g)} is too complex to match safely (an extglob, escape or range with more than two \`*\` in a segment or two \`**\` in all): it matches nothing; write it more simply.`,
        }),
      );
    }
    if (ctx.scope.empty) {
      const p = noScopeProblem(spec);
      out.push(finding('spec-problem', { path: p.file, message: p.message }));
    }
    return out;
  };
}

/** The problem of a spec that declares no scope (`compileScope(spec).empty`): every change is out of it. */
export function noScopeProblem(spec: Spec): SpecProblem {
  return { file: spec.files[0] ?? spec.problems[0]?.file ?? spec.id, message: `Spec ${codeSpan(spec.id)} declares no scope (no scope globs, no paths in tasks): every change is out of scope.` };
}
