import * as assert from 'node:assert/strict';
import { chmod } from 'node:fs/promises';
import * as path from 'node:path';
import { collectChangeSet } from '../../src/node/changeset';
import { Git } from '../../src/node/git';
import { isScriptPath } from '../../src/core/exports';
import { PatchParser } from '../../src/core/diffparse';
import { oldFromNew } from '../../src/core/reverse';
import { countLines } from '../../src/core/gitblob';
import { makeRepo, type TestRepo } from './helpers/gitRepo';

/** A small deterministic random source (the same files every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (lines.length + 1));
    const kind = rand();
    if (kind < 0.35) lines.splice(at, 1 + Math.floor(rand() * 3));
    else if (kind < 0.7) lines.splice(at, 0, `export const added${e} = ${Math.floor(rand() * 1000)};`);
    else lines.splice(at, 1, `// replaced ${e}`);
  }
  let out = lines.join('\n');
  if (rand() < 0.3) out = out.replace(/\n$/, '');
  else if (rand() < 0.3 && !out.endsWith('\n')) out += '\n';
  return out === text ? `// changed\n${out}` : out;
}

describe('old side rebuilt from the patch', () => {
  let repo: TestRepo;
  afterEach(async () => repo?.cleanup());

  it('oldFromNew swaps each hunk back (replace, pure insert, pure delete, end without newline)', () => {
    const oldText = 'a\nb\nc\nd\ne';
    const newText = 'a\nB\nc\nx\ny\nd\n';
    // -U0 of old → new: line 2 replaced, x y inserted after c, e (no newline) → nothing, d gains its newline.
    const patch = [
      'diff --git a/f b/f',
      '--- a/f',
      '+++ b/f',
      '@@ -2 +2 @@',
      '-b',
      '+B',
      '@@ -3,0 +4,2 @@',
      '+x',
      '+y',
      '@@ -4,2 +6 @@',
      '-d',
      '-e',
      '\\ No newline at end of file',
      '+d',
      '',
    ].join('\n');
    const p = new PatchParser({ keepBodies: true });
    p.push(Buffer.from(patch));
    const [s] = p.end();
    const rebuilt = oldFromNew(Buffer.from(newText), s!.hunks, s!.bodies!);
    assert.equal(Buffer.from(rebuilt!).toString(), oldText);
  });

  it('gives null when the hunks do not fit the bytes', () => {
    const p = new PatchParser({ keepBodies: true });
    p.push(Buffer.from('diff --git a/f b/f\n@@ -9 +9 @@\n-x\n+y\n'));
    const [s] = p.end();
    assert.equal(oldFromNew(Buffer.from('one line\n'), s!.hunks, s!.bodies!), null);
  });

  it('equals `git show HEAD:path` for 60 randomly edited sources, deletions, renames and mode changes', async function () {
    this.timeout(30_000);
    const rand = rng(7);
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) {
      const n = 5 + Math.floor(rand() * 40);
      const body = Array.from({ length: n }, (_, k) => (k % 4 === 0 ? `export function f${i}_${k}() { return ${k}; }` : `  const v${k} = '${'x'.repeat(k % 7)}';`)).join('\n');
      files[`src/f${i}.ts`] = i % 5 === 0 ? body : `${body}\n`;
    }
    files['src/gone.ts'] = 'export const gone = 1;\nexport const also = 2;';
    files['src/moved.ts'] = 'export const m = 1;\nexport const n = 2;\nexport const o = 3;\n';
    files['src/mode.ts'] = 'export const x = 1;\n';
    repo = await makeRepo(files);
    for (let i = 0; i < 60; i++) await repo.write(`src/f${i}.ts`, randomEdit(files[`src/f${i}.ts`]!, rand));
    await repo.git('rm', '-q', 'src/gone.ts');
    await repo.git('mv', 'src/moved.ts', 'src/renamed.ts');
    await repo.write('src/renamed.ts', 'export const m = 1;\nexport const n = 2;\n');
    await chmod(path.join(repo.root, 'src/mode.ts'), 0o755);

    const cs = await collectChangeSet(await Git.open(repo.root), { wantText: isScriptPath });
    let compared = 0;
    for (const c of cs.changes) {
      if (c.status === 'added') continue;
      const want = await repo.git('show', `HEAD:${c.oldPath ?? c.path}`);
      assert.equal(c.oldText, want, c.path);
      // Trusted by git's post-image id, the rebuilt side takes its line count from the patch.
      assert.equal(c.oldLineCount, countLines(Buffer.from(want)), c.path);
      compared++;
    }
    const unchanged = Object.keys(files).filter((f) => !cs.changes.some((c) => c.path === f || c.oldPath === f));
    assert.deepEqual(unchanged, []);
    assert.equal(compared, 63);
    assert.ok(cs.changes.some((c) => c.path === 'src/mode.ts' && c.newMode === '100755' && c.hunks.length === 0));
    assert.ok(cs.changes.some((c) => c.status === 'renamed' && c.oldPath === 'src/moved.ts'));
  });

  it('falls back to the blob when the working tree bytes are not what git diffed (CRLF converted by core.autocrlf)', async () => {
    repo = await makeRepo({ 'a.ts': 'export const a = 1;\nexport const b = 2;\n' });
    await repo.git('config', 'core.autocrlf', 'true');
    await repo.write('a.ts', 'export const a = 1;\r\n');
    const cs = await collectChangeSet(await Git.open(repo.root), { wantText: isScriptPath });
    const [c] = cs.changes;
    assert.equal(c!.oldText, 'export const a = 1;\nexport const b = 2;\n');
  });

  it('with scanExports, compares each source\'s exports as it is read (removed ones kept, not the lists), and keeps no text', async () => {
    repo = await makeRepo({ 'a.ts': 'export const a = 1;\nexport function b() {}\n', 'gone.ts': 'export class Gone {}\n', 'notes.md': 'export nothing\n' });
    await repo.write('a.ts', 'export const a = 2;\n');
    await repo.rm('gone.ts');
    await repo.write('notes.md', 'export still nothing\n');
    await repo.write('new.ts', 'export type T = 1;\n');
    const cs = await collectChangeSet(await Git.open(repo.root), { scanExports: true });
    const by = new Map(cs.changes.map((c) => [c.path, c]));
    // Compared where both sides were at hand: only what the old side had and the new lacks.
    assert.deepEqual(by.get('a.ts')!.exportsRemoved, [{ name: 'b', oldLine: 2 }]);
    assert.deepEqual(by.get('gone.ts')!.exportsRemoved, [{ name: 'Gone', oldLine: 1 }]);
    assert.equal(by.get('a.ts')!.oldExports, undefined);
    assert.deepEqual([...by.get('new.ts')!.newExports!], [['T', 1]]);
    assert.equal(by.get('notes.md')!.oldExports, undefined);
    for (const c of cs.changes) assert.deepEqual([c.oldText, c.newText], [undefined, undefined], c.path);
  });
});
