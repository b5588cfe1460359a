// review.html: the review as ONE self-contained page. No script, no network, no external
// resource (a CSP meta tag forbids them too); readable in light and dark themes. Spec
// markdown is rendered by markdown-it (the parser of VS Code's own markdown preview) with
// raw HTML off, images shown as text and links limited to http(s), mailto and relative
// ones; every other piece of spec or code text is HTML-escaped.
import type MarkdownIt from 'markdown-it';
import { markdownItClass } from '../markdownIt';
import { isHiddenHtml } from '../spec/markdown';
import type { Finding, ReportChange } from '../model';
import { hunkGutters, isOutside, type DiffHunk, type FileDiff } from './diffview';
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
  type FindingPlaces,
  otherFindings,
  rollupCountText,
  rollupLead,
  rollupWhere,
  ROLLUP_MIN_LINES,
  revealControls,
  findingsOf,
  besideCode,
  explainingTasks,
  linesText,
  shownHeader,
  traceLines,
  unexplainedChanges,
  type FindingGroup,
  type ReviewInput,
  type RollupRow,
} from './reviewdata';

export const REVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Spec files larger than this are shown as escaped text, not rendered markdown. */
const MAX_RENDERED_SPEC_BYTES = 512 * 1024;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values, its control characters shown (see revealControls). */
export function esc(s: string): string {
  return revealControls(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A link target that may stay a link: http(s), mailto, or one with no scheme (relative, #anchor). */
function safeLink(url: string): boolean {
  const u = url.trim();
  return !/^[a-z][a-z0-9+.-]*:/i.test(u) || /^(?:https?|mailto):/i.test(u);
}

/** Task-list markers at the start of a list item, shown as the box they stand for. */
const TASK_BOXES: Record<string, string> = { ' ': '\u2610', x: '\u2611', X: '\u2611', '-': '\u25d0', '~': '\u25d0' };

let renderer: MarkdownIt | undefined;

const HIDDEN_NOTE = 'HTML comment: a markdown preview shows nothing of it, and SpecGate reads no task or path in it.';

/** One markdown-it instance, made on first use (loaded then too: `check` never needs it). */
function markdownIt(): MarkdownIt {
  if (renderer) return renderer;
  const MarkdownItClass = markdownItClass();
  // Raw HTML is parsed (as the spec model parses it: a comment block is one block, its lines
  // no list) and shown as text, never as markup. A comment, which a markdown preview shows as
  // nothing, is shown marked as one, so the reviewer sees what the model left unread.
  const md = new MarkdownItClass('default', { html: true, linkify: false, typographer: false });
  md.renderer.rules.html_block = (tokens, idx) => {
    const content = tokens[idx].content.replace(/\n$/, '');
    const hidden = isHiddenHtml(content);
    const lead = hidden ? `<p class="muted">${esc(HIDDEN_NOTE)}</p>` : '';
    return `<div class="raw-html${hidden ? ' hidden-html' : ''}">${lead}<pre>${esc(content)}</pre></div>\n`;
  };
  md.renderer.rules.html_inline = (tokens, idx) => {
    const content = tokens[idx].content;
    return /^<!--/.test(content) ? `<span class="muted" title="${esc(HIDDEN_NOTE)}">${esc(content)}</span>` : esc(content);
  };
  md.validateLink = safeLink;
  // An external link shows where it goes: its text may look like a path of the repository
  // (`[src/a.ts](https://…)`), and the page is what a reviewer signs.
  md.renderer.rules.link_close = (tokens, idx, options, _env, self) => {
    let depth = 0;
    let open = -1;
    for (let k = idx - 1; k >= 0; k--) {
      if (tokens[k]!.type === 'link_close') depth++;
      else if (tokens[k]!.type === 'link_open' && depth-- === 0) {
        open = k;
        break;
      }
    }
    const href = open >= 0 ? (tokens[open]!.attrGet('href') ?? '') : '';
    const text = tokens.slice(open + 1, idx).map((t) => (t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
    const close = self.renderToken(tokens, idx, options);
    return /^(?:https?:|mailto:)/i.test(href) && text.trim() !== href ? `${close} <span class="muted link-target">(${esc(href)})</span>` : close;
  };
  // Images would load from the network (the CSP blocks them anyway): show their alt text.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const alt = self.renderInlineAsText(tokens[idx].children ?? [], options, env);
    return md.utils.escapeHtml(`[image${alt ? `: ${alt}` : ''}]`);
  };
  md.core.ruler.push('task_boxes', (state) => {
    const t = state.tokens;
    for (let i = 2; i < t.length; i++) {
      if (t[i].type !== 'inline' || t[i - 1].type !== 'paragraph_open' || t[i - 2].type !== 'list_item_open') continue;
      const first = t[i].children?.[0];
      const m = first?.type === 'text' ? /^\[([ xX~-])\](?=\s|$)/.exec(first.content) : null;
      if (first && m) first.content = TASK_BOXES[m[1]] + first.content.slice(3);
    }
  });
  // The spec's headings sit under the page's own (h1 title, h2 section, h3 spec file): they
  // start at `env.headingTop` and go down one level at most per heading, so the outline a
  // screen reader lists skips no level. Below h6, the deepest HTML has, a heading is an
  // element with the heading role and its level (a Kiro requirement's "Acceptance Criteria"
  // stays under its requirement instead of beside it).
  md.core.ruler.push('heading_levels', (state) => {
    const top = (state.env as { headingTop?: number } | undefined)?.headingTop;
    if (!top) return;
    let last = top - 1;
    let open = '';
    for (const t of state.tokens) {
      if (t.type === 'heading_open') {
        const level = Math.min(Number(t.tag.slice(1)) + top - 1, last + 1);
        if (level <= 6) open = t.tag = `h${level}`;
        else {
          open = t.tag = 'div';
          t.attrSet('role', 'heading');
          t.attrSet('aria-level', String(level));
          t.attrSet('class', 'deep-heading');
        }
        last = level;
      } else if (t.type === 'heading_close') t.tag = open;
    }
  });
  renderer = md;
  return md;
}

/** A front matter block at the top (`---` or `+++` fences): its end line index, or 0. */
function frontMatterLines(lines: readonly string[]): number {
  const fence = lines[0]?.trimEnd();
  if (fence !== '---' && fence !== '+++') return 0;
  for (let i = 1; i < lines.length; i++) if (lines[i].trimEnd() === fence || (fence === '---' && lines[i].trimEnd() === '...')) return i + 1;
  return 0;
}

/**
 * Spec markdown as HTML; front matter is shown as code, not read as markdown. `headingTop`:
 * the level its first heading takes (default: as written).
 */
export function markdownToHtml(markdown: string, headingTop?: number): string {
  const lines = markdown.split(/\r\n|\r|\n/);
  const fm = frontMatterLines(lines);
  const head = fm ? `<pre><code>${esc(lines.slice(1, fm - 1).join('\n'))}</code></pre>\n` : '';
  const md = markdownIt();
  const env: { headingTop?: number; references?: Record<string, { href?: string; title?: string }> } = headingTop ? { headingTop } : {};
  const body = md.renderer.render(md.parse(fm ? lines.slice(fm).join('\n') : markdown, env), md.options, env);
  return head + body + linkDefinitions(env.references);
}

/**
 * A file's link reference definitions (`[ref]: <url> "title"`), which markdown renders as
 * nothing: listed as text under it, so nothing the spec says (a path in a title, which the
 * spec parser reads) is hidden from the reviewer.
 */
function linkDefinitions(refs: Record<string, { href?: string; title?: string }> | undefined): string {
  const items = Object.entries(refs ?? {});
  if (items.length === 0) return '';
  const li = items.map(([label, r]) => `<li>${code(`[${label}]`)}: ${code(r.href ?? '')}${r.title ? ` ${code(`"${r.title}"`)}` : ''}</li>`);
  return `<p class="muted">Link definitions in this file (markdown shows them as nothing):</p>\n<ul>${li.join('')}</ul>\n`;
}

function code(s: string): string {
  // On one line, as REVIEW.md shows it: a line break in a file name is not a space.
  return `<code>${esc(s.replace(/\r\n|\r|\n/g, '␤'))}</code>`;
}

/** A finding message as HTML: the code it quotes in `<code>`, all of it escaped. */
function message(m: string): string {
  return messageParts(m)
    .map((p) => (p.code ? code(p.text) : esc(p.text)))
    .join('');
}

/** The roll-up by rule that leads a long *Needs a decision* list (nothing for a short one). */
function rollup(decide: readonly Finding[], lines: number): string {
  if (lines < ROLLUP_MIN_LINES) return '';
  const row = (r: RollupRow) =>
    `<li class="sev-${esc(r.severity)}"><span class="badge">${esc(r.severity)}</span> <a class="rule" href="#${ruleAnchor(r.rule)}">${esc(r.rule)} ${esc(r.kind)}</a>: ${esc(rollupCountText(r))}${rollupWhere(r, code)}</li>`;
  return `<p>${esc(rollupLead(lines))}</p>\n<ul class="findings rollup">\n${decisionRollup(decide).map(row).join('\n')}\n</ul>\n`;
}

/** The anchor of a rule's part of a long *Needs a decision* list. */
function ruleAnchor(rule: string): string {
  return `decide-${rule.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** Above this many entries, a rule's part of a long list starts folded (its roll-up row says what it holds). */
const FOLD_ABOVE = 20;

/**
 * A long *Needs a decision* list (one with a roll-up), in one part per rule, each under a
 * heading that folds: the roll-up is read first, then the parts one opens. A short list is
 * one list.
 */
function decisionList(groups: readonly FindingGroup[], item: (g: FindingGroup) => string): string {
  if (groups.length < ROLLUP_MIN_LINES) return `<ul class="findings">\n${groups.map(item).join('\n')}\n</ul>`;
  const byRule = new Map<string, FindingGroup[]>();
  for (const g of groups) {
    const list = byRule.get(g.finding.rule);
    if (list) list.push(g);
    else byRule.set(g.finding.rule, [g]);
  }
  return [...byRule]
    .map(([rule, list]) => {
      const f = list[0]!.finding;
      const n = `${list.length} ${list.length === 1 ? 'entry' : 'entries'}`;
      return `<details class="rule-part" id="${ruleAnchor(rule)}"${list.length <= FOLD_ABOVE ? ' open' : ''}><summary><span class="rule">${esc(rule)} ${esc(f.kind)}</span> (${n})</summary>\n<ul class="findings">\n${list.map(item).join('\n')}\n</ul></details>`;
    })
    .join('\n');
}

/** Where the page shows each finding: the diff's hunk that holds its lines, and that hunk's anchor. */
interface Places extends FindingPlaces {
  hunkId: Map<DiffHunk, string>;
}

/**
 * A finding, its file linked to the diff (`#file-N`) when the change lists it: to the hunk
 * that holds its lines (`#file-N-hK`) when the page shows one.
 */
function findingItem(g: FindingGroup, fileNumber?: number, places?: Places): string {
  const f = g.finding;
  const hunk = places?.hunkOf.get(f);
  const target = hunk ? places!.hunkId.get(hunk) : fileNumber !== undefined ? `file-${fileNumber}` : undefined;
  const where = groupWhereText(g);
  const extra = [f.task ? `task ${code(f.task)}` : '', f.requirement ? `requirement ${code(f.requirement)}` : ''].filter(Boolean).join(', ');
  return (
    `<li class="sev-${esc(f.severity)}"><span class="badge">${esc(f.severity)}</span> ` +
    `<span class="rule">${esc(f.rule)} ${esc(f.kind)}</span> ${target !== undefined ? `<a href="#${target}">${code(f.path)}</a>` : code(f.path)}${where ? ` ${esc(where)}` : ''}: ` +
    `${message(f.message)}${extra ? ` <span class="muted">(${extra})</span>` : ''}</li>`
  );
}

/** The scope the files were judged against (see scopeLists), and that task paths count too. */
function scopeCell(report: ReviewInput['report'], glob: (g: string) => string, text: (t: string) => string): string {
  const lists = scopeLists(report).map((l) => `${text(l.label)}: ${l.globs.map(glob).join(', ')}${l.more ? text(` and ${l.more} more`) : ''}`);
  return `${lists.length ? lists.join(' · ') : text('no scope glob')}${text(' · and the paths the tasks name')}`;
}

function summary(input: ReviewInput): string {
  const { report, meta } = input;
  const s = report.summary;
  const how = meta.mode === 'staged' ? 'staged changes (the index)' : meta.baseOption ? `since the merge base with ${code(meta.baseOption)}` : 'uncommitted work';
  const base = report.base.commit ? `${code(report.base.ref)} at ${code(report.base.commit.slice(0, 12))}` : `${code(report.base.ref)} (no commit yet)`;
  return `<header>
<h1>SpecGate review: ${esc(report.spec.name)}</h1>
<p class="risk risk-${esc(s.risk)}">Risk: <strong>${esc(s.risk.toUpperCase())}</strong> · ${s.files} file${s.files === 1 ? '' : 's'} changed, +${s.added} −${s.removed} · ${s.outOfScope} outside the scope${esc(excludedNote(report))} · ${decisionFindings(report).length} need a decision</p>
<table class="facts">
<tr><th scope="row">Spec</th><td>${code(report.spec.id)} (${esc(report.spec.format)})</td></tr>
<tr><th scope="row">Scope</th><td>${scopeCell(report, (g) => code(g), esc)}</td></tr>
<tr><th scope="row">Change</th><td>${how}</td></tr>
<tr><th scope="row">Base</th><td>${base}</td></tr>
<tr><th scope="row">Digest</th><td>${code(report.digest)}</td></tr>
<tr><th scope="row">Prepared</th><td>${esc(meta.time)} by ${esc(meta.author.name)}${meta.author.email ? ` &lt;${esc(meta.author.email)}&gt;` : ''}, SpecGate ${esc(meta.version)}</td></tr>
</table>
<p class="muted">Approve only after reading this: <code>specgate approve &lt;this folder&gt; --key &lt;your SSH key&gt;</code> signs exactly this content.</p>
</header>`;
}

/** How SpecGate read the change (files it lists as binary, and why): only when there is something to say. */
function notes(input: ReviewInput): string {
  const list = input.notes ?? [];
  if (list.length === 0) return '';
  return `<section id="notes" aria-labelledby="notes-title">
<h2 id="notes-title">Notes (${list.length})</h2>
<ul>
${list.map((n) => `<li>${esc(n)}</li>`).join('\n')}
</ul>
</section>
`;
}

function findings(input: ReviewInput, places: Places): string {
  const decide = decisionFindings(input.report);
  const groups = groupFindings(decide);
  const other = otherFindings(input.report);
  const otherGroups = groupFindings(other);
  const number = new Map(input.report.changes.map((c, i) => [c.path, i + 1]));
  const item = (g: FindingGroup) => findingItem(g, number.get(g.finding.path), places);
  const unshown = unshownFiles(input);
  const more = unshown.length > MAX_UNSHOWN ? ` and ${unshown.length - MAX_UNSHOWN} more` : '';
  const notShown = unshown.length
    ? `<p class="flag">${esc(unshownLead(unshown.length))} ${unshown.slice(0, MAX_UNSHOWN).map((u) => `${code(u.path)} (${esc(u.why)})`).join(', ')}${more}.</p>\n`
    : '';
  return `<section id="decide" aria-labelledby="decide-title">
<h2 id="decide-title">Needs a decision (${countOf(decide.length, groups.length)})</h2>
${decide.length ? `${rollup(decide, groups.length)}${decisionList(groups, item)}` : '<p>Nothing out of scope, deleted, rewritten, protected, or claimed done without a change.</p>'}
${notShown}</section>
<section id="other" aria-labelledby="other-title">
<h2 id="other-title">Other findings (${countOf(other.length, otherGroups.length)})</h2>
${other.length ? `<ul class="findings">\n${otherGroups.map(item).join('\n')}\n</ul>` : '<p>None.</p>'}
</section>`;
}

function trace(input: ReviewInput): string {
  const lines = traceLines(input.report);
  const rows = lines
    .map((l) => {
      const tasks = l.tasks.map((t) => `${code(t.id)}${t.state ? ` <span class="muted">${esc(t.state)}</span>` : ''}`).join(', ') || '—';
      const paths = l.paths.map(code).join('<br>') || '—';
      const gap = l.gap ? `<strong class="gap">${esc(GAP_TEXT[l.gap])}</strong>` : l.uncited ? `<span class="muted">${UNCITED_TEXT}</span>` : '';
      return `<tr${l.gap ? ' class="has-gap"' : ''}><td>${code(l.requirement)}${l.title ? ` ${esc(l.title)}` : ''}</td><td>${tasks}</td><td>${paths}</td><td>${gap}</td></tr>`;
    })
    .join('\n');
  const loose = unexplainedChanges(input.report);
  return `<section id="trace" aria-labelledby="trace-title">
<h2 id="trace-title">Traceability: requirement → tasks → files</h2>
${lines.length ? `<table class="grid"><thead><tr><th scope="col">Requirement</th><th scope="col">Tasks</th><th scope="col">Changed files</th><th scope="col">Gap</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>The spec declares no requirements.</p>'}
${loose.length ? `<p>Changed files no task names (${loose.length}):</p><ul>${loose.map((c) => `<li>${code(c.path)} <span class="muted">${esc(CLASS_TEXT[c.classification] ?? c.classification)}</span></li>`).join('')}</ul>` : ''}
</section>`;
}

function files(input: ReviewInput): string {
  const changes = input.report.changes;
  const large = input.diffs.filter((d) => d.large).length;
  const rows = changes
    .map((c, i) => {
      const name = c.oldPath ? `${code(c.oldPath)} → ${code(c.path)}` : code(c.path);
      const scope = `<span class="${isOutside(c.classification) ? 'outside' : ''}">${esc(CLASS_TEXT[c.classification] ?? c.classification)}</span>`;
      const delta = c.binary ? esc(deltaText(c)) : `<span class="plus">+${c.added}</span> <span class="minus">−${c.removed}</span>` + esc(deltaText(c).replace(/^\+\d+ −\d+/, ''));
      return `<tr><td>${i + 1}</td><td><a href="#file-${i + 1}">${name}</a></td><td>${esc(c.status)}</td><td>${scope}</td><td>${delta}</td><td>${c.tasks.map(code).join(', ') || '—'}</td></tr>`;
    })
    .join('\n');
  return `<section id="files" aria-labelledby="files-title">
<h2 id="files-title">Files (${changes.length})</h2>
${changes.length ? `<table class="grid"><thead><tr><th scope="col">#</th><th scope="col">File</th><th scope="col">Status</th><th scope="col">Scope</th><th scope="col">+/−</th><th scope="col">Tasks</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No changed files.</p>'}
${large > 0 ? `<p>${large} file${large === 1 ? ' is' : 's are'} too large to show line by line: listed under Diffs with sizes and blob ids; <code>changes.patch</code> has ${large === 1 ? 'it' : 'them'} in full.</p>` : ''}
${overBudgetSummary(input.diffs) ? `<p class="flag">${esc(overBudgetSummary(input.diffs)!)}</p>` : ''}
</section>`;
}

/** One diff line; `gutter` (its old and new line numbers) is drawn before it, and not copied with it. */
function diffLine(line: string, gutter: string): string {
  const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('\\') ? 'note' : 'ctx';
  const open = `<span class="${cls}" data-ln="${esc(gutter)}">`;
  // Trailing whitespace of a changed line is marked: `-return 1` and `+return 1 ` would read alike.
  const trail = cls === 'add' || cls === 'del' ? /[ \t]+(?=\r?$)/.exec(line.slice(1)) : null;
  if (!trail) return `${open}${esc(line)}</span>`;
  const at = trail.index + 1;
  return `${open}${esc(line.slice(0, at))}<span class="trail" title="trailing whitespace">${esc(trail[0])}</span>${esc(line.slice(at + trail[0].length))}</span>`;
}

/** Findings listed beside the code they are about (no path: the diff's heading names it). */
function diffFindings(list: readonly Finding[]): string {
  const shown = list.filter(besideCode);
  if (shown.length === 0) return '';
  const item = (f: Finding) =>
    `<li class="sev-${esc(f.severity)}"><span class="badge">${esc(f.severity)}</span> <span class="rule">${esc(f.rule)} ${esc(f.kind)}</span>${f.startLine !== undefined ? ` <span class="muted">${esc(linesText(f))}</span>` : ''}: ${message(f.message)}</li>`;
  return `<ul class="findings in-diff">${shown.map(item).join('')}</ul>`;
}

/** The tasks that name a changed file, and their requirements: why the file changed. */
function explains(report: ReviewInput['report'], change: ReportChange): string {
  const tasks = explainingTasks(report, change).map((t) => {
    const reqs = t.requirements.length ? ` <span class="muted">(requirement${t.requirements.length === 1 ? '' : 's'} ${t.requirements.map(code).join(', ')})</span>` : '';
    return `${code(t.id)}${t.title ? ` ${esc(t.title)}` : ''}${reqs}`;
  });
  return tasks.length ? `<p class="explains">Task${tasks.length === 1 ? '' : 's'}: ${tasks.join('; ')}</p>` : '';
}

function fileDiff(
  input: ReviewInput,
  places: Places,
  d: FileDiff,
  number: number,
  change: ReportChange | undefined,
  part?: { index: number; of: number },
): string {
  // One anchor per file: on the first part of a file with several.
  const first = (part?.index ?? 1) === 1;
  const anchor = change && first ? ` id="file-${number}"` : '';
  const facts = change ? `${esc(change.status)} · ${esc(CLASS_TEXT[change.classification] ?? change.classification)} · ${esc(deltaText(change))}` : '';
  const of = part ? `, part ${part.index} of ${part.of}` : '';
  const parts = [`<section class="file"${anchor}>`, `<h3>${number}. ${code(d.path)} <span class="muted">${facts}${of}</span></h3>`];
  if (change && first) {
    parts.push(explains(input.report, change));
    parts.push(diffFindings(findingsOf(input.report, change.path).filter((f) => !places.hunkOf.has(f))));
  }
  if (shownHeader(d).length) parts.push(`<pre class="meta">${shownHeader(d).map(esc).join('\n')}</pre>`);
  if (d.large) {
    parts.push(`<p class="flag">${esc(LARGE_NOTE)}</p>`);
    parts.push(`<ul>${largeSides(d.large).map((l) => `<li>${l.side}: ${esc(l.size)}, blob ${code(l.blob)}</li>`).join('')}</ul>`);
  } else if (d.binary) parts.push('<p class="muted">Binary file: not shown; open it in the repository.</p>');
  else if (d.hunks.length === 0) parts.push(d.overBudget ? `<p class="flag">${esc(OVER_BUDGET_NOTE)}</p>` : `<p class="muted">${esc(noLinesText(change))}</p>`);
  const gutters = hunkGutters(d.hunks);
  d.hunks.forEach((h, i) => {
    const outside = isOutside(h.classification);
    const id = places.hunkId.get(h);
    parts.push(
      `<div class="hunk${outside ? ' outside' : ''}"${id ? ` id="${id}"` : ''}>` +
        (outside ? `<p class="flag">⚠ ${esc(CLASS_TEXT[h.classification!]!)}: this hunk is outside the spec's scope</p>` : '') +
        diffFindings(places.inHunk.get(h) ?? []) +
        `<pre><span class="hh">${esc(h.header)}</span>\n${h.lines.map((l, j) => diffLine(l, gutters[i]![j]!)).join('\n')}</pre></div>`,
    );
  });
  if (d.truncated && d.overBudget && d.hunks.length > 0) parts.push('<p class="flag">Diff cut short: the review already shows as many diff lines as it can; <code>changes.patch</code> has every line.</p>');
  else if (d.truncated && !d.overBudget) parts.push('<p class="muted">Diff shortened for reading; <code>changes.patch</code> has every line.</p>');
  parts.push('</section>');
  return parts.join('\n');
}

function specSection(input: ReviewInput): string {
  const parts = input.specFiles.map((f) => {
    let body: string;
    if (f.text.length > MAX_RENDERED_SPEC_BYTES || !/\.(md|markdown)$/i.test(f.path)) body = `<pre>${esc(f.text)}</pre>`;
    else {
      try {
        body = markdownToHtml(revealControls(f.text), 4);
      } catch {
        body = `<pre>${esc(f.text)}</pre>`;
      }
    }
    // Each spec file is a heading under "Spec as reviewed", its own headings under it. The
    // page has no script: <details> shows and hides the file, its <summary> holds the heading.
    return `<details class="spec-file" open><summary><h3>${code(f.path)}</h3></summary><div class="md">${body}</div></details>`;
  });
  return `<section id="spec" aria-labelledby="spec-title">
<h2 id="spec-title">Spec as reviewed (${input.specFiles.length} file${input.specFiles.length === 1 ? '' : 's'})</h2>
${parts.join('\n') || '<p>No spec files.</p>'}
</section>`;
}

const STYLE = `
:root { color-scheme: light dark; --red: #cf222e; --green: #1a7f37; --purple: #8250df; --amber: #9a6700; }
/* The dark canvas needs lighter inks for 4.5:1 (WCAG AA) on the words a reviewer must not miss. */
@media (prefers-color-scheme: dark) { :root { --red: #ff7b72; --green: #3fb950; --purple: #d2a8ff; --amber: #d29922; } }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: Canvas; color: CanvasText; max-width: 1200px; margin: 0 auto; padding: 1rem 2rem 4rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { border-bottom: 1px solid rgba(127,127,127,.4); padding-bottom: .2rem; margin-top: 2rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
code { background: rgba(127,127,127,.15); padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: rgba(127,127,127,.08); padding: .5rem; overflow-x: auto; border-radius: 4px; margin: .25rem 0; }
/* Diff lines wrap: code pushed past the edge by spaces, or a long line, is on the page, not behind a scroll bar. */
.hunk pre { white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid rgba(127,127,127,.4); padding: .25rem .5rem; text-align: left; vertical-align: top; }
.facts th { white-space: nowrap; }
.muted { opacity: .75; }
.risk { font-size: 1.1rem; padding: .4rem .6rem; border-left: 6px solid rgba(127,127,127,.6); }
.risk-medium { border-color: #d29922; } .risk-high { border-color: #e16f24; } .risk-critical { border-color: var(--red); } .risk-low { border-color: #2da44e; }
.findings li { margin: .2rem 0; }
.badge { display: inline-block; min-width: 4.5em; text-align: center; font-size: 11px; text-transform: uppercase; border: 1px solid currentColor; border-radius: 3px; }
.sev-error .badge { color: var(--red); } .sev-warning .badge { color: var(--amber); }
.rule { font-weight: 600; }
.gap, td > .outside { color: var(--red); font-weight: 600; }
.plus { color: var(--green); } .minus { color: var(--red); }
.file { margin-top: 1.5rem; }
.hunk { margin: .5rem 0; }
.hunk.outside { border-left: 5px solid var(--red); padding-left: .5rem; }
.flag { margin: .2rem 0; font-weight: 600; color: var(--red); }
details.rule-part { margin: .3rem 0; } details.rule-part > summary { cursor: pointer; }
.findings.in-diff { margin: .25rem 0; padding-left: 1.2rem; } .explains { margin: .2rem 0; }
.add { background: rgba(46,160,67,.22); display: inline-block; min-width: 100%; }
.del { background: rgba(248,81,73,.22); display: inline-block; min-width: 100%; }
.hh { color: var(--purple); } .note { opacity: .7; }
/* The line numbers (old, new) come from an attribute: drawn, but not selected or copied with the code. */
.hunk pre > [data-ln]::before { content: attr(data-ln); opacity: .55; user-select: none; }
.trail { background: rgba(212,167,44,.55); }
details.spec-file { margin: 1rem 0; }
details.spec-file > summary { cursor: pointer; }
details.spec-file > summary > h3 { display: inline; margin: 0; }
.md { padding: 0 1rem; border-left: 3px solid rgba(127,127,127,.3); }
.md h4 { font-size: 1.3em; } .md h5 { font-size: 1.15em; } .md h6 { font-size: 1em; }
.md .deep-heading { font-weight: 600; font-style: italic; }
.md h4, .md h5, .md h6, .md .deep-heading { margin: 1em 0 .5em; }
/* Forced colours (Windows High Contrast) drop backgrounds: added lines keep a solid bar, removed
   lines a dashed one and a strike-through, so the two differ in more than their + and -. */
@media (forced-colors: active) {
  .add { border-left: .3em solid Highlight; }
  .del { border-left: .3em dashed LinkText; text-decoration: line-through; }
  .trail { outline: 1px dotted CanvasText; }
}
/* Paper: the added and removed lines keep their colours without "background graphics". */
@media print { .add, .del, .trail, code { print-color-adjust: exact; -webkit-print-color-adjust: exact; } nav { display: none; } }
`;

/** The whole review page. */
export async function renderHtml(input: ReviewInput): Promise<string> {
  const ordered = orderedDiffs(input);
  // Each hunk of a listed file has an anchor (`file-N-hK`, K counting over the file's parts),
  // so a finding links to the lines it is about.
  const places: Places = { ...placeFindings(input.report, input.diffs), hunkId: new Map() };
  const count = new Map<number, number>();
  for (const d of ordered) {
    if (!d.change) continue;
    for (const h of d.diff.hunks) {
      const k = (count.get(d.number) ?? 0) + 1;
      count.set(d.number, k);
      places.hunkId.set(h, `file-${d.number}-h${k}`);
    }
  }
  const diffs = ordered.map((d) => fileDiff(input, places, d.diff, d.number, d.change, d.part)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REVIEW_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SpecGate review: ${esc(input.report.spec.name)}</title>
<style>${STYLE}</style>
</head>
<body>
${summary(input)}
<nav>${input.notes?.length ? '<a href="#notes">Notes</a> · ' : ''}<a href="#decide">Needs a decision</a> · <a href="#other">Other findings</a> · <a href="#trace">Traceability</a> · <a href="#files">Files</a> · <a href="#diffs">Diffs</a> · <a href="#spec">Spec</a></nav>
<main>
${notes(input)}${findings(input, places)}
${trace(input)}
${files(input)}
<section id="diffs" aria-labelledby="diffs-title">
<h2 id="diffs-title">Diffs</h2>
${diffs || '<p>No diff.</p>'}
</section>
${specSection(input)}
</main>
<footer class="muted"><p>Full patch: <code>changes.patch</code>. Spec files as reviewed: <code>spec/</code>.</p></footer>
</body>
</html>
`;
}
