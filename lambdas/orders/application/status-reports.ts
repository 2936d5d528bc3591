// One provider status report applied to one order: what the poller does with each answer it asked for, and what a
// provider's pushed callback does. One function, so an order moves the same way whichever way the news came.
import { type ProviderProgress, shouldRecordProgress } from '../domain/orders.js';
import { isTerminal } from '../domain/order-status.js';
import type { OpenOrderSummary, OrderProgressStore, OrderWorkflow } from '../ports.js';
import type { OrderServices } from './order-services.js';

export type ReportServices = Pick<OrderServices, 'tokens' | 'settings'> & {
  workflow: Pick<OrderWorkflow, 'resume'>;
  orders: Pick<OrderProgressStore, 'recordProgress'>;
};

/** What the rule needs of the order: the open-orders index's projection, or the order itself. */
export type ReportedOrder = Pick<OpenOrderSummary, 'id' | 'phase' | 'status' | 'externalOrderId' | 'startCount' | 'remains' | 'createdAt' | 'progressAt'>;

/** `unchanged`: nothing worth a write, or the order no longer waits for its provider. `resumed`: written, and it ended. */
export type ReportOutcome = 'unchanged' | 'updated' | 'resumed';

/** Submitted to the provider and not ended: the only orders a provider's status may move. */
export function awaitsProviderStatus(order: Pick<ReportedOrder, 'phase' | 'status' | 'externalOrderId'>): boolean {
  return order.phase === 'submitted' && order.externalOrderId !== undefined && !isTerminal(order.status);
}

/**
 * Writes the provider's progress when it is worth a write, and resumes the order's workflow when the order ended
 * (finalizeOrder then settles and refunds, exactly once). Throws when a write or the resume fails: the sweeper
 * resumes an ended order whose resume was lost.
 */
export async function applyStatusReport(services: ReportServices, order: ReportedOrder, report: ProviderProgress, now: Date): Promise<ReportOutcome> {
  if (!awaitsProviderStatus(order)) return 'unchanged';
  if (!shouldRecordProgress(order, report, now, services.settings.progressMinIntervalMs)) return 'unchanged';
  const updated = await services.orders.recordProgress(order.id, report, now.toISOString());
  if (!updated) return 'unchanged';
  if (!isTerminal(updated.status)) return 'updated';
  const token = await services.tokens.getTaskToken(order.id);
  if (!token) return 'updated';
  await services.workflow.resume(token, { orderId: order.id, status: updated.status });
  return 'resumed';
}
