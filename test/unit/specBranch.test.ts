// Which spec a branch name picks when several specs are there and no --spec is given: a
// spec's folder name must stand in the branch as a whole part of it, and a branch that names
// two unrelated specs picks neither.
import { strict as assert } from 'node:assert';
import { NoSpecChosen } from '../../src/core/model';
import { resolveSpec, specOfFolder } from '../../src/core/spec/resolve';

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

  describe('with spec-kit folders among other layouts (a monorepo)', () => {
    const mono = [
      { id: '.kiro/specs/cache', name: 'cache' },
      { id: '.kiro/specs/payments', name: 'payments' },
      { id: 'specs/003-billing', name: '003-billing' },
      { id: 'specs/012-billing', name: '012-billing' },
      { id: 'specs/015-cache', name: '015-cache' },
      { id: 'specs/017-payments-refunds', name: '017-payments-refunds' },
      { id: 'specs/025-cache-v2', name: '025-cache-v2' },
      { id: 'specs/028-users-v2', name: '028-users-v2' },
      { id: '.kiro/specs/2024-plan', name: '2024-plan' },
    ];
    const pick = (branch: string) => resolveSpec(mono, undefined, branch).id;

    it('a spec-kit folder is named by its name without the number too, and the longer name wins over one inside it', () => {
      assert.equal(pick('feature/cache-v2'), 'specs/025-cache-v2');
      assert.equal(pick('feature/payments-refunds'), 'specs/017-payments-refunds');
      assert.equal(pick('users-v2'), 'specs/028-users-v2');
      assert.equal(pick('012-billing'), 'specs/012-billing');
      assert.equal(pick('feature/012-billing'), 'specs/012-billing');
    });

    it('a branch part that starts with a spec-kit number names that folder, as spec-kit\'s scripts find it', () => {
      assert.equal(pick('012-fix-rounding'), 'specs/012-billing');
      assert.equal(pick('feature/028'), 'specs/028-users-v2');
    });

    it('two specs of one name in different layouts: neither, both named', () => {
      assert.throws(() => pick('feature/cache'), (e: unknown) => e instanceof NoSpecChosen && e.message === 'no spec given, and the branch name feature/cache names 2 specs: .kiro/specs/cache, specs/015-cache; pass --spec');
      assert.throws(() => pick('feature/billing'), (e: unknown) => e instanceof NoSpecChosen && e.message === 'no spec given, and the branch name feature/billing names 2 specs: specs/003-billing, specs/012-billing; pass --spec');
      // A number and an unrelated name: none of them.
      assert.throws(() => pick('012-cache'), (e: unknown) => e instanceof NoSpecChosen && /names 3 specs: \.kiro\/specs\/cache, specs\/012-billing, specs\/015-cache;/.test(e.message));
    });

    it('only a spec-kit folder drops its number: a Kiro folder named 2024-plan is not named by "plan"', () => {
      assert.throws(() => pick('feature/plan'), NoSpecChosen);
    });

    it('--spec takes a spec-kit number, a name without the number, or a name in another case, when one spec answers; several are named', () => {
      const arg = (a: string) => resolveSpec(mono, a, undefined).id;
      assert.equal(arg('012'), 'specs/012-billing');
      assert.equal(arg('cache-v2'), 'specs/025-cache-v2');
      assert.equal(arg('PAYMENTS'), '.kiro/specs/payments');
      assert.equal(arg('Specs/015-Cache'), 'specs/015-cache');
      assert.equal(arg('cache'), '.kiro/specs/cache', 'a name as written comes first');
      assert.throws(() => arg('billing'), { message: '--spec billing matches 2 specs: specs/003-billing, specs/012-billing; pass the full id' });
    });

    it('a long list of specs is cut after eight ids, with how many more; archived changes are counted apart', () => {
      const many = Array.from({ length: 40 }, (_, i) => ({ id: `specs/${String(i + 1).padStart(3, '0')}-f${i + 1}`, name: `${String(i + 1).padStart(3, '0')}-f${i + 1}` }));
      const withArchive = [...many, { id: 'openspec/changes/archive/2025-01-01-old', name: '2025-01-01-old' }, { id: 'openspec/changes/archive/2025-02-01-older', name: '2025-02-01-older' }];
      assert.throws(
        () => resolveSpec(withArchive, undefined, 'main'),
        (e: unknown) =>
          e instanceof NoSpecChosen &&
          e.message ===
            'no spec given and 40 specs found (and 2 archived changes, chosen only by name): specs/001-f1, specs/002-f2, specs/003-f3, specs/004-f4, specs/005-f5, specs/006-f6, specs/007-f7, specs/008-f8 and 32 more (specgate specs lists them); pass --spec' &&
          e.candidates.length === 40,
      );
      assert.throws(() => resolveSpec(many, 'nope', undefined), { message: 'no spec nope; specs found: specs/001-f1, specs/002-f2, specs/003-f3, specs/004-f4, specs/005-f5, specs/006-f6, specs/007-f7, specs/008-f8 and 32 more (specgate specs lists them)' });
    });
  });
});

