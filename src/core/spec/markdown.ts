// Markdown structure for the spec parsers: lines, which lines sit in fenced code, the
// headings (with 1-based lines from markdown-it's block maps) and the YAML front matter.
// Only markdown-it's block parser runs (CommonMark, raw HTML blocks recognised so a heading
// inside one is not a heading); inline markup is left as text. Cached by sha256 of text.
import { createHash } from 'node:crypto';
import type MarkdownIt from 'markdown-it';
import { markdownItClass } from '../markdownIt';

export interface MdHeading {
  depth: number;
  text: string;
  /** 1-based line. */
  line: number;
}

export interface MdFrontMatter {
  yaml: string;
  startLine: number;
  endLine: number;
}

export interface MdDoc {
  /** lines[0] is line 1; no line endings, BOM removed. */
  readonly lines: readonly string[];
  /** fenced[i] is true when line i+1 belongs to a fenced code block (fence lines included). */
  readonly fenced: readonly boolean[];
  /**
   * literal[i] is true when line i+1 is not text a reader of the rendered page sees as
   * markdown: a fenced or indented code block, or an HTML comment (or script or style)
   * block, which renders as nothing. Tasks and paths are not read there: a path commented
   * out is not scope.
   */
  readonly literal: readonly boolean[];
  readonly headings: readonly MdHeading[];
  readonly frontMatter?: MdFrontMatter;
  /** Line 1 opens a front matter block that never closes. */
  readonly unclosedFrontMatter: boolean;
}

let blockParser: MarkdownIt | undefined;

/** CommonMark block structure only: the inline rule and its text joining are off. */
function parser(): MarkdownIt {
  if (blockParser) return blockParser;
  const MarkdownItClass = markdownItClass();
  // `maxNesting` (markdown-it's recursion limit, 20 in this preset) is missing from its types.
  blockParser = new MarkdownItClass('commonmark', { html: true, maxNesting: 2 * MAX_NESTING + 8 } as MarkdownIt.Options);
  blockParser.core.ruler.disable(['inline', 'text_join']);
  return blockParser;
}

const CACHE_SIZE = 256;
const cache = new Map<string, MdDoc>();

/** Splits on any line ending (CRLF, LF, CR) the way mdast positions count lines. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses `text` (cached by content hash). The result is shared: treat it as read-only. */
export function parseMarkdown(text: string): MdDoc {
  const key = createHash('sha256').update(text).digest('hex');
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const doc = build(stripBom(text));
  cache.set(key, doc);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return doc;
}

/** Uncached. */
export function parseMarkdownUncached(text: string): MdDoc {
  return build(stripBom(text));
}

function build(text: string): MdDoc {
  const lines = splitLines(text);
  const fenced = new Array<boolean>(lines.length).fill(false);
  const literal = new Array<boolean>(lines.length).fill(false);
  const headings: MdHeading[] = [];
  const fm = frontMatterEnd(lines);
  const frontMatter: MdFrontMatter | undefined = fm.end > 0 ? { yaml: lines.slice(1, fm.end - 1).join('\n'), startLine: 1, endLine: fm.end } : undefined;
  // Front matter lines are blanked, not cut, so that token line maps are document lines.
  const body = lines.map((line, i) => (i < fm.end ? '' : flattenDeepNesting(line))).join('\n');
  const tokens = parser().parse(body, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.map) continue;
    if (t.type === 'heading_open') {
      headings.push({ depth: Number(t.tag.slice(1)), text: plainInline(tokens[i + 1]?.content ?? ''), line: t.map[0] + 1 });
    } else if (t.type === 'fence') {
      for (let l = t.map[0]; l < t.map[1] && l < lines.length; l++) fenced[l] = literal[l] = true;
    } else if (t.type === 'code_block' || (t.type === 'html_block' && isHiddenHtml(t.content))) {
      for (let l = t.map[0]; l < t.map[1] && l < lines.length; l++) literal[l] = true;
    }
  }
  return { lines, fenced, literal, headings, frontMatter, unclosedFrontMatter: fm.unclosed };
}

/**
 * Whether a raw HTML block renders as nothing: a comment, a script, a style sheet. Not a
 * comment with `--!>` in it, which a browser (a markdown preview) ends there, showing what
 * follows, though CommonMark reads on to `-->`.
 */
export function isHiddenHtml(block: string): boolean {
  return /^\s*<(?:!--|script[\s>]|style[\s>])/i.test(block) && !block.includes('--!>');
}

/** Inline markup left in text parsed without inline constructs: links, code, emphasis, escapes. */
export function plainInline(s: string): string {
  const linked = s.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  // A code span's text is as written (`src/**/*.ts` keeps its stars); markup is read outside.
  let out = '';
  let last = 0;
  for (const m of linked.matchAll(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    out += markupOff(linked.slice(last, m.index)) + m[2]!;
    last = m.index! + m[0].length;
  }
  return (out + markupOff(linked.slice(last))).replace(/\s+/g, ' ').trim();
}

function markupOff(s: string): string {
  return s
    .replace(/`+/g, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|[\s(])\*(\S(?:[^*]*\S)?)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Index of the first line after a closed front matter block (0 when there is none). */
function frontMatterEnd(lines: readonly string[]): { end: number; unclosed: boolean } {
  if (lines[0]?.trimEnd() !== '---') return { end: 0, unclosed: false };
  // YAML's document end (`...`, as pandoc writes it) closes it too.
  for (let i = 1; i < lines.length; i++) {
    const t = lines[i].trimEnd();
    if (t === '---' || t === '...') return { end: i + 1, unclosed: false };
  }
  return { end: 0, unclosed: lines.length > 1 };
}

const MAX_NESTING = 16;
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))+/;

/**
 * A line nested deeper than any real spec is blanked for the parser: it holds no structure
 * we read, and markdown-it stops reading a container nested past its limit (`maxNesting`)
 * altogether, which would hide the lines after it in that container.
 */
function flattenDeepNesting(line: string): string {
  if (line.length < MAX_NESTING * 2) return line;
  const m = CONTAINER_PREFIX.exec(line);
  if (!m || m[0].length < MAX_NESTING * 2) return line;
  return (m[0].match(/>|[-*+]|\d{1,9}[.)]/g)?.length ?? 0) > MAX_NESTING ? '' : line;
}
