// Services and providers live in one partition ("CATALOG"): the whole catalog is one Query, cached briefly
// per container because every `add` and `services` call needs it.
import { type DynamoDBDocumentClient, paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Provider, Service } from '../../catalog/domain/catalog.js';
import { micros } from '../../shared/money.js';
import type { CatalogStore } from '../../catalog/ports.js';
import { keys } from './keys.js';

interface CatalogSnapshot {
  services: Map<number, Service>;
  providers: Map<string, Provider>;
  loadedAt: number;
}

export class DynamoCatalogStore implements CatalogStore {
  private snapshot: Promise<CatalogSnapshot> | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheTtlMs = 30_000,
  ) {}

  async getService(id: number): Promise<Service | undefined> {
    return (await this.load()).services.get(id);
  }

  async listServices(): Promise<Service[]> {
    return [...(await this.load()).services.values()];
  }

  async getProvider(id: string): Promise<Provider | undefined> {
    return (await this.load()).providers.get(id);
  }

  async listProviders(): Promise<Provider[]> {
    return [...(await this.load()).providers.values()];
  }

  async putService(service: Service): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.service(service.id), entity: 'service', ...service } }));
    this.snapshot = undefined;
  }

  async putProvider(provider: Provider): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.provider(provider.id), entity: 'provider', ...provider } }));
    this.snapshot = undefined;
  }

  private async load(): Promise<CatalogSnapshot> {
    const current = this.snapshot;
    if (current) {
      const snapshot = await current.catch(() => undefined);
      if (snapshot && Date.now() - snapshot.loadedAt < this.cacheTtlMs) return snapshot;
      if (this.snapshot !== current) return this.load();
    }
    const loading = this.query();
    this.snapshot = loading;
    return loading;
  }

  private async query(): Promise<CatalogSnapshot> {
    const services = new Map<number, Service>();
    const providers = new Map<string, Provider>();
    const pages = paginateQuery(
      { client: this.db },
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.catalog } },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, entity, ...rest } = item;
        if (entity === 'service') {
          const service = rest as Service;
          services.set(Number(service.id), {
            ...service,
            id: Number(service.id),
            ratePer1000: micros(Number(service.ratePer1000)),
            ...(service.costPer1000 !== undefined ? { costPer1000: micros(Number(service.costPer1000)) } : {}),
          });
        } else if (entity === 'provider') {
          const provider = rest as Provider;
          providers.set(provider.id, provider);
        }
      }
    }
    return { services, providers, loadedAt: Date.now() };
  }
}
