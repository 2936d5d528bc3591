// DynamoDB stream -> the order workflow. Every committed order starts its workflow, so a paid order is never
// left unsubmitted; starting is idempotent (the execution is named after the order), so a record that failed is
// reported alone and the others still start.
import { streamConsumer } from '../../events/stream-consumer.js';
import { logger } from '../../shared/logger.js';
import { requireOnLambda } from '../../shared/platform/config.js';
import { orderWorkflow } from '../../shared/platform/workflow.js';
import { observe } from '../../shared/observability/observe.js';

requireOnLambda('STATE_MACHINE_ARN');

export const handler = observe(
  streamConsumer(
    () => async (record) => {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image?.entity?.S !== 'order' || !image.id?.N) return;
      const orderId = Number(image.id.N);
      try {
        await orderWorkflow().ensureStarted(orderId);
      } catch (error) {
        logger.error('could not start order workflow', { orderId, error: error as Error });
        throw error;
      }
    },
    { stopAtFailure: false },
  ),
);
