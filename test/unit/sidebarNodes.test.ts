// The sidebar's node builders and review state, as plain functions over a hand-built spec
// and report (the same builders the extension renders).
import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Report, Spec } from '../../src/core/model';
import { buildChangesNodes, EXPAND_MAX_FILES } from '../../src/vscode/sidebar/changesNodes';
import type { FolderInput } from '../../src/vscode/sidebar/folderInput';
import { ariaLabel, reconcile, snapshot, tooltipText, type Node, type TreeSnapshot } from '../../src/vscode/sidebar/nodes';
import { buildReviewNodes } from '../../src/vscode/sidebar/reviewNodes';
import { deriveReviewState, describeReview, readReviewFiles, type BundleInfo, type PacketCache, type RecordInfo } from '../../src/vscode/sidebar/reviewState';
import { buildSpecsNodes } from '../../src/vscode/sidebar/specsNodes';
import { UNTRUSTED_NOTE } from '../../src/vscode/model/types';
import { statusText } from '../../src/vscode/sidebar/statusText';
import { distinctFolderNames } from '../../src/vscode/sidebar/folderNames';
import { makeReport } from './reviewFixture';

const range = (line: number, file = '.kiro/specs/billing-retry/requirements.md') => ({ file, startLine: line, endLine: line });

function spec(): Spec {
  return {
    id: '.kiro/specs/billing-retry',
    format: 'kiro',
    name: 'billing-retry',
    files: ['.kiro/specs/billing-retry/requirements.md', '.kiro/specs/billing-retry/tasks.md'],
    requirements: [
      { id: '1', title: 'Retry failed charges', kind: 'requirement', range: range(3), criteria: [{ id: '1.1', text: 'WHEN a charge fails THEN retry', range: range(5) }] },
      { id: '2', title: 'Notify the customer', kind: 'requirement', range: range(8), criteria: [] },
      { id: '3', title: 'Audit log', kind: 'requirement', range: range(10), criteria: [] },
    ],
    tasks: [
      task('1', 'Add retry loop', 'done', 3),
      { ...task('1.1', 'Backoff', 'todo', 4), parent: '1', depth: 1 },
      task('2', 'Email', 'done', 6),
    ],
    scope: { include: ['src/billing/**'], exclude: ['infra/**'], protected: [] },
    scopeSources: [],
    problems: [],
  };
}

function task(id: string, title: string, state: Spec['tasks'][number]['state'], line: number): Spec['tasks'][number] {
  return {
    id,
    title,
    state,
    mark: state === 'done' ? 'x' : ' ',
    optional: false,
    requirements: [],
    allRequirements: false,
    paths: [],
    range: range(line, '.kiro/specs/billing-retry/tasks.md'),
    depth: 0,
  };
}

function only1(nodes: Node[]): Node {
  assert.equal(nodes.length, 1, nodes.map((n) => n.label).join(' | '));
  return nodes[0]!;
}

function folder(report: Report | undefined, over: Partial<FolderInput> = {}): FolderInput {
  return { name: 'billing', root: '/repo', specs: [spec()], activeSpecId: spec().id, report, trusted: true, ...over };
}

function shape(nodes: TreeSnapshot[]): unknown[] {
  return nodes.map((n) => {
    const text = n.description === undefined ? n.label : `${n.label} — ${n.description}`;
    return n.children.length > 0 ? { [text]: shape(n.children) } : text;
  });
}

function walk(nodes: Node[], f: (n: Node) => void): void {
  for (const n of nodes) {
    f(n);
    walk(n.children, f);
  }
}

