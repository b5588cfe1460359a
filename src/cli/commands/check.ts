// `specgate check`: owned by the change-analysis work (issue 3).
import { UsageError } from '../../core/model';
import type { ChangeOptions } from './options';
export async function runCheck(_o: ChangeOptions & { format: 'text' | 'json' | 'sarif'; failOn: 'error' | 'warning' | 'none' }): Promise<number> {
  throw new UsageError('check is not implemented yet');
}
