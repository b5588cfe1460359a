// New Spec templates: each layout's files land where SpecGate's readers look for them.
import * as assert from 'node:assert/strict';
import { UsageError } from '../../src/core/model';
import { checkSpecName, nextSpeckitNumber, specTemplate } from '../../src/vscode/commands/specTemplates';

describe('spec templates', () => {
  it('Kiro: requirements, design and tasks under .kiro/specs/<name>, opening tasks', () => {
    const t = specTemplate('kiro', 'billing-retry');
    assert.deepEqual(t.files.map((f) => f.path), [
      '.kiro/specs/billing-retry/requirements.md',
      '.kiro/specs/billing-retry/design.md',
      '.kiro/specs/billing-retry/tasks.md',
    ]);
    assert.equal(t.open, '.kiro/specs/billing-retry/tasks.md');
    assert.match(t.files[2]!.text, /^- \[ \] 1\. .*`src\/example\.ts`$/m);
    assert.match(t.files[2]!.text, /_Requirements: 1\.1, 1\.2_/);
  });

  it('spec-kit: numbers the folder after the existing ones', () => {
    assert.equal(nextSpeckitNumber(['001-a', '007-b', 'notes']), '008');
    assert.equal(nextSpeckitNumber([]), '001');
    const t = specTemplate('speckit', 'cache', ['001-a']);
    assert.deepEqual(t.files.map((f) => f.path), ['specs/002-cache/spec.md', 'specs/002-cache/plan.md', 'specs/002-cache/tasks.md']);
    assert.match(t.files[0]!.text, /\*\*FR-001\*\*/);
  });

  it('OpenSpec and plain layouts', () => {
    assert.deepEqual(specTemplate('openspec', 'add-x').files.map((f) => f.path), [
      'openspec/changes/add-x/proposal.md',
      'openspec/changes/add-x/design.md',
      'openspec/changes/add-x/specs/add-x/spec.md',
      'openspec/changes/add-x/tasks.md',
    ]);
    const plain = specTemplate('plain', 'cache-layer');
    assert.equal(plain.open, 'docs/specs/cache-layer.md');
    assert.match(plain.files[0]!.text, /^---\nscope:\n {2}- src\/example\.ts\nout_of_scope:/);
  });

  it('refuses names that are not a plain folder name', () => {
    for (const bad of ['', '../x', 'A B', 'x/y', '-x', 'a'.repeat(64)]) {
      assert.ok(checkSpecName(bad), bad);
      assert.throws(() => specTemplate('kiro', bad), UsageError);
    }
    assert.equal(checkSpecName('billing-retry-2'), undefined);
  });
});
