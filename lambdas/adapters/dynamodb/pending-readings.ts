// Ambiguous provider readings waiting for a later one (PendingReadingStore): `READINGS#<providerId>` /
// `ORDER#<id, 12 digits>`, so the poller reads a provider's few with one Query per run. Confirming writes the order
// and deletes the reading in one transaction, conditioned on the reading being the one judged.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, paginateQuery, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingReading } from '../../orders/domain/ambiguous-readings.js';
import type { Order, ProviderProgress } from '../../orders/domain/orders.js';
import type { PendingReadingStore } from '../../orders/ports.js';
import { keys } from './keys.js';
import { progressUpdate, toOrder } from './order-progress.js';

/** Kept 30 days at most: a reading left behind by an order settled another way (a person) goes by itself. */
const KEEP_SECONDS = 30 * 24 * 3600;

export const readingKey = (providerId: string, orderId: number) => ({ pk: `READINGS#${providerId}`, sk: `ORDER#${String(orderId).padStart(12, '0')}` });

export class DynamoPendingReadings implements PendingReadingStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async ofProvider(providerId: string): Promise<Map<number, PendingReading>> {
    const found = new Map<number, PendingReading>();
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `READINGS#${providerId}` }, ConsistentRead: true },
    );
    for await (const page of pages) for (const item of page.Items ?? []) found.set(Number(item.orderId), readingOf(item));
    return found;
  }

  async get(providerId: string, orderId: number): Promise<PendingReading | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: readingKey(providerId, orderId), ConsistentRead: true }));
    return Item ? readingOf(Item) : undefined;
  }

  async hold(pending: PendingReading, replacing?: PendingReading): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(pending.firstSeenAt) / 1000) + KEEP_SECONDS;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...readingKey(pending.providerId, pending.orderId), entity: 'pending-reading', ...pending, expiresAt },
          ...(replacing ? replacingCondition(replacing) : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async drop(pending: PendingReading): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: readingKey(pending.providerId, pending.orderId),
          ConditionExpression: 'firstSeenAt = :seen',
          ExpressionAttributeValues: { ':seen': pending.firstSeenAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async clear(providerId: string, orderId: number): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: readingKey(providerId, orderId) }));
  }

  async confirm(pending: PendingReading, progress: ProviderProgress, now: string): Promise<Order | undefined> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName: this.tableName, Key: keys.order(pending.orderId), ...progressUpdate(progress, now) } },
            {
              Delete: {
                TableName: this.tableName,
                Key: readingKey(pending.providerId, pending.orderId),
                ConditionExpression: 'firstSeenAt = :seen',
                ExpressionAttributeValues: { ':seen': pending.firstSeenAt },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) return undefined;
      throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.order(pending.orderId), ConsistentRead: true }));
    return Item ? toOrder(Item) : undefined;
  }
}

/** The stored reading is still exactly `replacing` (so two runs marking it both see it unmarked is impossible). */
function replacingCondition(replacing: PendingReading) {
  const values: Record<string, string> = { ':seen': replacing.firstSeenAt, ':status': replacing.status };
  const parts = ['firstSeenAt = :seen', '#status = :status'];
  for (const field of ['confirmedAt', 'alertedAt'] as const) {
    const value = replacing[field];
    if (value === undefined) parts.push(`attribute_not_exists(${field})`);
    else {
      parts.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  return { ConditionExpression: parts.join(' AND '), ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: values };
}

function readingOf(item: Record<string, unknown>): PendingReading {
  return {
    orderId: Number(item.orderId),
    providerId: String(item.providerId),
    status: item.status as PendingReading['status'],
    ...(item.remains !== undefined ? { remains: Number(item.remains) } : {}),
    firstSeenAt: String(item.firstSeenAt),
    ...(item.since !== undefined ? { since: String(item.since) } : {}),
    ...(item.confirmedAt !== undefined ? { confirmedAt: String(item.confirmedAt) } : {}),
    ...(item.alertedAt !== undefined ? { alertedAt: String(item.alertedAt) } : {}),
  };
}
