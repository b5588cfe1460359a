// Kiro specs (`.kiro/specs/<name>/`): `### Requirement N` with numbered acceptance
// criteria, bugfix.md clauses, tasks.md checkboxes, and backticked paths in tasks.md and
// design.md as the declared scope.
import type { Criterion, Requirement } from '../model';
import type { SpecContext, MdFile } from './context';
import { backtickSpans, cleanNamedPath, looksLikePath, spacedSpanPath, withoutComments, withoutIgnoreEntries, type NamedPath } from './paths';
import { lineRange } from './scope';
import { pathsToChange, scopeItemPaths, scopeSectionLines, TASK_LINE, type DenyOptions } from './sections';
import { numberedId, scanTasks } from './tasks';

export function readKiro(ctx: SpecContext): void {
  const req = ctx.file('requirements.md');
  if (req) {
    const found = kiroRequirements(req);
    ctx.requirements.push(...found);
    misleveledRequirements(ctx, req, new Set(found.map((r) => r.id)));
  }
  const bugfix = ctx.file('bugfix.md');
  if (bugfix) ctx.requirements.push(...bugfixClauses(bugfix));
  const config = ctx.other.get('.config.kiro');
  if (config !== undefined) {
    try {
      ctx.details.config = JSON.parse(config);
    } catch {
      ctx.problems.push({ file: `${ctx.id}/.config.kiro`, line: 1, message: '.config.kiro is not valid JSON' });
    }
  }
  const tasks = ctx.file('tasks.md');
  if (tasks) {
    const scan = scanTasks(tasks.doc, tasks.path, numberedId);
    ctx.addRefs(scan.refs);
    ctx.problems.push(...scan.problems);
    ctx.details.validatesRefs.push(...new Set(scan.validates));
    ctx.details.nonTaskCheckboxLines += scan.nonTaskLines.length;
    const perLine = pathsPerLine(tasks, false);
    // Entries of an ignore file a task writes (see withoutIgnoreEntries): on no line are they scope.
    const entries = new Set<string>();
    for (const t of scan.tasks) {
      const globs = new Set<string>();
      const named = [t.range.startLine, ...t.bodyLines].flatMap((line) => (perLine.get(line) ?? []).map((p) => ({ ...p, line })));
      const kept = withoutIgnoreEntries(named);
      for (const p of named) if (!kept.includes(p)) entries.add(`${p.line}\0${p.path}`);
      for (const p of kept) {
        for (const g of ctx.scope.addPath(p.path, 'include', 'task', lineRange(tasks.path, p.line))) globs.add(g);
      }
      t.paths = [...globs];
      const { bodyLines: _omit, ...task } = t;
      ctx.tasks.push(task);
    }
    const seen = new Set<string>();
    for (const paths of backtickedPaths(tasks).values()) {
      for (const p of paths) {
        if (!seen.has(p)) ctx.details.backtickedPaths.push(p);
        seen.add(p);
      }
    }
    const excluded = excludedLines(ctx, tasks);
    // A task struck through as a whole is cancelled: its paths are not scope either.
    for (const r of scan.struck) for (let l = r.startLine; l <= r.endLine; l++) excluded.add(l);
    for (const [line, paths] of perLine) {
      if (excluded.has(line)) continue;
      for (const p of paths) if (!entries.has(`${line}\0${p.path}`)) ctx.scope.addPath(p.path, 'include', 'task', lineRange(tasks.path, line));
    }
  }
  const design = ctx.file('design.md');
  if (design) {
    const excluded = excludedLines(ctx, design);
    // Prose: a path it says is not to change, or only unclearly so, is not scope (see deniedInProse).
    for (const [line, paths] of pathsPerLine(design, false, {})) {
      if (excluded.has(line)) continue;
      for (const p of paths) ctx.scope.addPath(p.path, 'include', 'design', lineRange(design.path, line));
    }
  }
}

/**
 * Lines whose paths are not included from tasks.md or design.md: the lines of Out of Scope /
 * Non-Goals sections, and scope items that exclude a path, say so unclearly or sit unlabelled
 * in a mixed section (see scopeItemPaths). In bugfix specs *Unchanged Behavior* is no such section.
 */
