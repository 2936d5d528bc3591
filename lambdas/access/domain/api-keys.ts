// Reseller API keys: a recognisable prefix plus 40 random base62 characters. Only a keyed hash is stored.
// Also the pure rules around a key: its id and its limits (allow-lists: ip-allow-list.ts, caller-address.ts).
import { createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../../shared/errors.js';

export const API_KEY_PREFIX = 'cdx_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 40;
const KEY_ID_PREFIX = 'kid_';
const KEY_ID_LENGTH = 16;

export type ApiKeyStatus = 'active' | 'revoked' | 'suspended';

function randomBase62(length: number, random: (size: number) => Buffer): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(64)) {
      // 248 = 4 x 62: bytes above it are dropped so every character is equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function generateApiKey(random: (size: number) => Buffer = randomBytes): string {
  return API_KEY_PREFIX + randomBase62(RANDOM_LENGTH, random);
}

/** The public, stable name of a key: shown to its owner, used in counters and audit entries. */
export function generateApiKeyId(random: (size: number) => Buffer = randomBytes): string {
  return KEY_ID_PREFIX + randomBase62(KEY_ID_LENGTH, random);
}

/** Whether a string has the shape of a key Codex hands out. Never used to skip a lookup, only to vet preset keys. */
export function isWellFormedApiKey(key: string): boolean {
  return /^cdx_[0-9A-Za-z]{32,128}$/.test(key);
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

// ---- Limits ----

export interface ApiKeyLimits {
  requestsPerMinute: number;
  dailyOrderQuota: number;
}

export const DEFAULT_API_KEY_LIMITS: ApiKeyLimits = { requestsPerMinute: 120, dailyOrderQuota: 10_000 };

const LIMIT_CEILINGS: ApiKeyLimits = { requestsPerMinute: 100_000, dailyOrderQuota: 10_000_000 };

/** Checks per-key limit overrides: whole numbers from 1 up to a sane ceiling. Absent fields stay absent. */
export function validateLimits(limits: Partial<ApiKeyLimits>): Partial<ApiKeyLimits> {
  const out: Partial<ApiKeyLimits> = {};
  for (const name of Object.keys(LIMIT_CEILINGS) as (keyof ApiKeyLimits)[]) {
    const value = limits[name];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > LIMIT_CEILINGS[name]) {
      throw new DomainError('invalid_request', `Limit ${name} must be a whole number from 1 to ${LIMIT_CEILINGS[name]}`);
    }
    out[name] = value;
  }
  return out;
}

/** The limits that apply to a key: its own overrides, else its tier's, else the defaults. */
export function effectiveLimits(defaults: ApiKeyLimits, tier: Partial<ApiKeyLimits> | undefined, key: Partial<ApiKeyLimits> | undefined): ApiKeyLimits {
  return {
    requestsPerMinute: key?.requestsPerMinute ?? tier?.requestsPerMinute ?? defaults.requestsPerMinute,
    dailyOrderQuota: key?.dailyOrderQuota ?? tier?.dailyOrderQuota ?? defaults.dailyOrderQuota,
  };
}
