// The linear-time glob matcher: the same answers as picomatch on the patterns it reads, and
// no catastrophic backtracking on the patterns and file names an assistant could write.
import { strict as assert } from 'node:assert';
import picomatch from 'picomatch/posix';
import { analyze } from '../../src/core/analyze';
import { parseConfig } from '../../src/core/config';
import { UsageError } from '../../src/core/model';
import { linearGlob, regexSafe } from '../../src/core/globMatch';
import { compileGlobs } from '../../src/core/scope';
import { added, changeSet, config, spec, task } from './helpers/analysisFixtures';

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('linearGlob', () => {
  it('agrees with picomatch (dot: true) on random globs and paths', () => {
    const rand = rng(42);
    const tokens = ['a', 'b', '.', '*', '**', '?', '[ab]', '[^a]', '[a-b]', '{a,b}', '{a,b*}', '{,a}', '-', '[]a]', '{a/b,c}', '{**,a}', '[', ']'];
    const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)]!;
    let compared = 0;
    for (let round = 0; round < 8000; round++) {
      const segs: string[] = [];
      for (let i = 0, n = 1 + rand(4); i < n; i++) {
        if (rand(5) === 0) segs.push('**');
        else segs.push(Array.from({ length: 1 + rand(4) }, () => pick(tokens)).join(''));
      }
      const glob = segs.join('/');
      const ours = linearGlob(glob);
      if (!ours) continue;
      const theirs = picomatch(glob, { dot: true });
      for (let k = 0; k < 12; k++) {
        const path = Array.from({ length: 1 + rand(4) }, () => Array.from({ length: 1 + rand(4) }, () => pick(['a', 'b', '.', '-', 'c', ']', '['])).join('')).join('/');
        // git never lists `.` or `..` as a path segment, which picomatch treats apart; for a
        // name ending in a dot picomatch's `*.*` depends on what comes before (see globMatch.ts).
        if (path.split('/').some((s) => s === '.' || s === '..') || path.endsWith('.')) continue;
        assert.equal(ours(path), theirs(path), `${glob} on ${path}`);
        compared++;
      }
    }
    assert.ok(compared > 15000, `compared ${compared}`);
  });

  it('agrees with picomatch on the globs specs are written with', () => {
    const paths = ['src/a.ts', 'src/a/b.tsx', 'src', 'x/src/y.ts', '.github/workflows/ci.yml', 'db/migrate/001.rb', 'README.md', 'src/.env', 'a/b/c/d/e.test.ts', 'charts/x/values.yaml'];
    for (const glob of ['src/**', '**/*.ts', 'src/**/*.{ts,tsx}', '*.md', '**/.*', '.github/workflows/**', '**/migrate/**', 'src/*/b.tsx', '**/*.test.ts', '**/values*.yaml', 'a/**/e.*', '**']) {
      const ours = linearGlob(glob);
      assert.ok(ours, glob);
      const theirs = picomatch(glob, { dot: true });
      for (const p of paths) assert.equal(ours(p), theirs(p), `${glob} on ${p}`);
    }
  });

  it('leaves extglobs, escapes, ranges and odd forms to picomatch', () => {
    for (const glob of ['src/@(a|b).ts', 'src/!(x).ts', 'a\\*b', 'file{1..3}.ts', './src/**', 'src/', 'a//b', '[[:alpha:]]', '[!a]b', '{a}']) assert.equal(linearGlob(glob), undefined, glob);
  });

  it('matches a glob of many wildcards against a long name at once, where a regex backtracks for minutes', function () {
    this.timeout(5000);
    const name = `src/${'a'.repeat(250)}.ts`;
    const deep = `${Array(1000).fill('a').join('/')}/c`;
    const t0 = performance.now();
    assert.equal(linearGlob(`src/${'*a'.repeat(10)}*b.ts`)!(name), false);
    assert.equal(linearGlob(`src/${'*a'.repeat(10)}*.ts`)!(name), true);
    assert.equal(linearGlob(`${Array(6).fill('**/a').join('/')}/b`)!(deep), false);
    assert.equal(linearGlob(`${Array(6).fill('**/*a*').join('/')}/c`)!(deep), true);
    assert.ok(performance.now() - t0 < 500, `${performance.now() - t0} ms`);
  });

  it('regexSafe: at most two * in a segment and two ** in all', () => {
    assert.equal(regexSafe('src/@(a|b)/*.ts'), true);
    assert.equal(regexSafe('src/*a*b*.ts'), false);
    assert.equal(regexSafe('**/a/**/b/**/c'), false);
    assert.equal(regexSafe('**/a/**/*.ts'), true);
  });

  it('a spec and a file name written to backtrack: the check answers at once, and a glob only a regex could read is a spec problem', function () {
    this.timeout(10_000);
    const name = `src/${'a'.repeat(250)}.ts`;
    const s = spec({
      tasks: [task('1', { paths: [`src/${'*a'.repeat(10)}*b.ts`] })],
      scope: { include: [`src/**/${'*a'.repeat(8)}*b.ts`], exclude: [], protected: ['src/@(*a*a*a*a*a*b).ts'] },
    });
    const t0 = performance.now();
    const r = analyze(s, changeSet([added(name, 1)]), { config: config(), specBlobs: {} });
    assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'SG101').map((f) => f.path), [name]);
    assert.deepEqual(
      r.findings.filter((f) => f.rule === 'SG401').map((f) => f.message),
      [
        'Glob `src/@(*a*a*a*a*a*b).ts` is too complex to match safely (an extglob, escape or range with more than two `*` in a segment or two `**` in all): it matches nothing; write it more simply.',
      ],
    );
    // The same extglob with few wildcards is picomatch's to read.
    assert.equal(compileGlobs(['src/@(a|b)*.ts']).test('src/bx.ts'), true);
  });

  it('refuses a config glob only a regex could read, with wildcards enough to backtrack, naming the key', () => {
    assert.throws(
      () => parseConfig('protected:\n  - infra/**\n  - "src/@(*a*a*a*b).ts"\n'),
      (err: Error) =>
        err instanceof UsageError &&
        err.message === ".specgate/config.yml: 'protected[1]' is too complex to match safely (an extglob, escape or range with more than two `*` in a segment or two `**` in all); write it more simply",
    );
  });
});


