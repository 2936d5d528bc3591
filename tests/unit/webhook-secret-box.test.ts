// Webhook signing secrets at rest: sealed under a key derived from a platform secret, bound to their owner.
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretBoxKey } from '../../lambdas/notifications/domain/secret-box.js';
import { generateWebhookSecret } from '../../lambdas/notifications/domain/webhooks.js';

const key = secretBoxKey('a platform secret of some length');

describe('a sealed webhook secret', () => {
  it('opens to the secret it sealed, and never holds it in clear', () => {
    const secret = generateWebhookSecret();
    const sealed = sealSecret(key, secret, 'user-1');
    expect(sealed).toMatch(/^v1\.[\w-]+$/);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(sealSecret(key, secret, 'user-1')).not.toBe(sealed);
    expect(openSecret(key, sealed, 'user-1')).toBe(secret);
  });

  it('does not open when changed, under another key or for another owner', () => {
    const secret = generateWebhookSecret();
    const sealed = sealSecret(key, secret, 'user-1');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => openSecret(key, `v1.${raw.toString('base64url')}`, 'user-1')).toThrow(/does not open/);
    expect(() => openSecret(secretBoxKey('another platform secret, same length'), sealed, 'user-1')).toThrow(/does not open/);
    expect(() => openSecret(key, sealed, 'user-2')).toThrow(/does not open/);
    expect(() => openSecret(key, 'v2.abc', 'user-1')).toThrow(/Not a sealed/);
    try {
      openSecret(key, sealed, 'user-2');
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });

  it('refuses key material too short to derive from', () => {
    expect(() => secretBoxKey('short')).toThrow(/too short/);
  });
});
