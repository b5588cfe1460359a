import { strict as assert } from 'node:assert';
import { diffState, seedState, splitKeepingEol, updateState, type LiveDiffState } from '../../src/core/incdiff';
import { liveDiff } from '../../src/core/livediff';
import type { Hunk } from '../../src/core/model';

/** Checks that hunks describe base → text exactly: equal lines outside them, in order. */
function assertValid(baseText: string, text: string, hunks: readonly Hunk[], what: string): void {
  const base = splitKeepingEol(baseText);
  const cur = splitKeepingEol(text);
  let bi = 0;
  let ci = 0;
  let rebuilt = '';
  let prevEnd = -1;
  for (const h of hunks) {
    const os = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    const ns = h.newLines === 0 ? h.newStart : h.newStart - 1;
    assert.ok(ns > prevEnd, `${what}: hunks are sorted and apart (${JSON.stringify(hunks)})`);
    assert.equal(os - bi, ns - ci, `${what}: equal stretch before ${JSON.stringify(h)}`);
    for (; ci < ns; ci++, bi++) assert.equal(cur[ci], base[bi], `${what}: line ${ci + 1} outside the hunks is unchanged`);
    rebuilt += base.slice(os, os + h.oldLines).join('');
    bi = os + h.oldLines;
    ci = ns + h.newLines;
    prevEnd = ci;
  }
  assert.equal(base.length - bi, cur.length - ci, `${what}: equal tail`);
  for (; ci < cur.length; ci++, bi++) assert.equal(cur[ci], base[bi], `${what}: tail line ${ci + 1}`);
  assert.ok(rebuilt.length >= 0);
}

describe('incremental live diff', () => {
  it('re-diffs one edited line among 200 hunks and shifts the hunks after it', () => {
    const lines = Array.from({ length: 10000 }, (_, i) => `line ${i}\n`);
    const base = lines.join('');
    const cur = [...lines];
    for (let k = 0; k < 200; k++) cur[k * 50 + 7] = `edited ${k}\n`;
    const s0 = diffState(base, cur.join(''));
    assert.equal(s0.hunks.length, 200);
    cur.splice(100, 0, 'inserted\n');
    const text = cur.join('');
    const s1 = updateState(s0, text);
    assert.deepEqual(s1.hunks, liveDiff(base, text).hunks);
    assert.equal(s1.hunks.length, 201);
    assert.equal(s1.added, 201);
    assert.equal(s1.removed, 200);
  });

  it('merges hunks an edit joins and splits hunks an edit separates', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const s0 = diffState(base, 'A\nb\nC\nd\ne\n');
    assert.equal(s0.hunks.length, 2);
    const joined = updateState(s0, 'A\nB\nC\nd\ne\n');
    assert.deepEqual(joined.hunks, [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3 }]);
    const split = updateState(joined, 'A\nb\nC\nd\ne\n');
    assert.deepEqual(split.hunks, s0.hunks);
    const back = updateState(split, base);
    assert.deepEqual(back.hunks, []);
    assert.equal(back.added + back.removed, 0);
  });

  it('keeps valid hunks through random edit sequences', () => {
    let seed = 11;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = () => ['x', 'y', 'z', 'w'][rand(4)];
    for (let round = 0; round < 150; round++) {
      const baseLines = Array.from({ length: 1 + rand(30) }, () => `${word()}\n`);
      if (rand(4) === 0) baseLines[baseLines.length - 1] = baseLines[baseLines.length - 1].trimEnd();
      const base = baseLines.join('');
      let cur = [...baseLines];
      let state: LiveDiffState = diffState(base, base);
      for (let step = 0; step < 25; step++) {
        const at = rand(cur.length + 1);
        const op = rand(4);
        if (op === 0) cur.splice(at, 0, `${word()}\n`);
        else if (op === 1) cur.splice(at, 1 + rand(3));
        else if (op === 2 && at < cur.length) cur[at] = `${word()}${cur[at].endsWith('\n') ? '\n' : ''}`;
        else cur.splice(at, 0, ...Array.from({ length: rand(4) }, () => `${word()}\n`));
        let text = cur.join('');
        if (rand(10) === 0) text = text.replace(/\n$/, '');
        cur = splitKeepingEol(text);
        state = updateState(state, text);
        assertValid(base, text, state.hunks, `round ${round} step ${step}`);
        const full = liveDiff(base, text);
        assert.equal(state.added - state.removed, full.added - full.removed, `round ${round} step ${step}: net line count`);
      }
    }
  });

  it('seeds a state from hunks that describe the texts, and refuses ones that do not', () => {
    const base = 'a\nb\nc\nd\n';
    const text = 'a\nB\nc\nd\ne\n';
    const hunks = liveDiff(base, text).hunks;
    const seeded = seedState(base, text, hunks);
    assert.ok(seeded);
    assert.deepEqual(seeded.hunks, hunks);
    assert.deepEqual(updateState(seeded, 'a\nB\nc\nD\ne\n').hunks, liveDiff(base, 'a\nB\nc\nD\ne\n').hunks);
    assert.equal(seedState(base, text, []), undefined);
    assert.equal(seedState(base, text, [{ oldStart: 2, oldLines: 1, newStart: 2, newLines: 1 }]), undefined);
    assert.equal(seedState(base, base.replace(/\n/g, '\r\n'), []), undefined);
    assert.ok(seedState(base, base, []));
  });

  it('diffs a new or emptied text without jsdiff, and bounds a rewrite', () => {
    const text = Array.from({ length: 10000 }, (_, i) => `line ${i}\n`).join('');
    assert.deepEqual(diffState('', text).hunks, [{ oldStart: 0, oldLines: 0, newStart: 1, newLines: 10000 }]);
    assert.deepEqual(diffState(text, '').hunks, [{ oldStart: 1, oldLines: 10000, newStart: 0, newLines: 0 }]);
    const seeded = diffState(text, text);
    const cleared = updateState(seeded, '');
    assert.deepEqual(cleared.hunks, [{ oldStart: 1, oldLines: 10000, newStart: 0, newLines: 0 }]);
    const rewrite = Array.from({ length: 10000 }, (_, i) => `other ${i}\n`).join('');
    const started = Date.now();
    const r = updateState(seeded, rewrite, { timeoutMs: 200, maxEditLength: 2000 });
    assert.ok(Date.now() - started < 2000);
    assert.equal(r.gaveUp, true);
    assert.deepEqual(r.hunks, [{ oldStart: 1, oldLines: 10000, newStart: 1, newLines: 10000 }]);
  });
});
