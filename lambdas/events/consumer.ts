// How every consumer of the bus reads its queue: the SQS batch from its event source mapping, each message an
// EventBridge event whose `detail` is a catalogue event. Records fail alone (Powertools Batch reports them as
// `batchItemFailures`), so one bad message never makes the others run again; a message no consumer understands
// (an unknown type or version) is skipped, not failed, so it does not end in the dead-letter queue.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger.js';
import { messageQueue } from '../shared/platform/queues.js';
import { type CatalogueEvent, readEvent } from './catalogue.js';

/**
 * Thrown by a consumer that wants this message again later, not at the queue's visibility timeout: the message stays
 * hidden for `delaySeconds` (at most 11 h 45 min, under SQS's limit) and then comes back with its receive count one higher.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    readonly delaySeconds: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * SQS keeps a received message hidden for at most 12 hours counted from its receipt, so a consumer that ran for a
 * while first must ask for less: 15 minutes (the longest a consumer runs) are kept in hand.
 */
export const MAX_POSTPONE_SECONDS = 12 * 3600 - 15 * 60;

/** What the queue tells about this delivery of the message. */
export interface Receipt {
  messageId: string;
  /** 1 on the first delivery; a crash mid-batch counts as a delivery too. */
  receiveCount: number;
  /** When the queue first handed the message out. */
  firstReceivedAt: Date;
}

export type EventHandler = (event: CatalogueEvent, receipt: Receipt) => Promise<void>;

/** The catalogue event an SQS message of a bus rule carries; undefined for anything else. */
export function eventOfMessage(body: string): CatalogueEvent | undefined {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof envelope !== 'object' || envelope === null || !('detail' in envelope)) return undefined;
  return readEvent((envelope as { detail: unknown }).detail);
}

/** An SQS handler for a bus consumer; `handle` runs once per message, the messages of a batch in parallel. */
export function eventConsumer(consumer: string, handle: EventHandler): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const event = eventOfMessage(record.body);
    if (!event) {
      logger.warn('skipped a message that is no catalogue event', { consumer, messageId: record.messageId });
      return;
    }
    const receipt: Receipt = {
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
      firstReceivedAt: new Date(Number(record.attributes.ApproximateFirstReceiveTimestamp) || Date.now()),
    };
    try {
      await handle(event, receipt);
    } catch (error) {
      if (error instanceof RetryLater) {
        const seconds = Math.min(Math.max(0, Math.ceil(error.delaySeconds)), MAX_POSTPONE_SECONDS);
        await messageQueue().postpone({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, seconds);
        logger.info('postponed a message', { consumer, eventId: event.id, type: event.type, seconds, reason: error.message });
      } else {
        logger.error('a consumer failed on an event', { consumer, eventId: event.id, type: event.type, error: error as Error });
      }
      throw error;
    }
  };
  // One processor per consumer, as Powertools has it: a batch's successes and failures live in its invocation's
  // InvokeStore context, so batches run at once (Lambda's per-instance concurrency, the local stack) stay apart. A
  // processor per batch would add new keys (its own symbols) to every invocation's context, which V8 cannot keep fast.
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) => processPartialResponse(event, handleRecord, processor, { ...(context ? { context } : {}), throwOnFullBatchFailure: false });
}
