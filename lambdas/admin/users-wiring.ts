// The admin users function's adapters and services, each built on first use (see shared/platform.ts). Blocking is
// built here from the stores rather than taken from customers/wiring.ts, which would bring the email client along.
import { keyManagement, userStore } from '../access/wiring.js';
import { DynamoAccountStore } from '../adapters/dynamodb/customer-accounts.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { DynamoResellerPricing } from '../adapters/dynamodb/reseller-pricing-store.js';
import { DynamoSessionStore } from '../adapters/dynamodb/session-store.js';
import { DynamoUsersAdminStore } from '../adapters/dynamodb/users-admin-store.js';
import { catalogStore } from '../catalog/wiring.js';
import { AccountBlocking } from '../customers/application/profiles.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { gatewayKeys } from '../shared/platform/gateway-keys.js';
import { walletStore } from '../wallets/wiring.js';
import type { AdjustmentDeps } from './application/users-adjustments.js';
import type { UsersDirectoryDeps } from './application/users-directory.js';
import type { OnboardingDeps } from './application/users-onboarding.js';
import type { PricingDeps } from './application/users-pricing.js';

const usersAdminStore = /* @__PURE__ */ lazy(() => new DynamoUsersAdminStore(documentClient(), tableName()));
const pricingStore = /* @__PURE__ */ lazy(() => new DynamoResellerPricing(documentClient(), tableName()));
const auditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

export const usersDirectory = /* @__PURE__ */ lazy(
  (): UsersDirectoryDeps => ({ directory: usersAdminStore(), wallets: walletStore(), keys: keyManagement(), pricing: pricingStore() }),
);

export const onboarding = /* @__PURE__ */ lazy(
  (): OnboardingDeps => ({
    users: userStore(),
    wallets: walletStore(),
    keyManagement: keyManagement(),
    gatewayKeys: gatewayKeys(),
    clock: systemClock,
    currency: config().CURRENCY,
    directory: usersAdminStore(),
    audit: auditLog(),
  }),
);

export const adjustments = /* @__PURE__ */ lazy((): AdjustmentDeps => ({ directory: usersAdminStore(), adjustments: usersAdminStore(), clock: systemClock }));

export const pricing = /* @__PURE__ */ lazy(
  (): PricingDeps => ({
    users: userStore(),
    directory: usersAdminStore(),
    pricing: pricingStore(),
    catalog: catalogStore(),
    gatewayKeys: gatewayKeys(),
    keys: keyManagement(),
    clock: systemClock,
  }),
);

export const blocking = /* @__PURE__ */ lazy(
  () =>
    new AccountBlocking({
      accounts: new DynamoAccountStore(documentClient(), tableName()),
      sessions: new DynamoSessionStore(documentClient(), tableName()),
      clock: systemClock,
      apiKeys: keyManagement(),
    }),
);

export { keyManagement };
