// The local stand-in for EventBridge: keeps domain events in memory and appends them to a JSON-lines file,
// where later consumers (email outbox, reseller webhooks) will subscribe.
import { appendFileSync } from 'node:fs';
import type { EventPublisher, PublishedEvent } from '../lambdas/shared/ports.js';

export class LocalEventBus implements EventPublisher {
  readonly events: PublishedEvent[] = [];
  private readonly listeners: ((event: PublishedEvent) => void)[] = [];

  constructor(private readonly logFile?: string) {}

  async publish(events: PublishedEvent[]): Promise<void> {
    for (const event of events) {
      this.events.push(event);
      if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify(event)}\n`);
      for (const listener of this.listeners) listener(event);
    }
  }

  subscribe(listener: (event: PublishedEvent) => void): void {
    this.listeners.push(listener);
  }
}
