// SG401 spec-problem: the spec's own problems (bad front matter, unresolved requirement
// references, as the parser reports them), references it missed, a spec with no scope, and
// the tasks and requirements the change takes out of its own spec.
import type { Finding, Requirement, Spec, SpecProblem } from '../model';
import { tooComplex } from '../globMatch';
import { codeSpan, plainTitle } from '../render/plainTitle';
import type { TaskLinks } from '../trace';
import { finding, type Rule } from './context';
import { tasksGone } from './doneBefore';

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
    // A spec the change writes alongside the code it excuses: its scope is the change's own claim.
    if (ctx.specIsNew && ctx.changes.some((c) => c.classification !== 'spec')) {
      out.push(finding('spec-problem', { path: spec.files[0] ?? spec.id, message: `Spec ${codeSpan(spec.id)} is new in this change: the scope and tasks it declares are the change's own claim, so review the spec itself before the code it covers.` }));
    }
    // What the change takes out of its own spec: work it was asked for and no longer says so.
    if (ctx.baseTasks) {
      for (const t of tasksGone(spec.tasks, ctx.baseTasks)) {
        // Its number may belong to another task now (the list renumbered): it is named as the base had it.
        const name = `Task ${t.id}${spec.tasks.some((x) => x.id === t.id) ? ' in the base' : ''} (${shortTitle(t.title)})`;
        out.push(
          t.state === 'done'
            ? finding('spec-problem', { path: t.range.file, severity: 'info', message: `${name}, done at the base, was taken out of the spec by this change.` })
            : finding('spec-problem', { path: t.range.file, message: `${name} was taken out of the spec by this change (deleted or struck through): confirm the work is no longer wanted before approving.` }),
        );
      }
    }
    if (ctx.baseRequirements && spec.format !== 'openspec') {
      for (const r of tasksGone(spec.requirements.map(asText), ctx.baseRequirements.map(asText), true)) {
        out.push(finding('spec-problem', { path: r.file, message: `Requirement ${r.id}${spec.requirements.some((x) => x.id === r.id) ? ' in the base' : ''} (${shortTitle(r.shown)}) was taken out of the spec by this change: confirm it is no longer wanted before approving.` }));
      }
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

/** A requirement as tasksGone compares it: its id, and its title with its criteria (a renamed requirement keeps its criteria). */
const asText = (r: Requirement) => ({ id: r.id, title: [r.title, ...r.criteria.map((c) => c.text)].join(' '), shown: r.title, paths: [] as string[], file: r.range.file });

/** A title as a message quotes it: plain text on one line, cut at 60 characters. */
function shortTitle(title: string): string {
  const t = plainTitle(title);
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}
