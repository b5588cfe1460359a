// Finds the requirement reference under a cursor in a spec line — `FR-001`, `SC-002`,
// `US1`, `Requirement 3`, or a bare `1.2` inside a `Requirements:` list — and resolves it
// against a spec's requirements and criteria. Pure: no `vscode`.
import type { Criterion, Requirement, Spec } from '../../core/model';

export interface RefHit {
  /** The id to look up (`1.2`, `FR-001`, `3`). */
  ref: string;
  /** 0-based columns of the reference text in the line. */
  start: number;
  end: number;
}

const NAMED = /\b(?:N?FR|SC)-\d{3,}\b|\bUS\d+\b/g;
const REQUIREMENT_WORD = /\bRequirement\s+(\d+(?:\.\d+)*)\b/g;
const NUMBER = /(?<![\w.])\d+(?:\.\d+)*(?!\.?[A-Za-z0-9])/g;
const REFS_LABEL = /Requirements?\s*:/i;

function* matches(re: RegExp, line: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) yield m;
}

export function refAt(line: string, character: number): RefHit | undefined {
  const within = (start: number, end: number): boolean => character >= start && character <= end;
  for (const m of matches(NAMED, line)) {
    if (within(m.index, m.index + m[0].length)) return { ref: m[0], start: m.index, end: m.index + m[0].length };
  }
  for (const m of matches(REQUIREMENT_WORD, line)) {
    if (within(m.index, m.index + m[0].length)) return { ref: m[1]!, start: m.index, end: m.index + m[0].length };
  }
  const label = REFS_LABEL.exec(line);
  if (!label) return undefined;
  const from = label.index + label[0].length;
  for (const m of matches(NUMBER, line)) {
    if (m.index < from) continue;
    if (within(m.index, m.index + m[0].length)) return { ref: m[0], start: m.index, end: m.index + m[0].length };
  }
  return undefined;
}

export type Resolved =
  | { kind: 'requirement'; requirement: Requirement }
  | { kind: 'criterion'; requirement: Requirement; criterion: Criterion };

export function resolveRef(spec: Spec, ref: string): Resolved | undefined {
  const req = spec.requirements.find((r) => r.id === ref);
  if (req) return { kind: 'requirement', requirement: req };
  for (const r of spec.requirements) {
    const c = r.criteria.find((x) => x.id === ref);
    if (c) return { kind: 'criterion', requirement: r, criterion: c };
  }
  return undefined;
}
