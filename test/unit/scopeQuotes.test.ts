// Paths written in quotes inside backticks: a non-goal such as `"src/legacy/**"`,
// `config/'legacy'/**` or `"docs/my notes/"` is scope, not code to skip.
import { strict as assert } from 'node:assert';
import type { Spec, SpecFormat } from '../../src/core/model';
import { compileScope } from '../../src/core/scope';
import { looksLikePath, toScopeGlobs } from '../../src/core/spec/paths';
import { parseSpec } from '../../src/core/spec/parse';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function spec(format: SpecFormat, id: string, files: Record<string, string>): Spec {
  const paths = Object.keys(files).map((rel) => (format === 'plain' ? id : `${id}/${rel}`));
  return parseSpec({ id, format, name: 'cache', files: paths }, Object.entries(files).map(([rel, text]) => ({ path: format === 'plain' ? id : `${id}/${rel}`, text })));
}

const NON_GOALS = ['## Non-Goals', '', "- Don't touch `\"src/legacy/**\"`", "- Don't touch `config/'legacy'/**`", '- Leave `"docs/my notes/"` and `\'docs/old guide.md\'` alone'];

describe('quoted paths in backticks', () => {
  it('reads a path wrapped in quotes, with spaces when it ends like a path, and a quoted folder inside a path', () => {
    const yes = ['"src/legacy/**"', "'src/legacy/**'", "config/'legacy'/**", 'config/"legacy"/**', '"docs/my notes/"', "'docs/old guide.md'", '"a b/c d/**"'];
    const no = ['"hello world"', "'use strict'", "foo('a/b')", '"Accept: text/html"', "a = 'x/y'", '"<prefix>/term"', "'it's'", '"x"', "'/'", '"src/a\tb.ts"', "it's.md", '"two words"'];
    assert.deepEqual(yes.filter((s) => !looksLikePath(s)), []);
    assert.deepEqual(no.filter(looksLikePath), []);
  });

  it('turns them into globs: quotes off, spaces kept, a quoted folder both as meant and as written', () => {
    const cases: [string, string[]][] = [
      ['"src/legacy/**"', ['src/legacy/**']],
      ["'src/legacy/'", ['src/legacy/**']],
      ["config/'legacy'/**", ['config/legacy/**', "config/'legacy'/**"]],
      ['config/"legacy"/**', ['config/legacy/**']],
      ['"docs/my notes/"', ['docs/my notes/**']],
      ["'docs/old guide.md'", ['docs/old guide.md']],
      ['"docs/my notes"', []],
      ['"../outside/**"', []],
      ["'..'/x/**", []],
      ['"src/a\tb.ts"', []],
    ];
    for (const [input, globs] of cases) assert.deepEqual(toScopeGlobs(input), globs, input);
  });

  it('keeps such non-goals in a plain spec\'s exclude list, so those paths are excluded, not in scope', () => {
    const s = spec('plain', 'docs/specs/cache.md', { x: lines('---', 'scope:', '  - src/**', '  - config/**', '  - docs/**', '---', '# Cache', '', ...NON_GOALS) });
    assert.deepEqual(s.scope.exclude, ['src/legacy/**', 'config/legacy/**', "config/'legacy'/**", 'docs/my notes/**', 'docs/old guide.md']);
    const scope = compileScope(s);
    const classes = ['src/legacy/l.ts', 'config/legacy/c.yml', "config/'legacy'/c.yml", 'docs/my notes/n.md', 'docs/old guide.md', 'src/a.ts', 'docs/guide.md'].map((p) => [p, scope.classify(p)]);
    assert.deepEqual(classes, [
      ['src/legacy/l.ts', 'excluded'],
      ['config/legacy/c.yml', 'excluded'],
      ["config/'legacy'/c.yml", 'excluded'],
      ['docs/my notes/n.md', 'excluded'],
      ['docs/old guide.md', 'excluded'],
      ['src/a.ts', 'in-scope'],
      ['docs/guide.md', 'in-scope'],
    ]);
  });

  it('keeps them in a Kiro design\'s Non-Goals, and out of its includes', () => {
    const s = spec('kiro', '.kiro/specs/cache', {
      'tasks.md': lines('- [ ] 1. Add the cache in `src/cache.ts`'),
      'design.md': lines('# Design', '', 'Code lives in `src/`.', '', ...NON_GOALS),
    });
    assert.deepEqual(s.scope.include, ['src/cache.ts', 'src/**']);
    assert.deepEqual(s.scope.exclude, ['src/legacy/**', 'config/legacy/**', "config/'legacy'/**", 'docs/my notes/**', 'docs/old guide.md']);
  });
});
