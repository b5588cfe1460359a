// What `specgate verify` (the commit gate) says of an approval on disk, remembered per
// repository, spec, digest, trust base (the commit whose allowed_signers counts) and record, so the Review view and the review panel show the same
// outcome without running verification on every refresh.
import type * as vscode from 'vscode';
import { verify } from '../../node/approvals';
import { readSettings } from '../config';
import { editorMessage } from '../messages';

export interface GateOutcome {
  ok: boolean;
  /** Verification's one-line reason, in the editor's words. */
  reason: string;
}

export class VerifyCache {
  private readonly cache = new Map<string, GateOutcome>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /**
   * @param base the change's base commit (null before the first commit): allowed_signers is
   *   read there, so a reviewer's key committed since verifies again
   * @param recordKey what identifies the approval record (its file and time): a new record verifies again
   * @returns undefined when verification could not run (logged)
   */
  async get(folder: vscode.WorkspaceFolder, root: string, specId: string, digest: string, base: string | null, recordKey: string): Promise<GateOutcome | undefined> {
    const key = [root, specId, digest, base ?? '', recordKey].join('\0');
    const hit = this.cache.get(key);
    if (hit) return hit;
    try {
      const base = readSettings(folder.uri).baseRef;
      const outcome = await verify({ cwd: root, spec: specId, ...(base ? { base } : {}) });
      const value = { ok: outcome.ok, reason: editorMessage(outcome.reason) };
      if (this.cache.size > 50) this.cache.clear();
      this.cache.set(key, value);
      return value;
    } catch (err) {
      this.log.warn(`verify for the review state: ${(err as Error).message}`);
      return undefined;
    }
  }
}
