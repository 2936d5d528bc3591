// What importing a provider's `services` list would change in our catalog: services to add (marked up), services
// whose cost changed upstream, and services that disappeared upstream. Pure: the use case applies the plan.
import type { ProviderServiceListing } from '../ports.js';
import type { Service } from './catalog.js';
import { type Markup, markUp, readUpstreamRate } from './markup.js';
import { parseServiceType } from './service-types.js';
import type { Micros } from '../../shared/money.js';

export type NewService = Omit<Service, 'id'>;

export interface SyncPlan {
  /** Upstream services none of ours maps to (as primary provider), within the categories asked for. */
  added: NewService[];
  /** Ours whose upstream cost changed: the new cost, and the new price only when repricing was asked. */
  changed: { service: Service; costBefore?: Micros; costAfter: Micros; rateAfter: Micros }[];
  /** Ours, still enabled, whose upstream service is gone: disabled by the sync. */
  disappeared: Service[];
  /** Upstream services that cannot be imported, and why. */
  skipped: { providerServiceId: string; name: string; reason: string }[];
}

export interface SyncOptions {
  providerId: string;
  markup: Markup;
  /** Upstream categories to import from (as the provider spells them, any case); all when absent. */
  categories?: string[];
  /** Apply the markup to changed services too; by default their price stays and only the cost follows. */
  reprice?: boolean;
}

export function planSync(ours: readonly Service[], listing: readonly ProviderServiceListing[], options: SyncOptions): SyncPlan {
  const mapped = new Map<string, Service>();
  for (const service of ours) if (service.providerId === options.providerId) mapped.set(service.providerServiceId, service);
  const wanted = options.categories ? new Set(options.categories.map((c) => c.trim().toLowerCase())) : undefined;
  const upstreamIds = new Set<string>();
  const plan: SyncPlan = { added: [], changed: [], disappeared: [], skipped: [] };

  for (const row of listing) {
    const id = row.service.trim();
    if (id === '' || upstreamIds.has(id)) continue;
    upstreamIds.add(id);
    const cost = readUpstreamRate(row.rate);
    const existing = mapped.get(id);
    if (existing) {
      if (cost !== undefined && cost !== existing.costPer1000) {
        plan.changed.push({
          service: existing,
          ...(existing.costPer1000 !== undefined ? { costBefore: existing.costPer1000 } : {}),
          costAfter: cost,
          rateAfter: options.reprice ? markUp(cost, options.markup) : existing.ratePer1000,
        });
      }
      continue;
    }
    if (wanted && !wanted.has(row.category.trim().toLowerCase())) continue;
    const skip = (reason: string) => plan.skipped.push({ providerServiceId: id, name: row.name, reason });
    const type = parseServiceType(row.type);
    if (!type) {
      skip(`type ${JSON.stringify(row.type)} is not supported`);
      continue;
    }
    if (cost === undefined) {
      skip(`rate ${JSON.stringify(row.rate)} is not a decimal`);
      continue;
    }
    if (!(row.min >= 1 && row.max >= row.min)) {
      skip(`min ${row.min} and max ${row.max} are not a range`);
      continue;
    }
    plan.added.push({
      name: row.name.slice(0, 200) || `${options.providerId} ${id}`,
      type,
      category: row.category.slice(0, 100),
      ratePer1000: markUp(cost, options.markup),
      costPer1000: cost,
      min: row.min,
      max: row.max,
      refill: row.refill,
      cancel: row.cancel,
      dripfeed: row.dripfeed === true && type === 'Default',
      enabled: true,
      providerId: options.providerId,
      providerServiceId: id,
    });
  }
  for (const [id, service] of mapped) if (!upstreamIds.has(id) && service.enabled) plan.disappeared.push(service);
  return plan;
}
