// Provider answers that may not mean what they say: `Error`/`Fail` (a panel's passing fault as often as a failed
// order) and `Partial` without `remains` (no amount to refund). One such reading settles nothing: it is kept as the
// order's pending reading, and money moves only when a later reading, at least `confirmAfterMs` after it, says the
// same. Pure: the clock and the settings come from outside.
import type { ProviderProgress } from './orders.js';
import type { OrderStatus } from './order-status.js';

/** An ambiguous reading waiting for a later one (one small item per order: PendingReadingStore). */
export interface PendingReading {
  orderId: number;
  providerId: string;
  status: OrderStatus;
  remains?: number;
  firstSeenAt: string;
  /**
   * When the first of an unbroken run of ambiguous readings was read, when this one replaced another (Error, then
   * Partial without remains): the alert's clock, which a provider flipping between them must not restart.
   */
  since?: string;
  /** A later reading said the same, and it still cannot settle (Partial without remains): a person is needed. */
  confirmedAt?: string;
  /** The order was marked `ambiguous_status` for a person. */
  alertedAt?: string;
}

export interface ReadingSettings {
  /** Least time between the ambiguous reading and the one that confirms it: one poll period, so never the same poll. */
  confirmAfterMs: number;
}

export type ReadingVerdict =
  /**
   * A reading that means what it says: applied as any other; the order's pending reading, whichever it is by then
   * (`drop` is only the one judged against), is dropped first.
   */
  | { kind: 'apply'; drop?: PendingReading }
  /** A new ambiguous reading (or one that differs from the pending one, which it replaces): kept, nothing settles. */
  | { kind: 'hold'; pending: PendingReading; replacing?: PendingReading }
  /** The same ambiguous reading again, too soon to count as a second one: nothing changes. */
  | { kind: 'wait' }
  /** Confirmed and still no amount to refund (Partial without remains): kept open for a person or a reading with remains. */
  | { kind: 'stuck'; pending: PendingReading; replacing: PendingReading }
  /** Confirmed: settle on it (the pending reading is consumed in the same write). */
  | { kind: 'confirm'; pending: PendingReading };

/** Whether one reading alone must not settle the order. */
export function isAmbiguous(reading: Pick<ProviderProgress, 'status' | 'doubtful' | 'remains'>): boolean {
  if (reading.doubtful === true) return true;
  return reading.status === 'Partial' && !usableRemains(reading.remains);
}

function usableRemains(remains: number | undefined): boolean {
  return remains !== undefined && Number.isSafeInteger(remains) && remains >= 0;
}

/** What to do with a provider's reading of an open order, given the pending reading the order has (if any). */
export function judgeReading(
  order: { id: number; providerId: string },
  pending: PendingReading | undefined,
  reading: ProviderProgress,
  now: Date,
  settings: ReadingSettings,
): ReadingVerdict {
  if (!isAmbiguous(reading)) return pending ? { kind: 'apply', drop: pending } : { kind: 'apply' };
  const fresh: PendingReading = {
    orderId: order.id,
    providerId: order.providerId,
    status: reading.status,
    ...(reading.remains !== undefined ? { remains: reading.remains } : {}),
    firstSeenAt: now.toISOString(),
  };
  if (!pending) return { kind: 'hold', pending: fresh };
  // Another ambiguous reading: its confirmation waits anew, its alert does not.
  if (pending.status !== reading.status) return { kind: 'hold', pending: { ...fresh, since: pendingSince(pending) }, replacing: pending };
  if (now.getTime() - Date.parse(pending.firstSeenAt) < settings.confirmAfterMs) return { kind: 'wait' };
  if (reading.status !== 'Partial') return { kind: 'confirm', pending };
  if (pending.confirmedAt !== undefined) return { kind: 'wait' };
  return { kind: 'stuck', pending: { ...pending, confirmedAt: now.toISOString() }, replacing: pending };
}

/** A pending reading open this long needs a person (the poller marks the order `ambiguous_status`). */
export function ambiguousFor(pending: PendingReading, now: Date, alertAfterMs: number): boolean {
  return now.getTime() - Date.parse(pendingSince(pending)) >= alertAfterMs;
}

/** Since when the order has had an ambiguous reading pending, whichever one it is now. */
export function pendingSince(pending: PendingReading): string {
  return pending.since ?? pending.firstSeenAt;
}
