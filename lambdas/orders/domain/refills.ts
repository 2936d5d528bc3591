// Refills: a provider re-delivers what dropped after a completed order, within the service's refill window.
import type { Order } from './orders.js';
import type { Service } from '../../catalog/domain/catalog.js';

export const REFILL_STATUSES = ['Pending', 'In progress', 'Completed', 'Rejected'] as const;
export type RefillStatus = (typeof REFILL_STATUSES)[number];

export interface Refill {
  id: number;
  orderId: number;
  ownerId: string;
  providerId: string;
  externalRefillId: string;
  status: RefillStatus;
  createdAt: string;
  checkedAt: string;
}

export const DEFAULT_REFILL_DAYS = 30;
/** A second refill of one order is accepted only after this long, as panels do. */
export const REFILL_COOLDOWN_HOURS = 24;

/** Why an order cannot be refilled. Each API words these its own way (reseller/v2-errors.ts for the v2 protocol). */
export type RefillRefusal =
  | 'unknown_order'
  | 'refill_not_available'
  | 'order_not_completed'
  | 'refill_period_over'
  | 'refill_already_requested'
  | 'order_not_at_provider'
  | 'provider_refused'
  | 'provider_unreachable'
  | 'provider_unconfirmed';

/** Why this order cannot be refilled now (with the service's refill period in days), or undefined when it can. */
export function refillRefusal(order: Order, service: Service | undefined, now: Date): { refusal: RefillRefusal; refillDays?: number } | undefined {
  if (!service?.refill) return { refusal: 'refill_not_available' };
  if (order.phase !== 'finalized' || (order.status !== 'Completed' && order.status !== 'Partial')) return { refusal: 'order_not_completed' };
  const days = service.refillDays ?? DEFAULT_REFILL_DAYS;
  const endedAt = Date.parse(order.updatedAt);
  if (now.getTime() - endedAt > days * 86_400_000) return { refusal: 'refill_period_over', refillDays: days };
  if (order.lastRefillAt && now.getTime() - Date.parse(order.lastRefillAt) < REFILL_COOLDOWN_HOURS * 3_600_000) {
    return { refusal: 'refill_already_requested' };
  }
  return undefined;
}

const SPELLINGS: Record<string, RefillStatus> = {
  pending: 'Pending',
  awaiting: 'Pending',
  'in progress': 'In progress',
  inprogress: 'In progress',
  processing: 'In progress',
  completed: 'Completed',
  complete: 'Completed',
  done: 'Completed',
  rejected: 'Rejected',
  canceled: 'Rejected',
  cancelled: 'Rejected',
  error: 'Rejected',
  fail: 'Rejected',
  failed: 'Rejected',
};

export function readRefillStatus(raw: unknown): RefillStatus | undefined {
  if (typeof raw !== 'string') return undefined;
  return SPELLINGS[raw.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ')];
}

export function isFinalRefillStatus(status: RefillStatus): boolean {
  return status === 'Completed' || status === 'Rejected';
}
