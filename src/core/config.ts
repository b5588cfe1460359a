// `.specgate/config.yml`: thresholds, extra protected globs, approval policy, severity
// overrides and the paths never read as specs. Parsing is strict: an unknown key or a wrong
// type is a UsageError naming it.
import { isNegated, tooComplex } from './globMatch';
import { yamlReason } from './yamlError';
import { parseDocument } from 'yaml';
import { RULE_IDS, UsageError, type FindingKind, type Severity } from './model';

/** Where the config lives, repo-relative. */
export const CONFIG_PATH = '.specgate/config.yml';

export interface Thresholds {
  /** Share (0–1) of an existing file's lines removed and replaced that makes a mass rewrite. */
  massRewrite: number;
  /** Files shorter than this (old side, lines) are never mass rewrites. */
  massRewriteMinLines: number;
  /** Net lines removed from one file that make a large deletion. */
  largeDeletion: number;
}

export type SeverityOverride = Severity | 'off';

export interface Config {
  thresholds: Thresholds;
  /**
   * Extra protected globs, added to the defaults. One written `!glob` un-protects: a path is
   * protected when a default or extra glob matches it and no `!` glob does.
   */
  protected: string[];
  /** Whether the author of a change may approve it themselves. */
  allowSelfApproval: boolean;
  /** Severity per finding kind; `off` drops the kind. */
  severity: Partial<Record<FindingKind, SeverityOverride>>;
  /**
   * Globs of files spec discovery never reads (test fixtures, examples of other projects'
   * specs). Set, it replaces the defaults; `[]` reads everything.
   */
  ignoreSpecs: readonly string[];
}

/** Test data, where a spec with scope front matter is an example, not this repository's spec. */
export const DEFAULT_IGNORE_SPECS: readonly string[] = Object.freeze(['**/fixtures/**', '**/__fixtures__/**', '**/testdata/**']);

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze({
  thresholds: Object.freeze({ massRewrite: 0.6, massRewriteMinLines: 20, largeDeletion: 200 }),
  protected: [],
  allowSelfApproval: false,
  severity: {},
  ignoreSpecs: DEFAULT_IGNORE_SPECS,
}) as Readonly<Config>;

const TOP_KEYS = ['thresholds', 'protected', 'allowSelfApproval', 'severity', 'ignoreSpecs'];
const SEVERITIES = ['error', 'warning', 'info', 'off'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the text of a config file; empty text gives the defaults. */
export function parseConfig(text: string, file = '.specgate/config.yml'): Config {
  const fail = (msg: string): never => {
    throw new UsageError(`${file}: ${msg}`);
  };
  // A merge left its conflict markers in it: said as such, not as the YAML error they cause.
  const marker = /^(?:<{7}|={7}|>{7})(?: |\r?$)/m.exec(text);
  if (marker) fail(`has merge conflict markers (line ${text.slice(0, marker.index).split('\n').length}); resolve the conflict, then try again`);
  let data: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      // An error at the end of the input (an unclosed `[`) is placed after the last line feed: the last line.
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      const line = e.linePos?.[0]?.line === undefined ? undefined : Math.min(e.linePos[0].line, Math.max(1, lines));
      fail(`invalid YAML${line ? ` at line ${line}` : ''}: ${yamlReason(e.message)}`);
    }
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    fail(`invalid YAML: ${yamlReason((err as Error).message)}`);
  }
  const config: Config = {
    thresholds: { ...DEFAULT_CONFIG.thresholds },
    protected: [],
    allowSelfApproval: DEFAULT_CONFIG.allowSelfApproval,
    severity: {},
    ignoreSpecs: [...DEFAULT_IGNORE_SPECS],
  };
  if (data === null || data === undefined) return config;
  if (!isPlainObject(data)) fail(`must be a mapping of settings (${TOP_KEYS.join(', ')})`);
  const root = data as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (!TOP_KEYS.includes(key)) fail(`unknown key '${key}' (known: ${TOP_KEYS.join(', ')})`);
  }

  if (root.thresholds !== undefined && root.thresholds !== null) {
    if (!isPlainObject(root.thresholds)) fail(`'thresholds' must be a mapping`);
    const t = root.thresholds as Record<string, unknown>;
    for (const [key, value] of Object.entries(t)) {
      switch (key) {
        case 'massRewrite':
          if (typeof value !== 'number' || !(value > 0 && value <= 1)) fail(`'thresholds.massRewrite' must be a number between 0 and 1`);
          config.thresholds.massRewrite = value as number;
          break;
        case 'massRewriteMinLines':
        case 'largeDeletion':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(`'thresholds.${key}' must be a whole number of lines (1 or more)`);
          config.thresholds[key] = value as number;
          break;
        default:
          fail(`unknown key 'thresholds.${key}' (known: massRewrite, massRewriteMinLines, largeDeletion)`);
      }
    }
  }

  const globList = (key: 'protected' | 'ignoreSpecs'): string[] | undefined => {
    const value = root[key];
    if (value === undefined || value === null) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((g) => typeof g !== 'string' || g.trim() === '')) fail(`'${key}' must be a list of glob strings`);
    const globs = (list as string[]).map((g) => g.trim());
    // `!glob` takes paths out of the list; a `!` with no glob after it is a typo.
    const bare = globs.findIndex((g) => /^!+$/.test(g) || /^!\s/.test(g));
    if (bare >= 0) fail(`'${key}[${bare}]' must hold a glob after its \`!\``);
    const complex = tooComplex(globs.map((g) => g.replace(/^!/, '')));
    if (complex.length > 0) fail(`'${key}[${globs.findIndex((g) => g.replace(/^!/, '') === complex[0])}]' is too complex to match safely (an extglob, escape or range with more than two \`*\` in a segment or two \`**\` in all); write it more simply`);
    return globs;
  };
  config.protected = globList('protected') ?? config.protected;
  // `ignoreSpecs: []` (or an empty key) reads every spec, fixtures too.
  config.ignoreSpecs = globList('ignoreSpecs') ?? (root.ignoreSpecs === null ? [] : config.ignoreSpecs);

  if (root.allowSelfApproval !== undefined && root.allowSelfApproval !== null) {
    if (typeof root.allowSelfApproval !== 'boolean') fail(`'allowSelfApproval' must be true or false`);
    config.allowSelfApproval = root.allowSelfApproval as boolean;
  }

  if (root.severity !== undefined && root.severity !== null) {
    if (!isPlainObject(root.severity)) fail(`'severity' must be a mapping of finding kind to error, warning, info or off`);
    for (const [kind, value] of Object.entries(root.severity as Record<string, unknown>)) {
      if (!Object.hasOwn(RULE_IDS, kind)) fail(`unknown finding kind 'severity.${kind}' (known: ${Object.keys(RULE_IDS).join(', ')})`);
      if (typeof value !== 'string' || !SEVERITIES.includes(value)) fail(`'severity.${kind}' must be one of error, warning, info, off`);
      config.severity[kind as FindingKind] = value as SeverityOverride;
    }
  }
  return config;
}

/**
 * The protected globs of two configs (the change's and the base's, when the change edits the
 * config), whichever protects more: every glob of either, and an un-protecting `!glob` only
 * when both have it, so the change cannot un-protect a path for its own review.
 */
export function strictestProtected(a: readonly string[], b: readonly string[]): string[] {
  const unprotects = (list: readonly string[]) => new Set(list.filter(isNegated).map((g) => g.trim()));
  const [inA, inB] = [unprotects(a), unprotects(b)];
  return [...new Set([...a, ...b].filter((g) => !isNegated(g) || (inA.has(g.trim()) && inB.has(g.trim()))))];
}
