// OpenSpec changes (`openspec/changes/<id>/`, `…/archive/<id>/`): requirement deltas in
// `specs/<capability>/spec.md` (`## ADDED|MODIFIED|REMOVED|RENAMED Requirements`,
// `### Requirement: …`, `#### Scenario: …`), tasks.md checkboxes (with the paths their lines
// name, bare ones too), and proposal.md's `## Impact` paths as the declared scope (design
// Non-Goals are handled as a scope section).
import type { DeltaOperation, Requirement } from '../model';
import type { MdFile, SpecContext } from './context';
import { namedPaths, withoutIgnoreEntries } from './paths';
import { lineRange } from './scope';
import { deniedInProse, sectionsWhere } from './sections';
import { numberedId, scanTasks } from './tasks';
import { pathsPerLine, trimEnd } from './kiro';

export function readOpenspec(ctx: SpecContext): void {
  const found: Requirement[] = [];
  for (const f of ctx.markdown) {
    if (f.rel.startsWith('specs/') && f.rel.endsWith('.md')) found.push(...deltas(ctx, f));
  }
  ctx.requirements.push(...qualifyShared(found));
  const tasks = ctx.file('tasks.md');
  if (tasks) {
    const scan = scanTasks(tasks.doc, tasks.path, numberedId);
    ctx.addRefs(scan.refs);
    ctx.problems.push(...scan.problems);
    const perLine = pathsPerLine(tasks, true);
    for (const t of scan.tasks) {
      const globs = new Set<string>();
      const named = [t.range.startLine, ...t.bodyLines].flatMap((line) => (perLine.get(line) ?? []).filter((p) => !p.bare || isBareFilePath(p.path)).map((p) => ({ ...p, line })));
      for (const p of withoutIgnoreEntries(named)) {
        for (const g of ctx.scope.addPath(p.path, 'include', 'task', lineRange(tasks.path, p.line), p.bare)) globs.add(g);
      }
      t.paths = [...globs];
      const { bodyLines: _omit, ...task } = t;
      ctx.tasks.push(task);
    }
  }
  const proposal = ctx.file('proposal.md');
  if (proposal) impact(ctx, proposal);
}

/**
 * Requirement names are unique per capability, not per change: a name that deltas of two
 * capabilities use (`Structured logging` in `specs/api/` and `specs/worker/`) gets the
 * capability in its id (`api: Structured logging`, `worker: Structured logging`), so that
 * each traceability row names one requirement. Other ids stay the bare name.
 */
function qualifyShared(reqs: Requirement[]): Requirement[] {
  const caps = new Map<string, Set<string | undefined>>();
  for (const r of reqs) caps.set(r.id, (caps.get(r.id) ?? new Set()).add(r.capability));
  for (const r of reqs) if (caps.get(r.id)!.size > 1 && r.capability !== undefined) r.id = `${r.capability}: ${r.id}`;
  return reqs;
}

/**
 * A bare token in an OpenSpec task line is read as the task's path when it names a file in
 * a folder, as spec-kit's task lines do (`1.5 Update openspec/README.md`); a bare folder or
 * file name there is usually prose about what the code handles (`exclude archive/`,
 * `tasks.md files`), so it is not.
 */
function isBareFilePath(p: string): boolean {
  const q = p.replace(/^(?:\.\/)+/, '');
  return q.includes('/') && !q.endsWith('/');
}

function impact(ctx: SpecContext, f: MdFile): void {
  for (const s of sectionsWhere(f.doc, (h) => h.depth <= 2 && /^Impact\b/i.test(h.text))) {
    ctx.details.impactSectionPresent = true;
    for (let i = s.start; i < s.end; i++) {
      if (f.doc.literal[i]) continue;
      const found = namedPaths(f.doc.lines[i], { file: f.path });
      const denied = found.length > 0 ? deniedInProse(f.doc.lines[i], f.path) : undefined;
      for (const { path, bare } of found) {
        if (!ctx.details.impactPaths.includes(path) && ctx.details.impactPaths.length < 10_000) ctx.details.impactPaths.push(path);
        if (!denied!.has(path)) ctx.scope.addPath(path, 'include', 'impact', lineRange(f.path, i + 1), bare);
      }
    }
  }
}

