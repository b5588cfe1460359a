// The engine's command-line hints ("pass --cwd", "run specgate bundle again") as the
// editor says them: the command or setting that does it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { editorMessage, hookQuestionDetail, noIcons, noLinks } from '../../src/vscode/messages';
import { installHook } from '../../src/node/hook';
import { UsageError } from '../../src/core/model';

/** The links VS Code renders in a notification's text (its linkedText syntax): `[label](target)`. */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

/** The .ts files under a folder, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('editor messages', () => {
  it('names editor commands and settings instead of command-line options', () => {
    const cases: [string, string][] = [
      ['not a git repository: /w/docs (run inside a repository or pass --cwd)', 'not a git repository: /w/docs: SpecGate lists the specs but needs a git repository to analyse changes'],
      ['no spec given and 2 specs found: a, b; pass --spec', 'no spec given and 2 specs found: a, b; choose one with SpecGate: Select Active Spec'],
      [
        'no spec given and 40 specs found: a, b, c, d, e, f, g, h and 32 more (specgate specs lists them); pass --spec',
        'no spec given and 40 specs found: a, b, c, d, e, f, g, h and 32 more; choose one with SpecGate: Select Active Spec',
      ],
      [
        'the branch name feature/012-billing picked the spec specs/012-billing among 40 specs; pass --spec to review the change against another',
        'the branch name feature/012-billing picked the spec specs/012-billing among 40 specs; choose another with SpecGate: Select Active Spec',
      ],
      [
        'the folder this runs in (packages/ui) picked the spec packages/ui/SPEC.md among 3 specs; pass --spec to review the change against another',
        'the workspace folder (packages/ui) picked the spec packages/ui/SPEC.md among 3 specs; choose another with SpecGate: Select Active Spec',
      ],
      [
        'HEAD is 2 commits ahead of origin/main, which this check of uncommitted work does not review; specgate check --base refs/remotes/origin/main does',
        'HEAD is 2 commits ahead of origin/main, which the analysis of uncommitted work does not review; set specgate.baseRef to refs/remotes/origin/main to review the branch',
      ],
      [
        'no spec given; the current folder is in .kiro/specs/cache, but the branch name feature/auth names .kiro/specs/auth; pass --spec',
        'no spec given; the workspace folder is in .kiro/specs/cache, but the branch name feature/auth names .kiro/specs/auth; choose one with SpecGate: Select Active Spec',
      ],
      [
        "unknown revision 'mian': no branch, tag or commit of that name here; check the name, or fetch it first (a CI checkout needs the full history, e.g. fetch-depth: 0)",
        "unknown revision 'mian' (the setting specgate.baseRef): no branch, tag or commit of that name here; check the name, or fetch it first",
      ],
      ['--base needs a commit on HEAD, and the current branch has none yet; commit first or drop --base', 'the setting specgate.baseRef needs a commit on HEAD, and the current branch has none yet; commit first or clear the setting'],
      ['src/a.ts changed while the bundle was being written; run specgate bundle again', 'src/a.ts changed while the bundle was being written; export the review bundle again'],
      ['cannot write the review bundle under /w/.specgate/reviews: EACCES; pass --out with a writable folder', 'cannot write the review bundle under /w/.specgate/reviews: EACCES'],
      ['no approval for sha256:ab12 (spec s); run specgate bundle and have a trusted reviewer run specgate approve on it', 'no approval for sha256:ab12 (spec s); export the review bundle and have a trusted reviewer approve it'],
      [
        'no approval for sha256:ab12 (spec s) from the merge base 0123456789ab of main and HEAD: the approval of this spec recorded at 2026-11-23 08:00:00 UTC is for the change from 23456789abcd, the merge base with main then (approved with --base main); the merge base has moved since (new commits on the target, the branch rebased or merged, or the target not fetched where it was approved) and the change no longer matches what was approved; run specgate bundle --base main and have a trusted reviewer run specgate approve on it',
        'no approval for sha256:ab12 (spec s) from the merge base 0123456789ab of main and HEAD: the approval of this spec recorded at 2026-11-23 08:00:00 UTC is for the change from 23456789abcd, the merge base with main then (approved with the base main); the merge base has moved since (new commits on the target, the branch rebased or merged, or the target not fetched where it was approved) and the change no longer matches what was approved; export the review bundle and have a trusted reviewer approve it',
      ],
      [
        'no approval for sha256:ab12 (spec s): the same change is approved under spec t (recorded at 2026-11-23 08:00:00 UTC), and this check took spec s; verify with --spec t, or run specgate bundle and have a trusted reviewer run specgate approve on it',
        'no approval for sha256:ab12 (spec s): the same change is approved under spec t (recorded at 2026-11-23 08:00:00 UTC), and this check took spec s; select spec t (SpecGate: Select Active Spec), or export the review bundle and have a trusted reviewer approve it',
      ],
      [
        '.specgate/approvals/0123456789abcdef.json was written by another approve of this change while this one was signing; nothing was written: run specgate approve again to see that record and decide',
        '.specgate/approvals/0123456789abcdef.json was written by another approve of this change while this one was signing; nothing was written: approve again (SpecGate: Approve Review Packet) to see that record and decide',
      ],
      ["invalid revision '-x': give a branch, tag or commit", "invalid revision '-x' (the setting specgate.baseRef): give a branch, tag or commit"],
      [
        "invalid revision 'HEAD:README.md': it names a blob (a file's content), not a commit; give a branch, tag or commit",
        "invalid revision 'HEAD:README.md' (the setting specgate.baseRef): it names a blob (a file's content), not a commit; give a branch, tag or commit",
      ],
      [
        "invalid revision ':/fix': git's commit-message search (:/text) is not accepted, since a new commit with a matching message would change the base; give a commit id or a ref",
        "invalid revision ':/fix' (the setting specgate.baseRef): git's commit-message search (:/text) is not accepted, since a new commit with a matching message would change the base; give a commit id or a ref",
      ],
      [
        'no approval for sha256:ab12 (spec s) from the merge base 0123456789ab of main and HEAD: 2 approvals of this spec cover single commits of this branch (made against HEAD at 0123456789ab, 23456789abcd, as the pre-commit gate does), none the whole change from 0123456789ab; run specgate bundle --base main and have a trusted reviewer run specgate approve on it',
        'no approval for sha256:ab12 (spec s) from the merge base 0123456789ab of main and HEAD: 2 approvals of this spec cover single commits of this branch (made against HEAD at 0123456789ab, 23456789abcd, as the pre-commit gate does), none the whole change from 0123456789ab; export the review bundle and have a trusted reviewer approve it',
      ],
      ['SSH key /k was not found or cannot be read; pass --key with your private key (e.g. ~/.ssh/id_ed25519)', 'SSH key /k was not found or cannot be read; choose your SSH private key (the setting specgate.approve.keyPath)'],
      [
        'pass --key with your SSH private key (e.g. --key ~/.ssh/id_ed25519), or set it as git signs with it: git config gpg.format ssh and git config user.signingkey <key>',
        'choose your SSH private key (the setting specgate.approve.keyPath)',
      ],
    ];
    for (const [cli, editor] of cases) assert.equal(editorMessage(cli), editor);
    for (const [cli] of cases) assert.doesNotMatch(editorMessage(cli), /--[a-z]|specgate (bundle|approve)/, cli);
  });

  it('says where to review what only the index holds: the editor analyses the working tree', () => {
    assert.equal(
      editorMessage('the index holds a change to db/b.sql that the working tree does not (a commit would take it); specgate check --staged reviews it'),
      'the index holds a change to db/b.sql that the working tree does not (a commit would take it); specgate check --staged in a terminal reviews it',
    );
  });

  it('says how to approve the staged change, which the editor cannot bundle itself', () => {
    assert.equal(
      editorMessage('stale approval: the approval recorded at 2026-11-23 08:00:00 UTC is for all uncommitted work (sha256:ab12), but the commit takes only what is staged (sha256:cd34); stage the rest (git add -A) to commit exactly what was approved, or run specgate bundle --staged and have a trusted reviewer run specgate approve on it'),
      'stale approval: the approval recorded at 2026-11-23 08:00:00 UTC is for all uncommitted work (sha256:ab12), but the commit takes only what is staged (sha256:cd34); stage the rest (git add -A) to commit exactly what was approved, or bundle the staged change (specgate bundle --staged in a terminal) and have a trusted reviewer approve it',
    );
  });

  it("says a hook refusal in the Install Pre-commit Gate question's words: its button, where the command line passes --force", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'specgate-hookq-'));
    try {
      execFileSync('git', ['init', '-q', dir]);
      const hook = path.join(dir, '.git', 'hooks', 'pre-commit');
      const refusal = async () => {
        try {
          await installHook({ cwd: dir, cliPath: '/opt/specgate/cli.js', nodePath: '/usr/bin/node' });
        } catch (err) {
          assert.ok(err instanceof UsageError);
          return err.message;
        }
        throw new Error('installed over a hook');
      };
      writeFileSync(hook, '#!/bin/sh\nnpm test\n', { mode: 0o755 });
      assert.equal(
        hookQuestionDetail(await refusal(), 'Replace (keep a backup)'),
        `${hook} exists and was not written by SpecGate; to keep it running, add the line \`/usr/bin/node /opt/specgate/cli.js verify --staged || exit 1\` to it (or to your hook manager's configuration; see docs/ci.md), ` +
          'or choose Replace (keep a backup) to replace it (the old hook is kept as pre-commit.specgate-backup and no longer runs)',
      );
      rmSync(hook);
      await installHook({ cwd: dir, cliPath: '/opt/specgate/cli.js', nodePath: '/usr/bin/node' });
      appendFileSync(hook, 'npm test || exit 1\n');
      const edited = hookQuestionDetail(await refusal(), 'Replace (keep a backup)');
      assert.ok(!edited.includes('--force'), edited);
      assert.match(edited, /, or choose Replace \(keep a backup\) to replace it \(the edited hook is kept as pre-commit\.specgate-backup, and specgate hook uninstall in a terminal puts it back\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drops husky's --force remark, which the editor has no use for", () => {
    assert.equal(
      editorMessage("not installing the pre-commit gate in /r/.husky/_: husky writes that folder again on every npm install; to gate commits, add the line `x || exit 1` to /r/.husky/pre-commit (create it if there is none), which husky runs; --force does not write into husky's folder either (see docs/ci.md)"),
      'not installing the pre-commit gate in /r/.husky/_: husky writes that folder again on every npm install; to gate commits, add the line `x || exit 1` to /r/.husky/pre-commit (create it if there is none), which husky runs (see docs/ci.md)',
    );
  });

  it('keeps only the first line', () => {
    assert.equal(editorMessage('git failed: x\n  at stack'), 'git failed: x');
  });

  it('shows link syntax from untrusted text as text: no [label](command:…) survives for a notification to render', () => {
    const hostile = 'spec [Open docs](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) and [x](https://example.com "t")';
    assert.equal(noLinks(hostile), 'spec [Open docs] (command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) and [x] (https://example.com "t")');
    assert.equal([...hostile.matchAll(NOTIFICATION_LINK)].length, 2);
    assert.deepEqual([...noLinks(hostile).matchAll(NOTIFICATION_LINK)], []);
    assert.equal(noLinks('no links: a[0] (b) [c]'), 'no links: a[0] (b) [c]');
  });

  it('noIcons escapes every $( so that VS Code draws no icon from it, and leaves other text alone', () => {
    assert.equal(noIcons('task 1 ($(pass) approved)'), 'task 1 (\\$(pass) approved)');
    assert.equal(noIcons('$(a)$(b~spin)'), '\\$(a)\\$(b~spin)');
    // Already escaped: one more backslash, and still no icon (VS Code shows `\` then `$(x)`).
    assert.equal(noIcons('\\$(x)'), '\\\\$(x)');
    assert.equal(noIcons('cost $5 (approx)'), 'cost $5 (approx)');
  });

  it('every notification of the extension goes through notify.ts, which applies noLinks', () => {
    const root = path.join(__dirname, '../../src/vscode');
    const direct = sources(root)
      .filter((f) => path.basename(f) !== 'notify.ts')
      // `window` and the call may be split over lines (`vscode.window\n  .showWarningMessage(`).
      .filter((f) => /window\s*\.\s*show(?:Information|Warning|Error)Message\b/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    assert.deepEqual(direct, []);
    const notify = readFileSync(path.join(root, 'notify.ts'), 'utf8');
    assert.equal((notify.match(/\(noLinks\(message\), \.\.\.clean\(rest\)\)/g) ?? []).length, 3);
  });
});
