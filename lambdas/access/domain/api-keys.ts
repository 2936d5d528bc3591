// Reseller API keys: a recognisable prefix plus 40 random base62 characters. Only a keyed hash is stored.
// Also the pure rules around a key: its id, its limits, and its IP allow-list (addresses and CIDR ranges).
import { createHmac, randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
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

// ---- IP allow-lists ----

export const MAX_ALLOWED_IPS = 100;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Strict parsing: dotted-quad IPv4 without leading zeros (ipaddr.js alone also takes "10", "0x0a.1" and octal,
 * which nobody means in an allow-list) and IPv6 without a zone id. IPv4-mapped IPv6 becomes IPv4, so
 * "::ffff:1.2.3.4" and "1.2.3.4" are the same caller.
 */
function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!/^[0-9a-f:.]+$/i.test(text) || !ipaddr.IPv6.isValid(text)) return undefined;
  const dotted = text.slice(text.lastIndexOf(':') + 1);
  if (dotted.includes('.') && !ipaddr.IPv4.isValidFourPartDecimal(dotted)) return undefined;
  const address = ipaddr.IPv6.parse(text);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

const formatAddress = (address: Address): string => (address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString());

type Range = [Address, number];

function parseEntry(entry: string): { range: Range } | { problem: string } {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (!address || text.length > 64 || (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText))) {
    return { problem: `"${entry}" is not an IP address or CIDR range` };
  }
  const wasMapped = slash >= 0 && address.kind() === 'ipv4' && text.includes(':');
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (wasMapped) prefix -= 96;
  if (prefix < 0 || prefix > bits) return { problem: `"${entry}" has a prefix length outside 0-${bits}` };
  const network = networkOf(address, prefix);
  if (formatAddress(network) !== formatAddress(address)) {
    return { problem: `"${entry}" is not the start of its range (did you mean "${formatAddress(network)}/${prefix}"?)` };
  }
  return { range: [address, prefix] };
}

function networkOf(address: Address, prefix: number): Address {
  const bytes = address.toByteArray().map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & (0xff << (8 - keep)) & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

const formatRange = ([address, prefix]: Range): string =>
  prefix === (address.kind() === 'ipv4' ? 32 : 128) ? formatAddress(address) : `${formatAddress(address)}/${prefix}`;

/**
 * Validates an allow-list and returns it normalised (canonical text, duplicates removed). Every bad entry is
 * named in one error, so the reseller can fix them all at once. An empty list means "any address".
 */
export function parseIpAllowList(entries: readonly string[]): string[] {
  if (entries.length > MAX_ALLOWED_IPS) throw new DomainError('invalid_request', `An allow-list holds at most ${MAX_ALLOWED_IPS} entries`);
  const problems: string[] = [];
  const normalised = new Set<string>();
  for (const entry of entries) {
    const parsed = typeof entry === 'string' ? parseEntry(entry) : { problem: `${JSON.stringify(entry)} is not text` };
    if ('problem' in parsed) problems.push(parsed.problem);
    else normalised.add(formatRange(parsed.range));
  }
  if (problems.length > 0) throw new DomainError('invalid_request', `Invalid IP allow-list: ${problems.join('; ')}`);
  return [...normalised];
}

/** Whether a request from `sourceIp` may use a key with this allow-list; no list (or an empty one) allows any address. */
export function isIpAllowed(allowList: readonly string[] | undefined, sourceIp: string): boolean {
  if (!allowList || allowList.length === 0) return true;
  const address = parseAddress(sourceIp.trim());
  if (!address) return false;
  return allowList.some((entry) => {
    const parsed = parseEntry(entry);
    return 'range' in parsed && parsed.range[0].kind() === address.kind() && address.match(parsed.range);
  });
}

/**
 * Who is counted for invalid-key bursts: an IPv4 address, or the /64 of an IPv6 address (one subscriber usually
 * holds a whole /64, so counting single IPv6 addresses would be trivial to dodge).
 */
export function abuseSourceOf(sourceIp: string): string {
  const address = parseAddress(sourceIp.trim());
  if (!address) return 'unparsable';
  return address.kind() === 'ipv4' ? formatAddress(address) : `${formatAddress(networkOf(address, 64))}/64`;
}
