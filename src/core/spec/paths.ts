// Path-like tokens in spec text, and their conversion to scope globs. The token rules are
// the ones the real-spec labels use (backticked spans; bare tokens in task lines and
// Impact sections), widened to the route folders of file-system routers and to more file
// extensions (on the labelled corpus they read the same paths); scope conversion then
// drops what is not a repository path.

/** The extensions the real-spec labels know. */
const LABEL_EXT =
  'md|markdown|ts|tsx|js|jsx|mjs|cjs|json|jsonc|yaml|yml|toml|py|rs|go|kt|kts|java|cpp|hpp|h|c|cc|cxx|hh|sh|bash|txt|xml|html|htm|css|scss|vue|dart|sql|gradle|lock|ini|cfg|conf|env|properties|swift|rb|php|cs|csproj|sln|proto|cmake|mk|svg|png|jpg|ico|pem|crt|key|log|csv|dockerfile|example|template|tf|hcl|zip|so|dylib|dll|a|lib|exe|bin|plist|pbxproj|xcconfig|ps1|bat|wasm|db|sqlite|jar|aar|apk|pdf|ttf|otf|woff|woff2|lua|r|m|mm|scala|clj|ex|exs|erl|hs|ml|nim|zig|v|sv|vhd|tex|rst|adoc|ipynb|nix|spec|service|timer|desktop|in';
/**
 * More that web and infrastructure projects use: framework components, templates and
 * styles, schemas, snapshots, build, infrastructure and lock files. None is a word code
 * writes after a dot (`this.props`, `arr.map` and `app.patch` are why props, map and patch
 * are not here).
 */
const MORE_EXT = [
  'mts|cts|mdx|mdc|svelte|astro|less|sass|styl|pug|haml|ejs|hbs|handlebars|mustache|njk|liquid|twig|j2|jinja|jinja2|tpl|erb|razor|cshtml',
  'graphql|gql|prisma|snap|json5|jsonl|tsv|gif|jpeg|webp|avif|webmanifest',
  'rake|gemspec|groovy|bzl|bazel|sol|tfvars|bicep|jsonnet|libsonnet|rego|lockb|pyi|zsh|fish|fsproj',
].join('|');
const EXT = `${LABEL_EXT}|${MORE_EXT}`;

const FILE_NAME = new RegExp(`^[\\w.\\-*~@+]+\\.(?:${EXT})$`, 'i');
const HAS_EXT = new RegExp(`\\.(?:${EXT})$`, 'i');
const VERSION = /^\d+(?:\.\d+)+$/;
const DOTFILE = /^\.[A-Za-z][\w.-]*$/;
/** Extensions that, written alone (`.md`, `.svelte`), name a kind of file, not a dotfile. */
const BARE_EXT = new Set(['md', 'ts', 'tsx', 'js', 'jsx', 'py', 'cpp', 'hpp', 'h', 'c', 'kt', 'java', 'rs', 'go', 'json', 'yaml', 'yml', 'dart', 'sh', 'txt', ...MORE_EXT.split('|')]);

/**
 * Well-known file names without an extension (build, container, dependency and legal files),
 * read as paths when a backtick span holds one alone: `Dockerfile`, `Makefile`, `go.mod`,
 * `LICENSE`. Names that code also uses as words or constants (`README`, `NOTICE`, `BUILD`)
 * are left out.
 */
const KNOWN_NAMES = new Set([
  'Dockerfile', 'Containerfile', 'Makefile', 'GNUmakefile', 'makefile', 'Rakefile', 'Gemfile', 'Podfile', 'Procfile',
  'Brewfile', 'Vagrantfile', 'Jenkinsfile', 'Justfile', 'justfile', 'Caddyfile', 'Tiltfile', 'Earthfile', 'Pipfile',
  'Cartfile', 'Fastfile', 'Dangerfile', 'Guardfile', 'Berksfile', 'go.mod', 'go.sum', 'go.work', 'LICENSE', 'LICENCE',
  'COPYING', 'CODEOWNERS', 'AUTHORS',
]);

/** Whether `name` (one path segment) is a well-known file name without an extension (see KNOWN_NAMES). */
export function isKnownName(name: string): boolean {
  return KNOWN_NAMES.has(name);
}

