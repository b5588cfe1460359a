// Bundles of changes with very large files: changes.patch has every file in full (and
// applies), REVIEW.md and review.html list the too-large ones with sizes and blob ids
// instead of their lines, and long lines are cut for reading.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_DIFF_LIMITS, PatchSplitter, splitPatch } from '../../src/core/render/diffview';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const MB = 1024 * 1024;
const SPEC = '---\nscope:\n  - "**"\n---\n# Data\n';

/** `n` lines of about `width` bytes each, numbered so that no two are alike. */
function text(n: number, width: number, tag: string): string {
  const pad = 'x'.repeat(Math.max(0, width - 24));
  let out = '';
  for (let i = 0; i < n; i++) out += `${tag}${String(i).padStart(9, '0')} ${pad}\n`;
  return out;
}

describe('bundle of a change with very large files', function () {
  this.timeout(120_000);
  isolateGitConfig();
  let repo: TestRepo;
  let clone: string;
  beforeEach(async () => {
    repo = await makeRepo({
      'docs/spec.md': SPEC,
      'src/app.ts': 'export const a = 1;\n',
      'data/old-big.txt': text(120_000, 80, 'old'), // 8.0 MB: just over the 8 MB diff limit
      'img/logo.bin': Buffer.from([0, 1, 2, 3, 0, 9]),
    });
    clone = path.join(path.dirname(repo.root), 'clone');
    // The change: small edits, a big file grown, a new 30 MB file of 1 MB lines, a binary
    // file, a 3 MB one-line file (diffable, too wide to read), a small file after them all.
    await repo.write('src/app.ts', 'export const a = 2;\n');
    await repo.write('data/old-big.txt', text(120_000, 80, 'old') + 'one more line\n');
    await repo.write('data/new-big.json', text(30, MB, 'new'));
    await repo.write('img/logo.bin', Buffer.from([0, 7, 7, 7, 0]));
    await repo.write('data/wide.txt', `${'w'.repeat(3 * MB)}\n`);
    await repo.write('zz/after.ts', 'export {};\n');
  });
  afterEach(async () => repo?.cleanup());

  for (const staged of [false, true]) {
    it(`${staged ? 'staged' : 'working tree'}: lists the too-large files in the review, and changes.patch has every file in full and applies`, async () => {
      if (staged) await repo.git('add', '-A');
      const analysis = await analyzeRepository({ cwd: repo.root, staged });
      const changes = analysis.changeSet.changes;
      assert.deepEqual(changes.filter((c) => c.tooLarge).map((c) => c.path), ['data/new-big.json', 'data/old-big.txt']);
      const dir = await writeBundle(analysis);

      const md = readFileSync(path.join(dir, 'REVIEW.md'), 'utf8');
      const html = readFileSync(path.join(dir, 'review.html'), 'utf8');
      for (const [name, doc] of [['REVIEW.md', md], ['review.html', html]] as const) {
        assert.ok(doc.length < 300_000, `${name} is ${doc.length} bytes`);
        assert.ok(doc.includes('2 files are too large to show line by line'), name);
        assert.equal(doc.split('Too large to show line by line: listed, not diffed. changes.patch has it in full.').length - 1, 2, name);
        for (const c of changes.filter((x) => x.tooLarge)) {
          for (const blob of [c.oldBlob, c.newBlob]) if (blob) assert.ok(doc.includes(blob), `${name}: ${c.path} ${blob}`);
        }
        assert.ok(!doc.includes('new000000001'), `${name} holds no line of the too-large new file`);
        assert.ok(!doc.includes('old000119999'), `${name} holds no line of the too-large old file`);
        assert.ok(Math.max(...doc.split('\n').map((l) => l.length)) < 10_000, `${name} has no line of thousands of characters`);
      }
      assert.match(md, /- new: 30\.0 MB, blob `[0-9a-f]{40}`/);
      assert.match(md, /- old: 8\.0 MB, blob `[0-9a-f]{40}`\n- new: 8\.0 MB, blob `[0-9a-f]{40}`/);
      assert.match(md, /### \d+\. `data\/wide\.txt`[\s\S]*?\+w{2000} …[\s\S]*?_Diff shortened for reading; `changes\.patch` has every line\._/);
      assert.match(md, /### \d+\. `src\/app\.ts`[\s\S]*?-export const a = 1;\n\+export const a = 2;/);

      // The patch: every file, in the change set's order, text and binary together.
      const patchFile = path.join(dir, 'changes.patch');
      assert.ok(statSync(patchFile).size > 30 * MB);
      const order = execFileSync('grep', ['-a', '^diff --git ', patchFile], { encoding: 'utf8' }).split('\n').filter(Boolean).map((l) => l.split(' b/')[1]);
      assert.deepEqual(order, changes.map((c) => c.path));
      // It applies on the base, and gives exactly the new blobs the digest binds.
      const env = testGitEnv(path.join(path.dirname(repo.root), 'home'));
      execFileSync('git', ['clone', '-q', repo.root, clone], { env });
      execFileSync('git', ['apply', '--index', patchFile], { cwd: clone, env });
      for (const c of changes) {
        const blob = execFileSync('git', ['rev-parse', `:${c.path}`], { cwd: clone, env, encoding: 'utf8' }).trim();
        assert.equal(blob, c.newBlob, c.path);
      }
    });
  }
});

describe('PatchSplitter: what a review keeps of a patch', () => {
  const patch = [
    'diff --git a/a.txt b/a.txt',
    'index 1111111..2222222 100644',
    '--- a/a.txt',
    '+++ b/a.txt',
    '@@ -1 +1 @@',
    `-${'a'.repeat(50)}`,
    `+${'b'.repeat(50)}`,
    'diff --git a/big.txt b/big.txt',
    'index 3333333..4444444 100644',
    '--- a/big.txt',
    '+++ b/big.txt',
    '@@ -1 +1,2 @@',
    '+one',
    '+two',
    'diff --git a/c.txt b/c.txt',
    'index 5555555..6666666 100644',
    '@@ -1 +1 @@',
    '-c',
    '+d',
    '',
  ].join('\n');

  it('cuts long lines, stops at a total, and keeps only the headers of omitted files', () => {
    const splitter = new PatchSplitter({ maxLinesPerFile: 100, maxLinesTotal: 100, maxLineChars: 10, maxCharsTotal: 28 }, (p) => p === 'big.txt');
    for (const line of patch.split('\n')) splitter.line(line);
    const [a, big, c] = splitter.finish();
    assert.deepEqual(a!.hunks[0]!.lines, [`-${'a'.repeat(10)} … [line cut here: 40 more characters in changes.patch]`, `+${'b'.repeat(10)} … [line cut here: 40 more characters in changes.patch]`]);
    assert.equal(a!.truncated, true);
    assert.deepEqual([big!.omitted, big!.hunks, big!.header], [true, [], ['index 3333333..4444444 100644']]);
    assert.deepEqual([c!.truncated, c!.hunks.map((h) => h.lines)], [true, [['-c']]]);
    assert.deepEqual(c!.header, ['index 5555555..6666666 100644']);
  });

  it('splitPatch keeps whole lines by default up to 2,000 characters', () => {
    const [a] = splitPatch(patch);
    assert.deepEqual(a!.hunks[0]!.lines, [`-${'a'.repeat(50)}`, `+${'b'.repeat(50)}`]);
    assert.equal(a!.truncated, false);
    const [wide] = splitPatch(`diff --git a/w b/w\n@@ -0,0 +1 @@\n+${'w'.repeat(5000)}\n`);
    assert.equal(wide!.hunks[0]!.lines[0], `+${'w'.repeat(2000)} … [line cut here: 3000 more characters in changes.patch]`);
    // 2,000 characters of text are kept whole; the count is of characters, not UTF-16 units.
    const [exact] = splitPatch(`diff --git a/w b/w\n@@ -0,0 +1 @@\n+${'w'.repeat(2000)}\n`);
    assert.equal(exact!.hunks[0]!.lines[0], `+${'w'.repeat(2000)}`);
    // Not between the two halves of a character outside the BMP.
    const [emoji] = splitPatch(`diff --git a/e b/e\n@@ -0,0 +1 @@\n+${'x'.repeat(1999)}😀${'y'.repeat(10)}\n`);
    assert.equal(emoji!.hunks[0]!.lines[0], `+${'x'.repeat(1999)} … [line cut here: 11 more characters in changes.patch]`);
    // A line the patch reader already cut (at 64 KiB) has more than what is left of it.
    const splitter = new PatchSplitter(DEFAULT_DIFF_LIMITS);
    for (const l of ['diff --git a/l b/l', '@@ -0,0 +1 @@']) splitter.line(l);
    splitter.line(`+${'l'.repeat(65535)}`, true);
    assert.equal(splitter.finish()[0]!.hunks[0]!.lines[0], `+${'l'.repeat(2000)} … [line cut here: over 63535 more characters in changes.patch]`);
    assert.equal(wide!.truncated, true);
  });
});