describe('compileGlobs fast forms (braces written out, folder and extension, segment buckets)', () => {
  it('answers as picomatch does for the shapes it reads its own way', () => {
    const globs = [
      '**/{,.}lefthook{,-local}.{yml,yaml}',
      '**/k8s/**/*.{yaml,yml}',
      '**/hooks/pre-commit',
      '**/charts/*/values*.{yaml,yml}',
      '**/migrations/**/{[0-9]*,Migration[0-9]*}.{js,ts}',
      'src/{a,b}/*.ts',
      '**/*.{test,spec}.*',
      '**/{x,{y,z}}.md',
    ];
    const paths = [
      'lefthook.yml', '.lefthook-local.yaml', 'a/lefthook.yml', 'lefthook.json', 'k8s/a.yaml', 'x/k8s/y/z.yml', 'k8s.yaml', 'src/k8s.ts/a.ts', 'k8s/a.json',
      'tools/hooks/pre-commit', 'hooks/pre-commit', 'a/hooks/pre-commit.sample', 'charts/app/values-prod.yaml', 'src/charts/theme.json', 'charts/values.yaml',
      'db/migrations/001_a.ts', 'src/migrations/Migration2024.ts', 'src/migrations/index.ts', 'src/a/x.ts', 'src/c/x.ts', 'src/a/b/x.ts', 'a.test.ts', 'b/c.spec.js', 'y.md', 'q/z.md', 'w.md',
    ];
    for (const g of globs) {
      const ours = compileGlobs([g]);
      const theirs = picomatch(g, { dot: true });
      for (const p of paths) assert.equal(ours.test(p), theirs(p), `${g} on ${p}`);
      const hit = paths.find((p) => theirs(p));
      if (hit) assert.equal(ours.which(hit), g);
    }
  });
});
