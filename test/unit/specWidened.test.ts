// A change that widens the scope it is judged by: a file in scope only by the change's own
// edit to the spec is reported (SG101 warning when the base spec did not cover it, SG102
// error when the base spec's non-goal did and the change took the non-goal away), in the
// working tree, staged and with --base. A new spec, or a change that leaves the spec alone,
// reports nothing of the kind. Real repositories.
import { strict as assert } from 'node:assert';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const spec = (scope: string[], nonGoals: string[] = []) =>
  `---\nscope:\n${scope.map((g) => `  - "${g}"\n`).join('')}${nonGoals.length ? `out_of_scope:\n${nonGoals.map((g) => `  - "${g}"\n`).join('')}` : ''}---\n# Feature\n\n## Tasks\n- [ ] 1. Do it in \`src/a.ts\`\n`;

describe('a change that widens its own spec', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({
      'docs/spec.md': spec(['src/**'], ['src/legacy/**']),
      'src/a.ts': 'export const a = 1;\n',
      'src/legacy/old.ts': 'export const old = 1;\n',
      'billing/tax.ts': 'export const rate = 0.2;\n',
    });
  });
  afterEach(() => repo.cleanup());

  const widening = async (o: { staged?: boolean; base?: string } = {}) => {
    const r = (await analyzeRepository({ cwd: repo.root, useCache: false, ...o })).report;
    return {
      findings: r.findings.filter((f) => f.rule === 'SG101' || f.rule === 'SG102').map((f) => `${f.severity} ${f.rule} ${f.path}:${f.startLine} ${f.message}`),
      classes: Object.fromEntries(r.changes.map((c) => [c.path, c.classification])),
      risk: r.summary.risk,
    };
  };

  it('reports a file in scope only by a glob the change added, and one a removed non-goal covered', async () => {
    await repo.write('docs/spec.md', spec(['src/**', 'billing/**']));
    await repo.write('billing/tax.ts', 'export const rate = 0.0;\n');
    await repo.write('src/legacy/old.ts', 'export const old = 2;\n');
    await repo.write('src/a.ts', 'export const a = 2;\n');
    const expected = {
      findings: [
        "error SG102 src/legacy/old.ts:1 Change in scope only by this change's edit to spec `docs/spec.md`: at the base, its non-goal `src/legacy/**` covers this file.",
        "warning SG101 billing/tax.ts:1 Change in scope only by this change's edit to spec `docs/spec.md`: at the base, no scope glob or task path covers this file.",
      ],
      classes: { 'billing/tax.ts': 'in-scope', 'docs/spec.md': 'spec', 'src/a.ts': 'in-scope', 'src/legacy/old.ts': 'in-scope' },
      risk: 'high',
    };
    assert.deepEqual(await widening(), expected);
    await repo.git('add', '-A');
    assert.deepEqual(await widening({ staged: true }), expected);
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.commit('feature');
    assert.deepEqual(await widening({ base: 'refs/heads/main' }), expected);
  });

  it('counts a path a task names in the change as widening too, and says nothing when the spec is untouched or new', async () => {
    await repo.write('docs/spec.md', spec(['src/**'], ['src/legacy/**']).replace('`src/a.ts`', '`src/a.ts` `billing/tax.ts`'));
    await repo.write('billing/tax.ts', 'export const rate = 0.0;\n');
    assert.deepEqual((await widening()).findings, [
      "warning SG101 billing/tax.ts:1 Change in scope only by this change's edit to spec `docs/spec.md`: at the base, no scope glob or task path covers this file.",
    ]);
    // The spec untouched: billing/tax.ts is plainly out of scope (an error), as before.
    await repo.git('checkout', '--', 'docs/spec.md');
    assert.deepEqual((await widening()).findings, [
      'error SG101 billing/tax.ts:1 Change outside the scope of spec `docs/spec.md`: no scope glob or task path covers this file.',
    ]);
    // A spec the change writes from nothing is read whole by the reviewer: no widening.
    await repo.write('docs/new.md', spec(['billing/**']));
    const fresh = (await analyzeRepository({ cwd: repo.root, spec: 'docs/new.md', useCache: false })).report;
    assert.deepEqual(fresh.findings.filter((f) => f.rule === 'SG101' || f.rule === 'SG102'), []);
  });
  it('a lockfile in scope through its manifest is not widened by a change that only ticks a task; it is when the change puts the manifest in scope', async () => {
    await repo.write('docs/spec.md', spec(['src/**']).replace('`src/a.ts`', '`src/a.ts`\n- [ ] 2. Add the dependency to `package.json`'));
    await repo.write('package.json', '{"name":"app","dependencies":{}}\n');
    await repo.write('package-lock.json', '{"name":"app","lockfileVersion":3,"packages":{}}\n');
    await repo.commit('dependency task');
    await repo.write('docs/spec.md', spec(['src/**']).replace('`src/a.ts`', '`src/a.ts`\n- [x] 2. Add the dependency to `package.json`'));
    await repo.write('package.json', '{"name":"app","dependencies":{"p-retry":"^6.2.0"}}\n');
    await repo.write('package-lock.json', '{"name":"app","lockfileVersion":3,"packages":{"node_modules/p-retry":{"version":"6.2.0"}}}\n');
    const ticked = await widening();
    assert.deepEqual(ticked.findings, []);
    assert.deepEqual([ticked.classes['package.json'], ticked.classes['package-lock.json']], ['in-scope', 'in-scope']);
    // The manifest named by a task the change adds: both files are in scope only by that edit.
    await repo.git('reset', '-q', '--hard', 'HEAD~1');
    await repo.write('docs/spec.md', spec(['src/**']).replace('`src/a.ts`', '`src/a.ts`\n- [x] 2. Add the dependency to `package.json`'));
    await repo.write('package.json', '{"name":"app","dependencies":{"p-retry":"^6.2.0"}}\n');
    await repo.write('package-lock.json', '{"name":"app","lockfileVersion":3,"packages":{}}\n');
    assert.deepEqual((await widening()).findings.map((f) => f.split(' ').slice(0, 3).join(' ')), ['warning SG101 package-lock.json:1', 'warning SG101 package.json:1']);
  });
});
