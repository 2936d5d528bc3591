// One provider status report applied to one order: what the poller does with each answer it asked for, and what a
// provider's pushed callback does. One function, so an order moves the same way whichever way the news came.
import { type PendingReading, judgeReading } from '../domain/ambiguous-readings.js';
import { type Order, type ProviderProgress, shouldRecordProgress } from '../domain/orders.js';
import { isTerminal } from '../domain/order-status.js';
import type { OpenOrderSummary, OrderCallLog, OrderProgressStore, OrderWorkflow } from '../ports.js';
import type { OrderServices } from './order-services.js';

export type ReportServices = Pick<OrderServices, 'tokens' | 'settings' | 'readings'> & {
  workflow: Pick<OrderWorkflow, 'resume'>;
  orders: Pick<OrderProgressStore, 'recordProgress'>;
  /**
   * Where a status change is written in the order's provider-call log (the admin API's status history): given by the
   * poller and provider callbacks; an admin's refresh logs its own call instead. Only changes of status are logged
   * (a few per order), not every poll.
   */
  statusLog?: OrderCallLog;
};

/** Where the report came from, for the provider-call log. */
export interface ReportSource {
  via: 'poll' | 'callback';
  providerId: string;
  /** The provider call's latency (the poller's batch call), when there was one. */
  latencyMs?: number;
}

/** What the rule needs of the order: the open-orders index's projection, or the order itself. */
export type ReportedOrder = Pick<
  OpenOrderSummary,
  'id' | 'providerId' | 'phase' | 'status' | 'externalOrderId' | 'startCount' | 'remains' | 'createdAt' | 'progressAt'
>;

/**
 * `unchanged`: nothing worth a write, or the order no longer waits for its provider. `resumed`: written, and it ended.
 * `held`: an ambiguous reading, kept until a later one confirms or contradicts it; nothing settles.
 */
export type ReportOutcome = 'unchanged' | 'updated' | 'resumed' | 'held';

/** The order's pending reading, as the caller knows it: the poller reads its provider's once per run. */
export interface KnownPending {
  pending: PendingReading | undefined;
}

/** Submitted to the provider and not ended: the only orders a provider's status may move. */
export function awaitsProviderStatus(order: Pick<ReportedOrder, 'phase' | 'status' | 'externalOrderId'>): boolean {
  return order.phase === 'submitted' && order.externalOrderId !== undefined && !isTerminal(order.status);
}

/**
 * Writes the provider's progress when it is worth a write, and resumes the order's workflow when the order ended
 * (finalizeOrder then settles and refunds, exactly once). An ambiguous reading (Error, Fail, Partial without remains)
 * is only kept: the order ends on it once a later reading says the same (domain/ambiguous-readings.ts). Throws when a
 * write or the resume fails: the sweeper resumes an ended order whose resume was lost.
 */
export async function applyStatusReport(
  services: ReportServices,
  order: ReportedOrder,
  report: ProviderProgress,
  now: Date,
  source?: ReportSource,
  known?: KnownPending,
): Promise<ReportOutcome> {
  if (!awaitsProviderStatus(order)) return 'unchanged';
  const pending = known ? known.pending : await services.readings.get(order.providerId, order.id);
  const verdict = judgeReading(order, pending, report, now, { confirmAfterMs: services.settings.ambiguousConfirmMs });
  let updated: Order | undefined;
  switch (verdict.kind) {
    case 'wait':
      return 'unchanged';
    case 'hold':
    case 'stuck':
      return (await services.readings.hold(verdict.pending, verdict.replacing)) ? 'held' : 'unchanged';
    case 'confirm':
      updated = await services.readings.confirm(verdict.pending, withoutDoubt(report), now.toISOString());
      break;
    case 'apply':
      // A definite reading ends any doubt read before it, first. The poller drops the reading it knows of (its run's
      // copy), and after the batch any reading kept meanwhile (dropOverruledReadings): a delete per order and poll
      // would cost a write each. Alone (a callback) it clears by key, whatever it read: a reading kept meanwhile must
      // not be confirmed by a later one across this definite reading. At worst one kept just now waits again.
      if (!known) await services.readings.clear(order.providerId, order.id);
      else if (known.pending) await services.readings.drop(known.pending);
      if (!shouldRecordProgress(order, report, now, services.settings.progressMinIntervalMs)) return 'unchanged';
      updated = await services.orders.recordProgress(order.id, report, now.toISOString());
      break;
  }
  if (!updated) return 'unchanged';
  if (services.statusLog && source && updated.status !== order.status) {
    // Best effort: the history is for people; the order has moved whatever happens to this write.
    await services.statusLog
      .record({
        orderId: order.id,
        action: 'status',
        providerId: source.providerId,
        request: { via: source.via, order: order.externalOrderId ?? '' },
        answer: JSON.stringify(report),
        latencyMs: source.latencyMs ?? 0,
        at: now.toISOString(),
        statusBefore: order.status,
        statusAfter: updated.status,
      })
      .catch(() => undefined);
  }
  if (!isTerminal(updated.status)) return 'updated';
  const token = await services.tokens.getTaskToken(order.id);
  if (!token) return 'updated';
  await services.workflow.resume(token, { orderId: order.id, status: updated.status });
  return 'resumed';
}

function withoutDoubt(report: ProviderProgress): ProviderProgress {
  const { doubtful: _doubtful, ...rest } = report;
  return rest;
}

/**
 * After a poll's batch: drops the pending readings of `orderIds` (each read definitely, at `answeredAt`) that were
 * kept no later than that answer, such as a callback's kept while the batch ran. One Query of the provider's pending
 * readings (usually none) instead of a delete per order. Readings kept after the answer are newer news: they stay.
 */
export async function dropOverruledReadings(
  services: Pick<ReportServices, 'readings'>,
  providerId: string,
  orderIds: readonly number[],
  answeredAt: Date,
): Promise<void> {
  if (orderIds.length === 0) return;
  let current: Map<number, PendingReading>;
  try {
    current = await services.readings.ofProvider(providerId);
  } catch {
    // Unread: each is cleared by key, as a definite reading alone would.
    for (const orderId of orderIds) await services.readings.clear(providerId, orderId);
    return;
  }
  const answered = answeredAt.toISOString();
  for (const orderId of orderIds) {
    const reading = current.get(orderId);
    if (reading && reading.firstSeenAt <= answered) await services.readings.drop(reading);
  }
}
