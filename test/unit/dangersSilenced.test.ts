// Checks silenced to make a run pass (core/dangers.ts silenced): a type checker or linter
// switched off for a whole file (a warning), a blanket directive for a line (a note, ten or
// more in one file one warning), in the source files whose texts are read (tests, configs,
// migrations, infrastructure code); and the everyday edits beside them left quiet.
import { strict as assert } from 'node:assert';
import { findDangers, readsContent } from '../../src/core/dangers';
import type { FileChange } from '../../src/core/model';
import { edit, found, lines } from './helpers/dangerChange';

const base = lines("import { retry } from '../src/retry';", '', "it('retries', () => {", '  expect(retry(3)).toBe(3);', '});');

describe('checks silenced in the source files read', () => {
  describe('TypeScript and ESLint', () => {
    it('@ts-nocheck and a blanket eslint-disable are warnings; @ts-ignore, @ts-expect-error and eslint-disable-next-line with no rule are notes', () => {
      const now = lines(
        '// @ts-nocheck',
        '/* eslint-disable */',
        "import { retry } from '../src/retry';",
        '',
        "it('retries', () => {",
        '  // @ts-ignore',
        '  expect(retry(3)).toBe(3);',
        '  // @ts-expect-error: wrong on purpose',
        "  retry('x');",
        '  // eslint-disable-next-line',
        '  const x: any = 1;',
        '  use(x); // eslint-disable-line -- legacy',
        '});',
      );
      assert.deepEqual(found(edit('test/retry.test.ts', base, now)), {
        'test/retry.test.ts': [
          "new:1 (warning) turns off TypeScript's type checks for the whole file (`// @ts-nocheck`)",
          'new:2 (warning) turns off every ESLint rule from this line on (`/* eslint-disable */`)',
          "new:6 (info) silences TypeScript's errors on the next line (`// @ts-ignore`)",
          "new:8 (info) silences TypeScript's errors on the next line (`// @ts-expect-error: wrong on purpose`)",
          'new:10 (info) turns off every ESLint rule for a line (`// eslint-disable-next-line`)',
          'new:12 (info) turns off every ESLint rule for a line (`use(x); // eslint-disable-line -- legacy`)',
        ],
      });
    });

    it('ten or more @ts-ignore lines new in one file are one warning', () => {
      const many = lines(...Array.from({ length: 11 }, (_, i) => [`// @ts-ignore`, `check(${i});`]).flat());
      assert.deepEqual(found(edit('src/checks.spec.ts', '', many)), {
        'src/checks.spec.ts': ["new:1 (warning) silences TypeScript's errors on 11 lines (`@ts-ignore`, `@ts-expect-error`)"],
      });
      assert.deepEqual(findLines(edit('src/checks.spec.ts', '', many)), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    });

    it('in a JavaScript config or migration whose text is read too', () => {
      const config = lines('// @ts-nocheck', 'export default { test: {} };');
      assert.deepEqual(found(edit('vitest.config.ts', lines('export default { test: {} };'), config)), {
        'vitest.config.ts': ["new:1 (warning) turns off TypeScript's type checks for the whole file (`// @ts-nocheck`)"],
      });
    });

    it('quiet: a rule named, a directive moved or already there, in a string or a template literal, enabled again; a source file not read', () => {
      const named = base.replace('  expect', '  // eslint-disable-next-line no-console\n  /* eslint-disable no-undef */\n  expect');
      assert.deepEqual(found(edit('test/retry.test.ts', base, named)), {});
      const had = base.replace('  expect', '  // @ts-ignore\n  expect');
      const moved = lines('// @ts-ignore', "import { retry } from '../src/retry';", '', "it('retries', () => {", '  expect(retry(3)).toBe(3);', '});');
      assert.deepEqual(found(edit('test/retry.test.ts', had, moved)), {});
      const strings = base.replace('  expect', "  lint('// @ts-nocheck');\n  const src = `\n// @ts-ignore\n/* eslint-disable */\n`;\n  expect");
      assert.deepEqual(found(edit('test/retry.test.ts', base, strings)), {});
      assert.deepEqual(found(edit('test/retry.test.ts', base, base.replace('  expect', '  /* eslint-enable */\n  expect'))), {});
      assert.equal(readsContent('src/retry.ts'), false);
      assert.deepEqual(found(edit('src/retry.ts', 'export const a = 1;\n', '// @ts-nocheck\nexport const a = 1;\n')), {});
    });
  });

  describe('Python', () => {
    const py = lines('import pytest', '', '', 'def test_retry():', '    assert retry(3) == 3');

    it('a file-wide mypy, pylint, flake8 or Ruff switch is a warning; a bare type: ignore before any statement too; a bare noqa or type: ignore on a line is a note', () => {
      const now = lines('# type: ignore', '# mypy: ignore-errors', '# pylint: disable=all', '# flake8: noqa', 'import pytest', '', '', 'def test_retry():', '    assert retry(3) == 3  # type: ignore', '    import os  # noqa');
      assert.deepEqual(found(edit('tests/test_retry.py', py, now)), {
        'tests/test_retry.py': [
          "new:1 (warning) turns off mypy's checks for the whole file (`# type: ignore` before any statement)",
          "new:2 (warning) turns off mypy's errors for the whole file (`# mypy: ignore-errors`)",
          'new:3 (warning) turns off every pylint check for the whole file (`# pylint: disable=all`)',
          'new:4 (warning) makes flake8 or Ruff skip the whole file (`# flake8: noqa`)',
          'new:9 (info) silences every type error on its line (`assert retry(3) == 3  # type: ignore`)',
          'new:10 (info) silences every lint warning on its line (`import os  # noqa`)',
        ],
      });
      const skipFile = py.replace('import pytest', '# pylint: skip-file\n# ruff: noqa\nimport pytest');
      assert.deepEqual(found(edit('tests/test_retry.py', py, skipFile)), {
        'tests/test_retry.py': ['new:1 (warning) turns off every pylint check for the whole file (`# pylint: skip-file`)', 'new:2 (warning) makes flake8 or Ruff skip the whole file (`# ruff: noqa`)'],
      });
    });

    it('quiet: codes named, a directive in a string or docstring, one that was there', () => {
      const coded = lines('# type: ignore[import]', 'import pytest  # noqa: F401', '# pylint: disable=unused-import', '# ruff: noqa: E501', '', 'def test_retry():', '    assert retry(3) == 3  # type: ignore[arg-type]');
      assert.deepEqual(found(edit('tests/test_retry.py', py, coded)), {});
      const strings = py.replace('def test_retry():', 'def test_retry():\n    """# type: ignore"""\n    src = "# noqa"');
      assert.deepEqual(found(edit('tests/test_retry.py', py, strings)), {});
      const had = py.replace('== 3', '== 3  # noqa');
      assert.deepEqual(found(edit('tests/test_retry.py', had, had.replace('import pytest', 'import pytest\nimport os'))), {});
      // After a statement a bare `# type: ignore` line covers nothing more than its line: a note, no file-wide warning.
      assert.deepEqual(found(edit('tests/test_retry.py', py, py.replace('\n\n\n', '\n# type: ignore\n\n'))), {
        'tests/test_retry.py': ['new:2 (info) silences every type error on its line (`# type: ignore`)'],
      });
    });
  });

  describe('Go and Rust', () => {
    it('//nolint with no linter is a note; #![allow(warnings)] and #![allow(clippy::all)] are warnings', () => {
      const go = lines('func TestRetry(t *testing.T) {', '\tretry(3)', '}');
      assert.deepEqual(found(edit('retry_test.go', go, go.replace('\tretry(3)', '\tretry(3) //nolint\n\tretry(4) //nolint:errcheck'))), {
        'retry_test.go': ['new:2 (info) silences every linter for the line or declaration it is on (`retry(3) //nolint`)'],
      });
      const rs = lines('#[test]', 'fn retries() {', '    assert_eq!(retry(3), 3);', '}');
      assert.deepEqual(found(edit('tests/retry.rs', rs, `#![allow(warnings)]\n#![allow(clippy::all)]\n#![allow(dead_code)]\n${rs}`)), {
        'tests/retry.rs': ['new:1 (warning) turns off every warning for the whole file (`#![allow(warnings)]`)', "new:2 (warning) turns off Clippy's lints for the whole file (`#![allow(clippy::all)]`)"],
      });
      assert.deepEqual(found(edit('tests/retry.rs', rs, rs.replace('#[test]', '#[test]\n#[allow(warnings)]\n// #![allow(warnings)]'))), {});
    });
  });
});

/** The lines a change's one finding stands on. */
const findLines = (c: FileChange) => [...findDangers([c])][0]?.[1][0]?.lines;
