// Key management and access checks on a test table, built the way lambdas/access/wiring.ts builds them.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoApiKeyStore } from '../../lambdas/adapters/dynamodb/account-store.js';
import { DynamoAccessCounters } from '../../lambdas/adapters/dynamodb/rate-counters.js';
import { ApiKeyManagement } from '../../lambdas/access/application/api-key-management.js';
import { parseIpAllowList } from '../../lambdas/access/domain/ip-allow-list.js';
import { ResellerAccess, type ResellerAccessOptions } from '../../lambdas/access/application/reseller-access.js';
import type { Clock, SecretStore } from '../../lambdas/shared/ports.js';
import type { MetricsRecorder } from '../../lambdas/shared/observability/metrics-recorder.js';
import { RecordedMetrics } from './recorded-metrics.js';

interface TableDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  secrets: SecretStore;
  pepperSecretId: string;
  clock?: Clock;
  metrics?: MetricsRecorder;
}

export function createApiKeyManagement(deps: TableDeps & { tierNames?: readonly string[] }): ApiKeyManagement {
  return new ApiKeyManagement({
    keys: new DynamoApiKeyStore(deps.db, deps.tableName),
    secrets: deps.secrets,
    pepperSecretId: deps.pepperSecretId,
    clock: deps.clock ?? { now: () => new Date() },
    ...(deps.tierNames ? { tierNames: deps.tierNames } : {}),
    parseAllowList: parseIpAllowList,
  });
}

export function createResellerAccess(deps: TableDeps, options?: ResellerAccessOptions): ResellerAccess {
  return new ResellerAccess(
    {
      keys: new DynamoApiKeyStore(deps.db, deps.tableName),
      counters: new DynamoAccessCounters(deps.db, deps.tableName),
      secrets: deps.secrets,
      pepperSecretId: deps.pepperSecretId,
      ...(deps.clock ? { clock: deps.clock } : {}),
      metrics: deps.metrics ?? new RecordedMetrics(),
    },
    options,
  );
}
