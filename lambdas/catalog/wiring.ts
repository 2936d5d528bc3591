// The catalog area's adapters, each built on first use (see shared/platform.ts).
import { DynamoCatalogStore } from '../adapters/dynamodb/catalog-store.js';
import { SmmV2ProviderClients } from '../adapters/provider/smm-v2-client.js';
import { lazy, platform } from '../shared/platform.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { secretStore } from '../shared/platform/secrets.js';
import { MeteredProviderClients } from './application/metered-provider-clients.js';
import type { CatalogStore, ProviderClients } from './ports.js';

export const catalogStore: () => CatalogStore = /* @__PURE__ */ lazy(() => new DynamoCatalogStore(documentClient(), tableName()));

export const providerClients: () => ProviderClients = /* @__PURE__ */ lazy(
  () => new MeteredProviderClients(new SmmV2ProviderClients(secretStore(), platform().fetch), metricsRecorder()),
);
