// One spec's files → the shared `Spec` model, whatever the layout. Pure: the caller reads
// the files. Never throws on bad content; what is wrong becomes `spec.problems`.
import type { Spec, SpecProblem } from '../model';
import type { SpecCandidate } from './detect';
import { SpecContext, type MdFile, type SpecDetails } from './context';
import { parseMarkdown, plainInline } from './markdown';
import { readFrontMatter } from './frontmatter';
import { itemLabel, scopeItemPaths, scopeSectionLines } from './sections';
import { lineRange } from './scope';
import { withoutIgnoreEntries } from './paths';
import { codeSpan } from '../render/plainTitle';
import { numberedId, scanTasks } from './tasks';
import { isBugfixSpec, pathsPerLine, readKiro } from './kiro';
import { readSpeckit } from './speckit';
import { readOpenspec } from './openspec';

export const MAX_SPEC_FILE_BYTES = 2 * 1024 * 1024;

/** The files of a spec folder that are read: markdown and Kiro's `.config.kiro` (images and the like are not). */
export const SPEC_TEXT_FILE = /(?:\.md|\.markdown|\/\.config\.kiro)$/i;

/**
 * Whether a file of a spec's folder is part of the spec (classified `spec`, exempt from
 * scope): its markdown files, Kiro's `.config.kiro`, OpenSpec's `.openspec.yaml` and
 * spec-kit's `contracts/` (API schemas). Any other file there (code, a script, an image) is
 * judged like any file of the repository: an assistant can put code in the spec's folder.
 */
/** A path from a home or workspace folder: the author's machine, not the repository (`/home/me/proj/src/x.ts`, `C:\\Users\\me\\…`). */
const ABSOLUTE = /(?<![\w.~$/\\-])(?:\/(?:home|Users|root|workspaces?|mnt|srv)\/|[A-Za-z]:[\\/](?:Users|Projects|src|dev|code)[\\/])[^\s`'"()<>]*[\w/\\]/g;

/**
 * Absolute paths of the author's machine in a spec file: not read as scope (they are no
 * repository path), so a task that names its files only so has none. One problem per file
 * says so, where nothing did.
 */
function absolutePaths(ctx: SpecContext, f: MdFile): void {
  const found: { line: number; path: string }[] = [];
  f.doc.lines.forEach((text, i) => {
    if (f.doc.literal[i] || !(text.includes('/') || text.includes('\\'))) return;
    for (const m of text.matchAll(ABSOLUTE)) found.push({ line: i + 1, path: m[0] });
  });
  if (found.length === 0) return;
  const first = found[0]!;
  const shown = first.path.length > 80 ? `${first.path.slice(0, 38)}…${first.path.slice(-38)}` : first.path;
  ctx.problems.push({
    file: f.path,
    line: first.line,
    message: `${found.length === 1 ? 'this line names an absolute path' : `this file names ${found.length} absolute paths, the first here`} (${codeSpan(shown)}): a path of the author's machine is not read as scope, so a task that names its files only so covers none; write paths from the repository root`,
  });
}

/** The first line of a list item (a bullet, `1.`, `1)` or Kiro's `1.2`). */
const ITEM_START = /^\s*(?:[-*+]|\d+[.)]|\d+\.\d+)\s/;

export function isSpecFile(spec: Pick<SpecCandidate, 'id' | 'format'>, path: string): boolean {
  if (spec.format === 'plain') return path === spec.id;
  if (!path.startsWith(`${spec.id}/`)) return false;
  const rel = path.slice(spec.id.length + 1);
  if (/\.(?:md|markdown)$/i.test(rel)) return true;
  if (spec.format === 'kiro') return rel === '.config.kiro';
  if (spec.format === 'openspec') return rel === '.openspec.yaml';
  return /^contracts\/(?:[^/]+\/)*[^/]+\.(?:ya?ml|json|graphql|gql|proto)$/i.test(rel);
}

export interface SpecFileText {
  path: string;
  text: string;
}

export function parseSpec(candidate: SpecCandidate, files: readonly SpecFileText[]): Spec {
  return parseSpecDetailed(candidate, files).spec;
}

