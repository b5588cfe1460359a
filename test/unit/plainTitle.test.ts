import { strict as assert } from 'node:assert';
import { plainTitle } from '../../src/core/render/plainTitle';

describe('plainTitle: a markdown task title as a plain label', () => {
  const cases: [string, string, string][] = [
    ['drops the backticks of a code span', 'Retry only safe failures in `src/billing/retry.ts`', 'Retry only safe failures in src/billing/retry.ts'],
    ['keeps a code span with backticks inside (longer fence)', 'Quote ``a ` b`` here', 'Quote a ` b here'],
    ['strips one space padding a code span', 'Run `` `x` `` now', 'Run `x` now'],
    ['keeps a glob inside a code span', 'Match `src/**/*.ts` and `*.md`', 'Match src/**/*.ts and *.md'],
    ['keeps emphasis markers inside a code span', 'Set `__init__` and `*ptr*`', 'Set __init__ and *ptr*'],
    ['leaves an unmatched backtick', 'It`s odd', 'It`s odd'],
    ['drops bold markers', 'Add **strict** parsing', 'Add strict parsing'],
    ['drops underscore bold', 'Add __strict__ parsing', 'Add strict parsing'],
    ['drops em markers', 'Make it *fast* and _safe_', 'Make it fast and safe'],
    ['drops bold-italic', '***Important*** step', 'Important step'],
    ['drops nested emphasis', '**bold _and em_ here**', 'bold and em here'],
    ['drops emphasis around punctuation end', 'Do it _now_.', 'Do it now.'],
    ['drops emphasis in parentheses', 'Cache (*optional*)', 'Cache (optional)'],
    ['drops strikethrough', 'Remove ~~old~~ path', 'Remove old path'],
    ['drops emphasis around a code span', 'Edit **`retry.ts`**', 'Edit retry.ts'],
    ['keeps snake_case', 'Rename retry_count to max_retry_count', 'Rename retry_count to max_retry_count'],
    ['keeps a leading underscore name', 'Rename _private_var now', 'Rename _private_var now'],
    ['keeps dunder paths', 'Create src/__init__.py and tests/__init__.py', 'Create src/__init__.py and tests/__init__.py'],
    ['keeps a bare dunder file name', 'Create __init__.py', 'Create __init__.py'],
    ['keeps a glob outside a code span', 'Cover src/**/*.ts files', 'Cover src/**/*.ts files'],
    ['keeps a lone star', 'Match *.ts and *.js files', 'Match *.ts and *.js files'],
    ['keeps spaced stars', 'Compute a * b * c', 'Compute a * b * c'],
    ['turns a link into its text', 'See [the design](design.md#retry) first', 'See the design first'],
    ['turns a link with code into its text', 'Update [`retry.ts`](src/retry.ts)', 'Update retry.ts'],
    ['drops an underscore in a link url', 'Read [notes](docs/a_b_c.md)', 'Read notes'],
    ['turns an image into its alt text', 'Logo ![SpecGate](logo.png) added', 'Logo SpecGate added'],
    ['turns a reference link into its text', 'Per [RFC 7231][rfc] semantics', 'Per RFC 7231 semantics'],
    ['unwraps an autolink', 'See <https://example.com/a_b_>', 'See https://example.com/a_b_'],
    ['applies backslash escapes', 'Literal \\*star\\* and \\`tick\\`', 'Literal *star* and `tick`'],
    ['keeps a backslash before a letter', 'Path C:\\temp\\x', 'Path C:\\temp\\x'],
    ['collapses whitespace', '  Retry\t  only \n safe  ', 'Retry only safe'],
    ['leaves plain text alone', 'Record each attempt', 'Record each attempt'],
    ['leaves an empty title empty', '', ''],
    ['does not confuse input NUL markers', 'a\u00000\u0001 `b`', 'a 0 b'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(plainTitle(input), expected));
  }
});

describe('plainTitle: more nesting', () => {
  it('drops emphasis nested in the other marker', () => assert.equal(plainTitle('_**x**_ and **_y_**'), 'x and y'));
  it('drops two bold runs on one line', () => assert.equal(plainTitle('**a** and **b**'), 'a and b'));
  it('keeps snake_case inside emphasis', () => assert.equal(plainTitle('Use _snake_case_ names'), 'Use snake_case names'));
});
