// DynamoDB stream -> reconciliation jobs: the event source mapping passes only the INSERT of a job item
// (`entity` = finance-reconciliation), written by POST /admin/v1/finance/reconciliation. Each job runs once to its
// end and records its result (or its failure) on its item; only a crash fails its record, which runs again.
import { RECONCILIATION_ENTITY } from '../../adapters/dynamodb/reconciliation-store.js';
import { streamConsumer } from '../../events/stream-consumer.js';
import { logger } from '../../shared/logger.js';
import { runReconciliation } from '../application/reconciliation.js';
import { reconciliationJobs, reconciliationSource } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

export const handler = observe(
  streamConsumer(
    () => async (record) => {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image?.entity?.S !== RECONCILIATION_ENTITY || image.status?.S !== 'running' || !image.id?.S) return;
      const id = image.id.S;
      logger.info('reconciliation started', { reconciliationId: id });
      try {
        await runReconciliation({ jobs: reconciliationJobs(), source: reconciliationSource(), now: () => new Date() }, id);
      } catch (error) {
        logger.error('reconciliation crashed', { reconciliationId: id, error: error as Error });
        throw error;
      }
      logger.info('reconciliation ended', { reconciliationId: id });
    },
    // The mapping hands one job at a time: a crash stays a function error, tried again once (lib/finance.ts).
    { stopAtFailure: true, throwOnFullBatchFailure: true },
  ),
);
