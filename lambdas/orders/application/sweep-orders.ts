// The safety net under the stream-driven workflow start: finds open orders whose workflow should be running but
// may not be (the start was lost, or a step failed for good) and starts or redrives it. Harmless to repeat.
import { isTerminal } from '../domain/order-status.js';
import type { OrderServices } from './order-services.js';

export interface SweepOptions {
  /** Also restart orders that look healthy (waiting on the provider): used when no workflow can have survived. */
  everything?: boolean;
}

export type SweepServices = Pick<OrderServices, 'catalog' | 'orders' | 'tokens' | 'workflow' | 'clock' | 'settings'>;

export async function sweepOpenOrders(
  services: SweepServices,
  options: SweepOptions = {},
): Promise<{ examined: number; started: number[]; failed: { orderId: number; error: string }[] }> {
  const now = services.clock.now().getTime();
  const minAge = services.settings.sweepMinAgeMs;
  const started: number[] = [];
  const failed: { orderId: number; error: string }[] = [];
  let examined = 0;
  for (const provider of await services.catalog.listProviders()) {
    let cursor: string | undefined;
    do {
      const page = await services.orders.listOpenOrders(provider.id, cursor);
      cursor = page.cursor;
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
  }
  return { examined, started, failed };
}