export function parseSpecDetailed(candidate: SpecCandidate, files: readonly SpecFileText[]): { spec: Spec; details: SpecDetails } {
  const problems: SpecProblem[] = [];
  const markdown: MdFile[] = [];
  const other = new Map<string, string>();
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const rel = relativeTo(candidate.id, f.path);
    if (!SPEC_TEXT_FILE.test(`/${f.path}`)) continue;
    if (f.text.length > MAX_SPEC_FILE_BYTES) {
      problems.push({ file: f.path, line: 1, message: `${codeSpan(rel)} is larger than 2 MB; it was not read` });
      continue;
    }
    if (f.text.includes('\u0000')) {
      problems.push({ file: f.path, line: 1, message: `${codeSpan(rel)} is a binary file; it was not read` });
      continue;
    }
    if (/\.(?:md|markdown)$/i.test(f.path)) {
      try {
        markdown.push({ path: f.path, rel, doc: parseMarkdown(f.text) });
      } catch (err) {
        problems.push({ file: f.path, line: 1, message: `${codeSpan(rel)} could not be parsed: ${(err as Error).message}` });
      }
    } else other.set(rel, f.text);
  }
  const ctx = new SpecContext(candidate.id, candidate.format, markdown, other);
  ctx.problems.push(...problems);
  if (markdown.length === 0) {
    // At the file that could not be read, where there is one (a finding's location should be a
    // file, which code scanning can show); else at the spec's folder, with no line.
    const message = `${codeSpan(candidate.id)} has no readable spec file`;
    // (A file the caller could not read, binary say, is not among `files` but is among the candidate's.)
    const unread = problems[0]?.file ?? candidate.files.find((f) => SPEC_TEXT_FILE.test(`/${f}`));
    ctx.problems.push(unread !== undefined ? { file: unread, line: 1, message } : { file: candidate.id, message });
  }
  try {
    if (candidate.format === 'kiro') readKiro(ctx);
    else if (candidate.format === 'speckit') readSpeckit(ctx);
    else if (candidate.format === 'openspec') readOpenspec(ctx);
    else readPlain(ctx);
    for (const f of markdown) readDeclaredScope(ctx, f);
    for (const f of markdown) absolutePaths(ctx, f);
    if (candidate.format !== 'openspec') duplicateRequirements(ctx);
  } catch (err) {
    ctx.problems.push({ file: candidate.id, line: 1, message: `the spec could not be read completely: ${(err as Error).message}` });
  }
  let unresolved: NonNullable<Spec['unresolvedRefs']> = [];
  try {
    unresolved = resolveRefs(ctx);
  } catch (err) {
    ctx.problems.push({ file: candidate.id, line: 1, message: `requirement references could not be checked: ${(err as Error).message}` });
  }
  const spec: Spec = {
    id: candidate.id,
    format: candidate.format,
    name: candidate.name,
    files: candidate.files.filter((f) => isSpecFile(candidate, f)).sort(),
    requirements: ctx.requirements,
    tasks: ctx.tasks,
    scope: ctx.scope.scope,
    scopeSources: ctx.scope.sources,
    problems: ctx.problems,
  };
  if (unresolved.length) spec.unresolvedRefs = unresolved;
  if (ctx.nonGoals.length) spec.nonGoals = ctx.nonGoals;
  if (markdown.length > 0) spec.text = markdown.map((f) => f.doc.lines.join('\n')).join('\n');
  return { spec, details: ctx.details };
}

