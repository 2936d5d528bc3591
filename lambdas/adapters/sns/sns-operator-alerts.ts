// Operator alerts through the operators' SNS topic (OperatorAlerts): whoever is subscribed (email, a chat's or a
// Telegram bot's HTTPS webhook) gets the subject and the text.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OperatorAlert, OperatorAlerts } from '../../shared/ports.js';

/** SNS refuses an email subject over 100 characters, with a line break, or outside printable ASCII. */
const MAX_SUBJECT = 100;

export class SnsOperatorAlerts implements OperatorAlerts {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async send(alert: OperatorAlert): Promise<void> {
    const oneLine = alert.subject.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: oneLine.length > MAX_SUBJECT ? `${oneLine.slice(0, MAX_SUBJECT - 3)}...` : oneLine,
        Message: alert.text,
      }),
    );
  }
}
