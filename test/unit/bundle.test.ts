import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { UsageError, type Spec } from '../../src/core/model';
import { checkPatchMatches, writeBundle, type BundleSource } from '../../src/node/bundle';
import { REVIEWS_GITIGNORE } from '../../src/core/records';
import type { FileDiff } from '../../src/core/render/diffview';
import { collectChangeSet } from '../../src/node/changeset';
import { revealInvalidUtf8 } from '../../src/node/patch';
import { analyzeRepository } from '../../src/node/engine';
import { WorktreeSpecFiles } from '../../src/node/specs';
import { Git } from '../../src/node/git';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const SPEC_FILE = 'docs/specs/cache.md';
const SPEC_TEXT = '---\nscope: ["src/**"]\n---\n# Cache\n\n- [x] 1. Add cache in `src/cache.ts`\n';
const BINARY = Buffer.from([0, 1, 2, 3, 0, 255, 254, 10, 0, 7]);

function handSpec(): Spec {
  return {
    id: SPEC_FILE,
    format: 'plain',
    name: 'cache',
    files: [SPEC_FILE],
    requirements: [],
    tasks: [],
    scope: { include: ['src/**'], exclude: [], protected: [] },
    scopeSources: [],
    problems: [],
  };
}

/** A working-tree change against a hand-made spec (a staged one comes from analyzeRepository). */
async function source(repo: TestRepo): Promise<BundleSource> {
  const git = await Git.open(repo.root);
  const changeSet = await collectChangeSet(git, {});
  const spec = handSpec();
  // The spec files read as the analysis reads them: once, for the digest and the bundle.
  const { blobs: specBlobs, contents: specContents } = await new WorktreeSpecFiles(repo.root).snapshot(spec.files);
  const report = analyze(spec, changeSet, { config: { ...DEFAULT_CONFIG, thresholds: { ...DEFAULT_CONFIG.thresholds } }, specBlobs });
  return { report, spec, git, changeSet, specContents };
}

