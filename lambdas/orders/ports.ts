// What the order use cases need from outside: orders, refills, callback tokens, exclusive links, ids and the workflow.
import type { Order, OrderPhase, OrderStatusView, ProviderProgress, Settlement } from './domain/orders.js';
import type { OrderStatus } from './domain/order-status.js';
import type { ProviderMapping } from '../catalog/domain/catalog.js';
import type { Refill, RefillStatus } from './domain/refills.js';
import type { AttentionReason } from '../events/catalogue.js';
import type { ProviderHealthState } from './domain/provider-health.js';
import type { ResellerPricing } from './domain/reseller-pricing.js';
import type { PendingReading } from './domain/ambiguous-readings.js';

/** An open order as the open-orders index shows it: enough to poll and sweep without reading the order. */
export interface OpenOrderSummary {
  id: number;
  providerId: string;
  phase: OrderPhase;
  status: OrderStatus;
  externalOrderId?: string;
  startCount?: number;
  remains?: number;
  createdAt: string;
  progressAt?: string;
}

/** An order as the owner's list shows it (the owner-orders index's projection). */
export type OrderSummary = Pick<
  Order,
  'id' | 'serviceId' | 'serviceType' | 'link' | 'quantity' | 'runs' | 'interval' | 'charge' | 'refunded' | 'status' | 'remains' | 'startCount' | 'createdAt'
>;

/** One page of an owner's orders, newest first. `from`/`to` are ISO times (inclusive); `cursor` comes from the previous page. */
export interface OwnerOrdersQuery {
  ownerId: string;
  limit: number;
  status?: OrderStatus;
  serviceId?: number;
  from?: string;
  to?: string;
  /** An order id, or part of the link. */
  q?: string;
  cursor?: string;
}

/** What following an order at its provider needs of the store (the poller's writes, provider callbacks). */
export type OrderProgressStore = Pick<OrderStore, 'getOrder' | 'findByProviderOrder' | 'recordProgress'>;

