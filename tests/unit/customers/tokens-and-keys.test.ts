import { describe, expect, it } from 'vitest';
import { AccessTokens } from '../../../lambdas/customers/application/access-tokens.js';
import { deriveSigningKey, parseKeyRing, publicJwks, SigningSecretError } from '../../../lambdas/customers/domain/signing-keys.js';
import { ACCOUNT_POLICY, retryAt, SOURCE_POLICY } from '../../../lambdas/customers/domain/login-throttle.js';
import { formatRefreshToken, hashToken, newSecretToken, parseRefreshToken } from '../../../lambdas/customers/domain/tokens.js';
import { normaliseEmail, isEmailAddress } from '../../../lambdas/customers/domain/email-address.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';

const SEED_A = 'first-seed-text-0123456789-aaaaaaaaaaaaaaaaaaaa';
const SEED_B = 'second-seed-text-0123456789-bbbbbbbbbbbbbbbbbbbb';

describe('signing keys from seeds', () => {
  it('derives the same Ed25519 key from the same seed and key id, and another for another id', () => {
    const one = deriveSigningKey('k1', SEED_A);
    expect(one.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(deriveSigningKey('k1', SEED_A).publicKey.export({ format: 'jwk' })).toEqual(one.publicKey.export({ format: 'jwk' }));
    expect(deriveSigningKey('k2', SEED_A).publicKey.export({ format: 'jwk' })).not.toEqual(one.publicKey.export({ format: 'jwk' }));
  });

  it('reads the flat secret Secrets Manager generates, and the nested form', () => {
    expect(parseKeyRing(JSON.stringify({ current: 'k1', k1: SEED_A })).current.kid).toBe('k1');
    const nested = parseKeyRing(JSON.stringify({ current: 'k2', keys: { k1: SEED_A, k2: SEED_B } }));
    expect(nested.current.kid).toBe('k2');
    expect([...nested.byKid.keys()]).toEqual(['k1', 'k2']);
  });

  it.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ current: 'k9', k1: SEED_A }), 'no current key'],
    [JSON.stringify({ current: 'k1', k1: 'short' }), 'shorter than'],
    [JSON.stringify({ current: 'k1', k1: 5 }), 'seed text'],
  ])('refuses a secret it cannot use: %s', (text, message) => {
    expect(() => parseKeyRing(text)).toThrow(SigningSecretError);
    expect(() => parseKeyRing(text)).toThrow(message);
  });

  it('publishes only public keys in the JWKS', () => {
    const jwks = publicJwks(parseKeyRing(JSON.stringify({ current: 'k1', k1: SEED_A, k2: SEED_B })));
    expect(jwks.keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    expect(jwks.keys[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: 'k1', alg: 'EdDSA', use: 'sig' });
    expect(JSON.stringify(jwks)).not.toContain('"d"');
  });
});