describe('sidebar nodes', () => {
  it('Specs: marks the active spec, counts covered requirements, nests tasks and lists their changed files', () => {
    const nodes = buildSpecsNodes([folder(makeReport())]);
    assert.deepEqual(shape(snapshot(nodes)), [
      {
        'billing-retry — kiro · active': [
          {
            'Requirements — 1/3 covered': [
              { '1 Retry failed charges — covered · 1 file': ['1.1 — WHEN a charge fails THEN retry'] },
              '2 Notify the customer — not covered',
              '3 Audit log — not covered',
            ],
          },
          {
            'Tasks — 2/3 done': [
              { '1 Add retry loop — done · 1 file': ['1.1 Backoff — todo · 0 files', 'retry.ts — M · src/billing · +2 −1'] },
              '2 Email — done · 0 files · no change behind it',
            ],
          },
        ],
      },
    ]);
  });

  it('Specs: requirements no task links to (OpenSpec) say so instead of "not covered"', () => {
    const r = makeReport();
    r.traceability = r.traceability.map((row) => ({ ...row, tasks: [], paths: [] }));
    const nodes = buildSpecsNodes([folder(r)]);
    const reqs = shape(snapshot(nodes[0]!.children.slice(0, 1)));
    assert.deepEqual(reqs, [
      {
        'Requirements — 3 · no task links': [
          { '1 Retry failed charges — no task links': ['1.1 — WHEN a charge fails THEN retry'] },
          '2 Notify the customer — no task links',
          '3 Audit log — no task links',
        ],
      },
    ]);
  });

  it('Specs: without a report there is no coverage, and every node knows its parent', () => {
    const nodes = buildSpecsNodes([folder(undefined, { activeSpecId: undefined })]);
    assert.deepEqual(shape(snapshot(nodes)).length, 1);
    assert.equal(nodes[0]!.description, 'kiro');
    assert.equal(nodes[0]!.children[0]!.description, '3');
    walk(nodes, (n) => {
      for (const c of n.children) assert.equal(c.parent, n);
    });
    const ids = new Set<string>();
    walk(nodes, (n) => {
      assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
      ids.add(n.id);
    });
  });

  it('Specs: a requirement click goes to its line in the spec file', () => {
    const nodes = buildSpecsNodes([folder(makeReport())]);
    const req = nodes[0]!.children[0]!.children[0]!;
    assert.deepEqual(req.target, { type: 'line', file: '/repo/.kiro/specs/billing-retry/requirements.md', line: 3 });
  });

  it('Changes: groups out of scope, excluded, high risk and in scope by task, with counts', () => {
    const r = makeReport();
    r.changes.push({ path: 'src/auth/session.ts', status: 'modified', binary: false, added: 1, removed: 1, classification: 'out-of-scope', tasks: [], hunks: [] });
    r.changes.push({ path: 'src/billing/util.ts', status: 'added', binary: false, added: 4, removed: 0, classification: 'in-scope', tasks: [], hunks: [] });
    assert.deepEqual(shape(snapshot(buildChangesNodes([folder(r)]))), [
      { 'Out of scope — 1': ['session.ts — M · src/auth · +1 −1'] },
      { 'Excluded (non-goals) — 1': ['main.tf — D · infra · +0 −3'] },
      { 'High risk — 1': ['main.tf — D · infra · +0 −3 · file-deleted'] },
      {
        'In scope — 2': [
          { '1 Add retry loop — 1': ['retry.ts — M · src/billing · +2 −1'] },
          { 'In scope, in no task — 1': ['util.ts — A · src/billing · +4 −0'] },
        ],
      },
    ]);
  });

  describe('a rebuilt Changes tree brought over the shown one (reconcile)', () => {
    const withSession = (added = 1) => {
      const r = makeReport();
      r.changes.push({ path: 'src/auth/session.ts', status: 'modified', binary: false, added, removed: 1, classification: 'out-of-scope', tasks: [], hunks: [] });
      return r;
    };
    const rowOf = (nodes: Node[], label: string): Node => {
      let hit: Node | undefined;
      walk(nodes, (n) => (n.label === label ? (hit ??= n) : undefined));
      assert.ok(hit, label);
      return hit;
    };

    it('the same analysis again: no row is drawn again, and every shown node object stays', () => {
      const shown = buildChangesNodes([folder(withSession())]);
      const before: Node[] = [];
      walk(shown, (n) => before.push(n));
      assert.deepEqual(reconcile(shown, buildChangesNodes([folder(withSession())])), []);
      const after: Node[] = [];
      walk(shown, (n) => after.push(n));
      assert.equal(after.length, before.length);
      after.forEach((n, i) => assert.equal(n, before[i]));
    });

    it('one file\'s counts change: only its rows are drawn again, updated in place; the other rows keep their objects', () => {
      const shown = buildChangesNodes([folder(withSession())]);
      const session = rowOf(shown, 'session.ts');
      const retry = rowOf(shown, 'retry.ts');
      const redraw = reconcile(shown, buildChangesNodes([folder(withSession(5))]));
      assert.deepEqual(redraw, [session]);
      assert.equal(session.description, 'M · src/auth · +5 −1');
      assert.equal(rowOf(shown, 'retry.ts'), retry);
      assert.deepEqual(shape(snapshot(shown)), shape(snapshot(buildChangesNodes([folder(withSession(5))]))));
    });

    it('a finding of a file changes while its row reads the same: the row is drawn again, and its tooltip (built when hovered) is the new one', () => {
      const shown = buildChangesNodes([folder(withSession())]);
      const next = withSession();
      const finding = next.findings.find((f) => f.path === 'infra/main.tf');
      assert.ok(finding);
      finding.message = 'a message that differs';
      const redraw = reconcile(shown, buildChangesNodes([folder(next)]));
      assert.deepEqual(redraw?.map((n) => n.id).sort(), [rowOf(shown, 'main.tf').id, shown.find((g) => g.label === 'High risk')!.children[0]!.id].sort());
      assert.match(tooltipText(rowOf(shown, 'main.tf')) ?? '', /a message that differs/);
    });

    it('over 300 random analyses in a row, the shown tree brought up to each equals a fresh build of it, tooltips and parents included', () => {
      let seed = 7;
      const rand = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), seed % n);
      const paths = ['src/billing/retry.ts', 'src/billing/util.ts', 'src/auth/session.ts', 'infra/main.tf', 'README.md', 'src/mail.ts'];
      const classes = ['in-scope', 'out-of-scope', 'excluded'] as const;
      const statuses = ['modified', 'added', 'deleted'] as const;
      const randomReport = (): Report => {
        const r = makeReport({ changes: [], findings: [] });
        for (const p of paths) {
          if (rand(3) === 0) continue;
          const status = statuses[rand(3)]!;
          r.changes.push({ path: p, status, binary: false, added: rand(3), removed: rand(2), classification: classes[rand(3)]!, tasks: rand(2) ? ['1'] : rand(2) ? ['1', '2'] : [], hunks: [] });
          if (rand(2)) r.findings.push({ rule: 'SG201', kind: 'file-deleted', severity: 'error', path: p, message: `${p} was deleted`, startLine: 1 + rand(3) });
          if (rand(3) === 0) r.findings.push({ rule: 'SG104', kind: 'removed-export', severity: 'warning', path: p, message: `export x${rand(2)} removed` });
        }
        r.spec.tasks[0]!.state = rand(2) ? 'done' : 'todo';
        return r;
      };
      const check = (shown: Node[], fresh: Node[]) => {
        assert.deepEqual(snapshot(shown), snapshot(fresh));
        walk(shown, (n) => n.children.forEach((c) => assert.equal(c.parent, n)));
      };
      for (const build of [(r: Report) => buildChangesNodes([folder(r)]), (r: Report) => buildSpecsNodes([folder(r)])]) {
        let shown = build(randomReport());
        let partial = 0;
        for (let i = 0; i < 300; i++) {
          const r = randomReport();
          const next = build(r);
          const redraw = reconcile(shown, next);
          if (redraw === undefined) shown = build(r);
          else partial++;
          check(shown, build(r));
        }
        assert.ok(partial > 20, `only ${partial} of 300 analyses brought over in place`);
      }
    });

    it('a file moves from Out of scope to In scope: the lists change, so the caller draws the tree again', () => {
      const shown = buildChangesNodes([folder(withSession())]);
      const next = withSession();
      next.changes.find((c) => c.path === 'src/auth/session.ts')!.classification = 'in-scope';
      assert.equal(reconcile(shown, buildChangesNodes([folder(next)])), undefined);
    });
  });

  /** Every row's screen reader label, depth-first, indented by level. */
  function spoken(nodes: Node[], depth = 0): string[] {
    return nodes.flatMap((n) => [`${'  '.repeat(depth)}${ariaLabel(n)}`, ...spoken(n.children, depth + 1)]);
  }

  it('screen reader labels, Specs: coverage, task state, counts and the flag in words (not the tooltip alone)', () => {
    assert.deepEqual(spoken(buildSpecsNodes([folder(makeReport())])), [
      'billing-retry, kiro spec, the active spec',
      '  Requirements, 1 of 3 covered',
      '    Requirement 1 Retry failed charges, covered by 1 changed file, 1 acceptance criterion',
      '      Criterion 1.1: WHEN a charge fails THEN retry',
      '    Requirement 2 Notify the customer, not covered by any changed file',
      '    Requirement 3 Audit log, not covered by any changed file',
      '  Tasks, 2 of 3 done',
      '    Task 1 Add retry loop, done, 1 changed file, 1 subtask',
      '      Task 1.1 Backoff, todo, 0 changed files',
      '      retry.ts, in scope, modified, in src/billing, 2 lines added, 1 removed, task 1, no findings',
      '    Task 2 Email, done, 0 changed files, ticked done with no change behind it',
    ]);
  });

  it('screen reader labels, Specs: a task names the requirements it implements (the tooltip is not the only copy)', () => {
    const sp = spec();
    sp.tasks[2] = { ...sp.tasks[2]!, requirements: ['1.1', '3'] };
    const tasks = buildSpecsNodes([folder(makeReport(), { specs: [sp] })])[0]!.children[1]!;
    assert.equal(ariaLabel(tasks.children[1]!), 'Task 2 Email, done, 0 changed files, ticked done with no change behind it, requirements 1.1, 3');
  });

  it('screen reader labels, Changes: each group says how many files, each file its scope, status, counts and findings in words', () => {
    const r = makeReport();
    r.changes.push({ path: 'src/auth/session.ts', status: 'modified', binary: false, added: 1, removed: 1, classification: 'out-of-scope', tasks: [], hunks: [] });
    assert.deepEqual(spoken(buildChangesNodes([folder(r)])), [
      'Out of scope, 1 file',
      '  session.ts, out of scope, modified, in src/auth, 1 line added, 1 removed, no findings',
      'Excluded (non-goals), 1 file',
      '  main.tf, excluded (non-goal), deleted, in infra, 0 lines added, 3 removed, 2 errors',
      'High risk, 1 file',
      '  main.tf, excluded (non-goal), deleted, in infra, 0 lines added, 3 removed, file deleted, 2 errors',
      'In scope, 1 file',
      '  Task 1 Add retry loop, 1 changed file',
      '    retry.ts, in scope, modified, in src/billing, 2 lines added, 1 removed, task 1, no findings',
    ]);
  });

  it('screen reader labels, Changes: a file counts its findings by severity in words, one per hunk outside the scope, as Problems does; the tooltip says how many hunks a line stands for', () => {
    const r = makeReport();
    const out = (line: number) => ({ rule: 'SG101', kind: 'out-of-scope' as const, severity: 'error' as const, path: 'src/auth/session.ts', startLine: line, endLine: line, message: 'src/auth/session.ts is outside the spec' });
    r.changes.push({ path: 'src/auth/session.ts', status: 'modified', binary: false, added: 2, removed: 0, classification: 'out-of-scope', tasks: [], hunks: [] });
    r.findings.push(
      out(4),
      out(9),
      { rule: 'SG303', kind: 'change-without-task', severity: 'info', path: 'src/auth/session.ts', message: 'no task names src/auth/session.ts' },
      { rule: 'SG203', kind: 'large-deletion', severity: 'warning', path: 'infra/main.tf', message: '3 lines deleted' },
    );
    const files = buildChangesNodes([folder(r)]).flatMap((g) => g.children);
    const session = files.find((n) => n.label === 'session.ts')!;
    assert.deepEqual(tooltipText(session)!.split('\n').slice(1), ['SG101 src/auth/session.ts is outside the spec (2 hunks at lines 4, 9)', 'SG303 no task names src/auth/session.ts']);
    assert.equal(ariaLabel(session), 'session.ts, out of scope, modified, in src/auth, 2 lines added, 0 removed, 2 errors, 1 info');
    assert.equal(ariaLabel(files.find((n) => n.label === 'main.tf')!), 'main.tf, excluded (non-goal), deleted, in infra, 0 lines added, 3 removed, 2 errors, 1 warning');
  });

  it('screen reader labels, state rows: the short label and the explanation the tooltip gives', () => {
    const [row] = buildChangesNodes([folder(undefined, { trusted: false, specs: [spec()] })]);
    assert.equal(row!.label, 'Untrusted: changes not analysed');
    assert.equal(ariaLabel(row!), `Untrusted: changes not analysed. ${row!.tooltip}`);
  });

  it('Changes: a clicked file opens the diff against the base commit', () => {
    const nodes = buildChangesNodes([folder(makeReport())]);
    const file = nodes.find((n) => n.label === 'In scope')!.children[0]!.children[0]!;
    assert.deepEqual(file.target, {
      type: 'diff',
      root: '/repo',
      path: 'src/billing/retry.ts',
      file: '/repo/src/billing/retry.ts',
      status: 'modified',
      baseCommit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('a folder opened through a symbolic link: files are shown and opened by the folder\'s path, git reads the real root', () => {
    // The workspace folder /ws/linked is a link to the repository /real/repo (git's top level).
    const linked = folder(makeReport(), { root: '/real/repo', toPath: (p) => `/ws/linked/${p}` });
    const changes = buildChangesNodes([linked]);
    const file = changes.find((n) => n.label === 'In scope')!.children[0]!.children[0]!;
    assert.equal(file.file, '/ws/linked/src/billing/retry.ts');
    assert.deepEqual(file.target, {
      type: 'diff',
      root: '/real/repo',
      path: 'src/billing/retry.ts',
      file: '/ws/linked/src/billing/retry.ts',
      status: 'modified',
      baseCommit: '0123456789abcdef0123456789abcdef01234567',
    });
    const specs = buildSpecsNodes([linked]);
    const requirement = specs[0]!.children[0]!.children[0]!;
    assert.deepEqual(requirement.target, { type: 'line', file: '/ws/linked/.kiro/specs/billing-retry/requirements.md', line: 3 });
  });

  it('Changes: says why there is nothing to show', () => {
    assert.deepEqual(shape(snapshot(buildChangesNodes([folder(undefined, { trusted: false })]))), ['Untrusted: changes not analysed']);
    // Specs: the untrusted note once (the shield row), not again as the folder's warning.
    const specs = shape(snapshot(buildSpecsNodes([folder(undefined, { trusted: false, error: UNTRUSTED_NOTE })])));
    assert.deepEqual(specs.filter((r) => typeof r === 'string' && /trusted/i.test(r)), ['Untrusted: specs only, no analysis']);
    // Another error in an untrusted folder is still shown.
    const failing = shape(snapshot(buildSpecsNodes([folder(undefined, { trusted: false, error: 'git failed: x' })])));
    assert.deepEqual(failing.slice(0, 2), ['git failed: x', 'Untrusted: specs only, no analysis']);
    const empty = makeReport({ changes: [] });
    assert.deepEqual(shape(snapshot(buildChangesNodes([folder(empty)]))), ['No changes against HEAD']);
  });

  it('state rows: a label that fits a narrow sidebar, the whole explanation in the tooltip, a click that takes the next step', () => {
    const only = (nodes: Node[]): Node => {
      assert.equal(nodes.length, 1, nodes.map((n) => n.label).join(' | '));
      return nodes[0]!;
    };
    // Untrusted: the row opens Manage Workspace Trust.
    for (const n of [only(buildChangesNodes([folder(undefined, { trusted: false })])), only(buildReviewNodes([{ folder: folder(undefined, { trusted: false }), state: { status: 'no-report' } }]))]) {
      assert.deepEqual(n.target, { type: 'command', command: 'workbench.trust.manage' });
      assert.equal(n.tooltip, `${UNTRUSTED_NOTE} Click to manage workspace trust.`);
    }
    // No git repository: the short fact first, the path and the reason in the tooltip.
    const noGit = 'not a git repository: /home/ann/very/long/path/to/notes: SpecGate lists the specs but needs a git repository to analyse changes';
    const git = only(buildChangesNodes([folder(undefined, { error: noGit })]));
    assert.equal(git.label, 'No git repository: no analysis');
    assert.equal(git.tooltip, noGit);
    const specRows = buildSpecsNodes([folder(undefined, { error: noGit })]);
    assert.deepEqual([specRows[0]!.label, specRows[0]!.tooltip, specRows[1]!.label], ['No git repository: no analysis', noGit, 'billing-retry']);
    // Several specs and none chosen: the row runs Select Active Spec.
    const several = 'no spec given and 2 specs found: a, b; choose one with SpecGate: Select Active Spec';
    for (const n of [only(buildChangesNodes([folder(undefined, { error: several, activeSpecId: undefined })])), buildSpecsNodes([folder(undefined, { error: several, activeSpecId: undefined })])[0]!]) {
      assert.equal(n.label, 'Select the active spec');
      assert.deepEqual(n.target, { type: 'command', command: 'specgate.selectSpec' });
      assert.equal(n.tooltip, `${several}. Click to select it.`);
    }
    for (const label of [...shape(snapshot(buildChangesNodes([folder(undefined, { trusted: false })]))), git.label, 'Select the active spec']) {
      assert.ok(typeof label === 'string' && label.length <= 34, `${label} is longer than a 300 px sidebar shows`);
    }
  });

  it(`a group of more than ${EXPAND_MAX_FILES} files starts collapsed, with its count; smaller groups start open`, () => {
    const r = makeReport();
    const file = (p: string, classification: Report['changes'][number]['classification']): Report['changes'][number] => ({ path: p, status: 'added', binary: false, added: 1, removed: 0, classification, tasks: [], hunks: [] });
    r.changes = [
      ...Array.from({ length: EXPAND_MAX_FILES + 1 }, (_, i) => file(`extra/f${i}.ts`, 'out-of-scope')),
      ...Array.from({ length: EXPAND_MAX_FILES }, (_, i) => file(`infra/f${i}.tf`, 'excluded')),
    ];
    r.findings = [];
    const groups = buildChangesNodes([folder(r)]);
    assert.deepEqual(
      groups.map((g) => [g.label, g.description, g.expanded, g.children.length]),
      [
        ['Out of scope', String(EXPAND_MAX_FILES + 1), false, EXPAND_MAX_FILES + 1],
        ['Excluded (non-goals)', String(EXPAND_MAX_FILES), true, EXPAND_MAX_FILES],
      ],
    );
  });

  it('tooltips: the findings of a file once each with their lines (not one line per hunk), the state of a task and why it is flagged', () => {
    const r = makeReport();
    const hunk = (startLine: number, endLine: number) =>
      ({ rule: 'SG102', kind: 'excluded-path', severity: 'error', path: 'infra/main.tf', startLine, endLine, message: 'infra/** is a non-goal' }) as const;
    r.findings = [...r.findings.filter((x) => x.rule !== 'SG102'), hunk(1, 2), hunk(4, 4), hunk(9, 12)];
    const changes = buildChangesNodes([folder(r)]);
    const tf = changes.find((n) => n.label === 'Excluded (non-goals)')!.children[0]!;
    assert.equal(tooltipText(tf), ['infra/main.tf (deleted, excluded)', 'SG201 infra/main.tf was deleted', 'SG102 infra/** is a non-goal (3 hunks at lines 1–2, 4, 9–12)'].join('\n'));
    const tasks = buildSpecsNodes([folder(r)])[0]!.children.find((n) => n.label === 'Tasks')!;
    const email = tasks.children.find((n) => n.label === '2 Email')!;
    assert.equal(
      tooltipText(email),
      ['2 Email (done)', 'Ticked done in this change, but none of the paths it names changed (SG302 task-done-without-change).', 'No changed file is linked to it.'].join('\n'),
    );
    const retry = tasks.children.find((n) => n.label === '1 Add retry loop')!;
    assert.equal(tooltipText(retry), ['1 Add retry loop (done)', 'Changed: src/billing/retry.ts'].join('\n'));
  });

  it('task tooltip: a route path as the spec wrote it (app/blog/[slug]/page.tsx), a glob as written', () => {
    const s = spec();
    s.tasks = [{ ...task('1', 'Post page', 'todo', 3), paths: ['app/blog/\\[slug\\]/page.tsx', 'app/\\(shop\\)/**', 'src/**/*.ts', 'app/[lang]/x.tsx'] }];
    const tasks = buildSpecsNodes([folder(undefined, { specs: [s] })])[0]!.children.find((n) => n.label === 'Tasks')!;
    assert.equal(tasks.children[0]!.tooltip, ['1 Post page (todo)', 'Paths: app/blog/[slug]/page.tsx, app/(shop)/**, src/**/*.ts, app/[lang]/x.tsx'].join('\n'));
  });

  it('no spec: one folder shows no rows (the views\' welcome content offers New Spec); in a multi-root workspace the folder offers it', () => {
    const noSpec = 'no spec found in this repository (SpecGate reads .kiro/specs/<name>/, specs/NNN-name/, openspec/changes/<id>/ or a markdown file with `scope:` front matter)';
    const bare = folder(undefined, { specs: [], activeSpecId: undefined, error: noSpec, root: '/ws/api', name: 'api' });
    assert.deepEqual(buildSpecsNodes([bare]), []);
    assert.deepEqual(buildChangesNodes([bare]), []);
    assert.deepEqual(buildReviewNodes([{ folder: bare, state: { status: 'no-report' } }]), []);
    const other = folder(makeReport(), { name: 'billing' });
    for (const nodes of [buildSpecsNodes([other, bare]), buildChangesNodes([other, bare]), buildReviewNodes([{ folder: other, state: { status: 'not-exported' } }, { folder: bare, state: { status: 'no-report' } }])]) {
      const row = only1(nodes[1]!.children);
      assert.equal(row.label, 'No spec: create one');
      assert.deepEqual(row.target, { type: 'command', command: 'specgate.newSpec', args: [{ root: '/ws/api' }] });
      assert.match(tooltipText(row)!, /^No spec in api, so there is nothing to review the change against\. SpecGate reads Kiro/);
    }
    // Untrusted with no spec: the untrusted row (trusting may still find nothing, but git is the reason now).
    assert.deepEqual(shape(snapshot(buildSpecsNodes([{ ...bare, trusted: false, error: UNTRUSTED_NOTE }]))), ['Untrusted: specs only, no analysis']);
  });

  it('folders laid out almost as a spec: the Specs view names each and its fix; with no spec, Changes and Review name the first', () => {
    const nearMisses = [
      { folder: 'kiro/specs/pay/', hint: 'Kiro specs are read from .kiro/specs/pay/', readAs: '.kiro/specs/pay/' },
      { folder: 'openspec/changes/', hint: 'each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md' },
    ];
    const near = folder(undefined, { specs: [], activeSpecId: undefined, error: 'no spec found in this repository; …', root: '/ws/api', name: 'api', nearMisses });
    // One folder: rows, not the welcome content (which cannot name the folder).
    const specs = buildSpecsNodes([near]);
    assert.deepEqual(shape(snapshot(specs)), ['kiro/specs/pay/ — not read as a spec', 'openspec/changes/ — not read as a spec', 'No spec: create one']);
    assert.equal(specs[0]!.tooltip, 'kiro/specs/pay/ looks like a spec, but Kiro specs are read from .kiro/specs/pay/. Click to rename it to .kiro/specs/pay/.');
    assert.equal(specs[1]!.tooltip, 'openspec/changes/ looks like a spec, but each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md. Click to show it in the Explorer.');
    // The row names the folder only; the command reads the rest from the model.
    assert.deepEqual(specs[0]!.target, { type: 'command', command: 'specgate.fixSpecFolder', args: [{ root: '/ws/api', folder: 'kiro/specs/pay/' }] });
    assert.deepEqual(specs[1]!.target, { type: 'command', command: 'specgate.fixSpecFolder', args: [{ root: '/ws/api', folder: 'openspec/changes/' }] });
    assert.equal(specs[0]!.icon?.id, 'warning');
    for (const nodes of [buildChangesNodes([near]), buildReviewNodes([{ folder: near, state: { status: 'no-report' } }])]) {
      const row = only1(nodes);
      assert.deepEqual([row.label, row.description], ['No spec read', 'kiro/specs/pay/']);
      assert.equal(
        row.tooltip,
        'No spec in api is read, so there is nothing to review the change against: kiro/specs/pay/ looks like a spec, but Kiro specs are read from .kiro/specs/pay/ (and 1 more such folder: see the Specs view). Click to fix it.',
      );
      assert.deepEqual(row.target, specs[0]!.target);
    }
    // Untrusted: the near misses still show (no git reads them), above the shield row.
    assert.deepEqual(shape(snapshot(buildSpecsNodes([{ ...near, trusted: false, error: UNTRUSTED_NOTE }]))), [
      'kiro/specs/pay/ — not read as a spec',
      'openspec/changes/ — not read as a spec',
      'Untrusted: specs only, no analysis',
    ]);
    // Beside a spec that is read: the row comes first, the spec and the views' analysis as ever.
    const beside = folder(makeReport(), { nearMisses: [nearMisses[0]!] });
    const withSpec = buildSpecsNodes([beside]);
    assert.deepEqual(withSpec.map((n) => n.label), ['kiro/specs/pay/', 'billing-retry']);
    assert.notEqual(buildChangesNodes([beside])[0]?.label, 'No spec read');
    // Bidirectional controls in a folder name are shown, not obeyed.
    const evil = folder(undefined, { specs: [], nearMisses: [{ folder: 'specs/a\u202eb/', hint: 'spec-kit folders are numbered, so SpecGate reads specs/001-a\u202eb/', readAs: 'specs/001-a\u202eb/' }] });
    assert.equal(buildSpecsNodes([evil])[0]!.label, 'specs/a\\u{202e}b/');
  });

  it('with no spec read, the Specs view names the specs ignoreSpecs leaves out, three rows and one for the rest', () => {
    const ig = (id: string, byDefault = true, globs = ['**/fixtures/**']) => ({ id, globs, byDefault });
    const none = folder(undefined, { specs: [], activeSpecId: undefined, error: 'no spec found in this repository; …', root: '/ws/api', name: 'api', ignoredSpecs: [ig('test/fixtures/a/spec.md')] });
    // One folder: rows instead of the welcome content, which could not name them.
    const specs = buildSpecsNodes([none]);
    assert.deepEqual(shape(snapshot(specs)), ['No spec: create one', 'test/fixtures/a/spec.md — ignored: ignoreSpecs']);
    assert.equal(specs[1]!.tooltip, 'Not read as a spec: SpecGate does not read test data by default (**/fixtures/**). Click to read it.');
    // The row names the spec only; the command reads its globs from the model.
    assert.deepEqual(specs[1]!.target, { type: 'command', command: 'specgate.readIgnoredSpec', args: [{ root: '/ws/api', spec: 'test/fixtures/a/spec.md' }] });
    assert.equal(specs[1]!.icon?.id, 'eye-closed');
    // The config's own list: named as such, each glob that leaves the spec out.
    const own = buildSpecsNodes([{ ...none, ignoredSpecs: [ig('docs/specs/a.md', false, ['docs/**', '**/a.md'])] }]);
    assert.equal(own[1]!.tooltip, 'Not read as a spec: .specgate/config.yml leaves it out (docs/**, **/a.md). Click to read it.');
    // Five left out: three rows, then one row for the other two, which runs nothing.
    const five = ['a', 'b', 'c', 'd', 'e'].map((x) => ig(`test/fixtures/${x}.md`));
    const many = buildSpecsNodes([{ ...none, ignoredSpecs: five }]);
    assert.deepEqual(shape(snapshot(many)), [
      'No spec: create one',
      'test/fixtures/a.md — ignored: ignoreSpecs',
      'test/fixtures/b.md — ignored: ignoreSpecs',
      'test/fixtures/c.md — ignored: ignoreSpecs',
      '2 more specs ignored',
    ]);
    assert.equal(many[4]!.tooltip, 'Also not read as specs (ignoreSpecs in .specgate/config.yml): test/fixtures/d.md, test/fixtures/e.md. Run specgate specs to list them all.');
    assert.equal(many[4]!.target, undefined);
    // Untrusted: still named (the walk runs no git), below the shield row.
    assert.deepEqual(shape(snapshot(buildSpecsNodes([{ ...none, trusted: false, error: UNTRUSTED_NOTE }]))), ['Untrusted: specs only, no analysis', 'test/fixtures/a/spec.md — ignored: ignoreSpecs']);
    // Once a spec is read, the ones left out are not shown (the model keeps none then either).
    assert.deepEqual(buildSpecsNodes([folder(makeReport(), { ignoredSpecs: [ig('test/fixtures/a/spec.md')] })]).map((n) => n.label), ['billing-retry']);
    // No warning of their own: the status bar item stays hidden, Changes says there is no spec.
    assert.equal(statusText([none]), undefined);
    assert.equal(only1(buildChangesNodes([none])).label, 'No spec: create one');
    // Bidirectional controls in a spec path are shown, not obeyed.
    assert.equal(buildSpecsNodes([{ ...none, ignoredSpecs: [ig('test/fixtures/a\u202eb.md')] }])[1]!.label, 'test/fixtures/a\\u{202e}b.md');
  });

  it('shows bidirectional controls in file names, task titles and spec names as \\u{…} (Trojan Source)', () => {
    const r = makeReport();
    const evil = 'src/billing/caf\u00e9 \u202eevil.ts';
    r.changes.push({ path: evil, status: 'added', binary: false, added: 1, removed: 0, classification: 'out-of-scope', tasks: [], hunks: [] });
    r.findings.push({ rule: 'SG101', kind: 'out-of-scope', severity: 'error', path: evil, message: `${evil} is \u2066outside\u2069` });
    const s = spec();
    s.name = 'billing\u202eyrter';
    s.tasks[0]!.title = 'Add \u202dretry loop';
    const texts: string[] = [];
    const collect = (n: Node) => texts.push(n.label, n.description ?? '', tooltipText(n) ?? '');
    walk(buildChangesNodes([folder(r, { specs: [s] })]), collect);
    walk(buildSpecsNodes([folder(r, { specs: [s] })]), collect);
    const file = texts.indexOf('caf\u00e9 \\u{202e}evil.ts');
    assert.ok(file >= 0, `the file's label shows the override: ${texts.filter((t) => t.includes('caf')).join(' | ')}`);
    assert.ok(texts.includes('billing\\u{202e}yrter'), 'the spec name shows its override');
    assert.ok(texts.includes('1 Add \\u{202d}retry loop'), 'the task title shows its override');
    assert.ok(texts.some((t) => t.includes('is \\u{2066}outside\\u{2069}')), 'tooltips too');
    assert.deepEqual(texts.filter((t) => /[\u202a-\u202e\u2066-\u2069]/.test(t)), [], 'no raw bidirectional control left in any label, description or tooltip');
    const status = statusText([folder(r, { specs: [s] })]);
    assert.ok(status?.text.includes('billing\\u{202e}yrter') && !/[\u202a-\u202e]/.test(status.text + status.tooltip), status?.text);
  });

  it('multi-root: one node per folder', () => {
    const nodes = buildSpecsNodes([folder(undefined, { name: 'a' }), folder(undefined, { name: 'b' })]);
    assert.deepEqual(nodes.map((n) => `${n.label} ${n.description}`), ['a 1 spec', 'b 1 spec']);
  });

  it('multi-root: a folder nested in another folder\'s repository shows one row pointing there, in every view, and no change twice', () => {
    const r = makeReport();
    const outer = folder(r, { name: 'billing' });
    const inner: FolderInput = { name: 'auth', root: '/repo', specs: [], activeSpecId: undefined, report: undefined, trusted: true, partOf: 'billing' };
    const row = 'Same repository as billing: its specs, changes and review are shown there';
    const specs = shape(snapshot(buildSpecsNodes([outer, inner])));
    assert.deepEqual(specs[1], { 'auth — in billing': [row] });
    const changes = shape(snapshot(buildChangesNodes([outer, inner])));
    assert.deepEqual(changes[1], { 'auth — in billing': [row] });
    const filesOf = (nodes: Node[]): string[] => {
      const files: string[] = [];
      walk(nodes, (n) => n.file !== undefined && files.push(n.file));
      return files;
    };
    // Every changed file once, as with the outer folder alone.
    assert.deepEqual(filesOf(buildChangesNodes([outer, inner])), filesOf(buildChangesNodes([outer])));
    const review = shape(snapshot(buildReviewNodes([{ folder: outer, state: deriveReviewState({ digest: r.digest, specId: r.spec.id }, [], []) }, { folder: inner, state: { status: 'no-report' } }])));
    assert.deepEqual(review[1], { 'auth — in billing': [row] });
  });

  it('a folder git ignores in its repository says so above that repository\'s specs and changes', () => {
    const note = "Git ignores this folder: it lies in the repository /outer, whose specs and change are shown; none of this folder's files is part of a change.";
    const proj = folder(makeReport(), { name: 'proj', root: '/outer', note });
    const specs = shape(snapshot(buildSpecsNodes([proj])));
    assert.equal(specs[0], note);
    assert.match(Object.keys(specs[1] as object)[0]!, /^billing-retry — kiro · active$/);
    const changes = shape(snapshot(buildChangesNodes([proj])));
    assert.equal(changes[0], note);
    assert.deepEqual(shape(snapshot(buildChangesNodes([proj]))).slice(1), shape(snapshot(buildChangesNodes([folder(makeReport())]))));
    // Without an analysis the note comes with the reason, never alone.
    const failing = shape(snapshot(buildChangesNodes([folder(undefined, { note, error: 'no spec found' })])));
    assert.deepEqual(failing, [note, 'no spec found']);
  });
});

describe('review state', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  const other = 'sha256:' + 'b'.repeat(64);
  const specId = '.kiro/specs/billing-retry';
  const bundle = (d: string, mtime = 1): BundleInfo => ({ dir: `/repo/.specgate/reviews/${d.slice(7, 15)}`, digest: d, specId, mtime });
  const record = (d: string, decision: RecordInfo['decision'], time = '2026-11-22T10:00:00Z'): RecordInfo => ({
    file: `/repo/.specgate/approvals/${d.slice(7, 23)}.json`,
    digest: d,
    specId,
    decision,
    reviewer: 'Ann Reviewer',
    time,
  });

  it('is not exported, exported, approved, rejected or stale', () => {
    const cur = { digest, specId };
    assert.equal(deriveReviewState(undefined, [], []).status, 'no-report');
    assert.equal(deriveReviewState(cur, [], []).status, 'not-exported');
    assert.equal(deriveReviewState(cur, [bundle(other)], []).status, 'not-exported');
    assert.equal(deriveReviewState(cur, [bundle(digest)], []).status, 'exported');
    assert.equal(deriveReviewState(cur, [bundle(digest)], [record(digest, 'approved')]).status, 'approved');
    assert.equal(deriveReviewState(cur, [bundle(digest)], [record(digest, 'rejected')]).status, 'rejected');
    const stale = deriveReviewState(cur, [bundle(other)], [record(other, 'approved')]);
    assert.equal(stale.status, 'stale');
    assert.equal(stale.record?.digest, other);
  });

  it('not exported after an earlier bundle of the spec: names the newest, in the line and the Review view', () => {
    const cur = { digest, specId };
    const older = { ...bundle(other, Date.parse('2026-11-22T09:00:00Z')), dir: '/repo/.specgate/reviews/older' };
    const newer = { ...bundle(other, Date.parse('2026-11-22T10:30:00Z')), dir: '/repo/.specgate/reviews/newer' };
    const elsewhere = { ...bundle(other, Date.parse('2026-11-22T11:00:00Z')), dir: '/repo/.specgate/reviews/x', specId: '.kiro/specs/other' };
    const s = deriveReviewState(cur, [older, newer, elsewhere], []);
    assert.deepEqual(s, { digest, specId, status: 'not-exported', earlier: newer });
    assert.equal(describeReview(s), 'Not exported: the change has moved on since the last review bundle (exported at 2026-11-22 10:30:00 UTC).');
    assert.equal(describeReview(deriveReviewState(cur, [elsewhere], [])), 'Not exported: no review bundle for this change yet.');
    const node = buildReviewNodes([{ folder: folder(makeReport({ digest })), state: s }])[0]!;
    assert.deepEqual([node.label, node.description, node.tooltip], [
      'Not exported',
      'the change moved on since the last bundle',
      'The last review bundle (newer, exported at 2026-11-22 10:30:00 UTC) is of an earlier state of the change. Export again (SpecGate: Export Review Bundle) for the change as it stands.',
    ]);
  });

  it('stale names the newest record made against the current base, as verify does, and only without one a record of another base', () => {
    const b1 = '1'.repeat(40);
    const b2 = '2'.repeat(40);
    const third = 'sha256:' + 'c'.repeat(64);
    const at = (r: RecordInfo, commit: string | null): RecordInfo => ({ ...r, base: { ref: 'HEAD', commit } });
    const sameBase = at(record(other, 'approved', '2026-11-22T10:00:00Z'), b1);
    const newerOtherBase = at(record(third, 'rejected', '2026-11-22T11:00:00Z'), b2);
    const cur = { digest, specId, base: b1 };
    assert.deepEqual(deriveReviewState(cur, [], [newerOtherBase, sameBase]), { digest, specId, status: 'stale', record: sameBase });
    assert.deepEqual(deriveReviewState(cur, [bundle(digest)], [newerOtherBase]), {
      digest,
      specId,
      status: 'stale',
      bundle: bundle(digest),
      record: newerOtherBase,
      otherBase: { record: b2, current: b1 },
    });
    // Before the first commit the base is null, and a record of a commit is of another base.
    assert.deepEqual(deriveReviewState({ digest, specId, base: null }, [], [sameBase]), { digest, specId, status: 'stale', record: sameBase, otherBase: { record: b1, current: null } });
    // A record that does not say its base, or a change whose base is unknown, is not told apart.
    const noBase = record(other, 'approved');
    assert.deepEqual(deriveReviewState(cur, [], [noBase]), { digest, specId, status: 'stale', record: noBase });
    assert.deepEqual(deriveReviewState({ digest, specId }, [], [newerOtherBase]), { digest, specId, status: 'stale', record: newerOtherBase });
  });

  it('a decision on the current digest made against another base says so; one against this base is preferred', () => {
    const b1 = '1'.repeat(40);
    const b2 = '2'.repeat(40);
    const then = { ...record(digest, 'approved', '2026-11-22T10:00:00Z'), base: { ref: 'HEAD', commit: b2 } };
    const cur = { digest, specId, base: b1 };
    const approved = deriveReviewState(cur, [bundle(digest)], [then]);
    assert.deepEqual(approved, { digest, specId, status: 'approved', bundle: bundle(digest), record: then, otherBase: { record: b2, current: b1 } });
    const here = { ...record(digest, 'rejected', '2026-11-21T10:00:00Z'), base: { ref: 'HEAD', commit: b1 } };
    assert.deepEqual(deriveReviewState(cur, [], [then, here]), { digest, specId, status: 'rejected', record: here });
    assert.equal(
      describeReview(approved),
      'Approved by Ann Reviewer at 2026-11-22 10:00:00 UTC, against base 222222222222; the change is now against base 111111111111 (the same content).',
    );
    const stale = deriveReviewState(cur, [], [{ ...then, digest: other }]);
    assert.equal(
      describeReview(stale),
      'Stale: approved by Ann Reviewer at 2026-11-22 10:00:00 UTC against base 222222222222; the change is now against base 111111111111, and the change has moved on since.',
    );
    const r = makeReport({ digest });
    // The green seal only while the gate accepts the record; an untrusted signer's is a warning.
    const seal = (verify?: { ok: boolean; reason: string }) => buildReviewNodes([{ folder: folder(r), state: approved, ...(verify ? { verify } : {}) }])[0]!.icon;
    assert.deepEqual(
      [seal(), seal({ ok: true, reason: 'approved by ann@example.com' }), seal({ ok: false, reason: 'untrusted signer: …' })],
      [
        { id: 'verified-filled', color: 'charts.green' },
        { id: 'verified-filled', color: 'charts.green' },
        { id: 'unverified', color: 'problemsWarningIcon.foreground' },
      ],
    );
    const nodes = buildReviewNodes([{ folder: folder(r), state: approved }]);
    assert.deepEqual([nodes[0]!.label, nodes[0]!.description, nodes[0]!.tooltip], [
      'Approved by Ann Reviewer',
      '2026-11-22 10:00:00 UTC · against base 222222222222',
      `Approved by Ann Reviewer at 2026-11-22 10:00:00 UTC, against base 222222222222; the change is now against base 111111111111 (the same content)\n${then.file}`,
    ]);
    // An empty change: nothing to export (the export refuses it); with changes, Export is offered.
    const empty = makeReport({ digest, changes: [], summary: { files: 0, added: 0, removed: 0, outOfScope: 0, risk: 'low' } });
    const emptyNodes = buildReviewNodes([{ folder: folder(empty), state: { status: 'not-exported' } }]);
    assert.deepEqual(emptyNodes.map((n) => n.label), ['Nothing to review', `Change ${digest.slice(7, 19)}`, 'Verify Approval']);
    assert.ok(buildReviewNodes([{ folder: folder(r), state: { status: 'not-exported' } }]).some((n) => n.label === 'Export Review Bundle'));
    const staleNode = buildReviewNodes([{ folder: folder(r), state: stale }])[0]!;
    // A record of another base is of an earlier commit's change: the change now is a new one, not one edited since its review.
    assert.deepEqual([staleNode.label, staleNode.description, staleNode.tooltip], [
      'Not reviewed: the base moved since the last review',
      'approved by Ann Reviewer against base 222222222222 · 2026-11-22 10:00:00 UTC',
      `The approved record is for ${other} against base 222222222222; the change is now ${digest} against base 111111111111.`,
    ]);
  });

  it('Review tree: approved by whom and when, with the actions that still apply', () => {
    const r = makeReport({ digest });
    const state = deriveReviewState({ digest, specId }, [bundle(digest)], [record(digest, 'approved')]);
    const nodes = buildReviewNodes([{ folder: folder(r), state }]);
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['Approved by Ann Reviewer', 'Change aaaaaaaaaaaa', 'Open Review Packet', 'Reject…', 'Verify Approval'],
    );
    assert.equal(nodes[0]!.description, '2026-11-22 10:00:00 UTC');
    assert.deepEqual(nodes.map(ariaLabel), [
      'Approved by Ann Reviewer, 2026-11-22 10:00:00 UTC',
      'Change aaaaaaaaaaaa, 2 files, 2 lines added, 4 removed, risk high',
      'Open Review Packet',
      'Reject…',
      'Verify Approval',
    ]);
    const failing = buildReviewNodes([{ folder: folder(r), state, verify: { ok: false, reason: 'untrusted signer: no allowed_signers' } }]);
    assert.equal(ariaLabel(failing.find((n) => n.id === 'verify')!), 'Verification fails: untrusted signer: no allowed_signers');
    assert.deepEqual(nodes[2]!.target, { type: 'command', command: 'specgate.openPacket', args: [{ root: '/repo', specId, bundleDir: state.bundle!.dir }] });
  });
});

