// The orders area's adapters and the service sets its use cases take, each built on first use (see
// shared/platform.ts). A function that imports only some of these bundles only the clients those build.
import { DynamoExclusiveLinks } from '../adapters/dynamodb/exclusive-links.js';
import { DynamoOrderLimits } from '../adapters/dynamodb/order-limits.js';
import { parseMoney } from '../shared/money.js';
import { BlockOrderIdAllocator } from '../adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderStore } from '../adapters/dynamodb/order-store.js';
import { placeFromLeaseOrLine } from '../adapters/dynamodb/lease-placement.js';
import { DynamoOrderProgress } from '../adapters/dynamodb/order-progress.js';
import { DynamoPendingReadings } from '../adapters/dynamodb/pending-readings.js';
import { DynamoRefillStore } from '../adapters/dynamodb/refill-store.js';
import { DynamoTaskTokenStore } from '../adapters/dynamodb/task-token-store.js';
import { DynamoProviderHealthStore } from '../adapters/dynamodb/provider-health-store.js';
import { DynamoAttentionMarks } from '../adapters/dynamodb/attention-marks.js';
import { DynamoAttentionQueue } from '../adapters/dynamodb/attention-queue.js';
import { DynamoOrderCallLog } from '../adapters/dynamodb/order-call-log.js';
import { DynamoResellerPricing } from '../adapters/dynamodb/reseller-pricing-store.js';
import { catalogStore, providerClients } from '../catalog/wiring.js';
import { lazy } from '../shared/platform.js';
import { settingsReader } from '../settings/wiring.js';
import { alertConfig, config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { eventPublisher } from '../shared/platform/events.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { orderWorkflow } from '../shared/platform/workflow.js';
import { secretStore } from '../shared/platform/secrets.js';
import type { CancelOrderServices } from './application/cancel-orders.js';
import type { OrderSettings } from './application/order-services.js';
import type { AwaitServices, FinalizeServices, GiveUpServices, SubmitAndAwaitServices } from './application/order-workflow-steps.js';
import type { PlaceOrderServices } from './application/place-order.js';
import type { PollServices } from './application/poll-providers.js';
import type { CallbackServices } from './application/provider-callbacks.js';
import type { RefillServices } from './application/refill-orders.js';
import type { SweepServices } from './application/sweep-orders.js';
import type {
  ExclusiveLinks,
  OrderIdAllocator,
  OrderLimits,
  OrderStore,
  PendingReadingStore,
  RefillIdAllocator,
  RefillStore,
  TaskTokenStore,
} from './ports.js';

export const orderStore: () => OrderStore = /* @__PURE__ */ lazy(() => new DynamoOrderStore(documentClient(), tableName()));
/** The order store of the functions that place orders: with the wallet's group commit (the others' bundles go without). */
export const placingOrderStore: () => OrderStore = /* @__PURE__ */ lazy(() => new DynamoOrderStore(documentClient(), tableName(), placeFromLeaseOrLine));
export const refillStore: () => RefillStore = /* @__PURE__ */ lazy(() => new DynamoRefillStore(documentClient(), tableName()));
export const taskTokens: () => TaskTokenStore = /* @__PURE__ */ lazy(() => new DynamoTaskTokenStore(documentClient(), tableName()));
export const pendingReadings: () => PendingReadingStore = /* @__PURE__ */ lazy(() => new DynamoPendingReadings(documentClient(), tableName()));
export const exclusiveLinks: () => ExclusiveLinks = /* @__PURE__ */ lazy(() => new DynamoExclusiveLinks(documentClient(), tableName()));
export const orderIds: () => OrderIdAllocator = /* @__PURE__ */ lazy(
  () => new BlockOrderIdAllocator(documentClient(), tableName(), config().ORDER_ID_BLOCK_SIZE),
);
export const refillIds: () => RefillIdAllocator = /* @__PURE__ */ lazy(
  () => new BlockOrderIdAllocator(documentClient(), tableName(), 10, { counterName: 'refill-id', firstId: 1 }),
);

/**
 * The daily spend limit can be set by an admin at any time (settings over MAX_DAILY_SPEND), so the limits are always
 * there; the settings come from the per-container cache, and with no limit in force nothing is counted or written.
 */
export const orderLimits: () => OrderLimits | undefined = /* @__PURE__ */ lazy(() => {
  const { MAX_DAILY_SPEND, MAX_ACTIVE_ORDERS, CURRENCY } = config();
  const configured = MAX_DAILY_SPEND !== undefined ? parseMoney(MAX_DAILY_SPEND) : undefined;
  return new DynamoOrderLimits(documentClient(), tableName(), {
    ...(configured !== undefined ? { maxDailySpend: configured } : {}),
    // Unreadable settings leave the configured limit in force.
    currentMaxDailySpend: () =>
      settingsReader()
        .current()
        .then(
          (s) => s.maxDailySpend,
          () => configured,
        ),
    ...(MAX_ACTIVE_ORDERS !== undefined ? { maxActiveOrders: MAX_ACTIVE_ORDERS } : {}),
    currency: CURRENCY,
  });
});

/** Resellers' wholesale prices, one read per owner per container per 30 s. */
export const resellerPrices = /* @__PURE__ */ lazy(() => new DynamoResellerPricing(documentClient(), tableName()));

const withLimits = (): { limits?: OrderLimits } => {
  const limits = orderLimits();
  return limits ? { limits } : {};
};

/** How the poller and the sweeper judge providers and orders for the operators (docs/operations.md). */
const watchSettings = () => {
  const c = alertConfig();
  return {
    failureRate: c.PROVIDER_ALERT_FAILURE_RATE,
    minCalls: c.PROVIDER_ALERT_MIN_CALLS,
    windowMinutes: c.PROVIDER_ALERT_WINDOW_MINUTES,
    anomalyAlertAfterMs: c.ORDER_ANOMALY_ALERT_MINUTES * 60_000,
    defaultExpectedMinutes: c.ORDER_EXPECTED_MINUTES_DEFAULT,
  };
};

const orderSettings = (): OrderSettings => ({
  progressMinIntervalMs: config().PROGRESS_MIN_INTERVAL_SECONDS * 1000,
  ambiguousConfirmMs: config().AMBIGUOUS_CONFIRM_SECONDS * 1000,
  sweepMinAgeMs: config().SWEEP_MIN_AGE_SECONDS * 1000,
});

/** What the cabinet's order list, order page and placing use: no provider (cancel and refill ask it). */
export const ownerOrderServices: () => PlaceOrderServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  orders: placingOrderStore(),
  orderIds: orderIds(),
  clock: systemClock,
  pricing: resellerPrices(),
  metrics: metricsRecorder(),
  ...withLimits(),
}));

