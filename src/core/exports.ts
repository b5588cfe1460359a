// A small, tolerant scanner for the names a JavaScript/TypeScript file exports. A lexer jumps
// (with indexOf) between the characters that can open a comment, string, template or regex
// literal, only as far as the scan has got, and records where those literals lie; a reader parses
// each `export …` and CommonJS `exports.x =` / `module.exports = { … }` seeing literals as
// blanks, without building a blanked copy of the file. The common `export function|class|… name`
// is read by one sticky regex. Never throws; linear in the input (look-ahead windows are capped).

/** File extensions the scanner understands. */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export function isScriptPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') && SCRIPT_EXTENSIONS.includes(path.slice(dot).toLowerCase());
}

interface Blanked {
  code: string;
  /** Quoted string literals by the offset of their opening quote. */
  strings: Map<number, string>;
}

const REGEX_AFTER_CHAR = new Uint8Array(128);
for (const c of '(,=:[!&|?{};+-*%<>~^') REGEX_AFTER_CHAR[c.charCodeAt(0)] = 1;
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);
const LONGEST_REGEX_WORD = 10;
const NEWLINE = /[\n\r]/;

/** `\w` as a table over ASCII codes, for the candidate loop. */
const WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD[c] = /\w/.test(String.fromCharCode(c)) ? 1 : 0;

/** `\w` */
function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** `[\w$]` */
function isAsciiIdent(c: number): boolean {
  return isWord(c) || c === 36;
}

/** `[A-Za-z_$\u00a0-\uffff]` */
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0xa0;
}

