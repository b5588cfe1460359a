// Route folders of file-system routers (`app/blog/[slug]/`, `app/(shop)/`) in scope: a path a
// spec names covers that file only; a front matter glob covers what it matches as a glob
// and also its route folders read literally.
import { strict as assert } from 'node:assert';
import type { Spec, SpecFormat } from '../../src/core/model';
import { compileScope, compileTaskIndex } from '../../src/core/scope';
import { parseSpec } from '../../src/core/spec/parse';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

function spec(format: SpecFormat, id: string, files: Record<string, string>): Spec {
  const paths = Object.keys(files).map((rel) => (format === 'plain' ? id : `${id}/${rel}`));
  return parseSpec({ id, format, name: 'blog', files: paths }, Object.entries(files).map(([rel, text]) => ({ path: format === 'plain' ? id : `${id}/${rel}`, text })));
}

const classes = (s: Spec, paths: string[]): [string, string][] => {
  const scope = compileScope(s);
  return paths.map((p) => [p, scope.classify(p)]);
};

describe('route folders in scope', () => {
  it('puts the file a task names in app/blog/[slug]/ in scope, and not the files its glob reading would match', () => {
    const s = spec('kiro', '.kiro/specs/blog', {
      'tasks.md': lines('- [ ] 1. Render a post in `app/blog/[slug]/page.tsx`', '- [ ] 2. Shop layout in `app/(shop)/layout.tsx`'),
      'design.md': lines('# Design', '', 'Marketing pages live in `app/(marketing)/`.', '', '## Non-Goals', '', '- `app/(marketing)/legacy/`'),
    });
    assert.deepEqual(s.scope.include, ['app/blog/\\[slug\\]/page.tsx', 'app/\\(shop\\)/layout.tsx', 'app/\\(marketing\\)/**']);
    assert.deepEqual(s.scope.exclude, ['app/\\(marketing\\)/legacy/**']);
    assert.deepEqual(
      classes(s, ['app/blog/[slug]/page.tsx', 'app/blog/s/page.tsx', 'app/blog/[slug]/other.tsx', 'app/(shop)/layout.tsx', 'app/shop/layout.tsx', 'app/(marketing)/about/page.tsx', 'app/marketing/about/page.tsx', 'app/(marketing)/legacy/old.tsx']),
      [
        ['app/blog/[slug]/page.tsx', 'in-scope'],
        ['app/blog/s/page.tsx', 'out-of-scope'],
        ['app/blog/[slug]/other.tsx', 'out-of-scope'],
        ['app/(shop)/layout.tsx', 'in-scope'],
        ['app/shop/layout.tsx', 'out-of-scope'],
        ['app/(marketing)/about/page.tsx', 'in-scope'],
        ['app/marketing/about/page.tsx', 'out-of-scope'],
        ['app/(marketing)/legacy/old.tsx', 'excluded'],
      ],
    );
    const idx = compileTaskIndex(s.tasks);
    assert.deepEqual(['app/blog/[slug]/page.tsx', 'app/blog/s/page.tsx', 'app/(shop)/layout.tsx'].map((p) => idx.tasksFor(p)), [['1'], [], ['2']]);
  });

  it('reads a front matter glob as written and with its brackets and parentheses as the folder names', () => {
    const s = spec('plain', 'docs/specs/blog.md', {
      x: lines('---', 'scope:', '  - app/[slug]/page.tsx', '  - app/(shop)/**', '  - web/(auth)', 'out_of_scope:', '  - app/(shop)/legacy/**', '---', '# Blog'),
    });
    assert.deepEqual(s.problems, []);
    assert.deepEqual(
      classes(s, ['app/[slug]/page.tsx', 'app/s/page.tsx', 'app/x/page.tsx', 'app/(shop)/cart/page.tsx', 'app/shop/cart/page.tsx', 'web/(auth)/login/page.tsx', 'app/(shop)/legacy/a.tsx', 'app/shop/legacy/a.tsx']),
      [
        ['app/[slug]/page.tsx', 'in-scope'],
        ['app/s/page.tsx', 'in-scope'],
        ['app/x/page.tsx', 'out-of-scope'],
        ['app/(shop)/cart/page.tsx', 'in-scope'],
        ['app/shop/cart/page.tsx', 'in-scope'],
        ['web/(auth)/login/page.tsx', 'in-scope'],
        ['app/(shop)/legacy/a.tsx', 'excluded'],
        ['app/shop/legacy/a.tsx', 'excluded'],
      ],
    );
  });

  it('reads route folders and files in a spec-kit plan tree as names; other brackets stay placeholders', () => {
    const plan = lines(
      '## Project Structure',
      '```text',
      'specs/[###-feature]/',
      '└── plan.md',
      'app/',
      '├── (marketing)/',
      '│   └── page.tsx',
      '├── blog/',
      '│   └── [slug]/',
      '│       └── page.tsx',
      '└── [...rest].tsx',
      '```',
    );
    const s = spec('speckit', 'specs/001-blog', { 'plan.md': plan });
    assert.deepEqual(s.scope.include, ['app/\\(marketing\\)/page.tsx', 'app/blog/\\[slug\\]/page.tsx', 'app/\\[...rest\\].tsx']);
    assert.deepEqual(classes(s, ['app/(marketing)/page.tsx', 'app/page.tsx', 'app/blog/[slug]/page.tsx', 'app/blog/s/page.tsx', 'specs/[###-feature]/plan.md']), [
      ['app/(marketing)/page.tsx', 'in-scope'],
      ['app/page.tsx', 'out-of-scope'],
      ['app/blog/[slug]/page.tsx', 'in-scope'],
      ['app/blog/s/page.tsx', 'out-of-scope'],
      ['specs/[###-feature]/plan.md', 'out-of-scope'],
    ]);
  });

  it('puts a spec-kit task line\'s bare route path in scope, that file only', () => {
    const s = spec('speckit', 'specs/001-blog', { 'tasks.md': lines('- [ ] T001 [US1] Post page in src/routes/[id]/+page.svelte') });
    assert.deepEqual(classes(s, ['src/routes/[id]/+page.svelte', 'src/routes/i/+page.svelte']), [
      ['src/routes/[id]/+page.svelte', 'in-scope'],
      ['src/routes/i/+page.svelte', 'out-of-scope'],
    ]);
  });
});
