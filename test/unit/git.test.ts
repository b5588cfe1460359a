import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BLOB_HEADER_ROOM, blobIdInPlace, gitBlobId, countLines, looksBinary } from '../../src/core/gitblob';
import { UsageError } from '../../src/core/model';
import { Git, GitError } from '../../src/node/git';
import { makeRepo, type TestRepo } from './helpers/gitRepo';
import { isolateGitConfig } from './helpers/isolatedGit';

describe('Git', () => {
  isolateGitConfig();
  let repo: TestRepo;
  beforeEach(async () => {
    repo = await makeRepo({ 'a.txt': 'one\ntwo\n', 'dir/b.txt': 'bee\n' });
  });
  afterEach(async () => repo.cleanup());

  it('opens a repository from a subfolder and reports its root', async () => {
    const git = await Git.open(path.join(repo.root, 'dir'));
    assert.equal(git.root, repo.root);
  });

  it('notes the commit HEAD named when opened, and null on an unborn branch', async () => {
    const git = await Git.open(path.join(repo.root, 'dir'));
    assert.equal(git.headAtOpen, (await repo.git('rev-parse', 'HEAD')).trim());
    const empty = await makeRepo();
    try {
      const unborn = await Git.open(empty.root);
      assert.equal(unborn.root, empty.root);
      assert.equal(unborn.headAtOpen, null);
    } finally {
      await empty.cleanup();
    }
  });

  it('refuses a folder that does not exist with a one-line UsageError', async () => {
    const missing = path.join(repo.root, 'nope');
    await assert.rejects(Git.open(missing), (e: Error) => e instanceof UsageError && e.message === `folder not found: ${missing} (pass --cwd with a folder inside a git repository)`);
  });

  it('refuses a folder outside any repository', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'specgate-norepo-'));
    try {
      await mkdir(path.join(dir, 'x'));
      await assert.rejects(Git.open(path.join(dir, 'x')), (e: Error) => e instanceof UsageError && /^not a git repository: /.test(e.message) && !e.message.includes('\n'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("says so in English when the user's git speaks another language (LANGUAGE=de)", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), 'specgate-norepo-'));
    const saved = process.env.LANGUAGE;
    try {
      process.env.LANGUAGE = 'de';
      const german = await new Promise<string>((resolve) => execFile('git', ['rev-parse', '--show-toplevel'], { cwd: dir }, (_e, _o, stderr) => resolve(stderr)));
      if (!/Git-Repository/.test(german)) this.skip(); // this git has no German messages: nothing to show
      await assert.rejects(Git.open(dir), (e: Error) => e instanceof UsageError && e.message === `not a git repository: ${dir} (run inside a repository or pass --cwd)`);
      await assert.rejects(Git.open(path.join(repo.root, '.git')), (e: Error) => e instanceof UsageError && /is inside the \.git folder of .*, not its work tree; run from the work tree/.test(e.message));
    } finally {
      if (saved === undefined) delete process.env.LANGUAGE;
      else process.env.LANGUAGE = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('resolves revisions to full commit ids', async () => {
    const git = await Git.open(repo.root);
    const head = (await repo.git('rev-parse', 'HEAD')).trim();
    assert.equal(await git.resolveCommit('main'), head);
    assert.equal(await git.resolveCommit('HEAD'), head);
    assert.equal(await git.headCommit(), head);
  });

  it('says unknown revision for a name git does not know', async () => {
    const git = await Git.open(repo.root);
    await assert.rejects(git.resolveCommit('no-such-branch'), (e: Error) => e instanceof UsageError && e.message === "unknown revision 'no-such-branch': no branch, tag or commit of that name here; check the name, or fetch it first (a CI checkout needs the full history, e.g. fetch-depth: 0)");
  });

  it('says a range is one, not an unknown name', async () => {
    const git = await Git.open(repo.root);
    for (const rev of ['main..HEAD', 'main...HEAD']) {
      await assert.rejects(
        git.resolveCommit(rev),
        (e: Error) => e instanceof UsageError && e.message === `invalid revision '${rev}': a range names many commits; give one branch, tag or commit (--base main: SpecGate takes the merge base of it and HEAD itself)`,
      );
    }
  });

  it('shows a revision\'s terminal escapes and bidi controls as \\u{…}, never raw', async () => {
    const git = await Git.open(repo.root);
    // An ESC sequence would restyle the terminal line; U+202E would reorder it; U+009B is a C1 escape.
    await assert.rejects(
      git.resolveCommit('main\x1b[31m\u202e\u009b'),
      (e: Error) =>
        e instanceof UsageError &&
        e.message === "unknown revision 'main\\u{1b}[31m\\u{202e}\\u{9b}': no branch, tag or commit of that name here; check the name, or fetch it first (a CI checkout needs the full history, e.g. fetch-depth: 0)",
    );
    await assert.rejects(git.resolveCommit('-\x1b[2J'), (e: Error) => e instanceof UsageError && e.message === "invalid revision '-\\u{1b}[2J': give a branch, tag or commit");
  });

  it('refuses a revision starting with a dash before running git', async () => {
    const git = await Git.open(repo.root);
    await assert.rejects(git.resolveCommit('--output=x'), (e: Error) => e instanceof UsageError && /invalid revision '--output=x'/.test(e.message));
  });

  it('reports the current branch, and none on a detached HEAD', async () => {
    const git = await Git.open(repo.root);
    assert.equal(await git.currentBranch(), 'main');
    await repo.git('checkout', '-q', '--detach');
    assert.equal(await git.currentBranch(), undefined);
  });

  it('finds the merge base of two branches', async () => {
    const fork = await repo.commit('fork point');
    await repo.git('checkout', '-q', '-b', 'feature');
    await repo.write('f.txt', 'feature\n');
    await repo.commit('feature work');
    await repo.git('checkout', '-q', 'main');
    await repo.write('m.txt', 'main\n');
    await repo.commit('main work');
    const git = await Git.open(repo.root);
    assert.equal(await git.mergeBase('main', 'feature'), fork);
  });

  it('reads one blob and many blobs in a batch', async () => {
    const git = await Git.open(repo.root);
    const a = (await repo.git('rev-parse', 'HEAD:a.txt')).trim();
    const b = (await repo.git('rev-parse', 'HEAD:dir/b.txt')).trim();
    assert.equal((await git.showBlob(a)).toString(), 'one\ntwo\n');
    const seen: [string, string, string | null, number][] = [];
    await git.readBlobs([b, a, 'f'.repeat(40), a], (id, type, content, size) => seen.push([id, type, content?.toString() ?? null, size]));
    assert.deepEqual(seen, [
      [b, 'blob', 'bee\n', 4],
      [a, 'blob', 'one\ntwo\n', 8],
      ['f'.repeat(40), 'missing', null, 0],
      [a, 'blob', 'one\ntwo\n', 8],
    ]);
  });

  it('reads blobs larger than a pipe chunk intact, in order', async () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
    await repo.write('big.bin', big);
    await repo.write('small.txt', 'small\n');
    await repo.commit('big');
    const git = await Git.open(repo.root);
    const b = (await repo.git('rev-parse', 'HEAD:big.bin')).trim();
    const s = (await repo.git('rev-parse', 'HEAD:small.txt')).trim();
    const got: [string, number][] = [];
    await git.readBlobs([s, b, s, b], (id, _t, content) => {
      assert.ok(content);
      assert.ok(content.equals(id === b ? big : Buffer.from('small\n')));
      got.push([id, content.length]);
    });
    assert.deepEqual(got, [[s, 6], [b, 300_000], [s, 6], [b, 300_000]]);
  });

  it('leaves out blob content above the size cap but reports the size', async () => {
    const git = await Git.open(repo.root);
    const a = (await repo.git('rev-parse', 'HEAD:a.txt')).trim();
    const seen: (string | null)[] = [];
    await git.readBlobs([a], (_id, _t, content, size) => seen.push(`${content === null ? 'null' : content.toString()}:${size}`), 4);
    assert.deepEqual(seen, ['null:8']);
  });

  it('gives the head of a blob above the size cap when asked, and nothing more of it', async () => {
    const big = Buffer.alloc(300_000, 'y');
    big.write('head of it', 0);
    await repo.write('head.txt', big);
    await repo.commit('head');
    const git = await Git.open(repo.root);
    const a = (await repo.git('rev-parse', 'HEAD:a.txt')).trim();
    const h = (await repo.git('rev-parse', 'HEAD:head.txt')).trim();
    const seen: string[] = [];
    await git.readBlobs([h, a, h], (_id, _t, content, size, head) => seen.push(`${content?.toString() ?? 'null'}:${size}:${head?.toString() ?? '-'}`), 1000, undefined, 10);
    assert.deepEqual(seen, ['null:300000:head of it', 'one\ntwo\n:8:-', 'null:300000:head of it']);
  });

  it('reports a failing git command in one line naming the subcommand', async () => {
    const git = await Git.open(repo.root);
    await assert.rejects(git.run(['-c', 'x.y=z', 'cat-file', '-p', 'f'.repeat(40)]), (e: Error) => e instanceof GitError && /^git cat-file failed: \S/.test(e.message) && !e.message.includes('\n'));
    await assert.rejects(git.stream(['-c', 'x.y=z', 'cat-file', '-p', 'f'.repeat(40)], () => undefined), (e: Error) => e instanceof GitError && /^git cat-file failed: /.test(e.message));
  });

  it('reads the user identity from git config', async () => {
    const git = await Git.open(repo.root);
    assert.equal(await git.userEmail(), 'author@example.com');
    assert.equal(await git.userName(), 'Test Author');
    assert.equal(await git.configValue('specgate.nothing'), undefined);
  });

  it('returns null for HEAD in a repository without commits', async () => {
    const empty = await makeRepo();
    try {
      const git = await Git.open(empty.root);
      assert.equal(await git.headCommit(), null);
      assert.equal(await git.currentBranch(), 'main');
    } finally {
      await empty.cleanup();
    }
  });
});

