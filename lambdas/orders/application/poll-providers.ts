// The batch status poller: for each provider, read its open orders from the sparse index, ask for up to 100
// at a time with one `status&orders=` call, write what changed, and resume the workflows of orders that ended.
import type { Provider } from '../../catalog/domain/catalog.js';
import type { OpenOrderSummary } from '../ports.js';
import type { OrderServices } from './order-services.js';
import { applyStatusReport, awaitsProviderStatus } from './status-reports.js';

export interface PollReport {
  providerId: string;
  polled: number;
  statusCalls: number;
  updated: number;
  resumed: number;
  /** Orders the provider answered about with an error, by external id. */
  unknownToProvider: string[];
  failedCalls: number;
  failedUpdates: number;
}

const BATCH = 100;

export type PollServices = Pick<OrderServices, 'catalog' | 'providers' | 'orders' | 'tokens' | 'workflow' | 'clock' | 'settings'>;

export async function pollAllProviders(services: PollServices): Promise<PollReport[]> {
  const providers = (await services.catalog.listProviders()).filter((p) => p.enabled);
  return Promise.all(providers.map((provider) => pollProvider(services, provider)));
}

export async function pollProvider(services: PollServices, provider: Provider): Promise<PollReport> {
  const report: PollReport = {
    providerId: provider.id,
    polled: 0,
    statusCalls: 0,
    updated: 0,
    resumed: 0,
    unknownToProvider: [],
    failedCalls: 0,
    failedUpdates: 0,
  };
  const client = await services.providers.forProvider(provider);
  let pending: OpenOrderSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await services.orders.listOpenOrders(provider.id, cursor);
    cursor = page.cursor;
    pending.push(...page.orders.filter(awaitsProviderStatus));
    while (pending.length >= BATCH || (cursor === undefined && pending.length > 0)) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(BATCH);
      await pollBatch(services, client, batch, report);
    }
  } while (cursor);
  return report;
}

async function pollBatch(
  services: PollServices,
  client: Awaited<ReturnType<OrderServices['providers']['forProvider']>>,
  batch: OpenOrderSummary[],
  report: PollReport,
): Promise<void> {
  report.statusCalls++;
  report.polled += batch.length;
  let answers: Awaited<ReturnType<typeof client.multiStatus>>;
  try {
    answers = await client.multiStatus(batch.map((o) => o.externalOrderId!));
  } catch {
    report.failedCalls++;
    return;
  }
  const now = services.clock.now();
  for (const order of batch) {
    const answer = answers.get(order.externalOrderId!);
    if (!answer) continue;
    if (answer instanceof Error) {
      report.unknownToProvider.push(order.externalOrderId!);
      continue;
    }
    try {
      const outcome = await applyStatusReport(services, order, answer, now);
      if (outcome !== 'unchanged') report.updated++;
      if (outcome === 'resumed') report.resumed++;
    } catch {
      // One order's failure must not stop the batch; the sweeper resumes an ended order whose resume was lost.
      report.failedUpdates++;
    }
  }
}
