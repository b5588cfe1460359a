// A file whose every line changed only in its whitespace (a CRLF file saved as LF, a
// re-indent) is not a delete-and-recreate: SG202 says what changed, at a severity that fits,
// in the working tree, staged, and on a re-check from the change cache. Any other change in
// such a file keeps it a rewrite.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PatchParser } from '../../src/core/diffparse';
import type { Report } from '../../src/core/model';
import { whitespaceOnly } from '../../src/core/whitespace';
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

describe('whitespace-only rewrites (SG202)', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/crlf.ts': body(30, '  ', '\r\n'), 'src/indent.ts': body(30), 'src/mixed.ts': body(30) });
  });
  afterEach(() => repo.cleanup());
  const check = async (opts: { staged?: boolean; useCache?: boolean } = {}) => (await analyzeRepository({ cwd: repo.root, ...opts })).report;

  it('calls a CRLF file saved as LF a note and a re-indent a warning; a re-indent with one real edit stays a critical rewrite', async () => {
    await repo.write('src/crlf.ts', body(30));
    await repo.write('src/indent.ts', body(30, '\t'));
    await repo.write('src/mixed.ts', body(30, '    ').replace('return 7;', 'return 8;'));
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

  it('keeps a CRLF-to-LF file of the spec or under the thresholds free of findings, as before', async () => {
    await repo.write('src/small.ts', body(5, '  ', '\r\n'));
    await repo.git('add', 'src/small.ts');
    await repo.git('commit', '-q', '-m', 'small');
    await repo.write('src/small.ts', body(5));
    await repo.write('docs/spec.md', SPEC.replace(/\n/g, '\r\n'));
    assert.deepEqual(rewrite(await check()), { sg202: [], risk: 'low' });
  });
});
