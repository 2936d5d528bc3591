// Finds our order from a provider's order id (provider callbacks name orders by the provider's id, not ours).
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';

/** Written before the order records the provider's id, so every submitted order can be found by it. */
export async function putProviderOrderLookup(db: DynamoDBDocumentClient, tableName: string, providerId: string, externalOrderId: string, orderId: number) {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.providerOrder(providerId, externalOrderId), entity: 'provider-order', providerId, externalOrderId, orderId },
    }),
  );
}

export async function findProviderOrder(
  db: DynamoDBDocumentClient,
  tableName: string,
  providerId: string,
  externalOrderId: string,
): Promise<number | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.providerOrder(providerId, externalOrderId) }));
  return Item ? Number(Item.orderId) : undefined;
}
