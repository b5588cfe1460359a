// YAML front matter: the `scope`, `out_of_scope` and `protected` glob lists any spec file
// may declare. Bad YAML or a wrong shape is a problem, never an exception.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Scope, SpecProblem } from '../model';
import type { MdDoc } from './markdown';
import { codeSpan } from '../render/plainTitle';
import { CONFIG_PATH } from '../config';
import { isNegated } from '../globMatch';
import { yamlReason } from '../yamlError';

export interface FrontMatterScope {
  entries: { list: keyof Scope; glob: string; line: number }[];
  problems: SpecProblem[];
  data?: Record<string, unknown>;
}

const KEYS: Readonly<Record<string, keyof Scope>> = {
  scope: 'include',
  in_scope: 'include',
  out_of_scope: 'exclude',
  'out-of-scope': 'exclude',
  outOfScope: 'exclude',
  non_goals: 'exclude',
  protected: 'protected',
};

const SCOPE_KEY = /^(?:scope|in_scope|out_of_scope|out-of-scope|outOfScope|non_goals|protected)\s*:/m;

/**
 * Keys an author may write meaning one of KEYS (compared in lower case, without `-`, `_` or
 * spaces), and the key SpecGate reads for it. Left unread, `exclude: [infra/**]` would leave
 * infra in scope while its author believes it excluded.
 */
const MEANT: Readonly<Record<string, string>> = {
  scope: 'scope',
  scopes: 'scope',
  include: 'scope',
  includes: 'scope',
  included: 'scope',
  inscope: 'in_scope',
  exclude: 'out_of_scope',
  excludes: 'out_of_scope',
  excluded: 'out_of_scope',
  outofscope: 'out_of_scope',
  nongoal: 'non_goals',
  nongoals: 'non_goals',
  protect: 'protected',
  protected: 'protected',
  protectedpaths: 'protected',
};

/**
 * Whether the head of a markdown file opens with front matter declaring a scope key, or a
 * key that reads as one (`Scope:`, `include:`, `exclude:`; see MEANT) with globs for its
 * value: such a file is a spec whose problem names the key to write, rather than no spec.
 */
export function frontMatterDeclaresScope(head: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const m = /^---[ \t]*\r?\n([\s\S]*?)(?:^(?:---|\.\.\.)[ \t]*$|$(?![\s\S]))/m.exec(text);
  return !!m && m.index === 0 && declaresScopeKey(m[1]);
}

/** A top-level YAML key and the rest of its line. */
const TOP_KEY = /^([A-Za-z][\w -]{0,40}?)[ \t]*:(?:[ \t]+(.*))?$/;

/** Whether YAML text holds a scope key, or a near miss of one (see MEANT) whose value names a path or glob. */
function declaresScopeKey(yaml: string): boolean {
  if (SCOPE_KEY.test(yaml)) return true;
  const lines = yaml.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const k = TOP_KEY.exec(lines[i]!);
    if (!k || MEANT[k[1]!.toLowerCase().replace(/[-_\s]/g, '')] === undefined) continue;
    // The value: the rest of the line, or the indented (or `- `) lines under the key.
    let value = k[2] ?? '';
    for (let j = i + 1; j < lines.length && /^(?:[ \t]|-[ \t]|-$|$)/.test(lines[j]!); j++) value += `\n${lines[j]}`;
    if (globLike(value)) return true;
  }
  return false;
}

