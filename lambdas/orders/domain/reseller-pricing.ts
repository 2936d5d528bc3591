// Reseller wholesale prices (issue 11): an admin gives a reseller custom rates per service, or a discount on the
// catalog's rates. Pure: the order's rate is decided here, before the charge is computed from it as for anyone.
import { DomainError } from '../../shared/errors.js';
import { type Micros, micros } from '../../shared/money.js';

export interface ResellerPricing {
  /** The rate-limit tier (access/domain/tiers.ts) the admin put the reseller in. */
  tier: string;
  /** Discount on catalog rates, in basis points (1/100 of a percent): 1250 = 12.5 %. 0 when none. */
  discountBasisPoints: number;
  /** Custom rate per 1,000 units (or per package) by service id; wins over the discount. */
  rates: Readonly<Record<string, Micros>>;
  updatedAt: string;
}

const BASIS_POINTS = 10_000n;

/**
 * The rate the reseller pays: its custom rate for the service, else the catalog rate less its discount. A
 * discounted rate is rounded DOWN to a whole micro-unit (in the customer's favour); the charge is then the usual
 * `priceOf(rate, units)`, rounded half up, the money module's one rule for a product.
 */
export function resellerRate(serviceId: number, catalogRate: Micros, pricing: ResellerPricing | undefined): Micros {
  if (!pricing) return catalogRate;
  const custom = pricing.rates[String(serviceId)];
  if (custom !== undefined) return custom;
  if (pricing.discountBasisPoints <= 0) return catalogRate;
  return micros(Number((BigInt(catalogRate) * (BASIS_POINTS - BigInt(pricing.discountBasisPoints))) / BASIS_POINTS));
}

/** "12.5" (percent, at most 2 decimals, 0 to 100) as basis points; refused otherwise. */
export function parseDiscountPercent(text: string, field = 'discountPercent'): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  const value = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : Number.NaN;
  if (!(value >= 0 && value <= 10_000)) throw new DomainError('invalid_request', 'A discount is a percentage from 0 to 100 with at most 2 decimals', field);
  return value;
}

/** Basis points as the percent string the API shows ("12.5"). */
export function formatDiscountPercent(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
