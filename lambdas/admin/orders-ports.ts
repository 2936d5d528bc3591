// What the admin API's order use cases need from outside: the admin list and timeline of orders, money moved by an
// admin, and the attention queue. The order spine's own ports (lambdas/orders/ports.ts) do the rest.
import type { PendingReading } from '../orders/domain/ambiguous-readings.js';
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { ProviderMapping } from '../catalog/domain/catalog.js';
import type { Order } from '../orders/domain/orders.js';
import type { OrderStatus } from '../orders/domain/order-status.js';
import type { AttentionItem } from '../orders/ports.js';
import type { LedgerEntry } from '../wallets/ports.js';
import type { Micros } from '../shared/money.js';

export type { AttentionItem, AttentionQueue, OrderCallEntry, OrderCallLog } from '../orders/ports.js';

/** One page of every owner's orders, newest first. `from`/`to` are ISO times (inclusive). */
export interface AdminOrdersQuery {
  limit: number;
  userId?: string;
  status?: OrderStatus;
  serviceId?: number;
  providerId?: string;
  from?: string;
  to?: string;
  /** A substring of the link (case-sensitive, as stored). */
  link?: string;
  cursor?: string;
}

export interface AdminOrderSummary {
  id: number;
  ownerId: string;
  serviceId: number;
  providerId?: string;
  link: string;
  quantity: number;
  charge: Micros;
  refunded: Micros;
  status: OrderStatus;
  createdAt: string;
}

/** What one list request read, for the bench and the docs' cost figures. */
export interface ListReads {
  queries: number;
  itemsRead: number;
}

/** An entry of the order's timeline: a provider call, a note, or an admin action. */
export interface TimelineEntry {
  kind: 'call' | 'note' | 'action';
  at: string;
  action: string;
  /** call: what was sent (never the key). */
  request?: Record<string, unknown>;
  /** call: the provider's answer or error, truncated. */
  answer?: string;
  latencyMs?: number;
  /** call: the order's status before and after, when the answer changed it. */
  statusBefore?: string;
  statusAfter?: string;
  /** note, action: who. */
  actor?: string;
  actorEmail?: string;
  text?: string;
}

export interface AdminRefund {
  order: Order;
  amount: Micros;
  reason: string;
  idempotencyKey: string;
  audit: AuditEntry;
  at: string;
}

export interface AdminOrderStore {
  listOrders(query: AdminOrdersQuery): Promise<{ orders: AdminOrderSummary[]; cursor?: string; reads: ListReads }>;
  /** The order as stored, with its settlement time. */
  getOrder(id: number): Promise<(Order & { finalizedAt?: string }) | undefined>;
  timeline(orderId: number): Promise<TimelineEntry[]>;
  /** An ambiguous provider answer the order waits to see confirmed (docs/providers.md, "Ambiguous answers"). */
  pendingReading(order: Pick<Order, 'id' | 'providerId'>): Promise<PendingReading | undefined>;
  /** The ledger entries of the order (reference `order:<id>`) in its owner's wallet, oldest first. */
  ledgerOf(order: Order): Promise<{ entries: LedgerEntry[]; complete: boolean }>;
  /**
   * Refunds part of a settled order: the ledger entry, the order's `refunded` and the audit entry in one transaction,
   * never past the charge. The same idempotency key again: the first refund, moving nothing.
   */
  refund(refund: AdminRefund): Promise<{ replayed: boolean; refunded: Micros }>;
  addNote(orderId: number, note: { text: string; actor: string; actorEmail?: string; at: string; idempotencyKey?: string }, audit: AuditEntry): Promise<void>;
}

/** What the admin's order actions write on an order, besides the spine's own submission writes. */
export interface AdminOrderWrites {
  /** Refuses the submission of an order no call to its provider can have reached; false if one may have. */
  rejectBeforeSubmission(id: number, reason: string, now: string): Promise<boolean>;
  /** A person says an unconfirmed submission never reached the provider: the order is refused, to be refunded. */
  rejectUnconfirmed(id: number, reason: string, now: string): Promise<boolean>;
  /**
   * Points an order held for a person (`heldAt`: the workflow will not submit it again) at `target`, with its cost, and
   * marks a call under way; undefined when the order was not so (not held, moved away from `fromProviderId`, cancel
   * asked by its customer, or past `accepted`).
   */
  prepareResend(id: number, fromProviderId: string, target: ProviderMapping, now: string): Promise<Order | undefined>;
  audit(entry: AuditEntry): Promise<void>;
}

/** The attention queue as the admin API reads it: the raised items, their subjects' state, and dropping resolved ones. */
export interface AttentionReader {
  list(page: { limit: number; cursor?: string }): Promise<{ items: (AttentionItem & { key: string })[]; cursor?: string }>;
  orders(ids: number[]): Promise<Map<number, Pick<Order, 'phase' | 'status' | 'providerId'>>>;
  /** Which of these orders still have a pending ambiguous reading at their provider. */
  pendingReadings(orders: readonly { orderId: number; providerId: string }[]): Promise<Set<number>>;
  topUp(ownerId: string, id: string): Promise<{ status: string; creditedAt?: string } | undefined>;
  drop(keys: string[]): Promise<void>;
}

export interface AttentionView {
  key: string;
  reason: 'overdue' | 'unknown_status' | 'order_not_found' | 'ambiguous_status' | 'unconfirmed_submission' | 'wrong_amount';
  since: string;
  orderId?: number;
  topUpId?: string;
  ownerId?: string;
  /** What resolves it: `POST /admin/v1/orders/{id}/resend`, ... */
  actions: string[];
}
