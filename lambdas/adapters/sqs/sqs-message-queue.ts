// Postponing a received SQS message: its visibility timeout becomes the delay, so it comes back then (RetryLater).
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue, ReceivedMessage } from '../../shared/ports.js';

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue's URL, which SQS's calls take. */
export function queueUrlOfArn(arn: string): string {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`Not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

export class SqsMessageQueue implements MessageQueue {
  constructor(private readonly client: SQSClient) {}

  async postpone(message: ReceivedMessage, delaySeconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrlOfArn(message.queueArn),
        ReceiptHandle: message.receiptHandle,
        VisibilityTimeout: delaySeconds,
      }),
    );
  }
}
