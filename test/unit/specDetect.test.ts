// detectSpecs (which files form which spec, from a file list) and resolveSpec (which spec
// a command works on).
import { strict as assert } from 'node:assert';
import { UsageError } from '../../src/core/model';
import { detectSpecs, naturalOrder, nearMissSpecs } from '../../src/core/spec/detect';
import { nearMissText } from '../../src/node/specs';
import { resolveSpec } from '../../src/core/spec/resolve';

describe('detectSpecs', () => {
  const paths = [
    '.kiro/specs/billing-retry/requirements.md',
    '.kiro/specs/billing-retry/tasks.md',
    '.kiro/specs/billing-retry/.config.kiro',
    '.kiro/specs/billing-retry/notes/extra.md',
    '.kiro/steering/product.md',
    'specs/001-export-csv/spec.md',
    'specs/001-export-csv/plan.md',
    'specs/001-export-csv/checklists/requirements.md',
    'specs/002-no-spec-files/data-model.md',
    'specs/readme.md',
    '.specify/specs/feature/002-v1.1.0-enhancements/tasks.md',
    'openspec/changes/add-rate-limit/proposal.md',
    'openspec/changes/add-rate-limit/specs/api/spec.md',
    'openspec/changes/archive/2025-01-13-add-list/tasks.md',
    'openspec/specs/api/spec.md',
    'docs/specs/cache.md',
    'docs/guide.md',
    'src/index.ts',
  ];

  it('groups each layout folder with all its files, and takes plain specs the callback accepts', () => {
    const seen: string[] = [];
    const found = detectSpecs(paths, (p) => {
      seen.push(p);
      return p === 'docs/specs/cache.md';
    });
    assert.deepEqual(found, [
      {
        id: '.kiro/specs/billing-retry',
        format: 'kiro',
        name: 'billing-retry',
        files: ['.kiro/specs/billing-retry/.config.kiro', '.kiro/specs/billing-retry/notes/extra.md', '.kiro/specs/billing-retry/requirements.md', '.kiro/specs/billing-retry/tasks.md'],
      },
      { id: '.specify/specs/feature/002-v1.1.0-enhancements', format: 'speckit', name: '002-v1.1.0-enhancements', files: ['.specify/specs/feature/002-v1.1.0-enhancements/tasks.md'] },
      { id: 'docs/specs/cache.md', format: 'plain', name: 'cache', files: ['docs/specs/cache.md'] },
      { id: 'openspec/changes/add-rate-limit', format: 'openspec', name: 'add-rate-limit', files: ['openspec/changes/add-rate-limit/proposal.md', 'openspec/changes/add-rate-limit/specs/api/spec.md'] },
      { id: 'openspec/changes/archive/2025-01-13-add-list', format: 'openspec', name: '2025-01-13-add-list', files: ['openspec/changes/archive/2025-01-13-add-list/tasks.md'] },
      { id: 'specs/001-export-csv', format: 'speckit', name: '001-export-csv', files: ['specs/001-export-csv/checklists/requirements.md', 'specs/001-export-csv/plan.md', 'specs/001-export-csv/spec.md'] },
    ]);
    assert.ok(!seen.some((p) => p.startsWith('.kiro/specs/') || p.startsWith('openspec/changes/add')), 'files of layout specs are not asked about');
    assert.ok(!seen.includes('src/index.ts'), 'only markdown files are asked about');
  });

  it('never finds a spec in SpecGate\'s records (a bundle\'s spec/ copy, approvals), in any layout', () => {
    const records = ['.specgate/reviews/', '.specgate/approvals/'].flatMap((dir) => [
      `${dir}cache-20260102-030405-0123abcd/spec/cache.md`,
      `${dir}billing-20260102-030405-0123abcd/spec/tasks.md`,
      `${dir}x/.kiro/specs/billing-retry/tasks.md`,
      `${dir}x/specs/003-copy/spec.md`,
      `${dir}x/.specify/specs/004-copy/plan.md`,
      `${dir}x/openspec/changes/copy/proposal.md`,
    ]);
    const asked: string[] = [];
    const found = detectSpecs([...records, 'docs/specs/cache.md', '.specgate/config.md'], (p) => {
      asked.push(p);
      return true;
    });
    assert.deepEqual(found.map((c) => [c.id, c.files]), [
      ['.specgate/config.md', ['.specgate/config.md']],
      ['docs/specs/cache.md', ['docs/specs/cache.md']],
    ]);
    assert.deepEqual(asked, ['docs/specs/cache.md', '.specgate/config.md']);
  });

  it('finds no plain specs without the callback, and nothing in an empty list', () => {
    assert.ok(!detectSpecs(paths).some((c) => c.format === 'plain'));
    assert.deepEqual(detectSpecs([]), []);
  });
});

