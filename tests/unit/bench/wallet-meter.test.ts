// The wallet bench's call meter counts what its table reports: one transaction attempt per try (the SDK's own retries
// included), each cancellation with its reasons, and write units of successful writes; on the in-memory engine.
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emptyCounts, meterCalls } from '../../../bench/wallet-meter.js';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { moveMoney } from '../../../lambdas/adapters/dynamodb/wallet-transaction.js';
import { micros } from '../../../lambdas/shared/money.js';
import { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';

const TABLE = 'codex';

async function meteredTable() {
  const store = new MemoryDynamo();
  const db = createDocumentClient({ region: 'us-east-1', requestHandler: store.requestHandler, maxAttempts: 3, retryDelayMs: 0 });
  await db.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'WALLET#w1', sk: 'WALLET', balance: 10_000_000, seq: 0 } }));
  const counts = emptyCounts();
  meterCalls(db, counts);
  return { store, db, counts };
}

const charge = (db: Parameters<typeof moveMoney>[0], order: number) =>
  moveMoney(db, TABLE, {
    walletId: 'w1',
    amount: micros(-900_000),
    kind: 'order_charge',
    reference: `order:${order}`,
    at: '2026-12-01T22:00:00.000Z',
    companions: [{ Put: { TableName: TABLE, Item: { pk: `ORDER#${order}`, sk: 'ORDER' }, ConditionExpression: 'attribute_not_exists(pk)' } }],
  });

describe("the wallet bench's call meter", () => {
  it('counts a canceled transaction, its reason and the attempt that followed, and the units of the one that committed', async () => {
    const { store, db, counts } = await meteredTable();
    let transactions = 0;
    store.injectFaults(({ operation }) => (operation === 'TransactWriteItems' && ++transactions === 1 ? { kind: 'conflict', itemIndex: 1 } : undefined));
    await charge(db, 1);
    expect(counts).toMatchObject({ transactWrites: 2, canceled: 1, reasons: { TransactionConflict: 1 }, reads: 2 });
    expect(counts.operations).toEqual({ GetItem: 2, TransactWriteItems: 2 });
    // Three items of a few bytes: 2 units each, estimated for the canceled try, measured for the committed one.
    expect(counts.canceledWcu).toBe(6);
    expect(counts.estimatedCommittedWcu).toBe(6);
    expect(counts.measuredWcu).toBeGreaterThan(0);
  });

  it('counts each try the SDK makes of a throttled read', async () => {
    const { store, db, counts } = await meteredTable();
    let reads = 0;
    store.injectFaults(({ operation }) => (operation === 'GetItem' && ++reads === 1 ? 'throttle' : undefined));
    await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'WALLET#w1', sk: 'WALLET' } }));
    expect(counts.reads).toBe(2);
    expect(counts.operations).toEqual({ GetItem: 2 });
    expect(counts.errors).toEqual({ ProvisionedThroughputExceededException: 1 });
  });

  it('leaves a transaction that committed at the first try uncanceled', async () => {
    const { db, counts } = await meteredTable();
    await db.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: { pk: 'A', sk: 'A' } } }] }));
    expect(counts).toMatchObject({ transactWrites: 1, canceled: 0, canceledWcu: 0, estimatedCommittedWcu: 2 });
  });
});
