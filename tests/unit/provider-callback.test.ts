// Provider callbacks are verified by the Standard Webhooks scheme: signed here by the standardwebhooks library (an
// implementation that is not ours), so a provider using any of its ports is understood.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret } from '../../lambdas/notifications/domain/webhooks.js';
import { CALLBACK_TOLERANCE_SECONDS, callbackSecrets, verifyCallback } from '../../lambdas/orders/domain/provider-callback.js';

const NOW = new Date('2026-12-01T11:00:00.000Z');
const SECRET = generateWebhookSecret();
const BODY = JSON.stringify({ order: '7781', status: 'Completed', remains: '0', start_count: '100', charge: '0.90' });

function signed(body = BODY, secret = SECRET, at = NOW, id = 'msg_1'): Record<string, string> {
  const signature = new Webhook(secret).sign(id, at, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

describe('verifying a provider callback', () => {
  it('accepts a callback signed with the provider secret by the standardwebhooks library', () => {
    expect(verifyCallback(signed(), BODY, [SECRET], NOW)).toEqual({ ok: true, id: 'msg_1' });
  });

  it('refuses one signed with another secret', () => {
    expect(verifyCallback(signed(BODY, generateWebhookSecret()), BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'bad_signature' });
  });

  it('refuses a tampered body, even by one character', () => {
    const tampered = BODY.replace('"remains":"0"', '"remains":"1"');
    expect(verifyCallback(signed(), tampered, [SECRET], NOW)).toEqual({ ok: false, refusal: 'bad_signature' });
  });

  it('refuses a signature moved to another id or timestamp', () => {
    const headers = signed();
    expect(verifyCallback({ ...headers, 'webhook-id': 'msg_2' }, BODY, [SECRET], NOW)).toMatchObject({ ok: false });
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(verifyCallback({ ...headers, 'webhook-timestamp': later }, BODY, [SECRET], NOW)).toMatchObject({ ok: false });
  });

  it('refuses a callback signed more than five minutes before or after our clock', () => {
    const off = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    expect(verifyCallback(signed(BODY, SECRET, off(-CALLBACK_TOLERANCE_SECONDS - 1)), BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'stale' });
    expect(verifyCallback(signed(BODY, SECRET, off(CALLBACK_TOLERANCE_SECONDS + 1)), BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'stale' });
    expect(verifyCallback(signed(BODY, SECRET, off(-CALLBACK_TOLERANCE_SECONDS + 5)), BODY, [SECRET], NOW)).toMatchObject({ ok: true });
  });

  it('refuses a callback without the headers, or with a signature that is not v1', () => {
    const { 'webhook-signature': _s, ...unsigned } = signed();
    expect(verifyCallback(unsigned, BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'missing_headers' });
    const headers = signed();
    const v2 = headers['webhook-signature']!.replace('v1,', 'v2,');
    expect(verifyCallback({ ...headers, 'webhook-signature': v2 }, BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'bad_signature' });
    expect(verifyCallback({ ...headers, 'webhook-timestamp': '1e9' }, BODY, [SECRET], NOW)).toEqual({ ok: false, refusal: 'bad_signature' });
  });

  it('accepts either secret while a provider moves to a new one, and any of several signatures', () => {
    const next = generateWebhookSecret();
    const stored = callbackSecrets(`${next}\n${SECRET}`);
    expect(stored).toEqual({ secrets: [next, SECRET], malformed: 0 });
    expect(verifyCallback(signed(), BODY, stored.secrets, NOW)).toMatchObject({ ok: true });
    const both = `${signed(BODY, generateWebhookSecret())['webhook-signature']} ${signed()['webhook-signature']}`;
    expect(verifyCallback({ ...signed(), 'webhook-signature': both }, BODY, [SECRET], NOW)).toMatchObject({ ok: true });
  });

  it('leaves malformed stored secrets out instead of failing on them', () => {
    expect(callbackSecrets(`not-a-secret ${SECRET}`)).toEqual({ secrets: [SECRET], malformed: 1 });
    expect(verifyCallback(signed(), BODY, [], NOW)).toMatchObject({ ok: false });
  });
});
