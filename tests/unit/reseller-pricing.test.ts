// Reseller wholesale rates: pure, exact integer arithmetic.
import { describe, expect, it } from 'vitest';
import { formatDiscountPercent, parseDiscountPercent, type ResellerPricing, resellerRate } from '../../lambdas/orders/domain/reseller-pricing.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { micros, parseMoney, priceOf } from '../../lambdas/shared/money.js';

const pricing = (discountBasisPoints: number, rates: Record<string, number> = {}): ResellerPricing => ({
  tier: 'standard',
  discountBasisPoints,
  rates: Object.fromEntries(Object.entries(rates).map(([id, rate]) => [id, micros(rate)])),
  updatedAt: '2026-12-01T00:00:00.000Z',
});

describe('a reseller rate', () => {
  it('is the catalog rate without pricing or discount', () => {
    expect(resellerRate(1, parseMoney('0.9'), undefined)).toBe(parseMoney('0.9'));
    expect(resellerRate(1, parseMoney('0.9'), pricing(0))).toBe(parseMoney('0.9'));
  });

  it('is the custom rate of the service, whatever the discount', () => {
    expect(resellerRate(7, parseMoney('0.9'), pricing(5000, { '7': 400_000 }))).toBe(parseMoney('0.4'));
    expect(resellerRate(8, parseMoney('0.9'), pricing(5000, { '7': 400_000 }))).toBe(parseMoney('0.45'));
  });

  it('rounds a discounted rate down to a whole micro-unit, in the reseller’s favour, then prices half up', () => {
    // 0.000003 × 0.6667 = 0.0000020001 → 0.000002; 1.234567 × 0.875 = 1.080246125 → 1.080246.
    expect(resellerRate(1, micros(3), pricing(3333))).toBe(micros(2));
    const rate = resellerRate(1, parseMoney('1.234567'), pricing(1250));
    expect(rate).toBe(parseMoney('1.080246'));
    expect(priceOf(rate, 777)).toBe(parseMoney('0.839351'));
    expect(resellerRate(1, parseMoney('999999.999999'), pricing(1))).toBe(parseMoney('999899.999999'));
  });

  it('reads and shows discounts as percent strings with at most 2 decimals, 0 to 100', () => {
    expect(parseDiscountPercent('12.5')).toBe(1250);
    expect(parseDiscountPercent('100')).toBe(10_000);
    expect(parseDiscountPercent('0.01')).toBe(1);
    for (const bad of ['100.01', '-1', '1.234', 'ten', '']) {
      let caught: unknown;
      try {
        parseDiscountPercent(bad);
      } catch (error) {
        caught = error;
      }
      expect(isDomainError(caught, 'invalid_request'), bad).toBe(true);
    }
    expect([1250, 10_000, 1, 0, 1205].map(formatDiscountPercent)).toEqual(['12.5', '100', '0.01', '0', '12.05']);
  });
});
