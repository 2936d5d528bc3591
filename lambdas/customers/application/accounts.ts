// Customer accounts: registration, email verification, password reset, the profile, and blocking (for admins).
// Registration and reset requests answer alike whether or not the email has an account: the difference is in the
// email that is sent, which only the address's owner reads.
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../shared/errors.js';
import type { Clock, EmailSender } from '../../shared/ports.js';
import { alreadyRegisteredEmail, passwordResetEmail, verificationEmail } from '../domain/account-emails.js';
import { isEmailAddress, normaliseEmail } from '../domain/email-address.js';
import { hashPassword, passwordProblem } from '../domain/password.js';
import { hashToken, newSecretToken, newUserId } from '../domain/tokens.js';
import type { Account, AccountStore, LoginFailureCounters, NotificationSettings, SessionStore } from '../ports.js';
import { accountCounterKey } from './sessions.js';

export interface AccountsDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  failures: LoginFailureCounters;
  email: EmailSender;
  clock: Clock;
  currency: string;
  /** Suspends the user's API keys (ApiKeyManagement). */
  apiKeys: {
    listApiKeys(ownerId: string): Promise<{ keyId: string; status: string }[]>;
    suspendApiKey(ownerId: string, keyId: string, options: { actor?: string; reason?: string }): Promise<unknown>;
  };
}

export const VERIFY_TOKEN_HOURS = 48;
export const RESET_TOKEN_MINUTES = 60;

export interface ProfilePatch {
  name?: string | null;
  telegram?: string | null;
  notifications?: Partial<NotificationSettings>;
}

export class Accounts {
  constructor(private readonly deps: AccountsDeps) {}

  async register(input: { email: string; password: string; name?: string; apiBase: string }): Promise<void> {
    const email = normaliseEmail(input.email);
    if (!isEmailAddress(email)) throw new DomainError('invalid_request', 'This is not an email address', 'email');
    const problem = passwordProblem(input.password, email);
    if (problem) throw new DomainError('invalid_password', problem, 'password');
    const name = input.name?.trim();
    const now = this.deps.clock.now();
    const id = newUserId();
    const outcome = await this.deps.accounts.create({
      id,
      email,
      walletId: `wallet-${randomUUID()}`,
      currency: this.deps.currency,
      passwordHash: await hashPassword(input.password),
      createdAt: now.toISOString(),
      ...(name ? { name } : {}),
    });
    if (outcome === 'email_taken') return this.deps.email.send(alreadyRegisteredEmail(email, input.apiBase));
    const token = newSecretToken();
    await this.deps.accounts.issueToken('verify-email', hashToken(token), id, new Date(now.getTime() + VERIFY_TOKEN_HOURS * 3_600_000));
    await this.deps.email.send(verificationEmail(email, token, input.apiBase, VERIFY_TOKEN_HOURS));
  }

  /** Sends a new verification email to a user who has not verified yet. */
  async resendVerification(userId: string, apiBase: string): Promise<void> {
    const account = await this.deps.accounts.get(userId);
    if (!account || account.emailVerified) return;
    const token = newSecretToken();
    const now = this.deps.clock.now();
    await this.deps.accounts.issueToken('verify-email', hashToken(token), userId, new Date(now.getTime() + VERIFY_TOKEN_HOURS * 3_600_000));
    await this.deps.email.send(verificationEmail(account.email, token, apiBase, VERIFY_TOKEN_HOURS));
  }

  async verifyEmail(token: string): Promise<void> {
    const userId = await this.deps.accounts.redeemToken('verify-email', hashToken(token), { kind: 'verify-email' }, this.deps.clock.now());
    if (!userId) throw new DomainError('invalid_or_expired_token', 'This token is not valid: it was used already, has expired, or was never issued', 'token');
  }

