// The one line verify (and any command taking --base or --cwd) says when it cannot pass or
// cannot run: who made an approval that does not apply, and only as verified; approvals of
// single commits checked against a whole branch; a --base that is no commit; a folder that is
// git's own. Real repositories, real ssh-keygen keys, the CLI run as a process.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { approvalPath } from '../../src/core/approval';
import { shownTime } from '../../src/core/time';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import type { TestKey } from './sshKeys';
import { worldPerTest, type World } from './verifyFixture';

const short = (digest: string) => `${digest.slice(0, 19)}…`;
const TODO = 'and have a trusted reviewer run specgate approve on it';

describe('verify and --base/--cwd refusals say exactly what is wrong', function () {
  this.timeout(120000);
  const world = worldPerTest();
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  async function bundle(opts: { staged?: boolean; base?: string } = {}): Promise<string> {
    return writeBundle(await analyzeRepository({ cwd: w.repo.root, ...opts }), { out: path.join(w.scratch, 'reviews') });
  }
  function approveWith(key: TestKey, dir: string) {
    return approve({ cwd: w.repo.root, path: dir, key: key.key, ssh: { env: w.env, interactive: false } });
  }
  const rev = async (r: string) => (await w.repo.git('rev-parse', r)).trim();

  describe('the reviewer of an approval that does not apply', () => {
    it('is not named when no key the base trusts signed the record: an unverified record, said plainly', async () => {
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      // The assistant's own key (not in allowed_signers) signs a record naming alice.
      const r = await approveWith(w.keys.mallory, await bundle());
      await w.repo.git('add', 'src/app.ts');
      const cli = await w.cli(['verify', '--staged']);
      const v = await verify({ cwd: w.repo.root, staged: true });
      assert.deepEqual(
        [cli.code, cli.stdout, cli.stderr],
        [
          1,
          '',
          `specgate: not approved: stale approval: the approval recorded at ${shownTime(r.record.time)} (an unverified record: its signature does not verify against ` +
            `.specgate/allowed_signers at ${(await rev('HEAD')).slice(0, 12)}) is for all uncommitted work (${short(r.record.digest)}), but the commit takes only what is staged ` +
            `(${short(v.digest)}); stage the rest (git add -A) to commit exactly what was approved, or run specgate bundle --staged ${TODO}\n`,
        ],
      );
    });

    it('a rejection of an earlier state of the change is called a rejection, with its reviewer and time', async () => {
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      const r = await approve({ cwd: w.repo.root, path: await bundle(), key: w.keys.alice.key, reject: true, comment: 'no', ssh: { env: w.env, interactive: false } });
      await w.repo.write('src/app.ts', 'export const a = 3;\n');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'stale',
          `stale rejection: the rejection by alice@example.com recorded at ${shownTime(r.record.time)} is for ${short(r.record.digest)}, the change is now ${short(v.digest)}; make a new bundle and have it approved`,
        ],
      );
    });

    it('a rejection of all uncommitted work, met at the commit of part of it: no advice to commit what was rejected', async () => {
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      const r = await approve({ cwd: w.repo.root, path: await bundle(), key: w.keys.alice.key, reject: true, comment: 'no', ssh: { env: w.env, interactive: false } });
      await w.repo.git('add', 'src/app.ts');
      const v = await verify({ cwd: w.repo.root, staged: true });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'stale',
          `stale rejection: the rejection by alice@example.com recorded at ${shownTime(r.record.time)} is for all uncommitted work (${short(r.record.digest)}), but the commit takes only what is staged ` +
            `(${short(v.digest)}); run specgate bundle --staged ${TODO}`,
        ],
      );
    });
  });

  describe('CI on a branch whose commits were approved one by one', () => {
    /** Two commits on `feature`, each approved by alice at the pre-commit gate (staged, against HEAD then) and committed with its record. */
    async function approvedCommitByCommit(): Promise<{ main: string; first: string }> {
      const main = await rev('HEAD');
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await w.repo.git('add', 'src/app.ts');
      await approveWith(w.keys.alice, await bundle({ staged: true }));
      await w.repo.git('add', '.specgate/approvals');
      await w.repo.git('commit', '-q', '-m', 'first');
      const first = await rev('HEAD');
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      await w.repo.git('add', 'src/b.ts');
      await approveWith(w.keys.alice, await bundle({ staged: true }));
      await w.repo.git('add', '.specgate/approvals');
      await w.repo.git('commit', '-q', '-m', 'second');
      return { main, first };
    }

    it('counts the approvals of single commits and says none covers the whole change, and what to run', async () => {
      const { main, first } = await approvedCommitByCommit();
      const cli = await w.cli(['verify', '--base', 'main']);
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      const mb = main.slice(0, 12);
      assert.deepEqual(
        [cli.code, cli.stdout, cli.stderr],
        [
          1,
          '',
          `specgate: not approved: no approval for ${short(v.digest)} (spec .kiro/specs/cache) from the merge base ${mb} of main and HEAD: 2 approvals of this spec cover single commits ` +
            `of this branch (made against HEAD at ${mb}, ${first.slice(0, 12)}, as the pre-commit gate does), none the whole change from ${mb}; run specgate bundle --base main ${TODO}\n`,
        ],
      );
      assert.equal(v.code, 'no-approval');
      // Doing what it says passes.
      await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    });

    it('still calls an approval of the whole change made with --base stale once the branch moves on', async () => {
      await approvedCommitByCommit();
      const whole = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      await w.repo.write('src/b.ts', 'export const b = 3;\n');
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.deepEqual(
        [v.code, v.reason, v.record],
        [
          'stale',
          `stale approval: the approval by alice@example.com recorded at ${shownTime(whole.record.time)} is for ${short(whole.record.digest)}, the change is now ${short(v.digest)}; make a new bundle and have it approved`,
          approvalPath(whole.record.digest),
        ],
      );
    });
  });

  describe('a --base that names no commit', () => {
    it('a blob or a tree (an object id or HEAD:path): says which, exit 2', async () => {
      const blob = await rev('HEAD:README.md');
      const tree = await rev('HEAD^{tree}');
      await w.repo.git('tag', 'readme-blob', blob);
      const cases: [string, string][] = [
        [blob, "a blob (a file's content)"],
        ['HEAD:README.md', "a blob (a file's content)"],
        ['readme-blob', "a blob (a file's content)"],
        [tree, 'a tree (a folder listing)'],
        ['HEAD:', 'a tree (a folder listing)'],
      ];
      for (const [base, what] of cases) {
        const out = await w.cli(['verify', '--base', base]);
        assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', `specgate: invalid revision '${base}': it names ${what}, not a commit; give a branch, tag or commit\n`], base);
      }
    });

    it("git's commit-message search (:/text) is refused even when a commit matches, naming what to give instead", async () => {
      assert.equal(await rev(':/trusted reviewers'), await rev('HEAD'));
      for (const command of [['verify'], ['check']]) {
        const out = await w.cli([...command, '--base', ':/trusted reviewers']);
        assert.deepEqual(
          [out.code, out.stdout, out.stderr],
          [2, '', "specgate: invalid revision ':/trusted reviewers': git's commit-message search (:/text) is not accepted, since a new commit with a matching message would change the base; give a commit id or a ref\n"],
          command[0],
        );
      }
    });
  });

  describe('--cwd inside the git folder', () => {
    it('names the work tree to run from, for .git, a folder in it, and a linked worktree', async () => {
      const root = w.repo.root;
      for (const cwd of ['.git', '.git/hooks']) {
        const out = await w.cli(['verify', '--cwd', cwd]);
        assert.deepEqual([out.code, out.stdout, out.stderr], [2, '', `specgate: ${cwd} is inside the .git folder of ${root}, not its work tree; run from the work tree (e.g. --cwd ${root})\n`], cwd);
      }
      const linked = path.join(w.scratch, 'linked');
      await w.repo.git('worktree', 'add', '-q', linked, 'HEAD');
      const out = await w.cli(['verify', '--cwd', '.git/worktrees/linked']);
      assert.deepEqual(
        [out.code, out.stdout, out.stderr],
        [2, '', `specgate: .git/worktrees/linked is inside the git folder of the linked worktree ${linked}, not its work tree; run from the work tree (e.g. --cwd ${linked})\n`],
      );
    });
  });
});
