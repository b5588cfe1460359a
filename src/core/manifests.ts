// The dependencies a package manifest declares, read from its text: package.json's lists,
// requirements*.txt, pyproject.toml ([project] and Poetry), go.mod's require lines,
// Cargo.toml's dependency tables, Pipfile's [packages] and [dev-packages], and a Gemfile's
// `gem` lines. Line-based and forgiving: a manifest that does not read
// gives nothing, never an error. Lockfiles are not manifests (see lockfiles.ts).
// Where a dependency comes from when that is not the registry (an `npm:` alias, git, a URL,
// a local path) is read too, and so are the entries that point packages elsewhere: a package
// index (`--extra-index-url`, a Pipfile `[[source]]`, a Gemfile `source`), Cargo's
// `[patch.<registry>]` and go.mod's `replace` directives, each as a list of its own
// (`index`, `patch.crates-io`, `replace`).

/** One declared dependency: its list (`dependencies`, `devDependencies`, `require`, …), name, version spec as written, and 1-based line; where it comes from when that is not the registry. */
export interface Declared {
  list: string;
  name: string;
  version: string;
  line: number;
  source?: Source;
  /**
   * A requirement by URL or path that says no package name (no `name @`, no `#egg=`, no
   * wheel's or sdist's file name): pip learns the name only from what it installs. Its `name`
   * is then where it comes from (`git+https://github.com/me/tool.git`, `./libs/x`).
   */
  nameless?: boolean;
}

/**
 * Where a dependency comes from, other than its registry: `alias`, another package of the
 * registry under this name (`npm:lodash-es@^4`); `git`, a git repository; `url`, an archive
 * at a URL; `path`, a folder or file on disk; `module`, another Go module (a fork, by a
 * `replace` directive); `index`, a package index (the entries of the `index` list).
 */
export interface Source {
  kind: 'alias' | 'git' | 'url' | 'path' | 'module' | 'index';
  /** The repository, URL, path, package or module, without its revision (credentials in a URL masked). */
  where: string;
  /** Which revision of it: a git branch, tag or commit, an alias's or module's version; `` for none. */
  ref: string;
}

/** The lists that are no dependencies of their own but point packages elsewhere. */
export const INDEX_LIST = 'index';
export const REPLACE_LIST = 'replace';
export const isPatchList = (list: string): boolean => list.startsWith('patch.');

/** A URL with the user and password it carries masked (`https://***@host/…`); an SSH `git@` user is kept. */
export function maskedUrl(url: string): string {
  return url.replace(/(\/\/)([^/@\s]+)@/, (all, slashes: string, user: string) => (user === 'git' ? all : `${slashes}***@`));
}

