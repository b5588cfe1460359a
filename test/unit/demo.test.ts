// The bundled example and `npm run demo`: the example repository is built in each spec
// layout, and the real CLI bundle (dist/cli.js) must report every finding it exists to show.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RULE_IDS, type FindingKind, type Report } from '../../src/core/model';

type DemoLib = typeof import('../../scripts/demo-lib.mjs', { with: { 'resolution-mode': 'import' } });
type ExampleLayout = Parameters<DemoLib['expectedExampleFindings']>[0];

const REPO_ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const LAYOUTS: ExampleLayout[] = ['kiro', 'speckit', 'openspec'];

function runNode(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bundled example and npm run demo', function () {
  this.timeout(120_000);
  let tmp: string;
  let lib: DemoLib;

  before(async function () {
    lib = await import('../../scripts/demo-lib.mjs');
    lib.ensureBuilt();
  });
  beforeEach(function () {
    tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'specgate-demo-test-')));
  });
  afterEach(function () {
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const layout of LAYOUTS) {
    it(`specgate check reports every finding the example is meant to show (${layout})`, function () {
      const repo = lib.createExampleRepo(path.join(tmp, 'repo'), { layout, applyChange: true });
      const r = runNode([CLI, 'check', '--cwd', repo.root, '--format', 'json'], repo.root);
      assert.equal(r.status, 1, `check should exit 1 (error findings); got ${r.status}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as Report;
      assert.equal(report.spec.id, repo.specId);
      assert.equal(report.spec.format, layout);

      const got = report.findings.map((f) => `${f.kind} ${f.path}${f.task ? ` task ${f.task}` : ''}`);
      const missing = lib.expectedExampleFindings(layout).filter(
        (e) =>
          !report.findings.some(
            (f) => f.kind === e.kind && (e.path === undefined || f.path === e.path) && (e.task === undefined || f.task === e.task),
          ),
      );
      assert.deepEqual(
        missing,
        [],
        `missing findings: ${JSON.stringify(missing)}\nreported:\n  ${got.join('\n  ')}`,
      );
    });
  }

  it('the example without the change has no changed files', function () {
    const repo = lib.createExampleRepo(path.join(tmp, 'repo'), { layout: 'kiro', applyChange: false });
    const r = runNode([CLI, 'check', '--cwd', repo.root, '--format', 'json', '--fail-on', 'none'], repo.root);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.changes, []);
  });

  it('npm run demo runs check and bundle and prints a bundle path that exists', function () {
    const dir = path.join(tmp, 'demo');
    const r = runNode([path.join(REPO_ROOT, 'scripts', 'demo.mjs'), '--dir', dir], REPO_ROOT);
    assert.equal(r.status, 0, `demo exited ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /== specgate check/);
    for (const e of lib.expectedExampleFindings('kiro')) {
      const rule = RULE_IDS[e.kind as FindingKind];
      assert.match(r.stdout, new RegExp(`\\b${rule}\\b`), `the check text shows no ${rule} (${e.kind})`);
    }
    const bundle = /^Bundle:\s+(.+)$/m.exec(r.stdout)?.[1]?.trim();
    assert.ok(bundle, `no "Bundle:" line in:\n${r.stdout}`);
    assert.ok(bundle.startsWith(dir), `bundle ${bundle} should be inside the example repository ${dir}`);
    for (const f of ['review.html', 'packet.json', 'REVIEW.md', 'changes.patch']) {
      assert.ok(existsSync(path.join(bundle, f)), `bundle lacks ${f}`);
    }
    assert.match(r.stdout, new RegExp(`code '${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
  });

  it('npm run demo -- --help prints its usage and makes nothing; an unknown argument is refused in one line', function () {
    const demo = path.join(REPO_ROOT, 'scripts', 'demo.mjs');
    const help = runNode([demo, '--help', '--dir', path.join(tmp, 'help')], REPO_ROOT);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^usage: npm run demo -- \[--layout kiro\|speckit\|openspec\] \[--dir EMPTY_DIR\]\n/);
    assert.equal(existsSync(path.join(tmp, 'help')), false, '--help made the example folder');
    const bad = runNode([demo, '--dir', path.join(tmp, 'bad'), '--layuot', 'kiro'], REPO_ROOT);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'demo: unknown argument --layuot; usage: npm run demo -- [--layout kiro|speckit|openspec] [--dir EMPTY_DIR]\n');
    assert.equal(existsSync(path.join(tmp, 'bad')), false, 'a refused run made the example folder');
  });

  it('the DELETED list refuses a path outside the repository', function () {
    writeFileSync(path.join(tmp, 'DELETED'), '# comment\n\nsrc/a.ts\n../outside.txt\n');
    assert.throws(() => lib.readDeletedList(tmp), /not a path inside the repository: \.\.\/outside\.txt/);
  });

  it('createExampleRepo refuses a folder that is not empty', function () {
    writeFileSync(path.join(tmp, 'keep.txt'), 'mine');
    assert.throws(() => lib.createExampleRepo(tmp, { layout: 'kiro', applyChange: true }), /is not empty/);
    assert.ok(existsSync(path.join(tmp, 'keep.txt')));
  });
});
