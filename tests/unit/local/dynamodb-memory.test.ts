// What the in-memory engine gives the simulation beyond DynamoDB's semantics (those are proved against DynamoDB
// Local in tests/integration/dynamodb-engine-conformance.test.ts): injected throttling and conflicts that write
// nothing, a version that moves only with a change, stream records in Lambda's shape on the faked clock, reset.
import { DynamoDBClient, ProvisionedThroughputExceededException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import FakeTimers from '@sinonjs/fake-timers';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { ensureTableWith } from '../../../local/dynamodb-local.js';
import { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';

const TableName = 'codex';
let store: MemoryDynamo;
let db: ReturnType<typeof createDocumentClient>;

beforeEach(async () => {
  store = new MemoryDynamo();
  const raw = new DynamoDBClient({
    region: 'us-east-1',
    requestHandler: store.requestHandler as never,
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await ensureTableWith(raw, TableName);
  db = createDocumentClient({ region: 'us-east-1', requestHandler: store.requestHandler, maxAttempts: 3, retryDelayMs: 0 });
});

const put = (pk: string, extra: Record<string, unknown> = {}) => db.send(new PutCommand({ TableName, Item: { pk, sk: 'A', ...extra } }));

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, any>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, any>;
  }
  throw new Error('expected the request to fail');
}

describe('injected faults', () => {
  it('throttle a single-item write as DynamoDB does: the SDK retries at once, gives up, and nothing is written', async () => {
    const seen: { operation: string; table: string; itemCount: number }[] = [];
    store.injectFaults((op) => {
      seen.push(op);
      return 'throttle';
    });
    const error = await failure(put('p#1'));
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error.$metadata.attempts).toBe(3);
    expect(seen).toEqual(Array(3).fill({ operation: 'PutItem', table: TableName, itemCount: 1 }));
    store.injectFaults(undefined);
    expect(store.items(TableName)).toEqual([]);
  });

  it('recover when a throttle passes before the SDK runs out of attempts', async () => {
    let calls = 0;
    store.injectFaults(() => (++calls === 1 ? 'throttle' : undefined));
    await put('p#2');
    expect(store.items(TableName)).toEqual([{ pk: 'p#2', sk: 'A' }]);
  });

  it('cancel a transaction with ThrottlingError or TransactionConflict reasons, writing none of its items', async () => {
    const transaction = () =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName, Item: { pk: 't#1', sk: 'A' } } }, { Put: { TableName, Item: { pk: 't#2', sk: 'A' } } }],
        }),
      );
    for (const [kind, code] of [
      ['throttle', 'ThrottlingError'],
      ['conflict', 'TransactionConflict'],
    ] as const) {
      store.injectFaults((op) => (op.operation === 'TransactWriteItems' && op.itemCount === 2 ? kind : undefined));
      const error = await failure(transaction());
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(error.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual([code, 'None']);
    }
    expect(store.items(TableName)).toEqual([]);
    store.injectFaults(undefined);
    await transaction();
    expect(store.items(TableName).map((i) => i.pk)).toEqual(['t#1', 't#2']);
  });

  it('answer a conflicting single-item write with TransactionConflictException, and never a plain read', async () => {
    await put('c#1', { n: 0 });
    store.injectFaults(() => 'conflict');
    const error = await failure(
      db.send(new UpdateCommand({ TableName, Key: { pk: 'c#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } })),
    );
    expect(error).toBeInstanceOf(TransactionConflictException);
    // As DynamoDB answers a read of an item a transaction holds: its last committed state.
    expect((await db.send(new GetCommand({ TableName, Key: { pk: 'c#1', sk: 'A' } }))).Item).toEqual({ pk: 'c#1', sk: 'A', n: 0 });
    expect((await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'c#1' } }))).Count).toBe(1);
  });
});

