// Delivering order events to a reseller's webhook, decided against a fake clock with in-memory stand-ins: the payload
// in v2's field names, the retry schedule and dead-lettering, the endpoint disabled after three days of failures with
// one email to its owner, and once per event id.
import { describe, expect, it } from 'vitest';
import type { EventClaims } from '../../lambdas/events/ports.js';
import { type DeliveryDeps, deliverOrderEvent } from '../../lambdas/notifications/application/webhook-delivery.js';
import { secretBoxKey, sealSecret } from '../../lambdas/notifications/domain/secret-box.js';
import { generateWebhookSecret, orderEventPayload } from '../../lambdas/notifications/domain/webhooks.js';
import type { DeliveryRecord, StoredWebhook, WebhookAttempt, WebhookDeliveryStore, WebhookRequest } from '../../lambdas/notifications/ports.js';
import type { EmailMessage } from '../../lambdas/shared/ports.js';
import { orderEvent } from '../support/order-events.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

const HOUR = 3600_000;
const KEY = secretBoxKey('a platform secret of some length');

class MemoryStore implements WebhookDeliveryStore {
  readonly webhooks = new Map<string, StoredWebhook>();
  readonly records: DeliveryRecord[] = [];
  async get(userId: string) {
    const webhook = this.webhooks.get(userId);
    return webhook && structuredClone(webhook);
  }
  async recordDelivery(_userId: string, record: DeliveryRecord) {
    this.records.push(record);
  }
  async updateHealth(userId: string, expected: StoredWebhook['health'], next: StoredWebhook['health'], disabledAt?: string) {
    const webhook = this.webhooks.get(userId);
    if (!webhook || webhook.disabled || JSON.stringify(webhook.health) !== JSON.stringify(expected)) return false;
    this.webhooks.set(userId, { ...webhook, health: next, disabled: disabledAt !== undefined });
    return true;
  }
}

class MemoryClaims implements EventClaims {
  readonly state = new Map<string, 'claimed' | 'done' | 'released'>();
  readonly failures = new Map<string, number>();
  async claim(consumer: string, eventId: string, _leaseMs: number) {
    return (await this.claimAttempt(consumer, eventId)).state;
  }
  async claimAttempt(consumer: string, eventId: string) {
    const key = `${consumer}/${eventId}`;
    const state = this.state.get(key);
    const failures = this.failures.get(key) ?? 0;
    if (state === 'done' || state === 'claimed') return { state: state === 'done' ? ('done' as const) : ('busy' as const), failures };
    this.state.set(key, 'claimed');
    return { state: 'claimed' as const, failures };
  }
  async done(consumer: string, eventId: string) {
    this.state.set(`${consumer}/${eventId}`, 'done');
  }
  async release(consumer: string, eventId: string, options: { failed?: boolean } = {}) {
    const key = `${consumer}/${eventId}`;
    if (this.state.get(key) !== 'claimed') return;
    this.state.set(key, 'released');
    if (options.failed) this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
  }
}

function setUp(options: { answers?: (request: WebhookRequest) => WebhookAttempt; events?: string[] } = {}) {
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  const store = new MemoryStore();
  store.webhooks.set('u-1', {
    userId: 'u-1',
    url: 'https://panel.example.com/hooks',
    ...(options.events ? { events: options.events } : {}),
    secret: sealSecret(KEY, generateWebhookSecret(), 'u-1'),
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    health: { consecutiveFailures: 0 },
    disabled: false,
  });
  const sent: WebhookRequest[] = [];
  const emails: EmailMessage[] = [];
  const claims = new MemoryClaims();
  const metrics = new RecordedMetrics();
  const deps: DeliveryDeps = {
    store,
    sender: {
      deliver: async (request) => {
        sent.push(request);
        return (options.answers ?? (() => ({ status: 204, latencyMs: 3 })))(request);
      },
    },
    sealingKey: async () => KEY,
    clock: { now: () => new Date(now) },
    claims,
    email: { send: async (message) => void emails.push(message) },
    owners: { emailOf: async (userId) => `${userId}@example.com` },
    onNoticeFailed: (_userId, error) => {
      throw error;
    },
    metrics,
  };
  return { deps, store, sent, emails, claims, metrics, advance: (ms: number) => (now += ms), at: () => new Date(now).toISOString() };
}

const failing = () => ({ status: 500, latencyMs: 12 });

