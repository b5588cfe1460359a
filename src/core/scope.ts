// Path matching for scope, protected paths and tasks. Each glob list is compiled once
// (dot files included; in linear time per pattern where it can be, else picomatch's regex,
// see globMatch.ts). A pattern also matches literally, as a file
// or as a folder holding the path (`src/billing`), and a glob holding brackets or
// parentheses also matches with them read as the path's own characters, so a front matter
// `app/(shop)/**` or `app/[slug]/page.tsx` covers those route folders as well as what the
// glob matches. A named path is escaped (`app/\[slug\]/page.tsx`, see toScopeGlobs): a
// pattern whose glob characters are all escaped is a literal path and matches only itself.
import { compileGlobList, isNegated } from './globMatch';
import type { Classification, Spec, Task } from './model';
import { openspecOwnPaths } from './spec/openspec';

const GLOB_CHARS = /[*?[\]{}()!+@]/;
const MAX_PATTERN = 500;

/**
 * Repo-relative, forward slashes, no `./` or leading `/`; a trailing `/` is kept. A
 * backslash is a folder separator except before a bracket or parenthesis, which it escapes.
 */
export function normalizePattern(raw: string): string {
  let p = raw.trim().replace(/\\(?![[\]()])/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '').replace(/\/{2,}/g, '/');
  return p;
}

const ESCAPED = /\\([[\]()])/g;

/** `p` with its escaped brackets and parentheses unescaped: the path a literal pattern names. */
function unescape(p: string): string {
  return p.replace(ESCAPED, '$1');
}

/** Whether `p` has a glob character that is not escaped. */
function isGlob(p: string): boolean {
  return GLOB_CHARS.test(p.replace(ESCAPED, ''));
}

/**
 * A glob holding unescaped brackets or parentheses with them escaped (`app/[slug]/**` →
 * `app/\[slug\]/**`): the second reading of such a glob, with its route folders taken
 * literally. Undefined for a pattern without them, and for an extglob alternation
 * (`*.@(js|ts)`), which names no folder.
 */
function bracketsLiteral(p: string): string | undefined {
  if (p.includes('|')) return undefined;
  const out = p.replace(/\\[[\]()]|[[\]()]/g, (m) => (m.length === 2 ? m : `\\${m}`));
  return out === p ? undefined : out;
}

/** Each pattern, and after a glob holding brackets or parentheses its literal reading. */
function withLiteralReadings(patterns: readonly string[]): string[] {
  return patterns.flatMap((p) => {
    const lit = bracketsLiteral(p);
    return lit === undefined ? [p] : [p, lit];
  });
}

function globForms(p: string): string[] {
  if (p.endsWith('/')) return [`${p}**`];
  if (!isGlob(p)) return [p, `${p}/**`];
  return [p];
}

/** The path and each folder holding it, deepest first: `a/b/c` → `a/b/c`, `a/b`, `a`. */
function ancestors(path: string): string[] {
  const out = [path];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) out.push(path.slice(0, i));
  return out;
}

/** The literal folder a glob is rooted in (`src/a/**\/*.ts` → `src/a`), or '' when it can match anywhere. */
function literalRoot(glob: string): string {
  if (glob.startsWith('!')) return '';
  const m = GLOB_CHARS.exec(glob);
  const head = m ? glob.slice(0, m.index) : glob;
  const slash = head.lastIndexOf('/');
  return slash > 0 ? head.slice(0, slash) : '';
}

/** `**\/name` with a literal name: the file name it matches in any folder. */
function anyFolderName(p: string): string | undefined {
  if (!p.startsWith('**/')) return undefined;
  const name = p.slice(3);
  return name !== '' && !name.includes('/') && !isGlob(name) ? unescape(name) : undefined;
}

export interface PathMatcher {
  /** True when any pattern matches the path. */
  test(path: string): boolean;
  /** The first pattern (as given) that matches, for messages; slower than `test`. */
  which(path: string): string | undefined;
  readonly patterns: readonly string[];
}

/** `src/billing/**` (a literal folder then `/**`): the folder, matched like a literal path. */
function literalFolder(p: string): string | undefined {
  if (!p.endsWith('/**')) return undefined;
  const folder = p.slice(0, -3);
  return folder !== '' && !isGlob(folder) ? unescape(folder) : undefined;
}

/**
 * `**\/name*.ext`: a file-name pattern with only `*` and `?` wildcards, in any folder, as a
 * regex source over the file name alone (all such patterns of a list become one regex).
 */
