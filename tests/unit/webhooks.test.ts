import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DISABLE_AFTER_FAILING_MS,
  HEALTHY,
  MAX_ATTEMPTS,
  afterAttempt,
  classifyDelivery,
  generateWebhookSecret,
  orderWebhookPayload,
  shouldDisable,
  signWebhook,
  signingSecrets,
  unixSeconds,
  webhookSecretKey,
} from '../../lambdas/notifications/domain/webhooks.js';
import { checkWebhookUrl, isPublicAddress } from '../../lambdas/notifications/domain/webhook-url.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { micros } from '../../lambdas/shared/money.js';

const NOW = new Date('2026-12-01T07:00:00.000Z');

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 1042,
    ownerId: 'u1',
    walletId: 'w1',
    serviceId: 7,
    providerId: 'p1',
    providerServiceId: '99',
    link: 'https://instagram.com/p/abc',
    quantity: 1000,
    units: 1000,
    ratePer1000: micros(1_500_000),
    charge: micros(1_500_000),
    refunded: micros(0),
    status: 'In progress',
    phase: 'submitted',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    submitAttempts: 1,
    startCount: 120,
    remains: 400,
    ...overrides,
  };
}

/** Verifies as a reseller would, with the specification's own library at the given moment. */
function verify(secret: string, body: string, headers: Record<string, string>, at: Date = NOW): unknown {
  vi.setSystemTime(at);
  return new Webhook(secret).verify(body, headers);
}

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of 32 random bytes, different every time', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(webhookSecretKey(a)).toHaveLength(32);
  });

  it('read back to the key bytes they were made from, 24 to 32 bytes long', () => {
    const key = Buffer.alloc(24, 7);
    expect(webhookSecretKey(`whsec_${key.toString('base64')}`).equals(key)).toBe(true);
  });

  it('refuse anything that is not a whsec_ secret of 24 to 32 bytes', () => {
    for (const bad of [
      '',
      'whsec_',
      `whsec_${Buffer.alloc(16).toString('base64')}`,
      `whsec_${Buffer.alloc(33).toString('base64')}`,
      Buffer.alloc(32).toString('base64'),
      'whsec_not base64!',
    ]) {
      expect(() => webhookSecretKey(bad)).toThrow(/Not a webhook secret/);
    }
  });
});

describe('webhook signatures', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const body = JSON.stringify({ id: 'evt_1', type: 'order.completed' });
  const message = { id: 'evt_1', timestamp: unixSeconds(NOW), body };

  it('carry the Standard Webhooks headers and verify with the standardwebhooks library', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(message, [secret]);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(NOW.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(secret, body, headers)).toEqual({ id: 'evt_1', type: 'order.completed' });
  });

  it('verify with either secret while a rotation overlaps: both sign, space-separated', () => {
    const old = generateWebhookSecret();
    const fresh = generateWebhookSecret();
    const secrets = signingSecrets({ current: fresh, previous: old, rotatedAt: new Date(NOW.getTime() - 3600_000).toISOString() }, NOW);
    expect(secrets).toEqual([fresh, old]);
    const headers = signWebhook(message, secrets);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(old, body, headers)).toBeTruthy();
    expect(verify(fresh, body, headers)).toBeTruthy();
  });

  it('stop using the previous secret 24 hours after the rotation', () => {
    const old = generateWebhookSecret();
    const fresh = generateWebhookSecret();
    const rotatedAt = new Date(NOW.getTime() - 24 * 3600_000).toISOString();
    const secrets = signingSecrets({ current: fresh, previous: old, rotatedAt }, NOW);
    expect(secrets).toEqual([fresh]);
    const headers = signWebhook(message, secrets);
    expect(() => verify(old, body, headers)).toThrow(WebhookVerificationError);
    expect(verify(fresh, body, headers)).toBeTruthy();
    expect(signingSecrets({ current: fresh }, NOW)).toEqual([fresh]);
  });

  it('are refused by the library when the body, the timestamp or the id was changed, or the secret is another', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(message, [secret]);
    expect(() => verify(secret, body.replace('completed', 'canceled'), headers)).toThrow(WebhookVerificationError);
    expect(() => verify(secret, body, { ...headers, 'webhook-timestamp': String(message.timestamp + 1) })).toThrow(WebhookVerificationError);
    expect(() => verify(secret, body, { ...headers, 'webhook-id': 'evt_2' })).toThrow(WebhookVerificationError);
    expect(() => verify(generateWebhookSecret(), body, headers)).toThrow(WebhookVerificationError);
  });

  it('are refused by the library when replayed more than five minutes later', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(message, [secret]);
    expect(() => verify(secret, body, headers, new Date(NOW.getTime() + 6 * 60_000))).toThrow(/too old/);
  });

  it('need a secret and whole unix seconds', () => {
    expect(() => signWebhook(message, [])).toThrow();
    expect(() => signWebhook({ ...message, timestamp: 1.5 }, [generateWebhookSecret()])).toThrow();
  });
});

