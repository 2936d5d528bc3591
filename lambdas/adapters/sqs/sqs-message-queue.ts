// Postponing a received SQS message: its visibility timeout becomes the delay, so it comes back then (RetryLater).
// One HTTPS call (SQS's JSON protocol) signed by the SDK's SigV4 signer, as the SES adapter does, not the SDK's SQS
// client: that client is 23 KB minified in every consumer's bundle, for the one call a consumer makes.
import type { MessageQueue, ReceivedMessage } from '../../shared/ports.js';
import { type AwsCredentials, signRequest } from '../ses/ses-email-sender.js';

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue's URL, which SQS's calls take. */
export function queueUrlOfArn(arn: string): string {
  const [, partition, service, region, account, name] = arn.split(':');
  if (service !== 'sqs' || !region || !account || !name) throw new Error(`Not an SQS queue ARN: ${arn}`);
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

export interface SqsSettings {
  /** The function's credentials (on Lambda: its role's, from the environment). */
  credentials: () => Promise<AwsCredentials>;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export class SqsMessageQueue implements MessageQueue {
  constructor(private readonly settings: SqsSettings) {}

  async postpone(message: ReceivedMessage, delaySeconds: number): Promise<void> {
    const queueUrl = queueUrlOfArn(message.queueArn);
    const { host } = new URL(queueUrl);
    const body = JSON.stringify({ QueueUrl: queueUrl, ReceiptHandle: message.receiptHandle, VisibilityTimeout: delaySeconds });
    const headers = await signRequest({
      method: 'POST',
      host,
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ChangeMessageVisibility', 'x-amzn-query-mode': 'true' },
      body,
      region: message.queueArn.split(':')[3]!,
      service: 'sqs',
      credentials: await this.settings.credentials(),
      date: (this.settings.now ?? (() => new Date()))(),
    });
    const response = await (this.settings.fetch ?? fetch)(`https://${host}/`, { method: 'POST', headers, body });
    const text = await response.text();
    if (!response.ok) {
      // awsQueryCompatible services name the query error ("AWS.SimpleQueueService.ReceiptHandleIsInvalid;Sender").
      const type = response.headers.get('x-amzn-query-error')?.split(';')[0] ?? response.headers.get('x-amzn-errortype') ?? text.slice(0, 200);
      throw new Error(`SQS ChangeMessageVisibility answered ${response.status}: ${type}`);
    }
  }
}
