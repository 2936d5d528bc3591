// Customer accounts, their sessions and the counters behind login throttling: what the accounts use cases read
// and write. A customer is the `USER#<id>` profile item every user has, with the attributes below.
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { Role } from '../rest/v1/caller.js';
import type { Micros } from '../shared/money.js';
import type { FailureCount } from './domain/login-throttle.js';

export interface NotificationSettings {
  orderCompleted: boolean;
  depositCredited: boolean;
  /** Tell the customer when the balance falls below this; null: never. */
  lowBalanceThreshold: Micros | null;
}

export const DEFAULT_NOTIFICATIONS: NotificationSettings = { orderCompleted: true, depositCredited: true, lowBalanceThreshold: null };

export interface Account {
  id: string;
  email: string;
  role: Role;
  walletId: string;
  createdAt: string;
  name?: string;
  telegram?: string;
  /** Users onboarded by an operator (the resellers) never had to verify, and count as verified. */
  emailVerified: boolean;
  notifications: NotificationSettings;
  blocked: boolean;
  /** Absent for users who cannot log in with a password (resellers onboarded with an API key only). */
  passwordHash?: string;
}

export interface NewAccount {
  id: string;
  email: string;
  walletId: string;
  currency: string;
  name?: string;
  passwordHash: string;
  createdAt: string;
}

export interface ProfileChange {
  /** null removes it. */
  name?: string | null;
  telegram?: string | null;
  notifications?: NotificationSettings;
  at: string;
}

export type TokenPurpose = 'verify-email' | 'reset-password';

/** What redeeming a one-time token does to its user, in the same write that spends the token. */
export type TokenEffect = { kind: 'verify-email' } | { kind: 'set-password'; passwordHash: string };

export interface AccountStore {
  /** The profile, the email claim and the wallet, all or nothing; 'email_taken' when the email has an account. */
  create(account: NewAccount): Promise<'created' | 'email_taken'>;
  /** The user id that holds this (normalised) email. */
  findUserIdByEmail(email: string): Promise<string | undefined>;
  get(userId: string): Promise<Account | undefined>;
  update(userId: string, change: ProfileChange): Promise<Account | undefined>;
  /** Marks the user blocked (with the audit entry in the same write, when given); false when there is no such user. */
  setBlocked(userId: string, reason: string, at: string, audit?: AuditEntry): Promise<boolean>;
  setUnblocked(userId: string, at: string, audit?: AuditEntry): Promise<boolean>;
  issueToken(purpose: TokenPurpose, tokenHash: string, userId: string, expiresAt: Date): Promise<void>;
  /** Whose the token is, while it can still be redeemed. */
  tokenUser(purpose: TokenPurpose, tokenHash: string, now: Date): Promise<string | undefined>;
  /** Spends the token (once, before it expires) and applies its effect; the user id, or undefined when it cannot. */
  redeemToken(purpose: TokenPurpose, tokenHash: string, effect: TokenEffect, now: Date): Promise<string | undefined>;
}

export interface SessionRecord {
  userId: string;
  sessionId: string;
  /** Hash of the refresh token that may be used next. */
  refreshHash: string;
  /** Hashes of refresh tokens already used: presenting one again means it was copied, and ends the session. */
  usedHashes: string[];
  status: 'active' | 'revoked';
  createdAt: string;
  lastUsedAt: string;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
  revokedReason?: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  get(userId: string, sessionId: string): Promise<SessionRecord | undefined>;
  /** Moves to a new refresh token only while `fromHash` is still the current one and the session is active. */
  rotate(userId: string, sessionId: string, fromHash: string, toHash: string, usedHashes: string[], at: string): Promise<boolean>;
  revoke(userId: string, sessionId: string, reason: string, at: string): Promise<void>;
  /** Ends every active session of the user; how many there were. */
  revokeAll(userId: string, reason: string, at: string): Promise<number>;
}

/** Counts that fade an hour (or a given window) after their last event: failed logins, emails asked for. */
export interface AttemptCounters {
  /** The counts as they are (for tests and tools; the use cases reserve). */
  read(keys: readonly string[]): Promise<Map<string, FailureCount>>;
  /**
   * Counts an attempt at `now` before it is made, atomically: the count as it was just before this attempt (0 when
   * absent or faded) and the time of the attempt before. Concurrent reservations each see a different count.
   */
  reserve(key: string, now: number, windowSeconds: number): Promise<FailureCount>;
  /** Takes back one reserved attempt that was not made after all (refused) or did not fail. */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}
