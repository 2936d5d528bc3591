// A reseller's wholesale prices and tier, set by an admin: custom rates per service, else a discount on the catalog
// rate (orders/domain/reseller-pricing.ts decides the rate an order pays). A tier change is written on the profile
// (the assignUsageKeys consumer then moves the API Gateway key to the tier's usage plan, from the table's stream) and
// moves the API keys to the tier's limits.
import type { ApiKeyDetails, UserRecord } from '../../access/ports.js';
import { isTierName } from '../../access/domain/tiers.js';
import type { CatalogStore } from '../../catalog/ports.js';
import { formatDiscountPercent, parseDiscountPercent, type ResellerPricing } from '../../orders/domain/reseller-pricing.js';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { DomainError } from '../../shared/errors.js';
import { formatMoney, type Micros, parseMoney } from '../../shared/money.js';
import type { Clock } from '../../shared/ports.js';
import type { ActingAdmin, UserDirectory } from '../users-ports.js';

export interface PricingDeps {
  users: { get(id: string): Promise<UserRecord | undefined> };
  directory: Pick<UserDirectory, 'setTier'>;
  pricing: { current(ownerId: string): Promise<ResellerPricing | undefined>; put(ownerId: string, pricing: ResellerPricing, audit: AuditEntry): Promise<void> };
  catalog: Pick<CatalogStore, 'getService'>;
  keys: {
    listApiKeys(ownerId: string): Promise<ApiKeyDetails[]>;
    setTier(ownerId: string, keyId: string, tier: string, options: ActingAdmin): Promise<unknown>;
  };
  clock: Clock;
}

export interface PricingInput {
  tier: string;
  discountPercent?: string;
  /** Rate per 1,000 (or per package) by service id, decimal strings. */
  rates?: Record<string, string>;
}

export async function setResellerPricing(deps: PricingDeps, userId: string, input: PricingInput, admin: ActingAdmin): Promise<ResellerPricing> {
  const user = await deps.users.get(userId);
  if (!user) throw new DomainError('unknown_user', 'No such user');
  // Wholesale prices and tiers are a reseller's; a customer's account pays the catalog rate.
  if (user.role !== 'reseller') throw new DomainError('not_a_reseller', `User ${userId} is a ${user.role}, not a reseller: pricing is for resellers only`);
  if (!isTierName(input.tier)) throw new DomainError('invalid_request', `Unknown tier "${input.tier}"`, 'tier');
  const discountBasisPoints = input.discountPercent === undefined ? 0 : parseDiscountPercent(input.discountPercent);
  const rates: Record<string, Micros> = {};
  for (const [serviceId, text] of Object.entries(input.rates ?? {})) {
    const field = `rates.${serviceId}`;
    if (!/^\d{1,9}$/.test(serviceId) || !(await deps.catalog.getService(Number(serviceId))))
      throw new DomainError('unknown_service', `No service ${serviceId} in the catalog`, field);
    const rate = parseMoney(text, field);
    if (rate <= 0) throw new DomainError('invalid_amount', 'A rate is above zero', field);
    rates[String(Number(serviceId))] = rate;
  }
  const at = deps.clock.now().toISOString();
  const before = await deps.pricing.current(userId);
  const pricing: ResellerPricing = { tier: input.tier, discountBasisPoints, rates, updatedAt: at };
  await deps.pricing.put(userId, pricing, {
    ...admin,
    action: 'user.pricing_changed',
    subjectType: 'user',
    subject: userId,
    ownerId: userId,
    before: before ? auditedPricing(before) : { tier: user.tier ?? user.apiGatewayKey?.tier ?? null, discountPercent: '0' },
    after: auditedPricing(pricing),
    at,
  });
  // The tier's limits: the gateway's usage plan for header-key requests (moved from the stream once the profile
  // says so), the keys' own tier for the application's checks. Each step is safe to repeat, so a failed request is
  // finished by sending it again.
  if (user.tier !== input.tier) await deps.directory.setTier(userId, input.tier, at);
  for (const key of await deps.keys.listApiKeys(userId)) {
    if (key.status !== 'revoked' && key.tier !== input.tier) await deps.keys.setTier(userId, key.keyId, input.tier, admin);
  }
  return pricing;
}

/** Pricing as the API and the audit log show it: decimal strings. */
export function pricingJson(pricing: ResellerPricing) {
  return {
    tier: pricing.tier,
    discountPercent: formatDiscountPercent(pricing.discountBasisPoints),
    rates: Object.fromEntries(Object.entries(pricing.rates).map(([serviceId, rate]) => [serviceId, formatMoney(rate, 2)])),
    updatedAt: pricing.updatedAt,
  };
}

/** As the audit log keeps it: no empty map (the local stream reader cannot read one back from DynamoDB Local). */
function auditedPricing(pricing: ResellerPricing) {
  const { rates, ...rest } = pricingJson(pricing);
  return Object.keys(rates).length > 0 ? { ...rest, rates } : rest;
}