describe('the version', () => {
  it('moves with every write that changes an item, and not for a refused or unchanged one', async () => {
    const start = store.version;
    await put('v#1', { n: 1 });
    expect(store.version).toBe(start + 1);
    await put('v#1', { n: 1 });
    await failure(db.send(new PutCommand({ TableName, Item: { pk: 'v#1', sk: 'A', n: 2 }, ConditionExpression: 'attribute_not_exists(pk)' })));
    await db.send(new GetCommand({ TableName, Key: { pk: 'v#1', sk: 'A' } }));
    await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'v#1' } }));
    expect(store.version).toBe(start + 1);
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: 'v#2', sk: 'A' } } },
          { Update: { TableName, Key: { pk: 'v#1', sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
        ],
      }),
    );
    expect(store.version).toBe(start + 3);
  });
});

describe('the stream and the world', () => {
  it('hands out records in Lambda shape, stamped with the (faked) clock, oldest first, in batches as asked', async () => {
    const clock = FakeTimers.install({ now: Date.parse('2027-01-02T03:04:05Z'), toFake: ['Date'] });
    try {
      await put('s#1', { amount: 1.5 });
      await put('s#2');
    } finally {
      clock.uninstall();
    }
    const [first, ...rest] = store.takeStreamRecords(1);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2027-01-02T03:04:05Z') / 1000,
        Keys: { pk: { S: 's#1' }, sk: { S: 'A' } },
        NewImage: { pk: { S: 's#1' }, sk: { S: 'A' }, amount: { N: '1.5' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(first!.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/codex\/stream\//);
    expect(store.pendingStreamRecords()).toBe(1);
    expect(store.takeStreamRecords(100).map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['s#2']);
  });

  it('lists items unmarshalled in key order, and forgets tables and records on reset', async () => {
    await put('b', { n: 2 });
    await put('a', { n: 1, tags: new Set(['x']) });
    expect(store.items(TableName)).toEqual([
      { pk: 'a', sk: 'A', n: 1, tags: new Set(['x']) },
      { pk: 'b', sk: 'A', n: 2 },
    ]);
    // A number no JavaScript number holds exactly comes back as its text, not as an error.
    store.run('PutItem', { TableName, Item: { pk: { S: 'c' }, sk: { S: 'A' }, big: { N: '123456789012345678901234567890' }, price: { N: '0.10' } } });
    expect(store.items(TableName).at(-1)).toEqual({ pk: 'c', sk: 'A', big: '123456789012345678901234567890', price: 0.1 });
    store.reset();
    expect(store.items(TableName)).toEqual([]);
    expect(store.takeStreamRecords(100)).toEqual([]);
    expect((await failure(put('c'))).name).toBe('ResourceNotFoundException');
  });

  it('reports consumed capacity when asked, as the benchmark reads it', async () => {
    const answer = await db.send(new PutCommand({ TableName, Item: { pk: 'cap', sk: 'A', blob: 'x'.repeat(1500) }, ReturnConsumedCapacity: 'INDEXES' }));
    expect(answer.ConsumedCapacity).toMatchObject({ TableName, CapacityUnits: 2, Table: { CapacityUnits: 2 } });
    // An order entering the owner-orders index costs one index write more, counted per index as the benchmark reads it.
    const indexed = await db.send(
      new PutCommand({ TableName, Item: { pk: 'cap2', sk: 'A', ownerPk: 'OWNER#1', ownerSk: '2026#1', status: 'Pending' }, ReturnConsumedCapacity: 'INDEXES' }),
    );
    expect(indexed.ConsumedCapacity).toEqual({
      TableName,
      CapacityUnits: 2,
      WriteCapacityUnits: 2,
      Table: { CapacityUnits: 1 },
      GlobalSecondaryIndexes: { 'owner-orders': { CapacityUnits: 1 } },
    });
    // A change to an attribute the index does not project writes only the table.
    const unprojected = await db.send(
      new UpdateCommand({
        TableName,
        Key: { pk: 'cap2', sk: 'A' },
        UpdateExpression: 'SET updatedAt = :t',
        ExpressionAttributeValues: { ':t': 'now' },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(unprojected.ConsumedCapacity).toMatchObject({ CapacityUnits: 1 });
    expect(unprojected.ConsumedCapacity?.GlobalSecondaryIndexes).toBeUndefined();
  });
});
