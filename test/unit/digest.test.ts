import { strict as assert } from 'node:assert';
import { computeDigest } from '../../src/core/digest';
import { added, change, deleted } from './helpers/analysisFixtures';

describe('digest', () => {
  const changes = [change('src/a.ts', { oldBlob: '1'.repeat(40), newBlob: '2'.repeat(40) }), added('src/b.ts', 3, { newBlob: '3'.repeat(40) }), deleted('src/c.ts', 4, { oldBlob: '4'.repeat(40) })];
  const specs = { '.kiro/specs/demo/tasks.md': '5'.repeat(40), '.kiro/specs/demo/requirements.md': '6'.repeat(40) };
  const d = computeDigest(changes, specs);

  it('is sha256 hex', () => assert.match(d, /^sha256:[0-9a-f]{64}$/));
  it('does not depend on order', () => {
    const reversedSpecs = Object.fromEntries(Object.entries(specs).reverse());
    assert.equal(computeDigest([...changes].reverse(), reversedSpecs), d);
  });
  it('does not depend on hunks, line counts or texts', () => {
    assert.equal(computeDigest(changes.map((c) => ({ ...c, hunks: [], added: 0, oldText: 'x' })), specs), d);
  });
  it('changes with any blob, path, status, mode or spec file', () => {
    const variants = [
      computeDigest([{ ...changes[0]!, newBlob: '7'.repeat(40) }, ...changes.slice(1)], specs),
      computeDigest([{ ...changes[0]!, path: 'src/a2.ts' }, ...changes.slice(1)], specs),
      computeDigest([{ ...changes[0]!, status: 'renamed', oldPath: 'src/z.ts' }, ...changes.slice(1)], specs),
      computeDigest([{ ...changes[0]!, newMode: '100755' }, ...changes.slice(1)], specs),
      computeDigest(changes, { ...specs, '.kiro/specs/demo/tasks.md': '8'.repeat(40) }),
      computeDigest(changes, { ...specs, '.kiro/specs/demo/design.md': '9'.repeat(40) }),
      computeDigest(changes.slice(1), specs),
    ];
    for (const v of variants) assert.notEqual(v, d);
    assert.equal(new Set(variants).size, variants.length);
  });
  it('lists a rename as the deletion of its old path and the addition of its new one (pairing plays no part)', () => {
    const [a, b] = ['1'.repeat(40), '2'.repeat(40)];
    const renamed = change('src/new.ts', { status: 'renamed', oldPath: 'src/old.ts', oldBlob: a, newBlob: b, oldMode: '100644', newMode: '100755' });
    const apart = [deleted('src/old.ts', 4, { oldBlob: a, oldMode: '100644' }), added('src/new.ts', 3, { newBlob: b, newMode: '100755' })];
    assert.equal(computeDigest([renamed], specs), computeDigest(apart, specs));
    // Paired the other way round, two moved files still digest alike.
    const [c, d2] = ['3'.repeat(40), '4'.repeat(40)];
    const one = [change('x/bar.ts', { status: 'renamed', oldPath: 'y/bar.ts', oldBlob: c, newBlob: c }), change('y/foo.ts', { status: 'renamed', oldPath: 'x/foo.ts', oldBlob: d2, newBlob: d2 })];
    const other = [change('x/bar.ts', { status: 'renamed', oldPath: 'x/foo.ts', oldBlob: d2, newBlob: c }), change('y/foo.ts', { status: 'renamed', oldPath: 'y/bar.ts', oldBlob: c, newBlob: d2 })];
    assert.equal(computeDigest(one, {}), computeDigest(other, {}));
    // Content still counts: another blob on either side is another digest.
    assert.notEqual(computeDigest([{ ...renamed, oldBlob: b }], specs), computeDigest([renamed], specs));
    assert.notEqual(computeDigest([{ ...renamed, newMode: '100644' }], specs), computeDigest([renamed], specs));
  });
  it('cannot be forged by moving separators between fields', () => {
    const x = computeDigest([change('a b', { oldBlob: 'c', newBlob: 'd' })], {});
    const y = computeDigest([change('a', { oldBlob: 'b c', newBlob: 'd' })], {});
    assert.notEqual(x, y);
  });
});
