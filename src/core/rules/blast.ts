// Blast-radius rules on the shape of a change: SG201 file-deleted, SG202 mass-rewrite (most
// of a file replaced, a warning when a task of the base spec asks for the rewrite or when
// the file was reformatted, its content kept but for an edit; deleted and
// re-created under a similar name; a protected file renamed, a warning when only moved and no
// migration; a file turned into another type) and SG203 large-deletion. Rewriting the spec's own files
// is writing the spec, not a blast radius: only their deletion is reported. A text file too
// large to diff (`tooLarge`) has no hunks, but its counts (git's numstat, and its old line
// count, streamed where the change set is built) are exact, so the rules judge it from them.
import { isScriptPath, scanExports } from '../exports';
import type { FileChange, Finding, Severity } from '../model';
import { codeSpan } from '../render/plainTitle';
import { WHITESPACE_CHANGED_SHARE } from '../whitespace';
import { changeLines, finding, hunkLines, lineCount, taskRelated, tasksAtBase, type AnalyzedChange, type Rule, type RuleContext } from './context';

/** A rewrite must add back at least this share of what it removed (else it is a deletion). */
export const REWRITE_ADD_BACK = 0.25;

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const dirname = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
/** The name without its last extension (`util.js` -> `util`, `user.service.ts` -> `user.service`). */
const stem = (p: string) => {
  const b = basename(p);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
};

/**
 * The lines a change of a file of `n` lines really removes and adds: without those that came
 * back differing only in line ending or trailing whitespace (FileChange.whitespaceChanged, a
 * CRLF file saved as LF along with an edit). The count is used only where every side works it
 * out (at least WHITESPACE_CHANGED_SHARE of the file removed), so the working tree, the staged
 * change, a re-check from the cache and an unsaved buffer agree.
 */
function realCounts(c: FileChange, n: number): { removed: number; added: number; ws?: NonNullable<FileChange['whitespaceChanged']> } {
  const ws = c.whitespaceOnly || c.removed < WHITESPACE_CHANGED_SHARE * n ? undefined : c.whitespaceChanged;
  return ws ? { removed: c.removed - ws.lines, added: c.added - ws.lines, ws } : { removed: c.removed, added: c.added };
}

/**
 * The reformat verdict of a change of a file of `n` lines (FileChange.reformat) when it holds:
 * the removed lines that lose a token (their content changed, not only its layout) are under
 * `massRewrite` of the file. Used only where every side works it out (see realCounts).
 */
function reformatOf(c: FileChange, n: number, massRewrite: number): FileChange['reformat'] {
  const r = c.whitespaceOnly || c.removed < WHITESPACE_CHANGED_SHARE * n ? undefined : c.reformat;
  return r && r.lines < massRewrite * n ? r : undefined;
}

/** Files where indentation is meaning: Python, YAML, a Makefile. */
const INDENT_MEANS = /\.(?:py|pyi|pyw|ya?ml)$|(?:^|\/)(?:GNU)?[Mm]akefile$|\.mk$/;

/**
 * A reformat's message (see reformatOf): how much of the lines changed, and how little of
 * their content, in tokens ("words and symbols").
 */
function reformatText(r: NonNullable<FileChange['reformat']>, path: string, pct: number, n: number): string {
  const edits = r.removed + r.added;
  const head = `Reformatted, not rewritten: ${pct}% of its ${lineCount(n)} changed`;
  const layout = '(whitespace, line breaks, quotes, semicolons, trailing commas)';
  const body =
    edits === 0
      ? `${head}, but not their content: the same ${r.tokens} words and symbols in the same order, only laid out anew ${layout}.`
      : `${head}, but only ${Math.max(1, Math.round((100 * edits) / r.tokens))}% of their content: of their ${r.tokens} words and symbols, ${r.removed} removed and ${r.added} added; the rest only laid out anew ${layout}. Read the edits word by word (${codeSpan("git diff --word-diff-regex='[[:alnum:]_$]+|[^[:space:]]'")}).`;
  return INDENT_MEANS.test(path) ? `${body} Indentation was not compared, and it is meaning here: check which block each line is in.` : body;
}

