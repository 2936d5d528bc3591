// Locally, operators hear through the outbox: an alert is an email to operators@codex.local, and so is each message a
// consumer's queue dead-letters (what the CloudWatch alarms do on AWS).
import { afterEach, describe, expect, it } from 'vitest';
import { orderCreated } from '../../lambdas/events/catalogue.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { LocalEventQueues } from '../../local/event-queues.js';
import { LOCAL_OPERATORS_EMAIL, OutboxOperatorAlerts, alertOnDeadLetter } from '../../local/operator-alerts.js';
import { LocalOutbox } from '../../local/outbox.js';

let queues: LocalEventQueues | undefined;
afterEach(async () => {
  await queues?.stop();
});

describe('local operator alerts', () => {
  it('are emails to operators@codex.local in the outbox', async () => {
    const outbox = new LocalOutbox();
    await new OutboxOperatorAlerts(outbox).send({ subject: '[codex local] Provider demo is failing', text: 'five of five' });
    expect(outbox.list(LOCAL_OPERATORS_EMAIL)).toMatchObject([
      { to: LOCAL_OPERATORS_EMAIL, subject: '[codex local] Provider demo is failing', text: 'five of five' },
    ]);
  });

  it('include one email per message a local queue dead-letters', async () => {
    const outbox = new LocalOutbox();
    let now = 0;
    queues = new LocalEventQueues({
      subscriptions: [
        {
          function: 'alertOperators',
          eventTypes: ['order.created'],
          visibilityTimeoutSeconds: 1,
          maxReceiveCount: 1,
          batchSize: 1,
          maxBatchingWindowSeconds: 0,
        },
      ],
      consumer: async () => async () => {
        throw new Error('the consumer crashed');
      },
      onDeadLetter: alertOnDeadLetter(new OutboxOperatorAlerts(outbox)),
      pollMs: 5,
      now: () => now,
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      const order = {
        id: 1,
        ownerId: 'u1',
        walletId: 'w1',
        serviceId: 1,
        link: 'x',
        quantity: 1,
        status: 'Pending',
        charge: 0,
        refunded: 0,
        createdAt: '2026-12-01T10:00:00.000Z',
      };
      queues.route(orderCreated(order as unknown as Order, 'USD', 'evt_dead', '2026-12-01T10:00:00.000Z'));
      for (let i = 0; i < 4 && outbox.list(LOCAL_OPERATORS_EMAIL).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 30));
        now += 1_000;
      }
    } finally {
      console.error = quiet;
    }
    const [mail, ...more] = outbox.list(LOCAL_OPERATORS_EMAIL);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('[codex local] Dead letters in alertOperators');
    expect(mail!.text).toContain(queues.deadLetters[0]!.message.messageId);
  });
});