function relativeTo(id: string, path: string): string {
  if (path.startsWith(`${id}/`)) return path.slice(id.length + 1);
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Plain specs: checkbox tasks anywhere in the file; the paths a task names join the include scope. */
function readPlain(ctx: SpecContext): void {
  for (const f of ctx.markdown) {
    const scan = scanTasks(f.doc, f.path, numberedId);
    ctx.addRefs(scan.refs);
    ctx.problems.push(...scan.problems);
    const perLine = pathsPerLine(f, false);
    for (const t of scan.tasks) {
      const named = [t.range.startLine, ...t.bodyLines].flatMap((line) => perLine.get(line) ?? []);
      const paths = new Set(withoutIgnoreEntries(named).map((p) => p.path));
      const { bodyLines: _omit, ...task } = t;
      task.paths = [...paths].flatMap((p) => ctx.scope.addPath(p, 'include', 'task', lineRange(f.path, t.range.startLine)));
      ctx.tasks.push(task);
    }
  }
}

/** Front matter lists and Scope / Out of Scope / Non-Goals / Unchanged Behavior sections. */
function readDeclaredScope(ctx: SpecContext, f: MdFile): void {
  const fm = readFrontMatter(f.doc, f.path);
  ctx.problems.push(...fm.problems);
  for (const e of fm.entries) {
    const range = lineRange(f.path, e.line);
    ctx.scope.addGlob(e.glob, e.list, 'front-matter', range);
    const last = e.glob.slice(e.glob.lastIndexOf('/') + 1);
    if (e.list !== 'protected' && e.glob.includes('/') && !/[*?[\]{}.]/.test(last)) ctx.scope.addGlob(`${e.glob}/**`, e.list, 'front-matter', range);
  }
  const { lines } = f.doc;
  const nonGoal = (line: number) => {
    if (lines[line - 1]!.trim() !== '') ctx.nonGoals.push({ text: lines[line - 1]!, range: lineRange(f.path, line) });
  };
  // Front matter `out_of_scope:` / `non_goals:`: the key's line when its value is on it, and the lines of its block list.
  const fmEnd = f.doc.frontMatter?.endLine ?? 0;
  for (const at of new Set(fm.entries.filter((e) => e.list === 'exclude').map((e) => e.line))) {
    if (/:[ \t]*\S/.test(lines[at - 1] ?? '')) nonGoal(at);
    for (let l = at + 1; l < fmEnd && /^(?:[ \t]|-[ \t])/.test(lines[l - 1]!); l++) nonGoal(l);
  }
  const unread = new Map<number, string[]>();
  // A bugfix spec's Unchanged Behavior clauses name the code under repair, not files to leave alone.
  const behaviour = !isBugfixSpec(ctx);
  for (const { line, kind, from } of scopeSectionLines(f.doc, { behaviour })) {
    // Every line of an exclusion section is a non-goal (prose too); in a mixed one, an item labelled so (`- Out of scope: …`).
    if (kind === 'exclude' || (kind === 'mixed' && itemLabel(lines[line - 1]!.replace(ITEM_START, '')) === 'exclude')) nonGoal(line);
    if (kind === 'kept' || !ITEM_START.test(lines[line - 1]!)) continue;
    // A list item wrapped over several lines is one item: `- The legacy importer in\n  src/legacy/ stays as it is`.
    let text = lines[line - 1]!;
    for (let j = line; j < lines.length && lines[j]!.trim() !== '' && !ITEM_START.test(lines[j]!) && !f.doc.literal[j] && !/^\s{0,3}#/.test(lines[j]!); j++) text += ` ${lines[j]!.trim()}`;
    const item = scopeItemPaths(text, kind, f.path);
    for (const p of item.paths) ctx.scope.addPath(p.path, p.kind, 'scope-section', lineRange(f.path, line), p.bare);
    if (item.unclear.length) {
      const named = item.unclear.map((p) => codeSpan(p.path.replace(/^\.\//, '')));
      ctx.problems.push({
        file: f.path,
        line,
        message: `this scope item names ${listWords(named)} with words that exclude a path, but not clearly which: ${named.length === 1 ? 'it is' : 'they are'} not read as scope (list excluded paths under an Out of Scope heading or label)`,
      });
    }
    if (item.unread.length) unread.set(from, [...(unread.get(from) ?? []), ...item.unread.map((p) => p.path.replace(/^\.\//, ''))]);
  }
  for (const [from, paths] of unread) {
    const named = [...new Set(paths)].map(codeSpan);
    const heading = plainInline(lines[from - 1]!.replace(/^\s*#+\s*|\s*#+\s*$/g, ''));
    ctx.problems.push({
      file: f.path,
      line: from,
      message: `"${heading}" mixes scope and non-goals, and no label says whether ${listWords(named.slice(0, 3))}${named.length > 3 ? ` and ${named.length - 3} more` : ''} ${named.length === 1 ? 'is' : 'are'} in or out of scope: not read as scope (put ${named.length === 1 ? 'it' : 'them'} under an In scope: or Out of scope: label)`,
    });
  }
}

function listWords(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** The same requirement id defined twice makes references to it ambiguous. */
function duplicateRequirements(ctx: SpecContext): void {
  const first = new Map<string, Spec['requirements'][number]>();
  for (const r of ctx.requirements) {
    const seen = first.get(r.id);
    if (!seen) {
      first.set(r.id, r);
      continue;
    }
    ctx.problems.push({
      file: r.range.file,
      line: r.range.startLine,
      message: `requirement ${r.id} is defined twice (also at ${codeSpan(`${seen.range.file.slice(seen.range.file.lastIndexOf('/') + 1)}:${seen.range.startLine}`)})`,
    });
  }
}

/**
 * What a reference to an id the spec does not define misses: a criterion of a requirement
 * that exists (`2.3` while requirement 2 has 2.1 and 2.2), or the requirement itself.
 */
function missingRef(ctx: SpecContext, id: string): string {
  const m = /^(\d+)\.\d+$/.exec(id);
  const owner = m ? ctx.requirements.find((r) => r.id === m[1]) : undefined;
  if (!owner) return `references requirement ${id}, which does not exist`;
  const [what, whose] = owner.kind === 'bugfix' ? ['clause', 'section'] : ['acceptance criterion', 'requirement'];
  const ids = owner.criteria.map((c) => c.id);
  const has = ids.length === 0 ? `has no ${what === 'clause' ? 'clauses' : 'acceptance criteria'}` : `has ${ids.length > 6 ? `${ids.slice(0, 5).join(', ')}, … ${ids[ids.length - 1]}` : listWords(ids)}`;
  return `references ${id}, but ${what} ${id} of ${whose} ${owner.id} does not exist (${whose} ${owner.id} ${has})`;
}

/** `1.3–2.2`: the criteria from one to the other in document order, when both exist. */
function crossRange(ctx: SpecContext, tok: string): string[] | null {
  const m = /^(\d+\.\d+)\s*[–—-]\s*(\d+\.\d+)$/.exec(tok);
  if (!m) return null;
  const order = ctx.requirements.flatMap((r) => r.criteria.map((c) => c.id));
  const a = order.indexOf(m[1]);
  const b = order.indexOf(m[2]);
  return a >= 0 && b >= a ? order.slice(a, b + 1) : null;
}

/** Checks every task reference against the requirements and criteria; misses are problems. */
function resolveRefs(ctx: SpecContext): NonNullable<Spec['unresolvedRefs']> {
  const unresolved: NonNullable<Spec['unresolvedRefs']> = [];
  if (ctx.refs.length === 0) return unresolved;
  if (ctx.requirements.length === 0) {
    const first = ctx.refs[0];
    ctx.problems.push({
      file: first.file,
      line: first.line,
      message: `tasks reference requirements (${first.ids.concat(first.all).slice(0, 3).join(', ')}…) but the spec defines none`,
    });
    return unresolved;
  }
  const known = new Set<string>();
  for (const r of ctx.requirements) {
    known.add(r.id);
    for (const c of r.criteria) known.add(c.id);
  }
  for (const r of ctx.refs) {
    const file = r.file;
    for (const id of r.ids) {
      if (known.has(id)) continue;
      unresolved.push({ task: r.task, ref: id, range: lineRange(file, r.line) });
      ctx.problems.push({ file, line: r.line, message: `task ${r.task} ${missingRef(ctx, id)}` });
    }
    for (const tok of r.invalid) {
      const span = crossRange(ctx, tok);
      if (span) {
        const task = ctx.tasks.find((t) => t.id === r.task && t.range.file === file && t.range.startLine <= r.line && r.line <= t.range.endLine);
        for (const id of span) if (task && !task.requirements.includes(id)) task.requirements.push(id);
        continue;
      }
      unresolved.push({ task: r.task, ref: tok, range: lineRange(file, r.line) });
      ctx.problems.push({ file, line: r.line, message: `task ${r.task}: ${codeSpan(tok)} is not a requirement reference` });
    }
  }
  return unresolved;
}
