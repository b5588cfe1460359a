// SG210 protected-path: a change touching a high-blast-radius file. An error, or a warning
// when a task of the spec as the base has it names the file (the spec asked for it; a
// reviewer still looks). A task the change itself adds, or one in a spec the change creates,
// vouches for nothing: else the assistant could write the task that excuses its own edit. A
// deletion stays an error whoever asked for it: what the file declared is destroyed; so does
// a change that does something destructive there (core/dangers.ts: a Terraform resource
// destroyed, a table dropped…), which is reported in any file that holds it, protected or not.
// The message names the category, or who declared a glob that is not a default.
import { CONFIG_PATH } from '../config';
import { findDangers, readsContent, type Danger } from '../dangers';
import type { FileChange, Finding } from '../model';
import { codeSpan } from '../render/plainTitle';
import { someOf } from '../render/text';
import { IGNORE_FILE, shownGlob } from '../spec/paths';
import { normalizePattern } from '../scope';
import { changeLines, finding, taskRelated, tasksAtBase, type AnalyzedChange, type Rule, type RuleContext } from './context';
import { readsDependencies } from './dependencies';

/** compileProtected's category for globs that are not defaults: config, spec or editor setting. */
const CONFIGURED = 'configured protected path';

/**
 * Who declared a protected glob that is not a default: the repository's config, the spec's
 * own front matter (which whoever writes the spec wrote, the assistant too) or both, else
 * the editor setting.
 */
function declaredBy(ctx: RuleContext, glob: string): string {
  const same = (g: string) => normalizePattern(g) === glob;
  const by: string[] = [];
  if (ctx.config.protected.some(same)) by.push(codeSpan(CONFIG_PATH));
  const src = ctx.spec.scopeSources.find((x) => x.list === 'protected' && same(x.glob));
  if (src || ctx.spec.scope.protected.some(same)) by.push(`the spec's front matter${src?.range ? ` in ${codeSpan(src.range.file)} line ${src.range.startLine}` : ''}`);
  else if (ctx.baseProtected?.some(same)) by.push("the spec's front matter in the base, which this change edits out");
  return `protected by ${by.length > 0 ? by.join(' and ') : `the editor setting ${codeSpan('specgate.protectedPaths')}`}`;
}


/**
 * Whether a task vouches for a protected file it names. A task that also names an ignore file
 * (`Create .gitignore: todo.db, .venv, .env`) names the patterns it writes into it, not files
 * it changes: a new `.env` matching one is still an error.
 */
function vouches(ctx: RuleContext, taskId: string, path: string): boolean {
  const paths = ctx.tasksById.get(taskId)?.paths ?? [];
  return IGNORE_FILE.test(path) || !paths.some((p) => IGNORE_FILE.test(p));
}

/** `removes … (old line 7); it runs … (line 3)`: what the change does in the file, for a message's "it …". */
function dangerText(dangers: readonly Danger[]): string {
  const at = (d: Danger) => (d.lines && d.lines.length > 1 ? `lines ${someOf(d.lines.map(String), 5)}` : `line ${d.line}`);
  const parts = dangers.slice(0, 5).map((d) => (d.line > 0 ? `${d.what} (${d.side === 'old' ? 'old ' : ''}${at(d)})` : d.what));
  return parts.join('; it ') + (dangers.length > 5 ? `; and ${dangers.length - 5} more` : '');
}

/**
 * A file whose content the rule reads (core/dangers.ts) but could not: a side too large to be
 * carried as text, or not text. What the change does in it is not checked, which is said.
 */
function unread(c: FileChange): boolean {
  if (c.newMode === '120000' || !(readsContent(c.path) || (c.oldPath !== undefined && readsContent(c.oldPath)))) return false;
  return c.binary || (c.status !== 'added' && c.oldText === undefined) || (c.status !== 'deleted' && c.newText === undefined);
}

/**
 * What the change does in a file, as this rule reports it: a dependency danger (a
 * `package.json` dependency taken from git or a URL) is left to SG303 where that rule reads
 * the manifest, so one cause gives one finding; SG210 keeps it in a manifest SG303 does not
 * read (a new one, one out of scope) or when SG303 is off.
 */
