// Domain events: what happened, for notifications, reseller webhooks and reports to react to.
import type { OrderStatus } from './order-status.js';

interface EventBase<T extends string, D> {
  /** Stable per fact, so consumers can drop repeats. */
  id: string;
  type: T;
  at: string;
  detail: D;
}

export type OrderFinalized = EventBase<
  'order.finalized',
  { orderId: number; ownerId: string; status: OrderStatus; charge: string; refund: string; remains: number }
>;

export type DomainEvent = OrderFinalized;
