// Who the customerJwt authorizer lets through as whom, and the reason it gives when it cannot name a caller.
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { hashApiKey } from '../../../lambdas/access/domain/api-keys.js';
import type { ApiKeyRegistry, StoredApiKey } from '../../../lambdas/access/ports.js';
import { AccessTokens } from '../../../lambdas/customers/application/access-tokens.js';
import { CabinetAccess } from '../../../lambdas/customers/application/cabinet-access.js';
import { type Account, type AccountStore, DEFAULT_NOTIFICATIONS, type SessionRecord, type SessionStore } from '../../../lambdas/customers/ports.js';
import { decisionToContext } from '../../../lambdas/rest/v1/caller.js';
import { restHandler, ok, route } from '../../../lambdas/rest/v1/http.js';
import { getMe } from '../../../lambdas/rest/v1/contract/profile.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';
import { RecordedMetrics } from '../../support/recorded-metrics.js';

const PEPPER = 'pepper';
const KEY = 'cdx_0123456789abcdefghij0123456789abcdefghij';

function setup() {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const secrets = new InMemorySecretStore({ jwt: JSON.stringify({ current: 'k1', k1: 'seed-text-'.repeat(5) }), pepper: PEPPER });
  const tokens = new AccessTokens({ secrets, secretId: 'jwt', clock: { now: () => new Date(now) } });
  const sessions = new Map<string, SessionRecord>();
  const accounts = new Map<string, Account>();
  const keys = new Map<string, StoredApiKey>();
  let sessionReads = 0;
  const sessionStore = {
    get: async (userId: string, sessionId: string) => {
      sessionReads++;
      return sessions.get(`${userId}/${sessionId}`);
    },
  } as unknown as SessionStore;
  const accountStore = { get: async (id: string) => accounts.get(id) } as unknown as AccountStore;
  const apiKeys = { findKey: async (hash: string) => keys.get(hash) } as unknown as ApiKeyRegistry;
  const access = new CabinetAccess({
    tokens,
    sessions: sessionStore,
    accounts: accountStore,
    apiKeys,
    secrets,
    pepperSecretId: 'pepper',
    now: () => now,
    metrics: new RecordedMetrics(),
  });

  const account: Account = {
    id: 'usr_1',
    email: 'ann@example.com',
    role: 'customer',
    walletId: 'w1',
    createdAt: 'x',
    emailVerified: true,
    notifications: DEFAULT_NOTIFICATIONS,
    blocked: false,
  };
  accounts.set('usr_1', account);
  sessions.set('usr_1/ses_1', {
    userId: 'usr_1',
    sessionId: 'ses_1',
    refreshHash: 'h',
    usedHashes: [],
    status: 'active',
    createdAt: 'x',
    lastUsedAt: 'x',
    expiresAt: now / 1000 + 3600,
  });
  keys.set(hashApiKey(KEY, PEPPER), {
    keyId: 'kid_1',
    keyHash: hashApiKey(KEY, PEPPER),
    prefix: 'cdx_012345',
    ownerId: 'usr_1',
    walletId: 'w1',
    status: 'active',
    createdAt: 'x',
    allowedIps: ['203.0.113.0/24'],
  });
  const token = () => tokens.issue({ userId: 'usr_1', sessionId: 'ses_1', walletId: 'w1', role: 'customer', emailVerified: true });
  return {
    access,
    token,
    sessions,
    accounts,
    keys,
    reads: () => sessionReads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const fromIp = '203.0.113.9';

describe('the cabinet authorizer', () => {
  it('names the caller of a valid access token of an active session', async () => {
    const t = setup();
    const { accessToken } = await t.token();
    expect(await t.access.decide({ authorization: `Bearer ${accessToken}`, sourceIp: fromIp })).toEqual({
      caller: { userId: 'usr_1', walletId: 'w1', role: 'customer', emailVerified: true, via: 'session', sessionId: 'ses_1' },
    });
  });

  it('refuses a token whose session has ended, after at most the short cache', async () => {
    const t = setup();
    const { accessToken } = await t.token();
    await t.access.decide({ authorization: `Bearer ${accessToken}`, sourceIp: fromIp });
    t.sessions.get('usr_1/ses_1')!.status = 'revoked';
    expect('caller' in (await t.access.decide({ authorization: `Bearer ${accessToken}`, sourceIp: fromIp }))).toBe(true);
    expect(t.reads()).toBe(1);
    t.advance(10_001);
    expect(await t.access.decide({ authorization: `Bearer ${accessToken}`, sourceIp: fromIp })).toEqual({ refusal: 'session_ended' });
  });

  it('tells an expired token from a bad one, and a missing header from a bad one', async () => {
    const t = setup();
    const { accessToken } = await t.token();
    t.advance(15 * 60_000 + 1);
    expect(await t.access.decide({ authorization: `Bearer ${accessToken}`, sourceIp: fromIp })).toEqual({ refusal: 'token_expired' });
    expect(await t.access.decide({ authorization: 'Bearer nonsense', sourceIp: fromIp })).toEqual({ refusal: 'invalid_token' });
    expect(await t.access.decide({ authorization: 'Basic abc', sourceIp: fromIp })).toEqual({ refusal: 'invalid_token' });
    expect(await t.access.decide({ sourceIp: fromIp })).toEqual({ refusal: 'missing_credentials' });
  });

  it("names the key's owner for an API key in either header, from an allowed address", async () => {
    const t = setup();
    const expected = { caller: { userId: 'usr_1', walletId: 'w1', role: 'customer', emailVerified: true, via: 'apiKey', keyId: 'kid_1' } };
    expect(await t.access.decide({ authorization: `ApiKey ${KEY}`, sourceIp: fromIp })).toEqual(expected);
    expect(await t.access.decide({ apiKey: KEY, sourceIp: fromIp })).toEqual(expected);
  });

  it('refuses unknown, suspended and revoked keys, other addresses and blocked owners', async () => {
    const t = setup();
    expect(await t.access.decide({ apiKey: 'cdx_unknown', sourceIp: fromIp })).toEqual({ refusal: 'invalid_key' });
    expect(await t.access.decide({ apiKey: KEY, sourceIp: '198.51.100.1' })).toEqual({ refusal: 'ip_not_allowed' });
    t.accounts.get('usr_1')!.blocked = true;
    expect(await t.access.decide({ apiKey: KEY, sourceIp: fromIp })).toEqual({ refusal: 'account_blocked' });
    const t2 = setup();
    t2.keys.get(hashApiKey(KEY, PEPPER))!.status = 'suspended';
    expect(await t2.access.decide({ apiKey: KEY, sourceIp: fromIp })).toEqual({ refusal: 'key_suspended' });
    const t3 = setup();
    t3.keys.get(hashApiKey(KEY, PEPPER))!.status = 'revoked';
    expect(await t3.access.decide({ apiKey: KEY, sourceIp: fromIp })).toEqual({ refusal: 'invalid_key' });
  });
});

describe('refusals as the cabinet answers them', () => {
  const handler = restHandler([route(getMe, async ({ caller }) => ok({ id: caller.userId }))]);
  const call = (context: Record<string, string>) =>
    handler({
      httpMethod: 'GET',
      resource: '/api/v1/me',
      path: '/api/v1/me',
      headers: {},
      requestContext: { requestId: 'r', authorizer: context, identity: { sourceIp: '1.2.3.4' } },
    } as unknown as APIGatewayProxyEvent);

  it.each([
    ['missing_credentials', 401, 'unauthorized'],
    ['invalid_token', 401, 'unauthorized'],
    ['token_expired', 401, 'unauthorized'],
    ['session_ended', 401, 'unauthorized'],
    ['invalid_key', 401, 'unauthorized'],
    ['key_suspended', 403, 'key_suspended'],
    ['ip_not_allowed', 403, 'ip_not_allowed'],
    ['account_blocked', 403, 'account_blocked'],
  ] as const)('%s answers %i %s', async (refusal, status, code) => {
    const result = await call(decisionToContext({ refusal }));
    expect(result.statusCode).toBe(status);
    expect(JSON.parse(result.body).error.code).toBe(code);
  });

  it('passes the caller through to the operation', async () => {
    const result = await call(
      decisionToContext({ caller: { userId: 'usr_1', walletId: 'w1', role: 'customer', emailVerified: false, via: 'session', sessionId: 's' } }),
    );
    expect(JSON.parse(result.body)).toEqual({ id: 'usr_1' });
  });
});
