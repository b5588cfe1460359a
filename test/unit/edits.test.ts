import { strict as assert } from 'node:assert';
import { structuredPatch } from 'diff';
import { parse as parseYaml } from 'yaml';
import { addToScopeEdit, codeSpan, linkToTaskEdit, revertHunkEdit, type TextEditLike } from '../../src/core/edits';
import type { Hunk } from '../../src/core/model';
import { compileGlobs } from '../../src/core/scope';

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

  it('writes a path with glob characters verbatim, so the scope engine matches it', () => {
    const text = joinLines('---', 'scope: []', '---', '');
    const scope = (frontMatter(apply(text, addToScopeEdit(text, 'app/[id]/page.tsx'))) as { scope: string[] }).scope;
    assert.deepEqual(scope, ['app/[id]/page.tsx']);
    assert.equal(compileGlobs(scope).test('app/[id]/page.tsx'), true);
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

  it('uses a longer code span for a path holding a backtick', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`a'), '`` `a ``');
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
