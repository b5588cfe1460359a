// REVIEW.md: the review as markdown. Risk and the findings that need a decision first, then
// the traceability matrix, the file list and every file's diff with out-of-scope hunks
// marked. Every piece of spec or code text is escaped so it cannot become markup.
import type { Finding, ReportChange } from '../model';
import { isOutside, type FileDiff } from './diffview';
import { messageParts } from './plainTitle';
import {
  CLASS_TEXT,
  GAP_TEXT,
  UNCITED_TEXT,
  LARGE_NOTE,
  decisionFindings,
  decisionRollup,
  deltaText,
  excludedNote,
  groupFindings,
  groupWhereText,
  largeSides,
  noLinesText,
  scopeLists,
  unshownFiles,
  unshownLead,
  MAX_UNSHOWN,
  OVER_BUDGET_NOTE,
  overBudgetSummary,
  countOf,
  orderedDiffs,
  placeFindings,
  findingsOf,
  besideCode,
  explainingTasks,
  linesText,
  type FindingPlaces,
  otherFindings,
  rollupCountText,
  rollupLead,
  rollupWhere,
  ROLLUP_MIN_LINES,
  revealControls,
  shownHeader,
  traceLines,
  unexplainedChanges,
  type FindingGroup,
  type ReviewInput,
  type RollupRow,
} from './reviewdata';

/** Text as REVIEW.md may hold it: `cat REVIEW.md` obeys no control character in it (see revealControls). */
const revealed = revealControls;

/**
 * Plain text on one line, with every character that could start markup escaped. (GFM still
 * turns bare http(s), www and e-mail text into links; those schemes are harmless.)
 */
