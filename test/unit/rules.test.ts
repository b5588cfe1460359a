import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { ChangeSet, Finding, FindingKind, Report, Spec, Task } from '../../src/core/model';
import { RULES } from '../../src/core/rules/catalog';
import { RULE_IDS } from '../../src/core/model';
import { added, change, changeSet, config, deleted, hunk, joinLines, req, spec, task } from './helpers/analysisFixtures';
import { edit } from './helpers/dangerChange';

const base = () =>
  spec({
    requirements: [req('1', ['1.1'])],
    tasks: [task('1', { paths: ['src/a.ts', 'src/b.ts'], requirements: ['1.1'], state: 'in-progress', mark: '-' })],
    scope: { include: ['src/**', 'infra/**'], exclude: ['vendor/**'], protected: [] },
    scopeSources: [
      { glob: 'src/**', list: 'include', origin: 'front-matter', range: { file: '.kiro/specs/demo/design.md', startLine: 3, endLine: 3 } },
      { glob: 'vendor/**', list: 'exclude', origin: 'scope-section', range: { file: '.kiro/specs/demo/design.md', startLine: 9, endLine: 9 } },
    ],
  });

function run(cs: ChangeSet, s: Spec = base(), cfg = config()) {
  return analyze(s, cs, { config: cfg, specBlobs: {} });
}
const of = (fs: Finding[], kind: FindingKind) => fs.filter((f) => f.kind === kind);
const brief = (f: Finding) => ({ path: f.path, startLine: f.startLine, endLine: f.endLine, severity: f.severity, task: f.task });