function excludedLines(ctx: SpecContext, f: MdFile): Set<number> {
  const out = new Set<number>();
  for (const l of scopeSectionLines(f.doc, { behaviour: !isBugfixSpec(ctx) })) {
    if (l.kind === 'exclude' || l.kind === 'kept') out.add(l.line);
    else {
      const item = scopeItemPaths(f.doc.lines[l.line - 1]!, l.kind, f.path);
      if (item.unclear.length || item.unread.length || item.paths.some((p) => p.kind === 'exclude')) out.add(l.line);
    }
  }
  return out;
}

/**
 * A Kiro bugfix spec (with bugfix.md): its *Unchanged Behavior* / *Regression Prevention*
 * clauses, in any of its files, say what the code under repair must keep doing, and name
 * that code; they are not non-goals.
 */
export function isBugfixSpec(ctx: SpecContext): boolean {
  return ctx.format === 'kiro' && ctx.file('bugfix.md') !== undefined;
}

/** Path-like single-backtick spans per line (1-based), outside code and comments, as named (see cleanNamedPath). */
export function backtickedPaths(f: MdFile): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const { lines, literal } = f.doc;
  for (let i = 0; i < lines.length; i++) {
    if (literal[i] || !lines[i].includes('`')) continue;
    const paths = backtickSpans(withoutComments(lines[i])).map(cleanNamedPath).filter((p) => looksLikePath(p) || spacedSpanPath(p));
    if (paths.length) out.set(i + 1, paths);
  }
  return out;
}

/**
 * The paths each line (1-based) outside code and comments names: backticked paths and link
 * targets, plus bare path tokens when `bare` (see namedPaths), but those a line names not to
 * change or to look at (see pathsToChange; by default read as task lines are).
 */
export function pathsPerLine(f: MdFile, bare: boolean, deny: DenyOptions = TASK_LINE): Map<number, NamedPath[]> {
  const out = new Map<number, NamedPath[]>();
  const { lines, literal } = f.doc;
  for (let i = 0; i < lines.length; i++) {
    if (literal[i] || (!bare && !lines[i].includes('`') && !lines[i].includes(']('))) continue;
    const paths = pathsToChange(lines[i], { strict: true, bare, file: f.path }, deny);
    if (paths.length) out.set(i + 1, paths);
  }
  return out;
}

const NUMBERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;

const REQUIREMENT_HEADING = /^Requirement\s+(\d+)\b\s*[:.\-–—]?\s*(.*)$/i;

function kiroRequirements(f: MdFile): Requirement[] {
  const { lines, literal, headings } = f.doc;
  const out: Requirement[] = [];
  const ends = (k: number, maxDepth: number): number => {
    for (let n = k + 1; n < headings.length; n++) if (headings[n].depth <= maxDepth) return headings[n].line - 1;
    return lines.length;
  };
  for (let k = 0; k < headings.length; k++) {
    const h = headings[k];
    const m = h.depth === 3 ? REQUIREMENT_HEADING.exec(h.text) : null;
    if (!m) continue;
    const end = trimEnd(lines, h.line, ends(k, 3));
    const requirement: Requirement = {
      id: m[1],
      title: m[2].trim(),
      kind: 'requirement',
      criteria: [],
      range: lineRange(f.path, h.line, end),
    };
    let firstSub = end;
    let acHeading = false;
    for (let a = k + 1; a < headings.length && headings[a].line <= end; a++) {
      const ac = headings[a];
      firstSub = Math.min(firstSub, ac.line - 1);
      if (ac.depth !== 4 || !/^Acceptance Criteria/i.test(ac.text)) continue;
      acHeading = true;
      const acEnd = ends(a, 4);
      requirement.criteria.push(...numberedItems(f, ac.line, Math.min(acEnd, end), m[1], NUMBERED, literal));
    }
    // No `#### Acceptance Criteria` heading: the numbered list right under the requirement
    // (after a bold "Acceptance Criteria" line, when there is one) is its criteria.
    if (!acHeading) {
      let from = h.line;
      for (let i = h.line; i < firstSub; i++) {
        if (!literal[i] && /^\s*(?:\*\*|__)?Acceptance Criteria\b/i.test(lines[i]!)) {
          from = i + 1;
          break;
        }
      }
      requirement.criteria.push(...numberedItems(f, from, firstSub, m[1], NUMBERED, literal));
    }
    out.push(requirement);
  }
  return out;
}

