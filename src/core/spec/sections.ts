// Sections of any spec file by heading (or bold label such as `**Non-Goals:**`): the
// line ranges under a heading, and the scope kind of Scope / In Scope / Out of Scope /
// Non-Goals / Unchanged Behavior sections, so their list items' paths become scope.
import type { MdDoc, MdHeading } from './markdown';

export type ScopeKind = 'include' | 'exclude';

export interface LabelledLine {
  /** 1-based line. */
  line: number;
  kind: ScopeKind;
}

/** Heading text without numbering, emphasis, parentheticals and a trailing colon, lower-cased. */
export function normaliseHeading(text: string): string {
  return text
    .replace(/[*_`]/g, '')
    .replace(/\([^)]*\)/g, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+/, '')
    .replace(/[:.\s]+$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function scopeKindOf(text: string): ScopeKind | null {
  const t = normaliseHeading(text);
  if (/^(?:scope|in[ -]scope|in scope files)$/.test(t)) return 'include';
  if (/^(?:out[ -]of[ -]scope|non[ -]?goals?|unchanged behaviou?rs?|regression prevention)$/.test(t)) return 'exclude';
  return null;
}

const LABEL = /^\s*(?:\*\*|__)([^*_]{2,60}?)(?::\s*)?(?:\*\*|__)\s*:?\s*$/;

/**
 * Lines that sit in a scope section, with the section's kind. Sub-headings inherit the
 * kind of the nearest scope heading above them unless they carry their own.
 */
export function scopeSectionLines(doc: MdDoc): LabelledLine[] {
  const out: LabelledLine[] = [];
  const headingAt = new Map<number, MdHeading>();
  for (const h of doc.headings) headingAt.set(h.line - 1, h);
  const stack: { depth: number; kind: ScopeKind | null }[] = [];
  let label: ScopeKind | null = null;
  let labelled = false;
  for (let i = 0; i < doc.lines.length; i++) {
    const h = headingAt.get(i);
    if (h) {
      while (stack.length && stack[stack.length - 1].depth >= h.depth) stack.pop();
      stack.push({ depth: h.depth, kind: scopeKindOf(h.text) });
      labelled = false;
      continue;
    }
    if (!doc.fenced[i]) {
      const m = LABEL.exec(doc.lines[i]);
      if (m) {
        label = scopeKindOf(m[1]);
        labelled = true;
        continue;
      }
    }
    let kind: ScopeKind | null = null;
    if (labelled) kind = label;
    else for (let s = stack.length - 1; s >= 0 && kind === null; s--) kind = stack[s].kind;
    if (kind && !doc.fenced[i]) out.push({ line: i + 1, kind });
  }
  return out;
}

/** [startLine, endLine] (1-based, inclusive) of the section under each heading matching `test`. */
export function sectionsWhere(doc: MdDoc, test: (h: MdHeading) => boolean): { heading: MdHeading; start: number; end: number }[] {
  const out: { heading: MdHeading; start: number; end: number }[] = [];
  const hs = doc.headings;
  for (let k = 0; k < hs.length; k++) {
    if (!test(hs[k])) continue;
    let end = doc.lines.length;
    for (let n = k + 1; n < hs.length; n++) {
      if (hs[n].depth <= hs[k].depth) {
        end = hs[n].line - 1;
        break;
      }
    }
    out.push({ heading: hs[k], start: hs[k].line, end });
  }
  return out;
}
