// A change set collected with the change cache (src/node/diffcache.ts), for comparing runs.
import { cacheWritten, collectChangeSet, type ChangeSetOptions } from '../../../src/node/changeset';
import { Git } from '../../../src/node/git';
import type { TestRepo } from './gitRepo';

/** A change set without the cache's bookkeeping (how many files it settled, how many were diffed early), and those apart. */
export async function collect(repo: TestRepo, opts: ChangeSetOptions = {}) {
  const git = await Git.open(repo.root);
  const cs = await collectChangeSet(git, { scanExports: true, cacheFile: git.cacheFile, ...opts });
  await cacheWritten();
  const { fromCache, diffedEarly, ...rest } = cs;
  return { cs: rest, fromCache, diffedEarly, cacheFile: git.cacheFile };
}