export function mdText(s: string): string {
  return revealed(s.replace(/[\r\n\t]+/g, ' ')).replace(/[\\`*_[\]<>|~&!#]/g, (c) => `\\${c}`);
}

/**
 * Plain text that starts a list item's content: as `mdText`, and what would open a block
 * there escaped too (a list marker, a thematic break, leading spaces that make code), so
 * the item holds the text and nothing else.
 */
export function mdItemText(s: string): string {
  return mdText(s)
    .replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^[-+=]/, (c) => `\\${c}`)
    .replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/** An inline code span that holds any text (backticks, newlines, pipes in tables). */
export function mdCode(s: string, inTable = false): string {
  let text = revealed(s.replace(/\r\n|\r|\n/g, '␤'));
  if (inTable) text = text.replace(/\|/g, '\\|');
  if (text === '') return '` `';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block longer than any backtick run inside it. */
export function mdFence(lines: string[], info = ''): string {
  const body = revealed(lines.join('\n'));
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}

/** A finding message as markdown: the code it quotes as code spans, the rest escaped text. */
export function mdMessage(message: string): string {
  return messageParts(message)
    .map((p) => (p.code ? mdCode(p.text) : mdText(p.text)))
    .join('');
}

function cell(s: string): string {
  return mdText(s);
}

function findingLine(g: FindingGroup): string {
  const f = g.finding;
  const where = groupWhereText(g);
  const loc = `${mdCode(f.path)}${where ? ` ${where}` : ''}`;
  const extra = [f.task ? `task ${mdCode(f.task)}` : '', f.requirement ? `requirement ${mdCode(f.requirement)}` : '']
    .filter(Boolean)
    .join(', ');
  return `- **${f.severity.toUpperCase()}** ${f.rule} ${f.kind}: ${loc}: ${mdMessage(f.message)}${extra ? ` (${extra})` : ''}`;
}

function rollupLine(r: RollupRow): string {
  return `- **${r.severity.toUpperCase()}** ${r.rule} ${r.kind}: ${rollupCountText(r)}${rollupWhere(r, (f) => mdCode(f))}`;
}

function header(input: ReviewInput): string[] {
  const { report, meta } = input;
  const s = report.summary;
  const base = report.base.commit
    ? `${mdCode(report.base.ref, true)} at ${mdCode(report.base.commit.slice(0, 12), true)}`
    : `${mdCode(report.base.ref, true)} (no commit yet)`;
  const how = meta.mode === 'staged' ? 'staged changes (the index)' : meta.baseOption ? `since the merge base with ${mdCode(meta.baseOption, true)}` : 'uncommitted work';
  return [
    `# SpecGate review: ${mdText(report.spec.name)}`,
    '',
    `**Risk: ${s.risk.toUpperCase()}** · ${s.files} file${s.files === 1 ? '' : 's'} changed, +${s.added} −${s.removed} · ${s.outOfScope} outside the scope${excludedNote(report)} · ${decisionFindings(report).length} need a decision`,
    '',
    '| | |',
    '|---|---|',
    `| Spec | ${mdCode(report.spec.id, true)} (${report.spec.format}) |`,
    `| Scope | ${[...scopeLists(report).map((l) => `${l.label}: ${l.globs.map((g) => mdCode(g, true)).join(', ')}${l.more ? ` and ${l.more} more` : ''}`), ...(scopeLists(report).length ? [] : ['no scope glob'])].join(' · ')} · and the paths the tasks name |`,
    `| Change | ${how} |`,
    `| Base | ${base} |`,
    `| Digest | ${mdCode(report.digest, true)} |`,
    `| Prepared | ${cell(meta.time)} by ${cell(meta.author.name)} ${cell(meta.author.email ? `<${meta.author.email}>` : '')}, SpecGate ${cell(meta.version)} |`,
    '',
    'Approve only after reading this: `specgate approve <this folder> --key <your SSH key>` signs exactly the content above.',
  ];
}

/** How SpecGate read the change (files it lists as binary, and why): only when there is something to say. */
function notesSection(input: ReviewInput): string[] {
  const notes = input.notes ?? [];
  if (notes.length === 0) return [];
  return ['', `## Notes (${notes.length})`, '', ...notes.map((n) => `- ${mdItemText(n)}`)];
}

function findingsSection(input: ReviewInput): string[] {
  const decide = decisionFindings(input.report);
  const other = otherFindings(input.report);
  const groups = groupFindings(decide);
  const otherGroups = groupFindings(other);
  const out = ['', `## Needs a decision (${countOf(decide.length, groups.length)})`, ''];
  if (decide.length === 0) out.push('Nothing out of scope, deleted, rewritten, protected, or claimed done without a change.');
  else {
    if (groups.length >= ROLLUP_MIN_LINES) out.push(rollupLead(groups.length), '', ...decisionRollup(decide).map(rollupLine), '', '---', '');
    out.push(...groups.map(findingLine));
  }
  const unshown = unshownFiles(input);
  if (unshown.length > 0) {
    const more = unshown.length > MAX_UNSHOWN ? ` and ${unshown.length - MAX_UNSHOWN} more` : '';
    out.push('', `**${mdText(unshownLead(unshown.length))}** ${unshown.slice(0, MAX_UNSHOWN).map((u) => `${mdCode(u.path)} (${u.why})`).join(', ')}${more}.`);
  }
  out.push('', `## Other findings (${countOf(other.length, otherGroups.length)})`, '');
  if (other.length === 0) out.push('None.');
  else out.push(...otherGroups.map(findingLine));
  return out;
}

function traceSection(input: ReviewInput): string[] {
  const lines = traceLines(input.report);
  const out = ['', '## Traceability: requirement → tasks → files', ''];
  if (lines.length === 0) out.push('The spec declares no requirements.');
  else {
    out.push('| Requirement | Tasks | Changed files | Gap |', '|---|---|---|---|');
    for (const l of lines) {
      const req = `${mdCode(l.requirement, true)}${l.title ? ` ${cell(l.title)}` : ''}`;
      const tasks = l.tasks.map((t) => `${mdCode(t.id, true)}${t.state ? ` (${t.state})` : ''}`).join(', ') || '—';
      const paths = l.paths.map((p) => mdCode(p, true)).join(', ') || '—';
      out.push(`| ${req} | ${tasks} | ${paths} | ${l.gap ? `**${GAP_TEXT[l.gap]}**` : l.uncited ? UNCITED_TEXT : ''} |`);
    }
  }
  const loose = unexplainedChanges(input.report);
  if (loose.length > 0) {
    out.push('', `Changed files no task names (${loose.length}):`, '');
    for (const c of loose) out.push(`- ${mdCode(c.path)} (${CLASS_TEXT[c.classification]})`);
  }
  return out;
}

function filesSection(input: ReviewInput): string[] {
  const out = ['', `## Files (${input.report.changes.length})`, ''];
  if (input.report.changes.length === 0) return [...out, 'No changed files.'];
  out.push('| # | File | Status | Scope | +/− | Tasks |', '|---|---|---|---|---|---|');
  input.report.changes.forEach((c, i) => {
    const name = c.oldPath ? `${mdCode(c.oldPath, true)} → ${mdCode(c.path, true)}` : mdCode(c.path, true);
    const scope = isOutside(c.classification) ? `**${CLASS_TEXT[c.classification]}**` : CLASS_TEXT[c.classification];
    const delta = deltaText(c);
    const tasks = c.tasks.map((t) => mdCode(t, true)).join(', ') || '—';
    out.push(`| ${i + 1} | ${name} | ${c.status} | ${scope} | ${delta} | ${tasks} |`);
  });
  const large = input.diffs.filter((d) => d.large).length;
  if (large > 0) out.push('', `${large} file${large === 1 ? ' is' : 's are'} too large to show line by line: listed under Diffs with sizes and blob ids; \`changes.patch\` has ${large === 1 ? 'it' : 'them'} in full.`);
  const budget = overBudgetSummary(input.diffs);
  if (budget) out.push('', `**${mdText(budget)}**`);
  return out;
}

/** Findings listed beside the code they are about (no path: the heading names the file), then a blank line. */
function diffFindings(list: readonly Finding[]): string[] {
  const shown = list.filter(besideCode);
  if (shown.length === 0) return [];
  const where = (f: Finding) => (f.startLine === undefined ? '' : ` (${linesText(f)})`);
  return [...shown.map((f) => `- **${f.severity.toUpperCase()}** ${f.rule} ${f.kind}${where(f)}: ${mdMessage(f.message)}`), ''];
}

/** The tasks that name a changed file, and their requirements. */
function explains(input: ReviewInput, change: ReportChange): string[] {
  const tasks = explainingTasks(input.report, change).map((t) => {
    const reqs = t.requirements.length ? ` (requirement${t.requirements.length === 1 ? '' : 's'} ${t.requirements.map((r) => mdCode(r)).join(', ')})` : '';
    return `${mdCode(t.id)}${t.title ? ` ${mdText(t.title)}` : ''}${reqs}`;
  });
  return tasks.length ? [`Task${tasks.length === 1 ? '' : 's'}: ${tasks.join('; ')}`, ''] : [];
}

function diffBlock(input: ReviewInput, places: FindingPlaces, d: FileDiff, index: number, change: ReportChange | undefined, part?: { index: number; of: number }): string[] {
  const facts = change ? [change.status, CLASS_TEXT[change.classification], deltaText(change)] : [];
  const of = part ? `, part ${part.index} of ${part.of}` : '';
  const out = ['', `### ${index}. ${mdCode(d.path)}${facts.length ? ` (${facts.join(' · ')})` : ''}${of}`, ''];
  if (change && (part?.index ?? 1) === 1) {
    out.push(...explains(input, change));
    out.push(...diffFindings(findingsOf(input.report, change.path).filter((f) => !places.hunkOf.has(f))));
  }
  if (shownHeader(d).length) out.push(mdFence(shownHeader(d)), '');
  if (d.large) {
    out.push(`**${mdText(LARGE_NOTE)}**`, '');
    for (const l of largeSides(d.large)) out.push(`- ${l.side}: ${l.size}, blob ${mdCode(l.blob)}`);
  } else if (d.binary) out.push('Binary file: not shown; open it in the repository.');
  else if (d.hunks.length === 0) out.push(d.overBudget ? `**${mdText(OVER_BUDGET_NOTE)}**` : noLinesText(change));
  for (const h of d.hunks) {
    if (isOutside(h.classification)) out.push(`> **⚠ ${CLASS_TEXT[h.classification!]}**: this hunk is outside the spec's scope.`, '');
    out.push(...diffFindings(places.inHunk.get(h) ?? []));
    out.push(mdFence([h.header, ...h.lines], 'diff'), '');
  }
  if (d.truncated && d.overBudget && d.hunks.length > 0) out.push('**Diff cut short: the review already shows as many diff lines as it can; `changes.patch` has every line.**');
  else if (d.truncated && !d.overBudget) out.push('_Diff shortened for reading; `changes.patch` has every line._');
  return out;
}

function diffsSection(input: ReviewInput): string[] {
  const out = ['', '## Diffs'];
  if (input.diffs.length === 0) out.push('', 'No diff.');
  const places = placeFindings(input.report, input.diffs);
  for (const d of orderedDiffs(input)) out.push(...diffBlock(input, places, d.diff, d.number, d.change, d.part));
  return out;
}

/** REVIEW.md for one review input. */
export function renderMarkdown(input: ReviewInput): string {
  const lines = [
    ...header(input),
    ...notesSection(input),
    ...findingsSection(input),
    ...traceSection(input),
    ...filesSection(input),
    ...diffsSection(input),
    '',
    '---',
    `Spec files as reviewed are in \`spec/\`; the full patch is \`changes.patch\` (\`git apply\` it on ${mdCode(input.report.base.commit ?? input.report.base.ref)}).`,
    '',
  ];
  return lines.join('\n');
}
