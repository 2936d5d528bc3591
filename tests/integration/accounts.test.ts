// Accounts and sessions on DynamoDB Local: what must hold when requests race, tokens are replayed, and passwords
// are guessed.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamodb/customer-accounts.js';
import { DynamoAttemptCounters } from '../../lambdas/adapters/dynamodb/attempt-counters.js';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamodb/session-store.js';
import { AccessTokens } from '../../lambdas/customers/application/access-tokens.js';
import { Accounts } from '../../lambdas/customers/application/accounts.js';
import { AccountBlocking } from '../../lambdas/customers/application/profiles.js';
import { CabinetAccess } from '../../lambdas/customers/application/cabinet-access.js';
import { accountCounterKey, Sessions, type TokenPair } from '../../lambdas/customers/application/sessions.js';
import { ACCOUNT_POLICY } from '../../lambdas/customers/domain/login-throttle.js';
import type { EmailMessage } from '../../lambdas/shared/ports.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { createTestTable, type TestTable } from '../support/dynamo-table.js';
import { createApiKeyManagement } from '../support/key-services.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

let table: TestTable;
let now = Date.parse('2026-12-01T10:00:00Z');
const clock = { now: () => new Date(now) };
const sent: EmailMessage[] = [];
const secrets = new InMemorySecretStore({ jwt: JSON.stringify({ current: 'k1', k1: 'integration-seed-'.repeat(3) }), pepper: 'pepper' });
let accounts: Accounts;
let sessions: Sessions;
let store: DynamoAccountStore;
let sessionStore: DynamoSessionStore;
let access: CabinetAccess;
let keyManagement: ReturnType<typeof createApiKeyManagement>;
let blocking: AccountBlocking;
let failures: DynamoAttemptCounters;
const metrics = new RecordedMetrics();

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoAccountStore(table.db, table.tableName);
  sessionStore = new DynamoSessionStore(table.db, table.tableName);
  failures = new DynamoAttemptCounters(table.db, table.tableName);
  const tokens = new AccessTokens({ secrets, secretId: 'jwt', clock });
  keyManagement = createApiKeyManagement({ db: table.db, tableName: table.tableName, secrets, pepperSecretId: 'pepper', clock });
  accounts = new Accounts({
    accounts: store,
    sessions: sessionStore,
    failures,
    email: { send: async (m) => void sent.push(m) },
    clock,
    currency: 'USD',
  });
  blocking = new AccountBlocking({ accounts: store, sessions: sessionStore, clock, apiKeys: keyManagement });
  sessions = new Sessions({ accounts: store, sessions: sessionStore, failures, tokens, clock, metrics });
  access = new CabinetAccess(
    { tokens, sessions: sessionStore, accounts: store, apiKeys: table.apiKeys, secrets, pepperSecretId: 'pepper', now: () => now, metrics },
    { activeSessionMs: 0, keyMs: 0, ownerMs: 0 },
  );
});

let counter = 0;
const PASSWORD = 'correct horse 42';
const newEmail = () => `user${counter++}@example.com`;
const tokenFor = (email: string) => /^Token: (\S+)$/m.exec(sent.filter((m) => m.to === email).at(-1)!.text)![1]!;

async function registered(email = newEmail()): Promise<{ email: string; userId: string }> {
  await accounts.register({ email, password: PASSWORD, apiBase: 'http://api', sourceIp: '192.0.2.50' });
  return { email, userId: (await store.findUserIdByEmail(email))! };
}

async function loggedIn(email: string, sourceIp = '192.0.2.1'): Promise<TokenPair> {
  const result = await sessions.login({ email, password: PASSWORD, sourceIp });
  if (!result.ok) throw new Error(`login refused: ${result.refusal}`);
  return result.tokens;
}

const refreshed = async (token: string) => sessions.refresh(token);

