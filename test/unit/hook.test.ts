import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../src/core/model';
import { BACKUP_SUFFIX, HOOK_MARKER, hookScript, installHook, staleGate, uninstallHook } from '../../src/node/hook';
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
    assert.match(text, /\n {2}NODE_EXTRA_CA_CERTS= "\$SPECGATE_NODE" "\$SPECGATE_CLI" verify --staged\n/);
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
    // The same install again writes nothing and says so.
    const before = statSync(hookFile()).mtimeMs;
    assert.deepEqual(await installHook({ cwd: repo.root, cliPath: '/b/cli.js' }), { path: hookFile(), action: 'unchanged' });
    assert.equal(statSync(hookFile()).mtimeMs, before);
  });

  it('refuses to replace a foreign hook without --force, and keeps a backup with it', async () => {
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    writeFileSync(hookFile(), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    await assert.rejects(installHook({ cwd: repo.root }), (e: Error) => e instanceof UsageError && /was not written by SpecGate; to keep it running, .* or pass --force/.test(e.message));
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
    await assert.rejects(installHook({ cwd: repo.root }), (e: Error) => e.message.endsWith(`(the old hook is kept as pre-commit${BACKUP_SUFFIX}-2 and no longer runs)`));
    assert.equal((await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js' })).backup, hookFile() + BACKUP_SUFFIX + '-2');

    const u = await uninstallHook({ cwd: repo.root });
    assert.deepEqual(u, { path: hookFile(), action: 'removed', restored: hookFile() + BACKUP_SUFFIX + '-2', kept: [hookFile() + BACKUP_SUFFIX] });
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho foreign2\n');
    assert.equal(statSync(hookFile()).mode & 0o111, 0o111);
    assert.equal(readFileSync(hookFile() + BACKUP_SUFFIX, 'utf8'), '#!/bin/sh\necho foreign\n');
    assert.ok(!existsSync(hookFile() + BACKUP_SUFFIX + '-2'));
    // foreign2 is not ours: a second uninstall leaves it (and the older backup) alone.
    assert.deepEqual(await uninstallHook({ cwd: repo.root }), { path: hookFile(), action: 'foreign' });
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

  it('refuses a foreign hook (husky, pre-commit) in one line naming the command to add to it, which then gates the commit', async () => {
    const dist = path.join(__dirname, '../../dist/cli.js');
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    writeFileSync(hookFile(), '#!/bin/sh\necho lint ran >&2\n', { mode: 0o755 });
    let code = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [dist, 'hook', 'install'], { cwd: repo.root, env: process.env, stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    const command = `${process.execPath} ${dist} verify --staged`;
    assert.equal(code, 2);
    assert.equal(
      stderr,
      `specgate: ${hookFile()} exists and was not written by SpecGate; to keep it running, add the line \`${command} || exit 1\` to it ` +
        `(or to your hook manager's configuration; see docs/ci.md), or pass --force to replace it ` +
        `(the old hook is kept as pre-commit${BACKUP_SUFFIX} and no longer runs)\n`,
    );
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho lint ran >&2\n');
    // The line it names, added to the foreign hook, gates the commit and keeps the hook running.
    writeFileSync(hookFile(), `#!/bin/sh\necho lint ran >&2\n${command} || exit 1\n`, { mode: 0o755 });
    await repo.write('a.txt', 'changed\n');
    await repo.git('add', 'a.txt');
    const head = await repo.git('rev-parse', 'HEAD');
    try {
      execFileSync('git', ['commit', '-q', '-m', 'x'], { cwd: repo.root, env: process.env, stdio: 'pipe' });
      assert.fail('the commit went through');
    } catch (e) {
      assert.equal((e as { status: number }).status, 1);
      assert.match(String((e as { stderr: Buffer }).stderr), /^lint ran\nspecgate: no spec found in this repository/);
    }
    assert.equal(await repo.git('rev-parse', 'HEAD'), head);
  });

  it('uninstall leaves a foreign hook alone and reports a missing one', async () => {
    assert.equal((await uninstallHook({ cwd: repo.root })).action, 'absent');
    mkdirSync(path.dirname(hookFile()), { recursive: true });
    writeFileSync(hookFile(), '#!/bin/sh\nexit 0\n');
    assert.deepEqual(await uninstallHook({ cwd: repo.root }), { path: hookFile(), action: 'foreign' });
    assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\nexit 0\n');
    // A hook manager's hook that runs the gate itself: the advice is to edit that line out.
    const husky = '#!/bin/sh\nnpx lint-staged\nnpx specgate verify --staged\n';
    writeFileSync(hookFile(), husky);
    await assert.rejects(
      uninstallHook({ cwd: repo.root }),
      (e: Error) => e.message === `${hookFile()} was not written by SpecGate, though it runs specgate; left as it is: to drop the gate, delete its specgate line yourself`,
    );
    assert.equal(readFileSync(hookFile(), 'utf8'), husky);
    // The very line install asks for, with a CLI whose path does not say specgate: a gate too.
    const asked = '#!/bin/sh\nnpx lint-staged\n/usr/bin/node /opt/tools/cli.js verify --staged || exit 1\n';
    writeFileSync(hookFile(), asked);
    await assert.rejects(
      uninstallHook({ cwd: repo.root }),
      (e: Error) => e.message === `${hookFile()} was not written by SpecGate, though it runs specgate; left as it is: to drop the gate, delete its specgate line yourself`,
    );
    assert.equal(readFileSync(hookFile(), 'utf8'), asked);
  });

  it('a hook whose CLI is gone (a clone moved, an extension updated) refuses the commit saying so, and runs nothing else', async () => {
    const gone = path.join(repo.root, '..', 'moved', 'cli.js');
    await installHook({ cwd: repo.root, cliPath: gone, nodePath: process.execPath });
    await repo.write('a.txt', 'changed\n');
    await repo.git('add', 'a.txt');
    // An npx on the PATH would say so if it were run.
    const bin = path.join(repo.root, '..', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'npx'), '#!/bin/sh\necho npx was run >&2\nexit 1\n', { mode: 0o755 });
    const r = spawnSync('git', ['commit', '-q', '-m', 'x'], { cwd: repo.root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    assert.deepEqual(
      [r.status, r.stderr],
      [
        1,
        `specgate: The pre-commit gate cannot run: SpecGate's CLI is no longer at ${gone} (a clone moved, or an update of the extension removed it). ` +
          `Run 'specgate hook install', or SpecGate: Install Pre-commit Gate in VS Code, again.\n`,
      ],
    );
  });

  it('staleGate names SpecGate\'s own hook whose CLI is gone, and nothing else', async () => {
    assert.equal(await staleGate(repo.root), undefined, 'no hook');
    const here = path.join(repo.root, '..', 'cli-here.js');
    writeFileSync(here, '');
    await installHook({ cwd: repo.root, cliPath: here, nodePath: process.execPath });
    assert.equal(await staleGate(repo.root), undefined, 'its CLI is there');
    const gone = path.join(repo.root, '..', 'gone', 'cli.js');
    await installHook({ cwd: repo.root, cliPath: gone, nodePath: process.execPath });
    assert.deepEqual(await staleGate(repo.root), { path: hookFile(), cli: gone });
    // Edited, it is the user's: not offered for a rewrite.
    writeFileSync(hookFile(), `${readFileSync(hookFile(), 'utf8')}npm test\n`);
    assert.equal(await staleGate(repo.root), undefined, 'edited');
    writeFileSync(hookFile(), `#!/bin/sh\nnode ${gone} verify --staged\n`);
    assert.equal(await staleGate(repo.root), undefined, 'not SpecGate\'s');
  });

  describe("SpecGate's hook with edits of the user's own", () => {
    const tsxCli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), path.join(__dirname, '../../src/cli/main.ts'), ...args], {
        cwd: repo.root,
        env: process.env,
        encoding: 'utf8',
      });
    const ours = () => hookScript('/a/cli.js', '/usr/bin/node');
    // The user's own check, added before the gate.
    const edited = () => ours().replace('\nSPECGATE_CLI=', '\nnpm test || exit 1\nSPECGATE_CLI=');
    const installRefusal = (backup: string) =>
      `${hookFile()} is SpecGate's hook with edits of your own; to keep them, leave it as it is, with its verify lines ` +
      `(or the line \`/usr/bin/node /b/cli.js verify --staged || exit 1\`) still in it to gate commits, ` +
      `or pass --force to replace it (the edited hook is kept as ${backup}, and specgate hook uninstall puts it back)`;
    const uninstallRefusal = (copy: string) =>
      `${hookFile()} is SpecGate's hook with edits of your own; left as it is: to drop the gate, delete its specgate lines yourself, ` +
      `or pass --force to remove it (the edited hook is kept as ${copy})`;
    // The hook and SpecGate's backups and copies of it (git's own samples left out).
    const specgateFiles = () => readdirSync(path.dirname(hookFile())).filter((f) => f === 'pre-commit' || f.startsWith('pre-commit.specgate'));
    const writeHook = (text: string) => {
      mkdirSync(path.dirname(hookFile()), { recursive: true });
      writeFileSync(hookFile(), text, { mode: 0o755 });
    };

    it('install refuses it in one line and leaves it as it is: an added line, a space at a line end, a lost last line break', async () => {
      for (const text of [edited(), ours().replace('exit "$status"', 'exit "$status" '), ours().slice(0, -1)]) {
        writeHook(text);
        await assert.rejects(
          installHook({ cwd: repo.root, cliPath: '/b/cli.js', nodePath: '/usr/bin/node' }),
          (e: Error) => e instanceof UsageError && e.message === installRefusal(`pre-commit${BACKUP_SUFFIX}`),
        );
        assert.equal(readFileSync(hookFile(), 'utf8'), text);
        assert.deepEqual(specgateFiles(), ['pre-commit']);
      }
    });

    it('install --force replaces it, keeping the edited hook as the newest backup, which uninstall puts back', async () => {
      writeHook(edited());
      const r = await installHook({ cwd: repo.root, force: true, cliPath: '/b/cli.js', nodePath: '/usr/bin/node' });
      assert.deepEqual(r, { path: hookFile(), action: 'installed', backup: hookFile() + BACKUP_SUFFIX });
      assert.equal(readFileSync(r.backup!, 'utf8'), edited());
      assert.equal(readFileSync(hookFile(), 'utf8'), hookScript('/b/cli.js', '/usr/bin/node'));
      const u = await uninstallHook({ cwd: repo.root });
      assert.deepEqual(u, { path: hookFile(), action: 'removed', restored: hookFile() + BACKUP_SUFFIX });
      assert.equal(readFileSync(hookFile(), 'utf8'), edited());
      assert.equal(statSync(hookFile()).mode & 0o111, 0o111);
    });

    it('uninstall refuses it in one line and leaves it as it is', async () => {
      writeHook(edited());
      await assert.rejects(uninstallHook({ cwd: repo.root }), (e: Error) => e instanceof UsageError && e.message === uninstallRefusal('pre-commit.specgate-edited'));
      assert.equal(readFileSync(hookFile(), 'utf8'), edited());
      const r = tsxCli('hook', 'uninstall');
      assert.deepEqual([r.status, r.stdout, r.stderr], [2, '', `specgate: ${uninstallRefusal('pre-commit.specgate-edited')}\n`]);
      assert.deepEqual(specgateFiles(), ['pre-commit']);
    });

    it('uninstall --force keeps a copy beside it (never over a file there), then puts back the newest backup, and the CLI says where', async () => {
      writeHook('#!/bin/sh\necho foreign\n');
      await installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' });
      writeHook(edited());
      writeFileSync(hookFile() + '.specgate-edited', 'an earlier copy\n');
      await assert.rejects(uninstallHook({ cwd: repo.root }), (e: Error) => e.message === uninstallRefusal('pre-commit.specgate-edited-2'));
      const r = tsxCli('hook', 'uninstall', '--force');
      assert.deepEqual(
        [r.status, r.stdout, r.stderr],
        [
          0,
          `kept the edited hook as ${hookFile()}.specgate-edited-2\nremoved ${hookFile()} and put back the hook it replaced (pre-commit${BACKUP_SUFFIX})\n`,
          '',
        ],
      );
      assert.equal(readFileSync(hookFile() + '.specgate-edited-2', 'utf8'), edited());
      assert.equal(readFileSync(hookFile() + '.specgate-edited', 'utf8'), 'an earlier copy\n');
      assert.equal(readFileSync(hookFile(), 'utf8'), '#!/bin/sh\necho foreign\n');
      assert.ok(!existsSync(hookFile() + BACKUP_SUFFIX));
    });

    it('uninstall --force with no backup removes it and returns where the copy is', async () => {
      writeHook(edited());
      const u = await uninstallHook({ cwd: repo.root, force: true });
      assert.deepEqual(u, { path: hookFile(), action: 'removed', edited: hookFile() + '.specgate-edited' });
      assert.ok(!existsSync(hookFile()));
      assert.equal(readFileSync(u.edited!, 'utf8'), edited());
    });

    it('an unedited hook, whatever CLI and node it names (quotes and line breaks too) or in the npx form, is still updated and removed', async () => {
      for (const [cli, node] of [
        ["/opt/it's here/cli.js", '/usr/bin/node'],
        ['/opt/two\nlines/cli.js', "/n'o'de"],
        [undefined, '/usr/bin/node'],
      ] as const) {
        writeHook(hookScript(cli, node));
        assert.deepEqual(await installHook({ cwd: repo.root, cliPath: '/b/cli.js', nodePath: '/usr/bin/node' }), { path: hookFile(), action: 'updated' });
        assert.equal(readFileSync(hookFile(), 'utf8'), hookScript('/b/cli.js', '/usr/bin/node'));
        writeHook(hookScript(cli, node));
        assert.deepEqual(await uninstallHook({ cwd: repo.root }), { path: hookFile(), action: 'removed' });
        assert.deepEqual(specgateFiles(), []);
      }
    });

    it('hooks as earlier SpecGates wrote them (npx where the CLI is gone; a refusal naming only `specgate`) are its own, unedited: updated and removed', async () => {
      const oldRefusal = "  echo \"specgate: commit refused. Run 'specgate bundle --staged', have a trusted reviewer run 'specgate approve <bundle> --key <their key>', then commit again.\" >&2";
      const now = hookScript('/a/cli.js', '/usr/bin/node');
      const refusalNow = now.split('\n').find((l) => l.startsWith('  echo "specgate: commit refused. Have'))!;
      const withOldRefusal = now.replace(refusalNow, oldRefusal);
      const npxWhenGone = withOldRefusal.replace(/\nelse\n {2}echo [^\n]*\n {2}exit 2\nfi\n/, '\nelse\n  npx --no-install specgate verify --staged\nfi\n');
      for (const earlier of [npxWhenGone, withOldRefusal]) {
        assert.notEqual(earlier, now);
        writeHook(earlier);
        assert.deepEqual(await installHook({ cwd: repo.root, cliPath: '/b/cli.js', nodePath: '/usr/bin/node' }), { path: hookFile(), action: 'updated' });
        assert.equal(readFileSync(hookFile(), 'utf8'), hookScript('/b/cli.js', '/usr/bin/node'));
        writeHook(earlier);
        assert.deepEqual(await uninstallHook({ cwd: repo.root }), { path: hookFile(), action: 'removed' });
      }
    });
  });

  describe("husky's hooks folder (core.hooksPath .husky/_)", () => {
    const huskyHook = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n';
    const refusal = (hooks: string, userHook: string, command: string) =>
      `not installing the pre-commit gate in ${hooks}: husky writes that folder again on every npm install; ` +
      `to gate commits, add the line \`${command} || exit 1\` to ${userHook} (create it if there is none), which husky runs; ` +
      `--force does not write into husky's folder either (see docs/ci.md)`;

    it('names .husky/pre-commit, not the generated .husky/_/pre-commit, and writes nothing, --force or not', async () => {
      const hooks = path.join(repo.root, '.husky', '_');
      mkdirSync(hooks, { recursive: true });
      writeFileSync(path.join(hooks, 'pre-commit'), huskyHook, { mode: 0o755 });
      await repo.git('config', 'core.hooksPath', '.husky/_');
      const dist = path.join(__dirname, '../../dist/cli.js');
      for (const args of [['hook', 'install'], ['hook', 'install', '--force']]) {
        const r = spawnSync(process.execPath, [dist, ...args], { cwd: repo.root, env: process.env, encoding: 'utf8' });
        assert.deepEqual(
          [r.status, r.stdout, r.stderr],
          [2, '', `specgate: ${refusal(hooks, path.join(repo.root, '.husky', 'pre-commit'), `${process.execPath} ${dist} verify --staged`)}\n`],
          args.join(' '),
        );
      }
      assert.deepEqual(readdirSync(hooks), ['pre-commit']);
      assert.equal(readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), huskyHook);
      assert.deepEqual(readdirSync(path.join(repo.root, '.husky')), ['_']);
    });

    it('once .husky/pre-commit runs the line it names, install says the gate is there (exit 0) and uninstall says where to delete it', async () => {
      const hooks = path.join(repo.root, '.husky', '_');
      mkdirSync(hooks, { recursive: true });
      writeFileSync(path.join(hooks, 'pre-commit'), huskyHook, { mode: 0o755 });
      await repo.git('config', 'core.hooksPath', '.husky/_');
      const userHook = path.join(repo.root, '.husky', 'pre-commit');
      const theirs = 'npx lint-staged\n/usr/bin/node /opt/tools/cli.js verify --staged || exit 1\n';
      writeFileSync(userHook, theirs);
      for (const force of [false, true]) {
        if (force) {
          await assert.rejects(installHook({ cwd: repo.root, force, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' }), /husky writes that folder again/);
        } else assert.deepEqual(await installHook({ cwd: repo.root, force, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' }), { path: userHook, action: 'gated' });
      }
      await assert.rejects(
        uninstallHook({ cwd: repo.root }),
        (e: Error) => e.message === `${userHook} was not written by SpecGate, though it runs specgate; left as it is: to drop the gate, delete its specgate line yourself`,
      );
      assert.equal(readFileSync(userHook, 'utf8'), theirs);
      assert.equal(readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), huskyHook);
      // A line after an `exit`, printed, or with its refusal swallowed runs no gate: install still asks for it.
      for (const fake of [
        'exit 0\n/usr/bin/node /opt/tools/cli.js verify --staged || exit 1\n',
        'echo "/usr/bin/node /opt/tools/cli.js verify --staged || exit 1"\n',
        '/usr/bin/node /opt/tools/cli.js verify --staged || true\n',
      ]) {
        writeFileSync(userHook, fake);
        await assert.rejects(installHook({ cwd: repo.root, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' }), /husky writes that folder again/, fake);
      }
      // Without the line: nothing to remove.
      writeFileSync(userHook, 'npx lint-staged\n');
      assert.deepEqual(await uninstallHook({ cwd: repo.root }), { path: path.join(hooks, 'pre-commit'), action: 'foreign' });
    });

    it("knows husky's folder of another name by its h helper, and writes no gate there where husky has no pre-commit yet", async () => {
      const hooks = path.join(repo.root, '.config', 'husky', '_');
      mkdirSync(hooks, { recursive: true });
      writeFileSync(path.join(hooks, 'h'), '#!/usr/bin/env sh\n');
      await repo.git('config', 'core.hooksPath', '.config/husky/_');
      await assert.rejects(
        installHook({ cwd: repo.root, force: true, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' }),
        (e: Error) => e instanceof UsageError && e.message === refusal(hooks, path.join(repo.root, '.config', 'husky', 'pre-commit'), '/usr/bin/node /a/cli.js verify --staged'),
      );
      assert.deepEqual(readdirSync(hooks), ['h']);
    });

    it("takes husky 4's husky.sh in .git/hooks for an ordinary hooks folder", async () => {
      mkdirSync(path.dirname(hookFile()), { recursive: true });
      writeFileSync(path.join(path.dirname(hookFile()), 'husky.sh'), '# husky\n');
      writeFileSync(hookFile(), '#!/bin/sh\n. "$(dirname "$0")/husky.sh"\n', { mode: 0o755 });
      await assert.rejects(installHook({ cwd: repo.root, cliPath: '/a/cli.js', nodePath: '/usr/bin/node' }), (e: Error) =>
        e.message.startsWith(`${hookFile()} exists and was not written by SpecGate; to keep it running, add the line \`/usr/bin/node /a/cli.js verify --staged || exit 1\` to it `),
      );
    });
  });

  for (const [exit, expected] of [
    [0, /^$/],
    // The editor's commands, and the CLI the hook runs (an extension's user has no `specgate` on the PATH).
    [1, /^specgate: commit refused\. Have the staged change reviewed: SpecGate: Export Review Bundle in VS Code \(or node "[^"]*fake-cli-1\.js" bundle --staged\), then a trusted reviewer approves it with SpecGate: Approve Review Packet \(or node "[^"]*fake-cli-1\.js" approve <bundle> --key <their key>\); then commit again\.$/m],
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

  it('starts verify without the certificates NODE_EXTRA_CA_CERTS names (node would read them first), and so without its warning', async () => {
    const fake = path.join(repo.root, '..', 'fake-cli-env.js');
    writeFileSync(fake, `process.exit(process.env.NODE_EXTRA_CA_CERTS === '' ? 0 : 3);\n`);
    await installHook({ cwd: repo.root, cliPath: fake, nodePath: process.execPath });
    await repo.write('a.txt', 'certs\n');
    await repo.git('add', 'a.txt');
    // A file that is not there: node warns on stderr at start when it tries to read it.
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: path.join(repo.root, '..', 'no-such-ca.pem') };
    const shell = spawnSync(process.execPath, ['-e', '0'], { env, encoding: 'utf8' });
    assert.match(shell.stderr, /Ignoring extra certs from/, 'node itself warns about the missing file');
    const commit = spawnSync('git', ['commit', '-q', '-m', 'x'], { cwd: repo.root, env, encoding: 'utf8' });
    assert.equal(commit.stderr, '');
    assert.equal(commit.status, 0);
  });

  it('refuses, at once, a hooks folder outside the repository that the file system will not make (/proc)', async function () {
    if (process.platform !== 'linux' || !existsSync('/proc/self')) this.skip();
    this.timeout(10000);
    await repo.git('config', 'core.hooksPath', '/proc/specgate-nope/hooks');
    await assert.rejects(
      installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
      (e: Error) => e instanceof UsageError && /^not installing the pre-commit gate: the hooks folder \/proc\/specgate-nope\/hooks /.test(e.message),
    );
    assert.ok(!existsSync(hookFile()));
  });

  it('says it cannot write a hooks folder of the repository that cannot be made (a file where a folder should be)', async () => {
    await repo.git('config', 'core.hooksPath', 'a.txt/hooks');
    await assert.rejects(
      // (Forced: a folder of the work tree git does not ignore is refused before any write.)
      installHook({ cwd: repo.root, cliPath: '/a/cli.js', force: true }),
      (e: Error) => e instanceof UsageError && e.message.startsWith(`cannot write ${path.join(repo.root, 'a.txt', 'hooks', 'pre-commit')}: ENOTDIR`),
    );
    assert.equal(readFileSync(path.join(repo.root, 'a.txt'), 'utf8'), 'a\n');
  });

  describe('a hooks folder other repositories use too', () => {
    const home = () => path.join(repo.root, '..', 'home');
    const ownHooks = () => path.join(repo.root, '.git', 'hooks');
    const fix = (dir: string) =>
      `to gate only this repository, give it a hooks folder of its own with git config --local core.hooksPath ${ownHooks()} ` +
      `(the hooks in ${dir} then no longer run for it) and install the gate again`;
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [path.join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), path.join(__dirname, '../../src/cli/main.ts'), ...args], {
        cwd: repo.root,
        env: process.env,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    const cliFails = (...args: string[]): { status: number; stderr: string; stdout: string } => {
      try {
        cli(...args);
      } catch (e) {
        const err = e as { status: number; stderr: string; stdout: string };
        return { status: err.status, stderr: err.stderr, stdout: err.stdout };
      }
      throw new Error(`specgate ${args.join(' ')} succeeded`);
    };

    it('refuses core.hooksPath set in the global config to an absolute folder: one line, nothing written', async () => {
      const shared = path.join(repo.root, '..', 'shared-hooks');
      mkdirSync(shared);
      await repo.git('config', '--global', 'core.hooksPath', shared);
      const r = cliFails('hook', 'install');
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        `specgate: not installing the pre-commit gate: core.hooksPath is set to ${shared} in ${path.join(home(), '.gitconfig')} (global git config), ` +
          `a hooks folder that every repository reading that config uses; ${fix(shared)}\n`,
      );
      assert.deepEqual(readdirSync(shared), []);
      assert.ok(!existsSync(hookFile()));
    });

    it('refuses a global core.hooksPath under ~ and one in a file the global config includes', async () => {
      writeFileSync(path.join(home(), 'hooks.inc'), '[core]\n\thooksPath = ~/hooks\n');
      await repo.git('config', '--global', 'include.path', path.join(home(), 'hooks.inc'));
      await assert.rejects(
        installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
        (e: Error) =>
          e instanceof UsageError &&
          e.message ===
            `not installing the pre-commit gate: core.hooksPath is set to ~/hooks in ${path.join(home(), 'hooks.inc')} (global git config), ` +
              `a hooks folder that every repository reading that config uses; ${fix(path.join(home(), 'hooks'))}`,
      );
      assert.ok(!existsSync(path.join(home(), 'hooks')));
    });

    it('installs when the repository sets core.hooksPath itself, overriding the global one, and the command it suggests works', async () => {
      await repo.git('config', '--global', 'core.hooksPath', path.join(home(), 'hooks'));
      await repo.git('config', '--local', 'core.hooksPath', ownHooks());
      const r = await installHook({ cwd: repo.root, cliPath: '/a/cli.js' });
      assert.deepEqual(r, { path: hookFile(), action: 'installed' });
      assert.ok(!existsSync(path.join(home(), 'hooks')));
    });

    it('installs into a folder of the work tree whose name starts with two dots', async () => {
      await repo.write('.git/info/exclude', '..hooks/\n');
      await repo.git('config', 'core.hooksPath', '..hooks');
      const r = await installHook({ cwd: repo.root, cliPath: '/a/cli.js' });
      assert.equal(r.path, path.join(repo.root, '..hooks', 'pre-commit'));
    });

    it('installs into each work tree\'s own folder for a relative global core.hooksPath', async () => {
      await repo.write('.git/info/exclude', '.githooks/\n');
      await repo.git('config', '--global', 'core.hooksPath', '.githooks');
      const r = await installHook({ cwd: repo.root, cliPath: '/a/cli.js' });
      assert.equal(r.path, path.join(repo.root, '.githooks', 'pre-commit'));
      assert.ok(readFileSync(r.path, 'utf8').includes(HOOK_MARKER));
    });

    it('refuses a global relative core.hooksPath that leads out of the work tree', async () => {
      await repo.git('config', '--global', 'core.hooksPath', '../hooks');
      await assert.rejects(
        installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
        (e: Error) =>
          e instanceof UsageError &&
          e.message ===
            `not installing the pre-commit gate: the hooks folder ${path.join(repo.root, '..', 'hooks')} (core.hooksPath in ${path.join(home(), '.gitconfig')} (global git config)) ` +
              `lies outside this repository, where other repositories may use it too; ${fix(path.join(repo.root, '..', 'hooks'))}`,
      );
      assert.ok(!existsSync(path.join(repo.root, '..', 'hooks')));
    });

    for (const [what, value] of [
      ['an absolute folder', 'absolute'],
      ['a relative path', '../shared-hooks'],
      ['a folder of the work tree that is a link', '.githooks'],
    ] as const) {
      it(`refuses the repository's own core.hooksPath when it is ${what} outside the repository`, async () => {
        const shared = path.join(repo.root, '..', 'shared-hooks');
        mkdirSync(shared);
        if (value === '.githooks') symlinkSync(shared, path.join(repo.root, '.githooks'));
        await repo.git('config', 'core.hooksPath', value === 'absolute' ? shared : value);
        const dir = value === '.githooks' ? path.join(repo.root, '.githooks') : shared;
        await assert.rejects(
          installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
          (e: Error) =>
            e instanceof UsageError &&
            e.message ===
              `not installing the pre-commit gate: the hooks folder ${dir} (core.hooksPath in this repository's git config) ` +
                `lies outside this repository, where other repositories may use it too; ${fix(dir)}`,
        );
        assert.deepEqual(readdirSync(shared), []);
      });
    }

    it("refuses git's default hooks folder when it is a link to a folder outside the repository", async () => {
      const shared = path.join(repo.root, '..', 'shared-hooks');
      mkdirSync(shared);
      const dir = path.join(repo.root, '.git', 'hooks');
      rmSync(dir, { recursive: true, force: true });
      symlinkSync(shared, dir);
      await assert.rejects(
        installHook({ cwd: repo.root, cliPath: '/a/cli.js' }),
        (e: Error) =>
          e instanceof UsageError &&
          e.message ===
            `not installing the pre-commit gate: the hooks folder ${dir} is a link to ${realpathSync(shared)}, outside this repository, where other repositories may use it too; ` +
              `to gate only this repository, replace the link with a folder of its own (the hooks in ${realpathSync(shared)} then no longer run for it) and install the gate again`,
      );
      assert.deepEqual(readdirSync(shared), []);
    });

    it('names a hooks folder with a line break in it on one line', async () => {
      await repo.git('config', 'core.hooksPath', '/tmp/specgate-no\nhooks');
      const r = cliFails('hook', 'install');
      assert.equal(r.status, 2);
      assert.equal(r.stderr.split('\n').length, 2);
      assert.ok(r.stderr.startsWith('specgate: not installing the pre-commit gate: the hooks folder /tmp/specgate-no\\u{a}hooks (core.hooksPath in this repository\'s git config) lies outside'));
      assert.ok(!existsSync('/tmp/specgate-no\nhooks'));
    });

    it('installs into the main repository\'s hooks from a linked work tree', async () => {
      const wt = path.join(repo.root, '..', 'wt');
      await repo.git('worktree', 'add', '-q', wt);
      const r = await installHook({ cwd: wt, cliPath: '/a/cli.js' });
      assert.equal(r.path, hookFile());
    });

    it('uninstall removes a gate an older SpecGate put in a shared folder, and says every repository using it lost it', async () => {
      const shared = path.join(repo.root, '..', 'shared-hooks');
      mkdirSync(shared);
      writeFileSync(path.join(shared, 'pre-commit'), hookScript('/a/cli.js', '/usr/bin/node'), { mode: 0o755 });
      await repo.git('config', '--global', 'core.hooksPath', shared);
      assert.equal(
        cli('hook', 'uninstall'),
        `removed ${path.join(shared, 'pre-commit')}: core.hooksPath is set to ${shared} in ${path.join(home(), '.gitconfig')} (global git config), ` +
          `a hooks folder that every repository reading that config uses; none of them runs the gate now\n`,
      );
      assert.deepEqual(readdirSync(shared), []);
      // A foreign hook there is left alone, as anywhere.
      writeFileSync(path.join(shared, 'pre-commit'), '#!/bin/sh\nexit 0\n');
      // No gate to remove there: exit 0, as with no hook at all.
      assert.equal(cli('hook', 'uninstall'), `${path.join(shared, 'pre-commit')} was not written by SpecGate and does not run it, so there is no gate to remove; left as it is\n`);
    });
  });

  it('honours core.hooksPath (relative to the work tree, a folder git ignores), from a subfolder', async () => {
    await repo.write('.gitignore', '/.githooks/\n');
    await repo.git('config', 'core.hooksPath', '.githooks');
    await repo.write('sub/x.txt', 'x\n');
    const r = await installHook({ cwd: path.join(repo.root, 'sub'), cliPath: '/a/cli.js' });
    assert.equal(r.path, path.join(repo.root, '.githooks', 'pre-commit'));
    assert.ok(existsSync(r.path));
    assert.ok(!existsSync(hookFile()));
    assert.equal((await uninstallHook({ cwd: repo.root })).action, 'removed');
    assert.ok(!existsSync(r.path));
  });

  describe('a hooks folder in the work tree that git does not ignore (core.hooksPath .githooks, committed)', () => {
    const gated = () => path.join(repo.root, '.githooks', 'pre-commit');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), path.join(__dirname, '../../src/cli/main.ts'), ...args], {
        cwd: repo.root,
        env: process.env,
        encoding: 'utf8',
      });
    beforeEach(async () => {
      await repo.git('config', 'core.hooksPath', '.githooks');
    });

    it('refuses in one line naming the committed line that gates every clone, writes nothing, and writes there with --force', async () => {
      const r = cli('hook', 'install');
      assert.equal(r.status, 2);
      assert.equal(
        r.stderr,
        `specgate: not installing the pre-commit gate in ${path.join(repo.root, '.githooks')}: that hooks folder is in the work tree and git does not ignore it, ` +
          "so the hook, which names this machine's node and CLI, would be a file of every change and of the next commit; " +
          'to gate every clone, add the line `npx --no-install specgate verify --staged || exit 1` to .githooks/pre-commit and commit it, ' +
          `or give this repository a hooks folder of its own with git config --local core.hooksPath ${path.join(repo.root, '.git', 'hooks')} and install the gate again (--force writes it there anyway)\n`,
      );
      assert.ok(!existsSync(path.join(repo.root, '.githooks')));
      assert.equal(await repo.git('status', '--porcelain'), '');
      // Forced, it is written; installed again (a SpecGate hook there already), it is updated.
      assert.equal((await installHook({ cwd: repo.root, cliPath: '/a/cli.js', force: true })).action, 'installed');
      assert.deepEqual(await installHook({ cwd: repo.root, cliPath: '/b/cli.js' }), { path: gated(), action: 'updated' });
      assert.ok(readFileSync(gated(), 'utf8').includes("SPECGATE_CLI='/b/cli.js'"));
    });

    it('takes a committed hook that runs the gate line as gated: exit 0, left as it is; a commented-out line is no gate', async () => {
      const hook = '#!/bin/sh\nnpm run lint\nnpx --no-install specgate verify --staged || exit 1\n';
      await repo.write('.githooks/pre-commit', hook);
      const r = cli('hook', 'install');
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, `${gated()} runs specgate verify --staged already (it was not written by SpecGate); left as it is\n`, '']);
      assert.equal(readFileSync(gated(), 'utf8'), hook);
      await repo.write('.githooks/pre-commit', '#!/bin/sh\n# npx --no-install specgate verify --staged || exit 1\n');
      assert.equal(cli('hook', 'install').status, 2);
      // The same in .git/hooks, where a hook manager wrote it: gated too.
      await repo.git('config', '--unset', 'core.hooksPath');
      mkdirSync(path.dirname(hookFile()), { recursive: true });
      writeFileSync(hookFile(), '#!/bin/sh\n/usr/bin/node /x/dist/cli.js verify --staged || exit 1\n');
      assert.deepEqual(await installHook({ cwd: repo.root, cliPath: '/a/cli.js' }), { path: hookFile(), action: 'gated' });
    });
  });
});
