// recordNotifications over DynamoDB Local, called as Lambda calls it: an SQS batch of bus events, one of them twice.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationFeed } from '../../lambdas/adapters/dynamodb/notification-feed-store.js';
import { apiKeyEvent, balanceLow, depositCredited, orderEnded, orderStatusChanged } from '../../lambdas/events/catalogue.js';
import { handler } from '../../lambdas/notifications/handlers/feed-consumer-handler.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { micros } from '../../lambdas/shared/money.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { createTestTable, type TestTable } from '../support/dynamo-table.js';
import { sqsRecord } from '../support/sqs-records.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint });
  usePlatform({});
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

const at = (minute: number) => new Date(Date.now() - (60 - minute) * 60_000).toISOString();
const order = {
  id: 1042,
  ownerId: 'u-feed',
  walletId: 'w-feed',
  serviceId: 7,
  link: 'https://example.com/post/1',
  quantity: 1000,
  status: 'Completed',
  charge: micros(900_000),
  refunded: micros(0),
  createdAt: at(0),
} as unknown as Order;

let n = 0;
function record(event: unknown): SQSRecord {
  n++;
  return sqsRecord(event, { messageId: `m-${n}`, consumer: 'recordNotifications' });
}

describe('recordNotifications', () => {
  it('writes one notification per event of a batch for its owner, a duplicate in the batch counted once', async () => {
    const completed = orderEnded(order, 'USD', 'evt_completed_1042', at(5))!;
    const deposit = depositCredited(
      { id: 'tu_1', ownerId: 'u-feed', walletId: 'w-feed', currency: 'USD', method: 'demo', creditedAmount: micros(25_000_000) },
      'evt_deposit_1',
      at(3),
    );
    const key = apiKeyEvent('api_key.created', { keyId: 'k1', ownerId: 'u-feed', walletId: 'w-feed', prefix: 'cdx_ab12', label: 'panel' }, 'evt_key_1', at(1));
    const low = balanceLow({ id: 'w-other', ownerId: 'u-other', currency: 'USD', balance: micros(4_200_000) }, micros(5_000_000), 'evt_low_1', at(2));
    // Not shown in the feed: skipped, not failed.
    const changed = orderStatusChanged({ ...order, status: 'In progress' } as Order, 'Pending', 'USD', 'evt_changed_1', at(4));
    const batch: SQSEvent = { Records: [completed, deposit, completed, key, low, changed].map(record) };

    expect(await handler(batch)).toEqual({ batchItemFailures: [] });
    // The same batch again (a redelivery): nothing new.
    expect(await handler({ Records: [record(completed), record(deposit)] })).toEqual({ batchItemFailures: [] });

    const feed = new DynamoNotificationFeed(table.db, table.tableName, { now: () => new Date() });
    const mine = await feed.list('u-feed', { limit: 10 });
    expect(mine.unread).toBe(3);
    expect(mine.items).toEqual([
      expect.objectContaining({ id: 'evt_completed_1042', type: 'order.completed', title: 'Order 1042 completed', orderId: 1042, read: false }),
      expect.objectContaining({ id: 'evt_deposit_1', type: 'deposit.credited', title: 'Deposit of 25.00 USD credited', topUpId: 'tu_1' }),
      expect.objectContaining({ id: 'evt_key_1', type: 'api_key.created', title: 'API key created', keyId: 'k1' }),
    ]);
    const theirs = await feed.list('u-other', { limit: 10 });
    expect(theirs.items.map((i) => i.title)).toEqual(['Balance low: 4.20 USD']);
  });
});
