// A file a formatter ran over (prettier, black, gofmt) along with an edit is reformatted, not
// deleted and re-created: SG202 says so as a warning, naming how much of the content changed,
// in the working tree, staged, on a re-check from the change cache and live in the editor. A
// rewrite that keeps the file's names, its template or its functions in another order is
// still a critical rewrite; so is a file whose every line was edited, however slightly.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PatchParser } from '../../src/core/diffparse';
import type { FileChange, Report } from '../../src/core/model';
import { REFORMAT_MAX_EDIT, reformatted } from '../../src/core/reformat';
import { overlayChange } from '../../src/vscode/model/overlay';
import { analyzeRepository } from '../../src/node/engine';
import { isolateGitConfig } from './helpers/isolatedGit';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import * as F from './reformatFixture';

const SPEC = '---\nscope: ["src/**"]\n---\n# Retry\n\n## Tasks\n- [ ] 1. Add jitter to `src/**`\n';

/** SG202 and SG203 findings and the risk, as a report says them. */
function blast(r: Report) {
  return {
    findings: r.findings
      .filter((f) => f.rule === 'SG202' || f.rule === 'SG203')
      .map((f) => `${f.rule} ${f.severity} ${f.path} ${f.message}`)
      .sort(),
    risk: r.summary.risk,
  };
}

/** The reformat verdict of one patch section. */
function verdict(patch: string, oldLines?: number) {
  const p = new PatchParser({ keepBodies: true });
  p.push(Buffer.from(patch));
  return reformatted(p.end()[0]!, oldLines);
}

const HEAD = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n';
/** A patch replacing `before` lines with `after` lines in one hunk. */
const patchOf = (before: string[], after: string[]) => `${HEAD}@@ -1,${before.length} +1,${after.length} @@\n${before.map((l) => `-${l}\n`).join('')}${after.map((l) => `+${l}\n`).join('')}`;

