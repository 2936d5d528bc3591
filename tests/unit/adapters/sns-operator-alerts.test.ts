// The operators' topic through the SDK's SNS client, mocked with aws-sdk-client-mock.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SnsOperatorAlerts } from '../../../lambdas/adapters/sns/sns-operator-alerts.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:codex-prod-operators';

function sns() {
  const client = new SNSClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  return { alerts: new SnsOperatorAlerts(client, TOPIC), mock };
}

describe('SnsOperatorAlerts', () => {
  it("publishes the alert's subject and text to the operators' topic", async () => {
    const { alerts, mock } = sns();
    mock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await alerts.send({ subject: '[codex prod] Provider p1 is failing', text: 'line one\nline two' });
    expect(mock.commandCalls(PublishCommand).map((call) => call.args[0].input)).toEqual([
      { TopicArn: TOPIC, Subject: '[codex prod] Provider p1 is failing', Message: 'line one\nline two' },
    ]);
  });

  it('keeps the subject within what SNS accepts for email: one line, printable ASCII, at most 100 characters', async () => {
    const { alerts, mock } = sns();
    mock.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await alerts.send({ subject: `Order 1 — ${'x'.repeat(200)}\nsecond line`, text: 't' });
    const subject = mock.commandCalls(PublishCommand)[0]!.args[0].input.Subject!;
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('fails when SNS refuses, so the consumer gives its claim back and the message is tried again', async () => {
    const { alerts, mock } = sns();
    mock.on(PublishCommand).rejects(new Error('AuthorizationError: not authorized to perform SNS:Publish'));
    await expect(alerts.send({ subject: 's', text: 't' })).rejects.toThrow('AuthorizationError');
  });
});
