// The .vsix that ships: built by the project's `npm run package` when it exists (another
// helper owns scripts/package.mjs), otherwise by @vscode/vsce directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, testDir } from './paths.mjs';

const VSCE = '@vscode/vsce@3.9.2';

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, npm_config_yes: 'true' },
    timeout: 300000,
  });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
}

/** Builds the package and returns the absolute path of the .vsix. */
export function buildVsix() {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const started = Date.now();
  if (pkg.scripts?.package) {
    const out = path.join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
    run('npm', ['run', '--silent', 'package']);
    if (!existsSync(out) || statSync(out).mtimeMs < started - 1000) {
      throw new Error(`'npm run package' did not write ${path.basename(out)} in the repository root`);
    }
    return out;
  }
  const out = path.join(testDir, `${pkg.name}-${pkg.version}.vsix`);
  run('npx', ['--yes', VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out]);
  return out;
}
