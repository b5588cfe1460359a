// A small, tolerant scanner for the names a JavaScript/TypeScript file exports. It blanks
// comments, strings, templates and regex literals (keeping offsets and newlines), then reads
// the `export …` forms and CommonJS `exports.x =` / `module.exports = { … }`. Never throws;
// linear in the input.

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

const REGEX_AFTER_CHAR = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);
const IDENT_CHAR = /[\w$]/;
const NEWLINE = /[\n\r]/;

/** Replaces comments and literal contents with spaces, keeping newlines and offsets. */
export function blankLiterals(src: string): Blanked {
  const parts: string[] = [];
  const strings = new Map<number, string>();
  const n = src.length;
  let copied = 0; // src[copied, i) is code still to be copied to the output
  // Brace depth where each open `${` of a template literal started.
  const templateDepth: number[] = [];
  let depth = 0;
  let lastSig = -1; // index of the last non-space code character
  let i = 0;

  const blank = (from: number, to: number) => {
    if (to <= from) return;
    const piece = src.slice(from, to);
    parts.push(src.slice(copied, from), NEWLINE.test(piece) ? piece.replace(/[^\n\r]/g, ' ') : ' '.repeat(to - from));
    copied = to;
  };
  /** At a backtick or the `}` closing a template expression: blank up to `${` or the closing backtick. */
  const readTemplate = (): void => {
    i++;
    const start = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 92 /* \ */) {
        i += 2;
        continue;
      }
      if (c === 96 /* ` */) {
        blank(start, i);
        lastSig = i;
        i++;
        return;
      }
      if (c === 36 /* $ */ && src.charCodeAt(i + 1) === 123 /* { */) {
        blank(start, i + 2);
        i += 2;
        templateDepth.push(depth);
        depth++;
        lastSig = -1;
        return;
      }
      i++;
    }
    blank(start, n);
    i = n;
  };

  // Plain code between the characters that can start or end a literal is skipped natively.
  const special = /[/"'`{}]/g;
  while (i < n) {
    special.lastIndex = i;
    const m = special.exec(src);
    const next = m ? m.index : n;
    for (let k = next - 1; k >= i; k--) {
      const w = src.charCodeAt(k);
      if (w !== 32 && w !== 10 && w !== 9 && w !== 13) {
        lastSig = k;
        break;
      }
    }
    i = next;
    if (i >= n) break;
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      let end = src.indexOf('\n', i);
      if (end < 0) end = n;
      blank(i, end);
      i = end;
    } else if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      blank(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      const start = i;
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      if (i > n) i = n;
      const raw = src.slice(start + 1, i);
      strings.set(start, raw.includes('\\') ? raw.replace(/\\(.)/g, '$1') : raw);
      blank(start + 1, i);
      if (i < n && src[i] === c) i++;
      lastSig = i - 1;
    } else if (c === '`') {
      readTemplate();
    } else if (c === '}' && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === depth - 1) {
      templateDepth.pop();
      depth--;
      readTemplate();
    } else if (c === '/') {
      let isRegex = lastSig < 0;
      if (!isRegex) {
        const prev = src[lastSig]!;
        if (IDENT_CHAR.test(prev)) {
          let k = lastSig;
          while (k > 0 && IDENT_CHAR.test(src[k - 1]!)) k--;
          isRegex = REGEX_AFTER_WORD.has(src.slice(k, lastSig + 1));
        } else isRegex = REGEX_AFTER_CHAR.has(prev);
      }
      if (!isRegex) {
        lastSig = i++;
        continue;
      }
      const start = i;
      i++;
      let inClass = false;
      while (i < n && src[i] !== '\n') {
        const d = src[i];
        if (d === '\\') i += 2;
        else if (d === '[') (inClass = true), i++;
        else if (d === ']') (inClass = false), i++;
        else if (d === '/' && !inClass) break;
        else i++;
      }
      if (i < n && src[i] === '/') i++;
      if (i > n) i = n;
      blank(start, i);
      lastSig = i - 1;
    } else {
      if (c === '{') depth++;
      else depth = Math.max(0, depth - 1);
      lastSig = i;
      i++;
    }
  }
  parts.push(src.slice(copied));
  return { code: parts.join(''), strings };
}