describe('resolveSpec: the folder the command runs in', () => {
  const specs = [
    { id: '.kiro/specs/auth', name: 'auth' },
    { id: 'specs/012-billing', name: '012-billing' },
    { id: 'openspec/changes/archive/2025-01-01-old', name: '2025-01-01-old' },
    { id: 'packages/ui/SPEC.md', name: 'SPEC' },
    { id: 'docs/specs/a.md', name: 'a' },
    { id: 'docs/specs/b.md', name: 'b' },
    { id: 'SPEC.md', name: 'SPEC' },
  ];
  const at = (here: string | undefined, branch?: string) => resolveSpec(specs, undefined, branch, here).id;

  it('a spec folder, or any folder inside it, picks that spec (an archived change too)', () => {
    assert.equal(at('.kiro/specs/auth'), '.kiro/specs/auth');
    assert.equal(at('specs/012-billing/contracts'), 'specs/012-billing');
    assert.equal(at('openspec/changes/archive/2025-01-01-old'), 'openspec/changes/archive/2025-01-01-old');
  });

  it('a one-file spec is picked from its folder and below, unless that folder holds several', () => {
    assert.equal(at('packages/ui'), 'packages/ui/SPEC.md');
    assert.equal(at('packages/ui/src/button'), 'packages/ui/SPEC.md');
    assert.equal(specOfFolder(specs, 'docs/specs'), undefined);
    assert.equal(specOfFolder(specs, 'docs/specs/drafts'), undefined);
  });

  it('the root, a folder of no spec, and a name that only starts like a spec folder pick none', () => {
    for (const here of [undefined, '', 'src', '.kiro/specs', '.kiro/specs/auth-v2', 'packages', 'specs/012-billing2']) {
      assert.equal(specOfFolder(specs, here), undefined, String(here));
    }
    // …so the branch decides, as without a folder.
    assert.equal(at('src', 'feature/auth'), '.kiro/specs/auth');
  });

  it('a branch that names the same spec agrees; one that names another is refused, naming both', () => {
    assert.equal(at('.kiro/specs/auth', 'feature/auth'), '.kiro/specs/auth');
    assert.throws(
      () => at('.kiro/specs/auth', '012-fix'),
      (e: unknown) =>
        e instanceof NoSpecChosen &&
        e.message === 'no spec given; the current folder is in .kiro/specs/auth, but the branch name 012-fix names specs/012-billing; pass --spec' &&
        JSON.stringify(e.candidates) === JSON.stringify(['.kiro/specs/auth', 'specs/012-billing']),
    );
    // From an archived change's folder, with one active spec the branch names: not chosen silently.
    const one = [{ id: 'openspec/changes/add-x', name: 'add-x' }, { id: 'openspec/changes/archive/2025-01-01-old', name: '2025-01-01-old' }];
    assert.throws(() => resolveSpec(one, undefined, 'feature/add-x', 'openspec/changes/archive/2025-01-01-old'), (e: unknown) => e instanceof NoSpecChosen);
    assert.equal(resolveSpec(one, undefined, undefined, 'openspec/changes/archive/2025-01-01-old').id, 'openspec/changes/archive/2025-01-01-old');
    // --spec outranks the folder.
    assert.equal(resolveSpec(specs, 'auth', undefined, 'specs/012-billing').id, '.kiro/specs/auth');
  });
});