/** A YAML value that names a path or glob (`src/x/**`, `*.sql`, `[infra/]`), not `true` or a word. */
function globLike(value: string): boolean {
  return value.split(/[\s,[\]'"]+/).some((t) => !t.includes('://') && /[/*]|\.[A-Za-z]\w*$/.test(t) && /[A-Za-z0-9*]/.test(t));
}

export function readFrontMatter(doc: MdDoc, file: string): FrontMatterScope {
  const out: FrontMatterScope = { entries: [], problems: [] };
  if (doc.unclosedFrontMatter && declaresScopeKey(doc.lines.slice(1, 50).join('\n'))) {
    out.problems.push({ file, line: 1, message: 'front matter is not closed with a `---` (or `...`) line; its scope is ignored' });
    return out;
  }
  const fm = doc.frontMatter;
  if (!fm || !fm.yaml.trim()) return out;
  let data: unknown;
  try {
    data = parseYaml(fm.yaml, { prettyErrors: true, maxAliasCount: 100, uniqueKeys: false });
  } catch (err) {
    const line = err instanceof YAMLParseError && err.linePos ? err.linePos[0].line + fm.startLine : fm.startLine;
    const reason = yamlReason((err as Error).message);
    out.problems.push({ file, line, message: `front matter is not valid YAML (${reason}); its scope is ignored` });
    return out;
  }
  if (data === null || data === undefined) return out;
  if (typeof data !== 'object' || Array.isArray(data)) {
    out.problems.push({ file, line: fm.startLine, message: 'front matter is not a YAML mapping; its scope is ignored' });
    return out;
  }
  out.data = data as Record<string, unknown>;
  for (const [key, value] of Object.entries(out.data)) {
    const list = KEYS[key];
    if (!list) {
      const meant = MEANT[key.toLowerCase().replace(/[-_\s]/g, '')];
      if (meant !== undefined) {
        out.problems.push({
          file,
          line: keyLine(doc, fm.startLine, fm.endLine, key),
          message: `front matter ${codeSpan(key)} is not a key SpecGate reads, so its globs are ignored; write ${codeSpan(`${meant}:`)}`,
        });
      }
      continue;
    }
    const line = keyLine(doc, fm.startLine, fm.endLine, key);
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
    if (values === null || values.some((v) => typeof v !== 'string')) {
      out.problems.push({ file, line, message: `front matter ${codeSpan(key)} must be a glob or a list of globs` });
      continue;
    }
    for (const v of values as string[]) {
      const glob = normaliseGlob(v);
      // A spec is written by whoever writes the change, the assistant too: it may add
      // protected paths, never take one away (that belongs to the repository's config).
      if (list === 'protected' && glob !== null && isNegated(glob)) {
        out.problems.push({
          file,
          line,
          message: `front matter ${codeSpan(key)}: ${codeSpan(v.trim())} is ignored: a spec cannot un-protect a path; protected paths can be un-protected only in ${codeSpan(CONFIG_PATH)}`,
        });
        continue;
      }
      if (glob === null) {
        out.problems.push({ file, line, message: `front matter ${codeSpan(key)}: ${codeSpan(v)} is not a repository-relative glob` });
        continue;
      }
      out.entries.push({ list, glob, line });
    }
  }
  return out;
}

function keyLine(doc: MdDoc, start: number, end: number, key: string): number {
  for (let l = start; l <= end; l++) if (doc.lines[l - 1]?.startsWith(`${key}:`)) return l;
  return start;
}

/**
 * A front matter glob as the scope engine wants it, or null when it leaves the repository
 * or holds a backslash other than one escaping a bracket or parenthesis (`app/\(shop\)/**`).
 */
export function normaliseGlob(raw: string): string | null {
  const trimmed = raw.trim();
  // `!glob`: the glob normalised, then marked again (an exception to its list).
  if (isNegated(trimmed)) {
    const g = normaliseGlob(trimmed.slice(1));
    return g === null || isNegated(g) ? null : `!${g}`;
  }
  let g = trimmed;
  if (!g || /\\(?![[\]()])/.test(g) || /^(?:\/|~|\$|[A-Za-z]:)/.test(g) || /(^|\/)\.\.(\/|$)/.test(g) || g.includes('://')) return null;
  while (g.startsWith('./')) g = g.slice(2);
  if (!g) return null;
  if (g.endsWith('/')) g += '**';
  return g;
}
