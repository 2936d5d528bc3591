// The catalog as the admin API and the audit log show it: money as decimal strings, no secret names. And the
// rules a service must keep whoever writes it (an admin edit or a provider sync). Pure.
import { DomainError } from '../../shared/errors.js';
import { formatMoney, subtractMoney } from '../../shared/money.js';
import { type Provider, type Service, mappingsOf, providerStatusOf } from './catalog.js';

export function serviceRecord(service: Service): Record<string, unknown> {
  return {
    id: service.id,
    name: service.name,
    category: service.category,
    type: service.type,
    ...(service.description !== undefined ? { description: service.description } : {}),
    rate: formatMoney(service.ratePer1000, 2),
    ...(service.costPer1000 !== undefined
      ? { cost: formatMoney(service.costPer1000, 2), margin: formatMoney(subtractMoney(service.ratePer1000, service.costPer1000), 2) }
      : {}),
    min: service.min,
    max: service.max,
    refill: service.refill,
    cancel: service.cancel,
    dripfeed: service.dripfeed,
    exclusiveLink: service.exclusiveLink === true,
    ...(service.refillDays !== undefined ? { refillDays: service.refillDays } : {}),
    ...(service.expectedMinutes !== undefined ? { expectedMinutes: service.expectedMinutes } : {}),
    ...(service.packageSize !== undefined ? { packageSize: service.packageSize } : {}),
    providerId: service.providerId,
    providerServiceId: service.providerServiceId,
    fallbacks: (service.fallbacks ?? []).map((f) => ({
      providerId: f.providerId,
      providerServiceId: f.providerServiceId,
      ...(f.costPer1000 !== undefined ? { cost: formatMoney(f.costPer1000, 2) } : {}),
    })),
    enabled: service.enabled,
    ...(service.updatedAt !== undefined ? { updatedAt: service.updatedAt } : {}),
  };
}

/** Never the key or the callback secret, nor where they are kept: only whether a callback secret is set. */
export function providerRecord(provider: Provider): Record<string, unknown> {
  return {
    id: provider.id,
    name: provider.name,
    apiUrl: provider.apiUrl,
    timeoutMs: provider.timeoutMs,
    acceptsRequestId: provider.acceptsRequestId,
    status: providerStatusOf(provider),
    callbacks: provider.callbackSecretId !== undefined,
    ...(provider.statusMapping !== undefined && Object.keys(provider.statusMapping).length > 0 ? { statusMapping: provider.statusMapping } : {}),
    ...(provider.updatedAt !== undefined ? { updatedAt: provider.updatedAt } : {}),
  };
}

/** What changed between two records (top-level fields), for an audit entry's before and after. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changed = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (name === 'updatedAt') continue;
    if (JSON.stringify(before[name]) === JSON.stringify(after[name])) continue;
    if (name in before) changed.before[name] = before[name];
    if (name in after) changed.after[name] = after[name];
  }
  return changed;
}

/** Refuses a service that cannot be ordered sensibly; `field` names what to fix. */
export function checkService(service: Service): void {
  const fail = (field: string, message: string): never => {
    throw new DomainError('invalid_request', message, field);
  };
  if (service.name.trim() === '') fail('name', 'A service needs a name');
  if (!Number.isSafeInteger(service.min) || service.min < 1) fail('min', 'min must be a whole number of at least 1');
  if (!Number.isSafeInteger(service.max) || service.max < service.min) fail('max', 'max must be a whole number not below min');
  if (service.ratePer1000 < 0) fail('rate', 'A rate cannot be negative');
  if (service.dripfeed && service.type !== 'Default') fail('dripfeed', 'Only Default services take drip-feed');
  const seen = new Set<string>();
  for (const [index, mapping] of mappingsOf(service).entries()) {
    const field = index === 0 ? 'providerId' : `fallbacks.${index - 1}.providerId`;
    if (seen.has(mapping.providerId)) fail(field, `Provider ${mapping.providerId} is named twice: each provider once, in the order to try them`);
    seen.add(mapping.providerId);
    if (mapping.costPer1000 !== undefined && mapping.costPer1000 < 0) fail(index === 0 ? 'cost' : `fallbacks.${index - 1}.cost`, 'A cost cannot be negative');
  }
}