/**
 * Most of an existing file removed with little added back: not a rewrite (see
 * REWRITE_ADD_BACK) but a file gutted to a stub, which a net line count alone misses in a
 * file of fewer lines than `largeDeletion`.
 */
function gutted(c: FileChange, massRewrite: number, minLines: number): number | undefined {
  if (c.status !== 'modified' && c.status !== 'renamed') return undefined;
  const n = c.oldLineCount;
  if (n === undefined || n < minLines) return undefined;
  const { removed, added } = realCounts(c, n);
  if (removed < massRewrite * n || added >= REWRITE_ADD_BACK * removed) return undefined;
  // Its lines joined by a formatter, its content kept: SG202 says so.
  if (reformatOf(c, n, massRewrite)) return undefined;
  return n;
}

function oldLines(c: FileChange): number | undefined {
  if (c.oldLineCount !== undefined) return c.oldLineCount;
  return c.status === 'deleted' && !c.binary && !c.tooLarge ? c.removed : undefined;
}

export const deletionRules: Rule = (ctx) => {
  const out: Finding[] = [];
  const { largeDeletion, massRewrite, massRewriteMinLines } = ctx.config.thresholds;
  const commonOf = (a: AnalyzedChange) => ({ path: a.change.path, task: a.tasks[0], related: taskRelated(ctx, a.tasks) });
  for (const a of ctx.changes) {
    const c = a.change;
    if (c.status === 'deleted') {
      const n = oldLines(c);
      out.push(finding('file-deleted', { ...commonOf(a), ...changeLines(c), message: `File deleted${n !== undefined && !c.binary ? ` (${lineCount(n)})` : ''}.` }));
    }
    if (c.binary || a.classification === 'spec') continue;
    const net = c.removed - c.added;
    const stub = net >= largeDeletion ? undefined : gutted(c, massRewrite, massRewriteMinLines);
    if (net >= largeDeletion || stub !== undefined) {
      const biggest = c.hunks.reduce<FileChange['hunks'][number] | undefined>((m, h) => (!m || h.oldLines > m.oldLines ? h : m), undefined);
      const lines = biggest ? hunkLines(biggest, c.status === 'deleted') : {};
      const real = stub !== undefined ? realCounts(c, stub) : undefined;
      const message =
        stub !== undefined && real !== undefined
          ? `Most of the file was removed: ${Math.round((100 * real.removed) / stub)}% of its ${lineCount(stub)}, ${real.added} added back${real.ws ? ` (not counting the ${lineCount(real.ws.lines)} whose ${endingsWhat(real.ws)})` : ''}.`
          : `Large deletion: ${lineCount(c.removed)} removed, ${c.added} added (threshold ${largeDeletion}).`;
      out.push(finding('large-deletion', { ...commonOf(a), ...lines, message }));
    }
  }
  return out;
};

/**
 * A rewrite's message, and its severity when only whitespace changed: line endings alone (a
 * CRLF file saved as LF) are no delete-and-recreate, so a note; a re-indent is read, since
 * indentation is meaning in some languages, but not as a critical rewrite.
 */
function rewriteText(whitespace: FileChange['whitespaceOnly'], pct: number, n: number, added: number): { message: string; severity?: Severity } {
  if (whitespace === 'line-endings') {
    return { severity: 'info', message: `Only line endings or trailing whitespace changed, on ${pct}% of its ${lineCount(n)}; nothing else (not a delete-and-recreate).` };
  }
  if (whitespace === 'indentation') {
    return { severity: 'warning', message: `Only whitespace changed, on ${pct}% of its ${lineCount(n)}: re-indented, nothing else. Indentation is meaning in Python, YAML or a Makefile.` };
  }
  return { message: `Most of the file was replaced: ${pct}% of its ${lineCount(n)} removed, ${added} added (delete-and-recreate).` };
}

const endingsName = (to: 'lf' | 'crlf') => (to === 'lf' ? 'CRLF to LF' : 'LF to CRLF');
const endingsWhat = (ws: NonNullable<FileChange['whitespaceChanged']>) => (ws.to ? `line endings changed (${endingsName(ws.to)})` : 'line endings or trailing whitespace changed');

