// The usage key consumer's reads and writes of `USER#<id>/PROFILE`: a consistent read of what decides the key, and
// the key written back only while the profile still asks for the tier it was made for.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageKeyProfile, UsageKeyProfiles } from '../../access/ports.js';
import { keys } from './keys.js';

export class DynamoUsageKeyProfiles implements UsageKeyProfiles {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<UsageKeyProfile | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.user(userId),
        ConsistentRead: true,
        ProjectionExpression: 'id, #role, tier, apiGatewayKey, apiGatewayKeyRefusedFor',
        ExpressionAttributeNames: { '#role': 'role' },
      }),
    );
    if (!Item) return undefined;
    return {
      id: String(Item.id),
      role: String(Item.role),
      ...(typeof Item.tier === 'string' ? { tier: Item.tier } : {}),
      ...(Item.apiGatewayKey ? { apiGatewayKey: Item.apiGatewayKey as UsageKeyProfile['apiGatewayKey'] & object } : {}),
      ...(typeof Item.apiGatewayKeyRefusedFor === 'string' ? { apiGatewayKeyRefusedFor: Item.apiGatewayKeyRefusedFor } : {}),
    };
  }

  recordKey(userId: string, key: { id: string; value: string; tier: string }, at: string): Promise<'recorded' | 'tier_changed'> {
    return this.update(userId, key.tier, 'SET apiGatewayKey = :key, apiGatewayKeyAt = :at REMOVE apiGatewayKeyRefusedFor', {
      ':key': { id: key.id, value: key.value, tier: key.tier },
      ':at': at,
    });
  }

  recordRefused(userId: string, tier: string, at: string): Promise<'recorded' | 'tier_changed'> {
    return this.update(userId, tier, 'SET apiGatewayKeyRefusedFor = :tier, apiGatewayKeyAt = :at', { ':at': at });
  }

  private async update(userId: string, tier: string, expression: string, values: Record<string, unknown>): Promise<'recorded' | 'tier_changed'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.user(userId),
          UpdateExpression: expression,
          ConditionExpression: 'tier = :tier',
          ExpressionAttributeValues: { ...values, ':tier': tier },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'tier_changed';
      throw error;
    }
  }
}