function isDotfile(s: string): boolean {
  return DOTFILE.test(s) && !BARE_EXT.has(s.slice(1).toLowerCase());
}

function isFileName(s: string): boolean {
  return FILE_NAME.test(s) && !VERSION.test(s);
}

/**
 * The text inside one pair of matching quotes around the whole of `s` (`"a b/"`, `'x/*'`),
 * or undefined when `s` is not so wrapped. Such a path may hold spaces.
 */
function unwrapQuotes(s: string): string | undefined {
  const q = s[0];
  if ((q !== '"' && q !== "'") || s.length < 3 || s[s.length - 1] !== q) return undefined;
  const inner = s.slice(1, -1);
  return inner.includes(q) || inner.trim() !== inner ? undefined : inner;
}

/** Spaces (only) in a quoted path that ends like one: a file with an extension, a folder, a glob. */
function spacedPathOk(s: string): boolean {
  if (/[^\S ]/.test(s)) return false;
  return s.includes('/') && (HAS_EXT.test(s) || /\/(?:\*\*?)?$/.test(s));
}

/**
 * A route parameter's name: an identifier (`id`, `slug`, `productId`), or words joined by
 * single hyphens (`product-id`, `blog-post-slug`), each word a letter and at least one more
 * letter, digit or `_`. So the ranges of a character class (`a-z`, `A-Za-z`, `a-f0-9`) and
 * index arithmetic (`i-1`, `len-1`) are no names.
 */
const PARAM_NAME = '(?:[A-Za-z][A-Za-z0-9_]+(?:-[A-Za-z][A-Za-z0-9_]+)+|[A-Za-z_]\\w*)';
/** A parameter: optional rest dots, a name, and SvelteKit's matcher (`=integer`). */
const PARAM = `(?:\\.\\.\\.)?${PARAM_NAME}(?:=[A-Za-z_]\\w*)?`;

/**
 * One route-style token of a file-system router (Next.js, SvelteKit, Nuxt, Astro, Remix,
 * SolidStart): a parameter `[id]`, `[product-id]`, `[...slug]`, an optional one `[[lang]]`,
 * `[[...opt]]`, SvelteKit's `[id=integer]`; a group `(marketing)` or Remix's optional
 * `($lang)`; a run of interception markers `(.)`, `(..)(..)`, `(...)`.
 */
const ROUTE_TOKEN = new RegExp(`\\[\\[${PARAM}\\]\\]|\\[${PARAM}\\]|\\(\\$?[A-Za-z_][\\w-]*\\)|(?:\\(\\.{1,3}\\))+`, 'y');

/**
 * Remix's escape (v2 flat routes): characters in brackets stand for themselves, so a route
 * file's name can hold a dot that separates no segments (`sitemap[.]xml.tsx`,
 * `[robots.txt].tsx`). Read only with a dot inside (`[0]`, `[i]` and `[a-z]` are code) and
 * not as a rest parameter (`[...slug]`); where it may stand, see maskSegment and maskRoutes.
 */
const ESCAPE = /\[(?!\.\.\.[A-Za-z_])[\w-]*\.[\w.-]*\]/y;

/**
 * A path segment with each route-style token replaced by `x` (`[id].tsx` → `x.tsx`,
 * `users-[group]` → `users-x`), or undefined when a bracket or parenthesis in it is not such
 * a token. A token starts the segment or follows `.`, `@`, another token or (a parameter
 * only) `-`; it ends the segment or comes before `-`, `.`, `@` or another token, and
 * interception markers come before a name. So `foo(bar)`, `a[0]`, `items[i]`, `x-(y)` and
 * `fn(x` are not route segments. A Remix escape with a dot (ESCAPE) may stand anywhere in a
 * segment with no glob or regex character (`*`, `?`, `+`, `\`) in it, dots alone only
 * between word characters (`sitemap[.]xml`); then `found.escape` is set, and the caller
 * requires a file name with an extension (`.*[.]min.js`, `file[.]txt` and `[.]` stay code).
 */
