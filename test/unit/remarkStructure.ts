// A second opinion on markdown structure for the tests: remark-parse (micromark), a
// CommonMark parser independent of markdown-it, reading the whole document at once.
import type { Root, Nodes } from 'mdast';
import { splitLines, stripBom, plainInline, type MdHeading } from '../../src/core/spec/markdown';

const { unified } = require('unified') as typeof import('unified', { with: { 'resolution-mode': 'import' } });
const remarkParse = (require('remark-parse') as typeof import('remark-parse', { with: { 'resolution-mode': 'import' } })).default;
const remarkFrontmatter = (require('remark-frontmatter') as typeof import('remark-frontmatter', { with: { 'resolution-mode': 'import' } })).default;
const { toString } = require('mdast-util-to-string') as typeof import('mdast-util-to-string', { with: { 'resolution-mode': 'import' } });

/** Inline constructs off, as markdown-it's block parser leaves them: heading text stays raw. */
function blocksOnly(this: import('unified', { with: { 'resolution-mode': 'import' } }).Processor): void {
  const data = this.data() as { micromarkExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push({
    disable: {
      null: ['attention', 'autolink', 'characterEscape', 'characterReference', 'codeText', 'hardBreakEscape', 'hardBreakTrailing', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink'],
    },
  });
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(blocksOnly);

/** Headings and fenced lines as remark reads them. */
export function remarkStructure(input: string): { headings: MdHeading[]; fenced: boolean[] } {
  const text = stripBom(input);
  const lines = splitLines(text);
  const fenced = new Array<boolean>(lines.length).fill(false);
  const headings: MdHeading[] = [];
  const tree = processor.parse(text) as Root;
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    const pos = node.position;
    if (pos && node.type === 'heading') {
      headings.push({ depth: node.depth, text: plainInline(toString(node)), line: pos.start.line });
    } else if (pos && node.type === 'code' && pos.start.offset !== undefined) {
      const opener = text.slice(pos.start.offset, pos.start.offset + 3);
      if (opener === '```' || opener === '~~~') for (let i = pos.start.line - 1; i < pos.end.line; i++) fenced[i] = true;
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  headings.sort((a, b) => a.line - b.line);
  return { headings, fenced };
}
