// Money is an integer count of micro-units (1 USD = 1,000,000 micros). No floats anywhere.
// Rounding rule, the only one: a product (rate per 1,000 x units) is rounded half up to a whole micro-unit.
import { DomainError } from './errors.js';

export type Micros = number & { readonly __brand: 'Micros' };

export const MICROS_PER_UNIT = 1_000_000;
const DECIMALS = 6;

export function micros(value: number): Micros {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of micro-units: ${value}`);
  return value as Micros;
}

export const ZERO = micros(0);

/** The largest amount `parseMoney` accepts: 999,999,999.999999 (9 whole digits), well inside exact integers. */
export const MAX_AMOUNT_WHOLE_DIGITS = 9;
export const MAX_AMOUNT = micros(10 ** MAX_AMOUNT_WHOLE_DIGITS * MICROS_PER_UNIT - 1);

/**
 * Parses a decimal string such as "0.9" or "12.345678" exactly; more than 6 decimals is refused, not rounded, and
 * so is an amount beyond `MAX_AMOUNT` (a 400 `invalid_amount` naming `field`, never a RangeError).
 */
export function parseMoney(text: string, field?: string): Micros {
  const match = /^(-?)(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new DomainError('invalid_amount', `Not an amount of money: ${JSON.stringify(text)}`, field);
  const [, sign, digits = '', fraction = ''] = match;
  const whole = digits.replace(/^0+(?=\d)/, '');
  if (whole.length > MAX_AMOUNT_WHOLE_DIGITS) {
    throw new DomainError('invalid_amount', `Not an amount of money: at most ${MAX_AMOUNT_WHOLE_DIGITS} digits before the decimal point`, field);
  }
  const value = Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(DECIMALS, '0'));
  return micros(sign === '-' ? -value : value);
}

/** Fixed-decimal string with at least `minDecimals` decimals and never fewer than needed to be exact. */
export function formatMoney(amount: Micros, minDecimals = 5): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  let fraction = String(abs % MICROS_PER_UNIT).padStart(DECIMALS, '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${fraction.length > 0 ? `.${fraction}` : ''}`;
}

/** The amount in currency units, as a metric's value: a figure to chart, never computed on again. */
export function inUnits(amount: Micros): number {
  return amount / MICROS_PER_UNIT;
}

export function addMoney(a: Micros, b: Micros): Micros {
  return micros(a + b);
}

export function subtractMoney(a: Micros, b: Micros): Micros {
  return micros(a - b);
}

export function negate(a: Micros): Micros {
  return micros(-a);
}

export function minMoney(a: Micros, b: Micros): Micros {
  return a <= b ? a : b;
}

/** Price of `units` at `ratePer1000` (the protocol's rate: price per 1,000 units), rounded half up. */
export function priceOf(ratePer1000: Micros, units: number): Micros {
  if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`units must be a whole non-negative number: ${units}`);
  if (ratePer1000 < 0) throw new RangeError('a rate cannot be negative');
  const product = BigInt(ratePer1000) * BigInt(units);
  const rounded = (product + 500n) / 1000n;
  return micros(Number(rounded));
}

/** `part / whole` of an amount, rounded half up: the refund of a fixed-price order for its undelivered share. */
export function shareOf(amount: Micros, part: number, whole: number): Micros {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || whole <= 0 || part < 0 || part > whole) {
    throw new RangeError(`not a share: ${part}/${whole}`);
  }
  return micros(Number((BigInt(amount) * BigInt(part) * 2n + BigInt(whole)) / (2n * BigInt(whole))));
}