function maskSegment(seg: string, found?: { escape: boolean }): string | undefined {
  let out = '';
  let afterToken = false;
  let escaped = false;
  for (let i = 0; i < seg.length; ) {
    const c = seg[i];
    if (c === ']' || c === ')') return undefined;
    if (c !== '[' && c !== '(') {
      out += c;
      afterToken = false;
      i++;
      continue;
    }
    const placed = i === 0 || afterToken || (c === '[' ? '-.@' : '.@').includes(seg[i - 1]);
    ROUTE_TOKEN.lastIndex = i;
    const m = placed ? ROUTE_TOKEN.exec(seg) : null;
    if (m) {
      i += m[0].length;
      const next = seg[i];
      if (next !== undefined && !'-.@[('.includes(next) && !(m[0].startsWith('(.') && /[\w$]/.test(next))) return undefined;
      out += 'x';
      afterToken = true;
      continue;
    }
    ESCAPE.lastIndex = i;
    const e = c === '[' ? ESCAPE.exec(seg) : null;
    if (!e) return undefined;
    // Dots alone escape a separator inside a name (`sitemap[.]xml`): a word character on each side.
    if (/^\[\.+\]$/.test(e[0]) && !(/\w/.test(seg[i - 1] ?? '') && /\w/.test(seg[i + e[0].length] ?? ''))) return undefined;
    i += e[0].length;
    out += 'x';
    afterToken = false;
    escaped = true;
  }
  if (escaped) {
    if (/[*?+\\]/.test(out)) return undefined;
    if (found) found.escape = true;
  }
  return out;
}

/**
 * `s` with its route-style tokens masked (see maskSegment), or undefined when it holds another
 * bracket or parenthesis, or a Remix escape in a path that does not end in a file name with
 * an extension.
 */
function maskRoutes(s: string): string | undefined {
  if (!/[()[\]]/.test(s)) return s;
  const found = { escape: false };
  const segs = s.split('/').map((seg) => maskSegment(seg, found));
  if (!segs.every((x) => x !== undefined)) return undefined;
  if (found.escape && !isFileName(segs[segs.length - 1]!)) return undefined;
  return segs.join('/');
}

/** Whether a folder or file name (`(marketing)/`, `[slug]`, `[...slug].tsx`) holds route segments, and no other bracket or parenthesis. */
export function isRouteName(name: string): boolean {
  const bare = name.replace(/\/$/, '');
  const found = { escape: false };
  const masked = bare.includes('/') ? undefined : maskSegment(bare, found);
  return masked !== undefined && masked !== bare && (!found.escape || (bare === name && isFileName(masked)));
}

/**
 * Whether a span holding route-style tokens (`masked` is it with them masked) is a path as a
 * whole: with a `/`, it ends in a file name, a `/` or a glob, or starts with a plain folder
 * name (`app/(marketing)`, not `(a-b)/c`); without one, it is a file name with a route
 * parameter (`[id].tsx`, `[...slug].astro`), never a group or marker.
 */
function routePathOk(s: string, masked: string): boolean {
  const segs = s.replace(/^(?:\.\/)+/, '').split('/');
  const maskedSegs = masked.replace(/^(?:\.\/)+/, '').split('/');
  const last = maskedSegs[maskedSegs.length - 1];
  if (segs.length === 1) return !s.includes('(') && isFileName(last);
  if (last === '' || last === '*' || last === '**' || isFileName(last)) return true;
  return segs[0] === maskedSegs[0] && /[A-Za-z]/.test(segs[0]);
}

/**
 * Whether the content of a backtick span names a path (file, directory or glob). It may be
 * wrapped in quotes (`"docs/my notes/"`, and then hold spaces) or quote a folder inside
 * (`config/'legacy'/**`); quotes elsewhere are code, not a path. Brackets and parentheses
 * are code too, except as whole route-style segments and file names of the file-system
 * routers (`app/(marketing)/page.tsx`, `app/blog/[slug]/page.tsx`, `pages/[...slug].tsx`,
 * `app/@modal/(.)photo/page.tsx`, a top-level `[id].tsx`; see maskSegment).
 */
