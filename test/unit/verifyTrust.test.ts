// What a trusted approval is worth over time and across checkouts: a key the target branch
// has since removed, a record replayed after its change was reverted, the reviewer who only
// checked the branch out, a bundle approved on another checkout, CI's detached HEAD with
// several specs, a record damaged after signing, and `git commit -a` at the gate. Real repositories, real keys, the real hook.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { installHook } from '../../src/node/hook';
import type { TestKey } from './sshKeys';
import { worldPerTest, type World } from './verifyFixture';

describe('verify: trust over time and across checkouts', function () {
  this.timeout(120000);
  let w: World;
  const freshWorld = worldPerTest();

  async function bundle(opts: { staged?: boolean; base?: string; spec?: string } = {}): Promise<string> {
    return writeBundle(await analyzeRepository({ cwd: w.repo.root, ...opts }), { out: path.join(w.scratch, 'reviews') });
  }
  function approveWith(key: TestKey, dir: string) {
    return approve({ cwd: w.repo.root, path: dir, key: key.key, ssh: { env: w.env, interactive: false } });
  }
  const rev = async (r: string) => (await w.repo.git('rev-parse', r)).trim();
  const records = () => readdirSync(path.join(w.repo.root, '.specgate/approvals')).filter((n) => n.endsWith('.json'));

  /** git run as alice@example.com (author and committer), in the world's repository. */
  function asAlice(...args: string[]): Buffer {
    return execFileSync('git', args, { cwd: w.repo.root, env: { ...w.env, GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_EMAIL: 'alice@example.com' }, stdio: 'pipe' });
  }

  /** As whoever runs the command (the committer-to-be): user.email and git's identity variables. */
  function actAs(email: string): void {
    for (const v of ['GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL']) process.env[v] = email;
  }

  it('refuses a key the target branch removed after the branch forked, and approve warns', async () => {
    w = await freshWorld();
    const forked = await rev('HEAD');
    // main revokes alice (a leaked key) after the feature branch forked.
    const signers = readFileSync(path.join(w.repo.root, '.specgate/allowed_signers'), 'utf8');
    await w.repo.write('.specgate/allowed_signers', signers.split('\n').filter((l) => !l.startsWith('alice@')).join('\n'));
    await w.repo.commit('revoke alice');
    const tip = await rev('HEAD');
    await w.repo.git('checkout', '-q', '-b', 'feature', forked);
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('feature work');
    const r = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal(
      r.warning,
      `this key is trusted in .specgate/allowed_signers at the merge base ${forked.slice(0, 12)} but not at ${tip.slice(0, 12)}, the tip of main, so verify --base will not accept the record: the target branch no longer trusts it`,
    );
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(
      [v.ok, v.code, v.reason],
      [
        false,
        'untrusted-signer',
        `untrusted signer: the key of alice@example.com is trusted in .specgate/allowed_signers at the merge base ${forked.slice(0, 12)} but not at ${tip.slice(0, 12)}, the tip of main, which no longer lists it (or no longer for specgate signatures); a key the target branch removed is revoked for changes made before too: have a reviewer trusted both there and at the merge base approve it, or merge main into the branch (or rebase on it) so that its reviewers count`,
      ],
    );
  });

  it('refuses a self-approval that the target branch no longer allows', async () => {
    w = await freshWorld('allowSelfApproval: true\n');
    const forked = await rev('HEAD');
    await w.repo.write('.specgate/config.yml', 'allowSelfApproval: false\n');
    await w.repo.commit('no more self-approval');
    await w.repo.git('checkout', '-q', '-b', 'feature', forked);
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('feature work by the author');
    await approveWith(w.keys.author, await bundle({ base: 'main' }));
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(v.code, 'self-approval', v.reason);
    // On the fork point itself (main not moved on), the base's allowSelfApproval holds.
    await w.repo.git('branch', '-f', 'main', forked);
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
  });

  it('refuses a record committed before, once its change was reverted and applied again; a new approval passes', async () => {
    w = await freshWorld();
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await approveWith(w.keys.alice, await bundle());
    await w.repo.commit('risky change, approved');
    const approvedIn = await rev('HEAD');
    await w.repo.write('src/app.ts', 'export const a = 1;\n');
    await w.repo.commit('revert the risky change');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    const [name] = records();
    const v = await verify({ cwd: w.repo.root });
    assert.deepEqual(
      [v.ok, v.code, v.record, v.reason],
      [
        false,
        'replayed',
        `.specgate/approvals/${name}`,
        `replayed approval: .specgate/approvals/${name} was committed before, in ${approvedIn.slice(0, 12)} (in the history of ${(await rev('HEAD')).slice(0, 12)}): it approved this change when it was applied then (reverted or undone since), and an approval counts once (a record goes into the commit of the change it approves); run specgate bundle and have a trusted reviewer run specgate approve on it`,
      ],
    );
    // In CI, on a branch that applies it again.
    await w.repo.git('checkout', '-q', '-b', 'again');
    await w.repo.commit('apply it again');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'replayed');
    // A reviewer who decides again writes a new record: that one counts.
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
  });

  for (const [option, why] of [
    ['namespaces="git"', 'namespaces="git" leaves out specgate'],
    ['valid-before="20200101"', 'its valid-before="20200101" has passed'],
    ['valid-after="29990101"', 'its valid-after="29990101" has not come yet'],
  ] as const) {
    it(`names the option of the key's allowed_signers line that refuses it (${option}), in approve's warning and verify's reason`, async () => {
      w = await freshWorld();
      const file = path.join(w.repo.root, '.specgate/allowed_signers');
      const signers = readFileSync(file, 'utf8');
      await w.repo.write('.specgate/allowed_signers', signers.replace(/^alice@example\.com /m, `alice@example.com ${option} `));
      await w.repo.commit('alice, with an option');
      const base = (await rev('HEAD')).slice(0, 12);
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      const r = await approveWith(w.keys.alice, await bundle());
      assert.equal(r.warning, `verify will not accept the record: the key's line in .specgate/allowed_signers at ${base} allows no specgate signature now: ${why}`);
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'untrusted-signer', v.reason);
      if (option.startsWith('namespaces')) assert.match(v.reason, /is not valid for specgate signatures/);
      else assert.equal(v.reason, `untrusted signer: the key's line in .specgate/allowed_signers in ${base} allows no specgate signature now: ${why}`);
    });
  }

  it('refuses the record on a branch forked before the approved change landed on the target and was reverted there', async () => {
    w = await freshWorld();
    const forked = await rev('HEAD');
    // On main: the change, approved and committed with its record, then reverted (record too).
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await approveWith(w.keys.alice, await bundle());
    await w.repo.commit('risky change, approved');
    const approvedIn = await rev('HEAD');
    await w.repo.git('revert', '--no-edit', 'HEAD');
    const tip = await rev('HEAD');
    // A branch from before all that applies the change again with the old record.
    await w.repo.git('checkout', '-q', '-b', 'sneaky', forked);
    await w.repo.git('checkout', approvedIn, '--', 'src/app.ts', '.specgate/approvals');
    await w.repo.commit('apply it again, with the old record');
    const [name] = records();
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(
      [v.code, v.reason],
      [
        'replayed',
        `replayed approval: .specgate/approvals/${name} was committed before, in ${approvedIn.slice(0, 12)} (in the history of ${tip.slice(0, 12)}, the tip of main): it approved this change when it was applied then (reverted or undone since), and an approval counts once (a record goes into the commit of the change it approves); run specgate bundle --base main and have a trusted reviewer run specgate approve on it`,
      ],
    );
    // A reviewer who decides again writes a new record: that one counts.
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
  });

  it('refuses an approval put back on the branch after the reviewer rejected the same change there; deciding again passes', async () => {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('the change');
    const dir = await bundle({ base: 'main' });
    const decide = (reject: boolean, at: string) =>
      approve({ cwd: w.repo.root, path: dir, key: w.keys.alice.key, reject, comment: reject ? 'no: found a bug' : '', now: new Date(at), ssh: { env: w.env, interactive: false } });
    await decide(false, '2026-11-20T10:00:00.000Z');
    await w.repo.commit('approval');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    await decide(true, '2026-11-20T11:00:00.000Z');
    await w.repo.commit('rejection');
    const rejectedIn = await rev('HEAD');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'rejected');
    // Whoever can push to the branch puts the approval back.
    await w.repo.git('checkout', 'HEAD~1', '--', '.specgate/approvals');
    await w.repo.commit('restore');
    const [name] = records();
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(
      [v.ok, v.code, v.record, v.reason],
      [
        false,
        'replayed',
        `.specgate/approvals/${name}`,
        `replayed approval: .specgate/approvals/${name}, recorded at 2026-11-20 10:00:00 UTC, was replaced on this branch by a later rejection of this change by alice@example.com (recorded at 2026-11-20 11:00:00 UTC, in ${rejectedIn.slice(0, 12)}) and then put back; a record put back does not undo a later decision: the reviewer must decide again (run specgate bundle --base main and have a trusted reviewer run specgate approve on it)`,
      ],
    );
    // The reviewer approves anew, after the rejection: that decision is the latest, and counts.
    await decide(false, '2026-11-20T12:00:00.000Z');
    await w.repo.commit('approved again');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
  });

  it('refuses a replayed record that was committed with CRLF line ends, or in a merge commit', async () => {
    w = await freshWorld();
    const forked = await rev('HEAD');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await approveWith(w.keys.alice, await bundle());
    const [name] = records();
    const rel = `.specgate/approvals/${name}`;
    const lf = readFileSync(path.join(w.repo.root, rel), 'utf8');
    // On main: the change with its record in CRLF form (a shape verify accepts), then reverted.
    await w.repo.write(rel, lf.replace(/\n/g, '\r\n'));
    await w.repo.commit('risky change, approved (CRLF record)');
    const crlfIn = await rev('HEAD');
    assert.equal((await verify({ cwd: w.repo.root, base: forked })).code, 'approved');
    await w.repo.git('revert', '--no-edit', 'HEAD');
    await w.repo.git('checkout', '-q', '-b', 'again');
    await w.repo.git('checkout', crlfIn, '--', 'src/app.ts', '.specgate/approvals');
    await w.repo.write(rel, lf);
    await w.repo.commit('apply it again, with the record as approve wrote it');
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(v.code, 'replayed', v.reason);
    assert.match(v.reason, new RegExp(`was committed before, in ${crlfIn.slice(0, 12)} `));

    // A record that entered history in a merge commit (main merged into the branch, the records added while merging).
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'pr1');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('the change');
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.write('README.md', 'main moves\n');
    await w.repo.git('add', 'README.md');
    await w.repo.git('commit', '-qm', 'main moves');
    await w.repo.git('checkout', '-q', 'pr1');
    await w.repo.git('merge', '-q', '--no-commit', 'main');
    await w.repo.git('add', '.specgate/approvals');
    await w.repo.git('commit', '-qm', 'merge main into pr1, with the approval');
    const mergedIn = await rev('HEAD');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.git('merge', '-q', '--no-ff', 'pr1', '-m', 'merge pr1');
    await w.repo.git('revert', '--no-edit', '-m', '1', 'HEAD');
    await w.repo.git('checkout', '-q', '-b', 'pr2');
    await w.repo.git('checkout', mergedIn, '--', 'src/app.ts', '.specgate/approvals');
    await w.repo.commit('apply it again, with the old record');
    const again = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(again.code, 'replayed', again.reason);
    assert.match(again.reason, new RegExp(`was committed before, in ${mergedIn.slice(0, 12)} `));
  });

  it('stops in a shallow clone whose cut falls inside the change: who wrote the commits below it is unknown', async () => {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('the change');
    await w.repo.write('src/b.ts', 'export const b = 1;\n');
    await w.repo.commit('more of it');
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.write('README.md', '# app, moved on\n');
    await w.repo.commit('main moves');
    await w.repo.git('checkout', '-q', 'feature');
    await w.repo.git('merge', '-q', '--no-edit', 'main');
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    await w.repo.git('add', '.specgate/approvals');
    await w.repo.commit('approval');
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved', 'in the full history');
    // CI with a fetch depth that keeps the merge base but not the change's first commit.
    const clone = path.join(w.scratch, 'ci');
    execFileSync('git', ['clone', '-q', '--depth', '3', '--no-single-branch', `file://${w.repo.root}`, clone], { env: w.env, stdio: 'pipe' });
    execFileSync('git', ['checkout', '-q', 'feature'], { cwd: clone, env: w.env, stdio: 'pipe' });
    await assert.rejects(verify({ cwd: clone, base: 'refs/remotes/origin/main' }), {
      name: 'UsageError',
      message: /^this shallow clone cuts the change's history at [0-9a-f]{12}, so who wrote the commits before it cannot be known; fetch the whole history \(git fetch --unshallow, or fetch-depth: 0 in CI\) and try again$/,
    });
    execFileSync('git', ['fetch', '-q', '--unshallow'], { cwd: clone, env: w.env, stdio: 'pipe' });
    assert.equal((await verify({ cwd: clone, base: 'refs/remotes/origin/main' })).code, 'approved');
  });

  it('runs no merge driver the repository configures: every merge then counts', async () => {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit("the author's change");
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.write('src/other.ts', 'export const o = 1;\n');
    await w.repo.commit('main moves');
    await w.repo.git('checkout', '-q', 'feature');
    asAlice('merge', '-q', '--no-edit', 'main');
    // A driver for every file: a trial merge would run it.
    const ran = path.join(w.scratch, 'driver-ran');
    await w.repo.git('config', 'merge.mine.driver', `touch '${ran}'; false`);
    writeFileSync(path.join(w.repo.root, '.git', 'info', 'attributes'), '* merge=mine\n');
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'self-approval');
    assert.equal(existsSync(ran), false, 'the driver never ran');
  });

  it('counts the author of a merge that picked sides: -s ours from the target\'s past, or a hunk of the target put back as it was', async () => {
    // Alice is a trusted reviewer and the author here: her merges must not launder the change.
    w = await freshWorld();
    const old = await rev('HEAD');
    await w.repo.write('src/app.ts', 'export const a = 1;\nexport const strict = true;\n');
    await w.repo.commit('a fix on main');
    // (1) A branch of nothing but `git merge -s ours main` from an old commit of main: the fix is reverted.
    await w.repo.git('checkout', '-q', '-b', 'ours', old);
    asAlice('merge', '-q', '-s', 'ours', '--no-edit', 'main');
    assert.equal(await w.repo.git('diff-tree', '--cc', '--no-commit-id', 'HEAD'), '', 'git sees nothing of its own in it');
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'self-approval');

    // (2) A merge of main that keeps the old side of main's hunk: each hunk is some parent's.
    await w.repo.git('checkout', '-q', '-b', 'picked', old);
    await w.repo.write('README.md', '# app, by the branch\n');
    await w.repo.commit("someone else's branch work");
    asAlice('merge', '-q', '--no-ff', '--no-commit', 'main');
    await w.repo.write('src/app.ts', 'export const a = 1;\n');
    await w.repo.git('add', '-A');
    asAlice('commit', '-q', '--no-edit', '--no-verify');
    assert.equal(await w.repo.git('diff-tree', '--cc', '--no-commit-id', 'HEAD'), '');
    await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'self-approval');
  });

  it('with --base, a key the merge base does not list: approve and verify say it counts once the branch has the target merged in', async () => {
    w = await freshWorld();
    const forked = await rev('HEAD');
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('feature work');
    const r = await approveWith(w.keys.mallory, await bundle({ base: 'main' }));
    assert.equal(
      r.warning,
      `this key is not in .specgate/allowed_signers at ${forked.slice(0, 12)}, so verify will not accept the record (the merge base must list it: once main does, merge it into this branch, or rebase on it, and approve again)`,
    );
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual(
      [v.code, v.reason],
      [
        'untrusted-signer',
        `untrusted signer: the approval is signed by a key that .specgate/allowed_signers in ${forked.slice(0, 12)} does not list; a key the target branch lists later counts once this branch has it merged in (or is rebased on it)`,
      ],
    );
  });

  it('does not count the reviewer who checked out a branch of commits as its author; uncommitted work of theirs does count', async () => {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit("the author's change");
    actAs('alice@example.com');
    const r = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.deepEqual([r.warning, r.record.reviewer.principal], [undefined, 'alice@example.com']);
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual([v.code, v.principal], ['approved', 'alice@example.com'], v.reason);
    // Alice edits the change herself before approving: now she is an author.
    await w.repo.write('src/app.ts', 'export const a = 3;\n');
    const mine = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.match(mine.warning ?? '', /for alice@example\.com, an author of the change, so verify will refuse the record as self-approval/);
    const self = await verify({ cwd: w.repo.root, base: 'main' });
    assert.equal(self.code, 'self-approval', self.reason);
  });

  it('does not count a reviewer who merged the target in without a conflict as an author; one who resolved a conflict is', async () => {
    w = await freshWorld();
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\nexport const keep = 1;\n');
    await w.repo.commit("the author's change");
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.write('src/other.ts', 'export const o = 1;\n');
    await w.repo.commit('main moves');
    await w.repo.git('checkout', '-q', 'feature');
    // Alice brings main in (GitHub's "Update branch"): a merge commit of hers with nothing of its own.
    actAs('alice@example.com');
    asAlice('merge', '-q', '--no-edit', 'main');
    assert.deepEqual((await w.repo.git('log', '-1', '--format=%ae %P')).trim().split(' ').length, 3, 'a merge commit');
    assert.equal((await w.repo.git('log', '-1', '--format=%ae')).trim(), 'alice@example.com');
    const r = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.equal(r.warning, undefined);
    const v = await verify({ cwd: w.repo.root, base: 'main' });
    assert.deepEqual([v.code, v.principal], ['approved', 'alice@example.com'], v.reason);
    // The same in a clone whose path holds a ':' (git splits an alternates variable there).
    await w.repo.git('add', '.specgate/approvals');
    await w.repo.commit('approval');
    const colon = path.join(w.scratch, 'ci:clone');
    execFileSync('git', ['clone', '-q', '--no-single-branch', w.repo.root, colon], { env: w.env, stdio: 'pipe' });
    execFileSync('git', ['checkout', '-q', 'feature'], { cwd: colon, env: w.env, stdio: 'pipe' });
    const there = await verify({ cwd: colon, base: 'refs/remotes/origin/main' });
    assert.deepEqual([there.code, there.principal], ['approved', 'alice@example.com'], there.reason);

    // main changes the same line; Alice's merge resolves the conflict with a line of her own.
    await w.repo.git('checkout', '-q', 'main');
    await w.repo.write('src/app.ts', 'export const a = 5;\nexport const keep = 1;\n');
    await w.repo.commit('main edits app');
    await w.repo.git('checkout', '-q', 'feature');
    assert.throws(() => asAlice('merge', '-q', '--no-edit', 'main'), /CONFLICT|conflict|Command failed/);
    await w.repo.write('src/app.ts', 'export const a = 7;\nexport const keep = 1;\n');
    await w.repo.git('add', 'src/app.ts');
    asAlice('commit', '-q', '--no-edit', '--no-verify');
    const mine = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
    assert.match(mine.warning ?? '', /for alice@example\.com, an author of the change, so verify will refuse the record as self-approval/);
    assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'self-approval');
  });

  it('approve in a clone whose target ref is older than the bundle\'s says to fetch it, not that HEAD moved', async () => {
    w = await freshWorld();
    const old = await rev('HEAD');
    await w.repo.write('README.md', '# app, moved on\n');
    await w.repo.commit('main moves');
    const tip = await rev('HEAD');
    await w.repo.git('update-ref', 'refs/remotes/origin/main', tip);
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('feature work');
    const dir = await bundle({ base: 'refs/remotes/origin/main' });
    // The reviewer's clone: the same branch, its origin/main not fetched since the fork.
    await w.repo.git('update-ref', 'refs/remotes/origin/main', old);
    await assert.rejects(approveWith(w.keys.alice, dir), {
      name: 'UsageError',
      message: `the bundle is for the change from ${tip.slice(0, 12)} (the merge base with refs/remotes/origin/main where it was made), and here refs/remotes/origin/main is older: the merge base is ${old.slice(0, 12)}, so this clone shows the target's newer commits as part of the change; fetch the target (git fetch) and approve again`,
    });
    await w.repo.git('update-ref', 'refs/remotes/origin/main', tip);
    assert.equal((await approveWith(w.keys.alice, dir)).record.decision, 'approved');
  });

  it('approve says so when the base moved since the bundle while the change stayed the same, and records the base as it is', async () => {
    w = await freshWorld();
    const shown = await rev('HEAD');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    const dir = await bundle();
    // A commit of a file the change does not hold: HEAD moves, the uncommitted change is the same.
    await w.repo.write('README.md', '# app, documented\n');
    await w.repo.git('add', 'README.md');
    await w.repo.git('commit', '-q', '-m', 'docs');
    const now = await rev('HEAD');
    const r = await approveWith(w.keys.alice, dir);
    assert.equal(r.note, `the base moved from ${shown.slice(0, 12)}, which the bundle shows, to ${now.slice(0, 12)}; the change's content is the same, and the record names ${now.slice(0, 12)}`);
    assert.equal(r.record.base.commit, now);
    // Approved again with nothing moved, no note.
    assert.equal((await approveWith(w.keys.alice, await bundle())).note, undefined);
  });

  it('approve on a checkout the bundle was not made on says to check out its branch, not to bundle again', async () => {
    w = await freshWorld();
    const main = await rev('HEAD');
    await w.repo.git('checkout', '-q', '-b', 'feature');
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.commit('feature work');
    const dir = await bundle({ base: 'main' });
    await w.repo.git('checkout', '-q', 'main');
    await assert.rejects(approveWith(w.keys.alice, dir), {
      name: 'UsageError',
      message: `the bundle is not for this checkout: it is for the change from ${main.slice(0, 12)} (the merge base with main) in 1 file, and here there is no change (another branch is checked out, or HEAD has moved); check out what the bundle was made on and approve again, or run specgate bundle here to review this checkout's change`,
    });
    // On its branch the same bundle is approved.
    await w.repo.git('checkout', '-q', 'feature');
    assert.equal((await approveWith(w.keys.alice, dir)).record.decision, 'approved');
  });

  describe('several specs, on a detached HEAD (how CI checks a pull request out)', () => {
    async function twoSpecs(): Promise<void> {
      w = await freshWorld();
      await w.repo.write('.kiro/specs/search/requirements.md', '# Requirements\n\n### Requirement 1: Search\n\n1. WHEN a query is typed THEN the system SHALL search\n');
      await w.repo.write('.kiro/specs/search/tasks.md', '# Tasks\n\n- [x] 1. Search in `src/search.ts`\n  - _Requirements: 1_\n');
      await w.repo.commit('a second spec');
      await w.repo.git('checkout', '-q', '-b', 'feature/cache-warmup');
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await w.repo.commit('cache work');
    }

    it('with no change at all, there is nothing to approve, whichever spec none picks', async () => {
      await twoSpecs();
      await w.repo.git('checkout', '-q', '--detach', 'main');
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.deepEqual([v.ok, v.code], [true, 'empty'], v.reason);
    });

    it('verify takes the spec whose change has a record; without one it is not approved, and says to bundle with --spec', async () => {
      await twoSpecs();
      await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      await w.repo.git('add', '.specgate/approvals');
      await w.repo.commit('approval');
      await w.repo.git('checkout', '-q', '--detach');
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.deepEqual([v.code, v.principal], ['approved', 'alice@example.com'], v.reason);
      // The change moves on: no spec has a record of its change any more.
      await w.repo.write('src/app.ts', 'export const a = 3;\n');
      const none = await verify({ cwd: w.repo.root, base: 'main' });
      assert.deepEqual(
        [none.ok, none.code, none.reason],
        [
          false,
          'no-approval',
          'no approval of this change under any of its 2 specs (.kiro/specs/cache, .kiro/specs/search); bundle it for the one it implements (specgate bundle --spec ID --base main) and have that approved (a branch named after the spec picks it too)',
        ],
      );
    });

    it("the pull request's branch as GitHub Actions or GitLab names it picks the spec", async () => {
      await twoSpecs();
      await w.repo.git('checkout', '-q', '--detach');
      await assert.rejects(analyzeRepository({ cwd: w.repo.root, base: 'main' }), { message: /^no spec given and 2 specs found/ });
      process.env.GITHUB_HEAD_REF = 'feature/cache-warmup';
      const picked = await analyzeRepository({ cwd: w.repo.root, base: 'main' });
      assert.equal(picked.spec.id, '.kiro/specs/cache');
      // The report says how the spec was picked (check's text, SARIF, the bundle's REVIEW.md).
      assert.deepEqual(picked.changeSet.notes, ['the branch name feature/cache-warmup picked the spec .kiro/specs/cache among 2 specs; pass --spec to review the change against another']);
      assert.deepEqual((await analyzeRepository({ cwd: w.repo.root, base: 'main', spec: 'cache' })).changeSet.notes ?? [], []);
      delete process.env.GITHUB_HEAD_REF;
      process.env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME = 'search-box';
      assert.equal((await analyzeRepository({ cwd: w.repo.root, base: 'main' })).spec.id, '.kiro/specs/search');
      // A branch checked out wins over what CI says.
      await w.repo.git('checkout', '-q', 'feature/cache-warmup');
      assert.equal((await analyzeRepository({ cwd: w.repo.root, base: 'main' })).spec.id, '.kiro/specs/cache');
    });
  });

  describe('a record damaged after signing is called tampered, not stale', () => {
    it('a record no longer in canonical form, and a signature that is not one', async () => {
      w = await freshWorld();
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await approveWith(w.keys.alice, await bundle());
      const [name] = records();
      const rel = `.specgate/approvals/${name}`;
      const abs = path.join(w.repo.root, rel);
      const good = readFileSync(abs);
      appendFileSync(abs, ' ');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual(
        [v.code, v.record, v.reason],
        [
          'tampered',
          rel,
          `tampered approval: ${rel} has a record's name but is not in canonical form (edited by hand?), so it counts as a file of the change and the change's digest moved; put back what approve wrote (git checkout -- ${rel}, or approve again) or delete it, then verify again`,
        ],
      );
      writeFileSync(abs, good);
      assert.equal((await verify({ cwd: w.repo.root })).code, 'approved');
      const sig = rel.replace(/\.json$/, '.sig');
      writeFileSync(path.join(w.repo.root, sig), 'garbage\n');
      const s = await verify({ cwd: w.repo.root });
      assert.deepEqual([s.code, s.record], ['tampered', sig]);
      assert.match(s.reason, new RegExp(`^tampered approval: ${sig.replace(/\./g, '\\.')} has a record's name but is not an SSH signature alone, `));
    });

    it('at the pre-commit gate (--staged), says how to repair it there', async () => {
      w = await freshWorld();
      await w.repo.write('src/app.ts', 'export const a = 2;\n');
      await w.repo.git('add', '-A');
      await approveWith(w.keys.alice, await bundle({ staged: true }));
      const [name] = records();
      const rel = `.specgate/approvals/${name}`;
      const abs = path.join(w.repo.root, rel);
      writeFileSync(abs, readFileSync(abs, 'utf8').replace('"comment": ""', '"comment": "\\u0041"'));
      const v = await verify({ cwd: w.repo.root, staged: true });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'tampered',
          `tampered approval: ${rel} is not in canonical form (edited by hand?); approve again and stage the new record (git add .specgate/approvals), or take this one out of the commit (git restore --staged ${rel} ${rel.replace(/\.json$/, '.sig')}), then commit again`,
        ],
      );
    });
  });

  it('says a file is under a filter SpecGate does not run: a note on the working tree, and at the gate what to approve', async () => {
    w = await freshWorld();
    await w.repo.git('config', 'filter.upper.clean', 'tr a-z A-Z');
    await w.repo.write('.gitattributes', 'src/*.txt filter=upper\n');
    await w.repo.commit('a filter');
    await w.repo.write('src/notes.txt', 'lower case\n');
    // Older than the index: once added, git takes its stat data as clean (not racy), and a
    // diff of the work tree would take the index's blob (the filter's) for it.
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(path.join(w.repo.root, 'src/notes.txt'), past, past);
    await w.repo.git('add', '-A');
    // git stores what the filter makes: the staged change is not the working tree's bytes.
    assert.equal((await w.repo.git('show', ':src/notes.txt')), 'LOWER CASE\n');
    const worktree = await analyzeRepository({ cwd: w.repo.root });
    const staged = await analyzeRepository({ cwd: w.repo.root, staged: true });
    assert.notEqual(worktree.report.digest, staged.report.digest);
    assert.deepEqual(worktree.changeSet.notes, [
      'src/notes.txt is under the filter "upper", which SpecGate does not run (it runs no program a repository names): bound and shown as the working tree has it, not as git add stores it, so this digest is not the staged change\'s; to review what the commit will hold, stage the change and use --staged',
    ]);
    assert.equal(staged.changeSet.notes, undefined);
    await approveWith(w.keys.alice, await bundle());
    const v = await verify({ cwd: w.repo.root, staged: true });
    assert.deepEqual(
      [v.code, v.reason],
      [
        'stale',
        `stale approval: the approval by alice@example.com recorded at ${v.reason.match(/recorded at ([^)]*? UTC)/)![1]} is for the working tree's bytes (${worktree.report.digest.slice(0, 19)}…), and the commit takes what git stores (${staged.report.digest.slice(0, 19)}…): src/notes.txt is under the filter "upper", which git runs when it stores a file and SpecGate does not; approve the staged change: run specgate bundle --staged and have a trusted reviewer run specgate approve on it`,
      ],
    );
    await approveWith(w.keys.alice, await bundle({ staged: true }));
    assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'approved');
  });

  it('the gate says what git commit -a did when it takes more than the approved staged change', async () => {
    w = await freshWorld();
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    await w.repo.write('README.md', '# app, changed\n');
    await w.repo.git('add', 'src/app.ts');
    const r = await approveWith(w.keys.alice, await bundle({ staged: true }));
    await installHook({ cwd: w.repo.root, cliPath: w.cliScript });
    const all = await w.gitRaw(['commit', '-q', '-a', '-m', 'everything']);
    assert.equal(all.code, 1);
    const line = all.stderr.split('\n').find((l) => l.startsWith('specgate: not approved'));
    assert.match(
      line ?? all.stderr,
      new RegExp(
        `^specgate: not approved: stale approval: the approval by alice@example\\.com recorded at [^;]+ is for ${r.record.digest.slice(0, 19)}…, and this commit takes sha256:[0-9a-f]{12}…: git commit -a \\(or -i, or with paths\\) commits files that are not staged, and those were not approved; to commit what was approved, commit without -a, -i or paths; to commit more, stage it \\(git add\\), then run specgate bundle --staged and have a trusted reviewer run specgate approve on it$`,
      ),
    );
    // Without -a the approved staged change goes through.
    await w.repo.git('add', '.specgate/approvals');
    const staged = await w.gitRaw(['commit', '-q', '-m', 'the approved part']);
    assert.equal(staged.code, 0, staged.stderr);
  });
});
