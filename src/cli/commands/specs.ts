// `specgate specs`: owned by the spec-model work (issue 2).
import { UsageError } from '../../core/model';
export async function runSpecs(_o: { cwd: string; json: boolean }): Promise<number> {
  throw new UsageError('specs is not implemented yet');
}