  async forgotPassword(input: { email: string; apiBase: string }): Promise<void> {
    const email = normaliseEmail(input.email);
    const userId = isEmailAddress(email) ? await this.deps.accounts.findUserIdByEmail(email) : undefined;
    const account = userId ? await this.deps.accounts.get(userId) : undefined;
    if (!account?.passwordHash) return;
    const token = newSecretToken();
    const now = this.deps.clock.now();
    await this.deps.accounts.issueToken('reset-password', hashToken(token), account.id, new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000));
    await this.deps.email.send(passwordResetEmail(account.email, token, input.apiBase, RESET_TOKEN_MINUTES));
  }

  /** Sets the new password, spends the token, and ends every session of the account. */
  async resetPassword(input: { token: string; password: string }): Promise<void> {
    const tokenHash = hashToken(input.token);
    const now = this.deps.clock.now();
    const invalid = () =>
      new DomainError('invalid_or_expired_token', 'This token is not valid: it was used already, has expired, or was never issued', 'token');
    const userId = await this.deps.accounts.tokenUser('reset-password', tokenHash, now);
    const account = userId ? await this.deps.accounts.get(userId) : undefined;
    if (!account) throw invalid();
    const problem = passwordProblem(input.password, account.email);
    if (problem) throw new DomainError('invalid_password', problem, 'password');
    const passwordHash = await hashPassword(input.password);
    if (!(await this.deps.accounts.redeemToken('reset-password', tokenHash, { kind: 'set-password', passwordHash }, now))) throw invalid();
    await this.deps.sessions.revokeAll(account.id, 'password_reset', now.toISOString());
    await this.deps.failures.clear(accountCounterKey(account.email));
  }

  async profile(userId: string): Promise<Account> {
    const account = await this.deps.accounts.get(userId);
    if (!account) throw new DomainError('unknown_user', 'No such user');
    return account;
  }

  async updateProfile(userId: string, patch: ProfilePatch): Promise<Account> {
    const current = await this.profile(userId);
    const name = patch.name === undefined || patch.name === null ? patch.name : patch.name.trim() || null;
    const telegram = patch.telegram === undefined || patch.telegram === null ? patch.telegram : normaliseTelegram(patch.telegram);
    const updated = await this.deps.accounts.update(userId, {
      ...(name !== undefined ? { name } : {}),
      ...(telegram !== undefined ? { telegram } : {}),
      ...(patch.notifications ? { notifications: { ...current.notifications, ...patch.notifications } } : {}),
      at: this.deps.clock.now().toISOString(),
    });
    if (!updated) throw new DomainError('unknown_user', 'No such user');
    return updated;
  }

  /**
   * Blocks a user: no more logins, every session ended, every active API key suspended. Safe to repeat.
   * `actor` is whoever decided it (an admin's id), for the audit trail of the keys.
   */
  async blockAccount(userId: string, options: { actor: string; reason: string }): Promise<{ sessionsEnded: number; keysSuspended: number }> {
    const at = this.deps.clock.now().toISOString();
    if (!(await this.deps.accounts.setBlocked(userId, options.reason, at))) throw new DomainError('unknown_user', 'No such user');
    const sessionsEnded = await this.deps.sessions.revokeAll(userId, 'account_blocked', at);
    let keysSuspended = 0;
    for (const key of await this.deps.apiKeys.listApiKeys(userId)) {
      if (key.status !== 'active') continue;
      await this.deps.apiKeys.suspendApiKey(userId, key.keyId, { actor: options.actor, reason: `account blocked: ${options.reason}` });
      keysSuspended++;
    }
    return { sessionsEnded, keysSuspended };
  }
}

/** "@Name", "name" and "https://t.me/name" are one Telegram username. */
export function normaliseTelegram(text: string): string {
  const name = text
    .trim()
    .replace(/^(https?:\/\/)?(t\.me|telegram\.me)\//i, '')
    .replace(/^@/, '');
  if (!/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(name)) {
    throw new DomainError('invalid_request', 'A Telegram username has 5 to 32 letters, digits or underscores and starts with a letter', 'telegram');
  }
  return `@${name}`;
}
