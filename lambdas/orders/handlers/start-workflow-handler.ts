// DynamoDB stream -> the order workflow. Every committed order starts its workflow, so a paid order is never
// left unsubmitted; starting is idempotent (the execution is named after the order).
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { requireOnLambda } from '../../shared/platform/config.js';
import { orderWorkflow } from '../../shared/platform/workflow.js';
import { logger } from '../../shared/logger.js';
import { observe } from '../../shared/observability/observe.js';

requireOnLambda('STATE_MACHINE_ARN');

const startWorkflows = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.entity?.S !== 'order' || !image.id?.N) continue;
    const orderId = Number(image.id.N);
    try {
      await orderWorkflow().ensureStarted(orderId);
    } catch (error) {
      logger.error('could not start order workflow', { orderId, error: error as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  }
  return { batchItemFailures: failures };
};

export const handler = observe(startWorkflows);
