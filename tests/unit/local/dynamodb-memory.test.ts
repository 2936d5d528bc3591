// What the in-memory engine gives the simulation beyond DynamoDB's semantics (those are proved against DynamoDB
// Local in tests/integration/dynamodb-engine-conformance.test.ts): injected throttling and conflicts that write
// nothing, a version that moves only with a change, stream records in Lambda's shape on the faked clock, reset.
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import FakeTimers from '@sinonjs/fake-timers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import type { MemoryDynamo } from '../../../local/dynamodb-memory/index.js';
import { type MemoryPath, memoryTable } from '../../support/memory-table.js';
import { failure } from '../../support/failure.js';

const TableName = 'codex';
let store: MemoryDynamo;
let db: ReturnType<typeof createDocumentClient>;

// Every case on both ways a client reaches the engine: the SDK's wire, and the shortcut the local stack uses.
describe.each<MemoryPath>(['wire', 'shortcut'])('over the %s', (path) => {
  beforeEach(async () => {
    ({ store, db } = await memoryTable(path));
  });

  const put = (pk: string, extra: Record<string, unknown> = {}) => db.send(new PutCommand({ TableName, Item: { pk, sk: 'A', ...extra } }));

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

    it('put the transaction fault on the item the decider names', async () => {
      store.injectFaults(() => ({ kind: 'conflict', itemIndex: 2 }));
      const error = await failure(
        db.send(new TransactWriteCommand({ TransactItems: ['i#1', 'i#2', 'i#3'].map((pk) => ({ Put: { TableName, Item: { pk, sk: 'A' } } })) })),
      );
      expect(error.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(['None', 'None', 'TransactionConflict']);
      store.injectFaults(() => ({ kind: 'throttle', itemIndex: 4 }));
      const wrapped = await failure(
        db.send(new TransactWriteCommand({ TransactItems: ['i#1', 'i#2', 'i#3'].map((pk) => ({ Put: { TableName, Item: { pk, sk: 'A' } } })) })),
      );
      expect(wrapped.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(['None', 'ThrottlingError', 'None']);
      store.injectFaults(undefined);
      expect(store.items(TableName)).toEqual([]);
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

  describe('transaction conflicts emulated as AWS answers them (the wallet bench; off by default, as on DynamoDB Local)', () => {
    const transaction = (...pks: string[]) =>
      db.send(new TransactWriteCommand({ TransactItems: pks.map((pk) => ({ Put: { TableName, Item: { pk, sk: 'A', by: pks.join('+') } } })) }));

    it('are off unless asked: back-to-back transactions on one item both commit', async () => {
      await transaction('w#1');
      await transaction('w#1', 'x#1');
      expect(store.items(TableName).map((i) => i.pk)).toEqual(['w#1', 'x#1']);
    });

    it('cancel a transaction on an item another one committed less than the window ago, on that item only, writing nothing', async () => {
      let now = 1_000;
      store.emulateTransactionConflicts(10, () => now);
      await transaction('w#1');
      now += 9;
      const error = await failure(transaction('x#1', 'w#1'));
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect(error.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(['None', 'TransactionConflict']);
      expect(store.items(TableName).map((i) => i.by)).toEqual(['w#1']);
      // Other items are free meanwhile; once the window has passed the item is too.
      await transaction('y#1');
      now += 1;
      await transaction('x#1', 'w#1');
      expect(store.items(TableName).map((i) => `${i.pk}:${i.by}`)).toEqual(['w#1:x#1+w#1', 'x#1:x#1+w#1', 'y#1:y#1']);
      expect(store.transactionConflicts).toBe(1);
    });

    it('refuse a single-item write on a held item with TransactionConflictException, never a read', async () => {
      let now = 0;
      store.emulateTransactionConflicts(10, () => now);
      await transaction('w#1');
      now += 5;
      const error = await failure(
        db.send(new UpdateCommand({ TableName, Key: { pk: 'w#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } })),
      );
      expect(error).toBeInstanceOf(TransactionConflictException);
      expect((await db.send(new GetCommand({ TableName, Key: { pk: 'w#1', sk: 'A' } }))).Item).toEqual({ pk: 'w#1', sk: 'A', by: 'w#1' });
      await put('z#1');
      // A plain write does not hold its item: a transaction right after it commits.
      await transaction('z#1');
      store.emulateTransactionConflicts(undefined);
      await put('w#1');
      expect(store.items(TableName).map((i) => i.pk)).toEqual(['w#1', 'z#1']);
    });
  });

  describe('batches left partly unprocessed, as throttled DynamoDB leaves them', () => {
    it('write the first half of a batch and hand the second half back as UnprocessedItems', async () => {
      store.injectFaults((op) => (op.operation === 'BatchWriteItem' ? 'unprocessed' : undefined));
      const answer = await db.send(
        new BatchWriteCommand({ RequestItems: { [TableName]: ['u#1', 'u#2', 'u#3', 'u#4'].map((pk) => ({ PutRequest: { Item: { pk, sk: 'A' } } })) } }),
      );
      store.injectFaults(undefined);
      expect(store.items(TableName).map((i) => i.pk)).toEqual(['u#1', 'u#2']);
      expect(answer.UnprocessedItems?.[TableName]?.map((r) => r.PutRequest?.Item?.pk)).toEqual(['u#3', 'u#4']);
      await db.send(new BatchWriteCommand({ RequestItems: answer.UnprocessedItems! }));
      expect(store.items(TableName).map((i) => i.pk)).toEqual(['u#1', 'u#2', 'u#3', 'u#4']);
    });

    it('leave even a batch of one unprocessed, and split where the decider says', async () => {
      store.injectFaults(() => 'unprocessed');
      const one = await db.send(new BatchWriteCommand({ RequestItems: { [TableName]: [{ DeleteRequest: { Key: { pk: 'gone', sk: 'A' } } }] } }));
      expect(one.UnprocessedItems?.[TableName]).toEqual([{ DeleteRequest: { Key: { pk: 'gone', sk: 'A' } } }]);
      store.injectFaults(() => ({ kind: 'unprocessed', itemIndex: 3 }));
      const answer = await db.send(
        new BatchWriteCommand({ RequestItems: { [TableName]: ['s#1', 's#2', 's#3', 's#4'].map((pk) => ({ PutRequest: { Item: { pk, sk: 'A' } } })) } }),
      );
      store.injectFaults(undefined);
      expect(store.items(TableName).map((i) => i.pk)).toEqual(['s#1', 's#2', 's#3']);
      expect(answer.UnprocessedItems?.[TableName]).toHaveLength(1);
    });

    it('read part of a BatchGetItem and hand back the rest of the keys with the request as asked', async () => {
      for (const pk of ['g#1', 'g#2', 'g#3']) await put(pk, { n: 1, other: 'x' });
      store.injectFaults(() => 'unprocessed');
      const Keys = ['g#1', 'g#2', 'g#3'].map((pk) => ({ pk, sk: 'A' }));
      const answer = await db.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys, ConsistentRead: true, ProjectionExpression: 'pk, n' } } }));
      expect(answer.Responses?.[TableName]).toEqual([{ pk: 'g#1', n: 1 }]);
      expect(answer.UnprocessedKeys?.[TableName]).toEqual({ Keys: Keys.slice(1), ConsistentRead: true, ProjectionExpression: 'pk, n' });
      // Any other operation under the same answer is throttled.
      expect(await failure(put('g#4'))).toBeInstanceOf(ProvisionedThroughputExceededException);
    });
  });

  describe('a write applied whose answer is lost (a 500 the SDK retries)', () => {
    const add = (pk: string) =>
      db.send(new UpdateCommand({ TableName, Key: { pk, sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }));
    const credit = (pk: string) =>
      db.send(
        new TransactWriteCommand({
          TransactItems: [{ Update: { TableName, Key: { pk, sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
        }),
      );
    const loseFirstAnswer = () => {
      let calls = 0;
      store.injectFaults(() => (++calls === 1 ? 'lost-answer' : undefined));
    };

    it('apply a transaction once: the retry carries the SDK-made ClientRequestToken and is answered from it', async () => {
      loseFirstAnswer();
      const answer = await credit('l#1');
      expect(answer.$metadata.attempts).toBe(2);
      expect(store.items(TableName)).toEqual([{ pk: 'l#1', sk: 'A', n: 1 }]);
      expect(store.takeStreamRecords(10)).toHaveLength(1);
    });

    it('apply a plain UpdateItem ADD twice, as DynamoDB does', async () => {
      loseFirstAnswer();
      await add('l#2');
      expect(store.items(TableName)).toEqual([{ pk: 'l#2', sk: 'A', n: 2 }]);
    });

    it('fail with InternalServerError when every answer is lost, the write applied all the same', async () => {
      store.injectFaults(() => 'lost-answer');
      const error = await failure(credit('l#3'));
      store.injectFaults(undefined);
      expect(error.name).toBe('InternalServerError');
      expect(error.$metadata.attempts).toBe(3);
      expect(store.items(TableName)).toEqual([{ pk: 'l#3', sk: 'A', n: 1 }]);
    });

    it('forget a token after ten minutes, and keep no more than those of the last ten minutes', async () => {
      const clock = FakeTimers.install({ now: Date.parse('2027-01-02T03:00:00Z'), toFake: ['Date'] });
      try {
        const credit = (token: string) =>
          db.send(
            new TransactWriteCommand({
              ClientRequestToken: token,
              TransactItems: [{ Update: { TableName, Key: { pk: 'tok', sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } }],
            }),
          );
        await credit('a');
        await credit('b');
        clock.tick(5 * 60_000);
        await credit('c');
        await credit('a');
        expect(store.items(TableName)).toEqual([{ pk: 'tok', sk: 'A', n: 3 }]);
        expect(store.rememberedTokens()).toBe(3);
        clock.tick(5 * 60_000);
        await credit('d');
        expect(store.rememberedTokens()).toBe(2);
        await credit('a');
        expect(store.items(TableName)).toEqual([{ pk: 'tok', sk: 'A', n: 5 }]);
      } finally {
        clock.uninstall();
      }
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

  describe('snapshots', () => {
    it('restore the state they were taken in, nested values included, as often as asked', async () => {
      await put('s', { health: { failures: 0, since: 'x' }, list: [1, 2] });
      const before = store.items(TableName);
      const snapshot = store.snapshot();
      await db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: 's', sk: 'A' },
          UpdateExpression: 'SET health.failures = :n REMOVE #list[0]',
          ExpressionAttributeNames: { '#list': 'list' },
          ExpressionAttributeValues: { ':n': 3 },
        }),
      );
      await put('t');
      expect(store.items(TableName)).toEqual([
        { pk: 's', sk: 'A', health: { failures: 3, since: 'x' }, list: [2] },
        { pk: 't', sk: 'A' },
      ]);
      store.restore(snapshot);
      expect(store.items(TableName)).toEqual(before);
      await put('u');
      store.restore(snapshot);
      expect(store.items(TableName)).toEqual(before);
      expect((await db.send(new GetCommand({ TableName, Key: { pk: 's', sk: 'A' } }))).Item).toEqual(before[0]);
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
        new PutCommand({
          TableName,
          Item: { pk: 'cap2', sk: 'A', ownerPk: 'OWNER#1', ownerSk: '2026#1', status: 'Pending' },
          ReturnConsumedCapacity: 'INDEXES',
        }),
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
});

describe('the shortcut past the wire', () => {
  it('hands a low-level client copies of what the engine holds, and takes control-plane calls over the wire', async () => {
    const { store: engine } = await memoryTable('shortcut');
    const raw = new DynamoDBClient({
      region: 'us-east-1',
      requestHandler: engine.requestHandler as never,
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    engine.shortcut(raw);
    await raw.send(new PutItemCommand({ TableName, Item: { pk: { S: 'c' }, sk: { S: 'A' }, n: { N: '1' } } }));
    const { Item } = await raw.send(new GetItemCommand({ TableName, Key: { pk: { S: 'c' }, sk: { S: 'A' } } }));
    Item!.n = { N: '2' };
    expect(engine.items(TableName)).toEqual([{ pk: 'c', sk: 'A', n: 1 }]);
    const { Table } = await raw.send(new DescribeTableCommand({ TableName }));
    expect(Table?.TableName).toBe(TableName);
    raw.destroy();
  });
});
