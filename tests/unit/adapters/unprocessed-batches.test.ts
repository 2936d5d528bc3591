// Adapters that read or write in batches, on the in-memory engine throttled the way DynamoDB throttles a batch: part
// of it handed back unprocessed. What was left must be sent again, or the call must fail; never silently dropped.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAttemptCounters } from '../../../lambdas/adapters/dynamodb/attempt-counters.js';
import { DynamoAttentionReader } from '../../../lambdas/adapters/dynamodb/attention-reader.js';
import type { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import type { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';
import { memoryTable } from '../../support/memory-table.js';

const TableName = 'codex';
let store: MemoryDynamo;
let db: ReturnType<typeof createDocumentClient>;

beforeEach(async () => {
  ({ store, db } = await memoryTable());
});

/** Leaves part of the first `times` batches unprocessed. */
function throttleBatches(times: number): void {
  let batches = 0;
  store.injectFaults((op) => (op.operation.startsWith('Batch') && batches++ < times ? 'unprocessed' : undefined));
}

describe('failed-attempt counters (login throttling)', () => {
  const counters = () => new DynamoAttemptCounters(db, TableName);
  const now = Date.parse('2027-01-01T00:00:00Z');

  it('read every counter even when DynamoDB leaves some keys unprocessed', async () => {
    for (const key of ['login#a', 'login#b', 'login#c', 'login#d']) await counters().reserve(key, now, 900);
    await counters().reserve('login#d', now, 900);
    throttleBatches(2);
    const found = await counters().read(['login#a', 'login#b', 'login#c', 'login#d']);
    expect([...found].map(([key, { count }]) => [key, count]).sort()).toEqual([
      ['login#a', 1],
      ['login#b', 1],
      ['login#c', 1],
      ['login#d', 2],
    ]);
  });

  it('fail rather than answer "no failures" when the keys stay unprocessed', async () => {
    await counters().reserve('login#a', now, 900);
    throttleBatches(Number.POSITIVE_INFINITY);
    await expect(counters().read(['login#a'])).rejects.toThrow('BatchGetItem left 1 keys unprocessed after 6 attempts');
  });
});

describe('the attention queue', () => {
  it('drop every resolved item even when DynamoDB leaves some deletes unprocessed', async () => {
    const itemKeys = Array.from({ length: 30 }, (_, i) => `order#${String(i).padStart(12, '0')}#stuck`);
    for (const sk of itemKeys) await db.send(new PutCommand({ TableName, Item: { pk: 'ATTENTION', sk, entity: 'attention' } }));
    throttleBatches(3);
    await new DynamoAttentionReader(db, TableName).drop(itemKeys);
    store.injectFaults(undefined);
    expect(store.items(TableName).filter((item) => item.pk === 'ATTENTION')).toEqual([]);
  });

  it('fail loudly when the deletes stay unprocessed', async () => {
    await db.send(new PutCommand({ TableName, Item: { pk: 'ATTENTION', sk: 'topup#t1#wrong_amount', entity: 'attention' } }));
    throttleBatches(Number.POSITIVE_INFINITY);
    await expect(new DynamoAttentionReader(db, TableName).drop(['topup#t1#wrong_amount'])).rejects.toThrow(
      'BatchWriteItem left 1 items unprocessed after 6 attempts',
    );
  });
});
