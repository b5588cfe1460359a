// The built CLI (`node dist/cli.js`) on repositories in states a user meets: line ends that
// git converts (core.autocrlf), a merge with conflicts, submodules and repositories nested
// in the work tree, GIT_DIR/GIT_WORK_TREE, a bare repository, a required filter driver.
// Each test compares with what git itself takes.
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../../src/core/model';
import { installHook } from '../../src/node/hook';
import { CLI, cliBuilt } from './helpers/checkCli';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';
import { makeWorld, REQUIREMENTS, TASKS, type World } from './verifyFixture';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runIn(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 60000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end();
  });
}

const SPEC = { '.kiro/specs/cache/requirements.md': REQUIREMENTS, '.kiro/specs/cache/tasks.md': TASKS, 'src/app.ts': 'export const a = 1;\n' };

describe('the CLI on repositories in odd states', function () {
  this.timeout(120000);
  const repos: TestRepo[] = [];
  const envOf = (r: TestRepo) => testGitEnv(path.join(path.dirname(r.root), 'home'));
  const cli = (r: TestRepo, args: string[], env: NodeJS.ProcessEnv = envOf(r), cwd = r.root) => runIn(cwd, env, args);
  async function report(r: TestRepo, ...args: string[]): Promise<Report> {
    const out = await cli(r, ['check', '--format', 'json', '--fail-on', 'none', ...args]);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout) as Report;
  }
  async function repo(files: Record<string, string> = SPEC): Promise<TestRepo> {
    const r = await makeRepo(files);
    repos.push(r);
    return r;
  }

  before(function () {
    if (!cliBuilt()) this.skip();
  });
  after(async () => {
    for (const r of repos) await r.cleanup();
  });

  describe('core.autocrlf=true and files with CRLF line ends', () => {
    let w: World;
    afterEach(() => w?.repo.cleanup());

    it('binds the blobs git stores, so a working-tree bundle is the staged change, and its approval lets the commit through', async () => {
      w = await makeWorld();
      await w.repo.git('config', 'core.autocrlf', 'true');
      // The committed file as a CRLF checkout has it: git's diff sees no change.
      await w.repo.write('src/app.ts', 'export const a = 1;\r\n');
      assert.equal(await w.repo.git('diff', 'HEAD', '--raw'), '');
      // An edit, a new file and a spec edit, all with CRLF in the work tree (LF in git).
      await w.repo.write('src/app.ts', 'export const a = 1;\r\nexport const cache = new Map();\r\n');
      await w.repo.write('src/cache.ts', 'export const size = 10;\r\n');
      await w.repo.write('.kiro/specs/cache/tasks.md', `${TASKS}- [x] 2. Size in \`src/cache.ts\`\n  - _Requirements: 1_\n`.replace(/\n/g, '\r\n'));
      const run = (args: string[]) => runIn(w.repo.root, w.env, args);

      const worktree = JSON.parse((await run(['check', '--format', 'json'])).stdout) as Report;
      assert.deepEqual(
        worktree.changes.map((c) => [c.path, c.status, c.added, c.removed]),
        [['.kiro/specs/cache/tasks.md', 'modified', 2, 0], ['src/app.ts', 'modified', 1, 0], ['src/cache.ts', 'added', 1, 0]],
      );
      const b = await run(['bundle', '--out', path.join(w.scratch, 'reviews')]);
      assert.equal(b.code, 0, b.stderr);
      const a = await run(['approve', b.stdout.trim(), '--key', w.keys.alice.key]);
      assert.equal(a.code, 0, a.stderr);

      await w.repo.git('add', '-A');
      const staged = JSON.parse((await run(['check', '--staged', '--format', 'json'])).stdout) as Report;
      assert.equal(staged.digest, worktree.digest);
      await installHook({ cwd: w.repo.root, cliPath: CLI });
      const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
      assert.equal(commit.code, 0, commit.stderr);
      assert.match(commit.stdout + commit.stderr, /^specgate: approved by alice@example\.com at /);
    });

    for (const how of ['core.autocrlf=true', '* text=auto'] as const) {
      it(`binds a file committed with CRLF as git add keeps it under ${how} (unconverted): the working-tree digest is the staged one`, async () => {
        w = await makeWorld();
        const run = (args: string[]) => runIn(w.repo.root, w.env, args);
        await w.repo.write('src/old.txt', 'one\r\ntwo\r\n');
        await w.repo.commit('a file committed with CRLF');
        if (how === 'core.autocrlf=true') await w.repo.git('config', 'core.autocrlf', 'true');
        else {
          await w.repo.write('.gitattributes', '* text=auto\n');
          await w.repo.commit('attributes');
        }
        await w.repo.write('src/old.txt', 'one\r\ntwo\r\nthree\r\n');
        const worktree = JSON.parse((await run(['check', '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
        const b = await run(['bundle', '--out', path.join(w.scratch, 'reviews')]);
        assert.equal(b.code, 0, b.stderr);
        await w.repo.git('add', 'src/old.txt');
        assert.match(await w.repo.git('ls-files', '--eol', '--', 'src/old.txt'), /^i\/crlf/, 'git add kept the CRLF');
        const staged = JSON.parse((await run(['check', '--staged', '--format', 'json', '--fail-on', 'none'])).stdout) as Report;
        assert.equal(worktree.digest, staged.digest);
      });
    }

    it('a clone that checks the records out with CRLF (autocrlf, or eol=crlf) still verifies: the record is the bytes git holds', async () => {
      w = await makeWorld();
      const run = (args: string[], cwd = w.repo.root) => runIn(cwd, w.env, args);
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
      const b = await run(['bundle', '--out', path.join(w.scratch, 'reviews')]);
      assert.equal(b.code, 0, b.stderr);
      assert.equal((await run(['approve', b.stdout.trim(), '--key', w.keys.alice.key])).code, 0);
      await w.repo.git('add', '-A');
      await w.repo.commit('cache, approved');
      // CI's clone, as Git for Windows makes one: every text file, records too, gets CRLF.
      const clone = path.join(w.scratch, 'clone');
      execFileSync('git', ['-c', 'core.autocrlf=true', 'clone', '-q', '-b', 'feature', w.repo.root, clone], { env: w.env, stdio: 'pipe' });
      execFileSync('git', ['config', 'core.autocrlf', 'true'], { cwd: clone, env: w.env });
      const [record] = readdirSync(path.join(clone, '.specgate', 'approvals')).filter((n) => n.endsWith('.json'));
      assert.match(readFileSync(path.join(clone, '.specgate', 'approvals', record!), 'utf8'), /^\{\r\n/);
      const v = await run(['verify', '--base', 'refs/remotes/origin/main'], clone);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.match(v.stdout, /^specgate: approved by alice@example\.com at /);
      // A CR that is no line end of a CRLF checkout is an edit: the record is no record.
      const file = path.join(clone, '.specgate', 'approvals', record!);
      writeFileSync(file, readFileSync(file, 'utf8').replace('"decision"', '"decision"\r'));
      assert.equal((await run(['verify', '--base', 'refs/remotes/origin/main'], clone)).code, 1);
    });
  });

  describe('files moved without git mv (a deletion and an untracked file)', () => {
    const lines = (n: number, last = `l${n}`) => Array.from({ length: n }, (_, i) => (i === n - 1 ? last : `l${i + 1}`)).join('\n') + '\n';

    it('bundles a moved and edited file (git pairs it in the patch), and its digest is the staged change\'s, where git pairs it as a rename', async () => {
      const r = await repo({ ...SPEC, 'src/big.ts': lines(6) });
      await r.rm('src/big.ts');
      await r.write('src/moved.ts', lines(6, 'l6 changed'));
      const worktree = await report(r);
      // Unstaged, git pairs nothing (`git status` shows a deletion and an untracked file); the
      // check pairs them as git will once they are staged (see movedFiles.test.ts).
      assert.deepEqual(worktree.changes.map((c) => [c.path, c.oldPath, c.status]), [['src/moved.ts', 'src/big.ts', 'renamed']]);
      const reviews = path.join(path.dirname(r.root), 'reviews');
      const b = await cli(r, ['bundle', '--out', reviews]);
      assert.equal(b.code, 0, b.stderr);
      // An empty stdout here was seen once in a full run (code 0): say what was written, if anything.
      assert.notEqual(b.stdout.trim(), '', `bundle printed no folder (stderr: ${JSON.stringify(b.stderr)}; ${reviews}: ${existsSync(reviews) ? JSON.stringify(readdirSync(reviews, { recursive: true })) : "absent"})`);
      assert.match(readFileSync(path.join(b.stdout.trim(), 'changes.patch'), 'utf8'), /^rename from src\/big\.ts\nrename to src\/moved\.ts\n/m);
      await r.git('add', '-A');
      const staged = await report(r, '--staged');
      assert.deepEqual(staged.changes.map((c) => [c.path, c.oldPath, c.status]), [['src/moved.ts', 'src/big.ts', 'renamed']]);
      assert.equal(staged.digest, worktree.digest);
    });

    it('pairs identical moved files by name as git does, and the staged digest is the working tree\'s', async () => {
      const r = await repo({ ...SPEC, 'x/foo.ts': 'same\n', 'y/bar.ts': 'same\n' });
      await r.rm('x/foo.ts');
      await r.rm('y/bar.ts');
      await r.write('x/bar.ts', 'same\n');
      await r.write('y/foo.ts', 'same\n');
      const worktree = await report(r);
      assert.deepEqual(worktree.changes.map((c) => [c.oldPath, c.path]), [['y/bar.ts', 'x/bar.ts'], ['x/foo.ts', 'y/foo.ts']]);
      await r.git('add', '-A');
      const staged = await report(r, '--staged');
      assert.deepEqual(staged.changes.map((c) => [c.oldPath, c.path]), [['y/bar.ts', 'x/bar.ts'], ['x/foo.ts', 'y/foo.ts']]);
      assert.equal(staged.digest, worktree.digest);
    });
  });

  it('refuses a HEAD that names a commit the repository lacks (damaged), where an unborn branch is a first commit', async () => {
    const r = await repo();
    const branch = (await r.git('symbolic-ref', '--short', 'HEAD')).trim();
    const missing = 'deadbeef'.repeat(5);
    writeFileSync(path.join(r.root, '.git', 'refs', 'heads', branch), `${missing}\n`);
    const message = `specgate: HEAD names deadbeefdead, which is not a commit this repository holds (git status says "bad object HEAD"); repair the repository, or check out a branch that exists\n`;
    for (const args of [['check'], ['bundle'], ['verify'], ['check', '--staged']]) {
      const out = await cli(r, args);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', message], args.join(' '));
    }
    // A branch with no commit yet is no damage: its change is every file.
    await r.git('symbolic-ref', 'HEAD', 'refs/heads/fresh');
    assert.deepEqual((await report(r)).base, { ref: 'HEAD', commit: null });
  });

  it('refuses --staged during a merge with conflicts, naming the paths; the work tree is checked as it stands', async () => {
    const r = await repo();
    await r.git('checkout', '-q', '-b', 'other');
    await r.write('src/app.ts', 'export const a = 2;\n');
    await r.commit('other');
    await r.git('checkout', '-q', 'main');
    await r.write('src/app.ts', 'export const a = 3;\n');
    await r.commit('main');
    await r.git('merge', '-q', 'other').catch(() => undefined);
    assert.match(await r.git('status', '--porcelain'), /^UU src\/app\.ts$/m);

    const message = 'specgate: the index has unresolved merge conflicts in src/app.ts, so a commit can take nothing yet; resolve them and git add the files first\n';
    for (const command of ['check', 'bundle', 'verify']) {
      const out = await cli(r, [command, '--staged']);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', message], command);
    }
    // The work tree as it stands, conflict markers and all; a note says the file is unmerged.
    const worktree = (await report(r)) as Report & { notes?: string[] };
    assert.deepEqual(worktree.changes.map((c) => [c.path, c.added, c.removed]), [['src/app.ts', 4, 0]]);
    assert.deepEqual(worktree.notes, [
      'src/app.ts has a merge conflict not yet resolved: this change holds the file as it stands, conflict markers and all (resolve it and git add it, then review again)',
    ]);
    const text = await cli(r, ['check', '--fail-on', 'none']);
    assert.match(text.stdout, /\nNotes \(1\)\n {2}src\/app\.ts has a merge conflict not yet resolved: /);
    // Resolved and added, the note goes; the untracked listing is no unmerged one.
    await r.write('src/app.ts', 'export const a = 4;\n');
    await r.git('add', 'src/app.ts');
    await r.write('src/new.ts', 'export const n = 1;\n');
    const resolved = (await report(r)) as Report & { notes?: string[] };
    assert.deepEqual([resolved.changes.map((c) => c.path), resolved.notes], [['src/app.ts', 'src/new.ts'], undefined]);
  });

  it('names a file in conflict that the change does not hold (deleted by the other side, unchanged here)', async () => {
    const r = await repo({ ...SPEC, 'src/old.ts': 'export const o = 1;\n' });
    await r.git('checkout', '-q', '-b', 'other');
    await r.git('rm', '-q', 'src/old.ts');
    await r.commit('other deletes old.ts');
    await r.git('checkout', '-q', 'main');
    await r.write('src/old.ts', 'export const o = 2;\n');
    await r.commit('main edits old.ts');
    await r.git('merge', '-q', 'other').catch(() => undefined);
    assert.match(await r.git('status', '--porcelain'), /^UD src\/old\.ts$/m);
    const rep = (await report(r)) as Report & { notes?: string[] };
    assert.deepEqual([rep.changes.map((c) => c.path), rep.notes], [
      [],
      ['src/old.ts has a merge conflict not yet resolved, and as the work tree stands it is not part of this change; resolving it (git rm or git add) may change that, so review again once resolved'],
    ]);
  });

  describe('submodules and repositories nested in the work tree', () => {
    const gitIn = (cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) =>
      execFileSync('git', ['-c', 'protocol.file.allow=always', ...args], { cwd, env, stdio: 'pipe' }).toString();
    /** A repository with the spec, and a submodule at vendor/lib holding lib.ts, committed. */
    async function withSubmodule(): Promise<{ r: TestRepo; env: NodeJS.ProcessEnv; sub: string }> {
      const lib = await repo({ 'lib.ts': 'export const v = 1;\n' });
      const r = await repo();
      const env = envOf(r);
      gitIn(r.root, env, 'submodule', 'add', '-q', lib.root, 'vendor/lib');
      await r.commit('submodule');
      return { r, env, sub: path.join(r.root, 'vendor/lib') };
    }

    it("binds the commit a submodule's work tree has checked out, as the index will once it is staged", async () => {
      const { r, env, sub } = await withSubmodule();
      const commits: string[] = [];
      for (const v of [2, 3]) {
        execFileSync('sh', ['-c', `echo 'export const v = ${v};' > lib.ts`], { cwd: sub });
        gitIn(sub, env, 'commit', '-q', '-am', `v${v}`);
        commits.push(gitIn(sub, env, 'rev-parse', 'HEAD').trim());
      }
      const atV3 = await report(r);
      gitIn(sub, env, 'checkout', '-q', commits[0]!);
      const atV2 = await report(r);
      assert.deepEqual(atV2.changes.map((c) => [c.path, c.status, c.binary]), [['vendor/lib', 'modified', true]]);
      assert.notEqual(atV2.digest, atV3.digest);
      await r.git('add', 'vendor/lib');
      assert.equal((await report(r, '--staged')).digest, atV2.digest);
    });

    it('names a submodule in a merge conflict in the conflict note, not as a checkout the index moved past', async () => {
      const { r, env, sub } = await withSubmodule();
      const bump = (v: number): string => {
        execFileSync('sh', ['-c', `echo 'export const v = ${v};' > lib.ts`], { cwd: sub });
        gitIn(sub, env, 'commit', '-q', '-am', `v${v}`);
        return gitIn(sub, env, 'rev-parse', 'HEAD').trim();
      };
      const first = gitIn(sub, env, 'rev-parse', 'HEAD').trim();
      await r.git('checkout', '-q', '-b', 'other');
      bump(2);
      await r.git('add', 'vendor/lib');
      await r.commit('lib v2');
      await r.git('checkout', '-q', 'main');
      gitIn(sub, env, 'checkout', '-q', first);
      bump(3);
      await r.git('add', 'vendor/lib');
      await r.commit('lib v3');
      await r.git('merge', '-q', 'other').catch(() => undefined);
      assert.match(await r.git('status', '--porcelain'), /^UU vendor\/lib$/m);
      const rep = (await report(r)) as Report & { notes?: string[] };
      assert.deepEqual(rep.notes, [
        'vendor/lib is a submodule with a merge conflict not yet resolved: this change holds the commit its work tree has checked out (pick the commit, git add it, then review again)',
      ]);
    });

    it('calls a submodule bump a submodule and a re-pointed link a symbolic link, in the report and the text report', async () => {
      const { r, env, sub } = await withSubmodule();
      execFileSync('ln', ['-s', 'app.ts', 'src/link.ts'], { cwd: r.root });
      await r.commit('a link');
      execFileSync('sh', ['-c', "echo 'export const v = 2;' > lib.ts"], { cwd: sub });
      gitIn(sub, env, 'commit', '-q', '-am', 'v2');
      execFileSync('ln', ['-sfn', 'other.ts', 'src/link.ts'], { cwd: r.root });
      for (const args of [[], ['--staged']]) {
        if (args.length) await r.git('add', '-A');
        const rep = await report(r, ...args);
        assert.deepEqual(
          rep.changes.map((c) => [c.path, c.binary, c.oldMode, c.newMode]),
          [['src/link.ts', false, '120000', '120000'], ['vendor/lib', true, '160000', '160000']],
        );
        const text = (await cli(r, ['check', ...args, '--fail-on', 'none'])).stdout;
        assert.match(text, /\n {2}M src\/link\.ts {2}\+1 −1 · symbolic link\n/);
        assert.match(text, /\n {2}M vendor\/lib {2}submodule\n/);
      }
    });

    it('a submodule with edits or new files of its own, at the same commit, is not part of the change: a note says so', async () => {
      const { r, env, sub } = await withSubmodule();
      const commit = gitIn(sub, env, 'rev-parse', 'HEAD').trim();
      execFileSync('sh', ['-c', "echo 'export const b = 2;' >> src/app.ts"], { cwd: r.root });
      const clean = await report(r);
      assert.deepEqual(clean.changes.map((c) => c.path), ['src/app.ts']);
      const note = `specgate: note: vendor/lib is a submodule with uncommitted changes of its own; they are not part of this change, so they are not reviewed (its commit, ${commit.slice(0, 12)}, is unchanged)\n`;

      // An edit inside the submodule, then a new file in it: git calls it modified both times.
      execFileSync('sh', ['-c', "echo 'export const v = 9;' > lib.ts"], { cwd: sub });
      assert.match(await r.git('diff', 'HEAD', '--raw', '--ignore-submodules=none', '--', 'vendor/lib'), /^:160000 160000 (\w+) \1 M\tvendor\/lib\n$/);
      for (const step of ['edited', 'untracked file']) {
        if (step === 'untracked file') execFileSync('sh', ['-c', 'git checkout -q -- lib.ts && echo new > new.txt'], { cwd: sub, env });
        const out = await cli(r, ['check', '--format', 'json', '--fail-on', 'none']);
        assert.equal(out.code, 0, out.stderr);
        assert.equal(out.stderr, note, step);
        const dirty = JSON.parse(out.stdout) as Report;
        assert.deepEqual(dirty.changes.map((c) => c.path), ['src/app.ts'], step);
        assert.equal(dirty.digest, clean.digest, step);
        const text = await cli(r, ['check', '--fail-on', 'none']);
        assert.match(text.stdout, /\nNotes \(1\)\n {2}vendor\/lib is a submodule with uncommitted changes of its own;/, step);
      }
      await r.git('add', 'src/app.ts');
      assert.equal((await report(r, '--staged')).digest, clean.digest);

      // A new commit checked out in it is a change (its commit), however dirty the work tree is.
      gitIn(sub, env, 'add', 'new.txt');
      gitIn(sub, env, 'commit', '-q', '-m', 'new');
      const moved = await report(r);
      const movedTo = gitIn(sub, env, 'rev-parse', 'HEAD').trim();
      assert.equal((await cli(r, ['check', '--format', 'json', '--fail-on', 'none'])).stderr, '', 'a clean submodule at a new commit: no note');
      execFileSync('sh', ['-c', 'echo more > more.txt'], { cwd: sub });
      const movedDirty = await report(r);
      assert.deepEqual(movedDirty.changes.map((c) => [c.path, c.status, c.binary]), [['src/app.ts', 'modified', false], ['vendor/lib', 'modified', true]]);
      assert.equal(movedDirty.digest, moved.digest);
      assert.notEqual(moved.digest, clean.digest);
      // Its own changes are still not part of the change, though git's patch marks the new commit -dirty: a note says so.
      assert.equal(
        (await cli(r, ['check', '--format', 'json', '--fail-on', 'none'])).stderr,
        `specgate: note: vendor/lib is a submodule with uncommitted changes of its own; they are not part of this change, so they are not reviewed (the change moves it to commit ${movedTo.slice(0, 12)}, which the patch marks -dirty)\n`,
      );
      await r.git('add', 'vendor/lib');
      assert.equal((await cli(r, ['check', '--staged', '--format', 'json', '--fail-on', 'none'])).stderr, '', 'staged: the index holds the commit alone');
    });

    it('lists an untracked repository nested in the work tree, as git add would record it, and a bundle patches it', async () => {
      const r = await repo();
      const env = envOf(r);
      const inner = path.join(r.root, 'tools/inner');
      execFileSync('mkdir', ['-p', inner]);
      gitIn(inner, env, 'init', '-q');
      execFileSync('sh', ['-c', 'echo hi > f'], { cwd: inner });
      gitIn(inner, env, 'add', 'f');
      gitIn(inner, env, 'commit', '-q', '-m', 'inner');
      const head = gitIn(inner, env, 'rev-parse', 'HEAD').trim();
      gitIn(r.root, env, 'init', '-q', 'empty');
      assert.equal(await r.git('status', '--porcelain'), '?? empty/\n?? tools/\n');

      // The repository with no commit is one git add refuses: not in the change, and a note says so.
      const worktree = (await report(r)) as Report & { notes?: string[] };
      assert.deepEqual(worktree.changes.map((c) => [c.path, c.status, c.binary, c.classification]), [['tools/inner', 'added', true, 'out-of-scope']]);
      assert.deepEqual(worktree.notes, [
        'empty is a git repository with no commit checked out: git add refuses it, so it is not part of this change and nothing in it is reviewed (commit in it first, or remove its .git folder to add its files here)',
      ]);
      const reviews = path.join(path.dirname(r.root), 'reviews');
      const b = await cli(r, ['bundle', '--out', reviews]);
      assert.equal(b.code, 0, b.stderr);
      // An empty stdout here was seen once in a full run (code 0): say what was written, if anything.
      assert.notEqual(b.stdout.trim(), '', `bundle printed no folder (stderr: ${JSON.stringify(b.stderr)}; ${reviews}: ${existsSync(reviews) ? JSON.stringify(readdirSync(reviews, { recursive: true })) : "absent"})`);
      const patch = readFileSync(path.join(b.stdout.trim(), 'changes.patch'), 'utf8');
      assert.equal(patch, `diff --git a/tools/inner b/tools/inner\nnew file mode 160000\nindex ${'0'.repeat(40)}..${head}\n--- /dev/null\n+++ b/tools/inner\n@@ -0,0 +1 @@\n+Subproject commit ${head}\n`);

      // The change is exactly what `git add` stages.
      await r.git('add', 'tools/inner');
      assert.equal((await report(r, '--staged')).digest, worktree.digest);
      await assert.rejects(r.git('add', 'empty'), /does not have a commit checked out/);

      // A nested repository whose config says it has no work tree (core.bare) still has a
      // commit, which git add records: it is listed with that commit, not left out as commitless.
      const bare = path.join(r.root, 'tools/bare');
      execFileSync('mkdir', ['-p', bare]);
      gitIn(bare, env, 'init', '-q');
      execFileSync('sh', ['-c', 'echo evil > e.js'], { cwd: bare });
      gitIn(bare, env, 'add', 'e.js');
      gitIn(bare, env, 'commit', '-q', '-m', 'inner');
      const bareHead = gitIn(bare, env, 'rev-parse', 'HEAD').trim();
      gitIn(bare, env, 'config', 'core.bare', 'true');
      const withBare = (await report(r)) as Report & { notes?: string[] };
      assert.deepEqual(
        withBare.changes.map((c) => [c.path, c.status]),
        [['tools/bare', 'added'], ['tools/inner', 'added']],
      );
      // The bundle patches it by its commit too: git is not asked whether its work tree is
      // dirty (it has none; `git status` in it fails), which a commit here does not record.
      const bb = await cli(r, ['bundle', '--out', reviews]);
      assert.equal(bb.code, 0, bb.stderr);
      assert.match(
        readFileSync(path.join(bb.stdout.trim(), 'changes.patch'), 'utf8'),
        new RegExp(`^diff --git a/tools/bare b/tools/bare\\nnew file mode 160000\\nindex 0{40}\\.\\.${bareHead}\\n--- /dev/null\\n\\+\\+\\+ b/tools/bare\\n@@ -0,0 \\+1 @@\\n\\+Subproject commit ${bareHead}\\ndiff --git a/tools/inner b/tools/inner\\n`),
      );
      await r.git('add', 'tools/bare');
      assert.match(await r.git('ls-files', '-s', 'tools/bare'), new RegExp(`^160000 ${bareHead} 0\\ttools/bare\\n$`));
      assert.equal((await report(r, '--staged')).digest, withBare.digest);

      // Once recorded, git itself (`git status`, the working tree's diff) cannot tell whether
      // its work tree is dirty: one line says so and names the submodule.
      await r.git('commit', '-q', '-m', 'record the nested repositories');
      gitIn(bare, env, 'config', 'core.bare', 'false');
      execFileSync('sh', ['-c', 'echo more > m.js'], { cwd: bare });
      gitIn(bare, env, 'add', 'm.js');
      gitIn(bare, env, 'commit', '-q', '-m', 'more');
      gitIn(bare, env, 'config', 'core.bare', 'true');
      const broken = await cli(r, ['check']);
      assert.deepEqual([broken.code, broken.stdout, broken.stderr], [2, '', 'specgate: git diff failed: this operation must be run in a work tree (in the submodule tools/bare)\n']);
    });
  });

  it('finds the repository as git does: GIT_DIR and GIT_WORK_TREE count for specs as for check; a bare repository is one line', async () => {
    const r = await repo();
    const elsewhere = path.dirname(r.root);
    const env = { ...envOf(r), GIT_DIR: path.join(r.root, '.git'), GIT_WORK_TREE: r.root };
    const specs = await cli(r, ['specs', '--json'], env, elsewhere);
    assert.equal(specs.code, 0, specs.stderr);
    assert.deepEqual((JSON.parse(specs.stdout) as { id: string }[]).map((s) => s.id), ['.kiro/specs/cache']);
    const check = await cli(r, ['check', '--format', 'json'], env, elsewhere);
    assert.equal((JSON.parse(check.stdout) as Report).spec.id, '.kiro/specs/cache');

    const bare = path.join(elsewhere, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', r.root, bare], { env: envOf(r) });
    for (const command of ['specs', 'check']) {
      const out = await cli(r, [command], envOf(r), bare);
      assert.deepEqual(
        [out.code, out.stdout, out.stderr],
        [2, '', `specgate: no work tree at ${bare}: a bare repository cannot be checked (run in a clone with a work tree, or pass --cwd)\n`],
        command,
      );
    }
  });

  it('says why a linked worktree whose main repository moved is no repository, and how git repairs it', async () => {
    const r = await repo();
    const linked = path.join(path.dirname(r.root), 'linked');
    await r.git('worktree', 'add', '-q', linked, '-b', 'side');
    const moved = path.join(path.dirname(r.root), 'moved');
    execFileSync('mv', [r.root, moved]);
    try {
      const out = await cli(r, ['check'], envOf(r), linked);
      assert.deepEqual(
        [out.code, out.stdout, out.stderr],
        [2, '', `specgate: not a git repository: ${linked}: git follows a .git file to ${r.root}/.git/worktrees/linked, which is not there (a linked worktree whose main repository moved? run git worktree repair ${linked} in the main repository)\n`],
      );
      // The command the message gives makes it a repository again.
      execFileSync('git', ['worktree', 'repair', linked], { cwd: moved, env: envOf(r) });
      assert.equal((await cli(r, ['check', '--format', 'json'], envOf(r), linked)).code, 0);
      const gitDir = await cli(r, ['check'], { ...envOf(r), GIT_DIR: path.join(moved, 'nothing') }, linked);
      assert.deepEqual([gitDir.code, gitDir.stderr], [2, `specgate: not a git repository: GIT_DIR names ${path.join(moved, 'nothing')}, which is not one (unset GIT_DIR, or point it at a repository)\n`]);
    } finally {
      execFileSync('mv', [moved, r.root]);
    }
  });

  it('with a split index, reads the change right and leaves no new sharedindex file in the git folder', async () => {
    const r = await repo();
    await r.git('config', 'core.splitIndex', 'true');
    await r.git('config', 'splitIndex.maxPercentChange', '0');
    await r.git('update-index', '--split-index');
    const shared = () => readdirSync(path.join(r.root, '.git')).filter((n) => n.startsWith('sharedindex.')).sort();
    const before = shared();
    assert.equal(before.length, 1);
    // Stat data git must refresh (touched, same bytes), an edit and a new file.
    await new Promise((res) => setTimeout(res, 1100));
    await r.write('.kiro/specs/cache/tasks.md', readFileSync(path.join(r.root, '.kiro/specs/cache/tasks.md')));
    await r.write('src/app.ts', 'export const a = 2;\n');
    await r.write('src/new.ts', 'export const n = 1;\n');
    assert.deepEqual((await report(r)).changes.map((c) => c.path).sort(), ['src/app.ts', 'src/new.ts']);
    const out = await cli(r, ['bundle', '--out', path.join(path.dirname(r.root), 'reviews')]);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(shared(), before);
  });

  it('refuses a SHA-256 repository in one line for every command that reads git, and writes nothing', async () => {
    const r = await repo();
    const dir = path.join(path.dirname(r.root), 'sha256');
    const env = envOf(r);
    execFileSync('git', ['init', '-q', '--object-format=sha256', '-b', 'main', dir], { env });
    writeFileSync(path.join(dir, 'a.ts'), 'export const a = 1;\n');
    execFileSync('git', ['add', '-A'], { cwd: dir, env });
    execFileSync('git', ['-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit', '-qm', 'first'], { cwd: dir, env });
    writeFileSync(path.join(dir, 'a.ts'), 'export const a = 2;\n');
    const before = execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: dir, env, encoding: 'utf8' });
    const line = `specgate: the repository at ${dir} stores its objects with sha256, and SpecGate reads SHA-1 repositories only (its blob ids, digests and approvals are SHA-1)\n`;
    for (const args of [['check'], ['bundle'], ['verify'], ['hook', 'install']]) {
      const out = await cli(r, args, env, dir);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', line], args.join(' '));
    }
    assert.equal(execFileSync('git', ['status', '--porcelain', '--ignored'], { cwd: dir, env, encoding: 'utf8' }), before);
    assert.equal(existsSync(path.join(dir, '.git', 'hooks', 'pre-commit')), false);
  });

  it('names git\'s remedy for a repository another user owns (dubious ownership) on its one line', async function () {
    // Making a repository another user owns takes root (chown); CI runs as root.
    if (process.getuid?.() !== 0) this.skip();
    const r = await repo();
    const dir = path.join(path.dirname(r.root), 'theirs');
    execFileSync('git', ['init', '-q', dir], { env: envOf(r) });
    execFileSync('chown', ['-R', 'nobody', dir]);
    const out = await cli(r, ['check'], envOf(r), dir);
    assert.deepEqual(
      [out.code, out.stdout, out.stderr],
      [2, '', `specgate: cannot use the git repository at ${dir}: detected dubious ownership in repository at '${dir}'; if you trust it: git config --global --add safe.directory ${dir}\n`],
    );
  });

  it('says the spec lies outside a sparse checkout, and how to add it, rather than that the repository has none', async () => {
    const r = await repo();
    await r.git('sparse-checkout', 'set', '--cone', 'src');
    const out = await cli(r, ['check']);
    assert.deepEqual(
      [out.code, out.stdout, out.stderr],
      [2, '', 'specgate: no spec in the work tree: .kiro/specs/cache is outside the sparse checkout; add it (git sparse-checkout add .kiro/specs/cache) and try again\n'],
    );
    await r.git('sparse-checkout', 'add', '.kiro/specs/cache');
    assert.equal((await report(r)).spec.id, '.kiro/specs/cache');
  });

  it('finds a single-file spec (scope front matter) outside a sparse checkout from the index, and names its folder to add', async () => {
    const r = await repo({ 'docs/specs/cache.md': '---\nscope: ["src/**"]\n---\n# Cache\n', 'src/app.ts': 'export const a = 1;\n' });
    await r.git('sparse-checkout', 'set', '--cone', 'src');
    assert.equal(existsSync(path.join(r.root, 'docs/specs/cache.md')), false);
    const out = await cli(r, ['check']);
    assert.deepEqual(
      [out.code, out.stdout, out.stderr],
      [2, '', 'specgate: no spec in the work tree: docs/specs/cache.md is outside the sparse checkout; add its folder (git sparse-checkout add docs/specs) and try again\n'],
    );
    // The command the message gives brings the spec back.
    await r.git('sparse-checkout', 'add', 'docs/specs');
    assert.equal((await report(r)).spec.id, 'docs/specs/cache.md');
  });

  it('says committed approval records lie outside a sparse checkout, rather than count them as files of the change', async () => {
    // A pull request's branch: an edit and its approval records, committed; CI checks it out sparsely.
    const r = await repo();
    await r.git('checkout', '-q', '-b', 'feature');
    await r.write('src/app.ts', 'export const a = 2;\n');
    await r.write('.specgate/approvals/0123456789abcdef.json', '{}\n');
    await r.write('.specgate/approvals/0123456789abcdef.sig', 'x\n');
    await r.git('add', '-A');
    await r.git('commit', '-qm', 'edit, approved');
    await r.git('sparse-checkout', 'set', '--cone', 'src', '.kiro');
    assert.equal(existsSync(path.join(r.root, '.specgate')), false);
    const line =
      "specgate: .specgate/approvals/0123456789abcdef.json and 1 more files with a record's name are in the index but not in the work tree (outside the sparse checkout, or marked skip-worktree), so SpecGate cannot tell them from files of the change; add .specgate (git sparse-checkout add .specgate) and try again\n";
    for (const args of [['check', '--base', 'main'], ['verify', '--base', 'main']]) {
      const out = await cli(r, args);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', line], args.join(' '));
    }
    // With them in the work tree they are read as what they are (these two are not records
    // in shape, so files of the change), and the refusal is gone.
    await r.git('sparse-checkout', 'add', '.specgate');
    assert.deepEqual((await report(r, '--base', 'main')).changes.map((c) => c.path).sort(), ['.specgate/approvals/0123456789abcdef.json', '.specgate/approvals/0123456789abcdef.sig', 'src/app.ts']);
  });

  it('during a rebase (HEAD detached), the name of the branch being rebased picks the spec, as before the rebase', async () => {
    const r = await repo({
      'docs/specs/fix-x.md': '---\nscope: ["src/**"]\n---\n# Fix X\n',
      'docs/specs/other.md': '---\nscope: ["lib/**"]\n---\n# Other\n',
      'src/a.ts': 'a\n',
    });
    await r.git('checkout', '-q', '-b', 'fix-x');
    await r.write('src/a.ts', 'a\nfix\n');
    await r.commit('fix');
    await r.git('checkout', '-q', 'main');
    await r.write('src/a.ts', 'a\nmain\n');
    await r.commit('main moves on');
    await r.git('checkout', '-q', 'fix-x');
    // The rebase stops at the conflict: HEAD is detached, and git keeps the branch's name.
    await assert.rejects(r.git('rebase', 'main'));
    assert.match(await r.git('status'), /rebase in progress/);
    const during = (await report(r)) as Report & { notes?: string[] };
    assert.deepEqual(
      [during.spec.id, during.notes],
      [
        'docs/specs/fix-x.md',
        [
          'src/a.ts has a merge conflict not yet resolved: this change holds the file as it stands, conflict markers and all (resolve it and git add it, then review again)',
          'the branch name fix-x picked the spec docs/specs/fix-x.md among 2 specs; pass --spec to review the change against another',
        ],
      ],
    );
    // The rebase given up, a detached HEAD with no rebase names no branch: --spec is asked for.
    await r.git('rebase', '--abort');
    await r.git('checkout', '-q', '--detach');
    const detached = await cli(r, ['check']);
    assert.deepEqual([detached.code, detached.stderr], [2, 'specgate: no spec given and 2 specs found: docs/specs/fix-x.md, docs/specs/other.md; pass --spec\n']);
    // A FIFO put where git keeps the name is not read (the read would never end).
    execFileSync('mkdir', ['-p', path.join(r.root, '.git/rebase-merge')]);
    execFileSync('mkfifo', [path.join(r.root, '.git/rebase-merge/head-name')]);
    const fifo = await cli(r, ['check']);
    assert.deepEqual([fifo.code, fifo.stderr], [2, 'specgate: no spec given and 2 specs found: docs/specs/fix-x.md, docs/specs/other.md; pass --spec\n']);
  });

  it('--spec takes a path from the current folder, an absolute path, or a file in the spec folder', async () => {
    const r = await repo({ ...SPEC, 'docs/specs/other.md': '---\nscope: ["lib/**"]\n---\n# Other\n' });
    await r.write('src/app.ts', 'export const a = 2;\n');
    const src = path.join(r.root, 'src');
    const specOf = async (spec: string, cwd = src): Promise<string> => {
      const out = await cli(r, ['check', '--format', 'json', '--fail-on', 'none', '--spec', spec], envOf(r), cwd);
      assert.equal(out.code, 0, out.stderr);
      return (JSON.parse(out.stdout) as Report).spec.id;
    };
    assert.equal(await specOf('../docs/specs/other.md'), 'docs/specs/other.md');
    assert.equal(await specOf(path.join(r.root, 'docs/specs/other.md')), 'docs/specs/other.md');
    assert.equal(await specOf('../.kiro/specs/cache/'), '.kiro/specs/cache');
    assert.equal(await specOf('.kiro/specs/cache/tasks.md', r.root), '.kiro/specs/cache');
    // As before: an id from the repository's root and a name, from any folder.
    assert.equal(await specOf('docs/specs/other.md'), 'docs/specs/other.md');
    assert.equal(await specOf('cache'), '.kiro/specs/cache');
    // `./` is the current folder's: from src/, ./docs/specs/other.md is src/docs/specs/other.md (a spec of its own here).
    await r.write('src/docs/specs/other.md', '---\nscope: ["src/**"]\n---\n# Src other\n');
    assert.equal(await specOf('./docs/specs/other.md'), 'src/docs/specs/other.md');
    assert.equal(await specOf('./docs/specs/other.md', r.root), 'docs/specs/other.md');
    // A link is not followed to the spec it points at: the link's own name picks.
    execFileSync('ln', ['-s', 'other.md', path.join(r.root, 'docs/specs/linked.md')]);
    assert.equal(await specOf('../docs/specs/linked.md'), 'docs/specs/linked.md');
    await r.rm('docs/specs/linked.md');
    // A path outside the repository, or to no spec, is refused as before.
    const outside = await cli(r, ['check', '--spec', path.dirname(r.root)], envOf(r), src);
    assert.deepEqual([outside.code, outside.stdout], [2, '']);
    assert.match(outside.stderr, /^specgate: no spec \/.*; specs found: \.kiro\/specs\/cache, docs\/specs\/other\.md, src\/docs\/specs\/other\.md\n$/);
    const none = await cli(r, ['check', '--spec', '../src/app.ts'], envOf(r), src);
    assert.deepEqual([none.code, none.stderr], [2, 'specgate: no spec ../src/app.ts; specs found: .kiro/specs/cache, docs/specs/other.md, src/docs/specs/other.md\n']);
  });

  it('with no --spec, the spec folder the command runs in picks that spec, and says so; a branch naming another is refused', async () => {
    const r = await repo({
      ...SPEC,
      '.kiro/specs/auth/tasks.md': '# Tasks\n\n- [ ] 1. Edit `lib/auth.ts`\n',
      'packages/ui/SPEC.md': '---\nscope: ["packages/ui/**"]\n---\n# UI\n',
      'docs/specs/a.md': '---\nscope: ["a/**"]\n---\n# A\n',
      'docs/specs/b.md': '---\nscope: ["b/**"]\n---\n# B\n',
      'lib/auth.ts': 'export const t = 1;\n',
    });
    await r.write('lib/auth.ts', 'export const t = 2;\n');
    const run = async (cwd: string, ...args: string[]) => cli(r, ['check', '--format', 'json', '--fail-on', 'none', ...args], envOf(r), path.join(r.root, cwd));
    const picked = async (cwd: string): Promise<[string, string[] | undefined]> => {
      const out = await run(cwd);
      assert.equal(out.code, 0, `${cwd}: ${out.stderr}`);
      const report = JSON.parse(out.stdout) as Report & { notes?: string[] };
      return [report.spec.id, report.notes];
    };
    const note = (folder: string, id: string) => [`the folder this runs in (${folder}) picked the spec ${id} among 5 specs; pass --spec to review the change against another`];
    assert.deepEqual(await picked('.kiro/specs/auth'), ['.kiro/specs/auth', note('.kiro/specs/auth', '.kiro/specs/auth')]);
    await r.write('.kiro/specs/cache/notes/x.txt', 'x\n');
    assert.deepEqual(await picked('.kiro/specs/cache/notes'), ['.kiro/specs/cache', note('.kiro/specs/cache/notes', '.kiro/specs/cache')]);
    // A folder below a one-file spec's folder picks it; a folder of several one-file specs picks none.
    await r.write('packages/ui/src/button.ts', 'export const b = 1;\n');
    assert.deepEqual(await picked('packages/ui/src'), ['packages/ui/SPEC.md', note('packages/ui/src', 'packages/ui/SPEC.md')]);
    const refusal = 'specgate: no spec given and 5 specs found: .kiro/specs/auth, .kiro/specs/cache, docs/specs/a.md, docs/specs/b.md, packages/ui/SPEC.md; pass --spec\n';
    for (const cwd of ['docs/specs', 'lib', '.kiro/specs', '.']) {
      const out = await run(cwd);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', refusal], cwd);
    }
    // --spec still decides, with no note.
    const named = await run('.kiro/specs/auth', '--spec', 'cache');
    assert.deepEqual([(JSON.parse(named.stdout) as Report).spec.id, (JSON.parse(named.stdout) as { notes?: string[] }).notes], ['.kiro/specs/cache', undefined]);
    // A branch that names the same spec agrees; one that names another leaves the choice to --spec.
    await r.git('checkout', '-q', '-b', 'feature/auth');
    assert.deepEqual(await picked('.kiro/specs/auth'), ['.kiro/specs/auth', note('.kiro/specs/auth', '.kiro/specs/auth')]);
    const other = await run('.kiro/specs/cache');
    assert.deepEqual(
      [other.code, other.stdout, other.stderr],
      [2, '', 'specgate: no spec given; the current folder is in .kiro/specs/cache, but the branch name feature/auth names .kiro/specs/auth; pass --spec\n'],
    );
  });

  it('with nothing uncommitted, says what the check does not see: a change only the index holds, commits ahead of the upstream', async () => {
    const r = await repo({ ...SPEC, 'db/a.sql': 'select 1;\n' });
    const notes = async () => ((await report(r)) as Report & { notes?: string[] }).notes;
    assert.equal(await notes(), undefined);
    // Staged, then removed from the working tree: a commit would still take it.
    await r.write('db/drop.sql', 'DROP TABLE invoices;\n');
    await r.git('add', 'db/drop.sql');
    await r.rm('db/drop.sql');
    assert.deepEqual(await notes(), ['the index holds a change to db/drop.sql that the working tree does not (a commit would take it); specgate check --staged reviews it']);
    assert.deepEqual((await report(r, '--staged')).changes.map((c) => c.path), ['db/drop.sql']);
    await r.git('rm', '-q', '--cached', 'db/drop.sql');
    // Committed on a branch its upstream lacks.
    const remote = path.join(path.dirname(r.root), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', remote]);
    await r.git('remote', 'add', 'origin', remote);
    await r.git('push', '-q', '-u', 'origin', 'HEAD:refs/heads/main');
    await r.git('branch', '-q', '--set-upstream-to', 'origin/main');
    assert.equal(await notes(), undefined);
    await r.write('db/a.sql', 'select 2;\n');
    await r.commit('two');
    await r.write('db/a.sql', 'select 3;\n');
    await r.commit('three');
    const ahead = 'HEAD is 2 commits ahead of origin/main, which this check of uncommitted work does not review; specgate check --base refs/remotes/origin/main does';
    assert.deepEqual(await notes(), [ahead]);
    assert.deepEqual((await report(r, '--base', 'refs/remotes/origin/main')).changes.map((c) => c.path), ['db/a.sql']);
    // Only with nothing uncommitted: any change is the report's own business.
    await r.write('src/app.ts', 'export const a = 2;\n');
    assert.equal(await notes(), undefined);
  });

  it('says --staged finds no spec because the spec is not staged yet (a first commit), and what to add', async () => {
    const r = await makeRepo();
    repos.push(r);
    for (const [f, c] of Object.entries(SPEC)) await r.write(f, c);
    await r.git('add', 'src/app.ts');
    const message = 'specgate: no spec in the index (what a commit takes): .kiro/specs/cache is in the work tree but not staged; git add it first (git add .kiro/specs/cache)\n';
    for (const command of ['check', 'verify']) {
      const out = await cli(r, [command, '--staged']);
      assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', message], command);
    }
    await r.git('add', '.kiro');
    assert.equal((await report(r, '--staged')).spec.id, '.kiro/specs/cache');
  });

  it('says a shallow clone is why --base finds no merge base, naming the refs given rather than commit ids', async () => {
    const r = await repo();
    await r.git('checkout', '-q', '-b', 'feature');
    await r.write('src/app.ts', 'export const a = 2;\n');
    await r.commit('feature');
    await r.git('checkout', '-q', 'main');
    await r.write('README.md', 'more\n');
    await r.commit('main moves on');
    const clone = path.join(path.dirname(r.root), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${r.root}`, clone], { env: envOf(r), stdio: 'pipe' });
    execFileSync('git', ['checkout', '-q', 'feature'], { cwd: clone, env: envOf(r) });
    const out = await cli(r, ['verify', '--base', 'origin/main'], envOf(r), clone);
    assert.deepEqual(
      [out.code, out.stderr],
      [2, "specgate: 'origin/main' and 'HEAD' have no common history in this shallow clone; fetch the history (git fetch --unshallow, or fetch-depth: 0 in CI) and try again\n"],
    );
  });

  describe("a user's git config that changes git's output", () => {
    it('diff.context=0 and diff.suppressBlankEmpty: the bundle patch still has context and applies with git apply', async () => {
      const base = 'l1\nl2\nl3\n\nl5\nl6\n';
      const r = await repo({ ...SPEC, 'src/app.ts': base });
      await r.git('config', 'diff.context', '0');
      await r.git('config', 'diff.suppressBlankEmpty', 'true');
      await r.write('src/app.ts', 'l1\nl2\nX3\n\nl5\nl6\n');
      const reviews = path.join(path.dirname(r.root), 'reviews');
      const b = await cli(r, ['bundle', '--out', reviews]);
      assert.equal(b.code, 0, b.stderr);
      // An empty stdout here was seen once in a full run (code 0): say what was written, if anything.
      assert.notEqual(b.stdout.trim(), '', `bundle printed no folder (stderr: ${JSON.stringify(b.stderr)}; ${reviews}: ${existsSync(reviews) ? JSON.stringify(readdirSync(reviews, { recursive: true })) : "absent"})`);
      const patch = path.join(b.stdout.trim(), 'changes.patch');
      assert.match(readFileSync(patch, 'utf8'), /^@@ -1,6 \+1,6 @@\n l1\n l2\n-l3\n\+X3\n/m);
      const fresh = await repo({ ...SPEC, 'src/app.ts': base });
      await fresh.git('apply', patch);
      assert.equal(readFileSync(path.join(fresh.root, 'src/app.ts'), 'utf8'), 'l1\nl2\nX3\n\nl5\nl6\n');
    });

    it('diff.submodule=log: a changed submodule is still checked and bundled, not an internal error', async () => {
      const lib = await repo({ 'lib.ts': 'export const v = 1;\n' });
      const r = await repo();
      const env = envOf(r);
      execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib.root, 'vendor/lib'], { cwd: r.root, env, stdio: 'pipe' });
      await r.commit('submodule');
      await r.git('config', 'diff.submodule', 'log');
      const sub = path.join(r.root, 'vendor/lib');
      execFileSync('sh', ['-c', "echo 'export const v = 2;' > lib.ts && git commit -qam v2"], { cwd: sub, env });
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: sub, env }).toString().trim();
      assert.deepEqual((await report(r)).changes.map((c) => [c.path, c.status]), [['vendor/lib', 'modified']]);
      const reviews = path.join(path.dirname(r.root), 'reviews');
      const b = await cli(r, ['bundle', '--out', reviews]);
      assert.equal(b.code, 0, b.stderr);
      // An empty stdout here was seen once in a full run (code 0): say what was written, if anything.
      assert.notEqual(b.stdout.trim(), '', `bundle printed no folder (stderr: ${JSON.stringify(b.stderr)}; ${reviews}: ${existsSync(reviews) ? JSON.stringify(readdirSync(reviews, { recursive: true })) : "absent"})`);
      assert.match(readFileSync(path.join(b.stdout.trim(), 'changes.patch'), 'utf8'), new RegExp(`\\+Subproject commit ${head}\\n$`));
    });

    it("approve without --key signs through ssh-agent with git's literal user.signingkey (key::…), as git commit -S does", async function () {
      const w = await makeWorld();
      const sock = path.join(w.scratch, 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      try {
        for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
        if (!existsSync(sock)) this.skip(); // no ssh-agent here: nothing to sign through
        const run = (args: string[], env: NodeJS.ProcessEnv) => runIn(w.repo.root, env, args);
        await w.repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
        const b = await run(['bundle', '--out', path.join(w.scratch, 'reviews')], w.env);
        assert.equal(b.code, 0, b.stderr);
        await w.repo.git('config', 'gpg.format', 'ssh');
        await w.repo.git('config', 'user.signingkey', `key::${w.keys.alice.pub} alice`);
        const shown = `ssh-ed25519 …${w.keys.alice.pub.slice(-12)}`;
        const noAgent = { ...w.env };
        delete noAgent.SSH_AUTH_SOCK;
        const n = await run(['approve', b.stdout.trim()], noAgent);
        assert.deepEqual(
          [n.code, n.stderr],
          [2, `specgate: git's user.signingkey is a public key (key::${shown}), whose private half only ssh-agent can use, and no agent runs here (SSH_AUTH_SOCK is not set); start ssh-agent and ssh-add the key, or pass --key with the private key file\n`],
        );
        const withAgent = { ...w.env, SSH_AUTH_SOCK: sock };
        const missing = await run(['approve', b.stdout.trim()], withAgent);
        assert.deepEqual([missing.code, missing.stderr], [2, `specgate: the key git's user.signingkey names (key::${shown}) is not in ssh-agent; add it with ssh-add, or pass --key with the private key file\n`]);
        execFileSync('ssh-add', ['-q', w.keys.alice.key], { env: withAgent, stdio: 'pipe' });
        const ok = await run(['approve', b.stdout.trim()], withAgent);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /^approved sha256:/);
        const v = await run(['verify'], w.env);
        assert.equal(v.code, 0, v.stderr);
        assert.match(v.stdout, /^specgate: approved by alice@example\.com at /);
        await w.repo.git('config', 'user.signingkey', 'key::not a key');
        const bad = await run(['approve', b.stdout.trim()], withAgent);
        assert.deepEqual([bad.code, bad.stderr], [2, "specgate: git's user.signingkey is key:: with no SSH public key after it; set it to a key file, or to key:: and a public key (ssh-ed25519 AAAA…)\n"]);
      } finally {
        agent.kill();
        await w.repo.cleanup();
      }
    });

    it('approve without --key: a wrong bundle path is named first; a user.signingkey for another gpg.format is named', async () => {
      const w = await makeWorld();
      try {
        const run = (args: string[]) => runIn(w.repo.root, w.env, args);
        const missing = path.join(w.scratch, 'no-such-bundle');
        const a = await run(['approve', missing]);
        assert.equal(a.code, 2);
        assert.doesNotMatch(a.stderr, /--key/);
        assert.match(a.stderr, /^specgate: .*no-such-bundle/);
        await w.repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
        const b = await run(['bundle', '--out', path.join(w.scratch, 'reviews')]);
        assert.equal(b.code, 0, b.stderr);
        await w.repo.git('config', 'user.signingkey', 'ABCDEF0123456789');
        const k = await run(['approve', b.stdout.trim()]);
        assert.deepEqual([k.code, k.stderr], [2, "specgate: pass --key with your SSH private key (e.g. --key ~/.ssh/id_ed25519), or set it as git signs with it: git config gpg.format ssh and git config user.signingkey <key> (git's user.signingkey is for gpg.format openpgp, not ssh)\n"]);
        await w.repo.git('config', '--unset', 'user.signingkey');
        const n = await run(['approve', b.stdout.trim()]);
        assert.deepEqual([n.code, n.stderr], [2, 'specgate: pass --key with your SSH private key (e.g. --key ~/.ssh/id_ed25519), or set it as git signs with it: git config gpg.format ssh and git config user.signingkey <key>\n']);
      } finally {
        await w.repo.cleanup();
      }
    });

    it('log.showSignature=true with a signed commit in the change: approve and verify --base read the authors, no internal error', async () => {
      const w = await makeWorld();
      try {
        const git = (...args: string[]) => w.repo.git(...args);
        await git('checkout', '-q', '-b', 'feature');
        await git('config', 'gpg.format', 'ssh');
        await git('config', 'user.signingkey', w.keys.author.key);
        await git('config', 'log.showSignature', 'true');
        await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
        // A file in a record folder that is no record: its commit is read for the author check too.
        await w.repo.write('.specgate/reviews/notes.txt', 'reviewed offline\n');
        await git('add', 'src/app.ts', '.specgate/reviews/notes.txt');
        await git('commit', '-q', '-S', '-m', 'signed work');
        const run = (args: string[]) => runIn(w.repo.root, w.env, args);
        const b = await run(['bundle', '--base', 'main', '--out', path.join(w.scratch, 'reviews')]);
        assert.equal(b.code, 0, b.stderr);
        const a = await run(['approve', b.stdout.trim(), '--key', w.keys.alice.key]);
        assert.deepEqual([a.code, a.stderr], [0, '']);
        const v = await run(['verify', '--base', 'main']);
        assert.equal(v.code, 0, v.stderr);
        assert.match(v.stdout, /^specgate: approved by alice@example\.com at /);
      } finally {
        await w.repo.cleanup();
      }
    });
  });

  it('checks a repository whose filter driver is marked required, with the driver off as always', async () => {
    const r = await repo({ ...SPEC, '.gitattributes': '*.dat filter=lfs\n' });
    await r.git('config', 'filter.lfs.clean', 'false');
    await r.git('config', 'filter.lfs.required', 'true');
    await r.write('data/a.dat', 'raw bytes\n');
    const rep = await report(r);
    assert.deepEqual(rep.changes.map((c) => [c.path, c.status, c.added]), [['data/a.dat', 'added', 1]]);
    await r.git('-c', 'filter.lfs.clean=cat', 'add', '--', 'data/a.dat');
    await r.git('-c', 'filter.lfs.clean=cat', 'commit', '-q', '-m', 'data');
    await r.write('data/a.dat', 'other bytes\n');
    const after = await report(r);
    assert.deepEqual(after.changes.map((c) => [c.path, c.status, c.added, c.removed]), [['data/a.dat', 'modified', 1, 1]]);
  });

  it('with core.fileMode=false, gives a new executable script the digest it has once staged (its approval survives git add)', async () => {
    const r = await repo();
    await r.git('config', 'core.fileMode', 'false');
    await r.write('src/run.sh', '#!/bin/sh\necho hi\n');
    execFileSync('chmod', ['+x', path.join(r.root, 'src/run.sh')]);
    const worktree = await report(r);
    assert.deepEqual(worktree.changes.map((c) => [c.path, c.status, c.newMode]), [['src/run.sh', 'added', undefined]]);
    await r.git('add', 'src/run.sh');
    const staged = await report(r, '--staged');
    assert.deepEqual(staged.changes.map((c) => [c.path, c.status, c.newMode]), [['src/run.sh', 'added', undefined]]);
    assert.equal(staged.digest, worktree.digest);
  });

  it('refuses a committed symlink at .specgate/config.yml in check and check --staged alike, in one line', async () => {
    const r = await repo({ ...SPEC, 'specgate.yml': 'severity: {out-of-scope: warning}\n', '.specgate/.keep': '' });
    execFileSync('ln', ['-s', '../specgate.yml', path.join(r.root, '.specgate/config.yml')]);
    await r.commit('shared config as a link');
    await r.write('src/app.ts', 'export const a = 2;\n');
    await r.git('add', 'src/app.ts');
    const why = "is a symbolic link; SpecGate reads its config only from a regular file (a link's target could change the rules without the change touching .specgate/): replace the link with the file itself\n";
    const worktree = await cli(r, ['check']);
    assert.deepEqual([worktree.code, worktree.stderr], [2, `specgate: .specgate/config.yml ${why}`]);
    const staged = await cli(r, ['check', '--staged']);
    assert.deepEqual([staged.code, staged.stderr], [2, `specgate: .specgate/config.yml (staged) ${why}`]);
  });
});
