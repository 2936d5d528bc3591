// POST|GET /api/v2 — the reseller API, SMM panel API v2. Errors follow the protocol: HTTP 200 {"error": "..."}.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { listOrderableServices } from '../catalog/application/list-services.js';
import { cancelOrders } from '../orders/application/cancel-orders.js';
import { orderStatuses } from '../orders/application/order-statuses.js';
import { placeOrder } from '../orders/application/place-order.js';
import { resellerRate } from '../orders/domain/reseller-pricing.js';
import { refillOrders, refillStatuses } from '../orders/application/refill-orders.js';
import { walletBalance } from '../wallets/application/wallet-balance.js';
import { maskApiKey } from '../access/domain/api-keys.js';
import { isDomainError, isStoreBusy } from '../shared/errors.js';
import { resellerApiServices } from './wiring.js';
import { logger } from '../shared/logger.js';
import {
  ACTIVE_ORDERS_LIMIT,
  accessRefusalText,
  cancelRefusalText,
  DAILY_ORDER_LIMIT,
  DAILY_SPEND_LIMIT,
  INCORRECT_ORDER_ID,
  REFILL_NOT_FOUND,
  refillRefusalText,
} from './v2-errors.js';
import { balanceAnswer, orderStatusAnswer, serviceAnswer } from './v2-answers.js';
import { type V2Params, V2RequestTooLarge, V2RequestUnreadable, actionOf, emptyParams, readV2Params } from './v2-request.js';
import type { ResellerCaller } from '../access/application/reseller-access.js';
import { apiRequest, identifyCaller } from '../shared/observability/correlation.js';
import { observe } from '../shared/observability/observe.js';

const MAX_IDS = 100;

const NOT_ORDER_FIELDS = new Set(['key', 'action', 'service', 'request_id']);

class V2Error extends Error {}

type Answer = unknown;

async function answer(params: V2Params, caller: ResellerCaller): Promise<Answer> {
  const deps = resellerApiServices();
  const currency = deps.config.CURRENCY;
  switch (actionOf(params)) {
    case 'services': {
      // The reseller's own wholesale rates (cached like the catalog, so this costs no read most of the time).
      const pricing = await deps.pricing?.pricingOf(caller.ownerId);
      return (await listOrderableServices(deps)).map((service) =>
        serviceAnswer({ ...service, ratePer1000: resellerRate(service.id, service.ratePer1000, pricing) }),
      );
    }
    case 'add': {
      const input = { service: wholeNumber(params, 'service'), request_id: optionalText(params, 'request_id', 128) };
      if (!(await deps.access.consumeDailyOrderQuota(caller))) {
        // Refused before placeOrder, which counts every other refusal.
        deps.metrics.record('OrdersRefused', 1, { reason: 'daily_order_limit' });
        throw new V2Error(DAILY_ORDER_LIMIT);
      }
      // Only new orders count against the quota: a refused attempt or a request_id replay gives its unit back.
      const { order, replayed } = await placeOrder(deps, {
        ownerId: caller.ownerId,
        walletId: caller.walletId,
        serviceId: input.service,
        fields: orderFields(params),
        ...(input.request_id ? { requestId: input.request_id } : {}),
      }).catch(async (error: unknown) => {
        await deps.access.returnDailyOrder(caller);
        throw error;
      });
      if (replayed) await deps.access.returnDailyOrder(caller);
      else logger.info('order accepted', { orderId: order.id, ownerId: caller.ownerId, charge: order.charge });
      return { order: order.id };
    }
    case 'status': {
      // `orders` wins when both are sent; a blank one counts only when `order` is absent (its error names it).
      const many = params.orders !== undefined && (params.orders.trim() !== '' || params.order === undefined);
      if (!many) {
        const input = { order: wholeNumber(params, 'order') };
        const order = (await orderStatuses(deps, caller.ownerId, [input.order])).get(input.order);
        if (!order) throw new V2Error(INCORRECT_ORDER_ID);
        return orderStatusAnswer(order, currency);
      }
      const requested = idList(params.orders, 'orders');
      const numeric = requested.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
      const found = await orderStatuses(deps, caller.ownerId, numeric);
      // Keyed by ids as sent: with a prototype, `__proto__` or `constructor` would not be plain keys.
      const result: Record<string, unknown> = Object.create(null);
      for (const id of requested) {
        const order = /^\d{1,15}$/.test(id) ? found.get(Number(id)) : undefined;
        result[id] = order ? orderStatusAnswer(order, currency) : { error: INCORRECT_ORDER_ID };
      }
      return result;
    }
    case 'cancel': {
      const ids = idList(params.orders ?? params.order, 'orders');
      const results = await cancelOrders(deps, caller.ownerId, ids);
      return results.map((r) => ({
        order: idValue(r.orderId),
        cancel: r.outcome === 'requested' ? 1 : { error: cancelRefusalText(r.refusal, r.providerMessage) },
      }));
    }
    case 'refill': {
      if (params.orders !== undefined) {
        const results = await refillOrders(deps, deps.refillIds, caller.ownerId, idList(params.orders, 'orders'));
        return results.map((r) => ({ order: idValue(r.orderId), refill: 'refillId' in r ? r.refillId : { error: refillRefusalText(r.refusal, r) } }));
      }
      const [result] = await refillOrders(deps, deps.refillIds, caller.ownerId, idList(params.order, 'order'));
      if (!result || !('refillId' in result)) throw new V2Error(result ? refillRefusalText(result.refusal, result) : INCORRECT_ORDER_ID);
      return { refill: String(result.refillId) };
    }
    case 'refill_status': {
      if (params.refills !== undefined) {
        const results = await refillStatuses(deps, caller.ownerId, idList(params.refills, 'refills'));
        return results.map((r) => ({ refill: idValue(r.refillId), status: 'status' in r ? r.status : { error: REFILL_NOT_FOUND } }));
      }
      const [result] = await refillStatuses(deps, caller.ownerId, idList(params.refill, 'refill'));
      if (!result || !('status' in result)) throw new V2Error(REFILL_NOT_FOUND);
      return { status: result.status };
    }
    case 'balance': {
      const { balance, currency: walletCurrency } = await walletBalance(deps, caller.walletId);
      return balanceAnswer(balance, walletCurrency);
    }
    default:
      throw new V2Error('Incorrect request');
  }
}