export function looksLikePath(span: string): boolean {
  let s = span.trim();
  const inner = unwrapQuotes(s);
  if (inner !== undefined) {
    s = inner;
    if (/\s/.test(s) && !spacedPathOk(s)) return false;
  } else if (/\s/.test(s)) return false;
  if (!s) return false;
  const braced = s.replace(/\{[^{}\s]*\}/g, 'X');
  const masked = maskRoutes(braced);
  if (masked === undefined || /[()=<>|,;[\]]/.test(masked)) return false;
  if (masked !== braced && !routePathOk(braced, masked)) return false;
  if (/["']/.test(s) && !s.includes('/')) return false;
  if (s.includes('://')) return false;
  if (s === '/' || s === '//' || s === './' || s === '~/') return false;
  if (s.includes('/')) return /[A-Za-z0-9_]/.test(s);
  return isFileName(masked === braced ? s : masked) || isDotfile(s) || isKnownName(s);
}

/** Words that join or surround paths in a code span (`src/a and src/b.ts`), never part of one path read from it. */
const JOINING = /^(?:and|or|nor|to|vs|versus|from|into|onto|with|then|plus|via|than|in|on|at|of|for|as|is|are|see)$/i;

/**
 * Whether a backtick span holding spaces is one path as a whole (`src/my file.ts`,
 * `docs/design notes/`), as DESIGN allows file names to be: names of letters, digits and
 * `_ . - @ + ~ *`, single spaces inside names only, the first word already in a folder
 * (`src/my …`, so a command such as `git add src/a.ts` is not one), ending in a file name
 * with a known extension or in `/`; no word but the last ends like a path (`src/a.ts
 * src/b.ts` names two), starts with `-` (a flag) or joins paths (`and`, `to`, `from`, …).
 */
export function spacedSpanPath(span: string): boolean {
  const s = cleanNamedPath(span);
  if (!s.includes(' ') || !/^[\p{L}\p{N}_.\-/@+~* ]+$/u.test(s) || / {2}|^ | $| \/|\/ /.test(s)) return false;
  const words = s.split(' ');
  if (!words[0]!.includes('/') || words[0]!.startsWith('/')) return false;
  const last = s.slice(s.lastIndexOf('/') + 1);
  if (!(s.endsWith('/') || HAS_EXT.test(last))) return false;
  return words.every((w, i) => !w.startsWith('-') && !JOINING.test(w) && (i === words.length - 1 || !(w.endsWith('/') || HAS_EXT.test(w))));
}

/**
 * A location written after a file's path: a line `:42`, line and column `:10:5`, a line
 * range `:76-105`, GitHub's `#L10` / `#L10-L20`, pytest's node id `::test_null`
 * (`::TestX::test_y`, `::test_a[1-2]`).
 */
const LOCATION = /(?:::[A-Za-z_]\w*(?:\[[^\]\s]*\])?)+$|#L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?$|:\d+(?:[:-]\d+)*$/;

/** `p` without a location after its file name (see LOCATION): `src/a.ts:42` → `src/a.ts`. */
export function stripLocation(p: string): string {
  const m = LOCATION.exec(p);
  if (!m || m.index === 0) return p;
  const head = p.slice(0, m.index);
  const name = head.slice(head.lastIndexOf('/') + 1);
  return isFileName(name) || isDotfile(name) || isKnownName(name) ? head : p;
}

/**
 * A Windows-style path (`src\api\routes.ts`, `src\api\`) with `/` for each `\`: plain
 * names only, ending in a file name with a known extension or in a separator, so code
 * (`\d+\.\w+`, `\n`) and route escapes (`app/\[id\]`) are left as they are.
 */
export function slashPath(p: string): string {
  if (!p.includes('\\') || p.includes('/')) return p;
  if (!/^(?:[\w.@-]+\\)+(?:[\w.@-]+)?$/.test(p)) return p;
  const out = p.replace(/\\/g, '/');
  return out.endsWith('/') || isFileName(out.slice(out.lastIndexOf('/') + 1)) ? out : p;
}

/** A path as the spec names it, ready for the path rules: `/` separators, no location suffix. */
export function cleanNamedPath(p: string): string {
  return stripLocation(slashPath(p.trim()));
}

/**
 * The repository paths that markdown links on a line point to (`[router](src/api/router.ts)`),
 * each written from the root (`./src/api/router.ts`) so that a bare name stays where it is.
 * A target is a path in the repository when it is not a URL (`https:`, `mailto:`) or an
 * anchor (`#usage`); `/x` is read from the repository root (as GitHub does); `./x`, `../x`
 * and a bare name are read from the folder of `file` (the markdown meaning), and skipped
 * without one. Queries, fragments and location suffixes are dropped; images are not read.
 */
export function linkTargets(line: string, file?: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/(!?)\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^\s<>()]+(?:\([^\s<>()]*\)[^\s<>()]*)*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    if (m[1]) continue;
    let t = m[2]!;
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(t) || t.startsWith('#') || t.startsWith('//')) continue;
    t = t.replace(/[?#].*$/, '');
    try {
      t = decodeURI(t);
    } catch {
      continue;
    }
    t = cleanNamedPath(t);
    if (!t || /\s/.test(t)) continue;
    let resolved: string | undefined;
    if (t.startsWith('/')) resolved = t.replace(/^\/+/, '');
    else if (t.startsWith('./') || t.startsWith('../') || !t.includes('/')) {
      if (file === undefined) continue;
      resolved = resolveFrom(file.slice(0, file.lastIndexOf('/') + 1), t);
    } else resolved = t;
    if (resolved) out.push(`./${resolved}`);
  }
  return out;
}

