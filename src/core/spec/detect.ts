// Which files of a repository form which specs, from a repo-relative file list alone
// (pure). Kiro `.kiro/specs/<name>/`, spec-kit `specs/NNN-name/` and
// `.specify/specs/…/NNN-name/`, OpenSpec `openspec/changes/[archive/]<id>/`, and plain
// specs: a markdown file whose front matter declares scope. Nothing in SpecGate's record
// folders is ever a spec, a record or not: a review bundle holds a copy of the spec it reviewed.
import type { SpecFormat } from '../model';
import { isRecordPath } from '../records';

export interface SpecCandidate {
  id: string;
  format: SpecFormat;
  name: string;
  files: string[];
}

const KIRO = /^\.kiro\/specs\/([^/]+)\//;
const SPECKIT = /^((?:specs|\.specify\/specs(?:\/[^/]+)*?)\/(\d{3,}-[^/]+))\/(?:spec|plan|tasks)\.md$/;
const OPENSPEC = /^(openspec\/changes\/(?:archive\/)?([^/]+))\/(?:proposal|tasks|design)\.md$/;

export function detectSpecs(allPaths: readonly string[], frontMatterHasScope?: (path: string) => boolean): SpecCandidate[] {
  const paths = allPaths.filter((p) => !isRecordPath(p));
  const folders = new Map<string, { format: SpecFormat; name: string }>();
  for (const p of paths) {
    const k = KIRO.exec(p);
    if (k && /\.md$|\/\.config\.kiro$/.test(p)) folders.set(`.kiro/specs/${k[1]}`, { format: 'kiro', name: k[1] });
    const s = SPECKIT.exec(p);
    if (s) folders.set(s[1], { format: 'speckit', name: s[2] });
    const o = OPENSPEC.exec(p);
    if (o && o[2] !== 'archive') folders.set(o[1], { format: 'openspec', name: o[2] });
  }
  const ids = [...folders.keys()].sort();
  const owner = (p: string): string | undefined => {
    let best: string | undefined;
    for (const id of ids) if (p.startsWith(`${id}/`) && (!best || id.length > best.length)) best = id;
    return best;
  };
  const files = new Map<string, string[]>(ids.map((id) => [id, []]));
  const out: SpecCandidate[] = [];
  for (const p of paths) {
    const id = owner(p);
    if (id) files.get(id)!.push(p);
    else if (frontMatterHasScope && /\.(?:md|markdown)$/i.test(p) && frontMatterHasScope(p)) {
      const base = p.slice(p.lastIndexOf('/') + 1);
      out.push({ id: p, format: 'plain', name: base.replace(/\.(?:md|markdown)$/i, ''), files: [p] });
    }
  }
  for (const id of ids) {
    const f = folders.get(id)!;
    out.push({ id, format: f.format, name: f.name, files: [...new Set(files.get(id))].sort() });
  }
  return out.sort((a, b) => naturalOrder(a.id, b.id));
}

/** A folder laid out almost as a layout SpecGate reads: where it is, and where it would be read. */
export interface NearMissSpec {
  folder: string;
  /** Why it is not read, and the name SpecGate reads (one clause). */
  hint: string;
  /** The folder SpecGate would read it from (ends with `/`), when a rename is all it takes. */
  readAs?: string;
}

/** The near miss in one clause, as every place that names it says it (unescaped). */
export function nearMissClause(n: NearMissSpec): string {
  return `${n.folder} looks like a spec, but ${n.hint}`;
}

/** The near misses past the ones named: `1 more such folder`, `2 more such folders`. */
export function moreSuchFolders(n: number): string {
  return `${n} more such folder${n === 1 ? '' : 's'}`;
}

type Miss = { hint: string; readAs?: string } | undefined;

/** The spec-kit number a new feature folder under `parent` (`specs/`) takes: one past the highest there. */
type NextNumber = (parent: string) => string;

