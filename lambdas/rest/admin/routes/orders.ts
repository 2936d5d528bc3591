// Admin API implementations: every owner's orders, one order's page, the attention queue, refunds and notes. The
// actions that ask the provider (refresh, cancel, resend) are in order-actions.ts, in their own function.
import { addNote, attentionQueue, listOrders, orderPage, refundOrder } from '../../../admin/application/orders-admin.js';
import type { AdminOrderSummary } from '../../../admin/orders-ports.js';
import { adminOrderServices } from '../../../admin/orders-wiring.js';
import { formatMoney } from '../../../shared/money.js';
import { created, notFound, ok, type RouteImpl, route } from '../../v1/http.js';
import { addAdminOrderNote, getAdminOrder, getAttentionQueue, listAdminOrders, refundAdminOrder } from '../contract/orders.js';
import { adminOrderJson, timeBound } from './order-json.js';

export const adminOrdersRoutes: readonly RouteImpl[] = [
  route(listAdminOrders, async (req) => {
    const { query } = req;
    const { orders, cursor } = await listOrders(adminOrderServices(), {
      limit: query.limit,
      ...(query.user ? { userId: query.user } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.service !== undefined ? { serviceId: query.service } : {}),
      ...(query.provider ? { providerId: query.provider } : {}),
      ...(query.from ? { from: timeBound(query.from, 'start') } : {}),
      ...(query.to ? { to: timeBound(query.to, 'end') } : {}),
      ...(query.link ? { link: query.link } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return ok({ items: orders.map(summaryJson), nextCursor: cursor ?? null });
  }),
  route(getAttentionQueue, async (req) => {
    const { items, cursor } = await attentionQueue(adminOrderServices(), { limit: req.query.limit, ...(req.query.cursor ? { cursor: req.query.cursor } : {}) });
    return ok({
      items: items.map(({ key: _key, ownerId, ...item }) => ({ ...item, ...(ownerId ? { userId: ownerId } : {}) })),
      nextCursor: cursor ?? null,
    });
  }),
  route(getAdminOrder, async (req) => {
    const found = await orderPage(adminOrderServices(), req.params.id);
    if (!found) throw notFound('Order');
    return ok({
      order: adminOrderJson(found.order),
      history: found.history,
      ...(found.pendingReading
        ? {
            pendingReading: {
              status: found.pendingReading.status,
              ...(found.pendingReading.remains !== undefined ? { remains: found.pendingReading.remains } : {}),
              firstSeenAt: found.pendingReading.firstSeenAt,
              ...(found.pendingReading.confirmedAt ? { confirmedAt: found.pendingReading.confirmedAt } : {}),
              ...(found.pendingReading.alertedAt ? { alertedAt: found.pendingReading.alertedAt } : {}),
            },
          }
        : {}),
      providerCalls: found.calls,
      actions: found.actions,
      notes: found.notes,
      ledger: found.ledger.entries.map(({ walletId: _w, amount, balanceAfter, ...entry }) => ({
        ...entry,
        amount: formatMoney(amount, 2),
        balanceAfter: formatMoney(balanceAfter, 2),
      })),
      ledgerComplete: found.ledger.complete,
    });
  }),
  route(refundAdminOrder, async (req) => {
    const { order, amount, replayed } = await refundOrder(
      adminOrderServices(),
      { caller: req.caller, sourceIp: req.sourceIp },
      { orderId: req.params.id, amount: req.body.amount, reason: req.body.reason, idempotencyKey: req.headers['idempotency-key'] },
    );
    return ok(
      { id: order.id, amount: formatMoney(amount, 2), refunded: formatMoney(order.refunded, 2), charge: formatMoney(order.charge, 2) },
      replayed ? { 'idempotent-replayed': 'true' } : undefined,
    );
  }),
  route(addAdminOrderNote, async (req) => {
    const key = req.headers['idempotency-key'];
    const note = await addNote(
      adminOrderServices(),
      { caller: req.caller, sourceIp: req.sourceIp },
      { orderId: req.params.id, text: req.body.text, ...(key ? { idempotencyKey: key } : {}) },
    );
    return created(note);
  }),
];

function summaryJson(order: AdminOrderSummary) {
  return {
    id: order.id,
    userId: order.ownerId,
    service: order.serviceId,
    ...(order.providerId ? { provider: order.providerId } : {}),
    link: order.link,
    quantity: order.quantity,
    charge: formatMoney(order.charge, 2),
    refunded: formatMoney(order.refunded, 2),
    status: order.status,
    createdAt: order.createdAt,
  };
}
