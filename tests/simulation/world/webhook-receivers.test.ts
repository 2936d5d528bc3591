import { afterEach, describe, expect, it } from 'vitest';
import { webhookDeliveryDeps } from '../../../lambdas/notifications/webhook-delivery-wiring.js';
import { webhookDeps } from '../../../lambdas/notifications/wiring.js';
import { signWebhook } from '../../../lambdas/notifications/domain/webhooks.js';
import { usePlatform } from '../../../lambdas/shared/platform.js';
import { FaultLog, FaultPlan } from './faults.js';
import { seededRandom } from './rng.js';
import { SimWebhookReceivers } from './webhook-receivers.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function delivery(eventId: string, url = 'https://reseller-1.sim/hooks') {
  const body = JSON.stringify({ id: eventId, type: 'order.completed', createdAt: '2026-12-01T10:00:00Z', data: {} });
  return { url, headers: signWebhook({ id: eventId, timestamp: 1_764_583_200, body }, [SECRET]), body, timeoutMs: 5000 };
}

afterEach(() => usePlatform({}));

describe('resellers’ simulated webhook receivers', () => {
  it('record each delivery that reached them with its event id and type, duplicates included', async () => {
    const receivers = new SimWebhookReceivers(seededRandom(1), new FaultPlan(new FaultLog(), {}));
    expect(await receivers.deliver(delivery('evt_1'))).toMatchObject({ status: 200 });
    expect(await receivers.deliver(delivery('evt_1'))).toMatchObject({ status: 200 });
    expect(receivers.deliveries().map((d) => [d.url, d.eventId, d.type])).toEqual([
      ['https://reseller-1.sim/hooks', 'evt_1', 'order.completed'],
      ['https://reseller-1.sim/hooks', 'evt_1', 'order.completed'],
    ]);
  });

  it('when down, fail the attempt as the HTTP sender reports a 5xx, a timeout or a refused connection, and record nothing', async () => {
    const log = new FaultLog();
    const receivers = new SimWebhookReceivers(seededRandom(2), new FaultPlan(log, { 'webhook.receiver-down': 1 }));
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) => receivers.deliver(delivery(`evt_${i}`))));
    for (const attempt of attempts) {
      if ('status' in attempt) expect(attempt.status).toBeGreaterThanOrEqual(500);
      else expect(['timeout', 'connection_failed']).toContain(attempt.error);
    }
    expect(new Set(attempts.map((a) => ('status' in a ? '5xx' : a.error))).size).toBe(3);
    expect(receivers.deliveries()).toHaveLength(0);
    expect(log.counts()).toEqual({ 'webhook.receiver-down': 30 });
  });

  it('refuse what the HTTP sender refuses before connecting (plain http, private addresses)', async () => {
    const receivers = new SimWebhookReceivers(seededRandom(3), new FaultPlan(new FaultLog(), {}));
    expect(await receivers.deliver(delivery('evt_1', 'http://reseller.sim/hooks'))).toMatchObject({ error: 'invalid_url' });
    expect(await receivers.deliver(delivery('evt_1', 'https://10.0.0.1/hooks'))).toMatchObject({ error: 'blocked_address' });
    expect(receivers.deliveries()).toHaveLength(0);
  });

  it('replace the HTTP sender in both webhook wirings when the platform provides them', () => {
    const receivers = new SimWebhookReceivers(seededRandom(4), new FaultPlan());
    usePlatform({ webhooks: receivers });
    expect(webhookDeps().sender).toBe(receivers);
    expect(webhookDeliveryDeps().sender).toBe(receivers);
    usePlatform({});
    expect(webhookDeps().sender).not.toBe(receivers);
  });
});
