// REST v1 implementations: the caller's orders (list, read, place), through the same use cases as /api/v2, so limits
// and idempotency behave the same on both. Cancel and refill, which call the provider, are in order-actions.ts.
import { asPlaced, listOwnerOrders, ownerOrder } from '../../../orders/application/owner-orders.js';
import { placeOrder as placeOrderUseCase } from '../../../orders/application/place-order.js';
import type { Order } from '../../../orders/domain/orders.js';
import type { OrderSummary } from '../../../orders/ports.js';
import { ownerOrderServices } from '../../../orders/wiring.js';
import { logger } from '../../../shared/logger.js';
import { formatMoney } from '../../../shared/money.js';
import { getOrder, listOrders, placeOrder } from '../contract/orders.js';
import { created, notFound, ok, type RouteImpl, route } from '../http.js';

export const ordersRoutes: readonly RouteImpl[] = [
  route(listOrders, async (req) => {
    const { query } = req;
    const { orders, cursor } = await listOwnerOrders(ownerOrderServices(), {
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
    const order = await ownerOrder(ownerOrderServices(), req.caller.userId, req.params.id);
    if (!order) throw notFound('Order');
    return ok(orderJson(order));
  }),
  route(placeOrder, async (req) => {
    const { service, ...rest } = req.body;
    const fields: Record<string, string> = Object.create(null);
    for (const [name, value] of Object.entries(rest)) fields[name] = String(value);
    const requestId = req.headers['idempotency-key'];
    const { order, replayed } = await placeOrderUseCase(ownerOrderServices(), {
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
];

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