describe('access tokens', () => {
  const claims = { userId: 'usr_1', sessionId: 'ses_1', walletId: 'w1', role: 'customer' as const, emailVerified: false };
  const tokensWith = (secret: Record<string, string>, now = () => new Date()) =>
    new AccessTokens({ secrets: new InMemorySecretStore({ jwt: JSON.stringify(secret) }), secretId: 'jwt', clock: { now } });

  it('signs a 15-minute EdDSA token with a kid that it verifies back to the same claims', async () => {
    const tokens = tokensWith({ current: 'k1', k1: SEED_A });
    const { accessToken, expiresIn } = await tokens.issue(claims);
    expect(expiresIn).toBe(900);
    const header = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: 'k1' });
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: 'usr_1', sid: 'ses_1', wid: 'w1', role: 'customer', email_verified: false, iss: 'codex', aud: 'codex-api-v1' });
    expect(payload.exp - payload.iat).toBe(900);
    expect(await tokens.verify(accessToken)).toEqual({ ok: true, claims });
  });

  it('keeps accepting tokens of the previous key after rotation, and signs with the new one', async () => {
    const before = await tokensWith({ current: 'k1', k1: SEED_A }).issue(claims);
    const rotated = tokensWith({ current: 'k2', k1: SEED_A, k2: SEED_B });
    expect((await rotated.verify(before.accessToken)).ok).toBe(true);
    const after = await rotated.issue(claims);
    expect(JSON.parse(Buffer.from(after.accessToken.split('.')[0]!, 'base64url').toString()).kid).toBe('k2');
    // Once the old seed is removed, its tokens stop working.
    expect(await tokensWith({ current: 'k2', k2: SEED_B }).verify(before.accessToken)).toEqual({ ok: false, refusal: 'invalid_token' });
  });

  it('refuses an expired token as expired, and a tampered or foreign one as invalid', async () => {
    const { accessToken } = await tokensWith({ current: 'k1', k1: SEED_A }, () => new Date(Date.now() - 16 * 60_000)).issue(claims);
    const tokens = tokensWith({ current: 'k1', k1: SEED_A });
    expect(await tokens.verify(accessToken)).toEqual({ ok: false, refusal: 'token_expired' });

    const fresh = (await tokens.issue(claims)).accessToken;
    const [h, p, s] = fresh.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
    expect(await tokens.verify(`${h}.${forged}.${s}`)).toEqual({ ok: false, refusal: 'invalid_token' });
    const foreign = (await tokensWith({ current: 'k1', k1: SEED_B }).issue(claims)).accessToken;
    expect(await tokens.verify(foreign)).toEqual({ ok: false, refusal: 'invalid_token' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${p}.`;
    expect(await tokens.verify(none)).toEqual({ ok: false, refusal: 'invalid_token' });
  });

  it('verifies a warm token in well under a millisecond', async () => {
    const tokens = tokensWith({ current: 'k1', k1: SEED_A });
    const { accessToken } = await tokens.issue(claims);
    for (let i = 0; i < 200; i++) await tokens.verify(accessToken);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      await tokens.verify(accessToken);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[500]).toBeLessThan(1);
  });
});

describe('secret tokens and emails', () => {
  it('makes 256-bit URL-safe tokens and stores only their hash', () => {
    const token = newSecretToken();
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(hashToken(token)).not.toContain(token);
    expect(hashToken(token)).toBe(hashToken(token));
  });

  it('reads back the session a refresh token names, and nothing from a malformed one', () => {
    expect(parseRefreshToken(formatRefreshToken('usr_1', 'ses_2', 'secret'))).toEqual({ userId: 'usr_1', sessionId: 'ses_2', secret: 'secret' });
    expect(parseRefreshToken('a.b')).toBeUndefined();
    expect(parseRefreshToken('a.b.c.d')).toBeUndefined();
    expect(parseRefreshToken('a.b/../c.d')).toBeUndefined();
  });

  it('treats any spelling of an address as one account', () => {
    expect(normaliseEmail('  Ann@Example.COM ')).toBe('ann@example.com');
    expect(isEmailAddress('ann@example.com')).toBe(true);
    expect(isEmailAddress('ann@localhost')).toBe(false);
    expect(isEmailAddress('not an email')).toBe(false);
  });
});

describe('login throttling', () => {
  const at = (count: number, lastFailureAt = 1_000_000) => ({ count, lastFailureAt });
  const now = 1_000_000;

  it('lets the first few failures through at once, then makes each attempt wait twice as long', () => {
    expect(retryAt(ACCOUNT_POLICY, undefined, now)).toBe(0);
    expect(retryAt(ACCOUNT_POLICY, at(4), now)).toBe(0);
    expect(retryAt(ACCOUNT_POLICY, at(5), now) - now).toBe(1000);
    expect(retryAt(ACCOUNT_POLICY, at(6), now) - now).toBe(2000);
    expect(retryAt(ACCOUNT_POLICY, at(8), now) - now).toBe(8000);
    expect(retryAt(ACCOUNT_POLICY, at(9), now) - now).toBe(16000);
  });

  it('locks the account for 15 minutes after 10 failures, and forgets them after an hour without one', () => {
    expect(retryAt(ACCOUNT_POLICY, at(10), now) - now).toBe(15 * 60_000);
    expect(retryAt(ACCOUNT_POLICY, at(30, now - 3_600_000), now)).toBe(0);
  });

  it('gives a shared address more room than one account', () => {
    expect(retryAt(SOURCE_POLICY, at(20), now)).toBe(0);
    expect(retryAt(SOURCE_POLICY, at(21), now)).toBeGreaterThan(now);
    expect(retryAt(SOURCE_POLICY, at(100), now) - now).toBe(30 * 60_000);
  });
});
