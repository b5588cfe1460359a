// Two approvals of one change at once (two reviewers, or one clicking twice): each reads that
// no record is there, signs, then publishes. The second to publish must not silently replace
// the first: it writes nothing and says so, and the record left verifies with its own
// signature. Real repository, real ssh-keygen keys, both approvals really under way together.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { approvalPath, signaturePathFor } from '../../src/core/approval';
import { UsageError } from '../../src/core/model';
import { approve, verify } from '../../src/node/approvals';
import { writeBundle } from '../../src/node/bundle';
import { analyzeRepository } from '../../src/node/engine';
import { worldPerTest, type World } from './verifyFixture';

describe('approve: two approvals of one change at the same time', function () {
  this.timeout(120000);
  const world = worldPerTest();
  let w: World;
  let dir: string;
  beforeEach(async () => {
    w = await world();
    await w.repo.write('src/app.ts', 'export const a = 2;\n');
    dir = await writeBundle(await analyzeRepository({ cwd: w.repo.root }), { out: path.join(w.scratch, 'reviews') });
  });

  // Signing takes two seconds (the real ssh-keygen, after a pause), so each approve has read
  // "no record" before either can publish, however busy the machine is.
  const slowSigning = (): NodeJS.ProcessEnv => {
    const bin = path.join(w.scratch, 'slow-bin');
    mkdirSync(bin, { recursive: true });
    const real = execFileSync('sh', ['-c', 'command -v ssh-keygen'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, 'ssh-keygen'), `#!/bin/sh\ncase " $* " in *" -Y sign "*) sleep 2;; esac\nexec '${real}' "$@"\n`);
    chmodSync(path.join(bin, 'ssh-keygen'), 0o755);
    return { ...w.env, PATH: `${bin}${path.delimiter}${w.env.PATH ?? process.env.PATH ?? ''}` };
  };
  const approveAs = (key: string, reject = false) => approve({ cwd: w.repo.root, path: dir, key, reject, ssh: { env: slowSigning(), interactive: false } });

  it('the second to publish writes nothing and says so; the first record stands, whole, and verifies', async () => {
    // Both read "no record" before either has signed (signing runs ssh-keygen), so both reach the publish step.
    const [a, b] = await Promise.allSettled([approveAs(w.keys.alice.key), approveAs(w.keys.author.key, true)]);
    const won = [a, b].filter((r) => r.status === 'fulfilled');
    const lost = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1, `one approval should be published, not ${won.length}`);
    const rel = approvalPath((won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof approve>>>).value.record.digest);
    assert.ok(lost[0]!.reason instanceof UsageError, String(lost[0]!.reason));
    assert.equal(
      (lost[0]!.reason as Error).message,
      `${rel} was written by another approve of this change while this one was signing; nothing was written: run specgate approve again to see that record and decide`,
    );
    // The record on disk is the winner's, with the winner's signature: verify takes it as that decision.
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof approve>>>).value;
    assert.equal(readFileSync(path.join(w.repo.root, rel), 'utf8'), readFileSync(winner.file, 'utf8'));
    assert.equal(readFileSync(path.join(w.repo.root, signaturePathFor(rel)), 'utf8'), readFileSync(winner.signature, 'utf8'));
    const v = await verify({ cwd: w.repo.root });
    assert.equal(v.code, winner.record.decision === 'approved' ? 'approved' : 'rejected', v.reason);
    // No temporary file is left behind by the one that lost.
    assert.deepEqual(readdirSync(path.dirname(path.join(w.repo.root, rel))).filter((n) => n.includes('.partial-')), []);
  });
});
