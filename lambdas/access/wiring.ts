// The access area's adapters and services, each built on first use (see shared/platform.ts).
import { DynamoApiKeyStore, DynamoUserStore } from '../adapters/dynamodb/account-store.js';
import { DynamoAccessCounters } from '../adapters/dynamodb/rate-counters.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { secretStore } from '../shared/platform/secrets.js';
import { ApiKeyManagement } from './application/api-key-management.js';
import { HeaderKeyLookup } from './application/header-key-lookup.js';
import { ResellerAccess } from './application/reseller-access.js';
import { parseIpAllowList } from './domain/ip-allow-list.js';
import { settingsReader } from '../settings/wiring.js';
import { TIERS, TIER_NAMES } from './domain/tiers.js';
import type { UserStore } from './ports.js';

export const apiKeyStore: () => DynamoApiKeyStore = /* @__PURE__ */ lazy(() => new DynamoApiKeyStore(documentClient(), tableName()));
export const userStore: () => UserStore = /* @__PURE__ */ lazy(() => new DynamoUserStore(documentClient(), tableName()));

// Other containers see a changed key when their cached copy expires (60 s); this one at once (keyManagement), if it
// has built its reseller access: one that has not has nothing cached, and a function that never serves /api/v2 (the
// cabinet) then bundles none of it.
let resellerAccessBuilt: ResellerAccess | undefined;
export const resellerAccess: () => ResellerAccess = /* @__PURE__ */ lazy(
  () =>
    (resellerAccessBuilt = new ResellerAccess(
      {
        keys: apiKeyStore(),
        counters: new DynamoAccessCounters(documentClient(), tableName()),
        secrets: secretStore(),
        pepperSecretId: config().API_KEY_PEPPER_SECRET_ID,
        metrics: metricsRecorder(),
      },
      // Tier limits an admin changed (settings) apply here within the settings cache's 30 s; the gateway's usage plans
      // keep the deployed TIERS (a ceiling on header-key requests until the next deploy).
      { tiers: TIERS, currentTiers: async () => (await settingsReader().current()).tiers },
    )),
);

export const keyManagement: () => ApiKeyManagement = /* @__PURE__ */ lazy(
  () =>
    new ApiKeyManagement({
      keys: apiKeyStore(),
      secrets: secretStore(),
      pepperSecretId: config().API_KEY_PEPPER_SECRET_ID,
      clock: systemClock,
      tierNames: TIER_NAMES,
      onKeyChanged: (keyId) => resellerAccessBuilt?.forgetKey(keyId),
      parseAllowList: parseIpAllowList,
      maxActiveKeysPerOwner: config().MAX_API_KEYS_PER_USER,
      ownerTier: async (ownerId) => {
        const owner = await userStore().get(ownerId);
        return owner?.tier ?? owner?.apiGatewayKey?.tier;
      },
    }),
);

export const headerKeyLookup: () => HeaderKeyLookup = /* @__PURE__ */ lazy(
  () => new HeaderKeyLookup({ keys: apiKeyStore(), users: userStore(), secrets: secretStore(), pepperSecretId: config().API_KEY_PEPPER_SECRET_ID }),
);
