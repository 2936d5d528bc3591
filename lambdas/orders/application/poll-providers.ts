// The batch status poller: for each provider, read its open orders from the sparse index, ask for up to 100
// at a time with one `status&orders=` call, write what changed, and resume the workflows of orders that ended.
import type { Provider } from '../../catalog/domain/catalog.js';
import type { AttentionMarks, OpenOrderSummary, OrderCallLog, ProviderHealthStore } from '../ports.js';
import type { OrderServices } from './order-services.js';
import { ProviderNotReached, ProviderRejected } from '../../catalog/domain/provider-errors.js';
import type { EventOf } from '../../events/catalogue.js';
import type { EventPublisher } from '../../shared/ports.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import {
  type CallFailureKind,
  type CallTally,
  type HealthSettings,
  type OrderAnswer,
  type ProviderHealthState,
  emptyHealth,
  judgeHealth,
  trackAnomalies,
  unhealthyEventId,
} from '../domain/provider-health.js';
import { type PendingReading, ambiguousFor, isAmbiguous, pendingSince } from '../domain/ambiguous-readings.js';
import { applyStatusReport, awaitsProviderStatus, dropOverruledReadings } from './status-reports.js';

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
  /** Ambiguous readings kept this run (Error, Fail, Partial without remains): nothing settled on them. */
  held: number;
  /** Judged unhealthy after this run (only when the poller watches providers). */
  unhealthy?: boolean;
  /** What operators will hear of from this run: a provider.unhealthy published, orders marked for attention. */
  alerts?: number;
}

/** What the poller needs to tell operators about failing providers and orders their provider answers oddly about. */
export interface ProviderWatch {
  health: ProviderHealthStore;
  marks: AttentionMarks;
  events: EventPublisher;
  settings: HealthSettings;
}

const BATCH = 100;

export type PollServices = Pick<OrderServices, 'catalog' | 'providers' | 'orders' | 'tokens' | 'workflow' | 'clock' | 'settings' | 'readings'> & {
  watch?: ProviderWatch;
  statusLog?: OrderCallLog;
  /** ProviderAmbiguousReadings. */
  metrics?: MetricsRecorder;
};

/** What one provider's run saw: its calls, each order's answer, and every open order listed. */
interface RunObservations {
  tally: Omit<CallTally, 'minute'>;
  answers: Map<number, OrderAnswer>;
  listed: Set<number>;
  /** The provider's pending readings as the run began; undefined when they could not be read (then read per order). */
  pending: Map<number, PendingReading> | undefined;
  /** Orders whose reading this run was written (their pending reading, if any, was consumed or replaced). */
  moved: Set<number>;
  /** Orders whose ambiguous reading was kept (or confirmed without a settlement) this run. */
  held: Set<number>;
}

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
    held: 0,
  };
  const client = await services.providers.forProvider(provider);
  const readings = await services.readings.ofProvider(provider.id).catch(() => undefined);
  const seen: RunObservations = {
    tally: { calls: 0, failures: 0, kinds: {} },
    answers: new Map(),
    listed: new Set(),
    pending: readings,
    moved: new Set(),
    held: new Set(),
  };
  let pending: OpenOrderSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await services.orders.listOpenOrders(provider.id, cursor);
    cursor = page.cursor;
    for (const order of page.orders) seen.listed.add(order.id);
    pending.push(...page.orders.filter(awaitsProviderStatus));
    while (pending.length >= BATCH || (cursor === undefined && pending.length > 0)) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(BATCH);
      await pollBatch(services, client, provider.id, batch, report, seen);
    }
  } while (cursor);
  // Following pending readings must never stop polling either: what is left is done next run.
  const marked = await followPendingReadings(services, provider.id, seen).catch(() => 0);
  // A provider with no status calls this run (no submitted open orders) has nothing new to judge: no read at all.
  if (services.watch && seen.tally.calls > 0) {
    try {
      Object.assign(report, await watchProvider(services, services.watch, provider.id, seen));
    } catch {
      // Watching must never stop polling; the next run judges again from the stored state.
    }
  }
  if (marked > 0) report.alerts = (report.alerts ?? 0) + marked;
  if (report.held > 0) services.metrics?.record('ProviderAmbiguousReadings', report.held, { provider: provider.id });
  return report;
}

