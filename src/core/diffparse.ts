// Pure parsers of git's machine output: `diff --raw -z`, `--numstat -z`, and `-U0` patches
// (one section per file pair), plus the pairing of raw records with patch sections.
import type { Hunk } from './model';

/** One `git diff --raw -z --no-abbrev` record. */
export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  /** Git's status letter: A C D M R T U X. */
  status: string;
  /** Similarity score of R/C records (R100 → 100). */
  score?: number;
  /** The new path (for D, the deleted path). */
  path: string;
  /** The source path of R/C records. */
  oldPath?: string;
}

/** One `git diff --numstat -z` record; binary files have null counts (`-\t-`). */
export interface NumstatEntry {
  added: number | null;
  removed: number | null;
  binary: boolean;
  path: string;
  oldPath?: string;
}

/** One `diff --git` section of a patch. */
export interface PatchSection {
  /** The `diff --git …` line, without the newline. */
  header: string;
  /** Extended header lines (`new file mode …`, `rename from …`, `index …`, `---`, `+++`). */
  extended: string[];
  hunks: Hunk[];
  added: number;
  removed: number;
  /** True when a changed line holds a NUL byte (binary content diffed as text). */
  hasNul: boolean;
  /** True when git printed `Binary files … differ` instead of hunks. */
  binary: boolean;
}

const NULL_BLOB = /^0+$/;

/** True for git's all-zero object id ("not known / not present"). */
export function isNullId(id: string | undefined): boolean {
  return id === undefined || NULL_BLOB.test(id);
}

/**
 * Parses raw records from `text` starting at `start`; stops at the first character that
 * does not begin a record. Returns the records and where parsing stopped.
 */
export function parseRawZ(text: string, start = 0): { entries: RawEntry[]; end: number } {
  const entries: RawEntry[] = [];
  let pos = start;
  while (pos < text.length && text.charCodeAt(pos) === 58 /* : */) {
    const metaEnd = text.indexOf('\0', pos);
    if (metaEnd === -1) throw new Error('git diff --raw: truncated record');
    const meta = text.slice(pos + 1, metaEnd).split(' ');
    if (meta.length < 5) throw new Error(`git diff --raw: bad record '${text.slice(pos, metaEnd)}'`);
    const [oldMode, newMode, oldBlob, newBlob, statusField] = meta as [string, string, string, string, string];
    const status = statusField.charAt(0);
    const scoreText = statusField.slice(1);
    pos = metaEnd + 1;
    const readName = (): string => {
      const end = text.indexOf('\0', pos);
      if (end === -1) throw new Error('git diff --raw: truncated path');
      const name = text.slice(pos, end);
      pos = end + 1;
      return name;
    };
    const first = readName();
    const entry: RawEntry = { oldMode, newMode, oldBlob, newBlob, status, path: first };
    if (status === 'R' || status === 'C') {
      entry.oldPath = first;
      entry.path = readName();
    }
    if (scoreText !== '') entry.score = Number(scoreText);
    entries.push(entry);
  }
  return { entries, end: pos };
}

/** Parses `git diff --numstat -z` output. */
export function parseNumstatZ(text: string): NumstatEntry[] {
  const out: NumstatEntry[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (text.charCodeAt(pos) === 0) {
      pos++;
      continue;
    }
    const t1 = text.indexOf('\t', pos);
    const t2 = t1 === -1 ? -1 : text.indexOf('\t', t1 + 1);
    if (t2 === -1) throw new Error('git diff --numstat: bad record');
    const a = text.slice(pos, t1);
    const r = text.slice(t1 + 1, t2);
    const binary = a === '-' && r === '-';
    const entry: NumstatEntry = {
      added: binary ? null : Number(a),
      removed: binary ? null : Number(r),
      binary,
      path: '',
    };
    pos = t2 + 1;
    const readName = (): string => {
      let end = text.indexOf('\0', pos);
      if (end === -1) end = text.length;
      const name = text.slice(pos, end);
      pos = end + 1;
      return name;
    };
    if (text.charCodeAt(pos) === 0) {
      pos++;
      entry.oldPath = readName();
      entry.path = readName();
    } else {
      entry.path = readName();
    }
    out.push(entry);
  }
  return out;
}

