// Providers that push status updates sign them by the Standard Webhooks scheme, as we sign resellers' webhooks: the
// same signing code, checked the other way round. Pure: the clock comes from outside.
import { timingSafeEqual } from 'node:crypto';
import { signWebhook, webhookSecretKey } from '../../notifications/domain/webhooks.js';

/** How far a callback's timestamp may be from our clock, either way: a captured callback is useless after it. */
export const CALLBACK_TOLERANCE_SECONDS = 5 * 60;

export type CallbackRefusal = 'missing_headers' | 'stale' | 'bad_signature';

export type CallbackVerdict = { ok: true; id: string } | { ok: false; refusal: CallbackRefusal };

/**
 * The provider's callback secrets as stored: one `whsec_` secret, or several separated by white space while the
 * provider moves to a new one (any of them verifies).
 */
export function callbackSecrets(stored: string): { secrets: string[]; malformed: number } {
  const all = stored.split(/\s+/).filter((secret) => secret.length > 0);
  const secrets = all.filter(isWebhookSecret);
  return { secrets, malformed: all.length - secrets.length };
}

function isWebhookSecret(secret: string): boolean {
  try {
    webhookSecretKey(secret);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks `webhook-signature` (any of its space-separated `v1,<base64>` values) against every secret, over the exact
 * bytes received, in constant time. A replayed id within the window passes: applying a status report is idempotent.
 */
export function verifyCallback(headers: Record<string, string | undefined>, body: string, secrets: readonly string[], now: Date): CallbackVerdict {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature || secrets.length === 0) return { ok: false, refusal: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, refusal: 'bad_signature' };
  const seconds = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - seconds) > CALLBACK_TOLERANCE_SECONDS) return { ok: false, refusal: 'stale' };
  const expected = secrets.flatMap((secret) => decoded(signWebhook({ id, timestamp: seconds, body }, [secret])['webhook-signature']));
  const given = signature.split(' ').flatMap(decoded);
  const match = given.some((g) => expected.some((e) => g.length === e.length && timingSafeEqual(g, e)));
  return match ? { ok: true, id } : { ok: false, refusal: 'bad_signature' };
}

/** The HMAC bytes of a `v1,<base64>` signature; other versions (and garbage) carry none. */
function decoded(signature: string): Buffer[] {
  const [version, value] = signature.split(',', 2);
  return version === 'v1' && value ? [Buffer.from(value, 'base64')] : [];
}
