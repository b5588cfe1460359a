// SpecGate's own records in a repository: approvals and review bundles. They are never part
// of a change and never a spec (a bundle holds a copy of the spec it reviewed).

/** Folders (repo-relative, with a trailing slash) holding SpecGate's records. */
export const RECORD_DIRS: readonly string[] = ['.specgate/approvals/', '.specgate/reviews/'];

/** Whether a repo-relative path lies in one of SpecGate's record folders. */
export function isRecordPath(p: string): boolean {
  return RECORD_DIRS.some((d) => p.startsWith(d));
}