describe('naturalOrder', () => {
  it('lists ids ignoring case and numbers by value; ids equal but for case or zeros by their bytes', () => {
    const ids = ['specs/0032-four', '.kiro/specs/billing-retry', 'specs/004-cache', '.kiro/specs/Billing-Retry', 'specs/003-billing', '.kiro/specs/auth-sso', 'specs/031-x', 'specs/10-ten', 'specs/9-nine'];
    assert.deepEqual([...ids].sort(naturalOrder), [
      '.kiro/specs/auth-sso',
      '.kiro/specs/Billing-Retry',
      '.kiro/specs/billing-retry',
      'specs/003-billing',
      'specs/004-cache',
      'specs/9-nine',
      'specs/10-ten',
      'specs/031-x',
      'specs/0032-four',
    ]);
  });
});

describe('nearMissSpecs', () => {
  it('names folders laid out almost as a layout, with where SpecGate would read them (the folder to rename to, where one is)', () => {
    assert.deepEqual(
      nearMissSpecs([
        'specs/feature-x/spec.md',
        'specs/feature-x/tasks.md',
        '.specify/specs/login/plan.md',
        '.kiro/spec/login/requirements.md',
        'kiro/specs/pay/tasks.md',
        '.kiro/specs/tasks.md',
        'openspec/add-x/proposal.md',
        'openspec/changes/tasks.md',
      ]),
      [
        { folder: '.kiro/spec/login/', hint: 'Kiro specs are read from .kiro/specs/login/', readAs: '.kiro/specs/login/' },
        { folder: '.kiro/specs/', hint: 'each Kiro spec is a folder of its own: .kiro/specs/<name>/requirements.md' },
        { folder: '.specify/specs/login/', hint: 'spec-kit folders are numbered, so SpecGate reads .specify/specs/001-login/', readAs: '.specify/specs/001-login/' },
        { folder: 'kiro/specs/pay/', hint: 'Kiro specs are read from .kiro/specs/pay/', readAs: '.kiro/specs/pay/' },
        { folder: 'openspec/add-x/', hint: 'OpenSpec changes are read from openspec/changes/add-x/', readAs: 'openspec/changes/add-x/' },
        { folder: 'openspec/changes/', hint: 'each OpenSpec change is a folder of its own: openspec/changes/<id>/proposal.md' },
        { folder: 'specs/feature-x/', hint: 'spec-kit folders are numbered, so SpecGate reads specs/001-feature-x/', readAs: 'specs/001-feature-x/' },
      ],
    );
  });

  it('says up to three in one clause, then how many more (one folder, or several)', () => {
    const folders = (n: number) => nearMissSpecs(Array.from({ length: n }, (_, i) => `specs/f${i}/spec.md`));
    assert.equal(
      nearMissText(folders(1)),
      'specs/f0/ looks like a spec, but spec-kit folders are numbered, so SpecGate reads specs/001-f0/',
    );
    assert.match(nearMissText(folders(4)), /reads specs\/003-f2\/; and 1 more such folder$/);
    assert.match(nearMissText(folders(5)), /reads specs\/003-f2\/; and 2 more such folders$/);
  });

  it('a folder numbered other than spec-kit numbers (two digits, an underscore) keeps its number, in three digits and a dash; one with no name after its number says so', () => {
    assert.deepEqual(nearMissSpecs(['specs/31-short/spec.md', 'specs/033_underscore/spec.md', 'specs/030-/spec.md', 'specs/2fa-login/spec.md']), [
      { folder: 'specs/030-/', hint: 'a spec-kit folder has a name after its number: specs/030-<name>/' },
      { folder: 'specs/033_underscore/', hint: 'spec-kit folders start with a three-digit number and a dash, so SpecGate reads specs/033-underscore/', readAs: 'specs/033-underscore/' },
      { folder: 'specs/2fa-login/', hint: 'spec-kit folders are numbered, so SpecGate reads specs/001-2fa-login/', readAs: 'specs/001-2fa-login/' },
      { folder: 'specs/31-short/', hint: 'spec-kit folders start with a three-digit number and a dash, so SpecGate reads specs/031-short/', readAs: 'specs/031-short/' },
    ]);
  });

  it('a Kiro, spec-kit or OpenSpec folder inside a package is named, with why it is not read', () => {
    const why = (pkg: string) => `Kiro, spec-kit and OpenSpec folders are read from the repository's root, not from ${pkg}/ (a spec of a package can be a markdown file with scope: front matter)`;
    assert.deepEqual(nearMissSpecs(['packages/ui/.kiro/specs/auth/tasks.md', 'packages/ui/specs/001-auth/spec.md', 'packages/sdk/openspec/changes/add-x/proposal.md', 'specs/001-a/spec.md', '.kiro/specs/x/tasks.md']), [
      { folder: 'packages/sdk/openspec/changes/add-x/', hint: why('packages/sdk') },
      { folder: 'packages/ui/.kiro/specs/auth/', hint: why('packages/ui') },
      { folder: 'packages/ui/specs/001-auth/', hint: why('packages/ui') },
    ]);
  });

  it('numbers a spec-kit folder one past the highest number beside it, and several in path order', () => {
    assert.deepEqual(
      nearMissSpecs(['specs/007-login/spec.md', 'specs/012-pay/tasks.md', 'specs/zeta/spec.md', 'specs/alpha/plan.md', '.specify/specs/beta/spec.md', 'specs/1234-big/spec.md'].reverse()).map((n) => n.readAs),
      ['.specify/specs/001-beta/', 'specs/1235-alpha/', 'specs/1236-zeta/'],
    );
  });

  it('names nothing for the layouts as they are read, OpenSpec\'s own specs, other markdown, or the records', () => {
    assert.deepEqual(
      nearMissSpecs([
        '.kiro/specs/login/requirements.md',
        'specs/001-login/spec.md',
        '.specify/specs/002-pay/tasks.md',
        'openspec/changes/add-x/proposal.md',
        'openspec/specs/auth/spec.md',
        'docs/specs/readme.md',
        'specs/login.spec.ts',
        '.specgate/reviews/b-1/spec/specs/feature-x/spec.md',
      ]),
      [],
    );
  });
});

