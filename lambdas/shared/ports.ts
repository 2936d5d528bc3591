// What every area needs from the platform: the time, secrets and the event bus. Adapters live in lambdas/adapters.
import type { DomainEvent } from '../orders/domain/events.js';

export interface Clock {
  now(): Date;
}

export interface SecretStore {
  /** A secret's value, cached by the adapter; never logged. */
  get(secretId: string): Promise<string>;
}

export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