/** `rel` read from folder `dir` (empty or ending in `/`), or undefined when it leaves the repository. */
function resolveFrom(dir: string, rel: string): string | undefined {
  const segs = dir.split('/').filter(Boolean);
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segs.length === 0) return undefined;
      segs.pop();
    } else segs.push(seg);
  }
  const out = segs.join('/');
  return out === '' ? undefined : rel.endsWith('/') ? `${out}/` : out;
}

/** A token wrapped in bold or italics (`**src/b.py**`) or quotes (`"src/c.py"`), unwrapped. */
function unwrapToken(t: string): string {
  for (;;) {
    const m = /^(\*\*|\*|"|'|“|‘)(.+?)(\*\*|\*|"|'|”|’)$/.exec(t);
    if (!m) return t;
    const pair = m[1] === m[3] || (m[1] === '“' && m[3] === '”') || (m[1] === '‘' && m[3] === '’');
    if (!pair) return t;
    t = m[2]!.replace(/[.,;:)]+$/, '');
  }
}

/**
 * A whitespace-separated token outside backticks that names a path, or null. Route-style
 * tokens are taken more strictly than in backticks: only in a path with a `/` that ends in a
 * file name with a known extension or in `/` (`app/blog/[slug]/page.tsx`, `app/(shop)/`).
 */
