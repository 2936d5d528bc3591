// BatchGetItem in the order store, with the DynamoDB client mocked: keys DynamoDB leaves unprocessed are asked again.
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoOrderStore } from '../../../lambdas/adapters/dynamodb/order-store.js';
import { keys } from '../../../lambdas/adapters/dynamodb/keys.js';

const TABLE = 'codex';
const order = (id: number) => ({ ...keys.order(id), entity: 'order', id, ownerId: 'o', charge: 900_000, refunded: 0, ratePer1000: 900_000, status: 'Pending' });

describe('reading orders scattered over many pages', () => {
  it('asks again for the keys DynamoDB left unprocessed, and only for those, until every order is read', async () => {
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(db);
    // Ids in different pages, so the store reads them with BatchGetItem rather than a range Query.
    const ids = [10_000, 20_000, 30_000];
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [order(10_000)] }, UnprocessedKeys: { [TABLE]: { Keys: [keys.order(20_000), keys.order(30_000)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [order(20_000)] }, UnprocessedKeys: { [TABLE]: { Keys: [keys.order(30_000)] } } })
      .resolvesOnce({ Responses: { [TABLE]: [order(30_000)] }, UnprocessedKeys: {} });
    const found = await new DynamoOrderStore(db, TABLE).getOrders(ids);
    expect([...found.keys()].sort()).toEqual(ids);
    const asked = mock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems![TABLE]!.Keys!.length);
    expect(asked).toEqual([3, 2, 1]);
  });
});