/**
 * `Requirement N` headings at another level than `###` (none read at level 3 by that
 * number): each is a problem that says which level Kiro reads, instead of a requirement
 * silently left out (and every reference to it "does not exist").
 */
function misleveledRequirements(ctx: SpecContext, f: MdFile, read: ReadonlySet<string>): void {
  for (const h of f.doc.headings) {
    // (One of a number read at level 3 already is a part of that requirement: `#### Requirement 1 notes`.)
    const m = h.depth === 3 ? null : REQUIREMENT_HEADING.exec(h.text);
    if (!m || read.has(m[1]!)) continue;
    const text = h.text.length > 80 ? `${h.text.slice(0, 79)}…` : h.text;
    ctx.problems.push({
      file: f.path,
      line: h.line,
      message: `the level-${h.depth} heading "${'#'.repeat(h.depth)} ${text}" is not read as a requirement: Kiro requirements are level-3 headings ("### ${text}")`,
    });
  }
}

/**
 * Numbered items between heading line `from` and line `to` (1-based, inclusive): the items
 * of the list's top level, a nested list being part of the item above it. Their ids are the
 * numbers written when those go up one item after another; otherwise (`1.` on every line,
 * a number written twice) the numbers the rendered list shows, counted from the first.
 */
function numberedItems(f: MdFile, from: number, to: number, prefix: string, re: RegExp, literal: readonly boolean[]): Criterion[] {
  const { lines } = f.doc;
  const items: Criterion[] = [];
  const written: number[] = [];
  let top: number | undefined;
  for (let i = from; i < to; i++) {
    if (literal[i]) continue;
    const m = re.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].replace(/\t/g, '    ').length;
    if (top !== undefined && indent > top) continue;
    top = indent;
    if (items.length) items[items.length - 1].range.endLine = trimEnd(lines, items[items.length - 1].range.startLine, i);
    written.push(Number(m[2]));
    items.push({ id: `${prefix}.${m[2]}`, text: m[3].trim(), range: lineRange(f.path, i + 1, i + 1) });
  }
  if (items.length) items[items.length - 1].range.endLine = trimEnd(lines, items[items.length - 1].range.startLine, to);
  if (written.some((n, k) => k > 0 && n <= written[k - 1]!)) items.forEach((it, k) => (it.id = `${prefix}.${written[0]! + k}`));
  return items;
}

/** bugfix.md: each `###` section is a requirement; its `N.M` paragraphs are the criteria. */
function bugfixClauses(f: MdFile): Requirement[] {
  const { lines, literal, headings } = f.doc;
  const out: Requirement[] = [];
  for (let k = 0; k < headings.length; k++) {
    const h = headings[k];
    if (h.depth !== 3) continue;
    let end = lines.length;
    for (let n = k + 1; n < headings.length; n++) {
      if (headings[n].depth <= 3) {
        end = headings[n].line - 1;
        break;
      }
    }
    const criteria: Criterion[] = [];
    for (let i = h.line; i < end; i++) {
      if (literal[i]) continue;
      const m = /^(\d+)\.(\d+)\s+(.*)$/.exec(lines[i]);
      if (!m) continue;
      if (criteria.length) criteria[criteria.length - 1].range.endLine = trimEnd(lines, criteria[criteria.length - 1].range.startLine, i);
      criteria.push({ id: `${m[1]}.${m[2]}`, text: m[3].trim(), range: lineRange(f.path, i + 1, i + 1) });
    }
    if (!criteria.length) continue;
    criteria[criteria.length - 1].range.endLine = trimEnd(lines, criteria[criteria.length - 1].range.startLine, end);
    out.push({
      id: criteria[0].id.split('.')[0],
      title: h.text,
      kind: 'bugfix',
      criteria,
      range: lineRange(f.path, h.line, trimEnd(lines, h.line, end)),
    });
  }
  return out;
}

/** Last non-blank line (1-based) in [start, end], never before start. */
export function trimEnd(lines: readonly string[], start: number, end: number): number {
  let e = Math.min(end, lines.length);
  while (e > start && !lines[e - 1]?.trim()) e--;
  return Math.max(start, e);
}
