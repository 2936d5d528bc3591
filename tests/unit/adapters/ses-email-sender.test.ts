import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../lambdas/adapters/ses/ses-email-sender.js';

describe('SesEmailSender', () => {
  it('sends a plain-text email from the configured address, through the configuration set', async () => {
    const client = new SESv2Client({ region: 'us-east-1' });
    const ses = mockClient(client);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
    await new SesEmailSender(client, { from: 'Codex <no-reply@example.com>', configurationSet: 'codex' }).send({
      to: 'ann@example.com',
      subject: 'Hello',
      text: 'Token: abc',
    });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Codex <no-reply@example.com>',
      Destination: { ToAddresses: ['ann@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hello', Charset: 'UTF-8' }, Body: { Text: { Data: 'Token: abc', Charset: 'UTF-8' } } } },
      ConfigurationSetName: 'codex',
    });
  });

  it('adds the HTML part when there is one, and no configuration set when none is configured', async () => {
    const client = new SESv2Client({ region: 'us-east-1' });
    const ses = mockClient(client);
    ses.on(SendEmailCommand).resolves({});
    await new SesEmailSender(client, { from: 'no-reply@example.com' }).send({ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Content?.Simple?.Body?.Html).toEqual({ Data: '<p>t</p>', Charset: 'UTF-8' });
    expect(input.ConfigurationSetName).toBeUndefined();
  });

  it('lets a refusal of SES reach the caller', async () => {
    const client = new SESv2Client({ region: 'us-east-1' });
    mockClient(client).on(SendEmailCommand).rejects(new Error('MessageRejected'));
    await expect(new SesEmailSender(client, { from: 'x@example.com' }).send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toThrow(
      'MessageRejected',
    );
  });
});