function anyFolderNamePattern(p: string): string | undefined {
  if (!p.startsWith('**/')) return undefined;
  const name = p.slice(3);
  if (name === '' || !/^[^/[\]{}()!+@\\]*[*?][^/[\]{}()!+@\\]*$/.test(name)) return undefined;
  // As one regex, stars backtrack: more than two are matched the linear way (see globMatch.ts).
  if ((name.match(/\*+/g) ?? []).length > 2) return undefined;
  let out = '';
  for (const c of name) out += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.^$|\\]/g, '\\$&');
  return out;
}

/** Shapes common in scope and protected lists, answered by set lookups instead of regexes. */
type FastForm = { kind: 'name' | 'folder' | 'ext'; value: string };

function fastForm(p: string): FastForm | undefined {
  if (!p.startsWith('**/')) return undefined;
  const rest = p.slice(3);
  const name = anyFolderName(p);
  if (name !== undefined) return { kind: 'name', value: name };
  if (rest.endsWith('/**')) {
    const folder = rest.slice(0, -3);
    if (folder !== '' && !folder.includes('/') && !isGlob(folder)) return { kind: 'folder', value: unescape(folder) };
  }
  if (rest.startsWith('*.')) {
    const ext = rest.slice(2);
    if (ext !== '' && !ext.includes('/') && !isGlob(ext)) return { kind: 'ext', value: `.${unescape(ext)}` };
  }
  return undefined;
}

/**
 * Compiles a list of globs/paths into one matcher. A pattern written `!glob` subtracts, as
 * in gitignore: a path matches when some other pattern matches it and no `!` pattern does
 * (whatever their order). So a list never means "everything but" (picomatch's reading of a
 * `!` pattern), and a list of `!` patterns alone matches nothing.
 */
export function compileGlobs(patterns: readonly string[]): PathMatcher {
  const negated = patterns.filter(isNegated).map((p) => p.trim().slice(1));
  const positive = compilePositive(patterns.filter((p) => !isNegated(p)));
  if (negated.length === 0) return positive;
  const minus = compilePositive(negated.filter((p) => !isNegated(p)));
  const test = (path: string): boolean => positive.test(path) && !minus.test(path);
  return { test, which: (path) => (test(path) ? positive.which(path) : undefined), patterns: positive.patterns };
}

/**
 * A glob's brace lists written out (`**\/x.{yml,yaml}` -> `**\/x.yml`, `**\/x.yaml`), so each
 * reading can take a fast form; braces nested, escaped, holding a range or a glob, or more than
 * 64 readings, are left to picomatch.
 */