describe('reformatted rewrites (SG202)', function () {
  this.timeout(60_000);
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'docs/spec.md': SPEC, 'src/retry.js': F.JS_BEFORE, 'src/retry.py': F.PY_BEFORE, 'src/retry.go': F.GO_BEFORE });
  });
  afterEach(() => repo.cleanup());
  const check = async (opts: { staged?: boolean; useCache?: boolean } = {}) => blast((await analyzeRepository({ cwd: repo.root, ...opts })).report);

  const WORD_DIFF = "Read the edits word by word (`git diff --word-diff-regex='[[:alnum:]_$]+|[^[:space:]]'`).";
  const LAYOUT = '(whitespace, line breaks, quotes, semicolons, trailing commas)';
  const reformatJs = `SG202 warning src/retry.js Reformatted, not rewritten: 66% of its 41 lines changed, but only 10% of their content: of their 292 words and symbols, 0 removed and 30 added; the rest only laid out anew ${LAYOUT}. ${WORD_DIFF}`;
  const reformatPy = `SG202 warning src/retry.py Reformatted, not rewritten: 69% of its 32 lines changed, but only 6% of their content: of their 283 words and symbols, 0 removed and 16 added; the rest only laid out anew ${LAYOUT}. ${WORD_DIFF} Indentation was not compared, and it is meaning here: check which block each line is in.`;
  const reformatGo = `SG202 warning src/retry.go Reformatted, not rewritten: 65% of its 37 lines changed, but only 11% of their content: of their 191 words and symbols, 0 removed and 21 added; the rest only laid out anew ${LAYOUT}. ${WORD_DIFF}`;

  /** The reformat verdict of each file, as an unsaved buffer of `after` over the committed text gets it. */
  async function live(after: Record<string, string>): Promise<Record<string, FileChange['reformat']>> {
    const out: Record<string, FileChange['reformat']> = {};
    for (const [file, text] of Object.entries(after)) {
      const baseText = await readFile(join(repo.root, file), 'utf8');
      out[file] = overlayChange({ path: file, baseText, text }).change!.reformat;
    }
    return out;
  }

  it('calls a file run through prettier, black or gofmt along with an edit a reformat: a warning naming how much of its content changed; the same from the cache, staged and live', async () => {
    const after = { 'src/retry.js': F.JS_PRETTIER_EDIT, 'src/retry.py': F.PY_BLACK_EDIT, 'src/retry.go': F.GO_GOFMT_EDIT };
    const unsaved = await live(after);
    for (const [file, text] of Object.entries(after)) await repo.write(file, text);
    const expected = { findings: [reformatGo, reformatJs, reformatPy], risk: 'medium' };
    const first = await analyzeRepository({ cwd: repo.root });
    assert.deepEqual(blast(first.report), expected);
    const saved = Object.fromEntries(Object.keys(after).map((f) => [f, first.changeSet.changes.find((c) => c.path === f)!.reformat]));
    assert.deepEqual(saved, {
      'src/retry.js': { tokens: 292, removed: 0, added: 30, lines: 0 },
      'src/retry.py': { tokens: 283, removed: 0, added: 16, lines: 0 },
      'src/retry.go': { tokens: 191, removed: 0, added: 21, lines: 0 },
    });
    // An unsaved buffer gets the verdict the saved file gets, typed in whole or line by line.
    assert.deepEqual(unsaved, saved);
    const baseLines = F.JS_BEFORE.split(/(?<=\n)/);
    const textLines = F.JS_PRETTIER_EDIT.split(/(?<=\n)/);
    let previous = overlayChange({ path: 'src/retry.js', baseText: F.JS_BEFORE, text: F.JS_BEFORE }).state;
    for (let i = 0; i < textLines.length; i++) {
      previous = overlayChange({ path: 'src/retry.js', baseText: F.JS_BEFORE, text: [...textLines.slice(0, i + 1), ...baseLines.slice(i + 1)].join(''), previous }).state;
    }
    assert.deepEqual(overlayChange({ path: 'src/retry.js', baseText: F.JS_BEFORE, text: F.JS_PRETTIER_EDIT, previous }).change!.reformat, saved['src/retry.js']);
    // A first look that fills the change cache, then re-checks from it (no patch): the same report.
    assert.deepEqual(await check({ useCache: true }), expected);
    const again = await analyzeRepository({ cwd: repo.root, useCache: true });
    assert.equal(again.changeSet.fromCache, 3);
    assert.deepEqual(blast(again.report), expected);
    assert.deepEqual(again.changeSet.changes.find((c) => c.path === 'src/retry.go')!.reformat, saved['src/retry.go']);
    await repo.git('add', '-A');
    assert.deepEqual(await check({ staged: true }), expected);
  });

  it('says so when the content did not change at all', async () => {
    await repo.write('src/retry.go', F.GO_GOFMT);
    assert.deepEqual(await check(), {
      findings: [`SG202 warning src/retry.go Reformatted, not rewritten: 65% of its 37 lines changed, but not their content: the same 191 words and symbols in the same order, only laid out anew ${LAYOUT}.`],
      risk: 'medium',
    });
  });

  it('keeps a critical rewrite that keeps the names (other logic), the functions (in another order) or the template (another module): from the cache, staged and live too', async () => {
    const cases: [string, string, string][] = [
      ['src/retry.js', F.JS_LOGIC, 'SG202 error src/retry.js Most of the file was replaced: 71% of its 41 lines removed, 25 added (delete-and-recreate).'],
      ['src/retry.js', F.JS_REORDERED, 'SG202 error src/retry.js Most of the file was replaced: 76% of its 41 lines removed, 36 added (delete-and-recreate).'],
      ['src/retry.js', F.JS_BOILERPLATE, 'SG202 error src/retry.js Most of the file was replaced: 73% of its 41 lines removed, 34 added (delete-and-recreate).'],
      ['src/retry.py', F.PY_LOGIC, 'SG202 error src/retry.py Most of the file was replaced: 72% of its 32 lines removed, 33 added (delete-and-recreate).'],
    ];
    for (const [file, text, message] of cases) {
      assert.deepEqual(await live({ [file]: text }), { [file]: undefined }, message);
      await repo.write(file, text);
      const expected = { findings: [message], risk: 'critical' };
      assert.deepEqual(await check(), expected);
      assert.deepEqual(await check({ useCache: true }), expected);
      assert.deepEqual(await check({ useCache: true }), expected);
      await repo.git('add', '-A');
      assert.deepEqual(await check({ staged: true }), expected);
      await repo.git('reset', '-q', '--hard');
    }
  });

  it('draws the line at a fifth of the content: 58 of 292 words and symbols added is a reformat, 59 a rewrite', async () => {
    const defaults = 'const DEFAULTS = { retries: 3, delayMs: 200, factor: 2, jitter: 0 };';
    assert.ok(F.JS_PRETTIER_EDIT.includes(defaults));
    // Seven more keys: 28 more tokens (`,` `k0` `:` `0`), 58 in all; a minus sign on the last, 59.
    const keys = Array.from({ length: 7 }, (_, i) => `, k${i}: 0`).join('');
    const at58 = F.JS_PRETTIER_EDIT.replace(defaults, `${defaults.slice(0, -3)}${keys} };`);
    const at59 = at58.replace('k6: 0', 'k6: -0');
    await repo.write('src/retry.js', at58);
    assert.deepEqual(await check(), {
      findings: [`SG202 warning src/retry.js Reformatted, not rewritten: 66% of its 41 lines changed, but only 20% of their content: of their 292 words and symbols, 0 removed and 58 added; the rest only laid out anew ${LAYOUT}. ${WORD_DIFF}`],
      risk: 'medium',
    });
    assert.deepEqual(await live({ 'src/retry.js': at59 }), { 'src/retry.js': undefined });
    await repo.write('src/retry.js', at59);
    assert.deepEqual(await check(), { findings: ['SG202 error src/retry.js Most of the file was replaced: 66% of its 41 lines removed, 33 added (delete-and-recreate).'], risk: 'critical' });
  });

  it('keeps a file whose every line was edited a critical rewrite, however small each edit; a rename on a few of its lines is a reformat', async () => {
    const fruits = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'hazel', 'kiwi', 'lemon', 'mango', 'nectarine', 'olive', 'peach', 'quince', 'rowan', 'sloe', 'tangerine', 'ugli', 'vanilla', 'walnut', 'yuzu'];
    const before = `export const PRICES = {\n${fruits.map((f, i) => `    ${f}: price('${f}', 'usd', ${100 + i}, 7),\n`).join('')}}\n`;
    // Prettier's quotes and indents; the last argument 7 -> 8 on every line (2 of 17 tokens a line).
    const everyLine = `export const PRICES = {\n${fruits.map((f, i) => `  ${f}: price("${f}", "usd", ${100 + i}, 8),\n`).join('')}};\n`;
    // Prettier's quotes and indents; `price` renamed `cost` on three lines.
    const fewLines = everyLine.replace(/, 8\)/g, ', 7)').replace(/(apple|fig|mango): price/g, '$1: cost');
    await repo.write('src/prices.js', before);
    await repo.commit('prices');
    await repo.write('src/prices.js', everyLine);
    const edited = await analyzeRepository({ cwd: repo.root });
    // The tokens alone would pass (44 of 374 changed, under a fifth), but 22 of the 24 lines lose one.
    assert.deepEqual(edited.changeSet.changes.find((c) => c.path === 'src/prices.js')!.reformat, { tokens: 374, removed: 22, added: 22, lines: 22 });
    assert.deepEqual(blast(edited.report), { findings: ['SG202 error src/prices.js Most of the file was replaced: 96% of its 24 lines removed, 23 added (delete-and-recreate).'], risk: 'critical' });
    await repo.write('src/prices.js', fewLines);
    assert.deepEqual(await check(), {
      findings: [`SG202 warning src/prices.js Reformatted, not rewritten: 96% of its 24 lines changed, but only 2% of their content: of their 374 words and symbols, 3 removed and 3 added; the rest only laid out anew ${LAYOUT}. ${WORD_DIFF}`],
      risk: 'medium',
    });
  });

  it('calls lines joined by a formatter a reformat, not a file gutted (SG203); lines dropped are still', async () => {
    const primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    const column = (name: string, xs: number[]) => `export const ${name} = [\n${xs.map((x) => `  ${x},\n`).join('')}];\n`;
    const row = (name: string, xs: number[]) => `export const ${name} = [${xs.join(', ')}];\n`;
    await repo.write('src/tables.js', column('A', primes) + column('B', primes) + column('C', primes));
    await repo.commit('tables');
    await repo.write('src/tables.js', row('A', primes) + row('B', primes) + row('C', primes));
    const joined = {
      findings: [`SG202 warning src/tables.js Reformatted, not rewritten: 100% of its 42 lines changed, but not their content: the same 87 words and symbols in the same order, only laid out anew ${LAYOUT}.`],
      risk: 'medium',
    };
    assert.deepEqual(await check(), joined);
    assert.deepEqual(await check({ useCache: true }), joined);
    assert.deepEqual(await check({ useCache: true }), joined);
    await repo.write('src/tables.js', row('A', primes.slice(0, 3)) + row('B', primes.slice(0, 3)) + row('C', primes.slice(0, 3)));
    assert.deepEqual(await check(), { findings: ['SG203 warning src/tables.js Most of the file was removed: 100% of its 42 lines, 3 added back.'], risk: 'medium' });
  });

  it('reads the verdict from the hunk bodies: tokens in order, quotes, semicolons and trailing commas alike', () => {
    // 10 tokens removed (`a ( " b " , c ) + d` and `;`, `,` read as none), the same added: nothing changed.
    assert.deepEqual(verdict(patchOf(["a('b', c,", ') + d;'], ['a("b", c) + d'])), { tokens: 10, removed: 0, added: 0, lines: 0 });
    // Two lines swapped: one of them removed and added again, as a rewrite of that line.
    assert.deepEqual(verdict(patchOf(['a b c d e', 'f g h i j k l m n o p q r s t'], ['f g h i j k l m n o p q r s t', 'a b c d e'])), undefined);
    // A backtick, a bracket, an operator: each a token.
    assert.deepEqual(verdict(patchOf(['x = `a` + [b] - 1', 'y z w v u t s r q'], ['x = "a" + (b) + 1', 'y z w v u t s r q'])), undefined);
    // Non-ASCII text is words: the bytes of a UTF-8 character split no token.
    assert.deepEqual(verdict(patchOf(['naïve = "café"', 'x y z'], ['naïve = "café" x', 'y z'])), { tokens: 8, removed: 0, added: 0, lines: 0 });
  });

  it('allows a fifth of the removed tokens, and REFORMAT_MAX_EDIT at most; only for a change that removes a quarter of the file', () => {
    const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');
    // 50 tokens: 10 added is a reformat, 11 is not; so for removed ones, counted with their lines.
    assert.deepEqual(verdict(patchOf([words(50)], [words(50), words(10, 100)])), { tokens: 50, removed: 0, added: 10, lines: 0 });
    assert.equal(verdict(patchOf([words(50)], [words(50), words(11, 100)])), undefined);
    assert.deepEqual(verdict(patchOf([words(25), words(25, 25)], [words(20, 5), words(25, 25)])), { tokens: 50, removed: 5, added: 0, lines: 1 });
    assert.equal(verdict(patchOf([words(39), words(11, 39)], [words(39)])), undefined);
    // A large file: 10,000 tokens, of which a fifth would be 2,000, but the cap is 1,000.
    assert.equal(REFORMAT_MAX_EDIT, 1000);
    assert.deepEqual(verdict(patchOf([words(10_000)], [words(10_000), words(1000, 20_000)])), { tokens: 10_000, removed: 0, added: 1000, lines: 0 });
    assert.equal(verdict(patchOf([words(10_000)], [words(10_000), words(1001, 20_000)])), undefined);
    // Not worked out for a change that removes under a quarter of the file.
    assert.equal(verdict(patchOf(['a b'], ['a  b']), 5), undefined);
    assert.deepEqual(verdict(patchOf(['a b'], ['a  b']), 4), { tokens: 2, removed: 0, added: 0, lines: 0 });
  });
});
