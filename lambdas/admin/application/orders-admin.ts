// The admin API's orders that need no provider: the list over every owner, one order's page (status history,
// provider calls, ledger entries, notes), a partial refund by an admin, notes, and the attention queue.
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { Order } from '../../orders/domain/orders.js';
import { DomainError } from '../../shared/errors.js';
import { type Micros, formatMoney, inUnits, parseMoney } from '../../shared/money.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { Clock } from '../../shared/ports.js';
import type { AdminCaller } from '../domain/admin-caller.js';
import type { AdminOrderStore, AdminOrdersQuery, AttentionReader, AttentionView, TimelineEntry } from '../orders-ports.js';

export interface AdminOrderServices {
  admin: AdminOrderStore;
  attention: AttentionReader;
  clock: Clock;
  /** RefundAmount: refunds by hand count with the workflow's. */
  metrics: MetricsRecorder;
}

/** Who acts, as the audit log records them. */
export interface Actor {
  caller: AdminCaller;
  sourceIp: string;
}

export async function listOrders(services: Pick<AdminOrderServices, 'admin'>, query: AdminOrdersQuery) {
  // Bounds as the route resolved them (a date `to` is the end of its day), so comparable as ISO strings.
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new DomainError('invalid_request', 'from: must not be after to', 'from');
  }
  return services.admin.listOrders(query);
}

export interface OrderPage {
  order: Order & { finalizedAt?: string };
  /** Each status the order was seen in, oldest first: placed, the provider's changes, settled. */
  history: { status: string; at: string; source: string }[];
  calls: TimelineEntry[];
  notes: TimelineEntry[];
  actions: TimelineEntry[];
  ledger: Awaited<ReturnType<AdminOrderStore['ledgerOf']>>;
  pendingReading?: Awaited<ReturnType<AdminOrderStore['pendingReading']>>;
}

export async function orderPage(services: Pick<AdminOrderServices, 'admin'>, id: number): Promise<OrderPage | undefined> {
  const order = await services.admin.getOrder(id);
  if (!order) return undefined;
  const [timeline, ledger, pendingReading] = await Promise.all([
    services.admin.timeline(id),
    services.admin.ledgerOf(order),
    order.phase === 'finalized' ? undefined : services.admin.pendingReading(order),
  ]);
  const calls = timeline.filter((e) => e.kind === 'call');
  const history: OrderPage['history'] = [{ status: 'Pending', at: order.createdAt, source: 'placed' }];
  for (const call of calls) {
    if (call.statusAfter !== undefined && call.statusAfter !== call.statusBefore) history.push({ status: call.statusAfter, at: call.at, source: call.action });
  }
  if (order.finalizedAt) {
    const last = history.at(-1)!;
    if (last.status !== order.status) history.push({ status: order.status, at: order.finalizedAt, source: 'settled' });
  }
  return {
    order,
    history,
    calls,
    notes: timeline.filter((e) => e.kind === 'note'),
    actions: timeline.filter((e) => e.kind === 'action'),
    ledger,
    ...(pendingReading ? { pendingReading } : {}),
  };
}

export function auditOf(actor: Actor, fields: Omit<AuditEntry, 'actor' | 'actorRole' | 'actorEmail' | 'source' | 'subjectType'>): AuditEntry {
  return {
    actor: actor.caller.userId,
    actorRole: actor.caller.role,
    ...(actor.caller.email ? { actorEmail: actor.caller.email } : {}),
    source: actor.sourceIp,
    subjectType: 'order',
    ...fields,
  };
}

export interface RefundInput {
  orderId: number;
  /** A decimal string, positive. */
  amount: string;
  reason: string;
  idempotencyKey: string;
}

/** A partial refund by an admin of a settled order: never above what is left of its charge; once per Idempotency-Key. */
export async function refundOrder(services: Pick<AdminOrderServices, 'admin' | 'clock' | 'metrics'>, actor: Actor, input: RefundInput) {
  const amount: Micros = parseMoney(input.amount, 'amount');
  if (amount <= 0) throw new DomainError('invalid_amount', 'amount: must be more than zero', 'amount');
  const order = await services.admin.getOrder(input.orderId);
  if (!order) throw new DomainError('unknown_order', 'Order not found');
  const at = services.clock.now().toISOString();
  if (order.phase !== 'finalized') {
    // A retry of a refund made earlier still answers as the first did; a first try on an open order is refused.
    throw new DomainError('order_not_finalized', 'Only a settled order can be refunded by hand; cancel an open one');
  }
  // The store checks the Idempotency-Key first (a retry answers as the first did) and the remainder in its transaction.
  const result = await services.admin.refund({ order, amount, reason: input.reason, idempotencyKey: input.idempotencyKey, at, audit: refundAudit() });
  if (!result.replayed) services.metrics.record('RefundAmount', inUnits(amount), {});
  return { order: { ...order, refunded: result.refunded }, replayed: result.replayed, amount };

  function refundAudit(): AuditEntry {
    return auditOf(actor, {
      action: 'order.refunded',
      subject: String(order!.id),
      ownerId: order!.ownerId,
      reason: input.reason,
      before: { refunded: formatMoney(order!.refunded, 2) },
      after: { refunded: formatMoney((order!.refunded + amount) as Micros, 2), amount: formatMoney(amount, 2) },
      at,
    });
  }
}

