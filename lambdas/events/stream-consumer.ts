// How every reader of the table's stream takes its batch: Powertools Batch hands the records over one at a time, in
// stream order, and reports each failed one as a batch item failure; the event source mapping resumes the shard from
// the lowest failed record (and, with bisect on, splits a batch that fails as a whole).
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export type StreamRecordHandler = (record: DynamoDBRecord) => Promise<void>;

export interface StreamConsumerOptions {
  /**
   * After a failed record the rest of the batch is not taken, only reported failed with it: for readers whose
   * records must apply in stream order (they all come again from the failed one).
   */
  stopAtFailure: boolean;
  /** A batch whose every record failed is thrown, a function error (which bisects), rather than reported. */
  throwOnFullBatchFailure?: boolean;
}

/** Thrown for the records after a failed one when `stopAtFailure`: they were not taken. */
export class AfterFailedRecord extends Error {
  override readonly name = 'AfterFailedRecord';
  constructor() {
    super('not taken: an earlier record of the batch failed');
  }
}

/** A DynamoDB stream handler; `forBatch` is called once per batch (for state the batch's records share). */
export function streamConsumer(
  forBatch: (records: readonly DynamoDBRecord[]) => StreamRecordHandler,
  options: StreamConsumerOptions,
): (event: DynamoDBStreamEvent, context?: Context) => Promise<DynamoDBBatchResponse> {
  // One processor per consumer, as in eventConsumer: its state lives in each invocation's context.
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return (event, context) => {
    const handle = forBatch(event.Records);
    let failed = false;
    const handleRecord = async (record: DynamoDBRecord): Promise<void> => {
      if (failed && options.stopAtFailure) throw new AfterFailedRecord();
      try {
        await handle(record);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    return processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      processInParallel: false,
      throwOnFullBatchFailure: options.throwOnFullBatchFailure ?? false,
    });
  };
}
