// The local stand-in for the operators' SNS topic: each alert is an email to operators@codex.local in the outbox
// (GET /_local/outbox?to=operators@codex.local).
import { deadLetterAlert } from '../lambdas/notifications/domain/operator-alerts.js';
import type { EmailSender, OperatorAlert, OperatorAlerts } from '../lambdas/shared/ports.js';
import type { DeadLetter } from './event-queues.js';

export const LOCAL_OPERATORS_EMAIL = 'operators@codex.local';

export class OutboxOperatorAlerts implements OperatorAlerts {
  constructor(
    private readonly outbox: EmailSender,
    private readonly to = LOCAL_OPERATORS_EMAIL,
  ) {}

  send(alert: OperatorAlert): Promise<void> {
    return this.outbox.send({ to: this.to, subject: alert.subject, text: alert.text });
  }
}

/**
 * What the local stack does with a message moved to a dead-letter queue (on AWS, a CloudWatch alarm per queue tells
 * the operators' topic): says so on stderr and alerts the operators.
 */
export function alertOnDeadLetter(alerts: OperatorAlerts, stage = 'local'): (letter: DeadLetter) => void {
  return (letter) => {
    console.error(`local queue ${letter.consumer}: message ${letter.message.messageId} moved to the dead-letter queue`);
    alerts.send(deadLetterAlert(letter.consumer, letter.message.messageId, letter.at, stage)).catch(() => undefined);
  };
}
