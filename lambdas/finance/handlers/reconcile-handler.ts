// DynamoDB stream -> reconciliation jobs: the event source mapping passes only the INSERT of a job item
// (`entity` = finance-reconciliation), written by POST /admin/v1/finance/reconciliation. Each job runs once to its
// end and records its result (or its failure) on its item; the batch never fails, so nothing runs twice.
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { RECONCILIATION_ENTITY } from '../../adapters/dynamodb/reconciliation-store.js';
import { logger } from '../../shared/logger.js';
import { runReconciliation } from '../application/reconciliation.js';
import { reconciliationJobs, reconciliationSource } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

const runReconciliations = async (event: DynamoDBStreamEvent): Promise<void> => {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.entity?.S !== RECONCILIATION_ENTITY || image.status?.S !== 'running' || !image.id?.S) continue;
    const id = image.id.S;
    logger.info('reconciliation started', { reconciliationId: id });
    await runReconciliation({ jobs: reconciliationJobs(), source: reconciliationSource(), now: () => new Date() }, id);
    logger.info('reconciliation ended', { reconciliationId: id });
  }
};

export const handler = observe(runReconciliations);