/**
 * A file whose line endings (or trailing whitespace) changed along with an edit that is no
 * rewrite: says both, so the reader reads the diff with whitespace at line ends ignored.
 */
function endingsText(ws: NonNullable<FileChange['whitespaceChanged']>, n: number, added: number, removed: number): string {
  const what = ws.to ? `Line endings changed (${endingsName(ws.to)})` : 'Line endings or trailing whitespace changed';
  const where = ws.lines === n ? `in all ${lineCount(n)}` : `in ${ws.lines} of its ${lineCount(n)}`;
  const rest = [added > 0 ? `${lineCount(added)} added` : '', removed > 0 ? `${lineCount(removed)} removed` : ''].filter(Boolean).join(' and ');
  return `${what} ${where}${rest ? `, and ${rest}` : ''}: not a delete-and-recreate; read the diff with whitespace at line ends ignored (${codeSpan('git diff --ignore-space-at-eol')}).`;
}

/** Words of a task that asks for a file to be written anew. */
const REWRITE_WORDS = /\b(?:re-?write|rewrites|rewritten|rewriting|replace|recreate|regenerate|rework|refactor|reimplement|restructure|reformat)\b/i;

/** Words of a task that asks for a file to be renamed. */
const RENAME_WORDS = /\b(?:rename|renames|renamed|renaming|move|moves|moved|moving)\b/i;

/**
 * The tasks that ask for what was done to this file: they name it, as the spec stands at the
 * base (a task the change adds vouches for nothing, as for SG210), and their title says so in
 * `words` (`Rewrite src/delay.ts to compute exponential delays`, `Rename infra/main.tf`).
 */
function askedBy(ctx: RuleContext, a: AnalyzedChange, words: RegExp): string[] {
  // The title as the base has it: a title the change edits to say "refactor" asks for nothing.
  const title = (t: string) => (ctx.baseTasks ? ctx.baseTasks.find((b) => b.id === t)?.title : ctx.tasksById.get(t)?.title) ?? '';
  return tasksAtBase(ctx, a).filter((t) => words.test(title(t)));
}

/** A deleted file's exports must number at least this many to match a new file by them. */
const SHARED_EXPORTS_MIN = 3;
/** The share of a deleted file's exports a new file must carry to be the old one re-created. */
const SHARED_EXPORTS_SHARE = 2 / 3;

/** The exported names of a side of a JS/TS change, where the change set carried them; worked out once per change and side. */
function exportNames(c: FileChange, side: 'old' | 'new'): ReadonlySet<string> | undefined {
  const memo = side === 'old' ? oldNames : newNames;
  if (memo.has(c)) return memo.get(c);
  const names = readExportNames(c, side);
  memo.set(c, names);
  return names;
}
const oldNames = new WeakMap<FileChange, ReadonlySet<string> | undefined>();
const newNames = new WeakMap<FileChange, ReadonlySet<string> | undefined>();

function readExportNames(c: FileChange, side: 'old' | 'new'): ReadonlySet<string> | undefined {
  if (side === 'old') {
    if (!isScriptPath(c.oldPath ?? c.path)) return undefined;
    if (c.oldExports) return new Set(c.oldExports.keys());
    if (c.status === 'deleted' && c.exportsRemoved) return new Set(c.exportsRemoved.map((e) => e.name));
    return c.oldText !== undefined ? new Set(scanExports(c.oldText).keys()) : undefined;
  }
  if (!isScriptPath(c.path)) return undefined;
  if (c.newExports) return new Set(c.newExports.keys());
  return c.newText !== undefined ? new Set(scanExports(c.newText).keys()) : undefined;
}

/**
 * The names a new file shares with a deleted one, when it carries most of them
 * (two thirds of them, at least SHARED_EXPORTS_MIN): the module written anew under
 * another name, which a line count does not pair when its code was rewritten.
 */
