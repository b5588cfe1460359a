// Repositories at git's edges, each met by an exploratory test: core.fileMode=false, a
// symlinked config, text files too large to diff, an ambiguous short commit id, --base on an
// unborn branch or across unrelated histories, and a spec that .gitignore hides.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { FileChange } from '../../src/core/model';
import { collectChangeSet } from '../../src/node/changeset';
import { analyzeRepository } from '../../src/node/engine';
import { Git } from '../../src/node/git';
import { discoverSpecsAndNearMisses } from '../../src/node/specs';
import { cliBuilt, runCli } from './helpers/checkCli';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';

const SPEC = '---\nscope: ["src/**"]\n---\n# Feature\n\n## Tasks\n- [ ] 1. Implement it in `src/app.ts`\n';
const FILES = { 'docs/specs/feature.md': SPEC, 'src/app.ts': 'export const a = 1;\n' };
const numbered = (n: number, what = 'row') => Array.from({ length: n }, (_, i) => `${what} ${i}\n`).join('');

const LINK_REFUSED =
  "is a symbolic link; SpecGate reads its config only from a regular file (a link's target could change the rules without the change touching .specgate/): replace the link with";

describe('git edges', function () {
  this.timeout(60000);
  isolateGitConfig();
  let repo: TestRepo;
  afterEach(async () => repo?.cleanup());
  const check = (extra: { staged?: boolean; base?: string } = {}) => analyzeRepository({ cwd: repo.root, ...extra });
  const byPath = (changes: FileChange[], p: string) => {
    const c = changes.find((x) => x.path === p);
    assert.ok(c, `no change for ${p}`);
    return c;
  };

  describe('core.fileMode=false', () => {
    it('gives an untracked executable file the mode git add records, so its digest is the same once staged', async () => {
      repo = await makeRepo(FILES);
      await repo.git('config', 'core.fileMode', 'false');
      await repo.write('src/run.sh', '#!/bin/sh\necho hi\n');
      await chmod(path.join(repo.root, 'src/run.sh'), 0o755);
      const worktree = await check();
      assert.deepEqual(
        worktree.report.changes.map((c) => [c.path, c.status, c.newMode]),
        [['src/run.sh', 'added', undefined]],
      );
      assert.equal(byPath(worktree.changeSet.changes, 'src/run.sh').newMode, '100644');
      await repo.git('add', 'src/run.sh');
      assert.match(await repo.git('ls-files', '-s', 'src/run.sh'), /^100644 /);
      const staged = await check({ staged: true });
      assert.equal(staged.report.changes[0]!.newMode, undefined);
      assert.equal(staged.report.digest, worktree.report.digest);
    });

    it('keeps the executable bit where git records it (core.fileMode=true), in the working tree and once staged', async () => {
      repo = await makeRepo(FILES);
      await repo.write('src/run.sh', '#!/bin/sh\necho hi\n');
      await chmod(path.join(repo.root, 'src/run.sh'), 0o755);
      const worktree = await check();
      assert.equal(byPath(worktree.changeSet.changes, 'src/run.sh').newMode, '100755');
      await repo.git('add', 'src/run.sh');
      const staged = await check({ staged: true });
      assert.equal(byPath(staged.changeSet.changes, 'src/run.sh').newMode, '100755');
      assert.equal(staged.report.digest, worktree.report.digest);
    });
  });

  describe('a symbolic link at .specgate/config.yml', () => {
    async function linkedConfig(): Promise<void> {
      repo = await makeRepo(FILES);
      await repo.write('specgate.yml', 'severity: {out-of-scope: warning}\n');
      await repo.write('.specgate/.keep', '');
      await symlink('../specgate.yml', path.join(repo.root, '.specgate/config.yml'));
      await repo.commit('shared config, as a link');
      assert.match(await repo.git('ls-files', '-s', '.specgate/config.yml'), /^120000 /);
    }

    it('is refused in the working tree, so a change to its target cannot loosen the rules', async () => {
      await linkedConfig();
      await repo.write('README.md', 'out of scope\n');
      await repo.write('specgate.yml', 'severity: {out-of-scope: off, protected-path: off}\n');
      await assert.rejects(check(), { name: 'UsageError', message: `.specgate/config.yml ${LINK_REFUSED} the file itself` });
      await assert.rejects(check({ base: 'HEAD' }), { message: `.specgate/config.yml ${LINK_REFUSED} the file itself` });
    });

    it('is refused in the index with the same reason, not "must be a mapping"', async () => {
      await linkedConfig();
      await repo.write('src/app.ts', 'export const a = 2;\n');
      await repo.git('add', 'src/app.ts');
      await assert.rejects(check({ staged: true }), { name: 'UsageError', message: `.specgate/config.yml (staged) ${LINK_REFUSED} the file itself` });
    });

    it('lets the change that replaces the link with the file be checked, against the defaults as its base', async () => {
      await linkedConfig();
      await repo.rm('.specgate/config.yml');
      await repo.write('.specgate/config.yml', 'severity: {out-of-scope: info}\n');
      await repo.write('README.md', 'out of scope\n');
      const r = await check();
      // The base's link counts as the defaults: out-of-scope stays an error (the stricter of the two).
      assert.deepEqual(
        r.report.findings.filter((f) => f.path === 'README.md').map((f) => [f.rule, f.severity]),
        [['SG101', 'error']],
      );
      assert.deepEqual(
        r.report.changes.find((c) => c.path === '.specgate/config.yml')!.status,
        'type-changed',
      );
    });

    it('is refused when the .specgate folder itself is a link', async () => {
      repo = await makeRepo(FILES);
      await repo.write('shared/config.yml', 'severity: {out-of-scope: off}\n');
      await symlink('shared', path.join(repo.root, '.specgate'));
      await assert.rejects(check(), { name: 'UsageError', message: `.specgate ${LINK_REFUSED} the folder itself` });
    });
  });

  describe('text files too large to diff', () => {
    const MAX = 4096;
    const run = async (staged = false) => collectChangeSet(await Git.open(repo.root), { maxDiffBytes: MAX, staged });
    /** The findings of the spec on this one change (the rules see what `check` would hand them). */
    const findingsOn = async (c: FileChange) => {
      const { spec } = await check();
      return analyze(spec, { base: { ref: 'HEAD', commit: null }, mode: 'worktree', changes: [c] }, { config: DEFAULT_CONFIG, specBlobs: {} });
    };

    it('counts the old lines of a too-large text file cut short, so it is a large deletion', async () => {
      repo = await makeRepo({ ...FILES, 'src/data.sql': numbered(600) });
      await repo.write('src/data.sql', numbered(5));
      for (const staged of [false, true]) {
        if (staged) await repo.git('add', '-A');
        const c = byPath((await run(staged)).changes, 'src/data.sql');
        assert.deepEqual([c.tooLarge, c.added, c.removed, c.oldLineCount, c.hunks], [true, 0, 595, 600, []], staged ? 'staged' : 'worktree');
        const report = await findingsOn(c);
        assert.deepEqual(
          report.findings.filter((f) => f.rule !== 'SG303').map((f) => [f.rule, f.message]),
          [['SG203', 'Large deletion: 595 lines removed, 0 added (threshold 200).']],
        );
      }
    });

    it('counts the old lines of a too-large text file rewritten line by line, so it is a mass rewrite', async () => {
      repo = await makeRepo({ ...FILES, 'src/gen.ts': numbered(500, 'export const v =') });
      await repo.write('src/gen.ts', numbered(500, 'export const w ='));
      const c = byPath((await run()).changes, 'src/gen.ts');
      assert.deepEqual([c.tooLarge, c.added, c.removed, c.oldLineCount], [true, 500, 500, 500]);
      await repo.git('add', '-A');
      const staged = byPath((await run(true)).changes, 'src/gen.ts');
      assert.deepEqual([staged.tooLarge, staged.added, staged.removed, staged.oldLineCount, staged.newLineCount], [true, 500, 500, 500, 500]);
      const report = await findingsOn(c);
      assert.deepEqual(
        report.findings.filter((f) => f.rule === 'SG202').map((f) => f.message),
        ['Most of the file was replaced: 100% of its 500 lines removed, 500 added (delete-and-recreate).'],
      );
      assert.equal(report.summary.risk, 'critical');
    });

    it('counts a deleted too-large text file by its lines (file deleted, large deletion)', async () => {
      repo = await makeRepo({ ...FILES, 'src/data.sql': numbered(600) });
      await repo.rm('src/data.sql');
      const c = byPath((await run()).changes, 'src/data.sql');
      assert.deepEqual([c.status, c.tooLarge, c.removed, c.oldLineCount], ['deleted', true, 600, 600]);
      const report = await findingsOn(c);
      assert.deepEqual(
        report.findings.filter((f) => f.rule !== 'SG303').map((f) => [f.rule, f.message]),
        [
          ['SG201', 'File deleted (600 lines).'],
          ['SG203', 'Large deletion: 600 lines removed, 0 added (threshold 200).'],
        ],
      );
    });

    it('counts the lines of a too-large source file full of NULs, as it shows its lines (text by name)', async () => {
      // A NUL in every line: far over the share textWithNuls allows, so only the name makes it
      // text. Git's numstat calls it binary even with --text; the counts come from the patch.
      const nulLines = (n: number, tag: string, from = 0) => Array.from({ length: n }, (_, i) => `${tag}${from + i}\0;`).join('\n') + '\n';
      repo = await makeRepo({ ...FILES, 'src/gen.ts': nulLines(600, 'export const v'), 'src/keep.ts': nulLines(600, 'export const k') });
      await repo.write('src/gen.ts', nulLines(600, 'export const w'));
      // Ten lines changed and five added at the end, under a new name.
      await repo.git('mv', 'src/keep.ts', 'src/kept.ts');
      await repo.write('src/kept.ts', nulLines(590, 'export const k') + nulLines(15, 'export const n', 590));
      for (const staged of [false, true]) {
        if (staged) await repo.git('add', '-A');
        const cs = await run(staged);
        const shape = (c: FileChange) => [c.status, c.tooLarge, c.binary, c.added, c.removed, c.oldLineCount];
        assert.deepEqual(shape(byPath(cs.changes, 'src/gen.ts')), ['modified', true, false, 600, 600, 600], staged ? 'staged' : 'worktree');
        assert.deepEqual(shape(byPath(cs.changes, 'src/kept.ts')), ['renamed', true, false, 15, 10, 600], staged ? 'staged' : 'worktree');
        const report = await findingsOn(byPath(cs.changes, 'src/gen.ts'));
        assert.deepEqual(
          report.findings.filter((f) => f.rule === 'SG202').map((f) => f.message),
          ['Most of the file was replaced: 100% of its 600 lines removed, 600 added (delete-and-recreate).'],
        );
      }
    });

    it('counts the lines of a too-large text file a `-diff` attribute marks binary', async () => {
      repo = await makeRepo({ ...FILES, '.gitattributes': '*.sql -diff\n', 'src/data.sql': numbered(600) });
      await repo.write('src/data.sql', numbered(5));
      const c = byPath((await run()).changes, 'src/data.sql');
      assert.deepEqual([c.tooLarge, c.binary, c.added, c.removed, c.oldLineCount], [true, false, 0, 595, 600]);
    });

    it('leaves a too-large binary file without line counts', async () => {
      const bin = Buffer.alloc(MAX * 2, 1);
      bin[10] = 0;
      repo = await makeRepo({ ...FILES, 'src/blob.bin': bin });
      await repo.write('src/blob.bin', Buffer.concat([bin, Buffer.from('more')]));
      const c = byPath((await run()).changes, 'src/blob.bin');
      assert.deepEqual([c.binary, c.oldLineCount, c.added, c.removed], [true, undefined, 0, 0]);
    });
  });

  describe('files touched but unchanged (stat-dirty)', () => {
    it("leaves the user's index alone: git's refresh writes a copy, and no hook runs", async () => {
      const files: Record<string, string> = { ...FILES };
      for (let i = 0; i < 40; i++) files[`src/f${i}.ts`] = `export const f${i} = ${i};\n`;
      repo = await makeRepo(files);
      await repo.write('src/app.ts', 'export const a = 2;\n');
      // Their stat data no longer matches the index; their content does.
      const old = new Date('2001-01-01T00:00:00Z');
      for (let i = 0; i < 40; i++) await utimes(path.join(repo.root, `src/f${i}.ts`), old, old);
      await repo.write('.git/hooks/post-index-change', '#!/bin/sh\ntouch "$(git rev-parse --git-dir)/hook-ran"\n');
      await chmod(path.join(repo.root, '.git/hooks/post-index-change'), 0o755);
      const index = path.join(repo.root, '.git/index');
      const before = [await readFile(index), (await stat(index)).mtimeMs];
      for (const opts of [{}, { base: 'HEAD' }]) {
        const { changeSet } = await analyzeRepository({ cwd: repo.root, ...opts });
        assert.deepEqual(changeSet.changes.map((c) => [c.path, c.status]), [['src/app.ts', 'modified']]);
      }
      assert.deepEqual([await readFile(index), (await stat(index)).mtimeMs], before);
      assert.equal(existsSync(path.join(repo.root, '.git/hook-ran')), false);
      // git diff itself would have written it (and run the hook): what the copy is for.
      await repo.git('diff', 'HEAD');
      assert.notDeepEqual(await readFile(index), before[0]);
      assert.equal(existsSync(path.join(repo.root, '.git/hook-ran')), true);
    });
  });

  describe('a file under a filter driver SpecGate switches off', () => {
    it('is diffed as the work tree has it, whether or not its stat data matches the index', async () => {
      repo = await makeRepo({ ...FILES, '.gitattributes': 'src/*.txt filter=upper\n' });
      await repo.git('config', 'filter.upper.clean', 'tr a-z A-Z');
      await repo.write('src/n.txt', 'hello\nworld\n');
      // Left alone: its bytes are never its blob (as git-lfs's content is never its pointer).
      await repo.write('src/same.txt', 'unchanged\n');
      await repo.commit('filtered files');
      assert.equal(await repo.git('show', 'HEAD:src/n.txt'), 'HELLO\nWORLD\n');
      await utimes(path.join(repo.root, 'src/same.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
      await repo.git('status', '--porcelain'); // git, with its filter, takes the file's new stat data as clean
      await repo.write('src/n.txt', 'hello\nworld\nmore\n');
      const file = path.join(repo.root, 'src/n.txt');
      const past = new Date('2020-01-01T00:00:00Z');
      await utimes(file, past, past);
      await repo.git('add', '-A');
      // Staged and older than the index: git's stat check calls it clean, and would take the
      // index's blob (HELLO WORLD MORE, one line added) for it.
      const shape = (c: FileChange) => [c.added, c.removed, c.hunks];
      const run = async () => collectChangeSet(await Git.open(repo.root), {});
      const first = await run();
      assert.deepEqual(first.changes.map((c) => c.path), ['src/n.txt']);
      const clean = byPath(first.changes, 'src/n.txt');
      assert.deepEqual(shape(clean), [3, 2, [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 3 }]]);
      await utimes(file, new Date(), new Date());
      assert.deepEqual(shape(byPath((await run()).changes, 'src/n.txt')), shape(clean));
    });

    it('under filter=lfs, a file only touched (its pointer is the base blob) is no change; an edited one still is', async () => {
      repo = await makeRepo({ ...FILES, '.gitattributes': '*.bin filter=lfs -text\n' });
      // git-lfs's clean filter, as a script git runs at commit: the pointer of the bytes it is given.
      const clean = path.join(repo.root, '..', 'lfs-clean.sh');
      writeFileSync(
        clean,
        '#!/bin/sh\nt=$(mktemp); cat > "$t"\nprintf \'version https://git-lfs.github.com/spec/v1\\noid sha256:%s\\nsize %s\\n\' "$(sha256sum < "$t" | cut -d" " -f1)" "$(wc -c < "$t" | tr -d " ")"\nrm -f "$t"\n',
        { mode: 0o755 },
      );
      await repo.git('config', 'filter.lfs.clean', clean);
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
      await mkdir(path.join(repo.root, 'assets'));
      await writeFile(path.join(repo.root, 'assets/a.bin'), bytes);
      await writeFile(path.join(repo.root, 'assets/b.bin'), bytes.subarray(0, 100));
      await repo.commit('lfs files');
      assert.match(await repo.git('show', 'HEAD:assets/a.bin'), /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize 3000\n$/);
      // Touched: git (its stat data stale, and with the filter off, as SpecGate runs it) calls them modified.
      const later = new Date(Date.now() + 5000);
      for (const f of ['assets/a.bin', 'assets/b.bin']) await utimes(path.join(repo.root, f), later, later);
      await repo.write('src/app.ts', 'export const a = 2;\n');
      assert.match(await repo.git('-c', 'filter.lfs.clean=', 'diff', '--raw', 'HEAD'), /M\tassets\/a\.bin/);
      const run = async () => collectChangeSet(await Git.open(repo.root), {});
      const touched = await run();
      assert.deepEqual([touched.changes.map((c) => c.path), touched.notes], [['src/app.ts'], undefined]);
      // One byte more: a change, bound as the work tree has it, and the note says so.
      await writeFile(path.join(repo.root, 'assets/b.bin'), Buffer.concat([bytes.subarray(0, 100), Buffer.from([1])]));
      const edited = await run();
      assert.deepEqual(edited.changes.map((c) => [c.path, c.status]), [['assets/b.bin', 'modified'], ['src/app.ts', 'modified']]);
      assert.match(edited.notes?.[0] ?? '', /^assets\/b\.bin is under the filter "lfs"/);
    });

    it('under filter=lfs, a file committed raw since the base is a change, though its bytes would make the base pointer', async () => {
      // The base holds a text file that is a git-lfs pointer to the payload; the branch commits
      // the payload itself, then puts the file under lfs (the CI gate's --base case).
      const payload = Buffer.from('PAYLOAD: not what was reviewed\n');
      const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${createHash('sha256').update(payload).digest('hex')}\nsize ${payload.length}\n`;
      repo = await makeRepo({ ...FILES, 'test/fixtures/run.sh': pointer });
      await repo.git('checkout', '-q', '-b', 'feature');
      await writeFile(path.join(repo.root, 'test/fixtures/run.sh'), payload);
      await repo.commit('payload');
      await repo.write('.gitattributes', 'test/fixtures/run.sh filter=lfs\n');
      await repo.commit('attributes');
      await repo.git('config', 'filter.lfs.clean', 'cat');
      const change = await collectChangeSet(await Git.open(repo.root), { base: 'main' });
      assert.deepEqual(change.changes.map((c) => [c.path, c.status]), [['.gitattributes', 'added'], ['test/fixtures/run.sh', 'modified']]);
      // Staged raw over the pointer, with nothing committed: a change too.
      await repo.git('checkout', '-q', 'main');
      await writeFile(path.join(repo.root, 'test/fixtures/run.sh'), payload);
      await repo.write('.gitattributes', 'test/fixtures/run.sh filter=lfs\n');
      await repo.git('-c', 'filter.lfs.clean=', 'add', '-A');
      const staged = await collectChangeSet(await Git.open(repo.root), {});
      assert.deepEqual(staged.changes.map((c) => c.path), ['.gitattributes', 'test/fixtures/run.sh']);
    });
  });

  describe('--base', () => {
    it('says a short commit id is ambiguous when two commits start with it', async () => {
      repo = await makeRepo(FILES);
      const head = (await repo.git('rev-parse', 'HEAD')).trim();
      // 1500 commits in one fast-import: two of them share a 4-hex prefix but for a chance of about 1 in 10^7.
      const stream = Array.from(
        { length: 1500 },
        (_, i) => `commit refs/heads/many\ncommitter T <t@x> ${1700000000 + i} +0000\ndata <<END\nm${i}\nEND\n${i === 0 ? `from ${head}\n` : ''}\n`,
      ).join('');
      await new Promise<void>((resolve, reject) => {
        const child = execFile('git', ['fast-import', '--quiet'], { cwd: repo.root }, (err) => (err ? reject(err) : resolve()));
        child.stdin!.end(stream);
      });
      const ids = (await repo.git('rev-list', 'refs/heads/many')).trim().split('\n');
      const seen = new Map<string, string>();
      const prefix = ids.map((id) => id.slice(0, 4)).find((p) => (seen.has(p) ? true : (seen.set(p, p), false)));
      assert.ok(prefix, 'no two commits share a 4-hex prefix');
      await assert.rejects(check({ base: prefix }), { name: 'UsageError', message: `ambiguous revision '${prefix}': more than one commit starts with it; give more of the commit id` });
      await assert.rejects(check({ base: `${prefix.toUpperCase()}~1` }), { message: `ambiguous revision '${prefix}': more than one commit starts with it; give more of the commit id` });
      // A prefix long enough for one commit is taken; one that names nothing is still unknown.
      const one = ids.find((id) => id.startsWith(prefix))!;
      assert.equal((await check({ base: one.slice(0, 20) })).changeSet.base.commit, head);
      await assert.rejects(check({ base: 'ffffffffff' }), { message: /^unknown revision 'ffffffffff': no branch, tag or commit of that name here/ });
    });

    it('says HEAD needs a commit, not that HEAD is unknown, on an unborn branch', async () => {
      repo = await makeRepo();
      await repo.write('docs/specs/feature.md', SPEC);
      await assert.rejects(check({ base: 'HEAD' }), { name: 'UsageError', message: '--base needs a commit on HEAD, and the current branch has none yet; commit first or drop --base' });
    });

    it('says what to do when the base shares no history with HEAD', async () => {
      repo = await makeRepo(FILES);
      await repo.git('checkout', '-q', '--orphan', 'other');
      await repo.commit('other');
      await assert.rejects(check({ base: 'main' }), {
        name: 'UsageError',
        message: "'main' and 'HEAD' have no common history; give a --base that shares history with HEAD (the branch this one was made from)",
      });
    });
  });

  describe('a spec that .gitignore hides', () => {
    async function ignoredKiro(): Promise<void> {
      repo = await makeRepo({ 'src/app.ts': 'export const a = 1;\n', '.gitignore': 'node_modules/\n.kiro/\n' });
      await repo.write('.kiro/specs/retry/requirements.md', '### Requirement 1: Retry\n1. WHEN x THEN the system SHALL y\n');
      await repo.write('.kiro/specs/retry/tasks.md', '- [ ] 1. Do it in `src/app.ts`\n  _Requirements: 1_\n');
      await repo.write('src/app.ts', 'export const b = 2;\n');
    }
    const SAID = '.kiro/specs/retry/ looks like a spec, but git ignores it (.gitignore: .kiro/); stop ignoring it: a spec must be committed to be reviewed';

    it('names the spec and the ignore line instead of "write one there"', async () => {
      await ignoredKiro();
      await assert.rejects(check(), { name: 'UsageError', message: `no spec found in this repository; ${SAID}` });
    });

    it('names the line of .git/info/exclude too', async () => {
      repo = await makeRepo({ 'src/app.ts': 'export const a = 1;\n' });
      await repo.write('.git/info/exclude', 'specs/\n');
      await repo.write('specs/001-retry/spec.md', '# Retry\n');
      const found = await discoverSpecsAndNearMisses(repo.root, { useGit: true });
      assert.deepEqual(found.nearMisses, [
        { folder: 'specs/001-retry/', hint: 'git ignores it (.git/info/exclude: specs/); stop ignoring it: a spec must be committed to be reviewed' },
      ]);
    });

    it('is not looked for while a spec is read', async () => {
      await ignoredKiro();
      await repo.write('docs/specs/feature.md', SPEC);
      const found = await discoverSpecsAndNearMisses(repo.root, { useGit: true });
      assert.deepEqual([found.candidates.map((c) => c.id), found.nearMisses], [['docs/specs/feature.md'], []]);
    });

    it('is named by specgate specs', async function () {
      if (!cliBuilt()) this.skip();
      await ignoredKiro();
      const r = await runCli(repo, ['specs']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(`\n${SAID}.\n`), r.stdout);
    });
  });
});