describe('resolveSpec', () => {
  const specs = [
    { id: '.kiro/specs/billing-retry', name: 'billing-retry' },
    { id: 'specs/001-export-csv', name: '001-export-csv' },
    { id: 'openspec/changes/archive/2025-01-13-add-list', name: '2025-01-13-add-list' },
    { id: 'docs/specs/billing-retry', name: 'billing-retry' },
  ];
  const usage = (fn: () => unknown, message: string): void =>
    assert.throws(fn, (e: unknown) => e instanceof UsageError && e.message === message);

  it('takes --spec as an id (./ and a trailing slash allowed) or a unique folder name', () => {
    assert.equal(resolveSpec(specs, '.kiro/specs/billing-retry/', undefined), specs[0]);
    assert.equal(resolveSpec(specs, './specs/001-export-csv', undefined), specs[1]);
    assert.equal(resolveSpec(specs, '001-export-csv', undefined), specs[1]);
    assert.equal(resolveSpec(specs, '2025-01-13-add-list', undefined), specs[2]);
  });

  it('refuses an ambiguous or unknown --spec, listing the candidates', () => {
    usage(() => resolveSpec(specs, 'billing-retry', undefined), '--spec billing-retry matches 2 specs: .kiro/specs/billing-retry, docs/specs/billing-retry; pass the full id');
    usage(() => resolveSpec(specs, 'nope', undefined), 'no spec nope; specs found: .kiro/specs/billing-retry, specs/001-export-csv, openspec/changes/archive/2025-01-13-add-list, docs/specs/billing-retry');
  });

  it('without --spec takes the only spec (archived OpenSpec changes do not count)', () => {
    assert.equal(resolveSpec([specs[1], specs[2]], undefined, undefined), specs[1]);
    assert.equal(resolveSpec([specs[2]], undefined, undefined), specs[2]);
  });

  it('without --spec takes the spec whose folder name the branch contains (the longest when several do)', () => {
    assert.equal(resolveSpec(specs.slice(0, 2), undefined, 'feature/001-export-csv-v2'), specs[1]);
    const nested = [{ id: 'a', name: 'auth' }, { id: 'b', name: 'auth-v2' }];
    assert.equal(resolveSpec(nested, undefined, 'feat/auth-v2'), nested[1]);
  });

  it('otherwise refuses with the candidates, and says so when there is no spec', () => {
    usage(() => resolveSpec(specs.slice(0, 2), undefined, 'main'), 'no spec given and 2 specs found: .kiro/specs/billing-retry, specs/001-export-csv; pass --spec');
    usage(() => resolveSpec(specs, undefined, 'feature/billing-retry'), 'no spec given, and the branch name feature/billing-retry names 2 specs: .kiro/specs/billing-retry, docs/specs/billing-retry; pass --spec');
    usage(
      () => resolveSpec([], undefined, undefined),
      'no spec found in this repository (SpecGate reads .kiro/specs/<name>/, specs/NNN-name/ (or .specify/specs/NNN-name/), openspec/changes/<id>/ or a markdown file with `scope:` front matter); write one there, or make one with SpecGate: New Spec in VS Code',
    );
  });
});
