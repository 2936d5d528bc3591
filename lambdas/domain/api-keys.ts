// Reseller API keys: a recognisable prefix plus 40 random base62 characters. Only a keyed hash is stored.
import { createHmac, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'cdx_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 40;

export function generateApiKey(random: (size: number) => Buffer = randomBytes): string {
  let out = '';
  while (out.length < RANDOM_LENGTH) {
    for (const byte of random(64)) {
      // 248 = 4 x 62: bytes above it are dropped so every character is equally likely.
      if (byte < 248 && out.length < RANDOM_LENGTH) out += ALPHABET[byte % 62];
    }
  }
  return API_KEY_PREFIX + out;
}

export function hashApiKey(key: string, pepper: string): string {
  return createHmac('sha256', pepper).update(key, 'utf8').digest('base64url');
}

/** What may be shown of a key after creation: its prefix and first characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

/** For logs: never the key, at most a hint of which one. */
export function maskApiKey(key: string | undefined): string {
  if (!key) return '(none)';
  return key.length > 10 ? `${key.slice(0, 6)}…(${key.length})` : '***';
}
