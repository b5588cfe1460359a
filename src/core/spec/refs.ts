// Requirement references as tasks write them: `_Requirements: 1.2, 2.1–2.4, all_`.
// Splits on `,`/`;`, expands en-dash, em-dash and hyphen ranges within one requirement,
// recognises `all`, and keeps odd tokens (`12 (descope record)` → `12`) visible.

export interface RefList {
  /** Ids after range expansion, in the order written, without duplicates. */
  ids: string[];
  /** `all`/`All` as written, when present. */
  all: string[];
  /** Tokens that are not a plain id or range (kept as written). */
  nonstandard: string[];
  /** Tokens that give no id at all. */
  invalid: string[];
}

const RANGE = /^(\d+)\.(\d+)\s*[–—-]\s*(?:(\d+)\.)?(\d+)$/;
/** Kiro's `1` and `1.2`; spec-kit's `FR-001`, `NFR-002`, `SC-003`, and its stories' `US1` and `US1.2`. */
const ID = /^(?:\d+(?:\.\d+)?|(?:FR|NFR|SC)-\d+|US\d+(?:\.\d+)?)$/;
const LEADING_ID = /^(\d+(?:\.\d+)?)\s*\((.*)\)$/;
const MAX_RANGE = 200;

export function parseRefList(body: string): RefList {
  const out: RefList = { ids: [], all: [], nonstandard: [], invalid: [] };
  const seen = new Set<string>();
  const add = (id: string): void => {
    if (!seen.has(id)) {
      seen.add(id);
      out.ids.push(id);
    }
  };
  for (const raw of body.split(/[,;]/)) {
    const tok = raw.trim().replace(/^\*+|\*+$/g, '').trim();
    if (!tok) continue;
    if (/^all$/i.test(tok)) {
      out.all.push(tok);
      continue;
    }
    const r = RANGE.exec(tok);
    if (r) {
      const [, a, b, c, d] = r;
      if ((c ?? a) === a && Number(d) >= Number(b) && Number(d) - Number(b) <= MAX_RANGE) {
        for (let i = Number(b); i <= Number(d); i++) add(`${a}.${i}`);
      } else {
        out.nonstandard.push(tok);
        out.invalid.push(tok);
      }
      continue;
    }
    if (ID.test(tok)) {
      add(tok);
      continue;
    }
    const lead = LEADING_ID.exec(tok);
    if (lead) {
      add(lead[1]);
      out.nonstandard.push(tok);
      continue;
    }
    out.nonstandard.push(tok);
    out.invalid.push(tok);
  }
  return out;
}

/** The text of a `_Requirements: …_` reference starting on lines[i], joined over wrapped lines. */
export function requirementsLine(lines: readonly string[], i: number): { body: string; endIndex: number } | null {
  const m = /_Requirements?:\s*(.*?)\s*$/.exec(lines[i]);
  if (!m) return null;
  let body = m[1].trim();
  let j = i + 1;
  while (!body.endsWith('_') && j < lines.length && lines[j].trim() && !/^\s*[-*+]\s/.test(lines[j]) && j - i < 20) {
    body += ' ' + lines[j].trim();
    j++;
  }
  body = body.replace(/_+$/, '').trim();
  return { body, endIndex: j - 1 };
}

/** Ids on a `**Validates: Requirements …**` line (kept apart from `_Requirements:`). */
export function validatesRefs(line: string): string[] {
  const m = /\*\*Validates:?\s*Requirements?:?\s*(.*?)\*\*/.exec(line);
  return m ? parseRefList(m[1]).ids : [];
}
