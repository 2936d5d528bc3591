// Logging in, refreshing and logging out. A session is a family of refresh tokens: each refresh spends the current
// token and hands out the next; presenting a spent one again means someone kept a copy, and ends the family.
import { abuseSourceOf } from '../../access/domain/caller-address.js';
import type { AuditLog } from '../../audit/ports.js';
import { logger } from '../../shared/logger.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { Clock } from '../../shared/ports.js';
import { normaliseEmail } from '../domain/email-address.js';
import { ACCOUNT_POLICY, retryAt, SOURCE_POLICY } from '../domain/login-throttle.js';
import { dummyPasswordHash, verifyPassword } from '../domain/password.js';
import { formatRefreshToken, hashToken, newSecretToken, newSessionId, parseRefreshToken } from '../domain/tokens.js';
import type { Account, AccountStore, AttemptCounters, SessionStore } from '../ports.js';
import type { AccessTokens } from './access-tokens.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
}

export type LoginResult =
  | { ok: true; tokens: TokenPair }
  | { ok: false; refusal: 'invalid_credentials' | 'account_blocked' }
  | { ok: false; refusal: 'too_many_attempts'; retryAfterSeconds: number };

export type RefreshResult = { ok: true; tokens: TokenPair } | { ok: false; refusal: 'invalid_token' | 'session_ended' };

export interface SessionsDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  failures: AttemptCounters;
  tokens: AccessTokens;
  clock: Clock;
  /** How long a session lasts without logging in again (30 days). */
  sessionDays?: number;
  /** Every login, succeeded or failed, is audited (login.succeeded / login.failed): one small item, one write unit. */
  audit?: AuditLog;
  /** LoginFailures: every refused login (wrong credentials, a blocked account, too many attempts). */
  metrics: MetricsRecorder;
}

/** Spent refresh tokens remembered per session, to recognise a replay (the oldest are forgotten). */
const USED_HASHES_KEPT = 20;

export const accountCounterKey = (email: string) => `account#${hashToken(normaliseEmail(email))}`;
export const sourceCounterKey = (sourceIp: string) => `source#${abuseSourceOf(sourceIp)}`;

export class Sessions {
  constructor(private readonly deps: SessionsDeps) {}

  /**
   * Answers alike, and takes as long, whether or not the email has an account. The attempt is counted (reserved)
   * on the account and the source before the password is checked, so parallel guesses each see the guesses before
   * them: a refused attempt gives its reservation back, a failed one keeps it, a successful one clears the
   * account's count and gives back the source's.
   */
  async login(input: { email: string; password: string; sourceIp: string }): Promise<LoginResult> {
    let userId: string | undefined;
    const result = await this.attemptLogin(input, (id) => {
      userId = id;
    });
    if (!result.ok) this.deps.metrics.record('LoginFailures', 1, {});
    await this.audit(input, userId, result);
    return result;
  }

  /**
   * Actor: the account's id when the email has one, else the email's hash (so repeated guesses at one address line
   * up without the log holding addresses nobody registered); never the password. A failed audit write is logged,
   * not turned into a failed login.
   */
  private async audit(input: { email: string; sourceIp: string }, userId: string | undefined, result: LoginResult): Promise<void> {
    if (!this.deps.audit) return;
    await this.deps.audit
      .record({
        actor: userId ?? `email:${hashToken(normaliseEmail(input.email))}`,
        actorRole: 'customer',
        action: result.ok ? 'login.succeeded' : 'login.failed',
        subjectType: 'user',
        subject: userId ?? 'unknown',
        source: input.sourceIp,
        ...(result.ok ? {} : { reason: result.refusal }),
        at: this.deps.clock.now().toISOString(),
      })
      .catch((error: unknown) => logger.error('could not audit a login', { action: result.ok ? 'login.succeeded' : 'login.failed', error: error as Error }));
  }

