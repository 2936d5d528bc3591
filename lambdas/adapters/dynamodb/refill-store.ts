// Refills: the claim on the order (one refill per cooldown) and the refill items themselves.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall, marshall } from '@aws-sdk/util-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Refill, RefillStatus } from '../../orders/domain/refills.js';
import type { RefillStore } from '../../orders/ports.js';
import { keys } from './keys.js';
import { batchGetPages } from './order-reads.js';

export class DynamoRefillStore implements RefillStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserveRefill(orderId: number, at: string, cooldownStartsAfter: string): Promise<{ reserved: true; previous?: string } | { reserved: false }> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.order(orderId),
          UpdateExpression: 'SET lastRefillAt = :at',
          ConditionExpression: 'phase = :finalized AND (attribute_not_exists(lastRefillAt) OR lastRefillAt < :cooldown)',
          ExpressionAttributeValues: { ':at': at, ':finalized': 'finalized', ':cooldown': cooldownStartsAfter },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return typeof Attributes?.lastRefillAt === 'string' ? { reserved: true, previous: Attributes.lastRefillAt } : { reserved: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { reserved: false };
      throw error;
    }
  }

  async releaseRefill(orderId: number, at: string, previous?: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.order(orderId),
          UpdateExpression: previous ? 'SET lastRefillAt = :previous' : 'REMOVE lastRefillAt',
          ConditionExpression: 'lastRefillAt = :at',
          ExpressionAttributeValues: { ':at': at, ...(previous ? { ':previous': previous } : {}) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async putRefill(refill: Refill): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.refill(refill.id), entity: 'refill', ...refill },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getRefills(ids: number[]): Promise<Map<number, Refill>> {
    const found = new Map<number, Refill>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      const pages = batchGetPages(this.db, { RequestItems: { [this.tableName]: { Keys: unique.slice(i, i + 100).map((id) => marshall(keys.refill(id))) } } });
      for await (const page of pages) {
        for (const item of page.Responses?.[this.tableName] ?? []) {
          const { pk: _pk, sk: _sk, entity: _entity, ...refill } = unmarshall(item);
          found.set(Number(refill.id), refill as Refill);
        }
      }
    }
    return found;
  }

  async updateRefillStatus(id: number, status: RefillStatus, now: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.refill(id),
        UpdateExpression: 'SET #status = :status, checkedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':now': now },
      }),
    );
  }
}
