// The operators' topic through SNS's Publish (query API), signed with SigV4; fetch is faked.
import { describe, expect, it } from 'vitest';
import { SnsOperatorAlerts } from '../../../lambdas/adapters/sns/sns-operator-alerts.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:codex-prod-operators';
const at = new Date('2026-12-01T10:20:30.456Z');

function sns(answer = () => new Response('<PublishResponse><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>', { status: 200 })) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return answer();
  }) as unknown as typeof globalThis.fetch;
  const alerts = new SnsOperatorAlerts({
    topicArn: TOPIC,
    region: 'eu-west-1',
    credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'session/token' }),
    fetch,
    now: () => at,
  });
  return { alerts, sent, form: (i = 0) => Object.fromEntries(new URLSearchParams(String(sent[i]!.init.body))) };
}

describe('SnsOperatorAlerts', () => {
  it("publishes the alert's subject and text to the operators' topic, signed for SNS in the topic's region", async () => {
    const { alerts, sent, form } = sns();
    await alerts.send({ subject: '[codex prod] Provider p1 is failing', text: 'line one\nline two' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://sns.eu-west-1.amazonaws.com/');
    expect(sent[0]!.init.method).toBe('POST');
    expect(form()).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC,
      Subject: '[codex prod] Provider p1 is failing',
      Message: 'line one\nline two',
    });
    const headers = sent[0]!.init.headers as Record<string, string>;
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    expect(headers['x-amz-security-token']).toBe('session/token');
    expect(headers['x-amz-date']).toBe('20261201T102030Z');
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20261201\/eu-west-1\/sns\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });

  it('keeps the subject within what SNS accepts for email: one line, printable ASCII, at most 100 characters', async () => {
    const { alerts, form } = sns();
    await alerts.send({ subject: `Order 1 — ${'x'.repeat(200)}\nsecond line`, text: 't' });
    expect(form().Subject!.length).toBeLessThanOrEqual(100);
    expect(form().Subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('fails with SNS error code when SNS refuses, so the consumer gives its claim back and the message is tried again', async () => {
    const { alerts } = sns(
      () =>
        new Response('<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>not authorized</Message></Error></ErrorResponse>', {
          status: 403,
        }),
    );
    await expect(alerts.send({ subject: 's', text: 't' })).rejects.toThrow('SNS answered 403 AuthorizationError');
  });
});
