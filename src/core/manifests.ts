// The dependencies a package manifest declares, read from its text: package.json's lists,
// requirements*.txt, pyproject.toml ([project] and Poetry), go.mod's require lines,
// Cargo.toml's dependency tables, Pipfile's [packages] and [dev-packages], and a Gemfile's
// `gem` lines. Line-based and forgiving: a manifest that does not read
// gives nothing, never an error. Lockfiles are not manifests (see lockfiles.ts).

/** One declared dependency: its list (`dependencies`, `devDependencies`, `require`, …), name, version spec as written, and 1-based line. */
export interface Declared {
  list: string;
  name: string;
  version: string;
  line: number;
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
      out.push({ list, name, version, line: at >= 0 ? at + 1 : keyLine >= 0 ? keyLine + 1 : 1 });
    }
  }
  return out;
}

/** A PEP 508 requirement: name, extras, the version spec (markers and comments aside). */
const PEP508 = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/;

function pep508(text: string): { name: string; version: string } | undefined {
  const m = PEP508.exec(text.replace(/\s+#.*$/, '').replace(/;.*$/, ''));
  if (!m) return undefined;
  return { name: m[1]!, version: m[2]!.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1') };
}

function requirementsTxt(lines: string[]): Declared[] {
  const out: Declared[] = [];
  lines.forEach((l, i) => {
    const t = l.trim();
    // Comments, options (`-r base.txt`, `--index-url`, `-e .`) and URLs or paths are not named requirements.
    if (t === '' || t.startsWith('#') || t.startsWith('-') || /^[a-z+]+:\/\//i.test(t) || t.startsWith('.') || t.startsWith('/')) return;
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
      out.push({ list: table.replace(/^tool\./, ''), name: key!, version: tomlVersion(value!), line: i + 1 });
    }
  });
  return out;
}

function goMod(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let block = false;
  lines.forEach((l, i) => {
    const t = l.replace(/\/\/(?!\s*indirect).*$/, '').trim();
    if (block) {
      if (t === ')') block = false;
      else require(t, i);
      return;
    }
    if (/^require\s*\($/.test(t)) block = true;
    else if (t.startsWith('require ')) require(t.slice('require '.length).trim(), i);
  });
  // An `// indirect` requirement is the module graph's, written by `go mod tidy` as a lockfile is: not read.
  function require(t: string, i: number): void {
    if (/\/\/\s*indirect/.test(t)) return;
    const m = /^(\S+)\s+(\S+)/.exec(t);
    if (m) out.push({ list: 'require', name: m[1]!, version: m[2]!, line: i + 1 });
  }
  return out;
}

function cargo(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let table = '';
  // `[dependencies.serde]`: a dependency as a table of its own, its version on a line below.
  let own: Declared | undefined;
  lines.forEach((l, i) => {
    const t = TABLE.exec(l);
    if (t) {
      table = t[1]!.replace(/\s+/g, '');
      const m = /^(?:(?:target\..+|workspace)\.)?((?:dev-|build-)?dependencies)\.("?)([\w.-]+)\2$/.exec(table);
      own = m ? { list: m[1]!, name: m[3]!, version: '', line: i + 1 } : undefined;
      if (own) out.push(own);
      return;
    }
    const kv = KEY_VALUE.exec(l);
    if (!kv) return;
    if (own) {
      if (kv[1] === 'version') own.version = tomlVersion(kv[2]!);
      return;
    }
    const list = /^(?:(?:target\..+|workspace)\.)?((?:dev-|build-)?dependencies)$/.exec(table)?.[1];
    if (list) out.push({ list, name: kv[1]!, version: tomlVersion(kv[2]!), line: i + 1 });
  });
  return out;
}

/** Pipenv's Pipfile: `name = "*"`, `name = { version = ">=2", extras = [...] }`, `{ git = … }` in [packages] and [dev-packages] (not [requires] or [source]). */
function pipfile(lines: string[]): Declared[] {
  const out: Declared[] = [];
  let table = '';
  lines.forEach((l, i) => {
    const t = TABLE.exec(l);
    if (t) {
      table = t[1]!.replace(/\s+/g, '').replace(/^"(.*)"$/, '$1');
      return;
    }
    if (table !== 'packages' && table !== 'dev-packages') return;
    const kv = KEY_VALUE.exec(l);
    if (kv) out.push({ list: table, name: kv[1]!, version: tomlVersion(kv[2]!), line: i + 1 });
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
    const version = versions.length > 0 ? versions.join(', ') : [...rest.matchAll(GEM_SOURCE)].map((s) => s[0].replace(/^:/, '')).join(', ');
    out.push({ list: 'gems', name: m[2]!, version, line: i + 1 });
  });
  return out;
}
