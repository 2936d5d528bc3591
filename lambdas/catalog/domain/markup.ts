// Our price from a provider's cost: a percent or a fixed amount on top, then rounded up to a step, all in integer
// micros (BigInt where a product could pass 2^53). Pure.
import { DomainError } from '../../shared/errors.js';
import { MAX_AMOUNT, type Micros, micros, parseMoney } from '../../shared/money.js';

export interface MarkupRule {
  kind: 'percent' | 'fixed';
  /** Decimal string: "25" is 25 % (percent) or 25.00 on top (fixed). */
  value: string;
  /** Decimal string: the price is rounded up to a multiple of it ("0.01"). None: exact to the micro-unit. */
  rounding?: string;
}

export interface Markup {
  kind: 'percent' | 'fixed';
  /** Percent in millionths of a percent, or the fixed amount in micros. */
  amount: Micros;
  step?: Micros;
}

/** The most a percent markup may be: 100 times the cost on top. */
const MAX_PERCENT = parseMoney('10000');

export function parseMarkup(rule: MarkupRule): Markup {
  const amount = parseMoney(rule.value, 'markup.value');
  if (amount < 0) throw new DomainError('invalid_request', 'A markup cannot be negative', 'markup.value');
  if (rule.kind === 'percent' && amount > MAX_PERCENT) throw new DomainError('invalid_request', 'A percent markup is at most 10000', 'markup.value');
  const step = rule.rounding === undefined ? undefined : parseMoney(rule.rounding, 'markup.rounding');
  if (step !== undefined && step <= 0) throw new DomainError('invalid_request', 'The rounding step must be above zero', 'markup.rounding');
  return { kind: rule.kind, amount, ...(step !== undefined ? { step } : {}) };
}

const HUNDRED_PERCENT = 100_000_000n;

/**
 * cost x (100 + p) / 100 rounded half up to a micro-unit, or cost + fixed; then up to the next multiple of the step
 * (never below the marked-up price, so rounding never eats the margin).
 */
export function markUp(cost: Micros, markup: Markup): Micros {
  if (cost < 0) throw new RangeError('a cost cannot be negative');
  let price =
    markup.kind === 'percent'
      ? (BigInt(cost) * (HUNDRED_PERCENT + BigInt(markup.amount)) + HUNDRED_PERCENT / 2n) / HUNDRED_PERCENT
      : BigInt(cost) + BigInt(markup.amount);
  if (markup.step !== undefined) {
    const step = BigInt(markup.step);
    price = ((price + step - 1n) / step) * step;
  }
  if (price > BigInt(MAX_AMOUNT)) throw new DomainError('invalid_amount', 'The marked-up price is beyond the largest amount', 'markup');
  return micros(Number(price));
}

/**
 * A provider's rate as it sends it ("0.5", "1.2345678", 3): exact up to 6 decimals, rounded half up to a micro-unit
 * beyond (panels quote some rates to 8 decimals). Undefined when it is not a non-negative decimal.
 */
export function readUpstreamRate(raw: string): Micros | undefined {
  const match = /^(\d{1,9})(?:\.(\d+))?$/.exec(raw.trim());
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  const six = BigInt(fraction.slice(0, 6).padEnd(6, '0'));
  const roundUp = fraction.length > 6 && Number(fraction[6]) >= 5 ? 1n : 0n;
  return micros(Number(BigInt(whole) * 1_000_000n + six + roundUp));
}
