// What a killed or failing writer leaves on disk. A review bundle appears under its name in
// one step (written in a hidden `.<name>.partial-<pid>-<hex>` folder, then renamed), so a
// folder with a bundle's name is always whole; what a killed writer leaves is hidden, is not
// part of the change, is never listed as a bundle or approved, and the next bundle removes it.
// Approval records and the pre-commit hook are written to new hidden files (never through a
// symbolic link) and renamed into place, and what a killed writer left is removed next time.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isBundleFolderName } from '../../src/core/records';
import { approve } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { installHook } from '../../src/node/hook';
import { readReviewFiles } from '../../src/vscode/sidebar/reviewState';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';
import { makeWorld, type World } from './verifyFixture';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const REVIEWS = '.specgate/reviews';
const FILES = ['REVIEW.md', 'changes.patch', 'packet.json', 'review.html', 'review.sarif', 'spec'];

/** The id of a process that has ended (and so runs no more). */
function deadPid(): number {
  const pid = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  return pid;
}

/** Paths of the change (repo-relative) under `.specgate/`. */
async function specgateChanges(root: string): Promise<string[]> {
  const a = await analyzeRepository({ cwd: root });
  return a.changeSet.changes.map((c) => c.path).filter((p) => p.startsWith('.specgate/'));
}

