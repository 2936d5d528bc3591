// Password rules and the password hash: scrypt from node:crypto (memory-hard, salted), stored as
// `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking existing hashes.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** What a password must be, said once: the refusal quotes it whole. */
export const PASSWORD_RULES = `A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters, mixes at least two kinds (letters, digits, other characters), and is not your email address`;

/** Why the password is refused (the rules, with what is wrong first), or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Too short. ${PASSWORD_RULES}`;
  if (length > PASSWORD_MAX) return `Too long. ${PASSWORD_RULES}`;
  const kinds = [/\p{L}/u, /\p{N}/u, /[^\p{L}\p{N}]/u].filter((kind) => kind.test(password)).length;
  if (kinds < 2) return `Only one kind of character. ${PASSWORD_RULES}`;
  const lowered = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (lowered === address || lowered === address.split('@')[0]) return `The same as your email address. ${PASSWORD_RULES}`;
  return undefined;
}

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB of memory per hash, about 50–100 ms of one core. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

const maxmemFor = ({ N, r, p }: ScryptCost) => 128 * N * r * (p + 2);

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: maxmemFor(cost) };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false (after the same work) for a stored value it cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  const { cost, salt, hash } = parsed ?? { cost: DEFAULT_COST, salt: Buffer.alloc(SALT_LENGTH), hash: Buffer.alloc(KEY_LENGTH) };
  const candidate = await derive(password, salt, cost);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash) && parsed !== undefined;
}

function parseStored(stored: string): { cost: ScryptCost; salt: Buffer; hash: Buffer } | undefined {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const sane = Number.isInteger(Math.log2(cost.N)) && cost.N >= 2 ** 10 && cost.N <= 2 ** 20 && cost.r >= 1 && cost.r <= 32 && cost.p >= 1 && cost.p <= 4;
  return sane ? { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') } : undefined;
}

/**
 * What a login for an unknown email checks the password against: a real hash at the same cost, made once per
 * container, so the answer takes as long as for a known email.
 */
let dummy: Promise<string> | undefined;
export function dummyPasswordHash(cost: ScryptCost = DEFAULT_COST): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return dummy;
}
