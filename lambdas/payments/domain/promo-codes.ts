// Promo codes: a bonus on a deposit, percent of it or a fixed amount, with usage limits and an expiry. Pure: the
// clock and the counts come in as values. The bonus is promised when the top-up is made (recorded on it) and credited
// with the deposit, in its transaction, only while the code still has uses left (the store's conditions decide that).
import { DomainError } from '../../shared/errors.js';
import { formatMoney, type Micros, micros, parseMoney } from '../../shared/money.js';

export type PromoKind = 'percent' | 'fixed';

export interface PromoCode {
  /** Upper case: codes are matched whatever case the customer types. */
  code: string;
  kind: PromoKind;
  /** Percent of the deposit ("10", "12.5") or a fixed amount in CURRENCY ("5.00"). */
  value: string;
  minDeposit?: Micros;
  /** Uses in all; absent: unlimited. */
  maxUses?: number;
  /** Uses per customer; absent: unlimited. */
  perUserLimit?: number;
  expiresAt?: string;
  disabled: boolean;
  /** Deposits credited with its bonus so far. */
  uses: number;
  createdAt: string;
  updatedAt: string;
}

export const PROMO_CODE = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;
const MAX_LIMIT = 10_000_000;

export function normalisePromoCode(text: string): string {
  return text.trim().toUpperCase();
}

export interface NewPromoCode {
  code: string;
  kind: PromoKind;
  value: string;
  minDeposit?: string;
  maxUses?: number;
  perUserLimit?: number;
  expiresAt?: string;
}

/** A code as an admin defines it, checked field by field. */
export function definePromoCode(input: NewPromoCode, now: Date): PromoCode {
  const code = normalisePromoCode(input.code);
  if (!PROMO_CODE.test(code)) throw new DomainError('invalid_request', 'code: 3 to 32 letters, digits, - or _', 'code');
  checkValue(input.kind, input.value);
  const at = now.toISOString();
  return {
    code,
    kind: input.kind,
    value: input.value,
    ...(input.minDeposit !== undefined ? { minDeposit: positiveAmount(input.minDeposit, 'minDeposit') } : {}),
    ...limits(input),
    ...(input.expiresAt !== undefined ? { expiresAt: futureTime(input.expiresAt, now) } : {}),
    disabled: false,
    uses: 0,
    createdAt: at,
    updatedAt: at,
  };
}

export interface PromoCodeChange {
  disabled?: boolean;
  /** null removes the limit. */
  maxUses?: number | null;
  perUserLimit?: number | null;
  minDeposit?: string | null;
  expiresAt?: string | null;
}

/** The code after an admin's change (its kind and value never change: make a new code instead). */
export function changePromoCode(code: PromoCode, change: PromoCodeChange, now: Date): PromoCode {
  const next: PromoCode = { ...code };
  if (change.disabled !== undefined) next.disabled = change.disabled;
  if (change.maxUses !== undefined) {
    if (change.maxUses === null) delete next.maxUses;
    else next.maxUses = limits({ maxUses: change.maxUses }).maxUses!;
  }
  if (change.perUserLimit !== undefined) {
    if (change.perUserLimit === null) delete next.perUserLimit;
    else next.perUserLimit = limits({ perUserLimit: change.perUserLimit }).perUserLimit!;
  }
  if (change.minDeposit !== undefined) {
    if (change.minDeposit === null) delete next.minDeposit;
    else next.minDeposit = positiveAmount(change.minDeposit, 'minDeposit');
  }
  if (change.expiresAt !== undefined) {
    if (change.expiresAt === null) delete next.expiresAt;
    else next.expiresAt = futureTime(change.expiresAt, now);
  }
  next.updatedAt = now.toISOString();
  return next;
}

/**
 * The bonus a deposit of `amount` gets with the code, or a refusal (invalid_promo_code, field promoCode) saying why.
 * `usesByCustomer`: the customer's deposits already credited with it.
 */
export function promoBonus(code: PromoCode | undefined, amount: Micros, usesByCustomer: number, now: Date, currency: string): Micros {
  const refuse = (why: string) => new DomainError('invalid_promo_code', `promoCode: ${why}`, 'promoCode');
  if (!code || code.disabled) throw refuse('no such promo code');
  if (code.expiresAt !== undefined && Date.parse(code.expiresAt) <= now.getTime()) throw refuse('this promo code has expired');
  if (code.maxUses !== undefined && code.uses >= code.maxUses) throw refuse('this promo code has been used up');
  if (code.perUserLimit !== undefined && usesByCustomer >= code.perUserLimit) throw refuse('you have already used this promo code');
  if (code.minDeposit !== undefined && amount < code.minDeposit)
    throw refuse(`this promo code needs a deposit of at least ${formatMoney(code.minDeposit, 2)} ${currency}`);
  return bonusOf(code, amount);
}

/** Percent bonuses are rounded down to a whole cent: never more than promised. */
export function bonusOf(code: Pick<PromoCode, 'kind' | 'value'>, amount: Micros): Micros {
  if (code.kind === 'fixed') return parseMoney(code.value);
  const percentMicros = BigInt(parseMoney(code.value));
  const exact = (BigInt(amount) * percentMicros) / 100_000_000n;
  return micros(Number(exact - (exact % 10_000n)));
}

/** The reference of a deposit's bonus ledger entry. */
export const bonusReference = (topUpId: string) => `bonus:top-up:${topUpId}`;

function checkValue(kind: PromoKind, value: string): void {
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(value)) throw new DomainError('invalid_request', 'value: a decimal like "10" or "5.00" (at most 2 decimals)', 'value');
  const amount = parseMoney(value);
  if (amount <= 0) throw new DomainError('invalid_request', 'value: must be more than 0', 'value');
  if (kind === 'percent' && amount > parseMoney('100')) throw new DomainError('invalid_request', 'value: a percent bonus is at most 100', 'value');
}

function positiveAmount(text: string, field: string): Micros {
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text)) throw new DomainError('invalid_request', `${field}: a decimal amount like "10.00"`, field);
  const amount = parseMoney(text);
  if (amount <= 0) throw new DomainError('invalid_request', `${field}: must be more than 0`, field);
  return amount;
}

function limits(input: { maxUses?: number; perUserLimit?: number }): { maxUses?: number; perUserLimit?: number } {
  const out: { maxUses?: number; perUserLimit?: number } = {};
  for (const name of ['maxUses', 'perUserLimit'] as const) {
    const value = input[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_LIMIT)
      throw new DomainError('invalid_request', `${name}: a whole number from 1 to ${MAX_LIMIT}`, name);
    out[name] = value;
  }
  return out;
}

function futureTime(text: string, now: Date): string {
  const time = Date.parse(text);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(text))
    throw new DomainError('invalid_request', 'expiresAt: an ISO time (2026-12-31T23:59:59Z)', 'expiresAt');
  if (time <= now.getTime()) throw new DomainError('invalid_request', 'expiresAt: must be in the future', 'expiresAt');
  return new Date(time).toISOString();
}
