// What a change does inside a high-blast-radius file, read from its old and new text: a
// Terraform resource destroyed, a table dropped, a workflow that runs a fork's code with the
// repository's secrets, an install script, a link out of the repository. A path-based finding
// says "the infrastructure changed"; these say how, so the destroy-and-recreate of a database
// is not the same warning as the one-line edit a task asked for.
//
// Each check asks what is new: a statement, script, trigger or image the old text did not
// have (across the whole change where a thing can move between files: a Terraform address, a
// Kubernetes object). Lines only re-indented, re-ordered or moved are not new. These are
// readings of text, not parsers: they name what they saw and where, and a reviewer confirms it
// (`terraform plan`, the migration's effect).
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { isScriptPath } from './exports';
import type { FileChange } from './model';
import { codeSpan } from './render/plainTitle';
import { someOf } from './render/text';

/** One thing a change does that a reviewer must confirm, at a line of the side it is on. */
export interface Danger {
  side: 'old' | 'new';
  /** Its line on that side; 0 when it is the file as a whole (a symbolic link's target). */
  line: number;
  /** Every line it stands on, when it groups several (three resources removed). */
  lines?: number[];
  /** What it does, as a sentence part: ``removes the resource `aws_db_instance.primary`: Terraform destroys it…``. */
  what: string;
  /**
   * `warning` for what deserves a look but is often meant (a new build stage's image); `info`
   * for what may as well narrow as widen (a workflow's first `permissions:`); else an error.
   */
  severity?: 'warning' | 'info';
  /**
   * The dependency it is about (a `package.json` dependency taken from git or a URL): where
   * SG303 reads the manifest's dependencies (rules/dependencies.ts readsDependencies), that
   * rule reports it at its line instead, so one cause gives one finding.
   */
  dependency?: string;
}

interface Line {
  line: number;
  text: string;
}

interface Sides {
  c: FileChange;
  removed: Line[];
  added: Line[];
  /** Whole texts, by line (index 0 is line 1). */
  old: string[];
  now: string[];
}

const TERRAFORM = /\.(?:tf|tofu)$/;
const SQL = /\.sql$/i;
/**
 * A migration that undoes another, where dropping is its job: golang-migrate's `*.down.sql`,
 * `*.undo.sql`, Flyway's undo migrations (`U3__name.sql`).
 */
const DOWN_MIGRATION = /(?:(?:^|[/.])(?:down|undo)\.sql|(?:^|\/)U\d[^/]*__[^/]*\.sql)$/i;
const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const DOCKERFILE = /(?:^|\/)(?:Dockerfile(?:\.[^/]*)?|[^/]+\.[Dd]ockerfile|dockerfile|Containerfile)$/;
const YAML = /\.ya?ml$/;
const PACKAGE_JSON = /(?:^|\/)package\.json$/;
const NPM_LOCK = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json)$/;
const YARN_LOCK = /(?:^|\/)yarn\.lock$/;
const PNPM_LOCK = /(?:^|\/)pnpm-lock\.yaml$/;
/** Git hooks and CI files that are not YAML (which is read anyway): where SpecGate's gate line lives. */
const GATE_FILE = /(?:^|\/)(?:\.husky|\.githooks|\.git-hooks)\/[^/]+$|\.(?:sh|bash|mk)$|(?:^|\/)(?:[Mm]akefile|GNUmakefile|[Jj]ustfile)$|(?:^|\/)hooks\/(?:pre-commit|pre-push|commit-msg|prepare-commit-msg|pre-merge-commit)$|(?:^|\/)Jenkinsfile(?:\.[^/]*)?$|(?:^|\/)\.?simple-git-hooks\.(?:json|[cm]?js)$|(?:^|\/)\.?lefthook(?:-local)?\.(?:json|toml)$/;

/** Compiled code and packages: a binary of these kinds, or any binary marked executable, runs what nobody can read in a diff. */
const BINARY_CODE = /\.(?:node|so|dll|dylib|exe|bin|jar|war|wasm|class|pyc|o|a|msi|dmg|deb|rpm|apk|appimage)$|\.so\.\d[\d.]*$/i;

/** Images, documents and fonts: a checkout from a Windows or FAT disk marks them executable, which runs nothing. */
const MEDIA = /\.(?:png|jpe?g|gif|webp|avif|bmp|ico|icns|svgz|tiff?|pdf|woff2?|ttf|otf|eot|mp[34]|wav|ogg|webm|mov|zip|gz)$/i;

/** Words in the path of every JavaScript or TypeScript file some reader below reads (CODE_MIGRATION, DOCKERFILE, COVERAGE_CONFIG, TEST_FILE, GATE_FILE, IAC_CODE, ESLINT_CONFIG, TEST_CONFIG). */
const SOURCE_READ_HINT = /migrat|alembic|changelog|ockerfile|config\.|conf\.|test|spec|e2e|simple-git-hooks|stack|cdk|infra|iac\/|pulumi|eslintrc/i;

/** Whether a file's content is read for dangers: the change set should carry its texts. */
export function readsContent(path: string): boolean {
  // Asked of every changed file on every check: a source file is read only as a migration, a
  // test, a Dockerfile, a coverage, test-runner or ESLint config or a hook manager's config,
  // each of which its path says in a word, so most are answered by one test.
  if (isScriptPath(path) && !SOURCE_READ_HINT.test(path)) return false;
  return TERRAFORM.test(path) || TERRAFORM_JSON.test(path) || SQL.test(path) || CODE_MIGRATION.test(path) || PRISMA.test(path) || WORKFLOW.test(path) || DOCKERFILE.test(path) || YAML.test(path) || PACKAGE_JSON.test(path) || NPM_LOCK.test(path) || YARN_LOCK.test(path) || GATE_FILE.test(path) || COVERAGE_CONFIG.test(path) || TSCONFIG.test(path) || TEST_FILE.test(path) || SECRET_FILE.test(path) || IAC_CODE.test(path) || FIREBASE_RULES.test(path) || DATABASE_RULES.test(path) || CODEOWNERS.test(path) || ESLINT_CONFIG.test(path) || ESLINT_IGNORE.test(path) || TEST_CONFIG.test(path) || PYTEST_CONFIG.test(path);
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** A line as compared for "the same line": whitespace collapsed, a trailing comma dropped. */
function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/,$/, '');
}

/** The lines a change removes and adds, and both texts; undefined without the texts it needs. */
function sidesOf(c: FileChange): Sides | undefined {
  const old = c.status === 'added' ? [] : c.oldText !== undefined ? linesOf(c.oldText) : undefined;
  const now = c.status === 'deleted' ? [] : c.newText !== undefined ? linesOf(c.newText) : undefined;
  if (old === undefined || now === undefined) return undefined;
  const removed: Line[] = [];
  const added: Line[] = [];
  for (const h of c.hunks) {
    for (let n = h.oldStart; n < h.oldStart + h.oldLines; n++) if (old[n - 1] !== undefined) removed.push({ line: n, text: old[n - 1]! });
    for (let n = h.newStart; n < h.newStart + h.newLines; n++) if (now[n - 1] !== undefined) added.push({ line: n, text: now[n - 1]! });
  }
  // A whole-file change git did not split into hunks (an added or deleted file read as a whole).
  if (c.hunks.length === 0 && c.status === 'deleted') old.forEach((text, i) => removed.push({ line: i + 1, text }));
  if (c.hunks.length === 0 && c.status === 'added') now.forEach((text, i) => added.push({ line: i + 1, text }));
  return { c, removed, added, old, now };
}

/** Added lines that are not a removed line again (re-indented, re-ordered, a comma added). */
function newLines(s: Sides): Line[] {
  let lines = freshLines.get(s);
  if (lines === undefined) {
    const before = new Set(s.removed.map((l) => norm(l.text)));
    freshLines.set(s, (lines = s.added.filter((l) => !before.has(norm(l.text)))));
  }
  return lines;
}
/** newLines of each file, worked out once: several readers ask it of one file (`package.json`: scripts, dependencies, coverage, secrets, the gate). */
const freshLines = new WeakMap<Sides, Line[]>();

const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

// ---------------------------------------------------------------------------------------------
// Terraform and OpenTofu. A module is a folder: addresses are matched within one.

