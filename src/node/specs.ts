// Finds and reads the specs of a repository on disk. With git (trusted workspaces) the
// file list is `git ls-files` (tracked + untracked, ignored files left out); without it
// (untrusted workspaces) a walk that skips vendored and build folders. Plain-spec
// detection reads only the head of markdown files. Bad files become spec problems.
// `discoverStagedSpecs` finds and reads them as the index holds them instead (`--staged`).
// Nothing in SpecGate's record folders (`.specgate/approvals/`, `.specgate/reviews/`) is read:
// a spec there is never wanted (a bundle holds a copy of the spec it reviewed), records or not.
import { execFile } from 'node:child_process';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spec, SpecProblem } from '../core/model';
import { isRecordPath } from '../core/records';
import { detectSpecs, type SpecCandidate } from '../core/spec/detect';
import { frontMatterDeclaresScope } from '../core/spec/frontmatter';
import { MAX_SPEC_FILE_BYTES, parseSpec, SPEC_TEXT_FILE } from '../core/spec/parse';
import type { Git } from './git';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', 'dist', 'out', 'build', 'target', 'third_party']);
const DOT_DIRS_READ = new Set(['.kiro', '.specify', '.specgate']);
const MAX_WALK_FILES = 200_000;
const HEAD_BYTES = 4096;
/**
 * Only what spec detection can use: the layouts' folders and markdown anywhere (git filters,
 * not us). Plain pathspecs, not `:(glob)`: a folder prefix and a single leading `*` (which
 * crosses `/` here) are git's fast cases; `**` globs took it twice as long on 20,000 files.
 */
const SPEC_PATHSPECS = [':(top).kiro/specs/', ':(top)specs/', ':(top).specify/specs/', ':(top)openspec/changes/', ':(top,icase)*.md', ':(top,icase)*.markdown'];

export async function discoverSpecs(repoRoot: string, opts: { useGit?: boolean } = {}): Promise<SpecCandidate[]> {
  let paths: string[] | null = null;
  if (opts.useGit !== false) paths = await gitFiles(repoRoot);
  paths ??= await walk(repoRoot);
  paths = [...new Set(paths)].filter(readable).sort();
  const layoutOnly = detectSpecs(paths);
  const inLayout = (p: string): boolean => layoutOnly.some((c) => p.startsWith(`${c.id}/`));
  const heads = new Map<string, string>();
  const markdown = paths.filter((p) => /\.(?:md|markdown)$/i.test(p) && !inLayout(p));
  await pool(markdown, 16, async (p) => {
    const head = await readHead(path.join(repoRoot, p));
    if (head !== null) heads.set(p, head);
  });
  const found = detectSpecs(paths, (p) => frontMatterDeclaresScope(heads.get(p) ?? ''));
  const withFiles = await Promise.all(found.map(async (c) => ({ ...c, files: await existing(repoRoot, c.files) })));
  return withFiles.filter((c) => c.files.length > 0);
}

/** Where spec detection never looks: vendored folders and SpecGate's record folders. */
function readable(p: string): boolean {
  return !isRecordPath(p) && !p.split('/').some((seg) => seg === 'node_modules' || seg === 'vendor' || seg === 'third_party');
}

/** A spec file as the index holds it: its blob id, size, and bytes unless over the 2 MB limit. */
export interface IndexedSpecFile {
  blob: string;
  size: number;
  content: Buffer | null;
}

/** The specs as a commit would take them, and every one of their files' index entries. */
export interface StagedSpecs {
  candidates: SpecCandidate[];
  files: Map<string, IndexedSpecFile>;
}

/**
 * Finds the specs in the index (what a commit would take): its file list, and the texts of
 * its blobs, read by id through one `git cat-file --batch`. A spec file staged as deleted,
 * or untracked and not staged, is not part of any spec here; only regular files count (a
 * symbolic link's blob is its target's name) and only merged entries (stage 0).
 */
