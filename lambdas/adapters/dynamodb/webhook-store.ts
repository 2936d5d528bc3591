// Reseller webhooks in the table: `USER#<id>` / `WEBHOOK` and its delivery records `USER#<id>` / `WHDELIVERY#<id>`
// (TTL `expiresAt`, 30 days); an event's failed attempts are counted on its claim (event-claims.ts). Secrets arrive
// sealed; this adapter never sees them in clear.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord, StoredWebhook, WebhookDeliveryStore, WebhookStore } from '../../notifications/ports.js';
import { DELIVERY_ID } from '../../notifications/domain/webhooks.js';
import { DomainError } from '../../shared/errors.js';
import { keys } from './keys.js';

const KEEP_DELIVERIES_SECONDS = 30 * 24 * 3600;

/** What the webhook consumer needs: the webhook, its health and its delivery records (a bundle with room for no more). */
export class DynamoWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(userId: string): Promise<StoredWebhook | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhook(userId), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      userId,
      url: String(Item.url),
      ...(Array.isArray(Item.events) ? { events: Item.events.map(String) } : {}),
      secret: String(Item.secret),
      ...(Item.previousSecret ? { previousSecret: String(Item.previousSecret), rotatedAt: String(Item.rotatedAt) } : {}),
      createdAt: String(Item.createdAt),
      updatedAt: String(Item.updatedAt),
      health: {
        consecutiveFailures: Number(Item.health?.consecutiveFailures ?? 0),
        ...(Item.health?.failingSince ? { failingSince: String(Item.health.failingSince) } : {}),
      },
      disabled: Item.disabled === true,
    };
  }
  async recordDelivery(userId: string, record: DeliveryRecord): Promise<void> {
    const expiresAt = Math.floor(Date.parse(record.at) / 1000) + KEEP_DELIVERIES_SECONDS;
    const { type: eventType, ...rest } = record;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.webhookDelivery(userId, record.id), type: 'WHDELIVERY', ...rest, eventType, expiresAt } }),
    );
  }
  async updateHealth(userId: string, expected: StoredWebhook['health'], next: StoredWebhook['health'], disabledAt?: string): Promise<boolean> {
    const values: Record<string, unknown> = { ':health': next, ':false': false, ':count': expected.consecutiveFailures };
    let since = 'attribute_not_exists(health.failingSince)';
    if (expected.failingSince !== undefined) {
      values[':since'] = expected.failingSince;
      since = 'health.failingSince = :since';
    }
    if (disabledAt !== undefined) {
      values[':true'] = true;
      values[':at'] = disabledAt;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.webhook(userId),
          UpdateExpression: disabledAt === undefined ? 'SET health = :health' : 'SET health = :health, disabled = :true, disabledAt = :at',
          ConditionExpression: `attribute_exists(pk) AND disabled = :false AND health.consecutiveFailures = :count AND ${since}`,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The cabinet's whole store. */
export class DynamoWebhookStore extends DynamoWebhookDeliveryStore implements WebhookStore {
  async put(webhook: StoredWebhook): Promise<void> {
    const { userId, ...rest } = webhook;
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.webhook(userId), type: 'WEBHOOK', userId, ...rest } }));
  }
  async remove(userId: string): Promise<boolean> {
    const { Attributes } = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.webhook(userId), ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }
  async getDelivery(userId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    if (!DELIVERY_ID.test(deliveryId)) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.webhookDelivery(userId, deliveryId), ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }
  async listDeliveries(userId: string, options: { limit: number; cursor?: string }): Promise<{ items: DeliveryRecord[]; nextCursor: string | null }> {
    const after = options.cursor === undefined ? undefined : cursorId(options.cursor);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.webhook(userId).pk, ':prefix': keys.webhookDeliveryPrefix },
        ...(after ? { ExclusiveStartKey: keys.webhookDelivery(userId, after) } : {}),
        ScanIndexForward: false,
        Limit: options.limit + 1,
      }),
    );
    const items = Items.slice(0, options.limit).map(toRecord);
    const last = items.at(-1);
    return { items, nextCursor: Items.length > options.limit && last ? Buffer.from(last.id).toString('base64url') : null };
  }
}

function toRecord(item: Record<string, unknown>): DeliveryRecord {
  return {
    id: String(item.id),
    eventId: String(item.eventId),
    type: String(item.eventType),
    at: String(item.at),
    ...(typeof item.status === 'number' ? { status: item.status } : {}),
    ...(typeof item.error === 'string' ? { error: item.error } : {}),
    latencyMs: Number(item.latencyMs),
    attempt: Number(item.attempt),
    ...(typeof item.body === 'string' ? { body: item.body } : {}),
    ...(typeof item.retryAt === 'string' ? { retryAt: item.retryAt } : {}),
    ...(item.deadLettered === true ? { deadLettered: true } : {}),
  };
}

function cursorId(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!DELIVERY_ID.test(id)) throw new DomainError('invalid_request', 'cursor: not a cursor of this list; use nextCursor as given', 'cursor');
  return id;
}
