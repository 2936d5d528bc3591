// The access tokens' signing keys. The secret holds random seed text per key id; each Ed25519 key is derived from
// its seed, so Secrets Manager's own generator can create a key, and rotating means adding a seed and making it
// current: older seeds stay for verification until the tokens they signed have expired (15 minutes).
//
// Secret value: {"current": "<kid>", "<kid>": "<seed>", ...} (what generateSecretString writes with
// generateStringKey), or {"current": "<kid>", "keys": {"<kid>": "<seed>"}}.
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface KeyRing {
  current: SigningKey;
  /** Every key whose tokens are accepted, the current one included. */
  byKid: ReadonlyMap<string, SigningKey>;
}

export class SigningSecretError extends Error {
  override readonly name = 'SigningSecretError';
}

const MIN_SEED_LENGTH = 32;
// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The Ed25519 key of one seed: HKDF-SHA256 of the seed text, bound to the key id. */
export function deriveSigningKey(kid: string, seed: string): SigningKey {
  if (seed.length < MIN_SEED_LENGTH) throw new SigningSecretError(`The seed of signing key ${kid} is shorter than ${MIN_SEED_LENGTH} characters`);
  const raw = Buffer.from(hkdfSync('sha256', Buffer.from(seed, 'utf8'), 'codex/access-token/ed25519', `kid:${kid}`, 32));
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

export function parseKeyRing(secretText: string): KeyRing {
  let value: unknown;
  try {
    value = JSON.parse(secretText);
  } catch {
    throw new SigningSecretError('The signing key secret is not JSON');
  }
  if (!value || typeof value !== 'object') throw new SigningSecretError('The signing key secret is not a JSON object');
  const { current, keys, ...flat } = value as Record<string, unknown>;
  const seeds = keys && typeof keys === 'object' ? (keys as Record<string, unknown>) : flat;
  const byKid = new Map<string, SigningKey>();
  for (const [kid, seed] of Object.entries(seeds)) {
    if (!/^[\w.-]{1,64}$/.test(kid) || typeof seed !== 'string') throw new SigningSecretError(`Signing key ${kid.slice(0, 64)} is not a key id with seed text`);
    byKid.set(kid, deriveSigningKey(kid, seed));
  }
  const currentKey = typeof current === 'string' ? byKid.get(current) : undefined;
  if (!currentKey) throw new SigningSecretError('The signing key secret names no current key among its keys');
  return { current: currentKey, byKid };
}

/** The public keys as a JWKS document (RFC 7517), for GET /.well-known/jwks.json. */
export function publicJwks(ring: KeyRing): { keys: Record<string, string>[] } {
  return {
    keys: [...ring.byKid.values()].map(({ kid, publicKey }) => {
      const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
      return { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, kid, alg: 'EdDSA', use: 'sig' };
    }),
  };
}
