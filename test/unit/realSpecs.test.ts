// The spec model against the hand-counted labels of the 15 real spec folders in
// ../shared/fixtures/real-specs (MANIFEST.json; labeling rules in its README.md).
// The folders are not laid out as in a repository, so each is parsed through a candidate
// built from the manifest's `source_path` (the folder's place in its source repository).
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Spec, SpecFormat } from '../../src/core/model';
import { parseSpecDetailed } from '../../src/core/spec/parse';
import type { SpecDetails } from '../../src/core/spec/context';
import { isNonRepoPath } from '../../src/core/spec/paths';
import { parseMarkdownUncached } from '../../src/core/spec/markdown';
import { remarkStructure } from './remarkStructure';

const ROOT = path.resolve(__dirname, '../../../shared/fixtures/real-specs');
/** The spec problem of a task id written twice: the id, and the `L<line>` id the later task is checked as. */
const DUPLICATE_ID = /^task id (\S+) is used (?:twice|\d+ times) \(lines [^)]*\): the task at line \d+ is checked as task (L\d+);/;
/** The problem for absolute paths of the author's machine (not labelled in MANIFEST.json; counted by hand here). */
const ABSOLUTE = /^this (?:line names an absolute path|file names (\d+) absolute paths, the first here) \(/;
/** Fixtures whose spec files name absolute paths: file → how many (counted by hand with grep). */
const ABSOLUTE_IN: Record<string, Record<string, number>> = {
  'speckit/GaZmagik__claude-memory-plugin__002-v1.1.0-enhancements': { 'tasks.md': 100 },
  'openspec/21st-dev__1code__add-automatic-continuity-caching': { 'proposal.md': 5 },
};
const MANIFEST = path.join(ROOT, 'MANIFEST.json');

interface Entry {
  id: string;
  format: 'kiro' | 'spec-kit' | 'openspec';
  source_path: string;
  labels: Record<string, any>;
  uncertain_labels: string[];
}

function walk(dir: string, base = ''): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n), `${base}${n}/`) : [`${base}${n}`]));
}

function load(e: Entry): { spec: Spec; details: SpecDetails } {
  const format: SpecFormat = e.format === 'spec-kit' ? 'speckit' : e.format;
  const dir = path.join(ROOT, e.id);
  const files = walk(dir).map((rel) => ({ path: `${e.source_path}/${rel}`, text: readFileSync(path.join(dir, rel), 'utf8') }));
  const name = e.source_path.slice(e.source_path.lastIndexOf('/') + 1);
  return parseSpecDetailed({ id: e.source_path, format, name, files: files.map((f) => f.path) }, files);
}

const numeric = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? -1) !== (pb[i] ?? -1)) return (pa[i] ?? -1) - (pb[i] ?? -1);
  return 0;
};
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const countBy = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
};

const entries: Entry[] = existsSync(MANIFEST) ? JSON.parse(readFileSync(MANIFEST, 'utf8')) : [];

