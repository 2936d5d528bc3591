// The customer's side of money in: start a top-up with a gateway, and see one's own top-ups.
import { randomBytes } from 'node:crypto';
import { DomainError, isDomainError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/ports.js';
import type { WalletStore } from '../../wallets/ports.js';
import { type DepositLimits, depositAmount, PAYMENT_METHODS, type PaymentMethod, type TopUp, topUpId } from '../domain/top-ups.js';
import type { PaymentGateways, TopUpPage, TopUpStore } from '../ports.js';

export interface TopUpSettings {
  limits: DepositLimits;
  lifetimeSeconds: number;
}

export interface TopUpDeps {
  store: TopUpStore;
  gateways: PaymentGateways;
  wallets: Pick<WalletStore, 'getWallet'>;
  clock: Clock;
  settings: TopUpSettings;
}

export interface Customer {
  userId: string;
  walletId: string;
}

export interface Links {
  callbackUrl(method: PaymentMethod): string;
  returnUrl?(topUpId: string): string;
}

export async function createTopUp(deps: TopUpDeps, customer: Customer, input: { amount: string; method: string }, links: Links): Promise<TopUp> {
  const offered = await deps.gateways.offered();
  const method = input.method as PaymentMethod;
  const gateway = PAYMENT_METHODS.includes(method) && offered.includes(method) ? await deps.gateways.get(method) : undefined;
  if (!gateway) {
    const choice = offered.length > 0 ? `one of ${offered.join(', ')}` : 'none is available at the moment';
    throw new DomainError('unknown_payment_method', `method: choose a payment method: ${choice}`, 'method');
  }
  const wallet = await deps.wallets.getWallet(customer.walletId);
  if (!wallet) throw new DomainError('unknown_wallet', 'Your balance is not set up yet; contact support');
  const amount = depositAmount(input.amount, deps.settings.limits, wallet.currency);

  const now = deps.clock.now();
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