/** The deleted files that export each name (those with enough names to be matched by them). */
function byExportName(deleted: readonly AnalyzedChange[]): Map<string, AnalyzedChange[]> {
  const out = new Map<string, AnalyzedChange[]>();
  for (const d of deleted) {
    const names = exportNames(d.change, 'old');
    if (!names || names.size < SHARED_EXPORTS_MIN) continue;
    for (const n of names) {
      const list = out.get(n);
      if (list) list.push(d);
      else out.set(n, [d]);
    }
  }
  return out;
}

function sharedExports(deleted: FileChange, added: FileChange): string[] | undefined {
  const before = exportNames(deleted, 'old');
  if (!before || before.size < SHARED_EXPORTS_MIN) return undefined;
  const after = exportNames(added, 'new');
  if (!after) return undefined;
  const shared = [...before].filter((n) => after.has(n) && n !== 'default');
  return shared.length >= SHARED_EXPORTS_MIN && shared.length >= SHARED_EXPORTS_SHARE * before.size ? shared : undefined;
}

export const rewriteRules: Rule = (ctx) => {
  const out: Finding[] = [];
  const { massRewrite, massRewriteMinLines } = ctx.config.thresholds;
  const deleted = ctx.changes.filter((a) => a.change.status === 'deleted' && !a.change.binary);
  let deletedByName: Map<string, AnalyzedChange[]> | undefined;
  for (const a of ctx.changes) {
    const c = a.change;
    if (a.classification === 'spec') continue;
    const common = { path: c.path, task: a.tasks[0], related: taskRelated(ctx, a.tasks) };
    if (c.status === 'type-changed') {
      out.push(finding('mass-rewrite', { ...common, message: `File replaced by another type (mode ${c.oldMode ?? '?'} -> ${c.newMode ?? '?'}).` }));
      continue;
    }
    if (c.status === 'renamed' && c.oldPath && (ctx.protectedPaths.test(c.oldPath) || ctx.protectedPaths.test(c.path))) {
      // A move alone is no rewrite (Terraform and CI read no file names), save a migration's:
      // its name is its place in the order migrations run.
      const migration = [c.oldPath, c.path].some((p) => ctx.protectedPaths.match(p)?.category === 'database migration');
      // Into another folder it is in another module, or none (Terraform reads a folder as one; a
      // workflow runs only from .github/workflows): that stays an error.
      const elsewhere = dirname(c.oldPath) !== dirname(c.path);
      const moved = c.added === 0 && c.removed === 0 && !c.binary && !migration && !elsewhere;
      const message = moved
        ? `Protected file renamed from ${codeSpan(c.oldPath)}, its content unchanged.`
        : elsewhere && !migration
          ? `Protected file moved from ${codeSpan(c.oldPath)} to another folder, where it belongs to another module, or to none (a workflow runs only from ${codeSpan('.github/workflows')}).`
          : `Protected file renamed from ${codeSpan(c.oldPath)}${migration ? ": a migration's name is its place in the order migrations run" : ''}.`;
      // Renamed in its folder, edited on the way, as a task of the base spec asks ("Rename …").
      const asked = moved || elsewhere || migration ? [] : askedBy(ctx, a, RENAME_WORDS);
      const text = asked.length > 0 ? `${message} Task ${asked.join(', ')} asks for it.` : message;
      out.push(finding('mass-rewrite', { ...common, ...changeLines(c), message: text, ...(moved || asked.length > 0 ? { severity: 'warning' as const } : {}) }));
      continue;
    }
    if ((c.status === 'modified' || c.status === 'renamed') && !c.binary) {
      const n = c.oldLineCount;
      if (n === undefined || n < massRewriteMinLines || c.removed < massRewrite * n || c.added === 0) continue;
      const rewrite = c.added >= REWRITE_ADD_BACK * c.removed;
      // Lines that came back differing only in line ending or trailing whitespace are no rewrite:
      // judged on the rest (a CRLF file saved as LF along with the function a task asked for).
      const { removed, added, ws } = realCounts(c, n);
      if (rewrite && ws && !(removed >= massRewrite * n && added >= REWRITE_ADD_BACK * removed && added > 0)) {
        out.push(finding('mass-rewrite', { ...common, ...changeLines(c), severity: 'info', message: endingsText(ws, n, added, removed) }));
        continue;
      }
      // A formatter run along with an edit, its content kept: whether the formatter spread the
      // lines out or joined them (which would otherwise read as the file gutted, SG203).
      const re = reformatOf(c, n, massRewrite);
      if (re) {
        out.push(finding('mass-rewrite', { ...common, ...changeLines(c), severity: 'warning', message: reformatText(re, c.path, Math.round((100 * c.removed) / n), n) }));
        continue;
      }
      if (rewrite) {
        const text = rewriteText(c.whitespaceOnly, Math.round((100 * removed) / n), n, added);
        if (ws) text.message += ` Not counting the ${lineCount(ws.lines)} whose ${endingsWhat(ws)}.`;
        const asked = c.whitespaceOnly ? [] : askedBy(ctx, a, REWRITE_WORDS);
        if (asked.length > 0) {
          text.severity = 'warning';
          text.message += ` Task ${asked.join(', ')} asks for it.`;
        }
        out.push(finding('mass-rewrite', { ...common, ...changeLines(c), ...text }));
      }
      continue;
    }
    if (c.status === 'added' && !c.binary) {
      const twin = deleted.find((d) => {
        const p = d.change.path;
        const size = oldLines(d.change) ?? 0;
        // Written in its place: at least as much added back as a rewrite must (a one-line
        // index.ts is not the old index.ts re-created), under the same name in another folder or
        // the same name but for the extension in its folder (`util.js` -> `util.ts`; not
        // `user.service.ts` -> `user.module.ts`). A move that kept most of the content is a
        // rename, as the change set pairs it, not a re-creation.
        if (size < massRewriteMinLines || c.added < REWRITE_ADD_BACK * size) return false;
        return basename(p) === basename(c.path) || (dirname(p) === dirname(c.path) && stem(p) === stem(c.path));
      });
      if (twin) {
        out.push(
          finding('mass-rewrite', {
            ...common,
            ...changeLines(c),
            message: `Deleted and re-created: ${codeSpan(twin.change.path)} was deleted and this file written in its place.`,
          }),
        );
        continue;
      }
      // Under another name: the new file exports most of what the deleted one did. Only the
      // deleted files sharing a name with it are asked (a change of 100 new and 100 deleted
      // files would otherwise compare 10,000 pairs).
      const exported = exportNames(c, 'new');
      if (!exported) continue;
      deletedByName ??= byExportName(deleted);
      const near = new Set<AnalyzedChange>();
      for (const n of exported) for (const d of deletedByName.get(n) ?? []) near.add(d);
      for (const d of deleted) {
        if (!near.has(d)) continue;
        const size = oldLines(d.change) ?? 0;
        if (size < massRewriteMinLines || c.added < REWRITE_ADD_BACK * size) continue;
        const shared = sharedExports(d.change, c);
        if (!shared) continue;
        const before = exportNames(d.change, 'old')!.size;
        // As a rename would be: a warning when a base task that names either file asks for a rename or a rewrite.
        const asked = [...new Set([...askedBy(ctx, a, REWRITE_WORDS), ...askedBy(ctx, a, RENAME_WORDS), ...askedBy(ctx, d, REWRITE_WORDS), ...askedBy(ctx, d, RENAME_WORDS)])];
        const names = shared.slice(0, 4).map(codeSpan).join(', ') + (shared.length > 4 ? `, ... (${shared.length - 4} more)` : '');
        const message = `Deleted and re-created under a new name: ${codeSpan(d.change.path)} (${lineCount(size)}) was deleted and this file written in its place, exporting ${shared.length} of its ${before} names (${names}).${asked.length > 0 ? ` Task ${asked.join(', ')} asks for it.` : ''}`;
        out.push(finding('mass-rewrite', { ...common, ...changeLines(c), message, ...(asked.length > 0 ? { severity: 'warning' as const } : {}) }));
        break;
      }
    }
  }
  return out;
};
