// Cancelling a bundle: the AbortSignal that analyzeRepository and writeBundle take, and Ctrl-C
// (SIGINT to the process group, as a terminal sends it) to `specgate bundle`. Whenever the
// abort comes, git is killed and nothing is left behind: no bundle folder, no temporary patch.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { makeRepo, testGitEnv, type TestRepo } from './helpers/gitRepo';

const CLI = path.resolve(__dirname, '../../dist/cli.js');
const SPEC = 'docs/specs/cache.md';
const REVIEWS = '.specgate/reviews';

/** Pids of the live git processes whose parent is `ppid` (only `git … diff …` ones with `diff`). */
function gitChildren(ppid: number, diff = false): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) (\S) (\d+)/s.exec(stat);
      if (!m || m[1] !== 'git' || m[2] === 'Z' || Number(m[3]) !== ppid) continue;
      if (diff && !readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('diff')) continue;
      out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A line-numbered text of about `mb` megabytes: a change git takes seconds to diff and write out. */
function bigText(mb: number): string {
  const lines: string[] = [];
  for (let i = 0, size = 0; size < mb * 1024 * 1024; i++) {
    const l = `line ${i} ${(i * 7919) % 100003}\n`;
    lines.push(l);
    size += l.length;
  }
  return lines.join('');
}

