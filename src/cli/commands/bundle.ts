// `specgate bundle [--out DIR]`: writes a review bundle for the change and prints its path.
import * as path from 'node:path';
import { writeBundle } from '../../node/bundle';
import { analyzeRepository } from '../../node/engine';
import type { ChangeOptions } from './options';

export async function runBundle(o: ChangeOptions & { out?: string }): Promise<number> {
  const result = await analyzeRepository({ cwd: o.cwd, spec: o.spec, base: o.base, staged: o.staged });
  const dir = await writeBundle(result, { out: o.out === undefined ? undefined : path.resolve(o.cwd, o.out) });
  process.stdout.write(`${dir}\n`);
  return 0;
}
