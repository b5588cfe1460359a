// `specgate approve`: owned by the review-bundle work (issue 4).
import { UsageError } from '../../core/model';
export async function runApprove(_o: { path: string; cwd: string; key?: string; reject: boolean; comment?: string }): Promise<number> {
  throw new UsageError('approve is not implemented yet');
}
