// SQS records as a bus rule's queue hands them to a consumer: the body is the EventBridge event, its detail the
// catalogue event (or anything a test wants to try a consumer with).
import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

/** The queue of a consumer, named after its function as lib/events.ts and the local queues name it. */
export const queueArnOf = (consumer: string) => `arn:aws:sqs:us-east-1:000000000000:${consumer}`;

export interface RecordOptions {
  receiveCount?: number;
  messageId?: string;
  /** The consumer whose queue the record comes from. */
  consumer?: string;
  /** A body other than the EventBridge event carrying `detail` (a message a consumer must skip). */
  rawBody?: string;
}

export function sqsRecord(detail: unknown, options: RecordOptions = {}): SQSRecord {
  const messageId = options.messageId ?? randomUUID();
  const receiveCount = options.receiveCount ?? 1;
  const type = (detail as { type?: string } | null)?.type ?? 'unknown';
  return {
    messageId,
    receiptHandle: `rh-${messageId}-${receiveCount}`,
    body: options.rawBody ?? JSON.stringify({ version: '0', id: randomUUID(), 'detail-type': type, source: 'codex', detail }),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1764583200000',
      SenderId: '000000000000',
      ApproximateFirstReceiveTimestamp: '1764583200000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArnOf(options.consumer ?? 'test'),
    awsRegion: 'us-east-1',
  };
}
