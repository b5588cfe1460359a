// Sections of any spec file by heading (or label such as `**Non-Goals:**`): the line ranges
// under a heading, the scope kind of Scope / In Scope / Out of Scope / Non-Goals / Unchanged
// Behavior sections (and their variants), and what each list item of such a section says
// about the paths it names, so that they become scope.
import type { MdDoc, MdHeading } from './markdown';
import { namedPaths, type NamedPath, type NamedPathOptions } from './paths';

export type ScopeKind = 'include' | 'exclude';
/** A section's kind: `mixed` holds both (*Scope and Non-Goals*), so only what an item says out loud is read. */
/** `kept`: a list of what must stay as it is (a bugfix's preserved behaviour): no scope either way. */
export type SectionKind = ScopeKind | 'mixed' | 'kept';

export interface LabelledLine {
  /** 1-based line. */
  line: number;
  kind: SectionKind;
  /** 1-based line of the heading or label that gives the kind. */
  from: number;
}

/** Heading text without numbering, emphasis, parentheticals and a trailing colon, lower-cased. */
export function normaliseHeading(text: string): string {
  return text
    .replace(/[*_`]/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+/, '')
    .replace(/[:.\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Words that say a path is not to be changed, in a heading or a label. */
const EXCLUSION =
  /\b(?:out[ -]of[ -]scope|not in[ -]scope|non[ -]?goals?|(?:do|must|should) not (?:touch|change|modify|edit)|don['’]t (?:touch|change|modify|edit)|unchanged behaviou?rs?|regression prevention)\b/g;
/** What may follow an exclusion at the start of a heading: `Out of scope for MVP`, `Non-Goals in v1`, `Out of Scope Items`. */
const EXCLUSION_TAIL = /^(?:(?:for|in|of|during|until|at)\b.*|items?|paths?|files?|folders?|areas?|list|changes)$/;

/**
 * The scope kind of a heading or label: *Scope*, *In Scope* include; *Out of Scope*,
 * *Explicitly Out of Scope*, *Not in Scope (for now)*, *Out of Scope for MVP*, *Out of Scope
 * / Non-Goals*, *Non-Goals*, *Do Not Touch*, *Unchanged Behavior*, *Regression Prevention*
 * exclude; *Scope and Non-Goals*, *Goals and Non-Goals* are `mixed`. Null for anything else
 * (*Out-of-scope detection* names a feature, not a section of paths).
 */
export function scopeKindOf(text: string): SectionKind | null {
  const t = normaliseHeading(text).replace(/^(?:what(?:['’]s| is| are)|things|also|explicitly|strictly)\s+/, '').replace(/^(?:explicitly|strictly)\s+/, '');
  if (/^(?:scope|in[ -]scope|in scope files)$/.test(t)) return 'include';
  const rest = t.replace(EXCLUSION, ' ');
  if (rest === t) return null;
  if (/\b(?:scope|goals?)\b/.test(rest)) return 'mixed';
  const tail = rest.replace(/^[\s/&,+|–—-]+|[\s/&,+|–—-]+$/g, '').replace(/^(?:and|or)\b\s*/, '');
  if (tail === '') return 'exclude';
  return t.search(EXCLUSION) === 0 && EXCLUSION_TAIL.test(tail) ? 'exclude' : null;
}

/** `**Non-Goals:**` on a line of its own (bold, the colon inside or after). */
const BOLD_LABEL = /^\s*(?:\*\*|__)([^*_]{2,60}?)(?::\s*)?(?:\*\*|__)\s*:?\s*$/;
/** `Out of scope:` on a line of its own (plain: read only when it names a scope kind). */
const PLAIN_LABEL = /^\s*([A-Za-z][\w ()/&,'’-]{1,60}?)\s*:\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$/;

/** The kind a line of its own names as a label (`**Non-Goals:**`, `Out of scope:`), null for another bold label, undefined when it is no label. */
function labelKind(line: string, kindOf: (text: string) => SectionKind | null): SectionKind | null | undefined {
  const b = BOLD_LABEL.exec(line);
  if (b) return kindOf(b[1]!);
  const p = PLAIN_LABEL.exec(line);
  const kind = p ? kindOf(p[1]!) : null;
  return kind ?? undefined;
}

/**
 * Lines that sit in a scope section, with the section's kind. Sub-headings inherit the
 * kind of the nearest scope heading above them unless they carry their own; a label on a
 * line of its own (`**Out of scope:**`, `Out of scope:`) sets the kind of the lines after
 * it, up to the next heading or label; a list item that is a label alone (`- **In scope:**`)
 * or starts with one (`- Out of scope: these`) sets the kind of the items nested under it.
 * `behaviour: false` (bugfix.md) reads *Unchanged Behavior* / *Regression Prevention* as no
 * scope section: there they describe behaviour to keep in the code under repair.
 */
export function scopeSectionLines(doc: MdDoc, opts: { behaviour?: boolean } = {}): LabelledLine[] {
  const kindOf = (text: string): SectionKind | null => {
    if (opts.behaviour === false && /^(?:unchanged behaviou?rs?|regression prevention)$/.test(normaliseHeading(text))) return null;
    return scopeKindOf(text);
  };
  const out: LabelledLine[] = [];
  const headingAt = new Map<number, MdHeading>();
  for (const h of doc.headings) headingAt.set(h.line - 1, h);
  const stack: { depth: number; kind: SectionKind | null; line: number }[] = [];
  let label: { kind: SectionKind | null; line: number } | undefined;
  let items: { indent: number; kind: SectionKind; line: number }[] = [];
  for (let i = doc.frontMatter?.endLine ?? 0; i < doc.lines.length; i++) {
    const h = headingAt.get(i);
    if (h) {
      while (stack.length && stack[stack.length - 1].depth >= h.depth) stack.pop();
      stack.push({ depth: h.depth, kind: kindOf(h.text), line: i + 1 });
      label = undefined;
      items = [];
      continue;
    }
    if (doc.literal[i]) continue;
    const text = doc.lines[i];
    const lk = LIST_ITEM.test(text) ? undefined : labelKind(text, kindOf);
    if (lk !== undefined) {
      label = { kind: lk, line: i + 1 };
      items = [];
      continue;
    }
    let kind: SectionKind | null = null;
    let from = 0;
    if (label) ({ kind, line: from } = label);
    else {
      for (let s = stack.length - 1; s >= 0; s--) {
        if (stack[s].kind !== null) {
          ({ kind, line: from } = stack[s] as { kind: SectionKind; line: number });
          break;
        }
      }
    }
    const item = LIST_ITEM.exec(text);
    if (item) {
      const indent = item[1]!.replace(/\t/g, '    ').length;
      while (items.length && items[items.length - 1].indent >= indent) items.pop();
      if (items.length) ({ kind, line: from } = items[items.length - 1]);
      if (kind !== null) {
        const own = itemLabel(item[2]!);
        if (own) items.push({ indent, kind: own, line: i + 1 });
      }
    } else if (text.trim() === '') {
      // a blank line keeps nested items under their label
    } else {
      if (!/^\s/.test(text)) items = [];
      // Kiro's bugfix design: `**Scope:**` / `All inputs that do NOT involve … should be
      // completely unaffected by this fix. This includes:` lists what must stay as it is.
      if (label?.kind === 'include' && UNAFFECTED.test(text)) {
        label = { kind: 'kept', line: i + 1 };
        continue;
      }
    }
    if (kind) out.push({ line: i + 1, kind, from });
  }
  return out;
}

