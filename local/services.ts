// Everything the local stack, its seed data, the bench and the tests reach directly, from the same wiring the
// functions use (so they see the same adapters and caches as the handlers in this process).
import { apiKeyStore, keyManagement, resellerAccess, userStore } from '../lambdas/access/wiring.js';
import { usageKeyDeps } from '../lambdas/access/usage-keys-wiring.js';
import { catalogStore, providerClients } from '../lambdas/catalog/wiring.js';
import { exclusiveLinks, orderIds, pendingReadings, placingOrderStore, refillIds, refillStore, taskTokens } from '../lambdas/orders/wiring.js';
import { config, systemClock } from '../lambdas/shared/platform/config.js';
import { documentClient } from '../lambdas/shared/platform/dynamodb.js';
import { eventPublisher } from '../lambdas/shared/platform/events.js';
import { gatewayKeys } from '../lambdas/shared/platform/gateway-keys.js';
import { metricsRecorder } from '../lambdas/shared/platform/metrics.js';
import { secretStore } from '../lambdas/shared/platform/secrets.js';
import { orderWorkflow } from '../lambdas/shared/platform/workflow.js';
import { walletStore } from '../lambdas/wallets/wiring.js';

export function localServices() {
  return {
    config: config(),
    db: documentClient(),
    catalog: catalogStore(),
    providers: providerClients(),
    // The local stack's own services place orders too (tests, the demo's seeding): with the group commit.
    orders: placingOrderStore(),
    refills: refillStore(),
    tokens: taskTokens(),
    readings: pendingReadings(),
    links: exclusiveLinks(),
    orderIds: orderIds(),
    refillIds: refillIds(),
    wallets: walletStore(),
    users: userStore(),
    apiKeys: apiKeyStore(),
    access: resellerAccess(),
    keyManagement: keyManagement(),
    secrets: secretStore(),
    gatewayKeys: gatewayKeys(),
    usageKeys: usageKeyDeps(),
    workflow: orderWorkflow(),
    events: eventPublisher(),
    clock: systemClock,
    metrics: metricsRecorder(),
    settings: {
      progressMinIntervalMs: config().PROGRESS_MIN_INTERVAL_SECONDS * 1000,
      ambiguousConfirmMs: config().AMBIGUOUS_CONFIRM_SECONDS * 1000,
      sweepMinAgeMs: config().SWEEP_MIN_AGE_SECONDS * 1000,
    },
  };
}

export type LocalServices = ReturnType<typeof localServices>;
