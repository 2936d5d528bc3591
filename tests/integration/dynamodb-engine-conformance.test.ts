// The same conditional-write, transaction, query, update-expression, number and stream cases on DynamoDB Local and
// on the in-memory engine the simulation runs on (the issue allows that engine only if both pass these).
import { ConditionalCheckFailedException, GetItemCommand, TransactionCanceledException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type EngineTable } from '../support/dynamo-engines.js';
import { failure } from '../support/failure.js';

describe.each(ENGINES)('DynamoDB semantics on $name', (engine) => {
  let t: EngineTable;
  let TableName: string;
  beforeAll(async () => {
    t = await engine.open();
    TableName = t.tableName;
  });
  afterAll(() => t.close());

  const get = async (pk: string, sk = 'A') => (await t.db.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

  describe('conditional writes', () => {
    it('put only where no item is, and hand back the item in the way when asked', async () => {
      const put = (balance: number, extra = {}) =>
        t.db.send(new PutCommand({ TableName, Item: { pk: 'put#1', sk: 'A', balance }, ConditionExpression: 'attribute_not_exists(pk)', ...extra }));
      await put(5);
      const refused = await failure(put(6, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      expect(refused).toBeInstanceOf(ConditionalCheckFailedException);
      expect(refused.message).toBe('The conditional request failed');
      expect(unmarshall(refused.Item as never)).toEqual({ pk: 'put#1', sk: 'A', balance: 5 });
      const quiet = await failure(put(7));
      expect(quiet.Item).toBeUndefined();
      expect(await get('put#1')).toEqual({ pk: 'put#1', sk: 'A', balance: 5 });
    });

    it('update a balance only while it covers the debit, returning what changed', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'upd#1', sk: 'A', balance: 10, seq: 1 } }));
      const debit = (amount: number) =>
        t.db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: 'upd#1', sk: 'A' },
            UpdateExpression: 'SET balance = balance - :a ADD seq :one',
            ConditionExpression: 'attribute_exists(pk) AND balance >= :a',
            ExpressionAttributeValues: { ':a': amount, ':one': 1 },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
      expect((await debit(7)).Attributes).toEqual({ balance: 3, seq: 2 });
      expect(await failure(debit(4))).toBeInstanceOf(ConditionalCheckFailedException);
      const old = await t.db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: 'upd#1', sk: 'A' },
          UpdateExpression: 'SET note = :n',
          ExpressionAttributeValues: { ':n': 'x' },
          ReturnValues: 'ALL_OLD',
        }),
      );
      expect(old.Attributes).toEqual({ pk: 'upd#1', sk: 'A', balance: 3, seq: 2 });
      // An update with a condition on a missing item fails; without one it creates the item.
      const missing = await failure(
        t.db.send(
          new UpdateCommand({
            TableName,
            Key: { pk: 'upd#none', sk: 'A' },
            UpdateExpression: 'SET a = :a',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':a': 1 },
          }),
        ),
      );
      expect(missing).toBeInstanceOf(ConditionalCheckFailedException);
      expect(await get('upd#none')).toBeUndefined();
    });

    it('delete only what matches, returning the deleted item', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'del#1', sk: 'A', state: 'open' } }));
      const del = (state: string) =>
        t.db.send(
          new DeleteCommand({
            TableName,
            Key: { pk: 'del#1', sk: 'A' },
            ConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'state' },
            ExpressionAttributeValues: { ':s': state },
            ReturnValues: 'ALL_OLD',
          }),
        );
      expect(await failure(del('closed'))).toBeInstanceOf(ConditionalCheckFailedException);
      expect((await del('open')).Attributes).toEqual({ pk: 'del#1', sk: 'A', state: 'open' });
      expect(await get('del#1')).toBeUndefined();
    });

    it('evaluate functions, comparisons, IN, BETWEEN, NOT and nested paths as DynamoDB does', async () => {
      await t.db.send(
        new PutCommand({
          TableName,
          Item: { pk: 'cond#1', sk: 'A', name: 'order-42', tags: new Set(['a', 'b']), list: [1, 'two'], map: { inner: { n: 3 } }, n: 5, empty: null },
        }),
      );
      const holds = async (ConditionExpression: string, values?: Record<string, unknown>, names?: Record<string, string>) => {
        try {
          await t.db.send(
            new UpdateCommand({
              TableName,
              Key: { pk: 'cond#1', sk: 'A' },
              UpdateExpression: 'SET touched = :touched',
              ConditionExpression,
              ExpressionAttributeValues: { ':touched': true, ...values },
              ...(names ? { ExpressionAttributeNames: names } : {}),
            }),
          );
          return true;
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return false;
          if ((error as Error).name === 'ValidationException') return 'refused';
          throw error;
        }
      };
      const cases: [string, Record<string, unknown> | undefined, Record<string, string> | undefined, boolean | 'refused'][] = [
        ['begins_with(#n, :p)', { ':p': 'order-' }, { '#n': 'name' }, true],
        ['begins_with(#n, :p)', { ':p': 'refill-' }, { '#n': 'name' }, false],
        ['contains(tags, :t)', { ':t': 'b' }, undefined, true],
        ['contains(#n, :t)', { ':t': '-4' }, { '#n': 'name' }, true],
        ['contains(#l, :t)', { ':t': 'two' }, { '#l': 'list' }, true],
        ['size(tags) = :two AND size(#l) = :two', { ':two': 2 }, { '#l': 'list' }, true],
        ['size(absent) >= :zero', { ':zero': 0 }, undefined, false],
        ['attribute_type(n, :N)', { ':N': 'N' }, undefined, true],
        ['attribute_type(#e, :NULL)', { ':NULL': 'NULL' }, { '#e': 'empty' }, true],
        ['#m.#i.n = :three AND #l[0] = :one', { ':three': 3, ':one': 1 }, { '#m': 'map', '#i': 'inner', '#l': 'list' }, true],
        // A reserved word must be escaped.
        ['attribute_exists(list)', undefined, undefined, 'refused'],
        ['n IN (:a, :b, :c)', { ':a': 1, ':b': 5, ':c': 9 }, undefined, true],
        ['n BETWEEN :lo AND :hi', { ':lo': 5, ':hi': 6 }, undefined, true],
        ['n BETWEEN :lo AND :hi', { ':lo': 6, ':hi': 9 }, undefined, false],
        ['NOT (n > :a OR n < :b)', { ':a': 9, ':b': 1 }, undefined, true],
        ['n <> :s', { ':s': '5' }, undefined, true],
        ['n < :s', { ':s': 'z' }, undefined, false],
        ['absent <> :v', { ':v': 1 }, undefined, true],
        ['absent = :v OR attribute_not_exists(absent)', { ':v': 1 }, undefined, true],
        ['missing = :v', { ':v': 1 }, undefined, 'refused'],
      ];
      const answers = [];
      for (const [expression, values, names] of cases) answers.push(await holds(expression, values, names));
      expect(answers).toEqual(cases.map((c) => c[3]));
    });

    it('refuse malformed expressions and values with a ValidationException', async () => {
      const refused = [
        await failure(
          t.db.send(
            new PutCommand({
              TableName,
              Item: { pk: 'v#1', sk: 'A' },
              ConditionExpression: 'attribute_not_exists(pk)',
              ExpressionAttributeValues: { ':unused': 1 },
            }),
          ),
        ),
        await failure(t.db.send(new PutCommand({ TableName, Item: { pk: 'v#1', sk: 'A' }, ConditionExpression: 'pk = :missing' }))),
        await failure(t.db.send(new PutCommand({ TableName, Item: { pk: 'v#1', sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk' }))),
        await failure(
          t.db.send(
            new UpdateCommand({ TableName, Key: { pk: 'v#1', sk: 'A' }, UpdateExpression: 'SET a = :x, a = :x', ExpressionAttributeValues: { ':x': 1 } }),
          ),
        ),
        await failure(
          t.db.send(new UpdateCommand({ TableName, Key: { pk: 'v#1', sk: 'A' }, UpdateExpression: 'SET sk = :x', ExpressionAttributeValues: { ':x': 'B' } })),
        ),
        await failure(t.db.send(new PutCommand({ TableName, Item: { pk: 'v#1' } }))),
        await failure(t.db.send(new PutCommand({ TableName, Item: { pk: 'v#1', sk: 'A', openPk: 'OPEN', openSk: 'not a number' } }))),
        await failure(t.db.send(new PutCommand({ TableName, Item: { pk: 'v#1', sk: 'A', blob: 'x'.repeat(401 * 1024) } }))),
        await failure(t.db.send(new GetCommand({ TableName, Key: { pk: 'v#1' } }))),
        await failure(
          t.db.send(
            new QueryCommand({
              TableName,
              IndexName: 'owner-orders',
              KeyConditionExpression: 'ownerPk = :o',
              ExpressionAttributeValues: { ':o': 'x' },
              ConsistentRead: true,
            }),
          ),
        ),
      ];
      expect(refused.map((e) => e.name)).toEqual(Array(refused.length).fill('ValidationException'));
      expect(refused[4]!.message).toContain('Cannot update attribute sk. This attribute is part of the key');
      expect(refused[7]!.message).toBe('Item size has exceeded the maximum allowed size');
      expect(await get('v#1')).toBeUndefined();
    });
  });

  describe('transactions', () => {
    it('write all or nothing: a failing condition in the middle cancels every write, with a reason per item', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'tx#b', sk: 'A', state: 'closed' } }));
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'tx#c', sk: 'A', n: 1 } }));
      const refused = await failure(
        t.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { pk: 'tx#a', sk: 'A', n: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
              {
                ConditionCheck: {
                  TableName,
                  Key: { pk: 'tx#b', sk: 'A' },
                  ConditionExpression: '#s = :open',
                  ExpressionAttributeNames: { '#s': 'state' },
                  ExpressionAttributeValues: { ':open': 'open' },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              { Update: { TableName, Key: { pk: 'tx#c', sk: 'A' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } } },
              { Delete: { TableName, Key: { pk: 'tx#d', sk: 'A' } } },
            ],
          }),
        ),
      );
      expect(refused).toBeInstanceOf(TransactionCanceledException);
      const reasons = (refused as unknown as TransactionCanceledException).CancellationReasons!;
      expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None', 'None']);
      expect(unmarshall(reasons[1]!.Item as never)).toEqual({ pk: 'tx#b', sk: 'A', state: 'closed' });
      expect(refused.message).toContain('[None, ConditionalCheckFailed, None, None]');
      expect(await get('tx#a')).toBeUndefined();
      expect(await get('tx#c')).toEqual({ pk: 'tx#c', sk: 'A', n: 1 });
    });

    it('apply every write when all conditions hold, and read them back together', async () => {
      await t.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { pk: 'tx2#a', sk: 'A', n: 1 }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName, Item: { pk: 'tx2#b', sk: 'A', n: 2 } } },
          ],
        }),
      );
      const read = await t.db.send(
        new TransactGetCommand({
          TransactItems: [
            { Get: { TableName, Key: { pk: 'tx2#a', sk: 'A' } } },
            { Get: { TableName, Key: { pk: 'tx2#none', sk: 'A' } } },
            { Get: { TableName, Key: { pk: 'tx2#b', sk: 'A' }, ProjectionExpression: 'n' } },
          ],
        }),
      );
      expect(read.Responses).toEqual([{ Item: { pk: 'tx2#a', sk: 'A', n: 1 } }, {}, { Item: { n: 2 } }]);
    });

    it('apply a transaction once per client request token, and refuse the token for other parameters', async () => {
      const credit = (amount: number) =>
        t.db.send(
          new TransactWriteCommand({
            ClientRequestToken: 'token-1',
            TransactItems: [
              { Update: { TableName, Key: { pk: 'tok#1', sk: 'A' }, UpdateExpression: 'ADD balance :a', ExpressionAttributeValues: { ':a': amount } } },
            ],
          }),
        );
      await credit(5);
      await credit(5);
      expect(await get('tok#1')).toEqual({ pk: 'tok#1', sk: 'A', balance: 5 });
      expect((await failure(credit(6))).name).toBe('IdempotentParameterMismatchException');
    });

    it('apply the writes when a ConditionCheck holds, leaving the checked item as it was', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'cc#open', sk: 'A', state: 'open', seq: 1 } }));
      await t.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName,
                Key: { pk: 'cc#open', sk: 'A' },
                ConditionExpression: '#state = :open AND seq = :seq',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':open': 'open', ':seq': 1 },
              },
            },
            { Put: { TableName, Item: { pk: 'cc#child', sk: 'A', parent: 'cc#open' } } },
          ],
        }),
      );
      expect(await get('cc#child')).toEqual({ pk: 'cc#child', sk: 'A', parent: 'cc#open' });
      expect(await get('cc#open')).toEqual({ pk: 'cc#open', sk: 'A', state: 'open', seq: 1 });
    });

    // A group commit's shape (group-commit.ts): an intent already deleted fails its Delete alone, and the look that
    // follows finds the oldest item up to its own key, keys only.
    it('cancel a commit whose Delete meets a missing item, reason on that item only; then find the oldest key up to one', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'gc#w', sk: 'WALLET', seq: 3 } }));
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'gc#w', sk: 'INTENT#2', order: { id: 2, link: 'x' } } }));
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'gc#w', sk: 'INTENT#3', order: { id: 3 } } }));
      const refused = await failure(
        t.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: { pk: 'gc#w', sk: 'WALLET' }, ConditionExpression: 'seq = :seq', ExpressionAttributeValues: { ':seq': 3 } } },
              { Delete: { TableName, Key: { pk: 'gc#w', sk: 'INTENT#1' }, ConditionExpression: 'attribute_exists(pk)' } },
              { Delete: { TableName, Key: { pk: 'gc#w', sk: 'INTENT#2' }, ConditionExpression: 'attribute_exists(pk)' } },
              { Put: { TableName, Item: { pk: 'gc#order', sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        ),
      );
      const reasons = (refused as unknown as TransactionCanceledException).CancellationReasons!;
      expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None', 'None']);
      expect(await get('gc#w', 'INTENT#2')).toEqual({ pk: 'gc#w', sk: 'INTENT#2', order: { id: 2, link: 'x' } });
      const oldestUpTo = async (mine: string) =>
        (
          await t.db.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :intent AND :mine',
              ExpressionAttributeValues: { ':pk': 'gc#w', ':intent': 'INTENT#', ':mine': mine },
              ProjectionExpression: 'sk',
              ConsistentRead: true,
              Limit: 1,
            }),
          )
        ).Items;
      expect(await oldestUpTo('INTENT#3')).toEqual([{ sk: 'INTENT#2' }]);
      expect(await oldestUpTo('INTENT#1')).toEqual([]);
    });

    it('refuse two operations on one item in one transaction, writing nothing', async () => {
      const refused = await failure(
        t.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { pk: 'dup#1', sk: 'A' } } },
              { Update: { TableName, Key: { pk: 'dup#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } } },
            ],
          }),
        ),
      );
      expect(refused.name).toBe('ValidationException');
      expect(refused.message).toContain('Transaction request cannot include multiple operations on one item');
      expect(await get('dup#1')).toBeUndefined();
    });
  });

  describe('queries', () => {
    beforeAll(async () => {
      for (let i = 1; i <= 7; i++)
        await t.db.send(
          new PutCommand({
            TableName,
            Item: {
              pk: 'q#1',
              sk: `ITEM#${i}`,
              n: i,
              ownerPk: 'OWNER#q',
              ownerSk: `2026-12-0${i}#${i}`,
              status: i % 2 ? 'odd' : 'even',
              updatedAt: 'not projected',
              charge: i * 10,
            },
          }),
        );
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'q#1', sk: 'OTHER#1', n: 0 } }));
    });

    const pages = async (input: Record<string, unknown>) => {
      const out: { items: Record<string, unknown>[]; count: number; scanned: number; more: boolean }[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await t.db.send(new QueryCommand({ TableName, ...input, ...(start ? { ExclusiveStartKey: start } : {}) } as never));
        out.push({ items: page.Items ?? [], count: page.Count ?? 0, scanned: page.ScannedCount ?? 0, more: !!page.LastEvaluatedKey });
        start = page.LastEvaluatedKey;
      } while (start && out.length < 20);
      return out;
    };

    it('page through a partition in key order, forward and backward, with Limit', async () => {
      const key = { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': 'q#1', ':p': 'ITEM#' } };
      const forward = await pages({ ...key, Limit: 3 });
      expect(forward.map((p) => p.items.map((i) => i.n))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      const backward = await pages({ ...key, Limit: 7, ScanIndexForward: false });
      expect(backward.map((p) => p.items.map((i) => i.n))).toEqual([[7, 6, 5, 4, 3, 2, 1], []]);
      const between = await pages({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': 'q#1', ':a': 'ITEM#2', ':b': 'ITEM#4' },
      });
      expect(between.map((p) => p.items.map((i) => i.n))).toEqual([[2, 3, 4]]);
    });

    it('filter after the limit (Count and ScannedCount differ) and count without items', async () => {
      const filtered = await pages({
        KeyConditionExpression: 'pk = :pk AND sk > :s',
        FilterExpression: '#st = :odd',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':pk': 'q#1', ':s': 'ITEM#', ':odd': 'odd' },
        Limit: 4,
      });
      expect(filtered.map((p) => [p.count, p.scanned])).toEqual([
        [2, 4],
        [2, 4],
        // A page that ends exactly at the Limit still hands back a LastEvaluatedKey: one more, empty, page follows.
        [0, 0],
      ]);
      const counted = await t.db.send(
        new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'q#1' }, Select: 'COUNT' }),
      );
      expect([counted.Count, counted.Items]).toEqual([8, undefined]);
    });

    it('query an index newest first, holding only its projected attributes', async () => {
      const newest = await pages({
        IndexName: 'owner-orders',
        KeyConditionExpression: 'ownerPk = :o',
        ExpressionAttributeValues: { ':o': 'OWNER#q' },
        ScanIndexForward: false,
        Limit: 5,
      });
      expect(newest.map((p) => p.items.map((i) => i.charge))).toEqual([
        [70, 60, 50, 40, 30],
        [20, 10],
      ]);
      const first = newest[0]!.items[0]!;
      expect(first).toEqual({ pk: 'q#1', sk: 'ITEM#7', ownerPk: 'OWNER#q', ownerSk: '2026-12-07#7', status: 'odd', charge: 70 });
      const projected = await t.db.send(
        new GetCommand({ TableName, Key: { pk: 'q#1', sk: 'ITEM#3' }, ProjectionExpression: 'n, #st', ExpressionAttributeNames: { '#st': 'status' } }),
      );
      expect(projected.Item).toEqual({ n: 3, status: 'odd' });
    });

    it('order a numeric index key as numbers (9 before 10), and page through the index', async () => {
      for (const [id, at] of [
        [1, 10],
        [2, 9],
        [3, 100],
        [4, -1],
      ])
        await t.db.send(
          new PutCommand({ TableName, Item: { pk: `open#${id}`, sk: 'ORDER', openPk: 'OPEN#q', openSk: at, id, phase: 'accepted', secret: 'x' } }),
        );
      const open = await pages({
        IndexName: 'open-orders',
        KeyConditionExpression: 'openPk = :o AND openSk < :before',
        ExpressionAttributeValues: { ':o': 'OPEN#q', ':before': 50 },
        Limit: 2,
      });
      expect(open.map((p) => p.items.map((i) => i.id))).toEqual([[4, 2], [1]]);
      expect(open[0]!.items[0]).toEqual({ pk: 'open#4', sk: 'ORDER', openPk: 'OPEN#q', openSk: -1, id: 4, phase: 'accepted' });
    });

    it('read and write in batches', async () => {
      await t.db.send(
        new BatchWriteCommand({
          RequestItems: { [TableName]: [{ PutRequest: { Item: { pk: 'batch#1', sk: 'A' } } }, { PutRequest: { Item: { pk: 'batch#2', sk: 'A' } } }] },
        }),
      );
      const read = await t.db.send(
        new BatchGetCommand({
          RequestItems: {
            [TableName]: {
              Keys: [
                { pk: 'batch#1', sk: 'A' },
                { pk: 'batch#2', sk: 'A' },
                { pk: 'batch#3', sk: 'A' },
              ],
            },
          },
        }),
      );
      expect(read.Responses?.[TableName]?.map((i) => i.pk).sort()).toEqual(['batch#1', 'batch#2']);
      const scanned = await t.db.send(new ScanCommand({ TableName, FilterExpression: 'begins_with(pk, :b)', ExpressionAttributeValues: { ':b': 'batch#' } }));
      expect(scanned.Items?.map((i) => i.pk).sort()).toEqual(['batch#1', 'batch#2']);
    });
  });

  describe('scans', () => {
    it('page through a table with Limit and ExclusiveStartKey: every item once, at most Limit scanned a page', async () => {
      const wanted = ['scan#1', 'scan#2', 'scan#3', 'scan#4', 'scan#5'];
      for (const [i, pk] of wanted.entries()) await t.db.send(new PutCommand({ TableName, Item: { pk, sk: 'A', n: i } }));
      const found: string[] = [];
      let start: Record<string, unknown> | undefined;
      let pages = 0;
      do {
        const page = await t.db.send(
          new ScanCommand({
            TableName,
            Limit: 3,
            ConsistentRead: true,
            FilterExpression: 'begins_with(pk, :p)',
            ExpressionAttributeValues: { ':p': 'scan#' },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        pages++;
        expect(page.ScannedCount).toBeLessThanOrEqual(3);
        found.push(...(page.Items ?? []).map((item) => String(item.pk)));
        start = page.LastEvaluatedKey;
      } while (start);
      expect(found.sort()).toEqual(wanted);
      expect(pages).toBeGreaterThan(1);
      const unfiltered = await t.db.send(new ScanCommand({ TableName, Limit: 2 }));
      expect(unfiltered.Items).toHaveLength(2);
      expect(Object.keys(unfiltered.LastEvaluatedKey ?? {}).sort()).toEqual(['pk', 'sk']);
    });
  });

  describe('update expressions and numbers', () => {
    it('SET, REMOVE, ADD and DELETE on nested maps, lists and sets', async () => {
      await t.db.send(
        new PutCommand({
          TableName,
          Item: { pk: 'ux#1', sk: 'A', doc: { a: { b: 1 } }, list: [1, 2, 3], tags: new Set(['x', 'y']), labels: new Set(['x', 'y']), gone: true },
        }),
      );
      const updated = await t.db.send(
        new UpdateCommand({
          TableName,
          Key: { pk: 'ux#1', sk: 'A' },
          UpdateExpression:
            'SET doc.a.c = :two, #l = list_append(#l, :more), created = if_not_exists(created, :now), firstSeen = if_not_exists(#l, :now), grandTotal = :ten + :two REMOVE gone, doc.a.b ADD tags :z, hits :one DELETE labels :x',
          ExpressionAttributeNames: { '#l': 'list' },
          ExpressionAttributeValues: { ':two': 2, ':more': [4], ':now': 'T0', ':ten': 10, ':z': new Set(['z']), ':one': 1, ':x': new Set(['x']) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(updated.Attributes).toEqual({
        pk: 'ux#1',
        sk: 'A',
        doc: { a: { c: 2 } },
        list: [1, 2, 3, 4],
        created: 'T0',
        firstSeen: [1, 2, 3],
        grandTotal: 12,
        tags: new Set(['x', 'y', 'z']),
        labels: new Set(['y']),
        hits: 1,
      });
      const missingParent = await failure(
        t.db.send(
          new UpdateCommand({ TableName, Key: { pk: 'ux#1', sk: 'A' }, UpdateExpression: 'SET nowhere.deep = :v', ExpressionAttributeValues: { ':v': 1 } }),
        ),
      );
      expect(missingParent.name).toBe('ValidationException');
      const wrongType = await failure(
        t.db.send(
          new UpdateCommand({ TableName, Key: { pk: 'ux#1', sk: 'A' }, UpdateExpression: 'ADD created :one', ExpressionAttributeValues: { ':one': 1 } }),
        ),
      );
      expect(wrongType.name).toBe('ValidationException');
    });

    it('keep decimal numbers exact: 0.1 + 0.2 is 0.3, 38 digits survive, more are refused', async () => {
      // The low-level client, so that numbers travel as DynamoDB's strings, never through a JavaScript number.
      const add = (pk: string, value: string) =>
        t.raw.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: { S: pk }, sk: { S: 'A' } },
            UpdateExpression: 'ADD amount :v',
            ExpressionAttributeValues: { ':v': { N: value } },
          }),
        );
      const amount = async (pk: string) => {
        const read = await t.raw.send(new GetItemCommand({ TableName, Key: { pk: { S: pk }, sk: { S: 'A' } }, ConsistentRead: true }));
        // DynamoDB Local keeps the scale of a sum ("1.90"); the value, not its trailing zeros, is what must agree.
        return read.Item?.amount?.N?.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
      };
      await add('num#1', '0.1');
      await add('num#1', '0.2');
      expect(await amount('num#1')).toBe('0.3');
      await add('num#2', '12345678901234567890123456789012.1');
      await add('num#2', '0.000001');
      expect(await amount('num#2')).toBe('12345678901234567890123456789012.100001');
      await add('num#2', '-12345678901234567890123456789012');
      await add('num#2', '1.5');
      expect(await amount('num#2')).toBe('1.600001');
      const tooPrecise = await failure(add('num#3', '1.000000000000000000000000000000000000001'));
      expect(tooPrecise.name).toBe('ValidationException');
      const notANumber = await failure(add('num#3', '12abc'));
      expect(notANumber.name).toBe('ValidationException');
    });
  });

  describe('updates of what is not there', () => {
    it('refuse arithmetic on a missing attribute, alone and inside a transaction, writing nothing', async () => {
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'miss#1', sk: 'A' } }));
      const alone = await failure(
        t.db.send(
          new UpdateCommand({ TableName, Key: { pk: 'miss#1', sk: 'A' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } }),
        ),
      );
      expect(alone.name).toBe('ValidationException');
      expect(alone.message).toContain('The provided expression refers to an attribute that does not exist in the item');
      const inTransaction = await failure(
        t.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { pk: 'miss#2', sk: 'A' } } },
              { Update: { TableName, Key: { pk: 'miss#1', sk: 'A' }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } },
            ],
          }),
        ),
      );
      // DynamoDB Local refuses the whole request, not one of its items (no TransactionCanceledException).
      expect(inTransaction.name).toBe('ValidationException');
      expect(inTransaction.message).toContain('The provided expression refers to an attribute that does not exist in the item');
      expect(await get('miss#2')).toBeUndefined();
      expect(await get('miss#1')).toEqual({ pk: 'miss#1', sk: 'A' });
    });
  });

  describe('stream', () => {
    it('records an insert, a modification with both images and a removal, and nothing for a write that changes nothing', async () => {
      await t.streamRecords();
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'str#1', sk: 'A', n: 1 } }));
      await t.db.send(new UpdateCommand({ TableName, Key: { pk: 'str#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } }));
      await t.db.send(new PutCommand({ TableName, Item: { pk: 'str#1', sk: 'A', n: 2 } }));
      await t.db.send(new UpdateCommand({ TableName, Key: { pk: 'str#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } }));
      await t.db.send(new DeleteCommand({ TableName, Key: { pk: 'str#1', sk: 'A' } }));
      await t.db.send(new DeleteCommand({ TableName, Key: { pk: 'str#1', sk: 'A' } }));
      const records = (await t.streamRecords()).filter((r) => r.dynamodb?.Keys?.pk?.S === 'str#1');
      expect(records.map((r) => [r.eventName, r.dynamodb?.Keys, r.dynamodb?.OldImage, r.dynamodb?.NewImage])).toEqual([
        ['INSERT', { pk: { S: 'str#1' }, sk: { S: 'A' } }, undefined, { pk: { S: 'str#1' }, sk: { S: 'A' }, n: { N: '1' } }],
        [
          'MODIFY',
          { pk: { S: 'str#1' }, sk: { S: 'A' } },
          { pk: { S: 'str#1' }, sk: { S: 'A' }, n: { N: '1' } },
          { pk: { S: 'str#1' }, sk: { S: 'A' }, n: { N: '2' } },
        ],
        ['REMOVE', { pk: { S: 'str#1' }, sk: { S: 'A' } }, { pk: { S: 'str#1' }, sk: { S: 'A' }, n: { N: '2' } }, undefined],
      ]);
      const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
      expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : 1)));
    });
  });
});
