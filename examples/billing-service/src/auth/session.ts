// Console sessions: signed, short-lived tokens for staff who issue refunds by hand.
// A session lasts SESSION_TTL_MS and can be refreshed only while still valid.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_TTL_MS = 15 * 60 * 1000;

export interface Session {
  userId: string;
  issuedAt: number;
  expiresAt: number;
  nonce: string;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function issueSession(userId: string, secret: string, now = Date.now()): string {
  const session: Session = {
    userId,
    issuedAt: now,
    expiresAt: now + SESSION_TTL_MS,
    nonce: randomBytes(12).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** Returns the session if the token is authentic and not expired, else null. */
export function verifySession(token: string, secret: string, now = Date.now()): Session | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  let session: Session;
  try {
    session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
  } catch {
    return null;
  }
  if (typeof session.expiresAt !== 'number' || session.expiresAt <= now) return null;
  return session;
}

/** Issues a fresh token for a session that is still valid; null otherwise. */
export function refreshSession(token: string, secret: string, now = Date.now()): string | null {
  const session = verifySession(token, secret, now);
  return session ? issueSession(session.userId, secret, now) : null;
}
