import { strict as assert } from 'node:assert';
import { analyze } from '../../src/core/analyze';
import type { Finding, Spec } from '../../src/core/model';
import { change, changeSet, config, hunk, req, spec, task } from './helpers/analysisFixtures';

const kinds = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.kind} ${f.severity} ${f.path}${f.startLine ? `:${f.startLine}-${f.endLine}` : ''}`);

function billingSpec(extra: Partial<Spec> = {}): Spec {
  return spec({
    requirements: [req('1', ['1.1', '1.2']), req('2', ['2.1']), req('3', ['3.1'])],
    tasks: [
      task('1', { paths: ['src/billing/retry.ts'], requirements: ['1.1', '1.2'], state: 'done', mark: 'x' }),
      task('2', { paths: ['src/billing/queue.ts'], requirements: ['2.1'] }),
      task('3', { requirements: ['3.1'] }),
    ],
    scope: { include: ['src/billing/**'], exclude: ['src/legacy/**'], protected: [] },
    ...extra,
  });
}

describe('analyze', () => {
  it('a file outside the spec that another spec\'s scope covers names that spec (not an archived change, nor the spec itself); others say nothing more', () => {
    const other = (id: string, include: string[], paths: string[] = []) => spec({ id, name: id.split('/').pop()!, files: [`${id}/tasks.md`], scope: { include, exclude: [], protected: [] }, tasks: paths.length ? [task('1', { paths })] : [] });
    const otherSpecs = [
      other('.kiro/specs/auth', ['src/auth/**']),
      other('specs/002-sessions', [], ['src/auth/session.ts']),
      other('openspec/changes/archive/2025-01-01-old-auth', ['src/auth/**']),
      other('.kiro/specs/ui', ['src/ui/**']),
      other('.kiro/specs/ui-v2', ['src/ui/**']),
      other('.kiro/specs/ui-v3', ['src/ui/**']),
    ];
    const messages = (o: Parameters<typeof analyze>[2]) =>
      analyze(billingSpec(), changeSet([change('src/auth/session.ts'), change('src/auth/login.ts'), change('src/ui/button.ts'), change('src/app.ts')]), o)
        .findings.filter((f) => f.rule === 'SG101')
        .map((f) => `${f.path}: ${f.message}`);
    assert.deepEqual(messages({ config: config(), specBlobs: {}, otherSpecs: [billingSpec({ scope: { include: ['**'], exclude: [], protected: [] } }), ...otherSpecs] }), [
      'src/app.ts: Change outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file.',
      'src/auth/login.ts: Change outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file; spec `.kiro/specs/auth` covers it.',
      'src/auth/session.ts: Change outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file; specs `.kiro/specs/auth` and `specs/002-sessions` cover it.',
      'src/ui/button.ts: Change outside the scope of spec `.kiro/specs/demo`: no scope glob or task path covers this file; specs `.kiro/specs/ui`, `.kiro/specs/ui-v2` and 1 more cover it.',
    ]);
    // Without the other specs, as before.
    assert.deepEqual(messages({ config: config(), specBlobs: {} }).map((m) => m.endsWith('covers this file.')), [true, true, true, true]);
  });

  it('classifies each file and hunk and links tasks', () => {
    const r = analyze(
      billingSpec(),
      changeSet([
        change('src/billing/retry.ts', { hunks: [hunk(3, 1, 3, 2), hunk(40, 2, 41, 0)] }),
        change('src/billing/format.ts'),
        change('src/app.ts', { hunks: [hunk(10, 0, 11, 3)] }),
        change('src/legacy/old.ts'),
        change('.kiro/specs/demo/tasks.md', { hunks: [hunk(2, 1, 2, 1)] }),
      ]),
      { config: config(), specBlobs: {} },
    );
    assert.deepEqual(
      r.changes.map((c) => [c.path, c.classification, c.tasks]),
      [
        ['.kiro/specs/demo/tasks.md', 'spec', []],
        ['src/app.ts', 'out-of-scope', []],
        ['src/billing/format.ts', 'in-scope', []],
        ['src/billing/retry.ts', 'in-scope', ['1']],
        ['src/legacy/old.ts', 'excluded', []],
      ],
    );
    assert.deepEqual(r.changes[3]!.hunks, [
      { oldStart: 3, oldLines: 1, newStart: 3, newLines: 2 },
      { oldStart: 40, oldLines: 2, newStart: 41, newLines: 0 },
    ]);
    assert.deepEqual(kinds(r.findings), [
      'SG101 out-of-scope error src/app.ts:11-13',
      'SG102 excluded-path error src/legacy/old.ts:1-1',
      'SG301 requirement-uncovered info .kiro/specs/demo/requirements.md:5-5',
      'SG301 requirement-uncovered info .kiro/specs/demo/requirements.md:5-5',
      'SG303 change-without-task info src/billing/format.ts',
    ]);
    assert.deepEqual(r.traceability, [
      { requirement: '1', tasks: ['1'], paths: ['src/billing/retry.ts'] },
      { requirement: '2', tasks: ['2'], paths: [] },
      { requirement: '3', tasks: ['3'], paths: [] },
    ]);
    assert.deepEqual(r.summary, { files: 5, added: 8, removed: 6, outOfScope: 2, risk: 'high' });
    assert.equal(r.schema, 'specgate.report/1');
    assert.match(r.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(r.spec.tasks[0], { id: '1', title: 'Task 1', state: 'done', requirements: ['1'], paths: ['src/billing/retry.ts'] });
    assert.deepEqual(r.spec.requirements[0], { id: '1', title: 'Requirement 1', criteria: ['1.1: criterion 1.1', '1.2: criterion 1.2'] });
  });

  it('is low risk when every change is explained', () => {
    const r = analyze(billingSpec(), changeSet([change('src/billing/retry.ts')]), { config: config(), specBlobs: {} });
    assert.equal(r.summary.risk, 'low');
    assert.deepEqual(r.findings.filter((f) => f.severity !== 'info'), []);
  });

  it('applies severity overrides and drops kinds set to off', () => {
    const r = analyze(billingSpec(), changeSet([change('src/app.ts'), change('src/billing/format.ts')]), {
      config: config({ severity: { 'out-of-scope': 'warning', 'change-without-task': 'off', 'requirement-uncovered': 'off' } }),
      specBlobs: {},
    });
    assert.deepEqual(kinds(r.findings), ['SG101 out-of-scope warning src/app.ts:1-1']);
    assert.equal(r.summary.risk, 'medium');
  });

  it('with the base config beside it, each finding takes the higher severity and the stricter threshold', () => {
    const edited = changeSet([
      change('src/app.ts'),
      change('src/billing/format.ts'),
      // 30 of 100 lines: a large deletion by the base's threshold alone (not most of the file).
      change('src/billing/retry.ts', { hunks: [hunk(1, 30, 1, 0)], removed: 30, added: 0, oldLineCount: 100 }),
      change('db/schema.sql'),
    ]);
    const worktree = config({
      severity: { 'out-of-scope': 'off', 'change-without-task': 'error', 'requirement-uncovered': 'off' },
      thresholds: { massRewrite: 0.6, massRewriteMinLines: 20, largeDeletion: 500 },
    });
    const base = config({
      severity: { 'out-of-scope': 'warning', 'change-without-task': 'off', 'requirement-uncovered': 'off' },
      thresholds: { massRewrite: 0.6, massRewriteMinLines: 20, largeDeletion: 25 },
      protected: ['db/**'],
    });
    const alone = analyze(billingSpec(), edited, { config: worktree, specBlobs: {} });
    // Alone, the edited config drops out-of-scope and forgives the 30-line deletion.
    assert.deepEqual(kinds(alone.findings), ['SG303 change-without-task error src/billing/format.ts']);
    const r = analyze(billingSpec(), edited, { config: worktree, baseConfig: base, specBlobs: {} });
    assert.deepEqual(kinds(r.findings), [
      'SG210 protected-path error db/schema.sql:1-1',
      'SG303 change-without-task error src/billing/format.ts',
      'SG101 out-of-scope warning db/schema.sql:1-1',
      'SG101 out-of-scope warning src/app.ts:1-1',
      'SG203 large-deletion warning src/billing/retry.ts:1-1',
    ]);
  });

  it('classifies a rename by the worse of its two names and links both names to tasks', () => {
    const r = analyze(billingSpec(), changeSet([change('src/billing/moved.ts', { status: 'renamed', oldPath: 'src/legacy/x.ts', hunks: [] })]), {
      config: config(),
      specBlobs: {},
    });
    assert.equal(r.changes[0]!.classification, 'excluded');
    assert.equal(r.changes[0]!.oldPath, 'src/legacy/x.ts');
    assert.deepEqual(kinds(r.findings).filter((k) => k.startsWith('SG1')), ['SG102 excluded-path error src/billing/moved.ts']);
  });

  it('analyses 2,000 files and 100,000 changed lines in under 200 ms of CPU (a quadratic step would take seconds)', () => {
    const tasks = Array.from({ length: 100 }, (_, i) => task(String(i + 1), { paths: [`pkg${i}/src/`, `**/util${i}.ts`], requirements: [`${i + 1}`] }));
    const s = spec({
      requirements: Array.from({ length: 100 }, (_, i) => req(String(i + 1))),
      tasks,
      scope: { include: ['pkg*/src/**', 'shared/**'], exclude: ['pkg*/src/gen/**'], protected: [] },
    });
    const changes = Array.from({ length: 2000 }, (_, i) =>
      change(`pkg${i % 150}/src/mod${i}/file${i}.ts`, { hunks: Array.from({ length: 10 }, (_, k) => hunk(k * 20 + 1, 2, k * 20 + 1, 3)), oldLineCount: 400 }),
    );
    analyze(s, changeSet(changes.slice(0, 50)), { config: config(), specBlobs: {} });
    // CPU time, best of three: the machine may be busy with other work; the code is what is measured.
    let ms = Infinity;
    let r = analyze(s, changeSet([]), { config: config(), specBlobs: {} });
    for (let k = 0; k < 3; k++) {
      const t0 = process.cpuUsage();
      r = analyze(s, changeSet(changes), { config: config(), specBlobs: { '.kiro/specs/demo/tasks.md': 'f'.repeat(40) } });
      const used = process.cpuUsage(t0);
      ms = Math.min(ms, (used.user + used.system) / 1000);
    }
    assert.equal(r.summary.files, 2000);
    assert.equal(r.summary.added, 60000);
    assert.equal(r.summary.outOfScope, 0);
    // 55-75 ms run alone on a slow two-vCPU machine; 100 ms seen there after the other timed files.
    assert.ok(ms < 200, `analyze took ${ms.toFixed(1)} ms`);
  });
});
