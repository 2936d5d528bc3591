// What every area needs from the platform: the time, secrets and the event bus. Adapters live in lambdas/adapters.
import type { CatalogueEvent } from '../events/catalogue.js';
/** What goes on the bus: the catalogue's events (docs/events.md). */
export type PublishedEvent = CatalogueEvent;

export interface Clock {
  now(): Date;
}

export interface SecretStore {
  /** A secret's value, cached by the adapter; never logged. */
  get(secretId: string): Promise<string>;
}

/** Stores a secret's value under its name (created on first use); for the admin API's provider keys. */
export interface SecretWriter {
  /** Returns the secret's id (what a SecretStore reads it by). The value never goes into a log or an error. */
  put(name: string, value: string, description?: string): Promise<string>;
}

export interface EventPublisher {
  publish(events: PublishedEvent[]): Promise<void>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Sends account emails (verification, password reset): SES on AWS, an outbox on the local stack. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** A message a consumer received from its queue. */
export interface ReceivedMessage {
  queueArn: string;
  receiptHandle: string;
}

/** The consumers' queues: SQS on AWS, in-process queues on the local stack (local/event-queues.ts). */
export interface MessageQueue {
  /** Hides a received message for this long (0 to 43,200 s); it then comes back with its receive count one higher. */
  postpone(message: ReceivedMessage, delaySeconds: number): Promise<void>;
}

/** A short message for the people who run Codex: a subject line and a few lines of text, never a secret. */
export interface OperatorAlert {
  subject: string;
  text: string;
}

/** Tells the operators: an SNS topic on AWS (email, chat, a Telegram bot's webhook), the local outbox locally. */
export interface OperatorAlerts {
  send(alert: OperatorAlert): Promise<void>;
}
