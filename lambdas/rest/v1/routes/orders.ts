// REST v1 implementations: the caller's orders, through the same use cases as /api/v2 (placeOrder, cancelOrders,
// refillOrders), so limits, idempotency and refunds behave the same on both.
import { cancelOrders, type CancelRefusal } from '../../../orders/application/cancel-orders.js';
import { asPlaced, listOwnerOrders, ownerOrder } from '../../../orders/application/owner-orders.js';
import { placeOrder as placeOrderUseCase } from '../../../orders/application/place-order.js';
import { refillOrders } from '../../../orders/application/refill-orders.js';
import type { Order } from '../../../orders/domain/orders.js';
import type { RefillRefusal } from '../../../orders/domain/refills.js';
import type { OrderSummary } from '../../../orders/ports.js';
import { customerOrderServices, refillIds } from '../../../orders/wiring.js';
import { logger } from '../../../shared/logger.js';
import { formatMoney } from '../../../shared/money.js';
import { HTTP_STATUS_OF } from '../../error-status.js';
import { cancelOrder, getOrder, listOrders, placeOrder, refillOrder } from '../contract/orders.js';
import { created, notFound, ok, RestError, type RouteImpl, route } from '../http.js';

export const ordersRoutes: readonly RouteImpl[] = [
  route(listOrders, async (req) => {
    const { query } = req;
    const { orders, cursor } = await listOwnerOrders(customerOrderServices(), {
      ownerId: req.caller.userId,
      limit: query.limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.service !== undefined ? { serviceId: query.service } : {}),
      ...(query.from ? { from: timeBound(query.from, 'start') } : {}),
      ...(query.to ? { to: timeBound(query.to, 'end') } : {}),
      ...(query.q ? { q: query.q } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return ok({ items: orders.map(summaryJson), nextCursor: cursor ?? null });
  }),
  route(getOrder, async (req) => {
    const order = await ownerOrder(customerOrderServices(), req.caller.userId, req.params.id);
    if (!order) throw notFound('Order');
    return ok(orderJson(order));
  }),
  route(placeOrder, async (req) => {
    const { service, ...rest } = req.body;
    const fields: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(rest)) fields[name] = String(value);
    const requestId = req.headers['idempotency-key'];
    const { order, replayed } = await placeOrderUseCase(customerOrderServices(), {
      ownerId: req.caller.userId,
      walletId: req.caller.walletId,
      serviceId: service,
      fields,
      ...(requestId ? { requestId } : {}),
    });
    if (replayed) return created(orderJson(asPlaced(order)), { 'idempotent-replayed': 'true' });
    logger.info('order accepted', { orderId: order.id, ownerId: order.ownerId, charge: order.charge, via: 'v1' });
    return created(orderJson(order));
  }),
  route(cancelOrder, async (req) => {
    const [result] = await cancelOrders(customerOrderServices(), req.caller.userId, [String(req.params.id)]);
    if (result?.outcome === 'requested') return { status: 202, body: { id: req.params.id, cancel: 'requested' } };
    throw refusal(result?.refusal ?? 'unknown_order', CANCEL_MESSAGES, result && 'providerMessage' in result ? result.providerMessage : undefined);
  }),
  route(refillOrder, async (req) => {
    const [result] = await refillOrders(customerOrderServices(), refillIds(), req.caller.userId, [String(req.params.id)]);
    if (result && 'refillId' in result) return created({ id: req.params.id, refill: result.refillId });
    const detail = result && 'refusal' in result ? result : undefined;
    const message = detail?.refusal === 'refill_period_over' ? `The refill period of ${detail.refillDays ?? 30} days has ended` : undefined;
    throw refusal(detail?.refusal ?? 'unknown_order', REFILL_MESSAGES, detail?.providerMessage, message);
  }),
];

const CANCEL_MESSAGES: Record<CancelRefusal, string> = {
  unknown_order: 'Order not found',
  cancel_not_available: 'This service does not allow cancelling',
  order_finished: 'The order has already finished',
  order_being_submitted: 'The order is being sent to the provider; try again in a minute',
  provider_unreachable: 'The provider could not be reached; try again later',
  provider_refused: 'The provider refused to cancel the order',
};

const REFILL_MESSAGES: Record<RefillRefusal, string> = {
  unknown_order: 'Order not found',
  refill_not_available: 'This service does not offer refills',
  order_not_completed: 'Only a completed order can be refilled',
  refill_period_over: 'The refill period has ended',
  refill_already_requested: 'A refill was requested less than a day ago; try again later',
  order_not_at_provider: 'This order cannot be refilled',
  provider_refused: 'The provider refused the refill',
  provider_unreachable: 'The provider could not be reached; try again later',
  provider_unconfirmed: 'The provider did not confirm the refill; try again tomorrow',
};

function refusal<C extends CancelRefusal | RefillRefusal>(code: C, messages: Record<C, string>, providerMessage?: string, message?: string): RestError {
  if (code === 'unknown_order') return notFound('Order');
  const text = message ?? messages[code];
  return new RestError(HTTP_STATUS_OF[code], code, providerMessage ? `${text}: ${providerMessage}` : text);
}

/** A date bound covers its whole day; times are compared as the ISO strings orders are created with. */
function timeBound(value: string, side: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}

function summaryJson(order: OrderSummary) {
  return {
    id: order.id,
    service: order.serviceId,
    ...(order.serviceType ? { type: order.serviceType } : {}),
    link: order.link,
    quantity: order.quantity,
    ...(order.runs !== undefined ? { runs: order.runs, interval: order.interval } : {}),
    charge: formatMoney(order.charge, 2),
    refunded: formatMoney(order.refunded, 2),
    status: order.status,
    ...(order.remains !== undefined ? { remains: order.remains } : {}),
    ...(order.startCount !== undefined ? { startCount: order.startCount } : {}),
    createdAt: order.createdAt,
  };
}

function orderJson(order: Order) {
  return {
    ...summaryJson(order),
    updatedAt: order.updatedAt,
    ...(order.providerFields ? { fields: order.providerFields } : {}),
  };
}
