import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { gitBlobId } from '../../src/core/gitblob';
import { UsageError } from '../../src/core/model';
import { collectChangeSet } from '../../src/node/changeset';
import { Git } from '../../src/node/git';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';
import { approvalRecord } from './helpers/records';

describe('collectChangeSet git safety', () => {
  isolateGitConfig();
  let repo: TestRepo;
  afterEach(async () => repo?.cleanup());

  it('refuses a --base of --output=x and writes nothing', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await repo.write('a.txt', 'b\n');
    const before = readdirSync(repo.root).sort();
    const git = await Git.open(repo.root);
    const cwd = process.cwd();
    process.chdir(repo.root);
    try {
      for (const base of ['--output=x', '-ox', '--output=../x']) {
        await assert.rejects(collectChangeSet(git, { base }), (e: Error) => e instanceof UsageError && e.message.startsWith('invalid revision'));
      }
    } finally {
      process.chdir(cwd);
    }
    assert.deepEqual(readdirSync(repo.root).sort(), before);
    assert.equal(existsSync(path.join(path.dirname(repo.root), 'x')), false);
  });

  it('never runs a repo-local core.fsmonitor command', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    const marker = path.join(path.dirname(repo.root), 'FSMONITOR-RAN');
    await repo.git('config', 'core.fsmonitor', `touch '${marker}'; false`);
    await repo.write('a.txt', 'b\n');
    await repo.write('new.txt', 'n\n');
    const git = await Git.open(repo.root);
    const cs = await collectChangeSet(git);
    await collectChangeSet(git, { staged: true });
    await collectChangeSet(git, { base: 'main' });
    assert.deepEqual(cs.changes.map((c) => c.path), ['a.txt', 'new.txt']);
    assert.equal(existsSync(marker), false);
  });

  it('does not let a .gitattributes `*.tf -diff` hide a Terraform deletion', async () => {
    const tf = 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n  deletion_protection = true\n}\n';
    repo = await makeRepo({ '.gitattributes': '*.tf -diff\n*.bin binary\n', 'infra/main.tf': tf, 'infra/vars.tf': 'variable "a" {}\nvariable "b" {}\n', 'x.bin': 'plain text\n' });
    await repo.rm('infra/main.tf');
    await repo.write('infra/vars.tf', 'variable "a" {}\n');
    await repo.write('x.bin', 'plain text\nmore\n');
    const cs = await collectChangeSet(await Git.open(repo.root));
    const del = cs.changes.find((c) => c.path === 'infra/main.tf')!;
    assert.equal(del.status, 'deleted');
    assert.equal(del.binary, false);
    assert.equal(del.removed, 4);
    assert.deepEqual(del.hunks, [{ oldStart: 1, oldLines: 4, newStart: 0, newLines: 0 }]);
    assert.equal(del.oldLineCount, 4);
    const vars = cs.changes.find((c) => c.path === 'infra/vars.tf')!;
    assert.equal(vars.binary, false);
    assert.deepEqual(vars.hunks, [{ oldStart: 2, oldLines: 1, newStart: 1, newLines: 0 }]);
    const bin = cs.changes.find((c) => c.path === 'x.bin')!;
    assert.equal(bin.binary, false);
    assert.deepEqual(bin.hunks, [{ oldStart: 1, oldLines: 0, newStart: 2, newLines: 1 }]);
    const staged = await (async () => {
      await repo.git('add', '-A');
      return collectChangeSet(await Git.open(repo.root), { staged: true });
    })();
    assert.equal(staged.changes.find((c) => c.path === 'infra/main.tf')!.removed, 4);
  });

  it('uses neither a repo-local diff.external nor GIT_EXTERNAL_DIFF, nor a diff driver command or textconv', async () => {
    repo = await makeRepo({ '.gitattributes': '*.txt diff=evil\n', 'a.txt': 'one\ntwo\n' });
    const marker = path.join(path.dirname(repo.root), 'EXTERNAL-RAN');
    await repo.git('config', 'diff.external', `sh -c "touch '${marker}'"`);
    await repo.git('config', 'diff.evil.command', `sh -c "touch '${marker}'"`);
    await repo.git('config', 'diff.evil.textconv', `sh -c "touch '${marker}'; echo fake"`);
    await repo.write('a.txt', 'one\nTWO\n');
    process.env.GIT_EXTERNAL_DIFF = `sh -c "touch '${marker}'"`;
    try {
      const cs = await collectChangeSet(await Git.open(repo.root));
      assert.deepEqual(cs.changes[0]!.hunks, [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]);
    } finally {
      delete process.env.GIT_EXTERNAL_DIFF;
    }
    assert.equal(existsSync(marker), false);
  });

  it('ignores pathspec and external-diff settings in the caller\'s environment', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await repo.write('a.txt', 'b\n');
    // A record: the exclusion of its folder from git's diff must hold whatever the environment says.
    await repo.write(`.specgate/approvals/${'0'.repeat(16)}.json`, approvalRecord(`sha256:${'0'.repeat(64)}`));
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_LITERAL_PATHSPECS: '1', GIT_ICASE_PATHSPECS: '1', GIT_DIFF_OPTS: '--unified=5' });
    try {
      const cs = await collectChangeSet(await Git.open(repo.root));
      assert.deepEqual(cs.changes.map((c) => [c.path, c.hunks]), [['a.txt', [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }]]]);
    } finally {
      for (const k of ['GIT_LITERAL_PATHSPECS', 'GIT_ICASE_PATHSPECS', 'GIT_DIFF_OPTS']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('never runs a filter driver the repository configures', async () => {
    repo = await makeRepo({ '.gitattributes': '*.txt filter=evil\n', 'a.txt': 'one\n' });
    const marker = path.join(path.dirname(repo.root), 'FILTER-RAN');
    await repo.git('config', 'filter.evil.clean', `touch '${marker}'; cat`);
    await repo.git('config', 'filter.evil.process', `touch '${marker}'`);
    await repo.write('a.txt', 'one\ntwo\n');
    const cs = await collectChangeSet(await Git.open(repo.root));
    assert.deepEqual(cs.changes.map((c) => [c.path, c.added]), [['a.txt', 1]]);
    assert.equal(existsSync(marker), false);
  });

  it('reads a symlink as its target text and never blocks on a FIFO or follows a link to /dev/zero', async function () {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    await symlink('/dev/zero', path.join(repo.root, 'zero-link'));
    execFileSync('mkfifo', [path.join(repo.root, 'pipe')]);
    const t0 = Date.now();
    const cs = await collectChangeSet(await Git.open(repo.root));
    assert.ok(Date.now() - t0 < 10_000);
    const link = cs.changes.find((c) => c.path === 'zero-link')!;
    assert.deepEqual([link.status, link.newMode, link.newBlob, link.added], ['added', '120000', gitBlobId(Buffer.from('/dev/zero')), 1]);
    assert.equal(cs.changes.some((c) => c.path === 'pipe'), false);
  });

  it('keeps names with a leading dash, spaces, quotes, newlines, tabs, backslashes and non-ASCII intact', async () => {
    const names = ['-rf', '--output=y', 'with space.txt', 'q"uote\'s.txt', 'new\nline.txt', 'tab\there.txt', 'back\\slash.txt', 'ñandú/日本語.md', ' lead and trail '];
    const initial: Record<string, string> = {};
    const tail = 'common 1\ncommon 2\ncommon 3\ncommon 4\ncommon 5\n';
    for (const n of names) initial[`tracked/${n}`] = `${n}\nsecond\n${tail}`;
    repo = await makeRepo(initial);
    for (const n of names) {
      await repo.write(`tracked/${n}`, `${n}\nchanged\n${tail}`);
      await repo.write(`untracked/${n}`, 'fresh\n');
    }
    await repo.git('mv', '--', 'tracked/-rf', 'tracked/-moved "x"\n');
    const cs = await collectChangeSet(await Git.open(repo.root));
    const expected = [
      ...names.filter((n) => n !== '-rf').map((n) => `tracked/${n}`),
      'tracked/-moved "x"\n',
      ...names.map((n) => `untracked/${n}`),
    ].sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(cs.changes.map((c) => c.path), expected);
    for (const c of cs.changes) {
      if (c.path.startsWith('untracked/')) {
        assert.deepEqual([c.status, c.hunks], ['added', [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]], c.path);
      } else if (c.path === 'tracked/-moved "x"\n') {
        assert.equal(c.status, 'renamed');
        assert.equal(c.oldPath, 'tracked/-rf');
      } else {
        const at = c.path.split('\n').length + 1;
        assert.deepEqual([c.status, c.hunks], ['modified', [{ oldStart: at, oldLines: 1, newStart: at, newLines: 1 }]], c.path);
      }
    }
  });
  it('refuses file names that are not UTF-8, untracked, staged or committed, naming them as git quotes them; a U+FFFD that is UTF-8 passes', async () => {
    repo = await makeRepo({ 'a.txt': 'a\n' });
    const latin1 = (name: string) => Buffer.concat([Buffer.from(repo.root + '/src/'), Buffer.from(name, 'latin1')]);
    mkdirSync(path.join(repo.root, 'src'));
    writeFileSync(path.join(repo.root, 'src', 'ok\uFFFD.txt'), 'x\n');
    const git = await Git.open(repo.root);
    assert.deepEqual((await collectChangeSet(git)).changes.map((c) => c.path), ['src/ok\uFFFD.txt']);
    writeFileSync(latin1('caf\xe9.txt'), 'x\n');
    const message = 'a file name in the change is not UTF-8 (src/caf\\351.txt), so SpecGate can neither show it nor bind it to an approval; rename it to UTF-8 (git mv, or mv for a file git does not track yet)';
    // Before, an untracked one was left out of the change without a word.
    await assert.rejects(collectChangeSet(git), (e: Error) => e instanceof UsageError && e.message === message);
    await repo.git('add', '-A');
    await assert.rejects(collectChangeSet(git, { staged: true }), (e: Error) => e instanceof UsageError && e.message === message);
    writeFileSync(latin1('caf\xe8.txt'), 'y\n');
    await repo.git('add', '-A');
    await repo.git('commit', '-qm', 'names');
    await assert.rejects(
      collectChangeSet(git, { base: 'HEAD~1' }),
      (e: Error) => e instanceof UsageError && e.message.startsWith('2 file names in the change are not UTF-8 (src/caf\\350.txt, src/caf\\351.txt), so SpecGate can neither show them'),
    );
  });
});
