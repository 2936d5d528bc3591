// Secrets handed to a user once (refresh tokens, email verification and password reset tokens): random, and only
// their hash is stored, so a copy of the table lets nobody in.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 suffices: the tokens are random, so there is nothing to guess that a slow hash would protect. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export const newUserId = (): string => `usr_${randomUUID().replaceAll('-', '')}`;
export const newSessionId = (): string => `ses_${randomBytes(16).toString('base64url')}`;

/**
 * A refresh token names its session (so it is found with one read) and carries the secret that proves it:
 * `<userId>.<sessionId>.<secret>`. Only the secret's hash is stored.
 */
export function formatRefreshToken(userId: string, sessionId: string, secret: string): string {
  return `${userId}.${sessionId}.${secret}`;
}

export function parseRefreshToken(token: string): { userId: string; sessionId: string; secret: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[\w-]{1,100}$/.test(part))) return undefined;
  const [userId, sessionId, secret] = parts as [string, string, string];
  return { userId, sessionId, secret };
}
