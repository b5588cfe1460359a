// The npm package: `npm pack` ships only the built CLI and extension (the .npmignore
// allowlist), and after `npm install` of the tarball `npx specgate` runs the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd: string, args: string[], cwd: string) {
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('npm package', function () {
  this.timeout(180_000);
  let tmp: string;

  before(function () {
    // The build is `npm test`'s pretest. It is not run again here: the other test worker runs
    // dist/cli.js meanwhile, and a CLI started while the build rewrites it could read a file
    // cut short (once it ran nothing at all and exited 0).
    if (!['cli.js', 'cli-main.js', 'extension.js'].every((f) => existsSync(path.join(REPO_ROOT, 'dist', f)))) {
      this.skip(); // dist/ is not built: run `npm run build` first (npm test does)
    }
    tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'specgate-pack-')));
  });
  after(function () {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('npm pack holds only the built CLI and extension, media, grammars and the docs npm always ships', function () {
    const r = run(npm, ['pack', '--json', '--pack-destination', tmp], REPO_ROOT);
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path).sort();
    const allowed = /^(dist\/(cli|cli-main|extension)\.js|dist\/cli-main\.js\.cache|media\/.+|syntaxes\/.+|package\.json|README\.md|CHANGELOG\.md|LICENSE)$/;
    assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
    assert.ok(['dist/cli.js', 'dist/cli-main.js', 'dist/extension.js'].every((f) => files.includes(f)), files.join(', '));
  });

  it('after npm install of the tarball, npx specgate --version prints the version', function () {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const project = path.join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const install = run(npm, ['install', '--no-save', '--prefer-offline', path.join(tmp, `specgate-${version}.tgz`)], project);
    assert.equal(install.status, 0, install.stderr);
    const r = run(npx, ['--no-install', 'specgate', '--version'], project);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  });
});
