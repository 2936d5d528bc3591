// DynamoDB stream -> resellers' API Gateway keys. The mapping's filter passes reseller profiles only (lib/usage-keys.ts);
// each is brought in step with its tier (assignUsageKey). Records are taken in order: on a failure the batch stops
// there and the mapping retries from it (bisecting, a few times, then the failure queue).
import { streamConsumer } from '../../events/stream-consumer.js';
import { logger } from '../../shared/logger.js';
import { assignUsageKey } from '../application/assign-usage-key.js';
import { usageKeyDeps } from '../usage-keys-wiring.js';
import { observe } from '../../shared/observability/observe.js';

export const handler = observe(
  streamConsumer(
    () => {
      // The profile is read as it is now, so one pass per user and batch is enough.
      const done = new Set<string>();
      return async (record) => {
        const image = record.dynamodb?.NewImage;
        const userId = image?.id?.S;
        if (!userId || image?.entity?.S !== 'user' || image.role?.S !== 'reseller' || done.has(userId)) return;
        try {
          const outcome = await assignUsageKey(usageKeyDeps(), userId);
          if (outcome === 'unavailable') logger.warn('no API Gateway key left in the region: reseller throttled by the application only', { userId });
          else if (outcome !== 'in_step') logger.info('usage key assigned', { userId, outcome });
          // A tier changed meanwhile comes in a later record, which must still be taken.
          if (outcome !== 'tier_changed') done.add(userId);
        } catch (error) {
          logger.error('could not assign the usage key', { userId, error: error as Error });
          throw error;
        }
      };
    },
    // A batch failing from its first record is a function error, which the mapping bisects (lib/usage-keys.ts):
    // reported, it would come back whole after every retry and take the records behind it to the failure queue.
    { stopAtFailure: true, throwOnFullBatchFailure: true },
  ),
);
