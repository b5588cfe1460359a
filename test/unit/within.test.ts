import { strict as assert } from 'node:assert';
import { isWithin, relativeWithin } from '../../src/node/within';

describe('within: a path in a folder, path by path', () => {
  it('holds the folder itself and what lies under it, including a folder named ..x', () => {
    assert.equal(relativeWithin('/a/repo', '/a/repo'), '');
    assert.equal(relativeWithin('/a/repo', '/a/repo/src/x.ts'), 'src/x.ts');
    assert.equal(relativeWithin('/a/repo', '/a/repo/..x/y'), '..x/y');
    assert.equal(isWithin('/a/repo', '/a/repo/..'), false);
  });
  it('does not hold a sibling whose name starts the same, the parent, or another tree', () => {
    assert.equal(relativeWithin('/a/repo', '/a/repo-2/x'), undefined);
    assert.equal(relativeWithin('/a/repo', '/a'), undefined);
    assert.equal(relativeWithin('/a/repo', '/a/x/../../b'), undefined);
    assert.equal(isWithin('/a/repo', '/b/repo'), false);
  });
});
