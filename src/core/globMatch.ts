// Glob matching in time linear in the path for each pattern, for the globs specs are made of.
// picomatch compiles `*` to a lazy regex group, and a regex backtracks: `src/*a*a*a*b.ts`
// against a 250-character file name takes seconds, `*a` ten times minutes. Specs and file
// names are both written by the assistant whose change is reviewed, so one spec line and one
// file name could hang `check`, the pre-commit gate and the CI gate. This matcher reads the
// patterns specs use (literal text, `?`, `*`, `**` as a whole segment, `[...]` classes,
// `{a,b}` alternatives) and matches them as picomatch does (`dot: true`), with the classic
// greedy wildcard match: each wildcard keeps one way back, so nothing is tried more than once
// per position. (One difference: for a name ending in a dot, picomatch's `*.*` matches
// `x/**/a.` but not `**/a.`; here `*` always matches an empty run.) Anything else (extglobs,
// escapes, `{1..9}` ranges) is left to picomatch, but only when it has too few wildcards to
// backtrack far (see regexSafe); otherwise it matches nothing and is named as a problem.
import picomatch from 'picomatch/posix';

/** One character of a segment pattern: a literal, any character, or a class. */
type CharToken = string | { any: true } | { set: (c: string) => boolean };
/** A segment pattern: characters and `*` (any run of characters within the segment). */
type Segment = readonly (CharToken | typeof STAR)[];
const STAR = Symbol('*');
const GLOBSTAR = Symbol('**');
type Pattern = readonly (Segment | typeof GLOBSTAR)[];

