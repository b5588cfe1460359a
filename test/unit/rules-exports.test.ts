import { strict as assert } from 'node:assert';
import { blankLiterals, isScriptPath, scanExports } from '../../src/core/exports';
import { joinLines } from './helpers/analysisFixtures';

const names = (src: string) => [...scanExports(src).keys()];

describe('export scanner', () => {
  it('reads declarations, default, lists, re-exports and CommonJS', () => {
    const src = joinLines(
      'export function foo() {}',
      'export async function* gen() {}',
      'export default class {}',
      'export abstract class Abs {}',
      'export const a = 1, b = 2;',
      'export let { x, y: yy, ...rest } = obj;',
      'export type T = string;',
      'export interface I {}',
      'export const enum E {}',
      'export declare namespace NS {}',
      "export { a1, b1 as c1, type D1, default as e1 } from './m';",
      'export * from "./star";',
      "export * as ns from './ns';",
      'exports.cjs = 1;',
      'module.exports.cjs2 = 2;',
      'module.exports = { k1, k2: v, k3() { return { z: 1 }; } };',
    );
    assert.deepEqual(names(src), ['foo', 'gen', 'default', 'Abs', 'a', 'b', 'x', 'yy', 'rest', 'T', 'I', 'E', 'NS', 'a1', 'c1', 'D1', 'e1', "* from './star'", 'ns', 'cjs', 'cjs2', 'k1', 'k2', 'k3']);
  });
  it('ignores exports inside comments, strings, templates and regexes', () => {
    const src = joinLines(
      '// export function c1() {}',
      '/* export const c2 = 1 */',
      'const s = "export const c3 = 1";',
      "const t = `export const c4 ${1 + { a: 1 }.a} export const c5`;",
      'const re = /export const c6/;',
      'const o = { export: 1 }; o.export(1);',
      'export const real = 1;',
    );
    assert.deepEqual([...scanExports(src)], [['real', 7]]);
  });
  it('takes a namespace for one export: what its body exports are its members, not the module\'s', () => {
    const src = joinLines(
      'export namespace N {',
      '  export const q = 1;',
      '  namespace M { export const r = 1; }',
      '}',
      'namespace Hidden {',
      '  export function h() {}',
      '}',
      "declare module 'lib' {",
      '  export const fromLib: number;',
      '}',
      'export declare namespace A.B { export interface I {} }',
      'const s = "namespace S { export const no = 1 }"; // namespace C {',
      'export const z = 2;',
    );
    assert.deepEqual([...scanExports(src)], [['N', 1], ['A', 11], ['z', 13]]);
    // A `/{/` read as a division leaves the body's braces open to the end: the module's own
    // exports, at the namespace's indentation, are still the module's.
    const open = joinLines('export namespace N {', '  export function t(s: string) { if (s) /{/.test(s); }', '}', 'export const alpha = 1;', 'export function gamma() {}');
    assert.deepEqual([...scanExports(open)], [['N', 1], ['alpha', 4], ['gamma', 5]]);
  });
  it('does not take type arguments for more declarators', () => {
    assert.deepEqual(names('export const m: Map<string, number> = new Map(), n = 2;\nexport const f = g(1, 2)\nconst z = 1, w = 2;\n'), ['m', 'n', 'f']);
  });
  it('survives unterminated literals and garbage without hanging', () => {
    const junk = '`${'.repeat(2000) + "'\"/*".repeat(1000) + 'export const late = 1;';
    const t0 = Date.now();
    scanExports(junk);
    scanExports('export { a, b'.repeat(5000));
    scanExports(`export const x = ${'['.repeat(50000)}`);
    assert.ok(Date.now() - t0 < 2000);
  });
  it('never throws on random input and keeps offsets (blanked text has the same length and newlines)', () => {
    const pieces = ['export ', 'const ', 'a', '=', '{', '}', '(', ')', '[', ']', ',', ';', '\n', '/', '*', '`', '${', "'", '"', '\\', 'module.exports', ' as ', ' from ', 'default ', '<', '>', '.', ' '];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % pieces.length);
    for (let k = 0; k < 150; k++) {
      let src = '';
      for (let j = 0; j < 400; j++) src += pieces[rnd()];
      const names = scanExports(src);
      for (const line of names.values()) assert.ok(line >= 1 && line <= src.split('\n').length);
      const { code } = blankLiterals(src);
      assert.equal(code.length, src.length);
      assert.equal(code.split('\n').length, src.split('\n').length);
    }
  });
  it('reads literals around the fast-read declarations and CommonJS forms as blanks', () => {
    const src = joinLines(
      'export /* c */ function viaComment() {}',
      'export async function* gen() {}',
      'exports /* c */ . viaExports = 1;',
      'module /* c */ . exports . viaModule = 2;',
      "const s = 'module\\",
      ".exports = 3';",
      'export const first = 1,\u00a0second = 2;',
      'export default /re/ / 2;',
    );
    assert.deepEqual([...scanExports(src)], [
      ['viaComment', 1],
      ['gen', 2],
      ['viaExports', 3],
      ['viaModule', 4],
      ['first', 7],
      ['second', 7],
      ['default', 8],
    ]);
  });
  it('skips exports in line comments, then in block comments, regexes and strings once those appear', () => {
    const src = joinLines(
      '// export const c1 = 1',
      'export function a() {} // export function c2() {}',
      '/* export const c3 = 1 */ export const b = 1;',
      'const re = /\\/\\/ export const c4 = 1/; export const c = 1;',
      "const s = '// export const c5'; export const d = 1;",
      '// export const c6 = 1',
      'export const e = 1;',
    );
    assert.deepEqual([...scanExports(src)], [
      ['a', 2],
      ['b', 3],
      ['c', 4],
      ['d', 5],
      ['e', 7],
    ]);
  });
  it('ends a declarator list at a line starting with export: 1 MB of `export const a = 1,` lines stays fast', () => {
    assert.deepEqual([...scanExports('export const a = 1,\nexport const b = 2, c = 3;\n')], [
      ['a', 1],
      ['b', 2],
      ['c', 2],
    ]);
    const t0 = performance.now();
    assert.deepEqual([...scanExports('export const a = 1,\n'.repeat(50_000))], [['a', 1]]);
    // It took 5 to 11 s when each declarator scan ran on through every later export.
    assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  });
  it('knows the script extensions', () => {
    for (const p of ['a.ts', 'a.tsx', 'b/c.js', 'x.mjs', 'x.cjs', 'x.mts', 'x.cts', 'x.jsx', 'x.d.ts']) assert.equal(isScriptPath(p), true, p);
    for (const p of ['a.md', 'ts', 'a.ts/b', 'a.json', '.ts.d/x']) assert.equal(isScriptPath(p), false, p);
  });
});
