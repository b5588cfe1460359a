// Real SpecGate records for tests: an approval record as `approve` serialises it, signed by
// ssh-keygen with a fresh key, as `approve` signs it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { approvalPath, makeApproval, serializeApproval, signaturePathFor } from '../../../src/core/approval';
import { makeKey, noPromptEnv } from '../sshKeys';

export interface SignedRecord {
  /** Repo-relative paths of the record and its signature. */
  jsonPath: string;
  sigPath: string;
  json: string;
  sig: string;
}

/** The canonical approval record of `digest`. */
export function approvalRecord(digest: string): string {
  return serializeApproval(
    makeApproval({
      digest,
      spec: 'docs/specs/cache.md',
      base: { ref: 'HEAD', commit: null },
      decision: 'approved',
      reviewer: { name: 'Ann', email: 'ann@example.com' },
      time: new Date(0),
      version: '0.1.0',
    }),
  );
}

/** A record of `digest` and its real SSH signature (namespace specgate). */
export function signedRecord(digest: string): SignedRecord {
  const json = approvalRecord(digest);
  const dir = mkdtempSync(path.join(tmpdir(), 'specgate-sign-'));
  try {
    const key = makeKey(dir, 'ann');
    writeFileSync(path.join(dir, 'record.json'), json);
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key.key, '-n', 'specgate', path.join(dir, 'record.json')], { stdio: 'pipe', env: noPromptEnv() });
    const jsonPath = approvalPath(digest);
    return { jsonPath, sigPath: signaturePathFor(jsonPath), json, sig: readFileSync(path.join(dir, 'record.json.sig'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