describe('real specs: the model equals the hand-counted labels', function () {
  before(function () {
    if (!existsSync(MANIFEST)) {
      console.warn(`  skipped: ${MANIFEST} is absent (the shared real-spec fixtures are not checked out here)`);
      this.skip();
    }
  });

  it('covers all 15 labelled folders', () => {
    assert.equal(entries.length, 15);
  });

  it('reads the same headings and fenced lines as remark-parse, a second CommonMark parser, in every file', () => {
    for (const e of entries) {
      for (const rel of walk(path.join(ROOT, e.id)).filter((f) => f.endsWith('.md'))) {
        const text = readFileSync(path.join(ROOT, e.id, rel), 'utf8');
        const ours = parseMarkdownUncached(text);
        const remark = remarkStructure(text);
        assert.deepEqual([ours.headings, ours.fenced], [remark.headings, remark.fenced], `${e.id}/${rel}`);
      }
    }
  });

  for (const e of entries) {
    describe(e.id, () => {
      let spec: Spec;
      let details: SpecDetails;
      before(() => ({ spec, details } = load(e)));

      it('parses without spec problems (but the repeated task ids labelled, and absolute paths named)', () => {
        assert.deepEqual(spec.problems.filter((p) => !DUPLICATE_ID.test(p.message) && !ABSOLUTE.test(p.message)), []);
        const absolute = spec.problems.filter((p) => ABSOLUTE.test(p.message)).map((p) => [p.file.slice(p.file.lastIndexOf('/') + 1), Number(ABSOLUTE.exec(p.message)![1] ?? 1)]);
        assert.deepEqual(Object.fromEntries(absolute), ABSOLUTE_IN[e.id] ?? {});
        const repeated = spec.problems.map((p) => DUPLICATE_ID.exec(p.message)?.[1]).filter((id) => id !== undefined);
        assert.deepEqual(sorted(repeated).sort(numeric), e.labels.duplicate_task_ids ?? []);
      });

      if (e.format === 'kiro') kiroLabels(e, () => spec, () => details);
      else if (e.format === 'spec-kit') speckitLabels(e, () => spec, () => details);
      else openspecLabels(e, () => spec, () => details);

      if (e.id === 'kiro/brendangeck__kiro-learn__mcp-agent-config-fix') {
        it("reads no exclude from the bugfix's Unchanged Behavior clauses (they name the code under repair)", () => {
          assert.deepEqual(spec.scope.exclude, []);
          assert.ok(spec.scope.include.includes('src/installer/index.ts'));
        });
      }

      it('keeps a file and line range on every requirement, criterion and task', () => {
        const ranges = [
          ...spec.requirements.map((r) => r.range),
          ...spec.requirements.flatMap((r) => r.criteria.map((c) => c.range)),
          ...spec.tasks.map((t) => t.range),
        ];
        for (const r of ranges) {
          assert.ok(spec.files.includes(r.file), `${r.file} is a spec file`);
          assert.ok(r.startLine >= 1 && r.endLine >= r.startLine, `${r.file}:${r.startLine}-${r.endLine}`);
        }
      });
    });
  }
});