describe('rules', () => {
  it('catalogue lists every kind once, with its DESIGN rule id', () => {
    assert.deepEqual(RULES.map((r) => [r.kind, r.id]), Object.entries(RULE_IDS));
  });

  describe('SG101 out-of-scope', () => {
    it('reports each hunk of a file outside the scope, with the new-side lines', () => {
      const r = run(changeSet([change('lib/x.ts', { hunks: [hunk(4, 2, 4, 3), hunk(20, 3, 21, 0)] })]));
      assert.deepEqual(of(r.findings, 'out-of-scope').map(brief), [
        { path: 'lib/x.ts', startLine: 4, endLine: 6, severity: 'error', task: undefined },
        { path: 'lib/x.ts', startLine: 21, endLine: 21, severity: 'error', task: undefined },
      ]);
      assert.deepEqual(r.findings[0]!.related, [{ file: '.kiro/specs/demo/design.md', line: 3, message: 'the spec declares its scope here' }]);
      assert.equal(r.findings[0]!.rule, 'SG101');
    });
    it('reports a deleted out-of-scope file on the old side and many hunks as one span', () => {
      const hunks = Array.from({ length: 30 }, (_, i) => hunk(i * 10 + 1, 1, i * 10 + 1, 1));
      const r = run(changeSet([deleted('lib/gone.ts', 12), change('lib/many.ts', { hunks })]));
      assert.deepEqual(of(r.findings, 'out-of-scope').map((f) => [f.path, f.startLine, f.endLine]), [
        ['lib/gone.ts', 1, 12],
        ['lib/many.ts', 1, 291],
      ]);
      assert.deepEqual(of(r.findings, 'out-of-scope').map((f) => f.message), [
        'Deletion outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file.',
        'Change outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file (30 hunks).',
      ]);
    });
    it('says why when the spec declares no scope, and adds a spec problem', () => {
      const r = run(changeSet([change('src/a.ts')]), spec());
      assert.equal(of(r.findings, 'out-of-scope')[0]!.message, 'Change outside the scope of spec `.kiro/specs/demo`: the spec declares no scope.');
      assert.deepEqual(of(r.findings, 'spec-problem').map((f) => [f.path, f.message]), [
        ['.kiro/specs/demo/design.md', 'Spec `.kiro/specs/demo` declares no scope (no scope globs, no paths in tasks): every change is out of scope.'],
      ]);
    });
  });

  describe('SG102 excluded-path', () => {
    it('names the non-goal glob and points at where the spec declares it', () => {
      const r = run(changeSet([added('vendor/lib.js', 5)]));
      const f = of(r.findings, 'excluded-path');
      assert.deepEqual(f.map(brief), [{ path: 'vendor/lib.js', startLine: 1, endLine: 5, severity: 'error', task: undefined }]);
      assert.equal(f[0]!.message, 'New file excluded by spec `.kiro/specs/demo`: its non-goal `vendor/**` covers this file.');
      assert.deepEqual(f[0]!.related, [{ file: '.kiro/specs/demo/design.md', line: 9, message: 'exclude glob `vendor/**`' }]);
    });
    it('says so when the non-goal covers the old path of a renamed file', () => {
      const r = run(changeSet([change('lib/lib.js', { status: 'renamed', oldPath: 'vendor/lib.js', hunks: [hunk(1, 1, 1, 1)] })]));
      assert.deepEqual(of(r.findings, 'excluded-path').map((f) => [f.path, f.message]), [
        ['lib/lib.js', 'Rename excluded by spec `.kiro/specs/demo`: its non-goal `vendor/**` covers the old path `vendor/lib.js`.'],
      ]);
    });
  });

  describe('SG201 file-deleted and SG203 large-deletion', () => {
    it('warns on every deleted file, with its old lines', () => {
      const r = run(changeSet([deleted('src/a.ts', 40)]));
      assert.deepEqual(of(r.findings, 'file-deleted').map(brief), [{ path: 'src/a.ts', startLine: 1, endLine: 40, severity: 'warning', task: '1' }]);
      assert.equal(of(r.findings, 'file-deleted')[0]!.message, 'File deleted (40 lines).');
      assert.deepEqual(of(r.findings, 'large-deletion'), []);
    });
    it('flags a file losing at least thresholds.largeDeletion net lines, at its biggest removal', () => {
      const cs = changeSet([change('src/a.ts', { hunks: [hunk(5, 10, 5, 2), hunk(50, 200, 42, 0)], oldLineCount: 600 })]);
      assert.deepEqual(of(run(cs).findings, 'large-deletion').map(brief), [{ path: 'src/a.ts', startLine: 42, endLine: 42, severity: 'warning', task: '1' }]);
      const higher = config({ thresholds: { ...config().thresholds, largeDeletion: 300 } });
      assert.deepEqual(of(run(cs, base(), higher).findings, 'large-deletion'), []);
    });
    it('makes ten or more deletions high risk', () => {
      const nine = Array.from({ length: 9 }, (_, i) => deleted(`src/d${i}.ts`, 3));
      assert.equal(run(changeSet(nine)).summary.risk, 'medium');
      assert.equal(run(changeSet([...nine, deleted('src/d9.ts', 3)])).summary.risk, 'high');
    });
    it('flags a file gutted to a stub: most of it removed, little added back, under thresholds.largeDeletion net', () => {
      const r = run(
        changeSet([
          change('src/a.ts', { hunks: [hunk(3, 188, 3, 3)], oldLineCount: 190 }),
          // Not most of it, not a file of thresholds.massRewriteMinLines lines, or a rewrite (a quarter added back): no finding.
          change('src/b.ts', { hunks: [hunk(3, 100, 3, 3)], oldLineCount: 190 }),
          change('src/c.ts', { hunks: [hunk(1, 15, 1, 1)], oldLineCount: 19 }),
          change('src/d.ts', { hunks: [hunk(1, 150, 1, 40)], oldLineCount: 190 }),
        ]),
      );
      assert.deepEqual(of(r.findings, 'large-deletion').map((f) => [f.path, f.startLine, f.severity, f.message]), [
        ['src/a.ts', 3, 'warning', 'Most of the file was removed: 99% of its 190 lines, 3 added back.'],
      ]);
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => f.path), ['src/d.ts']);
    });
    it('counts a large deleted file as a large deletion too', () => {
      const r = run(changeSet([deleted('src/big.ts', 250)]));
      assert.deepEqual(of(r.findings, 'large-deletion').map((f) => [f.startLine, f.endLine]), [[1, 250]]);
    });
  });

  describe('SG202 mass-rewrite', () => {
    it('flags most of an existing file replaced (delete and recreate)', () => {
      const r = run(changeSet([change('src/a.ts', { hunks: [hunk(1, 80, 1, 90)], oldLineCount: 100 })]));
      const f = of(r.findings, 'mass-rewrite');
      assert.deepEqual(f.map(brief), [{ path: 'src/a.ts', startLine: 1, endLine: 90, severity: 'error', task: '1' }]);
      assert.match(f[0]!.message, /80% of its 100 lines removed, 90 added/);
      assert.equal(r.summary.risk, 'critical');
    });
    it('leaves focused edits, small files and plain deletions alone', () => {
      const r = run(
        changeSet([
          change('src/a.ts', { hunks: [hunk(1, 50, 1, 52)], oldLineCount: 100 }),
          change('src/b.ts', { hunks: [hunk(1, 10, 1, 10)], oldLineCount: 10 }),
          change('src/c.ts', { hunks: [hunk(1, 90, 0, 0)], oldLineCount: 100 }),
        ]),
      );
      assert.deepEqual(of(r.findings, 'mass-rewrite'), []);
    });
    it('does not count rewriting or shrinking the spec files themselves', () => {
      const r = run(
        changeSet([
          change('.kiro/specs/demo/design.md', { hunks: [hunk(1, 300, 1, 90)], oldLineCount: 300 }),
          deleted('.kiro/specs/demo/requirements.md', 250),
        ]),
      );
      assert.deepEqual(of(r.findings, 'mass-rewrite'), []);
      assert.deepEqual(of(r.findings, 'large-deletion'), []);
      assert.deepEqual(of(r.findings, 'file-deleted').map((f) => f.path), ['.kiro/specs/demo/requirements.md']);
    });
    it('follows thresholds.massRewrite', () => {
      const cs = changeSet([change('src/a.ts', { hunks: [hunk(1, 50, 1, 52)], oldLineCount: 100 })]);
      assert.equal(of(run(cs, base(), config({ thresholds: { ...config().thresholds, massRewrite: 0.5 } })).findings, 'mass-rewrite').length, 1);
    });
    it('flags a file deleted and re-added under a new name in the same folder or another folder', () => {
      const r = run(
        changeSet([
          deleted('src/old/payment.ts', 60),
          added('src/payment.ts', 70),
          deleted('src/util.js', 40),
          added('src/util.ts', 45),
          deleted('src/tiny.js', 3),
          added('src/tiny.ts', 3),
          added('src/other/util.ts', 45),
        ]),
      );
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => [f.path, f.message]), [
        ['src/payment.ts', 'Deleted and re-created: `src/old/payment.ts` was deleted and this file written in its place.'],
        ['src/util.ts', 'Deleted and re-created: `src/util.js` was deleted and this file written in its place.'],
      ]);
    });
    it('does not take a new file for a re-created one when only the part of its name before a dot, or its name in another folder, is shared, and it is far smaller', () => {
      const r = run(
        changeSet([
          deleted('src/users/user.service.ts', 30),
          added('src/users/user.module.ts', 30),
          added('src/users/user.service.test.ts', 30),
          deleted('src/legacy/index.ts', 30),
          added('src/feature/index.ts', 1),
          deleted('src/api/client.js', 40),
          added('src/api/client.ts', 9),
        ]),
      );
      assert.deepEqual(of(r.findings, 'mass-rewrite'), []);
      // The same names with a replacement's size are re-creations.
      const again = run(changeSet([deleted('src/legacy/index.ts', 30), added('src/feature/index.ts', 8), deleted('src/api/client.js', 40), added('src/api/client.ts', 10)]));
      assert.deepEqual(of(again.findings, 'mass-rewrite').map((f) => f.path), ['src/api/client.ts', 'src/feature/index.ts']);
    });
    it('flags a module deleted and written anew under another name when the new file exports most of its names; a split, or a task asking for it, is not an error', () => {
      const names = (...n: string[]) => new Map(n.map((x, i) => [x, i + 1]));
      const gone = deleted('src/billing/client.ts', 30, { exportsRemoved: ['charge', 'refund', 'capture', 'fee', 'net'].map((name, i) => ({ name, oldLine: i + 1 })) });
      const r = run(changeSet([gone, added('src/billing/billingClient.ts', 12, { newExports: names('charge', 'refund', 'capture', 'fee', 'extra') })]));
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => [f.path, f.severity, f.message]), [
        [
          'src/billing/billingClient.ts',
          'error',
          'Deleted and re-created under a new name: `src/billing/client.ts` (30 lines) was deleted and this file written in its place, exporting 4 of its 5 names (`charge`, `refund`, `capture`, `fee`).',
        ],
      ]);
      // Split in two, each half of the names: no re-creation; nor a small file, nor one of another module's names.
      const split = run(changeSet([gone, added('src/billing/charges.ts', 12, { newExports: names('charge', 'capture', 'fee') }), added('src/billing/refunds.ts', 12, { newExports: names('refund', 'net') })]));
      assert.deepEqual(of(split.findings, 'mass-rewrite'), []);
      const small = deleted('src/billing/tiny.ts', 10, { exportsRemoved: ['a', 'b', 'c'].map((name, i) => ({ name, oldLine: i + 1 })) });
      assert.deepEqual(of(run(changeSet([small, added('src/billing/tiny2.ts', 10, { newExports: names('a', 'b', 'c') })])).findings, 'mass-rewrite'), []);
      // A task of the base spec that names the file and asks for a rewrite makes it a warning.
      const asked = spec({ ...base(), tasks: [task('1', { title: 'Rewrite the billing client', paths: ['src/billing/client.ts'] })] });
      const w = run(changeSet([gone, added('src/billing/billingClient.ts', 12, { newExports: names('charge', 'refund', 'capture', 'fee', 'net') })]), asked);
      assert.deepEqual(of(w.findings, 'mass-rewrite').map((f) => [f.severity, f.message.endsWith('Task 1 asks for it.')]), [['warning', true]]);
    });
    it('flags a renamed protected file and a file turned into a symlink; a move alone of one that is no migration is a warning', () => {
      const r = run(
        changeSet([
          change('infra/prod/main.tf', { status: 'renamed', oldPath: 'infra/main.tf' }),
          change('infra/vpc.tf', { status: 'renamed', oldPath: 'infra/network.tf', hunks: [] }),
          change('infra/web.tf', { status: 'renamed', oldPath: 'infra/compute.tf' }),
          change('.github/ci.yml', { status: 'renamed', oldPath: '.github/workflows/ci.yml', hunks: [] }),
          change('db/migrations/003_users.sql', { status: 'renamed', oldPath: 'db/migrations/001_users.sql', hunks: [] }),
          change('src/b.ts', { status: 'type-changed', oldMode: '100644', newMode: '120000', hunks: [] }),
        ]),
      );
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => [f.path, f.severity, f.message]), [
        ['.github/ci.yml', 'error', 'Protected file moved from `.github/workflows/ci.yml` to another folder, where it belongs to another module, or to none (a workflow runs only from `.github/workflows`).'],
        ['db/migrations/003_users.sql', 'error', "Protected file renamed from `db/migrations/001_users.sql`: a migration's name is its place in the order migrations run."],
        ['infra/prod/main.tf', 'error', 'Protected file moved from `infra/main.tf` to another folder, where it belongs to another module, or to none (a workflow runs only from `.github/workflows`).'],
        ['infra/web.tf', 'error', 'Protected file renamed from `infra/compute.tf`.'],
        ['src/b.ts', 'error', 'File replaced by another type (mode 100644 -> 120000).'],
        ['infra/vpc.tf', 'warning', 'Protected file renamed from `infra/network.tf`, its content unchanged.'],
      ]);
    });
    it('a protected file renamed in its folder with an edit, as a base task asks ("Rename …"), is a warning', () => {
      const s = base();
      s.tasks.push(task('2', { title: 'Rename `infra/main.tf` to `infra/compute.tf`', paths: ['infra/main.tf', 'infra/compute.tf'] }));
      const r = run(changeSet([change('infra/compute.tf', { status: 'renamed', oldPath: 'infra/main.tf' })]), s);
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => [f.severity, f.message]), [['warning', 'Protected file renamed from `infra/main.tf`. Task 2 asks for it.']]);
    });
    it('a rewrite that a task of the base spec asks for (its title says rewrite, replace, refactor…) is a warning', () => {
      const before = base();
      before.tasks.push(task('3', { title: 'Rewrite `src/delay.ts` to compute exponential delays', paths: ['src/delay.ts'] }), task('4', { title: 'Fix rounding in `src/round.ts`', paths: ['src/round.ts'] }));
      const s = base();
      s.tasks.push(...before.tasks, task('5', { title: 'Refactor `src/new.ts`', paths: ['src/new.ts'] }));
      const rewrite = (p: string) => change(p, { hunks: [hunk(1, 27, 1, 22)], oldLineCount: 27 });
      const r = analyze(s, changeSet([rewrite('src/delay.ts'), rewrite('src/round.ts'), rewrite('src/new.ts')]), { config: config(), specBlobs: {}, baseSpec: before });
      assert.deepEqual(of(r.findings, 'mass-rewrite').map((f) => [f.path, f.severity, f.message]), [
        ['src/new.ts', 'error', 'Most of the file was replaced: 100% of its 27 lines removed, 22 added (delete-and-recreate).'],
        ['src/round.ts', 'error', 'Most of the file was replaced: 100% of its 27 lines removed, 22 added (delete-and-recreate).'],
        ['src/delay.ts', 'warning', 'Most of the file was replaced: 100% of its 27 lines removed, 22 added (delete-and-recreate). Task 3 asks for it.'],
      ]);
    });
  });

  describe('SG210 protected-path', () => {
    it('is an error on a protected file no task names, a warning when a task names it', () => {
      const s = base();
      s.tasks.push(task('2', { paths: ['infra/main.tf'] }));
      const r = run(changeSet([change('infra/main.tf'), change('infra/prod.tfvars'), deleted('.github/workflows/ci.yml', 30)]), s);
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => [f.path, f.severity, f.task]), [
        ['.github/workflows/ci.yml', 'error', undefined],
        ['infra/prod.tfvars', 'error', undefined],
        ['infra/main.tf', 'warning', '2'],
      ]);
      assert.match(of(r.findings, 'protected-path')[0]!.message, /CI configuration, `\.github\/workflows\/\*\*`/);
      assert.equal(r.summary.risk, 'critical');
    });
    it('only a task of the spec as the base has it vouches: one the change adds, or one in a spec it creates, leaves the error', () => {
      const before = base();
      before.tasks.push(task('1', { paths: ['infra/network.tf'] }));
      const s = base();
      s.tasks.push(task('1', { paths: ['infra/network.tf'] }), task('3', { paths: ['infra/main.tf', 'infra/db.tf'] }));
      const cs = changeSet([change('infra/main.tf'), change('infra/network.tf')]);
      const edited = analyze(s, cs, { config: config(), specBlobs: {}, baseSpec: before });
      assert.deepEqual(of(edited.findings, 'protected-path').map((f) => [f.path, f.severity, f.message]), [
        [
          'infra/main.tf',
          'error',
          "Protected path (Terraform, `**/*.tf`): modified file with a high blast radius. Task 3 names it only in this change's edit to the spec, which cannot vouch for it: a task does once the spec naming it is in the base.",
        ],
        ['infra/network.tf', 'warning', 'Protected path (Terraform, `**/*.tf`): modified file with a high blast radius. Named by task 1.'],
      ]);
      // A base task of the same id that named another file does not vouch for this one.
      before.tasks.push(task('3', { paths: ['infra/db.tf'] }));
      assert.equal(of(analyze(s, cs, { config: config(), specBlobs: {}, baseSpec: before }).findings, 'protected-path')[0]!.severity, 'error');
      // The spec new in the change: none of its tasks vouches yet.
      const created = analyze(s, cs, { config: config(), specBlobs: {}, specIsNew: true });
      assert.deepEqual(of(created.findings, 'protected-path').map((f) => [f.path, f.severity]), [
        ['infra/main.tf', 'error'],
        ['infra/network.tf', 'error'],
      ]);
      assert.match(of(created.findings, 'protected-path')[0]!.message, / Task 3 names it only in this change's new spec, which cannot vouch for it/);
      // The spec untouched by the change (baseSpec is the spec itself): its tasks vouch, as before.
      assert.deepEqual(of(analyze(s, cs, { config: config(), specBlobs: {}, baseSpec: s }).findings, 'protected-path').map((f) => f.severity), ['warning', 'warning']);
    });
    it("a workflow's first permissions block (a note, not a danger) leaves the finding as a task leaves it; un-protected, it is a note", () => {
      const wf = '.github/workflows/release.yml';
      const none = joinLines('on: [push]', 'jobs:', '  x:', '    runs-on: ubuntu-latest');
      const c = edit(wf, none, none.replace('    runs-on:', '    permissions:\n      contents: write\n    runs-on:'));
      const s = base();
      s.tasks.push(task('2', { paths: [wf] }));
      assert.deepEqual(of(run(changeSet([c]), s).findings, 'protected-path').map((f) => [f.severity, f.message.replace(/ \(it may.*$/, '')]), [
        ['warning', "Protected path (CI configuration, `.github/workflows/**`): modified file with a high blast radius. It sets `permissions:` for the token of the job `x`, where the repository's default applied before"],
      ]);
      const open = run(changeSet([c]), base(), config({ protected: ['!.github/workflows/**'] }));
      assert.deepEqual(of(open.findings, 'protected-path').map((f) => [f.severity, f.message.replace(/ \(it may.*$/, '')]), [['info', "Worth a look in this modified file: it sets `permissions:` for the token of the job `x`, where the repository's default applied before"]]);
    });
    it('a deleted protected file stays an error even when a task names it', () => {
      const s = base();
      s.tasks.push(task('1', { paths: ['infra/'] }));
      s.scope.include.push('infra/**');
      const r = run(changeSet([deleted('infra/network.tf', 40), change('infra/main.tf')]), s);
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => [f.path, f.severity, f.message]), [
        [
          'infra/network.tf',
          'error',
          'Protected path (Terraform, `**/*.tf`): deleted file with a high blast radius. Named by task 1, yet a deletion stays an error: what the file declared is destroyed.',
        ],
        ['infra/main.tf', 'warning', 'Protected path (Terraform, `**/*.tf`): modified file with a high blast radius. Named by task 1.'],
      ]);
    });
    it('a lockfile changed with its manifest takes the manifest\'s scope and tasks; alone, it is its own change', () => {
      const s = base();
      s.tasks.push(task('2', { title: 'Add p-retry to `package.json`', paths: ['package.json', 'packages/web/package.json'] }));
      const r = run(changeSet([change('package.json'), change('package-lock.json'), change('packages/web/package.json'), change('yarn.lock'), change('src/constructor'), change('go.sum')]), s);
      const row = (p: string) => r.changes.find((c) => c.path === p)!;
      assert.deepEqual(
        ['package-lock.json', 'yarn.lock', 'go.sum'].map((p) => [p, row(p).classification, row(p).tasks]),
        [
          ['package-lock.json', 'in-scope', ['2']],
          ['yarn.lock', 'in-scope', ['2']],
          ['go.sum', 'out-of-scope', []],
        ],
      );
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => [f.path, f.severity, f.message]), [
        ['go.sum', 'error', 'Protected path (lockfile, `**/go.sum`): modified file with a high blast radius.'],
        ['package-lock.json', 'warning', 'Protected path (lockfile, `**/package-lock.json`): modified file with a high blast radius. Named by task 2 through `package.json`, which it is written from.'],
        ['yarn.lock', 'warning', 'Protected path (lockfile, `**/yarn.lock`): modified file with a high blast radius. Named by task 2 through `package.json`, which it is written from.'],
      ]);
      assert.deepEqual(of(r.findings, 'out-of-scope').map((f) => f.path), ['go.sum']);
      // A manifest further down (a workspace package, a fixture) carries no lockfile above it.
      const below = run(changeSet([change('packages/web/package.json'), change('package-lock.json')]), s);
      assert.deepEqual(below.changes.map((c) => [c.path, c.classification, c.tasks]), [
        ['package-lock.json', 'out-of-scope', []],
        ['packages/web/package.json', 'in-scope', ['2']],
      ]);
      // …unless the base declares that folder a workspace member beside the lockfile.
      const members = analyze(s, changeSet([change('packages/web/package.json'), change('package-lock.json'), change('test/fixtures/app/package.json')]), {
        config: config(),
        specBlobs: {},
        workspaces: new Map([['', ['packages/*']]]),
      });
      assert.deepEqual(members.changes.find((c) => c.path === 'package-lock.json')!.tasks, ['2']);
      const fixtureOnly = analyze(s, changeSet([change('package-lock.json'), change('test/fixtures/app/package.json')]), { config: config(), specBlobs: {}, workspaces: new Map([['', ['packages/*']]]) });
      assert.deepEqual(fixtureOnly.changes.find((c) => c.path === 'package-lock.json')!.classification, 'out-of-scope');
      // Its manifest's task added by the change itself vouches for neither.
      const edited = analyze(s, changeSet([change('package.json'), change('package-lock.json')]), { config: config(), specBlobs: {}, baseSpec: base() });
      assert.deepEqual(of(edited.findings, 'protected-path').map((f) => [f.path, f.severity]), [
        ['package-lock.json', 'error'],
      ]);
    });
    it('takes no task that also names an ignore file for one that asked for a protected file: it lists patterns', () => {
      const s = base();
      s.scope.include.push('**/.env', '**/.gitignore', '**/.env.example');
      s.tasks.push(task('T008', { paths: ['**/.gitignore', '**/todo.db', '**/.env'] }), task('T009', { paths: ['**/.env.example'] }));
      const r = run(changeSet([added('.env', 1), added('.gitignore', 3), added('.env.example', 1)]), s);
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => [f.path, f.severity, f.task, f.message]), [
        [
          '.env',
          'error',
          'T008',
          'Protected path (secrets or environment, `**/.env*`): added file with a high blast radius. Task T008 names it beside an ignore file (`.gitignore` and the like), as a pattern to ignore, not a file to change.',
        ],
      ]);
    });
    it('an env template (`.env.example`) is no secret, unless the config protects it; `production.env` and key files are', () => {
      const paths = ['.env.example', '.env.local.sample', 'config/production.env', 'keys/gcp-service-account.json', '.git-credentials', 'src/components/charts/Line.tsx', 'src/features/migrate/Wizard.tsx', 'tools/hooks/pre-commit', '.kiro/hooks/test.kiro.hook'];
      const shown = (r: Report) => of(r.findings, 'protected-path').map((f) => f.message.replace(/\): .*$/, ')').replace('Protected path ', `${f.path} `));
      assert.deepEqual(shown(run(changeSet(paths.map((p) => added(p, 1))))), [
        '.git-credentials (secrets or environment, `**/.git-credentials`)',
        '.kiro/hooks/test.kiro.hook (AI assistant hooks or tool servers, `.kiro/hooks/**`)',
        'config/production.env (secrets or environment, `**/*.env`)',
        'keys/gcp-service-account.json (secrets or environment, `**/*service-account*.json`)',
        'tools/hooks/pre-commit (git hooks, `**/hooks/pre-commit`)',
      ]);
      // A category's exceptions take only its own globs away: a test compose file, the docs' CODEOWNERS stay protected.
      assert.deepEqual(shown(run(changeSet(['docs/CODEOWNERS', 'docker-compose.test.yml', 'docs/migrations/001.sql'].map((p) => added(p, 1))))), [
        'docker-compose.test.yml (container build, `**/docker-compose*.yml`)',
        'docs/CODEOWNERS (code owners, `docs/CODEOWNERS`)',
      ]);
      const r = analyze(base(), changeSet([added('.env.example', 1)]), { config: config({ protected: ['.env.example'] }), specBlobs: {} });
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => f.path), ['.env.example']);
    });
    it('adds globs from the config, the spec and the caller', () => {
      const s = base();
      s.scope.protected = ['src/secret/**'];
      const r = analyze(s, changeSet([change('src/a.ts'), change('src/secret/k.ts'), change('src/b.ts'), change('lib/x.ts')]), {
        config: config({ protected: ['src/a.ts'] }),
        specBlobs: {},
        extraProtected: ['lib/**'],
      });
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => f.path), ['lib/x.ts', 'src/secret/k.ts', 'src/a.ts']);
    });
    it('names who declared a glob that is not a default: the config, the spec (file and line) or the editor setting', () => {
      const s = base();
      s.scope.protected = ['src/db/schema.ts', 'src/both.ts'];
      s.scopeSources.push(
        { glob: 'src/db/schema.ts', list: 'protected', origin: 'front-matter', range: { file: 'docs/spec.md', startLine: 4, endLine: 4 } },
        { glob: 'src/both.ts', list: 'protected', origin: 'front-matter', range: { file: 'docs/spec.md', startLine: 5, endLine: 5 } },
      );
      const r = analyze(s, changeSet([change('src/db/schema.ts'), change('src/db/pool.ts'), change('src/both.ts'), change('lib/x.ts')]), {
        config: config({ protected: ['src/db/pool.ts', './src/both.ts'] }),
        specBlobs: {},
        extraProtected: ['lib/**'],
      });
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => [f.path, f.message]), [
        ['lib/x.ts', 'Protected path (protected by the editor setting `specgate.protectedPaths`, `lib/**`): modified file with a high blast radius.'],
        ['src/both.ts', "Protected path (protected by `.specgate/config.yml` and the spec's front matter in `docs/spec.md` line 5, `src/both.ts`): modified file with a high blast radius."],
        ['src/db/pool.ts', 'Protected path (protected by `.specgate/config.yml`, `src/db/pool.ts`): modified file with a high blast radius.'],
        ['src/db/schema.ts', "Protected path (protected by the spec's front matter in `docs/spec.md` line 4, `src/db/schema.ts`): modified file with a high blast radius."],
      ]);
    });
    it('protects the old name of a rename too', () => {
      const r = run(changeSet([change('src/ci.yml', { status: 'renamed', oldPath: '.gitlab-ci.yml', hunks: [] })]));
      assert.deepEqual(of(r.findings, 'protected-path').map((f) => f.path), ['src/ci.yml']);
    });
  });

  describe('SG220 removed-export', () => {
    const oldText = joinLines('export function keep() {}', 'export function gone() {}', 'export class Client {}', "export * from './types';", 'export default 1;');
    it('reports each export that disappeared, at the hunk that removed it', () => {
      const newText = joinLines('export function keep() {}', 'export class Client {}', 'export default 2;');
      const r = run(changeSet([change('src/a.ts', { oldText, newText, hunks: [hunk(2, 1, 1, 0), hunk(4, 2, 3, 1)] })]));
      assert.deepEqual(of(r.findings, 'removed-export').map((f) => [f.startLine, f.endLine, f.severity, f.message]), [
        [1, 1, 'warning', 'Removed export `gone`; code that imports it may break.'],
        [3, 3, 'warning', "Removed the re-export `export * from './types'`; code that imports it may break."],
      ]);
    });
    it('reports the exports of a deleted file in one finding, at the first one', () => {
      const r = run(changeSet([deleted('src/b.ts', 5, { oldText })]));
      assert.deepEqual(of(r.findings, 'removed-export').map((f) => [f.startLine, f.message]), [
        [1, "Removed 5 exports (`keep`, `gone`, `Client`, `export * from './types'`, `default`) with the deleted file; code that imports them may break."],
      ]);
    });
    it('summarises more than ten removed exports of one file in one finding', () => {
      const many = Array.from({ length: 12 }, (_, i) => `export const v${i} = ${i};`).join('\n');
      const r = run(changeSet([change('src/a.ts', { oldText: many, newText: '', hunks: [hunk(1, 12, 0, 0)] })]));
      assert.deepEqual(of(r.findings, 'removed-export').map((f) => [f.startLine, f.message]), [
        [1, 'Removed 12 exports (`v0`, `v1`, `v2`, `v3`, `v4`, `v5`, `v6`, `v7`, ... (4 more)); code that imports them may break.'],
      ]);
    });
    it('ignores files without text and non-script files', () => {
      const r = run(changeSet([change('src/a.ts'), deleted('src/readme.md', 5, { oldText: 'export function x() {}\n' })]));
      assert.deepEqual(of(r.findings, 'removed-export'), []);
    });
  });

  describe('SG301 requirement-uncovered', () => {
    const s = () =>
      spec({
        requirements: [req('1', ['1.1']), req('2', ['2.1']), req('3', ['3.1']), req('SC-001', [], { kind: 'success' })],
        tasks: [task('1', { paths: ['src/a.ts'], requirements: ['1.1'] }), task('2', { paths: ['src/b.ts'], requirements: ['2.1'], state: 'done', mark: 'x' })],
        scope: { include: ['src/**'], exclude: [], protected: [] },
      });
    it('reports requirements no task references, and open requirements with no linked change', () => {
      const r = run(changeSet([change('src/c.ts')]), s());
      assert.deepEqual(of(r.findings, 'requirement-uncovered').map((f) => [f.requirement, f.severity, f.message]), [
        ['3', 'info', 'No task references requirement 3 (Requirement 3).'],
        ['1', 'info', 'Requirement 1 (Requirement 1) has no change: its tasks (1) are open and no changed file is linked to them.'],
      ]);
    });
    it('is satisfied by a change linked to one of its tasks', () => {
      const r = run(changeSet([change('src/a.ts')]), s());
      assert.deepEqual(of(r.findings, 'requirement-uncovered').map((f) => f.requirement), ['3']);
    });
    it('treats `_Requirements: all_` as covering every requirement', () => {
      const sp = s();
      sp.tasks.push(task('9', { allRequirements: true, state: 'done', mark: 'x' }));
      assert.deepEqual(of(run(changeSet([change('src/a.ts')]), sp).findings, 'requirement-uncovered'), []);
    });
    it('skips requirement kinds the tasks never reference (spec-kit FRs when tasks cite stories)', () => {
      const sp = spec({
        format: 'speckit',
        requirements: [req('FR-001', [], { kind: 'functional' }), req('US1', [], { kind: 'story' }), req('US2', [], { kind: 'story' })],
        tasks: [task('T001', { paths: ['src/a.ts'], story: 'US1' })],
        scope: { include: ['src/**'], exclude: [], protected: [] },
      });
      const r = run(changeSet([change('src/a.ts')]), sp);
      assert.deepEqual(of(r.findings, 'requirement-uncovered').map((f) => f.requirement), ['US2']);
      assert.deepEqual(r.traceability, [
        { requirement: 'FR-001', tasks: [], paths: [] },
        { requirement: 'US1', tasks: ['T001'], paths: ['src/a.ts'] },
        { requirement: 'US2', tasks: [], paths: [] },
      ]);
    });
  });

  describe('SG302 task-done-without-change', () => {
    const s = () =>
      spec({
        tasks: [
          task('1', { paths: ['src/a.ts'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 3, endLine: 3 } }),
          task('2', { paths: ['src/b.ts'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 5, endLine: 5 } }),
          task('3', { state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 7, endLine: 7 } }),
        ],
        scope: { include: ['src/**'], exclude: [], protected: [] },
      });
    it('flags a task ticked in this change whose paths did not change', () => {
      const tasksEdit = change('.kiro/specs/demo/tasks.md', { hunks: [hunk(3, 1, 3, 1), hunk(5, 1, 5, 1), hunk(7, 1, 7, 1)] });
      const r = run(changeSet([tasksEdit, change('src/a.ts')]), s());
      assert.deepEqual(of(r.findings, 'task-done-without-change').map((f) => [f.path, f.startLine, f.task, f.severity, f.message]), [
        ['.kiro/specs/demo/tasks.md', 5, '2', 'warning', 'Task 2 is ticked done, but none of the paths it names changed (`src/b.ts`).'],
        // Task 3 names no path: beside other work it cannot be judged, and says so at info.
        ['.kiro/specs/demo/tasks.md', 7, '3', 'info', 'Task 3 is ticked done and names no file or folder, so nothing in the change can be checked against it: confirm by hand that the change does what it says.'],
      ]);
    });
    it('leaves tasks ticked before this change alone', () => {
      const r = run(changeSet([change('.kiro/specs/demo/tasks.md', { hunks: [hunk(3, 1, 3, 1)] })]), s());
      assert.deepEqual(of(r.findings, 'task-done-without-change').map((f) => f.task), ['1']);
      assert.deepEqual(of(run(changeSet([change('src/c.ts')]), s()).findings, 'task-done-without-change'), []);
    });
    it('treats every done task of a newly added tasks file as ticked in this change', () => {
      const r = run(changeSet([added('.kiro/specs/demo/tasks.md', 8)]), s());
      assert.deepEqual(of(r.findings, 'task-done-without-change').map((f) => f.task), ['1', '2', '3']);
    });
    it('a task that names no path, ticked in a change of the spec alone, has nothing behind it; with other files changed, it cannot be judged and is named at info', () => {
      const tick = change('.kiro/specs/demo/tasks.md', { hunks: [hunk(7, 1, 7, 1)] });
      const sg302 = (set: ReturnType<typeof changeSet>, sp = s()) => of(run(set, sp).findings, 'task-done-without-change').map((f) => [f.task, f.startLine, f.severity, f.message]);
      assert.deepEqual(sg302(changeSet([tick])), [['3', 7, 'warning', "Task 3 is ticked done, but this change holds nothing besides the spec's own files."]]);
      assert.deepEqual(sg302(changeSet([tick, change('src/c.ts')])), [['3', 7, 'info', 'Task 3 is ticked done and names no file or folder, so nothing in the change can be checked against it: confirm by hand that the change does what it says.']]);
      // Not ticked in this change (done at the base, the tasks file untouched): nothing to say.
      assert.deepEqual(sg302(changeSet([change('src/c.ts')])), []);
      // A parent task's work is its subtasks': ticking it beside them says nothing of its own.
      const nested = spec({ ...s(), tasks: [...s().tasks.filter((t) => t.id !== '3'), task('3', { state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 7, endLine: 7 } }), task('3.1', { parent: '3', depth: 1, paths: ['src/c.ts'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 8, endLine: 8 } })] });
      assert.deepEqual(sg302(changeSet([tick, change('src/c.ts')]), nested), []);
      // A subtask of a task that names paths has those paths: its parent's judgement covers it.
      const under = spec({ ...s(), tasks: [...s().tasks.filter((t) => t.id !== '3'), task('3', { paths: ['src/c.ts'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 6, endLine: 6 } }), task('3.1', { parent: '3', depth: 1, state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 7, endLine: 7 } })] });
      assert.deepEqual(sg302(changeSet([tick, change('src/c.ts')]), under), []);
    });
    it('a task whose files changed only in whitespace, or were created empty, is ticked with nothing behind it', () => {
      const tick = change('.kiro/specs/demo/tasks.md', { hunks: [hunk(3, 1, 3, 1), hunk(5, 1, 5, 1)] });
      const two = (a: ReturnType<typeof change>, b: ReturnType<typeof change>) =>
        of(run(changeSet([tick, a, b]), s()).findings, 'task-done-without-change').map((f) => [f.task, f.message]);
      assert.deepEqual(two(change('src/a.ts', { whitespaceOnly: 'line-endings' }), added('src/b.ts', 0, { hunks: [] })), [
        ['1', 'Task 1 is ticked done, but the files linked to it hold no work: `src/a.ts` changes only whitespace.'],
        ['2', 'Task 2 is ticked done, but the files linked to it hold no work: `src/b.ts` is empty.'],
      ]);
      // Real work, a package marker, an executable or a mode change stand behind their task.
      assert.deepEqual(two(change('src/a.ts'), added('src/b.ts', 3)), []);
      const marker = spec({ ...s(), tasks: [task('1', { paths: ['pkg/__init__.py'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 3, endLine: 3 } })] });
      assert.deepEqual(of(run(changeSet([tick, added('pkg/__init__.py', 0, { hunks: [] })]), marker).findings, 'task-done-without-change'), []);
      assert.deepEqual(two(change('src/a.ts', { whitespaceOnly: 'indentation', oldMode: '100644', newMode: '100755' }), added('src/b.ts', 0, { hunks: [], newMode: '100755' })), []);
      // A task with one file of work and one hollow is done by the work.
      const both = spec({ ...s(), tasks: [task('1', { paths: ['src/a.ts', 'src/b.ts'], state: 'done', mark: 'x', range: { file: '.kiro/specs/demo/tasks.md', startLine: 3, endLine: 3 } })] });
      assert.deepEqual(of(run(changeSet([tick, change('src/a.ts'), added('src/b.ts', 0, { hunks: [] })]), both).findings, 'task-done-without-change'), []);
    });
  });

  describe('SG303 change-without-task', () => {
    it('notes in-scope files no task names, only when tasks name paths at all', () => {
      const r = run(changeSet([change('src/a.ts'), change('src/z.ts'), change('lib/q.ts')]));
      assert.deepEqual(of(r.findings, 'change-without-task').map((f) => [f.path, f.severity, f.message]), [
        ['src/z.ts', 'info', 'No task names this file; it is in scope (`src/**`, from `design.md` line 3) but no task explains the change.'],
      ]);
      const noPaths = spec({ tasks: [task('1')], scope: { include: ['src/**'], exclude: [], protected: [] } });
      assert.deepEqual(of(run(changeSet([change('src/z.ts')]), noPaths).findings, 'change-without-task'), []);
    });
    it('security-related code changed with no task behind it is a warning, camelCase names too; docs, styles, translations, tests and look-alike names (`author`) are info', () => {
      const paths = ['src/auth/jwt.ts', 'src/authService.ts', 'src/hooks/useAuth.ts', 'src/guards/roles.guard.ts', 'src/auth/new.ts', 'src/author/list.ts', 'src/sessionStorage.ts', 'docs/auth/flow.md', 'src/auth/login.css', 'src/locales/login.json', 'test/auth.test.ts'];
      const r = run(changeSet(paths.map((p) => change(p, { added: 1, removed: 0 }))), spec({ tasks: [task('1', { paths: ['src/a.ts'] })], scope: { include: ['**'], exclude: [], protected: [] } }));
      assert.deepEqual(of(r.findings, 'change-without-task').filter((f) => f.severity === 'warning').map((f) => [f.path, f.message.replace(/^.*the change\./, '')]), [
        ['src/auth/jwt.ts', ' It changes security-related code (`auth` in its path), which no task asked for.'],
        ['src/auth/new.ts', ' It changes security-related code (`auth` in its path), which no task asked for.'],
        ['src/authService.ts', ' It changes security-related code (`auth` in its path), which no task asked for.'],
        ['src/guards/roles.guard.ts', ' It changes security-related code (`guards` in its path), which no task asked for.'],
        ['src/hooks/useAuth.ts', ' It changes security-related code (`auth` in its path), which no task asked for.'],
        ['src/sessionStorage.ts', ' It changes security-related code (`session` in its path), which no task asked for.'],
      ]);
    });
  });

  describe('SG401 spec-problem', () => {
    it('reports the spec problems and references to undefined requirements', () => {
      const s = base();
      s.problems.push({ message: 'front matter: scope must be a list', file: '.kiro/specs/demo/design.md', line: 2 });
      s.tasks.push(task('2', { requirements: ['9.1'], paths: ['src/b.ts'], range: { file: '.kiro/specs/demo/tasks.md', startLine: 6, endLine: 6 } }));
      const r = run(changeSet([]), s);
      assert.deepEqual(of(r.findings, 'spec-problem').map((f) => [f.path, f.startLine, f.severity, f.message]), [
        ['.kiro/specs/demo/design.md', 2, 'warning', 'front matter: scope must be a list'],
        ['.kiro/specs/demo/tasks.md', 6, 'warning', 'Task 2 references requirement 9.1, which the spec does not define.'],
      ]);
    });
    it('does not repeat a reference the parser already reported', () => {
      const s = base();
      const range = { file: '.kiro/specs/demo/tasks.md', startLine: 6, endLine: 6 };
      s.tasks.push(task('2', { requirements: ['9.1'], paths: ['src/b.ts'], range }));
      s.unresolvedRefs = [{ task: '2', ref: '9.1', range }];
      s.problems.push({ file: range.file, line: 6, message: 'task 2 references requirement 9.1, which does not exist' });
      assert.deepEqual(of(run(changeSet([]), s).findings, 'spec-problem').map((f) => f.message), ['task 2 references requirement 9.1, which does not exist']);
    });
    it('a task or requirement the change takes out of its spec; not one renumbered, reworded, or ticked', () => {
      const t = (id: string, title: string, state: Task['state'] = 'todo') => task(id, { title, state, paths: ['src/a.ts'] });
      const before = base();
      before.tasks = [t('1', 'Add the delay in `src/a.ts`', 'done'), t('2', 'Stop after 5 retries and mark the invoice failed'), t('3', 'Write the retry tests'), t('4', 'Log each retry with its delay')];
      before.requirements = [req('1', [], { title: 'Exponential backoff' }), req('2', [], { title: 'Retry cap' })];
      const now = base();
      // Task 2 deleted (3 and 4 renumbered), task 4 reworded, task 1 ticked; requirement 2 deleted.
      now.tasks = [t('1', 'Add the delay in `src/a.ts`', 'done'), t('2', 'Write the retry tests'), t('3', 'Log every retry with its delay', 'done')];
      now.requirements = [req('1', [], { title: 'Exponential backoff' })];
      const r = analyze(now, changeSet([change('src/a.ts')]), { config: config(), specBlobs: {}, baseSpec: before });
      assert.deepEqual(of(r.findings, 'spec-problem').map((f) => [f.path, f.startLine, f.message]), [
        ['.kiro/specs/demo/requirements.md', undefined, 'Requirement 2 (Retry cap) was taken out of the spec by this change: confirm it is no longer wanted before approving.'],
        ['.kiro/specs/demo/tasks.md', undefined, 'Task 2 in the base (Stop after 5 retries and mark the invoice failed) was taken out of the spec by this change (deleted or struck through): confirm the work is no longer wanted before approving.'],
      ]);
      // Reworded, not taken out: a requirement retitled with the same criteria, a task that kept its number and its requirements, a task's words given new endings.
      const refs = (id: string, title: string, requirements: string[], state: Task['state'] = 'todo') => task(id, { title, state, requirements, paths: [] });
      const base2 = base();
      base2.requirements = [req('1', ['1.1'], { title: 'Jitter' })];
      base2.tasks = [refs('1', 'Compute backoff delays with full jitter', ['1.1']), refs('2', 'Test the retry behaviour', ['1.1']), refs('3', 'Remove the old helper', [], 'done')];
      const now2 = base();
      now2.requirements = [req('1', ['1.1'], { title: 'Randomised delays (full jitter)' })];
      now2.tasks = [refs('1', 'Implement exponential backoff in the retry helper', ['1.1']), refs('2', 'Write unit tests for retry behaviour', ['2.9'])];
      assert.deepEqual(of(analyze(now2, changeSet([change('src/a.ts')]), { config: config(), specBlobs: {}, baseSpec: base2 }).findings, 'spec-problem').filter((f) => f.message.includes('taken out')).map((f) => [f.severity, f.message]), [
        ['info', 'Task 3 (Remove the old helper), done at the base, was taken out of the spec by this change.'],
      ]);
      // The spec left alone: nothing.
      assert.deepEqual(of(analyze(before, changeSet([change('src/a.ts')]), { config: config(), specBlobs: {}, baseSpec: before }).findings, 'spec-problem'), []);
    });
  });
});

