// Reseller webhooks by the Standard Webhooks specification (https://www.standardwebhooks.com): secrets, signatures,
// the order payload, when to retry and when to give up on an endpoint. Pure: the clock and randomness come from outside
// except for generating a secret.
import { createHmac, randomBytes } from 'node:crypto';
import type { OrderState } from '../../events/catalogue.js';
import { ORDER_EVENT_TYPES } from '../../events/event-types.js';
import { isTerminal } from '../../orders/domain/order-status.js';
import type { Order } from '../../orders/domain/orders.js';
import { orderStatusAnswer } from '../../reseller/v2-answers.js';
import { formatMoney, parseMoney, subtractMoney } from '../../shared/money.js';

// Secrets

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = { min: 24, max: 32 } as const;

/** A new signing secret, shown to its owner once: `whsec_` and the base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES.max).toString('base64')}`;
}

/** The key bytes of a `whsec_` secret. A malformed secret is a bug in whoever stored it, not a caller's mistake. */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
  if (key.length < SECRET_BYTES.min || key.length > SECRET_BYTES.max || key.toString('base64') !== encoded) {
    throw new Error('Not a webhook secret (whsec_ and the base64 of 24 to 32 bytes)');
  }
  return key;
}

/** After a rotation the previous secret keeps signing this long, so receivers can switch without losing a delivery. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface WebhookSecrets {
  current: string;
  previous?: string;
  /** When `current` replaced `previous` (ISO 8601). */
  rotatedAt?: string;
}

/** The secrets that sign a delivery made at `now`: the current one, and the previous one for 24 h after a rotation. */
export function signingSecrets(secrets: WebhookSecrets, now: Date): string[] {
  const { current, previous, rotatedAt } = secrets;
  if (previous === undefined || rotatedAt === undefined) return [current];
  return now.getTime() < Date.parse(rotatedAt) + ROTATION_OVERLAP_MS ? [current, previous] : [current];
}

// Signatures

export interface WebhookMessage {
  /** The event id: the same on every attempt, so receivers can drop duplicates. */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact bytes sent; receivers verify these, never a re-serialised copy. */
  body: string;
}

