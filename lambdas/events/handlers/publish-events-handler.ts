// DynamoDB stream -> catalogue events on the bus (docs/events.md). The event source mapping passes only INSERT and
// MODIFY records of orders, top-ups, API key listings and wallets; records are published in order, so the batch
// stops at a record whose events could not be published, and resumes from it.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { streamConsumer } from '../stream-consumer.js';
import type { ChangeRecord } from '../application/publish-changes.js';
import { publishChanges } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

type Image = Record<string, AttributeValue>;

function changeRecord(record: DynamoDBRecord): ChangeRecord | undefined {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return undefined;
  const { OldImage, NewImage, SequenceNumber } = record.dynamodb ?? {};
  return {
    id: SequenceNumber ?? '',
    change: {
      ...(OldImage ? { oldImage: unmarshall(OldImage as Image, { wrapNumbers: false }) } : {}),
      ...(NewImage ? { newImage: unmarshall(NewImage as Image, { wrapNumbers: false }) } : {}),
    },
  };
}

export const handler = observe(
  streamConsumer(
    (records) => {
      // By sequence number: INSERT and MODIFY records only.
      const changes = new Map<string, ChangeRecord>();
      for (const record of records) {
        const change = changeRecord(record);
        if (change) changes.set(change.id, change);
      }
      const publish = publishChanges().forBatch([...changes.values()]);
      return async (record) => {
        const change = changes.get(record.dynamodb?.SequenceNumber ?? '');
        if (change) await publish(change);
      };
    },
    // A batch failing from its first record is a function error, which the mapping bisects (lib/events.ts): reported,
    // it would come back whole after every retry and take the records behind it to the failure queue.
    { stopAtFailure: true, throwOnFullBatchFailure: true },
  ),
);
