import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { approvalPath, makeApproval, serializeApproval, signaturePathFor } from '../../src/core/approval';
import { UsageError } from '../../src/core/model';
import { shownTime } from '../../src/core/time';
import { approve, verify, type ApproveOptions } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { installHook } from '../../src/node/hook';
import type { TestKey } from './sshKeys';
import { makeRepo } from './helpers/gitRepo';
import { makeWorld, TASKS, type World } from './verifyFixture';

const SHORT = /sha256:[0-9a-f]{12}…/.source;

describe('signed approvals: approve, verify and the pre-commit gate', function () {
  this.timeout(120000);
  let w: World;
  const prevEnv = { ...process.env };

  async function bundle(opts: { staged?: boolean; base?: string } = {}): Promise<string> {
    return writeBundle(await analyzeRepository({ cwd: w.repo.root, ...opts }), { out: path.join(w.scratch, 'reviews') });
  }
  function approveWith(key: TestKey, dir: string, extra: Partial<ApproveOptions> = {}) {
    return approve({ cwd: w.repo.root, path: dir, key: key.key, ssh: { env: w.env, interactive: false }, ...extra });
  }
  async function currentDigest(): Promise<string> {
    return (await analyzeRepository({ cwd: w.repo.root })).report.digest;
  }
  const approvalsDir = () => path.join(w.repo.root, '.specgate', 'approvals');

  async function setUp(config?: string) {
    w = await makeWorld(config);
    Object.assign(process.env, w.env);
    await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
  }
  afterEach(async () => {
    process.env = { ...prevEnv };
    await w?.repo.cleanup();
  });

  describe('verify', () => {
    beforeEach(() => setUp());

    it('passes for a trusted approval, and a commit of exactly that content goes through the hook', async () => {
      const dir = await bundle();
      const r = await approveWith(w.keys.alice, dir, { comment: 'looks right' });
      assert.equal(r.file, path.join(w.repo.root, approvalPath(r.record.digest)));
      assert.equal(r.warning, undefined);
      assert.equal(r.record.reviewer.principal, 'alice@example.com');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.ok, v.code, v.principal], [true, 'approved', 'alice@example.com']);
      assert.match(v.reason, /^approved by alice@example\.com at /);

      await installHook({ cwd: w.repo.root, cliPath: w.cliScript });
      await w.repo.git('add', 'src/app.ts', '.specgate/approvals');
      const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
      assert.equal(commit.code, 0, commit.stderr);
      assert.match(commit.stdout + commit.stderr, /approved by alice@example\.com/);
      assert.equal((await w.repo.git('log', '-1', '--format=%s')).trim(), 'cache');

      // Nothing staged now: nothing to approve, so rewording the commit passes too.
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'empty');
      const amend = await w.gitRaw(['commit', '-q', '--amend', '-m', 'cache (reworded)']);
      assert.equal(amend.code, 0, amend.stderr);

      // The next change starts from the new commit: the old approval is history, not stale.
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new WeakMap();\n');
      assert.equal((await verify({ cwd: w.repo.root })).code, 'no-approval');
    });

    it('calls an approval stale after one byte changes, and the hook refuses the commit with the reason', async () => {
      const dir = await bundle();
      const r = await approveWith(w.keys.alice, dir);
      await w.repo.write('src/app.ts', 'export const a = 2;\nexport const cache = new Map();\n');
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'stale');
      assert.equal(
        v.reason,
        `stale approval: the approval by alice@example.com recorded at ${shownTime(r.record.time)} is for ${r.record.digest.slice(0, 19)}…, the change is now ${v.digest.slice(0, 19)}…; make a new bundle and have it approved`,
      );

      await installHook({ cwd: w.repo.root, cliPath: w.cliScript });
      const head = await w.repo.git('rev-parse', 'HEAD');
      await w.repo.git('add', 'src/app.ts', '.specgate/approvals');
      const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
      assert.equal(commit.code, 1);
      assert.match(commit.stderr, /specgate: not approved: stale approval: the approval by alice@example\.com recorded at .* is for sha256:/);
      assert.match(commit.stderr, /commit refused\. Have the staged change reviewed: SpecGate: Export Review Bundle in VS Code \(or node "[^"]+" bundle --staged\)/);
      assert.equal(await w.repo.git('rev-parse', 'HEAD'), head);
    });

    it('refuses a change with no approval at all', async () => {
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'no-approval');
      assert.match(v.reason, new RegExp(`^no approval for ${SHORT} \\(spec \\.kiro/specs/cache\\); run specgate bundle`));
    });

    it('refuses a rejection, with the reviewer and the comment', async () => {
      await approveWith(w.keys.alice, await bundle(), { reject: true, comment: 'drop the\nglobal cache' });
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'rejected');
      assert.match(v.reason, /^rejected by alice@example\.com at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC: drop the global cache$/);
    });

    it('refuses an approval by the change author (self-approval)', async () => {
      await approveWith(w.keys.author, await bundle());
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'self-approval');
      assert.match(v.reason, /^self-approval: author@example\.com approved a change they authored/);
    });

    it('does not let the change itself switch self-approval on', async () => {
      await w.repo.write('.specgate/config.yml', 'allowSelfApproval: true\n');
      await approveWith(w.keys.author, await bundle());
      assert.equal((await verify({ cwd: w.repo.root })).code, 'self-approval');
    });

    it('refuses a key that allowed_signers in the base does not list (wrong key)', async () => {
      const r = await approveWith(w.keys.mallory, await bundle());
      assert.match(r.warning ?? '', /not in \.specgate\/allowed_signers at [0-9a-f]{12}/);
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'untrusted-signer');
      assert.match(v.reason, /^untrusted signer: the approval is signed by a key that \.specgate\/allowed_signers in [0-9a-f]{12} does not list$/);
    });

    it('refuses a key that only the change adds to allowed_signers', async () => {
      appendFileSync(path.join(w.repo.root, '.specgate/allowed_signers'), w.keys.mallory.line('helper@example.com'));
      await approveWith(w.keys.mallory, await bundle());
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'signer-added-by-change');
      assert.match(v.reason, /^signer added by the change: the signing key is listed only in this change's \.specgate\/allowed_signers/);
    });

    it('calls an approval stale when the spec changes after it, even with the code untouched', async () => {
      await approveWith(w.keys.alice, await bundle());
      appendFileSync(path.join(w.repo.root, '.kiro/specs/cache/requirements.md'), '\n');
      assert.equal((await verify({ cwd: w.repo.root })).code, 'stale');
    });

    it('trusts nobody when the base has no allowed_signers', async () => {
      await w.repo.git('rm', '-q', '--cached', '.specgate/allowed_signers');
      await w.repo.git('commit', '-q', '-m', 'no reviewers');
      await w.repo.rm('.specgate/allowed_signers');
      await approveWith(w.keys.alice, await bundle());
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'untrusted-signer');
      assert.match(v.reason, /^untrusted signer: [0-9a-f]{12} has no \.specgate\/allowed_signers, so no reviewer is trusted/);
    });

    it('refuses a signed record edited afterwards (tampered)', async () => {
      const r = await approveWith(w.keys.alice, await bundle(), { comment: 'ok' });
      writeFileSync(r.file, readFileSync(r.file, 'utf8').replace('"comment": "ok"', '"comment": "ok!"'));
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'tampered');
      assert.match(v.reason, /^tampered approval: the signature does not match \.specgate\/approvals\/[0-9a-f]{16}\.json/);
    });

    it('verifies a staged change against the approval of the same content', async () => {
      await w.repo.git('add', 'src/app.ts');
      await approveWith(w.keys.alice, await bundle({ staged: true }));
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'approved');
      assert.equal((await verify({ cwd: w.repo.root })).code, 'approved');
    });

    it('approves and commits a staged change with the spec as staged, whatever unstaged edit the spec has', async () => {
      await w.repo.git('add', 'src/app.ts');
      const tasks = path.join(w.repo.root, '.kiro/specs/cache/tasks.md');
      appendFileSync(tasks, '- [ ] 2. Also rewrite `src/**`\n');
      const dir = await bundle({ staged: true });
      const packet = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8'));
      assert.deepEqual(packet.spec.tasks.map((t: { id: string; paths: string[] }) => [t.id, t.paths]), [['1', ['src/app.ts']]]);
      assert.equal(readFileSync(path.join(dir, 'spec', 'tasks.md'), 'utf8'), TASKS);
      await approveWith(w.keys.alice, dir);
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'approved');
      // Staging the spec edit makes it part of the change: the approval no longer covers it.
      await w.repo.git('add', '.kiro/specs/cache/tasks.md');
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'stale');
      await w.repo.git('reset', '-q', '--', '.kiro/specs/cache/tasks.md');
      await installHook({ cwd: w.repo.root, cliPath: w.cliScript });
      await w.repo.git('add', '.specgate/approvals');
      const commit = await w.gitRaw(['commit', '-q', '-m', 'cache']);
      assert.equal(commit.code, 0, commit.stderr);
      assert.equal((await w.repo.git('show', 'HEAD:.kiro/specs/cache/tasks.md')), TASKS);
    });

    it('verifies against the merge base in CI (--base), trusting allowed_signers as it stands there', async () => {
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.git('add', 'src/app.ts');
      await w.repo.git('commit', '-q', '-m', 'feature work');
      const dir = await bundle({ base: 'main' });
      await approveWith(w.keys.alice, dir);
      // The reviewer commits the record to the branch: that commit is not part of the change.
      const asAlice = ['-c', 'user.name=Alice', '-c', 'user.email=alice@example.com'];
      await w.repo.git('add', '.specgate/approvals');
      await w.repo.git(...asAlice, 'commit', '-q', '--author', 'Alice <alice@example.com>', '-m', 'approval');
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.equal(v.code, 'approved', v.reason);
    });

    it('counts an author of any commit of the change since the base as an author (self-approval in CI)', async () => {
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.git('add', 'src/app.ts');
      await w.repo.git('commit', '-q', '--author', 'Alice <alice@example.com>', '-m', 'alice wrote this');
      await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.equal(v.code, 'self-approval', v.reason);
    });
  });

  describe('an approval that exists but does not apply says which change it is for', () => {
    beforeEach(() => setUp());
    const short = (digest: string) => `${digest.slice(0, 19)}…`;
    const head12 = async () => (await w.repo.git('rev-parse', 'HEAD')).trim().slice(0, 12);
    const TODO = 'and have a trusted reviewer run specgate approve on it';

    it('an approval made with --base main, checked by the pre-commit gate against HEAD: names the base and the mode it was made for (CLI too)', async () => {
      const main = await head12();
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.git('add', 'src/app.ts');
      await w.repo.git('commit', '-q', '-m', 'feature work');
      const r = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new WeakMap();\n');
      await w.repo.git('add', 'src/app.ts');
      const v = await verify({ cwd: w.repo.root, staged: true });
      const reason =
        `no approval for ${short(v.digest)} (spec .kiro/specs/cache) against HEAD ${await head12()}: the approval of this spec by alice@example.com recorded at ${shownTime(r.record.time)} ` +
        `is for the change from ${main}, the merge base with main then (approved with --base main); this check takes the staged change against HEAD, not the change since a merge base; ` +
        `run specgate bundle --staged ${TODO}`;
      assert.deepEqual([v.code, v.reason, v.record], ['no-approval', reason, approvalPath(r.record.digest)]);
      const cli = await w.cli(['verify', '--staged']);
      assert.deepEqual([cli.code, cli.stdout, cli.stderr], [1, '', `specgate: not approved: ${reason}\n`]);
    });

    it('CI after the branch was rebased onto a main that moved: names the old and the new merge base', async () => {
      const oldBase = await head12();
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.git('add', 'src/app.ts');
      await w.repo.git('commit', '-q', '-m', 'feature work');
      const r = await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      const asAlice = ['-c', 'user.name=Alice', '-c', 'user.email=alice@example.com'];
      await w.repo.git('add', '.specgate/approvals');
      await w.repo.git(...asAlice, 'commit', '-q', '--author', 'Alice <alice@example.com>', '-m', 'approval');
      // main moves on: its spec gains a criterion, so the rebased change is not what was approved.
      await w.repo.git('checkout', '-q', 'main');
      appendFileSync(path.join(w.repo.root, '.kiro/specs/cache/requirements.md'), '2. WHEN the cache is full THEN the system SHALL evict the oldest entry\n');
      await w.repo.git('commit', '-q', '-am', 'spec: eviction');
      const newBase = await head12();
      await w.repo.git('checkout', '-q', 'feature');
      await w.repo.git('rebase', '-q', 'main');
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'no-approval',
          `no approval for ${short(v.digest)} (spec .kiro/specs/cache) from the merge base ${newBase} of main and HEAD: the approval of this spec by alice@example.com recorded at ${shownTime(r.record.time)} ` +
            `is for the change from ${oldBase}, the merge base with main then (approved with --base main); the merge base has moved since (new commits on the target, ` +
            `the branch rebased or merged, or the target not fetched where it was approved) and the change no longer matches what was approved; run specgate bundle --base main ${TODO}`,
        ],
      );
    });

    it('HEAD moved under an approval of uncommitted work (part of it committed without the gate)', async () => {
      const before = await head12();
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      const r = await approveWith(w.keys.alice, await bundle());
      await w.repo.git('add', 'src/b.ts');
      await w.repo.git('commit', '-q', '--no-verify', '-m', 'b only');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'no-approval',
          `no approval for ${short(v.digest)} (spec .kiro/specs/cache) against HEAD ${await head12()}: the approval of this spec by alice@example.com recorded at ${shownTime(r.record.time)} ` +
            `is for the change against ${before}, HEAD then; HEAD has moved since (a commit, a rebase, a pull or a checkout) and the change no longer matches what was approved; ` +
            `run specgate bundle ${TODO}`,
        ],
      );
    });

    it('a record the base commit already holds is history: the next change is plainly unapproved', async () => {
      await approveWith(w.keys.alice, await bundle());
      await w.repo.git('add', 'src/app.ts', '.specgate/approvals');
      await w.repo.git('commit', '-q', '-m', 'cache');
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new WeakMap();\n');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.code, v.reason], ['no-approval', `no approval for ${short(v.digest)} (spec .kiro/specs/cache); run specgate bundle ${TODO}`]);
      // At the pre-commit gate, the bundle to make is of the staged change.
      await w.repo.git('add', 'src/app.ts');
      const staged = await verify({ cwd: w.repo.root, staged: true });
      assert.deepEqual([staged.code, staged.reason], ['no-approval', `no approval for ${short(staged.digest)} (spec .kiro/specs/cache); run specgate bundle --staged ${TODO}`]);
    });

    it('an approval of all uncommitted work, when only part of it is staged for the commit', async () => {
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      const r = await approveWith(w.keys.alice, await bundle());
      await w.repo.git('add', 'src/app.ts');
      const v = await verify({ cwd: w.repo.root, staged: true });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'stale',
          `stale approval: the approval by alice@example.com recorded at ${shownTime(r.record.time)} is for all uncommitted work (${short(r.record.digest)}), but the commit takes only what is staged ` +
            `(${short(v.digest)}); stage the rest (git add -A) to commit exactly what was approved, or run specgate bundle --staged ${TODO}`,
        ],
      );
      await w.repo.git('add', '-A');
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'approved');
    });

    it('an approval of the staged change, checked against all uncommitted work', async () => {
      await w.repo.git('add', 'src/app.ts');
      const r = await approveWith(w.keys.alice, await bundle({ staged: true }));
      await w.repo.write('src/b.ts', 'export const b = 2;\n');
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual(
        [v.code, v.reason],
        [
          'stale',
          `stale approval: the approval by alice@example.com recorded at ${shownTime(r.record.time)} is for the staged change only (${short(r.record.digest)}), but this check takes all uncommitted work ` +
            `(${short(v.digest)}), unstaged and untracked files too; commit the staged change (the pre-commit gate checks just that), or run specgate bundle ${TODO}`,
        ],
      );
    });

    it("shows a record's base ref and time (repository content) with control characters made visible", async () => {
      const parent = (await w.repo.git('rev-parse', 'HEAD~1')).trim();
      const forged = makeApproval({
        digest: `sha256:${'ab'.repeat(32)}`,
        spec: '.kiro/specs/cache',
        base: { ref: 'main\u001b[2J', commit: parent },
        decision: 'approved',
        reviewer: { name: 'A', email: 'a@example.com' },
        time: new Date(0),
        version: '0.1.0',
      });
      const rel = approvalPath(forged.digest);
      mkdirSync(path.dirname(path.join(w.repo.root, rel)), { recursive: true });
      writeFileSync(path.join(w.repo.root, rel), serializeApproval({ ...forged, time: 'Jan 1 2026 (\u001b[31mred)' }));
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'no-approval');
      assert.ok(
        v.reason.includes(
          `the approval of this spec recorded at "Jan 1 2026 (\\u{1b}[31mred)" (an unverified record: it has no signature) is for the change from ${parent.slice(0, 12)}, the merge base with main\\u{1b}[2J then (approved with --base main\\u{1b}[2J);`,
        ),
        v.reason,
      );
      assert.doesNotMatch(v.reason, /[\u0000-\u001f]/);
      // The reviewer the record names is its own word: not shown when no trusted key signed it.
      assert.doesNotMatch(v.reason, /a@example\.com/);
    });

    it('the same change approved under another spec: names that spec and how to check with it', async () => {
      await w.repo.write('.kiro/specs/other/tasks.md', '# Tasks\n\n- [ ] 1. Also the cache in `src/app.ts`\n');
      await w.repo.git('add', '.kiro/specs/other');
      await w.repo.git('commit', '-q', '-m', 'another spec', '--', '.kiro/specs/other');
      const dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root, spec: '.kiro/specs/other' }), { out: path.join(w.scratch, 'reviews') });
      const r = await approveWith(w.keys.alice, dir);
      assert.equal(r.record.spec, '.kiro/specs/other');
      const v = await verify({ cwd: w.repo.root, spec: 'cache' });
      assert.deepEqual(
        [v.code, v.reason, v.record],
        [
          'no-approval',
          `no approval for ${short(v.digest)} (spec .kiro/specs/cache): the same change is approved under spec .kiro/specs/other (by alice@example.com, recorded at ${shownTime(r.record.time)}), ` +
            `and this check took spec .kiro/specs/cache; verify with --spec .kiro/specs/other, or run specgate bundle ${TODO}`,
          approvalPath(r.record.digest),
        ],
      );
      assert.equal((await verify({ cwd: w.repo.root, spec: 'other' })).code, 'approved');
      // Once the change moves on, the other spec's approval is no longer this change: plain refusal.
      await w.repo.write('src/app.ts', 'export const a = 3;\n');
      assert.match((await verify({ cwd: w.repo.root, spec: 'cache' })).reason, /^no approval for \S+ \(spec \.kiro\/specs\/cache\); run specgate bundle and have/);
    });

    it('shows a spec name with control characters made visible', async () => {
      const repo = await makeRepo({ '.kiro/specs/ca\u001b[2Jche/tasks.md': TASKS, 'src/app.ts': 'export const a = 1;\n' });
      try {
        await repo.write('src/app.ts', 'export const a = 2;\n');
        const v = await verify({ cwd: repo.root });
        // (This repository trusts no reviewer yet: the reason says how a team starts.)
        const base = (await repo.git('rev-parse', 'HEAD')).trim().slice(0, 12);
        assert.equal(
          v.reason,
          `no approval for ${short(v.digest)} (spec .kiro/specs/ca\\u{1b}[2Jche), and none can pass yet: ${base} has no .specgate/allowed_signers, so no reviewer is trusted; ` +
            `commit the reviewers' public keys there first, alone (with the pre-commit gate installed, that first commit needs git commit --no-verify), then run specgate bundle ${TODO}`,
        );
      } finally {
        await repo.cleanup();
      }
    });

    it("shows a rejection's comment with control characters made visible", async () => {
      await approveWith(w.keys.alice, await bundle(), { reject: true, comment: 'no \u001b[2J\u001b[31mapproved\u202e' });
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'rejected');
      assert.match(v.reason, /^rejected by alice@example\.com at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC: no \\u\{1b\}\[2J\\u\{1b\}\[31mapproved\\u\{202e\}$/);
    });
  });

  describe('code hidden in the record folders', () => {
    beforeEach(() => setUp());
    const HELPER = '.specgate/reviews/util.js';

    it('is part of the change: an edit after the approval makes it stale, in the work tree and at the staged gate', async () => {
      await w.repo.write('src/app.ts', "const util = require('../.specgate/reviews/util.js');\nexport const a = util.one();\n");
      await w.repo.write(HELPER, 'exports.one = () => 1;\n');
      const analysis = await analyzeRepository({ cwd: w.repo.root });
      assert.deepEqual(analysis.report.changes.map((c) => c.path), [HELPER, 'src/app.ts']);
      assert.ok(analysis.report.findings.some((f) => f.rule === 'SG210' && f.path === HELPER), 'a protected-path finding for .specgate/');
      // The real flow: the bundle in .specgate/reviews/, the records in .specgate/approvals/.
      const dir = await writeBundle(analysis);
      assert.ok(readFileSync(path.join(dir, 'changes.patch'), 'utf8').includes(`diff --git a/${HELPER} b/${HELPER}`));
      await approveWith(w.keys.alice, dir);
      assert.equal((await verify({ cwd: w.repo.root })).code, 'approved');
      await w.repo.git('add', '-A');
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'approved');

      await w.repo.write(HELPER, 'exports.one = () => { require("child_process").execSync("id"); return 1; };\n');
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'stale', v.reason);
      await w.repo.git('add', HELPER);
      assert.equal((await verify({ cwd: w.repo.root, staged: true })).code, 'stale');
    });

    it('makes whoever committed it an author of the change (self-approval in CI); committing records does not', async () => {
      await w.repo.git('checkout', '-q', '-b', 'feature');
      await w.repo.git('add', 'src/app.ts');
      await w.repo.git('commit', '-q', '-m', 'feature work');
      const asAlice = ['-c', 'user.name=Alice', '-c', 'user.email=alice@example.com'];
      // Alice commits a bundle and an approval record: the reviewer's commit, not the change's.
      const first = await writeBundle(await analyzeRepository({ cwd: w.repo.root, base: 'main' }));
      await approveWith(w.keys.alice, first);
      // (The bundle is ignored by the .gitignore its folder got: committing it takes --force.)
      await w.repo.git('add', '--force', '--', '.specgate/reviews', '.specgate/approvals');
      await w.repo.git(...asAlice, 'commit', '-q', '--author', 'Alice <alice@example.com>', '-m', 'review');
      assert.equal((await verify({ cwd: w.repo.root, base: 'main' })).code, 'approved');
      // Then a helper in .specgate/reviews/: now Alice wrote part of the change.
      await w.repo.write(HELPER, 'exports.one = () => 1;\n');
      await w.repo.git('add', '--force', HELPER);
      await w.repo.git(...asAlice, 'commit', '-q', '--author', 'Alice <alice@example.com>', '-m', 'helper');
      await approveWith(w.keys.alice, await bundle({ base: 'main' }));
      const v = await verify({ cwd: w.repo.root, base: 'main' });
      assert.equal(v.code, 'self-approval', v.reason);
    });
  });

  describe('forgeries by an assistant with write access and no trusted private key', () => {
    beforeEach(() => setUp());

    function forgeRecord(digest: string, decision: 'approved' | 'rejected' = 'approved') {
      return serializeApproval(
        makeApproval({
          digest,
          spec: '.kiro/specs/cache',
          base: { ref: 'HEAD', commit: null },
          decision,
          reviewer: { name: 'Alice', email: 'alice@example.com', principal: 'alice@example.com' },
          time: new Date(),
          version: '0.1.0',
        }),
      );
    }
    function writeRecord(digest: string, json: string, sig?: string) {
      const rel = approvalPath(digest);
      const abs = path.join(w.repo.root, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, json);
      if (sig !== undefined) writeFileSync(path.join(w.repo.root, signaturePathFor(rel)), sig);
    }
    function signAs(key: TestKey, data: string, namespace = 'specgate'): string {
      const file = path.join(w.scratch, `forge-${Date.now()}`);
      writeFileSync(file, data);
      execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key.key, '-n', namespace, file], { stdio: 'pipe', env: w.env });
      return readFileSync(`${file}.sig`, 'utf8');
    }

    it('a record written by hand with no signature fails', async () => {
      const digest = await currentDigest();
      writeRecord(digest, forgeRecord(digest));
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'tampered');
      assert.match(v.reason, /has no signature/);
    });

    it('a record with a garbage signature fails', async () => {
      const digest = await currentDigest();
      writeRecord(digest, forgeRecord(digest), '-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n');
      assert.equal((await verify({ cwd: w.repo.root })).code, 'tampered');
    });

    it('signing with its own key and adding that key to allowed_signers (work tree and index) fails', async () => {
      appendFileSync(path.join(w.repo.root, '.specgate/allowed_signers'), w.keys.mallory.line('alice@example.com'));
      await w.repo.git('add', '.specgate/allowed_signers', 'src/app.ts');
      for (const staged of [false, true]) {
        const digest = (await analyzeRepository({ cwd: w.repo.root, staged })).report.digest;
        const json = forgeRecord(digest);
        writeRecord(digest, json, signAs(w.keys.mallory, json));
        const v = await verify({ cwd: w.repo.root, staged });
        assert.equal(v.code, 'signer-added-by-change', `staged=${staged}: ${v.reason}`);
      }
    });

    it('copying an old approval to the new digest name fails', async () => {
      const old = await approveWith(w.keys.alice, await bundle());
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map(); // more\n');
      const digest = await currentDigest();
      const rel = approvalPath(digest);
      copyFileSync(old.file, path.join(w.repo.root, rel));
      copyFileSync(old.signature, path.join(w.repo.root, signaturePathFor(rel)));
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'tampered');
      assert.match(v.reason, new RegExp(`holds the record of ${SHORT}, not of ${SHORT} \\(copied or renamed\\)`));
    });

    it('rewriting the digest inside an old signed approval fails', async () => {
      const old = await approveWith(w.keys.alice, await bundle());
      await w.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map(); // more\n');
      const digest = await currentDigest();
      const rel = approvalPath(digest);
      writeFileSync(path.join(w.repo.root, rel), readFileSync(old.file, 'utf8').replace(old.record.digest, digest));
      copyFileSync(old.signature, path.join(w.repo.root, signaturePathFor(rel)));
      assert.equal((await verify({ cwd: w.repo.root })).code, 'tampered');
    });

    it('editing the decision of a signed rejection to approved fails', async () => {
      const r = await approveWith(w.keys.alice, await bundle(), { reject: true });
      writeFileSync(r.file, serializeApproval({ ...r.record, decision: 'approved' }));
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'tampered');
    });

    it('a reviewer signature made for another purpose (git namespace) fails', async () => {
      const digest = await currentDigest();
      const json = forgeRecord(digest);
      writeRecord(digest, json, signAs(w.keys.alice, json, 'git'));
      assert.equal((await verify({ cwd: w.repo.root })).code, 'tampered');
    });
  });

  describe('self-approval with a key listed under several principals', () => {
    beforeEach(() => setUp());

    /** Commits `text` as the base's allowed_signers, leaving the change under way as it is. */
    async function trustInBase(text: string) {
      await w.repo.write('.specgate/allowed_signers', text);
      await w.repo.git('add', '.specgate/allowed_signers');
      await w.repo.git('commit', '-q', '-m', 'reviewers', '--', '.specgate/allowed_signers');
      return (await w.repo.git('rev-parse', 'HEAD')).trim().slice(0, 12);
    }
    const selfReason = (base: string, verifiedAs: string) =>
      `self-approval: the signing key is listed in .specgate/allowed_signers at ${base} for author@example.com, an author of the change ` +
      `(it verified as ${verifiedAs}); another trusted reviewer must approve it (or set allowSelfApproval: true in .specgate/config.yml on the base)`;

    it("refuses the author's own key listed on one line as `boss@example.com,author@example.com` (approve warns, verify and the CLI refuse)", async () => {
      const base = await trustInBase(w.keys.alice.line('alice@example.com') + w.keys.author.line('boss@example.com,author@example.com'));
      const r = await approveWith(w.keys.author, await bundle());
      assert.equal(r.record.reviewer.principal, 'author@example.com');
      assert.equal(
        r.warning,
        `.specgate/allowed_signers at ${base} lists this key for author@example.com, an author of the change, so verify will refuse the record as self-approval; ` +
          'another trusted reviewer must approve it (or set allowSelfApproval: true in .specgate/config.yml on the base)',
      );
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.ok, v.code, v.principal, v.reason], [false, 'self-approval', 'author@example.com', selfReason(base, 'boss@example.com')]);
      const cli = await w.cli(['verify']);
      assert.deepEqual([cli.code, cli.stdout, cli.stderr], [1, '', `specgate: not approved: ${selfReason(base, 'boss@example.com')}\n`]);
    });

    it("refuses the author's own key listed on two lines, first as boss@example.com, then as the author", async () => {
      const base = await trustInBase(
        w.keys.author.line('boss@example.com') + w.keys.alice.line('alice@example.com') + `# the same key again\n` + w.keys.author.line('Author@Example.com'),
      );
      const r = await approveWith(w.keys.author, await bundle());
      assert.match(r.warning ?? '', /lists this key for author@example\.com, an author of the change, so verify will refuse the record as self-approval/);
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.code, v.principal, v.reason], ['self-approval', 'author@example.com', selfReason(base, 'boss@example.com')]);
    });

    it('counts a key listed under a pattern that matches the author (`*@example.com`) as the author\'s', async () => {
      const base = await trustInBase(w.keys.alice.line('alice@example.com') + w.keys.author.line('*@example.com'));
      await approveWith(w.keys.author, await bundle());
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.code, v.reason], ['self-approval', selfReason(base, '*@example.com')]);
    });

    it('passes a reviewer whose key is listed under several names, none of them an author, and names the first', async () => {
      await trustInBase(w.keys.alice.line('alice@example.com,lead@example.com') + w.keys.alice.line('alice@corp.example') + w.keys.author.line('author@example.com'));
      const r = await approveWith(w.keys.alice, await bundle());
      assert.deepEqual([r.warning, r.record.reviewer.principal], [undefined, 'alice@example.com']);
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.ok, v.code, v.principal], [true, 'approved', 'alice@example.com']);
      assert.match(v.reason, new RegExp(`^approved by alice@example\\.com at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(${SHORT}\\)$`));
    });

    it('a rejection by such a key is still a rejection, without a self-approval warning', async () => {
      await trustInBase(w.keys.author.line('boss@example.com,author@example.com'));
      const r = await approveWith(w.keys.author, await bundle(), { reject: true, comment: 'no' });
      assert.equal(r.warning, undefined);
      const v = await verify({ cwd: w.repo.root });
      assert.equal(v.code, 'rejected');
      assert.match(v.reason, /^rejected by boss@example\.com at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC: no$/);
    });
  });

  describe('self-approval allowed by the base config', () => {
    beforeEach(() => setUp('allowSelfApproval: true\n'));

    it('passes when the config committed in the base allows it', async () => {
      const r = await approveWith(w.keys.author, await bundle());
      assert.equal(r.warning, undefined);
      assert.equal((await verify({ cwd: w.repo.root })).code, 'approved');
    });

    it('names the author as the reviewer when their key is also listed under another name', async () => {
      await w.repo.write('.specgate/allowed_signers', w.keys.author.line('boss@example.com,author@example.com'));
      await w.repo.git('add', '.specgate/allowed_signers');
      await w.repo.git('commit', '-q', '-m', 'reviewers', '--', '.specgate/allowed_signers');
      const r = await approveWith(w.keys.author, await bundle());
      assert.deepEqual([r.warning, r.record.reviewer.principal], [undefined, 'author@example.com']);
      const v = await verify({ cwd: w.repo.root });
      assert.deepEqual([v.ok, v.code, v.principal], [true, 'approved', 'author@example.com']);
      assert.match(
        v.reason,
        new RegExp(`^approved by author@example\\.com at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC \\(${SHORT}\\); author@example\\.com is an author of the change, which \\.specgate/config\\.yml on the base allows$`),
      );
    });
  });

  describe('approve refuses bad input and writes nothing', () => {
    beforeEach(() => setUp());

    it('a missing key file', async () => {
      const dir = await bundle();
      await assert.rejects(
        approve({ cwd: w.repo.root, path: dir, key: path.join(w.scratch, 'no-such-key'), ssh: { env: w.env, interactive: false } }),
        (e: Error) => e instanceof UsageError && /^SSH key .*no-such-key was not found or cannot be read; pass --key/.test(e.message),
      );
      assert.ok(!existsSync(approvalsDir()));
    });

    it('a wrong passphrase fed on a non-TTY stdin (CLI, cannot hang)', async () => {
      const dir = await bundle();
      const r = await w.cli(['approve', dir, '--key', w.keys.locked.key], 'not the passphrase\n');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^specgate: cannot sign with SSH key .*locked: .*incorrect passphrase/);
      assert.ok(!existsSync(approvalsDir()));
    });

    it('takes a --key of ~/… that no shell expanded (quoted, or from an editor setting) as under HOME', async () => {
      const dir = await bundle();
      const home = w.env.HOME!;
      mkdirSync(path.join(home, '.ssh'), { recursive: true });
      copyFileSync(w.keys.alice.key, path.join(home, '.ssh', 'reviewer'));
      copyFileSync(`${w.keys.alice.key}.pub`, path.join(home, '.ssh', 'reviewer.pub'));
      const r = await w.cli(['approve', dir, '--key', '~/.ssh/reviewer']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await w.cli(['verify'])).code, 0);
    });

    it('a bundle whose change moved on (stale bundle)', async () => {
      const dir = await bundle();
      await w.repo.write('src/app.ts', 'changed after bundling\n');
      await assert.rejects(approveWith(w.keys.alice, dir), (e: Error) => e instanceof UsageError && new RegExp(`^the bundle is stale: it is for ${SHORT}, the change is now ${SHORT}`).test(e.message));
      assert.ok(!existsSync(approvalsDir()));
    });

    it('a bundle made stale by a damaged file at a record\'s name: the file is named', async () => {
      const dir = await bundle();
      const digest = JSON.parse(readFileSync(path.join(dir, 'packet.json'), 'utf8')).digest as string;
      const name = `.specgate/approvals/${digest.slice(7, 23)}.json`;
      await w.repo.write(name, 'garbage\n');
      await assert.rejects(
        approveWith(w.keys.alice, dir),
        (e: Error) =>
          e instanceof UsageError &&
          new RegExp(`^the bundle is stale: it is for ${SHORT}, the change is now ${SHORT}; the change now holds ${name.replace(/\./g, '\\.')}, which has a SpecGate record's name but is no record \\(damaged or edited\\): delete it or put back what SpecGate wrote, then approve again$`).test(e.message),
      );
      // An ordinary edit since the bundle: no such file to name.
      await w.repo.rm(name);
      await w.repo.write('src/app.ts', 'changed after bundling\n');
      await assert.rejects(approveWith(w.keys.alice, dir), (e: Error) => /; run specgate bundle again and review the new bundle$/.test(e.message));
    });

    it('a bundle from another repository', async () => {
      const dir = await bundle();
      const other = await makeWorld();
      try {
        await other.repo.write('src/app.ts', 'export const a = 1;\nexport const cache = new Map();\n');
        await assert.rejects(
          approve({ cwd: other.repo.root, path: path.join(dir, 'packet.json'), key: w.keys.alice.key, ssh: { env: w.env, interactive: false } }),
          (e: Error) => e instanceof UsageError && /packet\.json was made in another repository/.test(e.message),
        );
        assert.ok(!existsSync(path.join(other.repo.root, '.specgate', 'approvals')));
      } finally {
        await other.repo.cleanup();
      }
    });

    it('a packet whose fields try to smuggle git options', async () => {
      const dir = await bundle();
      const packetFile = path.join(dir, 'packet.json');
      const packet = JSON.parse(readFileSync(packetFile, 'utf8'));
      const trap = path.join(w.scratch, 'written-by-git');
      packet.base.commit = `--output=${trap}`;
      writeFileSync(packetFile, JSON.stringify(packet));
      await assert.rejects(approveWith(w.keys.alice, dir), /was made in another repository/);
      packet.base.commit = null;
      packet.change.base = `--output=${trap}`;
      writeFileSync(packetFile, JSON.stringify(packet));
      await assert.rejects(approveWith(w.keys.alice, dir), (e: Error) => e instanceof UsageError && /invalid revision/.test(e.message));
      assert.ok(!existsSync(trap));
      assert.ok(!existsSync(approvalsDir()));
    });

    it('a path that is not a bundle', async () => {
      await assert.rejects(approveWith(w.keys.alice, w.scratch), /no packet\.json in .*scratch; pass a folder written by specgate bundle/);
      await assert.rejects(approveWith(w.keys.alice, w.keys.alice.pub), /bundle not found/);
      assert.ok(!existsSync(approvalsDir()));
    });
  });

  describe('the CLI', () => {
    beforeEach(() => setUp());

    it('bundle prints the folder, approve signs it, verify exits 0, then 1 with one line once the change moves', async () => {
      const b = await w.cli(['bundle', '--out', path.join(w.scratch, 'out')]);
      assert.equal(b.code, 0, b.stderr);
      const dir = b.stdout.trim();
      assert.ok(existsSync(path.join(dir, 'packet.json')));
      assert.equal(readFileSync(path.join(dir, 'spec', 'tasks.md'), 'utf8'), readFileSync(path.join(w.repo.root, '.kiro/specs/cache/tasks.md'), 'utf8'));
      const a = await w.cli(['approve', dir, '--key', w.keys.alice.key, '--comment', 'fine']);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /^approved sha256:[0-9a-f]{12}… \(spec \.kiro\/specs\/cache: 1 file, \+1 −0, 0 out of scope, risk low\)\nwrote /);
      const ok = await w.cli(['verify']);
      assert.deepEqual([ok.code, ok.stderr], [0, '']);
      assert.match(ok.stdout, /^specgate: approved by alice@example\.com/);
      await w.repo.write('src/app.ts', 'moved on\n');
      const bad = await w.cli(['verify']);
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr.trim().split('\n').length, 1);
      assert.match(bad.stderr, /^specgate: not approved: stale approval: /);
    });
  });
});
