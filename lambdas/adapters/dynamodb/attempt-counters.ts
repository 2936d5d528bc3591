// Counters of attempts that fade a while after the last one (failed logins, emails asked for): one UpdateItem ADD
// each, reserved before the attempt (ADD first, then decide on the count it returns), so concurrent attempts
// cannot all see the same count. Each item carries `expiresAt` so DynamoDB's TTL clears it; readers compare
// lastFailureAt themselves, since TTL deletion lags.
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AttemptCounters } from '../../customers/ports.js';
import type { FailureCount } from '../../customers/domain/login-throttle.js';
import { batchGetAll } from './batches.js';
import { keys } from './keys.js';

export class DynamoAttemptCounters implements AttemptCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(counterKeys: readonly string[]): Promise<Map<string, FailureCount>> {
    const found = new Map<string, FailureCount>();
    if (counterKeys.length === 0) return found;
    // Every key read: a counter left unprocessed (throttling) and taken as none would let attempts past the limit.
    const responses = await batchGetAll(this.db, { [this.tableName]: { Keys: counterKeys.map((key) => keys.attempts(key)), ConsistentRead: true } });
    for (const item of responses[this.tableName] ?? []) {
      found.set(String(item.counterKey), { count: Number(item.count), lastFailureAt: Number(item.lastFailureAt) });
    }
    return found;
  }

  async reserve(counterKey: string, now: number, windowSeconds: number): Promise<FailureCount> {
    const fresh = now - windowSeconds * 1000;
    const values = { ':one': 1, ':now': now, ':expires': Math.ceil(now / 1000) + windowSeconds, ':entity': 'attempt-counter', ':key': counterKey };
    for (let attempt = 1; ; attempt++) {
      try {
        // One atomic ADD: concurrent attempts each get a count of their own. SET's right-hand side reads the item
        // as it was, so priorAt is the time of the attempt before this one.
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.attempts(counterKey),
            UpdateExpression:
              'ADD #count :one SET priorAt = if_not_exists(lastFailureAt, :zero), lastFailureAt = :now, expiresAt = :expires, entity = :entity, counterKey = :key',
            ConditionExpression: 'attribute_not_exists(pk) OR lastFailureAt > :fresh',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ...values, ':fresh': fresh, ':zero': 0 },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        const count = Number(Attributes?.count) - 1;
        return { count, lastFailureAt: count > 0 ? Number(Attributes?.priorAt) : 0 };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      try {
        // The count has faded: start again at one, once (a concurrent attempt that finds it restarted adds to it).
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.attempts(counterKey),
            UpdateExpression: 'SET #count = :one, priorAt = :zero, lastFailureAt = :now, expiresAt = :expires, entity = :entity, counterKey = :key',
            ConditionExpression: 'lastFailureAt <= :fresh',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ...values, ':fresh': fresh, ':zero': 0 },
          }),
        );
        return { count: 0, lastFailureAt: 0 };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException' || attempt >= 5) throw error;
      }
    }
  }

  async release(counterKey: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.attempts(counterKey),
          UpdateExpression: 'ADD #count :minusOne',
          ConditionExpression: 'attribute_exists(pk) AND #count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      // Cleared (or restarted) meanwhile: nothing to give back.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async clear(counterKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.attempts(counterKey) }));
  }
}