describe('gitBlobId', () => {
  isolateGitConfig();
  it('matches git hash-object for text, binary and empty content', async () => {
    const repo = await makeRepo();
    try {
      const samples: [string, Buffer][] = [
        ['t.txt', Buffer.from('hello\nworld\n')],
        ['b.bin', Buffer.from([0, 1, 2, 255, 10, 0])],
        ['e.txt', Buffer.alloc(0)],
      ];
      for (const [name, bytes] of samples) {
        await repo.write(name, bytes);
        assert.equal(gitBlobId(bytes), (await repo.git('hash-object', '--no-filters', '--', name)).trim(), name);
      }
    } finally {
      await repo.cleanup();
    }
  });

  it('gives the same id in place, with the header written into the room before the content', () => {
    for (const size of [0, 1, 9, 10, 99, 100, 65_536, 1_000_001]) {
      const content = Buffer.alloc(size, 'x');
      const buf = Buffer.alloc(BLOB_HEADER_ROOM + 8 + size, 0xff);
      content.copy(buf, BLOB_HEADER_ROOM + 8);
      assert.equal(blobIdInPlace(buf, BLOB_HEADER_ROOM + 8, BLOB_HEADER_ROOM + 8 + size), gitBlobId(content), `size ${size}`);
      assert.ok(buf.subarray(BLOB_HEADER_ROOM + 8).equals(content), 'the content is left as it was');
    }
    assert.throws(() => blobIdInPlace(Buffer.alloc(40), 4, 40), /no room/);
  });

  it('counts lines as git does and spots NUL bytes like git', () => {
    assert.equal(countLines(Buffer.from('')), 0);
    assert.equal(countLines(Buffer.from('a')), 1);
    assert.equal(countLines(Buffer.from('a\n')), 1);
    assert.equal(countLines(Buffer.from('a\nb')), 2);
    assert.equal(countLines(Buffer.from('\n\n')), 2);
    assert.equal(looksBinary(Buffer.from('plain text')), false);
    assert.equal(looksBinary(Buffer.from([65, 0, 66])), true);
    assert.equal(looksBinary(Buffer.concat([Buffer.alloc(8000, 65), Buffer.from([0])])), false);
  });
});
