// Links that one order at a time may use: the claim is written with the order (order-store.ts) and released here.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../../orders/domain/orders.js';
import type { ExclusiveLinks } from '../../orders/ports.js';
import { keys } from './keys.js';

export class DynamoExclusiveLinks implements ExclusiveLinks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async releaseExclusiveLink(order: Order): Promise<void> {
    if (!order.exclusiveLinkKey) return;
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.exclusiveLink(order.exclusiveLinkKey),
          ConditionExpression: 'attribute_not_exists(pk) OR orderId = :id',
          ExpressionAttributeValues: { ':id': order.id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
