// `specgate verify`: owned by the review-bundle work (issue 4).
import { UsageError } from '../../core/model';
import type { ChangeOptions } from './options';
export async function runVerify(_o: ChangeOptions): Promise<number> {
  throw new UsageError('verify is not implemented yet');
}
