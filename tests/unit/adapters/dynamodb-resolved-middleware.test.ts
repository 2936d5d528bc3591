// The document client resolves each command class's middleware once (createDocumentClient's resolveMiddlewareOnce):
// every call must still send its own input and get its own answer, errors included, and middleware added later runs.
import { ConditionalCheckFailedException, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { MEMORY_TABLE, type MemoryPath, memoryTable } from '../../support/memory-table.js';

const TABLE = MEMORY_TABLE;

describe.each<MemoryPath>(['wire', 'shortcut'])('a document client with resolved middleware (%s)', (path) => {
  it('sends each call its own input and answers it with its own item, many at once', async () => {
    const { db } = await memoryTable(path);
    const ids = Array.from({ length: 40 }, (_, i) => i);
    await Promise.all(ids.map((i) => db.send(new PutCommand({ TableName: TABLE, Item: { pk: `ITEM#${i}`, sk: 'ITEM', n: i } }))));
    const read = await Promise.all(ids.map((i) => db.send(new GetCommand({ TableName: TABLE, Key: { pk: `ITEM#${i}`, sk: 'ITEM' } }))));
    expect(read.map((r) => r.Item?.n)).toEqual(ids);
    const updated = await Promise.all(
      ids.map((i) =>
        db.send(
          new UpdateCommand({
            TableName: TABLE,
            Key: { pk: `ITEM#${i}`, sk: 'ITEM' },
            UpdateExpression: 'SET n = n + :d',
            ExpressionAttributeValues: { ':d': i },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      ),
    );
    expect(updated.map((r) => r.Attributes?.n)).toEqual(ids.map((i) => 2 * i));
  });

  it("answers a refused condition with the SDK's error for that call only, and the next call of the class succeeds", async () => {
    const { db } = await memoryTable(path);
    const put = (pk: string) => db.send(new PutCommand({ TableName: TABLE, Item: { pk, sk: 'ONCE' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await put('A');
    await expect(put('A')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await put('B');
    const { Items } = await db.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'B' } }));
    expect(Items).toEqual([{ pk: 'B', sk: 'ONCE' }]);
  });

  it('runs middleware added after the first call, on every later call', async () => {
    const { db } = await memoryTable(path);
    await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'X', sk: 'X' } }));
    const seen: string[] = [];
    db.middlewareStack.add(
      ((next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => (args: unknown) => {
        seen.push(context.commandName);
        return next(args);
      }) as never,
      { step: 'initialize', name: 'seenByTest' },
    );
    await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'Y', sk: 'Y' } }));
    await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'Y', sk: 'Y' } }));
    expect(seen).toEqual(['PutItemCommand', 'GetItemCommand']);
    db.middlewareStack.remove('seenByTest');
    await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'X', sk: 'X' } }));
    expect(seen).toHaveLength(2);
  });

  it("runs a command's own middleware on that command only", async () => {
    const { db } = await memoryTable(path);
    const seen: string[] = [];
    const get = (pk: string, tag?: string) => {
      const command = new GetCommand({ TableName: TABLE, Key: { pk, sk: pk } });
      if (tag)
        command.middlewareStack.add(
          ((next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
            seen.push(`${tag}:${pk}`);
            return next(args);
          }) as never,
          { step: 'initialize' },
        );
      return db.send(command);
    };
    await get('A', 'first');
    await get('B');
    await get('C', 'third');
    await get('D');
    // (The SDK itself runs a command's own middleware twice: the DocumentClient's stack and its inner command's.)
    expect([...new Set(seen)]).toEqual(['first:A', 'third:C']);
  });

  it('resolves a class once, and still takes calls with options and low-level commands', async () => {
    const { db } = await memoryTable(path);
    const resolve = vi.spyOn(GetItemCommand.prototype, 'resolveMiddleware');
    try {
      for (let i = 0; i < 5; i++) await db.send(new GetCommand({ TableName: TABLE, Key: { pk: `K${i}`, sk: 'K' } }));
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
    }
    await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'O', sk: 'O', v: 1 } }));
    const withOptions = await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'O', sk: 'O' } }), { abortSignal: new AbortController().signal });
    expect(withOptions.Item).toEqual({ pk: 'O', sk: 'O', v: 1 });
    const lowLevel = await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'O' }, sk: { S: 'O' } } }));
    expect(lowLevel.Item).toEqual({ pk: { S: 'O' }, sk: { S: 'O' }, v: { N: '1' } });
  });
});

describe('a document client with resolved middleware under aws-sdk-client-mock', () => {
  it('is answered by the mock of the class, as any DocumentClient', async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    try {
      mock.on(GetCommand).resolves({ Item: { pk: 'MOCKED' } });
      const db = createDocumentClient({ region: 'us-east-1' });
      expect((await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'A', sk: 'A' } }))).Item).toEqual({ pk: 'MOCKED' });
      expect(mock.commandCalls(GetCommand)).toHaveLength(1);
    } finally {
      mock.restore();
    }
  });
});
