import { strict as assert } from 'node:assert';
import { gitDiffHeader, parseNumstatZ, parsePatch, parseRawWithPatch, parseRawZ, PatchParser, quoteGitPath } from '../../src/core/diffparse';

const Z40 = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('diffparse', () => {
  it('parses raw -z records, renames with their score, and odd names intact', () => {
    const text =
      `:100644 100644 ${A} ${Z40} M\0-lead ing.txt\0` +
      `:100644 100644 ${A} ${B} R097\0old\nname\0new "name"\0` +
      `:000000 100755 ${Z40} ${B} A\0dir/ñ\tx\0`;
    const { entries, end } = parseRawZ(text);
    assert.equal(end, Buffer.byteLength(text));
    assert.deepEqual(entries, [
      { oldMode: '100644', newMode: '100644', oldBlob: A, newBlob: Z40, status: 'M', path: '-lead ing.txt' },
      { oldMode: '100644', newMode: '100644', oldBlob: A, newBlob: B, status: 'R', score: 97, path: 'new "name"', oldPath: 'old\nname' },
      { oldMode: '000000', newMode: '100755', oldBlob: Z40, newBlob: B, status: 'A', path: 'dir/ñ\tx' },
    ]);
  });

  it('parses raw records as they arrive: stops before a partial record until the end', () => {
    const rec1 = `:100644 100644 ${A} ${B} M\0one\0`;
    const rec2 = `:100644 100644 ${A} ${B} R090\0old\0new\0`;
    const all = Buffer.from(`${rec1}${rec2}\0diff --git`);
    for (let cut = 0; cut < all.length; cut++) {
      const r = parseRawZ(all.subarray(0, cut), 0, false);
      const whole = cut >= Buffer.byteLength(rec1 + rec2) + 1;
      assert.equal(r.complete, whole, `cut ${cut}`);
      assert.equal(r.entries.length, cut >= Buffer.byteLength(rec1 + rec2) ? 2 : cut >= Buffer.byteLength(rec1) ? 1 : 0, `cut ${cut}`);
    }
    assert.throws(() => parseRawZ(all.subarray(0, 10), 0, true), /truncated/);
  });

  it('parses numstat -z including binary files and renames', () => {
    assert.deepEqual(parseNumstatZ('3\t1\ta.txt\0-\t-\tpic.png\0' + '2\t0\t\0old.txt\0new.txt\0'), [
      { added: 3, removed: 1, binary: false, path: 'a.txt' },
      { added: null, removed: null, binary: true, path: 'pic.png' },
      { added: 2, removed: 0, binary: false, path: 'new.txt', oldPath: 'old.txt' },
    ]);
  });

  it('quotes paths the way git writes them in patch headers', () => {
    assert.equal(quoteGitPath('a/plain name.txt'), 'a/plain name.txt');
    assert.equal(quoteGitPath('a/ñandú.txt'), 'a/ñandú.txt');
    assert.equal(quoteGitPath('a/tab\there'), '"a/tab\\there"');
    assert.equal(quoteGitPath('a/q"uote\\'), '"a/q\\"uote\\\\"');
    assert.equal(quoteGitPath('a/nl\nx\x01'), '"a/nl\\nx\\001"');
    assert.equal(gitDiffHeader('x y', 'x y'), 'diff --git a/x y b/x y');
  });

  it('reads exact -U0 hunk ranges, skipping "No newline" markers and header-like content', () => {
    const patch = [
      'diff --git a/f.txt b/f.txt',
      'index 1..2 100644',
      '--- a/f.txt',
      '+++ b/f.txt',
      '@@ -2 +2 @@ ctx',
      '--- a/looks-like-a-header',
      '+diff --git a/x b/x',
      '@@ -3,0 +4,2 @@',
      '+d',
      '+e',
      '\\ No newline at end of file',
      'diff --git a/g b/g',
      'deleted file mode 100644',
      '@@ -1,2 +0,0 @@',
      '-x',
      '-y',
      'diff --git a/p.png b/p.png',
      'Binary files a/p.png and b/p.png differ',
      '',
    ].join('\n');
    const s = parsePatch(patch);
    assert.equal(s.length, 3);
    assert.deepEqual(s[0]!.hunks, [
      { oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 },
      { oldStart: 3, oldLines: 0, newStart: 4, newLines: 2 },
    ]);
    assert.equal(s[0]!.added, 3);
    assert.equal(s[0]!.removed, 1);
    assert.deepEqual(s[1]!.hunks, [{ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 }]);
    assert.equal(s[1]!.extended[0], 'deleted file mode 100644');
    assert.equal(s[2]!.binary, true);
    assert.deepEqual(s[2]!.hunks, []);
  });

  it('reads a patch fed in chunks of any size exactly as in one piece', () => {
    const patch = Buffer.from(
      ['diff --git a/f b/f', '--- a/f', '+++ b/f', '@@ -1,2 +1 @@ x', '-a\0b', '-c', '+d', '\\ No newline at end of file', 'diff --git "a/n\\tm" "b/n\\tm"', 'new file mode 100644', '@@ -0,0 +1,2 @@', '+@@ -9 +9 @@', '+diff --git a/x b/x', ''].join('\n'),
    );
    const whole = parsePatch(patch);
    assert.equal(whole.length, 2);
    assert.equal(whole[0]!.hasNul, true);
    assert.equal(whole[1]!.hasNul, false);
    assert.deepEqual(whole[1]!.hunks, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 }]);
    for (const size of [1, 2, 3, 7, 16, 64]) {
      const p = new PatchParser();
      for (let i = 0; i < patch.length; i += size) p.push(patch.subarray(i, i + size));
      assert.deepEqual(p.end(), whole, `chunks of ${size}`);
    }
  });

  it('pairs raw records with their patch sections, two for a type change', () => {
    const text =
      `:100644 120000 ${A} ${Z40} T\0t x\0:100644 100644 ${A} ${B} M\0"q"\0\0` +
      ['diff --git a/t x b/t x', 'deleted file mode 100644', '@@ -1 +0,0 @@', '-x', 'diff --git a/t x b/t x', 'new file mode 120000', '@@ -0,0 +1 @@', '+target', '\\ No newline at end of file',
       'diff --git "a/\\"q\\"" "b/\\"q\\""', '@@ -1 +1 @@', '-a', '+b', ''].join('\n');
    const pairs = parseRawWithPatch(text);
    assert.equal(pairs.length, 2);
    assert.deepEqual(pairs[0]!.sections.map((s) => s.hunks), [[{ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0 }], [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 1 }]]);
    assert.equal(pairs[1]!.entry.path, '"q"');
    assert.deepEqual(pairs[1]!.sections[0]!.hunks, [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1 }]);
  });

  it('fails loudly when a patch section does not match its record', () => {
    const text = `:100644 100644 ${A} ${B} M\0one\0\0diff --git a/two b/two\n@@ -1 +1 @@\n-a\n+b\n`;
    assert.throws(() => parseRawWithPatch(text), /no patch section for 'one'/);
  });
});
