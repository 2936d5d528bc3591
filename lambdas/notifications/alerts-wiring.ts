// The alertOperators consumer's adapters, apart from the area's wiring.ts so its bundle carries no webhook code.
import { DynamoEventClaims } from '../adapters/dynamodb/event-claims.js';
import { logger } from '../shared/logger.js';
import { lazy } from '../shared/platform.js';
import { operatorAlerts } from '../shared/platform/alerts.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { AlertOperatorsDeps } from './application/alert-operators.js';

export const alertDeps: () => AlertOperatorsDeps = /* @__PURE__ */ lazy(() => ({
  claims: new DynamoEventClaims(documentClient(), tableName(), systemClock),
  alerts: operatorAlerts(),
  stage: config().STAGE,
  onError: (message, error) => logger.error(message, { error: error as Error }),
}));
