// DynamoDB stream -> catalogue events on the bus (docs/events.md). The event source mapping passes only INSERT and
// MODIFY records of orders, top-ups, API key listings and wallets; a record whose events could not be published is
// reported, and the batch resumes from it.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeRecord } from '../application/publish-changes.js';
import { publishChanges } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

type Image = Record<string, AttributeValue>;

const publishEvents = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records: ChangeRecord[] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const { OldImage, NewImage, SequenceNumber } = record.dynamodb ?? {};
    records.push({
      id: SequenceNumber ?? '',
      change: {
        ...(OldImage ? { oldImage: unmarshall(OldImage as Image, { wrapNumbers: false }) } : {}),
        ...(NewImage ? { newImage: unmarshall(NewImage as Image, { wrapNumbers: false }) } : {}),
      },
    });
  }
  const failed = await publishChanges().publish(records);
  return { batchItemFailures: failed === undefined ? [] : [{ itemIdentifier: failed }] };
};

export const handler = observe(publishEvents);
