// A plain single-item write that meets an item a transaction holds (TransactionConflictException, a 400 the SDK does
// not retry by default) is retried by the document client with the SDK's backoff, on the in-memory engine.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { MEMORY_TABLE, memoryTable } from '../../support/memory-table.js';

const TABLE = MEMORY_TABLE;

async function world(conflicts: number) {
  const { store, db } = await memoryTable();
  let puts = 0;
  store.injectFaults(({ operation }) => (operation === 'PutItem' && ++puts <= conflicts ? 'conflict' : undefined));
  return { db, store, puts: () => puts };
}

const write = (db: Awaited<ReturnType<typeof world>>['db']) =>
  db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'WALLET#1', sk: 'WALLET', balance: 5 } }));

describe('a single-item write under a transaction conflict', () => {
  it('succeeds when the conflict clears on the SDK retry', async () => {
    const { db, puts } = await world(1);
    await write(db);
    expect(puts()).toBe(2);
    const read = await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'WALLET#1', sk: 'WALLET' } }));
    expect(read.Item?.balance).toBe(5);
  });

  it('gives up after maxAttempts with the conflict error, nothing written', async () => {
    const { db, store, puts } = await world(Number.POSITIVE_INFINITY);
    const before = store.version;
    await expect(write(db)).rejects.toMatchObject({ name: 'TransactionConflictException', $metadata: { attempts: 3 } });
    expect(puts()).toBe(3);
    expect(store.version).toBe(before);
  });
});
