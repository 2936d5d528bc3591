import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lambdas/shared/errors.js';
import { MAX_AMOUNT, formatMoney, micros, parseMoney, priceOf } from '../../lambdas/shared/money.js';

describe('money', () => {
  it('parses decimal strings exactly into micro-units', () => {
    expect(parseMoney('0.90')).toBe(900_000);
    expect(parseMoney('12.345678')).toBe(12_345_678);
    expect(parseMoney('1000')).toBe(1_000_000_000);
    expect(parseMoney('-0.5')).toBe(-500_000);
  });

  it('refuses amounts it cannot hold exactly instead of rounding them', () => {
    for (const bad of ['0.1234567', '1e3', 'abc', '', '1,5', '0x10', 'NaN']) expect(() => parseMoney(bad)).toThrow(/Not an amount/);
  });

  it('refuses amounts beyond what it can hold exactly as invalid_amount (a 400), not a RangeError (a 500)', () => {
    expect(parseMoney('999999999.999999')).toBe(MAX_AMOUNT);
    expect(parseMoney('-999999999.999999')).toBe(-MAX_AMOUNT);
    expect(parseMoney('000000000001')).toBe(1_000_000);
    for (const big of ['999999999999', '1000000000', '-9007199255', '999999999999.999999']) {
      let thrown: unknown;
      try {
        parseMoney(big, 'amount');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'invalid_amount', field: 'amount' });
    }
  });

  it('formats with five decimals, or six when the sixth is needed to stay exact', () => {
    expect(formatMoney(micros(900_000))).toBe('0.90000');
    expect(formatMoney(micros(278_195))).toBe('0.278195');
    expect(formatMoney(micros(0))).toBe('0.00000');
    expect(formatMoney(micros(-1_500_000))).toBe('-1.50000');
    expect(formatMoney(micros(900_000), 2)).toBe('0.90');
  });

  it('prices units at a rate per 1,000, rounding half up to a micro-unit', () => {
    expect(priceOf(parseMoney('0.90'), 1000)).toBe(900_000);
    expect(priceOf(parseMoney('0.90'), 157)).toBe(141_300);
    // 0.000001 per 1,000 x 500 units = 0.0000005 -> rounds half up to 1 micro
    expect(priceOf(micros(1), 500)).toBe(1);
    expect(priceOf(micros(1), 499)).toBe(0);
  });

  it('prices huge quantities exactly, and refuses amounts too large to hold exactly', () => {
    expect(priceOf(parseMoney('1000.000001'), 10_000_000)).toBe(micros(10_000_000_010_000));
    expect(() => priceOf(parseMoney('999999.999999'), 10_000_000)).toThrow(RangeError);
  });

  it('never creates fractional micro-units', () => {
    for (let units = 0; units < 2000; units += 37) expect(Number.isInteger(priceOf(parseMoney('0.123457'), units))).toBe(true);
  });
});
