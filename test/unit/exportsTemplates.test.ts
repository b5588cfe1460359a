// The export scanner's brace and angle counting: the `}` closing a template literal's `${…}` is
// part of the template, not a closing brace of the code around it, and a comma inside a type's
// `<…>` separates type arguments, not declarators; a `<` that may be less-than stays one.
import { strict as assert } from 'node:assert';
import { scanExports } from '../../src/core/exports';
import { joinLines } from './helpers/analysisFixtures';

const names = (src: string) => [...scanExports(src).keys()];

describe('export scanner: template expressions and type brackets', () => {
  describe('the `}` closing a template expression', () => {
    it('does not close an exported object literal, so its later keys are not exports', () => {
      const src = joinLines(
        'const BASE = process.env.API_URL;',
        'export const routes = {',
        '  home: `${BASE}/home`,',
        '  about: "/about",',
        '  legacyPricing: "/pricing-old",',
        '};',
        'export const after = 1;',
      );
      assert.deepEqual([...scanExports(src)], [
        ['routes', 2],
        ['after', 7],
      ]);
    });

    it('does not end a declaration, so the declarators after a template are read', () => {
      assert.deepEqual(names('export const url = `${BASE}/v1`, timeout = 5000;\n'), ['url', 'timeout']);
    });

    it('keeps the keys of module.exports after a template value', () => {
      assert.deepEqual(names('module.exports = { label: `db-${process.pid}`, connect, close, migrate };\n'), ['label', 'connect', 'close', 'migrate']);
      const multiline = joinLines('module.exports = {', '  label: `db-${process.pid}`,', '  connect,', '  close() {},', '};');
      assert.deepEqual(names(multiline), ['label', 'connect', 'close']);
    });

    it('keeps the names of a destructuring with template defaults', () => {
      assert.deepEqual(names('export const { a = `${x}`, b } = o;\nexport const [p = `${q}`, r] = s;\n'), ['a', 'b', 'p', 'r']);
    });

    it('pairs nested templates, braces in strings and object literals inside an expression', () => {
      assert.deepEqual(names('export const n = `a${ `b${x}c` }d`, m = 1;\n'), ['n', 'm']);
      assert.deepEqual(names('export const s = `${ "}" + x }`, t = 2;\n'), ['s', 't']);
      assert.deepEqual(names("export const s2 = `${ '{' + x }`, t2 = 2;\n"), ['s2', 't2']);
      assert.deepEqual(names('module.exports = { text: `${ { a: 1 }.a }`, after };\n'), ['text', 'after']);
      assert.deepEqual(names('export const o = { k: `${ { a: `${ {} }` } }`, j: 1 }, last = 2;\n'), ['o', 'last']);
    });
  });

  describe('type brackets', () => {
    it('skips the type arguments of an annotation', () => {
      assert.deepEqual(names('export const handler: Handler<APIGatewayProxyEvent, Context, Result> = async () => ({ statusCode: 200 });\n'), ['handler']);
      assert.deepEqual(names('export const cache: LRUCache<string, User, unknown> = new LRUCache();\n'), ['cache']);
      assert.deepEqual(names('export declare const a: number, b: Map<K, V, W>, c: Nested<X<Y, Z>, W>, d: string;\n'), ['a', 'b', 'c', 'd']);
    });

    it('skips type parameters with defaults and the `=>` of function types in an annotation', () => {
      assert.deepEqual(names('export const isMap: <K = unknown, V = unknown>(n: any) => boolean = (n) => true;\n'), ['isMap']);
      assert.deepEqual(names('export const f: () => Promise<A, B, C> = g, h = 1;\n'), ['f', 'h']);
      assert.deepEqual(names('export const cb: Wrap<() => void, B, C> = p, q = 1;\n'), ['cb', 'q']);
    });

    it('skips the type parameters that open an initializer (generic arrows)', () => {
      assert.deepEqual(names('export const zip = <A, B, C>(a: A, b: B, c: C) => [a, b, c], unzip = 1;\n'), ['zip', 'unzip']);
      assert.deepEqual(names('export const lazy = async <K, V, W>(k: K) => k, eager = 2;\n'), ['lazy', 'eager']);
      assert.deepEqual(names('export const pick = /* generic */ <K = string, V = K>(k: K) => k, other = 3;\n'), ['pick', 'other']);
    });

    it('reads `<` and `>` in an initializer as comparisons, after an annotation too', () => {
      assert.deepEqual(names('export const lt: Pair<A, B, C> = x < y, gt = x > y, z = 3;\n'), ['lt', 'gt', 'z']);
      assert.deepEqual(names('export const a = b < c, d = 1;\n'), ['a', 'd']);
      assert.deepEqual(names('export const cmp = (a, b) => a < b, max = 10;\n'), ['cmp', 'max']);
      assert.deepEqual(names('export const t = ok ? x : y < z, u = 1;\n'), ['t', 'u']);
      assert.deepEqual(names('export const m: Map<string, number> = new Map(), n = 2;\n'), ['m', 'n']);
    });
  });

  describe('`/*` in JSX text', () => {
    it('opens no comment when no `*/` follows: the exports after it stay', () => {
      const src = joinLines(
        'export function Help() {',
        '  return <p>Ignored: logs/* and tmp files.</p>;',
        '}',
        '',
        'export function useSettings() { return {}; }',
        'export const DEFAULT_GLOB = "**/*.log";',
        'export default function Settings() { return null; }',
      );
      assert.deepEqual([...scanExports(src)], [
        ['Help', 1],
        ['useSettings', 5],
        ['DEFAULT_GLOB', 6],
        ['default', 7],
      ]);
    });

    it('opens none between a tag and its closing tag on the line, with a `*/` later in the file', () => {
      assert.deepEqual(names('export const A = () => <p>logs/* kept</p>;\nexport const B = 1;\nexport const C = "**/*.log";\n'), ['A', 'B', 'C']);
      assert.deepEqual(names('export const A = () => <p>/* not code */</p>;\nexport const B = 1;\n'), ['A', 'B']);
    });

    it('still blanks a block comment in code, and what it holds', () => {
      assert.deepEqual(names('/* export const hidden = 1;\n*/\nexport const shown = 2;\n'), ['shown']);
      assert.deepEqual(names('export const a = 1; /* unclosed\nexport const b = 2;\n'), ['a', 'b']);
      // Code with a `>` before the comment on its line: a comparison, an arrow, a closed tag before code.
      assert.deepEqual(names('const x = a > b /* export const h1 = 1; </p> */;\nexport const s1 = 1;\n'), ['s1']);
      assert.deepEqual(names('const f = () => 1; /* export const h2 = 1;\n</p> */\nexport const s2 = 1;\n'), ['s2']);
      assert.deepEqual(names('if (a > b) { /* export const h3 = 1; </x> */ }\nexport const s3 = 1;\n'), ['s3']);
    });
  });
});
