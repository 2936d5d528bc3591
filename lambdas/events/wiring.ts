import { DynamoAccountStore } from '../adapters/dynamodb/customer-accounts.js';
import { logger } from '../shared/logger.js';
import { lazy } from '../shared/platform.js';
import { config } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { eventPublisher } from '../shared/platform/events.js';
import { PublishChanges } from './application/publish-changes.js';
import type { ThresholdReader } from './ports.js';

const thresholds = /* @__PURE__ */ lazy((): ThresholdReader => {
  const accounts = new DynamoAccountStore(documentClient(), tableName());
  return { lowBalanceThreshold: async (ownerId) => (await accounts.get(ownerId))?.notifications.lowBalanceThreshold ?? null };
});

export const publishChanges = /* @__PURE__ */ lazy(
  () =>
    new PublishChanges({
      events: eventPublisher(),
      thresholds: thresholds(),
      currency: config().CURRENCY,
      onError: (recordId, error) => logger.error('could not publish the events of a table change', { recordId, error: error as Error }),
    }),
);
