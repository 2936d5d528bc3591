// Accounts and sessions over HTTP against the local stack, as the website would use them: register, verify from
// the outbox, log in, the profile, refresh, log out; and the cabinet with a reseller's API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { type V1Answer, v1Client } from '../support/v1-client.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

const call = v1Client(() => stack.v1Url);

async function outbox(to: string): Promise<{ subject: string; text: string; token?: string }[]> {
  return (await fetch(`${stack.outboxUrl}?to=${encodeURIComponent(to)}`)).json() as Promise<{ subject: string; text: string; token?: string }[]>;
}

let counter = 0;
const newEmail = () => `user${Date.now()}-${counter++}@example.com`;
const PASSWORD = 'correct horse 42';

describe('a new customer', () => {
  it('registers, verifies from the outbox, logs in, reads /me, refreshes, logs out, and cannot refresh after', async () => {
    const email = newEmail();
    const registered = await call('POST', '/auth/register', { body: { email, password: PASSWORD, name: 'Ann' } });
    expect(registered.status).toBe(202);

    const [mail] = await outbox(email);
    expect(mail?.token).toMatch(/^[\w-]{43}$/);
    expect(mail!.text).toContain(`${stack.v1Url}/auth/verify-email`);
    expect(mail!.text).toContain(`Token: ${mail!.token}`);
    expect((await call('POST', '/auth/verify-email', { body: { token: mail!.token } })).body).toEqual({ emailVerified: true });

    const login = await call('POST', '/auth/login', { body: { email: email.toUpperCase(), password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ expiresIn: 900 });

    const me = await call('GET', '/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      email,
      name: 'Ann',
      telegram: null,
      role: 'customer',
      emailVerified: true,
      notifications: { orderCompleted: true, depositCredited: true, lowBalanceThreshold: null },
    });
    expect(JSON.stringify(me.body)).not.toContain('scrypt');

    const refreshed = await call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expect((await call('GET', '/me', { token: refreshed.body.accessToken })).status).toBe(200);

    expect((await call('POST', '/auth/logout', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(204);
    const after = await call('POST', '/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('session_ended');
  });

  it('can read and change its profile before verifying its email', async () => {
    const email = newEmail();
    await call('POST', '/auth/register', { body: { email, password: PASSWORD } });
    const login = await call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    const me = await call('GET', '/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.emailVerified).toBe(false);

    const patched = await call('PATCH', '/me', {
      token: login.body.accessToken,
      body: { name: 'Bob', telegram: 'https://t.me/bob_smm', notifications: { lowBalanceThreshold: '5', depositCredited: false } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'Bob',
      telegram: '@bob_smm',
      notifications: { orderCompleted: true, depositCredited: false, lowBalanceThreshold: '5.00' },
    });
  });

  it('is told its low-balance threshold is not an amount when it has more digits than money can hold (400, not 500)', async () => {
    const email = newEmail();
    await call('POST', '/auth/register', { body: { email, password: PASSWORD } });
    const login = await call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    const patched = await call('PATCH', '/me', { token: login.body.accessToken, body: { notifications: { lowBalanceThreshold: '999999999999' } } });
    expect(patched.status).toBe(400);
    expect(patched.body.error).toMatchObject({ code: 'invalid_amount', field: 'notifications.lowBalanceThreshold' });
    expect((await call('GET', '/me', { token: login.body.accessToken })).body.notifications.lowBalanceThreshold).toBeNull();
  });

  it('gets email_verified in its access token from the first refresh after verifying', async () => {
    const email = newEmail();
    await call('POST', '/auth/register', { body: { email, password: PASSWORD } });
    const login = await call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    const [mail] = await outbox(email);
    await call('POST', '/auth/verify-email', { body: { token: mail!.token } });
    const refreshed = await call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    const claims = JSON.parse(Buffer.from(refreshed.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.email_verified).toBe(true);
  });

  it('logs out with its access token alone', async () => {
    const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    expect((await call('POST', '/auth/logout', { token: login.body.accessToken, body: {} })).status).toBe(204);
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).body.error.code).toBe('session_ended');
  });

  it('is made to wait, with Retry-After, after repeated wrong passwords', async () => {
    const email = newEmail();
    const answers: V1Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await call('POST', '/auth/login', { body: { email, password: 'wrong password 1' } }));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers[5]!.status).toBe(429);
    expect(answers[5]!.body.error.code).toBe('too_many_attempts');
    expect(Number(answers[5]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('is told the password rules when the password breaks one', async () => {
    const answer = await call('POST', '/auth/register', { body: { email: newEmail(), password: 'short' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_password', field: 'password' });
    expect(answer.body.error.message).toContain('10 to 128 characters');
  });

  it('gets the same answer for a wrong password and for an email without an account', async () => {
    const wrong = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: 'not the password 1' } });
    const unknown = await call('POST', '/auth/login', { body: { email: newEmail(), password: 'not the password 1' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('resets a forgotten password through the outbox; the old sessions end', async () => {
    const email = newEmail();
    await call('POST', '/auth/register', { body: { email, password: PASSWORD } });
    const login = await call('POST', '/auth/login', { body: { email, password: PASSWORD } });
    expect((await call('POST', '/auth/forgot-password', { body: { email } })).status).toBe(202);
    expect((await call('POST', '/auth/forgot-password', { body: { email: newEmail() } })).status).toBe(202);
    const [mail] = await outbox(email);
    expect(mail?.subject).toContain('Reset');
    expect((await call('POST', '/auth/reset-password', { body: { token: mail!.token, password: 'a new password 7' } })).status).toBe(204);

    expect((await call('GET', '/me', { token: login.body.accessToken })).body.error.code).toBe('unauthorized');
    expect((await call('POST', '/auth/login', { body: { email, password: PASSWORD } })).status).toBe(401);
    expect((await call('POST', '/auth/login', { body: { email, password: 'a new password 7' } })).status).toBe(200);
    const again = await call('POST', '/auth/reset-password', { body: { token: mail!.token, password: 'another password 8' } });
    expect(again.body.error.code).toBe('invalid_or_expired_token');
  });
});

describe('the cabinet', () => {
  it('answers 401 in the v1 shape without credentials or with a bad token', async () => {
    const none = await call('GET', '/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect((await call('GET', '/me', { token: 'not.a.jwt' })).status).toBe(401);
  });

  it("serves /me to a reseller's API key, in either header", async () => {
    const byHeader = await call('GET', '/me', { headers: { 'x-api-key': stack.reseller.apiKey } });
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({ id: stack.reseller.id, role: 'reseller', emailVerified: true });
    const byAuthorization = await call('GET', '/me', { headers: { authorization: `ApiKey ${stack.reseller.apiKey}` } });
    expect(byAuthorization.body.id).toBe(stack.reseller.id);
    expect((await call('GET', '/me', { headers: { 'x-api-key': 'cdx_wrong' } })).status).toBe(401);
  });

  it('lets the seeded demo customer in, verified', async () => {
    const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    expect(login.status).toBe(200);
    expect((await call('GET', '/me', { token: login.body.accessToken })).body).toMatchObject({ email: 'customer@codex.local', emailVerified: true });
  });

  it('publishes the public keys that check access tokens', async () => {
    const answer = await call('GET', '/.well-known/jwks.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('max-age');
    expect(answer.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'local-1' });
  });
});

describe('API key management', () => {
  async function verifiedCustomer(): Promise<string> {
    const email = newEmail();
    await call('POST', '/auth/register', { body: { email, password: PASSWORD } });
    const [mail] = await outbox(email);
    await call('POST', '/auth/verify-email', { body: { token: mail!.token } });
    return (await call('POST', '/auth/login', { body: { email, password: PASSWORD } })).body.accessToken;
  }

  it('is refused to an API key (403 session_required), which can neither mint, widen, nor revoke a key', async () => {
    const viaKey = { headers: { 'x-api-key': stack.reseller.apiKey } };
    const before = await call('GET', '/api-keys', viaKey);
    expect(before.status).toBe(200);
    const [own] = before.body.items;
    expect(own).toBeDefined();

    const minted = await call('POST', '/api-keys', { ...viaKey, body: { label: 'unrestricted' } });
    expect(minted.status).toBe(403);
    expect(minted.body.error).toEqual({ code: 'session_required', message: 'Manage API keys from a signed-in session, not with an API key' });
    const widened = await call('PATCH', `/api-keys/${own.id}`, { headers: { authorization: `ApiKey ${stack.reseller.apiKey}` }, body: { allowedIps: [] } });
    expect(widened.status).toBe(403);
    expect(widened.body.error.code).toBe('session_required');
    const revoked = await call('DELETE', `/api-keys/${own.id}`, viaKey);
    expect(revoked.status).toBe(403);
    expect(revoked.body.error.code).toBe('session_required');

    expect((await call('GET', '/api-keys', viaKey)).body).toEqual(before.body);
  });

  it('refuses a 21st key that is not revoked, and allows one again after a revocation', async () => {
    const token = await verifiedCustomer();
    for (let i = 0; i < 20; i++) expect((await call('POST', '/api-keys', { token, body: { label: `bot ${i}` } })).status).toBe(201);
    const refused = await call('POST', '/api-keys', { token, body: { label: 'one too many' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('api_key_limit');
    expect(refused.body.error.message).toContain('at most 20');
    const keys = (await call('GET', '/api-keys', { token })).body.items;
    expect(keys).toHaveLength(20);
    expect((await call('DELETE', `/api-keys/${keys[0].id}`, { token })).status).toBe(204);
    expect((await call('POST', '/api-keys', { token, body: { label: 'replacement' } })).status).toBe(201);
  });
});
