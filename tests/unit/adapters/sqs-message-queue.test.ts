import { describe, expect, it } from 'vitest';
import { queueUrlOfArn, SqsMessageQueue } from '../../../lambdas/adapters/sqs/sqs-message-queue.js';

function queue(answer: Response) {
  const sent: { url: string; init: RequestInit }[] = [];
  const sqs = new SqsMessageQueue({
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token' }),
    fetch: (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return answer;
    }) as unknown as typeof fetch,
    now: () => new Date('2026-12-01T10:20:30.000Z'),
  });
  return { sqs, sent };
}

describe('SqsMessageQueue', () => {
  it('postpones a received message by setting its visibility timeout on the queue named by its ARN, in a signed call', async () => {
    const { sqs, sent } = queue(new Response('{}', { status: 200 }));
    await sqs.postpone({ queueArn: 'arn:aws:sqs:eu-west-1:123456789012:codex-dev-webhooks', receiptHandle: 'AQEB...' }, 1800);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://sqs.eu-west-1.amazonaws.com/');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/codex-dev-webhooks',
      ReceiptHandle: 'AQEB...',
      VisibilityTimeout: 1800,
    });
    const headers = sent[0]!.init.headers as Record<string, string>;
    expect(headers['x-amz-target']).toBe('AmazonSQS.ChangeMessageVisibility');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-security-token']).toBe('token');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/eu-west-1\/sqs\/aws4_request, /);
  });

  it('lets a failure of SQS reach the consumer, which then fails the record', async () => {
    const { sqs } = queue(
      new Response('{"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid"}', {
        status: 400,
        headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.ReceiptHandleIsInvalid;Sender' },
      }),
    );
    await expect(sqs.postpone({ queueArn: 'arn:aws:sqs:eu-west-1:1:q', receiptHandle: 'x' }, 5)).rejects.toThrow('ReceiptHandleIsInvalid');
  });

  it('reads queue URLs from ARNs, China partition included, and refuses what is not a queue', () => {
    expect(queueUrlOfArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q');
    expect(() => queueUrlOfArn('arn:aws:sns:eu-west-1:1:topic')).toThrow(/Not an SQS queue ARN/);
  });
});