describe('the order payload', () => {
  it("uses v2's status field names, money as decimal strings and the event's id and time", () => {
    const event = orderEvent('order.completed', 'evt_1', { status: 'Completed', remains: 0, startCount: 120 }, '2026-12-01T10:05:00.000Z');
    expect(orderEventPayload(event)).toEqual({
      id: 'evt_1',
      type: 'order.completed',
      createdAt: '2026-12-01T10:05:00.000Z',
      data: {
        order: {
          id: 1042,
          status: 'Completed',
          charge: '0.90000',
          start_count: '120',
          remains: '0',
          currency: 'USD',
          service: 7,
          link: 'https://instagram.com/p/abc',
        },
      },
    });
  });

  it('shows the charge less refunds, and everything remaining until the provider reports', () => {
    const partial = orderEventPayload(orderEvent('order.partial', 'evt_2', { status: 'Partial', refunded: '0.36000', remains: 400, startCount: 5 }));
    expect(partial.data.order).toMatchObject({ status: 'Partial', charge: '0.54000', remains: '400', start_count: '5' });
    const created = orderEventPayload(orderEvent('order.created', 'evt_3'));
    expect(created.data.order).toMatchObject({ status: 'Pending', charge: '0.90000', remains: '1000', start_count: '0' });
  });

  it("shows a provider's final status as In progress until the order is settled, as v2's status answer does", () => {
    const seen = orderEventPayload(orderEvent('order.status_changed', 'evt_4', { status: 'Partial', previousStatus: 'In progress', remains: 400 }));
    expect(seen.data.order).toMatchObject({ status: 'In progress', charge: '0.90000' });
    // A refused order is settled in the same write as its status change: the refund shows it.
    const refused = orderEventPayload(orderEvent('order.status_changed', 'evt_5', { status: 'Canceled', refunded: '0.90000' }));
    expect(refused.data.order).toMatchObject({ status: 'Canceled', charge: '0.00000' });
  });
});

