import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, generateApiKey, hashApiKey, maskApiKey } from '../../lambdas/access/domain/api-keys.js';

describe('API keys', () => {
  it('have a recognisable prefix and 40 random base62 characters', () => {
    const key = generateApiKey();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(key.slice(API_KEY_PREFIX.length)).toMatch(/^[0-9A-Za-z]{40}$/);
    expect(new Set(Array.from({ length: 200 }, generateApiKey)).size).toBe(200);
  });

  it('are stored as a keyed hash that depends on the pepper', () => {
    const key = generateApiKey();
    expect(hashApiKey(key, 'a')).toBe(hashApiKey(key, 'a'));
    expect(hashApiKey(key, 'a')).not.toBe(hashApiKey(key, 'b'));
    expect(hashApiKey(key, 'a')).not.toContain(key.slice(4, 12));
  });

  it('are masked in logs so the secret part never shows', () => {
    const key = generateApiKey();
    expect(maskApiKey(key)).not.toContain(key.slice(6));
    expect(maskApiKey(undefined)).toBe('(none)');
  });
});