function kiroLabels(e: Entry, spec: () => Spec, details: () => SpecDetails): void {
  const L = e.labels;
  const reqs = (): Spec['requirements'] => spec().requirements.filter((r) => r.kind === 'requirement');
  it(`has ${L.requirements_count} requirements in document order`, () => {
    assert.equal(reqs().length, L.requirements_count);
    if (L.requirement_ids_in_document_order) assert.deepEqual(reqs().map((r) => r.id), L.requirement_ids_in_document_order);
  });
  it(`has ${L.acceptance_criteria_total} acceptance criteria, per requirement as labelled`, () => {
    assert.equal(reqs().reduce((n, r) => n + r.criteria.length, 0), L.acceptance_criteria_total);
    if (L.acceptance_criteria_per_requirement) {
      assert.deepEqual(Object.fromEntries(reqs().map((r) => [r.id, r.criteria.length])), L.acceptance_criteria_per_requirement);
    }
  });
  if (L.bugfix_clauses) {
    // The label counts only `### Requirement N` headings (0 here) and the bugfix.md clauses
    // apart. The model keeps each bugfix.md section as a requirement of kind `bugfix` whose
    // `N.M` clauses are its criteria, so that `_Requirements: 1.1` in tasks.md resolves;
    // the `requirement` kind above still counts 0, and the clauses match the label here.
    it('reads bugfix.md sections as requirements whose N.M clauses are the criteria', () => {
      const bugfix = spec().requirements.filter((r) => r.kind === 'bugfix');
      assert.deepEqual(Object.fromEntries(bugfix.map((r) => [r.title, r.criteria.length])), L.bugfix_clauses);
      assert.equal(bugfix.reduce((n, r) => n + r.criteria.length, 0), L.bugfix_clauses_total);
    });
  }
  if (L.config_kiro) {
    it('reads .config.kiro', () => assert.deepEqual(details().config, L.config_kiro));
  }
  it(`has ${L.tasks_total} tasks with the labelled states`, () => {
    const t = spec().tasks;
    assert.equal(t.length, L.tasks_total);
    assert.equal(t.filter((x) => x.mark === 'x' || x.mark === 'X').length, L.tasks_checked);
    assert.equal(t.filter((x) => x.state === 'done').length, L.tasks_checked);
    assert.equal(t.filter((x) => x.mark === ' ').length, L.tasks_unchecked);
    assert.equal(t.filter((x) => x.optional).length, L.tasks_optional);
    assert.equal(t.filter((x) => x.optional && x.state === 'done').length, L.tasks_optional_checked);
    assert.equal(t.filter((x) => x.state === 'optional').length, L.tasks_optional - L.tasks_optional_checked);
    assert.equal(t.filter((x) => x.state === 'in-progress').length, L.tasks_in_progress);
    const other = countBy(t.filter((x) => !' xX-'.includes(x.mark)), (x) => x.mark);
    assert.deepEqual(other, L.tasks_other_states);
  });
  it('keeps task ids in document order, duplicates as separate tasks', () => {
    // A repeated id is checked as `L<line>`; its spec problem names the id as written.
    const written = new Map(spec().problems.flatMap((p) => {
      const m = DUPLICATE_ID.exec(p.message);
      return m ? [[m[2]!, m[1]!] as const] : [];
    }));
    const ids = spec().tasks.map((t) => written.get(t.id) ?? t.id).filter((id) => !id.startsWith('L'));
    assert.deepEqual(ids, L.task_ids_in_document_order);
    const dups = sorted(ids.filter((id, i) => ids.indexOf(id) !== i)).sort(numeric);
    assert.deepEqual(dups, L.duplicate_task_ids);
  });
  it('expands requirement refs (ranges, `all`, wrapped lines, parentheticals)', () => {
    const refs = [...new Set(spec().tasks.flatMap((t) => t.requirements))].sort(numeric);
    assert.deepEqual(refs, L.requirement_refs);
    assert.equal(details().requirementsLines, L.requirements_lines_count);
    assert.equal(spec().tasks.some((t) => t.allRequirements), L.requirement_refs_uses_all);
    assert.deepEqual(sorted(details().allTokens), L.requirement_refs_all_token_as_written ?? []);
    assert.deepEqual(details().nonstandardRefTokens, L.requirement_refs_nonstandard_tokens ?? []);
    assert.deepEqual([...details().validatesRefs].sort(numeric), L.validates_refs_extra ?? []);
  });
  it('extracts the backticked paths in tasks.md', () => {
    assert.deepEqual(sorted(details().backtickedPaths), L.backticked_paths);
    assert.deepEqual(sorted(details().backtickedPaths.filter(isNonRepoPath)), L.backticked_paths_non_repo);
  });
}

