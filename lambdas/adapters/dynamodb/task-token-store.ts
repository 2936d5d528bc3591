// The order workflow's callback tokens, one item each beside its order.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TaskTokenStore } from '../../orders/ports.js';
import { keys } from './keys.js';

/** A workflow waits at most 180 days for an order's outcome; its token is kept a little longer. */
const TOKEN_KEPT_S = 190 * 24 * 3600;

export class DynamoTaskTokenStore implements TaskTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // The token has an item of its own: at up to 2 KB it would push the order past 1 KB, and every later write of the
  // order (progress, settlement) would cost twice the write units. Expiry (free TTL deletion) comes after the
  // longest wait of the workflow.
  async parkTaskToken(id: number, token: string, now: string): Promise<void> {
    const expiresAt = Math.floor(Date.parse(now) / 1000) + TOKEN_KEPT_S;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.taskToken(id), entity: 'task-token', orderId: id, token, at: now, expiresAt } }),
    );
  }

  async getTaskToken(id: number): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.taskToken(id), ConsistentRead: true }));
    return Item ? String(Item.token) : undefined;
  }
}
