import { strict as assert } from 'node:assert';
import { structuredPatch } from 'diff';
import { parse as parseYaml } from 'yaml';
import { codeSpan } from '../../src/core/render/plainTitle';
import { addToScopeEdit, linkRefusal, linkToTaskEdit, revertHunkEdit, type TextEditLike } from '../../src/core/edits';
import { UsageError, type Hunk } from '../../src/core/model';
import { compileGlobs, compileScope, compileTaskIndex } from '../../src/core/scope';
import type { SpecCandidate } from '../../src/core/spec/detect';
import { parseSpec } from '../../src/core/spec/parse';

const joinLines = (...lines: string[]): string => lines.join('\n');

/** Applies edits the way VS Code does (positions over the original text). */
function apply(text: string, edits: TextEditLike[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (line: number, char: number): number => {
    assert.ok(line < starts.length, `line ${line} exists`);
    const lineEnd = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    assert.ok(starts[line] + char <= lineEnd, `char ${char} fits line ${line}`);
    return starts[line] + char;
  };
  const sorted = [...edits].sort((a, b) => b.startLine - a.startLine || b.startChar - a.startChar);
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.startLine, e.startChar)) + e.newText + out.slice(offset(e.endLine, e.endChar));
  return out;
}

function frontMatter(text: string): unknown {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  assert.ok(m, 'has front matter');
  return parseYaml(m[1]);
}

/** jsdiff hunks converted to git's -U0 convention (a zero count means "after that line"). */
function gitHunks(a: string, b: string): Hunk[] {
  return structuredPatch('a', 'b', a, b, '', '', { context: 0 }).hunks.map((h) => ({
    oldStart: h.oldLines === 0 ? h.oldStart - 1 : h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newLines === 0 ? h.newStart - 1 : h.newStart,
    newLines: h.newLines,
  }));
}