function ownDangers(ctx: RuleContext, a: AnalyzedChange, found: readonly Danger[] | undefined): readonly Danger[] | undefined {
  if (!found || ctx.dependenciesOff || !found.some((d) => d.dependency !== undefined) || !readsDependencies(a)) return found;
  const left = found.filter((d) => d.dependency === undefined);
  return left.length > 0 ? left : undefined;
}

export const protectedRule: Rule = (ctx) => {
  const out: Finding[] = [];
  const dangers = findDangers(ctx.changes.map((a) => a.change), ctx.registries);
  for (const a of ctx.changes) {
    const c = a.change;
    const hit = ctx.protectedPaths.match(c.path) ?? (c.oldPath ? ctx.protectedPaths.match(c.oldPath) : undefined);
    const found = ownDangers(ctx, a, dangers.get(c.path));
    // A danger that is often meant (a new build stage's image), or may narrow as well as widen (info), keeps the finding as a task leaves it.
    const hard = found?.some((d) => d.severity === undefined) ?? false;
    if (!hit) {
      // Not a protected path, yet what the change does there reaches far (an install script, a Namespace removed).
      if (found) {
        const severity = hard ? 'error' : found.some((d) => d.severity === 'warning') ? 'warning' : 'info';
        // Notes alone (a `// @ts-ignore`, a first `permissions:` block) are worth a look, not a far reach.
        const lead = severity === 'info' ? 'Worth a look' : 'High blast radius';
        out.push(
          finding('protected-path', {
            path: c.path,
            ...changeLines(c),
            severity,
            message: `${lead} in this ${c.status} file: it ${dangerText(found)}. Confirm it before approving.`,
            task: a.tasks[0],
            related: taskRelated(ctx, a.tasks),
          }),
        );
      }
      continue;
    }
    const named = a.tasks.filter((t) => vouches(ctx, t, c.path));
    const listed = a.tasks.filter((t) => !named.includes(t));
    const by = tasksAtBase(ctx, a, named);
    const fresh = named.filter((t) => !by.includes(t));
    const deleted = c.status === 'deleted';
    const through = a.via ? ` through ${someOf(a.via, 3, codeSpan)}, which it is written from` : '';
    const vouched =
      by.length === 0
        ? ''
        : deleted
          ? ` Named by task ${by.join(', ')}${through}, yet a deletion stays an error: what the file declared is destroyed.`
          : hard
            ? ` Task ${by.join(', ')} names the file${through}, but what the change does in it stays an error.`
            : ` Named by task ${by.join(', ')}${through}.`;
    const why =
      (found ? ` It ${dangerText(found)}.` : ctx.contentRead && unread(c) ? ' Its content was not read (over 1 MB, or not text), so what the change does in it is not checked.' : '') +
      vouched +
      (fresh.length > 0
        ? ` Task ${fresh.join(', ')} names it only in this change's ${ctx.baseTasks ? 'edit to the spec' : 'new spec'}, which cannot vouch for it: a task does once the spec naming it is in the base.`
        : '') +
      (listed.length > 0 ? ` Task ${listed.join(', ')} names it beside an ignore file (${codeSpan('.gitignore')} and the like), as a pattern to ignore, not a file to change.` : '');
    // The change is judged by the stricter of this file and the base's (analyze.ts): say so.
    const config = c.path === CONFIG_PATH || c.oldPath === CONFIG_PATH ? ' Rules it loosens apply once it is in the base (committed; merged into the target for --base).' : '';
    out.push(
      finding('protected-path', {
        path: c.path,
        ...changeLines(c),
        severity: by.length > 0 && !deleted && !hard ? 'warning' : 'error',
        message: `Protected path (${hit.category === CONFIGURED ? declaredBy(ctx, hit.glob) : hit.category}, ${codeSpan(shownGlob(hit.glob))}): ${c.status} file with a high blast radius.${config}${why}`,
        task: a.tasks[0],
        related: taskRelated(ctx, a.tasks), // finding() leaves an empty list out
      }),
    );
  }
  return out;
};
