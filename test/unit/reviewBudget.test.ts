// A review shows at most 30,000 diff lines (DEFAULT_DIFF_LIMITS). Past that, the files that
// need a decision are shown first, wherever they sort; a file left out says so ("Diff not
// shown"), never "No line changes."; and the summary of REVIEW.md and review.html counts the
// files shown in part or not at all. Real repository, real bundle.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { splitPatch } from '../../src/core/render/diffview';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

const SPEC = '---\nscope: ["src/**"]\n---\n# Bulk\n\n## Tasks\n- [ ] 1. Generate `src/**`\n';
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `export const ${tag}${i} = ${i};\n`).join('');

describe('the review\'s diff budget', function () {
  this.timeout(120_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/z.ts': 'export const z = 1;\n', 'zz/secret.ts': 'export const key = "a";\n' });
    // 16 new files of 2,000 lines each (the most a file shows): 32,000 lines, past the budget.
    for (let i = 0; i < 16; i++) await repo.write(`src/gen${String(i).padStart(2, '0')}.ts`, lines(2000, `g${i}_`));
    await repo.write('src/z.ts', 'export const z = 2;\n');
    await repo.write('zz/secret.ts', 'export const key = "b";\n');
  });
  afterEach(() => repo.cleanup());

  it('shows the out-of-scope file first, says which files it left out, and never calls them unchanged', async () => {
    const dir = await writeBundle(await analyzeRepository({ cwd: repo.root }), { out: path.join(repo.root, '..', 'reviews') });
    const md = await readFile(path.join(dir, 'REVIEW.md'), 'utf8');
    const html = await readFile(path.join(dir, 'review.html'), 'utf8');
    const section = (text: string, heading: string) => {
      const at = text.indexOf(heading);
      assert.ok(at >= 0, `no ${heading}`);
      const next = text.indexOf('\n### ', at + 1);
      return text.slice(at, next < 0 ? undefined : next);
    };
    // The out-of-scope edit sorts last, after 32,000 lines, and is shown in full.
    assert.match(section(md, '`zz/secret.ts` (modified'), /-export const key = "a";\n\+export const key = "b";/);
    assert.ok(html.includes('+export const key = &quot;b&quot;;'), 'review.html shows the out-of-scope line');
    // The last in-scope file is past the budget: said so, not "No line changes."
    const z = section(md, '`src/z.ts` (modified');
    assert.ok(z.includes('**Diff not shown: the review already shows as many diff lines as it can (the files that need a decision first); changes.patch has every line.**'), z);
    assert.equal(md.includes('No line changes.'), false);
    assert.equal(html.includes('No line changes.'), false);
    // The out-of-scope file's 2 lines first, then 14 generated files in full (28,000 lines): the
    // 15th is cut short, and the 16th and src/z.ts are not shown.
    assert.ok(section(md, '`src/gen14.ts` (added').includes('**Diff cut short: the review already shows as many diff lines as it can; `changes.patch` has every line.**'));
    const summary = '3 files are shown in part or not at all: the review shows a limited number of diff lines, the files that need a decision first; changes.patch has every line.';
    assert.ok(md.includes(`**${summary}**`), 'REVIEW.md summary');
    assert.ok(html.includes(`<p class="flag">${summary}</p>`), 'review.html summary');
  });

  it('gives the budget to the files named first in the review panel\'s split too, each file in its place', () => {
    const file = (name: string, n: number) => [`diff --git a/${name} b/${name}`, `--- a/${name}`, `+++ b/${name}`, `@@ -0,0 +1,${n} @@`, ...Array.from({ length: n }, (_, i) => `+${name}${i}`)];
    const patch = [...file('a', 2), ...file('b', 2), ...file('c', 2)].join('\n');
    const limits = { maxLinesPerFile: 10, maxLinesTotal: 3 };
    const shown = (first?: (p: string) => boolean) => splitPatch(patch, limits, first).map((d) => [d.path, d.hunks.flatMap((h) => h.lines).length, !!d.overBudget]);
    assert.deepEqual(shown(), [['a', 2, false], ['b', 1, true], ['c', 0, true]]);
    assert.deepEqual(shown((p) => p === 'c'), [['a', 1, true], ['b', 0, true], ['c', 2, false]]);
  });
});
