// Fixed-window counters (one UpdateItem ADD each) and source blocks for reseller access checks. Every item
// carries `expiresAt` so DynamoDB's TTL clears it; readers never rely on that, since TTL deletion lags.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessCounters } from '../../access/ports.js';
import { keys } from './keys.js';

const MINUTE_S = 60;
const DAY_S = 86_400;

export class DynamoAccessCounters implements AccessCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  countRequest(keyId: string, epochMinute: number, by = 1): Promise<number> {
    return this.add(keys.rateWindow(keyId, epochMinute), 'rate-window', minuteWindowExpiry(epochMinute), by);
  }

  countOrder(keyId: string, day: string, by = 1): Promise<number> {
    return this.add(keys.orderQuota(keyId, day), 'order-quota', Date.parse(`${day}T00:00:00Z`) / 1000 + 2 * DAY_S, by);
  }

  countInvalidKey(source: string, epochMinute: number): Promise<number> {
    return this.add(keys.invalidKeyWindow(source, epochMinute), 'abuse-window', minuteWindowExpiry(epochMinute));
  }

  countInvalidRequest(keyId: string, epochMinute: number): Promise<number> {
    return this.add(keys.invalidRequestWindow(keyId, epochMinute), 'abuse-window', minuteWindowExpiry(epochMinute));
  }

  async blockSource(source: string, until: Date, reason: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.sourceBlock(source),
          entity: 'source-block',
          source,
          blockedUntil: until.toISOString(),
          reason,
          expiresAt: Math.ceil(until.getTime() / 1000) + MINUTE_S,
        },
      }),
    );
  }

  async sourceBlockedUntil(source: string): Promise<Date | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.sourceBlock(source) }));
    return typeof Item?.blockedUntil === 'string' ? new Date(Item.blockedUntil) : undefined;
  }

  private async add(key: { pk: string; sk: string }, entity: string, expiresAt: number, by = 1): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD #count :one SET entity = :entity, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': by, ':entity': entity, ':expiresAt': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count);
  }
}

/** Two minutes after the window opens: long enough to be read while it counts, short enough to cost nothing. */
const minuteWindowExpiry = (epochMinute: number): number => (epochMinute + 2) * MINUTE_S;
