// Markdown structure for the spec parsers: lines, which lines sit in fenced code, the
// headings (with 1-based lines from mdast positions) and the YAML front matter. Parsed with
// unified + remark-parse in independent chunks (long lists make one-shot parsing
// superlinear); a chunk whose only structure is column-0 headings and fences is read directly,
// and hostile ranges (unsplittable, deeply nested) line by line. Cached by sha256 of text.
import { createHash } from 'node:crypto';
import type { Root, Nodes } from 'mdast';

// The unified packages are ESM-only: esbuild inlines them, Node >= 20.19 can require them,
// and the `resolution-mode` type queries keep tsc's CommonJS checking exact.
const { unified } = require('unified') as typeof import('unified', { with: { 'resolution-mode': 'import' } });
const remarkParse = (require('remark-parse') as typeof import('remark-parse', { with: { 'resolution-mode': 'import' } })).default;
const remarkFrontmatter = (require('remark-frontmatter') as typeof import('remark-frontmatter', { with: { 'resolution-mode': 'import' } })).default;
const { toString } = require('mdast-util-to-string') as typeof import('mdast-util-to-string', { with: { 'resolution-mode': 'import' } });

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
  readonly headings: readonly MdHeading[];
  readonly frontMatter?: MdFrontMatter;
  /** Line 1 opens a front matter block that never closes. */
  readonly unclosedFrontMatter: boolean;
}

/** Inline constructs are not structure here; leaving them out halves the tokens made. */
function blocksOnly(this: import('unified', { with: { 'resolution-mode': 'import' } }).Processor): void {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({
    disable: {
      null: ['attention', 'autolink', 'characterEscape', 'characterReference', 'codeText', 'hardBreakEscape', 'hardBreakTrailing', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink'],
    },
  });
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(blocksOnly);

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

/**
 * Uncached; with `direct: false` every range with structure goes through remark (the
 * reference the direct reading is tested against).
 */
export function parseMarkdownUncached(text: string, opts: { direct?: boolean } = {}): MdDoc {
  return build(stripBom(text), opts.direct ?? true);
}

function build(text: string, direct = true): MdDoc {
  const lines = splitLines(text);
  const fenced = new Array<boolean>(lines.length).fill(false);
  const headings: MdHeading[] = [];
  const fm = frontMatterEnd(lines);
  let frontMatter: MdFrontMatter | undefined;
  const plan = planChunks(lines, fm.end);
  let nestedBudget = NESTED_ITEM_BUDGET;
  for (const [start, end] of plan.ranges) {
    if (!mayHoldStructure(lines, start, end)) continue;
    if (direct && !(start === 0 && fm.end > 0) && readSimpleRange(lines, start, end, fenced, headings)) continue;
    const nested = countNestedItems(lines, start, end);
    if (end - start > MAX_PARSED_CHUNK || nested > nestedBudget) {
      scanLines(lines, start, end, fenced, headings);
      continue;
    }
    nestedBudget -= nested;
    const chunkText = lines.slice(start, end).map(flattenDeepNesting).join('\n');
    const tree = processor.parse(chunkText) as Root;
    const lineStarts = lineOffsets(chunkText);
    visit(tree, (node) => {
      const pos = node.position;
      if (!pos) return;
      const first = pos.start.line - 1 + start;
      if (node.type === 'heading') {
        headings.push({ depth: node.depth, text: plainInline(toString(node)), line: first + 1 });
      } else if (node.type === 'code') {
        const off = pos.start.offset ?? lineStarts[pos.start.line - 1] + pos.start.column - 1;
        const opener = chunkText.slice(off, off + 3);
        if (opener === '```' || opener === '~~~') {
          for (let i = first; i <= pos.end.line - 1 + start && i < lines.length; i++) fenced[i] = true;
        }
      } else if (node.type === 'yaml' && start === 0 && pos.start.line === 1) {
        frontMatter = { yaml: node.value, startLine: 1, endLine: pos.end.line };
      }
    });
  }
  return { lines, fenced, headings, frontMatter, unclosedFrontMatter: fm.unclosed };
}

const ATX_COL0 = /^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/**
 * The common case without the parser. CommonMark makes these exact in a range that starts
 * with no open container: a column-0 ATX heading is a heading; a column-0 fence opens a
 * fenced block that only a fence line of the same kind (indented at most 3) closes; a
 * `---`/`===` line under a blank line or a heading underlines nothing. When every
 * structure candidate in the range is one of those (and no HTML block could start), the
 * range is read here; otherwise false, adding nothing, and the parser reads it.
 */
function readSimpleRange(lines: readonly string[], start: number, end: number, fenced: boolean[], headings: MdHeading[]): boolean {
  const found: MdHeading[] = [];
  const fencedLines: number[] = [];
  let fence: string | null = null;
  for (let i = start; i < end; i++) {
    const line = lines[i];
    if (fence !== null) {
      fencedLines.push(i);
      const c = FENCE.exec(line);
      if (c && c[1][0] === fence[0] && c[1].length >= fence.length && c[2].trim() === '') fence = null;
      continue;
    }
    if (/^ {0,3}</.test(line)) return false;
    if (!STRUCTURE.test(line)) continue;
    const h = ATX_COL0.exec(line);
    if (h) {
      found.push({ depth: h[1].length, text: plainInline(h[2] ?? ''), line: i + 1 });
      continue;
    }
    const f = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (f && !(f[1][0] === '`' && f[2].includes('`'))) {
      fence = f[1];
      fencedLines.push(i);
      continue;
    }
    const prev = i > start ? lines[i - 1] : '';
    if (UNDERLINE.test(line) && (prev.trim() === '' || ATX_COL0.test(prev))) continue;
    return false;
  }
  headings.push(...found);
  for (const i of fencedLines) fenced[i] = true;
  return true;
}

/**
 * The line-based reading for ranges too long to hand to micromark: fences at any indent
 * (as the real-spec labels count them), ATX headings, and setext underlines.
 */
function scanLines(lines: readonly string[], start: number, end: number, fenced: boolean[], headings: MdHeading[]): void {
  let fence: string | null = null;
  for (let i = start; i < end; i++) {
    const line = lines[i];
    const f = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence !== null) {
      fenced[i] = true;
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && f[2].trim() === '') fence = null;
      continue;
    }
    if (f && !(f[1][0] === '`' && f[2].includes('`'))) {
      fence = f[1];
      fenced[i] = true;
      continue;
    }
    const h = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (h) {
      headings.push({ depth: h[1].length, text: plainInline(h[2] ?? ''), line: i + 1 });
      continue;
    }
    const u = /^ {0,3}(=+|-+)[ \t]*$/.exec(line);
    const prev = i > start ? lines[i - 1] : '';
    if (u && prev.trim() && !fenced[i - 1] && !/^ {0,3}#/.test(prev) && !/^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)/.test(prev) && !/^ {4}/.test(prev)) {
      headings.push({ depth: u[1][0] === '=' ? 1 : 2, text: plainInline(prev), line: i });
    }
  }
}