describe('crash safety: review bundles', function () {
  this.timeout(120000);
  const prevEnv = { ...process.env };
  let repo: TestRepo;
  let reviews: string;

  beforeEach(async () => {
    const files: Record<string, string> = { '.kiro/specs/cache/tasks.md': '# Tasks\n\n- [ ] 1. Add `src/cache.ts`\n', 'src/cache.ts': 'a\n' };
    // A spec of 1000 documents: their copies take the writer a few hundred ms.
    for (let i = 0; i < 1000; i++) files[`.kiro/specs/cache/notes/n${i}.md`] = `# Note ${i}\n`;
    repo = await makeRepo(files);
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
    await repo.write('src/cache.ts', 'b\n');
    reviews = path.join(repo.root, REVIEWS);
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo.cleanup();
  });

  it('SIGKILL while specgate bundle writes: no folder by a bundle name without its packet, the hidden leftover is no change, and the next bundle removes it', async () => {
    mkdirSync(reviews, { recursive: true });
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'bundle', '--cwd', repo.root], { env: testGitEnv(path.join(repo.root, '..', 'home')), stdio: 'ignore', detached: true });
      const w = watch(reviews, () => {
        w.close();
        process.kill(-child.pid!, 'SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (c, sig) => resolve(sig === 'SIGKILL' ? null : c));
    });
    assert.equal(code, null, 'killed while writing');
    const left = readdirSync(reviews);
    // Whatever the kill interrupted, no folder with a bundle's name lacks its packet.
    assert.deepEqual(left.filter(isBundleFolderName).filter((n) => !existsSync(path.join(reviews, n, 'packet.json'))), []);
    assert.deepEqual(left.filter((n) => !n.startsWith('.')), [], `the bundle was not yet renamed: ${left.join(', ')}`);
    assert.equal(left.length, 1);
    assert.match(left[0]!, /^\.cache-\d{8}-\d{6}-[0-9a-f]{8}\.partial-\d+-[0-9a-f]{6}$/);
    assert.deepEqual(await specgateChanges(repo.root), []);

    const out = execFileSync(process.execPath, [CLI, 'bundle', '--cwd', repo.root], { env: testGitEnv(path.join(repo.root, '..', 'home')), encoding: 'utf8' }).trim();
    assert.deepEqual(readdirSync(reviews), [path.basename(out)]);
    assert.deepEqual(readdirSync(out).sort(), FILES);
    assert.deepEqual(await specgateChanges(repo.root), []);
  });

  it('at every step of writing, no folder by the bundle name exists yet; then the bundle, and nothing hidden', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const seen: string[] = [];
    const dir = await writeBundle(analysis, {
      onProgress: (m) => {
        if (!m.startsWith('writing ') || m === 'writing the patch…') return;
        const names = existsSync(reviews) ? readdirSync(reviews) : [];
        seen.push(`${m} ${names.filter((n) => !n.startsWith('.')).length}/${names.filter((n) => n.startsWith('.')).length}`);
      },
    });
    assert.deepEqual([...new Set(seen.map((s) => s.replace(/^writing (?:spec\/)?\S+ /, '')))], ['0/1']);
    assert.ok(seen.includes('writing packet.json… 0/1'), seen.slice(-3).join(', '));
    // Nothing hidden but the .gitignore the bundle that made the folder writes once it is whole.
    assert.deepEqual(readdirSync(reviews).sort(), ['.gitignore', path.basename(dir)]);
    assert.deepEqual(readdirSync(dir).sort(), FILES);
  });

  it('a failure while writing leaves neither the bundle nor its hidden folder, and says why in one line', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const writing = writeBundle(analysis, {
      onProgress: (m) => {
        if (m !== 'writing review.sarif…') return;
        // Something in the way of the next file: the write fails.
        const hidden = readdirSync(reviews).filter((n) => n.startsWith('.'));
        assert.equal(hidden.length, 1);
        mkdirSync(path.join(reviews, hidden[0]!, 'review.sarif'));
      },
    });
    await assert.rejects(writing, (e: Error) => e.name === 'UsageError' && /^cannot write the review bundle under .*: EEXIST/.test(e.message) && !e.message.includes('\n'));
    assert.deepEqual(readdirSync(reviews), []);
  });

  describe('what a killed writer left', () => {
    const NAME = 'cache-20260102-030405-0123abcd';
    let packet: Buffer;
    let sarif: Buffer;

    beforeEach(async () => {
      // A real bundle's files, to leave as a killed writer would: packet.json whole, the
      // SARIF cut short, REVIEW.md created but empty.
      const dir = await writeBundle(await analyzeRepository({ cwd: repo.root }));
      packet = readFileSync(path.join(dir, 'packet.json'));
      sarif = readFileSync(path.join(dir, 'review.sarif'));
      await rm(reviews, { recursive: true });
    });

    function leave(pid: number, hex: string, ageMs = 0): string {
      const dir = path.join(reviews, `.${NAME}.partial-${pid}-${hex}`);
      mkdirSync(path.join(dir, 'spec'), { recursive: true });
      writeFileSync(path.join(dir, 'review.sarif'), sarif.subarray(0, 200));
      writeFileSync(path.join(dir, 'REVIEW.md'), '');
      writeFileSync(path.join(dir, 'spec', 'tasks.md'), '# Tasks\n');
      writeFileSync(path.join(dir, 'packet.json'), packet);
      if (ageMs) for (const p of [dir, path.join(dir, 'spec')]) utimesSync(p, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return dir;
    }

    it('is not part of the change, is no bundle in the sidebar, and approve refuses it', async () => {
      const dir = leave(deadPid(), 'abcdef');
      assert.deepEqual(await specgateChanges(repo.root), []);
      assert.deepEqual((await readReviewFiles(repo.root)).bundles, []);
      await assert.rejects(
        approve({ cwd: repo.root, path: dir, key: path.join(repo.root, '..', 'no-such-key') }),
        (e: Error) => e.name === 'UsageError' && e.message === `${dir} is a bundle that was never finished (its writer was stopped before it got its name); run specgate bundle again and review the new bundle`,
      );
    });

    it('is removed by the next bundle once its writer is gone or it is an hour old; a fresh one of a running writer stays', async () => {
      const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        const gone = leave(deadPid(), 'aaaaaa');
        const old = leave(sleeper.pid!, 'bbbbbb', 61 * 60 * 1000);
        const running = leave(sleeper.pid!, 'cccccc');
        // Not SpecGate's: a hidden folder of another name, and a symlink by a leftover's name.
        mkdirSync(path.join(reviews, '.notes'));
        const target = await mkdtemp(path.join(tmpdir(), 'specgate-keep-'));
        writeFileSync(path.join(target, 'keep.txt'), 'keep\n');
        symlinkSync(target, path.join(reviews, `.${NAME}.partial-${deadPid()}-dddddd`));
        try {
          const dir = await writeBundle(await analyzeRepository({ cwd: repo.root }));
          assert.ok(!existsSync(gone) && !existsSync(old));
          assert.deepEqual(readdirSync(running).sort(), ['REVIEW.md', 'packet.json', 'review.sarif', 'spec']);
          assert.deepEqual(readdirSync(reviews).filter((n) => !n.startsWith('.')), [path.basename(dir)]);
          assert.equal(readdirSync(reviews).filter((n) => n.startsWith('.')).length, 3);
          assert.ok(lstatSync(path.join(reviews, '.notes')).isDirectory());
          assert.equal(readFileSync(path.join(target, 'keep.txt'), 'utf8'), 'keep\n');
        } finally {
          await rm(target, { recursive: true, force: true });
        }
      } finally {
        sleeper.kill();
      }
    });
  });
});