describe('the order payload', () => {
  const event = { id: 'evt_9', type: 'order.status_changed' as const, createdAt: NOW.toISOString() };

  it('has v2 field names, with money and counts as decimal strings and ids as numbers', () => {
    const payload = orderWebhookPayload(event, order(), 'USD');
    expect(payload).toEqual({
      id: 'evt_9',
      type: 'order.status_changed',
      createdAt: '2026-12-01T07:00:00.000Z',
      data: {
        order: {
          id: 1042,
          status: 'In progress',
          charge: '1.50000',
          start_count: '120',
          remains: '400',
          currency: 'USD',
          service: 7,
          link: 'https://instagram.com/p/abc',
        },
      },
    });
    expect(Object.keys(payload.data.order)).toEqual(['id', 'status', 'charge', 'start_count', 'remains', 'currency', 'service', 'link']);
  });

  it('shows what a partial order cost after its refund, as the v2 status answer does', () => {
    const payload = orderWebhookPayload(
      { ...event, type: 'order.partial' },
      order({ status: 'Partial', phase: 'finalized', refunded: micros(600_000), remains: 400 }),
      'USD',
    );
    expect(payload.data.order).toMatchObject({ status: 'Partial', charge: '0.90000', remains: '400' });
  });

  it('counts everything as remaining before the provider reports', () => {
    const payload = orderWebhookPayload(
      { ...event, type: 'order.created' },
      order({ status: 'Pending', phase: 'accepted', startCount: undefined, remains: undefined }),
      'EUR',
    );
    expect(payload.data.order).toMatchObject({ status: 'Pending', start_count: '0', remains: '1000', currency: 'EUR' });
  });
});

describe('the retry schedule', () => {
  it('retries a failing endpoint after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then dead-letters it', () => {
    // A fake clock: each retry happens exactly when the previous decision said.
    let clock = NOW.getTime();
    const attemptsAt: number[] = [];
    let decision = classifyDelivery({ status: 500 }, 1, new Date(clock));
    attemptsAt.push(clock);
    for (let attempt = 2; decision.kind === 'retry'; attempt++) {
      expect(Date.parse(decision.retryAt)).toBe(clock + decision.delayMs);
      clock = Date.parse(decision.retryAt);
      attemptsAt.push(clock);
      decision = classifyDelivery({ error: 'timeout' }, attempt, new Date(clock));
    }
    expect(decision.kind).toBe('dead_letter');
    expect(attemptsAt).toHaveLength(MAX_ATTEMPTS);
    const gapsInSeconds = attemptsAt.slice(1).map((at, i) => (at - attemptsAt[i]!) / 1000);
    expect(gapsInSeconds).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect((clock - NOW.getTime()) / 3600_000).toBeCloseTo(27.58, 1);
  });

  it('counts only 2xx as delivered: 3xx, 4xx, 5xx and errors are retried', () => {
    for (const status of [200, 201, 204, 299]) expect(classifyDelivery({ status }, 1, NOW)).toEqual({ kind: 'delivered' });
    for (const outcome of [{ status: 301 }, { status: 302 }, { status: 400 }, { status: 410 }, { status: 500 }, { status: 0 }, { error: 'blocked_address' }]) {
      expect(classifyDelivery(outcome, 1, NOW)).toMatchObject({ kind: 'retry', delayMs: 5000 });
    }
  });

  it('delivers on the last attempt if the receiver answers 2xx then', () => {
    expect(classifyDelivery({ status: 200 }, MAX_ATTEMPTS, NOW)).toEqual({ kind: 'delivered' });
    expect(classifyDelivery({ status: 503 }, MAX_ATTEMPTS, NOW)).toEqual({ kind: 'dead_letter' });
  });

  it('refuses an attempt number below 1', () => {
    expect(() => classifyDelivery({ status: 500 }, 0, NOW)).toThrow();
  });
});

