// coveringPathspecs: few pathspecs that name exactly the wanted files among all a git
// command would see, so that bundling 10,000 new files does not hand git 10,000 pathspecs.
import { strict as assert } from 'node:assert';
import { coveringPathspecs } from '../../src/core/pathCover';

/** The paths of `universe` that the pathspecs select (a literal pathspec matches itself and what lies under it). */
function selected(pathspecs: string[], universe: string[]): string[] {
  return universe.filter((p) => pathspecs.some((s) => p === s || p.startsWith(`${s}/`))).sort();
}

describe('coveringPathspecs', () => {
  it('names a folder for its files when nothing else lies in it', () => {
    const universe = ['src/gen/a/1.ts', 'src/gen/a/2.ts', 'src/gen/b/1.ts', 'src/app.ts', 'README.md'];
    const wanted = ['src/gen/a/1.ts', 'src/gen/a/2.ts', 'src/gen/b/1.ts'];
    assert.deepEqual(coveringPathspecs(wanted, universe), ['src/gen']);
  });

  it('keeps a folder out when it holds a file not wanted, and names the wanted ones around it', () => {
    const universe = ['src/a/1.ts', 'src/a/2.ts', 'src/b/1.ts', 'src/b/skip.ts', 'src/c.ts', '.specgate/approvals/x.json', '.specgate/approvals/notes.txt'];
    const wanted = ['src/a/1.ts', 'src/a/2.ts', 'src/b/1.ts', 'src/c.ts', '.specgate/approvals/notes.txt'];
    const specs = coveringPathspecs(wanted, universe);
    assert.deepEqual(specs, ['.specgate/approvals/notes.txt', 'src/a', 'src/b/1.ts', 'src/c.ts']);
    assert.deepEqual(selected(specs, universe), [...wanted].sort());
  });

  it('names files at the top by themselves, and the top folders of everything when all is wanted', () => {
    assert.deepEqual(coveringPathspecs(['a.txt', 'x/y/z.txt', 'x/w.txt'], ['a.txt', 'x/y/z.txt', 'x/w.txt']), ['a.txt', 'x']);
  });

  it('tells a folder from a sibling that shares its name as a prefix', () => {
    const universe = ['src/a/1.ts', 'src/a-b/2.ts', 'src/ab.ts'];
    const specs = coveringPathspecs(['src/a/1.ts'], universe);
    assert.deepEqual(specs, ['src/a']);
    assert.deepEqual(selected(specs, universe), ['src/a/1.ts']);
  });

  it('names a nested repository (a path with nothing listed under it) by itself when its folder holds another', () => {
    const universe = ['vendor/lib', 'vendor/empty-repo', 'vendor/readme.md'];
    const specs = coveringPathspecs(['vendor/lib', 'vendor/readme.md'], universe);
    assert.deepEqual(specs, ['vendor/lib', 'vendor/readme.md']);
  });

  it('selects exactly the wanted paths of random trees', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const universe = new Set<string>();
      for (let i = 0, n = 1 + rand(40); i < n; i++) {
        const depth = 1 + rand(4);
        universe.add(Array.from({ length: depth }, (_, d) => (d === depth - 1 ? `f${rand(5)}.ts` : `d${rand(3)}`)).join('/'));
      }
      // A file and a folder of the same name cannot both exist: keep the files only.
      const all = [...universe].filter((p) => ![...universe].some((q) => q.startsWith(`${p}/`)));
      const wanted = all.filter(() => rand(3) > 0);
      const specs = coveringPathspecs(wanted, all);
      assert.deepEqual(selected(specs, all), [...wanted].sort(), `round ${round}`);
      assert.ok(specs.length <= wanted.length, `round ${round}: never more pathspecs than files`);
    }
  });
});
