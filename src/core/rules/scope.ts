// SG101 out-of-scope and SG102 excluded-path: one finding per hunk of a file outside the
// spec's scope (one per file when it has many hunks, or none to point at).
import { RULE_IDS, type Finding, type FindingKind } from '../model';
import { codeSpan } from '../render/plainTitle';
import { shownGlob } from '../spec/paths';
import { RULE_BY_KIND } from './catalog';
import { finding, hunkLines, scopeDeclaration, scopeRelated, type AnalyzedChange, type Rule, type RuleContext } from './context';

/** Above this many hunks a file gets one finding spanning them all. */
export const MAX_HUNK_FINDINGS = 20;

function perHunk(a: AnalyzedChange, kind: FindingKind, message: string, related: Finding['related']): Finding[] {
  const c = a.change;
  const deleted = c.status === 'deleted';
  const base = { path: c.path, message, related: related && related.length > 0 ? related : undefined, task: a.tasks[0] };
  if (c.hunks.length === 0) return [finding(kind, base)];
  if (c.hunks.length > MAX_HUNK_FINDINGS) {
    const first = hunkLines(c.hunks[0]!, deleted);
    const last = hunkLines(c.hunks[c.hunks.length - 1]!, deleted);
    return [finding(kind, { ...base, message: message.replace(/\.$/, ` (${c.hunks.length} hunks).`), startLine: first.startLine, endLine: last.endLine })];
  }
  // The hot path (one finding per hunk): the fields in finding()'s order, built once per hunk.
  const rule = RULE_IDS[kind];
  const severity = RULE_BY_KIND[kind].severity;
  const out: Finding[] = [];
  for (const h of c.hunks) {
    const { startLine, endLine } = hunkLines(h, deleted);
    const f = { rule, kind, severity, path: c.path, startLine, endLine, message } as Finding;
    if (base.task !== undefined) f.task = base.task;
    if (base.related !== undefined) f.related = base.related;
    out.push(f);
  }
  return out;
}

function verb(a: AnalyzedChange): string {
  switch (a.change.status) {
    case 'added':
      return 'New file';
    case 'deleted':
      return 'Deletion';
    case 'renamed':
      return 'Rename';
    default:
      return 'Change';
  }
}

/**
 * A file in scope only by the change's own edit to the spec: outside the base spec's scope
 * (a warning: the reviewer decides on the wider scope), or excluded by a non-goal the change
 * took away (an error, as a change to an excluded path is).
 */
function widenedScope(ctx: RuleContext, a: AnalyzedChange): Finding[] {
  const base = ctx.baseScope!;
  const { path, oldPath } = a.change;
  const names = oldPath !== undefined && oldPath !== path ? [path, oldPath] : [path];
  const excluded = names.map((n) => base.excludedBy(n)).find((g) => g !== undefined);
  // A lockfile in scope through its manifest was so at the base when the manifest was.
  const through = excluded === undefined && a.scopeVia?.some((m) => base.classify(m) === 'in-scope');
  const before = excluded !== undefined ? 'excluded' : !through && names.some((n) => base.classify(n) === 'out-of-scope') ? 'out-of-scope' : undefined;
  if (before === undefined) return [];
  const spec = codeSpan(ctx.spec.id);
  const glob = ctx.scope.includedBy(path);
  const related = glob !== undefined ? scopeRelated(ctx, glob, 'include') : [];
  if (before === 'excluded') {
    const msg = `${verb(a)} in scope only by this change's edit to spec ${spec}: at the base, its non-goal ${codeSpan(shownGlob(excluded!))} covers this file.`;
    return perHunk(a, 'excluded-path', msg, related);
  }
  const msg = `${verb(a)} in scope only by this change's edit to spec ${spec}: at the base, no scope glob or task path covers this file.`;
  const found = perHunk(a, 'out-of-scope', msg, related);
  for (const f of found) f.severity = 'warning';
  return found;
}

/** Most other specs a message names; past it, how many more. */
const OTHERS_NAMED = 2;

/** `; spec `b` covers it` (the other specs whose scope covers the file), or nothing. */
function coveredElsewhere(others: readonly { id: string; covers: (path: string) => boolean }[], path: string): string {
  if (others.length === 0) return '';
  const ids = others.filter((o) => o.covers(path)).map((o) => o.id);
  if (ids.length === 0) return '';
  const named = ids.slice(0, OTHERS_NAMED).map(codeSpan).join(ids.length === 2 ? ' and ' : ', ');
  const more = ids.length > OTHERS_NAMED ? ` and ${ids.length - OTHERS_NAMED} more` : '';
  return `; ${ids.length === 1 ? 'spec' : 'specs'} ${named}${more} ${ids.length === 1 ? 'covers' : 'cover'} it`;
}

export const scopeRules: Rule = (ctx) => {
  const out: Finding[] = [];
  let declaration: Finding['related'];
  let others: readonly { id: string; covers: (path: string) => boolean }[] | undefined;
  for (const a of ctx.changes) {
    if (a.classification === 'out-of-scope') {
      // A rename is as far out as the worse of its names: say which one lies outside.
      const { path, oldPath } = a.change;
      const what = oldPath !== undefined && oldPath !== path && ctx.scope.classify(path) !== 'out-of-scope' ? `the old path ${codeSpan(oldPath)}` : 'this file';
      const why = ctx.scope.empty ? 'the spec declares no scope' : `no scope glob or task path covers ${what}`;
      declaration ??= scopeDeclaration(ctx);
      others ??= ctx.otherScopes?.() ?? [];
      const elsewhere = coveredElsewhere(others, path);
      for (const f of perHunk(a, 'out-of-scope', `${verb(a)} outside the scope of spec ${codeSpan(ctx.spec.id)}: ${why}${elsewhere}.`, declaration)) out.push(f);
    } else if (a.classification === 'excluded') {
      const { path, oldPath } = a.change;
      const own = ctx.scope.excludedBy(path);
      const glob = own ?? (oldPath ? ctx.scope.excludedBy(oldPath) : undefined);
      const what = own === undefined && glob !== undefined && oldPath ? `the old path ${codeSpan(oldPath)}` : 'this file';
      const msg = `${verb(a)} excluded by spec ${codeSpan(ctx.spec.id)}: ${glob ? `its non-goal ${codeSpan(shownGlob(glob))}` : 'a non-goal'} covers ${what}.`;
      for (const f of perHunk(a, 'excluded-path', msg, scopeRelated(ctx, glob, 'exclude'))) out.push(f);
    } else if (a.classification === 'in-scope' && ctx.baseScope) {
      for (const f of widenedScope(ctx, a)) out.push(f);
    }
  }
  return out;
};