describe('blast-radius rules on text files too large to diff (counts, no hunks)', () => {
  const big = (extra: Parameters<typeof change>[1]) => change('src/a.ts', { tooLarge: true, hunks: [], oldSize: 15_000_000, ...extra });

  it('flags a too-large file cut short as a large deletion, from its counts', () => {
    const r = run(changeSet([big({ added: 0, removed: 399_995, oldLineCount: 400_000, newLineCount: 5, newSize: 120 })]));
    assert.deepEqual(
      of(r.findings, 'large-deletion').map((f) => [f.path, f.startLine, f.severity, f.message]),
      [['src/a.ts', undefined, 'warning', 'Large deletion: 399995 lines removed, 0 added (threshold 200).']],
    );
    assert.deepEqual(of(r.findings, 'mass-rewrite'), []);
    assert.equal(r.summary.risk, 'medium');
  });

  it('flags a too-large file rewritten line by line as a mass rewrite, from its old line count', () => {
    const r = run(changeSet([big({ added: 400_000, removed: 400_000, oldLineCount: 400_000, newLineCount: 400_000, newSize: 16_000_000 })]));
    assert.deepEqual(
      of(r.findings, 'mass-rewrite').map((f) => [f.path, f.startLine, f.message]),
      [['src/a.ts', undefined, 'Most of the file was replaced: 100% of its 400000 lines removed, 400000 added (delete-and-recreate).']],
    );
    assert.equal(r.summary.risk, 'critical');
  });

  it('needs the old line count for a mass rewrite, and never judges a too-large binary file', () => {
    assert.deepEqual(of(run(changeSet([big({ added: 400_000, removed: 400_000, oldLineCount: undefined })])).findings, 'mass-rewrite'), []);
    const binary = run(changeSet([big({ binary: true, added: 0, removed: 0, oldLineCount: undefined })]));
    assert.deepEqual([of(binary.findings, 'mass-rewrite'), of(binary.findings, 'large-deletion')], [[], []]);
  });

  it('counts a deleted too-large file by its old lines', () => {
    const r = run(changeSet([deleted('src/a.ts', 400_000, { tooLarge: true, hunks: [], removed: 400_000, oldSize: 15_000_000 })]));
    assert.deepEqual(
      r.findings.filter((f) => f.kind !== 'change-without-task').map((f) => [f.rule, f.message]),
      [
        ['SG201', 'File deleted (400000 lines).'],
        ['SG203', 'Large deletion: 400000 lines removed, 0 added (threshold 200).'],
      ],
    );
  });
});