function expandBraces(p: string): string[] {
  if (!p.includes('{') || p.includes('\\') || /\{[^{}]*\{/.test(p)) return [p];
  let out = [p];
  for (;;) {
    const next: string[] = [];
    let grew = false;
    for (const q of out) {
      const m = /\{([^{}]*)\}/.exec(q);
      if (!m || !m[1]!.includes(',') || /[*?[\]()!+@]|\.\./.test(m[1]!)) {
        next.push(q);
        continue;
      }
      grew = true;
      for (const alt of m[1]!.split(',')) next.push(q.slice(0, m.index) + alt + q.slice(m.index + m[0].length));
    }
    if (next.length > 64) return [p];
    out = next;
    if (!grew) return out;
  }
}

/** compileGlobs for a list without `!` patterns. */
function compilePositive(patterns: readonly string[]): PathMatcher {
  const kept = [...new Set(patterns.map(normalizePattern).filter((p) => p !== '' && p !== '/'))];
  const readings = [...new Set(withLiteralReadings(kept).flatMap(expandBraces))];
  const literals = new Set<string>();
  const names = new Set<string>();
  const folders = new Set<string>();
  const exts: string[] = [];
  const namePatterns: string[] = [];
  const globs: string[] = [];
  /** `**\/F/**\/*.{a,b}`: files of these extensions anywhere under a folder named F. */
  const folderExts = new Map<string, Set<string>>();
  /** `**\/A/B`: a path that ends in these segments. */
  const tails = new Set<string>();
  /** Other globs that start `**\/F/` with a literal folder F, by F. */
  const bySegment = new Map<string, string[]>();
  for (const p of readings) {
    const under = /^\*\*\/([\w.-]+)\/\*\*\/\*\.(?:\{([\w,-]+)\}|([\w-]+))$/.exec(p);
    if (under && !isGlob(under[1]!)) {
      const set = folderExts.get(under[1]!) ?? new Set<string>();
      for (const e of (under[2] ?? under[3]!).split(',')) if (e !== '') set.add(`.${e}`);
      folderExts.set(under[1]!, set);
      continue;
    }
    const tail = /^\*\*\/([\w.-]+\/[\w.-]+)$/.exec(p);
    if (tail && !isGlob(tail[1]!)) {
      tails.add(tail[1]!);
      continue;
    }
    const fast = fastForm(p);
    const namePattern = fast === undefined ? anyFolderNamePattern(p) : undefined;
    if (namePattern !== undefined) namePatterns.push(namePattern);
    else if (fast?.kind === 'name') names.add(fast.value);
    else if (fast?.kind === 'folder') folders.add(fast.value);
    else if (fast?.kind === 'ext') exts.push(fast.value);
    else if (literalFolder(p) !== undefined) literals.add(literalFolder(p)!);
    else {
      const bare = unescape(p.replace(/\/+$/, ''));
      if (bare !== '') literals.add(bare);
      if (p.length <= MAX_PATTERN && isGlob(p)) {
        // `**\/F/…` is met only by paths with a folder named F: tested only for them.
        const seg = /^\*\*\/([\w.-]+)\/./.exec(p);
        if (seg && !isGlob(seg[1]!)) {
          const list = bySegment.get(seg[1]!) ?? [];
          list.push(...globForms(p));
          bySegment.set(seg[1]!, list);
        } else globs.push(...globForms(p));
      }
    }
  }
  // Compiled when a path first has the folder: most lists meet few of them (a migrations glob, a change with no migrations).
  const segmentTests = new Map<string, (p: string) => boolean>();
  const segmentTest = (seg: string) => {
    let m = segmentTests.get(seg);
    if (m === undefined && bySegment.has(seg)) segmentTests.set(seg, (m = compileGlobList(bySegment.get(seg)!)));
    return m;
  };
  // Globs bucketed by their literal root folder: a path only meets the buckets of its folders.
  const buckets = new Map<string, string[]>();
  for (const g of globs) {
    const root = literalRoot(g);
    const list = buckets.get(root) ?? [];
    list.push(g);
    buckets.set(root, list);
  }
  // Each folder's globs compiled when a path first meets that folder.
  const compiled = new Map<string, (p: string) => boolean>();
  const anywhere = buckets.has('') ? compileGlobList(buckets.get('')!) : undefined;
  buckets.delete('');
  const inFolder = (dir: string) => {
    let m = compiled.get(dir);
    if (m === undefined && buckets.has(dir)) compiled.set(dir, (m = compileGlobList(buckets.get(dir)!)));
    return m;
  };
  const byFolder = literals.size > 0 || buckets.size > 0;
  const nameRe = namePatterns.length > 0 ? new RegExp(`^(?:${namePatterns.join('|')})$`) : undefined;
  const test = (path: string): boolean => {
    const slash = path.lastIndexOf('/');
    if (byFolder) {
      if (literals.has(path)) return true;
      for (let i = slash; i > 0; i = path.lastIndexOf('/', i - 1)) {
        const dir = path.slice(0, i);
        if (literals.has(dir)) return true;
        const m = inFolder(dir);
        if (m !== undefined && m(path)) return true;
      }
    }
    if (names.size > 0 || exts.length > 0 || nameRe !== undefined) {
      const base = slash < 0 ? path : path.slice(slash + 1);
      if (names.has(base)) return true;
      for (const e of exts) if (base.length > e.length && base.endsWith(e)) return true;
      if (nameRe?.test(base)) return true;
    }
    if (folders.size > 0 && slash > 0) {
      let from = 0;
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (folders.has(path.slice(from, i))) return true;
        from = i + 1;
      }
    }
    if (folderExts.size > 0 && slash > 0) {
      const dot = path.lastIndexOf('.');
      const ext = dot > slash + 1 ? path.slice(dot) : undefined;
      let from = 0;
      for (let i = path.indexOf('/'); ext !== undefined && i > 0; i = path.indexOf('/', i + 1)) {
        if (folderExts.get(path.slice(from, i))?.has(ext)) return true;
        from = i + 1;
      }
    }
    if (tails.size > 0 && slash > 0) {
      const before = path.lastIndexOf('/', slash - 1);
      if (tails.has(path.slice(before + 1))) return true;
    }
    if (bySegment.size > 0 && slash > 0) {
      let from = 0;
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        const m = segmentTest(path.slice(from, i));
        if (m !== undefined && m(path)) return true;
        from = i + 1;
      }
    }
    return anywhere !== undefined && anywhere(path);
  };
  let singles: { pattern: string; test: (p: string) => boolean }[] | undefined;
  const which = (path: string): string | undefined => {
    singles ??= kept.map((pattern) => ({ pattern, test: compilePositive([pattern]).test }));
    return singles.find((s) => s.test(path))?.pattern;
  };
  return { test, which, patterns: kept };
}

