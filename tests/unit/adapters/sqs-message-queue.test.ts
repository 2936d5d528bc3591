import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { queueUrlOfArn, SqsMessageQueue } from '../../../lambdas/adapters/sqs/sqs-message-queue.js';

describe('SqsMessageQueue', () => {
  it('postpones a received message by setting its visibility timeout on the queue named by its ARN', async () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    const sqs = mockClient(client);
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    await new SqsMessageQueue(client).postpone({ queueArn: 'arn:aws:sqs:eu-west-1:123456789012:codex-dev-webhooks', receiptHandle: 'AQEB...' }, 1800);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/codex-dev-webhooks', ReceiptHandle: 'AQEB...', VisibilityTimeout: 1800 },
    ]);
  });

  it('lets a failure of SQS reach the consumer, which then fails the record', async () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    mockClient(client).on(ChangeMessageVisibilityCommand).rejects(new Error('ReceiptHandleIsInvalid'));
    await expect(new SqsMessageQueue(client).postpone({ queueArn: 'arn:aws:sqs:eu-west-1:1:q', receiptHandle: 'x' }, 5)).rejects.toThrow(
      'ReceiptHandleIsInvalid',
    );
  });

  it('reads queue URLs from ARNs, China partition included, and refuses what is not a queue', () => {
    expect(queueUrlOfArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q');
    expect(() => queueUrlOfArn('arn:aws:sns:eu-west-1:1:topic')).toThrow(/Not an SQS queue ARN/);
  });
});