function deltas(ctx: SpecContext, f: MdFile): Requirement[] {
  const { lines, headings } = f.doc;
  const capability = f.rel.slice('specs/'.length).replace(/\/?[^/]*$/, '') || undefined;
  const out: Requirement[] = [];
  let op: DeltaOperation | undefined;
  let current: Requirement | undefined;
  const sectionEnd = (k: number, depth: number): number => {
    for (let n = k + 1; n < headings.length; n++) if (headings[n].depth <= depth) return headings[n].line - 1;
    return lines.length;
  };
  for (let k = 0; k < headings.length; k++) {
    const h = headings[k];
    if (h.depth <= 2) {
      const m = h.depth === 2 ? /^(ADDED|MODIFIED|REMOVED|RENAMED)\s+Requirements$/.exec(h.text) : null;
      op = m ? (m[1] as DeltaOperation) : undefined;
      current = undefined;
      if (op === 'RENAMED') out.push(...renames(f, h.line, sectionEnd(k, 2), capability));
      continue;
    }
    if (h.depth === 3) {
      current = undefined;
      const m = /^Requirement:\s*(.*)$/.exec(h.text);
      if (!m) continue;
      current = {
        id: m[1].trim(),
        title: m[1].trim(),
        kind: 'requirement',
        criteria: [],
        range: lineRange(f.path, h.line, trimEnd(lines, h.line, sectionEnd(k, 3))),
      };
      if (op) current.operation = op;
      if (capability) current.capability = capability;
      out.push(current);
      continue;
    }
    if (h.depth === 4 && /^Scenario:/.test(h.text)) {
      ctx.details.scenarios++;
      const name = h.text.replace(/^Scenario:\s*/, '').trim();
      const end = trimEnd(lines, h.line, sectionEnd(k, 4));
      if (current) current.criteria.push({ id: name, text: scenarioText(lines, h.line, end) || name, range: lineRange(f.path, h.line, end) });
    }
  }
  return out;
}

/**
 * A scenario's steps as one line (`WHEN the server is down THEN it retries`): the lines under
 * its heading up to `end` (1-based, inclusive), list markers and bold marks dropped.
 */
function scenarioText(lines: readonly string[], heading: number, end: number): string {
  const steps: string[] = [];
  for (let i = heading; i < end && i < lines.length; i++) {
    const t = lines[i]!.trim().replace(/^[-*+]\s+/, '').replace(/\*\*([^*]+)\*\*/g, '$1').trim();
    if (t !== '') steps.push(t);
  }
  return steps.join(' ');
}

/** `- FROM: ### Requirement: Old` / `- TO: ### Requirement: New` pairs. */
function renames(f: MdFile, start: number, end: number, capability: string | undefined): Requirement[] {
  const { lines, literal } = f.doc;
  const out: Requirement[] = [];
  let from: { name: string; line: number } | undefined;
  for (let i = start; i < end; i++) {
    if (literal[i]) continue;
    const m = /^\s*[-*]\s*(?:\*\*)?(FROM|TO)(?:\*\*)?:?\s*(?:\*\*)?:?\s*`?(?:#+\s*)?(?:Requirement:\s*)?([^`]*)`?\s*$/.exec(lines[i]);
    if (!m) continue;
    const name = m[2].trim();
    if (m[1] === 'FROM') from = { name, line: i + 1 };
    else if (from) {
      const r: Requirement = { id: name, title: `${from.name} → ${name}`, kind: 'requirement', criteria: [], range: lineRange(f.path, from.line, i + 1), operation: 'RENAMED' };
      if (capability) r.capability = capability;
      out.push(r);
      from = undefined;
    }
  }
  return out;
}

/** `2025-02-01-add-audit`: the folder `openspec archive` moves change `add-audit` to. */
const ARCHIVED = /^openspec\/changes\/archive\/\d{4}-\d{2}-\d{2}-([^/]+)$/;

/**
 * Files outside an OpenSpec change's folder that are its own business, as OpenSpec's last
 * step (`openspec archive <id>`) writes them: the capability specs its deltas are applied
 * to (`specs/<cap>/spec.md` → `openspec/specs/<cap>/spec.md`), and, for an archived change
 * (`openspec/changes/archive/<date>-<id>/`), each of its spec files where it stood before
 * the move (`openspec/changes/<id>/…`). Classified `spec`, like the change's own files.
 */
export function openspecOwnPaths(spec: { id: string; files: readonly string[] }): string[] {
  const out: string[] = [];
  const before = ARCHIVED.exec(spec.id)?.[1];
  for (const f of spec.files) {
    if (!f.startsWith(`${spec.id}/`)) continue;
    const rel = f.slice(spec.id.length + 1);
    if (before !== undefined) out.push(`openspec/changes/${before}/${rel}`);
    if (/^specs\/[^/]+(?:\/[^/]+)*\/spec\.md$/.test(rel)) out.push(`openspec/${rel}`);
  }
  return out;
}
