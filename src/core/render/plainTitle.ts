// A task or requirement title (inline markdown from a spec) as plain text for a label:
// code spans lose their backticks (their text stays exactly as written), emphasis and
// strikethrough lose their markers, links and images become their text, backslash escapes
// their character, and whitespace collapses. Underscores and asterisks inside words, paths
// and globs (snake_case, src/__init__.py, src/**/*.ts) stay.

/** Marks text already final (code span content, escaped characters): `\0<index>\u0001`. */
const HOLE = /\u0000(\d+)\u0001/g;

/** Characters that may stand before an opening emphasis marker, and after a closing one. */
const OPEN_BEFORE = `\\s([{"'“‘*_~`;
const CLOSE_AFTER = `\\s)\\]}"'”’!?,;:*_~`;
const EMPHASIS = ['***', '___', '**', '__', '~~', '*', '_', '~'].map((d) => {
  const m = d.replace(/[*]/g, '\\*');
  // A marker's own character next to it makes a longer run, not this marker (`src/__init__`).
  const other = (set: string): string => set.replace(d[0]!, '');
  // The closer may be followed by a full stop only where a word does not go on (`__init__.py`).
  return new RegExp(`(^|[${other(OPEN_BEFORE)}])${m}(?=[^\\s${d[0]}])(.*?[^\\s${d[0]}])${m}(?=$|[${other(CLOSE_AFTER)}]|\\.(?![\\w\\u0000]))`, 'g');
});

/**
 * @param title inline markdown, as a spec parser read it
 * @returns the text a reader of the rendered markdown sees, on one line
 */
export function plainTitle(title: string): string {
  const held: string[] = [];
  const hold = (s: string): string => `\u0000${held.push(s) - 1}\u0001`;
  const src = title.replace(/[\u0000-\u001f\u007f]/g, ' ');
  let work = '';
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[!-/:-@[-`{-~]/.test(src[i + 1]!)) {
      work += hold(src[i + 1]!);
      i += 2;
      continue;
    }
    if (c === '`') {
      const span = codeSpanAt(src, i);
      work += hold(span.code ?? span.run);
      i = span.end;
      continue;
    }
    work += c;
    i++;
  }
  work = work
    // Images and links become their text; reference links too; autolinks their address.
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto|ftp):[^<>\s]*)>/gi, '$1');
  for (let pass = 0; pass < 4; pass++) {
    const before = work;
    for (const re of EMPHASIS) work = work.replace(re, '$1$2');
    if (work === before) break;
  }
  return work
    .replace(HOLE, (_, n: string) => held[Number(n)] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A markdown code span holding `text` verbatim: a fence longer than any backtick run inside,
 * and a space inside each fence where CommonMark would otherwise take a backtick or a space
 * at either end away. The form finding messages quote code in (see messageParts).
 */
export function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const spaced = text.length > 1 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '';
  const pad = text.startsWith('`') || text.endsWith('`') || spaced ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** One piece of a finding message: text as written, or the code it quotes. */
export interface MessagePart {
  /** True for code the message quotes (a code span in its markdown form). */
  code: boolean;
  text: string;
}

/**
 * A finding message in its parts. A message is plain text that quotes code (names, paths,
 * globs) as markdown code spans; nothing else in it is markup. Backticks that open no
 * complete span stay text.
 * @param message a finding's (or a spec problem's) message, as the report holds it
 */
export function messageParts(message: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let text = '';
  for (let i = 0; i < message.length; ) {
    if (message[i] !== '`') {
      // Up to the next backtick in one piece (a diagnostic for each of 15,000 findings passes here).
      const next = message.indexOf('`', i);
      const end = next === -1 ? message.length : next;
      text += message.slice(i, end);
      i = end;
      continue;
    }
    const span = codeSpanAt(message, i);
    if (span.code === undefined) text += span.run;
    else {
      if (text !== '') parts.push({ code: false, text });
      text = '';
      parts.push({ code: true, text: span.code });
    }
    i = span.end;
  }
  if (text !== '') parts.push({ code: false, text });
  return parts;
}

/**
 * A finding message as plain text, for surfaces that show text as it is (terminal, SARIF
 * `message.text`, editor diagnostics, code lenses, tree items): code spans lose their
 * backticks, everything else stays exactly as written.
 * @param message a finding's (or a spec problem's) message, as the report holds it
 */
export function plainMessage(message: string): string {
  return message.includes('`') ? messageParts(message).map((p) => p.text).join('') : message;
}

/**
 * The code span that the backtick run at `start` opens: its content (one space stripped from
 * each side when both have one, as CommonMark does), and where it ends; no content when no
 * run of the same length closes it, and then `end` is just past the run.
 */
function codeSpanAt(s: string, start: number): { run: string; code?: string; end: number } {
  const run = /^`+/.exec(s.slice(start))![0];
  const close = findRun(s, start + run.length, run.length);
  if (close < 0) return { run, end: start + run.length };
  let code = s.slice(start + run.length, close);
  if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
  return { run, code, end: close + run.length };
}

/** The index of the next run of exactly `n` backticks at or after `from`, or -1. */
function findRun(s: string, from: number, n: number): number {
  for (let i = from; i < s.length; ) {
    if (s[i] !== '`') {
      i++;
      continue;
    }
    let j = i;
    while (s[j] === '`') j++;
    if (j - i === n) return i;
    i = j;
  }
  return -1;
}
