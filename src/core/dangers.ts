// What a change does inside a high-blast-radius file, read from the lines it removes and adds:
// a Terraform resource destroyed, a table dropped, a workflow opened to forks' code, an install
// script. A path-based finding says "the infrastructure changed"; these say how, so the
// destroy-and-recreate of a database is not the same warning as the one-line edit a task asked
// for. Each check is a plain reading of the lines, not a parser: it names what it saw and
// where, and a reviewer confirms it (`terraform plan`, the migration's effect).
import type { FileChange } from './model';
import { someOf } from './render/text';

/** One thing a change does that a reviewer must confirm, at a line of the side it is on. */
export interface Danger {
  side: 'old' | 'new';
  line: number;
  /** Every line it stands on, when it groups several (three resources removed). */
  lines?: number[];
  /** What it does, as a sentence part: ``removes the resource `aws_db_instance.primary`: Terraform destroys it…``. */
  what: string;
}

interface Line {
  line: number;
  text: string;
}

const TERRAFORM = /\.(?:tf|tofu)$/;
const SQL = /\.sql$/i;
/** A migration that undoes another (golang-migrate's `*.down.sql`, `down.sql`): dropping is its job. */
const DOWN_MIGRATION = /(?:^|[/._-])down\.sql$/i;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const DOCKERFILE = /(?:^|\/)(?:Dockerfile(?:\.[^/]*)?|[^/]+\.[Dd]ockerfile|dockerfile|Containerfile)$/;
const YAML = /\.ya?ml$/;
const PACKAGE_JSON = /(?:^|\/)package\.json$/;
const NPM_LOCK = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json)$/;
const YARN_LOCK = /(?:^|\/)yarn\.lock$/;

