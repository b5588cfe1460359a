import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeRepo, testGitEnv } from './helpers/gitRepo';

const DIST = path.resolve(__dirname, '../../dist');

/** Runs a copy of the CLI with timings on; returns the code-cache state it reports. */
function run(dir: string, args: string[]): { status: number | null; stdout: string; cache: string | undefined } {
  const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], { env: { ...process.env, SPECGATE_TIMINGS: '1' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, cache: /\[specgate\] code cache: (.*)/.exec(r.stderr)?.[1] };
}

describe('CLI loader and code cache', function () {
  this.timeout(20_000);
  let dir: string;

  before(function () {
    if (!existsSync(path.join(DIST, 'cli-main.js.cache'))) {
      console.warn('  skipped: dist/cli-main.js.cache is missing (run npm run build)');
      this.skip();
    }
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'specgate-loader-'));
    for (const f of ['cli.js', 'cli-main.js', 'cli-main.js.cache']) copyFileSync(path.join(DIST, f), path.join(dir, f));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the cache the build made for these bytes', () => {
    const r = run(dir, ['--version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(r.cache, 'used');
  });

  it('ignores a cache made for other bytes and still runs', () => {
    appendFileSync(path.join(dir, 'cli-main.js'), '\n// changed after the cache was made\n');
    const r = run(dir, ['--version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(r.cache, 'made for other bytes');
  });

  it('runs without a cache', () => {
    rmSync(path.join(dir, 'cli-main.js.cache'));
    const r = run(dir, ['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.cache, 'absent');
  });

  it('keeps the exit-code contract through the loader (usage error → 2, one line)', () => {
    const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'check', '--cwd', path.join(dir, 'no-such-folder')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^specgate: folder not found: .*\n$/);
  });

  it('a hook installed through the loader runs this cli.js, not the bundle it loads', async () => {
    const repo = await makeRepo({ 'a.txt': 'a\n' });
    try {
      const env = { ...process.env, ...testGitEnv(path.join(repo.root, '..', 'home')) };
      const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'hook', 'install', '--cwd', repo.root], { encoding: 'utf8', env });
      assert.equal(r.status, 0, r.stderr);
      const hook = readFileSync(path.join(repo.root, '.git', 'hooks', 'pre-commit'), 'utf8');
      assert.ok(hook.includes(`SPECGATE_CLI='${path.join(dir, 'cli.js')}'`), hook);
    } finally {
      await repo.cleanup();
    }
  });

  it('dist/cli-main.js alone is the whole CLI (the one file docs/ci.md has CI take from the target branch)', async () => {
    const solo = mkdtempSync(path.join(tmpdir(), 'specgate-solo-'));
    const repo = await makeRepo({ 'docs/spec.md': '---\nscope:\n  - src/**\n---\n# Spec\n', 'src/a.ts': 'export const a = 1;\n' });
    try {
      copyFileSync(path.join(DIST, 'cli-main.js'), path.join(solo, 'specgate.js'));
      const env = { ...process.env, ...testGitEnv(path.join(repo.root, '..', 'home')) };
      const version = spawnSync(process.execPath, [path.join(solo, 'specgate.js'), '--version'], { encoding: 'utf8', env });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
      appendFileSync(path.join(repo.root, 'notes.txt'), 'n\n');
      const check = spawnSync(process.execPath, [path.join(solo, 'specgate.js'), 'check', '--format', 'json', '--cwd', repo.root], { encoding: 'utf8', env });
      assert.equal(check.status, 1, check.stderr);
      const report = JSON.parse(check.stdout) as { changes: { path: string; classification: string }[] };
      assert.deepEqual(report.changes.map((c) => [c.path, c.classification]), [['notes.txt', 'out-of-scope']]);
    } finally {
      rmSync(solo, { recursive: true, force: true });
      await repo.cleanup();
    }
  });
});
