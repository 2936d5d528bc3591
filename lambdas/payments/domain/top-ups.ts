// Top-ups: what a customer asked to pay in, and the rules by which a gateway's word changes it. Pure: the clock,
// the configuration and the gateways' verdicts come in as values.
import { DomainError } from '../../shared/errors.js';
import { type Micros, formatMoney, parseMoney } from '../../shared/money.js';

export type PaymentMethod = 'demo' | 'cryptomus';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['demo', 'cryptomus'];

/**
 * `pending` until a gateway's final word: `paid` (credited, never changes again), `cancelled`, `failed`, or `review`
 * (the customer paid a wrong amount: an admin settles it). `expired` is never stored: a pending top-up past its
 * `expiresAt` reads as expired, and a late payment still credits it.
 */
export type TopUpStatus = 'pending' | 'paid' | 'cancelled' | 'failed' | 'expired' | 'review';
export type StoredTopUpStatus = Exclude<TopUpStatus, 'expired'>;

export interface TopUp {
  id: string;
  ownerId: string;
  walletId: string;
  amount: Micros;
  currency: string;
  method: PaymentMethod;
  status: StoredTopUpStatus;
  gatewayPaymentId?: string;
  checkoutUrl?: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** Set in the transaction that credits the wallet; its presence is what makes a second credit impossible. */
  creditedAt?: string;
  /** The gateway status that last changed the top-up (`paid_over`, `wrong_amount`, ...). */
  gatewayStatus?: string;
  /** The promo code applied at creation and the bonus it promised then (credited with the deposit, once). */
  promoCode?: string;
  promoBonus?: Micros;
  /** The code's per-customer limit when it was applied: the deposit's transaction holds the customer to it. */
  promoPerUserLimit?: number;
  /** Set with the deposit: the bonus credited (0 when none could be), and why none when none. */
  bonusCredited?: Micros;
  promoOutcome?: PromoOutcome;
}

/** What became of a top-up's promo code when the deposit was credited. */
export type PromoOutcome = 'credited' | 'used_up' | 'per_user_limit';

/** What a gateway's callback means for a top-up, whatever the gateway calls it. */
export type GatewayOutcome = 'success' | 'wrong_amount' | 'cancelled' | 'failed' | 'in_progress';

export interface GatewayEvent {
  method: PaymentMethod;
  gatewayPaymentId: string;
  /** The top-up the gateway says the payment is for (our id, sent as the gateway's order id). */
  topUpId: string;
  /** The gateway's own word, kept in the records and for deduplication. */
  status: string;
  outcome: GatewayOutcome;
  /** The invoice's amount and currency as the callback states them. */
  amount?: string;
  currency?: string;
}

export function visibleStatus(topUp: Pick<TopUp, 'status' | 'expiresAt'>, now: Date): TopUpStatus {
  return topUp.status === 'pending' && Date.parse(topUp.expiresAt) <= now.getTime() ? 'expired' : topUp.status;
}

export type Decision =
  | { action: 'credit' }
  | { action: 'mark'; status: 'review' | 'cancelled' | 'failed'; from: readonly StoredTopUpStatus[] }
  | { action: 'nothing'; verdict: 'already_credited' | 'noted' | 'ignored' };

/**
 * What a verified, confirmed gateway outcome does to a top-up. A credited top-up never changes; a payment is
 * credited whenever it comes (after expiry, after a cancel, after a review) because the money has arrived; a
 * cancel or failure only ends a top-up still waiting; a wrong amount puts an uncredited one in review.
 */
export function decide(topUp: Pick<TopUp, 'status' | 'creditedAt'>, outcome: GatewayOutcome): Decision {
  if (topUp.creditedAt !== undefined || topUp.status === 'paid')
    return { action: 'nothing', verdict: outcome === 'in_progress' ? 'noted' : 'already_credited' };
  switch (outcome) {
    case 'success':
      return { action: 'credit' };
    case 'wrong_amount':
      return topUp.status === 'review'
        ? { action: 'nothing', verdict: 'ignored' }
        : { action: 'mark', status: 'review', from: ['pending', 'cancelled', 'failed'] };
    case 'cancelled':
    case 'failed':
      return topUp.status === 'pending' ? { action: 'mark', status: outcome, from: ['pending'] } : { action: 'nothing', verdict: 'ignored' };
    case 'in_progress':
      return { action: 'nothing', verdict: 'noted' };
  }
}

export interface DepositLimits {
  min: Micros;
  max: Micros;
}

/** The amount a customer typed, checked against the limits; each refusal names the field. */
export function depositAmount(text: string, limits: DepositLimits, currency: string): Micros {
  let amount: Micros;
  try {
    amount = parseMoney(text);
  } catch {
    throw new DomainError('invalid_amount', `amount: not an amount of money (write it like "10.00", at most 6 decimals)`, 'amount');
  }
  if (amount < limits.min) throw new DomainError('amount_too_small', `amount: the minimum deposit is ${formatMoney(limits.min, 2)} ${currency}`, 'amount');
  if (amount > limits.max) throw new DomainError('amount_too_large', `amount: the maximum deposit is ${formatMoney(limits.max, 2)} ${currency}`, 'amount');
  // Gateways take amounts in cents.
  if (amount % 10_000 !== 0) throw new DomainError('invalid_amount', 'amount: at most 2 decimals', 'amount');
  return amount;
}

/** Time-sortable and unguessable: 12 hex digits of milliseconds, then 16 random hex digits (`tu_` prefixed). */
export function topUpId(now: Date, randomHex: string): string {
  return `tu_${now.getTime().toString(16).padStart(12, '0')}${randomHex.slice(0, 16)}`;
}

export const TOP_UP_ID = /^tu_[0-9a-f]{28}$/;

/** The reference of the deposit's ledger entry. */
export const depositReference = (topUpId: string) => `top-up:${topUpId}`;