/** Characters that make a glob something this matcher leaves to picomatch. */
const UNSUPPORTED = /[\\()+@!]|\{[^{}]*\.\.[^{}]*\}|\[\[:|^\.\/|\/\/|\/$/;

/** At most this many alternatives from `{a,b}` groups; more is left to picomatch's alternation. */
const MAX_ALTERNATIVES = 256;

/** `{a,b}` groups expanded (nested ones too); undefined when unbalanced or too many. */
function expandBraces(glob: string): string[] | undefined {
  const open = glob.indexOf('{');
  if (open < 0) return glob.includes('}') ? undefined : [glob];
  // The group that closes first, innermost: its options have no braces.
  let start = -1;
  let end = -1;
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '{') start = i;
    else if (glob[i] === '}') {
      if (start < 0) return undefined;
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const options = glob.slice(start + 1, end).split(',');
  // `{a}` is literal text for picomatch, not a group of one; an empty option, a `/` or a `*`
  // in one is read by picomatch as a regex alternation across segments: left to it.
  if (options.length < 2 || options.some((o) => o === '' || /[/*]/.test(o))) return undefined;
  const out: string[] = [];
  for (const o of options) {
    const rest = expandBraces(glob.slice(0, start) + o + glob.slice(end + 1));
    if (rest === undefined) return undefined;
    out.push(...rest);
    if (out.length > MAX_ALTERNATIVES) return undefined;
  }
  return out;
}

/** A `[...]` class at `at` (the `[`); undefined when it is not one this matcher reads. */
function readClass(s: string, at: number): { set: (c: string) => boolean; end: number } | undefined {
  let i = at + 1;
  // `[!a]` reads differently in picomatch's posix build than in a shell: left to it.
  if (s[i] === '!') return undefined;
  const negate = s[i] === '^';
  if (negate) i++;
  const ranges: [string, string][] = [];
  // A `]` first is a member, not the end.
  for (let first = true; i < s.length && (s[i] !== ']' || first); first = false) {
    const c = s[i]!;
    if (s[i + 1] === '-' && s[i + 2] !== undefined && s[i + 2] !== ']') {
      ranges.push([c, s[i + 2]!]);
      i += 3;
    } else {
      ranges.push([c, c]);
      i++;
    }
  }
  if (i >= s.length) return undefined;
  const inSet = (c: string) => ranges.some(([lo, hi]) => c >= lo && c <= hi);
  return { set: (c) => c !== '/' && inSet(c) !== negate, end: i + 1 };
}

function parseSegment(s: string): Segment | undefined {
  const out: (CharToken | typeof STAR)[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '*') {
      if (out[out.length - 1] !== STAR) out.push(STAR);
      i++;
    } else if (c === '?') {
      out.push({ any: true });
      i++;
    } else if (c === '[') {
      const cls = readClass(s, i);
      // An unclosed `[` is a literal for picomatch too.
      if (cls === undefined) {
        if (s.indexOf(']', i) >= 0) return undefined;
        out.push(c);
        i++;
      } else {
        out.push({ set: cls.set });
        i = cls.end;
      }
    } else {
      out.push(c);
      i++;
    }
  }
  return out;
}

function parse(glob: string): Pattern | undefined {
  const out: (Segment | typeof GLOBSTAR)[] = [];
  for (const seg of glob.split('/')) {
    if (seg === '**') {
      if (out[out.length - 1] !== GLOBSTAR) out.push(GLOBSTAR);
      continue;
    }
    // `**` within a segment (`a**`, `**.ts`) is `*` to picomatch, except next to a group: left to it.
    if (seg.includes('**')) return undefined;
    const parsed = parseSegment(seg);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  // picomatch lets a trailing `/**` match nothing (`src/**` matches `src`) unless the segment
  // before it ends in `*` (`src/*/**` does not match `src/a`): one segment more, then.
  const last = out.length >= 2 ? out[out.length - 2] : undefined;
  if (out[out.length - 1] === GLOBSTAR && last !== undefined && last !== GLOBSTAR && last[last.length - 1] === STAR) out.splice(out.length - 1, 0, [STAR]);
  return out;
}

function charMatches(t: CharToken, c: string): boolean {
  if (typeof t === 'string') return t === c;
  return 'any' in t ? true : t.set(c);
}

/**
 * The classic greedy wildcard match, at either level: `items` (a segment's characters, or a
 * path's segments) against `pat`, where `star` matches any run of items and every other
 * element exactly one (`one` says whether it does). The star keeps one way back, its last
 * start, which is enough: whatever a later start of the rest could match, the earliest does.
 */
function greedy<P, I>(pat: readonly P[], items: { readonly length: number; readonly [i: number]: I }, star: P, one: (p: P, item: I) => boolean): boolean {
  let p = 0;
  let i = 0;
  let starP = -1;
  let starI = 0;
  while (i < items.length) {
    const t = pat[p];
    if (t === star) {
      starP = p++;
      starI = i;
    } else if (t !== undefined && one(t, items[i]!)) {
      p++;
      i++;
    } else if (starP >= 0) {
      p = starP + 1;
      i = ++starI;
    } else return false;
  }
  while (pat[p] === star) p++;
  return p === pat.length;
}

const segmentMatches = (pat: Segment, s: string): boolean => greedy<Segment[number], string>(pat, s, STAR, charMatches as (t: Segment[number], c: string) => boolean);

/** A path's segments against a pattern: `**` over whole segments, `*` within each. */
const pathMatches = (pat: Pattern, segs: readonly string[]): boolean => greedy<Pattern[number], string>(pat, segs, GLOBSTAR, segmentMatches as (t: Pattern[number], s: string) => boolean);

/** A `[` its segment does not close, with a `]` later on: picomatch reads a class across the `/`. */
function classAcrossSegments(glob: string): boolean {
  let from = 0;
  for (const seg of glob.split('/')) {
    for (let i = seg.indexOf('['); i >= 0; i = seg.indexOf('[', i + 1)) {
      const close = seg.indexOf(']', i + 2);
      if (close < 0 && glob.indexOf(']', from + i) >= 0) return true;
    }
    from += seg.length + 1;
  }
  return false;
}

/**
 * A matcher for `glob` that runs in linear time per pattern, or undefined when the glob uses
 * syntax it does not read (see UNSUPPORTED), which picomatch then matches.
 */
export function linearGlob(glob: string): ((path: string) => boolean) | undefined {
  const m = linearSegments(glob);
  return m && ((path) => m(path.split('/')));
}

/** linearGlob over a path already split at its slashes (a list splits each path once). */
function linearSegments(glob: string): ((segs: readonly string[]) => boolean) | undefined {
  if (glob === '' || UNSUPPORTED.test(glob) || classAcrossSegments(glob)) return undefined;
  const alternatives = expandBraces(glob);
  if (alternatives === undefined) return undefined;
  const patterns: Pattern[] = [];
  for (const a of alternatives) {
    const p = parse(a);
    if (p === undefined) return undefined;
    patterns.push(p);
  }
  if (patterns.length === 1) {
    const only = patterns[0]!;
    return (segs) => pathMatches(only, segs);
  }
  return (segs) => patterns.some((p) => pathMatches(p, segs));
}

/**
 * Whether picomatch can be trusted with a glob this matcher does not read: at most two `*` in
 * any segment and two `**` in all (a regex backtracks in time about the path's length to the
 * power of its wildcards: two stay within milliseconds on a 255-character name).
 */
export function regexSafe(glob: string): boolean {
  let globstars = 0;
  for (const seg of glob.split('/')) {
    if (seg === '**') globstars++;
    else if ((seg.match(/\*+/g) ?? []).length > 2) return false;
  }
  return globstars <= 2;
}

/**
 * Whether a pattern is written `!glob`: a subtraction from its list (gitignore's exception),
 * not an extglob `!(a|b)`.
 */
export function isNegated(pattern: string): boolean {
  const p = pattern.trim();
  return p.startsWith('!') && !p.startsWith('!(');
}

/**
 * One matcher for a list of globs: each the linear way where it can be, the rest through one
 * picomatch regex where that is safe (see regexSafe). A glob neither reads safely matches
 * nothing, as a glob picomatch cannot compile does; `tooComplex` says which those are.
 */
export function compileGlobList(globs: readonly string[]): (path: string) => boolean {
  const linear: ((segs: readonly string[]) => boolean)[] = [];
  const rest: string[] = [];
  for (const g of globs) {
    const m = linearSegments(g);
    if (m) linear.push(m);
    else if (regexSafe(g)) rest.push(g);
  }
  const regex = rest.length === 0 ? undefined : picomatchList(rest);
  if (linear.length === 0) return regex ?? (() => false);
  return (path) => {
    const segs = path.split('/');
    for (const m of linear) if (m(segs)) return true;
    return regex !== undefined && regex(path);
  };
}

/** Globs of the list that neither matcher reads safely: they match nothing (a spec problem names them). */
export function tooComplex(globs: readonly string[]): string[] {
  return globs.filter((g) => linearGlob(g) === undefined && !regexSafe(g));
}

function picomatchList(globs: string[]): (path: string) => boolean {
  try {
    // One regex for the whole list: a path is read once, not once per glob (a list of many
    // globs is tested against every changed path).
    if (globs.length > 1) {
      const one = new RegExp(globs.map((g) => picomatch.makeRe(g, { dot: true }).source).join('|'));
      return (p) => one.test(p);
    }
    return picomatch(globs, { dot: true });
  } catch {
    const each = globs.map((g) => {
      try {
        return picomatch(g, { dot: true });
      } catch {
        return () => false;
      }
    });
    return (p) => each.some((m) => m(p));
  }
}