describe('addToScopeEdit', () => {
  it('appends to a block scope list in front matter, keeping its indentation', () => {
    const text = joinLines('---', 'title: Retry', 'scope:', '    - src/billing/**', 'protected: []', '---', '# Spec', '');
    const out = apply(text, addToScopeEdit(text, 'src/auth/session.ts'));
    assert.equal(out, joinLines('---', 'title: Retry', 'scope:', '    - src/billing/**', '    - src/auth/session.ts', 'protected: []', '---', '# Spec', ''));
    assert.deepEqual(frontMatter(out), { title: 'Retry', scope: ['src/billing/**', 'src/auth/session.ts'], protected: [] });
  });

  it('appends to a flow scope list', () => {
    const text = joinLines('---', 'scope: [src/a.ts, "src/b/**"]  # mine', '---', 'body');
    const out = apply(text, addToScopeEdit(text, 'src/c.ts'));
    assert.equal(out, joinLines('---', 'scope: [src/a.ts, "src/b/**", src/c.ts]  # mine', '---', 'body'));
  });

  it('fills an empty flow list', () => {
    const text = joinLines('---', 'scope: []', '---', '');
    assert.deepEqual(frontMatter(apply(text, addToScopeEdit(text, 'x.ts'))), { scope: ['x.ts'] });
  });

  it('adds a scope key to front matter that has none', () => {
    const text = joinLines('---', 'name: cache', '---', '# Cache', '');
    const out = apply(text, addToScopeEdit(text, 'src/cache.ts'));
    assert.equal(out, joinLines('---', 'name: cache', 'scope:', '  - src/cache.ts', '---', '# Cache', ''));
  });

  it('turns a scalar scope into a list', () => {
    const text = joinLines('---', 'scope: src/a/**', 'other: 1', '---', '');
    assert.deepEqual(frontMatter(apply(text, addToScopeEdit(text, 'src/b.ts'))), { scope: ['src/a/**', 'src/b.ts'], other: 1 });
  });

  it('appends a backticked item to an existing Scope section', () => {
    const text = joinLines('# Design', '', '## Scope', '', '* `src/billing/**`', '* `src/retry.ts`', '', '## Out of Scope', '', '- `src/legacy/**`', '');
    const out = apply(text, addToScopeEdit(text, 'src/auth/session.ts'));
    assert.equal(
      out,
      joinLines('# Design', '', '## Scope', '', '* `src/billing/**`', '* `src/retry.ts`', '* `src/auth/session.ts`', '', '## Out of Scope', '', '- `src/legacy/**`', ''),
    );
  });

  it('starts a list in a Scope section that has only prose, at the end of the file', () => {
    const text = joinLines('# Plan', '## Scope', 'Billing only.');
    const out = apply(text, addToScopeEdit(text, 'src/a.ts'));
    assert.equal(out, joinLines('# Plan', '## Scope', 'Billing only.', '', '- `src/a.ts`', ''));
  });

  it('ignores a Scope heading inside a code fence and creates front matter', () => {
    const text = joinLines('# Spec', '```md', '## Scope', '- `x`', '```', '');
    const out = apply(text, addToScopeEdit(text, 'src/new file.ts'));
    assert.ok(out.endsWith(text));
    assert.deepEqual(frontMatter(out), { scope: ['src/new file.ts'] });
  });

  it('creates front matter when the file has neither', () => {
    const text = joinLines('# Requirements', '', '### Requirement 1', '');
    const out = apply(text, addToScopeEdit(text, 'src/auth/session.ts'));
    assert.equal(out, joinLines('---', 'scope:', '  - src/auth/session.ts', '---', '# Requirements', '', '### Requirement 1', ''));
  });

  it('keeps CRLF line endings', () => {
    const text = '---\r\nscope:\r\n  - a.ts\r\n---\r\nbody\r\n';
    assert.equal(apply(text, addToScopeEdit(text, 'b.ts')), '---\r\nscope:\r\n  - a.ts\r\n  - b.ts\r\n---\r\nbody\r\n');
  });

  it('does nothing when the path is already listed', () => {
    assert.deepEqual(addToScopeEdit(joinLines('---', 'scope:', '  - src/a.ts', '---'), 'src/a.ts'), []);
    assert.deepEqual(addToScopeEdit(joinLines('## Scope', '- `src/a.ts`'), 'src/a.ts'), []);
  });

  it('does nothing when a path that needs quoting is already listed (Add to scope twice adds it once)', () => {
    for (const p of ['src/my file "quoted".ts', 'src/caf\u00e9 a.ts', "src/it's.ts"]) {
      const once = apply(joinLines('---', 'scope:', '  - src/a.ts', '---', ''), addToScopeEdit(joinLines('---', 'scope:', '  - src/a.ts', '---', ''), p));
      assert.deepEqual((frontMatter(once) as { scope: string[] }).scope, ['src/a.ts', p]);
      assert.deepEqual(addToScopeEdit(once, p), [], `${p} listed once: ${once}`);
    }
  });

  it('writes a path with brackets or parentheses escaped into front matter, so the scope engine matches that file alone', () => {
    const text = joinLines('---', 'scope: []', '---', '');
    const out = apply(text, addToScopeEdit(text, 'app/[id]/page.tsx'));
    assert.equal(out, joinLines('---', "scope: ['app/\\[id\\]/page.tsx']", '---', ''));
    const scope = (frontMatter(out) as { scope: string[] }).scope;
    assert.deepEqual(scope, ['app/\\[id\\]/page.tsx']);
    assert.deepEqual(['app/[id]/page.tsx', 'app/i/page.tsx'].map((p) => compileGlobs(scope).test(p)), [true, false]);
    assert.deepEqual(addToScopeEdit(out, 'app/[id]/page.tsx'), [], 'added once');
    const block = joinLines('---', 'scope:', '  - src/a.ts', '---', '');
    const added = apply(block, addToScopeEdit(block, 'app/(auth)/login.tsx'));
    assert.equal(added, joinLines('---', 'scope:', '  - src/a.ts', "  - 'app/\\(auth\\)/login.tsx'", '---', ''));
    const spec = parseSpec({ id: 'docs/s.md', format: 'plain', name: 's', files: ['docs/s.md'] }, [{ path: 'docs/s.md', text: added }]);
    assert.deepEqual(spec.problems, []);
    assert.deepEqual(['app/(auth)/login.tsx', 'app/auth/login.tsx'].map((p) => compileScope(spec).classify(p)), ['in-scope', 'out-of-scope']);
    // A route path the user listed as a glob already covers the file: nothing is added.
    assert.deepEqual(addToScopeEdit(joinLines('---', 'scope:', '  - app/(auth)/login.tsx', '---', ''), 'app/(auth)/login.tsx'), []);
  });
});

