// The CLI's two streams as a user's terminal and CI see them: repository text in an error
// comes out escaped on one line, and output that cannot be written is an error, not a verdict.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CLI, cliBuilt, runCli } from './helpers/checkCli';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const TASKS = '# Tasks\n\n- [ ] 1. Do it in `src/a.ts`\n';

describe('the CLI on stderr and a failing stdout', function () {
  this.timeout(60_000);
  let repo: TestRepo;
  before(function () {
    if (!cliBuilt()) this.skip(); // needs `npm run build` (npm test builds first)
  });
  afterEach(() => repo?.cleanup());

  it('escapes spec folder names with terminal sequences and line breaks in a one-line error', async () => {
    const evil = 'fe\u001b[31mat\u001b]0;PWNED\u0007';
    repo = await makeRepo({
      [`.kiro/specs/${evil}/tasks.md`]: TASKS,
      '.kiro/specs/a\nspecgate: fake second line/tasks.md': TASKS,
      '.kiro/specs/other/tasks.md': TASKS,
      'src/a.ts': 'export const a = 1;\n',
    });
    await repo.write('src/a.ts', 'export const a = 2;\n');
    const r = await runCli(repo, ['check']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'specgate: no spec given and 3 specs found: .kiro/specs/a\\nspecgate: fake second line, .kiro/specs/fe\\u{1b}[31mat\\u{1b}]0;PWNED\\u{7}, .kiro/specs/other; pass --spec\n',
    );
  });

  it('says which option lacks its value when the next word is another option', async () => {
    repo = await makeRepo({ 'docs/spec.md': '---\nscope: ["src/**"]\n---\n# S\n' });
    for (const [opt, what] of [['--spec', 'a spec id (specgate specs lists them)'], ['--base', 'a branch, tag or commit']]) {
      const r = await runCli(repo, ['check', opt, '--format', 'json']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `specgate: ${opt} needs a value, but the next word is the option --format; pass ${what}\n`);
    }
  });

  it('escapes zero-width characters that would make two names print alike', async () => {
    repo = await makeRepo({ 'docs/spec.md': '---\nscope: ["src/**"]\n---\n# S\n', 'src/config.ts': 'export const c = 1;\n' });
    await repo.write('lib/con\u200bfig.ts', 'x\n');
    const r = await runCli(repo, ['check', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /lib\/con\\u\{200b\}fig\.ts/);
  });

  it('the launcher copied without cli-main.js says so in one line and exits 2, not 1 (not approved) with a stack trace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'specgate-launcher-'));
    try {
      copyFileSync(CLI, path.join(dir, 'cli.js'));
      const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), 'verify'], { cwd: dir, encoding: 'utf8' });
      assert.deepEqual(
        [r.status, r.stdout, r.stderr],
        [2, '', `specgate: cannot read ${path.join(dir, 'cli-main.js')} (ENOENT): this launcher runs the cli-main.js beside it; copy both files of dist/\n`],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never exits 0 when the command did not finish: a git that never answers makes verify and bundle exit 70 with one line', async () => {
    repo = await makeRepo({ 'docs/spec.md': '---\nscope: ["src/**"]\n---\n# S\n\n- [ ] 1. In `src/a.ts`\n', 'src/a.ts': 'export const a = 1;\n' });
    await repo.write('src/a.ts', 'export const a = 2;\n');
    // Loaded before the CLI: every git the CLI starts is a child that never answers and holds
    // no handle, so the command's promise stays pending and the event loop runs dry.
    const preload = path.join(path.dirname(repo.root), 'silent-git.js');
    writeFileSync(
      preload,
      `const cp = require('node:child_process');
const { EventEmitter } = require('node:events');
const { PassThrough } = require('node:stream');
const silent = () => Object.assign(new EventEmitter(), { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), kill() {} });
cp.execFile = silent;
cp.spawn = silent;
`,
    );
    const env = testGitEnv(path.join(path.dirname(repo.root), 'home'));
    for (const args of [['verify'], ['bundle', '--out', path.join(path.dirname(repo.root), 'out')], ['check']]) {
      const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], { cwd: repo.root, env, encoding: 'utf8', timeout: 30_000 });
      assert.deepEqual(
        [r.status, r.stdout, r.stderr],
        [70, '', 'specgate: internal error: the command stopped before it finished (nothing was left to wait for); no result was given\n'],
        args.join(' '),
      );
    }
  });

  it('says in one line, with exit 2, that it could not write its output (a full disk), for check, specs and bundle', async () => {
    if (!existsSync('/dev/full')) return; // no /dev/full here: nothing to write to that always fails
    repo = await makeRepo({ 'docs/spec.md': '---\nscope: ["src/**"]\n---\n# S\n\n- [ ] 1. In `src/a.ts`\n', 'src/a.ts': 'export const a = 1;\n' });
    await repo.write('src/a.ts', 'export const a = 2;\n');
    const env = testGitEnv(path.join(path.dirname(repo.root), 'home'));
    for (const args of [['check', '--format', 'sarif', '--fail-on', 'none'], ['check', '--fail-on', 'none'], ['specs', '--json'], ['bundle', '--out', path.join(path.dirname(repo.root), 'out')]]) {
      const r = spawnSync('sh', ['-c', `exec "$0" "$@" > /dev/full`, process.execPath, CLI, ...args], { cwd: repo.root, env, encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, 'specgate: could not write the output: ENOSPC: no space left on device, write\n', args.join(' '));
    }
  });
});