describe('crash safety: approval records and the pre-commit hook', function () {
  this.timeout(120000);
  const prevEnv = { ...process.env };
  let w: World;

  beforeEach(async () => {
    w = await makeWorld();
    Object.assign(process.env, w.env);
    await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await w.repo.cleanup();
  });

  const approvals = () => path.join(w.repo.root, '.specgate', 'approvals');

  it('approve never writes through a symbolic link where it makes its files, and removes a record a killed approve left', async () => {
    // Links an assistant could plant by the names of an approve's temporary files (committed,
    // so that they are no part of the change and its digest).
    const digest16 = (await analyzeRepository({ cwd: w.repo.root })).report.digest.slice(7, 23);
    mkdirSync(approvals(), { recursive: true });
    const victim = path.join(w.scratch, 'victim.txt');
    writeFileSync(victim, 'mine\n');
    const links = ['json', 'sig'].map((ext) => `.specgate/approvals/.${digest16}.${ext}.${process.pid}.tmp`);
    for (const l of links) symlinkSync(victim, path.join(w.repo.root, l));
    await w.repo.git('add', '--', ...links);
    await w.repo.git('commit', '-q', '-m', 'links');
    const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root }), { out: path.join(w.scratch, 'reviews') });
    // A whole record a killed approve left under its hidden name: a record, not a change.
    const first = await approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, ssh: { env: w.env, interactive: false } });
    const leftover = path.join(approvals(), `.${digest16}.json.partial-${deadPid()}-abcdef`);
    writeFileSync(leftover, readFileSync(first.file));
    assert.ok(!(await specgateChanges(w.repo.root)).includes(path.relative(w.repo.root, leftover)));

    const r = await approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, ssh: { env: w.env, interactive: false } });
    assert.equal(readFileSync(victim, 'utf8'), 'mine\n');
    assert.ok(!existsSync(leftover));
    assert.deepEqual(readdirSync(approvals()).filter((n) => !n.endsWith('.tmp')).sort(), [`${digest16}.json`, `${digest16}.sig`]);
    assert.ok(lstatSync(r.file).isFile() && lstatSync(r.signature).isFile());
  });

  it('hook install never writes through a symbolic link where it makes its file, and removes what a killed install left', async () => {
    const hooks = path.join(w.repo.root, '.git', 'hooks');
    mkdirSync(hooks, { recursive: true });
    const victim = path.join(w.scratch, 'victim.sh');
    writeFileSync(victim, '#!/bin/sh\necho mine\n', { mode: 0o644 });
    symlinkSync(victim, path.join(hooks, `.pre-commit.specgate-${process.pid}`));
    const leftover = path.join(hooks, `.pre-commit.specgate-partial-${deadPid()}-abcdef`);
    writeFileSync(leftover, '#!/bin/sh\n', { mode: 0o755 });
    const r = await installHook({ cwd: w.repo.root, cliPath: '/a/cli.js' });
    assert.equal(r.action, 'installed');
    assert.equal(readFileSync(victim, 'utf8'), '#!/bin/sh\necho mine\n');
    assert.equal(lstatSync(victim).mode & 0o777, 0o644);
    assert.ok(lstatSync(path.join(hooks, 'pre-commit')).isFile());
    assert.match(readFileSync(path.join(hooks, 'pre-commit'), 'utf8'), /\/a\/cli\.js/);
    assert.ok(!existsSync(leftover));
    assert.deepEqual(readdirSync(hooks).filter((n) => n.includes('specgate-partial')), []);
  });
});
