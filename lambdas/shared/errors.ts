// Errors the domain raises on purpose. The code is stable (callers map it to HTTP or protocol answers);
// the message is written for the person who will read it.
export type DomainErrorCode =
  | 'invalid_amount'
  | 'invalid_request'
  | 'unknown_service'
  | 'service_disabled'
  | 'quantity_too_small'
  | 'quantity_too_large'
  | 'invalid_link'
  | 'insufficient_funds'
  | 'wallet_busy'
  | 'unknown_order'
  | 'unknown_wallet'
  | 'already_applied'
  | 'refund_exceeds_charge'
  | 'link_busy'
  | 'unknown_refill'
  // Money in
  | 'amount_too_small'
  | 'amount_too_large'
  | 'unknown_payment_method'
  | 'payment_gateway_unavailable'
  | 'callback_refused'
  | 'payment_not_confirmed'

  // Issue 9, cabinet: the order limits (config MAX_DAILY_SPEND, MAX_ACTIVE_ORDERS).
  | 'daily_spend_limit'
  | 'active_orders_limit'

  // Accounts and sessions (issue 9)
  | 'invalid_password'
  | 'invalid_or_expired_token'
  | 'invalid_credentials'
  | 'account_blocked'
  | 'unknown_user'
  | 'not_a_reseller'
  | 'too_many_requests'
  // Issue 9, auth fixes: config MAX_API_KEYS_PER_USER.
  | 'api_key_limit'
  // Issue 10, provider callbacks: a signature that does not verify, a callback secret that cannot be read.
  | 'invalid_signature'
  | 'callbacks_unavailable'
  // Issue 11, admin users: onboarding an email a customer holds; an Idempotency-Key sent again with another request.
  | 'email_taken'
  | 'idempotency_key_reused'
  // Issue 11, admin catalog: a provider id not in the catalog, one already taken, a change that lost a race repeatedly.
  | 'unknown_provider'
  | 'provider_exists'
  | 'catalog_busy'
  // Issue 11, admin orders: a refund by hand of an order not yet settled (an Idempotency-Key reused: above),
  // an action the order's state does not allow, a provider the order's service does not name.
  | 'order_not_finalized'
  | 'order_state_conflict'
  | 'provider_not_mapped'
  // The cabinet's cancel refusals (orders/application/cancel-orders.ts), raised by the admin's actions too.
  | 'order_finished'
  | 'order_being_submitted'
  | 'order_not_held'
  | 'provider_refused'
  | 'provider_unreachable'
  | 'provider_unconfirmed'
  // Issue 11, settings and promo codes.
  | 'settings_conflict'
  | 'maintenance'
  | 'invalid_promo_code'
  | 'promo_code_exists'
  | 'unknown_promo_code';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field at fault, where there is one (REST answers name it). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** DynamoDB's answers that mean "busy now, send again" (names only: no SDK import), left after the SDK's own retries. */
const STORE_BUSY = new Set(['TransactionConflictException', 'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Whether an error is the store being busy for a moment (a caller should try again), not a bug. */
export function isStoreBusy(error: unknown): boolean {
  return error instanceof Error && STORE_BUSY.has(error.name);
}