/** `[\w$\u00a0-\uffff]` */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** The blanks the reader skips: space, \n, \t, \r. */
function isBlank(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** `\s` (the set `trim` removes too). */
function isSpace(c: number): boolean {
  if (c < 0xa0) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function blankPiece(piece: string): string {
  return NEWLINE.test(piece) ? piece.replace(/[^\n\r]/g, ' ') : ' '.repeat(piece.length);
}

function unescapeString(raw: string): string {
  return raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw;
}

/** Where the literals of a source lie: blanked spans [from, to) and quoted strings. */
class Literals {
  readonly spanFrom: number[] = [];
  readonly spanTo: number[] = [];
  readonly strFrom: number[] = [];
  readonly strTo: number[] = [];
  /** Offsets of the `}` closing each template expression (each starts a span). */
  readonly closers: number[] = [];
  private cursor = 0;

  constructor(readonly src: string) {}

  addSpan(from: number, to: number): void {
    if (to <= from) return;
    this.spanFrom.push(from);
    this.spanTo.push(to);
  }

  /** Index of the first span ending after p. */
  seek(p: number): number {
    const to = this.spanTo;
    const count = to.length;
    let k = this.cursor;
    if (k > 0 && to[k - 1]! > p) k = firstAbove(to, p, 0, k);
    else {
      for (let steps = 0; k < count && to[k]! <= p; k++) {
        if (++steps > 16) {
          k = firstAbove(to, p, k, count);
          break;
        }
      }
    }
    this.cursor = k;
    return k;
  }

  /** End of the span holding p, or -1 when p is code. */
  spanEndAt(p: number): number {
    const k = this.seek(p);
    return k < this.spanTo.length && this.spanFrom[k]! <= p ? this.spanTo[k]! : -1;
  }

  /** Start of the span holding p, or -1 when p is code. */
  spanStartAt(p: number): number {
    const k = this.seek(p);
    return k < this.spanTo.length && this.spanFrom[k]! <= p ? this.spanFrom[k]! : -1;
  }

  /** The character of the blanked text at p (NaN past the end). */
  codeAt(p: number): number {
    const c = this.src.charCodeAt(p);
    return c !== 10 && c !== 13 && this.spanEndAt(p) >= 0 ? 32 : c;
  }

  /** The blanked text of [from, to). */
  blanked(from: number, to: number): string {
    const parts: string[] = [];
    const { src, spanFrom, spanTo } = this;
    let p = from;
    for (let k = this.seek(from); p < to && k < spanTo.length && spanFrom[k]! < to; k++) {
      const s = Math.max(spanFrom[k]!, p);
      const e = Math.min(spanTo[k]!, to);
      parts.push(src.slice(p, s), blankPiece(src.slice(s, e)));
      p = e;
    }
    if (p < to) parts.push(src.slice(p, to));
    return parts.join('');
  }

  /** The unescaped text of the quoted string whose opening quote is at p. */
  stringAt(p: number): string | undefined {
    const k = firstAbove(this.strFrom, p - 1, 0, this.strFrom.length);
    if (k >= this.strFrom.length || this.strFrom[k] !== p) return undefined;
    return unescapeString(this.src.slice(p + 1, this.strTo[k]));
  }
}

/** First index in the sorted a[lo, hi) whose value exceeds p (hi when none). */
function firstAbove(a: number[], p: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! > p) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How far either side of a `/*` the JSX text test reads. */
const JSX_WINDOW = 400;
/** A line's text that ends with a JSX tag's `>`. */
const JSX_TAG_END = /(?:<\/?[A-Za-z][\w.:-]*(?:\s[^<>]*)?|<)>$/;

const SLASH = 0;
const DQUOTE = 1;
const SQUOTE = 2;
const BACKTICK = 3;
const LF = 4;
const BACKSLASH = 5;
const OPEN = 6;
const CLOSE = 7;
const DOLLAR_BRACE = 8;
const STREAM_TEXT = ['/', '"', "'", '`', '\n', '\\', '{', '}', '${'];

/** Finds comments, strings, templates and regex literals, as a JS tokenizer would (tolerantly). */
class Lexer {
  /** Lexed up to here: below is known code or literal; from here to the next event is code. */
  i = 0;
  /** Index of the last code character that is not a blank (-1: none, or just after `${`). */
  private lastSig = -1;
  private segStart = 0;
  private depth = 0;
  private readonly templateDepth: number[] = [];
  /** Next position (>= i) of each stream's text, or n; stale when below i. */
  private readonly next = [-1, -1, -1, -1, -1, -1, -1, -1, -1];
  /** Position of the next literal start (or brace in a template expression); stale when below i. */
  nextEvent = -1;
  /** Next quote or backtick (>= i), or n; stale when below i. */
  private nextQuote = -1;
  private readonly n: number;

  constructor(
    private readonly src: string,
    readonly out: Literals,
  ) {
    this.n = src.length;
  }

  /** Reads every literal that starts at or before x (line comments, the common case, inline). */
  lexUntil(x: number): void {
    const { src, n, out } = this;
    for (;;) {
      let at = this.nextEvent;
      if (at < this.i) at = this.nextEvent = this.findEvent();
      if (at > x || at >= n) return;
      for (let k = at - 1; k >= this.segStart; k--) {
        const c = src.charCodeAt(k);
        if (c !== 32 && c !== 10 && c !== 9 && c !== 13) {
          this.lastSig = k;
          break;
        }
      }
      this.i = at;
      if (src.charCodeAt(at) === 47 && src.charCodeAt(at + 1) === 47) {
        const end = this.find(LF);
        out.spanFrom.push(at);
        out.spanTo.push(end);
        this.i = end;
      } else this.event(src.charCodeAt(at));
      this.segStart = this.i;
    }
  }

  private findEvent(): number {
    let at = this.find(SLASH);
    let quote = this.nextQuote;
    if (quote < this.i) quote = this.nextQuote = Math.min(this.find(DQUOTE), this.find(SQUOTE), this.find(BACKTICK));
    if (quote < at) at = quote;
    return this.templateDepth.length > 0 ? Math.min(at, this.find(OPEN), this.find(CLOSE)) : at;
  }

  private find(stream: number): number {
    let at = this.next[stream]!;
    if (at < this.i) {
      at = this.src.indexOf(STREAM_TEXT[stream]!, this.i);
      if (at < 0) at = this.n;
      this.next[stream] = at;
    }
    return at;
  }

  private event(c: number): void {
    if (c === 47) {
      const d = this.src.charCodeAt(this.i + 1);
      if (d === 47) this.lineComment();
      else if (d === 42) this.blockComment();
      else this.slash();
    } else if (c === 34) this.quoted(c, DQUOTE);
    else if (c === 39) this.quoted(c, SQUOTE);
    else if (c === 96) this.template();
    else if (c === 125) this.closeBrace();
    else {
      this.depth++;
      this.lastSig = this.i++;
    }
  }

  private lineComment(): void {
    const end = this.find(LF);
    this.out.addSpan(this.i, end);
    this.i = end;
  }

  /**
   * A `/*` opens no comment when it is text: in JSX text between a tag's `>` and a closing
   * `</` on its line, with no `*\/` in between (`<p>logs/* are kept</p>`), or with no `*\/`
   * after it at all (an unclosed comment is a syntax error). Read as a comment, it hid every
   * export up to the next `*\/`, such as the one in a later `"**\/*.log"`.
   */
  private blockComment(): void {
    const close = this.src.indexOf('*/', this.i + 2);
    if (close < 0 || this.inJsxText(close)) return this.slash();
    this.out.addSpan(this.i, close + 2);
    this.i = close + 2;
  }

  /**
   * Whether the `/*` at i lies in JSX text on its line (see blockComment); `close` is the next
   * `*\/`. Only JSX_WINDOW characters either side are read: a minified file's one long line
   * with many comments costs no more than a short one.
   */
  private inJsxText(close: number): boolean {
    const src = this.src;
    const from = Math.max(0, this.i - JSX_WINDOW);
    const before = src.slice(from, this.i);
    const nl = before.lastIndexOf('\n');
    if (nl < 0 && from > 0) return false;
    const line = before.slice(nl + 1);
    const tagEnd = line.lastIndexOf('>');
    if (tagEnd < 0 || /[<{};=]/.test(line.slice(tagEnd + 1))) return false;
    // The `>` ends a tag (`<p>`, `<a href="x">`, `</b>`, `<>`), not a comparison or an arrow.
    if (!JSX_TAG_END.test(line.slice(0, tagEnd + 1))) return false;
    const after = src.slice(this.i + 2, Math.min(close, this.i + 2 + JSX_WINDOW));
    const closing = after.indexOf('</');
    return closing >= 0 && !/[\n<>{}]/.test(after.slice(0, closing));
  }

  private quoted(quote: number, stream: number): void {
    const n = this.n;
    const start = this.i++;
    while (this.i < n) {
      const stop = Math.min(this.find(stream), this.find(LF));
      const escape = this.find(BACKSLASH);
      if (escape >= stop) {
        this.i = stop;
        break;
      }
      this.i = escape + 2;
    }
    if (this.i > n) this.i = n;
    this.out.strFrom.push(start);
    this.out.strTo.push(this.i);
    this.out.addSpan(start + 1, this.i);
    if (this.i < n && this.src.charCodeAt(this.i) === quote) this.i++;
    this.lastSig = this.i - 1;
  }

  /**
   * At a backtick or the `}` closing a template expression: up to `${` or the closing backtick.
   * The literal span starts after an opening backtick but at a closing `}`: like the `${` it
   * pairs with (inside the span before it), that brace is template syntax, not code, so the
   * reader's brace counting (object keys, export lists, declarators) must not see it.
   */
  private template(): void {
    const n = this.n;
    const closer = this.src.charCodeAt(this.i) === 125;
    if (closer) this.out.closers.push(this.i);
    const start = closer ? this.i++ : ++this.i;
    while (this.i < n) {
      const tick = this.find(BACKTICK);
      const expr = this.find(DOLLAR_BRACE);
      const escape = this.find(BACKSLASH);
      if (escape < tick && escape < expr) {
        this.i = escape + 2;
        continue;
      }
      if (tick < expr) {
        this.out.addSpan(start, tick);
        this.lastSig = tick;
        this.i = tick + 1;
        return;
      }
      if (expr >= n) break;
      this.out.addSpan(start, expr + 2);
      this.i = expr + 2;
      this.templateDepth.push(this.depth++);
      this.lastSig = -1;
      return;
    }
    this.out.addSpan(start, n);
    this.i = n;
  }

  private closeBrace(): void {
    const open = this.templateDepth;
    if (open[open.length - 1] === this.depth - 1) {
      open.pop();
      this.depth--;
      this.template();
      return;
    }
    this.depth = Math.max(0, this.depth - 1);
    this.lastSig = this.i++;
  }

  private slash(): void {
    if (this.regexAllowed()) this.regexLiteral();
    else this.lastSig = this.i++;
  }

  private regexAllowed(): boolean {
    const last = this.lastSig;
    if (last < 0) return true;
    const src = this.src;
    const prev = src.charCodeAt(last);
    if (!isAsciiIdent(prev)) return prev < 128 && REGEX_AFTER_CHAR[prev] === 1;
    let k = last;
    while (k > 0 && isAsciiIdent(src.charCodeAt(k - 1))) {
      if (last - --k >= LONGEST_REGEX_WORD) return false;
    }
    return REGEX_AFTER_WORD.has(src.slice(k, last + 1));
  }

  private regexLiteral(): void {
    const src = this.src;
    const n = this.n;
    const start = this.i;
    let i = start + 1;
    let inClass = false;
    while (i < n) {
      const d = src.charCodeAt(i);
      if (d === 10) break;
      if (d === 92) i += 2;
      else if (d === 91) (inClass = true), i++;
      else if (d === 93) (inClass = false), i++;
      else if (d === 47 && !inClass) break;
      else i++;
    }
    if (i < n && src.charCodeAt(i) === 47) i++;
    if (i > n) i = n;
    this.out.addSpan(start, i);
    this.lastSig = i - 1;
    this.i = i;
  }
}

function lex(src: string): Literals {
  const literals = new Literals(src);
  new Lexer(src, literals).lexUntil(src.length);
  return literals;
}

/**
 * Replaces comments and literal contents with spaces, keeping newlines and offsets. The `}`
 * closing a template expression is shown, as this function always has, though the reader
 * takes it as part of the template.
 */
export function blankLiterals(src: string): Blanked {
  const literals = lex(src);
  const strings = new Map<number, string>();
  for (let k = 0; k < literals.strFrom.length; k++) {
    const from = literals.strFrom[k]!;
    strings.set(from, unescapeString(src.slice(from + 1, literals.strTo[k])));
  }
  return { code: withClosers(literals.blanked(0, src.length), literals.closers), strings };
}

/** `code` with a `}` put back at each offset of `closers`. */
function withClosers(code: string, closers: number[]): string {
  if (closers.length === 0) return code;
  const parts: string[] = [];
  let p = 0;
  for (const at of closers) {
    parts.push(code.slice(p, at), '}');
    p = at + 1;
  }
  parts.push(code.slice(p));
  return parts.join('');
}

const DECL_MODIFIERS = new Set(['declare', 'abstract', 'async']);

function topLevelParts(body: string): string[] {
  const parts: string[] = [];
  let d = 0;
  let cur = '';
  for (const c of body) {
    if (c === '{' || c === '[' || c === '(') d++;
    else if (c === '}' || c === ']' || c === ')') d--;
    if (c === ',' && d === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

const NAME = /^[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/;
/**
 * Up to the name in `[modifiers] function|class|… name`, made only of blanks and identifiers (so
 * holding no literal): what the reader would find, read natively.
 */
const DECLARATION =
  /[ \t\n\r]*(?:(?:declare|abstract|async)[ \t\n\r]+)*(?:function(?![\w$\u00a0-\uffff])[ \t\n\r]*\*?|(?:class|interface|enum|namespace|import|module|type)(?![\w$\u00a0-\uffff]))[ \t\n\r]*(?=[A-Za-z_$\u00a0-\uffff])/y;
const IDENT_AT = /[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/y;
const DECLARATOR = /^\s*([A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*)\s*([=:,;]|$)/;

/** Names declared by a destructuring pattern's top level: `{ a, b: c, ...d }` → a, c, d. */
function patternNames(body: string): string[] {
  const names: string[] = [];
  for (let part of topLevelParts(body)) {
    part = part.split('=')[0]!.trim().replace(/^\.\.\./, '');
    const colon = part.indexOf(':');
    if (colon >= 0) part = part.slice(colon + 1).trim();
    const m = /^[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*$/.exec(part);
    if (m) names.push(m[0]);
  }
  return names;
}

/** Keys of an object literal's top level: `{ a, b: x, c() {}, async d() {} }` → a, b, c, d. */
function objectKeys(body: string): string[] {
  const names: string[] = [];
  for (let part of topLevelParts(body)) {
    part = part.trim().replace(/^(?:async\s+|get\s+|set\s+)?\*?\s*/, '');
    if (part.startsWith('...')) continue;
    const m = NAME.exec(part);
    if (m && /^\s*($|[:(=<])/.test(part.slice(m[0].length))) names.push(m[0]);
  }
  return names;
}

/** Names in an export list `a, b as c, type D, default as e` → the exported names. */
function listNames(body: string): string[] {
  const names: string[] = [];
  for (let part of body.split(',')) {
    part = part.trim().replace(/^type\s+/, '');
    if (!part) continue;
    const m = /\bas\s+([A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*)\s*$/.exec(part);
    const name = m ? m[1]! : /^[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*$/.exec(part)?.[0];
    if (name) names.push(name);
  }
  return names;
}

/** Reads the export forms of one source, seeing its literals as blanks. */
class ExportReader {
  private readonly found = new Map<string, number>();
  private lastEnd = 0;
  private pos = 0;
  private lineOffset = 0;
  private lineNo = 1;
  private readonly n: number;
  /** First quote or backtick (above n: none). */
  private readonly firstQuote: number;
  /** Next `/` after the line comments read so far (above n: none). */
  private nextSlash: number;
  /** End of the last line comment read so far. */
  private commentEnd = 0;
  private lexed: Lexer | undefined;

  constructor(private readonly src: string) {
    this.n = src.length;
    this.firstQuote = Math.min(src.indexOf('"') >>> 0, src.indexOf("'") >>> 0, src.indexOf('`') >>> 0);
    this.nextSlash = src.indexOf('/') >>> 0;
  }

  private get lexer(): Lexer {
    return (this.lexed ??= new Lexer(this.src, new Literals(this.src)));
  }

  private get lit(): Literals {
    return this.lexer.out;
  }

  /**
   * Reads the export forms at each occurrence of `export` from p on, in order; a match of
   * `export`, `exports.` or `module.exports` ends at lastEnd and the next starts after it.
   * The common declarations are read natively here, the rest by the reader methods.
   */
  scan(p: number): Map<string, number> {
    const { src, found } = this;
    let lexer: Lexer | undefined;
    const bodies = this.namespaceBodies();
    let body = 0;
    for (; p >= 0; p = src.indexOf('export', Math.max(p + 1, this.lastEnd))) {
      if (bodies !== undefined) {
        // An `export` in a namespace's body exports a member of the namespace, not of the
        // module: one on the head's line, or indented deeper than the head. (The body's end
        // comes from brace counting, which a `/{/` read as division can push past the
        // namespace: an export at the head's indentation or less is the module's.)
        while (body < bodies.length && bodies[body]![1] <= p) body++;
        const b = bodies[body];
        if (b !== undefined && b[0] <= p && (this.lineStartOf(p) === b[3] || this.indentAt(p) > b[2])) continue;
      }
      if (lexer === undefined && (p >= this.firstQuote || !this.lineCommentsUntil(p))) lexer = this.lexer;
      if (lexer !== undefined) {
        if (lexer.nextEvent <= p) lexer.lexUntil(p);
        if (p < lexer.i && lexer.out.spanEndAt(p) >= 0) continue;
      } else if (p < this.commentEnd) continue;
      // A literal next to this code `export` would start with `/` or end with `/` or `{`: the
      // raw characters around it decide as the blanked ones would.
      const before = p > 0 ? src.charCodeAt(p - 1) : 0;
      if (before < 128 && WORD[before] === 1) continue;
      const after = src.charCodeAt(p + 6);
      if (after < 128 && WORD[after] === 1) {
        if (after === 115) this.exportsAt(p, before);
        continue;
      }
      this.lastEnd = p + 6;
      if (before === 46 || before === 36) continue;
      DECLARATION.lastIndex = p + 6;
      if (!DECLARATION.test(src)) {
        this.exportForm(p, p + 6);
        continue;
      }
      const start = DECLARATION.lastIndex;
      IDENT_AT.lastIndex = start;
      IDENT_AT.test(src);
      const name = src.slice(start, IDENT_AT.lastIndex);
      if (found.get(name) === undefined) found.set(name, this.lineAt(p));
    }
    return found;
  }

  /**
   * The bodies of the namespaces and ambient modules (`namespace N {`, `module N.M {`,
   * `declare module 'm' {`) as [start, end) ranges in source order, outermost only; undefined
   * when the source has none (most do not: two native searches tell).
   */
  private namespaceBodies(): [start: number, end: number, indent: number, headLine: number][] | undefined {
    const src = this.src;
    if (src.indexOf('namespace') < 0 && !/\bmodule[ \t\r\n]+[\w$'"]/.test(src)) return undefined;
    const out: [number, number, number, number][] = [];
    const head = /(?<![\w$.\u00a0-\uffff])(?:namespace|module)[ \t\r\n]+(?:[A-Za-z_$\u00a0-\uffff][\w$.\u00a0-\uffff]*|'[^'\n]*'|"[^"\n]*")[ \t\r\n]*\{/g;
    for (let m = head.exec(src); m !== null; m = head.exec(src)) {
      if (out.length > 0 && m.index < out[out.length - 1]![1]) continue;
      this.lexer.lexUntil(this.n);
      if (this.lit.spanEndAt(m.index) >= 0) continue;
      this.pos = head.lastIndex;
      this.balanced('{', '}');
      const keyword = m.index + (m[0].length - m[0].trimStart().length);
      out.push([head.lastIndex, this.pos, this.indentAt(keyword), this.lineStartOf(keyword)]);
      head.lastIndex = Math.max(head.lastIndex, this.pos);
    }
    this.pos = 0;
    return out.length > 0 ? out : undefined;
  }

  /** Where the line holding p starts. */
  private lineStartOf(p: number): number {
    return this.src.lastIndexOf('\n', p - 1) + 1;
  }

  /** The columns of blanks (a tab as 4) before the first other character of p's line. */
  private indentAt(p: number): number {
    const src = this.src;
    let n = 0;
    for (let k = this.lineStartOf(p); k < p; k++) {
      const c = src.charCodeAt(k);
      if (c === 32) n++;
      else if (c === 9) n += 4;
      else break;
    }
    return n;
  }

  /**
   * The common case before any quote: reads the line comments up to p; false when a `/` up to p
   * starts something else (then the full lexer takes over, from the start).
   */
  private lineCommentsUntil(p: number): boolean {
    const src = this.src;
    let slash = this.nextSlash;
    while (slash <= p) {
      if (src.charCodeAt(slash + 1) !== 47) return false;
      const end = src.indexOf('\n', slash);
      this.commentEnd = end < 0 ? this.n : end;
      slash = src.indexOf('/', this.commentEnd) >>> 0;
    }
    this.nextSlash = slash;
    return true;
  }

  /** `exports` at p: `module.exports …` or `exports.name =`. */
  private exportsAt(p: number, before: number): void {
    const { src, lit } = this;
    this.lexer.lexUntil(this.n);
    if (!isWord(src.charCodeAt(p + 7))) {
      const m = this.moduleStart(p);
      if (m >= this.lastEnd) {
        this.lastEnd = p + 7;
        const beforeModule = m > 0 ? src.charCodeAt(m - 1) : 0;
        if (beforeModule !== 46 && beforeModule !== 36) this.moduleForm(m, p + 7);
        return;
      }
    }
    const dot = this.skipSpace(p + 7, this.n);
    if (lit.codeAt(dot) !== 46) return;
    this.lastEnd = dot + 1;
    if (before !== 46 && before !== 36) this.assignedName(p, dot + 1);
  }

  /** Start of `module` in `module . exports` ending with the `exports` at p, or -1. */
  private moduleStart(p: number): number {
    const dot = this.skipSpaceBack(p - 1, 0);
    if (dot < 0 || this.lit.codeAt(dot) !== 46) return -1;
    const m = this.skipSpaceBack(dot - 1, 0) - 5;
    if (m < 0 || !this.src.startsWith('module', m) || this.lit.spanEndAt(m) >= 0) return -1;
    return m > 0 && isWord(this.src.charCodeAt(m - 1)) ? -1 : m;
  }

  /** First position >= p (below end) that is not `\s` in the blanked text, or >= end. */
  private skipSpace(p: number, end: number): number {
    while (p < end) {
      if (isSpace(this.src.charCodeAt(p))) p++;
      else {
        const spanEnd = this.lit.spanEndAt(p);
        if (spanEnd < 0) return p;
        p = spanEnd;
      }
    }
    return p;
  }

  /** First position >= p (below end) past ASCII whitespace and literal spans; `end` if none. */
  private skipAsciiSpace(p: number, end: number): number {
    while (p < end) {
      const c = this.src.charCodeAt(p);
      if (c === 32 || (c >= 9 && c <= 13)) p++;
      else {
        const spanEnd = this.lit.spanEndAt(p);
        if (spanEnd < 0) return p;
        p = spanEnd;
      }
    }
    return p;
  }

  /** Last position <= p (at or above low) that is not `\s` in the blanked text, or below low. */
  private skipSpaceBack(p: number, low: number): number {
    while (p >= low) {
      if (isSpace(this.src.charCodeAt(p))) p--;
      else {
        const spanStart = this.lit.spanStartAt(p);
        if (spanStart < 0) return p;
        p = spanStart - 1;
      }
    }
    return p;
  }

  private add(name: string, offset: number): void {
    if (this.found.get(name) === undefined) this.found.set(name, this.lineAt(offset));
  }

  /** Offsets come in order, so the line is counted forward from the previous one. */
  private lineAt(offset: number): number {
    const src = this.src;
    let line = this.lineNo;
    let nl = src.indexOf('\n', this.lineOffset);
    if (nl < 0 || nl >= offset) return line;
    do {
      line++;
      this.lineOffset = nl + 1;
      nl = src.indexOf('\n', nl + 1);
    } while (nl >= 0 && nl < offset);
    return (this.lineNo = line);
  }

  /** Skips blanks and literals; the reader only ever meets a literal at a `/` (comment or regex). */
  private ws(): void {
    const src = this.src;
    let p = this.pos;
    for (;;) {
      const c = src.charCodeAt(p);
      if (isBlank(c)) p++;
      else if (c === 47) {
        const spanEnd = this.lit.spanEndAt(p);
        if (spanEnd < 0) break;
        p = spanEnd;
      } else break;
    }
    this.pos = p;
  }

  private ident(): string | undefined {
    this.ws();
    const src = this.src;
    const start = this.pos;
    if (!isIdentStart(src.charCodeAt(start))) return undefined;
    let end = start + 1;
    while (isIdentPart(src.charCodeAt(end))) end++;
    this.pos = end;
    return src.slice(start, end);
  }

  private peekIdent(): string | undefined {
    const save = this.pos;
    const id = this.ident();
    this.pos = save;
    return id;
  }

  private char(c: number): boolean {
    this.ws();
    if (this.src.charCodeAt(this.pos) !== c) return false;
    this.pos++;
    return true;
  }

  /** `=` but not `==`. */
  private assignment(): boolean {
    return this.char(61) && this.lit.codeAt(this.pos) !== 61;
  }

  /** Next code (not literal) occurrence of ch at or after p, or n. */
  private nextCode(ch: string, p: number): number {
    for (;;) {
      const at = this.src.indexOf(ch, p);
      if (at < 0) return this.n;
      const spanEnd = this.lit.spanEndAt(at);
      if (spanEnd < 0) return at;
      p = spanEnd;
    }
  }

  /** Blanked text up to the bracket matching the one just consumed (same depth), capped. */
  private balanced(open: string, close: string): string {
    const start = this.pos;
    const limit = Math.min(this.n, start + 100_000);
    let depth = 1;
    let o = this.nextCode(open, start);
    let c = this.nextCode(close, start);
    for (;;) {
      if (o < c) {
        if (o >= limit) break;
        depth++;
        o = this.nextCode(open, o + 1);
      } else {
        if (c >= limit) break;
        if (--depth === 0) {
          this.pos = c + 1;
          return this.lit.blanked(start, c);
        }
        c = this.nextCode(close, c + 1);
      }
    }
    this.pos = limit;
    return this.lit.blanked(start, limit);
  }

  private stringAfter(): string | undefined {
    this.ws();
    const q = this.src.charCodeAt(this.pos);
    return q === 34 || q === 39 ? this.lit.stringAt(this.pos) : undefined;
  }

  private addAll(names: string[], at: number): void {
    for (const name of names) this.add(name, at);
  }

  private addIdent(at: number): void {
    const name = this.ident();
    if (name) this.add(name, at);
  }

  /** After `exports.`: `name =`. */
  private assignedName(at: number, pos: number): void {
    this.pos = pos;
    const name = this.ident();
    if (name && this.assignment()) this.add(name, at);
  }

  private moduleForm(at: number, pos: number): void {
    this.pos = pos;
    if (this.char(46)) {
      this.assignedName(at, this.pos);
      return;
    }
    if (!this.assignment()) return;
    if (this.char(123)) this.addAll(objectKeys(this.balanced('{', '}')), at);
    else this.add('module.exports', at);
  }

  /** After `*` in `export *` / `export type *`. */
  private starForm(at: number): void {
    if (this.peekIdent() === 'as') {
      this.ident();
      this.addIdent(at);
    } else if (this.ident() === 'from') this.add(`* from '${this.stringAfter() ?? '?'}'`, at);
  }

  private exportForm(at: number, pos: number): void {
    this.lexer.lexUntil(this.n);
    this.pos = pos;
    this.ws();
    const c = this.src.charCodeAt(this.pos);
    if (c === 58 || c === 40) return;
    if (this.char(61)) return this.add('export=', at);
    if (this.char(42)) return this.starForm(at);
    if (this.char(123)) return this.addAll(listNames(this.balanced('{', '}')), at);
    let word = this.ident();
    if (word === 'default') return this.add('default', at);
    while (word && DECL_MODIFIERS.has(word)) word = this.ident();
    switch (word) {
      case 'function':
        this.char(42);
        return this.addIdent(at);
      case 'class':
      case 'interface':
      case 'enum':
      case 'namespace':
      case 'import':
      case 'module':
        return this.addIdent(at);
      case 'type':
        if (this.char(123)) this.addAll(listNames(this.balanced('{', '}')), at);
        else if (this.char(42)) this.starForm(at);
        else this.addIdent(at);
        return;
      case 'const':
      case 'let':
      case 'var':
      case 'using':
        return this.declaration(at);
      default:
        return;
    }
  }

  private declaration(at: number): void {
    if (this.peekIdent() === 'enum') {
      this.ident();
      return this.addIdent(at);
    }
    if (this.char(123)) return this.addAll(patternNames(this.balanced('{', '}')), at);
    if (this.char(91)) return this.addAll(patternNames(this.balanced('[', ']')), at);
    const name = this.ident();
    if (name) this.add(name, at);
    this.laterDeclarators(this.pos, at);
  }

  /**
   * Further declarators of `const a = 1, b = 2`: an identifier after a depth-0 comma, followed by
   * `=`, `:`, `,` or `;`. A comma inside `<…>` belongs to a type (`a: Map<K, V, W> = …`), so angle
   * brackets are counted where they can only be type brackets: in a declarator's annotation
   * (between its `:` and its `=`) and opening its initializer (`= <K, V>(…) => …`). Anywhere else
   * `<` may be less-than (`a = b < c, d = 1`), which has no `>` to match it, so it is not counted.
   */
  private laterDeclarators(from: number, at: number): void {
    const { src, lit } = this;
    const limit = Math.min(this.n, from + 20_000);
    let depth = 0;
    /** Open type brackets at depth 0; while some are, commas and `=` belong to the type. */
    let angle = 0;
    let part = NAME_PART;
    let nextLf = -1;
    let k = from;
    while (k < limit) {
      const span = lit.seek(k);
      const spanFrom = span < lit.spanFrom.length ? lit.spanFrom[span]! : this.n;
      if (spanFrom <= k) {
        const end = Math.min(lit.spanTo[span]!, limit);
        if (depth === 0) {
          if (nextLf < k) nextLf = src.indexOf('\n', k) >>> 0;
          for (; nextLf < end; nextLf = src.indexOf('\n', nextLf + 1) >>> 0) if (this.endsDeclaration(from, nextLf)) return;
        }
        k = end;
        continue;
      }
      for (const codeEnd = Math.min(spanFrom, limit); k < codeEnd; k++) {
        const c = src.charCodeAt(k);
        if (c >= 128 || DECLARATOR_SYNTAX[c] === 0) continue;
        if (c === 40 || c === 91 || c === 123) depth++;
        else if (c === 41 || c === 93 || c === 125) {
          if (--depth < 0) return;
        } else if (depth === 0) {
          if (c === 59) return;
          if (c === 10 && this.endsDeclaration(from, k)) return;
          if (angle > 0) angle += angleStep(src, k, c);
          else if (c === 44) {
            this.declaratorAfter(k, at);
            part = NAME_PART;
          } else if (part !== INIT_PART) {
            if (c === 58) part = TYPE_PART;
            else if (c === 60) {
              if (part === TYPE_PART) angle = 1;
            } else if (c === 61 && src.charCodeAt(k + 1) !== 62) {
              part = INIT_PART;
              const open = this.leadingAngle(k + 1, limit);
              if (open >= 0) {
                angle = 1;
                k = open;
              }
            }
          }
        }
      }
    }
  }

  /**
   * Offset of a `<` that opens the initializer starting at p, or -1: after `=` (or `= async`) a
   * `<` is never less-than but type parameters (`= <K, V>(…) => …`) or a type assertion.
   */
  private leadingAngle(p: number, end: number): number {
    const src = this.src;
    p = this.skipBlanksAndComments(p, end);
    if (src.charCodeAt(p) === 97 && src.startsWith('async', p) && !isIdentPart(src.charCodeAt(p + 5))) p = this.skipBlanksAndComments(p + 5, end);
    return p < end && src.charCodeAt(p) === 60 ? p : -1;
  }

  /**
   * From the code position p, the first position (below end) past ASCII blanks and comments, or
   * end. Only a `/` can start a literal here, so the spans are looked up at comments alone.
   */
  private skipBlanksAndComments(p: number, end: number): number {
    const src = this.src;
    while (p < end) {
      const c = src.charCodeAt(p);
      if (c === 32 || (c >= 9 && c <= 13)) p++;
      else if (c === 47 && (src.charCodeAt(p + 1) === 47 || src.charCodeAt(p + 1) === 42)) {
        const spanEnd = this.lit.spanEndAt(p);
        if (spanEnd < 0) return p;
        p = spanEnd;
      } else return p;
    }
    return p;
  }

  /**
   * At a depth-0 line break: the declaration goes on only next to a comma, and never into a
   * line that starts with `export` (a reserved word is no declarator: a new statement, or
   * broken code, whose scan must not run on through every following export).
   */
  private endsDeclaration(from: number, k: number): boolean {
    const next = this.skipSpace(k + 1, Math.min(this.n, k + 200));
    if (this.src.startsWith('export', next) && !isIdentChar(this.src.charCodeAt(next + 6))) return true;
    if (next < Math.min(this.n, k + 200) && this.lit.codeAt(next) === 44) return false;
    const low = Math.max(from, k - 200);
    const prev = this.skipSpaceBack(k - 1, low);
    return !(prev >= low && this.lit.codeAt(prev) === 44);
  }

  /** The declarator after the comma at k, read in the blanked text [k + 1, k + 300). */
  private declaratorAfter(k: number, at: number): void {
    const { src, lit } = this;
    const end = Math.min(this.n, k + 300);
    const p = this.skipAsciiSpace(k + 1, end);
    if (p >= end) return;
    const first = src.charCodeAt(p);
    if (isSpace(first)) {
      const m = DECLARATOR.exec(lit.blanked(k + 1, end));
      if (m) this.add(m[1]!, at);
      return;
    }
    if (!isIdentStart(first)) return;
    let e = p + 1;
    while (e < end && isIdentPart(src.charCodeAt(e))) e++;
    const f = this.skipAsciiSpace(e, end);
    const c = src.charCodeAt(f);
    if (f >= end || c === 61 || c === 58 || c === 44 || c === 59) this.add(src.slice(p, e), at);
  }
}

/** The characters `laterDeclarators` acts on; it passes over the rest (most of them) at once. */
const DECLARATOR_SYNTAX = new Uint8Array(128);
for (const c of '()[]{};,:<>=\n') DECLARATOR_SYNTAX[c.charCodeAt(0)] = 1;

/** The parts of a declarator `name: Type = init` that `laterDeclarators` tells apart. */
const NAME_PART = 0;
const TYPE_PART = 1;
const INIT_PART = 2;

/** How c at k changes the depth of type brackets: `<` opens, `>` closes but not in `=>` (a function type). */
function angleStep(src: string, k: number, c: number): number {
  if (c === 60) return 1;
  return c === 62 && src.charCodeAt(k - 1) !== 61 ? -1 : 0;
}

/** A character that can continue an identifier (ASCII letters, digits, `_`, `$`, or beyond ASCII). */
function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

/**
 * Exported names of a JS/TS source and the 1-based line of each one's first export.
 * `export * from 'm'` is named `* from 'm'`; `export =` is `export=`.
 */
export function scanExports(src: string): Map<string, number> {
  let p = src.indexOf('export');
  if (p < 0) return new Map();
  return new ExportReader(src).scan(p);
}
