// DynamoDB stream -> the finance totals of each day (docs/admin/finance.md). The event source mapping passes only
// new ledger entries and orders becoming finalized; anything else (the local stream poller hands over every record)
// adds nothing. A failure fails the batch: it comes again, and what was already counted is skipped by its marker.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { recordTotals } from '../application/record-totals.js';
import type { ItemChange } from '../domain/totals.js';
import { financeTotals } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

type Image = Record<string, AttributeValue>;

const recordDayTotals = async (event: DynamoDBStreamEvent): Promise<{ added: number; repeated: number }> => {
  const changes: ItemChange[] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const { OldImage, NewImage } = record.dynamodb ?? {};
    changes.push({
      ...(OldImage ? { oldImage: unmarshall(OldImage as Image, { wrapNumbers: false }) } : {}),
      ...(NewImage ? { newImage: unmarshall(NewImage as Image, { wrapNumbers: false }) } : {}),
    });
  }
  return recordTotals(financeTotals(), changes);
};

export const handler = observe(recordDayTotals);
