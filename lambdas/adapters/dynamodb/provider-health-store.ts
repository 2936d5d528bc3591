// The poller's memory of each provider (ProviderHealthStore): `HEALTH#<providerId>` / `HEALTH`, one item read per
// poller run (0.5 read units) and written only when its content changes (see docs/operations.md for the cost).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderHealthState } from '../../orders/domain/provider-health.js';
import type { ProviderHealthStore } from '../../orders/ports.js';
import { keys } from './keys.js';

export class DynamoProviderHealthStore implements ProviderHealthStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(providerId: string): Promise<ProviderHealthState | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.providerHealth(providerId) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...state } = Item;
    return state as ProviderHealthState;
  }

  async put(state: ProviderHealthState): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.providerHealth(state.providerId), entity: 'provider-health', ...state, version: state.version + 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': state.version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
