import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/check-boundary.mjs');

describe('core boundary check', () => {
  it('passes on src/core as it stands', () => {
    execFileSync(process.execPath, [script, join(__dirname, '../../src/core')], { stdio: 'pipe' });
  });

  for (const spec of ["import * as vscode from 'vscode';", "import { readFileSync } from 'node:fs';", "const cp = require('child_process');", "const m = await import('fs/promises');"]) {
    it(`fails on: ${spec}`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'sg-boundary-'));
      try {
        mkdirSync(join(dir, 'sub'));
        writeFileSync(join(dir, 'sub', 'x.ts'), `export {};\n${spec}\n`);
        assert.throws(
          () => execFileSync(process.execPath, [script, dir], { stdio: 'pipe' }),
          (e: { status: number; stderr: Buffer }) => e.status === 1 && /sub\/x\.ts:2/.test(e.stderr.toString()),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