describe('registration', () => {
  it('gives one email one account however many registrations race for it', async () => {
    const email = newEmail();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        accounts.register({ email: i % 2 ? email : email.toUpperCase(), password: `${PASSWORD}${i}`, apiBase: 'http://api', sourceIp: '192.0.2.50' }),
      ),
    );
    const users = (await table.allItems()).filter((item) => item.entity === 'user' && item.email === email);
    expect(users).toHaveLength(1);
    const wallets = (await table.allItems()).filter((item) => item.entity === 'wallet' && item.ownerId === users[0]!.id);
    expect(wallets).toHaveLength(1);
    // Still unverified: every registration of the email sends a verification token.
    const mails = sent.filter((m) => m.to === email);
    expect(mails.filter((m) => m.subject.startsWith('Confirm'))).toHaveLength(5);
  });

  it('emails a fresh verification token to an unverified account registered again, even after the first expired', async () => {
    const { email, userId } = await registered();
    const first = tokenFor(email);
    now += 49 * 3_600_000;
    await expect(accounts.register({ email, password: `${PASSWORD}x`, apiBase: 'http://api', sourceIp: '192.0.2.50' })).resolves.toBeUndefined();
    const fresh = tokenFor(email);
    expect(fresh).not.toBe(first);
    await expect(accounts.verifyEmail(first)).rejects.toMatchObject({ code: 'invalid_or_expired_token' });
    await accounts.verifyEmail(fresh);
    expect((await store.get(userId))?.emailVerified).toBe(true);
    // The password stays the first one: registering again changes nothing but the email sent.
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '192.0.2.1' })).ok).toBe(true);
  });

  it('recovers an account whose verification email failed to send', async () => {
    const email = newEmail();
    const failing = new Accounts({
      accounts: store,
      sessions: sessionStore,
      failures,
      email: {
        send: async () => {
          throw new Error('SES is down');
        },
      },
      clock,
      currency: 'USD',
    });
    await expect(failing.register({ email, password: PASSWORD, apiBase: 'http://api', sourceIp: '192.0.2.50' })).rejects.toThrow('SES is down');
    await accounts.register({ email, password: PASSWORD, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    await accounts.verifyEmail(tokenFor(email));
    expect((await store.get((await store.findUserIdByEmail(email))!))?.emailVerified).toBe(true);
  });

  it('tells a verified account registered again only that it already has one', async () => {
    const { email } = await registered();
    await accounts.verifyEmail(tokenFor(email));
    const before = sent.length;
    await accounts.register({ email, password: PASSWORD, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    expect(sent.slice(before).map((m) => [m.to, m.subject])).toEqual([[email, 'You already have a Codex account']]);
    expect(sent.at(-1)!.text).not.toMatch(/^Token:/m);
  });

  it('writes a customer with an empty wallet, unverified, and never the password', async () => {
    const { userId, email } = await registered();
    const account = await store.get(userId);
    expect(account).toMatchObject({ email, role: 'customer', emailVerified: false, blocked: false });
    expect(account!.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(await table.allItems())).not.toContain(PASSWORD);
    expect((await table.wallets.getWallet(account!.walletId))?.balance).toBe(0);
  });
});

describe('account emails', () => {
  const ask = (email: string, i: number) =>
    accounts.forgotPassword({ email, apiBase: 'http://api', sourceIp: `198.18.0.${i}` }).then(
      () => 'sent',
      (error: { code?: string }) => error.code,
    );

  it('are limited to five an hour per address (the registration counts), whether or not it has an account', async () => {
    const { email } = await registered();
    const known = [];
    for (let i = 0; i < 5; i++) known.push(await ask(email, i));
    expect(known).toEqual(['sent', 'sent', 'sent', 'sent', 'too_many_requests']);
    const unknown = newEmail();
    const asked = [];
    for (let i = 0; i < 6; i++) asked.push(await ask(unknown, i));
    expect(asked).toEqual(['sent', 'sent', 'sent', 'sent', 'sent', 'too_many_requests']);
    now += 3_600_000;
    expect(await ask(email, 9)).toBe('sent');
  });
});

describe('account emails asked for at once', () => {
  it('are still limited to five per address when ten requests race', async () => {
    const email = newEmail();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        accounts.forgotPassword({ email, apiBase: 'http://api', sourceIp: `198.19.0.${i}` }).then(
          () => 'sent',
          (error: { code?: string }) => error.code,
        ),
      ),
    );
    expect(answers.filter((a) => a === 'sent')).toHaveLength(5);
    expect(answers.filter((a) => a === 'too_many_requests')).toHaveLength(5);
  });
});