/** A URL's host, for a package index (`pypi.internal.example.com`), else the URL itself. */
function hostOf(url: string): string {
  return /^[a-z+]+:\/\/(?:[^/@\s]*@)?([^/:\s?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? url;
}

/** A git URL's revision (`…repo.git@v1.2`, `…repo#main`), split from the repository. */
function gitRef(url: string): Source {
  const hash = url.indexOf('#');
  let where = hash >= 0 ? url.slice(0, hash) : url;
  let ref = hash >= 0 ? url.slice(hash + 1).replace(/(?:^|&)(?:egg|subdirectory)=[^&]*/g, '').replace(/^&/, '') : '';
  // pip's `@ref` after the path (not a user's `git@` or `token@` before the host).
  const at = /^(.*\/\/[^/]*\/.*?|[^:]*:.*?)@([^/@]+)$/.exec(where);
  if (at) {
    where = at[1]!;
    ref = ref || at[2]!;
  }
  return { kind: 'git', where: maskedUrl(where), ref };
}

/** Where a URL or path (pip's, a PEP 508 direct reference, a TOML `git`/`url`/`path` value) points: git, an archive, or a local path. */
export function urlSource(u: string): Source {
  const t = u.trim();
  if (/^(?:git\+|git:\/\/|git@|ssh:\/\/)/i.test(t) || /^https?:\/\/[^#]*\.git(?:[@#/]|$)/i.test(t)) return gitRef(t.replace(/^git\+/i, ''));
  if (/^file:/i.test(t) || !/^[a-z][a-z0-9+.-]*:/i.test(t)) return { kind: 'path', where: t.replace(/^file:(?:\/\/)?/i, ''), ref: '' };
  return { kind: 'url', where: maskedUrl(t), ref: '' };
}

/** An npm version spec's source, when it is not a registry version: `npm:` alias, git (`git+…`, `github:…`, `user/repo`), a tarball URL, `file:`/`link:`/a path. */
export function npmSource(spec: string): Source | undefined {
  const t = spec.trim();
  const alias = /^npm:((?:@[^/@\s]+\/)?[^@\s]+)(?:@(.*))?$/.exec(t);
  if (alias) return { kind: 'alias', where: alias[1]!, ref: alias[2] ?? '' };
  if (/^(?:github|gitlab|bitbucket|gist):/i.test(t) || /^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(t)) {
    const hash = t.indexOf('#');
    return { kind: 'git', where: hash >= 0 ? t.slice(0, hash) : t, ref: hash >= 0 ? t.slice(hash + 1) : '' };
  }
  if (/^(?:git\+|git:\/\/|git@|ssh:\/\/)/i.test(t)) return urlSource(t);
  if (/^https?:\/\//i.test(t)) return { kind: 'url', where: maskedUrl(t), ref: '' };
  if (/^(?:file|link|portal):/i.test(t)) return { kind: 'path', where: t.replace(/^(?:file|link|portal):/i, ''), ref: '' };
  if (/^(?:\.{1,2}\/|~\/|\/)/.test(t)) return { kind: 'path', where: t, ref: '' };
  return undefined;
}

/** A TOML inline table's (or a dependency table's keys') source: `git` with `branch`/`tag`/`rev`, `path`, Poetry's `url`, Pipfile's `file`. */
function tomlSource(value: string): Source | undefined {
  const key = (k: string) => new RegExp(`(?:^|[{,\\s])${k}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(value);
  const v = (m: RegExpExecArray | null) => (m ? (m[1] ?? m[2]!) : undefined);
  const git = v(key('git'));
  if (git !== undefined) {
    const ref = (['branch', 'tag', 'rev', 'ref'] as const).map((k) => [k, v(key(k))] as const).find(([, r]) => r !== undefined);
    return { ...gitRef(git.replace(/^git\+/i, '')), ...(ref ? { ref: `${ref[0]} = ${ref[1]}` } : {}) };
  }
  const path = v(key('path'));
  if (path !== undefined) return { kind: 'path', where: path, ref: '' };
  const url = v(key('url')) ?? v(key('file'));
  return url !== undefined ? urlSource(url) : undefined;
}

/** The public indexes a Pipfile's `[[source]]` or a Gemfile's `source` names as boilerplate: not read as entries. */
const PUBLIC_INDEX = /^(?:pypi\.org|pypi\.python\.org|files\.pythonhosted\.org|rubygems\.org|gems\.rubygems\.org)$/;

/** An index entry: its host is its name, the option or key and URL its version; none for a public index written as a manifest's boilerplate (`!how`). */
function indexEntry(how: string, url: string, line: number): Declared[] {
  if (!how && PUBLIC_INDEX.test(hostOf(url))) return [];
  return [indexOne(how, url, line)];
}

function indexOne(how: string, url: string, line: number): Declared {
  const u = maskedUrl(url);
  return { list: INDEX_LIST, name: hostOf(url), version: how ? `${how} ${u}` : u, line, source: { kind: 'index', where: u, ref: '' } };
}

const PACKAGE_JSON = /(?:^|\/)package\.json$/;
const REQUIREMENTS = /(?:^|\/)requirements[^/]*\.(?:txt|in)$/;
const PYPROJECT = /(?:^|\/)pyproject\.toml$/;
const GO_MOD = /(?:^|\/)go\.mod$/;
const CARGO = /(?:^|\/)Cargo\.toml$/;
const PIPFILE = /(?:^|\/)Pipfile$/;
/** Bundler's Gemfile, or `gems.rb`, its other name. */
const GEMFILE = /(?:^|\/)(?:Gemfile|gems\.rb)$/;

/** Whether a path is a manifest whose dependencies this module reads (the change set should carry its texts). */
export function isDependencyManifest(path: string): boolean {
  return PACKAGE_JSON.test(path) || REQUIREMENTS.test(path) || PYPROJECT.test(path) || GO_MOD.test(path) || CARGO.test(path) || PIPFILE.test(path) || GEMFILE.test(path);
}

/** The dependencies of a manifest's text, or undefined when the text does not read as one (bad JSON). */
export function declaredDependencies(path: string, text: string): Declared[] | undefined {
  if (PACKAGE_JSON.test(path)) return packageJson(text);
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (REQUIREMENTS.test(path)) return requirementsTxt(lines);
  if (PYPROJECT.test(path)) return pyproject(lines);
  if (GO_MOD.test(path)) return goMod(lines);
  if (CARGO.test(path)) return cargo(lines);
  if (PIPFILE.test(path)) return pipfile(lines);
  if (GEMFILE.test(path)) return gemfile(lines);
  return [];
}

export const NPM_LISTS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'resolutions'];

function packageJson(text: string): Declared[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return [];
  const lines = text.split('\n');
  const out: Declared[] = [];
  for (const list of NPM_LISTS) {
    const deps = (json as Record<string, unknown>)[list];
    if (!deps || typeof deps !== 'object' || Array.isArray(deps)) continue;
    // The list's key, then each name below it: the first line naming it after the key.
    const keyLine = lines.findIndex((l) => new RegExp(`^\\s*"${list}"\\s*:`).test(l));
    for (const [name, v] of Object.entries(deps as Record<string, unknown>)) {
      // An npm override may be an object (`"foo": { ".": "1.0.0", "bar": "2.0.0" }`): its own version, or the object as written.
      const version = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Record<string, unknown>)['.'] === 'string' ? ((v as Record<string, unknown>)['.'] as string) : JSON.stringify(v);
      const quoted = `"${name}"`;
      let at = -1;
      for (let i = Math.max(0, keyLine); i < lines.length; i++) {
        if (lines[i]!.includes(quoted)) {
          at = i;
          break;
        }
      }
      const source = typeof v === 'string' ? npmSource(v) : undefined;
      out.push({ list, name, version, line: at >= 0 ? at + 1 : keyLine >= 0 ? keyLine + 1 : 1, ...(source ? { source } : {}) });
    }
  }
  return out;
}

/** A PEP 508 requirement: name, extras, the version spec (markers and comments aside). */
const PEP508 = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

function pep508(text: string): { name: string; version: string; source?: Source } | undefined {
  const m = PEP508.exec(text.replace(/\s+#.*$/, '').replace(/;.*$/, ''));
  if (!m) return undefined;
  const version = m[2]!.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
  // A direct reference: `name @ git+https://…`, `name @ https://…/x.whl`, `name @ file:///…`.
  if (version.startsWith('@')) {
    const url = maskedUrl(m[2]!.trim().slice(1).trim());
    return { name: m[1]!, version: url, source: urlSource(url) };
  }
  return { name: m[1]!, version };
}

/** A wheel's file name: `name-1.0(-build)-py3-none-any.whl`, its name with `_` for `-`. */
const WHEEL = /^([A-Za-z0-9](?:[A-Za-z0-9._]*[A-Za-z0-9])?)-\d[^/-]*(?:-[^/-]+){3,4}\.whl$/i;
/** An sdist's file name: `name-1.0.tar.gz` (`.zip`, `.tar.bz2`, `.tar.xz`, `.tgz`), the name up to the version. */
const SDIST = /^([A-Za-z0-9](?:[\w.-]*?[A-Za-z0-9])?)-\d[\w.!+]*\.(?:tar\.gz|tar\.bz2|tar\.xz|zip|tgz|tbz)$/i;

/**
 * The name a requirement by URL or path says it has: `#egg=name`, else a wheel's or an
 * sdist's file name (`…/foo_bar-1.0-py3-none-any.whl`, `…/foo-bar-1.0.tar.gz`). Nothing else
 * names it: a repository's or folder's last part, or a URL's (`…/pkgs/download`), is no
 * package name, so there is none (see Declared.nameless).
 */
function nameOfLocation(loc: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][\w.-]*)/.exec(loc)?.[1];
  if (egg) return egg.replace(/-\d.*$/, '');
  const last = loc.replace(/[#?].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  return WHEEL.exec(last)?.[1] ?? SDIST.exec(last)?.[1];
}

/** What a requirement with no package name goes by: where it comes from, without its revision or fragment (`git+https://github.com/me/tool.git`), credentials masked. */
function locationName(loc: string, source: Source): string {
  if (source.kind === 'git') return `${/^git\+/i.test(loc) ? 'git+' : ''}${source.where}`;
  return maskedUrl(loc.replace(/#.*$/, ''));
}

function requirementsTxt(lines: string[]): Declared[] {
  const out: Declared[] = [];
  lines.forEach((l, i) => {
    const t = l.replace(/(?:^|\s)#(?!egg=).*$/, '').trim();
    if (t === '') return;
    // A package index or a place to find packages: `--index-url URL`, `-i URL`, `--extra-index-url=URL`, `--find-links`.
    const index = /^(--index-url|--extra-index-url|-i|--find-links|-f)(?:\s*=\s*|\s+)(\S+)$/.exec(t);
    if (index) {
      out.push(...indexEntry(index[1] === '-i' ? '--index-url' : index[1] === '-f' ? '--find-links' : index[1]!, index[2]!, i + 1));
      return;
    }
    // A requirement by URL or path, editable or not: `-e git+https://…#egg=x`, `git+https://…`, `./libs/x`, `https://…/x-1.0.whl`; `-e .` is the project itself.
    const loc = /^(?:(?:-e|--editable)(?:\s*=\s*|\s+))?((?:[a-z][a-z0-9+.-]*:\/\/|git@|\.{1,2}\/|\/|~\/|file:)\S*)$/i.exec(t)?.[1] ?? /^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)$/.exec(t)?.[1];
    if (loc) {
      // `-e .`: the project itself, no dependency of it.
      if (/^\.\/?$/.test(loc)) return;
      const source = urlSource(loc);
      const name = nameOfLocation(loc);
      out.push({ list: 'requirements', name: name ?? locationName(loc, source), version: maskedUrl(loc), line: i + 1, source, ...(name ? {} : { nameless: true }) });
      return;
    }
    // Other options (`-r base.txt`, `-c constraints.txt`) are not requirements.
    if (t.startsWith('-')) return;
    const r = pep508(t);
    if (r) out.push({ list: 'requirements', ...r, line: i + 1 });
  });
  return out;
}

const TABLE = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/;
/** `name = "1.2"`, `name = { version = "1.2", … }`, a quoted key too. */
const KEY_VALUE = /^\s*"?([A-Za-z0-9][\w.-]*)"?\s*=\s*(.*?)\s*$/;

/** A TOML value's version: a string, or an inline table's `version`, or the table as written (git, path). */
function tomlVersion(value: string): string {
  const s = /^"([^"]*)"|^'([^']*)'/.exec(value);
  if (s) return s[1] ?? s[2]!;
  const v = /\bversion\s*=\s*"([^"]*)"/.exec(value);
  if (v) return v[1]!;
  return value.replace(/\s+#.*$/, '').replace(/\s+/g, ' ');
}

function pyproject(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let table = '';
  // uv's `[tool.uv.sources]`: where a dependency of the lists above comes from (set on it once all are read).
  const uvSources = new Map<string, Source>();
  // Inside a `dependencies = [` array (PEP 621) or a `[project.optional-dependencies]` group's array.
  let array: string | undefined;
  lines.forEach((l, i) => {
    if (array !== undefined) {
      for (const m of l.matchAll(/"([^"]+)"|'([^']+)'/g)) {
        const r = pep508(m[1] ?? m[2]!);
        if (r) out.push({ list: array, ...r, line: i + 1 });
      }
      if (/\]\s*(?:#.*)?$/.test(l.replace(/"[^"]*"|'[^']*'/g, ''))) array = undefined;
      return;
    }
    const t = TABLE.exec(l);
    if (t) {
      table = t[1]!.replace(/\s+/g, '');
      return;
    }
    const kv = KEY_VALUE.exec(l);
    if (!kv) return;
    const [, key, value] = kv;
    const arrayList = table === 'project' && key === 'dependencies' ? 'project.dependencies' : table === 'project.optional-dependencies' ? `optional-dependencies.${key}` : table === 'dependency-groups' ? `dependency-groups.${key}` : undefined;
    if (arrayList !== undefined && value!.startsWith('[')) {
      for (const m of value!.matchAll(/"([^"]+)"|'([^']+)'/g)) {
        const r = pep508(m[1] ?? m[2]!);
        if (r) out.push({ list: arrayList, ...r, line: i + 1 });
      }
      if (!/\]\s*(?:#.*)?$/.test(value!.replace(/"[^"]*"|'[^']*'/g, ''))) array = arrayList;
      return;
    }
    // Poetry: [tool.poetry.dependencies], [tool.poetry.dev-dependencies], [tool.poetry.group.<g>.dependencies].
    if (/^tool\.poetry\.(?:dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/.test(table) && key !== 'python') {
      const source = value!.startsWith('{') ? tomlSource(value!) : undefined;
      out.push({ list: table.replace(/^tool\./, ''), name: key!, version: tomlVersion(value!), line: i + 1, ...(source ? { source } : {}) });
    } else if (table === 'tool.uv.sources' && value!.startsWith('{')) {
      const source = tomlSource(value!);
      if (source) uvSources.set(normalPy(key!), source);
    } else if ((table === 'tool.poetry.source' || table === 'tool.uv.index') && key === 'url') {
      // A package index: `[[tool.poetry.source]]`, `[[tool.uv.index]]`.
      out.push(...indexEntry('', tomlVersion(value!), i + 1));
    }
  });
  for (const d of out) {
    const source = d.list !== INDEX_LIST ? uvSources.get(normalPy(d.name)) : undefined;
    if (source) d.source = source;
  }
  return out;
}

/** A Python project name as compared (PEP 503): `-`, `_`, `.` one, any case. */
const normalPy = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

function goMod(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let block: 'require' | 'replace' | undefined;
  lines.forEach((l, i) => {
    const t = l.replace(/\/\/(?!\s*indirect).*$/, '').trim();
    if (block) {
      if (t === ')') block = undefined;
      else if (block === 'require') require(t, i);
      else replace(t, i);
      return;
    }
    const open = /^(require|replace)\s*\($/.exec(t);
    if (open) block = open[1] as 'require' | 'replace';
    else if (t.startsWith('require ')) require(t.slice('require '.length).trim(), i);
    else if (t.startsWith('replace ')) replace(t.slice('replace '.length).trim(), i);
  });
  // `replace old [v1.2.3] => new v1.2.4` or `=> ../local`: every use of the old module gets the new one. Its list is `replace`, its name the old module.
  function replace(t: string, i: number): void {
    const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(t);
    if (!m) return;
    const local = /^(?:\.{1,2}\/|\/)/.test(m[3]!) || m[4] === undefined;
    const source: Source = local ? { kind: 'path', where: m[3]!, ref: '' } : { kind: 'module', where: m[3]!, ref: m[4]! };
    out.push({ list: REPLACE_LIST, name: m[1]!, version: `${m[2] ? `${m[2]} ` : ''}=> ${m[3]}${m[4] ? ` ${m[4]}` : ''}`, line: i + 1, source });
  }
  // An `// indirect` requirement is the module graph's, written by `go mod tidy` as a lockfile is: not read.
  function require(t: string, i: number): void {
    if (/\/\/\s*indirect/.test(t)) return;
    const m = /^(\S+)\s+(\S+)/.exec(t);
    if (m) out.push({ list: 'require', name: m[1]!, version: m[2]!, line: i + 1 });
  }
  return out;
}

/** `[patch.crates-io]`, `[patch."https://github.com/…"]`: the list `patch.<registry or URL>`. */
const CARGO_PATCH = /^patch\.(?:"([^"]+)"|'([^']+)'|([\w.-]+?))(?:\.("?)([\w.-]+)\4)?$/;

function cargo(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let table = '';
  // `[dependencies.serde]`: a dependency as a table of its own, its version and source on lines below.
  let own: Declared | undefined;
  let ownKeys: string[] = [];
  const endOwn = () => {
    if (!own) return;
    const source = tomlSource(ownKeys.join(', '));
    if (source) own.source = source;
    if (own.version === '' && source) own.version = `{ ${ownKeys.join(', ')} }`;
  };
  lines.forEach((l, i) => {
    const t = TABLE.exec(l);
    if (t) {
      endOwn();
      table = t[1]!.replace(/\s+/g, '');
      const m = /^(?:(?:target\..+|workspace)\.)?((?:dev-|build-)?dependencies)\.("?)([\w.-]+)\2$/.exec(table);
      const patch = CARGO_PATCH.exec(table);
      own = m ? { list: m[1]!, name: m[3]!, version: '', line: i + 1 } : patch?.[5] !== undefined ? { list: `patch.${patch[1] ?? patch[2] ?? patch[3]}`, name: patch[5], version: '', line: i + 1 } : undefined;
      ownKeys = [];
      if (own) out.push(own);
      return;
    }
    const kv = KEY_VALUE.exec(l);
    if (!kv) return;
    if (own) {
      if (kv[1] === 'version') own.version = tomlVersion(kv[2]!);
      ownKeys.push(`${kv[1]} = ${kv[2]!.replace(/\s+#.*$/, '')}`);
      return;
    }
    const patch = CARGO_PATCH.exec(table);
    const list = /^(?:(?:target\..+|workspace)\.)?((?:dev-|build-)?dependencies)$/.exec(table)?.[1] ?? (patch && patch[5] === undefined ? `patch.${patch[1] ?? patch[2] ?? patch[3]}` : undefined);
    if (!list) return;
    const source = kv[2]!.startsWith('{') ? tomlSource(kv[2]!) : undefined;
    out.push({ list, name: kv[1]!, version: tomlVersion(kv[2]!), line: i + 1, ...(source ? { source } : {}) });
  });
  endOwn();
  return out;
}

/** Pipenv's Pipfile: `name = "*"`, `name = { version = ">=2", extras = [...] }`, `{ git = … }` in [packages] and [dev-packages] (not [requires]); a `[[source]]`'s `url` is a package index. */
function pipfile(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let table = '';
  lines.forEach((l, i) => {
    const t = TABLE.exec(l);
    if (t) {
      table = t[1]!.replace(/\s+/g, '').replace(/^"(.*)"$/, '$1');
      return;
    }
    const kv = KEY_VALUE.exec(l);
    // A package index: `[[source]]`'s `url`.
    if (table === 'source' && kv?.[1] === 'url') out.push(...indexEntry('', tomlVersion(kv[2]!), i + 1));
    if (!kv || (table !== 'packages' && table !== 'dev-packages')) return;
    const source = kv[2]!.startsWith('{') ? tomlSource(kv[2]!) : undefined;
    out.push({ list: table, name: kv[1]!, version: tomlVersion(kv[2]!), line: i + 1, ...(source ? { source } : {}) });
  });
  return out;
}

/** `gem 'rails', '~> 7.1'`, `gem("pg", ">= 0.18", "< 2.0", require: false)`: the name, then its quoted version arguments. */
const GEM = /^\s*gem\s*\(?\s*(['"])([^'"]+)\1\s*(.*)$/;
/** Where a gem comes from when no version is given: `git:`, `github:`, `path:` (or `:git =>`) and its value. */
const GEM_SOURCE = /(?::?\b(?:git|github|gitlab|bitbucket|path|branch|ref|tag)\b(?::|\s*=>)\s*(?:'[^']*'|"[^"]*"))/g;

/** A Gemfile's `gem` lines, whatever group they sit in (all one list, `gems`): a move between groups is no change. */
function gemfile(lines: string[]): Declared[] {
  const out: Declared[] = [];
  lines.forEach((l, i) => {
    // A gem server: `source 'https://gems.example.com'` (with a block or not).
    const server = /^\s*source\s*\(?\s*(['"])(\w+:\/\/[^'"]+)\1/.exec(l);
    if (server) out.push(...indexEntry('', server[2]!, i + 1));
    const m = GEM.exec(l);
    if (!m) return;
    // The arguments, up to a trailing comment or an `if`/`unless` modifier (`#` and words inside quotes aside).
    let rest = m[3]!;
    const bare = rest.replace(/'[^']*'|"[^"]*"/g, (q) => '_'.repeat(q.length));
    const end = bare.search(/\s#|\s(?:if|unless)\s|\)\s*$/);
    if (end >= 0) rest = rest.slice(0, end);
    const versions: string[] = [];
    for (const a of rest.split(/\s*,\s*/).slice(1)) {
      const q = /^(['"])(.*)\1$/.exec(a.trim());
      if (!q) break;
      versions.push(q[2]!.trim());
    }
    const sources = [...rest.matchAll(GEM_SOURCE)].map((s) => s[0].replace(/^:/, ''));
    const version = versions.length > 0 ? versions.join(', ') : sources.join(', ');
    const source = gemSource(sources);
    out.push({ list: 'gems', name: m[2]!, version, line: i + 1, ...(source ? { source } : {}) });
  });
  return out;
}

/** A gem's `git:`/`github:`/`path:` source, with its `branch:`/`ref:`/`tag:`. */
function gemSource(args: string[]): Source | undefined {
  const value = (key: RegExp) => {
    const a = args.find((x) => key.test(x));
    return a ? /(['"])(.*)\1\s*$/.exec(a)?.[2] : undefined;
  };
  const ref = args.find((x) => /^(?:branch|ref|tag)\b/.test(x))?.replace(/\s*(?::|=>)\s*/, ' ') ?? '';
  const host = /^(github|gitlab|bitbucket)\b/.exec(args.find((x) => /^(?:github|gitlab|bitbucket)\b/.test(x)) ?? '')?.[1];
  if (host) return { kind: 'git', where: `${host}: ${value(/^(?:github|gitlab|bitbucket)\b/)}`, ref };
  const git = value(/^git\b/);
  if (git !== undefined) return { ...gitRef(git), ref };
  const path = value(/^path\b/);
  return path !== undefined ? { kind: 'path', where: path, ref: '' } : undefined;
}