function speckitLabels(e: Entry, spec: () => Spec, details: () => SpecDetails): void {
  const L = e.labels;
  const ofKind = (k: string): Spec['requirements'] => spec().requirements.filter((r) => r.kind === k);
  it(`has ${L.functional_requirements} FR, ${L.success_criteria} SC and ${L.non_functional_requirements_extra ?? 0} NFR`, () => {
    assert.equal(ofKind('functional').length, L.functional_requirements);
    assert.deepEqual(sorted(ofKind('functional').map((r) => r.id)), L.fr_ids);
    assert.equal(ofKind('success').length, L.success_criteria);
    assert.deepEqual(sorted(ofKind('success').map((r) => r.id)), L.sc_ids);
    assert.equal(ofKind('non-functional').length, L.non_functional_requirements_extra ?? 0);
  });
  it(`has ${L.user_stories} user stories`, () => {
    assert.deepEqual(ofKind('story').map((r) => r.title), L.user_story_headings);
    assert.equal(ofKind('story').length, L.user_stories);
  });
  it(`has ${L.tasks_total} tasks, ${L.tasks_done} done, ${L.tasks_parallel_P} [P], stories as labelled`, () => {
    const t = spec().tasks;
    assert.equal(t.length, L.tasks_total);
    assert.equal(t.filter((x) => x.state === 'done').length, L.tasks_done);
    assert.deepEqual(sorted(t.filter((x) => x.state === 'done').map((x) => x.mark)), L.tasks_done_marker);
    assert.equal(t.filter((x) => x.parallel).length, L.tasks_parallel_P);
    assert.deepEqual([t[0].id, t[t.length - 1].id], L.task_ids_first_last);
    assert.deepEqual(t.map((x) => x.id).filter((id) => !/^T\d{3}$/.test(id)), L.task_ids_nonstandard);
    const byStory = countBy(t, (x) => x.story ?? '(none)');
    assert.deepEqual(Object.fromEntries(Object.entries(byStory).sort()), L.tasks_by_story_label);
    assert.equal(details().nonTaskCheckboxLines, L.non_task_checkbox_lines_in_tasks_md);
  });
  it('extracts the paths named on task lines', () => {
    let expected: string[] = L.file_paths_in_task_lines;
    if (e.id === 'speckit/11me__light-session__001-lightsession-chatgpt') {
      // Deliberate difference (uncertain_labels): `extension/src` and `extension/dist` were
      // added to the label by hand from the prose `extension/src → extension/dist`. By the
      // bare-token rule a one-slash word without an extension is not a path, and we keep
      // that rule rather than guess at arrows in prose.
      expected = expected.filter((p) => p !== 'extension/src' && p !== 'extension/dist');
    }
    assert.deepEqual(sorted(details().taskLinePaths), expected);
  });
}

function openspecLabels(e: Entry, spec: () => Spec, details: () => SpecDetails): void {
  const L = e.labels;
  it('counts requirement deltas by operation and scenarios', () => {
    const reqs = spec().requirements;
    const ops = { ADDED: 0, MODIFIED: 0, REMOVED: 0, RENAMED: 0, ...countBy(reqs.filter((r) => r.operation), (r) => r.operation!) };
    assert.deepEqual(ops, L.requirements_by_operation);
    assert.equal(reqs.reduce((n, r) => n + r.criteria.length, 0), L.scenarios_total);
    assert.equal(details().scenarios, L.scenarios_total);
  });
  it('counts per spec file', () => {
    const per: Record<string, Record<string, number>> = {};
    for (const f of spec().files.filter((p) => /\/specs\/.+\.md$/.test(p))) per[f.slice(e.source_path.length + 1)] = { scenarios: 0 };
    for (const r of spec().requirements) {
      const rel = r.range.file.slice(e.source_path.length + 1);
      per[rel][r.operation!] = (per[rel][r.operation!] ?? 0) + 1;
      per[rel].scenarios += r.criteria.length;
    }
    const order = (o: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(o).sort());
    assert.deepEqual(
      Object.fromEntries(Object.entries(per).map(([k, v]) => [k, order(v)])),
      Object.fromEntries(Object.entries(L.per_spec_file as Record<string, Record<string, number>>).map(([k, v]) => [k, order(v)])),
    );
  });
  it(`has ${L.tasks_total} tasks, ${L.tasks_done} done`, () => {
    assert.equal(spec().tasks.length, L.tasks_total);
    assert.equal(spec().tasks.filter((t) => t.state === 'done').length, L.tasks_done);
  });
  it('extracts the Impact paths of proposal.md', () => {
    assert.equal(details().impactSectionPresent, L.impact_section_present);
    let got = sorted(details().impactPaths);
    if (e.id === 'openspec/Fission-AI__OpenSpec__add-global-install-scope') {
      // Deliberate difference (uncertain_labels): `sync/removal/drift` passes the bare-token
      // rule (two slashes, lower case) and was removed from the label by hand. Our raw
      // extraction follows the rule; scope conversion drops it (no extension, no trailing
      // slash: prose words are not scope), which the next assertion checks.
      assert.ok(got.includes('sync/removal/drift'));
      assert.ok(!spec().scope.include.some((g) => g.startsWith('sync/removal/drift')));
      got = got.filter((p) => p !== 'sync/removal/drift');
    }
    assert.deepEqual(got, L.impact_paths);
  });
}
