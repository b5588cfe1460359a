// The summary risk level, from the findings (after severity overrides):
// critical — an error-level protected-path or mass-rewrite finding;
// high — any other error; medium — any warning; low — otherwise.
import type { Finding, RiskLevel } from './model';

const CRITICAL_KINDS = new Set(['protected-path', 'mass-rewrite']);

export function riskLevel(findings: readonly Finding[]): RiskLevel {
  let level: RiskLevel = 'low';
  for (const f of findings) {
    if (f.severity === 'error') {
      if (CRITICAL_KINDS.has(f.kind)) return 'critical';
      level = 'high';
    } else if (f.severity === 'warning' && level === 'low') level = 'medium';
  }
  return level;
}