describe('status bar text', () => {
  it('names the active spec, the files outside it (in words, not an error icon beside the problem count) and the risk', () => {
    const r = makeReport();
    r.changes.push({ path: 'src/auth/session.ts', status: 'modified', binary: false, added: 1, removed: 1, classification: 'out-of-scope', tasks: [], hunks: [] });
    r.summary = { ...r.summary, outOfScope: 2, risk: 'critical' };
    const s = statusText([folder(r)]);
    assert.equal(s?.text, '$(target) billing-retry  $(warning) 2 outside spec  $(flame) critical risk');
    assert.equal(s?.tooltip, 'SpecGate: active spec billing-retry — 1 file out of scope, 1 file excluded (non-goals); risk critical. Click to open the SpecGate sidebar.');
    assert.equal(s?.accessibility, 'SpecGate: active spec billing-retry, 2 files outside the spec, risk critical');
    const clean = statusText([folder(makeReport({ changes: [], summary: { files: 0, added: 0, removed: 0, outOfScope: 0, risk: 'low' } }))]);
    assert.equal(clean?.text, '$(target) billing-retry  $(pass) in scope  $(flame) low risk');
    assert.equal(clean?.warn, false);
    assert.equal(statusText([folder(undefined, { activeSpecId: undefined })]), undefined);
    // An analysis that failed shows no finding anywhere: the item says so, in the warning colour.
    const failed = statusText([folder(undefined, { error: "unknown revision 'mian' (the setting specgate.baseRef): no branch, tag or commit of that name here", analysisFailed: true })]);
    assert.equal(failed?.text, '$(target) billing-retry  $(warning) not analysed');
    assert.equal(
      failed?.tooltip,
      "SpecGate: active spec billing-retry — not analysed, so no finding is shown: unknown revision 'mian' (the setting specgate.baseRef): no branch, tag or commit of that name here. Click to open the SpecGate sidebar.",
    );
    assert.equal(failed?.warn, true);
    // Not yet analysed, or no repository to analyse: the spec's name alone, as before.
    assert.equal(statusText([folder(undefined, { error: 'not in a git repository' })])?.warn, false);
  });

  it('with several folders, speaks for the active editor\'s folder, else the one most in need of attention, and names it', () => {
    const clean = makeReport({ changes: [], summary: { files: 0, added: 0, removed: 0, outOfScope: 0, risk: 'low' } });
    const flagged = makeReport();
    flagged.summary = { ...flagged.summary, outOfScope: 1, risk: 'high' };
    const alpha = folder(clean, { name: 'alpha', key: 'file:///ws/alpha' });
    const beta = folder(flagged, { name: 'beta', key: 'file:///ws/beta' });
    const gamma = folder(undefined, { name: 'gamma', key: 'file:///ws/gamma', error: "unknown revision 'no-such-ref'", analysisFailed: true });
    const inBeta = statusText([alpha, beta], 'file:///ws/beta');
    assert.equal(inBeta?.text, '$(target) beta › billing-retry  $(warning) 1 outside spec  $(flame) high risk');
    assert.equal(inBeta?.tooltip, 'SpecGate: active spec billing-retry in beta — 0 files out of scope, 1 file excluded (non-goals); risk high. Click to open the SpecGate sidebar.');
    assert.equal(statusText([alpha, beta], 'file:///ws/alpha')?.text, '$(target) alpha › billing-retry  $(pass) in scope  $(flame) low risk');
    // No editor in any folder: the folder whose state asks most for attention (a failed analysis first).
    assert.equal(statusText([alpha, beta])?.text, '$(target) beta › billing-retry  $(warning) 1 outside spec  $(flame) high risk');
    assert.equal(statusText([alpha, beta, gamma])?.text, '$(target) gamma › billing-retry  $(warning) not analysed');
    assert.equal(statusText([alpha, gamma], 'file:///ws/gamma')?.warn, true);
    // A folder with no active spec does not count; one folder alone is not named.
    assert.equal(statusText([alpha, folder(undefined, { name: 'docs', key: 'file:///ws/docs', activeSpecId: undefined })], 'file:///ws/docs')?.text, '$(target) billing-retry  $(pass) in scope  $(flame) low risk');
  });

  it('shows a failed analysis as a warning in every view, and a folder outside any repository as a fact', () => {
    const failed = folder(undefined, { error: "unknown revision 'no-such-ref' (the setting specgate.baseRef)", analysisFailed: true });
    for (const nodes of [buildSpecsNodes([failed]), buildChangesNodes([failed]), buildReviewNodes([{ folder: failed, state: { status: 'no-report' } }])]) {
      const row = nodes.find((n) => n.label.startsWith('unknown revision'));
      assert.equal(row?.icon?.id, 'warning', JSON.stringify(nodes.map((n) => n.label)));
    }
    const gitless = folder(undefined, { error: 'not a git repository: /ws/notes' });
    assert.equal(buildChangesNodes([gitless]).find((n) => n.label === 'No git repository: no analysis')?.icon?.id, 'info');
  });

  it('tells apart folders of one name, by the folder each sits in, else by its path', () => {
    assert.deepEqual(
      distinctFolderNames([
        { name: 'svc', path: '/w/front/svc' },
        { name: 'svc', path: '/w/back/svc' },
        { name: 'docs', path: '/w/docs' },
        { name: 'api', path: '/a/x/api' },
        { name: 'api', path: '/b/x/api' },
      ]),
      ['svc (front)', 'svc (back)', 'docs', 'api (/a/x/api)', 'api (/b/x/api)'],
    );
    // Two folders of one name get one node each (their ids are their keys), with the names told apart.
    const a = folder(makeReport(), { name: 'svc (front)', key: 'file:///w/front/svc' });
    const b = folder(makeReport(), { name: 'svc (back)', key: 'file:///w/back/svc' });
    for (const nodes of [buildSpecsNodes([a, b]), buildChangesNodes([a, b])]) {
      assert.deepEqual(nodes.map((n) => [n.id, n.label]), [['folder:file:///w/front/svc', 'svc (front)'], ['folder:file:///w/back/svc', 'svc (back)']]);
      const ids = new Set<string>();
      const walk = (ns: readonly Node[]): void => ns.forEach((n) => (assert.ok(!ids.has(n.id), n.id), ids.add(n.id), walk(n.children)));
      walk(nodes);
    }
  });

  it('shows icon syntax in a spec name as written, not as an icon ($( escaped); the tooltip is plain text', () => {
    const s = spec();
    s.name = 'retry $(pass) in scope';
    const r = makeReport({ changes: [], summary: { files: 0, added: 0, removed: 0, outOfScope: 0, risk: 'low' } });
    const status = statusText([folder(r, { specs: [s] })]);
    assert.equal(status?.text, '$(target) retry \\$(pass) in scope  $(pass) in scope  $(flame) low risk');
    assert.equal(status?.tooltip, 'SpecGate: active spec retry $(pass) in scope — every changed file in scope; risk low. Click to open the SpecGate sidebar.');
    assert.equal(statusText([folder(undefined, { specs: [s] })])?.text, '$(target) retry \\$(pass) in scope');
  });

  it('with no spec read, names a folder laid out almost as one; hidden with none, when untrusted, or while a spec is active', () => {
    const nearMisses = [
      { folder: 'specs/pay\u202e/', hint: 'spec-kit folders are numbered, so SpecGate reads specs/001-pay\u202e/', readAs: 'specs/001-pay\u202e/' },
      { folder: 'openspec/changes/', hint: 'each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md' },
    ];
    const near = folder(undefined, { specs: [], activeSpecId: undefined, name: 'api', nearMisses });
    const s = statusText([folder(undefined, { specs: [], activeSpecId: undefined, name: 'web' }), near]);
    assert.deepEqual(s, {
      text: '$(warning) No spec read',
      tooltip:
        'SpecGate: no spec read in api — specs/pay\\u{202e}/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-pay\\u{202e}/ (and 1 more such folder). Click to open the SpecGate sidebar and fix it.',
      accessibility: 'SpecGate: no spec read, specs/pay\\u{202e}/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-pay\\u{202e}/ (and 1 more such folder)',
      warn: true,
    });
    assert.equal(statusText([{ ...near, nearMisses: [nearMisses[1]!] }])?.tooltip, 'SpecGate: no spec read in api — openspec/changes/ looks like a spec, but each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md. Click to open the SpecGate sidebar and fix it.');
    assert.equal(statusText([folder(undefined, { specs: [], activeSpecId: undefined })]), undefined);
    assert.equal(statusText([{ ...near, trusted: false }]), undefined);
    // A folder whose spec is read (and active) says what it always said, near miss or not.
    assert.deepEqual(statusText([folder(makeReport(), { nearMisses }), near]), statusText([folder(makeReport())]));
    assert.equal(statusText([folder(makeReport(), { nearMisses }), near])?.text.startsWith('$(target) billing-retry'), true);
  });
});

