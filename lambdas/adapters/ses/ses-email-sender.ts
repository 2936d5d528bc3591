// Account emails through SES (API v2), behind the EmailSender port. Only the recipient's domain is ever logged.
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailSender } from '../../shared/ports.js';

export interface SesEmailSettings {
  /** A verified identity: `Codex <no-reply@example.com>` or a bare address. */
  from: string;
  configurationSet?: string;
}

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly settings: SesEmailSettings,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.settings.from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: message.text, Charset: 'UTF-8' },
              ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
            },
          },
        },
        ...(this.settings.configurationSet ? { ConfigurationSetName: this.settings.configurationSet } : {}),
      }),
    );
  }
}
