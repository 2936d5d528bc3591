// The adminResellers function's services: onboarding and pricing, the two that call API Gateway (usage keys) and,
// for onboarding, Secrets Manager (the key pepper). Apart from adminUsers so each bundle stays within 300 KB.
import { keyManagement, userStore } from '../access/wiring.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { catalogStore } from '../catalog/wiring.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { gatewayKeys } from '../shared/platform/gateway-keys.js';
import { walletStore } from '../wallets/wiring.js';
import type { OnboardingDeps } from './application/users-onboarding.js';
import type { PricingDeps } from './application/users-pricing.js';
import { pricingStore, usersAdminStore } from './users-wiring.js';

const auditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

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
