// markdown-it, loaded on first use: `check` never renders, and the spec parser needs it only
// once a spec is read. The CommonJS build exports the class itself; an ES build (as a bundler
// may pick) has it as `default`.
import type MarkdownIt from 'markdown-it';

export function markdownItClass(): typeof MarkdownIt {
  const loaded = require('markdown-it') as typeof MarkdownIt | { default: typeof MarkdownIt };
  return 'default' in loaded ? loaded.default : loaded;
}
