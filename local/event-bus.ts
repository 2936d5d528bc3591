// The local stand-in for EventBridge: keeps domain events in memory and appends them to a JSON-lines file,
// where later consumers (email outbox, reseller webhooks) will subscribe.
import { appendFileSync } from 'node:fs';
import type { DomainEvent } from '../lambdas/orders/domain/events.js';
import type { EventPublisher } from '../lambdas/shared/ports.js';

export class LocalEventBus implements EventPublisher {
  readonly events: DomainEvent[] = [];
  private readonly listeners: ((event: DomainEvent) => void)[] = [];

  constructor(private readonly logFile?: string) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.events.push(event);
      if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify(event)}\n`);
      for (const listener of this.listeners) listener(event);
    }
  }

  subscribe(listener: (event: DomainEvent) => void): void {
    this.listeners.push(listener);
  }
}
