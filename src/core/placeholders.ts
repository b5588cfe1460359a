// What a file's added lines hold in place of work, or should not hold: lines that are all
// comments (a task "done" by a `// TODO: add retries`), placeholders left where the code should
// be (`throw new Error('Not implemented')`, `todo!()`, `raise NotImplementedError`), secrets
// (an AWS key pasted into a source file, a password in a URL outside prose) and checks silenced
// (`// @ts-ignore`). SG302 reads the first two for a task ticked done in the change
// (rules/tasks.ts); SG210 the others, in files whose text it does not read (dangers.ts).
// Worked out from git's hunk bodies as the patch streams in (the change cache keeps the
// verdict), from a new file's text, from both sides of a file the change set pairs itself (moved
// with `mv`, then edited), and from an editor buffer's lines, so they all agree.
import { SECRET_WORDS, secretKindIn, SILENCER_WORDS, silencerOnLine } from './dangers';
import { eachBodyLine, type PatchSection } from './diffparse';
import type { Hunk } from './model';

/** A placeholder an added line leaves: its new-side line and its text (trimmed, at most PLACEHOLDER_TEXT characters). */
export interface Placeholder {
  line: number;
  text: string;
}

/** A secret on an added line: its new-side line and its kind (dangers.ts's secretKind). */
export interface SecretAt {
  line: number;
  kind: number;
}

/** A check silenced on an added line: its new-side line, its kind (dangers.ts's silencerOnLine) and the line (trimmed, at most PLACEHOLDER_TEXT characters). */
export interface SilencedAt {
  line: number;
  kind: number;
  text: string;
}

export interface HeldWork {
  /** Every added and removed line is a comment or blank, and at least one is a comment. */
  commentOnly?: true;
  /** Placeholders on added lines, the first MAX_PLACEHOLDERS of them. */
  placeholders?: Placeholder[];
  /** Secrets on added lines (any text file), the first MAX_PLACEHOLDERS of them. */
  secrets?: SecretAt[];
  /** Checks silenced on added lines, of each kind as many more as the removed lines had (source code), the first MAX_SILENCED. */
  silenced?: SilencedAt[];
}

/** Silenced lines kept per file: enough for dangers.ts to say "on N lines" up to this many. */
export const MAX_SILENCED = 50;

/** Placeholders kept per file: enough to show; a change with more has said what it is. */
export const MAX_PLACEHOLDERS = 3;
/** Characters of a placeholder line kept. */
export const PLACEHOLDER_TEXT = 120;

/** How a language writes a line comment (and a block comment, `c`). */
type CommentStyle = 'c' | 'hash' | 'c-hash' | 'dash' | 'markup';
const STYLES: readonly CommentStyle[] = ['c', 'hash', 'c-hash', 'dash', 'markup'];

const STYLE_BY_EXTENSION: Readonly<Record<string, CommentStyle>> = {
  js: 'c', jsx: 'c', mjs: 'c', cjs: 'c', ts: 'c', tsx: 'c', mts: 'c', cts: 'c',
  java: 'c', kt: 'c', kts: 'c', scala: 'c', groovy: 'c', cs: 'c', go: 'c', rs: 'c', swift: 'c', dart: 'c',
  c: 'c', h: 'c', cc: 'c', cpp: 'c', cxx: 'c', hpp: 'c', hh: 'c', m: 'c', mm: 'c', proto: 'c',
  py: 'hash', pyi: 'hash', rb: 'hash', sh: 'hash', bash: 'hash', zsh: 'hash', pl: 'hash', pm: 'hash', r: 'hash', ex: 'hash', exs: 'hash', cmake: 'hash',
  php: 'c-hash', tf: 'c-hash', hcl: 'c-hash',
  sql: 'dash', lua: 'dash', hs: 'dash',
  vue: 'markup', svelte: 'markup', html: 'markup', htm: 'markup',
};

const EXTENSIONS = Object.keys(STYLE_BY_EXTENSION);
const EXTENSION_INDEX = new Map(EXTENSIONS.map((e, i) => [e, i]));

/**
 * Prose (Markdown, reStructuredText, AsciiDoc, plain text): a connection string there is how a
 * setup is explained, its password made up, so a password in a URL is not looked for.
 */
const PROSE = /\.(?:md|mdx|markdown|rst|adoc|asciidoc|txt)$/i;

/** Test code: a placeholder there is a test's business (a fake, a `todo` test), not a task's work left undone. */
const TEST_PATH = /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|specs|e2e|testdata|fixtures?)\/|\.(?:test|spec)\.[^/]+$|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|go|rb)$|_spec\.rb$|(?:Tests?|Spec|IT)\.(?:java|kt|cs)$/;

