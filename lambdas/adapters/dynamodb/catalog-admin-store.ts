// The admin API's side of the catalog: fresh reads of the `CATALOG` partition (the order path's store caches it for
// 30 s) and writes that carry their audit entry, and for a price change its history item, in one transaction.
import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Provider, Service } from '../../catalog/domain/catalog.js';
import type { CatalogAdminStore, CatalogChange, PriceChange } from '../../catalog/ports.js';
import { micros } from '../../shared/money.js';
import { auditPut } from './audit-log.js';
import { keys } from './keys.js';

export class DynamoCatalogAdminStore implements CatalogAdminStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async services(): Promise<Service[]> {
    return (await this.catalogItems('SERVICE#')).map(toService).sort((a, b) => a.id - b.id);
  }

  async service(id: number): Promise<Service | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.service(id), ConsistentRead: true }));
    return Item ? toService(Item) : undefined;
  }

  async providers(): Promise<Provider[]> {
    return (await this.catalogItems('PROVIDER#')).map(toProvider).sort((a, b) => a.id.localeCompare(b.id));
  }

  async provider(id: string): Promise<Provider | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.provider(id), ConsistentRead: true }));
    return Item ? toProvider(Item) : undefined;
  }

  async saveService(change: CatalogChange<Service> & { price?: PriceChange; idempotencyKey?: string }): Promise<boolean> {
    const { after, price, idempotencyKey } = change;
    return this.transact([
      { Put: { TableName: this.tableName, Item: { ...keys.service(after.id), entity: 'service', ...after }, ...versionCondition(change.before) } },
      ...(price
        ? [{ Put: { TableName: this.tableName, Item: { ...keys.priceChange(price.serviceId, nonced(price.at)), entity: 'price-change', ...price } } }]
        : []),
      ...(idempotencyKey
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.idempotency('admin-service', idempotencyKey), entity: 'idempotency', serviceId: after.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      auditPut(this.tableName, change.audit),
    ]);
  }

  async serviceOfKey(idempotencyKey: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency('admin-service', idempotencyKey), ConsistentRead: true }),
    );
    return Item ? Number(Item.serviceId) : undefined;
  }

  async saveProvider(change: CatalogChange<Provider>): Promise<boolean> {
    const { after } = change;
    return this.transact([
      { Put: { TableName: this.tableName, Item: { ...keys.provider(after.id), entity: 'provider', ...after }, ...versionCondition(change.before) } },
      auditPut(this.tableName, change.audit),
    ]);
  }

  async priceHistory(serviceId: number): Promise<PriceChange[]> {
    const changes: PriceChange[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.priceHistory(serviceId) },
          ScanIndexForward: false,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
        changes.push(rest as PriceChange);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return changes;
  }

  private async catalogItems(prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.catalog, ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  private async transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>): Promise<boolean> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      throw error;
    }
  }
}

/** A create must find the key free; a change must find the version it read (items from before versions: none). */
function versionCondition(before: { version?: number } | undefined) {
  if (!before) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (before.version === undefined) return { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' };
  return { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': before.version } };
}

function nonced(at: string): string {
  return `${at}#${randomBytes(4).toString('hex')}`;
}

function toService(item: Record<string, unknown>): Service {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  const service = rest as unknown as Service;
  return {
    ...service,
    id: Number(service.id),
    ratePer1000: micros(Number(service.ratePer1000)),
    ...(service.costPer1000 !== undefined ? { costPer1000: micros(Number(service.costPer1000)) } : {}),
    ...(service.fallbacks
      ? { fallbacks: service.fallbacks.map((f) => ({ ...f, ...(f.costPer1000 !== undefined ? { costPer1000: micros(Number(f.costPer1000)) } : {}) })) }
      : {}),
  };
}

function toProvider(item: Record<string, unknown>): Provider {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as unknown as Provider;
}
