import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const CLI = path.resolve(__dirname, '../../dist/cli.js');

/** Runs the CLI, reads `keep` bytes of stdout, then closes the pipe; resolves with exit code and stderr. */
function runAndClose(repo: TestRepo, args: string[], keep: number): Promise<{ code: number | null; stderr: string; got: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--cwd', repo.root], {
      env: testGitEnv(path.dirname(repo.root) + '/home'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let got = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= keep) child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, got }));
  });
}

describe('CLI output into a pipe the reader closes early', () => {
  let repo: TestRepo;
  before(async () => {
    repo = await makeRepo({ 'docs/specs/cache.md': '---\nscope:\n  - src/**\n---\n# Cache\n', 'README.md': 'x\n' });
    // Enough out-of-scope files that the report is far bigger than a pipe buffer (64 KiB).
    for (let i = 0; i < 1500; i++) await repo.write(`lib/file-${i}.txt`, `line ${i}\n`.repeat(20));
  });
  after(() => repo.cleanup());

  for (const format of ['json', 'text', 'sarif']) {
    it(`check --format ${format}: exits with its verdict (1) and prints no error`, async () => {
      const r = await runAndClose(repo, ['check', '--format', format], 100);
      assert.ok(r.got >= 100, 'read the head of the output');
      assert.equal(r.stderr, '');
      assert.equal(r.code, 1);
    });
  }

  it('check --fail-on none: exits 0 and prints no error', async () => {
    const r = await runAndClose(repo, ['check', '--format', 'json', '--fail-on', 'none'], 100);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });
});
