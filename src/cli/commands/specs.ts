// `specgate specs`: lists every spec in the repository with its counts and scope.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { UsageError, type Spec, type SpecProblem } from '../../core/model';
import { noScopeProblem } from '../../core/rules/spec';
import { compileScope } from '../../core/scope';
import { plainMessage } from '../../core/render/plainTitle';
import { safePath, safeText, someOf } from '../../core/render/text';
import { shownGlob } from '../../core/spec/paths';
import { listingIgnore } from '../../node/engine';
import { Git } from '../../node/git';
import { discoverSpecsAndNearMisses, loadSpecs, nearMissText } from '../../node/specs';
import type { NearMissSpec } from '../../core/spec/detect';

export interface SpecSummary {
  id: string;
  format: Spec['format'];
  name: string;
  files: string[];
  requirements: number;
  criteria: number;
  tasks: number;
  tasksDone: number;
  scope: Spec['scope'];
  problems: number;
}

export function summarise(spec: Spec): SpecSummary {
  return {
    id: spec.id,
    format: spec.format,
    name: spec.name,
    files: spec.files,
    requirements: spec.requirements.length,
    criteria: spec.requirements.reduce((n, r) => n + r.criteria.length, 0),
    tasks: spec.tasks.length,
    tasksDone: spec.tasks.filter((t) => t.state === 'done').length,
    scope: spec.scope,
    problems: specProblems(spec).length,
  };
}

/** The repository root for `cwd`: the nearest folder upwards holding `.git`, else `cwd`. */
export async function findRepoRoot(cwd: string): Promise<string> {
  const start = path.resolve(cwd);
  const st = await stat(start).catch(() => null);
  if (!st) throw new UsageError(`folder not found: ${cwd} (pass --cwd with an existing folder)`);
  if (!st.isDirectory()) throw new UsageError(`not a folder: ${cwd} (pass --cwd with a folder)`);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (await stat(path.join(dir, '.git')).then(() => true, () => false)) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** The specs ignoreSpecs leaves out, in one line: `ignored (ignoreSpecs): a, b and 3 more`. */
function ignoredLine(ids: readonly string[]): string {
  return `ignored (ignoreSpecs in .specgate/config.yml; by default test data): ${someOf(ids, 3, safePath)}\n`;
}

/** The spec's problems as `check` reports them (SG401), the spec-wide ones included: no scope declared. */
function specProblems(spec: Spec): SpecProblem[] {
  return compileScope(spec).empty ? [...spec.problems, noScopeProblem(spec)] : spec.problems;
}

/** Said when the working tree's ignoreSpecs differs from HEAD's (the change edits it). */
const EDITED_LIST = "ignoreSpecs in .specgate/config.yml differs from HEAD's: until the edit is committed, a file is left out only if both lists leave it out\n";

function text(specs: readonly Spec[], root: string, near: readonly NearMissSpec[], ignored: readonly string[], edited: boolean): string {
  const left = (ignored.length > 0 ? ignoredLine(ignored) : '') + (edited ? EDITED_LIST : '');
  if (specs.length === 0) {
    const hints = near.length > 0 ? `${nearMissText(near)}.\n` : '';
    return `no specs found in ${safePath(root)}\nSpecGate reads .kiro/specs/<name>/, specs/NNN-name/, .specify/specs/…, openspec/changes/<id>/ and markdown files with scope: front matter.\n${hints}${left}`;
  }
  const out: string[] = [];
  for (const spec of specs) {
    const s = summarise(spec);
    out.push(`${safePath(s.id)}  (${s.format})`);
    out.push(`  files: ${s.files.length}  requirements: ${s.requirements} (${s.criteria} ${s.criteria === 1 ? 'criterion' : 'criteria'})  tasks: ${s.tasksDone}/${s.tasks} done`);
    out.push(`  scope: ${s.scope.include.length} include, ${s.scope.exclude.length} exclude, ${s.scope.protected.length} protected`);
    for (const g of s.scope.include.slice(0, 8)) out.push(`    + ${safeText(shownGlob(g))}`);
    if (s.scope.include.length > 8) out.push(`    + … ${s.scope.include.length - 8} more`);
    for (const g of s.scope.exclude) out.push(`    - ${safeText(shownGlob(g))}`);
    for (const g of s.scope.protected) out.push(`    ! ${safeText(shownGlob(g))}`);
    const problems = specProblems(spec);
    if (problems.length) {
      out.push(`  problems: ${problems.length}`);
      for (const p of problems.slice(0, 10)) out.push(`    ${safePath(p.file)}${p.line ? `:${p.line}` : ''}  ${safeText(plainMessage(p.message))}`);
      if (problems.length > 10) out.push(`    … ${problems.length - 10} more`);
    }
    out.push('');
  }
  // Beside the specs read, a folder laid out almost as one is not read: said, not left silent.
  for (const n of near) out.push(`not read: ${safePath(n.folder)} looks like a spec, but ${safeText(n.hint)}`);
  if (near.length > 0) out.push('');
  return out.join('\n') + left;
}

/**
 * The work tree's top folder as git sees it (so GIT_DIR and GIT_WORK_TREE count, as for the
 * other commands); outside any repository, or without git, the folder findRepoRoot finds.
 */
async function specsRoot(cwd: string): Promise<{ root: string; git?: Git }> {
  try {
    const git = await Git.open(cwd);
    return { root: git.root, git };
  } catch (err) {
    if (err instanceof UsageError && /^(?:not a git repository|git was not found)/.test(err.message)) return { root: await findRepoRoot(cwd) };
    throw err;
  }
}

export async function runSpecs(o: { cwd: string; json: boolean }): Promise<number> {
  const { root, git } = await specsRoot(o.cwd);
  // A config that does not parse stops here as it stops check: one line naming the key. While
  // its ignoreSpecs is edited and not committed, a file is left out only if HEAD's list leaves
  // it out too, as check does.
  const listing = listingIgnore(root, git);
  const found = await discoverSpecsAndNearMisses(root, { useGit: true, ignore: listing.then((l) => l.ignore), listIgnored: !o.json });
  const specs = await loadSpecs(root, found.candidates);
  const edited = (await listing).edited;
  process.stdout.write(o.json ? `${JSON.stringify(specs.map(summarise), null, 2)}\n` : text(specs, root, found.nearMisses, (found.ignored ?? []).map((c) => c.id), edited));
  return 0;
}
