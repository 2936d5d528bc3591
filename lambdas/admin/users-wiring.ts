// The adminUsers function's adapters and services, each built on first use (see shared/platform.ts): DynamoDB only.
// Blocking is built here from the stores rather than taken from customers/wiring.ts, which would bring the email
// client along. Onboarding and pricing (API Gateway usage keys) are in users-resellers-wiring.ts.
import { ApiKeyManagement } from '../access/application/api-key-management.js';
import { TIER_NAMES } from '../access/domain/tiers.js';
import { apiKeyStore } from '../access/wiring.js';
import { DynamoAccountStore } from '../adapters/dynamodb/customer-accounts.js';
import { DynamoResellerPricing } from '../adapters/dynamodb/reseller-pricing-store.js';
import { DynamoSessionStore } from '../adapters/dynamodb/session-store.js';
import { DynamoUsersAdminStore } from '../adapters/dynamodb/users-admin-store.js';
import { AccountBlocking } from '../customers/application/profiles.js';
import { lazy } from '../shared/platform.js';
import { systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { walletStore } from '../wallets/wiring.js';
import type { AdjustmentDeps } from './application/users-adjustments.js';
import type { UsersDirectoryDeps } from './application/users-directory.js';

export const usersAdminStore = /* @__PURE__ */ lazy(() => new DynamoUsersAdminStore(documentClient(), tableName()));
export const pricingStore = /* @__PURE__ */ lazy(() => new DynamoResellerPricing(documentClient(), tableName()));

/**
 * Key management for changes only (suspend, reactivate, revoke, limits, tier): none reads the key pepper, so this
 * function carries no Secrets Manager client and may not read the pepper (creating keys is adminResellers' work).
 */
export const keyManagement = /* @__PURE__ */ lazy(
  () =>
    new ApiKeyManagement({
      keys: apiKeyStore(),
      secrets: { get: () => Promise.reject(new Error('adminUsers creates no API keys: onboarding does (adminResellers)')) },
      pepperSecretId: '',
      clock: systemClock,
      tierNames: TIER_NAMES,
    }),
);

export const usersDirectory = /* @__PURE__ */ lazy(
  (): UsersDirectoryDeps => ({ directory: usersAdminStore(), wallets: walletStore(), keys: keyManagement(), pricing: pricingStore() }),
);

export const adjustments = /* @__PURE__ */ lazy((): AdjustmentDeps => ({ directory: usersAdminStore(), adjustments: usersAdminStore(), clock: systemClock }));

export const blocking = /* @__PURE__ */ lazy(
  () =>
    new AccountBlocking({
      accounts: new DynamoAccountStore(documentClient(), tableName()),
      sessions: new DynamoSessionStore(documentClient(), tableName()),
      clock: systemClock,
      apiKeys: keyManagement(),
    }),
);
