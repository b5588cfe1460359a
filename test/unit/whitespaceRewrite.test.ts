// A file whose every line changed only in its whitespace (a CRLF file saved as LF, a
// re-indent) is not a delete-and-recreate: SG202 says what changed, at a severity that fits,
// in the working tree, staged, and on a re-check from the change cache. Any other change in
// such a file keeps it a rewrite.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PatchParser } from '../../src/core/diffparse';
import type { Report } from '../../src/core/model';
import { whitespaceChanged, whitespaceOnly } from '../../src/core/whitespace';
import { overlayChange } from '../../src/vscode/model/overlay';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const SPEC = '---\nscope: ["src/**"]\n---\n# Format\n\n## Tasks\n- [ ] 1. Format `src/**`\n';
const body = (n: number, indent = '  ', eol = '\n') =>
  Array.from({ length: n }, (_, i) => (i % 5 === 0 ? `function f${i}() {${eol}` : `${indent}return ${i};${eol}`)).join('');

/** SG202 and the risk, as a report says them. */
function rewrite(r: Report) {
  return { sg202: r.findings.filter((f) => f.rule === 'SG202')
    .map((f) => `${f.severity} ${f.path} ${f.message}`)
    .sort((a, b) => a.split(' ')[1]!.localeCompare(b.split(' ')[1]!)), risk: r.summary.risk };
}

/** The whitespace verdict of one patch section. */
function verdict(patch: string) {
  const p = new PatchParser({ keepBodies: true });
  p.push(Buffer.from(patch));
  return whitespaceOnly(p.end()[0]!);
}

/** The lines of one patch section that came back differing only in trailing whitespace. */
function cameBack(patch: string, oldLines?: number) {
  const p = new PatchParser({ keepBodies: true });
  p.push(Buffer.from(patch));
  return whitespaceChanged(p.end()[0]!, oldLines);
}

