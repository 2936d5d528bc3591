// The assignUsageKeys consumer's adapters: the table and API Gateway, nothing else (no pepper, no Secrets Manager).
import { DynamoUsageKeyProfiles } from '../adapters/dynamodb/usage-key-profiles.js';
import { lazy } from '../shared/platform.js';
import { systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { gatewayKeys } from '../shared/platform/gateway-keys.js';
import type { UsageKeyDeps } from './application/assign-usage-key.js';

export const usageKeyDeps = /* @__PURE__ */ lazy(
  (): UsageKeyDeps => ({ profiles: new DynamoUsageKeyProfiles(documentClient(), tableName()), gatewayKeys: gatewayKeys(), clock: systemClock }),
);