/** Whether a file's content is read for dangers: the change set should carry its texts. */
export function readsContent(path: string): boolean {
  return TERRAFORM.test(path) || SQL.test(path) || WORKFLOW.test(path) || DOCKERFILE.test(path) || YAML.test(path) || PACKAGE_JSON.test(path) || NPM_LOCK.test(path) || YARN_LOCK.test(path);
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The lines a change removes and adds (from its texts and hunks); undefined without the texts it needs. */
function changedLines(c: FileChange): { removed: Line[]; added: Line[] } | undefined {
  const old = c.status === 'added' ? [] : c.oldText !== undefined ? linesOf(c.oldText) : undefined;
  const now = c.status === 'deleted' ? [] : c.newText !== undefined ? linesOf(c.newText) : undefined;
  if (old === undefined || now === undefined) return undefined;
  const removed: Line[] = [];
  const added: Line[] = [];
  for (const h of c.hunks) {
    for (let i = 0; i < h.oldLines; i++) {
      const n = h.oldStart + i;
      if (old[n - 1] !== undefined) removed.push({ line: n, text: old[n - 1]! });
    }
    for (let i = 0; i < h.newLines; i++) {
      const n = h.newStart + i;
      if (now[n - 1] !== undefined) added.push({ line: n, text: now[n - 1]! });
    }
  }
  // A whole-file change git did not split into hunks (an added or deleted file read as a whole).
  if (c.hunks.length === 0 && c.status === 'deleted') old.forEach((text, i) => removed.push({ line: i + 1, text }));
  if (c.hunks.length === 0 && c.status === 'added') now.forEach((text, i) => added.push({ line: i + 1, text }));
  return { removed, added };
}

const RESOURCE = /^\s*resource\s+"([^"\s]+)"\s+"([^"\s]+)"/;
const MODULE = /^\s*module\s+"([^"\s]+)"/;
/** `from = aws_db_instance.primary` in a `moved` or `removed` block: the address is accounted for. */
const FROM = /^\s*from\s*=\s*([A-Za-z0-9_.\-[\]"]+)/;

function addressOf(text: string): string | undefined {
  const r = RESOURCE.exec(text);
  if (r) return `${r[1]}.${r[2]}`;
  const m = MODULE.exec(text);
  return m ? `module.${m[1]}` : undefined;
}

/** Terraform addresses the whole change declares in added lines, and those a `moved`/`removed` block names. */
export interface TerraformContext {
  declared: Set<string>;
  accounted: Set<string>;
}

function terraformContext(all: readonly { c: FileChange; lines: { removed: Line[]; added: Line[] } }[]): TerraformContext {
  const declared = new Set<string>();
  const accounted = new Set<string>();
  for (const { c, lines } of all) {
    if (!TERRAFORM.test(c.path)) continue;
    for (const l of lines.added) {
      const a = addressOf(l.text);
      if (a) declared.add(a);
      const f = FROM.exec(l.text);
      if (f) accounted.add(f[1]!.replace(/\[.*$/, ''));
    }
  }
  return { declared, accounted };
}

function terraform(lines: { removed: Line[]; added: Line[] }, ctx: TerraformContext): Danger[] {
  const out: Danger[] = [];
  const gone: Line[] = [];
  for (const l of lines.removed) {
    const a = addressOf(l.text);
    if (a && !ctx.declared.has(a) && !ctx.accounted.has(a)) gone.push({ line: l.line, text: a });
  }
  if (gone.length === 1) {
    const a = gone[0]!.text;
    out.push({ side: 'old', line: gone[0]!.line, what: `removes ${a.startsWith('module.') ? 'the module' : 'the resource'} \`${a}\`: Terraform destroys it (a rename needs a \`moved\` block)` });
  } else if (gone.length > 1) {
    const names = someOf(gone.map((g) => g.text), 5, (a) => `\`${a}\``);
    out.push({ side: 'old', line: gone[0]!.line, lines: gone.map((g) => g.line), what: `removes ${names}: Terraform destroys them (a rename needs a \`moved\` block)` });
  }
  const protectedBefore = lines.removed.filter((l) => /^\s*prevent_destroy\s*=\s*true\b/.test(l.text));
  const protectedAfter = lines.added.filter((l) => /^\s*prevent_destroy\s*=\s*true\b/.test(l.text));
  if (protectedBefore.length > protectedAfter.length) out.push({ side: 'old', line: protectedBefore[0]!.line, what: 'removes `prevent_destroy = true`' });
  const count = lines.removed.find((l) => /^\s*count\s*=/.test(l.text));
  const forEach = lines.added.find((l) => /^\s*for_each\s*=/.test(l.text));
  if (count && forEach && ctx.accounted.size === 0) out.push({ side: 'new', line: forEach.line, what: 'switches `count` to `for_each`: every instance gets a new address, destroyed and created again unless `moved` blocks map them' });
  return out;
}

const SQL_DROP = /\b(DROP\s+(?:TABLE|SCHEMA|DATABASE|COLUMN)|TRUNCATE)\b/i;
const DELETE_ALL = /\bDELETE\s+FROM\s+[\w."`[\]]+\s*(?:;|$)/i;

function sql(lines: { added: Line[] }): Danger[] {
  const out: Danger[] = [];
  for (const l of lines.added) {
    const text = l.text.replace(/--.*$/, '');
    const drop = SQL_DROP.exec(text);
    if (drop) out.push({ side: 'new', line: l.line, what: `runs \`${drop[1]!.replace(/\s+/g, ' ').toUpperCase()}\`: data is lost` });
    else if (DELETE_ALL.test(text)) out.push({ side: 'new', line: l.line, what: 'runs `DELETE FROM` with no `WHERE`: every row is deleted' });
  }
  return out;
}

function workflow(lines: { added: Line[] }): Danger[] {
  const out: Danger[] = [];
  for (const l of lines.added) {
    const text = l.text.replace(/#.*$/, '');
    if (/\bpull_request_target\b/.test(text)) out.push({ side: 'new', line: l.line, what: 'runs on `pull_request_target`: with write access and secrets, for pull requests from forks' });
    if (/^\s*permissions\s*:\s*write-all\b/.test(text)) out.push({ side: 'new', line: l.line, what: 'grants `permissions: write-all`' });
  }
  return out;
}

/** The image a `FROM` line names, without its tag or digest (`FROM --platform=x node:20 AS b` -> `node`). */
function imageOf(text: string): string | undefined {
  const m = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(text);
  if (!m) return undefined;
  return m[1]!.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
}

function dockerfile(lines: { removed: Line[]; added: Line[] }): Danger[] {
  const before = new Set(lines.removed.map((l) => imageOf(l.text)).filter((x): x is string => x !== undefined));
  if (before.size === 0) return [];
  const out: Danger[] = [];
  for (const l of lines.added) {
    const image = imageOf(l.text);
    if (image !== undefined && !before.has(image) && !image.startsWith('$')) {
      out.push({ side: 'new', line: l.line, what: `takes its base image from \`${image}\` instead of \`${[...before].join('`, `')}\`` });
    }
  }
  return out;
}

/** Kinds whose deletion takes more with it (a Map: `kind: constructor` is no such kind). */
const DESTRUCTIVE_KINDS: ReadonlyMap<string, string> = new Map([
  ['Namespace', 'deleting a Namespace deletes everything in it'],
  ['PersistentVolumeClaim', 'its volume, and the data on it, can be deleted with it'],
  ['PersistentVolume', 'the data on it can be lost'],
  ['CustomResourceDefinition', 'every object of that type is deleted with it'],
]);

function kubernetes(lines: { removed: Line[]; added: Line[] }): Danger[] {
  const kindOf = (text: string) => /^kind:\s*["']?(\w+)["']?\s*(?:#.*)?$/.exec(text)?.[1];
  const addedKinds = new Map<string, number>();
  for (const l of lines.added) {
    const k = kindOf(l.text);
    if (k) addedKinds.set(k, (addedKinds.get(k) ?? 0) + 1);
  }
  const out: Danger[] = [];
  for (const l of lines.removed) {
    const k = kindOf(l.text);
    const why = k === undefined ? undefined : DESTRUCTIVE_KINDS.get(k);
    if (!k || why === undefined) continue;
    const left = addedKinds.get(k) ?? 0;
    if (left > 0) {
      addedKinds.set(k, left - 1);
      continue;
    }
    out.push({ side: 'old', line: l.line, what: `removes a ${k}: ${why}` });
  }
  return out;
}

/** A lifecycle script's key, wherever it stands on the line (`"scripts": { "postinstall": … }` on one line too). */
const LIFECYCLE = /"(preinstall|install|postinstall|preuninstall|uninstall|postuninstall|prepare|prepack|postpack|prepublish|prepublishOnly)"\s*:/g;

function packageJson(lines: { added: Line[] }): Danger[] {
  const out: Danger[] = [];
  for (const l of lines.added) {
    for (const m of l.text.matchAll(LIFECYCLE)) out.push({ side: 'new', line: l.line, what: `sets the \`${m[1]}\` script, which the package manager runs on install` });
  }
  return out;
}

/** Hosts packages come from in a lockfile's added lines that its old side never named. */
function lockfile(c: FileChange, lines: { added: Line[] }, pattern: RegExp): Danger[] {
  const seen = new Set<string>();
  const out: Danger[] = [];
  for (const l of lines.added) {
    const host = pattern.exec(l.text)?.[1]?.toLowerCase();
    if (!host || seen.has(host)) continue;
    seen.add(host);
    if (c.oldText?.toLowerCase().includes(`//${host}/`)) continue;
    out.push({ side: 'new', line: l.line, what: `resolves a package from \`${host}\`, a host the lockfile did not name before` });
  }
  return out;
}

/**
 * The dangers of each change whose texts the change set carries (see readsContent), by path;
 * Terraform addresses are matched across the whole change (a resource moved to another file
 * is not destroyed).
 */
export function findDangers(changes: readonly FileChange[]): Map<string, Danger[]> {
  const read: { c: FileChange; lines: { removed: Line[]; added: Line[] } }[] = [];
  for (const c of changes) {
    if (c.binary || !(readsContent(c.path) || (c.oldPath !== undefined && readsContent(c.oldPath)))) continue;
    const lines = changedLines(c);
    if (lines) read.push({ c, lines });
  }
  const tf = terraformContext(read);
  const out = new Map<string, Danger[]>();
  for (const { c, lines } of read) {
    const p = c.path;
    const found = TERRAFORM.test(p) || (c.oldPath !== undefined && TERRAFORM.test(c.oldPath))
      ? terraform(lines, tf)
      : SQL.test(p) && !DOWN_MIGRATION.test(p)
        ? sql(lines)
        : WORKFLOW.test(p)
          ? workflow(lines)
          : DOCKERFILE.test(p)
            ? dockerfile(lines)
            : YAML.test(p)
              ? kubernetes(lines)
              : PACKAGE_JSON.test(p)
                ? packageJson(lines)
                : NPM_LOCK.test(p)
                  ? lockfile(c, lines, /"resolved"\s*:\s*"[a-z+]+:\/\/([^/"]+)\//i)
                  : YARN_LOCK.test(p)
                    ? lockfile(c, lines, /^\s*resolved\s+"?[a-z+]+:\/\/([^/"]+)\//i)
                    : [];
    if (found.length > 0) out.set(p, found);
  }
  return out;
}