describe('cancelling a review bundle', function () {
  this.timeout(120000);
  let repo: TestRepo;
  let tmp: string;
  const prevEnv = { ...process.env };

  before(async () => {
    repo = await makeRepo({
      [SPEC]: '---\nscope: ["src/**"]\n---\n# Cache\n\n- [x] 1. Add cache in `src/cache.ts`\n',
      'src/cache.ts': 'export const cache = 1;\n',
      'src/big.txt': 'start\n',
    });
    await repo.write('src/cache.ts', 'export const cache = new Map();\n');
    await repo.write('src/big.txt', bigText(12));
  });

  beforeEach(async () => {
    // The temporary patch goes to os.tmpdir(): a folder of this test's own, to see it removed.
    tmp = await mkdtemp(path.join(tmpdir(), 'specgate-cancel-tmp-'));
    Object.assign(process.env, testGitEnv(path.join(repo.root, '..', 'home')), { TMPDIR: tmp });
    await repo.rm('.specgate');
  });

  afterEach(async () => {
    for (const k of Object.keys(process.env)) if (!(k in prevEnv)) delete process.env[k];
    Object.assign(process.env, prevEnv);
    await rm(tmp, { recursive: true, force: true });
  });

  after(() => repo.cleanup());

  const leftovers = () => ({
    reviews: existsSync(path.join(repo.root, REVIEWS)) ? readdirSync(path.join(repo.root, REVIEWS)) : [],
    tmp: readdirSync(tmp),
    git: gitChildren(process.pid),
  });
  const nothingLeft = { reviews: [], tmp: [], git: [] };

  it('analyzeRepository: an abort while git diffs kills git and rejects with an AbortError', async () => {
    const abort = new AbortController();
    const running = analyzeRepository({ cwd: repo.root, signal: abort.signal });
    running.catch(() => undefined);
    await until('git diff running', () => (gitChildren(process.pid, true).length > 0 ? true : undefined));
    const t0 = Date.now();
    abort.abort();
    await assert.rejects(running, { name: 'AbortError' });
    assert.ok(Date.now() - t0 < 1000, `rejected ${Date.now() - t0} ms after the abort`);
    await until('git gone', () => (gitChildren(process.pid).length === 0 ? true : undefined), 2000);
  });

  it('analyzeRepository: an abort before it starts runs no git', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(analyzeRepository({ cwd: repo.root, signal: abort.signal }), { name: 'AbortError' });
  });

  // Each step writeBundle reports, and the abort right then: the call rejects and leaves nothing.
  for (const step of ['writing the patch…', 'rendering the review…', 'writing REVIEW.md…', 'writing changes.patch…', 'writing review.sarif…', 'writing packet.json…']) {
    it(`writeBundle: an abort at "${step}" leaves no bundle folder and no temporary patch`, async () => {
      const analysis = await analyzeRepository({ cwd: repo.root });
      const abort = new AbortController();
      const seen: string[] = [];
      const writing = writeBundle(analysis, {
        signal: abort.signal,
        onProgress: (m) => {
          seen.push(m);
          if (m === step) abort.abort();
        },
      });
      await assert.rejects(writing, { name: 'AbortError' });
      assert.ok(seen.includes(step), `steps seen: ${seen.join(', ')}`);
      // A killed git, or the blob reader whose input just closed, takes a moment to exit on a busy machine.
      await until('git gone', () => (gitChildren(process.pid).length === 0 ? true : undefined), 2000).catch(() => undefined);
      assert.deepEqual(leftovers(), nothingLeft);
    });
  }

  it('writeBundle: an abort while git writes the patch kills git', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const abort = new AbortController();
    const writing = writeBundle(analysis, { signal: abort.signal });
    writing.catch(() => undefined);
    await until('git diff writing the patch', () => (gitChildren(process.pid, true).length > 0 ? true : undefined));
    abort.abort();
    await assert.rejects(writing, { name: 'AbortError' });
    await until('git gone', () => (gitChildren(process.pid).length === 0 ? true : undefined), 2000);
    assert.deepEqual(leftovers(), nothingLeft);
  });

  it('writeBundle: without an abort the folder has every file, packet.json written last', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const seen: string[] = [];
    const dir = await writeBundle(analysis, { onProgress: (m) => seen.push(m) });
    assert.deepEqual(seen.filter((m) => m.startsWith('writing ') && m !== 'writing the patch…').slice(-1), ['writing packet.json…']);
    assert.deepEqual(readdirSync(dir).sort(), ['REVIEW.md', 'changes.patch', 'packet.json', 'review.html', 'review.sarif', 'spec']);
    assert.deepEqual(readdirSync(tmp), []);
  });

  describe('specgate bundle and Ctrl-C', () => {
    /** Runs the CLI in its own process group; `interrupt` says when to send SIGINT to the group. */
    function runInterrupted(interrupt: (pid: number) => Promise<void>, root = repo.root, command = 'bundle'): Promise<{ code: number | null; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, command, '--cwd', root], {
          env: { ...testGitEnv(path.join(root, '..', 'home')), TMPDIR: tmp },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        interrupt(child.pid!).then(() => process.kill(-child.pid!, 'SIGINT'), reject);
      });
    }

    it('Ctrl-C while git diffs: exit 130, one line, nothing left behind', async () => {
      let cli = 0;
      const r = await runInterrupted(async (pid) => {
        cli = pid;
        await until('git diff running under the CLI', () => (gitChildren(pid, true).length > 0 ? true : undefined));
      });
      assert.deepEqual(r, { code: 130, stdout: '', stderr: 'specgate: bundle cancelled (SIGINT); no bundle was written\n' });
      assert.deepEqual(gitChildren(cli), []);
      assert.deepEqual({ reviews: leftovers().reviews, tmp: leftovers().tmp }, { reviews: [], tmp: [] });
    });

    it('Ctrl-C during another command (check): exit 130 and one line, not a silent end', async () => {
      const r = await runInterrupted(async (pid) => {
        await until('git diff running under the CLI', () => (gitChildren(pid, true).length > 0 ? true : undefined));
      }, repo.root, 'check');
      assert.deepEqual(r, { code: 130, stdout: '', stderr: 'specgate: stopped (SIGINT)\n' });
    });

    it('Ctrl-C once the bundle folder is made: exit 130, the folder is removed', async () => {
      // A spec of 1000 documents: their copies take the writer a few hundred ms, time enough
      // for the signal to arrive while the folder is being filled.
      const notes: Record<string, string> = { '.kiro/specs/cache/tasks.md': '# Tasks\n\n- [ ] 1. Add `src/cache.ts`\n', 'src/cache.ts': 'a\n' };
      for (let i = 0; i < 1000; i++) notes[`.kiro/specs/cache/notes/n${i}.md`] = `# Note ${i}\n`;
      const many = await makeRepo(notes);
      try {
        await many.write('src/cache.ts', 'b\n');
        const reviews = path.join(many.root, REVIEWS);
        mkdirSync(reviews, { recursive: true });
        const r = await runInterrupted(
          () =>
            new Promise<void>((resolve) => {
              const w = watch(reviews, () => {
                w.close();
                resolve();
              });
            }),
          many.root,
        );
        assert.deepEqual(r, { code: 130, stdout: '', stderr: 'specgate: bundle cancelled (SIGINT); no bundle was written\n' });
        // (this test's repository lies in the same temporary folder)
        assert.deepEqual({ reviews: readdirSync(reviews), tmp: readdirSync(tmp).filter((n) => n.startsWith('specgate-patch-')) }, { reviews: [], tmp: [] });
      } finally {
        await many.cleanup();
      }
    });
  });

  it('a folder that exists is never written into, cancelled or not', async () => {
    const analysis = await analyzeRepository({ cwd: repo.root });
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const name = `cache-20260102-030405-${analysis.report.digest.slice(7, 15)}`;
    mkdirSync(path.join(repo.root, REVIEWS, name), { recursive: true });
    await writeFile(path.join(repo.root, REVIEWS, name, 'mine.txt'), 'mine\n');
    const abort = new AbortController();
    const writing = writeBundle(analysis, { now, signal: abort.signal, onProgress: (m) => m === 'writing review.html…' && abort.abort() });
    await assert.rejects(writing, { name: 'AbortError' });
    assert.deepEqual(readdirSync(path.join(repo.root, REVIEWS)), [name]);
    assert.deepEqual(readdirSync(path.join(repo.root, REVIEWS, name)), ['mine.txt']);
  });
});
