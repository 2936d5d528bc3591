// The admin API's order services, each built on first use (see shared/platform.ts). adminOrders uses only
// adminOrderServices (no provider client, no workflow); adminOrderActions uses orderActionServices.
import { DynamoAdminOrderWrites } from '../adapters/dynamodb/admin-order-writes.js';
import { DynamoAdminOrders } from '../adapters/dynamodb/admin-orders.js';
import { DynamoAttentionReader } from '../adapters/dynamodb/attention-reader.js';
import { DynamoOrderCallLog } from '../adapters/dynamodb/order-call-log.js';
import { catalogStore, providerClients } from '../catalog/wiring.js';
import { pendingReadings, taskTokens } from '../orders/wiring.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { workflowResume } from '../shared/platform/workflow.js';
import type { AdminOrderServices } from './application/orders-admin.js';
import type { OrderActionServices } from './application/orders-actions.js';

export const adminOrderStore = /* @__PURE__ */ lazy(() => new DynamoAdminOrders(documentClient(), tableName()));

export const adminOrderServices: () => AdminOrderServices = /* @__PURE__ */ lazy(() => ({
  admin: adminOrderStore(),
  attention: new DynamoAttentionReader(documentClient(), tableName()),
  clock: systemClock,
  metrics: metricsRecorder(),
}));

export const orderActionServices: () => OrderActionServices = /* @__PURE__ */ lazy(() => ({
  orders: new DynamoAdminOrderWrites(documentClient(), tableName()),
  catalog: catalogStore(),
  providers: providerClients(),
  tokens: taskTokens(),
  readings: pendingReadings(),
  workflow: workflowResume(),
  clock: systemClock,
  settings: {
    progressMinIntervalMs: config().PROGRESS_MIN_INTERVAL_SECONDS * 1000,
    ambiguousConfirmMs: config().AMBIGUOUS_CONFIRM_SECONDS * 1000,
    sweepMinAgeMs: config().SWEEP_MIN_AGE_SECONDS * 1000,
  },
  callLog: new DynamoOrderCallLog(documentClient(), tableName()),
}));
