// The adminResellers function's services: onboarding and pricing, the two that set a reseller's tier and, for
// onboarding, read the key pepper. Apart from adminUsers so each bundle stays within 300 KB. No API Gateway client:
// usage keys follow from the stream (assignUsageKeys).
import { ApiKeyManagement } from '../access/application/api-key-management.js';
import { TIER_NAMES } from '../access/domain/tiers.js';
import { apiKeyStore, userStore } from '../access/wiring.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { catalogStore } from '../catalog/wiring.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { secretStore } from '../shared/platform/secrets.js';
import { walletStore } from '../wallets/wiring.js';
import type { OnboardingDeps } from './application/users-onboarding.js';
import type { PricingDeps } from './application/users-pricing.js';
import { pricingStore, usersAdminStore } from './users-wiring.js';

const auditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

// Key making with the pepper (secretStore: one signed GetSecretValue call), without access/wiring's extras: the
// owner's tier lookup and the allow-list parser (ipaddr.js), which onboarding does not need.
const keyManagement = /* @__PURE__ */ lazy(
  () =>
    new ApiKeyManagement({
      keys: apiKeyStore(),
      secrets: secretStore(),
      pepperSecretId: config().API_KEY_PEPPER_SECRET_ID,
      clock: systemClock,
      tierNames: TIER_NAMES,
    }),
);

export const onboarding = /* @__PURE__ */ lazy(
  (): OnboardingDeps => ({
    users: userStore(),
    wallets: walletStore(),
    keyManagement: keyManagement(),
    clock: systemClock,
    currency: config().CURRENCY,
    directory: usersAdminStore(),
    audit: auditLog(),
  }),
);

export const pricing = /* @__PURE__ */ lazy(
  (): PricingDeps => ({
    users: userStore(),
    directory: usersAdminStore(),
    pricing: pricingStore(),
    catalog: catalogStore(),
    keys: keyManagement(),
    clock: systemClock,
  }),
);