describe('linkToTaskEdit', () => {
  const tasks = joinLines('# Tasks', '', '- [ ] 1. Add retry policy  ', '  - _Requirements: 1.1_', '- [x] 2. Wire it in', '');

  it('appends the backticked path to the task line, before trailing spaces', () => {
    const out = apply(tasks, linkToTaskEdit(tasks, 3, 'src/auth/session.ts'));
    assert.equal(out, joinLines('# Tasks', '', '- [ ] 1. Add retry policy `src/auth/session.ts`', '  - _Requirements: 1.1_', '- [x] 2. Wire it in', ''));
  });

  it('does nothing when the task already names the path or the line is missing', () => {
    const linked = apply(tasks, linkToTaskEdit(tasks, 5, 'src/a.ts'));
    assert.deepEqual(linkToTaskEdit(linked, 5, 'src/a.ts'), []);
    assert.deepEqual(linkToTaskEdit(tasks, 99, 'src/a.ts'), []);
    assert.deepEqual(linkToTaskEdit(tasks, 0, 'src/a.ts'), []);
  });

  it('names the path in a clause of its own on a line that ends saying what not to change or what to look at', () => {
    const t = joinLines('# Tasks', '', '- [ ] 1. Add retry; do not modify `src/legacy.ts`', '- [ ] 2. Port the client, see `src/old.ts` for reference', '');
    const once = apply(t, linkToTaskEdit(t, 3, 'src/a.ts'));
    const twice = apply(once, linkToTaskEdit(once, 4, 'src/b.ts'));
    assert.equal(twice, joinLines('# Tasks', '', '- [ ] 1. Add retry; do not modify `src/legacy.ts`; also `src/a.ts`', '- [ ] 2. Port the client, see `src/old.ts` for reference; also `src/b.ts`', ''));
    // The spec reads each back as its task's path.
    const s = parseSpec({ id: '.kiro/specs/s', format: 'kiro', name: 's', files: ['.kiro/specs/s/tasks.md'] }, [{ path: '.kiro/specs/s/tasks.md', text: twice }]);
    assert.deepEqual(s.tasks.map((x) => x.paths), [['src/a.ts'], ['src/b.ts']]);
  });

  it('uses a longer code span for a path holding a backtick', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`a'), '`` `a ``');
  });

  it('quotes a path with spaces and writes a top-level name under ./, the forms the spec reads as that path', () => {
    const out = (p: string) => apply(tasks, linkToTaskEdit(tasks, 5, p)).split('\n')[4];
    assert.equal(out('src/my file.ts'), '- [x] 2. Wire it in `"src/my file.ts"`');
    assert.equal(out('Makefile'), '- [x] 2. Wire it in `./Makefile`');
    assert.equal(out('-rf.ts'), '- [x] 2. Wire it in `./-rf.ts`');
    assert.equal(out('my file.ts'), '- [x] 2. Wire it in `"./my file.ts"`');
  });

  it('refuses a path with a line break in one line, edits nothing, and shows the break as \\u{a}', () => {
    for (const [p, shown] of [['src/a\nb.ts', 'src/a\\u{a}b.ts'], ['src/a\rb.ts', 'src/a\\u{d}b.ts'], ['src/a\u2028b.ts', 'src/a\\u{2028}b.ts']]) {
      assert.throws(
        () => linkToTaskEdit(tasks, 3, p),
        (e: Error) => e instanceof UsageError && e.message === `will not name ${shown} in a task: its name holds a line break, which would split the spec line`,
      );
    }
  });

  it('refuses a path the spec would not read back from a code span, naming the reason', () => {
    const cases: [string, string][] = [
      ['src/a`b.ts', 'cannot name src/a`b.ts in a task: its name holds a backtick, which ends the code span it would be written in; add it to the scope instead'],
      ['src/report(1).ts', 'cannot name src/report(1).ts in a task: the spec reads ( in a path only as part of a route segment such as (group), [id], [...slug] or [id=matcher]; add it to the scope instead'],
      ['src/a[0].ts', 'cannot name src/a[0].ts in a task: the spec reads [ in a path only as part of a route segment such as (group), [id], [...slug] or [id=matcher]; add it to the scope instead'],
      ['--output=x.ts', 'cannot name --output=x.ts in a task: the spec reads = in a path only as part of a route segment such as (group), [id], [...slug] or [id=matcher]; add it to the scope instead'],
      ['src/$x/a.ts', 'cannot name src/$x/a.ts in a task: the spec reads $ in a path only as a route parameter in a file name, such as $slug.tsx or blog.$slug.tsx; add it to the scope instead'],
      ['src/a,b.ts', 'cannot name src/a,b.ts in a task: the spec does not read a name holding , in a code span as a path; add it to the scope instead'],
      ['src/a\\b.ts', 'cannot name src/a\\b.ts in a task: the spec does not read a name holding \\ in a code span as a path'],
      ['src/caf\u202eevil.ts', 'will not name src/caf\\u{202e}evil.ts in a task: its name holds an invisible bidirectional-text control, which would hide in the spec'],
      ['src/*.ts', 'will not name src/*.ts in a task: its name holds * ? or {a,b}, which the spec reads as a pattern that matches other files too'],
    ];
    for (const [p, message] of cases) {
      assert.equal(linkRefusal(p), message, p);
      assert.throws(() => linkToTaskEdit(tasks, 3, p), (e: Error) => e instanceof UsageError && e.message === message);
    }
  });

  it('names a file in route folders (Next.js, SvelteKit, Nuxt) and a top-level name so the spec reads back that file alone', () => {
    const id = '.kiro/specs/x';
    const candidate: SpecCandidate = { id, format: 'kiro', name: 'x', files: [`${id}/tasks.md`] };
    const line = '- [ ] 1. Build the pages';
    // [path, the span written, a file the span must not cover (what the path means as a glob, or the name in another folder)]
    const cases: [string, string, string][] = [
      ['app/blog/[slug]/page.tsx', '`app/blog/[slug]/page.tsx`', 'app/blog/s/page.tsx'],
      ['app/(auth)/login/page.tsx', '`app/(auth)/login/page.tsx`', 'app/auth/login/page.tsx'],
      ['pages/[...slug].tsx', '`pages/[...slug].tsx`', 'pages/s.tsx'],
      ['app/[[...opt]]/page.tsx', '`app/[[...opt]]/page.tsx`', 'app/o/page.tsx'],
      ['app/shop/[product-id]/page.tsx', '`app/shop/[product-id]/page.tsx`', 'app/shop/p/page.tsx'],
      ['src/routes/[id]/+page.svelte', '`src/routes/[id]/+page.svelte`', 'src/routes/i/+page.svelte'],
      ['app/@modal/(.)photo/page.tsx', '`app/@modal/(.)photo/page.tsx`', 'app/@modal/.photo/page.tsx'],
      ['app/routes/($lang).about.tsx', '`app/routes/($lang).about.tsx`', 'app/routes/$lang.about.tsx'],
      ['[id].tsx', '`./[id].tsx`', 'pages/[id].tsx'],
      ['LICENSE', '`./LICENSE`', 'vendor/LICENSE'],
      ['CODEOWNERS', '`./CODEOWNERS`', 'docs/CODEOWNERS'],
      ['Makefile', '`./Makefile`', 'tools/Makefile'],
      ['Dockerfile', '`./Dockerfile`', 'services/api/Dockerfile'],
      ['Procfile', '`./Procfile`', 'a/Procfile'],
      ['Gemfile', '`./Gemfile`', 'a/Gemfile'],
      ['Jenkinsfile', '`./Jenkinsfile`', 'ci/Jenkinsfile'],
      ['package.json', '`./package.json`', 'packages/ui/package.json'],
    ];
    for (const [p, span, other] of cases) {
      assert.equal(linkRefusal(p), undefined, p);
      const text = apply(line, linkToTaskEdit(line, 1, p));
      assert.equal(text, `${line} ${span}`, p);
      const spec = parseSpec(candidate, [{ path: `${id}/tasks.md`, text }]);
      assert.deepEqual(spec.problems, [], p);
      const index = compileTaskIndex(spec.tasks);
      assert.deepEqual([index.tasksFor(p), index.tasksFor(other)], [['1'], []], `${p} is read back from ${text} as that file only`);
      const scope = compileScope(spec);
      assert.deepEqual([scope.classify(p), scope.classify(other)], ['in-scope', 'out-of-scope'], p);
    }
  });

  it('puts the path before a _Requirements clause on the task line, which keeps its references', () => {
    const id = '.kiro/specs/x';
    const candidate: SpecCandidate = { id, format: 'kiro', name: 'x', files: [`${id}/requirements.md`, `${id}/tasks.md`] };
    const req = { path: `${id}/requirements.md`, text: joinLines('# R', '', '### Requirement 1: A', '', '1. WHEN a THEN b', '2. WHEN c THEN d', '') };
    for (const line of ['- [ ] 1. Do it _Requirements: 1.1, 1.2_', '- [ ] 1. Do it _Requirements: 1.1, 1.2']) {
      const text = apply(line, linkToTaskEdit(line, 1, 'src/a.ts'));
      assert.equal(text, line.replace(' _Req', ' `src/a.ts` _Req'));
      const spec = parseSpec(candidate, [req, { path: `${id}/tasks.md`, text }]);
      assert.deepEqual(spec.tasks.map((t) => [t.requirements, t.paths]), [[['1.1', '1.2'], ['src/a.ts']]]);
      assert.deepEqual(spec.problems, []);
    }
  });

  it('refuses when an unclosed backtick earlier on the line would swallow the new span', () => {
    const odd = joinLines('- [ ] 1. Use `x here', '');
    assert.throws(() => linkToTaskEdit(odd, 1, 'src/a.ts'), /its line has an unclosed backtick; close it and try again$/);
  });
});

