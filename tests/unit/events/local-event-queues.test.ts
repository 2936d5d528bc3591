// The local stack's queues behave as the consumers' SQS queues do on AWS: batches, partial failures, visibility
// timeouts, postponed messages and dead-lettering after maxReceiveCount receives.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { orderCreated } from '../../../lambdas/events/catalogue.js';
import { eventOfMessage } from '../../../lambdas/events/consumer.js';
import type { SubscriptionSpec } from '../../../lambdas/functions.js';
import { LocalEventQueues } from '../../../local/event-queues.js';
import { storedOrder } from '../../support/stored-order.js';

const spec = (overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec => ({
  function: 'health',
  eventTypes: ['order.created'],
  visibilityTimeoutSeconds: 30,
  maxReceiveCount: 3,
  batchSize: 2,
  maxBatchingWindowSeconds: 0,
  ...overrides,
});

const order = (id: number) => storedOrder({ id, status: 'Pending', phase: 'accepted', createdAt: '2026-12-01T10:00:00.000Z' });

const created = (id: number) => orderCreated(order(id), 'USD', `evt_${id}`, '2026-12-01T10:00:00.000Z');

let queues: LocalEventQueues | undefined;
afterEach(async () => {
  await queues?.stop();
  queues = undefined;
});

function harness(subscription: SubscriptionSpec, answer: (event: SQSEvent, call: number) => Promise<SQSBatchResponse | undefined>) {
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  const calls: SQSEvent[] = [];
  queues = new LocalEventQueues({
    subscriptions: [subscription],
    consumer: async () => async (event) => {
      calls.push(event);
      return answer(event, calls.length);
    },
    pollMs: 5,
    now: () => now,
  });
  const settle = () => new Promise((r) => setTimeout(r, 40));
  return { queues, calls, settle, advance: (ms: number) => (now += ms) };
}

describe('the local event queues', () => {
  it('route only subscribed types, in batches of the subscription size, as the EventBridge event SQS would carry', async () => {
    const { queues, calls } = harness(spec(), async () => ({ batchItemFailures: [] }));
    queues.route(created(1));
    queues.route(created(2));
    queues.route(created(3));
    queues.route({ ...created(4), type: 'deposit.credited' } as never);
    expect(await queues.drained(2_000)).toBe(true);
    const records = calls.flatMap((c) => c.Records);
    expect(calls.every((c) => c.Records.length <= 2)).toBe(true);
    expect(records.map((r) => eventOfMessage(r.body)?.id).sort()).toEqual(['evt_1', 'evt_2', 'evt_3']);
    const body = JSON.parse(records[0]!.body);
    expect(body).toMatchObject({ source: 'codex', 'detail-type': 'order.created', detail: { type: 'order.created' } });
    expect(records[0]!.attributes.ApproximateReceiveCount).toBe('1');
  });

  it('hand out up to `concurrency` batches at once, as Lambda pollers do, never the same message to two of them', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    queues = new LocalEventQueues({
      subscriptions: [spec({ batchSize: 2 })],
      consumer: async () => async (event) => {
        inFlight++;
        most = Math.max(most, inFlight);
        seen.push(...event.Records.map((r) => eventOfMessage(r.body)!.id));
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { batchItemFailures: [] };
      },
      pollMs: 5,
      concurrency: 3,
    });
    for (let i = 0; i < 20; i++) queues.route(created(i));
    expect(await queues.drained(5_000)).toBe(true);
    expect(most).toBe(3);
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `evt_${i}`).sort());
  });

  it('keep a failed message hidden for the visibility timeout, then deliver it again with a higher receive count', async () => {
    const { queues, calls, settle, advance } = harness(spec({ batchSize: 10 }), async (event) => ({
      batchItemFailures: event.Records.filter((r) => eventOfMessage(r.body)?.id === 'evt_1' && r.attributes.ApproximateReceiveCount === '1').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    }));
    queues.route(created(1));
    queues.route(created(2));
    await settle();
    const delivered = () => calls.flatMap((c) => c.Records.map((r) => `${eventOfMessage(r.body)?.id}#${r.attributes.ApproximateReceiveCount}`));
    expect(delivered().sort()).toEqual(['evt_1#1', 'evt_2#1']);
    expect(queues.depth('health')).toBe(1);
    advance(29_000);
    await settle();
    expect(delivered()).toHaveLength(2);
    advance(1_000);
    await settle();
    expect(delivered().sort()).toEqual(['evt_1#1', 'evt_1#2', 'evt_2#1']);
    expect(queues.depth('health')).toBe(0);
  });

  it('bring a postponed message back after its delay, not the visibility timeout', async () => {
    const { queues, calls, settle, advance } = harness(spec(), async (event, call) => {
      if (call > 1) return { batchItemFailures: [] };
      const record = event.Records[0]!;
      await queues.postpone({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, 300);
      return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
    });
    queues.route(created(1));
    await settle();
    advance(299_000);
    await settle();
    expect(calls).toHaveLength(1);
    advance(1_000);
    await settle();
    expect(calls).toHaveLength(2);
    await expect(queues.postpone({ queueArn: calls[0]!.Records[0]!.eventSourceARN, receiptHandle: 'gone' }, 5)).rejects.toThrow(/ReceiptHandle/);
  });

  it('fail the whole batch when the consumer throws, and dead-letter a message after maxReceiveCount receives', async () => {
    const letters: string[] = [];
    let now = 0;
    const calls: number[] = [];
    queues = new LocalEventQueues({
      subscriptions: [spec({ maxReceiveCount: 2, visibilityTimeoutSeconds: 1 })],
      consumer: async () => async (event) => {
        calls.push(event.Records.length);
        throw new Error('the consumer crashed');
      },
      onDeadLetter: (letter) => letters.push(`${letter.consumer}:${eventOfMessage(letter.message.body)?.id}`),
      pollMs: 5,
      now: () => now,
    });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      queues.route(created(7));
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 30));
        now += 1_000;
      }
    } finally {
      console.error = quiet;
    }
    expect(calls).toEqual([1, 1]);
    expect(letters).toEqual(['health:evt_7']);
    expect(queues.deadLetters).toHaveLength(1);
    expect(queues.depth('health')).toBe(0);
  });
});
