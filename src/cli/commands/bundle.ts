// `specgate bundle`: owned by the review-bundle work (issue 4).
import { UsageError } from '../../core/model';
import type { ChangeOptions } from './options';
export async function runBundle(_o: ChangeOptions & { out?: string }): Promise<number> {
  throw new UsageError('bundle is not implemented yet');
}
