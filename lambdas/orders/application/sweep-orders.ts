// The safety net under the stream-driven workflow start: finds open orders whose workflow should be running but
// may not be (the start was lost, or a step failed for good) and starts or redrives it. Harmless to repeat.
import { isTerminal } from '../domain/order-status.js';
import { overdueAt } from '../domain/overdue.js';
import type { AttentionMarks, OpenOrderSummary } from '../ports.js';
import type { OrderServices } from './order-services.js';

export interface SweepOptions {
  /** Also restart orders that look healthy (waiting on the provider): used when no workflow can have survived. */
  everything?: boolean;
}

/** What the sweeper needs to tell operators of orders open past their service's expected time. */
export interface OverdueWatch {
  marks: AttentionMarks;
  settings: { defaultExpectedMinutes: number };
}

export type SweepServices = Pick<OrderServices, 'catalog' | 'orders' | 'tokens' | 'workflow' | 'clock' | 'settings' | 'metrics'> & { watch?: OverdueWatch };

export interface SweepResult {
  examined: number;
  started: number[];
  failed: { orderId: number; error: string }[];
  /** Orders found overdue and marked so this sweep (the stream then publishes order.needs_attention). */
  overdue: number[];
}

export async function sweepOpenOrders(services: SweepServices, options: SweepOptions = {}): Promise<SweepResult> {
  const now = services.clock.now().getTime();
  const minAge = services.settings.sweepMinAgeMs;
  const started: number[] = [];
  const failed: { orderId: number; error: string }[] = [];
  const overdue: number[] = [];
  let examined = 0;
  for (const provider of await services.catalog.listProviders()) {
    let cursor: string | undefined;
    // How far the provider's oldest open order is past its expected time; undefined once a page could not be judged.
    let oldestOverdueMs: number | undefined = 0;
    do {
      const page = await services.orders.listOpenOrders(provider.id, cursor);
      cursor = page.cursor;
      if (services.watch) {
        const judged = await tellOverdue(services, services.watch, page.orders).catch(() => undefined);
        overdue.push(...(judged?.told ?? []));
        oldestOverdueMs = judged && oldestOverdueMs !== undefined ? Math.max(oldestOverdueMs, judged.oldestOverdueMs) : undefined;
      }
      for (const order of page.orders) {
        examined++;
        const quietFor = now - Date.parse(order.progressAt ?? order.createdAt);
        const stuck = (order.phase === 'accepted' || isTerminal(order.status)) && quietFor >= minAge;
        if (!options.everything && !stuck) continue;
        try {
          // An order that ended while its workflow waits (the poller's resume was lost) only needs resuming.
          if (isTerminal(order.status)) {
            const token = await services.tokens.getTaskToken(order.id);
            if (token) await services.workflow.resume(token, { orderId: order.id, status: order.status });
          }
          await services.workflow.ensureStarted(order.id);
          started.push(order.id);
        } catch (error) {
          // One order whose workflow cannot be restarted (for example, not redrivable) must not stop the sweep.
          failed.push({ orderId: order.id, error: `${(error as Error).name}: ${(error as Error).message}` });
        }
      }
    } while (cursor);
    // Every run, 0 included, so the alarm on it sees a provider recover; nothing when its orders could not all be read.
    if (services.watch && oldestOverdueMs !== undefined)
      services.metrics.record('OpenOrderOverdue', Math.ceil(oldestOverdueMs / 1000), { provider: provider.id });
  }
  return { examined, started, failed, overdue };
}

/**
 * Marks the page's orders that are open past their service's expected time, once per order; the table's stream turns
 * the mark into order.needs_attention. The open orders index does not carry the service, so only orders older than
 * the shortest expected time are read (one BatchGetItem), and an order already marked is left alone. Also says how
 * far the page's most overdue order is past its time (marked or not), in milliseconds.
 */
async function tellOverdue(services: SweepServices, watch: OverdueWatch, page: OpenOrderSummary[]): Promise<{ told: number[]; oldestOverdueMs: number }> {
  const now = services.clock.now();
  const catalogServices = await services.catalog.listServices();
  const shortest = Math.min(watch.settings.defaultExpectedMinutes, ...catalogServices.map((s) => s.expectedMinutes ?? watch.settings.defaultExpectedMinutes));
  const old = page.filter((o) => !isTerminal(o.status) && now.getTime() - Date.parse(o.createdAt) >= shortest * 60_000);
  if (old.length === 0) return { told: [], oldestOverdueMs: 0 };
  const expected = new Map(catalogServices.map((s) => [s.id, s.expectedMinutes]));
  const orders = await services.orders.getOrders(old.map((o) => o.id));
  const told: number[] = [];
  let oldestOverdueMs = 0;
  for (const order of orders.values()) {
    if (order.phase === 'finalized' || isTerminal(order.status)) continue;
    const since = overdueAt(order, expected.get(order.serviceId), watch.settings.defaultExpectedMinutes);
    if (since > now) continue;
    oldestOverdueMs = Math.max(oldestOverdueMs, now.getTime() - since.getTime());
    if (order.attention?.overdue) continue;
    try {
      if (await watch.marks.markAttention(order.id, 'overdue', since.toISOString(), now.toISOString())) told.push(order.id);
    } catch {
      // Marked at the next sweep.
    }
  }
  return { told, oldestOverdueMs };
}
