// Which spec a branch name picks when several specs are there and no --spec is given: a
// spec's folder name must stand in the branch as a whole part of it, and a branch that names
// two unrelated specs picks neither.
import { strict as assert } from 'node:assert';
import { NoSpecChosen } from '../../src/core/model';
import { resolveSpec } from '../../src/core/spec/resolve';

describe('resolveSpec: the branch name', () => {
  const specs = [
    { id: '.kiro/specs/ui', name: 'ui' },
    { id: '.kiro/specs/billing', name: 'billing' },
    { id: '.kiro/specs/cache', name: 'cache' },
    { id: '.kiro/specs/auth', name: 'auth' },
    { id: '.kiro/specs/auth-v2', name: 'auth-v2' },
  ];
  const refused = (branch: string, message: string, candidates: string[]): void =>
    assert.throws(
      () => resolveSpec(specs, undefined, branch),
      (e: unknown) => e instanceof NoSpecChosen && e.message === message && JSON.stringify(e.candidates) === JSON.stringify(candidates),
    );

  it('picks a name that stands between separators or at an end, in any case', () => {
    assert.equal(resolveSpec(specs, undefined, 'feature/billing')?.id, '.kiro/specs/billing');
    assert.equal(resolveSpec(specs, undefined, 'Billing-retry-v2')?.id, '.kiro/specs/billing');
    assert.equal(resolveSpec(specs, undefined, 'fix/ui_layout')?.id, '.kiro/specs/ui');
    assert.equal(resolveSpec(specs, undefined, 'cache.warmup')?.id, '.kiro/specs/cache');
  });

  it('does not pick a name found inside a word (ui in build, cache in cachet)', () => {
    refused('fix/build-script', 'no spec given and 5 specs found: .kiro/specs/ui, .kiro/specs/billing, .kiro/specs/cache, .kiro/specs/auth, .kiro/specs/auth-v2; pass --spec', specs.map((s) => s.id));
    refused('cachet-billingx', 'no spec given and 5 specs found: .kiro/specs/ui, .kiro/specs/billing, .kiro/specs/cache, .kiro/specs/auth, .kiro/specs/auth-v2; pass --spec', specs.map((s) => s.id));
  });

  it('takes the longest name over the names inside it (auth-v2 over auth)', () => {
    assert.equal(resolveSpec(specs, undefined, 'feat/auth-v2-tokens')?.id, '.kiro/specs/auth-v2');
    assert.equal(resolveSpec(specs, undefined, 'feat/auth-tokens')?.id, '.kiro/specs/auth');
  });

  it('refuses a branch that names two unrelated specs, naming them', () => {
    refused('auth-cache-split', 'no spec given, and the branch name auth-cache-split names 2 specs: .kiro/specs/cache, .kiro/specs/auth; pass --spec', ['.kiro/specs/cache', '.kiro/specs/auth']);
  });
});