const IDENT = /[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/y;

class Reader {
  constructor(
    readonly code: string,
    public pos: number,
  ) {}
  ws(): void {
    const code = this.code;
    let p = this.pos;
    for (let c = code.charCodeAt(p); c === 32 || c === 10 || c === 9 || c === 13; c = code.charCodeAt(++p));
    this.pos = p;
  }
  ident(): string | undefined {
    this.ws();
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.code);
    if (!m) return undefined;
    this.pos = IDENT.lastIndex;
    return m[0];
  }
  peekIdent(): string | undefined {
    const save = this.pos;
    const id = this.ident();
    this.pos = save;
    return id;
  }
  char(c: string): boolean {
    this.ws();
    if (this.code[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }
  /** Text up to the bracket matching the one just consumed (same depth), capped. */
  balanced(open: string, close: string): string {
    let d = 1;
    const start = this.pos;
    const limit = Math.min(this.code.length, start + 100_000);
    while (this.pos < limit) {
      const c = this.code[this.pos++];
      if (c === open) d++;
      else if (c === close && --d === 0) return this.code.slice(start, this.pos - 1);
    }
    return this.code.slice(start, this.pos);
  }
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

/** Further declarators of `const a = 1, b = 2`: an identifier after a depth-0 comma, followed by `=`, `:`, `,` or `;`. */
function laterDeclarators(code: string, from: number): string[] {
  const names: string[] = [];
  let d = 0;
  const limit = Math.min(code.length, from + 20_000);
  for (let k = from; k < limit; k++) {
    const c = code[k]!;
    if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--d < 0) break;
    } else if (d === 0 && c === ';') break;
    else if (d === 0 && c === '\n') {
      const rest = code.slice(k + 1, k + 200);
      const prevLine = code.slice(Math.max(from, k - 200), k).trimEnd();
      if (!/^\s*,/.test(rest) && !prevLine.endsWith(',')) break;
    } else if (d === 0 && c === ',') {
      const m = /^\s*([A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*)\s*([=:,;]|$)/.exec(code.slice(k + 1, k + 300));
      if (m) names.push(m[1]!);
    }
  }
  return names;
}

/**
 * Exported names of a JS/TS source and the 1-based line of each one's first export.
 * `export * from 'm'` is named `* from 'm'`; `export =` is `export=`.
 */
export function scanExports(src: string): Map<string, number> {
  if (!/\bexports?\b/.test(src)) return new Map();
  const { code, strings } = blankLiterals(src);
  // Matches come in order, so the line number is counted forward from the previous one.
  let lineOffset = 0;
  let lineNo = 1;
  const lineAt = (offset: number): number => {
    for (let nl = code.indexOf('\n', lineOffset); nl >= 0 && nl < offset; nl = code.indexOf('\n', nl + 1)) {
      lineNo++;
      lineOffset = nl + 1;
    }
    return lineNo;
  };
  const found = new Map<string, number>();
  const add = (name: string, offset: number) => {
    if (!found.has(name)) found.set(name, lineAt(offset));
  };
  const stringAfter = (r: Reader): string | undefined => {
    r.ws();
    const q = code[r.pos];
    if (q !== '"' && q !== "'") return undefined;
    return strings.get(r.pos);
  };

  const re = /\bexport\b|\bexports\s*\.|\bmodule\s*\.\s*exports\b/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const at = m.index;
    const before = at > 0 ? code.charCodeAt(at - 1) : 0;
    if (before === 46 /* . */ || before === 36 /* $ */) continue;
    const r = new Reader(code, at + m[0].length);
    if (m[0].startsWith('exports') || m[0].startsWith('module')) {
      if (m[0].startsWith('module')) {
        if (r.char('.')) {
          const name = r.ident();
          if (name && r.char('=') && code[r.pos] !== '=') add(name, at);
          continue;
        }
        if (!r.char('=') || code[r.pos] === '=') continue;
        if (r.char('{')) for (const name of objectKeys(r.balanced('{', '}'))) add(name, at);
        else add('module.exports', at);
        continue;
      }
      const name = r.ident();
      if (name && r.char('=') && code[r.pos] !== '=') add(name, at);
      continue;
    }
    r.ws();
    if (code[r.pos] === ':' || code[r.pos] === '(') continue;
    if (r.char('=')) {
      add('export=', at);
      continue;
    }
    if (r.char('*')) {
      if (r.peekIdent() === 'as') {
        r.ident();
        const name = r.ident();
        if (name) add(name, at);
      } else if (r.ident() === 'from') {
        const spec = stringAfter(r);
        add(`* from '${spec ?? '?'}'`, at);
      }
      continue;
    }
    if (r.char('{')) {
      for (const name of listNames(r.balanced('{', '}'))) add(name, at);
      continue;
    }
    let word = r.ident();
    if (word === 'default') {
      add('default', at);
      continue;
    }
    while (word && DECL_MODIFIERS.has(word)) word = r.ident();
    switch (word) {
      case 'function': {
        r.char('*');
        const name = r.ident();
        if (name) add(name, at);
        break;
      }
      case 'class':
      case 'interface':
      case 'enum':
      case 'namespace':
      case 'import': {
        const name = r.ident();
        if (name) add(name, at);
        break;
      }
      case 'module': {
        const name = r.ident();
        if (name) add(name, at);
        break;
      }
      case 'type': {
        if (r.char('{')) {
          for (const name of listNames(r.balanced('{', '}'))) add(name, at);
        } else if (r.char('*')) {
          if (r.peekIdent() === 'as') {
            r.ident();
            const name = r.ident();
            if (name) add(name, at);
          } else if (r.ident() === 'from') add(`* from '${stringAfter(r) ?? '?'}'`, at);
        } else {
          const name = r.ident();
          if (name) add(name, at);
        }
        break;
      }
      case 'const':
      case 'let':
      case 'var':
      case 'using': {
        if (r.peekIdent() === 'enum') {
          r.ident();
          const name = r.ident();
          if (name) add(name, at);
          break;
        }
        if (r.char('{')) for (const name of patternNames(r.balanced('{', '}'))) add(name, at);
        else if (r.char('[')) for (const name of patternNames(r.balanced('[', ']'))) add(name, at);
        else {
          const name = r.ident();
          if (name) add(name, at);
          for (const more of laterDeclarators(code, r.pos)) add(more, at);
        }
        break;
      }
      default:
        break;
    }
  }
  return found;
}