const C_ESCAPES: Record<string, string> = { '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '"': '"', '\\': '\\' };

/** Quotes a path the way git writes it in patch headers (core.quotepath=off). */
export function quoteGitPath(name: string): string {
  if (!/[\x00-\x1f"\\\x7f]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const esc = C_ESCAPES[ch];
    if (esc !== undefined) out += `\\${esc}`;
    else if (ch < ' ' || ch === '\x7f') out += `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The `diff --git` line git writes for a pair of paths. */
export function gitDiffHeader(oldPath: string, newPath: string): string {
  return `diff --git ${quoteGitPath(`a/${oldPath}`)} ${quoteGitPath(`b/${newPath}`)}`;
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Splits a `-U0` (or any) patch into its `diff --git` sections with exact hunk ranges. */
export function parsePatch(text: string, start = 0): PatchSection[] {
  const sections: PatchSection[] = [];
  let pos = start;
  let cur: PatchSection | null = null;
  const nextLine = (): string | null => {
    if (pos >= text.length) return null;
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    return line;
  };
  let line: string | null;
  while ((line = nextLine()) !== null) {
    if (line.startsWith('diff --git ')) {
      cur = { header: line, extended: [], hunks: [], added: 0, removed: 0, hasNul: false, binary: false };
      sections.push(cur);
      continue;
    }
    if (cur === null) continue; // `* Unmerged path …` and other notes between sections
    const m = line.startsWith('@@ ') ? HUNK_RE.exec(line) : null;
    if (m === null) {
      if (cur.hunks.length === 0) {
        cur.extended.push(line);
        if (line.startsWith('Binary files ') && line.endsWith(' differ')) cur.binary = true;
      }
      continue;
    }
    const hunk: Hunk = {
      oldStart: Number(m[1]),
      oldLines: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newLines: m[4] === undefined ? 1 : Number(m[4]),
    };
    cur.hunks.push(hunk);
    cur.removed += hunk.oldLines;
    cur.added += hunk.newLines;
    let remaining = hunk.oldLines + hunk.newLines;
    while (remaining > 0) {
      const body = nextLine();
      if (body === null) throw new Error('git diff: truncated hunk');
      if (body.startsWith('\\')) continue;
      if (body.includes('\0')) cur.hasNul = true;
      remaining--;
    }
    while (text.startsWith('\\', pos)) nextLine();
  }
  return sections;
}

/**
 * Splits combined `git diff --raw -p -z` output into raw records and patch sections, and
 * pairs them: section(s) for each record, in git's order. A type change (T) comes as two
 * sections (deletion then creation); an unmerged record (U) may have none.
 */
export function parseRawWithPatch(text: string): { entry: RawEntry; sections: PatchSection[] }[] {
  const { entries, end } = parseRawZ(text, 0);
  let pos = end;
  while (pos < text.length && text.charCodeAt(pos) === 0) pos++;
  const sections = parsePatch(text, pos);
  const out: { entry: RawEntry; sections: PatchSection[] }[] = [];
  let s = 0;
  for (const entry of entries) {
    const expected = gitDiffHeader(entry.oldPath ?? entry.path, entry.path);
    const mine: PatchSection[] = [];
    const wanted = entry.status === 'T' ? 2 : 1;
    while (mine.length < wanted && s < sections.length && sections[s]!.header === expected) mine.push(sections[s++]!);
    if (mine.length === 0 && entry.status !== 'U') {
      throw new Error(`git diff: no patch section for '${entry.path}' (expected '${expected}', got '${sections[s]?.header ?? 'end'}')`);
    }
    out.push({ entry, sections: mine });
  }
  if (s !== sections.length) throw new Error(`git diff: ${sections.length - s} patch section(s) without a raw record`);
  return out;
}