  private async attemptLogin(input: { email: string; password: string; sourceIp: string }, found: (userId: string) => void): Promise<LoginResult> {
    const now = this.deps.clock.now().getTime();
    const accountKey = accountCounterKey(input.email);
    const sourceKey = sourceCounterKey(input.sourceIp);
    const [accountBefore, sourceBefore] = await Promise.all([
      this.deps.failures.reserve(accountKey, now, ACCOUNT_POLICY.windowSeconds),
      this.deps.failures.reserve(sourceKey, now, SOURCE_POLICY.windowSeconds),
    ]);
    const waitUntil = Math.max(retryAt(ACCOUNT_POLICY, accountBefore, now), retryAt(SOURCE_POLICY, sourceBefore, now));
    if (waitUntil > now) {
      await Promise.all([this.deps.failures.release(accountKey), this.deps.failures.release(sourceKey)]);
      return { ok: false, refusal: 'too_many_attempts', retryAfterSeconds: Math.ceil((waitUntil - now) / 1000) };
    }

    // Made before anything is looked up, so the container's first login pays for it whoever logs in.
    const dummyHash = await dummyPasswordHash();
    const userId = await this.deps.accounts.findUserIdByEmail(normaliseEmail(input.email));
    if (userId) found(userId);
    // The same reads for an unknown email: the profile of nobody.
    const account = await this.deps.accounts.get(userId ?? 'usr_unknown');
    const matches = await verifyPassword(input.password, account?.passwordHash ?? dummyHash);
    // A failure: the reservations stay, as the failure's count.
    if (!account?.passwordHash || !matches) return { ok: false, refusal: 'invalid_credentials' };
    await Promise.all([this.deps.failures.clear(accountKey), this.deps.failures.release(sourceKey)]);
    if (account.blocked) return { ok: false, refusal: 'account_blocked' };
    return { ok: true, tokens: await this.start(account) };
  }

  async refresh(refreshToken: string): Promise<RefreshResult> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) return { ok: false, refusal: 'invalid_token' };
    const at = this.deps.clock.now();
    const session = await this.deps.sessions.get(parsed.userId, parsed.sessionId);
    if (!session) return { ok: false, refusal: 'invalid_token' };
    const presented = hashToken(parsed.secret);
    if (presented !== session.refreshHash) {
      // A spent token of this family: whoever holds the current one may be a thief, so the family ends.
      if (!session.usedHashes.includes(presented)) return { ok: false, refusal: 'invalid_token' };
      await this.deps.sessions.revoke(session.userId, session.sessionId, 'refresh_token_reused', at.toISOString());
      return { ok: false, refusal: 'session_ended' };
    }
    if (session.status !== 'active' || session.expiresAt * 1000 <= at.getTime()) return { ok: false, refusal: 'session_ended' };
    const account = await this.deps.accounts.get(session.userId);
    if (!account || account.blocked) {
      await this.deps.sessions.revoke(session.userId, session.sessionId, 'account_blocked', at.toISOString());
      return { ok: false, refusal: 'session_ended' };
    }
    const secret = newSecretToken();
    const used = [presented, ...session.usedHashes].slice(0, USED_HASHES_KEPT);
    if (!(await this.deps.sessions.rotate(session.userId, session.sessionId, presented, hashToken(secret), used, at.toISOString()))) {
      // Spent by a concurrent refresh a moment ago: the same token used twice.
      await this.deps.sessions.revoke(session.userId, session.sessionId, 'refresh_token_reused', at.toISOString());
      return { ok: false, refusal: 'session_ended' };
    }
    const access = await this.deps.tokens.issue(claimsOf(account, session.sessionId));
    return { ok: true, tokens: { ...access, refreshToken: formatRefreshToken(account.id, session.sessionId, secret) } };
  }

  /** Ends the session of a refresh token (current or spent); says nothing about tokens it does not know. */
  async logout(refreshToken: string): Promise<void> {
    const parsed = parseRefreshToken(refreshToken);
    if (!parsed) return;
    const session = await this.deps.sessions.get(parsed.userId, parsed.sessionId);
    const presented = hashToken(parsed.secret);
    if (!session || (session.refreshHash !== presented && !session.usedHashes.includes(presented))) return;
    await this.deps.sessions.revoke(session.userId, session.sessionId, 'logout', this.deps.clock.now().toISOString());
  }

  /** Ends the session an access token belongs to (its `sid`). */
  async logoutSession(userId: string, sessionId: string): Promise<void> {
    await this.deps.sessions.revoke(userId, sessionId, 'logout', this.deps.clock.now().toISOString());
  }

  private async start(account: Account): Promise<TokenPair> {
    const at = this.deps.clock.now();
    const sessionId = newSessionId();
    const secret = newSecretToken();
    await this.deps.sessions.create({
      userId: account.id,
      sessionId,
      refreshHash: hashToken(secret),
      usedHashes: [],
      status: 'active',
      createdAt: at.toISOString(),
      lastUsedAt: at.toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + (this.deps.sessionDays ?? 30) * 86_400,
    });
    const access = await this.deps.tokens.issue(claimsOf(account, sessionId));
    return { ...access, refreshToken: formatRefreshToken(account.id, sessionId, secret) };
  }
}

function claimsOf(account: Account, sessionId: string) {
  return { userId: account.id, sessionId, walletId: account.walletId, role: account.role, emailVerified: account.emailVerified };
}
