// Which of the spec's tasks were already ticked done at the base. SG302 is for tasks ticked
// in this change, so a task done before is left alone even when the change edits its text.
// A task is not known by its id alone: assistants renumber when they insert a task (and an
// unnumbered task's id is its line), so a new task ticked where a done one used to be would
// inherit its "done before", and the task that moved would be blamed in its place. A task is
// the same task as at the base when its text is the same; failing that, when it kept the
// number of a done task no task of the same text accounts for, and its words are close to
// that task's (an edit to its wording).
import type { Task } from '../model';

/** How alike two tasks' words must be, at least (exclusive), for the later to be the earlier one reworded. */
const REWORDED = 0.5;

type TaskText = Pick<Task, 'id' | 'title' | 'paths'>;

/**
 * The ids of the tasks of `now` that are tasks ticked done in `base` (the same spec at the
 * change's base): the same text, or the same task reworded.
 */
export function tasksDoneBefore(now: readonly TaskText[], base: readonly (TaskText & Pick<Task, 'state'>)[]): Set<string> {
  const out = new Set<string>();
  const free = now.map((t, i) => ({ t, i, key: textKey(t) }));
  const byKey = new Map<string, typeof free>();
  for (const f of free) {
    const same = byKey.get(f.key);
    if (same) same.push(f);
    else byKey.set(f.key, [f]);
  }
  const taken = new Set<number>();
  const left: TaskText[] = [];
  for (const b of base) {
    if (b.state !== 'done') continue;
    const same = byKey.get(textKey(b))?.filter((f) => !taken.has(f.i));
    // Of several tasks of this very text, the one that kept its id.
    const pick = same?.find((f) => f.t.id === b.id) ?? same?.[0];
    if (pick) {
      taken.add(pick.i);
      out.add(pick.t.id);
    } else left.push(b);
  }
  if (left.length === 0) return out;
  // Reworded: only the task that kept its number, and only when alike. Any other task, however
  // alike (a sibling `Add tests for src/b.ts` beside `… src/a.ts`), is not the task done
  // before: a task ticked in the change is checked rather than let through. (An unnumbered
  // task's id is its line: reworded, it is checked as ticked here.)
  const byId = new Map(free.filter((f) => !taken.has(f.i)).map((f) => [f.t.id, f.t]));
  for (const b of left) {
    if (/^L\d+$/.test(b.id)) continue;
    const same = byId.get(b.id);
    if (same && likeness(wordsOf(b), wordsOf(same)) > REWORDED) {
      byId.delete(b.id);
      out.add(same.id);
    }
  }
  return out;
}

function textKey(t: TaskText): string {
  return `${t.title.replace(/\s+/g, ' ').trim()}\0${[...t.paths].sort().join('\0')}`;
}

/** A task's words (lower case) and the paths it names, each counted. */
function wordsOf(t: TaskText): Map<string, number> {
  const words = new Map<string, number>();
  for (const w of [...(t.title.toLowerCase().match(/[\p{L}\p{N}_./*-]+/gu) ?? []), ...t.paths]) words.set(w, (words.get(w) ?? 0) + 1);
  return words;
}

/** The share of words two tasks have in common (Dice: twice the common count over both counts). */
function likeness(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let common = 0;
  let total = 0;
  for (const [w, n] of a) {
    total += n;
    common += Math.min(n, b.get(w) ?? 0);
  }
  for (const n of b.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

/** What tasksGone compares: a task's id, words and paths, and (for tasks) the requirements it serves. */
type Item = TaskText & { requirements?: readonly string[] };

/**
 * The tasks (or requirements) of `base` that `now` no longer has: no task of the same text,
 * and none that is the same task reworded: the one that kept its number and either serves the
 * same requirements or names the same paths, or any task left over whose words are close
 * (word endings aside: `Test` and `tests`). Deleted, or struck through (a cancelled task is no task).
 * `byId`: an item left with its id is the same item, however reworded (a requirement refined
 * in place, spec-kit's `FR-003` once its `[NEEDS CLARIFICATION]` is answered).
 */
export function tasksGone<T extends Item>(now: readonly Item[], base: readonly T[], byId = false): T[] {
  const free = now.map((t, i) => ({ t, i, key: textKey(t) }));
  const taken = new Set<number>();
  const left: T[] = [];
  for (const b of base) {
    const key = textKey(b);
    const same = free.filter((f) => f.key === key && !taken.has(f.i));
    const pick = same.find((f) => f.t.id === b.id) ?? same[0];
    if (pick) taken.add(pick.i);
    else left.push(b);
  }
  const sameList = (a: readonly string[] = [], b: readonly string[] = []) => a.length > 0 && a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
  const gone: T[] = [];
  for (const b of left) {
    const words = stemmed(wordsOf(b));
    const open = free.filter((f) => !taken.has(f.i));
    const reworded =
      open.find((f) => f.t.id === b.id && (byId || sameList(f.t.requirements, b.requirements) || sameList(f.t.paths, b.paths) || likeness(words, stemmed(wordsOf(f.t))) > REWORDED)) ??
      open.find((f) => likeness(words, stemmed(wordsOf(f.t))) > REWORDED);
    if (reworded) taken.add(reworded.i);
    else gone.push(b);
  }
  return gone;
}

/** Words with a plural or verb ending taken off (`tests` `testing` `tested` -> `test`). */
function stemmed(words: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [w, n] of words) {
    const stem = w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/, '') : w;
    out.set(stem, (out.get(stem) ?? 0) + n);
  }
  return out;
}