const RESOURCE = /^\s*resource\s+"([^"\s]+)"\s+"([^"\s]+)"/;
const MODULE = /^\s*module\s+"([^"\s]+)"/;
const FROM = /^\s*from\s*=\s*([A-Za-z0-9_.\-[\]"]+)/;
const PREVENT = /^\s*prevent_destroy\s*=\s*true\b/;
/**
 * Settings that decide what a later destroy or replacement takes with it: `on` is the value
 * that loses data, `keeps` (where there is one) the value whose line taken away loses it too
 * (the provider's default is the losing one somewhere: Google's `deletion_protection` is true
 * by default, AWS's `delete_automated_backups` deletes them by default).
 */
const DATA_SWITCHES: ReadonlyMap<string, { on: string; keeps?: string; why: (type: string) => string }> = new Map([
  ['force_destroy', { on: 'true', why: (t: string) => `destroying it deletes ${/bucket/.test(t) ? 'every object' : 'everything'} in it` }],
  ['deletion_protection', { on: 'false', keeps: 'true', why: () => 'a destroy or a replacement of it is no longer refused' }],
  ['deletion_protection_enabled', { on: 'false', keeps: 'true', why: () => 'a destroy or a replacement of it is no longer refused' }],
  ['skip_final_snapshot', { on: 'true', why: () => 'destroying or replacing it keeps no final snapshot of its data' }],
  ['delete_automated_backups', { on: 'true', keeps: 'false', why: () => 'destroying it deletes its automated backups with it' }],
  ['backup_retention_period', { on: '0', why: () => 'it keeps no automated backups, and those it has are deleted' }],
]);
/** Switches whose AWS provider default is already the losing value: `deletion_protection` off, `delete_automated_backups` on. */
const AWS_DEFAULT_ON = new Set(['deletion_protection', 'deletion_protection_enabled', 'delete_automated_backups']);
const SWITCH = /^\s*(force_destroy|deletion_protection(?:_enabled)?|skip_final_snapshot|delete_automated_backups|backup_retention_period)\s*=\s*(.*?)\s*(?:#.*|\/\/.*)?$/;

function addressOf(text: string): string | undefined {
  const r = RESOURCE.exec(text);
  if (r) return `${r[1]}.${r[2]}`;
  const m = MODULE.exec(text);
  return m ? `module.${m[1]}` : undefined;
}

/** Which lines of an HCL text are code: not inside a `/* … *\/` comment or a heredoc (`<<EOT … EOT`). */
function hclCode(lines: readonly string[]): boolean[] {
  const code: boolean[] = [];
  let comment = false;
  let heredoc: string | undefined;
  for (const l of lines) {
    if (heredoc !== undefined) {
      code.push(false);
      if (l.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (comment) {
      code.push(false);
      if (l.includes('*/')) comment = false;
      continue;
    }
    const t = l.trimStart();
    if (t.startsWith('/*')) {
      code.push(false);
      comment = !t.slice(2).includes('*/');
      continue;
    }
    code.push(true);
    const here = /<<-?\s*([A-Za-z_][\w]*)\s*$/.exec(l);
    if (here) heredoc = here[1];
  }
  return code;
}

/** The address of the block a line sits directly in: the nearest line above it, less indented, when that is a resource or module header. */
function enclosing(lines: readonly string[], code: readonly boolean[], line: number): string | undefined {
  const indent = (s: string) => s.length - s.trimStart().length;
  const own = indent(lines[line - 1] ?? '');
  for (let i = line - 2; i >= 0; i--) {
    if (!code[i] || lines[i]!.trim() === '') continue;
    if (indent(lines[i]!) < own) return addressOf(lines[i]!);
  }
  return undefined;
}

/** The address whose block holds a line at any depth: the nearest resource or module header above it. */
function owner(lines: readonly string[], code: readonly boolean[], line: number): string | undefined {
  for (let i = line - 1; i >= 0; i--) if (code[i]) {
    const a = addressOf(lines[i]!);
    if (a) return a;
    // Another top-level block (`locals {`, `variable "x" {`, `data "…" "…" {`) above it: no resource's.
    if (i < line - 1 && /^[a-z_]+(?:\s+"[^"]*")*\s*\{/.test(lines[i]!)) return undefined;
  }
  return undefined;
}

interface HclFile {
  s: Sides;
  folder: string;
  oldCode: boolean[];
  newCode: boolean[];
}

/** Addresses the change declares anew, those `moved`/`removed` blocks account for, and those protected by `prevent_destroy` after it. */
interface TerraformContext {
  declared: Set<string>;
  accounted: Set<string>;
  /** Addresses inside a module that a `moved` block in another folder takes out of it (`module.web.aws_s3_bucket.assets`): by address alone, as the folder of a module call is not resolved here. */
  movedOut: Set<string>;
  preventedAfter: Set<string>;
  declaredAfter: Set<string>;
  /** Addresses the old texts declare: a switch turned on for one of them reaches a resource that exists. */
  declaredBefore: Set<string>;
  /** DATA_SWITCHES settings of each address (`force_destroy=true`), before and after the change. */
  switchesBefore: Map<string, Set<string>>;
  switchesAfter: Map<string, Set<string>>;
}

/** Each address's DATA_SWITCHES settings in a text (`deletion_protection=var.protect` as written), keyed as `key` makes it. */
function switchesOf(lines: readonly string[], code: readonly boolean[], key: (a: string) => string, into: Map<string, Set<string>>): void {
  lines.forEach((text, i) => {
    const m = code[i] ? SWITCH.exec(text) : null;
    const a = m && owner(lines, code, i + 1);
    if (!m || !a) return;
    const set = into.get(key(a)) ?? new Set<string>();
    set.add(`${m[1]}=${m[2]}`);
    into.set(key(a), set);
  });
}

function terraformContext(files: readonly HclFile[]): TerraformContext {
  const ctx: TerraformContext = { declared: new Set(), accounted: new Set(), movedOut: new Set(), preventedAfter: new Set(), declaredAfter: new Set(), declaredBefore: new Set(), switchesBefore: new Map(), switchesAfter: new Map() };
  for (const f of files) {
    const key = (a: string) => `${f.folder}\0${a}`;
    f.s.old.forEach((text, i) => {
      const a = f.oldCode[i] ? addressOf(text) : undefined;
      if (a) ctx.declaredBefore.add(key(a));
    });
    switchesOf(f.s.old, f.oldCode, key, ctx.switchesBefore);
    switchesOf(f.s.now, f.newCode, key, ctx.switchesAfter);
    f.s.now.forEach((text, i) => {
      if (!f.newCode[i]) return;
      const a = addressOf(text);
      if (a) ctx.declaredAfter.add(key(a));
      if (PREVENT.test(text)) {
        const o = owner(f.s.now, f.newCode, i + 1);
        if (o) ctx.preventedAfter.add(key(o));
      }
    });
    // `moved { from = … }` keeps an address; `removed { from = … }` forgets one without a
    // destroy only with `destroy = false` (else it is the destroy, OpenTofu's default).
    let block: 'moved' | 'removed' | undefined;
    let from: string | undefined;
    let keeps = false;
    const close = () => {
      if (from && (block === 'moved' || keeps)) {
        ctx.accounted.add(key(from));
        // `module.web.aws_s3_bucket.assets`: the module call `module.web` keeps a part, and the
        // address it had inside the module's own folder is accounted for there.
        const inner = /^module\.([^.]+)\.(.+)$/.exec(from);
        if (inner) {
          ctx.accounted.add(key(`module.${inner[1]}`));
          ctx.movedOut.add(inner[2]!);
        }
      }
      block = undefined;
      from = undefined;
      keeps = false;
    };
    for (const l of f.s.added) {
      if (!f.newCode[l.line - 1]) continue;
      const a = addressOf(l.text);
      if (a) ctx.declared.add(key(a));
      const head = /^\s*(moved|removed)\s*\{/.exec(l.text);
      if (head) {
        close();
        block = head[1] as 'moved' | 'removed';
        continue;
      }
      const f2 = FROM.exec(l.text);
      if (f2 && block) from = f2[1]!.replace(/\[.*$/, '');
      if (block === 'removed' && /^\s*destroy\s*=\s*false\b/.test(l.text)) keeps = true;
      if (/^\}\s*$/.test(l.text)) close();
    }
    close();
  }
  return ctx;
}

/** Resources and modules a change takes out of Terraform's files (address and old line each): one danger for them all. */
function destroyed(gone: readonly Line[]): Danger[] {
  if (gone.length === 0) return [];
  if (gone.length === 1) {
    const a = gone[0]!.text;
    return [{ side: 'old', line: gone[0]!.line, what: `removes ${a.startsWith('module.') ? 'the module' : 'the resource'} \`${a}\`: Terraform destroys it (a rename or a move needs a \`moved\` block)` }];
  }
  const names = someOf(gone.map((g) => g.text), 5, (a) => `\`${a}\``);
  return [{ side: 'old', line: gone[0]!.line, lines: gone.map((g) => g.line), what: `removes ${names}: Terraform destroys them (a rename or a move needs a \`moved\` block)` }];
}

function terraform(f: HclFile, ctx: TerraformContext): Danger[] {
  const key = (a: string) => `${f.folder}\0${a}`;
  const out: Danger[] = [];
  const gone: Line[] = [];
  for (const l of f.s.removed) {
    if (!f.oldCode[l.line - 1]) continue;
    const a = addressOf(l.text);
    if (a && !ctx.declared.has(key(a)) && !ctx.declaredAfter.has(key(a)) && !ctx.accounted.has(key(a)) && !(f.folder !== '' && ctx.movedOut.has(a))) gone.push({ line: l.line, text: a });
  }
  out.push(...destroyed(gone));
  // prevent_destroy taken from a resource that is still declared (in any file of the change):
  // its line removed, or left in place but now inside a comment.
  const unprotected = new Set<string>();
  f.s.old.forEach((text, i) => {
    if (!f.oldCode[i] || !PREVENT.test(text)) return;
    const a = owner(f.s.old, f.oldCode, i + 1);
    if (!a || unprotected.has(a) || ctx.preventedAfter.has(key(a)) || !ctx.declaredAfter.has(key(a))) return;
    unprotected.add(a);
    out.push({ side: 'old', line: i + 1, what: `removes \`prevent_destroy = true\` from \`${a}\`` });
  });
  // A setting that makes a later destroy lose data, turned on: an error on a resource the base
  // declares, a warning on a new one (a dev module's bucket made with `force_destroy = true`).
  const typeOf = (a: string) => a.split('.')[a.startsWith('module.') ? 1 : 0] ?? '';
  const turnedOn = new Set<string>();
  for (const l of newLines(f.s)) {
    const m = f.newCode[l.line - 1] ? SWITCH.exec(l.text) : null;
    const sw = m && DATA_SWITCHES.get(m[1]!);
    if (!m || !sw || m[2] !== sw.on) continue;
    const a = owner(f.s.now, f.newCode, l.line);
    if (!a || ctx.switchesBefore.get(key(a))?.has(`${m[1]}=${sw.on}`)) continue;
    // The provider's default written out on a resource that had no such line: nothing changes.
    const had = [...(ctx.switchesBefore.get(key(a)) ?? [])].some((v) => v.startsWith(`${m[1]}=`));
    if (!had && ctx.declaredBefore.has(key(a)) && AWS_DEFAULT_ON.has(m[1]!) && !a.startsWith('module.') && /^aws_/.test(typeOf(a))) continue;
    turnedOn.add(`${a}\0${m[1]}`);
    out.push({ side: 'new', line: l.line, ...(ctx.declaredBefore.has(key(a)) ? {} : { severity: 'warning' as const }), what: `sets \`${m[1]} = ${sw.on}\` on \`${a}\`: ${sw.why(typeOf(a))}` });
  }
  // A protecting value taken from a resource still declared: its line removed (or commented
  // out), or its value now an expression (a warning: it may still be the protecting one).
  f.s.old.forEach((text, i) => {
    const m = f.oldCode[i] ? SWITCH.exec(text) : null;
    const sw = m && DATA_SWITCHES.get(m[1]!);
    if (!m || !sw?.keeps || m[2] !== sw.keeps) return;
    const a = owner(f.s.old, f.oldCode, i + 1);
    // Google's `deletion_protection` is true when left out.
    if (!a || turnedOn.has(`${a}\0${m[1]}`) || !ctx.declaredAfter.has(key(a)) || (m[1] === 'deletion_protection' && a.startsWith('google_'))) return;
    const after = [...(ctx.switchesAfter.get(key(a)) ?? [])].filter((v) => v.startsWith(`${m[1]}=`)).map((v) => v.slice(m[1]!.length + 1));
    if (after.includes(sw.keeps) || after.includes(sw.on)) return;
    turnedOn.add(`${a}\0${m[1]}`);
    out.push(
      after.length > 0
        ? { side: 'old', line: i + 1, severity: 'warning', what: `replaces \`${m[1]} = ${sw.keeps}\` on \`${a}\` with \`${after[0]}\`: where that is \`${sw.on}\`, ${sw.why(typeOf(a))}` }
        : { side: 'old', line: i + 1, what: `removes \`${m[1]} = ${sw.keeps}\` from \`${a}\`: ${sw.why(typeOf(a))}` },
    );
  });
  // `count = 0`: every instance destroyed, the block left standing.
  for (const l of newLines(f.s)) {
    if (!f.newCode[l.line - 1] || !/^\s*count\s*=\s*0\s*(?:#.*|\/\/.*)?$/.test(l.text)) continue;
    const a = enclosing(f.s.now, f.newCode, l.line);
    if (a) out.push({ side: 'new', line: l.line, what: `sets \`count = 0\` on \`${a}\`: Terraform destroys every instance of it` });
  }
  // `count` replaced by `for_each` in one resource's own body: every instance gets a new address.
  const counted = new Map<string, number>();
  for (const l of f.s.removed) {
    if (!f.oldCode[l.line - 1] || !/^\s*count\s*=/.test(l.text)) continue;
    const a = enclosing(f.s.old, f.oldCode, l.line);
    if (a) counted.set(a, l.line);
  }
  if (counted.size > 0) {
    const stillCounted = new Set(f.s.now.flatMap((t, i) => (f.newCode[i] && /^\s*count\s*=/.test(t) ? [enclosing(f.s.now, f.newCode, i + 1)] : [])));
    for (const l of f.s.added) {
      if (!f.newCode[l.line - 1] || !/^\s*for_each\s*=/.test(l.text)) continue;
      const a = enclosing(f.s.now, f.newCode, l.line);
      if (!a || !counted.has(a) || stillCounted.has(a) || ctx.accounted.has(key(a))) continue;
      out.push({ side: 'new', line: l.line, what: `switches \`${a}\` from \`count\` to \`for_each\`: every instance gets a new address, destroyed and created again unless \`moved\` blocks map them` });
    }
  }
  return out;
}

// Terraform's JSON syntax (`*.tf.json`, `*.tofu.json`): the same blocks as objects, read with
// JSON.parse (a text that does not parse is not read) and each key's line found by a walk of
// the text, so the findings stand where HCL's would.

const TERRAFORM_JSON = /\.(?:tf|tofu)\.json$/;

/** A JSON value with the line of each object key; objects as lists of entries. */
type JsonNode =
  | { kind: 'object'; entries: { key: string; line: number; value: JsonNode }[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'scalar'; value: unknown };

/** A JSON text read with lines, or undefined when it does not parse. */
function jsonWithLines(text: string): JsonNode | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  // Valid JSON from here: newlines occur only between tokens.
  let i = 0;
  let line = 1;
  const space = () => {
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      else if (ch !== ' ' && ch !== '\t' && ch !== '\r' && ch !== '\uFEFF') break;
    }
  };
  const str = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries: { key: string; line: number; value: JsonNode }[] = [];
      space();
      if (text[i] === '}') i++;
      else for (;;) {
        space();
        const at = line;
        const key = str();
        space();
        i++; // ':'
        entries.push({ key, line: at, value: value() });
        space();
        if (text[i++] === '}') break;
      }
      return { kind: 'object', entries };
    }
    if (ch === '[') {
      i++;
      const items: JsonNode[] = [];
      space();
      if (text[i] === ']') i++;
      else for (;;) {
        items.push(value());
        space();
        if (text[i++] === ']') break;
      }
      return { kind: 'array', items };
    }
    if (ch === '"') return { kind: 'scalar', value: str() };
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64))!;
    i += m[0].length;
    return { kind: 'scalar', value: JSON.parse(m[0]) };
  };
  return value();
}

/** The entries of an object, or of each object in an array of them (Terraform's JSON allows both for a block). */
function entriesOf(node: JsonNode | undefined): { key: string; line: number; value: JsonNode }[] {
  if (!node) return [];
  if (node.kind === 'object') return node.entries.filter((e) => e.key !== '//');
  if (node.kind === 'array') return node.items.flatMap(entriesOf);
  return [];
}

/** A scalar as HCL writes it: `true`, `0`, a string's text, an interpolation's expression (`"${var.protect}"` is `var.protect`). */
function hclValue(node: JsonNode): string | undefined {
  if (node.kind !== 'scalar') return undefined;
  const v = node.value;
  if (typeof v === 'string') return /^\$\{([^{}]*)\}$/.exec(v)?.[1]?.trim() ?? v;
  return v === null ? 'null' : String(v);
}

interface TfJsonBlock {
  line: number;
  /** The line of its `prevent_destroy: true`, if any. */
  prevent?: number;
  /** DATA_SWITCHES settings as HCL writes them, with their lines. */
  switches: { name: string; value: string; line: number }[];
  count?: { value: string; line: number };
  forEach?: number;
}

interface TfJson {
  /** Resources and module calls by address. */
  blocks: Map<string, TfJsonBlock>;
  /** `moved` blocks' `from`, and `removed` blocks' with `lifecycle.destroy = false`. */
  accounted: string[];
}

/** A `*.tf.json` text's blocks, or undefined when it does not parse. */
function tfJson(lines: readonly string[]): TfJson | undefined {
  if (lines.length === 0) return { blocks: new Map(), accounted: [] };
  const root = jsonWithLines(lines.join('\n'));
  if (!root || root.kind !== 'object') return undefined;
  const out: TfJson = { blocks: new Map(), accounted: [] };
  const body = (node: JsonNode, line: number): TfJsonBlock => {
    const b: TfJsonBlock = { line, switches: [] };
    // Settings at any depth of the block (Google's `settings.deletion_protection_enabled`), as HCL's are read.
    const walk = (n: JsonNode, top: boolean) => {
      for (const e of entriesOf(n)) {
        const v = hclValue(e.value);
        if (v !== undefined) {
          if (DATA_SWITCHES.has(e.key)) b.switches.push({ name: e.key, value: v, line: e.line });
          if (e.key === 'prevent_destroy' && v === 'true') b.prevent ??= e.line;
          if (top && e.key === 'count') b.count = { value: v, line: e.line };
        } else walk(e.value, false);
        if (top && e.key === 'for_each') b.forEach = e.line;
      }
    };
    walk(node, true);
    return b;
  };
  for (const top of entriesOf(root)) {
    if (top.key === 'resource') {
      for (const type of entriesOf(top.value)) for (const name of entriesOf(type.value)) out.blocks.set(`${type.key}.${name.key}`, body(name.value, name.line));
    } else if (top.key === 'module') {
      for (const name of entriesOf(top.value)) out.blocks.set(`module.${name.key}`, body(name.value, name.line));
    } else if (top.key === 'moved' || top.key === 'removed') {
      const blocks = top.value.kind === 'array' ? top.value.items : [top.value];
      for (const b of blocks) {
        const fields = entriesOf(b);
        const from = fields.find((e) => e.key === 'from');
        const value = from && hclValue(from.value);
        const keeps = top.key === 'moved' || fields.some((e) => e.key === 'lifecycle' && entriesOf(e.value).some((l) => l.key === 'destroy' && hclValue(l.value) === 'false'));
        if (value && keeps) out.accounted.push(value.replace(/\[.*$/, ''));
      }
    }
  }
  return out;
}

interface TfJsonFile {
  s: Sides;
  folder: string;
  old?: TfJson;
  now?: TfJson;
}

type TfSyntax = 'hcl' | 'json';
const tfSyntax = (path: string): TfSyntax | undefined => (TERRAFORM.test(path) ? 'hcl' : TERRAFORM_JSON.test(path) ? 'json' : undefined);

/**
 * A change as Terraform's readers take it, each side by the reader of its own syntax: the
 * change itself when its old and new names are of one syntax; a file renamed across them
 * (`main.tf` → `main.tf.json`, or the reverse, as git pairs a conversion whose lines are mostly
 * alike), or out of Terraform's names (`main.tf.disabled`), or into them, is read as its old
 * file deleted and its new one added, so that the two readers compare their addresses through
 * the change's context (`destroyed` then names only what neither side declares).
 */
function terraformSides(s: Sides): [TfSyntax, Sides][] {
  const was = tfSyntax(s.c.oldPath ?? s.c.path);
  const is = s.c.status === 'deleted' ? was : tfSyntax(s.c.path);
  if (was === is) return was ? [[was, s]] : [];
  const out: [TfSyntax, Sides][] = [];
  const whole = (text: readonly string[]): Line[] => text.map((t, i) => ({ line: i + 1, text: t }));
  if (was) out.push([was, { c: s.c, old: s.old, now: [], removed: whole(s.old), added: [] }]);
  if (is) out.push([is, { c: s.c, old: [], now: s.now, removed: [], added: whole(s.now) }]);
  return out;
}

/** What a `*.tf.json` file adds to the change's Terraform context: its addresses, switches, protections and `moved` blocks. */
function tfJsonContext(ctx: TerraformContext, f: TfJsonFile): void {
  if (!f.old || !f.now) return;
  const key = (a: string) => `${f.folder}\0${a}`;
  const switches = (side: TfJson, into: Map<string, Set<string>>) => {
    for (const [a, b] of side.blocks) for (const sw of b.switches) {
      const set = into.get(key(a)) ?? new Set<string>();
      set.add(`${sw.name}=${sw.value}`);
      into.set(key(a), set);
    }
  };
  for (const a of f.old.blocks.keys()) ctx.declaredBefore.add(key(a));
  for (const [a, b] of f.now.blocks) {
    ctx.declaredAfter.add(key(a));
    if (b.prevent !== undefined) ctx.preventedAfter.add(key(a));
  }
  switches(f.old, ctx.switchesBefore);
  switches(f.now, ctx.switchesAfter);
  for (const from of f.now.accounted) {
    ctx.accounted.add(key(from));
    const inner = /^module\.([^.]+)\.(.+)$/.exec(from);
    if (inner) {
      ctx.accounted.add(key(`module.${inner[1]}`));
      ctx.movedOut.add(inner[2]!);
    }
  }
}

/** The Terraform reader's findings for a `*.tf.json` file, said as for HCL. */
function terraformJson(f: TfJsonFile, ctx: TerraformContext): Danger[] {
  const { old, now } = f;
  if (!old || !now) return [];
  const key = (a: string) => `${f.folder}\0${a}`;
  const out: Danger[] = [];
  const gone = [...old.blocks].filter(([a]) => !ctx.declaredAfter.has(key(a)) && !ctx.accounted.has(key(a)) && !(f.folder !== '' && ctx.movedOut.has(a))).map(([a, b]) => ({ line: b.line, text: a }));
  out.push(...destroyed(gone));
  for (const [a, b] of old.blocks) {
    if (b.prevent !== undefined && !ctx.preventedAfter.has(key(a)) && ctx.declaredAfter.has(key(a))) out.push({ side: 'old', line: b.prevent, what: `removes \`prevent_destroy = true\` from \`${a}\`` });
  }
  const typeOf = (a: string) => a.split('.')[a.startsWith('module.') ? 1 : 0] ?? '';
  const turnedOn = new Set<string>();
  for (const [a, b] of now.blocks) for (const s of b.switches) {
    const sw = DATA_SWITCHES.get(s.name)!;
    if (s.value !== sw.on || ctx.switchesBefore.get(key(a))?.has(`${s.name}=${sw.on}`)) continue;
    const had = [...(ctx.switchesBefore.get(key(a)) ?? [])].some((v) => v.startsWith(`${s.name}=`));
    if (!had && ctx.declaredBefore.has(key(a)) && AWS_DEFAULT_ON.has(s.name) && !a.startsWith('module.') && /^aws_/.test(typeOf(a))) continue;
    turnedOn.add(`${a}\0${s.name}`);
    out.push({ side: 'new', line: s.line, ...(ctx.declaredBefore.has(key(a)) ? {} : { severity: 'warning' as const }), what: `sets \`${s.name} = ${sw.on}\` on \`${a}\`: ${sw.why(typeOf(a))}` });
  }
  for (const [a, b] of old.blocks) for (const s of b.switches) {
    const sw = DATA_SWITCHES.get(s.name)!;
    if (!sw.keeps || s.value !== sw.keeps) continue;
    if (turnedOn.has(`${a}\0${s.name}`) || !ctx.declaredAfter.has(key(a)) || (s.name === 'deletion_protection' && a.startsWith('google_'))) continue;
    const after = [...(ctx.switchesAfter.get(key(a)) ?? [])].filter((v) => v.startsWith(`${s.name}=`)).map((v) => v.slice(s.name.length + 1));
    if (after.includes(sw.keeps) || after.includes(sw.on)) continue;
    turnedOn.add(`${a}\0${s.name}`);
    out.push(
      after.length > 0
        ? { side: 'old', line: s.line, severity: 'warning', what: `replaces \`${s.name} = ${sw.keeps}\` on \`${a}\` with \`${after[0]}\`: where that is \`${sw.on}\`, ${sw.why(typeOf(a))}` }
        : { side: 'old', line: s.line, what: `removes \`${s.name} = ${sw.keeps}\` from \`${a}\`: ${sw.why(typeOf(a))}` },
    );
  }
  for (const [a, b] of now.blocks) {
    const was = old.blocks.get(a);
    if (b.count?.value === '0' && was?.count?.value !== '0') out.push({ side: 'new', line: b.count.line, what: `sets \`count = 0\` on \`${a}\`: Terraform destroys every instance of it` });
    if (b.forEach !== undefined && !b.count && was?.count && was.forEach === undefined && !ctx.accounted.has(key(a))) {
      out.push({ side: 'new', line: b.forEach, what: `switches \`${a}\` from \`count\` to \`for_each\`: every instance gets a new address, destroyed and created again unless \`moved\` blocks map them` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SQL: statements the change adds, read without strings and comments, up to a migration's down section.

const DOWN_SECTION = /^\s*--\s*(?:\+goose\s+Down|migrate:down|\+migrate\s+Down)\b/i;
const UP_SECTION = /^\s*--\s*(?:\+goose\s+Up|migrate:up|\+migrate\s+Up)\b/i;

interface Statement {
  line: number;
  /** The line it ends on. */
  end: number;
  text: string;
}

/** Statements (cut at `;`) of a text's lines, without `'…'` strings and comments, each with the lines it spans; a down section left out. */
function statements(lines: readonly string[]): Statement[] {
  const out: Statement[] = [];
  let text = '';
  let start = 0;
  let comment = false;
  let down = false;
  let last = 0;
  const flush = () => {
    if (text.trim() !== '') out.push({ line: start, end: last, text: text.replace(/\s+/g, ' ').trim() });
    text = '';
  };
  for (const line of lines) {
    last++;
    if (DOWN_SECTION.test(line)) {
      flush();
      down = true;
      continue;
    }
    if (UP_SECTION.test(line)) down = false;
    if (down) continue;
    let rest = line;
    let code = '';
    while (rest !== '') {
      if (comment) {
        const end = rest.indexOf('*/');
        if (end < 0) {
          rest = '';
          break;
        }
        comment = false;
        rest = rest.slice(end + 2);
        continue;
      }
      const m = /'(?:[^']|'')*'?|--|\/\*|;/.exec(rest);
      if (!m) {
        code += rest;
        break;
      }
      code += rest.slice(0, m.index);
      rest = rest.slice(m.index + m[0].length);
      if (m[0] === '--') break;
      // A comment or a string stands between words as a space does (`DROP/**/TABLE`).
      if (m[0] === '/*') {
        comment = true;
        code += ' ';
      } else if (m[0] === ';') {
        if (text === '' && code.trim() !== '') start = last;
        text += ` ${code}`;
        code = '';
        flush();
      } else code += ' ';
    }
    if (code.trim() !== '') {
      if (text.trim() === '') start = last;
      text += ` ${code}`;
    }
  }
  flush();
  return out;
}

const SQL_DROP = /\b(DROP\s+(?:TABLE|SCHEMA|DATABASE|COLUMN)|TRUNCATE(?=\s+(?:TABLE\b|ONLY\b|[A-Za-z_"`[])))\b/i;
const ALTER_DROP = /\bALTER\s+TABLE\b.*?\bDROP\s+(?!CONSTRAINT\b|INDEX\b|KEY\b|DEFAULT\b|NOT\b|PRIMARY\b|FOREIGN\b|CHECK\b|PARTITION\b|COLUMN\b|IF\b|IDENTITY\b|EXPRESSION\b)[A-Za-z_"`[]/i;
const DELETE = /\bDELETE\s+FROM\b/i;

/** SQL that builds a test or development database from nothing (a seed, a fixture, a container's init script): dropping there deserves a look, not an alarm. */
const SEED_SQL = /(?:^|\/)(?:tests?|__tests__|spec|fixtures?|testdata|seeds?|docker-entrypoint-initdb\.d)\/|(?:^|\/)[^/]*seed[^/]*\.sql$/i;
/** The table a `CREATE TABLE` or `DROP TABLE` statement names (`IF [NOT] EXISTS`, a schema and quotes left out). */
const TABLE_OF = /^(?:CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY|UNLOGGED)\s+)?TABLE|DROP\s+TABLE)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?:[`"[]?\w+[`"\]]?\.)?[`"[]?(\w+)/i;

function sql(s: Sides): Danger[] {
  // Whole statements of both texts: one whose WHERE line is unchanged is read with it.
  const before = new Set(statements(s.old).map((st) => st.text.toLowerCase()));
  const touched = s.added.map((l) => l.line);
  const seed = SEED_SQL.test(s.c.path);
  const created = new Set<string>();
  const out: Danger[] = [];
  // Where the text creates each policy: one dropped and created again below is replaced.
  const policies = new Map<string, number>();
  for (const st of statements(s.now)) {
    const m = /^CREATE/i.test(st.text) ? POLICY_OF.exec(st.text) : null;
    if (m) policies.set(policyKey(m), st.line);
  }
  for (const st of statements(s.now)) {
    const table = TABLE_OF.exec(st.text);
    if (table && /^CREATE/i.test(st.text)) created.add(table[1]!.toLowerCase());
    if (before.has(st.text.toLowerCase()) || !touched.some((n) => n >= st.line && n <= st.end)) continue;
    // A table this file made a moment before (a temporary table, a rebuild's copy) holds no data to lose.
    if (table && /^DROP/i.test(st.text) && created.has(table[1]!.toLowerCase())) continue;
    const drop = SQL_DROP.exec(st.text);
    const at = { side: 'new' as const, line: st.line, ...(seed ? { severity: 'warning' as const } : {}) };
    if (drop) out.push({ ...at, what: `runs \`${drop[1]!.replace(/\s+/g, ' ').toUpperCase()}\`: data is lost` });
    else if (ALTER_DROP.test(st.text)) out.push({ ...at, what: 'drops a column (`ALTER TABLE … DROP`): its data is lost' });
    else if (DELETE.test(st.text) && !/\bWHERE\b/i.test(st.text)) out.push({ ...at, what: 'runs `DELETE FROM` with no `WHERE`: every row is deleted' });
    else if (/^UPDATE\s+\S+\s+SET\b/i.test(st.text) && !/\bWHERE\b/i.test(st.text)) out.push({ ...at, severity: 'warning', what: 'runs `UPDATE` with no `WHERE`: every row is rewritten' });
    const access = sqlAccess(st, policies);
    if (access) out.push({ ...at, ...access, ...(seed ? { severity: 'warning' as const } : {}) });
  }
  return out;
}

/** A policy's name and table, as a `CREATE POLICY` or `DROP POLICY` statement names them. */
const POLICY_OF = /^(?:CREATE|DROP)\s+POLICY\s+(?:IF\s+EXISTS\s+)?("[^"]+"|\S+)\s+ON\s+(\S+)/i;
const policyKey = (m: RegExpExecArray) => `${m[1]!.replace(/"/g, '').toLowerCase()}\0${m[2]!.replace(/"/g, '').replace(/^public\./i, '').toLowerCase()}`;
/** Roles that are everyone: Postgres's `PUBLIC`, Supabase's `anon` (whoever holds the project's public key). */
const ANYONE = /^(?:anon|public)$/i;
const WRITE_PRIVILEGES = /\b(?:INSERT|UPDATE|DELETE|TRUNCATE|ALL)\b/i;

/**
 * Row-level security opened up (Postgres, Supabase): turned off, a policy dropped, a policy
 * that passes every row, write privileges granted to everyone. `policies`: the last line the
 * text creates each policy on; one dropped and created again below (`DROP POLICY IF EXISTS`
 * then `CREATE POLICY`) is replaced, not dropped.
 */
function sqlAccess(st: Statement, policies: ReadonlyMap<string, number>): Pick<Danger, 'what' | 'severity'> | undefined {
  const text = st.text;
  const table = /^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(\S+)\s+DISABLE\s+ROW\s+LEVEL\s+SECURITY\b/i.exec(text);
  if (table) return { what: `turns off row-level security on ${codeSpan(table[1]!)}: its policies no longer apply, and every role granted the table reads and writes every row` };
  const policy = POLICY_OF.exec(text);
  if (policy && /^DROP/i.test(text)) {
    return (policies.get(policyKey(policy)) ?? 0) > st.line ? undefined : { severity: 'warning', what: `drops the row-level security policy ${codeSpan(policy[1]!)} on ${codeSpan(policy[2]!)}: what it allowed or refused no longer applies` };
  }
  if (policy) {
    const all = /\b(USING|WITH\s+CHECK)\s*\(\s*\(?\s*true\s*\)?\s*\)/i.exec(text);
    if (!all) return undefined;
    // No `TO` is `TO PUBLIC`.
    const to = /\bTO\s+(.+?)(?=\s+(?:USING|WITH\s+CHECK)\b|$)/i.exec(text)?.[1]?.split(',').map((r) => r.trim().replace(/"/g, '')) ?? ['public'];
    const anyone = to.find((r) => ANYONE.test(r));
    const command = /\bFOR\s+(ALL|SELECT|INSERT|UPDATE|DELETE)\b/i.exec(text)?.[1]?.toUpperCase() ?? 'ALL';
    const who = anyone ? `everyone (${codeSpan(anyone)})` : to.map((r) => codeSpan(r)).join(', ');
    // Every row readable by everyone is often meant (public profiles, published posts): a
    // warning; every row writable by everyone is an error.
    return { ...(anyone && command !== 'SELECT' ? {} : { severity: 'warning' as const }), what: `creates a policy on ${codeSpan(policy[2]!)} that passes every row (${codeSpan(`${all[1]!.replace(/\s+/g, ' ').toUpperCase()} (true)`)}) for ${who}, for ${codeSpan(command)}: row-level security no longer limits which rows they reach` };
  }
  const grant = /^GRANT\s+(.+?)\s+ON\s+(?!(?:FUNCTION|FUNCTIONS|ALL\s+FUNCTIONS|ALL\s+SEQUENCES|ALL\s+ROUTINES|ALL\s+PROCEDURES|SEQUENCE|SCHEMA|DATABASE|ROUTINE|PROCEDURE|LANGUAGE|TYPE|DOMAIN|FOREIGN|LARGE|TABLESPACE|PARAMETER)\b)(.+?)\s+TO\s+(.+?)(?:\s+WITH\s+GRANT\s+OPTION)?(?:\s+GRANTED\s+BY\s+\S+)?$/i.exec(text);
  if (grant && WRITE_PRIVILEGES.test(grant[1]!)) {
    const roles = grant[3]!.split(',').map((r) => r.trim().replace(/"/g, ''));
    const anyone = roles.find((r) => ANYONE.test(r));
    const signedIn = roles.find((r) => /^authenticated$/i.test(r));
    const what = `grants ${codeSpan(grant[1]!.replace(/\s+/g, ' '))} on ${codeSpan(grant[2]!.replace(/^TABLE\s+/i, ''))} to`;
    if (anyone) return { what: `${what} everyone (${codeSpan(anyone)}): whoever holds the project's public key can change its rows, as far as row-level security lets them` };
    if (signedIn) return { severity: 'warning', what: `${what} every signed-in user (${codeSpan(signedIn)}): any account can change its rows, as far as row-level security lets them` };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Migrations written as code (Rails, Django, Alembic, Laravel, Knex, Sequelize, TypeORM, Ecto,
// Liquibase changelogs): the calls that drop a table or a column or delete rows, new in the
// change, outside the migration's down (rollback) part.

/** A code file in a migrations folder: the framework's own migration files. */
const CODE_MIGRATION = /(?:^|\/)(?:migrations?|migrate|alembic\/versions|db\/changelog)\/(?:[^/]+\/)*[^/]+\.(?:rb|py|php|[cm]?[jt]s|exs?|xml|ya?ml|json)$/i;

/** What each destructive call does. Indexes, constraints and foreign keys are not data. */
const MIGRATION_CALLS: ReadonlyArray<{ re: RegExp; what: 'drops a table' | 'drops a column' | 'deletes rows' }> = [
  {
    // Rails, Alembic (`op.drop_table`), Knex/TypeORM/Sequelize (`dropTable`, `dropAllTables`), Laravel (`Schema::drop`, `dropIfExists`), Django (`DeleteModel`), Ecto (`drop table(…)`, `drop(table(…))`), Liquibase (`dropTable`), Phinx (`->drop()`).
    re: /\b(?:(?:drop_table|drop_join_table|dropTable(?:IfExists)?|dropAllTables|Schema::drop(?:IfExists)?|DeleteModel)\b|drop(?:_if_exists)?(?:\s+|\(\s*)table(?=\s*\()|(?<=->)drop\(\))/,
    what: 'drops a table',
  },
  {
    // Rails (`t.remove :x`, `t.remove_references`), Alembic (`op.drop_column`, `batch_op.drop_column`), Django (`RemoveField`), Laravel (`dropConstrainedForeignId` drops the column too; its `->removeColumn` only edits the blueprint), Knex, TypeORM, Sequelize (`removeColumn`), Liquibase (`dropColumn`).
    re: /\b(\w+\.remove(?:\s+|\(\s*):\w+|remove_columns?|remove_references?|remove_belongs_to|remove_timestamps|drop_column|RemoveField|dropColumns?|(?<!->)removeColumn|dropMorphs|dropTimestamps(?:Tz)?|dropSoftDeletes(?:Tz)?|dropRememberToken|dropConstrainedForeignId(?:For)?)\b/,
    what: 'drops a column',
  },
  {
    // Rails models, Laravel and Knex (`truncate()`), TypeORM (`clearTable`), Sequelize (`bulkDelete`).
    re: /(\.delete_all\b|\.destroy_all\b|\btruncate\s*\(\s*\)|\bclearTable\b|\bbulkDelete\b)/,
    what: 'deletes rows',
  },
];
/** SQL run from the migration's code (`execute`, `op.execute`, `queryRunner.query`, `DB::statement`, a heredoc). */
const SQL_IN_CODE = /\b(DROP\s+(?:TABLE|SCHEMA|DATABASE|COLUMN)|TRUNCATE\s+(?:TABLE\b|ONLY\b|(?=["`]?[A-Za-z_][\w.]*["`]?\s*(?:;|$|["'`)]))))/i;
/** An Ecto `remove :field` (Elixir only: `remove` is a common name elsewhere). */
const ECTO_REMOVE = /^\s*remove(?:_if_exists)?(?:\s+|\(\s*):\w+/;

/** Where a migration's rollback begins: `def down`, `def downgrade`, `function down(`, `exports.down =`, `async down(`, `down:`, Rails' `dir.down`, Liquibase's `rollback`, Django's `reverse_sql=`. */
const DOWN_HEADER = /^\s*(?:(?:defp?\s+(?:self\.)?(?:down(?:_\w+)?|downgrade\w*|backwards|rollback|reverse\w*|unapply\w*)\b)|(?:(?:export\s+)?(?:const|let|var)\s+down\s*(?::[^=]*)?=)|(?:(?:export\s+)?(?:public\s+|protected\s+)?(?:static\s+)?(?:async\s+)?function\s+down\s*\()|(?:(?:exports|module\.exports)\.down\s*=)|(?:(?:(?:public|protected|private)\s+)?(?:override\s+)?(?:async\s+)?down\s*(?:\(|:|=))|(?:\w+\.down\b)|(?:<rollback\b)|(?:-?\s*"?rollback"?\s*:)|(?:reverse_(?:sql|code)\s*=)|(?:state_operations\s*=))/;
/** Where an up (forward) part begins, ending a down part at the same depth. */
const UP_HEADER = /^\s*(?:(?:def\s+(?:self\.)?(?:up|upgrade|change|forwards)\b)|(?:(?:export\s+)?(?:const|let|var)\s+up\s*=)|(?:(?:export\s+)?(?:public\s+|protected\s+)?(?:static\s+)?(?:async\s+)?function\s+up\s*\()|(?:(?:exports|module\.exports)\.up\s*=)|(?:(?:public\s+|protected\s+)?(?:async\s+)?up\s*(?:\(|:))|(?:\w+\.up\b))/;
const COMMENT_LINE = /^\s*(?:#|\/\/|\/\*|\*|--|<!--)/;

const indentOf = (line: string) => /^\s*/.exec(line)![0].replace(/\t/g, '    ').length;

/** Which lines of a migration's text are in its down part: from a down header to the first later line at the header's depth or shallower (a closing `}`/`end`, the next method). */
function downLines(lines: readonly string[]): boolean[] {
  const down: boolean[] = [];
  let depth: number | undefined;
  // A YAML `rollback:` whose list items sit at its own depth (`rollback:` then `- dropTable:`).
  let yamlList = false;
  for (const line of lines) {
    const blank = line.trim() === '';
    const listItem = yamlList && indentOf(line) === depth && /^\s*-\s/.test(line);
    if (depth !== undefined && !blank && !listItem && indentOf(line) <= depth && !/^\s*\{\s*$/.test(line)) depth = undefined;
    if (DOWN_HEADER.test(line)) {
      depth = indentOf(line);
      yamlList = /^\s*"?rollback"?\s*:\s*$/.test(line);
    } else if (UP_HEADER.test(line)) depth = undefined;
    down.push(depth !== undefined);
  }
  return down;
}

/** Which lines are prose, not code: in a Python docstring (a triple quote that opens a line) or an XML comment. */
function proseLines(lines: readonly string[]): boolean[] {
  const prose: boolean[] = [];
  let open: string | undefined;
  for (const line of lines) {
    if (open) {
      prose.push(true);
      if (line.includes(open)) open = undefined;
      continue;
    }
    const doc = /^\s*[rRuUbB]?("""|\'\'\')/.exec(line);
    if (doc) {
      prose.push(true);
      // Closed on its own line (`"""Drop the table."""`) or open until its closing quotes.
      if (!line.slice(line.indexOf(doc[1]!) + 3).includes(doc[1]!)) open = doc[1];
      continue;
    }
    if (/^\s*<!--/.test(line)) {
      prose.push(true);
      if (!line.includes('-->')) open = '-->';
      continue;
    }
    prose.push(false);
  }
  return prose;
}

/** A line of code as a finding quotes it: trimmed, and cut at 80 characters. */
function quoted(text: string): string {
  const t = text.trim();
  return codeSpan(t.length > 80 ? `${t.slice(0, 79)}…` : t);
}

/** The call a line opens, up to where its brackets close (at most 20 lines), without any whitespace: what a formatter's reflow leaves the same. */
function callText(lines: readonly string[], from: number): string {
  let depth = 0;
  let text = '';
  for (let i = from; i < Math.min(lines.length, from + 20); i++) {
    const line = lines[i]!;
    text += line;
    for (const ch of line) depth += ch === '(' || ch === '[' || ch === '{' ? 1 : ch === ')' || ch === ']' || ch === '}' ? -1 : 0;
    if (depth <= 0) break;
  }
  return text.replace(/\s+/g, '').replace(/,(?=[)\]}])/g, '').replace(/[,;]$/, '');
}

function codeMigration(s: Sides): Danger[] {
  // A Django squash replaces migrations whose operations ran already.
  if (s.now.some((l) => /^\s*replaces\s*=\s*\[/.test(l))) return [];
  const down = downLines(s.now);
  const prose = proseLines(s.now);
  const elixir = /\.exs?$/i.test(s.c.path);
  const oldFlat = s.old.join('').replace(/\s+/g, '').replace(/,(?=[)\]}])/g, '');
  const out: Danger[] = [];
  for (const l of newLines(s)) {
    if (down[l.line - 1] || prose[l.line - 1] || COMMENT_LINE.test(l.text) || /^\s*(?:from|import|class)\s/.test(l.text)) continue;
    // The down part written on the same line: Django's `reverse_sql=` and state-only
    // operations, the second SQL of `RunSQL(up, down)` or Ecto's `execute up, down`.
    const code = l.text
      .replace(/\b(?:reverse_sql|state_operations)\b.*$/, '')
      .replace(/\b((?:RunSQL|execute)\s*\(?\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))\s*,.*$/, '$1');
    const call = MIGRATION_CALLS.find(({ re }) => re.test(code));
    const what =
      call?.what ??
      (elixir && ECTO_REMOVE.test(code)
        ? 'drops a column'
        : SQL_IN_CODE.test(code)
          ? `runs ${codeSpan(SQL_IN_CODE.exec(code)![1]!.replace(/\s+/g, ' ').trim().toUpperCase())}`
          : ALTER_DROP.test(code)
            ? 'drops a column'
            : (DELETE.test(code) && !/\bWHERE\b/i.test(code)) || (/\.objects(?:\.all\(\))?\.delete\(\)/.test(code)) || (/\.del\(\)|\.delete\(\)/.test(code) && /\bknex\b|\bdb\(|\btable\(/.test(code) && !/\.where/.test(code))
              ? 'deletes rows'
              : undefined);
    // The same call as before, only reflowed over lines (a formatter run over old migrations).
    if (what && oldFlat !== '' && oldFlat.includes(callText(s.now, l.line - 1))) continue;
    if (what) out.push({ side: 'new', line: l.line, what: `${what} (${quoted(l.text)}): ${what === 'deletes rows' ? 'the rows are gone' : 'its data is lost'}` });
    // Every row rewritten (a backfill, most often meant) or a column renamed under running code: warnings.
    else if (/\bUPDATE\s+[`"[]?\w+[`"\]]?\s+SET\b/i.test(code) && !/\bWHERE\b/i.test(code)) out.push({ side: 'new', line: l.line, severity: 'warning', what: `rewrites every row (${quoted(l.text)}: \`UPDATE\` with no \`WHERE\`)` });
    else if (/\b(?:rename_column|RenameField|renameColumn|rename_table|RenameModel|renameTable)\b/.test(code)) out.push({ side: 'new', line: l.line, severity: 'warning', what: `renames a column or table (${quoted(l.text)}): code still running during the deploy reads the old name` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Prisma schemas: a model or a field gone is a table or a column the next `prisma migrate` drops.

const PRISMA = /\.prisma$/;
const PRISMA_SCALARS = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes', 'Unsupported']);

interface PrismaModel {
  name: string;
  table: string;
  line: number;
  /** Column name -> the field's name and line. */
  columns: Map<string, { field: string; line: number }>;
  /** Every field's name, columns or not. */
  fields: Set<string>;
}

/** The models of a Prisma text with their columns; `knownEnums`, the enums every Prisma text of the change declares (a schema split into files). */
function prismaModels(lines: readonly string[], knownEnums: ReadonlySet<string> = new Set()): PrismaModel[] {
  const models: PrismaModel[] = [];
  const enums = new Set<string>();
  let model: (Omit<PrismaModel, 'fields'> & { parsed: Array<{ field: string; type: string; column: string; line: number; relation: boolean }> }) | undefined;
  const blocks: NonNullable<typeof model>[] = [];
  lines.forEach((raw, i) => {
    const l = raw.replace(/\/\/.*$/, '');
    const m = /^\s*model\s+(\w+)\s*\{/.exec(l);
    if (m) {
      model = { name: m[1]!, table: m[1]!, line: i + 1, columns: new Map(), parsed: [] };
      blocks.push(model);
      return;
    }
    const e = /^\s*enum\s+(\w+)\s*\{/.exec(l);
    if (e) enums.add(e[1]!);
    if (!model) return;
    if (/^\s*\}/.test(l)) {
      model = undefined;
      return;
    }
    const map = /^\s*@@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(l);
    if (map) model.table = map[1]!;
    const f = /^\s*(\w+)\s+(\w+)(\[\])?\??/.exec(l);
    if (f) model.parsed.push({ field: f[1]!, type: f[2]!, column: /@map\(\s*(?:name\s*:\s*)?"([^"]+)"/.exec(l)?.[1] ?? f[1]!, line: i + 1, relation: /@relation\b/.test(l) });
  });
  for (const b of blocks) {
    for (const f of b.parsed) {
      // A relation field (its type a model, or not a type known to hold a value) has no column.
      if (f.relation || (!PRISMA_SCALARS.has(f.type) && !enums.has(f.type) && !knownEnums.has(f.type))) continue;
      b.columns.set(f.column, { field: f.field, line: f.line });
    }
    models.push({ name: b.name, table: b.table, line: b.line, columns: b.columns, fields: new Set(b.parsed.map((f) => f.field)) });
  }
  return models;
}

/** Old models and columns that no new Prisma text of the change declares (by table and column name). */
function prisma(s: Sides, after: ReadonlyMap<string, { columns: ReadonlySet<string>; fields: ReadonlySet<string> }>, knownEnums: ReadonlySet<string> = new Set()): Danger[] {
  const out: Danger[] = [];
  for (const m of prismaModels(s.old, knownEnums)) {
    const { columns, fields } = after.get(m.table) ?? {};
    if (!columns || !fields) {
      out.push({ side: 'old', line: m.line, what: `removes the model \`${m.name}\`: the next \`prisma migrate\` drops its table${m.table !== m.name ? ` \`${m.table}\`` : ''} and the data in it` });
      continue;
    }
    for (const [column, f] of m.columns) {
      if (columns.has(column)) continue;
      // Still a field by that name: its type changed (to another type, an enum, a relation), which Prisma migrates by dropping the column.
      if (fields.has(f.field)) out.push({ side: 'old', line: f.line, what: `changes the type of the field \`${m.name}.${f.field}\`: the next \`prisma migrate\` may drop and re-create its column, and the data in it` });
      else out.push({ side: 'old', line: f.line, what: `removes the field \`${m.name}.${f.field}\`: the next \`prisma migrate\` drops its column and the data in it` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// GitHub workflows: a fork's code run with the base repository's token and secrets.

/**
 * A YAML line as its value reads: escapes of double-quoted strings decoded (`\u0074`), quotes
 * dropped, a comment cut. So `"pull_request_\u0074arget"` is the trigger it names.
 */
function yamlPlain(line: string): string {
  return line
    .replace(/\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\U([0-9a-fA-F]{8})/g, (_, u: string, x: string, U: string) => {
      const code = parseInt(u ?? x ?? U, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '';
    })
    .replace(/\s#.*$/, '')
    .replace(/["']/g, '');
}

/** Whether a workflow text has this trigger: in an `on:` line, or as a key or list item of its own. */
function hasTrigger(lines: readonly string[], trigger: string): boolean {
  const inOn = new RegExp(`^\\s*on\\s*:.*\\b${trigger}\\b`);
  const own = new RegExp(`^\\s*-?\\s*${trigger}\\s*:?\\s*$`);
  return lines.some((l) => {
    const plain = yamlPlain(l);
    return inOn.test(plain) || own.test(plain);
  });
}

/**
 * A checkout of the pull request's own code: a `ref:` naming its head or merge commit, or a
 * command that fetches it. Not a guard that compares its head repository, nor a concurrency
 * group named after its branch.
 */
const PR_HEAD = /(?:^\s*-?\s*|[{,]\s*)ref\s*:.*(?:github\.event\.pull_request\.(?:head\.(?:sha|ref)|merge_commit_sha)|github\.head_ref|refs\/pull\/)|\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|checkout)\b.*(?:refs\/pull\/|pull\/\S+\/head|github\.head_ref|pull_request\.head\.)/;

/** A step that runs code from the checkout: package scripts and installs, builds, test runners, the checkout's own scripts, actions and files run by node or python. */
const RUNS_CHECKOUT = /\b(?:npm|npx|yarn|pnpm|bun|make|pip3?|pipenv|poetry|uv|pytest|tox|go\s+(?:test|run|build|generate)|cargo|gradlew?|mvnw?|dotnet|docker\s+(?:build|compose)|composer|bundle\s+(?:install|exec)|rake)\b|(?:^|[\s;&|(])(?:\.\/|bash\s+(?!-c)[^\s$]|sh\s+(?!-c)[^\s$])|\buses\s*:\s*\.\/|\b(?:node|python3?|ruby|deno)\s+(?!["']?\$)[\w./-]/;

function workflow(s: Sides): Danger[] {
  const out: Danger[] = [];
  const fresh = newLines(s);
  const target = hasTrigger(s.now, 'pull_request_target');
  if (target) {
    const newTrigger = !hasTrigger(s.old, 'pull_request_target');
    const head = s.now.findIndex((l) => PR_HEAD.test(yamlPlain(l)));
    const headAdded = fresh.find((l) => PR_HEAD.test(yamlPlain(l.text)));
    if (head >= 0 && (newTrigger || headAdded)) {
      // A head checked out as data (no token left in it, no later step that runs anything from
      // it: an install, a build, a script or local action of the checkout) is how a gate reads
      // the change safely; SpecGate's own workflow does it. Anything that runs it is the attack.
      // Its steps' commands, not their names (`name: Review bundle`).
      const after = s.now.slice(head + 1).map(yamlPlain).filter((l) => !/^\s*-?\s*name\s*:/.test(l));
      const runsIt = after.some((l) => RUNS_CHECKOUT.test(l));
      const data = !runsIt && s.now.some((l) => /^\s*persist-credentials\s*:\s*false\b/.test(yamlPlain(l)));
      out.push(
        data
          ? { side: 'new', line: headAdded?.line ?? head + 1, severity: 'warning', what: "checks out the pull request's head in a `pull_request_target` workflow, which has the base repository's token and secrets: no step runs it now, and none may (an install, a build, a script of the checkout would run a fork's code with them)" }
          : { side: 'new', line: headAdded?.line ?? head + 1, what: "runs the pull request's own code (its head) in a `pull_request_target` workflow, which has the base repository's token and secrets" },
      );
    } else if (newTrigger) {
      const at = s.now.findIndex((l) => /pull_request_target/.test(yamlPlain(l)));
      out.push({ side: 'new', line: at + 1, severity: 'warning', what: "runs on `pull_request_target`, with the base repository's token and secrets, for pull requests from forks" });
    }
  }
  if (hasTrigger(s.now, 'workflow_run')) {
    // New to the workflow, not a version bump of a step it had.
    const takes = (l: string) => /download-artifact|github\.event\.workflow_run\.head_/.test(yamlPlain(l));
    const artifact = s.old.some(takes) && hasTrigger(s.old, 'workflow_run') ? undefined : fresh.find((l) => takes(l.text));
    if (artifact) out.push({ side: 'new', line: artifact.line, what: "takes another run's artifact or head in a `workflow_run` workflow, which has the base repository's token and secrets" });
  }
  const isWriteAll = (l: string) => /^\s*permissions\s*:\s*write-all\b/.test(yamlPlain(l));
  const writeAll = fresh.find((l) => isWriteAll(l.text));
  if (writeAll && !s.old.some(isWriteAll)) out.push({ side: 'new', line: writeAll.line, what: 'grants `permissions: write-all`' });
  return out;
}

// Supply chain: what a workflow, CI file or script takes from outside and runs. Counted, so a
// step moved or re-indented is not new.

/** An action or reusable workflow a `uses:` line names, without its ref; none for a local one (`./…`) or an image (`docker://…`). */
function usesOf(text: string): { name: string; ref: string } | undefined {
  const m = /^\s*-?\s*uses\s*:\s*(\S+)/.exec(yamlPlain(text));
  if (!m || m[1]!.startsWith('./') || m[1]!.startsWith('docker://')) return undefined;
  const at = m[1]!.lastIndexOf('@');
  return at > 0 ? { name: m[1]!.slice(0, at), ref: m[1]!.slice(at + 1) } : undefined;
}

const COMMIT = /^[0-9a-f]{40}$/i;
/** GitHub's own actions: not a third party. */
const FIRST_PARTY = /^(?:actions|github)\//i;
const ownerOf = (name: string) => name.split('/')[0]!.toLowerCase();

/** How many of the lines the key gives: a count per key. */
function tally<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of items) out.set(key(t), (out.get(key(t)) ?? 0) + 1);
  return out;
}

/** The lines of the YAML mapping the key at `at` is one of: a step (from its `- ` on) or a job, up to the next step or key less indented. */
function mappingOf(lines: readonly string[], at: number): { from: number; to: number } {
  const keyCol = (l: string) => /^\s*(?:-\s+)?/.exec(l)![0].replace(/\t/g, '    ').length;
  const col = keyCol(lines[at]!);
  const skip = (l: string) => l.trim() === '' || /^\s*#/.test(l);
  let from = at;
  if (!/^\s*-\s/.test(lines[at]!)) {
    for (let i = at - 1; i >= 0; i--) {
      if (skip(lines[i]!)) continue;
      if (/^\s*-\s/.test(lines[i]!) && keyCol(lines[i]!) === col) from = i;
      if (indentOf(lines[i]!) < col) break;
      from = i;
    }
  }
  let to = at;
  for (let i = at + 1; i < lines.length; i++) {
    if (skip(lines[i]!)) continue;
    if (indentOf(lines[i]!) < col) break;
    to = i;
  }
  return { from, to };
}

/** The remote reusable workflows `secrets: inherit` hands every secret to, with the line it is on. */
function inherits(lines: readonly string[]): { line: number; name: string }[] {
  const out: { line: number; name: string }[] = [];
  lines.forEach((l, i) => {
    if (!/^\s*secrets\s*:\s*inherit\s*$/.test(yamlPlain(l))) return;
    const { from, to } = mappingOf(lines, i);
    const uses = lines.slice(from, to + 1).map(usesOf).find((u) => u !== undefined && /\/\.github\/workflows\//.test(u.name));
    if (uses) out.push({ line: i + 1, name: uses.name });
  });
  return out;
}

/** What each permission a token is given to write lets its steps do. */
const WRITE_SCOPES: Record<string, string> = {
  contents: 'push commits and tags, and publish releases',
  'id-token': 'get OIDC tokens, which the cloud roles that trust this repository accept',
  packages: "publish and overwrite the repository's packages",
  actions: 'start, cancel and re-run workflows, and delete their caches and artifacts',
};

/** A write permission a workflow grants: its line, the `permissions:` line of its block, and the job it is for (none: the workflow's, every job's). */
interface WriteGrant {
  line: number;
  block: number;
  scope: string;
  job?: string;
}

/** The job a `permissions:` key at line index `perm` belongs to; none for the workflow's own (at the top level). */
function permissionsJob(lines: readonly string[], perm: number): string | undefined {
  if (indentOf(lines[perm]!) === 0) return undefined;
  const job = parentLine(lines, perm, indentOf(lines[perm]!));
  return job < 0 ? undefined : /^\s*([\w.-]+)\s*:/.exec(yamlPlain(lines[job]!))?.[1];
}

/**
 * Whose `permissions:` a workflow sets, in any form (a block, `{…}`, `read-all`, `write-all`):
 * `''` for the workflow's own, else the job's name. A job with none of its own, in a workflow
 * with none, gets the repository's default token, which may already write everything.
 */
function permissionsSet(lines: readonly string[]): Set<string> {
  const out = new Set<string>();
  lines.forEach((l, i) => {
    if (/^\s*permissions\s*:/.test(yamlPlain(l))) out.add(permissionsJob(lines, i) ?? '');
  });
  return out;
}

/** The write permissions a workflow grants (any scope; WRITE_SCOPES says what the ones read for a warning let), at the workflow (every job) or at a job, each at its line. */
function writeGrants(lines: readonly string[]): WriteGrant[] {
  const out: WriteGrant[] = [];
  lines.forEach((l, i) => {
    const plain = yamlPlain(l);
    const flow = /^\s*permissions\s*:\s*\{([^}]*)\}/.exec(plain);
    if (flow) {
      for (const m of flow[1]!.matchAll(/([\w-]+)\s*:\s*write\b/g)) out.push({ line: i + 1, block: i + 1, scope: m[1]!, job: permissionsJob(lines, i) });
      return;
    }
    const m = /^\s*([\w-]+)\s*:\s*write\s*$/.exec(plain);
    if (!m) return;
    const perm = parentLine(lines, i, indentOf(l));
    if (perm >= 0 && /^\s*permissions\s*:\s*$/.test(yamlPlain(lines[perm]!))) out.push({ line: i + 1, block: perm + 1, scope: m[1]!, job: permissionsJob(lines, perm) });
  });
  return out;
}

/** `` `contents`, `checks` and `packages` ``: scopes as a sentence lists them. */
const scopeList = (scopes: readonly string[]) => verbs(scopes.map(codeSpan).join(', '));

/**
 * A script fetched and run in one go: `curl … | sh`, `wget -qO- … | bash`, `bash <(curl …)`,
 * `sh -c "$(curl …)"`, `iex (irm …)`, `irm … | iex`. Not a download saved to a file (and
 * checked) before it runs, nor `| sha256sum` or `| python -m json.tool`.
 */
const DOWNLOAD_RUN = [
  /\b(?:curl|wget)\b(?:[^|;&]|&(?![&\s]))*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:(?:ba|z|da|k)?sh\b(?![.\w-])|(?:python3?|perl|ruby|node)\s+-(?:\s|$))/,
  /\b(?:ba|z)?sh\s+(?:-\S+\s+)*<\(\s*(?:curl|wget)\b/,
  /\b(?:ba|z)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b/,
  /\b(?:iex|Invoke-Expression)\b[\s(&]*(?:irm|iwr|Invoke-RestMethod|Invoke-WebRequest|(?:\(\s*)?New-Object\s+(?:System\.)?Net\.WebClient\b)/i,
  /\b(?:irm|iwr|Invoke-RestMethod|Invoke-WebRequest)\b[^|;]*\|\s*(?:iex|Invoke-Expression)\b/i,
];

/**
 * A here-document `cat` prints (`cat <<EOF`, `cat >&2 <<'EOF'`, `cat <<EOF > NOTES.md`): its
 * lines are text, the install instructions a script shows (or a job summary). Not one fed to a shell (`su - u <<EOF`,
 * `ssh host bash <<EOF`), nor `cat` writing a script (`cat > install.sh <<EOF`).
 */
const CAT_HEREDOC = /(?:^|[\s;&|(])cat\b(?:\s+(?:-\S*|[0-9]?>>?\s*(?:&[0-9]|\/dev\/std(?:err|out)|[\w./-]+\.(?:md|txt)\b|\$\{?GITHUB_STEP_SUMMARY\b\}?)))*\s*<<-?\s*(['"]?)([A-Za-z_]\w*)\1(?:\s+[0-9]?>>?\s*(?:&[0-9]|\/dev\/std(?:err|out)|[\w./-]+\.(?:md|txt)\b|\$\{?GITHUB_STEP_SUMMARY\b\}?))?\s*$/;

/** Which lines are inside a here-document `cat` prints (CAT_HEREDOC). */
function printedText(lines: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let end: string | undefined;
  for (const l of lines) {
    if (end !== undefined) {
      out.push(true);
      if (l.trim() === end) end = undefined;
      continue;
    }
    out.push(false);
    end = CAT_HEREDOC.exec(yamlPlain(l).replace(/^\s*-?\s*(?:run|script)\s*:\s*/, ''))?.[2];
  }
  return out;
}

/** Commands (shell continuations joined) that run a downloaded script, with the host each fetches from; not in a comment, a step's name, or text an `echo` prints (a Makefile's `@echo` too) or a `cat` here-document shows. */
function downloadRuns(lines: readonly string[]): { line: number; span: number; text: string; host: string }[] {
  const logical = joined(lines);
  const printed = printedText(lines);
  return logical.flatMap((l, k) => {
    const plain = yamlPlain(l.text);
    if (printed[l.line - 1] || /^\s*(?:#|\/\/)/.test(l.text) || /^\s*-?\s*(?:name|description)\s*:/.test(plain) || /^\s*(?:-?\s*run\s*:\s*)?[@+-]*\s*(?:echo|printf)\b/.test(plain)) return [];
    if (!DOWNLOAD_RUN.some((r) => r.test(plain))) return [];
    const text = l.text.replace(/^\s*-?\s*(?:(?:run|script)\s*:\s*(?:-\s+)?)?/, '').replace(/\s#.*$/, '').replace(/\s+/g, ' ');
    const span = (logical[k + 1]?.line ?? lines.length + 1) - l.line;
    return [{ line: l.line, span, text, host: /\b(?:https?|ftp):\/\/([^/\s"'`)]+)/i.exec(plain)?.[1]?.toLowerCase() ?? '' }];
  });
}

/** CI configuration and scripts other than GitHub workflows where a downloaded script can run: GitLab, CircleCI, Azure, Bitbucket, Buildkite, Drone, and the hooks, scripts and Makefiles GATE_FILE reads. */
const RUNS_SCRIPTS = (path: string) => CI_FILE.test(path) || GATE_FILE.test(path);

/** A script downloaded and run, new in this change (one more from its host than the base had). */
function downloadRun(s: Sides): Danger[] {
  const fresh = new Set(newLines(s).map((l) => l.line));
  const before = tally(downloadRuns(s.old), (r) => r.host);
  const out: Danger[] = [];
  const now = downloadRuns(s.now);
  const after = tally(now, (r) => r.host);
  for (const r of now) {
    const isNew = Array.from({ length: r.span }, (_, k) => r.line + k).some((n) => fresh.has(n));
    if (!isNew || (after.get(r.host) ?? 0) <= (before.get(r.host) ?? 0)) continue;
    after.set(r.host, after.get(r.host)! - 1);
    out.push({ side: 'new', line: r.line, severity: 'warning', what: `runs a script downloaded at run time, unpinned (${quoted(r.text)}): whatever the address serves then runs, unreviewed` });
  }
  return out;
}

/** GitLab CI configuration by its name: `.gitlab-ci.yml`, `*.gitlab-ci.yml`, and YAML under `.gitlab/` (where included files are often kept). */
const GITLAB_CI = /(?:^|\/|\.)gitlab-ci\.ya?ml$|^\.gitlab\/(?:[^/]+\/)*[^/]+\.ya?ml$/;

/** One entry of a GitLab `include:`: another server's file (`remote:`, or a URL as a plain string), another project's (`project:`), a CI/CD component (`component:`), or this project's (`local:`, or a path). */
interface GitlabInclude {
  /** The line of its `remote:`, `project:`, `component:` or `local:` (or its plain string). */
  line: number;
  /** Every line it stands on. */
  from: number;
  to: number;
  remote?: string;
  /** `integrity:`: the remote file's hash, checked before it is used. */
  integrity?: boolean;
  project?: string;
  ref?: string;
  /** A component's address without its version (`$CI_SERVER_FQDN/group/project/name`), and the version after its `@`. */
  component?: string;
  version?: string;
  local?: string;
}

/**
 * The entries of a GitLab CI text's `include:` keys (the top level's, and a job's
 * `trigger:`'s for a child pipeline), read with the `yaml` library (every document of the text:
 * a file that declares `spec: inputs:` has its configuration after a `---`), scalars as the
 * text wrote them (the failsafe schema: `ref: 1.10` stays `1.10`). A plain string, a list of
 * strings and mappings, one mapping, flow lists and mappings alike; each entry with the lines
 * it stands on, from the parser's offsets.
 */
function gitlabIncludes(lines: readonly string[]): GitlabInclude[] {
  let out = includesRead.get(lines);
  if (out === undefined) includesRead.set(lines, (out = lines.some((l) => /\binclude\s*:/.test(l)) ? readIncludes(lines) : []));
  return out;
}
/** gitlabIncludes of each text, read once: gitlabFiles follows `local:` includes over the same texts again. */
const includesRead = new WeakMap<readonly string[], GitlabInclude[]>();

function readIncludes(lines: readonly string[]): GitlabInclude[] {
  const counter = new LineCounter();
  const lineOf = (offset: number) => counter.linePos(offset).line;
  const out: GitlabInclude[] = [];
  const str = (n: unknown) => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value).trim() : undefined);
  const entry = (n: unknown) => {
    if (!isNode(n) || !n.range) return;
    const [from, to] = [lineOf(n.range[0]), lineOf(Math.max(n.range[0], n.range[1] - 1))];
    const plain = str(n);
    if (plain !== undefined) {
      if (plain !== '') out.push(/^https?:\/\//i.test(plain) ? { line: from, from, to, remote: plain } : { line: from, from, to, local: plain });
      return;
    }
    if (!isMap(n)) return;
    const get = (k: string) => n.items.find((p) => str(p.key) === k);
    const at = (p: { key: unknown }) => (isNode(p.key) && p.key.range ? lineOf(p.key.range[0]) : from);
    const remote = get('remote');
    const project = get('project');
    const component = get('component');
    const local = get('local');
    if (remote && str(remote.value)) out.push({ line: at(remote), from, to, remote: str(remote.value)!, integrity: get('integrity') !== undefined });
    else if (project && str(project.value)) {
      const ref = get('ref') && str(get('ref')!.value);
      out.push({ line: at(project), from, to, project: str(project.value)!, ...(ref ? { ref } : {}) });
    } else if (component && str(component.value)) {
      const c = str(component.value)!;
      const v = c.lastIndexOf('@');
      out.push({ line: at(component), from, to, component: v === -1 ? c : c.slice(0, v), ...(v === -1 ? {} : { version: c.slice(v + 1) }) });
    } else if (local && str(local.value)) out.push({ line: at(local), from, to, local: str(local.value)! });
  };
  const include = (n: unknown) => {
    if (isSeq(n)) for (const x of n.items) entry(x);
    else entry(n);
  };
  for (const doc of parseAllDocuments(lines.join('\n'), { lineCounter: counter, schema: 'failsafe', uniqueKeys: false, strict: false })) {
    if (!isMap(doc.contents)) continue;
    for (const pair of doc.contents.items) {
      if (str(pair.key) === 'include') include(pair.value);
      // A job's `trigger: { include: … }`: a child pipeline's configuration.
      const trigger = isMap(pair.value) ? pair.value.items.find((p) => str(p.key) === 'trigger')?.value : undefined;
      const child = isMap(trigger) ? trigger.items.find((p) => str(p.key) === 'include') : undefined;
      if (child) include(child.value);
    }
  }
  return out;
}

/** The host of a URL, lower-cased. */
const hostOf = (url: string) => /^[a-z+]+:\/\/([^/?#]+)/i.exec(url)?.[1]?.toLowerCase() ?? url;

/** A component version that follows its project's releases: `~latest`, a partial version (`1`, `1.2`), a branch, or none. A full version (`1.2.0`) is a release tag; a full commit SHA is pinned. */
const movingVersion = (v: string | undefined) => v === undefined || !/^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(v);

/** How a finding says a component's version. */
function componentAt(v: string | undefined): string {
  if (v === undefined || v === '') return 'no version';
  if (v === '~latest') return '`~latest` (its newest release whenever a pipeline starts)';
  if (/^v?\d+(?:\.\d+)?$/.test(v)) return `${codeSpan(v)} (its newest matching release whenever a pipeline starts)`;
  if (!movingVersion(v)) return `the release ${codeSpan(v)}`;
  return `${codeSpan(v)}, a branch or tag`;
}

/**
 * GitLab CI configuration included from outside, new in this change: another server's file
 * (`remote:`, or a URL; not one checked against its `integrity:` hash), another project's
 * at a branch or tag rather than a commit, or a CI/CD component (`component:`) at a version
 * other than a commit (not one of this project's own, `$CI_PROJECT_PATH`). Counted like
 * downloadRun (one more from the host, or unpinned from the project, than the base had), so a
 * version bump in the address is not new; a component is counted twice, loose and following
 * releases (`~latest`, `1`, a branch), so a move from a release (`1.2.0`) to `~latest` is new
 * and the move back is not.
 */
function gitlabIncludesAdded(s: Sides): Danger[] {
  const fresh = new Set(newLines(s).map((l) => l.line));
  // The entry's line the change touched (its `ref:` moved off a commit), else its own line: an `integrity:` taken out leaves nothing new.
  const at = (e: GitlabInclude) => Array.from({ length: e.to - e.from + 1 }, (_, k) => e.from + k).find((n) => fresh.has(n));
  const loose = (lines: readonly string[]) =>
    gitlabIncludes(lines).filter((e) => (e.remote !== undefined && !e.integrity) || (e.project !== undefined && !COMMIT.test(e.ref ?? '')) || (e.component !== undefined && !COMMIT.test(e.version ?? '') && !/\$\{?CI_PROJECT_PATH\b/.test(e.component)));
  // A component's project: its address but for the component's name.
  const keysOf = (e: GitlabInclude): string[] => {
    if (e.remote !== undefined) return [`remote\0${hostOf(e.remote)}`];
    if (e.project !== undefined) return [`project\0${e.project.toLowerCase()}`];
    const key = `component\0${e.component!.slice(0, Math.max(0, e.component!.lastIndexOf('/'))).toLowerCase()}`;
    return movingVersion(e.version) ? [`${key}\0moving`, key] : [key];
  };
  const count = (es: readonly GitlabInclude[]) => {
    const m = new Map<string, number>();
    for (const e of es) for (const k of keysOf(e)) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const before = count(loose(s.old));
  const now = loose(s.now);
  const after = count(now);
  const out: Danger[] = [];
  // Those the change touched first, so a new entry is named rather than an old one of the same host.
  for (const e of [...now.filter((e) => at(e) !== undefined), ...now.filter((e) => at(e) === undefined)]) {
    const keys = keysOf(e);
    if (!keys.some((k) => (after.get(k) ?? 0) > (before.get(k) ?? 0))) continue;
    for (const k of keys) after.set(k, after.get(k)! - 1);
    const what = e.remote !== undefined
      ? `includes CI configuration from another server (${quoted(e.remote)}): whatever the address serves when a pipeline starts becomes part of it, with the project's variables and secrets, unreviewed`
      : e.project !== undefined
        ? `includes CI configuration from the project ${codeSpan(e.project)} at ${e.ref !== undefined ? codeSpan(e.ref) : 'its default branch'}, not a commit: whoever can push there decides what runs in this project's pipelines, with their variables and secrets`
        : `includes the CI/CD component ${codeSpan(e.component!)} at ${componentAt(e.version)}, not a commit: whoever can publish or push to its project decides what runs in this project's pipelines, with their variables and secrets`;
    out.push({ side: 'new', line: at(e) ?? e.line, severity: 'warning', what });
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The GitLab CI files of a change: those GITLAB_CI names, and those their `local:` includes
 * name (a `*` in one matches within a folder, `**` across folders), followed from file to file.
 */
function gitlabFiles(read: readonly Sides[]): Set<Sides> {
  const out = new Set(read.filter((s) => GITLAB_CI.test(s.c.path)));
  const glob = (p: string) => new RegExp(`^${p.replace(/^\.?\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*')}$`);
  for (let grew = true; grew; ) {
    grew = false;
    const named = [...out].flatMap((s) => [...gitlabIncludes(s.old), ...gitlabIncludes(s.now)]).flatMap((e) => (e.local !== undefined && !/\$/.test(e.local) ? [glob(e.local)] : []));
    for (const s of read) if (!out.has(s) && YAML.test(s.c.path) && named.some((re) => re.test(s.c.path))) grew = !!out.add(s);
  }
  return out;
}

/**
 * The writes a workflow's token is given that the base did not give (one more of a scope than
 * the base granted). Into a block the base had, for the workflow or the job: a warning per
 * scope. A block where neither the workflow nor the job had one: the token had the
 * repository's default, which may already write everything, so the block may narrow it: one
 * note per block, naming every scope it writes.
 */
function writesGranted(s: Sides, freshAt: ReadonlySet<number>): Danger[] {
  const out: Danger[] = [];
  const had = permissionsSet(s.old);
  const before = tally(writeGrants(s.old), (g) => g.scope);
  const grants = writeGrants(s.now);
  const after = tally(grants, (g) => g.scope);
  const noted = new Set<number>();
  for (const g of grants) {
    if (!(g.scope in WRITE_SCOPES) || !freshAt.has(g.line) || (after.get(g.scope) ?? 0) <= (before.get(g.scope) ?? 0)) continue;
    after.set(g.scope, after.get(g.scope)! - 1);
    const whose = g.job === undefined ? "every job's token" : `the token of the job ${codeSpan(g.job)}`;
    if (had.has('') || (g.job !== undefined && had.has(g.job))) {
      out.push({ side: 'new', line: g.line, severity: 'warning', what: `grants ${codeSpan(`${g.scope}: write`)} to ${whose}: its steps can ${WRITE_SCOPES[g.scope]}` });
    } else if (!noted.has(g.block)) {
      noted.add(g.block);
      const scopes = [...new Set(grants.filter((o) => o.block === g.block).map((o) => o.scope))];
      const since = s.c.status === 'added' ? 'would apply without them (it may write everything): the token can write' : 'applied before (it may already write everything): the token can now write';
      out.push({ side: 'new', line: g.block, severity: 'info', what: `sets \`permissions:\` for ${whose}, where the repository's default ${since} only ${scopeList(scopes)}` });
    }
  }
  return out;
}

/**
 * A workflow's supply chain: an action unpinned from a commit, a third-party action new to the
 * workflow given secrets, every secret handed to another repository's workflow, a token given
 * more to write. `moved`: the owners of actions other workflows of the change stopped using.
 */
function workflowSupply(s: Sides, moved: ReadonlySet<string>): Danger[] {
  const out: Danger[] = [];
  const fresh = newLines(s);
  const uses = (lines: readonly string[]) => lines.flatMap((l, i) => { const u = usesOf(l); return u ? [{ ...u, line: i + 1 }] : []; });
  const [old, now] = [uses(s.old), uses(s.now)];
  const freshAt = new Set(fresh.map((l) => l.line));
  // Unpinned: fewer uses of the action at a commit than the base had, and a new one at a tag or branch.
  const pinned = (us: typeof old) => tally(us.filter((u) => COMMIT.test(u.ref)), (u) => u.name.toLowerCase());
  const [pinnedBefore, pinnedAfter] = [pinned(old), pinned(now)];
  for (const u of now) {
    const key = u.name.toLowerCase();
    const lost = (pinnedBefore.get(key) ?? 0) - (pinnedAfter.get(key) ?? 0);
    if (!freshAt.has(u.line) || COMMIT.test(u.ref) || lost <= 0) continue;
    pinnedBefore.set(key, pinnedBefore.get(key)! - 1);
    out.push({ side: 'new', line: u.line, severity: 'warning', what: `unpins ${codeSpan(u.name)} from a commit to ${codeSpan(u.ref)}: whoever controls that tag or branch decides what runs` });
  }
  // A third party new to the workflow, given secrets.
  const owners = new Set([...old.map((u) => ownerOf(u.name)), ...moved]);
  for (const u of now) {
    if (!freshAt.has(u.line) || FIRST_PARTY.test(u.name) || owners.has(ownerOf(u.name))) continue;
    const { from, to } = mappingOf(s.now, u.line - 1);
    // Not `secrets.GITHUB_TOKEN`: an action has the job's token anyway (an input defaulting to `github.token`); `permissions:` bounds it.
    const secret = s.now.slice(from, to + 1).flatMap((l) => [...yamlPlain(l).matchAll(/\bsecrets\.([\w-]+)/g)].map((m) => m[0])).find((x) => x !== 'secrets.GITHUB_TOKEN');
    if (secret) out.push({ side: 'new', line: u.line, severity: 'warning', what: `gives ${codeSpan(secret)} to ${codeSpan(u.name)}, a third-party action new to this workflow: whatever code that ref holds can read it` });
  }
  // Every secret handed to a workflow of another repository.
  const inheritBefore = tally(inherits(s.old), (i) => i.name.toLowerCase());
  const inheritNow = inherits(s.now);
  const inheritAfter = tally(inheritNow, (i) => i.name.toLowerCase());
  for (const i of inheritNow) {
    const key = i.name.toLowerCase();
    if (!freshAt.has(i.line) || (inheritAfter.get(key) ?? 0) <= (inheritBefore.get(key) ?? 0)) continue;
    inheritAfter.set(key, inheritAfter.get(key)! - 1);
    out.push({ side: 'new', line: i.line, severity: 'warning', what: `passes every secret (\`secrets: inherit\`) to ${codeSpan(i.name)}, a workflow of another repository: whatever it runs can read them` });
  }
  // A token given more to write, where the base gave read or nothing (`write-all` is read above).
  const writeAll = (l: string) => /^\s*permissions\s*:\s*write-all\b/.test(yamlPlain(l));
  if (!s.old.some(writeAll) && !s.now.some(writeAll)) out.push(...writesGranted(s, freshAt));
  // A workflow that runs SpecGate's gate, now on fewer pull requests.
  if (s.old.length > 0 && s.now.some(isGateLine)) {
    const pr = (lines: readonly string[]) => hasTrigger(lines, 'pull_request') || hasTrigger(lines, 'pull_request_target');
    if (pr(s.old) && !pr(s.now)) {
      const on = s.now.findIndex((l) => /^\s*on\s*:/.test(yamlPlain(l)));
      out.push({ side: 'new', line: on + 1, severity: 'warning', what: "stops running SpecGate's gate on pull requests (no `pull_request` trigger left): they are no longer checked" });
    } else if (pr(s.now)) {
      const filters = (lines: readonly string[]) => lines.flatMap((l, i) => {
        const m = /^\s*(paths|paths-ignore|branches|branches-ignore)\s*:/.exec(yamlPlain(l));
        const parent = m ? parentLine(lines, i, indentOf(l)) : -1;
        return parent >= 0 && /^\s*(?:pull_request|pull_request_target)\s*:\s*$/.test(yamlPlain(lines[parent]!)) ? [{ line: i + 1, key: m![1]!, text: l }] : [];
      });
      const before = tally(filters(s.old), (f) => f.key);
      for (const f of filters(s.now)) {
        if (!freshAt.has(f.line) || (before.get(f.key) ?? 0) > 0) continue;
        before.set(f.key, 1);
        out.push({ side: 'new', line: f.line, severity: 'warning', what: `limits which pull requests run SpecGate's gate (${quoted(f.text)}): those it leaves out are not checked` });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles: the image a build starts from.

/** The image a `FROM` line names, without its tag or digest or Docker Hub's default prefixes (`docker.io/library/node:20` -> `node`). */
function imageOf(text: string): string | undefined {
  const m = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(text);
  if (!m) return undefined;
  return m[1]!
    .replace(/^["']|["']$/g, '')
    .replace(/@.*$/, '')
    .replace(/:[^/:]*$/, '')
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io|mirror\.gcr\.io)\//i, '')
    .replace(/^public\.ecr\.aws\/docker\//i, '')
    .replace(/^library\//, '');
}

interface From {
  line: number;
  image: string;
  /** The `ARG` lines whose defaults it was read through. */
  args: number[];
}

/** Each `FROM` line's image, `$NAME` and `${NAME}` read through the `ARG` defaults above it (`ARG BASE=node:20`, `FROM ${BASE}`); one that stays a variable is not read. */
function fromsOf(lines: readonly string[]): From[] {
  // Only the ARGs before the first FROM (global ones) are read in FROM lines; an ARG's default can read an earlier one.
  const args = new Map<string, { value: string; lines: number[] }>();
  const out: From[] = [];
  let global = true;
  const expand = (text: string, used: number[]) =>
    text.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (whole, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      const a = args.get(braced ?? bare!);
      if (a && a.value !== '') {
        used.push(...a.lines);
        return a.value;
      }
      return fallback ?? whole;
    });
  lines.forEach((text, i) => {
    const arg = global ? /^\s*ARG\s+(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S*))/i.exec(text) : null;
    if (arg) {
      const used = [i + 1];
      const value = expand(arg[2] ?? arg[3] ?? arg[4] ?? '', used);
      args.set(arg[1]!, { value, lines: used });
    }
    if (!/^\s*FROM\s/i.test(text)) return;
    global = false;
    const used: number[] = [];
    const resolved = expand(text, used);
    const image = imageOf(resolved);
    if (image !== undefined && !image.includes('$')) out.push({ line: i + 1, image, args: used });
  });
  return out;
}

function dockerfile(s: Sides): Danger[] {
  const stages = new Set(s.now.flatMap((l) => /^\s*FROM\s+.*\s+AS\s+(\S+)\s*$/i.exec(l)?.[1]?.toLowerCase() ?? []));
  const before = new Set(fromsOf(s.old).map((f) => f.image));
  const now = fromsOf(s.now);
  const after = new Set(now.map((f) => f.image));
  const gone = [...before].filter((i) => !after.has(i) && !stages.has(i.toLowerCase()));
  const fresh = new Set(newLines(s).map((l) => l.line));
  const out: Danger[] = [];
  const said = new Set<string>();
  for (const f of now) {
    // The line that brought the image in: the FROM line, or an ARG default it reads (once, however many FROM lines read it).
    const line = fresh.has(f.line) ? f.line : f.args.find((a) => fresh.has(a));
    if (line === undefined || said.has(`${line}\0${f.image}`)) continue;
    said.add(`${line}\0${f.image}`);
    if (before.has(f.image) || stages.has(f.image.toLowerCase()) || f.image === 'scratch') continue;
    if (gone.length > 0) out.push({ side: 'new', line, what: `takes its base image from \`${f.image}\` instead of \`${gone.join('`, `')}\`` });
    else out.push({ side: 'new', line, severity: 'warning', what: `pulls a new image into the build: \`${f.image}\`` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes: objects whose deletion takes more with them, by kind and name, across the change.

/** Kinds whose deletion takes more with it (a Map: `kind: constructor` is no such kind). */
const DESTRUCTIVE_KINDS: ReadonlyMap<string, string> = new Map([
  ['Namespace', 'deleting a Namespace deletes everything in it'],
  ['PersistentVolumeClaim', 'its volume, and the data on it, can be deleted with it'],
  ['PersistentVolume', 'the data on it can be lost'],
  ['CustomResourceDefinition', 'every object of that type is deleted with it'],
]);

interface K8sObject {
  kind: string;
  name: string;
  /** The `kind:` line. */
  line: number;
}

/** The objects of a YAML text of destructive kinds, each with its `metadata.name`, document by document. */
function k8sObjects(lines: readonly string[]): K8sObject[] {
  const out: K8sObject[] = [];
  let kind: { kind: string; line: number } | undefined;
  let name: string | undefined;
  let inMetadata = false;
  const flush = () => {
    if (kind && DESTRUCTIVE_KINDS.has(kind.kind)) out.push({ kind: kind.kind, name: name ?? '', line: kind.line });
    kind = undefined;
    name = undefined;
    inMetadata = false;
  };
  lines.forEach((l, i) => {
    if (/^---/.test(l)) return flush();
    const k = /^kind:\s*["']?(\w+)["']?\s*(?:#.*)?$/.exec(l);
    if (k) kind = { kind: k[1]!, line: i + 1 };
    if (/^metadata:\s*$/.test(l)) inMetadata = true;
    else if (/^\S/.test(l)) inMetadata = false;
    if (!inMetadata) return;
    name ??= metadataName(lines, i);
  });
  flush();
  return out;
}

/** `metadata.name` where `metadata:` is line `at`: its own `name:` key, not a label's or an annotation's (`labels:\n    name: web` above it, as kubectl writes keys sorted). */
function metadataName(lines: readonly string[], at: number): string | undefined {
  if (!/^metadata:\s*$/.test(lines[at] ?? '')) return undefined;
  let child: number | undefined;
  for (let i = at + 1; i < lines.length && !/^(?:\S|---)/.test(lines[i]!); i++) {
    if (lines[i]!.trim() === '' || /^\s*#/.test(lines[i]!)) continue;
    child ??= indentOf(lines[i]!);
    const n = indentOf(lines[i]!) === child ? /^\s+name:\s*["']?([^"'\s#]+)/.exec(lines[i]!) : null;
    if (n) return n[1];
  }
  return undefined;
}

/** Old objects of a changed file that no new text of the change declares (by kind and name): deleted, or renamed, which deletes the old one on a pruning apply. */
function kubernetes(s: Sides, after: ReadonlySet<string>): Danger[] {
  const out: Danger[] = [];
  for (const o of k8sObjects(s.old)) {
    if (after.has(`${o.kind}\0${o.name}`)) continue;
    out.push({ side: 'old', line: o.line, what: `removes the ${o.kind} \`${o.name || '(no name)'}\`: ${DESTRUCTIVE_KINDS.get(o.kind)}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CloudFormation, SAM and Serverless templates: a resource gone is a resource CloudFormation
// deletes, unless its DeletionPolicy keeps it; a DeletionPolicy that kept it, taken away.

interface CfnResource {
  id: string;
  type: string;
  line: number;
  /** Its `DeletionPolicy` (`Retain`, `Snapshot`, `RetainExceptOnCreate`, `Delete`), if any. */
  policy?: string;
  policyLine?: number;
  /** Its `UpdateReplacePolicy`, as `policy` is read. */
  replace?: string;
  replaceLine?: number;
  /** A literal `DeletionProtection` / `DeletionProtectionEnabled` in its properties (RDS, DynamoDB, Neptune, DocumentDB…). */
  protection?: { name: string; value: string; line: number };
}

/**
 * The resources of a template's `Resources:` mapping (YAML, or JSON with one key per line), by
 * logical id. An entry is a resource only when its own `Type:` (a key of the entry, not one
 * nested in it) names a CloudFormation type, `AWS::Service::Resource` or `Custom::Name`: a docs
 * config's `Resources:` section (`mkdocs.yml`) with a `Type: AWS::…` somewhere inside is no template.
 */
function cfnResources(lines: readonly string[]): Map<string, CfnResource> {
  const out = new Map<string, CfnResource>();
  let depth: number | undefined;
  let child: number | undefined;
  let current: CfnResource | undefined;
  /** The indent of the current entry's own keys (its first line below it). */
  let inner: number | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s#.*$/, '');
    if (line.trim() === '') return;
    const indent = indentOf(line);
    const resources = /^\s*"?Resources"?\s*:\s*\{?\s*$/.exec(line);
    if (resources) {
      depth = indent;
      child = undefined;
      current = undefined;
      return;
    }
    if (depth === undefined) return;
    if (indent <= depth && !/^\s*[}\]]/.test(line)) {
      depth = undefined;
      current = undefined;
      return;
    }
    const key = /^\s*"?([A-Za-z0-9]+)"?\s*:\s*\{?\s*$/.exec(line);
    if (key && (child === undefined || indent === child) && indent > depth) {
      child = indent;
      current = { id: key[1]!, type: '', line: i + 1 };
      out.set(current.id, current);
      inner = undefined;
      return;
    }
    if (!current) return;
    inner ??= indent;
    const type = indent === inner ? /^\s*"?Type"?\s*:\s*["']?(AWS::\w+::\w[\w:]*|Custom::[\w:]+)/.exec(line) : null;
    if (type && !current.type) current.type = type[1]!;
    const policy = /^\s*"?DeletionPolicy"?\s*:\s*["']?(!If\b|\w+)/.exec(line);
    if (policy) {
      current.policy = policy[1] === '!If' ? 'conditional' : policy[1];
      current.policyLine = i + 1;
    }
    const replace = /^\s*"?UpdateReplacePolicy"?\s*:\s*["']?(!If\b|\w+)/.exec(line);
    if (replace) {
      current.replace = replace[1] === '!If' ? 'conditional' : replace[1];
      current.replaceLine = i + 1;
    }
    const protection = /^\s*"?(DeletionProtection(?:Enabled)?)"?\s*:\s*(.*?)\s*,?\s*$/.exec(line);
    if (protection) {
      // `true`, `"false"` (JSON strings too), or an expression as written (`!Ref Protect`).
      const value = protection[2]!.replace(/^(["'])(.*)\1$/, '$2');
      current.protection = { name: protection[1]!, value: /^(?:true|false)$/i.test(value) ? value.toLowerCase() : protection[2]!, line: i + 1 };
    }
  });
  for (const [id, r] of out) if (!r.type) out.delete(id);
  return out;
}

const KEEPS = /^(?:Retain|RetainExceptOnCreate|Snapshot)$/;

/**
 * Matched within the template: a resource moved to another template (another stack) is
 * deleted from this one. One that another file of the change declares (a Serverless
 * `${file(…)}` include, a nested stack) is a warning naming it.
 */
function cloudFormation(s: Sides, after: ReadonlyMap<string, CfnResource>, elsewhere: ReadonlyMap<string, string>): Danger[] {
  const out: Danger[] = [];
  for (const r of cfnResources(s.old).values()) {
    const now = after.get(r.id);
    const moved = elsewhere.get(r.id);
    if (!now && moved !== undefined && moved !== s.c.path) {
      if (!r.policy || !KEEPS.test(r.policy)) out.push({ side: 'old', line: r.line, severity: 'warning', what: `moves the resource \`${r.id}\` (\`${r.type}\`) to \`${moved}\`: if that is another stack, CloudFormation deletes it from this one` });
    } else if (!now) {
      if (!r.policy || !KEEPS.test(r.policy)) out.push({ side: 'old', line: r.line, what: `removes the resource \`${r.id}\` (\`${r.type}\`): CloudFormation deletes it` });
    } else if (now.policy === 'conditional' && r.policy && KEEPS.test(r.policy)) {
      out.push({ side: 'new', line: now.policyLine!, severity: 'warning', what: `makes \`DeletionPolicy\` of \`${r.id}\` conditional, where it was \`${r.policy}\`: where the condition picks \`Delete\`, removing it from the template, or deleting the stack, deletes it` });
    } else if (r.policy && KEEPS.test(r.policy) && !(now.policy && KEEPS.test(now.policy))) {
      out.push(now.policyLine ? { side: 'new', line: now.policyLine, what: `sets \`DeletionPolicy: ${now.policy}\` on \`${r.id}\`, which kept it (\`${r.policy}\`): removing it from the template, or deleting the stack, now deletes it` } : { side: 'old', line: r.policyLine ?? r.line, what: `takes \`DeletionPolicy: ${r.policy}\` from \`${r.id}\`: removing it from the template, or deleting the stack, now deletes it` });
    }
    if (!now) continue;
    // What a replacement does with the old resource: `Delete` is the default, so an explicit
    // `Delete` is news only where a keeping policy was.
    if (r.replace && KEEPS.test(r.replace) && !(now.replace && KEEPS.test(now.replace))) {
      out.push(
        now.replace === 'conditional'
          ? { side: 'new', line: now.replaceLine!, severity: 'warning', what: `makes \`UpdateReplacePolicy\` of \`${r.id}\` conditional, where it was \`${r.replace}\`: where the condition picks \`Delete\`, a replacement deletes the old one and its data` }
          : now.replaceLine
            ? { side: 'new', line: now.replaceLine, what: `sets \`UpdateReplacePolicy: ${now.replace}\` on \`${r.id}\`, which kept it (\`${r.replace}\`): a replacement now deletes the old one and its data` }
            : { side: 'old', line: r.replaceLine ?? r.line, what: `takes \`UpdateReplacePolicy: ${r.replace}\` from \`${r.id}\`: a replacement now deletes the old one and its data` },
      );
    }
    // Deletion protection (off when left out) turned off where it was on.
    if (r.protection?.value === 'true' && now.protection?.value !== 'true') {
      out.push(
        now.protection && now.protection.value !== 'false'
          ? { side: 'new', line: now.protection.line, severity: 'warning', what: `replaces \`${r.protection.name}: true\` on \`${r.id}\` with \`${now.protection.value}\`: where that is false, a delete or a replacement of it is no longer refused` }
          : now.protection
          ? { side: 'new', line: now.protection.line, what: `sets \`${now.protection.name}: false\` on \`${r.id}\` (\`${r.type}\`): a delete or a replacement of it is no longer refused` }
          : { side: 'old', line: r.protection.line, what: `takes \`${r.protection.name}: true\` from \`${r.id}\` (\`${r.type}\`): a delete or a replacement of it is no longer refused` },
      );
    }
  }
  return out;
}

/** Each YAML document's `kind` and `metadata.name` (`kind/name`), by line. */
function documentNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  let start = 0;
  const close = (end: number) => {
    const doc = lines.slice(start, end);
    const kind = doc.map((l) => /^kind:\s*["']?(\w+)/.exec(l)?.[1]).find(Boolean) ?? '';
    const meta = doc.findIndex((l) => /^metadata:\s*$/.test(l));
    const name = meta < 0 ? '' : (metadataName(doc, meta) ?? '');
    for (let i = start; i < end; i++) names.push(`${kind}/${name}`);
  };
  lines.forEach((l, i) => {
    if (/^---/.test(l)) {
      close(i);
      start = i;
    }
  });
  close(lines.length);
  return names;
}

/** A Kubernetes workload scaled to nothing: `replicas: 0` where the same object (kind and name) had more. */
function scaledToZero(s: Sides): Danger[] {
  if (!s.old.some((l) => /^\s*replicas:\s*[1-9]/.test(l))) return [];
  const oldNames = documentNames(s.old);
  const serving = new Set(s.old.flatMap((l, i) => (/^\s*replicas:\s*[1-9]/.test(l) ? [oldNames[i]!] : [])));
  const newNames = documentNames(s.now);
  return newLines(s)
    .filter((l) => /^\s*replicas:\s*0\s*(?:#.*)?$/.test(l.text) && serving.has(newNames[l.line - 1]!))
    .map((l) => ({ side: 'new' as const, line: l.line, severity: 'warning' as const, what: 'scales a workload to `replicas: 0`: it stops serving' }));
}

const RECLAIM = /^\s*(persistentVolumeReclaimPolicy|reclaimPolicy):\s*["']?(\w+)["']?\s*(?:#.*)?$/;

/**
 * A volume's reclaim policy made `Delete`: deleting its claim then deletes the volume and its
 * data. An error where the same PersistentVolume or StorageClass (kind and name, in any file of
 * the change) kept it (`Retain`, a static PersistentVolume's default); a warning on a new
 * PersistentVolume; quiet on a StorageClass that had none (`Delete` is its default).
 */
function reclaimPolicies(s: Sides, before: ReadonlyMap<string, string>): Danger[] {
  const fresh = newLines(s).filter((l) => RECLAIM.exec(l.text)?.[2] === 'Delete');
  if (fresh.length === 0) return [];
  const names = documentNames(s.now);
  const out: Danger[] = [];
  for (const l of fresh) {
    const name = names[l.line - 1]!;
    const was = before.get(name);
    const pv = name.startsWith('PersistentVolume/');
    if (was === 'Delete' || (!pv && !(was && was !== 'Delete'))) continue;
    const what = `${was ? `changes the reclaim policy of \`${name}\` from \`${was}\` to \`Delete\`` : `sets \`${RECLAIM.exec(l.text)![1]}: Delete\` on \`${name}\``}: deleting ${pv ? 'its claim deletes the volume' : 'a claim it provisioned deletes the volume'} and the data on it`;
    out.push({ side: 'new', line: l.line, ...(was === undefined && !before.has(`${name}\0`) ? { severity: 'warning' as const } : {}), what });
  }
  return out;
}

/** The reclaim policy of each PersistentVolume and StorageClass (`kind/name`) in old texts; `kind/name\0` for one that had none (a static PersistentVolume: `Retain`). */
function reclaimBefore(read: readonly Sides[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of read) {
    if (!s.old.some((l) => /^kind:\s*["']?(?:PersistentVolume|StorageClass)\b/.test(l))) continue;
    const names = documentNames(s.old);
    s.old.forEach((l, i) => {
      const m = RECLAIM.exec(l);
      if (m) out.set(names[i]!, m[2]!);
      else if (/^kind:\s*["']?(?:PersistentVolume|StorageClass)["']?\s*$/.test(l)) out.set(`${names[i]!}\0`, '');
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Infrastructure as code in a programming language: AWS CDK (TypeScript, JavaScript, Python)
// and Pulumi. The settings that make a later delete or replacement lose data, new in the change
// (a pattern more often than before: a line moved or re-indented is not new), and the settings
// that kept the data, taken away.

/** Where CDK and Pulumi programs live: an `infra/`, `cdk/`, `stacks/`, `pulumi/` folder, or a `*-stack.ts` / `*Stack.ts` / `*_stack.py` file (CDK's `lib/app-stack.ts`). */
const IAC_CODE = /(?:^|\/)(?:cdk|infra|infrastructure|iac|stacks?|pulumi)\/(?:[^/]+\/)*[^/]+\.(?:[cm]?[jt]s|py)$|(?:[-_.][Ss]tack|[a-z0-9]Stack)\.(?:[cm]?[jt]s|py)$/;

const IAC_SWITCHES: ReadonlyArray<{ re: RegExp; why: string }> = [
  { re: /\bRemovalPolicy\.DESTROY\b/, why: 'deleting the stack, or removing or replacing it, deletes it and its data' },
  { re: /\bauto(?:DeleteObjects|_delete_objects)\s*[:=]\s*(?:true|True)\b/, why: 'destroying it deletes every object in it' },
  { re: /\bdeletion(?:Protection|_protection)(?:Enabled|_enabled)?\s*[:=]\s*(?:false|False)\b/, why: 'a delete or a replacement of it is no longer refused' },
  { re: /\bforce(?:Destroy|_destroy)\s*[:=]\s*(?:true|True)\b/, why: 'destroying it deletes everything in it' },
  { re: /\bskip(?:FinalSnapshot|_final_snapshot)\s*[:=]\s*(?:true|True)\b/, why: 'destroying or replacing it keeps no final snapshot of its data' },
  { re: /\bdelete(?:AutomatedBackups|_automated_backups)\s*[:=]\s*(?:true|True)\b/, why: 'destroying it deletes its automated backups with it' },
  { re: /\bbackup(?:RetentionPeriod|_retention_period)\s*[:=]\s*0\b|\bbackup_?[Rr]etention\s*[:=]\s*(?:\w+\.)*Duration\.days\(\s*0\s*\)/, why: 'it keeps no automated backups, and those it has are deleted' },
];
/** What kept a resource: CDK's keeping removal policies; Pulumi's `protect` and `retainOnDelete` (in a Pulumi program only). */
const IAC_KEEPS = /\bRemovalPolicy\.(?:RETAIN(?:_ON_UPDATE_OR_DELETE)?|SNAPSHOT)\b/;
const PULUMI_KEEPS: ReadonlyArray<{ re: RegExp; why: string }> = [
  { re: /\bprotect\s*[:=]\s*(?:true|True)\b/, why: 'Pulumi no longer refuses to delete it' },
  { re: /\bretain(?:OnDelete|_on_delete)\s*[:=]\s*(?:true|True)\b/, why: 'removing or replacing it in the program now deletes the cloud resource' },
];

/** A line without a trailing `//` or `#` comment; '' for a comment line. */
const codeOf = (text: string) => (COMMENT_LINE.test(text) ? '' : text.replace(/\s(?:\/\/|#).*$/, ''));

/** The construct or resource a line sets something on: the nearest `new s3.Bucket(this, 'Logs'`, `s3.Bucket(self, "Logs"`, `new aws.s3.Bucket("logs"` at or above it, or the receiver of `applyRemovalPolicy`. */
function constructAt(lines: readonly string[], line: number): { id: string; cls?: string } | undefined {
  const apply = /(\w+)\s*\.\s*apply_?[Rr]emoval_?[Pp]olicy\s*\(/.exec(lines[line - 1] ?? '');
  if (apply) return { id: apply[1]! };
  for (let i = line - 1; i >= 0 && i >= line - 40; i--) {
    const code = codeOf(lines[i]!);
    const m = /\b((?:\w+\.)*[A-Z]\w*)\s*\(\s*(?:(?:this|self|scope|stack)\s*,\s*)?(['"`])([^'"`]+)\2/.exec(code);
    // A construct made and closed on a line above (`encryptionKey: new kms.Key(this, 'Key'),`) is a value in the props, not what they are of.
    const rest = m ? code.slice(m.index) : '';
    if (m && (i === line - 1 || rest.split('(').length > rest.split(')').length)) return { id: m[3]!, cls: m[1]! };
  }
  return undefined;
}

function iacCode(s: Sides): Danger[] {
  const out: Danger[] = [];
  const oldCode = s.old.map(codeOf);
  const newCode = s.now.map(codeOf);
  const count = (lines: readonly string[], re: RegExp) => lines.reduce((n, l) => n + (re.test(l) ? 1 : 0), 0);
  const label = (c: { id: string; cls?: string } | undefined) => (c ? `\`${c.id}\`${c.cls ? ` (\`${c.cls}\`)` : ''}` : undefined);
  // In the base: its id as a string (a construct id), or its name as a word (a variable).
  const existed = (c: { id: string; cls?: string }) => oldCode.some((l) => (c.cls ? l.includes(`'${c.id}'`) || l.includes(`"${c.id}"`) || l.includes(`\`${c.id}\``) : new RegExp(`\\b${c.id}\\b`).test(l)));
  const destroyed = new Set<string | undefined>();
  const unprotected = new Set<string | undefined>();
  const shown = (m: string) => m.replace(/\s*:\s*/, ': ').replace(/\s*=\s*/, '=');
  for (const sw of IAC_SWITCHES) {
    if (count(newCode, sw.re) <= count(oldCode, sw.re)) continue;
    for (const l of newLines(s)) {
      const m = sw.re.exec(newCode[l.line - 1]!);
      if (!m) continue;
      const c = constructAt(s.now, l.line);
      // `prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY`: where a condition picks it.
      const either = IAC_KEEPS.test(newCode[l.line - 1]!);
      if (sw === IAC_SWITCHES[0]) destroyed.add(label(c));
      if (sw === IAC_SWITCHES[2]) unprotected.add(label(c));
      out.push({ side: 'new', line: l.line, ...(c && existed(c) && !either ? {} : { severity: 'warning' as const }), what: `sets \`${shown(m[0])}\`${c ? ` on ${label(c)}` : ''}${either ? ' where a condition picks it' : ''}: ${sw.why}` });
    }
  }
  const fresh = new Set(s.added.map((l) => norm(l.text)));
  const takenAway = (re: RegExp, why: string, warning: boolean) => {
    if (count(newCode, re) >= count(oldCode, re)) return;
    for (const l of s.removed) {
      const m = re.exec(oldCode[l.line - 1]!);
      const c = m ? label(constructAt(s.old, l.line)) : undefined;
      // A keeping removal policy replaced by DESTROY is said once, above.
      if (!m || fresh.has(norm(l.text)) || (c !== undefined && (re === IAC_KEEPS ? destroyed : unprotected).has(c))) continue;
      out.push({ side: 'old', line: l.line, ...(warning ? { severity: 'warning' as const } : {}), what: `takes \`${shown(m[0])}\` from ${c ?? 'a resource'}: ${why}` });
    }
  };
  // Taken away, the construct's default applies: RETAIN or SNAPSHOT for most stateful L2
  // constructs (a bucket, a table, a database), none (deleted) for a `Cfn…` one.
  takenAway(IAC_KEEPS, "the construct's default applies, which deletes it for a `Cfn…` construct and most that hold no data", true);
  // Deletion protection (off when left out: a table, a Cfn… construct, a database not RETAINed) taken away.
  takenAway(/\bdeletion(?:Protection|_protection)(?:Enabled|_enabled)?\s*[:=]\s*(?:true|True)\b/, 'a delete or a replacement of it is no longer refused', false);
  if (/@pulumi\/|\bimport\s+pulumi|\bpulumi\./.test(s.old.join('\n'))) for (const k of PULUMI_KEEPS) takenAway(k.re, k.why, false);
  return out.sort((a, b) => a.line - b.line);
}

// ---------------------------------------------------------------------------------------------
// package.json lifecycle scripts, and where lockfile packages come from.

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preuninstall', 'uninstall', 'postuninstall'];
const PUBLISH_SCRIPTS = ['prepack', 'postpack', 'prepublish', 'prepublishOnly', 'publish', 'postpublish'];

/** Script values of tools whose documented setup is a lifecycle script, run as written. */
const KNOWN_SETUP = new Set(['husky', 'husky install', 'lefthook install', 'simple-git-hooks', 'patch-package']);

function scriptsOf(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return new Map();
  try {
    const json = JSON.parse(text) as { scripts?: unknown };
    const scripts = json && typeof json === 'object' && json.scripts && typeof json.scripts === 'object' ? (json.scripts as Record<string, unknown>) : {};
    return new Map(Object.entries(scripts).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return undefined;
  }
}

function packageJson(s: Sides): Danger[] {
  const before = scriptsOf(s.c.status === 'added' ? undefined : s.c.oldText);
  const after = scriptsOf(s.c.newText);
  const out: Danger[] = [];
  for (const key of [...INSTALL_SCRIPTS, ...PUBLISH_SCRIPTS]) {
    const quoted = new RegExp(`"${key}"\\s*:`);
    const has = (l: string) => quoted.test(l.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    let changed: boolean;
    if (before && after) changed = after.has(key) && after.get(key) !== before.get(key);
    else changed = newLines(s).some((l) => has(l.text));
    if (!changed) continue;
    const at = s.now.findIndex(has);
    const when = INSTALL_SCRIPTS.includes(key) ? 'on every install of the project' : 'when the package is packed or published';
    // A git-hook installer's own documented setup (`"prepare": "husky"`) deserves a look, not an alarm.
    const known = after !== undefined && KNOWN_SETUP.has((after.get(key) ?? '').trim());
    out.push({ side: 'new', line: at + 1, what: `sets the \`${key}\` script, which the package manager runs ${when}`, ...(known ? { severity: 'warning' as const } : {}) });
  }
  return out;
}

/** The registries a new lockfile may name with no remark: the public defaults. */
const DEFAULT_REGISTRIES = new Set(['registry.npmjs.org', 'registry.npmmirror.com']);

/** Hosts packages come from in a lockfile's new lines that its old text never named (a new lockfile: beyond the public registries). */
function lockfile(s: Sides, hostOf: (line: string) => string | undefined, registries: ReadonlySet<string>): Danger[] {
  // Hosts the old lockfile resolved packages from (not any URL in it: a funding link names no
  // registry), and those the base's registry configs name (.npmrc, .yarnrc.yml).
  const known = s.c.status === 'added' ? undefined : new Set([...s.old.flatMap((l) => hostOf(l) ?? []), ...registries]);
  const seen = new Set<string>();
  const out: Danger[] = [];
  for (const l of newLines(s)) {
    const host = hostOf(l.text);
    if (!host || seen.has(host)) continue;
    seen.add(host);
    if (known === undefined ? DEFAULT_REGISTRIES.has(host) || registries.has(host) : known.has(host)) continue;
    if (known === undefined) out.push({ side: 'new', line: l.line, severity: 'warning', what: `resolves a package from \`${host}\`, no public registry` });
    else out.push({ side: 'new', line: l.line, what: `resolves a package from \`${host}\`, a host the lockfile did not resolve from before` });
  }
  return out;
}

/** A host from a line, by a pattern whose first defined group is the host; JSON's escaped slashes read as slashes. */
const hostBy = (...patterns: RegExp[]) => (line: string): string | undefined => {
  const plain = line.replace(/\\\//g, '/');
  for (const p of patterns) {
    const m = p.exec(plain);
    const host = m?.slice(1).find((g) => g !== undefined)?.toLowerCase();
    // Yarn's registry serves npm's packages: one host, by either name.
    if (host) return host === 'registry.yarnpkg.com' ? 'registry.npmjs.org' : host;
  }
  return undefined;
};

const NPM_HOST = hostBy(/"resolved"\s*:\s*"[a-z+]+:\/\/([^/"]+)\//i);
/** Yarn 1 (`resolved "https://…"`) and Yarn Berry (`resolution: "pkg@https://…"`). */
const YARN_HOST = hostBy(/^\s*resolved\s+"?[a-z+]+:\/\/([^/"]+)\//i, /^\s*resolution:\s*"[^"]*@[a-z+]+:\/\/([^/"]+)\//i);
const PNPM_HOST = hostBy(/tarball:\s*['"]?[a-z+]+:\/\/([^/'",}\s]+)\//i);

// ---------------------------------------------------------------------------------------------
// Checks made to pass: a test or lint script that goes on whatever it answers, a coverage
// threshold lowered, TypeScript's strict checks turned off, a test focused or skipped. The
// way an assistant "makes CI green"; warnings, but a focused test (every other test stops
// running) is an error.

/** Scripts a project's checks run through. */
const CHECK_SCRIPT = /^(?:test|lint|typecheck|type-check|tsc|check|ci|verify|build|e2e)(?::.*)?$/;
/** A command that goes on whatever it answers, or passes with nothing to run. */
const PASSES_ANYWAY = /\|\|\s*(?:true\b|:|exit\s+0\b|echo\b)|;\s*(?:true|exit\s+0)\s*$|^\s*(?:true|exit\s+0|echo\b[^&|;]*)\s*$/;
/** A test runner told to pass when it finds no tests (failing tests still fail). */
const NO_TESTS_PASS = /--passWithNoTests\b|--pass-with-no-tests\b/;

/** A reading of a JSON file's old and new text (an added file's old side read as nothing); undefined when either side does not parse. */
function readBoth<T>(s: Sides, read: (text: string | undefined) => T | undefined): [T, T] | undefined {
  const before = read(s.c.status === 'added' ? undefined : s.c.oldText);
  const after = read(s.c.newText);
  return before === undefined || after === undefined ? undefined : [before, after];
}

function checkScripts(s: Sides): Danger[] {
  const [before, after] = readBoth(s, scriptsOf) ?? [];
  if (!before || !after) return [];
  const out: Danger[] = [];
  for (const [key, value] of after) {
    const was = before.get(key);
    if (!CHECK_SCRIPT.test(key) || was === undefined) continue;
    const at = s.now.findIndex((l) => l.includes(`"${key}"`));
    const shown = codeSpan(value.length > 60 ? `${value.slice(0, 59)}…` : value);
    if (PASSES_ANYWAY.test(value) && !PASSES_ANYWAY.test(was)) out.push({ side: 'new', line: at + 1, severity: 'warning', what: `makes the \`${key}\` script pass whatever its checks find (${shown})` });
    else if (NO_TESTS_PASS.test(value) && !NO_TESTS_PASS.test(was)) out.push({ side: 'new', line: at + 1, severity: 'warning', what: `makes the \`${key}\` script pass when it finds no tests at all (${shown})` });
  }
  return out;
}

const DEPENDENCY_LISTS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'resolutions'];
/** A dependency taken from somewhere other than the registry: a URL, git, a GitHub shorthand (a local `file:` or `link:` folder is the repository's own). */
const OFF_REGISTRY = /^(?:https?:|git\+|git:|github:|gitlab:|bitbucket:)|^[\w.-]+\/[\w.-]+(?:#.*)?$/;

function dependenciesOf(text: string | undefined): Map<string, string> | undefined {
  if (text === undefined) return new Map();
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const out = new Map<string, string>();
    for (const list of DEPENDENCY_LISTS) {
      const deps = json?.[list];
      if (deps && typeof deps === 'object') for (const [name, v] of Object.entries(deps)) if (typeof v === 'string') out.set(`${list}\0${name}`, v);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** A dependency the change takes from a URL or git instead of the registry (the lockfile host check misses it while no lockfile is written). */
function dependencySources(s: Sides): Danger[] {
  const [before, after] = readBoth(s, dependenciesOf) ?? [];
  if (!before || !after) return [];
  const out: Danger[] = [];
  for (const [key, value] of after) {
    if (!OFF_REGISTRY.test(value) || before.get(key) === value) continue;
    const name = key.slice(key.indexOf('\0') + 1);
    const at = s.now.findIndex((l) => l.includes(`"${name}"`) && l.includes(value.slice(0, 20)));
    const shown = value.length > 80 ? `${value.slice(0, 79)}…` : value;
    out.push({ side: 'new', line: at + 1, severity: 'warning', what: `takes the package \`${name}\` from ${codeSpan(shown)}, not from the registry: what is installed is whatever that source serves`, dependency: name });
  }
  return out;
}

/** Files that set coverage thresholds. */
const COVERAGE_CONFIG = /(?:^|\/)(?:package\.json|(?:jest|vitest|vite|karma)\.config\.[cm]?[jt]s|karma\.conf\.[cm]?js|\.nycrc(?:\.json|\.ya?ml)?|\.c8rc(?:\.json)?|codecov\.ya?ml|\.codecov\.ya?ml|pyproject\.toml|setup\.cfg|\.coveragerc|tox\.ini)$/;
/** A JavaScript coverage threshold (`lines: 90` under `coverageThreshold`, `thresholds`, nyc's or c8's settings); not a linter's `max-branches`. */
const JS_THRESHOLD = /(?<![\w-])["']?(lines|branches|functions|statements)["']?\s*:\s*(\d+(?:\.\d+)?)/g;
/** Python's: coverage.py's `fail_under`, pytest-cov's `--cov-fail-under`. */
const PY_THRESHOLD = /(?<![\w-])(fail_under|cov-fail-under)\s*[:=]?\s*["']?(\d+(?:\.\d+)?)/g;
/** Codecov's: `target` is the least coverage, `threshold` the drop it allows (higher is looser). */
const CODECOV_THRESHOLD = /^\s*(target|threshold)\s*:\s*["']?(\d+(?:\.\d+)?)%?/g;

interface Threshold {
  key: string;
  value: number;
  line: number;
}

/** The thresholds of a coverage config, in order; a JavaScript key counts only below a line that names coverage or thresholds (or in nyc's and c8's own files). */
function thresholdsOf(path: string, lines: readonly string[]): Threshold[] {
  const codecov = /codecov\.ya?ml$/.test(path);
  const python = /(?:pyproject\.toml|setup\.cfg|\.coveragerc|tox\.ini)$/.test(path);
  const own = /\.(?:nycrc|c8rc)/.test(path);
  const re = codecov ? CODECOV_THRESHOLD : python ? PY_THRESHOLD : JS_THRESHOLD;
  const out: Threshold[] = [];
  lines.forEach((text, i) => {
    if (!codecov && !python && !own && !lines.slice(Math.max(0, i - 15), i + 1).some((l) => /coverage|thresholds?\b|"nyc"|"c8"|check\s*:/i.test(l))) return;
    for (const m of text.matchAll(re)) out.push({ key: m[1]!, value: Number(m[2]), line: i + 1 });
  });
  return out;
}

function coverage(s: Sides): Danger[] {
  const before = thresholdsOf(s.c.oldPath ?? s.c.path, s.old);
  const after = thresholdsOf(s.c.path, s.now);
  const fresh = new Set(newLines(s).map((l) => l.line));
  const out: Danger[] = [];
  if (before.length > 0 && after.length === 0 && s.c.status !== 'deleted') {
    out.push({ side: 'old', line: before[0]!.line, severity: 'warning', what: 'takes out the coverage thresholds: coverage no longer fails the run' });
  }
  // Each key's values in order, compared place by place (a threshold added for a folder is no lowering of the global one).
  for (const key of new Set(after.map((t) => t.key))) {
    const was = before.filter((t) => t.key === key);
    const now = after.filter((t) => t.key === key);
    now.forEach((t, i) => {
      const old = was[i];
      if (!old || !fresh.has(t.line)) return;
      const looser = key === 'threshold' ? t.value > old.value : t.value < old.value;
      if (looser) out.push({ side: 'new', line: t.line, severity: 'warning', what: key === 'threshold' ? `raises the coverage drop Codecov allows (\`threshold\`) from ${old.value} to ${t.value}` : `lowers the coverage threshold \`${key}\` from ${old.value} to ${t.value}` });
    });
  }
  const checkOff = newLines(s).find((l) => /["']?check-coverage["']?\s*:\s*false/.test(l.text));
  if (checkOff && s.old.some((l) => /["']?check-coverage["']?\s*:\s*true/.test(l))) out.push({ side: 'new', line: checkOff.line, severity: 'warning', what: 'turns off `check-coverage`: coverage no longer fails the run' });
  return out;
}

const TSCONFIG = /(?:^|\/)[tj]sconfig(?:\.[^/]*)?\.json$/;
const STRICT_FLAGS = ['strict', 'noImplicitAny', 'strictNullChecks', 'strictFunctionTypes', 'noImplicitReturns', 'noUncheckedIndexedAccess'];

/** A preset that turns `strict` on (`@tsconfig/strictest`, `@tsconfig/strict`…). */
const STRICT_PRESET = /"extends"\s*:\s*(?:\[[^\]]*)?"@tsconfig\/strict/;

/**
 * TypeScript's strict checks across the change's tsconfig files (a flag moved into a base file
 * the change adds is kept): a flag on before and nowhere on after, and a flag newly set to
 * `false` (`"strictNullChecks": false` beside `"strict": true` turns it off as well).
 */
function tsconfigs(read: readonly Sides[]): Map<string, Danger[]> {
  const files = read.filter((s) => TSCONFIG.test(s.c.path));
  const out = new Map<string, Danger[]>();
  const add = (path: string, d: Danger) => out.set(path, [...(out.get(path) ?? []), d]);
  for (const flag of STRICT_FLAGS) {
    const on = new RegExp(`"${flag}"\\s*:\\s*true\\b`);
    const off = new RegExp(`"${flag}"\\s*:\\s*false\\b`);
    const isOn = (l: string) => on.test(l) || (flag === 'strict' && STRICT_PRESET.test(l));
    const anyOn = (texts: readonly (readonly string[])[]) => texts.some((lines) => lines.some(isOn));
    const turnedOff = new Set<string>();
    for (const s of files) {
      const l = newLines(s).find((x) => off.test(x.text));
      if (l && !s.old.some((x) => off.test(x))) {
        add(s.c.path, { side: 'new', line: l.line, severity: 'warning', what: `turns off TypeScript's \`${flag}\` checks` });
        turnedOff.add(s.c.path);
      }
    }
    if (!anyOn(files.map((s) => s.old)) || anyOn(files.map((s) => s.now))) continue;
    for (const s of files) {
      const gone = s.removed.find((l) => isOn(l.text));
      if (gone && !turnedOff.has(s.c.path)) add(s.c.path, { side: 'old', line: gone.line, severity: 'warning', what: `takes out TypeScript's \`${flag}\` checks` });
    }
  }
  return out;
}

/**
 * Test files, by name or folder, test data left out: JavaScript and TypeScript, Python, Go
 * (`_test.go`), Java and Kotlin (`FooTest.java`, `FooSpec.kt`, `src/test/`), C# (`FooTests.cs`,
 * a `Foo.Tests/` project), Ruby (`_spec.rb`, `_test.rb`, `spec/`, `test/`) and Rust (`tests/`,
 * `tests.rs`, `foo_test.rs`: unit tests inside other source files are not read).
 */
const TEST_FILE = new RegExp(
  [
    /(?:\.(?:test|spec)\.[cm]?[jt]sx?|(?:^|\/)test_[^/]*\.py|_test\.(?:py|go|rb)|_spec\.rb|(?:^|\/)(?:[^/]*_)?tests?\.rs|(?:^|\/)[^/]*(?:Tests?|Spec|IT)\.(?:java|kt)|(?:^|\/)[^/]*Tests?\.cs)$/,
    /(?:^|\/)(?:__tests__|tests?|spec|e2e)\/(?!(?:[^/]+\/)*(?:fixtures?|__fixtures__|testdata)\/)(?:[^/]+\/)*[^/]+\.(?:[cm]?[jt]sx?|py|rb|rs|cs)$/,
    /(?:^|\/)src\/\w*[tT]est\w*\/(?:[^/]+\/)*[^/]+\.(?:java|kt)$|(?:^|\/)[^/]+\.Tests?\/(?:[^/]+\/)*[^/]+\.cs$/,
  ]
    .map((r) => r.source)
    .join('|'),
);

/** How a test file's language writes comments and strings (Java and Kotlin alike). */
type TestLanguage = 'js' | 'python' | 'go' | 'java' | 'csharp' | 'rust' | 'ruby';

function testLanguage(path: string): TestLanguage {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return ext === 'py' ? 'python' : ext === 'go' ? 'go' : ext === 'java' || ext === 'kt' ? 'java' : ext === 'cs' ? 'csharp' : ext === 'rs' ? 'rust' : ext === 'rb' ? 'ruby' : 'js';
}

/**
 * What a line does to the run: focuses it on some tests, skips every test of the file, skips a
 * test, or expects one to fail (a failure then passes the run).
 */
type TestKind = 'focus' | 'file' | 'skip' | 'xfail';
/** A form that disables or focuses tests; `call`: a call in a test's body, which a condition around it (`if testing.Short() {`) makes a conditional skip, left out. */
interface TestForm {
  re: RegExp;
  kind: TestKind;
  call?: true;
}

/** A focused test: `it.only(`, `describe.only.each(`, `test.concurrent.only(`; Jasmine's `fit(` and `fdescribe(` as globals (not `model.fit(`). */
const FOCUSED = /\b(?:it|test|describe|context|suite)(?:\.concurrent)?\.only\b(?:\.each)?\s*[(`]|(?<![.\w$])(?:fit|fdescribe|fcontext)\s*\(/;
/**
 * A skipped test; for `test.skip(…)`, only with a title or nothing (Playwright's `test.skip(condition, …)`
 * skips where the condition holds); Playwright's `test.fixme(` alike; Vitest's `it.skipIf(true)` and
 * `test.runIf(false)`, a condition that always holds.
 */
const SKIPPED = /\b(?:it|test|describe|context|suite)(?:\.concurrent)?\.(?:skip|fixme)\b(?:\.each)?\s*(?:\(\s*(?:['"`)]|$)|`)|(?<![.\w$])(?:xit|xdescribe|xtest|xcontext)\s*\(|\b(?:it|test|describe|suite)(?:\.concurrent)?\.(?:skipIf\s*\(\s*(?:true|1|!0)\s*\)|runIf\s*\(\s*(?:false|0|!1)\s*\))/;
/** RSpec's example and group methods, for their `x` (skipped) and `f` (focused) forms, called with or without brackets. */
const RSPEC = '(?:it|describe|context|specify|example|scenario|feature)\\b(?=\\s*[("\'{]|\\s+do\\b|\\s*$)';
/** An RSpec example or group given metadata after its description (`it "…", :focus do`), not a keyword argument of any call (`paginate(rows, skip: 10)`). */
const RSPEC_META = '^\\s*(?:RSpec\\.)?(?:it|describe|context|specify|example|scenario|feature)\\b.*,\\s*';

/** The forms read in each language, the first that matches a line saying what it does. */
const TEST_FORMS: Record<TestLanguage, readonly TestForm[]> = {
  js: [
    { re: FOCUSED, kind: 'focus' },
    { re: SKIPPED, kind: 'skip' },
  ],
  python: [
    // Module level (not indented): `pytestmark = pytest.mark.skip`, `pytest.skip(…, allow_module_level=True)`.
    { re: /^pytestmark\s*=.*\bmark\.skip\b|^pytest\.skip\s*\(/, kind: 'file' },
    { re: /^pytestmark\s*=.*\bmark\.xfail\b/, kind: 'xfail' },
    { re: /@(?:(?:pytest\.)?mark\.skip|(?:unittest\.)?skip)\b|@(?:(?:pytest\.)?mark\.skipif|(?:unittest\.)?skipIf)\s*\(\s*(?:True|1)\s*[,)]|@(?:unittest\.)?skipUnless\s*\(\s*(?:False|0|None)\s*[,)]/, kind: 'skip' },
    { re: /(?<![\w.])(?:pytest\.skip|self\.skipTest)\s*\(|\braise\s+(?:unittest\.)?SkipTest\b/, kind: 'skip', call: true },
    // Unconditional: no arguments, keywords only (`reason=`, `strict=`), or `True` first.
    { re: /@(?:pytest\.)?mark\.xfail\b(?!\s*\(\s*(?!\s|\)|True\b|\w+\s*=[^=]))|@(?:unittest\.)?expectedFailure\b/, kind: 'xfail' },
    { re: /(?<![\w.])pytest\.xfail\s*\(/, kind: 'xfail', call: true },
    // One case of a parametrized test: `pytest.param(2, marks=pytest.mark.skip(reason=…))`; `… if not found else []` is a condition.
    { re: /\bmarks\s*=.*\bpytest\.mark\.skip\b/, kind: 'skip', call: true },
    { re: /\bmarks\s*=.*\bpytest\.mark\.xfail\b(?!\s*\(\s*(?!\s|\)|True\b|\w+\s*=[^=]))/, kind: 'xfail', call: true },
  ],
  go: [{ re: /(?<![\w$.])(?:t|b|tb|f)\.Skip(?:Now|f)?\s*\(|\.T\(\)\.Skip(?:Now|f)?\s*\(/, kind: 'skip', call: true }],
  java: [
    // JUnit 4 and 5, kotlin.test; TestNG's `@Test(enabled = false)`; Kotest's `xtest(` and `.config(enabled = false)`.
    { re: /@(?:[\w.]+\.)?(?:Disabled|Ignore)\b|@(?:[\w.]+\.)?Test\s*\([^)]*\benabled\s*=\s*false\b|\.config\s*\([^)]*\benabled\s*=\s*false\b|(?<![\w$.])x(?:test|it|describe|context|should|expect|feature|scenario|given)\s*[({]/, kind: 'skip' },
    { re: /\bassume(?:True|That)\s*\(\s*false\s*\)|\bassumeFalse\s*\(\s*true\s*\)/, kind: 'skip', call: true },
  ],
  // xUnit's `[Fact(Skip = "…")]`, NUnit's and MSTest's `[Ignore]`, also in a list (`[Test, Ignore("…")]`).
  csharp: [{ re: /\[\s*(?:Fact|Theory)\w*\s*\([^)]*\bSkip\s*=|[[,]\s*(?:[\w.]+\.)?Ignore(?:Attribute)?\s*[(\],]/, kind: 'skip' }],
  rust: [{ re: /#\[\s*ignore\b/, kind: 'skip' }],
  ruby: [
    // `fit`, `fdescribe`, `fcontext`; `focus: true` or `:focus` given to an example (`config.filter_run_when_matching :focus` is no focus).
    { re: new RegExp(`(?<![\\w$.:@])f${RSPEC}|${RSPEC_META}(?::focus\\b|focus:\\s*true\\b)`), kind: 'focus' },
    // `skip: true` or a reason; `skip: RUBY_ENGINE != "ruby"` is a condition, skipping only where it holds.
    { re: new RegExp(`(?<![\\w$.:@])x${RSPEC}|${RSPEC_META}(?::skip\\b|skip:\\s*(?:true\\b|["']))`), kind: 'skip' },
    // `skip` or `pending` as a statement of its own, with a reason or none (not `skip = 3`, `skip_create`).
    { re: /^\s*skip(?=\s*$|\s*\(|\s+["'])/, kind: 'skip', call: true },
    // RSpec runs a pending example and passes it when it fails.
    { re: new RegExp(`${RSPEC_META}(?::pending\\b|pending:\\s*(?:true\\b|["']))`), kind: 'xfail' },
    { re: /^\s*pending(?=\s*$|\s*\(|\s+["'])/, kind: 'xfail', call: true },
  ],
};

/**
 * A test file's lines with string contents and comments blanked (`it.only("x")` stays,
 * `lint("it.only(1)")` does not); `comments`, when given, gets each line's comment text
 * (`// @ts-ignore`, `# noqa`, the part of a block comment on that line), '' where it has none.
 */
function testCode(lines: readonly string[], lang: TestLanguage, comments?: string[]): string[] {
  const hash = lang === 'python' || lang === 'ruby';
  // Open across lines: a block comment, a template literal (a linter's test cases), a Go raw
  // string, a triple-quoted string (Python, Java's text blocks, Kotlin, C#), a Rust string.
  let open: string | undefined;
  // Inside `open`, a backslash escapes nothing: a comment, a Go raw string, a C# verbatim or a Rust raw string.
  let raw = false;
  // Ruby: `=begin` … `=end`, and the heredocs (`<<~SQL`) opened on a line, to blank from the next.
  let block = false;
  const heredocs: string[] = [];
  return lines.map((line, at) => {
    let note = '';
    if (comments) comments[at] = '';
    if (lang === 'ruby') {
      if (block) {
        if (/^=end\b/.test(line)) block = false;
        return '';
      }
      if (heredocs.length > 0) {
        if (line.trim() === heredocs[0]) heredocs.shift();
        return '';
      }
      if (/^=begin\b/.test(line)) {
        block = true;
        return '';
      }
    }
    let out = '';
    for (let i = 0; i < line.length; i++) {
      if (open !== undefined) {
        if (open === '*/') note += line[i];
        if (line[i] === '\\' && !raw) i++;
        else if (line.startsWith(open, i)) {
          if (open === '*/') note += '/';
          i += open.length - 1;
          if (open !== '*/') out += '""';
          open = undefined;
        }
        continue;
      }
      const ch = line[i]!;
      let m: RegExpExecArray | null;
      if (!hash && line.startsWith('/*', i)) {
        open = '*/';
        raw = true;
        note += '/*';
        i++;
      } else if ((!hash && line.startsWith('//', i)) || (hash && ch === '#')) {
        note += line.slice(i);
        break;
      }
      else if ((lang === 'python' && (line.startsWith('"""', i) || line.startsWith("'''", i))) || ((lang === 'java' || lang === 'csharp') && line.startsWith('"""', i))) {
        open = line.slice(i, i + 3);
        raw = false;
        i += 2;
      } else if (ch === '`' && (lang === 'js' || lang === 'go')) {
        open = '`';
        raw = lang === 'go';
      } else if (lang === 'csharp' && ch === '@' && line[i + 1] === '"') {
        open = '"';
        raw = true;
        i++;
      } else if (lang === 'rust' && (m = /^r(#*)"/.exec(line.slice(i))) && !/\w/.test(line[i - 1] ?? '')) {
        open = `"${m[1]!}`;
        raw = true;
        i += m[0].length - 1;
      } else if (lang === 'rust' && ch === '"') {
        open = '"';
        raw = false;
      } else if (lang === 'rust' && ch === "'") {
        // A char literal (`'x'`, `'\n'`), else a lifetime (`'a`).
        const char = /^'(?:\\[^']+|[^\\'])'/.exec(line.slice(i));
        if (char) {
          out += "''";
          i += char[0].length - 1;
        } else out += ch;
      } else if (lang === 'ruby' && (m = /^<<[~-]?(['"`]?)([A-Z_][A-Z0-9_]*)\1/.exec(line.slice(i)))) {
        heredocs.push(m[2]!);
        out += '""';
        i += m[0].length - 1;
      } else if (ch === '"' || ch === "'") {
        // A string on its line, escapes read through.
        let end = i + 1;
        while (end < line.length && line[end] !== ch) end += line[end] === '\\' ? 2 : 1;
        out += ch + ch;
        i = end;
      } else out += ch;
    }
    if (comments) comments[at] = note;
    return out;
  });
}

/**
 * Whether a skip called in a test's body runs only when a condition holds: an `if` (or `unless`)
 * on its line, or the block it is in opened by an `if`, `else`, `switch` case, `except` or
 * `rescue` (by braces, or in Python and Ruby by indentation). `if testing.Short() { t.Skip() }`
 * is how Go leaves slow tests out of a short run.
 */
function conditional(code: readonly string[], i: number, lang: TestLanguage): boolean {
  if (/\b(?:if|unless)\b/.test(code[i]!)) return true;
  const stop = Math.max(0, i - 200);
  if (lang === 'python' || lang === 'ruby') {
    const indent = (l: string) => l.length - l.trimStart().length;
    const own = indent(code[i]!);
    for (let j = i - 1; j >= stop; j--) {
      const l = code[j]!;
      if (l.trim() !== '' && indent(l) < own) return /^\s*(?:if|elif|else|unless|elsif|when|case|except|rescue|in)\b/.test(l);
    }
    return false;
  }
  let depth = 0;
  for (let j = i - 1; j >= stop; j--) {
    const l = code[j]!;
    for (let k = l.length - 1; k >= 0; k--) {
      if (l[k] === '}') depth++;
      else if (l[k] === '{' && depth-- === 0) return /^\s*(?:\}\s*)?(?:if|else|switch|select|case|default)\b/.test(code[headOf(code, j, stop)]!);
    }
    if (depth === 0 && /^\s*(?:case\b|default\s*:)/.test(l)) return true;
  }
  return false;
}

/**
 * The first line of a condition written over several lines, from the line that opens its block
 * (`if runtime.GOOS == "windows" ||` / `runtime.GOOS == "plan9" {`): up while a line ends in an
 * operator or an open bracket, or the next starts with one.
 */
function headOf(code: readonly string[], j: number, stop: number): number {
  const ends = /(?:\|\||&&|[(,!=<>+*/-])\s*$/;
  const starts = /^\s*(?:\|\||&&|\)|\.)/;
  while (j > stop && (ends.test(code[j - 1]!) || starts.test(code[j]!))) j--;
  return j;
}

/** What line i of a test file's code does to the run, if anything (a decorator's arguments over several lines read as one). */
function testKind(code: readonly string[], i: number, lang: TestLanguage): TestKind | undefined {
  let line = code[i]!;
  if (line.trim() === '') return undefined;
  if (lang === 'python' && /^\s*@.*[([]\s*$/.test(line)) line = line.match(/^\s*/)![0] + callText(code, i);
  const form = TEST_FORMS[lang].find((f) => f.re.test(line));
  return form && !(form.call && conditional(code, i, lang)) ? form.kind : undefined;
}

const TEST_SAYS: Record<TestKind, (q: string) => Pick<Danger, 'severity' | 'what'>> = {
  focus: (q) => ({ what: `focuses the run on this test (${q}): every other test no longer runs` }),
  file: (q) => ({ severity: 'warning', what: `skips every test in this file (${q})` }),
  skip: (q) => ({ severity: 'warning', what: `skips a test (${q})` }),
  xfail: (q) => ({ severity: 'warning', what: `expects a test to fail (${q}): its failure no longer fails the run` }),
};

function testFile(s: Sides): Danger[] {
  const lang = testLanguage(s.c.path);
  const kinds = (lines: readonly string[]) => {
    const code = testCode(lines, lang);
    return code.map((_, i) => testKind(code, i, lang));
  };
  const old = kinds(s.old);
  const now = kinds(s.now);
  const count = (ks: ReadonlyArray<TestKind | undefined>, k: TestKind) => ks.filter((x) => x === k).length;
  // Only more of them than before: a skipped test renamed, or moved, skips nothing new.
  const more = new Set((['focus', 'file', 'skip', 'xfail'] as const).filter((k) => count(now, k) > count(old, k)));
  const out: Danger[] = [];
  for (const l of newLines(s)) {
    const kind = now[l.line - 1];
    if (kind !== undefined && more.has(kind)) out.push({ side: 'new', line: l.line, ...TEST_SAYS[kind](quoted(l.text)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks silenced, the other way to a green run: a directive that switches a type checker or
// linter off for a whole file (a warning), or a blanket one for a line (a note; ten or more
// new in one file are one warning). Read in the source files read above (tests, migrations,
// configs, infrastructure code) in JavaScript and TypeScript, Python, Go and Rust: other source
// files' texts are not carried (see readsContent).

/** A directive that silences checks: where it is written (a comment's text, or the code), and whether it covers the whole file. */
interface Silencer {
  /** Directives counted together (`@ts-ignore` and `@ts-expect-error`), the unit of "more than before" and of the ten-line rule. */
  key: string;
  re: RegExp;
  in: 'comment' | 'code';
  whole: boolean;
  /** The sentence part, with the line quoted. */
  says: (q: string) => string;
  /** The grouped sentence part, for ten or more. */
  many?: (n: number) => string;
}

const SILENCERS: Partial<Record<TestLanguage, readonly Silencer[]>> = {
  js: [
    { key: 'ts-nocheck', in: 'comment', whole: true, re: /^(?:\/\/\/?|\/\*+)\s*@ts-nocheck\b/, says: (q) => `turns off TypeScript's type checks for the whole file (${q})` },
    { key: 'ts-ignore', in: 'comment', whole: false, re: /^(?:\/\/\/?|\/\*+)\s*@ts-(?:ignore|expect-error)\b/, says: (q) => `silences TypeScript's errors on the next line (${q})`, many: (n) => `silences TypeScript's errors on ${n} lines (\`@ts-ignore\`, \`@ts-expect-error\`)` },
    { key: 'eslint-disable', in: 'comment', whole: true, re: /^\/\*\s*eslint-disable(?:\s+--[^*]*)?\s*(?:\*\/|$)/, says: (q) => `turns off every ESLint rule from this line on (${q})` },
    { key: 'eslint-line', in: 'comment', whole: false, re: /^(?:\/\/|\/\*)\s*eslint-disable-(?:next-)?line(?:\s+--.*?)?\s*(?:\*\/\s*)?$/, says: (q) => `turns off every ESLint rule for a line (${q})`, many: (n) => `turns off every ESLint rule on ${n} lines (\`eslint-disable-next-line\` or \`eslint-disable-line\` with no rule named)` },
  ],
  python: [
    { key: 'mypy-file', in: 'comment', whole: true, re: /#\s*mypy:\s*ignore-errors\b/, says: (q) => `turns off mypy's errors for the whole file (${q})` },
    { key: 'pylint-file', in: 'comment', whole: true, re: /#\s*pylint:\s*(?:disable\s*=\s*all\b|skip-file\b)/, says: (q) => `turns off every pylint check for the whole file (${q})` },
    { key: 'noqa-file', in: 'comment', whole: true, re: /#\s*(?:flake8|ruff)\s*:\s*noqa\b(?!\s*:)/, says: (q) => `makes flake8 or Ruff skip the whole file (${q})` },
    // Before any statement, a bare `# type: ignore` is mypy's for the whole module (see silences).
    { key: 'type-ignore', in: 'comment', whole: false, re: /#\s*type:\s*ignore\b(?!\s*\[)/, says: (q) => `silences every type error on its line (${q})`, many: (n) => `silences every type error on ${n} lines (\`# type: ignore\` with no error code)` },
    { key: 'noqa', in: 'comment', whole: false, re: /#\s*noqa\b(?!\s*:)/, says: (q) => `silences every lint warning on its line (${q})`, many: (n) => `silences every lint warning on ${n} lines (\`# noqa\` with no code)` },
  ],
  go: [{ key: 'nolint', in: 'comment', whole: false, re: /^\/\/\s*nolint\b(?!\s*:)/, says: (q) => `silences every linter for the line or declaration it is on (${q})`, many: (n) => `silences every linter on ${n} lines (\`//nolint\` with no linter named)` }],
  rust: [{ key: 'allow-all', in: 'code', whole: true, re: /#!\[\s*allow\s*\([^)]*\b(?:warnings|clippy::all)\b[^)]*\)\s*\]/, says: (q) => `turns off ${/clippy::all/.test(q) && !/\bwarnings\b/.test(q) ? "Clippy's lints" : 'every warning'} for the whole file (${q})` }],
};

/** The language whose directives a read file's text is searched for: JavaScript and TypeScript, Python, Go, Rust. */
function silenceLanguage(path: string): TestLanguage | undefined {
  if (isScriptPath(path)) return 'js';
  return /\.py$/.test(path) ? 'python' : /\.go$/.test(path) ? 'go' : /\.rs$/.test(path) ? 'rust' : undefined;
}

/** The directives of each line of a text, by line (index 0 is line 1). */
function silences(lines: readonly string[], lang: TestLanguage): Silencer[][] {
  const forms = SILENCERS[lang] ?? [];
  const comments: string[] = [];
  const code = testCode(lines, lang, comments);
  let statement = false;
  return code.map((c, i) => {
    const note = comments[i] ?? '';
    const hits = forms.filter((f) => f.re.test(f.in === 'comment' ? note : c));
    // A bare `# type: ignore` alone on its line before the first statement: the whole module.
    if (lang === 'python' && !statement && c.trim() === '' && /^#\s*type:\s*ignore\s*$/.test(note.trim())) {
      return [{ key: 'type-ignore-file', in: 'comment', whole: true, re: /$/, says: (q) => `turns off mypy's checks for the whole file (${q} before any statement)` }];
    }
    statement ||= c.trim() !== '';
    return hits;
  });
}

/** Every form of SILENCERS in one list: a form's index here is how a change set names it (FileChange.silenced). */
const SILENCER_FORMS: readonly { lang: TestLanguage; form: Silencer }[] = Object.entries(SILENCERS).flatMap(([lang, forms]) => forms!.map((form) => ({ lang: lang as TestLanguage, form })));

/** Words one of which a line any SILENCERS form matches holds (for a search of many lines at once). */
export const SILENCER_WORDS = '@ts-|eslint-disable|nolint|noqa|type: *ignore|ignore-errors|pylint: *(?:disable|skip)|allow *\\(';

/**
 * The comment a line ends in, `//`, `/*` or `#` as the language writes them, outside quotes
 * (read on the line alone, so a string opened on a line above is not known): '' when none.
 */
function lineComment(text: string, lang: TestLanguage): string {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (lang === 'python' ? ch === '#' : ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return text.slice(i).trim();
  }
  return '';
}

/**
 * The silencer on a line of a source file whose text is not read here (the change set asks
 * this of its added and removed lines: FileChange.silenced), as its index in SILENCER_FORMS.
 * Read on the line alone: a bare `# type: ignore` is a line's, never the whole module's.
 */
export function silencerOnLine(path: string, text: string): number | undefined {
  const lang = silenceLanguage(path);
  if (lang === undefined) return undefined;
  const note = lineComment(text, lang);
  const i = SILENCER_FORMS.findIndex((f) => f.lang === lang && f.form.re.test(f.form.in === 'comment' ? note : text.trim()));
  return i === -1 ? undefined : i;
}

/** Lines a silencer is new on, by the key of its form. */
type SilencedLines = Map<string, { form: Silencer; at: { line: number; text: string }[] }>;

function addSilenced(byKey: SilencedLines, form: Silencer, at: { line: number; text: string }): void {
  const entry = byKey.get(form.key) ?? { form, at: [] };
  entry.at.push(at);
  byKey.set(form.key, entry);
}

/** What new silencers do: a whole file's a warning each; a line's a note each, or one warning for ten or more of a kind. */
function silencedDangers(byKey: SilencedLines): Danger[] {
  const out: Danger[] = [];
  for (const { form, at } of byKey.values()) {
    if (form.whole) for (const l of at) out.push({ side: 'new', line: l.line, severity: 'warning', what: form.says(quoted(l.text)) });
    else if (at.length >= 10 && form.many) out.push({ side: 'new', line: at[0]!.line, lines: at.map((l) => l.line), severity: 'warning', what: form.many(at.length) });
    else for (const l of at) out.push({ side: 'new', line: l.line, severity: 'info', what: form.says(quoted(l.text)) });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** The dangers of silencers a change set found on the added lines of a file not read here, as silenced() says them. */
function silencedOnLines(found: readonly { line: number; kind: number; text: string }[]): Danger[] {
  const byKey: SilencedLines = new Map();
  for (const x of found) {
    const form = SILENCER_FORMS[x.kind]?.form;
    if (form) addSilenced(byKey, form, x);
  }
  return silencedDangers(byKey);
}

function silenced(s: Sides, lang: TestLanguage): Danger[] {
  const old = silences(s.old, lang);
  const now = silences(s.now, lang);
  const count = (all: Silencer[][], key: string) => all.reduce((n, hits) => n + hits.filter((h) => h.key === key).length, 0);
  const byKey: SilencedLines = new Map();
  for (const l of newLines(s)) {
    for (const form of now[l.line - 1] ?? []) if (count(now, form.key) > count(old, form.key)) addSilenced(byKey, form, l);
  }
  return silencedDangers(byKey);
}

// ---------------------------------------------------------------------------------------------
// Checks and tests narrowed by configuration: files left out of ESLint, TypeScript, the test
// run or coverage, ESLint rules switched off, pytest's `addopts` deselecting tests, `go test
// -skip`. Entries are pooled by kind across the change (a config migrated from `.eslintrc.json`
// to `eslint.config.js`, an `.eslintignore` folded into `ignores`, keeps its entries); an entry
// moved or reformatted is no finding, nor one taken out (more runs).

const ESLINT_CONFIG = /(?:^|\/)(?:\.eslintrc(?:\.(?:json|ya?ml|[cm]?js))?|eslint\.config\.[cm]?[jt]s)$/;
const ESLINT_IGNORE = /(?:^|\/)\.eslintignore$/;
/** Jest's and Vitest's settings: `package.json` (its `jest` key), `jest.config.*`, `vitest.config.*`, `vite.config.*`, Vitest's workspace file. */
const TEST_CONFIG = /(?:^|\/)(?:package\.json|(?:jest|vitest|vite)\.config\.(?:[cm]?[jt]s|json)|vitest\.workspace\.[cm]?[jt]s)$/;
const PYTEST_CONFIG = /(?:^|\/)(?:\.?pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml)$/;

/** Output, dependency and generated folders: leaving them out of a check narrows nothing written by hand. */
const GENERATED = /^(?:node_modules|dist|build|out|coverage|\.next|\.nuxt|\.output|\.svelte-kit|\.turbo|\.cache|\.vercel|\.expo|vendor|tmp|temp|generated|__generated__|gen|lib-cov|storybook-static|bower_components|target|venv|\.venv|\.tox|__pycache__|site-packages)$/i;
/** Generated files by their ending: minified scripts, declaration files, snapshots, source maps. */
const GENERATED_FILE = /\.(?:min\.[cm]?js|d\.[cm]?ts|snap|map)$/i;

interface Entry {
  kind: string;
  /** As written. */
  value: string;
  line: number;
}

/** Keys and the string items of arrays in a JavaScript or JSON text: each key with the keys down to it and what follows its colon on its line; each item with the keys down to its array (a call's name for an array passed to it: `globalIgnores([…])`). */
function jsShape(lines: readonly string[]): { keys: { path: string[]; line: number; rest: string }[]; items: { path: string[]; line: number; value: string }[] } {
  const keys: { path: string[]; line: number; rest: string }[] = [];
  const items: { path: string[]; line: number; value: string }[] = [];
  const frames: { open: string; key: string }[] = [];
  let pending = '';
  let ident = '';
  const path = () => frames.map((f) => f.key).filter((k) => k !== '');
  lines.forEach((text, li) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (frames[frames.length - 1]?.open === '*/') {
        if (text.startsWith('*/', i)) { frames.pop(); i++; }
        continue;
      }
      if (text.startsWith('//', i)) break;
      if (text.startsWith('/*', i)) { frames.push({ open: '*/', key: '' }); i++; continue; }
      let word: string | undefined;
      if (ch === '"' || ch === "'" || ch === '`') {
        let j = i + 1;
        word = '';
        for (; j < text.length && text[j] !== ch; j++) word += text[j] === '\\' ? text[++j] ?? '' : text[j];
        i = j;
      } else if (/[A-Za-z_$]/.test(ch)) {
        word = /^[\w$]+/.exec(text.slice(i))![0];
        i += word.length - 1;
        ident = word;
        const after = text.slice(i + 1).trimStart();
        if (!after.startsWith(':')) continue;
      } else {
        if (ch === '{' || ch === '[' || ch === '(') {
          frames.push({ open: ch, key: ch === '(' ? ident : pending });
          pending = '';
        } else if (ch === '}' || ch === ']' || ch === ')') frames.pop();
        else if (ch === ',') pending = '';
        if (!/\s/.test(ch)) ident = '';
        continue;
      }
      const rest = text.slice(i + 1);
      const colon = /^\s*:(?!:)/.exec(rest);
      if (colon && frames[frames.length - 1]?.open !== '[') {
        pending = word;
        keys.push({ path: [...path(), word], line: li + 1, rest: rest.slice(colon[0].length) });
      } else if (frames[frames.length - 1]?.open === '[' && (text[i] === '"' || text[i] === "'" || text[i] === '`')) items.push({ path: path(), line: li + 1, value: word });
    }
  });
  return { keys, items };
}

/** The same of a YAML text (block and flow lists, quoted or plain scalars), by indentation. */
function yamlShape(lines: readonly string[]): ReturnType<typeof jsShape> {
  const keys: ReturnType<typeof jsShape>['keys'] = [];
  const items: ReturnType<typeof jsShape>['items'] = [];
  const stack: { indent: number; key: string }[] = [];
  const unquote = (v: string) => v.trim().replace(/^(["'])(.*)\1$/, '$2');
  lines.forEach((text, li) => {
    const code = text.replace(/(?:^|\s)#.*$/, '');
    if (code.trim() === '') return;
    const indent = indentOf(code);
    const item = /^\s*-\s+(.*)$/.exec(code);
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent && !(item && stack[stack.length - 1]!.indent === indent)) stack.pop();
    if (item && !/^["']?[\w@/.-]+["']?\s*:(?:\s|$)/.test(item[1]!)) {
      items.push({ path: stack.map((s) => s.key), line: li + 1, value: unquote(item[1]!) });
      return;
    }
    const m = /^\s*(?:-\s+)?(["']?)([^"':]+?)\1\s*:(?:\s+(.*))?$/.exec(code);
    if (!m) return;
    const path = [...stack.map((s) => s.key), m[2]!];
    const rest = (m[3] ?? '').trim();
    keys.push({ path, line: li + 1, rest });
    const flow = /^\[(.*)\]$/.exec(rest);
    if (flow) for (const v of flow[1]!.split(',')) if (v.trim() !== '') items.push({ path, line: li + 1, value: unquote(v) });
    if (rest === '') stack.push({ indent: item ? indent + 2 : indent, key: m[2]! });
  });
  return { keys, items };
}

/** A pattern as compared across files: `./`, `/`, `<rootDir>`, `**\/` and a trailing `/**` taken off. */
function patternKey(value: string): string {
  return value.trim().replace(/^<rootDir>/, '').replace(/^\.?\/+/, '').replace(/^(?:\*\*\/)+/, '').replace(/(?:\/\*\*?)+$|\/+$|\$$/g, '').replace(/\\\./g, '.');
}

/** Whether an ignore pattern leaves out only output, dependencies or generated code (`/node_modules/`, `dist/**`, `*.d.ts`). */
function generatedOnly(value: string): boolean {
  const k = patternKey(value);
  return GENERATED_FILE.test(k) || k.split('/').some((seg) => GENERATED.test(seg.replace(/^\*+|\*+$/g, '')));
}

/** A test path in a tsconfig that is not the project's main one (`tsconfig.build.json` builds without the tests, as it should). */
const TEST_PATTERN = /(?:^|[/*.])(?:tests?|spec|__tests__|e2e|__mocks__|fixtures?)(?:$|[/.*])/;

/** The entries of a text that leave something out of a check, by kind; `asMain`: a tsconfig read as the project's main one whatever its name (it takes the place of one). */
function narrowings(path: string, lines: readonly string[], asMain = false): Entry[] {
  const out: Entry[] = [];
  const name = asMain ? 'tsconfig.json' : path.slice(path.lastIndexOf('/') + 1);
  if (ESLINT_IGNORE.test(path)) {
    lines.forEach((text, i) => {
      const t = text.trim();
      if (t !== '' && !t.startsWith('#') && !t.startsWith('!')) out.push({ kind: 'eslint-ignore', value: t, line: i + 1 });
    });
    return out;
  }
  const yaml = /\.ya?ml$/.test(path) || (/\.eslintrc$/.test(path) && !/^\s*[{/]/.test(lines.find((l) => l.trim() !== '') ?? ''));
  const shape = yaml ? yamlShape(lines) : PYTEST_CONFIG.test(path) ? undefined : jsShape(lines);
  if (!shape) return out;
  const last = (p: readonly string[], ...names: string[]) => names.every((n, i) => p[p.length - names.length + i] === n);
  for (const it of shape.items) {
    const p = it.path;
    const kind = ESLINT_CONFIG.test(path)
      ? last(p, 'ignorePatterns') || last(p, 'ignores') || p.includes('globalIgnores') ? 'eslint-ignore' : undefined
      : TSCONFIG.test(path)
        ? p.length === 1 && p[0] === 'exclude' && !(name !== 'tsconfig.json' && name !== 'jsconfig.json' && TEST_PATTERN.test(it.value)) ? 'ts-exclude' : undefined
        : TEST_CONFIG.test(path)
          ? last(p, 'testPathIgnorePatterns') ? 'jest-tests' : last(p, 'modulePathIgnorePatterns') ? 'jest-modules' : last(p, 'coveragePathIgnorePatterns') ? 'jest-coverage' : last(p, 'coverage', 'exclude') ? 'vitest-coverage' : last(p, 'test', 'exclude') ? 'vitest-tests' : undefined
          : undefined;
    if (kind && !it.value.startsWith('!') && !generatedOnly(it.value)) out.push({ kind, value: it.value, line: it.line });
  }
  if (ESLINT_CONFIG.test(path)) {
    for (const k of shape.keys) {
      if (k.path.length < 2 || k.path[k.path.length - 2] !== 'rules') continue;
      if (/^\s*\[?\s*(["'`]?)(?:off|0)\1\s*(?:[,\]}]|$)/.test(k.rest)) out.push({ kind: 'eslint-off', value: k.path[k.path.length - 1]!, line: k.line });
    }
    // `"root": true` in an `.eslintrc` below the top that extends nothing: the configs above
    // its folder no longer apply there, and it brings no rules of its own in their place.
    const folder = folderOf(path);
    const root = shape.keys.find((k) => k.path.length === 1 && k.path[0] === 'root' && /^\s*(["']?)true\1\s*(?:[,}]|$)/.test(k.rest));
    if (folder !== '' && /(?:^|\/)\.eslintrc[^/]*$/.test(path) && root && !shape.keys.some((k) => k.path.length === 1 && k.path[0] === 'extends')) out.push({ kind: 'eslint-root', value: `${folder}/`, line: root.line });
  }
  return out;
}

/** Where a kind of entry leaves things out, as a finding says it. */
const NARROWS: Record<string, (names: string) => string> = {
  'eslint-ignore': (n) => `leaves ${n} out of ESLint's checks (added to its ignored files)`,
  'eslint-off': (n) => `turns off the ESLint ${n.includes('` and `') ? 'rules' : 'rule'} ${n}`,
  'eslint-root': (n) => `stops the ESLint configs above ${n} from checking it (\`"root": true\`, extending none)`,
  'ts-exclude': (n) => `leaves ${n} out of TypeScript's checks (added to \`exclude\`)`,
  'jest-tests': (n) => `leaves the tests matching ${n} out of the Jest run (added to \`testPathIgnorePatterns\`)`,
  'jest-modules': (n) => `leaves the files matching ${n} out of the Jest run, tests with them (added to \`modulePathIgnorePatterns\`)`,
  'jest-coverage': (n) => `leaves the files matching ${n} out of coverage (added to \`coveragePathIgnorePatterns\`): their untested code no longer counts against the thresholds`,
  'vitest-tests': (n) => `leaves the tests matching ${n} out of the Vitest run (added to \`test.exclude\`)`,
  'vitest-coverage': (n) => `leaves the files matching ${n} out of coverage (added to \`coverage.exclude\`): their untested code no longer counts against the thresholds`,
  pytest: (n) => `makes every pytest run leave out what ${n} names (added to \`addopts\`)`,
  command: (n) => `makes a test run leave out what ${n} names`,
};

/** The pytest sections of an ini or TOML text: `[pytest]`, `[tool:pytest]`, `[tool.pytest.ini_options]`. */
const PYTEST_SECTION = /^\s*\[\s*(?:pytest|tool:pytest|tool\.pytest(?:\.ini_options)?)\s*\]\s*$/;

/** The words of a command line, quotes read through and kept off. */
function words(text: string): string[] {
  return [...text.matchAll(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g)].map((m) => m[0].replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
}

/** The options among words that leave tests out: pytest's `--ignore`, `--ignore-glob`, `--deselect`, `-k`/`-m` with `not`; `go test`'s `-skip`; Jest's `--testPathIgnorePatterns`, Vitest's `--exclude`. */
function leftOut(ws: readonly string[]): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  for (let i = 0; i < ws.length; i++) {
    const at = i;
    const m = /^(--ignore(?:-glob)?|--deselect|-k|-m|--?skip|-test\.skip|--testPathIgnorePatterns|--exclude)(?:=(.*)|(.+))?$/.exec(ws[i]!);
    if (!m || (m[3] !== undefined && m[1] !== '-k' && m[1] !== '-m')) continue;
    const arg = m[2] ?? m[3] ?? ws[++i];
    if (arg === undefined || arg === '') continue;
    if ((m[1] === '-k' || m[1] === '-m') && !/\bnot\b/.test(arg)) continue;
    if (/^--ignore|^--exclude|^--testPath/.test(m[1]!) && generatedOnly(arg)) continue;
    out.push({ at, text: /\s/.test(arg) ? `${m[1]} "${arg}"` : `${m[1]}${m[1]!.startsWith('--') ? '=' : ' '}${arg}` });
  }
  return out;
}

/** pytest's `addopts` of a config text (an ini value with its continuation lines, a TOML string or list), each option that leaves tests out with its line. */
function pytestAddopts(lines: readonly string[]): Entry[] {
  const out: Entry[] = [];
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (/^\s*\[/.test(text) && /\]\s*(?:#.*)?$/.test(text)) inSection = PYTEST_SECTION.test(text);
    const m = inSection ? /^(\s*)addopts\s*=\s*(.*)$/.exec(text) : null;
    if (!m) continue;
    const value: Line[] = [{ line: i + 1, text: m[2]! }];
    const toml = /^["'[]/.test(m[2]!.trim());
    if (toml && m[2]!.trim().startsWith('[')) for (let j = i + 1; j < lines.length && !value[value.length - 1]!.text.includes(']'); j++) value.push({ line: j + 1, text: lines[j]! });
    else if (toml && /^("""|''')/.test(m[2]!.trim())) for (let j = i + 1; j < lines.length && (value.length === 1 ? !m[2]!.trim().slice(3).includes(m[2]!.trim().slice(0, 3)) : !value[value.length - 1]!.text.includes(m[2]!.trim().slice(0, 3))); j++) value.push({ line: j + 1, text: lines[j]! });
    else if (!toml) for (let j = i + 1; j < lines.length && lines[j]!.trim() !== '' && indentOf(lines[j]!) > m[1]!.length; j++) value.push({ line: j + 1, text: lines[j]! });
    // A TOML list's strings, or a TOML string's text: the words inside the quotes.
    // A TOML list's strings are the words; a TOML string's text, or an ini value, is split as a shell would.
    const strings = (text: string) => [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((q) => (q[1] ?? q[2]!).replace(/\\"/g, '"'));
    const list = toml && m[2]!.trim().startsWith('[');
    const ws = value.flatMap((v) => (list ? strings(v.text) : words(toml ? strings(v.text).join(' ') : v.text.replace(/\s#.*$/, ''))).map((w) => ({ w, line: v.line })));
    for (const opt of leftOut(ws.map((x) => x.w))) if (/^(?:--ignore|--deselect|-k|-m)\b/.test(opt.text)) out.push({ kind: 'pytest', value: opt.text, line: ws[opt.at]!.line });
  }
  return out;
}

/** Test runs in scripts, CI and package.json scripts that leave tests out (`go test -skip`, `pytest --ignore`, `jest --testPathIgnorePatterns`). */
function commandNarrowings(s: Sides, lines: readonly string[], old: boolean): Entry[] {
  const out: Entry[] = [];
  const texts: Line[] = PACKAGE_JSON.test(s.c.path)
    ? [...(scriptsOf(old ? (s.c.status === 'added' ? undefined : s.c.oldText) : s.c.newText) ?? [])].map(([key, v]) => ({ line: lines.findIndex((l) => l.includes(`"${key}"`)) + 1, text: v }))
    : joined(lines);
  for (const l of texts) {
    for (const part of commandsOf(l.text)) {
      const run = /\bgo\s+test\b|\bpytest\b|\bjest\b|\bvitest\b/.exec(part);
      if (!run) continue;
      for (const opt of leftOut(words(part.slice(run.index + run[0].length)))) {
        const go = run[0].startsWith('go');
        if (go ? !/skip/.test(opt.text) : /skip/.test(opt.text)) continue;
        out.push({ kind: 'command', value: `${go ? 'go test' : run[0]} ${opt.text}`, line: l.line });
      }
    }
  }
  return out;
}

/** The commands of a shell line, cut at `&&`, `||`, `;` and `|` outside quotes. */
function commandsOf(text: string): string[] {
  const out: string[] = [];
  let quote = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ';' || ch === '|' || (ch === '&' && text[i + 1] === '&')) {
      out.push(text.slice(from, i));
      if (text[i + 1] === ch) i++;
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

/** Items as a sentence lists them: `a`, `b` and `c`. */
const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** A path as written in a config, from the config's folder (`./test` in `pkg/tsconfig.json` is `pkg/test`). */
const joinPath = (folder: string, p: string) => (folder === '' || p.startsWith('/') ? p : `${folder}/${p}`);

/**
 * The tsconfig files the change adds or renames in place of one the base had, judged as that
 * one (their `exclude` against its, tests included whatever their name): renamed from another
 * tsconfig (`tsconfig.json` → `tsconfig.app.json`), added in a folder whose tsconfig the change
 * takes away, or named in the `references` of a tsconfig the base has (a solution file
 * handing its files to the new project). A tsconfig added beside one that stays
 * (`tsconfig.build.json`), or a new package's, replaces nothing.
 */
function tsconfigsInPlace(read: readonly Sides[]): Set<Sides> {
  const configs = read.filter((s) => TSCONFIG.test(s.c.path) || (s.c.oldPath !== undefined && TSCONFIG.test(s.c.oldPath)));
  const out = new Set<Sides>();
  if (configs.length === 0) return out;
  const gone = new Set(configs.filter((s) => s.c.status === 'deleted' || (s.c.oldPath !== undefined && s.c.oldPath !== s.c.path)).map((s) => folderOf(s.c.oldPath ?? s.c.path)));
  const referenced = new Set<string>();
  for (const s of configs) {
    if (s.c.status === 'added' || s.c.status === 'deleted') continue;
    for (const k of jsShape(s.now).keys) {
      const to = k.path.length === 2 && k.path[0] === 'references' && k.path[1] === 'path' ? /^\s*(["'])([^"']+)\1/.exec(k.rest)?.[2] : undefined;
      if (to) referenced.add(normalise(joinPath(folderOf(s.c.path), /\.json$/.test(to) ? to : `${to}/tsconfig.json`)));
    }
  }
  for (const s of configs) {
    if (!TSCONFIG.test(s.c.path) || s.c.status === 'deleted') continue;
    const renamed = s.c.oldPath !== undefined && s.c.oldPath !== s.c.path && TSCONFIG.test(s.c.oldPath);
    if (renamed || (s.c.status === 'added' && (gone.has(folderOf(s.c.path)) || referenced.has(s.c.path)))) out.add(s);
  }
  return out;
}

/** The narrowings of each file of the change, old and new. */
function narrowed(read: readonly Sides[]): Map<string, Danger[]> {
  const out = new Map<string, Danger[]>();
  const replacing = tsconfigsInPlace(read);
  const entries = (s: Sides, old: boolean): Entry[] => {
    const path = old ? s.c.oldPath ?? s.c.path : s.c.path;
    const lines = old ? s.old : s.now;
    const found: Entry[] = [];
    if (ESLINT_CONFIG.test(path) || ESLINT_IGNORE.test(path) || TSCONFIG.test(path) || TEST_CONFIG.test(path)) found.push(...narrowings(path, lines, !old && replacing.has(s)));
    if (PYTEST_CONFIG.test(path)) found.push(...pytestAddopts(lines));
    if (RUNS_SCRIPTS(path) || PACKAGE_JSON.test(path)) found.push(...commandNarrowings(s, lines, old));
    return found;
  };
  // Patterns compared as patternKey has them (`dist/` is `/dist/**`), options and rule names as written.
  const key = (e: Entry) => `${e.kind}\0${e.kind === 'eslint-off' || e.kind === 'pytest' || e.kind === 'command' ? e.value : patternKey(e.value)}`;
  const before = new Set(read.flatMap((s) => entries(s, true).map(key)));
  // A lint config the change adds at the top, where it takes none away, or as a new package's
  // own (beside a `package.json` the change adds or edits): it sets linting up rather than
  // narrowing it. One added further down (`src/legacy/.eslintrc.json`) applies to a folder the
  // configs above already checked: what it turns off or leaves out is narrowed.
  const eslintBefore = read.some((s) => s.c.status !== 'added' && ESLINT_CONFIG.test(s.c.oldPath ?? s.c.path));
  const packages = new Set(read.filter((s) => PACKAGE_JSON.test(s.c.path) && s.c.status !== 'deleted').map((s) => folderOf(s.c.path)));
  const setsUp = (path: string) => packages.has(folderOf(path)) || (folderOf(path) === '' && !eslintBefore);
  // What the change's tsconfigs include after it: a folder one leaves out that another takes in is still checked.
  const included = read.filter((s) => TSCONFIG.test(s.c.path) && s.c.status !== 'deleted').flatMap((s) => jsShape(s.now).items.filter((it) => it.path.length === 1 && (it.path[0] === 'include' || it.path[0] === 'files')).map((it) => ({ s, key: patternKey(joinPath(folderOf(s.c.path), it.value)) })));
  const takenIn = (s: Sides, e: Entry) => {
    if (e.kind !== 'ts-exclude') return false;
    const x = patternKey(joinPath(folderOf(s.c.path), e.value));
    return included.some((i) => i.s !== s && (i.key === x || i.key.startsWith(`${x}/`)));
  };
  for (const s of read) {
    if (s.c.status === 'deleted') continue;
    const fresh = entries(s, false).filter((e) => !before.has(key(e)) && !takenIn(s, e));
    const added = s.c.status === 'added';
    const kept = fresh.filter((e) => !(added && ((e.kind === 'ts-exclude' && !replacing.has(s)) || (ESLINT_CONFIG.test(s.c.path) && setsUp(s.c.path)))));
    const kinds = new Map<string, Entry[]>();
    for (const e of kept) if (!(kinds.get(e.kind) ?? []).some((x) => key(x) === key(e))) kinds.set(e.kind, [...(kinds.get(e.kind) ?? []), e]);
    for (const [kind, es] of kinds) {
      const names = listed(es.map((e) => codeSpan(e.value)));
      out.set(s.c.path, [...(out.get(s.c.path) ?? []), { side: 'new', line: es[0]!.line, ...(es.length > 1 ? { lines: es.map((e) => e.line) } : {}), severity: 'warning', what: NARROWS[kind]!(names) }]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Secrets written into a file: a private key, a cloud or service token. A secret committed
// stays in the history a revert leaves; it must be revoked. The finding never quotes it.

/** Kinds of secret, each by its shape; `public`: a key meant to ship in an app (a Google or Firebase browser key), a warning. */
const SECRETS: ReadonlyArray<{ re: RegExp; what: string; public?: true }> = [
  { re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/, what: 'a private key' },
  { re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/, what: 'a GitHub token' },
  { re: /\b[sr]k_live_[0-9A-Za-z]{16,}/, what: 'a Stripe live key' },
  // Real Slack tokens start with numeric workspace and user ids.
  { re: /\bxox[abposr]-\d{6,}-[0-9A-Za-z-]{6,}/, what: 'a Slack token' },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/, what: 'an npm token' },
  { re: /\bsk-(?:ant-|proj-)[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/, what: 'an AI service API key' },
  { re: /\bglpat-[0-9A-Za-z_-]{20,}/, what: 'a GitLab token' },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/, what: 'a Google API key', public: true },
];
/** What a made-up value looks like: a run of one character (`sk_live_xxxx…`), or words a template uses (`your-token-here`, AWS's `…EXAMPLE`). */
const PLACEHOLDER = /(.)\1{5,}|your|example|placeholder|dummy|fake|redacted|changeme|sample|[<>]|1234567890|0123456789|abcdefghij/i;

/** Files read for secrets beyond those read for other reasons: configuration, keys, env files. */
const SECRET_FILE = /\.(?:json|toml|ini|cfg|conf|properties|pem|key|env)$|(?:^|\/)\.env[^/]*$|(?:^|\/)\.(?:npmrc|pypirc|netrc|git-credentials)$/;

/** Where a key is most often a made-up one (for a test, an example, the docs): a warning there. A template (`.env.example`) is no such place: a value past the placeholder test there is most likely real. */
const TEST_DATA = /(?:^|\/)(?:tests?|__tests__|spec|fixtures?|testdata|__fixtures__|e2e|docs?|examples?|samples?)\//;

/**
 * A URL with a password in it, to a host by its full name (`postgres://app:S3cret@db.prod.internal`).
 * Not a placeholder (`${DB_PASSWORD}`, `{password}`, `%s`, `<password>`, `***`, `token`), a
 * development default (`postgres:postgres@db`, `localhost`), nor an example host.
 */
function passwordUrl(line: string): boolean {
  for (const m of line.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^\s/:@'"]+):([^\s/@'"]+)@([^\s/:?#'"]+)/gi)) {
    const [, user, password, host] = m as unknown as [string, string, string, string];
    // A development default: the user's own name (`guest:guest`, `app:app`) or a stock one.
    if (password.toLowerCase() === user.toLowerCase()) continue;
    if (/[$<{*%]|^(?:pass(?:word)?|passwd|pwd|token|secret|changeme|change-me|postgres|root|admin|guest|example|test|x+)$|password|secret|your/i.test(password) || PLACEHOLDER.test(password)) continue;
    if (!host.includes('.') || /(?:^|\.)(?:localhost|example(?:\.\w+)?|test|local|invalid)$|^127\.|^0\.0\.0\.0$/i.test(host)) continue;
    return true;
  }
  return false;
}

/** The kind secretKindIn gives a password in a URL (see passwordUrl): the one after SECRETS'. */
const PASSWORD_URL = SECRETS.length;

/**
 * The kind of secret a line holds (its index in SECRETS, or PASSWORD_URL), when it holds one
 * that is not made up; `urls` false: a password in a URL is not looked for (prose, whose
 * connection strings are examples). Also asked of the added lines of files this module does
 * not read (source code, docs: the change set finds them as git's patch streams in;
 * FileChange.secrets), so it takes the line alone.
 */
export function secretKindIn(line: string, urls = true): number | undefined {
  // A key's header alone says nothing of the key: a placeholder anywhere on its line does.
  const i = SECRETS.findIndex(({ re, what }) => !PLACEHOLDER.test(what === 'a private key' ? (re.test(line) ? line : 'x'.repeat(6)) : (re.exec(line)?.[0] ?? 'x'.repeat(6))));
  if (i !== -1) return i;
  return urls && passwordUrl(line) ? PASSWORD_URL : undefined;
}

/**
 * Words one of which a line secretKindIn can match holds (for a search of many lines at once:
 * case matters). A password in a URL by passwordUrl's `://user:password@` after a scheme's last
 * letter in lower case (as schemes are written), so a URL without one (`https://github.com/…`)
 * is no hit; the letter keeps the search from stopping at every `:` of the code.
 */
export const SECRET_WORDS = 'PRIVATE KEY|AKIA|ASIA|gh[pousr]_|github_pat_|k_live_|xox[abposr]-|npm_|sk-ant-|sk-proj-|T3BlbkFJ|glpat-|AIza|[a-z]://[^\\s/:@\'"]+:[^\\s/@\'"]+@';

/** The danger of a secret written at `line` of `path`: a warning where keys are often made up (tests, docs) or meant to ship. */
function secretDanger(path: string, line: number, what: string, shipped: boolean): Danger {
  const test = TEST_FILE.test(path) || TEST_DATA.test(path);
  const advice = shipped ? 'browser and Firebase keys ship in apps and are restricted by the referrers and APIs they allow; a server key must be revoked' : 'a secret committed stays in its history, so revoke it rather than only delete it';
  return { side: 'new', line, ...(test || shipped ? { severity: 'warning' as const } : {}), what: `writes what looks like ${what} into the repository (not quoted here): ${advice}` };
}

/** What SECRETS' kind `kind` is, and whether it is meant to ship (FileChange.secrets). */
export function secretKind(kind: number): { what: string; shipped: boolean } | undefined {
  if (kind === PASSWORD_URL) return { what: 'a password in a URL', shipped: false };
  const k = SECRETS[kind];
  return k && { what: k.what, shipped: !!k.public };
}

function secrets(s: Sides): Danger[] {
  const out: Danger[] = [];
  for (const l of newLines(s)) {
    const kind = secretKindIn(l.text);
    const hit = kind !== undefined ? secretKind(kind) : undefined;
    if (hit) out.push(secretDanger(s.c.path, l.line, hit.what, hit.shipped));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Access opened up, the usual answer to a permission error: Firebase security rules that let
// anyone in (`if true`, no condition, the test-mode date) or lose their sign-in check, Realtime
// Database rules set to `true`, and CODEOWNERS lines taken away. (Row-level security in SQL is
// read by the sql reader above.)

/** Firebase security rules: Firestore's, Storage's, and any `*.rules` whose text names a Firebase service (see firebaseRules). */
const FIREBASE_RULES = /\.rules$/;
/** Realtime Database rules. */
const DATABASE_RULES = /(?:^|\/)database(?:[.-][^/]*)?\.rules\.json$/;
const CODEOWNERS = /^(?:\.github\/|\.gitlab\/|docs\/)?CODEOWNERS$/;

interface Allow {
  line: number;
  end: number;
  /** The statement, whitespace collapsed: `allow read, write: if true;`. */
  text: string;
  /** What it allows, each of `read` and `write` as the methods they stand for (`get`, `list`; `create`, `update`, `delete`). */
  methods: string[];
  /** `read, write` as written. */
  says: string;
  cond?: string;
  /** The `match` paths it is inside. */
  scope: string;
}

const METHODS: Record<string, string[]> = { read: ['get', 'list'], write: ['create', 'update', 'delete'] };

/** The `allow` statements of a rules text, comments left out, each with the `match` paths around it. */
function allowsOf(lines: readonly string[]): Allow[] {
  let comment = false;
  const code = lines.map((line) => {
    let out = '';
    let rest = line;
    while (rest !== '') {
      if (comment) {
        const end = rest.indexOf('*/');
        if (end < 0) return out;
        comment = false;
        rest = rest.slice(end + 2);
        continue;
      }
      const m = /\/\/|\/\*/.exec(rest);
      if (!m) return out + rest;
      out += rest.slice(0, m.index) + ' ';
      if (m[0] === '//') return out;
      comment = true;
      rest = rest.slice(m.index + 2);
    }
    return out;
  });
  const text = code.join('\n');
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  // Asked in order of the text: the line found last is where the next search starts.
  let n = 0;
  const lineOf = (at: number) => {
    while (n > 0 && starts[n]! > at) n--;
    while (n + 1 < starts.length && starts[n + 1]! <= at) n++;
    return n + 1;
  };
  const out: Allow[] = [];
  const scope: string[] = [];
  const re = /\bmatch\s+([^\s{]+)\s*\{|\ballow\s+([\w\s,]{1,200}?)\s*(?::\s*(?:if\b)?([^;{}]*))?;|\{|\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) scope.push(m[1]);
    else if (m[2] !== undefined) {
      const names = m[2].split(',').map((w) => w.trim()).filter((w) => w !== '');
      out.push({
        line: lineOf(m.index),
        end: lineOf(m.index + m[0].length - 1),
        text: m[0].replace(/\s+/g, ' ').trim(),
        methods: names.flatMap((w) => METHODS[w] ?? [w]),
        says: names.join(', '),
        ...(m[3] !== undefined && m[3].trim() !== '' ? { cond: m[3].replace(/\s+/g, ' ').trim() } : {}),
        scope: scope.join(' '),
      });
    } else if (m[0] === '{') scope.push('');
    else scope.pop();
  }
  return out;
}

/** `read, write` as a sentence says it: `read and write`. */
const verbs = (says: string) => says.split(', ').join(' and ').replace(/ and (?=.* and )/g, ', ');

function firebaseRules(s: Sides): Danger[] {
  const storage = /(?:^|\/)storage\.rules$/.test(s.c.path) || s.now.some((l) => /\bservice\s+firebase\.storage\b/.test(l));
  // A `*.rules` file of something else (udev, audit, Snort) is none of these.
  if (!/(?:^|\/)(?:firestore|storage)\.rules$/.test(s.c.path) && ![...s.old, ...s.now].some((l) => /\bservice\s+(?:cloud\.firestore|firebase\.storage)\b|^\s*rules_version\s*=/.test(l))) return [];
  const open = storage ? 'the bucket is open to the internet' : 'the database is open to the internet';
  const old = allowsOf(s.old);
  const now = allowsOf(s.now);
  const kept = new Set(now.map((a) => a.text));
  const before = new Set(old.map((a) => a.text));
  // The rules' own functions that check the sign-in (`function signedIn() { return request.auth != null; }`), and those that call them.
  const helpers = new Set<string>();
  const bodies = [...s.now.join('\n').matchAll(/\bfunction\s+(\w+)\s*\([^)]*\)\s*\{([^}]*)\}/g)];
  for (let grew = true; grew; ) {
    grew = false;
    for (const [, name, body] of bodies) if (!helpers.has(name!) && (/\brequest\.auth\b/.test(body!) || [...helpers].some((h) => new RegExp(`\\b${h}\\s*\\(`).test(body!)))) grew = !!helpers.add(name!);
  }
  const checksAuth = (cond: string) => /\brequest\.auth\b/.test(cond) || [...helpers].some((h) => new RegExp(`\\b${h}\\s*\\(`).test(cond));
  const fresh = new Set(newLines(s).map((l) => l.line));
  const out: Danger[] = [];
  for (const a of now) {
    if (before.has(a.text)) continue;
    let touched = false;
    for (let n = a.line; n <= a.end; n++) touched ||= fresh.has(n);
    if (!touched) continue;
    const at = { side: 'new' as const, line: a.line };
    if (a.cond === undefined || /^\(*\s*true\s*\)*$/.test(a.cond)) out.push({ ...at, what: `allows anyone to ${verbs(a.says)} (${quoted(a.text)}): ${open}` });
    else if (/\brequest\.time\s*<\s*timestamp\.date\s*\(/.test(a.cond)) out.push({ ...at, what: `allows anyone to ${verbs(a.says)} until a date (${quoted(a.text)}), Firebase's test-mode rule: ${open} until then` });
    else if (!checksAuth(a.cond)) {
      // A rule that checked the caller's sign-in for the same place and methods, gone from the text.
      const was = old.find((o) => o.scope === a.scope && !kept.has(o.text) && o.cond !== undefined && /\brequest\.auth\b/.test(o.cond) && o.methods.some((m) => a.methods.includes(m)));
      if (was) out.push({ ...at, what: `takes the sign-in check (\`request.auth\`) out of a rule that lets callers ${verbs(a.says)} (${quoted(a.text)}, was ${quoted(was.text)}): a caller who is not signed in passes it` });
    }
  }
  return out;
}

/**
 * The keys of a JSON text (comments allowed, as Realtime Database rules allow them), each with
 * its line and the keys down to it: `["rules", "public", ".read"]`. Read as far as the text
 * goes: a text cut short or malformed still gives the keys before the fault.
 */
function jsonKeys(text: string): { line: number; path: string[] }[] {
  const out: { line: number; path: string[] }[] = [];
  // Each open object or array, with the key it is the value of ('' for an array or the top).
  const open: string[] = [];
  let line = 1;
  let key: string | undefined;
  const skip = (at: number): number => {
    for (let i = at; i < text.length; i++) {
      if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i) - 1;
      else if (text.startsWith('/*', i)) i = text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 1;
      else if (!/\s/.test(text[i]!)) return i;
    }
    return text.length;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    else if (text.startsWith('//', i) || text.startsWith('/*', i)) {
      const end = skip(i);
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end - 1;
    } else if (ch === '"') {
      let j = i + 1;
      let str = '';
      for (; j < text.length && text[j] !== '"' && text[j] !== '\n'; j++) str += text[j] === '\\' ? text[++j] ?? '' : text[j];
      if (text[skip(j + 1)] === ':') {
        key = str;
        out.push({ line, path: [...open.filter((k) => k !== ''), str] });
      }
      if (text[j] === '\n') line++; // a string cut short at its line's end
      i = j;
    } else if (ch === '{' || ch === '[') {
      open.push(ch === '{' ? key ?? '' : '');
      key = undefined;
    } else if (ch === '}' || ch === ']') open.pop();
    else if (ch === ',') key = undefined;
  }
  return out;
}

/**
 * Realtime Database rules: `".read": true`, `".write": "true"`, and the test-mode `"now < …"`.
 * At the root (`rules/.read`), or a write anywhere: an error. A read further down is a part
 * of the database opened on purpose as often as not (`"public": { ".read": true }`): a
 * warning naming the keys down to it, since the reviewer judges what lies there.
 */
function databaseRules(s: Sides): Danger[] {
  const out: Danger[] = [];
  const keys = jsonKeys(s.now.join('\n'));
  for (const l of newLines(s)) {
    const code = l.text.replace(/^\s*\/\/.*$|\s\/\/.*$/, '');
    const here = keys.filter((k) => k.line === l.line);
    for (const m of code.matchAll(/"\.(read|write)"\s*:\s*(true\b|"\s*true\s*"|"\s*now\s*<\s*\d+\s*")/g)) {
      // The key this match is, of those of its line: the nth `.read` on the line is the nth match of it.
      const nth = [...code.slice(0, m.index).matchAll(new RegExp(`"\\.${m[1]}"\\s*:`, 'g'))].length;
      const path = here.filter((k) => k.path[k.path.length - 1] === `.${m[1]}`)[nth]?.path;
      const until = /now/.test(m[2]!);
      if (m[1] === 'read' && path !== undefined && path.length > 2) {
        const under = codeSpan(path.slice(0, -1).join('/'));
        const rule = `${codeSpan(m[0])} at ${codeSpan(path.join('/'))}`;
        const what = until
          ? `allows anyone to read ${under} until a date (${rule}), Firebase's test-mode rule: that part of the database is open to the internet until then; confirm it is meant to be public`
          : `allows anyone to read ${under} (${rule}): that part of the database is open to the internet; confirm it is meant to be public`;
        out.push({ side: 'new', line: l.line, severity: 'warning', what });
        continue;
      }
      const what = until
        ? `allows anyone to ${m[1]} until a date (${codeSpan(m[0])}), Firebase's test-mode rule: the database is open to the internet until then`
        : `allows anyone to ${m[1]} (${codeSpan(m[0])}): the database is open to the internet`;
      out.push({ side: 'new', line: l.line, what });
    }
  }
  return out;
}

/** The owner lines of a CODEOWNERS text by pattern (the last line for a pattern is the one that counts), comments and GitLab's section headers left out. */
function ownersOf(lines: readonly string[]): Map<string, { line: number; owners: string[]; text: string }> {
  const out = new Map<string, { line: number; owners: string[]; text: string }>();
  lines.forEach((text, i) => {
    const code = text.replace(/(?:^|\s)#.*$/, '').trim();
    if (code === '' || /^\^?\[/.test(code)) return;
    const [pattern, ...owners] = code.split(/\s+/);
    out.set(pattern!, { line: i + 1, owners, text });
  });
  return out;
}

function codeowners(s: Sides, elsewhere: boolean): Danger[] {
  if (s.c.status === 'deleted') {
    return elsewhere ? [] : [{ side: 'old', line: 0, severity: 'warning', what: 'deletes the CODEOWNERS file: no change needs its owners\' review any more' }];
  }
  const old = ownersOf(s.old);
  const now = ownersOf(s.now);
  const out: Danger[] = [];
  for (const [pattern, was] of old) {
    if (was.owners.length === 0) continue;
    const is = now.get(pattern);
    if (is === undefined) out.push({ side: 'old', line: was.line, severity: 'warning', what: `takes out the owners of ${codeSpan(pattern)} (${quoted(was.text)}): its changes no longer need their review` });
    else if (is.owners.length === 0) out.push({ side: 'new', line: is.line, severity: 'warning', what: `leaves ${codeSpan(pattern)} with no owners (was ${quoted(was.text)}): its changes no longer need their review` });
    else {
      const gone = ownersTaken(was.owners, is.owners);
      if (gone.length > 0) out.push({ side: 'new', line: is.line, severity: 'warning', what: `takes ${verbs(gone.map(codeSpan).join(', '))} from the owners of ${codeSpan(pattern)} (${quoted(is.text)}, was ${quoted(was.text)}): its changes can be approved without them` });
    }
  }
  return out;
}

/** The owners a pattern had that it no longer has, as written before; GitHub and GitLab match user and team names whatever their case, so `@Alice` is `@alice`. */
function ownersTaken(was: readonly string[], is: readonly string[]): string[] {
  const kept = new Set(is.map((o) => o.toLowerCase()));
  return [...new Set(was)].filter((o) => !kept.has(o.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------
// pre-commit (`.pre-commit-config.yaml`): each hook is a check the team relies on before a
// commit. A hook or a repo block taken out, an `entry` that always passes, arguments that pass
// whatever the tool finds, `stages` emptied, and `files`/`exclude` that leave out a source
// folder are warnings. `fail_fast` and `default_stages` are not read.

const PRE_COMMIT = /(?:^|\/)\.pre-commit-config\.ya?ml$/;

/** A YAML value with the line of each mapping key: mappings as entries, sequences as items, the rest as text. */
type YamlNode =
  | { kind: 'map'; entries: { key: string; line: number; value: YamlNode }[] }
  | { kind: 'seq'; items: YamlNode[] }
  | { kind: 'text'; value: string };

/**
 * A YAML text (a `yaml` document: block and flow styles, block scalars, anchors and aliases)
 * as YamlNode, each mapping key with its line. A text that does not parse gives what the
 * parser recovered, or an empty mapping.
 */
function blockYaml(lines: readonly string[]): YamlNode {
  const counter = new LineCounter();
  const doc = parseDocument(lines.join('\n'), { lineCounter: counter, uniqueKeys: false });
  const conv = (n: unknown, depth: number): YamlNode => {
    if (depth > 50) return { kind: 'text', value: '' };
    if (isAlias(n)) return conv(n.resolve(doc), depth + 1);
    if (isMap(n)) {
      const entries: { key: string; line: number; value: YamlNode }[] = [];
      for (const pair of n.items) {
        const k = pair.key;
        const key = isScalar(k) ? String(k.value ?? '') : '';
        const at = isNode(k) && k.range ? counter.linePos(k.range[0]).line : 0;
        entries.push({ key, line: at, value: conv(pair.value, depth + 1) });
      }
      return { kind: 'map', entries };
    }
    if (isSeq(n)) return { kind: 'seq', items: n.items.map((x) => conv(x, depth + 1)) };
    // A block scalar's lines without their indentation (a verbose regex, a command: as read, not laid out).
    if (isScalar(n)) return { kind: 'text', value: n.value === null || n.value === undefined ? '' : String(n.value).split('\n').map((l) => l.trim()).join('\n').trim() };
    return { kind: 'text', value: '' };
  };
  return conv(doc.contents, 0);
}

const yamlGet = (n: YamlNode | undefined, key: string) => (n?.kind === 'map' ? n.entries.find((e) => e.key === key) : undefined);
const yamlText = (n: YamlNode | undefined): string => (!n ? '' : n.kind === 'text' ? n.value : n.kind === 'seq' ? n.items.map(yamlText).join(' ') : '');

interface PreCommitHook {
  repo: string;
  repoLine: number;
  id: string;
  /** `id`, `alias` and its place among hooks of the same id: how it is matched across the change. */
  key: string;
  line: number;
  node: YamlNode;
}

function preCommitHooks(root: YamlNode): PreCommitHook[] {
  const out: PreCommitHook[] = [];
  const seen = new Map<string, number>();
  const repos = yamlGet(root, 'repos')?.value;
  for (const r of repos?.kind === 'seq' ? repos.items : []) {
    const repo = yamlGet(r, 'repo');
    const hooks = yamlGet(r, 'hooks')?.value;
    for (const h of hooks?.kind === 'seq' ? hooks.items : []) {
      const id = yamlGet(h, 'id');
      if (!id || !repo) continue;
      const name = `${yamlText(id.value)}\0${yamlText(yamlGet(h, 'alias')?.value)}`;
      const n = seen.get(name) ?? 0;
      seen.set(name, n + 1);
      out.push({ repo: yamlText(repo.value), repoLine: repo.line, id: yamlText(id.value), key: `${name}\0${n}`, line: id.line, node: h });
    }
  }
  return out;
}

/** A Python regular expression (pre-commit's `files`/`exclude`) as JavaScript's, or undefined where it has no like. */
function pythonRegex(source: string): RegExp | undefined {
  let src = source;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    if (inline[1]!.includes('x')) src = src.split('\n').map((l) => l.replace(/(?<!\\)#.*$/, '')).join('').replace(/(?<!\\)\s+/g, '');
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('s')) flags += 's';
    if (inline[1]!.includes('m')) flags += 'm';
  }
  try {
    return new RegExp(src.replace(/\\Z/g, '$').replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
  } catch {
    return undefined;
  }
}

/** Source files in the folders a project keeps its code in, by folder: a hook that checked some of one and checks none of it now has left it out. */
const SOURCE_PROBES: ReadonlyArray<[string, string[]]> = ['', 'src/', 'lib/', 'app/', 'pkg/', 'cmd/', 'internal/'].map((dir) => [
  dir,
  (dir === 'src/' ? ['src/', 'src/core/'] : [dir]).flatMap((d) => ['main.py', 'index.ts', 'index.tsx', 'index.js', 'main.go', 'lib.rs', 'Main.java', 'app.rb', 'main.c', 'main.cpp', 'Program.cs', 'index.php', 'Main.kt', 'main.swift', 'run.sh'].map((f) => d + f)),
]);

/** The source folders a `files`/`exclude` pair leaves out that the old pair did not; undefined when either does not read as a regular expression. */
function foldersLeftOut(oldFiles: string, oldExclude: string, newFiles: string, newExclude: string): string[] | undefined {
  const pair = (files: string, exclude: string) => {
    const f = files === '' ? /(?:)/ : pythonRegex(files);
    const x = exclude === '' ? /^$/ : pythonRegex(exclude);
    return f && x ? (p: string) => f.test(p) && !x.test(p) : undefined;
  };
  const was = pair(oldFiles, oldExclude);
  const is = pair(newFiles, newExclude);
  if (!was || !is) return undefined;
  return SOURCE_PROBES.filter(([, paths]) => paths.some(was) && !paths.some(is)).map(([dir]) => dir);
}

/** An `entry` that passes whatever it is given. */
const ALWAYS_PASSES = /^(?:true|:|(?:\/usr)?\/bin\/true|exit\s+0|echo(?:\s.*)?|(?:ba|z)?sh\s+-c\s+(["']?)(?:true|:|exit\s+0|echo(?:\s[^"']*)?)\1)$/;
/** Arguments or an entry that make a tool pass whatever it finds. */
const HOOK_PASSES_ANYWAY = /--exit-zero\b|--no-verify\b|\|\|\s*(?:true\b|:(?=\s|$|["'\]])|exit\s+0\b)/;

function preCommit(s: Sides): Danger[] {
  const oldRoot = blockYaml(s.old);
  const newRoot = blockYaml(s.now);
  const oldHooks = preCommitHooks(oldRoot);
  const newHooks = preCommitHooks(newRoot);
  const now = new Map(newHooks.map((h) => [h.key, h]));
  const repos = new Set(newHooks.map((h) => h.repo));
  const out: Danger[] = [];
  const entryOf = (h: PreCommitHook) => yamlText(yamlGet(h.node, 'entry')?.value);
  // Taken out: a repo whose hooks are all gone is one finding; a hook SpecGate's gate runs in is the gate's.
  const gone = oldHooks.filter((h) => !now.has(h.key) && h.repo !== 'meta' && !isGateLine(entryOf(h)));
  const byRepo = new Map<string, PreCommitHook[]>();
  for (const h of gone) byRepo.set(`${h.repo}\0${h.repoLine}`, [...(byRepo.get(`${h.repo}\0${h.repoLine}`) ?? []), h]);
  for (const hooks of byRepo.values()) {
    const r = hooks[0]!;
    const all = oldHooks.filter((h) => h.repo === r.repo && h.repoLine === r.repoLine);
    if (!repos.has(r.repo) && hooks.length === all.length && hooks.length > 1) {
      out.push({ side: 'old', line: r.repoLine, severity: 'warning', what: `takes out the pre-commit repo \`${r.repo}\` and its hooks ${someOf(hooks.map((h) => h.id), 5, (id) => `\`${id}\``)}: the checks they ran no longer run before a commit` });
    } else for (const h of hooks) out.push({ side: 'old', line: h.line, severity: 'warning', what: `takes out the pre-commit hook \`${h.id}\` (\`${h.repo}\`): the check it ran no longer runs before a commit` });
  }
  const warn = (line: number, what: string) => out.push({ side: 'new', line, severity: 'warning', what });
  for (const was of oldHooks) {
    const is = now.get(was.key);
    if (!is) continue;
    const field = (h: PreCommitHook, k: string) => yamlGet(h.node, k);
    const entry = field(is, 'entry');
    const oldEntry = entryOf(was);
    if (entry && ALWAYS_PASSES.test(yamlText(entry.value).trim()) && !ALWAYS_PASSES.test(oldEntry.trim())) {
      warn(entry.line, `makes the pre-commit hook \`${is.id}\` pass whatever it is given (\`entry: ${yamlText(entry.value).trim()}\`): the check no longer runs`);
    } else {
      const args = field(is, 'args');
      const lenient = [entry, args].find((f) => f && HOOK_PASSES_ANYWAY.test(yamlText(f.value)));
      if (lenient && !HOOK_PASSES_ANYWAY.test(`${oldEntry} ${yamlText(field(was, 'args')?.value)}`)) {
        warn(lenient.line, `lets the pre-commit hook \`${is.id}\` pass whatever it finds (\`${HOOK_PASSES_ANYWAY.exec(yamlText(lenient.value))![0]}\` in its \`${lenient.key}\`)`);
      }
    }
    const stages = field(is, 'stages');
    const oldStages = field(was, 'stages');
    const idle = (f: { value: YamlNode } | undefined) => f !== undefined && yamlText(f.value).split(/\s+/).every((x) => x === '' || x === 'manual');
    if (idle(stages) && !idle(oldStages)) warn(stages!.line, `takes the pre-commit hook \`${is.id}\` out of every stage (\`stages: ${stages!.value.kind === 'seq' ? `[${yamlText(stages!.value).split(/\s+/).filter(Boolean).join(', ')}]` : yamlText(stages!.value)}\`): it no longer runs on a commit`);
    out.push(...narrowedFiles(`the pre-commit hook \`${is.id}\``, was.node, is.node));
  }
  out.push(...narrowedFiles('every pre-commit hook', oldRoot, newRoot));
  return out;
}

/** `files`/`exclude` of a hook (or of the whole config) changed to leave out a source folder. */
function narrowedFiles(whose: string, was: YamlNode, is: YamlNode): Danger[] {
  const text = (n: YamlNode, k: string) => yamlText(yamlGet(n, k)?.value);
  const [of, ox, nf, nx] = [text(was, 'files'), text(was, 'exclude'), text(is, 'files'), text(is, 'exclude')];
  if (of === nf && ox === nx) return [];
  const left = foldersLeftOut(of, ox, nf, nx);
  if (!left || left.length === 0) return [];
  const key = nx !== ox ? 'exclude' : 'files';
  const at = yamlGet(is, key) ?? yamlGet(is, key === 'exclude' ? 'files' : 'exclude');
  const value = key === 'exclude' ? nx : nf;
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  const folders = someOf(left.map((d) => (d === '' ? 'the files at the top of the repository' : `\`${d}\``)), 4, (x) => x);
  return [{ side: at ? 'new' : 'old', line: at?.line ?? yamlGet(was, key)?.line ?? 1, severity: 'warning', what: `narrows the files ${whose} checks (${value === '' ? `\`${key}\` taken away` : `\`${key}: ${shown.replace(/\n/g, ' ')}\``}): it no longer checks ${folders}` }];
}

// ---------------------------------------------------------------------------------------------
// SpecGate's own gate: the hook or CI line that runs `specgate verify`, taken out or made to
// ignore its answer. Counted across the change, so a gate moved from one file to another is
// no removal.

/** A line that runs the gate: `specgate … verify`, or the CLI a hook names (`"$SPECGATE_CLI" verify`); a comment line is none. */
function isGateLine(text: string): boolean {
  if (/^\s*(?:#|\/\/|rem\b|::)/i.test(text)) return false;
  return /(?:\bspecgate\b|\$\{?SPECGATE_CLI\b)[^#\n]*?\sverify(?=\s|$|["'`;&|)])/i.test(text);
}

/** Files where a gate line runs (hooks, CI, scripts, package.json), not text that only names it (an issue template, docs). */
const GATE_RUNS = (path: string) => (GATE_FILE.test(path) || YAML.test(path) || PACKAGE_JSON.test(path)) && !/(?:^|\/)\.github\/(?:ISSUE_TEMPLATE|DISCUSSION_TEMPLATE)\//.test(path);

/** A gate line that goes on whatever verify answers. */
const IGNORES_ANSWER = /\|\|\s*(?:true\b|:|exit\s+0\b|echo\b)|;\s*(?:true|exit\s+0)\s*(?:["']|$)/;
/** Settings that let a step or job fail without failing the run, or switch it off. */
const STEP_MAY_FAIL = /^\s*-?\s*(?:continue-on-error\s*:\s*true|allow_failure\s*:\s*true|skip\s*:\s*true|if\s*:\s*(?:false|\$\{\{\s*false\s*\}\}))\s*(?:#.*)?$/;

/** Lines with their shell continuations (`\` at the end) joined, each kept at its first line. */
function joined(lines: readonly string[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, ' ') + lines[++i]!.trim();
    out.push({ line: start + 1, text });
  }
  return out;
}

/** The nearest line above `at` indented less than `indent`, or -1. */
function parentLine(lines: readonly string[], at: number, indent: number): number {
  for (let i = at - 1; i >= 0; i--) if (lines[i]!.trim() !== '' && !/^\s*#/.test(lines[i]!) && indentOf(lines[i]!) < indent) return i;
  return -1;
}

/**
 * The lines holding the keys of the YAML step a gate line is in, and of the job around it:
 * the step (the list item the line is, or is in) and its own keys; the job's keys (those
 * beside its `steps:` or `script:`), where `if:`, `continue-on-error:` and GitLab's
 * `allow_failure:` sit. Not the other steps' keys.
 */
function gateKeys(lines: readonly string[], at: number): number[] {
  const out: number[] = [];
  const direct = (head: number, childIndent: number) => {
    for (let i = head + 1; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      const indent = indentOf(lines[i]!);
      if (indent <= indentOf(lines[head]!)) break;
      if (indent === childIndent) out.push(i);
    }
  };
  // The step: the list item the gate line is, or the one above it that it belongs to.
  const item = /^\s*-\s/.test(lines[at]!) ? at : parentLine(lines, at, indentOf(lines[at]!));
  if (item < 0 || !/^\s*-\s/.test(lines[item]!)) return out;
  out.push(item);
  direct(item, indentOf(lines[item]!) + (/^\s*-\s+/.exec(lines[item]!)![0].length - indentOf(lines[item]!)));
  // The job: the key holding the list (`steps:`, `script:`), and the keys beside it.
  const list = parentLine(lines, item, indentOf(lines[item]!) + 1);
  const job = list < 0 ? -1 : parentLine(lines, list, indentOf(lines[list]!));
  if (list >= 0 && job >= 0) direct(job, indentOf(lines[list]!));
  return out;
}

/** A condition that only says whether SpecGate is there to run (`[ -x node_modules/.bin/specgate ]`, `command -v specgate`, `-f .specgate/…`), or that it runs in CI: no way around the gate. */
const GATE_PRESENT = /specgate|\$\{?CI\b/;

/** CI configuration, where the gate must check the branch against its target. */
const CI_FILE = /^\.github\/workflows\/|(?:^|\/)\.gitlab-ci\.yml$|\.gitlab-ci\.yml$|^\.circleci\/|azure-pipelines[^/]*\.ya?ml$|^bitbucket-pipelines\.yml$|(?:^|\/)Jenkinsfile|^\.buildkite\/|^\.drone\.yml$/;
/** What makes a gate check nothing in CI: the index (empty on a CI checkout) or HEAD as the base. */
const EMPTY_GATE = /\s--staged\b|\s--base[=\s]+["']?HEAD["']?(?=\s|$|["';&|)])/;

function gate(read: readonly Sides[]): Map<string, Danger[]> {
  const out = new Map<string, Danger[]>();
  const add = (path: string, d: Danger) => out.set(path, [...(out.get(path) ?? []), d]);
  // Repository settings as code: SpecGate taken out of the required checks.
  for (const s of read) {
    if (!/^\.github\/settings\.ya?ml$/.test(s.c.path)) continue;
    const names = (lines: readonly string[]) => lines.some((l) => !/^\s*#/.test(l) && /specgate/i.test(l));
    if (names(s.old) && !names(s.now)) {
      const gone = s.removed.find((l) => /specgate/i.test(l.text));
      add(s.c.path, { side: 'old', line: gone?.line ?? 1, what: 'takes SpecGate out of the required status checks: a branch can merge without its approval' });
    }
  }
  const sides = read.filter((s) => GATE_RUNS(s.c.path)).map((s) => ({ s, old: joined(s.old).filter((l) => isGateLine(l.text)), now: joined(s.now).filter((l) => isGateLine(l.text)) }));
  const before = sides.reduce((n, x) => n + x.old.length, 0);
  const after = sides.reduce((n, x) => n + x.now.length, 0);
  for (const { s, old, now } of sides) {
    if (after < before && old.length > now.length) {
      const kept = new Set(now.map((l) => norm(l.text)));
      for (const l of old.filter((o) => !kept.has(norm(o.text)))) add(s.c.path, { side: 'old', line: l.line, what: `takes out a line that runs SpecGate's gate (${quoted(l.text)}): what it gated goes through without an approval` });
    }
    const fresh = new Set(newLines(s).map((l) => l.line));
    // Set in the script, or GitHub Actions' `shell: bash` (which runs `bash -eo pipefail`).
    const pipefail = s.now.some((t) => /pipefail|^\s*shell:\s*bash\s*$/.test(t));
    for (const l of now) {
      // In CI, a gate that reads the index or HEAD has nothing to approve, and passes.
      const wasEmpty = old.some((o) => EMPTY_GATE.test(o.text));
      if (fresh.has(l.line) && EMPTY_GATE.test(l.text) && !wasEmpty && (CI_FILE.test(s.c.path) || (old.length > 0 && PACKAGE_JSON.test(s.c.path)))) {
        add(s.c.path, { side: 'new', line: l.line, what: `makes SpecGate's gate check an empty change (${quoted(l.text)}): in CI the index and \`HEAD\` hold nothing to approve, so it passes; CI checks \`--base\` the target branch` });
      }
      if (fresh.has(l.line) && !pipefail && /\sverify\b[^|#]*\|(?!\|)/.test(l.text)) {
        add(s.c.path, { side: 'new', line: l.line, what: `pipes SpecGate's gate into another command (${quoted(l.text)}): without \`pipefail\` the shell takes that command's status, so the gate's answer is lost` });
      }
      if (fresh.has(l.line) && IGNORES_ANSWER.test(l.text)) add(s.c.path, { side: 'new', line: l.line, what: `runs SpecGate's gate but goes on whatever it answers (${quoted(l.text)})` });
      // `[ -n "$SKIP_GATE" ] || specgate verify`: a variable anyone can set before a commit skips it.
      else if (fresh.has(l.line)) {
        const guard = /^\s*(?:-\s*run:\s*)?(\[\[?[^\]]*\]\]?|test\s[^|&;]*|"?\$\{?\w+\}?"?)\s*(?:\|\||&&)\s*[^|&;]*\bspecgate\b/.exec(l.text);
        if (guard && !GATE_PRESENT.test(guard[1]!)) add(s.c.path, { side: 'new', line: l.line, severity: 'warning', what: `runs SpecGate's gate only when a condition holds (${quoted(l.text)}): whoever can set it skips the gate` });
      }
      // A step or job around it that may now fail, or never runs (CI YAML, lefthook).
      if (YAML.test(s.c.path)) {
        for (const i of gateKeys(s.now, l.line - 1)) {
          if (fresh.has(i + 1) && STEP_MAY_FAIL.test(s.now[i]!)) add(s.c.path, { side: 'new', line: i + 1, what: `lets the step or job that runs SpecGate's gate fail, or skips it (${quoted(s.now[i]!)}): the run passes whatever the gate answers` });
        }
      }
      // A hook that exits before it reaches the gate: always, or (inside an `if`, after `&&`) when a condition holds.
      if (GATE_FILE.test(s.c.path)) {
        const early = s.now.slice(0, l.line - 1).findIndex((t, i) => fresh.has(i + 1) && /(?:^|;|&&|\bthen)\s*exit\s+0\s*(?:;\s*fi)?\s*(?:#.*)?$/.test(t));
        if (early >= 0) {
          const always = /^\s*exit\s+0\s*(?:#.*)?$/.test(s.now[early]!) && !s.now.slice(0, early).some((t) => /^\s*(?:if|case|while|for)\b/.test(t) && !s.now.slice(s.now.indexOf(t), early).some((u) => /^\s*(?:fi|esac|done)\b/.test(u)));
          add(s.c.path, always ? { side: 'new', line: early + 1, what: `exits before the line that runs SpecGate's gate (line ${l.line}): the gate never runs` } : { side: 'new', line: early + 1, severity: 'warning', what: `exits before SpecGate's gate (line ${l.line}) when a condition holds (${quoted(s.now[early]!)}): the gate is skipped then` });
        }
        // `set +e` ahead of a gate that is not the hook's last word: its failure no longer stops the hook.
        const lenient = s.now.slice(0, l.line - 1).findIndex((t, i) => fresh.has(i + 1) && /^\s*set\s+\+e\b/.test(t));
        const checked = /^\s*(?:if\b|!|until\b|while\b)/.test(l.text) || /\$\?/.test(s.now.slice(l.line).find((t) => t.trim() !== '') ?? '');
        if (lenient >= 0 && !checked && !/\|\|\s*exit\s+[1-9]/.test(l.text) && s.now.slice(l.line).some((t) => t.trim() !== '' && !/^\s*#/.test(t))) {
          add(s.c.path, { side: 'new', line: lenient + 1, what: `turns off stopping on errors (\`set +e\`) before SpecGate's gate (line ${l.line}), which the hook then runs past` });
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Symbolic links.

/** `a/b/../c` -> `a/c`; a leading `..` that climbs out is kept. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/**
 * A symbolic link the change points somewhere a reviewer would not let it: outside the
 * repository (an absolute target, or one that climbs above the root) or into a `.git` folder.
 * The target is the link's text (see linkTargets in the engine).
 */
function link(c: FileChange): Danger[] {
  const target = c.newText;
  if (target === undefined || c.status === 'deleted' || c.newMode !== '120000') return [];
  const shown = target.length > 120 ? `${target.slice(0, 117)}...` : target;
  const outside = { side: 'new' as const, line: 0, what: `is a symbolic link to \`${shown}\`, outside the repository: whatever reads or copies it (a build, an upload) reaches that file` };
  if (target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)) return [outside];
  const folder = folderOf(c.path);
  const resolved = normalise(folder ? `${folder}/${target}` : target);
  if (resolved === '..' || resolved.startsWith('../')) return [outside];
  if (resolved.split('/').some((p) => p.toLowerCase() === '.git')) return [{ side: 'new', line: 0, what: `is a symbolic link to \`${shown}\`, into the repository's \`.git\` folder (hooks, config)` }];
  return [];
}

/**
 * The dangers of each change whose texts the change set carries (see readsContent), by path.
 * Terraform addresses and Kubernetes objects are matched across the whole change: a resource
 * moved to another file of its module, or a Namespace split into a file of its own, is not
 * destroyed.
 */
export function findDangers(changes: readonly FileChange[], registries: ReadonlySet<string> = new Set()): Map<string, Danger[]> {
  const out = new Map<string, Danger[]>();
  const read: Sides[] = [];
  for (const c of changes) {
    if (c.newMode === '120000') {
      const found = link(c);
      if (found.length > 0) out.set(c.path, found);
      continue;
    }
    if (c.binary && c.status !== 'deleted' && (BINARY_CODE.test(c.path) || (c.newMode === '100755' && !MEDIA.test(c.path)))) {
      const wrapper = /(?:^|\/)gradle-wrapper\.jar$|(?:^|\/)\.mvn\/wrapper\/maven-wrapper\.jar$/.test(c.path);
      const what = wrapper
        ? 'is a build wrapper (a binary program the build runs first): confirm it is the release it claims to be (its checksum against the published one, as `gradle/actions/wrapper-validation` does)'
        : 'is a binary program or library (not text, so there is no diff to review): confirm where it comes from, and that the repository can build it from source';
      out.set(c.path, [{ side: 'new', line: 0, severity: 'warning', what }]);
      continue;
    }
    if (c.binary || !(readsContent(c.path) || (c.oldPath !== undefined && readsContent(c.oldPath)))) {
      // A file not read here whose added lines the change set found a secret or a silencer in (source code, docs).
      if (!c.binary && (c.secrets || c.silenced)) {
        const found = (c.secrets ?? []).flatMap((x) => {
          const k = secretKind(x.kind);
          return k ? [secretDanger(c.path, x.line, k.what, k.shipped)] : [];
        });
        if (c.silenced) found.push(...silencedOnLines(c.silenced));
        if (found.length > 0) out.set(c.path, found.sort((a, b) => a.line - b.line));
      }
      continue;
    }
    const s = sidesOf(c);
    if (s) read.push(s);
  }
  const hcl: HclFile[] = [];
  const tfJsons: TfJsonFile[] = [];
  // Each file's readers (two for a file renamed across syntaxes), run once the context is whole.
  const tfReaders = new Map<Sides, ((ctx: TerraformContext) => Danger[])[]>();
  for (const s of read) {
    const halves = terraformSides(s);
    if (halves.length === 0) continue;
    tfReaders.set(s, halves.map(([syntax, h]) => {
      if (syntax === 'hcl') {
        const f: HclFile = { s: h, folder: folderOf(s.c.path), oldCode: hclCode(h.old), newCode: hclCode(h.now) };
        hcl.push(f);
        return (ctx) => terraform(f, ctx);
      }
      const f: TfJsonFile = { s: h, folder: folderOf(s.c.path), old: tfJson(h.old), now: tfJson(h.now) };
      tfJsons.push(f);
      return (ctx) => terraformJson(f, ctx);
    }));
  }
  const tf = tfReaders.size > 0 ? terraformContext(hcl) : undefined;
  for (const f of tfJsons) tfJsonContext(tf!, f);
  const yamls = read.filter((s) => YAML.test(s.c.path) && !WORKFLOW.test(s.c.path) && !PNPM_LOCK.test(s.c.path));
  const k8sAfter = new Set(yamls.flatMap((s) => k8sObjects(s.now).map((o) => `${o.kind}\0${o.name}`)));
  const reclaimed = reclaimBefore(yamls);
  // Where each CloudFormation resource is declared after the change (a resource moved to another file).
  const cfnElsewhere = new Map<string, string>();
  const cfnNow = new Map<Sides, Map<string, CfnResource>>();
  for (const s of read) {
    if (!YAML.test(s.c.path) && !/\.json$/.test(s.c.path)) continue;
    const resources = cfnResources(s.now);
    cfnNow.set(s, resources);
    for (const id of resources.keys()) if (!cfnElsewhere.has(id)) cfnElsewhere.set(id, s.c.path);
  }
  // The owners of actions some workflow of the change stopped using: a step moved to another workflow is not new to it.
  const dropped = new Set(read.filter((s) => WORKFLOW.test(s.c.path)).flatMap((s) => s.removed.flatMap((l) => { const u = usesOf(l.text); return u ? [ownerOf(u.name)] : []; })));
  const prismaAfter = new Map<string, { columns: Set<string>; fields: Set<string> }>();
  const prismaEnums = new Set(read.filter((s) => PRISMA.test(s.c.path)).flatMap((s) => [...s.old, ...s.now].flatMap((l) => /^\s*enum\s+(\w+)\s*\{/.exec(l)?.[1] ?? [])));
  for (const s of read) {
    if (!PRISMA.test(s.c.path)) continue;
    for (const m of prismaModels(s.now, prismaEnums)) {
      const seen = prismaAfter.get(m.table) ?? { columns: new Set<string>(), fields: new Set<string>() };
      for (const c of m.columns.keys()) seen.columns.add(c);
      for (const f of m.fields) seen.fields.add(f);
      prismaAfter.set(m.table, seen);
    }
  }
  for (const s of read) {
    const p = s.c.path;
    const tfRead = tfReaders.get(s);
    const found = tfRead
      ? tfRead.flatMap((r) => r(tf!))
      : SQL.test(p)
        ? DOWN_MIGRATION.test(p) ? [] : sql(s)
        : WORKFLOW.test(p)
          ? [...workflow(s), ...workflowSupply(s, dropped), ...downloadRun(s)]
          : DOCKERFILE.test(p)
            ? dockerfile(s)
            : PNPM_LOCK.test(p)
              ? lockfile(s, PNPM_HOST, registries)
              : PRISMA.test(p)
                ? prisma(s, prismaAfter, prismaEnums)
              : CODE_MIGRATION.test(p) && !PACKAGE_JSON.test(p) && !TEST_FILE.test(p)
                ? codeMigration(s)
              : PRE_COMMIT.test(p)
                ? preCommit(s)
              : YAML.test(p)
                ? [...kubernetes(s, k8sAfter), ...cloudFormation(s, cfnNow.get(s)!, cfnElsewhere), ...scaledToZero(s), ...reclaimPolicies(s, reclaimed)]
                : PACKAGE_JSON.test(p)
                  ? packageJson(s)
                  : NPM_LOCK.test(p)
                    ? lockfile(s, NPM_HOST, registries)
                    : YARN_LOCK.test(p)
                      ? lockfile(s, YARN_HOST, registries)
                      : FIREBASE_RULES.test(p)
                        ? firebaseRules(s)
                      : DATABASE_RULES.test(p)
                        ? databaseRules(s)
                      : CODEOWNERS.test(p)
                        ? codeowners(s, read.some((o) => o !== s && CODEOWNERS.test(o.c.path) && o.c.status !== 'deleted'))
                      : /\.json$/.test(p)
                        ? cloudFormation(s, cfnNow.get(s)!, cfnElsewhere)
                        : [];
    if (!WORKFLOW.test(p) && RUNS_SCRIPTS(p)) found.push(...downloadRun(s));
    if (PACKAGE_JSON.test(p)) found.push(...checkScripts(s), ...dependencySources(s));
    if (COVERAGE_CONFIG.test(p)) found.push(...coverage(s));
    if (TEST_FILE.test(p)) found.push(...testFile(s));
    const silenceLang = silenceLanguage(p);
    if (silenceLang) found.push(...silenced(s, silenceLang));
    if (IAC_CODE.test(p) && !TEST_FILE.test(p)) found.push(...iacCode(s));
    if (!NPM_LOCK.test(p) && !YARN_LOCK.test(p) && !PNPM_LOCK.test(p)) found.push(...secrets(s));
    if (found.length > 0) out.set(p, found);
  }
  for (const s of gitlabFiles(read)) {
    const found = gitlabIncludesAdded(s);
    if (found.length > 0) out.set(s.c.path, [...(out.get(s.c.path) ?? []), ...found]);
  }
  for (const extra of [gate(read), tsconfigs(read), narrowed(read)]) for (const [p, found] of extra) out.set(p, [...(out.get(p) ?? []), ...found]);
  return out;
}

/**
 * The registry hosts a `.npmrc` or `.yarnrc.yml` text names (`registry=`, `@scope:registry=`,
 * `npmRegistryServer:`, `npmScopes` servers): packages the base's configuration sends there
 * are not from a new host.
 */
export function registryHosts(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:@[^:=\s]+:)?registry\s*=\s*["']?[a-z+]+:\/\/([^/"'\s]+)/i.exec(line) ?? /^\s*npmRegistryServer\s*:\s*["']?[a-z+]+:\/\/([^/"'\s]+)/i.exec(line);
    if (m) out.push(m[1]!.toLowerCase());
  }
  return out;
}
