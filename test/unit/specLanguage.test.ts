// Requirement references under the cursor in spec markdown, and what they resolve to.
import * as assert from 'node:assert/strict';
import type { Spec } from '../../src/core/model';
import { refAt, resolveRef } from '../../src/vscode/language/refAt';

const r = (line: number) => ({ file: 'specs/001-x/spec.md', startLine: line, endLine: line });

describe('requirement references', () => {
  it('finds a bare criterion id only inside a Requirements: list', () => {
    const line = '  - _Requirements: 1.2, 2.1_';
    assert.deepEqual(refAt(line, line.indexOf('1.2') + 1), { ref: '1.2', start: 19, end: 22 });
    assert.deepEqual(refAt(line, line.indexOf('2.1')), { ref: '2.1', start: 24, end: 27 });
    assert.equal(refAt('- [ ] 1.2 Add the policy', 7), undefined);
    assert.equal(refAt(line, 5), undefined);
  });

  it('finds FR-/SC- ids, user stories and "Requirement N" anywhere', () => {
    assert.deepEqual(refAt('- [ ] T012 covers FR-001 in src/x.ts', 20), { ref: 'FR-001', start: 18, end: 24 });
    assert.deepEqual(refAt('see SC-002.', 6), { ref: 'SC-002', start: 4, end: 10 });
    assert.deepEqual(refAt('for US1 only', 5), { ref: 'US1', start: 4, end: 7 });
    assert.deepEqual(refAt('as Requirement 3 says', 6), { ref: '3', start: 3, end: 16 });
    assert.equal(refAt('T012 alone', 2), undefined);
  });

  it('resolves to a requirement or to a criterion and its requirement', () => {
    const spec = {
      requirements: [
        { id: 'FR-001', title: 'Retry', kind: 'functional', range: r(3), criteria: [] },
        { id: '1', title: 'Retry', kind: 'requirement', range: r(8), criteria: [{ id: '1.2', text: 'WHEN x THEN y', range: r(10) }] },
      ],
    } as unknown as Spec;
    assert.equal(resolveRef(spec, 'FR-001')?.kind, 'requirement');
    const c = resolveRef(spec, '1.2');
    assert.equal(c?.kind, 'criterion');
    assert.equal(c?.kind === 'criterion' ? c.criterion.range.startLine : 0, 10);
    assert.equal(resolveRef(spec, '9.9'), undefined);
  });
});
