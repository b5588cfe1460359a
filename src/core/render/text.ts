// The human report of `specgate check`: risk first and the summary in one column, then any
// notes on how the change was read, then the changed files grouped by classification with
// their findings (the same finding on several hunks on one line that says how many), then
// findings about the spec itself. Colour (ANSI) only when asked; every path and message is
// stripped of control characters.
import type { Classification, Finding, Report, ReportChange, RiskLevel, Severity } from '../model';
import { plainMessage } from './plainTitle';
import { deltaText, excludedNote, groupFindings, groupWhereText, mergesHunks, type FindingGroup } from './reviewdata';

export interface TextOptions {
  color?: boolean;
  /** How SpecGate read the change, one line each (ChangeSet.notes), shown under the summary. */
  notes?: readonly string[];
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m' };
type Style = keyof typeof ANSI;

/**
 * Control characters (and the escape that starts terminal sequences) made visible, and so
 * are the bidirectional controls that make a name read other than it is ("Trojan Source").
 */
export function safeText(s: string): string {
  // Control characters (C0, C1), line and paragraph separators, and format characters (Cf:
  // bidi controls, zero-width spaces and joiners, the BOM, tags), which would make
  // `src/con\u{200b}fig.ts` print as `src/config.ts`.
  return s.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

/**
 * A path for a terminal: as `safeText`, and a backslash doubled first, so that a file
 * literally named `a\nb` cannot be mistaken for `a` and `b` across a line break (git quotes
 * names the same way).
 */
export function safePath(p: string): string {
  return safeText(p.replace(/\\/g, '\\\\'));
}

/**
 * The first `max` items (each as `show` makes it), joined with commas, and how many more
 * there are: `a, b, c and 4 more`, so a message names a few of a long list on one line.
 */
export function someOf(items: readonly string[], max: number, show: (item: string) => string = (x) => x): string {
  const shown = items.slice(0, max).map(show).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

const GROUPS: { classification: Classification; title: string }[] = [
  { classification: 'excluded', title: "Excluded by the spec's non-goals" },
  { classification: 'out-of-scope', title: 'Out of scope' },
  { classification: 'in-scope', title: 'In scope' },
  { classification: 'spec', title: 'Spec files' },
];

const STATUS_LETTER: Record<ReportChange['status'], string> = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R', 'type-changed': 'T' };
const RISK_STYLE: Record<RiskLevel, Style[]> = { critical: ['bold', 'red'], high: ['red'], medium: ['yellow'], low: ['green'] };
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `task 1`, `tasks 2, 2.3, 3`. */
function tasksText(ids: readonly string[]): string {
  return `${ids.length === 1 ? 'task' : 'tasks'} ${ids.map(safeText).join(', ')}`;
}

/** Renders the report for a terminal. */
export function renderText(report: Report, opts: TextOptions = {}): string {
  const paint = (s: string, ...styles: Style[]) => (opts.color && styles.length ? `${styles.map((k) => ANSI[k]).join('')}${s}${ANSI.reset}` : s);
  const out: string[] = [];
  const { summary: sum, spec } = report;

  // The summary's labels in one column, so the values line up under each other.
  const field = (label: string, value: string, ...styles: Style[]) => `${paint(`${label}:`, ...styles)}${' '.repeat(10 - label.length)}${value}`;
  out.push(field('Risk', paint(sum.risk.toUpperCase(), ...RISK_STYLE[sum.risk]), 'bold'));
  out.push(field('Spec', `${safeText(spec.id)} (${spec.format})`));
  const base = report.base.commit ? `${safeText(report.base.ref)} (${report.base.commit.slice(0, 12)})` : `${safeText(report.base.ref)} (no commit yet)`;
  out.push(field('Base', base));
  // "Outside the scope" is both groups below (out of scope, excluded): the excluded are named,
  // so the number adds up with the groups' own counts.
  const outside = `${sum.outOfScope} outside the scope${excludedNote(report)}`;
  out.push(field('Changes', `${plural(sum.files, 'file')}, +${sum.added} −${sum.removed}` + (sum.outOfScope > 0 ? `, ${paint(outside, 'red')}` : '')));
  // Counted as the JSON's findings, SARIF's results and the Problems panel count them: a line
  // below that merges a file's hunks says how many it stands for, and this line what is counted.
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const perHunk = mergesHunks(groupFindings(report.findings)) ? ' (each hunk outside the scope counts as one)' : '';
  out.push(field('Findings', `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info${perHunk}`));
  out.push(field('Digest', report.digest));
  const notes = opts.notes ?? [];
  if (notes.length > 0) out.push('', paint(`Notes (${notes.length})`, 'bold'), ...notes.map((n) => `  ${safeText(n)}`));

  const byPath = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byPath.get(f.path) ?? [];
    list.push(f);
    byPath.set(f.path, list);
  }
  const shown = new Set<string>();
  const findingLine = (group: FindingGroup, indent: string) => {
    const f = group.finding;
    const where = groupWhereText(group, 6);
    const extra = [f.task ? `task ${safeText(f.task)}` : '', f.requirement ? `requirement ${safeText(f.requirement)}` : ''].filter(Boolean).join(', ');
    return `${indent}${paint(f.severity.padEnd(7), SEVERITY_STYLE[f.severity])} ${paint(f.rule, 'dim')} ${where ? `${where}: ` : ''}${safeText(plainMessage(f.message))}${extra ? paint(` [${extra}]`, 'dim') : ''}`;
  };

  for (const g of GROUPS) {
    const changes = report.changes.filter((c) => c.classification === g.classification);
    if (changes.length === 0) continue;
    out.push('', paint(`${g.title} (${changes.length})`, 'bold'));
    for (const c of changes) {
      const name = c.oldPath !== undefined ? `${safePath(c.oldPath)} → ${safePath(c.path)}` : safePath(c.path);
      const counts = safeText(deltaText(c));
      const tasks = c.tasks.length > 0 ? paint(`  ${tasksText(c.tasks)}`, 'dim') : '';
      out.push(`  ${STATUS_LETTER[c.status]} ${name}  ${counts}${tasks}`);
      for (const g of groupFindings(byPath.get(c.path) ?? [])) out.push(findingLine(g, '      '));
      shown.add(c.path);
    }
  }

  const rest = report.findings.filter((f) => !shown.has(f.path));
  if (rest.length > 0) {
    out.push('', paint('About the spec', 'bold'));
    for (const path of [...new Set(rest.map((f) => f.path))]) {
      out.push(`  ${safePath(path)}`);
      for (const g of groupFindings(rest.filter((f) => f.path === path))) out.push(findingLine(g, '      '));
    }
  }
  if (report.changes.length === 0) out.push('', 'No changes.');
  return `${out.join('\n')}\n`;
}
