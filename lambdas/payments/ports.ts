// Money in: the gateways that take payments and the store of top-ups and of the gateways' callbacks.
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { Micros } from '../shared/money.js';
import type { PromoCode } from './domain/promo-codes.js';
import type { GatewayEvent, PaymentMethod, StoredTopUpStatus, TopUp } from './domain/top-ups.js';

export type CallbackRefusal = 'bad_signature' | 'malformed' | 'stale' | 'unknown_top_up' | 'other_payment' | 'amount_mismatch' | 'wrong_currency';

export type VerifiedCallback = { event: GatewayEvent } | { refused: CallbackRefusal; detail: string; topUpId?: string };

/** What the gateway itself says about a payment when asked (not told): checked before any credit. */
export interface ConfirmedPayment {
  outcome: GatewayEvent['outcome'];
  status: string;
  topUpId: string;
  amount: string;
  currency: string;
}

export interface PaymentGateway {
  readonly method: PaymentMethod;
  createPayment(topUp: TopUp, callbackUrl: string, returnUrl?: string): Promise<{ gatewayPaymentId: string; checkoutUrl: string }>;
  /** Checks the signature and reads the callback; a refusal when it is not the gateway's or cannot be read. */
  verifyCallback(rawBody: string, headers: Record<string, string>): Promise<VerifiedCallback>;
  /** Asks the gateway about the payment; present for gateways that offer it. */
  confirm?(event: GatewayEvent): Promise<ConfirmedPayment>;
}

/** The gateways this deployment offers, by method. */
export interface PaymentGateways {
  offered(): Promise<PaymentMethod[]>;
  /** Undefined when the method is not offered here. */
  get(method: PaymentMethod): Promise<PaymentGateway | undefined>;
}

export type CallbackVerdict =
  | 'credited'
  | 'already_credited'
  | 'review'
  | 'cancelled'
  | 'failed'
  | 'noted'
  | 'ignored'
  | 'duplicate'
  | 'not_confirmed'
  | 'error'
  | `refused:${CallbackRefusal}`;

export interface CallbackRecord {
  method: PaymentMethod;
  at: string;
  verdict: CallbackVerdict;
  /** Present once the callback is tied to one of our top-ups (verified and matching). */
  topUpId?: string;
  gatewayPaymentId?: string;
  status?: string;
  detail?: string;
  /** The body as received, cut to a few KB. */
  body: string;
}

export interface TopUpPage {
  items: TopUp[];
  nextCursor: string | null;
}

export interface TopUpStore {
  /** The top-up and its id pointer, in one transaction. */
  create(topUp: TopUp): Promise<void>;
  attachPayment(topUp: TopUp, payment: { gatewayPaymentId: string; checkoutUrl: string }, at: string): Promise<void>;
  get(ownerId: string, id: string): Promise<TopUp | undefined>;
  /** By id alone, for the gateways' callbacks and the demo checkout. */
  find(id: string): Promise<TopUp | undefined>;
  list(ownerId: string, options: { limit: number; cursor?: string }): Promise<TopUpPage>;
  /** Changes the status if it is still one of `from` and the top-up was never credited; false otherwise. */
  mark(topUp: TopUp, status: StoredTopUpStatus, from: readonly StoredTopUpStatus[], gatewayStatus: string, at: string): Promise<boolean>;
  /**
   * Marks the top-up paid and credits its wallet in one transaction, once: 'already_applied' when it was credited.
   * A top-up with a promo code gets its bonus (a `bonus` ledger entry) in that transaction while the code has uses
   * left, counted there too; otherwise the deposit alone, with the reason recorded on the top-up.
   */
  credit(topUp: TopUp, amount: Micros, gatewayStatus: string, at: string): Promise<'applied' | 'already_applied'>;
  /** Whether a callback with this (payment, status) was already handled to the end. */
  handled(method: PaymentMethod, gatewayPaymentId: string, status: string): Promise<boolean>;
  markHandled(method: PaymentMethod, gatewayPaymentId: string, status: string, topUpId: string, at: string): Promise<void>;
  record(callback: CallbackRecord): Promise<void>;
}

/** Promo codes (one partition: a list is one Query) and each customer's uses of them. */
export interface PromoCodeStore {
  get(code: string): Promise<PromoCode | undefined>;
  /** The customer's deposits credited with the code's bonus. */
  usesBy(code: string, userId: string): Promise<number>;
  list(): Promise<PromoCode[]>;
  /** With its audit entry, in one transaction; 'exists' when the code is taken (nothing written). */
  create(code: PromoCode, audit: AuditEntry): Promise<'created' | 'exists'>;
  /** Writes the changed terms (never `uses`) with the audit entry if the code is still as read (`updatedAt`). */
  update(code: PromoCode, readUpdatedAt: string, audit: AuditEntry): Promise<'written' | 'conflict'>;
}