describe('delivering an order event', () => {
  it('sends a signed POST of the payload and records the attempt', async () => {
    const { deps, store, sent, claims } = setUp();
    const event = orderEvent('order.created', 'evt_10');
    expect(await deliverOrderEvent(deps, event)).toEqual({ kind: 'delivered', attempt: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ url: 'https://panel.example.com/hooks', timeoutMs: 5000, body: JSON.stringify(orderEventPayload(event)) });
    expect(sent[0]!.headers['webhook-id']).toBe('evt_10');
    expect(sent[0]!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(store.records).toEqual([expect.objectContaining({ eventId: 'evt_10', type: 'order.created', status: 204, attempt: 1, latencyMs: 3 })]);
    expect(store.records[0]!.body).toBe(sent[0]!.body);
    expect(claims.state.get('deliverWebhooks/evt_10')).toBe('done');
  });

  it('delivers each event id once, and waits for a delivery of the same event under way', async () => {
    const { deps, sent, claims } = setUp();
    const event = orderEvent('order.created', 'evt_11');
    await deliverOrderEvent(deps, event);
    expect(await deliverOrderEvent(deps, event)).toEqual({ kind: 'skipped', reason: 'already_delivered' });
    expect(sent).toHaveLength(1);
    claims.state.set('deliverWebhooks/evt_12', 'claimed');
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_12'))).toMatchObject({ kind: 'retry', delaySeconds: 30 });
    expect(sent).toHaveLength(1);
  });

  it('skips owners without a webhook and event types the webhook did not ask for', async () => {
    const { deps, sent } = setUp({ events: ['order.completed'] });
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_13'))).toEqual({ kind: 'skipped', reason: 'not_wanted' });
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_14', { ownerId: 'u-2' }))).toEqual({ kind: 'skipped', reason: 'no_webhook' });
    expect(await deliverOrderEvent(deps, orderEvent('order.completed', 'evt_15', { status: 'Completed' }))).toMatchObject({ kind: 'delivered' });
    expect(sent).toHaveLength(1);
  });

  it('retries a failing receiver after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then dead-letters the delivery', async () => {
    const { deps, store, sent, claims, advance, emails } = setUp({ answers: failing });
    const event = orderEvent('order.completed', 'evt_20', { status: 'Completed' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const result = await deliverOrderEvent(deps, event);
      expect(result).toMatchObject({ kind: 'retry', attempt });
      if (result.kind !== 'retry') throw new Error('unreachable');
      delays.push(result.delaySeconds);
      advance(result.delaySeconds * 1000);
    }
    expect(delays).toEqual([5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]);
    expect(await deliverOrderEvent(deps, event)).toEqual({ kind: 'dead_lettered', attempt: 8 });
    expect(sent).toHaveLength(8);
    expect(store.records.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(store.records[0]).toMatchObject({ status: 500, retryAt: '2026-12-01T10:00:05.000Z' });
    expect(store.records.slice(0, 7).every((r) => r.retryAt !== undefined && r.deadLettered === undefined)).toBe(true);
    expect(store.records[7]).toMatchObject({ attempt: 8, deadLettered: true });
    expect(store.records[7]!.retryAt).toBeUndefined();
    // Dead-lettered is final: a late duplicate of the message sends nothing more.
    expect(claims.state.get('deliverWebhooks/evt_20')).toBe('done');
    expect(await deliverOrderEvent(deps, event)).toEqual({ kind: 'skipped', reason: 'already_delivered' });
    // 27 h 35 min of failures: not yet three days, so the endpoint stays on.
    expect((await store.get('u-1'))!.disabled).toBe(false);
    expect((await store.get('u-1'))!.health).toEqual({ failingSince: '2026-12-01T10:00:00.000Z', consecutiveFailures: 8 });
    expect(emails).toEqual([]);
  });

  it('counts every attempt as a webhook delivery, and those the receiver did not take as failures', async () => {
    let answer = failing;
    const { deps, metrics, advance } = setUp({ answers: () => answer() });
    const event = orderEvent('order.completed', 'evt_25', { status: 'Completed' });
    const first = await deliverOrderEvent(deps, event);
    if (first.kind !== 'retry') throw new Error('expected a retry');
    advance(first.delaySeconds * 1000);
    answer = () => ({ status: 204, latencyMs: 3 });
    expect(await deliverOrderEvent(deps, event)).toMatchObject({ kind: 'delivered', attempt: 2 });
    // Skipped events (delivered already, or no webhook) are no attempts.
    await deliverOrderEvent(deps, event);
    await deliverOrderEvent(deps, orderEvent('order.created', 'evt_26', { ownerId: 'u-2' }));
    expect(metrics.sum('WebhookDeliveries')).toBe(2);
    expect(metrics.sum('WebhookFailures')).toBe(1);
  });

  it('disables an endpoint that has failed for three days without a success, emails its owner once, and skips it after', async () => {
    const { deps, store, advance, emails, sent } = setUp({ answers: failing });
    // A new event every 6 hours, each failing its first attempt.
    for (let i = 0; i < 12; i++) {
      expect(await deliverOrderEvent(deps, orderEvent('order.created', `evt_3${i}`))).toMatchObject({ kind: 'retry' });
      advance(6 * HOUR);
    }
    expect((await store.get('u-1'))!.disabled).toBe(false);
    // Three days after the first failure: this failure disables it.
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_40'))).toMatchObject({ kind: 'retry' });
    expect((await store.get('u-1'))!.disabled).toBe(true);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: 'u-1@example.com', subject: 'Your Codex webhook was disabled' });
    expect(emails[0]!.text).toContain('https://panel.example.com/hooks');
    expect(emails[0]!.text).toContain('2026-12-01T10:00:00.000Z');
    // Retries and new events of a disabled endpoint are not sent, and its owner is not emailed again.
    const before = sent.length;
    advance(HOUR);
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_30'))).toEqual({ kind: 'skipped', reason: 'disabled' });
    expect(await deliverOrderEvent(deps, orderEvent('order.created', 'evt_41'))).toEqual({ kind: 'skipped', reason: 'disabled' });
    expect(sent).toHaveLength(before);
    expect(emails).toHaveLength(1);
  });

  it('keeps an endpoint that succeeds now and then, however often it fails in between', async () => {
    let calls = 0;
    const { deps, store, advance, emails } = setUp({
      answers: () => (++calls % 5 === 0 ? { status: 200, latencyMs: 1 } : { error: 'timeout', latencyMs: 5000 }),
    });
    for (let i = 0; i < 40; i++) {
      await deliverOrderEvent(deps, orderEvent('order.created', `evt_5${i}`));
      advance(3 * HOUR);
    }
    expect((await store.get('u-1'))!.disabled).toBe(false);
    expect(emails).toEqual([]);
    expect(store.records.filter((r) => r.error === 'timeout')).toHaveLength(32);
  });

  it('gives the claim back when something fails mid-way, so a redelivery of the message sends it', async () => {
    let crash = true;
    const { deps, sent, claims } = setUp({
      answers: () => {
        if (crash) throw new Error('the sender crashed');
        return { status: 200, latencyMs: 1 };
      },
    });
    const event = orderEvent('order.created', 'evt_60');
    await expect(deliverOrderEvent(deps, event)).rejects.toThrow('the sender crashed');
    expect(claims.state.get('deliverWebhooks/evt_60')).toBe('released');
    crash = false;
    // A crash is no failed attempt of the receiver's: the delivery starts again at attempt 1.
    expect(await deliverOrderEvent(deps, event)).toEqual({ kind: 'delivered', attempt: 1 });
    expect(sent).toHaveLength(2);
  });
});