export function barePath(token: string): string | null {
  let t = token.trim().replace(/^`+|`+$/g, '').replace(/[.,;:)]+$/, '').replace(/^\(+/, '');
  t = unwrapToken(t.replace(/^`+|`+$/g, ''));
  t = cleanNamedPath(t).replace(/[.,;:)]+$/, '');
  if (!t || t.includes('://')) return null;
  const masked = maskRoutes(t);
  if (masked === undefined || /[\s"'<>|=[\]()]/.test(masked)) return null;
  if (masked !== t && !(t.includes('/') && (HAS_EXT.test(t) || t.endsWith('/')))) return null;
  if (t.includes('/')) {
    if (!/[a-z]/.test(t) && !t.includes('.')) return null;
    const slashes = t.split('/').length - 1;
    if (HAS_EXT.test(t) || t.endsWith('/') || /^(?:\/|\.\/|~\/|\.\.\/)/.test(t) || slashes >= 2) return t;
    return null;
  }
  if (isFileName(t) || isDotfile(t)) return t;
  return null;
}

/** Single-backtick spans on one line (a span never crosses a line here). */
export function backtickSpans(line: string, strict = true): string[] {
  const re = strict ? /(?<!`)`([^`\n]+)`(?!`)/g : /`([^`]+)`/g;
  const out: string[] = [];
  for (const m of line.matchAll(re)) out.push(m[1]);
  return out;
}

export interface NamedPath {
  path: string;
  /** Written without backticks (prose), so held to a stricter rule for scope. */
  bare: boolean;
}

export interface NamedPathOptions {
  /** Only single-backtick spans (the default reads any run of backticks). */
  strict?: boolean;
  /** Read path tokens outside backticks too (the default); false: backticks and links only. */
  bare?: boolean;
  /** The spec file the line is in: link targets `./x`, `../x` and bare names are read from its folder. */
  file?: string;
}

/**
 * The paths a line names: backticked paths, markdown link targets in the repository (see
 * linkTargets) and, unless `bare` is false, bare path tokens (spec-kit and OpenSpec task
 * lines, Impact and Scope sections). Backslash separators become `/`, location suffixes
 * (`:42`, `#L10`, `::test_x`) are dropped. Nothing in an HTML comment is named.
 */
export function namedPaths(text: string, opts: NamedPathOptions | boolean = {}): NamedPath[] {
  const { strict = false, bare = true, file } = typeof opts === 'boolean' ? { strict: opts } : opts;
  const line = withoutComments(text);
  const out: NamedPath[] = [];
  for (const span of backtickSpans(line, strict)) {
    const p = cleanNamedPath(span);
    if (looksLikePath(p) || spacedSpanPath(p)) out.push({ path: p, bare: false });
  }
  const prose = line.replace(strict ? /(?<!`)`[^`\n]+`(?!`)/g : /`[^`]*`/g, ' ');
  for (const p of linkTargets(prose, file)) out.push({ path: p, bare: false });
  if (bare) {
    for (const tok of prose.split(/\s+/)) {
      const p = barePath(tok);
      if (p) out.push({ path: p, bare: true });
    }
  }
  return createdIn(line, out);
}

/**
 * `Create X.kt (and Y.kt) … in dir/`: the one file `dir/X.kt`, not every `X.kt` and all of
 * `dir/`. A verb that makes or puts a file before the name (not `move`: its source changes
 * too), at most three words between the name and `in`/`into`/`under`/`inside`, and a folder
 * ending in `/`.
 */
const CREATED_IN =
  /\b(?:create|add|put|place|write|save)s?\s+(?:(?:a|an|the|new|file)\s+){0,3}(`?)([\w@+-][\w.@+-]*\.[A-Za-z0-9]+)\1((?:\s*(?:,|\band\b|\bor\b)\s*`?[\w@+-][\w.@+-]*\.[A-Za-z0-9]+`?)*)(?:\s+[A-Za-z]+){0,3}\s+(?:in|into|under|inside)\s+(?:the\s+)?(`?)((?:\.\/)?[\w@+.-]+(?:\/[\w@+.-]+)*\/)\4/gi;

function createdIn(line: string, found: NamedPath[]): NamedPath[] {
  if (!/\b(?:in|into|under|inside)\b/i.test(line)) return found;
  let out = found;
  for (const m of line.matchAll(CREATED_IN)) {
    const folder = cleanNamedPath(m[5]!);
    const names = [m[2]!, ...[...(m[3] ?? '').matchAll(/[\w@+-][\w.@+-]*\.[A-Za-z0-9]+/g)].map((n) => n[0])];
    if (!out.some((p) => p.path === folder) || !names.every((n) => out.some((p) => p.path === n))) continue;
    // One mention each is taken (the folder may be named again on the line for itself).
    const taken = new Set([folder, ...names]);
    out = [
      ...out.filter((p) => !taken.delete(p.path)),
      ...names.map((n) => ({ path: `${folder}${n}`, bare: false })),
    ];
  }
  return out;
}

export function pathsInLine(line: string, strict = false): string[] {
  return namedPaths(line, strict).map((n) => n.path);
}

/** Absolute, home-relative or outside-the-repository paths. */
export function isNonRepoPath(p: string): boolean {
  return /^(?:\/|~|\$|%|[A-Za-z]:[\\/]|\\\\)/.test(p) || p === '..' || p.startsWith('../') || p.includes('/../');
}

/** Expands `a/{b,c}.ts` (nested too) into every alternative; caps the count. */
export function expandBraces(p: string, limit = 64): string[] {
  const open = p.indexOf('{');
  if (open < 0) return [p];
  let depth = 0;
  let close = -1;
  const commas: number[] = [];
  for (let i = open; i < p.length; i++) {
    const ch = p[i];
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    } else if (ch === ',' && depth === 1) commas.push(i);
  }
  if (close < 0 || commas.length === 0) return [p];
  const head = p.slice(0, open);
  const tail = p.slice(close + 1);
  const parts: string[] = [];
  let from = open + 1;
  for (const c of [...commas, close]) {
    parts.push(p.slice(from, c));
    from = c + 1;
  }
  const out: string[] = [];
  for (const part of parts) {
    for (const e of expandBraces(head + part + tail, limit)) {
      out.push(e);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/**
 * Whether every `$` in `p` is a route parameter of Remix or TanStack Router in its file name
 * (`app/routes/$slug.tsx`, `blog.$slug.tsx`, `($lang).about.tsx`, the splat `$.tsx`), not a
 * shell variable (`build/$VERSION/x.js`).
 */
function dollarsOk(p: string): boolean {
  if (!p.includes('$')) return true;
  const cut = p.lastIndexOf('/');
  const name = p.slice(cut + 1);
  return cut > 0 && !p.slice(0, cut).includes('$') && HAS_EXT.test(name) && !name.replace(/(^|[.(])\$(?:[a-z]\w*)?(?=[.)])/g, '$1').includes('$');
}

/** A named path as a glob that matches only it: brackets and parentheses escaped (`app/\[id\]/page.tsx`). */
export function literalGlob(p: string): string {
  return p.replace(/[[\]()]/g, '\\$&');
}

/**
 * A scope glob as a reader sees it: one whose brackets and parentheses are all escaped, with
 * no other escape (what literalGlob makes of a path the spec names, or an escaped front
 * matter entry), shows them as the path's own characters (`app/blog/\[slug\]/page.tsx` →
 * `app/blog/[slug]/page.tsx`, `app/\(shop\)/**` → `app/(shop)/**`); any other glob shows as
 * written (`src/**\/*.ts`, a front matter `app/[slug]/page.tsx`). Matching keeps the glob.
 */
export function shownGlob(glob: string): string {
  if (!glob.includes('\\')) return glob;
  for (const m of glob.matchAll(/\\[^]?|[[\]()]/g)) if (!/^\\[[\]()]$/.test(m[0])) return glob;
  return glob.replace(/\\([[\]()])/g, '$1');
}

/**
 * Scope globs for a path named in a spec, or [] when it is not a repository path:
 * `src/` → `src/**`; `src/x` (no extension) → `src/x` and `src/x/**`; a bare name
 * `util.ts` or `*.cpp` → `**\/util.ts`, but `./Makefile` (written from the root) →
 * `Makefile`; braces expand; brackets and parentheses are the path's own characters
 * (route segments such as `[slug]` or `(group)`) and are escaped, so
 * `app/blog/[slug]/page.tsx` → `app/blog/\[slug\]/page.tsx`, which matches that file only;
 * absolute, home, URL, npm-scope, placeholder (`{AppBaseDir}/x`), shell-variable and
 * all-capitals slash words (`A/B/C`, `ON/OFF`; not when written from the root, `./LICENSE`)
 * give nothing. A `bare` (un-backticked) token must end in `/` or name a file: prose such as
 * `low/medium/high` is not scope. A `rooted` name (a tree's top level) stays at the root.
 * A location after a file name (`src/a.ts:42`, `#L10-L20`, `::test_x`) is dropped and `\`
 * separators become `/` (see cleanNamedPath).
 */
export function toScopeGlobs(raw: string, bare = false, rooted = false): string[] {
  const trimmed = raw.trim();
  const inner = unwrapQuotes(trimmed);
  const written = cleanNamedPath(inner ?? trimmed.replace(/^['"`]+|['"`]+$/g, ''));
  // Spaces only in a quoted path that ends like one (see spacedPathOk), or in a span that is
  // one path as a whole (see spacedSpanPath); no other whitespace.
  if (/\s/.test(written) && (inner === undefined || !spacedPathOk(inner)) && !spacedSpanPath(written)) return [];
  // Quotes inside a path quote a part of it (`config/'legacy'/**` is config/legacy/**); a
  // folder really named with `'` is kept as well, as written (a glob takes `'` as is, but
  // reads `"…"` as quoting).
  const unquoted = written.replace(/["']/g, '');
  const out = globsFor(unquoted, bare, rooted);
  if (out.length > 0 && written !== unquoted && !written.includes('"')) for (const g of globsFor(written, bare, rooted)) if (!out.includes(g)) out.push(g);
  return out;
}

function globsFor(p: string, bare: boolean, rooted: boolean): string[] {
  if (!p || p.includes('://') || p.includes('\\')) return [];
  if (isNonRepoPath(p) || p.startsWith('@')) return [];
  const fromRoot = p.startsWith('./');
  if (!fromRoot && !isKnownName(p) && !/[a-z]/.test(p) && !/\.[A-Za-z0-9]+$/.test(p)) return [];
  if (/\{[^{},]*\}/.test(p) || /[<>%]/.test(p) || !dollarsOk(p)) return [];
  if (bare && !p.endsWith('/') && !/[.*]/.test(p.slice(p.lastIndexOf('/') + 1))) return [];
  const out: string[] = [];
  for (let e of expandBraces(p)) {
    while (e.startsWith('./')) e = e.slice(2);
    e = e.replace(/\/{2,}/g, '/');
    if (!e || e === '.' || e === '/' || isNonRepoPath(e) || /(^|\/)\.\.?(\/|$)/.test(e)) continue;
    if (e.endsWith('/')) {
      out.push(`${e}**`);
      continue;
    }
    const slash = e.includes('/');
    const last = e.slice(e.lastIndexOf('/') + 1);
    const globby = /[*?{}]/.test(last);
    if (!slash) {
      // At the root unless a leading `!` would make the glob an exclusion.
      out.push(e.startsWith('**') || ((rooted || fromRoot) && !e.startsWith('!')) ? e : `**/${e}`);
    } else if (!globby && !last.includes('.')) {
      out.push(e, `${e}/**`);
    } else {
      out.push(e);
    }
  }
  return [...new Set(out.map(literalGlob))];
}

/**
 * A line with its HTML comments (`<!-- … -->`, opened and closed on it) blanked: the rendered
 * page shows nothing of them, so a path in one is not named.
 */
export function withoutComments(line: string): string {
  if (!line.includes('<!--')) return line;
  // Read left to right as CommonMark does: a code span that starts first holds any `<!--` in
  // it as text (`` `<!--` `src/secret/**` `-->` `` shows three code spans), and a comment that
  // starts first holds any backticks.
  let out = '';
  let i = 0;
  while (i < line.length) {
    const tick = line.indexOf('`', i);
    const open = line.indexOf('<!--', i);
    if (open < 0) break;
    if (tick >= 0 && tick < open) {
      const run = /^`+/.exec(line.slice(tick))![0];
      const close = closingRun(line, tick + run.length, run.length);
      if (close >= 0) {
        out += line.slice(i, close + run.length);
        i = close + run.length;
        continue;
      }
      // No closing run: the backticks are text.
      out += line.slice(i, tick + run.length);
      i = tick + run.length;
      continue;
    }
    const end = line.indexOf('-->', open + 4);
    if (end < 0) break;
    out += `${line.slice(i, open)} `;
    i = end + 3;
  }
  return out + line.slice(i);
}

/** Where a backtick run of exactly `n` starts at or after `from` (-1: none). */
function closingRun(line: string, from: number, n: number): number {
  for (let k = line.indexOf('`', from); k >= 0; k = line.indexOf('`', k)) {
    let e = k;
    while (line[e] === '`') e++;
    if (e - k === n) return k;
    k = e;
  }
  return -1;
}

/** Files that list patterns (`.env`, `*.log`, `dist/`): a task that edits one names its entries too. */
export const IGNORE_FILE = /(?:^|\/)\.(?:git|docker|npm|eslint|prettier|stylelint|gcloud|helm|vscode|slug|cf)ignore$/;

/**
 * The paths a task names but those that are entries of an ignore file it names too
 * (`Create .gitignore: todo.db, .venv, htmlcov/, .env`): names with no folder, which it
 * writes into that file as patterns, not files it changes.
 */
export function withoutIgnoreEntries<T extends { path: string }>(named: readonly T[]): T[] {
  if (!named.some((n) => IGNORE_FILE.test(n.path))) return [...named];
  return named.filter((n) => IGNORE_FILE.test(n.path) || n.path.startsWith('./') || n.path.replace(/\/+$/, '').includes('/'));
}
