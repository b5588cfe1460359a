// Pure text edits behind the editor's quick fixes: add a path to a spec's scope, link a
// path to a task line, and restore one hunk's base content. Each returns edits in
// 0-based line/character positions over the text it was given (LSP-style, end exclusive),
// so the extension turns them into one undoable WorkspaceEdit. A path is written only in a
// form the spec parser reads back as covering that very path; a name that cannot be (a line
// break, a bidirectional control, a character the path reader does not take) is refused
// with a UsageError saying why, and nothing is edited.
import { UsageError, type Hunk } from './model';
import { codeSpan } from './render/plainTitle';
import { compileScope } from './scope';
import { normaliseGlob } from './spec/frontmatter';
import { backtickSpans, literalGlob, looksLikePath, namedPaths, toScopeGlobs } from './spec/paths';
import { deniedInProse, TASK_LINE } from './spec/sections';
import { parseDocument, isSeq, isScalar } from 'yaml';

/** One replacement: [start, end) in 0-based line/character positions. */
export interface TextEditLike {
  startLine: number;
  startChar: number;
  endLine: number;
  endChar: number;
  newText: string;
}

interface Line {
  /** Text without its terminator. */
  text: string;
  /** `\n`, `\r\n`, or `` for a last line without one. */
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), eol: '' });
  return lines;
}