export async function discoverStagedSpecs(git: Git): Promise<StagedSpecs> {
  const listed = await git.run(['ls-files', '-s', '-z', '--', ...SPEC_PATHSPECS]);
  const blobOf = new Map<string, string>();
  for (const rec of listed.split('\0')) {
    const m = /^(100644|100755) ([0-9a-f]{40,64}) 0\t(.+)$/s.exec(rec);
    if (m && readable(m[3]!)) blobOf.set(m[3]!, m[2]!);
  }
  const paths = [...blobOf.keys()].sort();
  const layoutOnly = detectSpecs(paths);
  const inLayout = (p: string): boolean => layoutOnly.some((c) => p.startsWith(`${c.id}/`));
  const layoutBlobs = new Set<string>();
  const markdownBlobs = new Set<string>();
  for (const p of paths) {
    if (inLayout(p)) layoutBlobs.add(blobOf.get(p)!);
    else if (/\.(?:md|markdown)$/i.test(p)) markdownBlobs.add(blobOf.get(p)!);
  }
  // Layout files are kept; other markdown only when its front matter declares scope.
  const contents = new Map<string, { size: number; content: Buffer | null }>();
  const scoped = new Set<string>();
  await git.readBlobs(
    [...new Set([...layoutBlobs, ...markdownBlobs])],
    (id, type, content, size) => {
      if (type !== 'blob') return;
      const head = content?.subarray(0, HEAD_BYTES);
      const declares = head !== undefined && !head.includes(0) && frontMatterDeclaresScope(head.toString('utf8'));
      if (declares) scoped.add(id);
      if (layoutBlobs.has(id) || declares) contents.set(id, { size, content });
    },
    MAX_SPEC_FILE_BYTES,
  );
  const candidates = detectSpecs(paths, (p) => scoped.has(blobOf.get(p)!));
  const files = new Map<string, IndexedSpecFile>();
  for (const c of candidates) {
    for (const f of c.files) {
      const blob = blobOf.get(f)!;
      files.set(f, { blob, size: contents.get(blob)?.size ?? 0, content: contents.get(blob)?.content ?? null });
    }
  }
  return { candidates, files };
}

/**
 * Reads and parses each candidate's text files. `read` gives a file's text (default: the
 * working tree under `repoRoot`); `stagedReader` reads them from a `discoverStagedSpecs` result.
 */
export async function loadSpecs(
  repoRoot: string,
  candidates: readonly SpecCandidate[],
  read: (file: string) => Promise<string | { problem: string }> = (file) => readSpecFile(path.join(repoRoot, file)),
): Promise<Spec[]> {
  return Promise.all(
    candidates.map(async (c) => {
      const problems: SpecProblem[] = [];
      const texts: { path: string; text: string }[] = [];
      for (const file of c.files) {
        if (!SPEC_TEXT_FILE.test(`/${file}`)) continue;
        const r = await read(file);
        if (typeof r === 'string') texts.push({ path: file, text: r });
        else problems.push({ file, line: 1, message: `${file}: ${r.problem}` });
      }
      const spec = parseSpec(c, texts);
      spec.problems.unshift(...problems);
      return spec;
    }),
  );
}

/** A reader for `loadSpecs` that takes each file's text from the index, as found. */
export function stagedReader(staged: StagedSpecs): (file: string) => Promise<string | { problem: string }> {
  return async (file) => {
    const f = staged.files.get(file);
    if (!f) return { problem: 'not in the index; not read' };
    if (f.content === null && f.size > MAX_SPEC_FILE_BYTES) return { problem: `${(f.size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit for spec files; not read` };
    if (f.content === null) return { problem: 'its blob cannot be read from the index; not read' };
    return specText(f.content);
  };
}

/** A spec file's bytes as text, or why they are not read (binary). */
function specText(buf: Buffer): string | { problem: string } {
  return buf.subarray(0, 8192).includes(0) ? { problem: 'binary file; not read' } : buf.toString('utf8');
}

/** The text of a spec file, or why it was not read (too large, binary, unreadable). */
export async function readSpecFile(abs: string): Promise<string | { problem: string }> {
  try {
    const st = await stat(abs);
    if (!st.isFile()) return { problem: 'not a regular file; not read' };
    if (st.size > MAX_SPEC_FILE_BYTES) return { problem: `${(st.size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit for spec files; not read` };
    return specText(await readFile(abs));
  } catch (err) {
    return { problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); not read` };
  }
}

function gitFiles(root: string): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', 'ls-files', '-z', '-co', '--exclude-standard', '--', ...SPEC_PATHSPECS],
      { cwd: root, maxBuffer: 512 * 1024 * 1024, env: pathspecEnv() },
      (err, stdout) => resolve(err ? null : stdout.split('\0').filter((p) => p !== '')),
    );
  });
}

/** The caller's environment without what would change how git reads our pathspecs. */
function pathspecEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };
  for (const k of ['GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS']) delete env[k];
  return env;
}

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [''];
  while (queue.length && out.length < MAX_WALK_FILES) {
    const rel = queue.shift()!;
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (e.name.startsWith('.') && !DOT_DIRS_READ.has(e.name)) || isRecordPath(`${p}/`)) continue;
        queue.push(p);
      } else if (e.isFile()) out.push(p);
    }
  }
  return out;
}

async function readHead(abs: string): Promise<string | null> {
  let fh;
  try {
    if (!(await stat(abs)).isFile()) return null;
    fh = await open(abs, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    return head.includes(0) ? null : head.toString('utf8');
  } catch {
    return null;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

async function existing(root: string, files: readonly string[]): Promise<string[]> {
  const keep = await Promise.all(files.map((f) => stat(path.join(root, f)).then((s) => s.isFile(), () => false)));
  return files.filter((_, i) => keep[i]);
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
