// Cryptomus signatures: md5 of (base64 of the signed text + the payment key), as lower-case hex. Requests sign their
// raw body; callbacks sign their own body without `sign`, re-encoded the way PHP encodes it (php-json.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { encodePhpJson, type PhpJson, PhpJsonError, parsePhpJson } from './php-json.js';

export function cryptomusSign(text: string, paymentKey: string): string {
  return createHash('md5')
    .update(Buffer.from(text, 'utf8').toString('base64') + paymentKey)
    .digest('hex');
}

export type SignedBody = { ok: true; body: PhpJson & { type: 'object' } } | { ok: false; reason: 'malformed' | 'bad_signature'; detail: string };

/** Checks the `sign` inside a callback body; answers the body (without `sign`) when it is the gateway's. */
export function verifyCallbackSignature(rawBody: string, paymentKey: string): SignedBody {
  let parsed: PhpJson;
  try {
    parsed = parsePhpJson(rawBody);
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: error instanceof PhpJsonError ? error.message : 'not JSON' };
  }
  if (parsed.type !== 'object') return { ok: false, reason: 'malformed', detail: 'not a JSON object' };
  const sign = parsed.entries.find(([key]) => key === 'sign')?.[1];
  if (sign?.type !== 'string') return { ok: false, reason: 'bad_signature', detail: 'no sign' };
  const rest = { type: 'object' as const, entries: parsed.entries.filter(([key]) => key !== 'sign') };
  const expected = cryptomusSign(encodePhpJson(rest), paymentKey);
  const given = Buffer.from(sign.value.toLowerCase(), 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'bad_signature', detail: 'signature does not match' };
  return { ok: true, body: rest };
}
