// What the notification area needs from the outside world.
import type { FeedNotification, StoredNotification } from './domain/notification-feed.js';

/**
 * The cabinet's notification feed of each user, with an exact unread count. Events may arrive twice and in any order:
 * `add` writes a notification once per id; one that happened before the user's last "mark all read" arrives read.
 */
export interface NotificationFeed {
  add(notification: FeedNotification): Promise<'added' | 'duplicate' | 'expired'>;
  /** Newest first; `unread` counts the whole feed, not the page. */
  list(userId: string, options: { limit: number; cursor?: string }): Promise<{ items: StoredNotification[]; unread: number; nextCursor: string | null }>;
  /** Marks these notifications of the user read (unknown ids and others' are ignored); answers the unread count after. */
  markRead(userId: string, ids: readonly string[]): Promise<number>;
  /** Marks every notification the user has so far read; answers the unread count after (0 unless newer ones arrived meanwhile). */
  markAllRead(userId: string): Promise<number>;
}

export interface WebhookRequest {
  url: string;
  /** The signature headers; the sender adds content-type and user-agent. */
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
}

/**
 * One attempt: the receiver's status (any status, 3xx included: redirects are never followed), or why there was none.
 * `error` is a stable code; `detail` says more and never holds the headers or the body.
 */
export type WebhookAttempt = { status: number; latencyMs: number } | { error: WebhookSendError; detail?: string; latencyMs: number };

export type WebhookSendError = 'invalid_url' | 'blocked_address' | 'timeout' | 'connection_failed';

export interface WebhookSender {
  deliver(request: WebhookRequest): Promise<WebhookAttempt>;
}

// Stored webhooks (one per user) and their delivery records. Secrets are stored sealed (domain/secret-box.ts).

export interface StoredWebhook {
  userId: string;
  url: string;
  /** Order event types delivered; absent: all of them. */
  events?: string[];
  /** Sealed `whsec_` secrets. */
  secret: string;
  previousSecret?: string;
  rotatedAt?: string;
  createdAt: string;
  updatedAt: string;
  health: { failingSince?: string; consecutiveFailures: number };
  disabled: boolean;
}

export interface DeliveryRecord {
  /** Time-sortable: newest first in listings. */
  id: string;
  eventId: string;
  type: string;
  at: string;
  status?: number;
  error?: string;
  latencyMs: number;
  attempt: number;
  /** The body sent (up to 4 KB), for redelivery. */
  body?: string;
  /** A failed attempt of an event delivery: when the next one goes. */
  retryAt?: string;
  /** The last attempt failed too: no more automatic ones (the cabinet can still redeliver). */
  deadLettered?: boolean;
}

/** What delivering events needs of the store. */
export interface WebhookDeliveryStore {
  get(userId: string): Promise<StoredWebhook | undefined>;
  recordDelivery(userId: string, record: DeliveryRecord): Promise<void>;
  /**
   * Writes the endpoint's health (and disables it at `disabledAt`) if the webhook still exists, is enabled and its
   * health is still `expected`; false otherwise (read it again and re-apply). Exactly one writer ever disables it.
   */
  updateHealth(userId: string, expected: StoredWebhook['health'], next: StoredWebhook['health'], disabledAt?: string): Promise<boolean>;
}

export interface WebhookStore extends WebhookDeliveryStore {
  put(webhook: StoredWebhook): Promise<void>;
  /** False when there was none. */
  remove(userId: string): Promise<boolean>;
  getDelivery(userId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  listDeliveries(userId: string, options: { limit: number; cursor?: string }): Promise<{ items: DeliveryRecord[]; nextCursor: string | null }>;
}

/** Who to tell when their endpoint is disabled. */
export interface OwnerContacts {
  /** The account's email; undefined when the account is gone. */
  emailOf(userId: string): Promise<string | undefined>;
}
