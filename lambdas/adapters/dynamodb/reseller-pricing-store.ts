// Resellers' wholesale prices on `USER#<id>/PRICING`. Order placement reads them through a per-container cache (30 s,
// like the catalog; owners without pricing are cached too), so an order adds at most one GetItem per owner and
// container every 30 s. The admin API reads them uncached and writes them with their audit entry in one transaction.
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { ResellerPricing } from '../../orders/domain/reseller-pricing.js';
import type { ResellerPrices } from '../../orders/ports.js';
import { micros } from '../../shared/money.js';
import LRUCache from '../../shared/lru-cache.js';
import { auditPut } from './audit-log.js';
import { keys } from './keys.js';

interface Cached {
  pricing: Promise<ResellerPricing | undefined>;
  loadedAt: number;
}

export class DynamoResellerPricing implements ResellerPrices {
  private readonly cache = new LRUCache<string, Cached>(10_000);

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheTtlMs = 30_000,
  ) {}

  pricingOf(ownerId: string): Promise<ResellerPricing | undefined> {
    const cached = this.cache.get(ownerId);
    if (cached && Date.now() - cached.loadedAt < this.cacheTtlMs) return cached.pricing;
    const pricing = this.read(ownerId, false);
    this.cache.set(ownerId, { pricing, loadedAt: Date.now() });
    // A failed read is not kept: the next order reads again.
    pricing.catch(() => {
      if (this.cache.peek(ownerId)?.pricing === pricing) this.cache.set(ownerId, { pricing, loadedAt: Number.NEGATIVE_INFINITY });
    });
    return pricing;
  }

  /** The pricing as stored now (consistent): what the admin API shows and changes. */
  current(ownerId: string): Promise<ResellerPricing | undefined> {
    return this.read(ownerId, true);
  }

  async put(ownerId: string, pricing: ResellerPricing, audit: AuditEntry): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              // No empty map: the local stack's stream reader cannot read one back from DynamoDB Local.
              Item: {
                ...keys.resellerPricing(ownerId),
                entity: 'reseller-pricing',
                ownerId,
                tier: pricing.tier,
                discountBasisPoints: pricing.discountBasisPoints,
                updatedAt: pricing.updatedAt,
                ...(Object.keys(pricing.rates).length > 0 ? { rates: { ...pricing.rates } } : {}),
              },
            },
          },
          auditPut(this.tableName, audit),
        ],
      }),
    );
    this.cache.set(ownerId, { pricing: Promise.resolve(pricing), loadedAt: Date.now() });
  }

  private async read(ownerId: string, consistent: boolean): Promise<ResellerPricing | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.resellerPricing(ownerId), ConsistentRead: consistent }));
    if (!Item) return undefined;
    const rates: Record<string, ReturnType<typeof micros>> = {};
    for (const [serviceId, rate] of Object.entries((Item.rates ?? {}) as Record<string, unknown>)) rates[serviceId] = micros(Number(rate));
    return { tier: String(Item.tier), discountBasisPoints: Number(Item.discountBasisPoints ?? 0), rates, updatedAt: String(Item.updatedAt) };
  }
}
