// Reading many orders in the order store, with the DynamoDB client mocked: unprocessed keys and cut-off Query answers.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchGetItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoOrderStore } from '../../../lambdas/adapters/dynamodb/order-store.js';
import { keys } from '../../../lambdas/adapters/dynamodb/keys.js';

const TABLE = 'codex';
const order = (id: number) =>
  marshall({ ...keys.order(id), entity: 'order', id, ownerId: 'o', charge: 900_000, refunded: 0, ratePer1000: 900_000, status: 'Pending' });
const key = (id: number) => marshall(keys.order(id));

describe('reading many orders', () => {
  it('asks again for the keys DynamoDB left unprocessed, and only for those, until every order is read', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(db);
    // Ids in different pages, so the store reads them with BatchGetItem rather than a range Query.
    const ids = [10_000, 20_000, 30_000];
    mock
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { [TABLE]: [order(10_000)] }, UnprocessedKeys: { [TABLE]: { Keys: [key(20_000), key(30_000)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [order(20_000)] }, UnprocessedKeys: { [TABLE]: { Keys: [key(30_000)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [order(30_000)] }, UnprocessedKeys: {} });
    const found = await new DynamoOrderStore(db, TABLE).getOrders(ids);
    expect([...found.keys()].sort()).toEqual(ids);
    const asked = mock.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input.RequestItems![TABLE]!.Keys!.length);
    expect(asked).toEqual([3, 2, 1]);
  });

  it('reads a range of one page on, page by page, when DynamoDB cuts its answer at 1 MB', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(db);
    const ids = Array.from({ length: 10 }, (_, i) => 10_000 + i);
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: ids.slice(0, 4).map(order), LastEvaluatedKey: key(10_003) })
      .resolvesOnce({ Items: ids.slice(4).map(order) });
    const found = await new DynamoOrderStore(db, TABLE).getOrderStatuses(ids);
    expect([...found.keys()]).toEqual(ids);
    expect(found.get(10_005)).toEqual({ id: 10_005, ownerId: 'o', charge: 900_000, refunded: 0, status: 'Pending' });
    expect(mock.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey)).toEqual([undefined, key(10_003)]);
  });
});
