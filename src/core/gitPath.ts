// Paths a checkout refuses to write: a tree may hold them (a commit can be made with any
// names), and git's own checkout skips them, so they are listed as deleted. Putting one back
// by hand would write into the repository's own folder (`.git/hooks/post-commit`, which the
// next commit runs). The rules follow git's verify_path with core.protectNTFS and
// core.protectHFS: a component that is empty, `.`, `..`, or `.git` in any case, with NTFS's
// trailing dots and spaces, its short name `git~1`, a stream suffix (`.git::$DATA`), or
// characters HFS+ ignores (zero-width joiners) inside.

/** Code points HFS+ ignores when it compares names. */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/** Whether git's checkout would refuse to write `repoPath` (see above). */
export function checkoutRefuses(repoPath: string): boolean {
  return repoPath.split(/[/\\]/).some((c) => {
    if (c === '' || c === '.' || c === '..') return true;
    const name = c.toLowerCase().replace(HFS_IGNORED, '').replace(/:.*$/s, '').replace(/[. ]+$/, '');
    return name === '.git' || name === 'git~1';
  });
}
