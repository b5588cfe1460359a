// Finds and reads the specs of a repository on disk. With git (trusted workspaces) the
// file list is `git ls-files` (tracked + untracked, ignored files left out); without it
// (untrusted workspaces) a walk that skips vendored and build folders. Plain-spec
// detection reads only the head of markdown files. Bad files become spec problems.
// SpecGate's own records (`.specgate/approvals/`, `.specgate/reviews/`) are never read.
import { execFile } from 'node:child_process';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Spec, SpecProblem } from '../core/model';
import { isRecordPath } from '../core/records';
import { detectSpecs, type SpecCandidate } from '../core/spec/detect';
import { frontMatterDeclaresScope } from '../core/spec/frontmatter';
import { MAX_SPEC_FILE_BYTES, parseSpec, SPEC_TEXT_FILE } from '../core/spec/parse';

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

/** Where spec detection never looks: vendored folders and SpecGate's own records. */
function readable(p: string): boolean {
  return !isRecordPath(p) && !p.split('/').some((seg) => seg === 'node_modules' || seg === 'vendor' || seg === 'third_party');
}

export async function loadSpecs(repoRoot: string, candidates: readonly SpecCandidate[]): Promise<Spec[]> {
  return Promise.all(
    candidates.map(async (c) => {
      const problems: SpecProblem[] = [];
      const texts: { path: string; text: string }[] = [];
      for (const file of c.files) {
        if (!SPEC_TEXT_FILE.test(`/${file}`)) continue;
        const r = await readSpecFile(path.join(repoRoot, file));
        if (typeof r === 'string') texts.push({ path: file, text: r });
        else problems.push({ file, line: 1, message: `${file}: ${r.problem}` });
      }
      const spec = parseSpec(c, texts);
      spec.problems.unshift(...problems);
      return spec;
    }),
  );
}

/** The text of a spec file, or why it was not read (too large, binary, unreadable). */
export async function readSpecFile(abs: string): Promise<string | { problem: string }> {
  try {
    const st = await stat(abs);
    if (!st.isFile()) return { problem: 'not a regular file; not read' };
    if (st.size > MAX_SPEC_FILE_BYTES) return { problem: `${(st.size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit for spec files; not read` };
    const buf = await readFile(abs);
    if (buf.subarray(0, 8192).includes(0)) return { problem: 'binary file; not read' };
    return buf.toString('utf8');
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