describe('review files on disk', () => {
  it('reads bundles and decision records, skipping foreign files, and re-reads a packet only when it changed', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'specgate-review-'));
    try {
      const d = 'sha256:' + 'c'.repeat(64);
      await mkdir(path.join(root, '.specgate/reviews/b1'), { recursive: true });
      await mkdir(path.join(root, '.specgate/reviews/junk'), { recursive: true });
      await mkdir(path.join(root, '.specgate/approvals'), { recursive: true });
      await writeFile(path.join(root, '.specgate/reviews/b1/packet.json'), JSON.stringify({ digest: d, spec: { id: 'specs/001-x' } }));
      await writeFile(path.join(root, '.specgate/reviews/junk/packet.json'), '{not json');
      await writeFile(
        path.join(root, '.specgate/approvals/cccc.json'),
        JSON.stringify({ digest: d, spec: 'specs/001-x', decision: 'rejected', reviewer: { name: 'Ann', email: 'ann@example.com' }, time: '2026-11-22T10:00:00Z', comment: 'no', base: { ref: 'main', commit: 'f'.repeat(40) } }),
      );
      await writeFile(path.join(root, '.specgate/approvals/cccc.sig'), 'sig');
      const cache: PacketCache = new Map();
      const files = await readReviewFiles(root, cache);
      assert.deepEqual(files.bundles.map((b) => [path.basename(b.dir), b.digest, b.specId]), [['b1', d, 'specs/001-x']]);
      assert.deepEqual(
        files.records.map((r) => [r.decision, r.reviewer, r.specId, r.comment, r.base]),
        [['rejected', 'Ann', 'specs/001-x', 'no', { ref: 'main', commit: 'f'.repeat(40) }]],
      );
      assert.equal(cache.size, 1);
      const again = await readReviewFiles(root, cache);
      assert.equal(again.bundles[0]!.digest, d);
      // A bundle deleted: its entry goes with it.
      await rm(path.join(root, '.specgate/reviews/b1'), { recursive: true });
      assert.deepEqual((await readReviewFiles(root, cache)).bundles, []);
      assert.equal(cache.size, 0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
