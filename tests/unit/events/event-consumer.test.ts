// Every bus consumer reads its SQS batch through eventConsumer: records fail alone, RetryLater postpones the message,
// and a message that is no catalogue event is skipped rather than sent towards the dead-letter queue.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type CatalogueEvent, orderCreated } from '../../../lambdas/events/catalogue.js';
import { eventConsumer, type Receipt, RetryLater } from '../../../lambdas/events/consumer.js';
import { usePlatform } from '../../../lambdas/shared/platform.js';
import { inInvocation } from '../../../local/invoke-store.js';
import type { ReceivedMessage } from '../../../lambdas/shared/ports.js';
import { queueArnOf, sqsRecord } from '../../support/sqs-records.js';
import { storedOrder } from '../../support/stored-order.js';

const QUEUE_ARN = queueArnOf('deliverWebhooks');

const event = (id: string) => orderCreated(storedOrder({ id: 1, status: 'Pending', phase: 'accepted' }), 'USD', id, '2026-12-01T10:00:00.000Z');

const record = (messageId: string, body: unknown, receiveCount = 1): SQSRecord =>
  sqsRecord(body, { messageId, receiveCount, consumer: 'deliverWebhooks', ...(typeof body === 'string' ? { rawBody: body } : {}) });

afterEach(() => usePlatform({}));

describe('eventConsumer', () => {
  it('hands each catalogue event to the consumer once, with its receive count, and reports only the failed records', async () => {
    const seen: [string, number][] = [];
    const handler = eventConsumer('test', async (e: CatalogueEvent, receipt: Receipt) => {
      seen.push([e.id, receipt.receiveCount]);
      if (e.id === 'evt_bad') throw new Error('the email service is down');
    });
    const batch: SQSEvent = { Records: [record('m1', event('evt_1')), record('m2', event('evt_bad'), 3), record('m3', event('evt_3'))] };
    const response = await handler(batch);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    expect(seen.sort()).toEqual([
      ['evt_1', 1],
      ['evt_3', 1],
      ['evt_bad', 3],
    ]);
  });

  it('skips what is not a catalogue event (unknown type or version, not JSON) without failing it', async () => {
    const seen: string[] = [];
    const handler = eventConsumer('test', async (e) => void seen.push(e.id));
    const response = await handler({
      Records: [
        record('m1', { ...event('evt_1'), type: 'order.teleported' }),
        record('m2', { ...event('evt_2'), version: 2 }),
        record('m3', 'not json'),
        record('m4', event('evt_4')),
      ],
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toEqual(['evt_4']);
  });

  it('postpones a message that asks to be retried later, for its delay (capped under the 12 h SQS allows), and fails it', async () => {
    const postponed: [ReceivedMessage, number][] = [];
    usePlatform({ queues: { postpone: async (message, seconds) => void postponed.push([message, seconds]) } });
    const handler = eventConsumer('test', async (e) => {
      if (e.id === 'evt_1') throw new RetryLater(300, 'receiver answered 500');
      throw new RetryLater(2 * 24 * 3600, 'far away');
    });
    const response = await handler({ Records: [record('m1', event('evt_1')), record('m2', event('evt_2'))] });
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m1', 'm2']);
    expect(postponed.sort((a, b) => a[1] - b[1])).toEqual([
      [{ queueArn: QUEUE_ARN, receiptHandle: 'rh-m1-1' }, 300],
      [{ queueArn: QUEUE_ARN, receiptHandle: 'rh-m2-1' }, 42_300],
    ]);
  });
});

describe('eventConsumer with batches at once', () => {
  it('reports each batch its own failures when batches run in parallel, each in its own invocation as the local queues and Lambda run them', async () => {
    const handler = eventConsumer('test', async (e) => {
      await new Promise((r) => setTimeout(r, e.id === 'evt_slow' ? 30 : 1));
      if (e.id.startsWith('evt_bad')) throw new Error('failed');
    });
    // One processor serves both batches: each invocation's own context (local/invoke-store.ts) keeps them apart.
    const [first, second] = await Promise.all([
      inInvocation('req-a', () => handler({ Records: [record('a1', event('evt_slow')), record('a2', event('evt_bad_a'))] })),
      inInvocation('req-b', () => handler({ Records: [record('b1', event('evt_ok')), record('b2', event('evt_bad_b'))] })),
    ]);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'a2' }]);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'b2' }]);
  });
});
