import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../src/core/model';
import { BACKUP_SUFFIX, HOOK_MARKER, hookScript, installHook, uninstallHook } from '../../src/node/hook';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

describe('pre-commit hook install/uninstall', () => {
  let repo: TestRepo;
  const prevEnv = { ...process.env };
  beforeEach(async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo.cleanup();
  });

  const hookFile = () => path.join(repo.root, '.git', 'hooks', 'pre-commit');

  it('writes an executable hook that runs verify --staged with the given CLI, marked as ours', async () => {
    const r = await installHook({ cwd: repo.root, cliPath: '/opt/it\'s here/cli.js', nodePath: '/usr/bin/node' });
    assert.deepEqual(r, { path: hookFile(), action: 'installed' });
    const text = readFileSync(hookFile(), 'utf8');
    assert.ok(text.startsWith(`#!/bin/sh\n${HOOK_MARKER}\n`));
    assert.match(text, /SPECGATE_CLI='\/opt\/it'\\''s here\/cli\.js'/);
    assert.match(text, /"\$SPECGATE_NODE" "\$SPECGATE_CLI" verify --staged/);
    assert.equal(statSync(hookFile()).mode & 0o111, 0o111);
    execFileSync('sh', ['-n', hookFile()]);
  });

  it('falls back to npx when no CLI path is known', () => {
    const text = hookScript(undefined, '/usr/bin/node');
    assert.match(text, /\nnpx --no-install specgate verify --staged\n/);
    assert.doesNotMatch(text, /SPECGATE_CLI/);
  });

  it('updates its own hook in place', async () => {
    await installHook({ cwd: repo.root, cliPath: '/a/cli.js' });
    const r = await installHook({ cwd: repo.root, cliPath: '/b/cli.js' });
    assert.equal(r.action, 'updated');
    assert.match(readFileSync(hookFile(), 'utf8'), /\/b\/cli\.js/);
  });

  it('refuses to replace a foreign hook without --force, and keeps a backup with it', async () => {
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    writeFileSync(hookFile(), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    await assert.rejects(installHook({ cwd: repo.root }), (e: Error) => e instanceof UsageError && /was not written by SpecGate; pass --force/.test(e.message));
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho mine\n');
    const r = await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js' });
    assert.equal(r.backup, hookFile() + BACKUP_SUFFIX);
    assert.equal(readFileSync(r.backup!, 'utf8'), '#!/bin/sh\necho mine\n');
    assert.ok(readFileSync(hookFile(), 'utf8').includes(HOOK_MARKER));
    const u = await uninstallHook({ cwd: repo.root });
    assert.deepEqual(u, { path: hookFile(), action: 'removed', restored: hookFile() + BACKUP_SUFFIX });
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho mine\n');
    assert.ok(!existsSync(hookFile() + BACKUP_SUFFIX));
  });

  it('uninstall puts back the hook the LAST forced install replaced, and keeps the older backup', async () => {
    const foreign = (name: string) => {
      mkdirSync(path.dirname(hookFile()), { recursive: true });
      writeFileSync(hookFile(), `#!/bin/sh\necho ${name}\n`, { mode: 0o755 });
    };
    foreign('foreign');
    assert.equal((await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js' })).backup, hookFile() + BACKUP_SUFFIX);
    foreign('foreign2');
    await assert.rejects(installHook({ cwd: repo.root }), (e: Error) => e.message.endsWith(`(the old hook is kept as pre-commit${BACKUP_SUFFIX}-2)`));
    assert.equal((await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js' })).backup, hookFile() + BACKUP_SUFFIX + '-2');

    const u = await uninstallHook({ cwd: repo.root });
    assert.deepEqual(u, { path: hookFile(), action: 'removed', restored: hookFile() + BACKUP_SUFFIX + '-2', kept: [hookFile() + BACKUP_SUFFIX] });
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho foreign2\n');
    assert.equal(statSync(hookFile()).mode & 0o111, 0o111);
    assert.equal(readFileSync(hookFile() + BACKUP_SUFFIX, 'utf8'), '#!/bin/sh\necho foreign\n');
    assert.ok(!existsSync(hookFile() + BACKUP_SUFFIX + '-2'));
    // foreign2 is not ours: a second uninstall leaves it (and the older backup) alone.
    await assert.rejects(uninstallHook({ cwd: repo.root }), /was not written by SpecGate; left as it is/);
    assert.equal(readFileSync(hookFile() + BACKUP_SUFFIX, 'utf8'), '#!/bin/sh\necho foreign\n');
  });

  it('numbers a new backup after the highest one there, even with gaps, so uninstall finds the newest', async () => {
    const hooks = path.dirname(hookFile());
    mkdirSync(hooks, { recursive: true });
    writeFileSync(hookFile() + BACKUP_SUFFIX, 'oldest\n');
    writeFileSync(hookFile() + BACKUP_SUFFIX + '-3', 'older\n');
    writeFileSync(hookFile() + BACKUP_SUFFIX + '-x', 'not a backup\n');
    writeFileSync(hookFile() + BACKUP_SUFFIX + '-03', 'not a backup either\n');
    writeFileSync(hookFile(), '#!/bin/sh\necho newest\n');
    const r = await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js' });
    assert.equal(r.backup, hookFile() + BACKUP_SUFFIX + '-4');
    const u = await uninstallHook({ cwd: repo.root });
    assert.deepEqual([u.restored, u.kept], [hookFile() + BACKUP_SUFFIX + '-4', [hookFile() + BACKUP_SUFFIX, hookFile() + BACKUP_SUFFIX + '-3']]);
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho newest\n');
  });

  it('the CLI says which backup it put back and which it left', async () => {
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [path.join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), path.join(__dirname, '../../src/cli/main.ts'), ...args], {
        cwd: repo.root,
        env: process.env,
        encoding: 'utf8',
      });
    writeFileSync(hookFile(), '#!/bin/sh\necho foreign\n', { mode: 0o755 });
    assert.match(cli('hook', 'install', '--force'), new RegExp(`^moved the previous hook to ${hookFile()}${BACKUP_SUFFIX}\n`));
    writeFileSync(hookFile(), '#!/bin/sh\necho foreign2\n', { mode: 0o755 });
    cli('hook', 'install', '--force');
    assert.equal(
      cli('hook', 'uninstall'),
      `removed ${hookFile()} and put back the hook it replaced (pre-commit${BACKUP_SUFFIX}-2); older backups left as they are: pre-commit${BACKUP_SUFFIX}\n`,
    );
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho foreign2\n');
  });

  it('uninstall leaves a foreign hook alone and reports a missing one', async () => {
    assert.equal((await uninstallHook({ cwd: repo.root })).action, 'absent');
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    writeFileSync(hookFile(), '#!/bin/sh\nexit 0\n');
    await assert.rejects(uninstallHook({ cwd: repo.root }), /was not written by SpecGate; left as it is/);
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\nexit 0\n');
  });

  for (const [exit, expected] of [
    [0, /^$/],
    [1, /commit refused\. Run 'specgate bundle --staged'/],
    [2, /commit refused: specgate verify could not run/],
  ] as const) {
    it(`passes the verify exit code ${exit} through to git commit with the matching message`, async () => {
      const fake = path.join(repo.root, '..', `fake-cli-${exit}.js`);
      writeFileSync(fake, `if (process.argv.slice(2).join(' ') !== 'verify --staged') process.exit(9); process.exit(${exit});\n`);
      await installHook({ cwd: repo.root, cliPath: fake, nodePath: process.execPath });
      await repo.write('a.txt', `a${exit}\n`);
      await repo.git('add', 'a.txt');
      let code = 0;
      let stderr = '';
      try {
        execFileSync('git', ['commit', '-q', '-m', 'x'], { cwd: repo.root, env: process.env, stdio: 'pipe' });
      } catch (e) {
        code = (e as { status: number }).status;
        stderr = String((e as { stderr: Buffer }).stderr);
      }
      assert.equal(code, exit === 0 ? 0 : 1);
      assert.match(stderr, expected);
    });
  }

  it('refuses, at once, a core.hooksPath the file system will not make (/proc)', async function () {
    if (process.platform !== 'linux' || !existsSync('/proc/self')) this.skip();
    this.timeout(10000);
    await repo.git('config', 'core.hooksPath', '/proc/specgate-nope/hooks');
    await assert.rejects(
      installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
      (e: Error) => e instanceof UsageError && /^cannot write \/proc\/specgate-nope\/hooks\/pre-commit: ENOENT/.test(e.message),
    );
    assert.ok(!existsSync(hookFile()));
  });

  it('honours core.hooksPath (relative to the work tree), from a subfolder', async () => {
    await repo.git('config', 'core.hooksPath', '.githooks');
    await repo.write('sub/x.txt', 'x\n');
    const r = await installHook({ cwd: path.join(repo.root, 'sub'), cliPath: '/a/cli.js' });
    assert.equal(r.path, path.join(repo.root, '.githooks', 'pre-commit'));
    assert.ok(existsSync(r.path));
    assert.ok(!existsSync(hookFile()));
    assert.equal((await uninstallHook({ cwd: repo.root })).action, 'removed');
    assert.ok(!existsSync(r.path));
  });
});