describe('review bundle', function () {
  this.timeout(60000);
  let repo: TestRepo;
  const prevEnv = { ...process.env };

  beforeEach(async () => {
    repo = await makeRepo({
      [SPEC_FILE]: SPEC_TEXT,
      'src/app.ts': 'export const a = 1;\nexport const b = 2;\n',
      'src/old.bin': BINARY,
      'infra/main.tf': 'resource "x" "y" {}\n',
      'README.md': '# app\n',
    });
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')));
    // The change: an edit, a new text file, a new binary file, a changed binary, a deletion.
    await repo.write('src/app.ts', 'export const a = 1;\nexport const b = 3;\n');
    await repo.write('src/cache.ts', 'export const cache = new Map();\n');
    await repo.write('src/new.bin', Buffer.concat([BINARY, BINARY]));
    await repo.write('src/old.bin', Buffer.from([0, 9, 9, 9]));
    await repo.write('src/we ird`|name.ts', 'export {};\n');
    await repo.write('src/new\nline é.ts', 'export const e = "é";\n');
    await repo.rm('infra/main.tf');
  });
  afterEach(async () => {
    process.env = { ...prevEnv };
    await repo.cleanup();
  });

  it('writes every part into a new folder named after spec, time and digest, and leaves the index alone', async () => {
    const indexBefore = await repo.git('ls-files', '--stage');
    const statusBefore = await repo.git('status', '--porcelain');
    const src = await source(repo);
    const now = new Date(Date.UTC(2026, 10, 22, 9, 5, 7));
    const dir = await writeBundle(src, { now });
    assert.equal(dir, path.join(repo.root, '.specgate', 'reviews', `cache-20261122-090507-${src.report.digest.slice(7, 15)}`));
    assert.deepEqual(readdirSync(dir).sort(), ['REVIEW.md', 'changes.patch', 'packet.json', 'review.html', 'review.sarif', 'spec']);
    assert.equal(readFileSync(path.join(dir, 'spec', 'cache.md'), 'utf8'), SPEC_TEXT);

    const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    assert.equal(packet.schema, 'specgate.report/1');
    assert.equal(packet.digest, src.report.digest);
    assert.deepEqual(packet.author, { name: 'Test Author', email: 'author@example.com' });
    assert.deepEqual(packet.change, { mode: 'worktree', base: null });
    assert.equal(packet.createdAt, now.toISOString());
    assert.equal(packet.tool.name, 'specgate');
    assert.equal(packet.repository.roots.length, 1);
    assert.deepEqual(packet.changes.map((c: { path: string }) => c.path), src.report.changes.map((c) => c.path));

    const sarif = JSON.parse(readFileSync(path.join(dir, 'review.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const md = readFileSync(path.join(dir, 'REVIEW.md'), 'utf8');
    assert.match(md, /## Needs a decision/);
    assert.match(md, /`infra\/main\.tf`/);
    assert.match(md, /### \d+\. `src\/new␤line é\.ts` \(added · [^)]* · \+1 −0\)\n\n(?:.*\n)*?\+export const e = "é";/);
    assert.match(readFileSync(path.join(dir, 'review.html'), 'utf8'), /^<!doctype html>/);

    assert.equal(await repo.git('ls-files', '--stage'), indexBefore);
    assert.equal(await repo.git('status', '--porcelain', '--', ':!.specgate'), statusBefore);
  });

  it('keeps bundles out of git status with a .gitignore in the folder it makes, written once and never replaced', async () => {
    const ignoreFile = path.join(repo.root, '.specgate', 'reviews', '.gitignore');
    const statusBefore = await repo.git('status', '--porcelain', '--untracked-files=all');
    const src = await source(repo);
    const first = await writeBundle(src);
    assert.equal(readFileSync(ignoreFile, 'utf8'), REVIEWS_GITIGNORE);
    assert.equal(await repo.git('status', '--porcelain', '--untracked-files=all'), statusBefore, 'Source Control lists no bundle file');
    assert.equal(await repo.git('check-ignore', '--', path.relative(repo.root, path.join(first, 'packet.json'))), '.specgate/reviews/' + path.basename(first) + '/packet.json\n');
    // Removed (to commit bundles): the folder is there, so the next bundle does not write it again.
    rmSync(ignoreFile);
    await writeBundle(src);
    assert.ok(!existsSync(ignoreFile));
    // A folder made by hand, with a .gitignore of the user's: it stays as it was.
    rmSync(path.join(repo.root, '.specgate'), { recursive: true });
    await repo.write('.specgate/reviews/.gitignore', 'mine\n');
    await writeBundle(src);
    assert.equal(readFileSync(ignoreFile, 'utf8'), 'mine\n');
    // The folder removed whole: the next bundle makes it, with the .gitignore.
    rmSync(path.join(repo.root, '.specgate'), { recursive: true });
    await writeBundle(src);
    assert.equal(readFileSync(ignoreFile, 'utf8'), REVIEWS_GITIGNORE);
    // Another out folder is the user's: nothing is written there but the bundle.
    const out = path.join(repo.root, '..', 'outside');
    await writeBundle(src, { out });
    assert.deepEqual(readdirSync(out).filter((n) => n.startsWith('.')), []);
  });

  it('shows the bytes of a line that is not UTF-8 (Latin-1) as \\xNN in REVIEW.md and review.html; the patch keeps the bytes', async () => {
    await repo.write('src/latin.txt', Buffer.from('timeout 10\xb5s, caf\xe9 ok\n', 'latin1'));
    await repo.git('add', 'src/latin.txt');
    await repo.git('commit', '-q', '-m', 'latin-1');
    await repo.write('src/latin.txt', Buffer.from('timeout 10\xb3s, caf\xe9 ok \u00e9\n', 'latin1'));
    const dir = await writeBundle(await source(repo));
    const md = readFileSync(path.join(dir, 'REVIEW.md'), 'utf8');
    assert.ok(md.includes('-timeout 10\\xb5s, caf\\xe9 ok\n+timeout 10\\xb3s, caf\\xe9 ok \\xe9\n'), md);
    assert.ok(!md.includes('\ufffd'));
    assert.ok(readFileSync(path.join(dir, 'review.html'), 'utf8').includes('timeout 10\\xb3s'));
    assert.ok(readFileSync(path.join(dir, 'changes.patch')).includes(Buffer.from('+timeout 10\xb3s', 'latin1')));
    assert.equal(revealInvalidUtf8(Buffer.from('a\u00e9\u20ac\u{1f600}b', 'utf8')), 'a\u00e9\u20ac\u{1f600}b');
    assert.equal(revealInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80, 0xe2, 0x82, 0x62, 0xff])), 'a\\xc0\\x80\\xe2\\x82b\\xff');
  });

  it('writes a changes.patch that applies on a checkout of the base, binary and untracked files included', async () => {
    const dir = await writeBundle(await source(repo));
    const clone = path.join(repo.root, '..', 'clone');
    const env = testGitEnv(path.join(repo.root, '..', 'home'));
    execFileSync('git', ['clone', '-q', repo.root, clone], { env });
    const patch = path.join(dir, 'changes.patch');
    assert.match(readFileSync(patch, 'latin1'), /GIT binary patch/);
    execFileSync('git', ['apply', '--check', patch], { cwd: clone, env });
    execFileSync('git', ['apply', patch], { cwd: clone, env });
    for (const f of ['src/app.ts', 'src/cache.ts', 'src/new.bin', 'src/old.bin', 'src/we ird`|name.ts', 'src/new\nline é.ts']) {
      assert.deepEqual(readFileSync(path.join(clone, f)), readFileSync(path.join(repo.root, f)), f);
    }
    assert.ok(!existsSync(path.join(clone, 'infra/main.tf')));
  });

  it("runs no post-index-change hook of the repository's when it adds the untracked files to its throw-away index", async () => {
    const ran = path.join(repo.root, '..', 'post-index-change-ran');
    writeFileSync(path.join(repo.root, '.git', 'hooks', 'post-index-change'), `#!/bin/sh\necho ran >> '${ran}'\n`, { mode: 0o755 });
    const dir = await writeBundle(await source(repo));
    assert.match(readFileSync(path.join(dir, 'changes.patch'), 'utf8'), /^diff --git a\/src\/cache\.ts b\/src\/cache\.ts\nnew file mode/m);
    assert.ok(!existsSync(ran));
    // The same add without SpecGate's setting runs the hook: the test would see it.
    const env = { ...testGitEnv(path.join(repo.root, '..', 'home')), GIT_INDEX_FILE: path.join(repo.root, '..', 'index-copy') };
    execFileSync('git', ['add', '--intent-to-add', 'src/cache.ts'], { cwd: repo.root, env });
    assert.equal(readFileSync(ran, 'utf8'), 'ran\n');
  });

  it('patches folders of new files beside a repository with no commit and an ignored file: exactly the change, and it applies', async () => {
    // Folders named for their new files must not take in what the change leaves out.
    for (let d = 0; d < 30; d++) for (let f = 0; f < 20; f++) await repo.write(`src/gen/d${d}/f${f}.ts`, `export const v${f} = ${d};\n`);
    await repo.write('vendor/new/readme.md', 'vendored\n');
    execFileSync('git', ['init', '-q', path.join(repo.root, 'vendor/new/empty')], { env: testGitEnv(path.join(repo.root, '..', 'home')) });
    await repo.write('.gitignore', 'src/gen/d3/*.log\n');
    await repo.write('src/gen/d3/debug.log', 'ignored\n');
    const src = await source(repo);
    const dir = await writeBundle(src);
    const patch = readFileSync(path.join(dir, 'changes.patch'), 'utf8');
    const sections = patch.match(/^diff --git /gm)!.length;
    assert.equal(sections, src.changeSet.changes.length, 'every change (the repository with no commit is none: git add refuses it)');
    assert.ok(!src.changeSet.changes.some((c) => c.path.startsWith('vendor/new/empty')));
    // Names with a line feed are quoted by git; the others are found as they are.
    const inPatch = [...patch.matchAll(/^diff --git a\/(.*) b\/(.*)$/gm)].map((m) => m[2]!);
    for (const p of src.changeSet.changes.map((c) => c.path).filter((p) => !p.includes('\n'))) assert.ok(inPatch.includes(p), p);
    assert.ok(!patch.includes('debug.log'));
    assert.ok(!patch.includes('vendor/new/empty'));
    const clone = path.join(repo.root, '..', 'clone');
    const env = testGitEnv(path.join(repo.root, '..', 'home'));
    execFileSync('git', ['clone', '-q', repo.root, clone], { env });
    execFileSync('git', ['apply', path.join(dir, 'changes.patch')], { cwd: clone, env });
    assert.equal(readFileSync(path.join(clone, 'src/gen/d29/f19.ts'), 'utf8'), 'export const v19 = 29;\n');
  });

  it('refuses a patch that holds a file the change does not (one that appeared in a folder named for its files)', async () => {
    const src = await source(repo);
    const diff = (p: string, extra: Partial<FileDiff> = {}): FileDiff => ({ path: p, binary: false, header: [], hunks: [], truncated: false, ...extra });
    const all = src.changeSet.changes.map((c) => diff(c.path));
    assert.doesNotThrow(() => checkPatchMatches(all, src.changeSet));
    // A rename git paired from a deletion and a new file of the change is the change's own.
    assert.doesNotThrow(() => checkPatchMatches([...all, diff('src/cache.ts', { oldPath: 'infra/main.tf' })], src.changeSet));
    assert.throws(
      () => checkPatchMatches([...all, diff('src/late.ts')], src.changeSet),
      (err: Error) => err instanceof UsageError && err.message === 'src/late.ts changed while the bundle was being written (it is in the patch but was not in the change); run specgate bundle again',
    );
  });

  it('refuses to bundle an empty change (one that could be approved and let an empty commit through), writing nothing', async () => {
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'all of it');
    await assert.rejects(writeBundle(await source(repo)), (err: Error) => err instanceof UsageError && err.message === 'nothing to bundle: no file differs from HEAD (the change is committed, or not made yet)');
    const git = await Git.open(repo.root);
    const staged = { ...(await source(repo)), changeSet: await collectChangeSet(git, { staged: true }) };
    await assert.rejects(writeBundle(staged), (err: Error) => err instanceof UsageError && err.message === 'nothing to bundle: nothing is staged (stage the change with git add first)');
    assert.ok(!existsSync(path.join(repo.root, '.specgate', 'reviews')) || readdirSync(path.join(repo.root, '.specgate', 'reviews')).length === 0);
  });

  it('shows text that .gitattributes marks -diff or binary as text, in every part, and the patch still applies', async () => {
    await repo.write('.gitattributes', '*.tf -diff\n*.sql binary\n');
    await repo.write('infra/net.tf', 'resource "net" "a" {}\n');
    await repo.write('db/schema.sql', 'create table t (a int);\n');
    await repo.git('add', '--', '.gitattributes', 'infra/net.tf', 'db/schema.sql');
    await repo.git('commit', '-q', '-m', 'attributes');
    await repo.write('infra/net.tf', 'resource "net" "b" {}\n');
    await repo.write('db/schema.sql', 'drop table t;\n');
    const src = await source(repo);
    const byPath = new Map(src.report.changes.map((c) => [c.path, c]));
    for (const f of ['infra/main.tf', 'infra/net.tf', 'db/schema.sql']) assert.equal(byPath.get(f)?.binary, false, f);
    const dir = await writeBundle(src);

    const patch = readFileSync(path.join(dir, 'changes.patch'), 'latin1');
    assert.match(patch, /^-resource "x" "y" \{\}$/m);
    assert.match(patch, /^-resource "net" "a" \{\}\n\+resource "net" "b" \{\}$/m);
    assert.match(patch, /^-create table t \(a int\);\n\+drop table t;$/m);
    // Real binary content keeps git's binary patch; text has none.
    const binaryFiles = [...patch.matchAll(/^diff --git a\/(\S+) .*\n(?:(?!diff --git).*\n)*?GIT binary patch$/gm)].map((m) => m[1]);
    assert.deepEqual(binaryFiles, ['src/new.bin', 'src/old.bin']);
    // One patch in the report's file order, text and binary files interleaved.
    const inPatch = patch.match(/^diff --git "?a\//gm)?.length;
    assert.equal(inPatch, src.report.changes.length);
    assert.deepEqual(
      [...patch.matchAll(/^diff --git a\/([\w/.]+) b\//gm)].map((m) => m[1]),
      src.report.changes.map((c) => c.path).filter((p) => /^[\w/.]+$/.test(p)),
    );

    const md = readFileSync(path.join(dir, 'REVIEW.md'), 'utf8');
    assert.match(md, /### \d+\. `infra\/main\.tf` \(deleted · [^)]* · \+0 −1\)\n\n(?:.*\n)*?-resource "x" "y" \{\}\n/);
    assert.match(md, /### \d+\. `infra\/net\.tf` \(modified · [^)]* · \+1 −1\)\n\n(?:.*\n)*?\+resource "net" "b" \{\}\n/);
    assert.match(md, /### \d+\. `db\/schema\.sql` \(modified · [^)]* · \+1 −1\)\n\n(?:.*\n)*?\+drop table t;\n/);
    assert.equal(md.match(/Binary file: not shown; open it in the repository\./g)?.length, 2);
    const html = readFileSync(path.join(dir, 'review.html'), 'utf8');
    assert.match(html, /<span class="add" data-ln="[ 0-9]+">\+resource &quot;net&quot; &quot;b&quot; \{\}<\/span>/);
    assert.match(html, /<span class="add" data-ln="[ 0-9]+">\+drop table t;<\/span>/);
    assert.match(html, /<span class="del" data-ln="[ 0-9]+">-resource &quot;x&quot; &quot;y&quot; \{\}<\/span>/);
    assert.equal(html.match(/Binary file: not shown; open it in the repository\./g)?.length, 2);

    const clone = path.join(repo.root, '..', 'clone');
    const env = testGitEnv(path.join(repo.root, '..', 'home'));
    execFileSync('git', ['clone', '-q', repo.root, clone], { env });
    execFileSync('git', ['apply', path.join(dir, 'changes.patch')], { cwd: clone, env });
    for (const f of ['infra/net.tf', 'db/schema.sql', 'src/app.ts', 'src/new.bin', 'src/old.bin', 'src/new\nline é.ts']) {
      assert.deepEqual(readFileSync(path.join(clone, f)), readFileSync(path.join(repo.root, f)), f);
    }
    assert.ok(!existsSync(path.join(clone, 'infra/main.tf')));
  });

  it('sees a same-size edit made in the same second as the index was written (racy git)', async () => {
    const T = new Date(Date.UTC(2026, 0, 1, 0, 0, 0));
    await repo.git('config', 'core.trustctime', 'false');
    await repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
    utimesSync(path.join(repo.root, 'src/app.ts'), T, T);
    await repo.git('add', '-A');
    utimesSync(path.join(repo.root, '.git/index'), T, T);
    // Same size, same mtime: only the index being as old as the file tells git to look again.
    await repo.write('src/app.ts', 'export const a = 1;\nexport const b = 9;\n');
    utimesSync(path.join(repo.root, 'src/app.ts'), T, T);
    const dir = await writeBundle(await source(repo));
    assert.match(readFileSync(path.join(dir, 'changes.patch'), 'utf8'), /^\+export const b = 9;$/m);
  });

  it('bundles the staged change with the spec as staged: its copy, its scope and its digest', async () => {
    await repo.git('add', 'src/app.ts', SPEC_FILE);
    await repo.write(SPEC_FILE, SPEC_TEXT.replace('src/**', 'lib/**') + 'unstaged edit\n');
    const src = await analyzeRepository({ cwd: repo.root, staged: true });
    assert.deepEqual(src.report.changes.map((c) => c.path), ['src/app.ts']);
    const dir = await writeBundle(src);
    assert.equal(readFileSync(path.join(dir, 'spec', 'cache.md'), 'utf8'), SPEC_TEXT);
    const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8'));
    assert.deepEqual(packet.change, { mode: 'staged', base: null });
    // What the work tree holds besides, which the review does not cover, is named.
    assert.deepEqual(packet.notes, [
      '7 more changed files are not staged, so not part of this review: docs/specs/cache.md, infra/main.tf, src/old.bin, src/cache.ts, src/new\\nline é.ts and 2 more',
    ]);
    assert.match(readFileSync(path.join(dir, 'review.html'), 'utf8'), /<li>7 more changed files are not staged, so not part of this review: /);
    assert.deepEqual(packet.spec.scope.include, ['src/cache.ts', 'src/**']);
    assert.deepEqual(packet.changes.map((c: { classification: string }) => c.classification), ['in-scope']);
    await repo.write(SPEC_FILE, SPEC_TEXT);
    assert.equal(packet.digest, (await analyzeRepository({ cwd: repo.root, staged: true })).report.digest);
    for (const f of ['REVIEW.md', 'review.html']) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /lib\/\*\*|unstaged edit/, f);
    assert.match(readFileSync(path.join(dir, 'review.html'), 'utf8'), /Add cache in/);
    const patch = readFileSync(path.join(dir, 'changes.patch'), 'utf8');
    assert.match(patch, /^diff --git a\/src\/app\.ts b\/src\/app\.ts$/m);
    assert.doesNotMatch(patch, /cache\.ts|new\.bin/);
  });

  it('never overwrites: the same name twice gives a second folder and leaves the first as it was', async () => {
    const src = await source(repo);
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const first = await writeBundle(src, { now });
    writeFileSync(path.join(first, 'REVIEW.md'), 'reviewer notes\n');
    const second = await writeBundle(src, { now });
    assert.equal(second, `${first}-2`);
    assert.equal(readFileSync(path.join(first, 'REVIEW.md'), 'utf8'), 'reviewer notes\n');
  });

  it('refuses an out folder it cannot write, with a clear error and nothing written', async () => {
    const blocker = path.join(repo.root, '..', 'not-a-folder');
    writeFileSync(blocker, 'x');
    await assert.rejects(
      writeBundle(await source(repo), { out: path.join(blocker, 'reviews') }),
      (e: Error) => e instanceof UsageError && /^cannot write the review bundle under .*not-a-folder\/reviews: a path component is not a folder; pass --out/.test(e.message),
    );
    assert.equal(readFileSync(blocker, 'utf8'), 'x');
    assert.ok(!existsSync(path.join(repo.root, '.specgate')));
  });

  it('refuses, at once, an out folder the file system will not make (/proc), and makes missing levels elsewhere', async function () {
    if (process.platform !== 'linux' || !existsSync('/proc/self')) this.skip();
    this.timeout(10000);
    const src = await source(repo);
    // Node's recursive mkdir never returns here: /proc answers ENOENT under an existing folder.
    await assert.rejects(
      writeBundle(src, { out: '/proc/specgate-nope/reviews' }),
      (e: Error) => e instanceof UsageError && e.message === 'cannot write the review bundle under /proc/specgate-nope/reviews: the file system does not let a folder be made there; pass --out with a writable folder',
    );
    assert.ok(!existsSync(path.join(repo.root, '.specgate')));
    const dir = await writeBundle(src, { out: path.join(repo.root, '..', 'a', 'b', 'c') });
    assert.equal(path.dirname(dir), path.join(repo.root, '..', 'a', 'b', 'c'));
    assert.ok(existsSync(path.join(dir, 'spec', 'cache.md')));
  });

  it('refuses an empty or blank out folder instead of writing into the repository root', async () => {
    const src = await source(repo);
    for (const out of ['', '  ']) {
      await assert.rejects(
        writeBundle(src, { out }),
        (e: Error) => e instanceof UsageError && /^the folder to write the review bundle under is empty; pass --out/.test(e.message),
      );
    }
    assert.ok(!existsSync(path.join(repo.root, 'packet.json')));
    assert.deepEqual(readdirSync(repo.root).filter((f) => f.startsWith('cache-') || f === '.specgate'), []);
  });

  describe('a bundle folder inside the work tree', () => {
    const INSIDE = /^will not write the review bundle in (.+) of the repository: git does not ignore it, so the bundle would become part of the change and its spec copy a second spec; leave --out out to write it in \.specgate\/reviews\/, or pass a folder outside the repository or one git ignores$/;
    const refused = (shown: string) => (e: Error) => e instanceof UsageError && INSIDE.exec(e.message)?.[1] === shown;

    it('is refused anywhere but .specgate/reviews/ unless git ignores it, with nothing written', async () => {
      const src = await source(repo);
      const status = await repo.git('status', '--porcelain', '--untracked-files=all', '--ignored');
      require('node:fs').symlinkSync('src', path.join(repo.root, 'linked'));
      const outside = path.join(repo.root, '..', 'elsewhere');
      require('node:fs').mkdirSync(outside);
      require('node:fs').symlinkSync(path.join(repo.root, 'src'), path.join(outside, 'into-repo'));
      const cases: [string, string][] = [
        ['review-out', 'review-out/'],
        [path.join(repo.root, 'review-out', 'deeper'), 'review-out/deeper/'],
        ['src', 'src/'],
        ['.', 'the top folder'],
        ['.specgate', '.specgate/'],
        ['.specgate/approvals', '.specgate/approvals/'],
        ['.specgate/reviews/team', '.specgate/reviews/team/'],
        ['linked/x', 'src/x/'],
        [path.join(outside, 'into-repo', 'b'), 'src/b/'],
        ['-rf', '-rf/'],
      ];
      for (const [out, shown] of cases) await assert.rejects(writeBundle(src, { out }), refused(shown), out);
      // Inside git's own folder: never part of the change, but git's to manage, and said so.
      await assert.rejects(
        writeBundle(src, { out: '.git/reviews' }),
        (e: Error) => e instanceof UsageError && e.message === "will not write the review bundle in .git/reviews/: that is git's own folder, which git manages; leave --out out to write it in .specgate/reviews/, or pass a folder outside the repository",
      );
      assert.ok(!existsSync(path.join(repo.root, '.git/reviews')));
      require('node:fs').rmSync(path.join(repo.root, 'linked'));
      assert.equal(await repo.git('status', '--porcelain', '--untracked-files=all', '--ignored'), status);
      assert.ok(!existsSync(path.join(repo.root, 'review-out')));
      assert.ok(!existsSync(path.join(repo.root, '.specgate')));
    });

    it('is written in .specgate/reviews/ (the default, or named), outside the repository, or where git ignores it', async () => {
      const src = await source(repo);
      await repo.write('.gitignore', 'build/\n');
      await repo.write('.git/info/exclude', 'local-reviews\n');
      const dirs = [
        await writeBundle(src),
        await writeBundle(src, { out: '.specgate/reviews' }),
        await writeBundle(src, { out: path.join(repo.root, '.specgate', 'reviews') + path.sep }),
        await writeBundle(src, { out: 'build/reviews' }),
        await writeBundle(src, { out: 'local-reviews' }),
        await writeBundle(src, { out: path.join(repo.root, '..', 'outside') }),
      ];
      assert.deepEqual(
        dirs.map((d) => path.relative(repo.root, path.dirname(d))),
        ['.specgate/reviews', '.specgate/reviews', '.specgate/reviews', 'build/reviews', 'local-reviews', path.join('..', 'outside')],
      );
      const after = await collectChangeSet(await Git.open(repo.root));
      assert.deepEqual(after.changes.map((c) => c.path), [...src.changeSet.changes.map((c) => c.path), '.gitignore'].sort());
    });
  });

  it('never reads or copies the file a symlinked spec file points to', async () => {
    const secret = path.join(repo.root, '..', 'home', 'secret.txt');
    writeFileSync(secret, 'TOP SECRET\n');
    await repo.rm(SPEC_FILE);
    require('node:fs').symlinkSync(secret, path.join(repo.root, SPEC_FILE));
    const dir = await writeBundle(await source(repo));
    assert.ok(!existsSync(path.join(dir, 'spec', 'cache.md')));
    for (const f of ['REVIEW.md', 'review.html', 'packet.json']) assert.doesNotMatch(readFileSync(path.join(dir, f), 'utf8'), /TOP SECRET/);
  });
});
