// Customer accounts: registration, email verification and password reset.
// Registration and reset requests answer alike whether or not the email has an account: the difference is in the
// email that is sent, which only the address's owner reads.
import { randomUUID } from 'node:crypto';
import { abuseSourceOf } from '../../access/domain/caller-address.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock, EmailSender } from '../../shared/ports.js';
import { alreadyRegisteredEmail, passwordResetEmail, verificationEmail } from '../domain/account-emails.js';
import { isEmailAddress, normaliseEmail } from '../domain/email-address.js';
import { hashPassword, passwordProblem } from '../domain/password.js';
import { hashToken, newSecretToken, newUserId } from '../domain/tokens.js';
import type { AccountStore, AttemptCounters, SessionStore } from '../ports.js';
import { accountCounterKey } from './sessions.js';

export interface AccountsDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  failures: AttemptCounters;
  email: EmailSender;
  clock: Clock;
  currency: string;
}

export const VERIFY_TOKEN_HOURS = 48;
export const RESET_TOKEN_MINUTES = 60;
export const EMAILS_PER_ADDRESS = 5;
export const EMAILS_PER_SOURCE = 100;
const EMAIL_WINDOW_SECONDS = 3600;

export class Accounts {
  constructor(private readonly deps: AccountsDeps) {}

  async register(input: { email: string; password: string; name?: string; apiBase: string; sourceIp: string }): Promise<void> {
    const email = normaliseEmail(input.email);
    if (!isEmailAddress(email)) throw new DomainError('invalid_request', 'This is not an email address', 'email');
    const problem = passwordProblem(input.password, email);
    if (problem) throw new DomainError('invalid_password', problem, 'password');
    await this.countEmail(email, input.sourceIp);
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
    if (outcome === 'created') return this.sendVerification(id, email, input.apiBase);
    // The email has an account. Still unverified (the first email lost, expired, or never sent): a fresh token, so
    // an account is never left with no way to verify. Verified: a reminder that it exists. The answer is the same.
    const existingId = await this.deps.accounts.findUserIdByEmail(email);
    const existing = existingId ? await this.deps.accounts.get(existingId) : undefined;
    if (existing && !existing.emailVerified) return this.sendVerification(existing.id, existing.email, input.apiBase);
    await this.deps.email.send(alreadyRegisteredEmail(email, input.apiBase));
  }

  private async sendVerification(userId: string, email: string, apiBase: string): Promise<void> {
    const token = newSecretToken();
    const now = this.deps.clock.now();
    await this.deps.accounts.issueToken('verify-email', hashToken(token), userId, new Date(now.getTime() + VERIFY_TOKEN_HOURS * 3_600_000));
    await this.deps.email.send(verificationEmail(email, token, apiBase, VERIFY_TOKEN_HOURS));
  }

  async verifyEmail(token: string): Promise<void> {
    const userId = await this.deps.accounts.redeemToken('verify-email', hashToken(token), { kind: 'verify-email' }, this.deps.clock.now());
    if (!userId) throw new DomainError('invalid_or_expired_token', 'This token is not valid: it was used already, has expired, or was never issued', 'token');
  }

  async forgotPassword(input: { email: string; apiBase: string; sourceIp: string }): Promise<void> {
    const email = normaliseEmail(input.email);
    await this.countEmail(email, input.sourceIp);
    const userId = isEmailAddress(email) ? await this.deps.accounts.findUserIdByEmail(email) : undefined;
    const account = userId ? await this.deps.accounts.get(userId) : undefined;
    if (!account?.passwordHash) return;
    const token = newSecretToken();
    const now = this.deps.clock.now();
    await this.deps.accounts.issueToken('reset-password', hashToken(token), account.id, new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000));
    await this.deps.email.send(passwordResetEmail(account.email, token, input.apiBase, RESET_TOKEN_MINUTES));
  }

  /**
   * Sets the new password, spends the token, and ends every session of the account. The token came by email, so
   * redeeming it also marks the email verified.
   */
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

  /**
   * Registration and reset requests send email: a few an hour per address, and a generous number per source, so
   * nobody can flood an inbox (or our sending reputation) through us. Counted alike whether or not the address has
   * an account.
   */
  private async countEmail(email: string, sourceIp: string): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const [toKey, fromKey] = [`mail#to#${hashToken(email)}`, `mail#source#${abuseSourceOf(sourceIp)}`];
    // Reserved before deciding (one atomic ADD each), so parallel requests cannot all see the same count.
    const [to, from] = await Promise.all([toKey, fromKey].map((key) => this.deps.failures.reserve(key, now, EMAIL_WINDOW_SECONDS)));
    if (to!.count >= EMAILS_PER_ADDRESS || from!.count >= EMAILS_PER_SOURCE) {
      await Promise.all([toKey, fromKey].map((key) => this.deps.failures.release(key)));
      throw new DomainError('too_many_requests', 'Too many emails were asked for; try again in an hour');
    }
  }
}
