// Requirement ↔ task links. A task's references (`1.2`, `FR-001`, `US1`) resolve to
// requirements by id, by criterion id, or `N.M` → `N`; `all` covers every requirement; a
// task that references nothing inherits its parent's; a spec-kit `[US1]` story links too.
import type { Spec, Task } from './model';

export interface TaskLinks {
  /** Requirement ids per task id, in spec order. */
  requirementsOf(taskId: string): string[];
  /** Task ids per requirement id, in spec order. */
  tasksOf(requirementId: string): string[];
  /** References that resolve to no requirement. */
  unresolved: { task: Task; ref: string }[];
}

export function linkTasks(spec: Pick<Spec, 'requirements' | 'tasks'>): TaskLinks {
  const byRef = new Map<string, string>();
  for (const r of spec.requirements) for (const c of r.criteria) if (!byRef.has(c.id)) byRef.set(c.id, r.id);
  for (const r of spec.requirements) byRef.set(r.id, r.id);
  const resolve = (ref: string): string | undefined => {
    const hit = byRef.get(ref) ?? byRef.get(ref.toUpperCase());
    if (hit) return hit;
    const m = /^(\d+)\.\d+$/.exec(ref);
    return m ? byRef.get(m[1]!) : undefined;
  };
  const order = new Map(spec.requirements.map((r, i) => [r.id, i]));
  const byTask = new Map<string, Task>();
  for (const t of spec.tasks) if (!byTask.has(t.id)) byTask.set(t.id, t);

  const unresolved: { task: Task; ref: string }[] = [];
  const own = new Map<Task, string[]>();
  for (const t of spec.tasks) {
    const ids = new Set<string>();
    if (t.allRequirements) for (const r of spec.requirements) ids.add(r.id);
    for (const ref of t.requirements) {
      const id = resolve(ref);
      if (id) ids.add(id);
      else unresolved.push({ task: t, ref });
    }
    if (t.story) {
      const id = resolve(t.story);
      if (id) ids.add(id);
    }
    own.set(t, [...ids]);
  }
  const perTask = new Map<string, string[]>();
  const effective = (t: Task, guard = 0): string[] => {
    const mine = own.get(t) ?? [];
    if (mine.length > 0 || !t.parent || guard > 20) return mine;
    const parent = byTask.get(t.parent);
    return parent && parent !== t ? effective(parent, guard + 1) : mine;
  };
  const perReq = new Map<string, string[]>();
  for (const t of spec.tasks) {
    const reqs = effective(t).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const prev = perTask.get(t.id) ?? [];
    perTask.set(t.id, [...new Set([...prev, ...reqs])]);
    for (const r of reqs) {
      const list = perReq.get(r) ?? [];
      if (!list.includes(t.id)) list.push(t.id);
      perReq.set(r, list);
    }
  }
  return {
    requirementsOf: (id) => perTask.get(id) ?? [],
    tasksOf: (id) => perReq.get(id) ?? [],
    unresolved,
  };
}
