// `specgate hook install|uninstall`: owned by the review-bundle work (issue 4).
import { UsageError } from '../../core/model';
export async function runHook(_o: { action: 'install' | 'uninstall'; cwd: string; force: boolean }): Promise<number> {
  throw new UsageError('hook is not implemented yet');
}