describe('one-time tokens', () => {
  it('verify the email once; the same token again is refused', async () => {
    const { email, userId } = await registered();
    const token = tokenFor(email);
    await accounts.verifyEmail(token);
    expect((await store.get(userId))?.emailVerified).toBe(true);
    await expect(accounts.verifyEmail(token)).rejects.toMatchObject({ code: 'invalid_or_expired_token' });
  });

  it('stop working when they expire', async () => {
    const { email } = await registered();
    const token = tokenFor(email);
    now += 49 * 3_600_000;
    await expect(accounts.verifyEmail(token)).rejects.toMatchObject({ code: 'invalid_or_expired_token' });
  });

  it('are spent once even when two requests race with the same one', async () => {
    const { email } = await registered();
    await accounts.forgotPassword({ email, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    const token = tokenFor(email);
    const results = await Promise.allSettled([
      accounts.resetPassword({ token, password: 'first new password 1' }),
      accounts.resetPassword({ token, password: 'second new password 2' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('reset the password and, having come by email, mark the email verified', async () => {
    const { email, userId } = await registered();
    expect((await store.get(userId))?.emailVerified).toBe(false);
    await accounts.forgotPassword({ email, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    await accounts.resetPassword({ token: tokenFor(email), password: 'a brand new one 9' });
    expect((await store.get(userId))?.emailVerified).toBe(true);
  });

  it('are stored only as hashes', async () => {
    const { email } = await registered();
    expect(JSON.stringify(await table.allItems())).not.toContain(tokenFor(email));
  });
});

describe('sessions', () => {
  it('rotate the refresh token on every use; the spent one no longer works', async () => {
    const { email } = await registered();
    const first = await loggedIn(email);
    const second = await refreshed(first.refreshToken);
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.tokens.refreshToken).not.toBe(first.refreshToken);
    const third = await refreshed(second.tokens.refreshToken);
    expect(third.ok).toBe(true);
  });

  it('end the whole family when a spent refresh token is presented again', async () => {
    const { email } = await registered();
    const first = await loggedIn(email);
    const second = await refreshed(first.refreshToken);
    if (!second.ok) throw new Error('refresh refused');
    expect(await refreshed(first.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    // The thief's or the owner's current token: neither works any more, and the access token is refused too.
    expect(await refreshed(second.tokens.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    expect(await access.decide({ authorization: `Bearer ${second.tokens.accessToken}`, sourceIp: '192.0.2.1' })).toEqual({ refusal: 'session_ended' });
  });

  it('let only one of two concurrent refreshes with the same token through, and end the family', async () => {
    const { email } = await registered();
    const first = await loggedIn(email);
    const results = await Promise.all([refreshed(first.refreshToken), refreshed(first.refreshToken)]);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    const winner = results.find((r) => r.ok);
    if (winner?.ok) expect((await refreshed(winner.tokens.refreshToken)).ok).toBe(false);
  });

  it('do not end for a made-up refresh token that names a real session', async () => {
    const { email } = await registered();
    const first = await loggedIn(email);
    const [userId, sessionId] = first.refreshToken.split('.');
    expect(await refreshed(`${userId}.${sessionId}.guessed`)).toEqual({ ok: false, refusal: 'invalid_token' });
    expect((await refreshed(first.refreshToken)).ok).toBe(true);
  });

  it('end at logout, leaving the user’s other sessions alone', async () => {
    const { email } = await registered();
    const phone = await loggedIn(email);
    const laptop = await loggedIn(email);
    await sessions.logout(phone.refreshToken);
    expect(await refreshed(phone.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    expect((await refreshed(laptop.refreshToken)).ok).toBe(true);
  });

  it('all end when the password is reset', async () => {
    const { email } = await registered();
    const phone = await loggedIn(email);
    const laptop = await loggedIn(email);
    await accounts.forgotPassword({ email, apiBase: 'http://api', sourceIp: '192.0.2.50' });
    await accounts.resetPassword({ token: tokenFor(email), password: 'a brand new one 9' });
    expect(await refreshed(phone.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    expect(await refreshed(laptop.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '192.0.2.1' })).ok).toBe(false);
    expect((await sessions.login({ email, password: 'a brand new one 9', sourceIp: '192.0.2.1' })).ok).toBe(true);
  });

  it('expire after 30 days', async () => {
    const { email } = await registered();
    const first = await loggedIn(email);
    now += 31 * 86_400_000;
    expect(await refreshed(first.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
  });
});

describe('login throttling', () => {
  it('makes an account wait after repeated failures, then locks it, alike for an email without an account', async () => {
    const { email } = await registered();
    const unknown = newEmail();
    metrics.clear();
    for (const target of [email, unknown]) {
      const answers = [];
      for (let i = 0; i < 6; i++) {
        // A different address each time: only the account's own count is at work.
        answers.push(await sessions.login({ email: target, password: 'wrong password 0', sourceIp: `198.51.100.${i}` }));
      }
      expect(answers.slice(0, 5).map((a) => a.ok || a.refusal)).toEqual(Array(5).fill('invalid_credentials'));
      expect(answers[5]).toEqual({ ok: false, refusal: 'too_many_attempts', retryAfterSeconds: 1 });
    }
    // Every refused login is a login failure, the ones told to wait included.
    expect(metrics.sum('LoginFailures')).toBe(12);
    // Even the right password waits.
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '198.51.100.99' })).ok).toBe(false);
    for (let i = 0; i < 5; i++) {
      now += 60_000;
      await sessions.login({ email, password: 'wrong password 0', sourceIp: '198.51.100.7' });
    }
    const locked = await sessions.login({ email, password: PASSWORD, sourceIp: '198.51.100.8' });
    expect(locked).toMatchObject({ ok: false, refusal: 'too_many_attempts' });
    expect(locked.ok === false && locked.refusal === 'too_many_attempts' && locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    now += 16 * 60_000;
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '198.51.100.8' })).ok).toBe(true);
  });

  it('checks only a few of 30 concurrent wrong passwords for one account; the rest are told to wait', async () => {
    const { email } = await registered();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => sessions.login({ email, password: `wrong password ${i}`, sourceIp: `203.0.113.${i}` })),
    );
    const checked = answers.filter((a) => !a.ok && a.refusal === 'invalid_credentials').length;
    const refused = answers.filter((a) => !a.ok && a.refusal === 'too_many_attempts').length;
    expect(checked + refused).toBe(30);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(ACCOUNT_POLICY.freeFailures + ACCOUNT_POLICY.lockAfter);
    // The refused ones gave their reservations back: the count is that of the passwords checked.
    expect((await failures.read([accountCounterKey(email)])).get(accountCounterKey(email))?.count).toBe(checked);
    // The right password, a little later, is let in and clears the count.
    now += 60_000;
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '203.0.113.200' })).ok).toBe(true);
    expect((await failures.read([accountCounterKey(email)])).has(accountCounterKey(email))).toBe(false);
  });

  it('does not count successful logins against their source', async () => {
    const { email } = await registered();
    for (let i = 0; i < 25; i++) expect((await sessions.login({ email, password: PASSWORD, sourceIp: '203.0.113.99' })).ok).toBe(true);
  });

  it('counts failures per source across accounts, an IPv6 /64 as one source', async () => {
    now += 2 * 3_600_000;
    const results = [];
    for (let i = 0; i < 22; i++) {
      results.push(await sessions.login({ email: newEmail(), password: 'wrong password 0', sourceIp: `2001:db8:1:2::${i.toString(16)}` }));
    }
    expect(results.at(-1)).toMatchObject({ ok: false, refusal: 'too_many_attempts' });
    const { email } = await registered();
    expect(await sessions.login({ email, password: PASSWORD, sourceIp: '2001:db8:1:2:ffff::1' })).toMatchObject({ refusal: 'too_many_attempts' });
    expect((await sessions.login({ email, password: PASSWORD, sourceIp: '2001:db8:1:3::1' })).ok).toBe(true);
  });
});

describe('blocking an account', () => {
  it('ends its sessions, suspends its API keys, and refuses its logins and keys', async () => {
    const { email, userId } = await registered();
    const account = (await store.get(userId))!;
    const session = await loggedIn(email);
    metrics.clear();
    const { key } = await keyManagement.createApiKey(userId, account.walletId, { label: 'bot' });
    await keyManagement.createApiKey(userId, account.walletId, { label: 'old' }).then(({ record }) => keyManagement.revokeApiKey(userId, record.keyId));

    expect(await blocking.blockAccount(userId, { actor: 'admin-1', reason: 'chargebacks' })).toEqual({ sessionsEnded: 1, keysSuspended: 1 });
    expect(await refreshed(session.refreshToken)).toEqual({ ok: false, refusal: 'session_ended' });
    expect(await access.decide({ authorization: `Bearer ${session.accessToken}`, sourceIp: '192.0.2.1' })).toEqual({ refusal: 'session_ended' });
    expect(await access.decide({ apiKey: key, sourceIp: '192.0.2.1' })).toEqual({ refusal: 'key_suspended' });
    expect(await sessions.login({ email, password: PASSWORD, sourceIp: '192.0.2.1' })).toEqual({ ok: false, refusal: 'account_blocked' });
    expect((await keyManagement.listApiKeys(userId)).map((k) => k.status).sort()).toEqual(['revoked', 'suspended']);
    expect([metrics.sum('ApiKeyBlocks'), metrics.sum('LoginFailures')]).toEqual([1, 1]);
    // Again: nothing more to do, no error.
    expect(await blocking.blockAccount(userId, { actor: 'admin-1', reason: 'chargebacks' })).toEqual({ sessionsEnded: 0, keysSuspended: 0 });
  });
});