/** Path names git allows, each either written so the spec reads it back, or refused. */
const NASTY_PATHS = [
  'src/auth/session.ts', 'src/my file.ts', 'my file.ts', 'src/a b/c.ts', 'Makefile', 'LICENSE', 'package.json', '.env', '-rf.ts', 'src/-x.ts',
  '--output=x.ts', "src/it's.ts", 'src/a\"b.ts', 'src/a`b.ts', '``', 'src/a\nb.ts', 'src/a\rb.ts', 'src/a\u2028b.ts', 'src/x\ty.ts', 'src/caf\u202eevil.ts',
  'src/\u2066x.ts', 'app/[id]/page.tsx', 'app/(auth)/login.tsx', 'src/a,b.ts', 'src/{a,b}.ts', 'src/*.ts', '!x.ts', 'src/!x.ts', 'src/a\\b.ts', ' lead.ts',
  '~x.ts', 'c:x.ts', 'src/a#b.ts', 'src/caf\u00e9.ts', `src/${'d'.repeat(200)}/${'f'.repeat(250)}.ts`, 'docs/notes',
];

describe('written paths read back by the spec parser (every layout)', () => {
  const kiro = '.kiro/specs/cache';
  const layouts: { name: string; candidate: SpecCandidate; tasksFile: string; tasks: string; line: number; other: { path: string; text: string }[] }[] = [
    {
      name: 'Kiro',
      candidate: { id: kiro, format: 'kiro', name: 'cache', files: [`${kiro}/requirements.md`, `${kiro}/tasks.md`] },
      tasksFile: `${kiro}/tasks.md`,
      tasks: joinLines('# Tasks', '', '- [ ] 1. Add the cache', '  - _Requirements: 1.1_', '', '- [ ] 2. Other `src/keep.ts`', ''),
      line: 3,
      other: [{ path: `${kiro}/requirements.md`, text: joinLines('# Requirements', '', '### Requirement 1: Cache', '', '1. WHEN a THEN b', '') }],
    },
    {
      name: 'spec-kit',
      candidate: { id: 'specs/001-cache', format: 'speckit', name: '001-cache', files: ['specs/001-cache/spec.md', 'specs/001-cache/tasks.md'] },
      tasksFile: 'specs/001-cache/tasks.md',
      tasks: joinLines('# Tasks', '', '- [ ] T001 [P] Add the cache', '- [ ] T002 Other in src/keep.ts', ''),
      line: 3,
      other: [{ path: 'specs/001-cache/spec.md', text: joinLines('# Feature', '', '- **FR-001**: cache', '') }],
    },
    {
      name: 'OpenSpec',
      candidate: { id: 'openspec/changes/cache', format: 'openspec', name: 'cache', files: ['openspec/changes/cache/proposal.md', 'openspec/changes/cache/tasks.md'] },
      tasksFile: 'openspec/changes/cache/tasks.md',
      tasks: joinLines('## 1. Cache', '', '- [ ] 1.1 Add the cache', '- [ ] 1.2 Other `src/keep.ts`', ''),
      line: 3,
      other: [{ path: 'openspec/changes/cache/proposal.md', text: joinLines('# Proposal', '', '## Impact', '', '- `src/keep.ts`', '') }],
    },
    {
      name: 'plain',
      candidate: { id: 'docs/specs/cache.md', format: 'plain', name: 'cache', files: ['docs/specs/cache.md'] },
      tasksFile: 'docs/specs/cache.md',
      tasks: joinLines('---', 'scope: ["src/keep.ts"]', '---', '# Cache', '', '- [ ] 1. Add the cache', ''),
      line: 6,
      other: [],
    },
  ];

  for (const l of layouts) {
    it(`${l.name}: Link to task names the path so the task covers it, on the same line, or refuses in one line`, () => {
      const before = parseSpec(l.candidate, [{ path: l.tasksFile, text: l.tasks }, ...l.other]);
      const task = before.tasks.find((t) => t.range.startLine === l.line)!;
      assert.ok(task, 'the task is on its line');
      const linked: string[] = [];
      for (const p of NASTY_PATHS) {
        let edits: TextEditLike[];
        try {
          edits = linkToTaskEdit(l.tasks, l.line, p);
        } catch (e) {
          assert.ok(e instanceof UsageError, `${JSON.stringify(p)}: ${(e as Error).message}`);
          assert.doesNotMatch(e.message, /[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/, 'one visible line');
          assert.equal(linkRefusal(p), e.message);
          continue;
        }
        const text = apply(l.tasks, edits);
        assert.equal(text.split(/\r\n|\r|\n/).length, l.tasks.split('\n').length, `${JSON.stringify(p)}: no line added`);
        const spec = parseSpec(l.candidate, [{ path: l.tasksFile, text }, ...l.other]);
        const after = spec.tasks.find((t) => t.id === task.id)!;
        assert.deepEqual(compileTaskIndex([after]).tasksFor(p), [task.id], `${JSON.stringify(p)} is read back from ${text.split('\n')[l.line - 1]}`);
        assert.equal(compileScope(spec).classify(p), 'in-scope', JSON.stringify(p));
        assert.equal(spec.tasks.length, before.tasks.length);
        assert.deepEqual(spec.problems, before.problems);
        linked.push(p);
      }
      assert.deepEqual(linked, [
        'src/auth/session.ts', 'src/my file.ts', 'my file.ts', 'src/a b/c.ts', 'Makefile', 'LICENSE', 'package.json', '.env', '-rf.ts', 'src/-x.ts',
        "src/it's.ts", 'app/[id]/page.tsx', 'app/(auth)/login.tsx', '!x.ts', 'src/!x.ts', 'c:x.ts', 'src/a#b.ts', 'src/caf\u00e9.ts',
        `src/${'d'.repeat(200)}/${'f'.repeat(250)}.ts`, 'docs/notes',
      ]);
    });
  }

  const req = joinLines('# Requirements', '', '### Requirement 1: Cache', '', '1. WHEN a THEN b', '');
  const refusedEverywhere = ['src/a\nb.ts', 'src/a\rb.ts', 'src/a\u2028b.ts', 'src/x\ty.ts', 'src/caf\u202eevil.ts', 'src/\u2066x.ts', 'src/{a,b}.ts', 'src/*.ts'];
  // Front matter cannot take `!x.ts` (an exclusion) or `c:x.ts` (outside); a section item `./!x.ts` or `c:x.ts` can.
  const inFrontMatter = [...refusedEverywhere, '!x.ts', 'src/a\\b.ts', ' lead.ts', '~x.ts', 'c:x.ts'];
  const places: [string, string, string[]][] = [
    ['no scope yet', req, inFrontMatter],
    ['front matter', joinLines('---', 'scope:', '  - src/keep.ts', '---', req), inFrontMatter],
    ['a Scope section', joinLines(req, '## Scope', '', '- `src/keep.ts`', ''), [...refusedEverywhere, 'src/a\\b.ts', ' lead.ts', '~x.ts']],
  ];
  for (const [where, text, expectRefused] of places) {
    it(`Add to scope (${where}): the spec then has the path in scope, with no problem, or refuses in one line`, () => {
      const candidate: SpecCandidate = { id: kiro, format: 'kiro', name: 'cache', files: [`${kiro}/requirements.md`] };
      const refused: string[] = [];
      for (const p of NASTY_PATHS) {
        let edits: TextEditLike[];
        try {
          edits = addToScopeEdit(text, p);
        } catch (e) {
          assert.ok(e instanceof UsageError, `${JSON.stringify(p)}: ${(e as Error).message}`);
          assert.doesNotMatch(e.message, /[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/, 'one visible line');
          refused.push(p);
          continue;
        }
        const out = apply(text, edits);
        const spec = parseSpec(candidate, [{ path: `${kiro}/requirements.md`, text: out }]);
        assert.deepEqual(spec.problems, [], `${JSON.stringify(p)}: ${out}`);
        assert.equal(compileScope(spec).classify(p), 'in-scope', `${JSON.stringify(p)} in scope after:\n${out}`);
        assert.deepEqual(addToScopeEdit(out, p), [], `${JSON.stringify(p)} added once`);
      }
      assert.deepEqual(refused, expectRefused);
    });
  }

  it('Add to scope keeps a Scope section for a path it can hold there, quoted when it holds spaces', () => {
    const text = joinLines('# Spec', '', '## Scope', '', '- `src/keep.ts`', '');
    assert.equal(apply(text, addToScopeEdit(text, 'src/my file.ts')), joinLines('# Spec', '', '## Scope', '', '- `src/keep.ts`', '- `"src/my file.ts"`', ''));
  });

  it('Add to scope puts a path a Scope section cannot hold into new front matter instead', () => {
    const text = joinLines('# Spec', '', '## Scope', '', '- `src/keep.ts`', '');
    assert.equal(apply(text, addToScopeEdit(text, 'docs/notes (1).md')), joinLines('---', 'scope:', "  - 'docs/notes \\(1\\).md'", '---', '# Spec', '', '## Scope', '', '- `src/keep.ts`', ''));
  });

  it('Add to scope keeps a route-style path in the Scope section, where it covers that file only', () => {
    const text = joinLines('# Spec', '', '## Scope', '', '- `src/keep.ts`', '');
    const out = apply(text, addToScopeEdit(text, 'app/(auth)/[id]/page.tsx'));
    assert.equal(out, joinLines('# Spec', '', '## Scope', '', '- `src/keep.ts`', '- `app/(auth)/[id]/page.tsx`', ''));
    const spec = parseSpec({ id: 'docs/spec.md', format: 'plain', name: 'spec', files: ['docs/spec.md'] }, [{ path: 'docs/spec.md', text: out }]);
    const scope = compileScope(spec);
    assert.deepEqual(['app/(auth)/[id]/page.tsx', 'app/auth/i/page.tsx'].map((p) => scope.classify(p)), ['in-scope', 'out-of-scope']);
    assert.deepEqual(addToScopeEdit(out, 'app/(auth)/[id]/page.tsx'), []);
  });
});

describe('revertHunkEdit', () => {
  const base = joinLines('one', 'two', 'three', 'four', 'five', '');

  const cases: [string, string, string][] = [
    ['a changed line', base, joinLines('one', 'TWO', 'three', 'four', 'five', '')],
    ['added lines', base, joinLines('one', 'two', 'new a', 'new b', 'three', 'four', 'five', '')],
    ['removed lines', base, joinLines('one', 'four', 'five', '')],
    ['lines added at the top', base, joinLines('zero', 'one', 'two', 'three', 'four', 'five', '')],
    ['the first line removed', base, joinLines('two', 'three', 'four', 'five', '')],
    ['the last lines removed', base, joinLines('one', 'two', 'three', '')],
    ['lines appended', base, joinLines('one', 'two', 'three', 'four', 'five', 'six', 'seven', '')],
    ['the final newline dropped', base, 'one\ntwo\nthree\nfour\nfive'],
    ['a final newline added', 'a\nb', 'a\nb\n'],
    ['a new file', '', joinLines('x', 'y', '')],
    ['a file emptied', base, ''],
  ];
  for (const [name, from, to] of cases) {
    it(`restores the base for ${name}`, () => {
      const hunks = gitHunks(from, to);
      assert.equal(hunks.length, 1, 'one hunk');
      assert.equal(apply(to, revertHunkEdit(to, from, hunks[0])), from);
    });
  }

  it('reverts exactly one of several hunks and leaves the others', () => {
    const current = joinLines('ONE', 'two', 'three', 'FOUR', 'five', 'six', '');
    const hunks = gitHunks(base, current);
    assert.equal(hunks.length, 3);
    const out = apply(current, revertHunkEdit(current, base, hunks[1]));
    assert.equal(out, joinLines('ONE', 'two', 'three', 'four', 'five', 'six', ''));
  });

  it('converts base line endings to the document’s', () => {
    const current = 'one\r\nTWO\r\nthree\r\n';
    const hunk = gitHunks('one\ntwo\nthree\n', 'one\nTWO\nthree\n')[0];
    assert.equal(apply(current, revertHunkEdit(current, 'one\ntwo\nthree\n', hunk)), 'one\r\ntwo\r\nthree\r\n');
  });

  it('returns no edit for a hunk that does not fit the text', () => {
    assert.deepEqual(revertHunkEdit('a\n', 'a\n', { oldStart: 5, oldLines: 1, newStart: 5, newLines: 1 }), []);
  });

  it('restores the base hunk by hunk for random edits', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const baseLines = Array.from({ length: rand(12) }, () => `l${rand(6)}`);
      const cur = [...baseLines];
      for (let k = rand(4); k >= 0; k--) {
        const at = rand(cur.length + 1);
        const op = rand(3);
        if (op === 0) cur.splice(at, 0, `n${rand(6)}`);
        else if (op === 1) cur.splice(at, 1);
        else cur.splice(at, 1, `c${rand(6)}`);
      }
      const b = baseLines.join('\n') + (rand(2) ? '\n' : '');
      let c = cur.join('\n') + (rand(2) ? '\n' : '');
      let guard = 0;
      for (let hunks = gitHunks(b, c); hunks.length; hunks = gitHunks(b, c)) {
        const next = apply(c, revertHunkEdit(c, b, hunks[rand(hunks.length)]));
        assert.notEqual(next, c, `round ${round}: the revert changed the text`);
        c = next;
        assert.ok(++guard < 50);
      }
      assert.equal(c, b, `round ${round}`);
    }
  });
});