export interface CompiledScope {
  classify(path: string): Classification;
  /** Include pattern (scope glob or task path) that covers the path. */
  includedBy(path: string): string | undefined;
  /** Exclude pattern (non-goal) that matches the path. */
  excludedBy(path: string): string | undefined;
  /** True when the spec declares no include glob and no task names a path. */
  readonly empty: boolean;
}

/**
 * Compiles a spec's scope. Includes are the scope's include globs plus every task path;
 * an include written `!glob` counts as an exclude, and an exclude written `!glob` takes the
 * paths it matches out of the excludes (see compileGlobs). Spec files are always `spec`, and so,
 * for an OpenSpec change, are the files its archive step writes (see openspecOwnPaths).
 */
export function compileScope(spec: Pick<Spec, 'scope' | 'tasks' | 'files'> & Partial<Pick<Spec, 'id' | 'format'>>): CompiledScope {
  const include: string[] = [];
  const exclude: string[] = [...spec.scope.exclude];
  for (const g of [...spec.scope.include, ...spec.tasks.flatMap((t) => t.paths)]) {
    if (isNegated(g)) exclude.push(g.trim().slice(1));
    else include.push(g);
  }
  const inc = compileGlobs(include);
  const exc = compileGlobs(exclude);
  const own = spec.format === 'openspec' && spec.id !== undefined ? openspecOwnPaths({ id: spec.id, files: spec.files }) : [];
  const specFiles = new Set([...spec.files, ...own].map(normalizePattern));
  return {
    classify(path) {
      if (specFiles.has(path)) return 'spec';
      if (exc.test(path)) return 'excluded';
      return inc.test(path) ? 'in-scope' : 'out-of-scope';
    },
    includedBy: (path) => inc.which(path),
    excludedBy: (path) => exc.which(path),
    empty: inc.patterns.length === 0,
  };
}

export interface TaskIndex {
  /** Ids of the tasks whose paths cover the file, in spec order. */
  tasksFor(path: string): string[];
  /** True when at least one task names a path. */
  readonly anyPaths: boolean;
}

/** Which tasks name a path: literal paths and folders by lookup, globs bucketed by their literal root. */
export function compileTaskIndex(tasks: readonly Task[]): TaskIndex {
  const order = new Map<string, number>();
  const literal = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const buckets = new Map<string, { id: string; m: (p: string) => boolean }[]>();
  const index = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key) ?? [];
    if (!list.includes(id)) list.push(id);
    map.set(key, list);
  };
  tasks.forEach((t, i) => {
    if (!order.has(t.id)) order.set(t.id, i);
    const globsByRoot = new Map<string, string[]>();
    // A `!glob` path is an exclusion (compileScope), not a file the task names.
    for (const p of withLiteralReadings(t.paths.filter((p) => !isNegated(p)).map(normalizePattern))) {
      const bare = unescape(p.replace(/\/+$/, ''));
      if (bare === '') continue;
      const name = anyFolderName(p);
      if (name !== undefined) {
        index(byName, name, t.id);
        continue;
      }
      const folder = literalFolder(p);
      index(literal, folder ?? bare, t.id);
      if (folder !== undefined || !isGlob(p) || p.length > MAX_PATTERN) continue;
      for (const g of globForms(p)) {
        const root = literalRoot(g);
        globsByRoot.set(root, [...(globsByRoot.get(root) ?? []), g]);
      }
    }
    for (const [root, globs] of globsByRoot) {
      const list = buckets.get(root) ?? [];
      list.push({ id: t.id, m: compileGlobList(globs) });
      buckets.set(root, list);
    }
  });
  const anywhere = buckets.get('') ?? [];
  return {
    tasksFor(path) {
      const found = new Set<string>();
      for (const a of ancestors(path)) {
        for (const id of literal.get(a) ?? []) found.add(id);
        if (a !== path) for (const g of buckets.get(a) ?? []) if (!found.has(g.id) && g.m(path)) found.add(g.id);
      }
      for (const id of byName.get(path.slice(path.lastIndexOf('/') + 1)) ?? []) found.add(id);
      for (const g of anywhere) if (!found.has(g.id) && g.m(path)) found.add(g.id);
      if (found.size < 2) return [...found];
      return [...found].sort((x, y) => order.get(x)! - order.get(y)!);
    },
    anyPaths: literal.size > 0 || byName.size > 0 || buckets.size > 0,
  };
}