const NEAR_MISSES: readonly { re: RegExp; miss: (m: RegExpExecArray, next: NextNumber) => Miss }[] = [
  // spec-kit without the number: specs/feature-x/spec.md
  {
    re: /^((?:specs|\.specify\/specs)\/([^/]+))\/(?:spec|plan|tasks)\.md$/,
    miss: (m, next) => {
      const name = m[2]!;
      const parent = m[1]!.slice(0, -name.length);
      if (/^\d{3,}-$/.test(name)) return { hint: `a spec-kit folder has a name after its number: ${parent}${name}<name>/` };
      if (/^\d{3,}-/.test(name)) return undefined;
      // Numbered, but not as spec-kit numbers: fewer digits, or no dash (31-short, 033_cache).
      const numbered = /^(\d{1,})[-_. ]+(.+)$/.exec(name) ?? /^(\d{3,})([^\d].*)$/.exec(name);
      if (numbered) {
        const readAs = `${parent}${numbered[1]!.padStart(3, '0')}-${numbered[2]}/`;
        return { hint: `spec-kit folders start with a three-digit number and a dash, so SpecGate reads ${readAs}`, readAs };
      }
      const readAs = `${parent}${next(parent)}-${name}/`;
      return { hint: `spec-kit folders are numbered, so SpecGate reads ${readAs}`, readAs };
    },
  },
  // Kiro one letter or one dot off, or its files with no feature folder
  {
    re: /^(\.?kiro\/specs?\/([^/]+))\/(?:requirements|design|tasks)\.md$/,
    miss: (m) => (m[1]!.startsWith('.kiro/specs/') ? undefined : { hint: `Kiro specs are read from .kiro/specs/${m[2]}/`, readAs: `.kiro/specs/${m[2]}/` }),
  },
  { re: /^(\.kiro\/specs)\/(?:requirements|design|tasks)\.md$/, miss: () => ({ hint: 'each Kiro spec is a folder of its own: .kiro/specs/<name>/requirements.md' }) },
  // OpenSpec changes outside openspec/changes/, or with no change folder
  {
    re: /^(openspec\/([^/]+))\/(?:proposal|tasks)\.md$/,
    miss: (m) => (m[2] === 'changes' || m[2] === 'specs' ? undefined : { hint: `OpenSpec changes are read from openspec/changes/${m[2]}/`, readAs: `openspec/changes/${m[2]}/` }),
  },
  { re: /^(openspec\/changes)\/(?:proposal|tasks)\.md$/, miss: () => ({ hint: 'each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md' }) },
  // A layout inside a package of a monorepo: the layouts are read from the repository's root.
  {
    re: /^((.+?)\/(?:\.kiro\/specs\/[^/]+|(?:\.specify\/)?specs\/\d{3,}-[^/]+|openspec\/changes\/[^/]+))\/(?:requirements|design|tasks|spec|plan|proposal)\.md$/,
    miss: (m) =>
      KIRO.test(m.input) || SPECKIT.test(m.input) || OPENSPEC.test(m.input)
        ? undefined
        : { hint: `Kiro, spec-kit and OpenSpec folders are read from the repository's root, not from ${m[2]}/ (a spec of a package can be a markdown file with scope: front matter)` },
  },
];

/**
 * Folders that look like a spec in one of the layouts but are not where, or named as, that
 * layout is read (`specs/feature-x/` without spec-kit's number): said when no spec is found,
 * so that the author is told what to rename rather than that there is nothing.
 */
export function nearMissSpecs(allPaths: readonly string[]): NearMissSpec[] {
  const found = new Map<string, NonNullable<Miss>>();
  // Numbers are handed out in path order, each one past the highest its folder has (or was given).
  const md = allPaths.filter((p) => p.endsWith('.md') && !isRecordPath(p)).sort();
  const highest = new Map<string, number>();
  for (const p of md) {
    const m = /^((?:specs|\.specify\/specs)\/)(\d{3,})-[^/]+\//.exec(p);
    if (m) highest.set(m[1]!, Math.max(highest.get(m[1]!) ?? 0, Number(m[2])));
  }
  const next: NextNumber = (parent) => {
    const n = (highest.get(parent) ?? 0) + 1;
    highest.set(parent, n);
    return String(n).padStart(3, '0');
  };
  for (const p of md) {
    for (const { re, miss } of NEAR_MISSES) {
      const m = re.exec(p);
      if (!m || found.has(`${m[1]}/`)) continue;
      const x = miss(m, next);
      if (x !== undefined) found.set(`${m[1]}/`, x);
    }
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([folder, x]) => ({ folder, ...x }));
}

/**
 * The order specs are listed in: ignoring case, and numbers by their value (`specs/004-x`
 * before `specs/0032-y`, `.kiro/specs/auth` before `.kiro/specs/Billing`); ids that differ
 * only in case or zeros by their bytes, so the order is the same on every machine.
 */
export function naturalOrder(a: string, b: string): number {
  const pa = a.toLowerCase().match(/\d+|\D+/g) ?? [];
  const pb = b.toLowerCase().match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
