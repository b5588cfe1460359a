// Paths git's checkout refuses to write (verify_path with NTFS and HFS+ protection): Restore
// File refuses them too, so a tree holding `.git/hooks/post-commit` cannot plant a hook.
import { strict as assert } from 'node:assert';
import { checkoutRefuses } from '../../src/core/gitPath';

describe('checkoutRefuses', () => {
  it('refuses .git in any case and every disguise git knows, and empty, . and .. components', () => {
    for (const p of [
      '.git/hooks/post-commit',
      'sub/.git/config',
      '.GIT/hooks/pre-commit',
      '.git./hooks/x',
      '.git /hooks/x',
      'git~1/hooks/x',
      '.git::$INDEX_ALLOCATION/hooks/x',
      '.g\u200cit/hooks/x',
      'a\\.git\\hooks\\x',
      'a//b',
      './a',
      'a/../b',
    ]) {
      assert.equal(checkoutRefuses(p), true, JSON.stringify(p));
    }
  });

  it('writes names that only look alike: .gitignore, .github, a.git, .git-blame-ignore-revs', () => {
    for (const p of ['.gitignore', '.github/workflows/ci.yml', 'src/a.git', '.git-blame-ignore-revs', 'docs/git~2.md', 'src/..hidden', 'src/...']) {
      assert.equal(checkoutRefuses(p), false, p);
    }
  });
});
