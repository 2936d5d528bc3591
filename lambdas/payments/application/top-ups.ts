// The customer's side of money in: start a top-up with a gateway, and see one's own top-ups.
import { randomBytes } from 'node:crypto';
import { DomainError, isDomainError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/ports.js';
import type { WalletStore } from '../../wallets/ports.js';
import { type DepositLimits, depositAmount, PAYMENT_METHODS, type PaymentMethod, type TopUp, topUpId } from '../domain/top-ups.js';
import type { PaymentGateways, PromoCodeStore, TopUpPage, TopUpStore } from '../ports.js';
import { normalisePromoCode, PROMO_CODE, promoBonus } from '../domain/promo-codes.js';
import type { Micros } from '../../shared/money.js';

export interface TopUpSettings {
  limits: DepositLimits;
  /** The minimum deposit in force (settings over MIN_DEPOSIT, cached per container); `limits.min` when absent. */
  currentMinDeposit?: () => Promise<Micros>;
  lifetimeSeconds: number;
}

export interface TopUpDeps {
  store: TopUpStore;
  gateways: PaymentGateways;
  wallets: Pick<WalletStore, 'getWallet'>;
  clock: Clock;
  settings: TopUpSettings;
  /** Present where customers may apply promo codes. */
  promoCodes?: Pick<PromoCodeStore, 'get' | 'usesBy'>;
}

export interface Customer {
  userId: string;
  walletId: string;
}

export interface Links {
  callbackUrl(method: PaymentMethod): string;
  returnUrl?(topUpId: string): string;
}

export async function createTopUp(
  deps: TopUpDeps,
  customer: Customer,
  input: { amount: string; method: string; promoCode?: string | undefined },
  links: Links,
): Promise<TopUp> {
  const offered = await deps.gateways.offered();
  const method = input.method as PaymentMethod;
  const gateway = PAYMENT_METHODS.includes(method) && offered.includes(method) ? await deps.gateways.get(method) : undefined;
  if (!gateway) {
    const choice = offered.length > 0 ? `one of ${offered.join(', ')}` : 'none is available at the moment';
    throw new DomainError('unknown_payment_method', `method: choose a payment method: ${choice}`, 'method');
  }
  const wallet = await deps.wallets.getWallet(customer.walletId);
  if (!wallet) throw new DomainError('unknown_wallet', 'Your balance is not set up yet; contact support');
  const min = deps.settings.currentMinDeposit ? await deps.settings.currentMinDeposit() : deps.settings.limits.min;
  const amount = depositAmount(input.amount, { ...deps.settings.limits, min }, wallet.currency);

  const now = deps.clock.now();
  const promo = input.promoCode?.trim() ? await applyPromoCode(deps, customer, input.promoCode, amount, now, wallet.currency) : {};
  const at = now.toISOString();
  const topUp: TopUp = {
    id: topUpId(now, randomBytes(8).toString('hex')),
    ownerId: customer.userId,
    walletId: wallet.id,
    amount,
    currency: wallet.currency,
    method,
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    expiresAt: new Date(now.getTime() + deps.settings.lifetimeSeconds * 1000).toISOString(),
    ...promo,
  };
  await deps.store.create(topUp);
  let payment: { gatewayPaymentId: string; checkoutUrl: string };
  try {
    payment = await gateway.createPayment(topUp, links.callbackUrl(method), links.returnUrl?.(topUp.id));
  } catch (error) {
    await deps.store.mark(topUp, 'failed', ['pending'], 'not_created', deps.clock.now().toISOString()).catch(() => undefined);
    // The client gets fixed text; the log gets our own errors' text (written by us, no secrets) and of any other
    // error only its name: a library's message may quote what it failed on (JSON.parse quotes a secret's text).
    logger.warn('payment not created', { method, topUpId: topUp.id, ...gatewayFailure(error) });
    throw new DomainError('payment_gateway_unavailable', 'The payment gateway did not answer; please try again');
  }
  await deps.store.attachPayment(topUp, payment, deps.clock.now().toISOString());
  return { ...topUp, ...payment };
}

/** The bonus the code promises this deposit now (refused with invalid_promo_code, field promoCode, saying why). */
async function applyPromoCode(
  deps: TopUpDeps,
  customer: Customer,
  text: string,
  amount: Micros,
  now: Date,
  currency: string,
): Promise<Pick<TopUp, 'promoCode' | 'promoBonus' | 'promoPerUserLimit'>> {
  const code = normalisePromoCode(text);
  if (!deps.promoCodes || !PROMO_CODE.test(code)) throw new DomainError('invalid_promo_code', 'promoCode: no such promo code', 'promoCode');
  const [promo, uses] = await Promise.all([deps.promoCodes.get(code), deps.promoCodes.usesBy(code, customer.userId)]);
  const bonus = promoBonus(promo, amount, uses, now, currency);
  return { promoCode: code, promoBonus: bonus, ...(promo?.perUserLimit !== undefined ? { promoPerUserLimit: promo.perUserLimit } : {}) };
}

function gatewayFailure(error: unknown): { errorName: string; errorCode?: string; detail?: string } {
  if (isDomainError(error)) return { errorName: 'DomainError', errorCode: error.code, detail: error.message };
  return { errorName: error instanceof Error ? error.name : typeof error };
}

export function listTopUps(deps: Pick<TopUpDeps, 'store'>, customer: Customer, page: { limit: number; cursor?: string }): Promise<TopUpPage> {
  return deps.store.list(customer.userId, page);
}

/** Undefined for an id that is not the customer's, so that others' top-ups answer 404 like missing ones. */
export function getTopUp(deps: Pick<TopUpDeps, 'store'>, customer: Customer, id: string): Promise<TopUp | undefined> {
  return deps.store.get(customer.userId, id);
}
