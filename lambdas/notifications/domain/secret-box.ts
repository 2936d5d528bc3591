// Webhook signing secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from a platform secret, with the
// owner's id as associated data, so a sealed secret copied onto another user's item does not open. Never logged.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The 32-byte key from the platform secret's text. */
export function secretBoxKey(material: string): Buffer {
  if (material.length < 16) throw new Error('The webhook secret key material is too short');
  return Buffer.from(hkdfSync('sha256', material, 'codex', 'codex webhook secrets v1', 32));
}

/** `v1.<base64url of iv | tag | ciphertext>`, bound to `context` (the owner's id). */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The plaintext, or an error (fixed text) when the box was changed, made under another key or for another owner. */
export function openSecret(key: Buffer, sealed: string, context: string): string {
  const [version, encoded] = sealed.split('.');
  const raw = version === VERSION && encoded ? Buffer.from(encoded, 'base64url') : Buffer.alloc(0);
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new Error('Not a sealed webhook secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('A sealed webhook secret does not open (changed, or another key or owner)');
  }
}
