// The adminResellers function's services: onboarding and pricing, the two that set a reseller's tier and, for
// onboarding, read the key pepper. Apart from adminUsers so each bundle stays within 300 KB. No API Gateway client:
// usage keys follow from the stream (assignUsageKeys).
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { ApiKeyManagement } from '../access/application/api-key-management.js';
import { TIER_NAMES } from '../access/domain/tiers.js';
import { apiKeyStore, userStore } from '../access/wiring.js';
import { SignedSecretsStore } from '../adapters/secrets/signed-secrets-store.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { catalogStore } from '../catalog/wiring.js';
import { lazy, platform } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { walletStore } from '../wallets/wiring.js';
import type { OnboardingDeps } from './application/users-onboarding.js';
import type { PricingDeps } from './application/users-pricing.js';
import { pricingStore, usersAdminStore } from './users-wiring.js';

const auditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

// The pepper through one signed GetSecretValue call rather than the SDK's Secrets Manager client (13 KB), as the
// webhook consumer reads its key: the bundle has no room for the client.
const keyManagement = /* @__PURE__ */ lazy(
  () =>
    new ApiKeyManagement({
      keys: apiKeyStore(),
      secrets: platform().secrets ?? new SignedSecretsStore({ region: config().AWS_REGION, credentials: fromEnv() }),
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
