// POST /providers/{id}/sync: the provider's `services` list against our catalog (domain/provider-sync.ts). A dry
// run only answers the plan; otherwise each service's change is its own transaction with its audit entry and price
// history item, and one `provider.synced` entry sums it up. Running it again finds nothing left to do.
import type { Service } from '../../catalog/domain/catalog.js';
import { changedFields, serviceRecord } from '../../catalog/domain/catalog-records.js';
import { type MarkupRule, parseMarkup } from '../../catalog/domain/markup.js';
import { type SyncPlan, planSync } from '../../catalog/domain/provider-sync.js';
import type { CatalogAdminStore, ProviderClients } from '../../catalog/ports.js';
import type { AuditLog } from '../../audit/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import { type Actor, catalogAudit } from './catalog-audit.js';
import { nextId, priceChange } from './catalog-services.js';

export interface SyncServices {
  store: CatalogAdminStore;
  clients: ProviderClients;
  audit: AuditLog;
  clock: Clock;
}

export interface SyncRequest {
  dryRun: boolean;
  markup: MarkupRule;
  categories?: string[];
  reprice?: boolean;
}

export interface SyncResult {
  dryRun: boolean;
  plan: SyncPlan;
  /** Applied runs: the ids given to the added services, in the plan's order. */
  addedIds: number[];
  /** Applied runs: services another change got to first (left as they were; sync again). */
  conflicts: number[];
}

/** Undefined when there is no such provider. */
export async function syncProvider(deps: SyncServices, actor: Actor, providerId: string, request: SyncRequest): Promise<SyncResult | undefined> {
  const markup = parseMarkup(request.markup);
  const provider = await deps.store.provider(providerId);
  if (!provider) return undefined;
  const listing = await (await deps.clients.forProvider(provider)).services();
  const services = await deps.store.services();
  const plan = planSync(services, listing, {
    providerId,
    markup,
    ...(request.categories ? { categories: request.categories } : {}),
    ...(request.reprice ? { reprice: true } : {}),
  });
  const result: SyncResult = { dryRun: request.dryRun, plan, addedIds: [], conflicts: [] };
  if (request.dryRun) return result;

  const reason = `sync from provider ${providerId}`;
  let id = nextId(services);
  for (const fields of plan.added) {
    // The next id may be taken by a create running meanwhile: then the one after it.
    for (let attempt = 0; ; attempt++) {
      if (attempt === 20) throw new DomainError('catalog_busy', 'Services are being created too fast to import more now; sync again');
      const at = deps.clock.now().toISOString();
      const service: Service = { ...fields, id, version: 1, updatedAt: at };
      const saved = await deps.store.saveService({
        after: service,
        price: priceChange(actor, at, undefined, service, 'sync')!,
        audit: catalogAudit(actor, at, { action: 'service.created', subjectType: 'service', subject: String(id), reason, after: serviceRecord(service) }),
      });
      id++;
      if (saved) {
        result.addedIds.push(service.id);
        break;
      }
    }
  }
  const update = async (before: Service, after: Service, action: string, why: string) => {
    const at = deps.clock.now().toISOString();
    const next = { ...after, version: (before.version ?? 0) + 1, updatedAt: at };
    const price = priceChange(actor, at, before, next, 'sync');
    const saved = await deps.store.saveService({
      before,
      after: next,
      ...(price ? { price } : {}),
      audit: catalogAudit(actor, at, {
        action,
        subjectType: 'service',
        subject: String(before.id),
        reason: why,
        ...changedFields(serviceRecord(before), serviceRecord(next)),
      }),
    });
    if (!saved) result.conflicts.push(before.id);
  };
  for (const change of plan.changed) {
    await update(
      change.service,
      { ...change.service, costPer1000: change.costAfter, ratePer1000: change.rateAfter },
      'service.updated',
      `${reason}: cost changed upstream`,
    );
  }
  for (const service of plan.disappeared) {
    await update(service, { ...service, enabled: false }, 'service.disabled', `${reason}: gone from the provider's services`);
  }
  await deps.audit.record(
    catalogAudit(actor, deps.clock.now().toISOString(), {
      action: 'provider.synced',
      subjectType: 'provider',
      subject: providerId,
      after: {
        markup: request.markup,
        ...(request.categories ? { categories: request.categories } : {}),
        reprice: request.reprice === true,
        added: result.addedIds,
        changed: result.plan.changed.map((c) => c.service.id),
        disappeared: result.plan.disappeared.map((s) => s.id),
        conflicts: result.conflicts,
      },
    }),
  );
  return result;
}