/** The comment style of a code file, by its name; undefined for anything else (docs, data, config). */
export function commentStyle(path: string): CommentStyle | undefined {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return /(?:^|\/)(?:Makefile|Dockerfile|Rakefile|Gemfile)$/.test(path) ? 'hash' : undefined;
  return STYLE_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

/**
 * Whether a line (without its line break) is a comment in the style, or blank (`blank`).
 * Only whole-line comments: code with a comment after it is code. A `/* … *\/` opened on
 * the line must close with nothing after it, or run on past the line; a line starting with
 * `*` is read as a block comment's middle line.
 */
function lineKind(text: string, style: CommentStyle): 'blank' | 'comment' | 'code' {
  let s = 0;
  while (s < text.length && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
  let e = text.length;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (s === e) return 'blank';
  const t = text.slice(s, e);
  if (style === 'c' || style === 'c-hash') {
    if (t.startsWith('//')) return 'comment';
    if (t.startsWith('/*')) {
      const close = t.indexOf('*/', 2);
      return close === -1 || close + 2 === t.length ? 'comment' : 'code';
    }
    if (t === '*/' || (t.startsWith('*') && (t.length === 1 || t[1] === ' ' || t[1] === '\t' || t.endsWith('*/')) && !t.startsWith('*=') )) return 'comment';
  }
  if ((style === 'hash' || style === 'c-hash') && t.startsWith('#') && !t.startsWith('#[') && !t.startsWith('#{')) return 'comment';
  if (style === 'dash' && t.startsWith('--')) return 'comment';
  if (style === 'markup' && t.startsWith('<!--') && (t.indexOf('-->') === -1 || t.endsWith('-->'))) return 'comment';
  return 'code';
}

/**
 * A placeholder where code should be. Each form is what a tool generates for a body left to
 * write, or what a person types meaning "not done": TypeScript's "Method not implemented.",
 * gopls' `panic("unimplemented")`, NetBeans' "Not supported yet.", C#'s
 * NotImplementedException, Rust's `todo!()`/`unimplemented!()`, Kotlin's `TODO()`, Swift's
 * `fatalError("…not implemented")`. A throw or panic must say it is one: an
 * UnsupportedOperationException of its own is an API's answer, not a gap.
 */
const PLACEHOLDER = new RegExp(
  [
    /\b(?:todo|unimplemented)!\s*\(/.source,
    /\bNotImplementedException\b/.source,
    // A message that says so: "Method not implemented.", "not yet implemented", "TODO: refunds"
    // and "Not supported yet." (as a message's start); not "todo not found" in a to-do app.
    /\b(?:throw\s+(?:new\s+)?[\w.\\]*|panic|fatalError|die|abort)\s*\(\s*(?:['"`](?:(?:\w+[ \t]+){0,2}(?:not[ \t]+(?:yet[ \t]+)?implemented|unimplemented|implement[ \t]+me)|not[ \t]+supported[ \t]+yet|(?:todo|to[ \t]+do)(?=\s*(?:[:.!'"`]|$)))|(?:new\s+)?[\w.]*NotImplemented\w*)/.source,
  ].join('|'),
  'i',
);
/** Kotlin's `TODO()` (and a C or Scala `TODO(` macro or function by that name): written in capitals, so a to-do app's `todo(…)` is not one. */
const TODO_CALL = /(?:^|[^\w.])TODO\s*\(\s*(?:\)|")/;
/** Python's and Ruby's `raise NotImplementedError`: an abstract method's body too, so not under `@abstractmethod`. */
const RAISE_NOT_IMPLEMENTED = /^\s*raise\s+NotImplementedError\b/;
const ABSTRACT = /@(?:abc\.)?abstract(?:method|property|classmethod|staticmethod)\b/;

/**
 * Words one of which every placeholder, secret (dangers.ts's SECRET_WORDS) or silencer
 * (SILENCER_WORDS) holds. PLACEHOLDER reads a message in any case, so its words are here in
 * the cases people write them: `mplemented`, `todo` in any (`"ToDo: refunds"`), `to do` before
 * the message's end (`"To do"`), `upported yet` (`"Not Supported Yet"`). Case by character
 * classes, not a flag: SECRET_WORDS' case matters. A patch parser's `watch` (PatchParser): one
 * search of its chunks flags the sections worth reading line by line; the same test, line by
 * line, for text. Words that start with a common character (a quote, `:`) would slow that
 * search down on every patch: measure one before adding it.
 */
const WORDS = `mplemented|MPLEMENTED|[Tt][Oo][Dd][Oo]|[Tt][Oo][ \t]+[Dd][Oo][:.!'"\`]|upported[ \t]+[Yy]et|UPPORTED[ \t]+YET|${SECRET_WORDS}|${SILENCER_WORDS}`;
export const ADDED_LINE_WORDS = new RegExp(WORDS, 'g');
const MAY_HOLD = new RegExp(WORDS);

/**
 * The placeholder on an added code line, given the added lines just before it in its hunk (for
 * `@abstractmethod`); undefined when there is none.
 */
function placeholderOf(text: string, before: readonly string[], style: CommentStyle): string | undefined {
  if (lineKind(text, style) !== 'code') return undefined;
  if (RAISE_NOT_IMPLEMENTED.test(text)) {
    if (before.some((b) => ABSTRACT.test(b))) return undefined;
  } else if (!PLACEHOLDER.test(text) && !TODO_CALL.test(text)) {
    return undefined;
  }
  return shortened(text);
}

/** A line as kept: trimmed, at most PLACEHOLDER_TEXT characters. */
function shortened(text: string): string {
  const t = text.trim();
  return t.length > PLACEHOLDER_TEXT ? `${t.slice(0, PLACEHOLDER_TEXT - 3)}...` : t;
}

/** Collects the verdict over a change's lines, in order. */
class Judge {
  private comments = 0;
  private code = false;
  private readonly found: Placeholder[] = [];
  private readonly leaks: SecretAt[] = [];
  private readonly quiet: SilencedAt[] = [];
  /** Silencers of each kind on removed lines: as many added are moved ones, not new. */
  private readonly quietRemoved = new Map<number, number>();
  private before: string[] = [];

  /** Look for a password in a URL (dangers.ts secretKindIn): not in prose. */
  private readonly urls: boolean;

  /**
   * `path`: the file's (its language); `style`: its comment style (undefined: not code);
   * `placeholders`: look for them (code, not tests); `words`: false when the lines are known
   * to hold no word of WORDS.
   */
  constructor(
    private readonly path: string,
    private readonly style: CommentStyle | undefined,
    private readonly placeholders: boolean,
    private readonly words = true,
  ) {
    if (style === undefined) this.code = true;
    this.urls = !PROSE.test(path);
  }

  /** A removed line: ends the comment-only test if it is code. */
  removed(text: string): void {
    this.kind(text);
    if (this.style === undefined || !this.words || !MAY_HOLD.test(text)) return;
    const k = silencerOnLine(this.path, text);
    if (k !== undefined) this.quietRemoved.set(k, (this.quietRemoved.get(k) ?? 0) + 1);
  }

  /** An added line at `line` of the new side. */
  added(text: string, line: number): void {
    this.kind(text);
    if (this.words && MAY_HOLD.test(text)) {
      if (this.placeholders && this.found.length < MAX_PLACEHOLDERS) {
        const p = placeholderOf(text, this.before, this.style!);
        if (p !== undefined) this.found.push({ line, text: p });
      }
      const kind = this.leaks.length < MAX_PLACEHOLDERS ? secretKindIn(text, this.urls) : undefined;
      if (kind !== undefined) this.leaks.push({ line, kind });
      const quiet = this.style !== undefined && this.quiet.length < MAX_SILENCED ? silencerOnLine(this.path, text) : undefined;
      if (quiet !== undefined) this.quiet.push({ line, kind: quiet, text: shortened(text) });
    }
    this.before.push(text);
    if (this.before.length > 3) this.before.shift();
  }

  /** A new hunk starts: `@abstractmethod` above is out of reach. */
  hunk(): void {
    this.before = [];
  }

  /** Whether the comment test is over (the rest of the lines matter only where a word of WORDS is). */
  get decided(): boolean {
    return this.code;
  }

  private kind(text: string): void {
    if (this.code) return;
    const k = lineKind(text, this.style!);
    if (k === 'code') this.code = true;
    else if (k === 'comment') this.comments++;
  }

  verdict(): HeldWork {
    const out: HeldWork = {};
    if (this.style !== undefined && !this.code && this.comments > 0) out.commentOnly = true;
    if (this.found.length > 0) out.placeholders = this.found;
    if (this.leaks.length > 0) out.secrets = this.leaks;
    // As many of a kind as the removed lines had are the same ones moved or re-edited.
    const skip = new Map(this.quietRemoved);
    const quiet = this.quiet.filter((q) => {
      const n = skip.get(q.kind) ?? 0;
      if (n > 0) skip.set(q.kind, n - 1);
      return n === 0;
    });
    if (quiet.length > 0) out.silenced = quiet;
    return out;
  }
}

const MINUS = 45;
const PLUS = 43;
const utf8 = new TextDecoder('utf-8');

/** Whether bytes [from, to) of `buf` hold a word of WORDS (read as Latin-1, as the parser's watch reads them). */
function holdsWord(buf: Uint8Array, from: number, to: number): boolean {
  return to > from && MAY_HOLD.test(Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1'));
}

/**
 * The verdict for a patch section of `path` from its hunk bodies (git's `-U0` lines); empty
 * without bodies. Lines are decoded while the comment test is open (most code changes end it
 * on their first line), and all of them in a section whose bytes hold a word of WORDS: the
 * parser's `watch` says which (or, without one, its pieces are searched here).
 */
export function sectionWork(section: PatchSection, path: string): HeldWork {
  const bodies = section.bodies;
  if (!bodies || section.binary || section.hasNul || section.hunks.length === 0) return {};
  const { buffers, pieces } = bodies;
  let watched = section.watched;
  if (watched === undefined) {
    watched = false;
    for (let p = 0; p < pieces.length && !watched; p += 4) watched = holdsWord(buffers[pieces[p + 1]!]!, pieces[p + 2]!, pieces[p + 3]!);
  }
  const style = commentStyle(path);
  if (style === undefined && !watched) return {};
  const judge = new Judge(path, style, style !== undefined && !TEST_PATH.test(path));
  let hunk = -1;
  let line = 0;
  eachBodyLine(bodies, (h, buf, mark, start, end) => {
    // Past the comment test, a section with no word of WORDS has nothing more to give.
    if (judge.decided && !watched) return true;
    if (h !== hunk) {
      hunk = h;
      line = section.hunks[hunk]!.newStart;
      judge.hunk();
    }
    if (mark === MINUS) judge.removed(utf8.decode(buf.subarray(start, end)));
    else if (mark === PLUS) judge.added(utf8.decode(buf.subarray(start, end)), line++);
    return false;
  });
  return judge.verdict();
}

/**
 * The verdict for a change given as lines: the old side's (`base`, null for a new file) and
 * the new side's, each with its line break or without, and the hunks between them.
 */
export function linesWork(path: string, base: readonly string[] | null, lines: readonly string[], hunks: readonly Hunk[], words = true): HeldWork {
  const style = commentStyle(path);
  if (style === undefined && !words) return {};
  const judge = new Judge(path, style, style !== undefined && !TEST_PATH.test(path), words);
  const all = base === null ? [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length }] : hunks;
  for (const h of all) {
    judge.hunk();
    // Past the comment test, removed lines still count silencers (one moved is not new), as in sectionWork.
    if (base !== null && (words || !judge.decided)) for (let i = 0; i < h.oldLines; i++) judge.removed(base[h.oldStart - 1 + i] ?? '');
    for (let i = 0; i < h.newLines; i++) judge.added(lines[h.newStart - 1 + i] ?? '', h.newStart + i);
  }
  return judge.verdict();
}

/** A text's lines, without their line breaks (a CR before one too). */
function linesOfText(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * The verdict for an edit given as both sides' texts and the hunks between them (a file
 * moved with `mv` and edited, paired by the change set rather than by git): only the lines
 * the hunks add and remove are read, as from git's hunk bodies.
 */
export function editWork(path: string, before: string, after: string, hunks: readonly Hunk[]): HeldWork {
  if (hunks.length === 0) return {};
  const words = MAY_HOLD.test(after);
  if (!words && commentStyle(path) === undefined) return {};
  return linesWork(path, linesOfText(before), linesOfText(after), hunks, words);
}

/** The verdict for a new file's text (every line added). */
export function textWork(path: string, text: string): HeldWork {
  const words = MAY_HOLD.test(text);
  const style = commentStyle(path);
  if (!words && style === undefined) return {};
  // With no word of WORDS, only the comment test is left, which the first line of code ends.
  if (!words) {
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      const kind = lineKind(text.slice(at, end), style!);
      if (kind === 'code') return {};
      if (kind === 'comment') break;
      at = end + 1;
    }
  }
  return linesWork(path, null, linesOfText(text), [], words);
}

/**
 * What a cached verdict was worked out for, by path: the comment style and whether it is a
 * test (0 for a file that is not code). A change cache entry is keyed by its blobs alone; the
 * same blobs under a path of another class are diffed again rather than given its verdict.
 */
export function workClassOf(path: string): number {
  // By the name's extension (its language: a silencer is read by language), in STYLE_BY_EXTENSION's order; names without one after them.
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  let ext: number | undefined;
  if (dot > slash + 1) ext = EXTENSION_INDEX.get(path.slice(dot + 1).toLowerCase());
  else {
    const style = commentStyle(path);
    if (style !== undefined) ext = EXTENSIONS.length + STYLES.indexOf(style);
  }
  return ext === undefined ? 0 : 1 + 2 * ext + (TEST_PATH.test(path) ? 1 : 0);
}

/** The highest workClassOf. */
export const MAX_WORK_CLASS = 2 * (Object.keys(STYLE_BY_EXTENSION).length + 5) + 1;
