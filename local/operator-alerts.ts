// The local stand-in for the operators' SNS topic: each alert is an email to operators@codex.local in the outbox
// (GET /_local/outbox?to=operators@codex.local).
import type { EmailSender, OperatorAlert, OperatorAlerts } from '../lambdas/shared/ports.js';

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