// A type, not an interface, so it passes where any string record of headers is expected.
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The Standard Webhooks headers: one `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per signing secret. */
export function signWebhook(message: WebhookMessage, secrets: readonly string[]): WebhookHeaders {
  if (secrets.length === 0) throw new Error('A webhook needs at least one signing secret');
  if (!Number.isSafeInteger(message.timestamp) || message.timestamp < 0) throw new Error('The webhook timestamp is whole unix seconds');
  const signed = `${message.id}.${message.timestamp}.${message.body}`;
  const signatures = secrets.map((secret) => `v1,${createHmac('sha256', webhookSecretKey(secret)).update(signed, 'utf8').digest('base64')}`);
  return { 'webhook-id': message.id, 'webhook-timestamp': String(message.timestamp), 'webhook-signature': signatures.join(' ') };
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

// Payload

export const ORDER_WEBHOOK_EVENTS = ORDER_EVENT_TYPES;
export type OrderWebhookEvent = (typeof ORDER_WEBHOOK_EVENTS)[number];

export interface OrderWebhookPayload {
  id: string;
  type: OrderWebhookEvent;
  createdAt: string;
  data: {
    order: { id: number; status: string; charge: string; start_count: string; remains: string; currency: string; service: number; link: string };
  };
}

/**
 * The body of an order event. The order part is v2's `status` answer with the order's id, service and link, so a panel
 * reuses its status code; it carries the order's state when the payload is built, since deliveries may arrive out of order.
 */
export function orderWebhookPayload(event: { id: string; type: OrderWebhookEvent; createdAt: string }, order: Order, currency: string): OrderWebhookPayload {
  const answer = orderStatusAnswer(order, currency);
  return {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    data: {
      order: {
        id: order.id,
        status: answer.status,
        charge: answer.charge,
        start_count: answer.start_count,
        remains: answer.remains,
        currency: answer.currency,
        service: order.serviceId,
        link: order.link,
      },
    },
  };
}

/** Order events whose order is settled by construction: they are written by the settlement (refunds only happen there). */
const SETTLEMENT_EVENTS: ReadonlySet<OrderWebhookEvent> = new Set(['order.completed', 'order.partial', 'order.canceled', 'order.refunded']);

/**
 * The body of an order event, from the order's state the event carries (not re-read: each payload tells the state of
 * its own moment). The same answer v2's `status` gives at that moment: `charge` less refunds, a final status shown only
 * once the order is settled ('In progress' before, so a panel never acts on a Partial whose refund is not in `charge`).
 * A status change is settled when it shows a refund; a final status without one is settled by the order.completed /
 * partial / canceled event that follows it.
 */
export function orderEventPayload(event: { id: string; type: OrderWebhookEvent; at: string; data: OrderState }): OrderWebhookPayload {
  const order = event.data;
  const refunded = parseMoney(order.refunded);
  const settled = SETTLEMENT_EVENTS.has(event.type) || refunded > 0;
  return {
    id: event.id,
    type: event.type,
    createdAt: event.at,
    data: {
      order: {
        id: order.orderId,
        status: isTerminal(order.status) && !settled ? 'In progress' : order.status,
        charge: formatMoney(subtractMoney(parseMoney(order.charge), refunded)),
        start_count: String(order.startCount ?? 0),
        // Until the provider reports, everything remains (as v2 answers).
        remains: String(order.remains ?? order.quantity),
        currency: order.currency,
        service: order.serviceId,
        link: order.link,
      },
    },
  };
}

export function isOrderWebhookEvent(type: string): type is OrderWebhookEvent {
  return (ORDER_WEBHOOK_EVENTS as readonly string[]).includes(type);
}

/** Whether an endpoint gets this event type: not when disabled, and only the types it asked for (all when it named none). */
export function wantsEvent(webhook: { events?: readonly string[]; disabled: boolean }, type: string): boolean {
  return !webhook.disabled && (webhook.events === undefined || webhook.events.includes(type));
}

// Delivery

/** How long a receiver has to answer one attempt, connection included. */
export const DELIVERY_TIMEOUT_MS = 5000;

/** Waits before each retry: attempt 1 goes at once, attempt 2 five seconds after attempt 1 failed, and so on. */
export const RETRY_DELAYS_MS: readonly number[] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600].map((s) => s * 1000);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** What one attempt came to: the receiver's HTTP status, or why no status arrived (refused address, timeout, ...). */
export type DeliveryOutcome = { status: number } | { error: string };

export type DeliveryDecision = { kind: 'delivered' } | { kind: 'retry'; delayMs: number; retryAt: string } | { kind: 'dead_letter' };

export function isDelivered(outcome: DeliveryOutcome): boolean {
  return 'status' in outcome && outcome.status >= 200 && outcome.status <= 299;
}

/** After attempt `attempt` (from 1) ended with `outcome` at `now`: done, try again later, or dead-letter. A 3xx is a failure. */
export function classifyDelivery(outcome: DeliveryOutcome, attempt: number, now: Date): DeliveryDecision {
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new Error(`Attempts count from 1, not ${attempt}`);
  if (isDelivered(outcome)) return { kind: 'delivered' };
  const delayMs = RETRY_DELAYS_MS[attempt - 1];
  if (delayMs === undefined) return { kind: 'dead_letter' };
  return { kind: 'retry', delayMs, retryAt: new Date(now.getTime() + delayMs).toISOString() };
}

/** A delivery record's id: base36 epoch milliseconds (9 characters) and 5 random bytes in hex, so ids sort by time. */
export function newDeliveryId(at: Date, random: Buffer): string {
  return `${at.getTime().toString(36).padStart(9, '0')}${random.subarray(0, 5).toString('hex')}`;
}

export const DELIVERY_ID = /^[0-9a-z]{9}[0-9a-f]{10}$/;

// Endpoint health

/** An endpoint whose every attempt failed for this long is disabled and its owner told. */
export const DISABLE_AFTER_FAILING_MS = 3 * 24 * 60 * 60 * 1000;

export interface EndpointHealth {
  /** The first failure since the last success (ISO 8601); absent while the endpoint is healthy. */
  failingSince?: string;
  consecutiveFailures: number;
}

export const HEALTHY: EndpointHealth = { consecutiveFailures: 0 };

export function afterAttempt(health: EndpointHealth, delivered: boolean, now: Date): EndpointHealth {
  if (delivered) return HEALTHY;
  return { failingSince: health.failingSince ?? now.toISOString(), consecutiveFailures: health.consecutiveFailures + 1 };
}

/** True once the endpoint has failed without a single success for three days: checked after each failed attempt. */
export function shouldDisable(health: EndpointHealth, now: Date): boolean {
  return health.failingSince !== undefined && now.getTime() - Date.parse(health.failingSince) >= DISABLE_AFTER_FAILING_MS;
}
