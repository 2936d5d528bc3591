// The admin API's services: list, create, edit, enable, disable, and each service's price history. Every change is
// one transaction with its audit entry (and its price history item when the rate or cost moved), conditioned on the
// version it read; a lost race is read again and applied again, so a retried request lands once.
import type { ProviderMapping, Service } from '../../catalog/domain/catalog.js';
import { changedFields, checkService, serviceRecord } from '../../catalog/domain/catalog-records.js';
import type { CatalogAdminStore, PriceChange } from '../../catalog/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import { type Actor, catalogAudit } from './catalog-audit.js';

export interface CatalogServices {
  store: CatalogAdminStore;
  clock: Clock;
}

/** What an admin sets on a service; the id, version and times are the catalog's. */
export type ServiceFields = Omit<Service, 'id' | 'version' | 'updatedAt' | 'enabled'> & { enabled?: boolean };

/** A PATCH: absent fields stay; `null` removes an optional one. */
export type ServicePatch = { [K in keyof ServiceFields]?: ServiceFields[K] | null };

const ATTEMPTS = 5;

export function listServices(deps: CatalogServices): Promise<Service[]> {
  return deps.store.services();
}

export async function createService(
  deps: CatalogServices,
  actor: Actor,
  fields: ServiceFields,
  idempotencyKey?: string,
): Promise<{ service: Service; replayed: boolean }> {
  const replay = async () => {
    const id = idempotencyKey ? await deps.store.serviceOfKey(idempotencyKey) : undefined;
    const service = id === undefined ? undefined : await deps.store.service(id);
    return service ? { service, replayed: true } : undefined;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  await requireProviders(deps.store, fields);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const services = await deps.store.services();
    const at = deps.clock.now().toISOString();
    const service: Service = { ...withoutNulls(fields), enabled: fields.enabled ?? true, id: nextId(services), version: 1, updatedAt: at };
    checkService(service);
    const saved = await deps.store.saveService({
      after: service,
      price: priceChange(actor, at, undefined, service),
      audit: catalogAudit(actor, at, { action: 'service.created', subjectType: 'service', subject: String(service.id), after: serviceRecord(service) }),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    if (saved) return { service, replayed: false };
    const replayed = await replay();
    if (replayed) return replayed;
  }
  throw busy();
}

/** Undefined when there is no such service. */
export async function editService(
  deps: CatalogServices,
  actor: Actor,
  id: number,
  patch: ServicePatch,
  action = 'service.updated',
  reason?: string,
): Promise<Service | undefined> {
  if (patch.providerId !== undefined || patch.fallbacks !== undefined) await requireProviders(deps.store, patch);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await deps.store.service(id);
    if (!before) return undefined;
    const at = deps.clock.now().toISOString();
    const after = applyPatch(before, patch, at);
    checkService(after);
    const changes = changedFields(serviceRecord(before), serviceRecord(after));
    if (Object.keys(changes.after).length === 0 && Object.keys(changes.before).length === 0) return before;
    const price = priceChange(actor, at, before, after);
    const saved = await deps.store.saveService({
      before,
      after,
      ...(price ? { price } : {}),
      audit: catalogAudit(actor, at, { action, subjectType: 'service', subject: String(id), ...changes, ...(reason ? { reason } : {}) }),
    });
    if (saved) return after;
  }
  throw busy();
}

export function setServiceEnabled(deps: CatalogServices, actor: Actor, id: number, enabled: boolean): Promise<Service | undefined> {
  return editService(deps, actor, id, { enabled }, enabled ? 'service.enabled' : 'service.disabled');
}

/** Undefined when there is no such service (a deleted one keeps no history reachable from here). */
export async function priceHistory(deps: CatalogServices, id: number): Promise<PriceChange[] | undefined> {
  const [service, changes] = await Promise.all([deps.store.service(id), deps.store.priceHistory(id)]);
  return service ? changes : undefined;
}

export function nextId(services: readonly Pick<Service, 'id'>[]): number {
  return services.reduce((max, s) => Math.max(max, s.id), 0) + 1;
}

/** The history item of a change, when the rate or the cost moved (or the service is new). */
export function priceChange(
  actor: Actor,
  at: string,
  before: Service | undefined,
  after: Service,
  source: PriceChange['source'] = 'admin',
): PriceChange | undefined {
  if (before && before.ratePer1000 === after.ratePer1000 && before.costPer1000 === after.costPer1000) return undefined;
  const prices = (s: Service) => ({ ratePer1000: s.ratePer1000, ...(s.costPer1000 !== undefined ? { costPer1000: s.costPer1000 } : {}) });
  return {
    serviceId: after.id,
    at,
    by: actor.caller.userId,
    ...(actor.caller.email ? { byEmail: actor.caller.email } : {}),
    source,
    ...(before ? { before: prices(before) } : {}),
    after: prices(after),
  };
}

function applyPatch(before: Service, patch: ServicePatch, at: string): Service {
  const after: Record<string, unknown> = { ...before };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete after[name];
    else after[name] = value;
  }
  return { ...(after as unknown as Service), id: before.id, version: (before.version ?? 0) + 1, updatedAt: at };
}

function withoutNulls<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null)) as T;
}

/** Every provider a service maps to must exist (it may be disabled: the mapping is tried in order). */
async function requireProviders(store: CatalogAdminStore, fields: Partial<Pick<Service, 'providerId' | 'fallbacks'>> | ServicePatch): Promise<void> {
  const mappings: Partial<ProviderMapping>[] = [...(fields.providerId ? [{ providerId: fields.providerId }] : []), ...(fields.fallbacks ?? [])];
  const known = new Set((await store.providers()).map((p) => p.id));
  for (const [index, mapping] of mappings.entries()) {
    if (mapping.providerId && !known.has(mapping.providerId)) {
      const field = fields.providerId && index === 0 ? 'providerId' : `fallbacks.${index - (fields.providerId ? 1 : 0)}.providerId`;
      throw new DomainError('unknown_provider', `There is no provider ${mapping.providerId}`, field);
    }
  }
}

function busy(): DomainError {
  return new DomainError('catalog_busy', 'The catalog changed while this was being saved; try again');
}