async function pollBatch(
  services: PollServices,
  client: Awaited<ReturnType<OrderServices['providers']['forProvider']>>,
  providerId: string,
  batch: OpenOrderSummary[],
  report: PollReport,
  seen: RunObservations,
): Promise<void> {
  report.statusCalls++;
  report.polled += batch.length;
  seen.tally.calls++;
  let answers: Awaited<ReturnType<typeof client.multiStatus>>;
  const started = performance.now();
  try {
    answers = await client.multiStatus(batch.map((o) => o.externalOrderId!));
  } catch (error) {
    report.failedCalls++;
    seen.tally.failures++;
    const kind = failureKind(error);
    seen.tally.kinds[kind] = (seen.tally.kinds[kind] ?? 0) + 1;
    return;
  }
  const now = services.clock.now();
  const latencyMs = Math.round(performance.now() - started);
  for (const order of batch) {
    const answer = answers.get(order.externalOrderId!);
    if (!answer) continue;
    if (answer instanceof Error) {
      report.unknownToProvider.push(order.externalOrderId!);
      // A refusal about one id is the provider not knowing the order; anything else, a status we cannot read.
      seen.answers.set(order.id, answer instanceof ProviderRejected ? 'order_not_found' : 'unknown_status');
      continue;
    }
    seen.answers.set(order.id, 'status');
    try {
      const known = seen.pending ? { pending: seen.pending.get(order.id) } : undefined;
      const outcome = await applyStatusReport(services, order, answer, now, { via: 'poll', providerId, latencyMs }, known);
      if (outcome === 'held') {
        report.held++;
        seen.held.add(order.id);
      } else if (outcome !== 'unchanged') {
        report.updated++;
        seen.moved.add(order.id);
      }
      // A definite reading cleared the order's pending reading, even when there was nothing to write.
      if (!isAmbiguous(answer)) seen.moved.add(order.id);
      if (outcome === 'resumed') report.resumed++;
    } catch {
      // One order's failure must not stop the batch; the sweeper resumes an ended order whose resume was lost.
      report.failedUpdates++;
    }
  }
  const definite = batch.filter((order) => {
    const answer = answers.get(order.externalOrderId!);
    return answer !== undefined && !(answer instanceof Error) && !isAmbiguous(answer);
  });
  await dropOverruledReadings(
    services,
    providerId,
    definite.map((order) => order.id),
    now,
  ).catch(() => {
    // What is left is judged again by the next run's definite readings.
  });
}

/**
 * After the run: drops the pending readings of orders no longer open (settled another way), and marks for a person
 * (`ambiguous_status`, once) the orders whose ambiguous reading has lasted the anomaly time or was confirmed without
 * anything to settle on (Partial without remains).
 */
async function followPendingReadings(services: PollServices, providerId: string, seen: RunObservations): Promise<number> {
  let marked = 0;
  if (!seen.pending) return marked;
  const now = services.clock.now();
  const current = new Map(seen.pending);
  for (const orderId of seen.held) {
    const reading = await services.readings.get(providerId, orderId);
    if (reading) current.set(orderId, reading);
  }
  for (const [orderId, reading] of current) {
    if (seen.moved.has(orderId)) continue;
    if (!seen.listed.has(orderId)) {
      await services.readings.drop(reading);
      continue;
    }
    const watch = services.watch;
    if (!watch || reading.alertedAt !== undefined) continue;
    if (reading.confirmedAt === undefined && !ambiguousFor(reading, now, watch.settings.anomalyAlertAfterMs)) continue;
    // The reading is marked first, on the condition it is still the one read: the run's copy may be stale (dropped
    // or replaced meanwhile), and then there is nothing to alert on.
    const alerted = { ...reading, alertedAt: now.toISOString() };
    if (!(await services.readings.hold(alerted, reading))) continue;
    try {
      await watch.marks.markAttention(orderId, 'ambiguous_status', pendingSince(reading), now.toISOString());
    } catch (error) {
      // Unmarked, so a later run alerts again.
      await services.readings.hold(reading, alerted).catch(() => undefined);
      throw error;
    }
    marked++;
  }
  return marked;
}

function failureKind(error: unknown): CallFailureKind {
  if (error instanceof ProviderNotReached) return 'unreachable';
  if (error instanceof ProviderRejected) return 'refused';
  return 'timeout_or_bad_answer';
}

/**
 * Judges the provider from this run's calls and its stored window, follows its orders' odd answers, publishes what
 * operators must hear (each with an id that repeats for the same spell or the same order and reason), and writes
 * the provider's state back only when it changed.
 */
async function watchProvider(
  services: PollServices,
  watch: ProviderWatch,
  providerId: string,
  seen: RunObservations,
): Promise<Pick<PollReport, 'unhealthy' | 'alerts'>> {
  const now = services.clock.now();
  const at = now.toISOString();
  const stored = (await watch.health.get(providerId)) ?? emptyHealth(providerId);
  const verdict = judgeHealth(stored, { minute: Math.floor(now.getTime() / 60_000), ...seen.tally }, watch.settings);
  const tracked = trackAnomalies(stored.anomalies, seen.answers, seen.listed, now, watch.settings);
  const state: ProviderHealthState = { ...verdict.state, anomalies: tracked.anomalies };
  let alerts = 0;
  if (verdict.alert) {
    const { since, failureRate, reason } = verdict.alert;
    // Built here rather than by the catalogue's constructor: importing the catalogue brings zod (27 KB) into a bundle
    // already near the budget. The type still holds it to the catalogue's shape.
    const event: EventOf<'provider.unhealthy'> = {
      id: unhealthyEventId(providerId, since),
      type: 'provider.unhealthy',
      version: 1,
      at,
      data: { providerId, reason, failureRate, since },
    };
    try {
      await watch.events.publish([event]);
      state.alerted = true;
      alerts++;
    } catch {
      // Published next run: the spell stays unannounced in the stored state.
    }
  }
  // The mark on the order is the alert: the table's stream turns it into order.needs_attention.
  for (const due of tracked.due) {
    try {
      await watch.marks.markAttention(due.orderId, due.reason, due.since, at);
      state.anomalies[String(due.orderId)] = { reason: due.reason, since: due.since, alerted: true };
      alerts++;
    } catch {
      // Marked next run: the anomaly stays due.
    }
  }
  if (canonical(state) !== canonical(stored)) await watch.health.put(state);
  return { unhealthy: state.unhealthySince !== undefined, alerts };
}

/** The state's content, keys sorted (DynamoDB does not keep a map's order), without its version. */
function canonical(state: ProviderHealthState): string {
  const { version: _version, ...content } = state;
  return JSON.stringify(content, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}
