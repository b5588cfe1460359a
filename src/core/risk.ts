// The summary risk level, from the findings (after severity overrides):
// critical — an error-level protected-path or mass-rewrite finding;
// high — any other error, or MANY_DELETIONS files deleted or more;
// medium — any warning; low — otherwise.
import type { Finding, RiskLevel } from './model';

const CRITICAL_KINDS = new Set(['protected-path', 'mass-rewrite']);

/** This many deleted files make a change high risk whatever their severity. */
export const MANY_DELETIONS = 10;

export function riskLevel(findings: readonly Finding[]): RiskLevel {
  let level: RiskLevel = 'low';
  let deletions = 0;
  for (const f of findings) {
    if (f.kind === 'file-deleted') deletions++;
    if (f.severity === 'error') {
      if (CRITICAL_KINDS.has(f.kind)) return 'critical';
      level = 'high';
    } else if (f.severity === 'warning' && level === 'low') level = 'medium';
  }
  return deletions >= MANY_DELETIONS ? 'high' : level;
}
