// The v2 protocol's wording of every refusal the use cases return as a code. Panels and their client libraries
// substring-match these texts, so they change only with the README's list of v2 errors.
import type { CancelRefusal } from '../orders/application/cancel-orders.js';
import type { RefillRefusal } from '../orders/domain/refills.js';
import type { AccessRefusal } from '../access/application/reseller-access.js';

export const INCORRECT_ORDER_ID = 'Incorrect order ID';

export function cancelRefusalText(refusal: CancelRefusal, providerMessage?: string): string {
  switch (refusal) {
    case 'unknown_order':
      return INCORRECT_ORDER_ID;
    case 'cancel_not_available':
      return 'Cancel is not available for this service';
    case 'order_finished':
      return 'Order is already finished';
    case 'order_being_submitted':
      return 'The order is being submitted to the provider; try again later';
    case 'provider_unreachable':
      return 'The provider could not be reached; try again later';
    case 'provider_refused':
      return providerMessage ? `Cancel refused: ${providerMessage}` : 'Cancel refused by the provider';
  }
}

export function refillRefusalText(refusal: RefillRefusal, detail: { refillDays?: number; providerMessage?: string } = {}): string {
  switch (refusal) {
    case 'unknown_order':
      return INCORRECT_ORDER_ID;
    case 'refill_not_available':
      return 'Refill is not available for this service';
    case 'order_not_completed':
      return 'Refill is available only for completed orders';
    case 'refill_period_over':
      return `Refill period of ${detail.refillDays ?? 30} days has ended`;
    case 'refill_already_requested':
      return 'Refill was already requested; try again later';
    case 'order_not_at_provider':
      return 'Refill is not available for this order';
    case 'provider_refused':
      return `Refill refused: ${detail.providerMessage ?? 'the provider said no'}`;
    case 'provider_unreachable':
      return 'The provider could not be reached; try again later';
    case 'provider_unconfirmed':
      return 'The provider did not confirm the refill; try again tomorrow';
  }
}

export const REFILL_NOT_FOUND = 'Refill not found';

/** Followed by the time the block ends, so a blocked source knows it is blocked and when to try again. */
export const SOURCE_BLOCKED = 'Too many invalid API keys from your address; blocked until';

export const DAILY_ORDER_LIMIT = 'Daily order limit reached';

/** The account's order limits (config MAX_DAILY_SPEND, MAX_ACTIVE_ORDERS), followed by the use case's sentence with the figure. */
export const DAILY_SPEND_LIMIT = 'Daily spending limit reached';
export const ACTIVE_ORDERS_LIMIT = 'Too many active orders';

export function accessRefusalText(refusal: AccessRefusal, blockedUntil?: Date): string {
  switch (refusal) {
    case 'invalid_key':
      return 'Invalid API key';
    case 'key_suspended':
      return 'API key suspended';
    case 'ip_not_allowed':
      return 'IP not allowed';
    case 'rate_limited':
      return 'Too many requests';
    case 'source_blocked':
      return `${SOURCE_BLOCKED} ${isoSeconds(blockedUntil ?? new Date())}`;
  }
}

/** UTC to the second, rounded up: the block is certainly over at the time named. */
const isoSeconds = (at: Date): string => new Date(Math.ceil(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
