import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { issueSession, refreshSession, SESSION_TTL_MS, verifySession } from '../src/auth/session.ts';

const secret = 'test-secret';

describe('console sessions', () => {
  it('verifies a fresh token', () => {
    const token = issueSession('u1', secret, 1_000);
    assert.equal(verifySession(token, secret, 2_000)?.userId, 'u1');
  });

  it('expires after fifteen minutes', () => {
    assert.equal(SESSION_TTL_MS, 900_000);
    const token = issueSession('u1', secret, 0);
    assert.equal(verifySession(token, secret, SESSION_TTL_MS), null);
  });

  it('rejects a token signed with another secret', () => {
    const token = issueSession('u1', 'other', 0);
    assert.equal(verifySession(token, secret, 1), null);
  });

  it('refuses to refresh an expired session', () => {
    const token = issueSession('u1', secret, 0);
    assert.equal(refreshSession(token, secret, SESSION_TTL_MS + 1), null);
  });
});