/** `Out of scope:`, `**Non-Goals**:`, `In scope -`, or `NOT` at the start of a list item's text. */
const ITEM_LABEL = /^\s*(?:\*\*|__)?\s*([A-Za-z][\w /&'’-]{1,50}?)\s*(?:(?:\*\*|__)\s*[:–—-]|:\s*(?:\*\*|__)|[:–—]|\s-\s)/;
const ITEM_NOT = /^\s*(?:\*\*|__)?(?:NOT|Not|not)\b(?:\*\*|__)?[\s:]/;

/** The scope kind a list item's text starts with a label for, if any. */
export function itemLabel(text: string): ScopeKind | undefined {
  if (ITEM_NOT.test(text)) return 'exclude';
  const m = ITEM_LABEL.exec(text);
  const kind = m ? scopeKindOf(m[1]!) : null;
  return kind === 'include' || kind === 'exclude' ? kind : undefined;
}

export interface ScopeItemPath extends NamedPath {
  kind: ScopeKind;
}

export interface ScopeItem {
  paths: ScopeItemPath[];
  /** Paths the item names with words that exclude something, where it is unclear which: read as neither. */
  unclear: NamedPath[];
  /** Paths of a `mixed` section's item that says nothing about them: not guessed into scope. */
  unread: NamedPath[];
}

/** Words after which the paths of an item are excluded: `src/ (but not src/auth/)`, `src/ except src/gen/`. */
const EXCEPT = /\b(?:but not|and not|or not|except(?: for)?|excluding|other than|apart from)\b/gi;
/** Words that say a path is not to change, before or after it: `src/auth/ must not change`, `Do not touch src/auth/`. */
const NEGATIVE =
  /\b(?:out[ -]of[ -]scope|not in[ -]scope|non[ -]?goals?|(?:do|does|must|should|shall|will|may|can|is|are) not (?:be )?(?:touch|chang|modif|edit|alter|updat|rewrit)\w*|(?:don['’]t|doesn['’]t|mustn['’]t|shouldn['’]t|won['’]t|never) (?:be )?(?:touch|chang|modif|edit|alter|updat|rewrit)\w*|untouched|unchanged|unaffected|(?:is|are) not affected|no changes? (?:to|in)|as[- ]is|off[- ]limits|excluded|left alone|leave\b[^;.]{0,40}\balone|frozen|read[- ]only)\b/gi;
/**
 * The NEGATIVE words that forbid a change outright (`do not modify`, `never touch`, `no changes
 * to`, `leave … alone`), for a task line, which describes work: there an adjective such as
 * `unchanged` speaks of something else as often as of the path (`existing commands unchanged`).
 */
const PROHIBITION =
  /\b(?:(?:do|does|must|should|shall|will|may|can) not (?:be )?(?:touch|chang|modif|edit|alter|updat|rewrit)\w*|(?:don['’]t|doesn['’]t|mustn['’]t|shouldn['’]t|won['’]t|never) (?:be )?(?:touch|chang|modif|edit|alter|updat|rewrit)\w*|no changes? (?:to|in)|leave\b[^;.]{0,40}\balone)\b/gi;

/** An include label's lead-in that says its list is what must not change. */
const UNAFFECTED = /\b(?:should|must|will|shall|is to|are to) (?:be|remain|stay) (?:completely |entirely |fully )?(?:unaffected|unchanged|untouched)\b/i;

/** A lone `not` right before a path: `src/ (not src/auth/)`, `- NOT src/auth/`. */
const NOT_BEFORE = /\bnot\s+(?:(?:the|any|in|to|of|under|within|inside|touching|changing|changes to)\s+){0,2}$/i;

/**
 * The paths a list item of a scope section names, each with the kind the item gives it.
 * In an exclude section every path is excluded. Elsewhere, an item that starts with an
 * exclusion label (`Out of scope:`, `**Non-Goals**:`, `NOT`) excludes its paths; in a
 * clause (split at `;` and sentence ends), paths after `but not` / `except` / `excluding` /
 * `other than` or a `not` just before them are excluded and those before stay included;
 * words such as `out of scope`, `must not change`, `do not touch`, `unchanged`, `as is`
 * before or after every path of the clause exclude them all; with paths on both sides it is
 * unclear which they mean, and those paths are read as neither. In a `mixed` section a
 * path no such words mark is not read.
 */
export function scopeItemPaths(text: string, section: SectionKind, file?: string, negative: RegExp = NEGATIVE): ScopeItem {
  const out: ScopeItem = { paths: [], unclear: [], unread: [] };
  const body = text.replace(/^\s*(?:[-*+]|\d+[.)]|\d+\.\d+)\s+/, '');
  if (section === 'exclude') {
    for (const p of namedPaths(body, { file })) out.paths.push({ ...p, kind: 'exclude' });
    return out;
  }
  const labelled = itemLabel(body);
  if (labelled === 'exclude') {
    for (const p of namedPaths(body, { file })) out.paths.push({ ...p, kind: 'exclude' });
    return out;
  }
  const include = labelled === 'include' || section === 'include';
  // Clauses are cut outside code spans and link targets, where paths' dots and semicolons are.
  const masked = body.replace(/`[^`]*`|\]\([^)]*\)/g, (m) => 'x'.repeat(m.length));
  const cuts = [0];
  for (const m of masked.matchAll(/;|\.\s+/g)) cuts.push(m.index! + m[0].length);
  cuts.push(body.length);
  for (let c = 0; c + 1 < cuts.length; c++) {
    const clause = body.slice(cuts[c], cuts[c + 1]);
    const prose = masked.slice(cuts[c], cuts[c + 1]);
    const found = namedPaths(clause, { file });
    if (found.length === 0) continue;
    const at = found.map((p) => positionOf(clause, p.path));
    const except = firstIndex(EXCEPT, prose);
    // Such words speak of a path only next to it (three words between at most:
    // `src/auth/ must not change`, `src/auth/: legacy, frozen`); further on they speak of
    // something else (`src/api/ — add the endpoint, keep the existing routes unchanged`).
    const near = (m: RegExpMatchArray): boolean =>
      at.some((q) => {
        const end = q + (prose.slice(q).match(/^\S+/)?.[0].length ?? 0);
        return m.index! >= end ? wordCount(prose.slice(end, m.index!)) <= 3 : wordCount(prose.slice(m.index! + m[0].length, q)) <= 3;
      });
    const matches = [...prose.matchAll(negative)].filter(near);
    const negatives = matches.map((m) => m.index!);
    // Words after the paths must end the clause (`src/auth/ must not change`), not go on to
    // say what of the file must stay (`src/a.ts: do not change the signature, only the body`).
    const last = matches[matches.length - 1];
    const tailWords = last ? prose.slice(last.index! + last[0].length).split(/[^\w'’]+/).filter(Boolean).length : 0;
    const notBefore = (pos: number): boolean => NOT_BEFORE.test(clause.slice(0, pos).replace(/[\s(:,*_"'`[\]]+$/, ' '));
    found.forEach((p, k) => {
      const pos = at[k]!;
      let kind: ScopeKind | 'unclear' | 'none';
      if (negatives.length > 0) {
        const before = negatives.some((n) => n < pos);
        const after = negatives.some((n) => n > pos);
        const allOneSide = at.every((q) => negatives.every((n) => n < q)) || at.every((q) => negatives.every((n) => n > q));
        const ends = before || tailWords <= 4;
        kind = allOneSide && except < 0 && (before || after) && ends && listed(prose, at) ? 'exclude' : 'unclear';
      } else if ((except >= 0 && pos > except) || notBefore(pos)) kind = 'exclude';
      else kind = include ? 'include' : 'none';
      if (kind === 'unclear') out.unclear.push(p);
      else if (kind === 'none') out.unread.push(p);
      else out.paths.push({ ...p, kind });
    });
  }
  return out;
}

/**
 * The paths a line of prose outside a scope section (a design, an Impact list) names only to
 * say they are not to change (`We will not modify src/billing/`, `src/legacy/ stays
 * unchanged`, `src/ but not src/auth/`), or unclearly so: by the clause rules of scope
 * sections (see scopeItemPaths). Such a line does not put them in scope.
 */
/** How deniedInProse reads a line: `unclear` paths are denied too (default), a `task` line is read for prohibitions only. */
export interface DenyOptions {
  unclear?: boolean;
  task?: boolean;
}

/** A task line: only paths it clearly forbids (or names as references) are denied. */
export const TASK_LINE: DenyOptions = { unclear: false, task: true };

/** The paths a line names (see namedPaths) but those it names only to say not to change them or to look at them (see deniedInProse). */
export function pathsToChange(text: string, opts: NamedPathOptions, deny: DenyOptions = {}): NamedPath[] {
  const found = namedPaths(text, opts);
  if (found.length === 0) return found;
  const denied = deniedInProse(text, opts.file, deny);
  return denied.size === 0 ? found : found.filter((p) => !denied.has(p.path));
}

export function deniedInProse(text: string, file?: string, opts: DenyOptions = {}): Set<string> {
  const item = scopeItemPaths(text, 'include', file, opts.task ? PROHIBITION : NEGATIVE);
  const out = new Set([...item.paths.filter((p) => p.kind === 'exclude'), ...(opts.unclear === false ? [] : item.unclear)].map((p) => p.path));
  for (const p of [...item.paths, ...item.unclear, ...item.unread]) if (referenced(text, p.path)) out.add(p.path);
  return out;
}

/**
 * Words right before a path (a list of paths between them aside) that name it as something
 * to look at, not to change: `follow the pattern in x`, `the same shape as x`, `see x`,
 * `based on x`, `reference implementations: x`, `tests still pass (x, y)`.
 */
const REFERENCE_BEFORE =
  /\b(?:(?:follow(?:s|ing)?|mirror(?:s|ing)?|copy(?:ing)?|match(?:es|ing)?|reuse|reusing)\s+(?:the\s+)?(?:same\s+)?(?:[\w-]+\s+)?(?:pattern|approach|shape|style|structure|conventions?|example)s?\s+(?:in|of|from|used in|as)|(?:the\s+)?same\s+(?:[\w-]+\s+){0,2}(?:pattern|approach|shape|style|structure)\s+as|see(?:\s+also)?|cf\.?|refer\s+to|for\s+reference(?:\s*:)?|reference\s+implementations?(?:\s+to\s+study)?(?:[^:]{0,40})?:|study|consult|based\s+on|modell?ed\s+(?:on|after)|mirrors|still\s+pass(?:es)?)\s*[(:]?\s*$/i;

/** Whether a path on a line is named as a reference (see REFERENCE_BEFORE). */
function referenced(text: string, path: string): boolean {
  const at = positionOf(text, path);
  if (at <= 0) return false;
  // What comes before, the paths listed just before it (`a`, `b` and) taken away.
  let before = text.slice(0, at).replace(/`$/, '');
  for (;;) {
    const shorter = before.replace(/(?:`[^`]*`|[^\s`,()]+\.[A-Za-z0-9]+|[^\s`,()]+\/)\s*(?:,|\band\b|\bor\b|\+)?\s*`?$/, '');
    if (shorter === before) break;
    before = shorter;
  }
  return REFERENCE_BEFORE.test(before.replace(/[*_]+/g, ''));
}

/**
 * Whether the paths at `at` form one list (`a`, `b` and `c`): only commas, `and`, `or`, `/`,
 * `&` and brackets between them, so the words before or after the list speak of every one
 * (`a and b must not change`, not `a is new and b is out of scope`).
 */
function listed(prose: string, at: readonly number[]): boolean {
  const sorted = [...at].sort((x, y) => x - y);
  for (let k = 0; k + 1 < sorted.length; k++) {
    const gap = prose.slice(sorted[k]!, sorted[k + 1]!).replace(/^\S*|\S*$/g, '');
    if (!/^[\s,/&()]*(?:(?:and|or)[\s(]*)?$/i.test(gap)) return false;
  }
  return true;
}

function wordCount(s: string): number {
  return s.split(/[^\w'’]+/).filter(Boolean).length;
}

function firstIndex(re: RegExp, s: string): number {
  re.lastIndex = 0;
  const m = re.exec(s);
  re.lastIndex = 0;
  return m ? m.index : -1;
}

/** Where a named path starts in the clause (its span, link or token), for ordering against the words around it. */
function positionOf(clause: string, path: string): number {
  const bare = path.replace(/^\.\//, '');
  const i = clause.indexOf(bare);
  if (i >= 0) return i;
  const last = bare.slice(bare.lastIndexOf('/') + 1);
  const j = clause.indexOf(last);
  return j >= 0 ? j : 0;
}

/** [startLine, endLine] (1-based, inclusive) of the section under each heading matching `test`. */
export function sectionsWhere(doc: MdDoc, test: (h: MdHeading) => boolean): { heading: MdHeading; start: number; end: number }[] {
  const out: { heading: MdHeading; start: number; end: number }[] = [];
  const hs = doc.headings;
  for (let k = 0; k < hs.length; k++) {
    if (!test(hs[k])) continue;
    let end = doc.lines.length;
    for (let n = k + 1; n < hs.length; n++) {
      if (hs[n].depth <= hs[k].depth) {
        end = hs[n].line - 1;
        break;
      }
    }
    out.push({ heading: hs[k], start: hs[k].line, end });
  }
  return out;
}