/** Comma-separated ids as sent (at most 100), for the batch actions. */
function idList(raw: string | undefined, field: string): string[] {
  const ids = (raw ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) throw new V2Error(`Missing field: ${field}`);
  if (ids.length > MAX_IDS) throw new V2Error(`Field ${field} has more than ${MAX_IDS} ids`);
  return ids;
}

/** Ids go back as numbers (strict clients cast them to int) unless the client sent something else. */
function idValue(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

// The protocol's fields are all text, and a handful per action: read by hand in its own words (a schema library
// would add 16 KB to the bundle for three fields). A blank field counts as absent, as in the domain's field readers.
function wholeNumber(params: V2Params, field: string): number {
  const value = params[field]?.trim();
  if (!value) throw new V2Error(`Missing field: ${field}`);
  if (!/^\d{1,15}$/.test(value)) throw new V2Error(`Field ${field} must be a whole number`);
  return Number(value);
}

function optionalText(params: V2Params, field: string, maxLength: number): string | undefined {
  const value = params[field]?.trim();
  if (value && value.length > maxLength) throw new V2Error(`Field ${field} is longer than ${maxLength} characters`);
  return value || undefined;
}

/** The fields the service's type reads, in a null-prototype object like the params they come from. */
function orderFields(params: V2Params): V2Params {
  const fields = emptyParams();
  for (const [name, value] of Object.entries(params)) if (!NOT_ORDER_FIELDS.has(name)) fields[name] = value;
  return fields;
}

const V2_MESSAGES: Partial<Record<string, string>> = {
  unknown_service: 'Incorrect service ID',
  service_disabled: 'Incorrect service ID',
  insufficient_funds: 'Not enough funds on balance',
  unknown_order: 'Incorrect order ID',
  // Its text names an internal wallet id.
  unknown_wallet: 'Incorrect request',
  link_busy: 'You have active order with this link. Please wait until order being completed.',
};

function v2Message(code: string, message: string): string {
  if (code === 'daily_spend_limit') return `${DAILY_SPEND_LIMIT}: ${message}`;
  if (code === 'active_orders_limit') return `${ACTIVE_ORDERS_LIMIT}: ${message}`;
  return V2_MESSAGES[code] ?? message;
}

async function handleV2(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const deps = resellerApiServices();
  let params: V2Params;
  try {
    params = await readV2Params(event, deps.config.MAX_REQUEST_BYTES);
  } catch (error) {
    if (error instanceof V2RequestTooLarge || error instanceof V2RequestUnreadable) return json({ error: error.message });
    throw error;
  }
  // Maintenance answers every action in the protocol's way, before the key is even looked at.
  const maintenance = await maintenanceState(deps);
  if (maintenance.enabled) return json({ error: maintenance.message });
  const sourceIp = event.requestContext?.identity?.sourceIp ?? 'unknown';
  const access = await deps.access.check({ key: params.key, sourceIp });
  if (!access.ok) {
    logger.info('request refused', {
      reason: access.refusal,
      key: maskApiKey(params.key),
      action: params.action,
      sourceIp,
      requestId: event.requestContext?.requestId,
    });
    if (access.refusal === 'invalid_key') await deps.access.recordRejectedRequest({ sourceIp, kind: 'invalid_key' });
    return json({ error: accessRefusalText(access.refusal, access.blockedUntil) });
  }
  const caller = access.caller;
  identifyCaller(caller.ownerId);
  try {
    return json(await answer(params, caller));
  } catch (error) {
    const message =
      error instanceof V2Error
        ? error.message
        : isDomainError(error)
          ? v2Message(error.code, error.message)
          : isStoreBusy(error)
            ? 'Service is busy, please try again later'
            : undefined;
    if (message === undefined) throw error;
    // Bad requests count towards the key's abuse threshold; refusals of well-formed ones (no funds) do not.
    if (error instanceof V2Error || (isDomainError(error) && BAD_REQUEST_CODES.has(error.code))) {
      await deps.access.recordRejectedRequest({ caller, sourceIp, kind: 'invalid_request' });
    }
    return json({ error: message });
  }
}

/** Unreadable settings must not close the API: it serves, and the logs say why. */
async function maintenanceState(deps: ReturnType<typeof resellerApiServices>): Promise<{ enabled: boolean; message: string }> {
  try {
    return (await deps.settings.current()).maintenance;
  } catch (error) {
    logger.warn('could not read maintenance mode; serving', { error: error as Error });
    return { enabled: false, message: '' };
  }
}

const BAD_REQUEST_CODES = new Set(['invalid_request', 'invalid_link', 'unknown_service', 'service_disabled', 'quantity_too_small', 'quantity_too_large']);

export function json(body: unknown, statusCode = 200): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/** A bug still answers in the protocol's shape, with a 500 so monitoring sees it, and never leaks details. */
const unexpectedErrors = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    logger.error('unexpected error', { error: request.error as Error });
    request.response = json({ error: 'Internal error, please try again later' }, 500);
  },
});

export const handler = observe(middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handleV2).use(unexpectedErrors()), apiRequest);
