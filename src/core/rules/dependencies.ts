// SG303 change-without-task, at the level of a dependency: a manifest in scope (package.json,
// requirements*.txt, pyproject.toml, go.mod, Cargo.toml, Pipfile, Gemfile) whose change adds,
// removes or re-versions a dependency that nothing in the spec names. The file-level check cannot see it:
// a task that asks to add `p-retry` to package.json covers the whole file, and with it a
// `lodash` downgrade riding along. A name in the spec's non-goals vouches for nothing (a change
// to that package is reported as going against one), and a name vouches for taking the
// package out only where the spec asks for that (see removalNamed), and taking it from another
// source (an `npm:` alias, git, a URL, a local path, a fork by go.mod's `replace`, Cargo's
// `[patch]`) only where a sentence naming it names the source too (see sourceNamed). A new
// package index (`--extra-index-url`, a Pipfile `[[source]]`, a Gemfile `source`) is a change
// of its own, named by its host.
import type { Finding, NonGoal, Severity, Spec, Task } from '../model';
import { declaredDependencies, INDEX_LIST, isDependencyManifest, isPatchList, REPLACE_LIST, type Declared, type Source } from '../manifests';
import { codeSpan } from '../render/plainTitle';
import { finding, taskRelated, type AnalyzedChange, type Rule } from './context';

/** This many unnamed dependency changes in one manifest are one finding (a Renovate-style update), not one each. */
export const MANY_DEPENDENCY_CHANGES = 10;

/** What the change does to one dependency. */
export interface DependencyChange {
  name: string;
  list: string;
  line: number;
  severity: Severity;
  /** Shown after the name: `changed from … to … (a major version down)`. */
  what: string;
  /** Taken out of its list (not moved to another): a name covers this only with a removal verb (see removalNamed). */
  removed?: boolean;
  /** Taken from this source, new to it (added so, or switched to it): a name covers this only in a sentence that names the source (see sourceNamed). */
  source?: Source;
  /** A requirement by URL or path with no package name (Declared.nameless): `name` is where it comes from, and the spec names it only by that. */
  nameless?: boolean;
  /** A package index added or changed: packages can come from elsewhere (as with a source, see elsewhere()). */
  index?: boolean;
  /** What the message calls it, when not `Dependency \`name\`` (a package index). */
  subject?: string;
}

/** How a finding names the thing changed. */
const subjectOf = (d: Pick<DependencyChange, 'name' | 'subject'>) => d.subject ?? `Dependency ${codeSpan(d.name)}`;

// ---------------------------------------------------------------------------------------------
// Versions

/** A version spec that starts with a version (after operators): `^1.2.3`, `>=2.31,<3`, `v1.4.0`, `~> 1.2`. */
const VERSIONED = /^\s*(?:[~^=<>!]|~>|\s)*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/;
/** Any version at all. */
const ANY = /^\s*(?:\*|x|X|latest|>=?\s*0(?:\.0){0,2})?\s*$/;