describe('disabling an endpoint', () => {
  const later = (ms: number) => new Date(NOW.getTime() + ms);

  it('disables an endpoint whose every attempt failed for three days', () => {
    let health = afterAttempt(HEALTHY, false, NOW);
    for (let hour = 1; hour < 72; hour++) {
      health = afterAttempt(health, false, later(hour * 3600_000));
      expect(shouldDisable(health, later(hour * 3600_000))).toBe(false);
    }
    health = afterAttempt(health, false, later(DISABLE_AFTER_FAILING_MS));
    expect(shouldDisable(health, later(DISABLE_AFTER_FAILING_MS))).toBe(true);
    expect(health.consecutiveFailures).toBe(73);
  });

  it('starts counting again after one success', () => {
    let health = afterAttempt(HEALTHY, false, NOW);
    health = afterAttempt(health, true, later(2 * 24 * 3600_000));
    expect(health).toEqual(HEALTHY);
    health = afterAttempt(health, false, later(2.5 * 24 * 3600_000));
    expect(shouldDisable(health, later(DISABLE_AFTER_FAILING_MS + 1))).toBe(false);
    expect(shouldDisable(HEALTHY, later(DISABLE_AFTER_FAILING_MS * 10))).toBe(false);
  });
});

describe('webhook URLs', () => {
  it('accepts https URLs on public hosts, on the default port or 1024 and above', () => {
    for (const url of [
      'https://panel.example.com/hooks/codex',
      'https://panel.example.com:8443/x?y=1',
      'https://93.184.216.34/hook',
      'https://[2606:4700::1111]/h',
    ]) {
      expect(checkWebhookUrl(url)).toMatchObject({ ok: true });
    }
  });

  it('refuses http, credentials, low ports, junk and overlong URLs', () => {
    for (const url of [
      'http://panel.example.com/hook',
      'ftp://panel.example.com/',
      'https://user:pw@panel.example.com/',
      'https://panel.example.com:22/',
      'not a url',
      `https://a.example.com/${'x'.repeat(2100)}`,
    ]) {
      expect(checkWebhookUrl(url)).toMatchObject({ ok: false, code: 'invalid_url' });
    }
  });

  it('refuses private, loopback, link-local, unique-local and IPv4-mapped addresses written in the URL', () => {
    for (const url of [
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://192.168.1.1/',
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://localhost/',
      'https://[::1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://0.0.0.0/',
      'https://100.64.0.1/',
    ]) {
      expect(checkWebhookUrl(url), url).toMatchObject({ ok: false, code: 'blocked_address' });
    }
  });

  it('lets loopback receivers in, over http too, only when the local stack asks', () => {
    for (const url of ['http://127.0.0.1:4010/hook', 'http://[::1]:4010/hook', 'http://localhost:4010/hook']) {
      expect(checkWebhookUrl(url, { allowLoopbackHttp: true })).toMatchObject({ ok: true });
      expect(checkWebhookUrl(url)).toMatchObject({ ok: false, code: 'blocked_address' });
    }
    expect(checkWebhookUrl('http://panel.example.com/', { allowLoopbackHttp: true })).toMatchObject({ ok: false, code: 'invalid_url' });
    expect(checkWebhookUrl('http://10.0.0.1:4010/', { allowLoopbackHttp: true })).toMatchObject({ ok: false });
  });

  it('judges IPv4-mapped IPv6 addresses as the IPv4 address they map', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:192.168.0.1')).toBe(false);
    expect(isPublicAddress('example.com')).toBe(false);
  });
});
