// What the admin provider list shows of each provider's health: the poller's health item (one read) and its open
// orders, counted on the sparse open-orders index (Select COUNT: billed for the index entries read, about 0.5 read
// units per 4 KB of them, so a few hundred open orders cost one or two units).
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ProviderFigures } from '../../catalog/ports.js';
import type { ProviderHealthState } from '../../orders/domain/provider-health.js';
import { keys } from './keys.js';
import { DynamoProviderHealthStore } from './provider-health-store.js';
import { TABLE_DESIGN } from './table-design.js';

export class DynamoProviderFigures implements ProviderFigures {
  private readonly healthStore: DynamoProviderHealthStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.healthStore = new DynamoProviderHealthStore(db, tableName);
  }

  health(providerId: string): Promise<ProviderHealthState | undefined> {
    return this.healthStore.get(providerId);
  }

  async openOrders(providerId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE_DESIGN.openOrdersIndex.name,
          KeyConditionExpression: 'openPk = :pk',
          ExpressionAttributeValues: { ':pk': keys.openOrders(providerId) },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