function dominantEol(lines: Line[]): string {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

function insertAt(line: number, char: number, newText: string): TextEditLike {
  return { startLine: line, startChar: char, endLine: line, endChar: char, newText };
}

/** Characters shown as `\u{…}` in messages: control characters, line and paragraph separators, bidi controls. */
const HIDDEN = /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A path as a message shows it: on one line, with nothing invisible or reordering in it. */
export function shownPath(path: string): string {
  return path.replace(HIDDEN, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Why a path is never written into a spec, whatever the place; undefined when it may be. */
function refusal(path: string): string | undefined {
  if (/[\n\r\u0085\u2028\u2029]/.test(path)) return 'its name holds a line break, which would split the spec line';
  if (/[\0-\x1f\x7f-\x9f]/.test(path)) return 'its name holds a control character';
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(path)) return 'its name holds an invisible bidirectional-text control, which would hide in the spec';
  if (/[*?]|\{[^{}]*,[^{}]*\}/.test(path)) return 'its name holds * ? or {a,b}, which the spec reads as a pattern that matches other files too';
  if (path.trim() !== path || path === '') return 'its name starts or ends with white space, which the spec does not keep';
  return undefined;
}

/** Whether scope globs, compiled as the scope engine compiles a spec's, put `path` in scope. */
function covers(globs: readonly string[], path: string): boolean {
  const scope = compileScope({ scope: { include: [...globs], exclude: [], protected: [] }, tasks: [], files: [] });
  return globs.length > 0 && scope.classify(path) === 'in-scope';
}

/**
 * The code span that names `path` on a spec line (a task line, a Scope section item) so
 * that the spec parser reads it back as a path covering it (and only it): the path itself
 * (route segments too: `app/(shop)/[id]/page.tsx`), quoted when it holds spaces, or under
 * `./` for a top-level name the parser would not take as a path (`Makefile`, `LICENSE`).
 * Undefined when no form is read back.
 */
export function pathSpan(path: string): string | undefined {
  if (refusal(path) !== undefined || path.includes('`')) return undefined;
  const forms = [path, `"${path}"`, `./${path}`, `"./${path}"`].filter(looksLikePath);
  const own = literalGlob(path);
  // A form read back as this path alone (`./package.json`, not `**/package.json`), else one that covers it.
  const exact = forms.find((f) => {
    const globs = toScopeGlobs(f);
    return globs.includes(own) && globs.every((g) => g === own || g === `${own}/**`);
  });
  const inner = exact ?? forms.find((f) => covers(toScopeGlobs(f), path));
  return inner === undefined ? undefined : `\`${inner}\``;
}

/** Why `path` cannot be named in a code span on a spec line (after `refusal`). */
function spanRefusal(path: string): string {
  if (path.includes('`')) return 'its name holds a backtick, which ends the code span it would be written in';
  const odd = /[,;<>|"%\\]/.exec(path);
  if (odd) return `the spec does not read a name holding ${odd[0]} in a code span as a path`;
  const route = /[()[\]=]/.exec(path);
  if (route) return `the spec reads ${route[0]} in a path only as part of a route segment such as (group), [id], [...slug] or [id=matcher]`;
  if (path.includes('$')) return 'the spec reads $ in a path only as a route parameter in a file name, such as $slug.tsx or blog.$slug.tsx';
  return 'the spec would not read it back from a code span as that path';
}

/**
 * The front matter scope entry for `path`: a glob matching that file alone, its brackets and
 * parentheses escaped (`app/(auth)/[id].tsx` → `app/\(auth\)/\[id\].tsx`); as written, a
 * front matter glob would also match `app/auth/i.tsx`.
 */
function frontMatterEntry(path: string): string {
  return literalGlob(path);
}

/** Whether the front matter scope entry for `path` is read back as covering it. */
function frontMatterCovers(path: string): boolean {
  const glob = normaliseGlob(frontMatterEntry(path));
  return glob !== null && covers([glob], path);
}

function frontMatterRefusal(path: string): string {
  if (path.startsWith('!')) return 'a scope entry starting with ! is read as an exclusion';
  if (path.includes('\\')) return 'the spec reads a backslash in a scope entry as a folder separator';
  return 'the spec reads a scope entry starting with ~, $ or a drive letter (c:) as a path outside the repository';
}

function yamlScalar(value: string): string {
  if (/^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/.test(value)) return value;
  // A glob escape (`\(`) is itself in single quotes; in double quotes YAML would need `\\(`.
  if (value.includes('\\') && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

interface FrontMatter {
  /** Line index of the closing `---`/`...`. */
  close: number;
}

function findFrontMatter(lines: Line[]): FrontMatter | undefined {
  if (lines.length === 0 || lines[0].text.replace(/^\uFEFF/, '').trimEnd() !== '---') return undefined;
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].text.trimEnd();
    if (t === '---' || t === '...') return { close: i };
  }
  return undefined;
}

function isFence(text: string): boolean {
  return /^\s{0,3}(```|~~~)/.test(text);
}

function headingOf(text: string): { level: number; title: string } | undefined {
  const m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text);
  return m ? { level: m[1].length, title: m[2] } : undefined;
}

const SCOPE_HEADING = /^(in[ -])?scope$/i;
const LIST_ITEM = /^(\s*)([-*+])\s+/;

/** Whether `glob` is already written as a scope entry in the text (as a code span, a plain or quoted YAML item). */
function mentions(text: string, entry: string): boolean {
  const span = pathSpan(entry);
  if ((span !== undefined && text.includes(span)) || text.includes(codeSpan(entry)) || text.includes(`- ${yamlScalar(entry)}`)) return true;
  return text.includes(`\`${entry}\``) || new RegExp(`^\\s*-\\s+["']?${entry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}["']?\\s*$`, 'm').test(text);
}

/** Whether the front matter's `scope` (a list, flow or block, or one string) holds one of `values`. */
function listedInFrontMatter(fmText: string, values: readonly string[]): boolean {
  const doc = parseDocument(fmText);
  if (doc.errors.length) return false;
  const data: unknown = doc.toJS();
  const scope = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).scope : undefined;
  const list = typeof scope === 'string' ? [scope] : Array.isArray(scope) ? scope : [];
  return list.some((v) => typeof v === 'string' && values.includes(v.trim()));
}

function addToFrontMatter(lines: Line[], fm: FrontMatter, entry: string, eol: string): TextEditLike[] {
  let keyLine = -1;
  for (let i = 1; i < fm.close; i++) {
    if (/^scope\s*:/.test(lines[i].text)) {
      keyLine = i;
      break;
    }
  }
  const item = yamlScalar(entry);
  if (keyLine < 0) return [insertAt(fm.close, 0, `scope:${eol}  - ${item}${eol}`)];

  const rest = lines[keyLine].text.replace(/^scope\s*:/, '').replace(/\s+#.*$/, '').trim();
  if (rest === '') {
    let last = keyLine;
    let indent: string | undefined;
    for (let i = keyLine + 1; i < fm.close; i++) {
      const t = lines[i].text;
      if (t.trim() === '' || t.trimStart().startsWith('#')) continue;
      const m = /^(\s*)-(\s|$)/.exec(t);
      if (m) {
        indent ??= m[1];
        last = i;
      } else if (/^\s/.test(t)) last = i;
      else break;
    }
    return [insertAt(last + 1, 0, `${indent ?? '  '}- ${item}${eol}`)];
  }
  const flow = /^(scope\s*:\s*\[)(.*)\](\s*(#.*)?)$/.exec(lines[keyLine].text);
  if (flow) {
    const inner = flow[2];
    const at = flow[1].length + inner.length;
    const sep = inner.trim() === '' ? '' : ', ';
    const trimmedAt = flow[1].length + inner.trimEnd().length;
    return [{ startLine: keyLine, startChar: trimmedAt, endLine: keyLine, endChar: at, newText: `${sep}${item}` }];
  }
  return rewriteFrontMatter(lines, fm, entry, eol);
}

/** Fallback for unusual shapes (a scalar, a multi-line flow list): rewrite via the yaml Document API. */
function rewriteFrontMatter(lines: Line[], fm: FrontMatter, entry: string, eol: string): TextEditLike[] {
  const body = lines.slice(1, fm.close).map((l) => l.text).join('\n');
  const doc = parseDocument(body);
  if (doc.errors.length) return [];
  const current = doc.get('scope', true);
  if (isSeq(current)) current.add(doc.createNode(entry));
  else if (isScalar(current) && typeof current.value === 'string') doc.set('scope', doc.createNode([current.value, entry]));
  else doc.set('scope', doc.createNode([entry]));
  const out = doc.toString().replace(/\n$/, '').split('\n').join(eol);
  return [{ startLine: 1, startChar: 0, endLine: fm.close, endChar: 0, newText: `${out}${eol}` }];
}

function findScopeSection(lines: Line[], from: number): { heading: number; end: number } | undefined {
  let fenced = false;
  for (let i = from; i < lines.length; i++) {
    if (isFence(lines[i].text)) fenced = !fenced;
    if (fenced) continue;
    const h = headingOf(lines[i].text);
    if (!h || !SCOPE_HEADING.test(h.title.replace(/[*_`]/g, '').trim())) continue;
    let end = lines.length;
    let inner = false;
    for (let j = i + 1; j < lines.length; j++) {
      if (isFence(lines[j].text)) inner = !inner;
      if (inner) continue;
      const next = headingOf(lines[j].text);
      if (next && next.level <= h.level) {
        end = j;
        break;
      }
    }
    return { heading: i, end };
  }
  return undefined;
}

function addToSection(lines: Line[], section: { heading: number; end: number }, span: string, eol: string): TextEditLike[] {
  let last = section.heading;
  for (let i = section.end - 1; i > section.heading; i--) {
    if (lines[i].text.trim() !== '') {
      last = i;
      break;
    }
  }
  let bullet: { indent: string; marker: string } | undefined;
  for (let i = last; i > section.heading; i--) {
    const m = LIST_ITEM.exec(lines[i].text);
    if (m) {
      bullet = { indent: m[1], marker: m[2] };
      break;
    }
    if (!/^\s/.test(lines[i].text) || lines[i].text.trim() === '') break;
  }
  const item = `${bullet?.indent ?? ''}${bullet?.marker ?? '-'} ${span}`;
  const sep = bullet ? '' : eol;
  const line = lines[last];
  if (line.eol === '') return [insertAt(last, line.text.length, `${eol}${sep}${item}${eol}`)];
  return [insertAt(last + 1, 0, `${sep}${item}${eol}`)];
}

/**
 * Adds `path` (a repository path) to a spec file's scope so that the spec reads back that
 * file: the front matter `scope:` list when the file has front matter (brackets and
 * parentheses escaped there, see frontMatterEntry), else its *Scope* section, else a new
 * front matter block with a `scope:` list (also when the section cannot hold the name in a
 * form the spec reads back, as `docs/notes (1).md`). Returns [] when already listed;
 * throws a UsageError saying why when the spec cannot hold the name.
 */
export function addToScopeEdit(specFileText: string, path: string): TextEditLike[] {
  const entry = frontMatterEntry(path);
  const why = refusal(path);
  if (why !== undefined) throw new UsageError(`will not add ${shownPath(path)} to the scope: ${why}`);
  const lines = splitLines(specFileText);
  const eol = dominantEol(lines);
  const fm = findFrontMatter(lines);
  if (fm) {
    const fmText = lines.slice(1, fm.close).map((l) => l.text).join('\n');
    if (/^scope\s*:/m.test(fmText) && (listedInFrontMatter(fmText, [path, entry]) || mentions(fmText, path) || mentions(fmText, entry))) return [];
  }
  const section = findScopeSection(lines, fm ? fm.close + 1 : 0);
  if (section) {
    const text = lines.slice(section.heading, section.end).map((l) => l.text).join('\n');
    if (mentions(text, path)) return [];
  }
  const span = pathSpan(path);
  if (!fm && section && span !== undefined) return addToSection(lines, section, span, eol);
  if (!frontMatterCovers(path)) throw new UsageError(`cannot add ${shownPath(path)} to the scope: ${frontMatterRefusal(path)}`);
  if (fm) return addToFrontMatter(lines, fm, entry, eol);
  return [insertAt(0, 0, `---${eol}scope:${eol}  - ${yamlScalar(entry)}${eol}---${eol}`)];
}

/** Why `path` cannot be named on a task line (one line, for the user), or undefined when it can. */
export function linkRefusal(path: string): string | undefined {
  const why = refusal(path);
  if (why !== undefined) return `will not name ${shownPath(path)} in a task: ${why}`;
  if (pathSpan(path) !== undefined) return undefined;
  const instead = frontMatterCovers(path) ? '; add it to the scope instead' : '';
  return `cannot name ${shownPath(path)} in a task: ${spanRefusal(path)}${instead}`;
}

/**
 * Appends `path` as a code span (see pathSpan) to the task on 1-based line `taskLine` of a
 * tasks file, so the task names the file. Returns [] when the line already names it or is
 * out of range; throws a UsageError saying why when the spec would not read the name back
 * from the line (the line keeps every path it named, and no other line changes).
 */
export function linkToTaskEdit(tasksFileText: string, taskLine: number, path: string): TextEditLike[] {
  const lines = splitLines(tasksFileText);
  const i = taskLine - 1;
  if (i < 0 || i >= lines.length) return [];
  const why = linkRefusal(path);
  if (why !== undefined) throw new UsageError(why);
  const span = pathSpan(path)!;
  const text = lines[i].text;
  if (text.includes(span)) return [];
  // A `_Requirements: …` clause on the task line runs to its end: the path goes before it.
  const clause = /\s*_Requirements?:/.exec(text);
  const at = clause ? clause.index : text.trimEnd().length;
  const endChar = clause ? at : text.length;
  let head = text.slice(0, at);
  const tail = text.slice(endChar);
  // A line that ends saying what not to change or what to look at (`Do not modify a.ts`,
  // `see a.ts for reference`) would not name a span put right after it: a clause of its own.
  const name = namedPaths(span, { strict: true, bare: false })[0]?.path;
  const deniedOn = (line: string): boolean => name !== undefined && deniedInProse(line, undefined, TASK_LINE).has(name);
  if (deniedOn(`${head} ${span}${tail}`)) head = `${head};${head.endsWith(' ') ? '' : ' '}also`;
  if (deniedOn(`${head} ${span}${tail}`)) throw new UsageError(`cannot name ${shownPath(path)} in the task: its line says not to change what it names; add it on a line of its own under the task`);
  const after = `${head} ${span}${tail}`;
  // An unclosed backtick earlier on the line would pair with the new span's.
  for (const strict of [true, false]) {
    const read = (t: string) => backtickSpans(t, strict);
    const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(read(text), [...read(head), ...read(tail)]) || !same(read(after), [...read(head), span.slice(1, -1), ...read(tail)])) {
      throw new UsageError(`cannot name ${shownPath(path)} in the task: its line has an unclosed backtick; close it and try again`);
    }
  }
  return [{ startLine: i, startChar: at, endLine: i, endChar, newText: `${head.slice(at)} ${span}` }];
}

/** Lines as git counts them: each with its terminator, no phantom line after a final one. */
function gitLines(text: string): Line[] {
  const lines = splitLines(text);
  if (lines[lines.length - 1].text === '') lines.pop();
  return lines;
}

/**
 * Restores one hunk's base content. The hunk is in git's -U0 form over (base, current):
 * lines newStart..newStart+newLines-1 of `currentText` are replaced by lines
 * oldStart..oldStart+oldLines-1 of `baseText` (a zero count means "after that line").
 * Base line endings are converted to the current text's. Returns [] when the hunk does
 * not fit the texts.
 */
export function revertHunkEdit(currentText: string, baseText: string, hunk: Hunk): TextEditLike[] {
  const cur = gitLines(currentText);
  const base = gitLines(baseText);
  const eol = cur.some((l) => l.eol !== '') ? dominantEol(cur) : dominantEol(base);

  const oldFrom = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
  const oldTo = oldFrom + hunk.oldLines;
  const from = hunk.newLines === 0 ? hunk.newStart : hunk.newStart - 1;
  const to = from + hunk.newLines;
  if (oldFrom < 0 || oldTo > base.length || from < 0 || to > cur.length) return [];

  const newText = base
    .slice(oldFrom, oldTo)
    .map((l) => l.text + (l.eol === '' ? '' : eol))
    .join('');
  const position = (index: number): { line: number; char: number } => {
    // The start of line `index`, or the very end of the text when there is no such line.
    if (index < cur.length) return { line: index, char: 0 };
    const last = cur[cur.length - 1];
    if (!last) return { line: 0, char: 0 };
    return last.eol === '' ? { line: cur.length - 1, char: last.text.length } : { line: cur.length, char: 0 };
  };
  const start = position(from);
  const end = position(to);
  if (newText === '' && start.line === end.line && start.char === end.char) return [];
  return [{ startLine: start.line, startChar: start.char, endLine: end.line, endChar: end.char, newText }];
}