/** Inline markup left in text parsed without inline constructs: links, code, emphasis, escapes. */
export function plainInline(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`+/g, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|[\s(])\*(\S(?:[^*]*\S)?)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

/** Pre-order walk without recursion (deeply nested input must not overflow the stack). */
function visit(root: Nodes, fn: (n: Nodes) => void): void {
  const stack: Nodes[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    fn(node);
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
}

/** Index of the first line after a closed front matter block (0 when there is none). */
function frontMatterEnd(lines: readonly string[]): { end: number; unclosed: boolean } {
  if (lines[0]?.trimEnd() !== '---') return { end: 0, unclosed: false };
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trimEnd() === '---') return { end: i + 1, unclosed: false };
  }
  return { end: 0, unclosed: lines.length > 1 };
}

const MIN_CHUNK = 40;
const MAX_NESTING = 16;
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))+/;

/**
 * A line nested deeper than any real spec (micromark's container handling grows
 * quadratically with depth) is blanked for the parser: it holds no structure we read.
 */
function flattenDeepNesting(line: string): string {
  if (line.length < MAX_NESTING * 2) return line;
  const m = CONTAINER_PREFIX.exec(line);
  if (!m || m[0].length < MAX_NESTING * 2) return line;
  return (m[0].match(/>|[-*+]|\d{1,9}[.)]/g)?.length ?? 0) > MAX_NESTING ? '' : line;
}
const STRUCTURE = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:#|`{3}|~{3})|^[ \t]*(?:=+|-+)[ \t]*$/;

/** False when no line in [start, end) could be a heading, a fence or a setext underline. */
function mayHoldStructure(lines: readonly string[], start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (STRUCTURE.test(lines[i])) return true;
  return false;
}
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** Column 0, or a list item marker indented 1-3 spaces (its content keeps its columns). */
const SPLIT_LINE = /^(?:\S| {1,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))/;
const UNDERLINE = /^ {0,3}(?:=+|-+)\s*$/;
/** Longer unsplittable ranges (hostile input) are read line by line, in linear time. */
const MAX_PARSED_CHUNK = 1500;
/**
 * micromark spends about a millisecond per list item nested 4+ spaces deep; past this many
 * per document the remaining ranges are read line by line so a hostile file cannot stall.
 */
const NESTED_ITEM_BUDGET = 600;
const NESTED_ITEM = /^ {4,}(?:[-*+]|\d{1,9}[.)])[ \t]/;

function countNestedItems(lines: readonly string[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (NESTED_ITEM.test(lines[i])) n++;
  return n;
}

interface ChunkPlan {
  /** Line ranges [start, end). */
  ranges: [number, number][];
}

/**
 * Splits a document into line ranges whose headings and fences parse the same on their own
 * as inside the whole document (one long range makes micromark superlinear). A range starts
 * outside any fence or HTML comment, at a column-0 line or a list item indented at most 3
 * spaces, never at a setext underline: such a line closes no container its own content
 * depends on, and a paragraph it may continue starts no heading or fence.
 */
function planChunks(lines: readonly string[], firstBreak: number): ChunkPlan {
  const plan: ChunkPlan = { ranges: [] };
  let start = 0;
  let fence: string | null = null;
  let comment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence !== null) {
      const m = FENCE.exec(line);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && m[2].trim() === '') fence = null;
      continue;
    }
    if (comment) {
      if (line.includes('-->')) comment = false;
      continue;
    }
    if (i >= firstBreak && i - start >= MIN_CHUNK && SPLIT_LINE.test(line) && !UNDERLINE.test(line)) {
      plan.ranges.push([start, i]);
      start = i;
    }
    const m = FENCE.exec(line);
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) fence = m[1];
    else if (/^ {0,3}<!--/.test(line) && !line.includes('-->', line.indexOf('<!--') + 4)) comment = true;
  }
  plan.ranges.push([start, lines.length]);
  return plan;
}
