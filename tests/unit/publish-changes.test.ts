import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChangeRecord, PublishChanges } from '../../lambdas/events/application/publish-changes.js';
import { type CatalogueEvent, parseEvent } from '../../lambdas/events/catalogue.js';
import type { Image } from '../../lambdas/events/from-stream.js';
import { micros } from '../../lambdas/shared/money.js';
import { walletImage } from '../support/stream-images.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import type { PublishedEvent } from '../../lambdas/shared/ports.js';

const order = (id: number, changes: Image = {}): Image => ({
  pk: `ORDERS#${id % 16}`,
  sk: `ORDER#${String(id).padStart(12, '0')}`,
  entity: 'order',
  id,
  ownerId: 'u-1',
  walletId: 'w-1',
  serviceId: 7,
  link: 'https://example.com/post/1',
  quantity: 1000,
  charge: 900_000,
  refunded: 0,
  status: 'Pending',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  ...changes,
});
/** A bus that records each call, and refuses the calls whose number is in `refuse`. */
function bus(refuse: number[] = []) {
  const calls: PublishedEvent[][] = [];
  return {
    calls,
    publish: async (events: PublishedEvent[]) => {
      calls.push(events);
      if (refuse.includes(calls.length)) throw new Error('EventBridge refused');
    },
  };
}

/** What Powertools Batch does with a stream batch here: each record in order, stopping at the first that fails. */
async function publishInOrder(publish: PublishChanges, records: ChangeRecord[]): Promise<string | undefined> {
  const turn = publish.forBatch(records);
  for (const record of records) {
    try {
      await turn(record);
    } catch {
      return record.id;
    }
  }
  return undefined;
}

const created = (id: number) => ({ id: String(id), change: { newImage: order(id) } });

describe('publishing the table changes as events', () => {
  it('publishes in calls of at most 10 events, never splitting a record', async () => {
    const events = bus();
    const thresholds = { lowBalanceThreshold: async () => null };
    const records = Array.from({ length: 23 }, (_, i) => created(i + 1));
    expect(await publishInOrder(new PublishChanges({ events, thresholds, currency: 'USD' }), records)).toBeUndefined();
    expect(events.calls.map((c) => c.length)).toEqual([10, 10, 3]);
    const all = events.calls.flat() as CatalogueEvent[];
    expect(all.map((e) => parseEvent(e).type)).toEqual(Array(23).fill('order.created'));
  });

  it('names the first record of a refused call, and publishes nothing after it', async () => {
    const events = bus([2]);
    const thresholds = { lowBalanceThreshold: async () => null };
    const records = Array.from({ length: 25 }, (_, i) => created(i + 1));
    expect(await publishInOrder(new PublishChanges({ events, thresholds, currency: 'USD' }), records)).toBe('11');
    expect(events.calls).toHaveLength(2);
  });

  it("reads the owner's threshold only for a wallet whose balance went down", async () => {
    const events = bus();
    const asked: string[] = [];
    const thresholds = {
      lowBalanceThreshold: async (owner: string) => {
        asked.push(owner);
        return micros(5_000_000);
      },
    };
    const publish = new PublishChanges({ events, thresholds, currency: 'USD' });
    await publishInOrder(publish, [
      { id: '1', change: { oldImage: walletImage(4_000_000, 1), newImage: walletImage(9_000_000, 2) } },
      { id: '2', change: { oldImage: order(1), newImage: order(1, { remains: 5 }) } },
    ]);
    expect(asked).toEqual([]);
    await publishInOrder(publish, [{ id: '3', change: { oldImage: walletImage(9_000_000, 2), newImage: walletImage(1_000_000, 3) } }]);
    expect(asked).toEqual(['u-1']);
    expect((events.calls.flat() as CatalogueEvent[]).map((e) => e.type)).toEqual(['balance.low']);
  });

  it('a threshold that cannot be read fails that record', async () => {
    const events = bus();
    const thresholds = {
      lowBalanceThreshold: async () => {
        throw new Error('throttled');
      },
    };
    const failed = await publishInOrder(new PublishChanges({ events, thresholds, currency: 'USD' }), [
      created(1),
      { id: '2', change: { oldImage: walletImage(9_000_000, 2), newImage: walletImage(1_000_000, 3) } },
      created(3),
    ]);
    expect(failed).toBe('2');
    expect((events.calls.flat() as CatalogueEvent[]).map((e) => e.data)).toHaveLength(1);
  });
});

describe('the publishEvents stream handler', () => {
  afterEach(() => usePlatform({}));

  const record = (seq: string, eventName: 'INSERT' | 'MODIFY', newImage: Image, oldImage?: Image): DynamoDBStreamEvent['Records'][number] => ({
    eventName,
    dynamodb: {
      SequenceNumber: seq,
      NewImage: marshall(newImage) as never,
      ...(oldImage ? { OldImage: marshall(oldImage) as never } : {}),
    },
  });

  it('turns the stream records into events, published in one call', async () => {
    const events = bus();
    usePlatform({ events });
    const { handler } = await import('../../lambdas/events/handlers/publish-events-handler.js');
    const answer = await handler({
      Records: [
        record('100', 'INSERT', order(1)),
        record('101', 'MODIFY', order(1, { status: 'In progress', updatedAt: '2026-12-01T09:01:00.000Z' }), order(1)),
        record('102', 'INSERT', order(2)),
      ],
    });
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(events.calls).toHaveLength(1);
    expect((events.calls[0] as CatalogueEvent[]).map((e) => e.type)).toEqual(['order.created', 'order.status_changed', 'order.created']);
    expect((events.calls[0] as CatalogueEvent[])[1]).toMatchObject({ data: { previousStatus: 'Pending', status: 'In progress', orderId: 1 } });
  });

  it('reports the records of a refused call, and every record after them, when records before them went through', async () => {
    const events = bus([2]);
    usePlatform({ events });
    const { handler } = await import('../../lambdas/events/handlers/publish-events-handler.js');
    const records = Array.from({ length: 12 }, (_, i) => record(String(300 + i), 'INSERT', order(i + 1)));
    const answer = await handler({ Records: records });
    expect(answer).toEqual({ batchItemFailures: records.slice(10).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber })) });
  });

  it('fails the invocation when the first record cannot be published, so the mapping splits the batch and the records behind it go through', async () => {
    // Reported as a partial failure, the batch would come back whole from its first record after every retry and
    // end in the failure queue with it; a function error is what makes the mapping bisect.
    const events = bus([1]);
    usePlatform({ events });
    const { handler } = await import('../../lambdas/events/handlers/publish-events-handler.js');
    await expect(handler({ Records: [record('100', 'INSERT', order(1)), record('101', 'INSERT', order(2))] })).rejects.toThrow('All records failed processing');
  });

  it('publishes a batch in one call and skips what is no insert or modification', async () => {
    const events = bus();
    usePlatform({ events });
    const { handler } = await import('../../lambdas/events/handlers/publish-events-handler.js');
    const removed = { eventName: 'REMOVE' as const, dynamodb: { SequenceNumber: '201', OldImage: marshall(order(9)) as never } };
    const answer = await handler({ Records: [record('200', 'INSERT', order(1)), removed, record('202', 'INSERT', order(2))] });
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(events.calls.map((call) => (call as CatalogueEvent[]).map((e) => e.type))).toEqual([['order.created', 'order.created']]);
  });
});