describe('whitespace-only rewrites (SG202)', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/crlf.ts': body(30, '  ', '\r\n'), 'src/indent.ts': body(30), 'src/mixed.ts': body(30) });
  });
  afterEach(() => repo.cleanup());
  const check = async (opts: { staged?: boolean; useCache?: boolean } = {}) => (await analyzeRepository({ cwd: repo.root, ...opts })).report;

  it('calls a CRLF file saved as LF a note and a re-indent a warning; a re-indent that edits every line it moves stays a critical rewrite', async () => {
    await repo.write('src/crlf.ts', body(30));
    await repo.write('src/indent.ts', body(30, '\t'));
    // (One edit among the re-indented lines is a reformat: see reformatRewrite.test.ts.)
    await repo.write('src/mixed.ts', body(30, '    ').replace(/return (\d+);/g, 'return $1 * 2;'));
    const expected = {
      sg202: [
        'info src/crlf.ts Only line endings or trailing whitespace changed, on 100% of its 30 lines; nothing else (not a delete-and-recreate).',
        'warning src/indent.ts Only whitespace changed, on 80% of its 30 lines: re-indented, nothing else. Indentation is meaning in Python, YAML or a Makefile.',
        'error src/mixed.ts Most of the file was replaced: 80% of its 30 lines removed, 24 added (delete-and-recreate).',
      ],
      risk: 'critical',
    };
    assert.deepEqual(rewrite(await check()), expected);
    // Without the mixed file, nothing is critical.
    await repo.git('checkout', '--', 'src/mixed.ts');
    const withoutMixed = { sg202: expected.sg202.slice(0, 2), risk: 'medium' };
    assert.deepEqual(rewrite(await check()), withoutMixed);
    // A re-check answers from the change cache (no patch): the same verdicts.
    assert.deepEqual(rewrite(await check({ useCache: true })), withoutMixed);
    assert.deepEqual(rewrite(await check({ useCache: true })), withoutMixed);
    await repo.git('add', '-A');
    assert.deepEqual(rewrite(await check({ staged: true })), withoutMixed);
  });

  it('reads the verdict from the hunk bodies: pair by pair, ignoring a missing final newline', () => {
    const head = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n';
    assert.equal(verdict(`${head}@@ -1,2 +1,2 @@\n-a\r\n-  b \n+a\n+  b\n`), 'line-endings');
    assert.equal(verdict(`${head}@@ -1,2 +1,2 @@\n-a\n-  b\n+a\n+\tb\n@@ -9 +9 @@\n-c\r\n+c\n`), 'indentation');
    assert.equal(verdict(`${head}@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n`), 'line-endings');
    // Words split or joined, lines swapped or merged, one character changed: not whitespace alone.
    assert.equal(verdict(`${head}@@ -1 +1 @@\n-a b\n+ab\n`), undefined);
    assert.equal(verdict(`${head}@@ -1,2 +1,2 @@\n-a\n-b\n+b\n+a\n`), undefined);
    assert.equal(verdict(`${head}@@ -1,2 +1 @@\n-a\n-b\n+a b\n`), undefined);
    assert.equal(verdict(`${head}@@ -1 +1 @@\n-a;\n+a,\n`), undefined);
    assert.equal(verdict(`${head}@@ -1,0 +2 @@\n+\n`), undefined);
  });

  it('judges an unsaved buffer as git judges the saved file: the same verdict for each file, typed in whole or bit by bit', async () => {
    const after: Record<string, string> = {
      'src/crlf.ts': body(30),
      'src/indent.ts': body(30, '\t'),
      'src/mixed.ts': body(30, '    ').replace('return 7;', 'return 8;'),
      'src/trailing.ts': body(30).replace(/;\n/g, ';  \n'),
    };
    await repo.write('src/trailing.ts', body(30));
    await repo.git('add', 'src/trailing.ts');
    await repo.git('commit', '-q', '-m', 'trailing');
    const live: Record<string, string | undefined> = {};
    for (const [file, text] of Object.entries(after)) {
      const baseText = await readFile(join(repo.root, file), 'utf8');
      const whole = overlayChange({ path: file, baseText, text }).change!;
      // The same text reached one line at a time from the base: the incremental diff's hunks.
      const baseLines = baseText.split(/(?<=\n)/);
      const textLines = text.split(/(?<=\n)/);
      let previous = overlayChange({ path: file, baseText, text: baseText }).state;
      for (let i = 0; i < textLines.length; i++) {
        previous = overlayChange({ path: file, baseText, text: [...textLines.slice(0, i + 1), ...baseLines.slice(i + 1)].join(''), previous }).state;
      }
      const stepped = overlayChange({ path: file, baseText, text, previous }).change!;
      assert.equal(stepped.whitespaceOnly, whole.whitespaceOnly, file);
      live[file] = whole.whitespaceOnly;
      await repo.write(file, text);
    }
    const saved = (await analyzeRepository({ cwd: repo.root })).changeSet.changes;
    assert.deepEqual(live, Object.fromEntries(Object.keys(after).map((f) => [f, saved.find((c) => c.path === f)!.whitespaceOnly])));
    assert.deepEqual(live, { 'src/crlf.ts': 'line-endings', 'src/indent.ts': 'indentation', 'src/mixed.ts': undefined, 'src/trailing.ts': 'line-endings' });
  });

  it('judges a CRLF file saved as LF along with an edit on the edit: a note when it adds a function, a critical rewrite when it rewrites the file; the same on a re-check, staged and live', async () => {
    const fn = 'export function backoff(a: number): number {\n  return 100 * 2 ** a;\n}\n';
    const after: Record<string, string> = {
      // The function a task asked for, added to a CRLF file the editor saved as LF.
      'src/crlf.ts': body(30) + fn,
      // A CRLF file rewritten: its 24 `return` lines changed, its 6 `function` lines came back as LF.
      'src/mixed.ts': body(30).replace(/return (\d+);/g, 'return $1 + 1;'),
      // Rewritten whole (no line comes back).
      'src/indent.ts': body(30).replace(/return (\d+);/g, 'return $1 + 1;').replace(/function f/g, 'function g'),
    };
    await repo.write('src/mixed.ts', body(30, '  ', '\r\n'));
    await repo.write('src/indent.ts', body(30, '  ', '\r\n'));
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'crlf');
    const live: Record<string, unknown> = {};
    for (const [file, text] of Object.entries(after)) {
      const baseText = await readFile(join(repo.root, file), 'utf8');
      live[file] = overlayChange({ path: file, baseText, text }).change!.whitespaceChanged;
      await repo.write(file, text);
    }
    const expected = {
      sg202: [
        'info src/crlf.ts Line endings changed (CRLF to LF) in all 30 lines, and 3 lines added: not a delete-and-recreate; read the diff with whitespace at line ends ignored (`git diff --ignore-space-at-eol`).',
        'error src/indent.ts Most of the file was replaced: 100% of its 30 lines removed, 30 added (delete-and-recreate).',
        'error src/mixed.ts Most of the file was replaced: 80% of its 30 lines removed, 24 added (delete-and-recreate). Not counting the 6 lines whose line endings changed (CRLF to LF).',
      ],
      risk: 'critical',
    };
    const first = await analyzeRepository({ cwd: repo.root });
    assert.deepEqual(rewrite(first.report), expected);
    const saved = Object.fromEntries(Object.keys(after).map((f) => [f, first.changeSet.changes.find((c) => c.path === f)!.whitespaceChanged]));
    assert.deepEqual(saved, { 'src/crlf.ts': { lines: 30, to: 'lf' }, 'src/mixed.ts': { lines: 6, to: 'lf' }, 'src/indent.ts': undefined });
    // An unsaved buffer gets the count the saved file gets.
    assert.deepEqual(live, saved);
    // A first look that fills the change cache, then re-checks from it (no patch): the same report.
    assert.deepEqual(rewrite(await check({ useCache: true })), expected);
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.ok((again.changeSet.fromCache ?? 0) > 0, 'the re-check answers from the cache');
    assert.deepEqual(rewrite(again.report), expected);
    assert.deepEqual(again.changeSet.changes.find((c) => c.path === 'src/crlf.ts')!.whitespaceChanged, { lines: 30, to: 'lf' });
    await repo.git('add', '-A');
    assert.deepEqual(rewrite(await check({ staged: true })), expected);
    // Without the rewrites, the change is not critical.
    await repo.git('reset', '-q', '--hard');
    await repo.write('src/crlf.ts', after['src/crlf.ts']!);
    assert.deepEqual(rewrite(await check()), { sg202: expected.sg202.slice(0, 1), risk: 'low' });
  });

  it('calls a CRLF file saved as LF with most of its lines deleted gutted (SG203), not a delete-and-recreate', async () => {
    await repo.write('src/mixed.ts', body(30, '  ', '\r\n'));
    await repo.git('add', '-A');
    await repo.git('commit', '-q', '-m', 'crlf');
    await repo.write('src/mixed.ts', body(8));
    const r = await check();
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'SG202' || f.rule === 'SG203').map((f) => `${f.rule} ${f.severity} ${f.path} ${f.message}`).sort(),
      [
        'SG202 info src/mixed.ts Line endings changed (CRLF to LF) in 8 of its 30 lines, and 22 lines removed: not a delete-and-recreate; read the diff with whitespace at line ends ignored (`git diff --ignore-space-at-eol`).',
        'SG203 warning src/mixed.ts Most of the file was removed: 73% of its 30 lines, 0 added back (not counting the 8 lines whose line endings changed (CRLF to LF)).',
      ].sort(),
    );
    assert.deepEqual(rewrite(await check({ useCache: true })), rewrite(r));
    assert.deepEqual(rewrite(await check({ useCache: true })), rewrite(r));
  });

  it('counts removed lines that come back in their hunk differing only in trailing whitespace, not lines that come back unchanged', () => {
    const head = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n';
    assert.deepEqual(cameBack(`${head}@@ -1,3 +1,4 @@\n-a\r\n-}\r\n-c\r\n+a\n+}\n+new\n+c\n`), { lines: 3, to: 'lf' });
    assert.deepEqual(cameBack(`${head}@@ -1,2 +1,2 @@\n-a\n-b\n+b\r\n+x\r\n`), { lines: 1, to: 'crlf' });
    // Trailing spaces, or endings both ways: counted, with no direction.
    assert.deepEqual(cameBack(`${head}@@ -1,2 +1,2 @@\n-a  \n-b\r\n+a\n+b\n`), { lines: 2 });
    // A line back byte for byte is no whitespace change; nor one from another hunk.
    assert.equal(cameBack(`${head}@@ -1,2 +1,2 @@\n-}\n-a \n+}\n+b\n`), undefined);
    assert.equal(cameBack(`${head}@@ -1 +1 @@\n-a\r\n+b\n@@ -5 +5 @@\n-b\r\n+a\n`), undefined);
    // Not worked out for a change that removes under a quarter of the file.
    assert.equal(cameBack(`${head}@@ -1 +1 @@\n-a\r\n+a\n`, 5), undefined);
    assert.deepEqual(cameBack(`${head}@@ -1 +1 @@\n-a\r\n+a\n`, 4), { lines: 1, to: 'lf' });
  });

  it('keeps a CRLF-to-LF file of the spec or under the thresholds free of findings, as before', async () => {
    await repo.write('src/small.ts', body(5, '  ', '\r\n'));
    await repo.git('add', 'src/small.ts');
    await repo.git('commit', '-q', '-m', 'small');
    await repo.write('src/small.ts', body(5));
    await repo.write('docs/spec.md', SPEC.replace(/\n/g, '\r\n'));
    assert.deepEqual(rewrite(await check()), { sg202: [], risk: 'low' });
  });
});