/** What the reseller API's order actions use: no workflow, no event bus. */
export const customerOrderServices: () => PlaceOrderServices & CancelOrderServices & RefillServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  orders: placingOrderStore(),
  refills: refillStore(),
  orderIds: orderIds(),
  providers: providerClients(),
  clock: systemClock,
  pricing: resellerPrices(),
  metrics: metricsRecorder(),
  ...withLimits(),
}));

/** What the cabinet's cancel and refill use: no order limits (they place nothing), so that function carries none. */
export const orderActionServices: () => CancelOrderServices & RefillServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  orders: orderStore(),
  refills: refillStore(),
  providers: providerClients(),
  clock: systemClock,
}));

export const submitServices: () => SubmitAndAwaitServices = /* @__PURE__ */ lazy(() => ({
  orders: orderStore(),
  catalog: catalogStore(),
  providers: providerClients(),
  tokens: taskTokens(),
  workflow: orderWorkflow(),
  clock: systemClock,
  callLog: new DynamoOrderCallLog(documentClient(), tableName()),
  attention: new DynamoAttentionQueue(documentClient(), tableName()),
}));

export const giveUpServices: () => GiveUpServices = /* @__PURE__ */ lazy(() => ({
  orders: orderStore(),
  catalog: catalogStore(),
  clock: systemClock,
  attention: new DynamoAttentionQueue(documentClient(), tableName()),
}));

export const awaitServices: () => AwaitServices = /* @__PURE__ */ lazy(() => ({
  orders: orderStore(),
  tokens: taskTokens(),
  workflow: orderWorkflow(),
  clock: systemClock,
}));

export const finalizeServices: () => FinalizeServices = /* @__PURE__ */ lazy(() => ({
  orders: orderStore(),
  links: exclusiveLinks(),
  events: eventPublisher(),
  clock: systemClock,
  metrics: metricsRecorder(),
}));

export const pollServices: () => PollServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  providers: providerClients(),
  orders: orderStore(),
  tokens: taskTokens(),
  readings: pendingReadings(),
  workflow: orderWorkflow(),
  clock: systemClock,
  settings: orderSettings(),
  statusLog: new DynamoOrderCallLog(documentClient(), tableName()),
  metrics: metricsRecorder(),
  watch: {
    health: new DynamoProviderHealthStore(documentClient(), tableName()),
    marks: new DynamoAttentionMarks(documentClient(), tableName()),
    events: eventPublisher(),
    settings: watchSettings(),
  },
}));

/** Providers' pushed status callbacks: the poller's writes and resumes, and the providers' callback secrets. */
export const providerCallbackServices: () => CallbackServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  // Only the progress part of the order store: the money paths stay out of this function's bundle.
  orders: new DynamoOrderProgress(documentClient(), tableName()),
  tokens: taskTokens(),
  readings: pendingReadings(),
  workflow: orderWorkflow(),
  secrets: secretStore(),
  clock: systemClock,
  settings: orderSettings(),
  statusLog: new DynamoOrderCallLog(documentClient(), tableName()),
}));

export const sweepServices: () => SweepServices = /* @__PURE__ */ lazy(() => ({
  catalog: catalogStore(),
  orders: orderStore(),
  tokens: taskTokens(),
  workflow: orderWorkflow(),
  clock: systemClock,
  settings: orderSettings(),
  statusLog: new DynamoOrderCallLog(documentClient(), tableName()),
  watch: { marks: new DynamoAttentionMarks(documentClient(), tableName()), settings: watchSettings() },
  metrics: metricsRecorder(),
}));