export interface OrderStore {
  /**
   * Records the order and debits its charge in one transaction; refuses to overdraw the wallet. An order with
   * `activeCounted` takes a place in its owner's active-orders count in that same transaction, refused
   * (active_orders_limit, nothing written) when `maxActiveOrders` places are taken.
   */
  placeOrder(order: Order, limit?: { maxActiveOrders: number }): Promise<void>;
  /** The order a client's request id already produced, if any. */
  findByRequestId(ownerId: string, requestId: string): Promise<number | undefined>;
  getOrder(id: number): Promise<Order | undefined>;
  /** Any number of orders, read together: the missing ones are left out. */
  getOrders(ids: number[]): Promise<Map<number, Order>>;
  /** The same read, of only what a status answer shows: cheaper per order. */
  getOrderStatuses(ids: number[]): Promise<Map<number, OrderStatusView>>;
  /** Marks a call to the provider as under way, if none is; undefined when one is or the order is no longer waiting. */
  beginSubmit(id: number, now: string): Promise<Order | undefined>;
  /** Marks a call to the provider as under way, whether or not one was (resending is safe with request_id). */
  markSubmitInFlight(id: number, now: string): Promise<Order | undefined>;
  /**
   * Records the provider's order id and makes the order findable by it (findByProviderOrder). Returns the order as it
   * now stands; undefined when it was no longer waiting to be submitted.
   */
  recordSubmitted(order: Pick<Order, 'id' | 'providerId'>, externalOrderId: string, now: string): Promise<Order | undefined>;
  /** Our order id for a provider's order id; a hint only: the order's own providerId and externalOrderId decide. */
  findByProviderOrder(providerId: string, externalOrderId: string): Promise<number | undefined>;
  /** Marks the customer's wish to cancel, only while the order is in that phase; undefined otherwise. */
  requestCancel(id: number, now: string, whilePhase: OrderPhase): Promise<Order | undefined>;
  recordRejected(id: number, reason: string, now: string): Promise<void>;
  /**
   * Sends the order to another provider before submission (a fallback), only while it waits at `fromProviderId` with
   * no call that may have reached that provider, or (`afterRefusal`) one it refused outright; its open-orders entry
   * follows. Undefined when the order was no longer so.
   */
  reassignProvider(id: number, fromProviderId: string, to: ProviderMapping, reason: string, now: string, afterRefusal: boolean): Promise<Order | undefined>;
  countResubmitRound(id: number, now: string): Promise<void>;
  /** The workflow will not submit this in-flight order again: it waits for a person (`heldAt`; resend may take it). */
  holdUnconfirmed(id: number, now: string): Promise<void>;
  /** The last call certainly did not reach the provider, so the next one is safe. */
  clearSubmitInFlight(id: number, now: string): Promise<void>;
  /** Writes the provider's progress; returns the order as it now stands, undefined if it is already finalized. */
  recordProgress(id: number, progress: ProviderProgress, now: string): Promise<Order | undefined>;
  /**
   * Settles the order exactly once: status, refund ledger entry and wallet credit in one transaction, and for an
   * `activeCounted` order the give-back of its place in the active-orders count in that same transaction.
   */
  finalize(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'>;
  listOpenOrders(providerId: string, cursor?: string): Promise<{ orders: OpenOrderSummary[]; cursor?: string }>;
  /** The owner's orders, newest first; the cursor is absent on the last page. */
  listOwnerOrders(query: OwnerOrdersQuery): Promise<{ orders: OrderSummary[]; cursor?: string }>;
}

/** Refills: the claim on an order (one per cooldown) and the refills themselves. */
export interface RefillStore {
  /** Claims the order's refill for now (no other refill since the cooldown began) before the provider is asked. */
  reserveRefill(orderId: number, at: string, cooldownStartsAfter: string): Promise<{ reserved: true; previous?: string } | { reserved: false }>;
  /** Gives the claim back when the provider did not take the refill. */
  releaseRefill(orderId: number, at: string, previous?: string): Promise<void>;
  putRefill(refill: Refill): Promise<void>;
  getRefills(ids: number[]): Promise<Map<number, Refill>>;
  updateRefillStatus(id: number, status: RefillStatus, now: string): Promise<void>;
}

/** The callback tokens of waiting order workflows. */
export interface TaskTokenStore {
  /** Stores the workflow's callback token of the order. */
  parkTaskToken(id: number, token: string, now: string): Promise<void>;
  /** The callback token of the order's waiting workflow, if one was parked. */
  getTaskToken(id: number): Promise<string | undefined>;
}

/** Links one order at a time may use; the claim is taken when the order is placed. */
export interface ExclusiveLinks {
  /** Lets another order use the link again; harmless to repeat. */
  releaseExclusiveLink(order: Order): Promise<void>;
}

/** Per-owner limits on orders (configurable). What `reserve` takes is given back when no order results. */
export interface OrderLimits {
  /** Set when the active-orders limit is on: the order store counts the order in the order's own transaction. */
  readonly maxActiveOrders?: number;
  /** Counts the order's charge in its owner's daily spend, or refuses it (DomainError daily_spend_limit) counting nothing. */
  reserve(order: Pick<Order, 'ownerId' | 'charge' | 'createdAt'>): Promise<void>;
  /** Gives back what reserve took, for an order that was not placed after all. */
  release(order: Pick<Order, 'ownerId' | 'charge' | 'createdAt'>): Promise<void>;
}

export interface OrderIdAllocator {
  /** A new unique id; given the owner, an owner's ids come out close together where the store can arrange it. */
  next(ownerId?: string): Promise<number>;
}

/** Numeric ids for refills, handed out like order ids. */
export type RefillIdAllocator = OrderIdAllocator;

export interface OrderWorkflow {
  /** Starts the order's workflow unless one is already running; restarts (redrives) a failed one. */
  ensureStarted(orderId: number): Promise<void>;
  /** Resumes a workflow parked on a callback token. Unknown or expired tokens are not an error. */
  resume(taskToken: string, output: Record<string, unknown>): Promise<void>;
}

/**
 * Ambiguous provider readings waiting for a later one (domain/ambiguous-readings.ts): one small item per order, under
 * its provider, so the poller learns them all with one Query per run.
 */
export interface PendingReadingStore {
  /** The provider's pending readings by order id (usually none). */
  ofProvider(providerId: string): Promise<Map<number, PendingReading>>;
  get(providerId: string, orderId: number): Promise<PendingReading | undefined>;
  /** Keeps the reading unless another was kept meanwhile (conditioned on `replacing`, or on there being none). */
  hold(pending: PendingReading, replacing?: PendingReading): Promise<boolean>;
  /** Drops the reading if it is still that one. */
  drop(pending: PendingReading): Promise<void>;
  /** Drops the order's reading, whichever it is (or none): a definite reading contradicts any kept before it. */
  clear(providerId: string, orderId: number): Promise<void>;
  /**
   * Writes the confirmed progress to the order and consumes the pending reading in one transaction: undefined (nothing
   * written) when the reading was replaced or dropped meanwhile, or the order no longer waits for its provider.
   */
  confirm(pending: PendingReading, progress: ProviderProgress, now: string): Promise<Order | undefined>;
}

/** The poller's memory of each provider between runs (domain/provider-health.ts): one small item per provider. */
export interface ProviderHealthStore {
  get(providerId: string): Promise<ProviderHealthState | undefined>;
  /** Writes the state unless another run wrote since it was read (its version moved on); false then. */
  put(state: ProviderHealthState): Promise<boolean>;
}

/** The marks of open orders that need a person (the seam of the operators' attention queue). */
export interface AttentionMarks {
  /**
   * Records that the order needs a person for this reason (since when), once: false when it was already recorded or
   * the order is settled. The table's stream turns the mark into `order.needs_attention` (events/from-stream.ts);
   * the marks are also the seam of the operators' attention queue.
   */
  markAttention(id: number, reason: AttentionReason, since: string, now: string): Promise<boolean>;
}

/** Resellers' wholesale prices (issue 11), as order placement reads them: cached briefly per container. */
export interface ResellerPrices {
  /** The owner's pricing; undefined when it has none (catalog rates). */
  pricingOf(ownerId: string): Promise<ResellerPricing | undefined>;
}

/** One call to an order's provider, as the order's timeline shows it (never the provider's key). */
export interface OrderCallEntry {
  orderId: number;
  /** add, status, cancel, refresh, resend. */
  action: string;
  providerId: string;
  request: Record<string, string>;
  /** The answer or the error, as text; cut to a few hundred characters by the log. */
  answer: string;
  latencyMs: number;
  at: string;
  statusBefore?: string;
  statusAfter?: string;
}

/** The provider-call log of orders (issue 11): small items beside the order, read by the admin API's order page. */
export interface OrderCallLog {
  record(entry: OrderCallEntry): Promise<void>;
}

/** Something a person must look at, in the admin API's attention queue (one item per order and reason, or top-up). */
export interface AttentionItem {
  reason: AttentionReason | 'unconfirmed_submission' | 'wrong_amount';
  since: string;
  orderId?: number;
  topUpId?: string;
  ownerId?: string;
}

/** The attention queue: raised where the marks are made; dropped when resolved (docs/admin/orders.md). */
export interface AttentionQueue {
  raise(item: AttentionItem): Promise<void>;
}
