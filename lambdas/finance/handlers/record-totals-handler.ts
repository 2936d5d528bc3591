// DynamoDB stream -> the finance totals of each day (docs/admin/finance.md). The event source mapping passes only
// new ledger entries and orders becoming finalized; anything else (the local stream poller hands over every record)
// adds nothing. A failure fails the batch: it comes again, and what was already counted is skipped by its marker.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { streamConsumer } from '../../events/stream-consumer.js';
import { logger } from '../../shared/logger.js';
import { recordTotalsOfBatch } from '../application/record-totals.js';
import type { ItemChange } from '../domain/totals.js';
import { financeTotals } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

type Image = Record<string, AttributeValue>;

function changeOf(record: DynamoDBRecord): ItemChange | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const { OldImage, NewImage } = record.dynamodb ?? {};
  return {
    ...(OldImage ? { oldImage: unmarshall(OldImage as Image, { wrapNumbers: false }) } : {}),
    ...(NewImage ? { newImage: unmarshall(NewImage as Image, { wrapNumbers: false }) } : {}),
  };
}

export const handler = observe(
  streamConsumer(
    (records) => {
      const record = recordTotalsOfBatch(financeTotals(), records, changeOf, (result) => logger.info('finance totals recorded', result));
      return async (streamRecord) => {
        try {
          await record(streamRecord);
        } catch (error) {
          logger.error('could not record the finance totals', { sequenceNumber: streamRecord.dynamodb?.SequenceNumber, error: error as Error });
          throw error;
        }
      };
    },
    // The whole batch is one write: its failure stays a function error, which the mapping bisects (lib/finance.ts).
    { stopAtFailure: true, throwOnFullBatchFailure: true },
  ),
);