function parts(spec: string): number[] | undefined {
  const m = VERSIONED.exec(spec);
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

/** The operator a version spec starts with (`^`, `~`, `>=`, `` for an exact version). */
function operator(spec: string): string {
  return /^\s*([~^=<>!]*)/.exec(spec)![1]!.replace(/^=+$/, '').replace(/^==$/, '');
}

/** The part that breaks compatibility: the major, or for a 0.x version the minor. */
function breaking(v: number[]): [number, number] {
  return v[0] === 0 ? [0, v[1]!] : [v[0]!, -1];
}

/** A spec as compared: spaces dropped, a leading `=` or `v` dropped (`= 1.2.3`, `v1.2.3` and `1.2.3` are one version). */
function same(a: string, b: string): boolean {
  const n = (s: string) => s.replace(/\s+/g, '').replace(/^=+(?=[\dv])/, '').replace(/^v(?=\d)/, '');
  return n(a) === n(b);
}

/** How a version spec changed, and how much that matters. */
export function versionChange(from: string, to: string): { severity: Severity; how: string } | undefined {
  if (same(from, to)) return undefined;
  if (ANY.test(to) && !ANY.test(from)) return { severity: 'warning', how: 'any version now' };
  const a = parts(from);
  const b = parts(to);
  if (!a || !b) return { severity: 'warning', how: a ? 'no longer a registry version' : b ? 'a registry version now' : 'another source' };
  const [am, an] = breaking(a);
  const [bm, bn] = breaking(b);
  if (bm < am || (bm === am && bn < an)) return { severity: 'warning', how: 'a major version down' };
  if (bm > am || bn > an) return { severity: 'warning', how: 'a major version up' };
  const cmp = b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!;
  if (cmp < 0) return { severity: 'warning', how: 'a downgrade' };
  if (cmp > 0) return { severity: 'info', how: b[1] !== a[1] ? 'a minor version up' : 'a patch version up' };
  const [oa, ob] = [operator(from), operator(to)];
  return { severity: 'info', how: oa === '' && ob !== '' ? 'the exact version loosened to a range' : oa !== '' && ob === '' ? 'pinned to the exact version' : 'the range changed' };
}

// ---------------------------------------------------------------------------------------------
// Sources

/** A source in plain words: `a git repository`, `another package, \`lodash-es\`, under this name`. */
export function sourceWords(s: Source, name?: string): string {
  switch (s.kind) {
    case 'alias':
      return `another package, ${codeSpan(s.where)}, under this name`;
    case 'git':
      return 'a git repository';
    case 'url':
      return 'an archive at a URL';
    case 'path':
      return 'a local path';
    case 'module':
      return s.where === name ? 'another version of it' : `another module, ${codeSpan(s.where)}`;
    case 'index':
      return 'a package index';
  }
}

/** A source as written out: `npm:lodash-es@^4`, `https://github.com/me/x.git fix`, `../net`. */
export function spelled(s: Source): string {
  if (s.kind === 'alias') return `npm:${s.where}${s.ref ? `@${s.ref}` : ''}`;
  return s.ref ? `${s.where} ${s.ref}` : s.where;
}

/** Whether two sources are one (the same repository, package, module, path or URL), whatever revision of it. */
const sameSource = (a: Source, b: Source) => a.kind === b.kind && a.where === b.where;

/** How a dependency's source changed, when it did: undefined for two registry versions (see versionChange). */
export function sourceChange(from: Source | undefined, to: Source | undefined, fromVersion: string, toVersion: string, name?: string): { severity: Severity; how: string; source?: Source } | undefined {
  if (!from && !to) return undefined;
  if (!from) return to!.kind === 'alias' ? { severity: 'warning', how: `${sourceWords(to!)} now`, source: to } : { severity: 'warning', how: `taken off the registry: from ${sourceWords(to!, name)} now`, source: to };
  if (!to) return { severity: 'info', how: `back to the registry, from ${sourceWords(from, name)}` };
  if (!sameSource(from, to)) return { severity: 'warning', how: from.kind === to.kind ? `from ${to.kind === 'alias' || to.kind === 'module' ? sourceWords(to, name) : `another ${sourceWords(to).replace(/^an? /, '')}`} now` : `from ${sourceWords(to, name)} now, not ${sourceWords(from, name)}`, source: to };
  if (from.ref !== to.ref) {
    // The same alias or module at another version reads as a version; a git revision has no order.
    const v = from.kind === 'alias' || from.kind === 'module' ? versionChange(from.ref, to.ref) : undefined;
    if (v) return v;
    return { severity: 'warning', how: from.kind === 'git' ? 'another revision of the same git repository' : 'another revision of the same source' };
  }
  // One source at one revision: a version written beside it (Cargo's `{ path = …, version = "1" }`) still counts; other keys (features) do not.
  return parts(fromVersion) && parts(toVersion) ? versionChange(fromVersion, toVersion) : undefined;
}

// ---------------------------------------------------------------------------------------------
// What the spec names

const RE_SPECIAL = /[.*+?^${}()|[\]\\]/g;
/** A name as a pattern: `-`, `_` and `.` match each other (Python's names are normalised so), any case. */
function namePattern(name: string): string {
  return name
    .split(/[-_.]+/)
    .map((p) => p.replace(RE_SPECIAL, '\\$&'))
    .join('[-_.]+');
}

/** Words that say a name is a package. */
const PACKAGE_WORD = '(?:package|dependency|library|lib|module|crate|gem)';
const INSTALL = '(?:npm|yarn|pnpm|bun|pip|pip3|uv|poetry|cargo|go|gem|bundle|pipenv)\\s+(?:install|add|i|get|uninstall|remove|rm)\\s+(?:-\\S+\\s+)*';

/** A task that asks for the dependencies to be updated as a whole: it covers every dependency change. */
const ALL_DEPENDENCIES = /\b(?:update|upgrade|bump|refresh|renovate|dependabot)\b[^.;:\n]{0,40}?\b(?:dependencies|deps|packages|dependency versions|third-party libraries)\b|\bdependenc(?:y|ies)\s+(?:updates?|upgrades?|bumps?)\b/i;
const NEGATED = /\b(?:not|don'?t|never|no|without)\b/i;

export function coversAllDependencies(t: Pick<Task, 'title'>): boolean {
  const m = ALL_DEPENDENCIES.exec(t.title);
  return !!m && !NEGATED.test(t.title.slice(0, m.index + m[0].length));
}

/** The text the spec's names are looked for in: its files as written, or (a spec built by hand) its titles and criteria. */
function specText(spec: Pick<Spec, 'tasks' | 'requirements'> & { text?: string }): string {
  if (spec.text !== undefined) return spec.text;
  return [...spec.tasks.map((t) => t.title), ...spec.requirements.flatMap((r) => [r.title, ...r.criteria.map((c) => c.text)])].join('\n');
}

/**
 * A spec's text without its non-goal lines: a package the spec names only to put it out of
 * scope is not named. A line is left out when it reads as a non-goal line does (the lines are
 * kept as written, not by place), so a line written twice word for word, once in the
 * non-goals, is left out both times.
 */
function withoutNonGoals(text: string, nonGoals: readonly NonGoal[] | undefined): string {
  if (!nonGoals || nonGoals.length === 0) return text;
  const out = new Set(nonGoals.map((g) => g.text));
  return text
    .split('\n')
    .filter((l) => !out.has(l))
    .join('\n');
}

/** A text the names are looked for in, with its lower case worked out once (a spec's text is asked once per dependency), and its lines when first asked for. */
interface Searched {
  text: string;
  lower: string;
  lines?: string[];
}

const searched = (text: string): Searched => ({ text, lower: text.toLowerCase() });

/** Whether a text names a package: in backticks (`p-retry`, `p-retry@6`), or as a word; a name of three letters or fewer only in backticks or beside a word that makes it a package. */
export function names(text: string, name: string, lower = text.toLowerCase()): boolean {
  // Most names are nowhere in the text: a plain search for its first part rules them out before any pattern runs over a large spec.
  if (!lower.includes(name.toLowerCase().split(/[-_.]+/)[0]!)) return false;
  const bare = name.replace(/^@[^/]+\//, '');
  const p = namePattern(name);
  // Backticked: the name alone, with a version (`@`, `==`, `>=`…), or an install command's last word.
  if (new RegExp(`\`(?:[^\`\\n]*\\s)?${p}(?:@[^\`\\s]*|\\s*[=<>~!^][^\`]*|\\[[^\`]*)?\``, 'i').test(text)) return true;
  const word = `(?<![\\w@/.-])${p}(?![\\w/-]|\\.\\w)`;
  if (bare.length > 3 || /[-_./@]/.test(name)) return new RegExp(word, 'i').test(text);
  return new RegExp(`${PACKAGE_WORD}\\s+${word}|${word}\\s+${PACKAGE_WORD}|${INSTALL}${word}`, 'i').test(text);
}

/** Whether the spec names a dependency: its name; for `@types/x`, `x`; for a scoped one, its scope as a whole (`@aws-sdk/*`); for a Go module `…/v2`, the module without it. */
function named(where: Searched, name: string): boolean {
  const { text, lower } = where;
  if (names(text, name, lower)) return true;
  const typed = /^@types\/(.+)$/.exec(name)?.[1];
  if (typed !== undefined && names(text, typed.includes('__') ? `@${typed.replace('__', '/')}` : typed, lower)) return true;
  const scope = /^(@[^/]+)\//.exec(name)?.[1];
  if (scope !== undefined && new RegExp(`(?<![\\w@/.-])${scope.replace(RE_SPECIAL, '\\$&')}(?:/\\*|\\/?\`)`, 'i').test(text)) return true;
  const major = /^(.+\/[^/]+)\/v\d+$/.exec(name)?.[1];
  return major !== undefined && names(text, major, lower);
}

/** Words that take a package out: its removal is asked for when one of them comes before its name in a sentence. */
const REMOVAL_VERB = /\b(?:remov(?:e|es|ed|ing)|drop(?:s|ped|ping)?|delet(?:e|es|ed|ing)|uninstall(?:s|ed|ing)?|get(?:ting)? rid of|rip(?:ping)? out|eliminat(?:e|es|ed|ing)|phas(?:e|es|ed|ing) out)\b/gi;
/** `replace X with Y`: X goes, Y does not. */
const REPLACE_VERB = /\breplac(?:e|es|ed|ing)\b/gi;
/** `switch from X to Y`, `migrate off X`, `Y instead of X`: X goes. */
const AWAY_FROM = /\b(?:(?:switch|migrat|mov)\w*\s+(?:\w+\s+){0,3}?(?:away\s+)?(?:from|off(?:\s+of)?)|instead\s+of|in\s+place\s+of)\b/gi;
/** `X is removed`, `X can be dropped`, `X gets replaced`: X goes. */
const PASSIVE_REMOVAL = /\b(?:is|are|be|been|being|gets?|got)\s+(?:\w+\s+)?(?:removed|dropped|deleted|uninstalled|replaced|eliminated|phased out)\b/gi;
/** Words that ask for a package to stay or come: after a removal verb, a name behind one of them is not what goes (`remove the loop and use p-retry`). */
/** A negation just before a removal verb (`do not remove`, `never drop`, `without removing`). */
const NEGATED_JUST_BEFORE = /\b(?:not|don['’]?t|doesn['’]?t|never|no|without|nor)\s+(?:\w+\s+){0,2}$/i;
const KEEP_VERB = /\b(?:add|adds|adding|install|installs|installing|introduce|introduces|introducing|use|uses|using|keep|keeps|keeping|upgrade|upgrades|upgrading|bump|bumps|bumping|update|updates|updating|pin|pins|pinning|with|by|to|and then)\b/i;

/** A part of a sentence as names() reads it: one cut inside a code span gets its opening backtick back. */
function part(sentence: string, from: number, to = sentence.length): string {
  const head = sentence.slice(0, from);
  return ((head.match(/`/g)?.length ?? 0) % 2 === 1 ? '`' : '') + sentence.slice(from, to);
}

/** Whether a sentence asks for a package to go: a removal verb before its name (with no `add`, `use`, `with` … between), `replace X with`, `from X to`, `instead of X`, or `X is removed`; not under a negation (`do not remove X`). */
function asksRemoval(sentence: string, name: string): boolean {
  const isNamed = (t: string) => named(searched(t), name);
  const negatedBefore = (at: number) => NEGATED_JUST_BEFORE.test(sentence.slice(0, at));
  for (const verbs of [REMOVAL_VERB, REPLACE_VERB, AWAY_FROM]) {
    for (const m of sentence.matchAll(verbs)) {
      if (negatedBefore(m.index)) continue;
      const after = m.index + m[0].length;
      const stop = KEEP_VERB.exec(sentence.slice(after));
      if (isNamed(part(sentence, after, stop ? after + stop.index : undefined))) return true;
    }
  }
  for (const m of sentence.matchAll(PASSIVE_REMOVAL)) {
    if (/\b(?:not|never|no longer)\b/i.test(m[0]) || negatedBefore(m.index)) continue;
    // The name in the clause before: back to the last comma, semicolon or `and`.
    const start = Math.max(sentence.lastIndexOf(',', m.index), sentence.lastIndexOf(';', m.index), sentence.slice(0, m.index).search(/\band\b(?!.*\band\b)/));
    if (isNamed(part(sentence, Math.max(0, start), m.index))) return true;
  }
  return false;
}

/** Whether the text asks for the package to go, in a sentence of its (see asksRemoval). */
export function namesRemoval(text: string, name: string): boolean {
  return removalNamed(searched(text), name);
}

function removalNamed(where: Searched, name: string): boolean {
  const first = name.toLowerCase().split(/[-_.]+/)[0]!;
  const typed = /^@types\/(.+)$/.exec(name)?.[1]?.toLowerCase();
  const scope = /^(@[^/]+)\//.exec(name)?.[1]?.toLowerCase();
  where.lines ??= where.text.split('\n');
  for (const line of where.lines) {
    const l = line.toLowerCase();
    if (!l.includes(first) && !(typed !== undefined && l.includes(typed.split(/[-_.]+/)[0]!)) && !(scope !== undefined && l.includes(scope))) continue;
    // Sentences: a `.`, `;`, `!` or `?` before a space ends one (`lodash.merge` stays whole).
    for (const sentence of line.split(/(?<=[.;!?])\s+/)) if (named(searched(sentence), name) && asksRemoval(sentence, name)) return true;
  }
  return false;
}

/** Words that name where a package comes from: a fork, git, a local copy, an alias, a patch (not a patch version), a path, a vendored copy (not a vendor's), a URL or a source's own spelling (`npm:`, `git+`, `file:`, `=>`). */
const SOURCE_WORDS = /\b(?:fork(?:s|ed)?|git|github|gitlab|bitbucket|local(?:ly)?|alias(?:es|ed)?|patch(?:es|ed|ing)?(?!\s+(?:version|release|bump|level|update))|local\s+path|vendor(?:ed)?(?!['’]s)|tarball|url|replace\s+directive)\b|https?:\/\/\S*|\b(?:npm|git\+\w+|file|link):|=>/gi;

/** Words that may stand between a source word and the name after it, in one phrase: `our fork of x`, `a local copy of x`, `the GitHub version of x`, `vendored x`. */
const BEFORE_NAME = new Set(['a', 'an', 'the', 'our', 'its', 'their', 'my', 'your', 'this', 'that', 'own', 's', 'of', 'for', 'on', 'copy', 'version', 'build', 'checkout', 'clone', 'dependency', 'path', 'repository', 'repo', 'branch', 'package', 'release', 'source', 'module', 'crate', 'gem', 'library', 'folder', 'directory', 'commit', 'tag', 'revision']);
/** Words that tie a name to a source after it: `x from our fork`, `x via git`, `point x at ../x`, `x as an alias`. */
const LINK = new Set(['from', 'via', 'at', 'to', 'as', 'on', 'onto', 'into', 'off', 'through']);
/** Words that may stand between the name and a source after it, one of them a LINK: `x pinned to a GitHub commit`, `x straight from its repository`. */
const AFTER_NAME = new Set([...LINK, 'a', 'an', 'the', 'our', 'its', 'their', 'my', 'your', 'this', 'that', 'own', 's', 'of', 'pinned', 'taken', 'installed', 'built', 'fetched', 'pulled', 'sourced', 'loaded', 'resolved', 'pointed', 'switched', 'moved', 'straight', 'directly']);
/** Words that start another clause: a source beyond one is not this name's. */
const CLAUSE_BREAK = /[,;]|\b(?:and|but|or|while|whereas|then)\b/;

/** The words of a text between a name and a source (`'s` as `s`; a version, such as `3.0`, as `v`). */
function wordsOf(between: string): string[] {
  return (between.replace(/['’]s\b/g, ' s ').match(/[a-z0-9][a-z0-9.+-]*/g) ?? []).map((w) => (/^v?\d/.test(w) ? 'v' : w));
}

/**
 * Whether a source word (or the source's host) stands in one phrase with a name: before it
 * with only BEFORE_NAME words between (`our fork of x`), or after it with only AFTER_NAME
 * words between, one of them a LINK (`x from a local checkout`), or right after it, or in brackets
 * after it (`x (our fork)`, `` `x` → `npm:y` ``); never across a clause.
 */
function tied(lower: string, name: [number, number], word: [number, number]): boolean {
  const before = word[1] <= name[0];
  const between = before ? lower.slice(word[1], name[0]) : lower.slice(name[1], word[0]);
  if (CLAUSE_BREAK.test(between)) return false;
  const words = wordsOf(between);
  if (before) return words.every((w) => BEFORE_NAME.has(w) || w === 'v');
  return words.every((w) => AFTER_NAME.has(w) || w === 'v') && (words.length === 0 || words.some((w) => LINK.has(w)) || between.includes('('));
}

/** The names a change goes by in the spec: its own, and for an alias the package it installs. */
function namesOf(d: DependencyChange): string[] {
  return d.source?.kind === 'alias' ? [d.name, d.source.where] : [d.name];
}

/** Where a name stands in a (lower-case) sentence: each place, as start and end. */
function placesOf(lower: string, name: string): [number, number][] {
  return [...lower.matchAll(new RegExp(`(?<![\\w@/.-])${namePattern(name)}(?![\\w/-]|\\.\\w)`, 'gi'))].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * Whether a sentence that names the package ties its new source to it: the source as written
 * (its repository, URL or path) anywhere in the sentence; a source word or its host in one
 * phrase with the name (see tied); or, for an alias, both names in one clause. A source word
 * elsewhere in the sentence (`add x and cache results in local storage`) is not this one's.
 */
export function namesSource(sentence: string, d: Pick<DependencyChange, 'name' | 'source'>): boolean {
  const s = d.source!;
  const lower = sentence.toLowerCase();
  const all = namesOf(d as DependencyChange);
  const places = all.map((n) => placesOf(lower, n));
  if (places.every((p) => p.length === 0)) return false;
  // The source as written: the URL or path, or the repository without its scheme, user or `github:` (`github.com/me/x`, `me/x`); an alias's is a name (below).
  const where = s.where.toLowerCase().replace(/\.git$/, '');
  const bare = where.replace(/^(?:[a-z+]+:\/\/(?:[^/@]*@)?|(?:github|gitlab|bitbucket|gist):)/, '');
  if (s.kind !== 'alias' && [where, ...(bare.includes('/') ? [bare] : [])].some((x) => x.length > 3 && lower.includes(x))) return true;
  // An alias: the name it goes by and the package it installs in one clause (`install lodash-es under the name lodash`).
  if (places.length > 1) {
    for (const [a0, a1] of places[0]!) for (const [b0, b1] of places[1]!) if (!CLAUSE_BREAK.test(lower.slice(Math.min(a1, b1), Math.max(a0, b0)))) return true;
  }
  // Source words and the host, looked for around the names, not in them (`github.com/pkg/errors` says nothing of a source).
  const flat = places.flat();
  let masked = lower;
  for (const [a, b] of flat) masked = masked.slice(0, a) + ' '.repeat(b - a) + masked.slice(b);
  const host = /^[a-z+]+:\/\/(?:[^/@]*@)?([^/:]+)/i.exec(s.where)?.[1]?.toLowerCase();
  const words: [number, number][] = [...masked.matchAll(SOURCE_WORDS)].map((m) => [m.index, m.index + m[0].length]);
  if (host && host.length > 3) for (let i = masked.indexOf(host); i >= 0; i = masked.indexOf(host, i + 1)) words.push([i, i + host.length]);
  return flat.some((n) => words.some((w) => tied(masked, n, w)));
}

/** Whether a sentence of the text that names the package ties its new source to it (see namesSource). */
function sourceNamed(where: Searched, d: DependencyChange): boolean {
  where.lines ??= where.text.split('\n');
  for (const line of where.lines) {
    for (const sentence of line.split(/(?<=[.;!?])\s+/)) {
      const here = searched(sentence);
      if (namesOf(d).some((n) => named(here, n)) && namesSource(sentence, d)) return true;
    }
  }
  return false;
}

/** How far a text covers one dependency change: a name covers adding it, a version change and a move; its removal only where the text asks for it (removalNamed); a new source only where it names that (sourceNamed). */
function coverage(where: Searched, d: DependencyChange): 'covered' | 'named' | 'source' | 'unnamed' {
  if (d.nameless) return locationNamed(where.lower, d.name) ? 'covered' : 'unnamed';
  if (!namesOf(d).some((n) => named(where, n))) return 'unnamed';
  if (d.removed && !removalNamed(where, d.name)) return 'named';
  return d.source && !sourceNamed(where, d) ? 'source' : 'covered';
}

/** The first non-goal line that names the package (a nameless requirement: its location), if one does. */
function nonGoalNaming(nonGoals: readonly NonGoal[] | undefined, d: DependencyChange): NonGoal | undefined {
  return nonGoals?.find((g) => (d.nameless ? locationNamed(g.text.toLowerCase(), d.name) : named(searched(g.text), d.name)));
}

/**
 * Whether a (lower-case) text names a requirement that has no package name by where it comes
 * from: its URL, repository or path as written, the scheme, `git+`, a user, `./` and `.git`
 * aside (`github.com/me/tool` names `git+https://github.com/me/tool.git`).
 */
export function locationNamed(lower: string, location: string): boolean {
  const core = location
    .toLowerCase()
    .replace(/^git\+/, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^file:/, '')
    .replace(/^[^/@]*@(?=[^/]*\/)/, '')
    .replace(/^\.\//, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  return core.length > 3 && lower.includes(core);
}

/** A non-goal line as quoted: its text without the list marker, cut at 80 characters, and where it is. */
function quotedNonGoal(g: NonGoal): string {
  const t = g.text.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim();
  return `${codeSpan(t.length > 80 ? `${t.slice(0, 79)}…` : t)} (${codeSpan(`${g.range.file.slice(g.range.file.lastIndexOf('/') + 1)}:${g.range.startLine}`)})`;
}

// ---------------------------------------------------------------------------------------------
// The change to one manifest

/** Where a list's label reads better than its key. */
function listLabel(list: string): string {
  return list === 'overrides' || list === 'resolutions' ? `an override in ${list}` : isPatchList(list) ? `[${list}]` : list;
}

/** A nameless requirement's fields: its flag, and its subject (`Requirement \`https://…/download\``). */
const nameless = (d: Declared): Pick<DependencyChange, 'nameless' | 'subject'> => (d.nameless ? { nameless: true, subject: `Requirement ${codeSpan(d.name)}` } : {});

/** The dependency changes of a manifest, before and after. */
export function dependencyChanges(before: readonly Declared[], after: readonly Declared[]): DependencyChange[] {
  const key = (d: Declared) => `${d.list}\0${d.name.toLowerCase()}`;
  const was = new Map(before.map((d) => [key(d), d]));
  const now = new Map(after.map((d) => [key(d), d]));
  const wasByName = new Map<string, Declared[]>();
  for (const d of before) wasByName.set(d.name.toLowerCase(), [...(wasByName.get(d.name.toLowerCase()) ?? []), d]);
  const nowByName = new Map<string, Declared[]>();
  for (const d of after) nowByName.set(d.name.toLowerCase(), [...(nowByName.get(d.name.toLowerCase()) ?? []), d]);
  const out: DependencyChange[] = [];
  /** A version or source change: the source first (a registry version to git, an alias, …), else the version. */
  const change = (old: Declared, d: Declared): { severity: Severity; how: string; source?: Source } | undefined => {
    const s = sourceChange(old.source, d.source, old.version, d.version, d.name);
    return s ?? (old.source || d.source ? undefined : versionChange(old.version, d.version));
  };
  /** `changed from … to …`: where the version as written does not show the source (a Gemfile's `'~> 7.1', git: …`, uv's sources), the source beside it. */
  const changed = (old: Declared, d: Declared, how: string) => {
    const shown = (x: Declared) => (x.source && same(old.version, d.version) ? (x.version ? `${x.version} from ${spelled(x.source)}` : spelled(x.source)) : x.version);
    return `changed from ${codeSpan(shown(old))} to ${codeSpan(shown(d))} (${how})`;
  };
  for (const d of after) {
    const old = was.get(key(d));
    if (d.list === INDEX_LIST) {
      // A package index: new, or another option for the same host (`--index-url` made `--extra-index-url`).
      if (!old) out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', subject: `Package index ${codeSpan(d.name)}`, index: true, what: `added (${codeSpan(d.version)}): packages can now come from it, one there that shares a name with a public package included (dependency confusion)` });
      else if (old.version !== d.version) out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', subject: `Package index ${codeSpan(d.name)}`, index: true, what: `changed from ${codeSpan(old.version)} to ${codeSpan(d.version)}` });
      continue;
    }
    if (old) {
      const v = change(old, d);
      if (v) out.push({ name: d.name, list: d.list, line: d.line, severity: v.severity, what: changed(old, d, v.how), ...(v.source ? { source: v.source } : {}), ...nameless(d) });
      continue;
    }
    if (d.list === REPLACE_LIST) {
      const to = d.source!;
      const kind = to.kind === 'path' ? 'a local path' : to.where === d.name ? 'another version of it' : 'another module';
      out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', what: `replaced by ${codeSpan(spelled(to))} (${kind}) in a new \`replace\` directive: every use of it builds with that instead`, source: to });
      continue;
    }
    if (isPatchList(d.list)) {
      out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', what: `patched in ${listLabel(d.list)}${d.source ? ` to come from ${sourceWords(d.source, d.name)}` : ''} (${codeSpan(d.version)}): every crate of the build that uses it gets that instead`, ...(d.source ? { source: d.source } : {}) });
      continue;
    }
    // Moved from another list (devDependencies → dependencies): it ships to users now, or no longer.
    const moved = (wasByName.get(d.name.toLowerCase()) ?? []).find((o) => !now.has(key(o)) && o.list !== INDEX_LIST && o.list !== REPLACE_LIST && !isPatchList(o.list));
    if (moved) {
      const v = change(moved, d);
      out.push({
        name: d.name,
        list: d.list,
        line: d.line,
        severity: v?.severity ?? 'info',
        what: `moved from ${moved.list} to ${d.list}${v ? `, and ${changed(moved, d, v.how)}` : ''}`,
        ...(v?.source ? { source: v.source } : {}),
      });
      continue;
    }
    if (d.nameless) {
      // Named by where it comes from: that is in the subject, and the version as written only when it says more (a revision).
      const hint = d.source && d.source.kind !== 'path' ? ` (${codeSpan('name @ URL')} gives it one)` : '';
      out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', what: `added to ${listLabel(d.list)}${d.source ? ` from ${sourceWords(d.source, d.name)}` : ''}${d.version !== d.name ? ` (${codeSpan(d.version)})` : ''} with no package name${hint}`, ...(d.source ? { source: d.source } : {}), ...nameless(d) });
      continue;
    }
    out.push({ name: d.name, list: d.list, line: d.line, severity: 'warning', what: `added to ${listLabel(d.list)}${d.source ? ` from ${sourceWords(d.source, d.name)}` : ''} (${codeSpan(d.version)})`, ...(d.source ? { source: d.source } : {}) });
  }
  for (const d of before) {
    if (now.has(key(d))) continue;
    // A package index, a `replace` directive or a `[patch]` entry taken out: packages come from the registry again.
    if (d.list === INDEX_LIST) {
      out.push({ name: d.name, list: d.list, line: -1, severity: 'info', subject: `Package index ${codeSpan(d.name)}`, what: `removed (was ${codeSpan(d.version)})` });
      continue;
    }
    if (d.list === REPLACE_LIST || isPatchList(d.list)) {
      out.push({ name: d.name, list: d.list, line: -1, severity: 'info', what: `no longer ${d.list === REPLACE_LIST ? 'replaced' : `patched in ${listLabel(d.list)}`} (was ${codeSpan(d.version)})` });
      continue;
    }
    if ((nowByName.get(d.name.toLowerCase()) ?? []).some((n) => !was.has(key(n)) && n.list !== INDEX_LIST && n.list !== REPLACE_LIST && !isPatchList(n.list))) continue; // moved: above
    out.push({ name: d.name, list: d.list, line: -1, severity: 'warning', what: `removed from ${listLabel(d.list)}${d.nameless && d.version === d.name ? '' : ` (was ${codeSpan(d.version)})`}`, removed: true, ...nameless(d) });
  }
  return out;
}

/** A change that takes packages from elsewhere than the registry: a dependency from git, a URL, a path or an alias, a new package index, a `replace` or `[patch]` entry. An update-all task does not cover it, and it is never summed up with others. */
const elsewhere = (d: DependencyChange): boolean => d.source !== undefined || d.index === true;

/** The line a removed dependency is reported at: its list's first line in the new text, else the file's first. */
function removedAt(after: readonly Declared[], list: string): number {
  const lines = after.filter((d) => d.list === list).map((d) => d.line);
  return lines.length > 0 ? Math.min(...lines) : 1;
}

/**
 * Whether the rule reads a change's dependencies: a manifest in scope, modified or renamed,
 * both texts at hand. Where it does, a dependency taken from git or a URL is its finding
 * (at the dependency's line, saying whether the spec asks for that source), not SG210's too.
 */
export function readsDependencies(a: Pick<AnalyzedChange, 'change' | 'classification'>): boolean {
  const c = a.change;
  return a.classification === 'in-scope' && !c.binary && (c.status === 'modified' || c.status === 'renamed') && isDependencyManifest(c.path) && c.oldText !== undefined && c.newText !== undefined;
}

export const dependencyRule: Rule = (ctx) => {
  const out: Finding[] = [];
  let text: Searched | undefined;
  let baseText: Searched | undefined | null = null;
  let all: Task | undefined | null = null;
  for (const a of ctx.changes) {
    const c = a.change;
    if (!readsDependencies(a)) continue;
    const before = declaredDependencies(c.oldPath ?? c.path, c.oldText!);
    const after = declaredDependencies(c.path, c.newText!);
    if (!before || !after) continue;
    // A task that asks for the dependencies to be updated covers their versions, not a package taken from elsewhere.
    if (all === null) all = ctx.spec.tasks.find(coversAllDependencies);
    const changes = all ? dependencyChanges(before, after).filter(elsewhere) : dependencyChanges(before, after);
    if (changes.length === 0) continue;
    text ??= searched(withoutNonGoals(specText(ctx.spec), ctx.spec.nonGoals));
    if (baseText === null) baseText = ctx.baseSpecText !== undefined ? searched(withoutNonGoals(ctx.baseSpecText, ctx.baseNonGoals)) : undefined;
    const unnamed: (DependencyChange & { onlyEdit?: 'it' | 'its removal' | 'this source' })[] = [];
    // Named, but not for this: one finding each, never summed up with the unnamed.
    const apart: { d: DependencyChange; why: string }[] = [];
    for (const d of changes) {
      const cover = coverage(text, d);
      if (cover === 'covered') {
        // Covered only by this change's own edit to the spec: it vouches for nothing.
        const base = baseText !== undefined ? coverage(baseText, d) : 'covered';
        if (base !== 'covered') unnamed.push({ ...d, severity: 'warning', onlyEdit: base === 'named' ? 'its removal' : base === 'source' ? 'this source' : 'it' });
        continue;
      }
      const goal = nonGoalNaming(ctx.spec.nonGoals, d);
      if (goal) apart.push({ d, why: `the spec lists it as a non-goal: ${quotedNonGoal(goal)}` });
      else if (cover === 'named') apart.push({ d, why: 'the spec names it but not its removal' });
      else if (cover === 'source') apart.push({ d, why: 'the spec names it but not this source' });
      else unnamed.push(d);
    }
    const related = taskRelated(ctx, a.tasks);
    for (const { d, why } of apart) {
      const line = d.line < 0 ? removedAt(after, d.list) : d.line;
      out.push(
        finding('change-without-task', {
          path: c.path,
          startLine: line,
          endLine: line,
          severity: 'warning',
          message: `${subjectOf(d)} ${d.what}, and ${why}.`,
          ...(related.length > 0 ? { related } : {}),
        }),
      );
    }
    if (unnamed.length === 0) continue;
    for (const d of unnamed) if (d.line < 0) d.line = removedAt(after, d.list);
    // A package taken from elsewhere is a finding of its own, never one of a summed-up update.
    const summed = unnamed.filter((d) => !elsewhere(d));
    if (summed.length >= MANY_DEPENDENCY_CHANGES) {
      const first = Math.min(...summed.map((d) => d.line));
      const severity: Severity = summed.some((d) => d.severity === 'warning') ? 'warning' : 'info';
      const worst = summed.filter((d) => d.severity === 'warning');
      const shown = [...worst, ...summed.filter((d) => d.severity !== 'warning')].slice(0, 5).map((d) => `${d.subject ?? codeSpan(d.name)} ${d.what}`);
      out.push(
        finding('change-without-task', {
          path: c.path,
          startLine: first,
          endLine: first,
          severity,
          message: `${summed.length} dependencies changed that the spec does not name${worst.length > 0 ? ` (${worst.length} of them removed, added, downgraded or across a major version)` : ''}: ${shown.join('; ')}${summed.length > 5 ? `; and ${summed.length - 5} more` : ''}. No task asks for a dependency update.`,
          ...(related.length > 0 ? { related } : {}),
        }),
      );
    }
    for (const d of summed.length >= MANY_DEPENDENCY_CHANGES ? unnamed.filter(elsewhere) : unnamed) {
      out.push(
        finding('change-without-task', {
          path: c.path,
          startLine: d.line,
          endLine: d.line,
          severity: d.severity,
          message: `${subjectOf(d)} ${d.what}, and ${d.onlyEdit ? `only this change's own edit to the spec names ${d.onlyEdit}` : 'the spec does not name it'}.`,
          ...(related.length > 0 ? { related } : {}),
        }),
      );
    }
  }
  return out;
};