export async function addNote(
  services: Pick<AdminOrderServices, 'admin' | 'clock'>,
  actor: Actor,
  input: { orderId: number; text: string; idempotencyKey?: string },
): Promise<TimelineEntry> {
  const order = await services.admin.getOrder(input.orderId);
  if (!order) throw new DomainError('unknown_order', 'Order not found');
  const at = services.clock.now().toISOString();
  const note = {
    text: input.text,
    actor: actor.caller.userId,
    ...(actor.caller.email ? { actorEmail: actor.caller.email } : {}),
    at,
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
  };
  await services.admin.addNote(
    order.id,
    note,
    auditOf(actor, { action: 'order.note_added', subject: String(order.id), ownerId: order.ownerId, after: { note: input.text }, at }),
  );
  return { kind: 'note', action: 'note', at, actor: note.actor, ...(note.actorEmail ? { actorEmail: note.actorEmail } : {}), text: input.text };
}

/** What resolves each reason, as admin API calls. */
export function resolvingActions(item: { reason: AttentionView['reason']; orderId?: number; ownerId?: string }): string[] {
  const order = `/admin/v1/orders/${item.orderId}`;
  switch (item.reason) {
    case 'unconfirmed_submission':
      return [`POST ${order}/resend`, `POST ${order}/cancel {"neverReachedProvider": true}`];
    case 'order_not_found':
      return [`POST ${order}/refresh`, `POST ${order}/cancel`];
    case 'ambiguous_status':
      // A Partial without remains ends only with an amount: the provider's (refresh) or a person's (settle).
      return [`POST ${order}/refresh`, `POST ${order}/settle {"status": "Partial", "remains": <not delivered>, "reason": "…"}`, `POST ${order}/cancel`];
    case 'unknown_status':
    case 'overdue':
      return [`POST ${order}/refresh`, `POST ${order}/cancel`];
    case 'wrong_amount':
      return [`POST /admin/v1/users/${item.ownerId}/adjustments`];
  }
}

/**
 * The queue of what needs a person, oldest first. Items whose subject is settled or resolved (the order finalized,
 * submitted since, its ambiguous reading cleared by a definite one, the top-up credited or out of review) are dropped
 * as they are met.
 */
export async function attentionQueue(services: Pick<AdminOrderServices, 'attention'>, page: { limit: number; cursor?: string }) {
  const raised = await services.attention.list(page);
  const orderIds = [...new Set(raised.items.flatMap((item) => (item.orderId !== undefined ? [item.orderId] : [])))];
  const orders = await services.attention.orders(orderIds);
  // An ambiguous reading a definite one has cleared since needs nobody: the order goes on by itself.
  const doubtful = raised.items.flatMap((item) => {
    const order = item.reason === 'ambiguous_status' && item.orderId !== undefined ? orders.get(item.orderId) : undefined;
    return order ? [{ orderId: item.orderId!, providerId: order.providerId }] : [];
  });
  const stillDoubtful = doubtful.length > 0 ? await services.attention.pendingReadings(doubtful) : new Set<number>();
  const open: AttentionView[] = [];
  const resolved: string[] = [];
  for (const item of raised.items) {
    let still = false;
    if (item.orderId !== undefined) {
      const order = orders.get(item.orderId);
      still =
        order !== undefined &&
        order.phase !== 'finalized' &&
        (item.reason !== 'unconfirmed_submission' || order.phase === 'accepted') &&
        (item.reason !== 'ambiguous_status' || stillDoubtful.has(item.orderId));
    } else if (item.topUpId !== undefined && item.ownerId !== undefined) {
      const topUp = await services.attention.topUp(item.ownerId, item.topUpId);
      still = topUp !== undefined && topUp.status === 'review' && topUp.creditedAt === undefined;
    }
    if (still) open.push({ ...item, actions: resolvingActions(item) });
    else resolved.push(item.key);
  }
  if (resolved.length > 0) await services.attention.drop(resolved);
  return { items: open, ...(raised.cursor ? { cursor: raised.cursor } : {}) };
}
