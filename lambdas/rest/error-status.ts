// The HTTP status of every code a use case can refuse with, for the REST APIs (/api/v1, /admin/v1): one table, so
// the same refusal answers the same way everywhere. The v2 protocol answers HTTP 200 in its own words instead
// (reseller/v2-errors.ts).
import type { AccessRefusal } from '../access/application/reseller-access.js';
import type { CancelRefusal } from '../orders/application/cancel-orders.js';
import type { RefillRefusal } from '../orders/domain/refills.js';
import type { DomainErrorCode } from '../shared/errors.js';

export type ErrorCode = DomainErrorCode | AccessRefusal | CancelRefusal | RefillRefusal | 'unknown_refill' | 'daily_order_limit';

export const HTTP_STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  invalid_amount: 400,
  invalid_link: 400,
  quantity_too_small: 400,
  quantity_too_large: 400,
  unknown_service: 400,
  service_disabled: 400,
  invalid_key: 401,
  key_suspended: 403,
  ip_not_allowed: 403,
  unknown_order: 404,
  unknown_wallet: 404,
  unknown_refill: 404,
  insufficient_funds: 409,
  already_applied: 409,
  refund_exceeds_charge: 409,
  link_busy: 409,
  // With Retry-After (v1/http.ts): throttling and conflicts on one wallet end here, never in a 5xx.
  wallet_busy: 409,
  cancel_not_available: 409,
  order_finished: 409,
  order_being_submitted: 409,
  order_not_held: 409,
  refill_not_available: 409,
  order_not_completed: 409,
  refill_period_over: 409,
  refill_already_requested: 409,
  order_not_at_provider: 409,
  provider_refused: 409,
  rate_limited: 429,
  source_blocked: 429,
  daily_order_limit: 429,
  daily_spend_limit: 429,
  active_orders_limit: 409,
  provider_unreachable: 503,
  provider_unconfirmed: 503,
  amount_too_small: 400,
  amount_too_large: 400,
  unknown_payment_method: 400,
  callback_refused: 400,
  payment_not_confirmed: 409,
  payment_gateway_unavailable: 503,
  // Accounts and sessions (issue 9)
  invalid_password: 400,
  invalid_or_expired_token: 400,
  invalid_credentials: 401,
  account_blocked: 403,
  unknown_user: 404,
  not_a_reseller: 409,
  too_many_requests: 429,
  api_key_limit: 409,
  // Issue 10, provider callbacks
  invalid_signature: 401,
  callbacks_unavailable: 503,
  // Issue 11, admin users
  email_taken: 409,
  idempotency_key_reused: 409,
  // Issue 11, admin catalog
  unknown_provider: 400,
  provider_exists: 409,
  catalog_busy: 409,
  // Issue 11, admin orders
  order_not_finalized: 409,
  order_state_conflict: 409,
  provider_not_mapped: 400,
  // Issue 11, settings and promo codes
  settings_conflict: 409,
  maintenance: 503,
  invalid_promo_code: 400,
  promo_code_exists: 409,
  unknown_promo_code: 404,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_OF[code];
}
