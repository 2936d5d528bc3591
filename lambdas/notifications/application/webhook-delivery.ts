// Delivers one order event to its owner's webhook: once per event id (EventClaims), each attempt numbered by the
// failures its claim counted, recorded, and judged (retry later, dead-letter, disable the endpoint and tell its owner).
import type { EventOf } from '../../events/catalogue.js';
import type { EventClaims } from '../../events/ports.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { EmailMessage, EmailSender } from '../../shared/ports.js';
import {
  type DeliveryDecision,
  type OrderWebhookEvent,
  afterAttempt,
  classifyDelivery,
  orderEventPayload,
  shouldDisable,
  wantsEvent,
} from '../domain/webhooks.js';
import type { OwnerContacts, StoredWebhook, WebhookDeliveryStore } from '../ports.js';
import { type WebhookDeps, sendSigned } from './webhook-endpoints.js';

export const WEBHOOK_CONSUMER = 'deliverWebhooks';
/** How long a claim holds off other deliveries of the same event: one attempt (5 s at most) and a few writes. */
export const CLAIM_LEASE_MS = 30_000;
/** Health writes that lost a race with another writer are re-read and re-applied this many times. */
const HEALTH_WRITE_TRIES = 5;

export type OrderEvent = EventOf<OrderWebhookEvent>;

export interface DeliveryDeps extends Pick<WebhookDeps, 'sender' | 'sealingKey' | 'clock'> {
  store: WebhookDeliveryStore;
  claims: Pick<EventClaims, 'claimAttempt' | 'done' | 'release'>;
  email: EmailSender;
  owners: OwnerContacts;
  /** Told when the owner of a disabled endpoint could not be emailed (the delivery goes on regardless). */
  onNoticeFailed: (userId: string, error: unknown) => void;
  /** WebhookDeliveries and WebhookFailures: every attempt, and those the receiver did not take. */
  metrics: MetricsRecorder;
}

export type DeliveryResult =
  | { kind: 'skipped'; reason: 'no_webhook' | 'disabled' | 'not_wanted' | 'already_delivered' }
  | { kind: 'delivered'; attempt: number }
  | { kind: 'dead_lettered'; attempt: number }
  /** Ask the queue for this event again after `delaySeconds`. */
  | { kind: 'retry'; delaySeconds: number; reason: string; attempt?: number };

export async function deliverOrderEvent(deps: DeliveryDeps, event: OrderEvent): Promise<DeliveryResult> {
  const ownerId = event.data.ownerId;
  const webhook = await deps.store.get(ownerId);
  if (!webhook) return { kind: 'skipped', reason: 'no_webhook' };
  if (webhook.disabled) return { kind: 'skipped', reason: 'disabled' };
  if (!wantsEvent(webhook, event.type)) return { kind: 'skipped', reason: 'not_wanted' };

  // The claim also says how many attempts failed before this one (each failure gives the claim back counted).
  const claim = await deps.claims.claimAttempt(WEBHOOK_CONSUMER, event.id, CLAIM_LEASE_MS);
  if (claim.state === 'done') return { kind: 'skipped', reason: 'already_delivered' };
  if (claim.state === 'busy') return { kind: 'retry', delaySeconds: CLAIM_LEASE_MS / 1000, reason: 'another delivery of this event is under way' };

  let decision: DeliveryDecision;
  const attempt = claim.failures + 1;
  // Whether this attempt reached the endpoint and was not taken: a failure to count when the claim goes back.
  let failed = false;
  try {
    const at = deps.clock.now();
    const body = JSON.stringify(orderEventPayload(event));
    const record = await sendSigned(deps, webhook, { eventId: event.id, type: event.type, body, attempt }, at);
    const outcome = record.status !== undefined ? { status: record.status } : { error: record.error ?? 'unknown' };
    decision = classifyDelivery(outcome, attempt, at);
    const delivered = decision.kind === 'delivered';
    failed = !delivered;
    deps.metrics.record('WebhookDeliveries', 1, {});
    if (!delivered) deps.metrics.record('WebhookFailures', 1, {});
    await Promise.all([
      deps.store.recordDelivery(ownerId, {
        ...record,
        ...(decision.kind === 'retry' ? { retryAt: decision.retryAt } : {}),
        ...(decision.kind === 'dead_letter' ? { deadLettered: true } : {}),
      }),
      // Delivered: done at once (a lost record then costs less than a second POST would).
      ...(delivered ? [deps.claims.done(WEBHOOK_CONSUMER, event.id)] : []),
      updateHealth(deps, webhook, delivered, at),
    ]);
  } catch (error) {
    // Nothing is lost: the claim goes back (counting an attempt that failed) and the message returns (the queue's
    // visibility timeout).
    await deps.claims.release(WEBHOOK_CONSUMER, event.id, { failed });
    throw error;
  }

  switch (decision.kind) {
    case 'delivered':
      return { kind: 'delivered', attempt };
    case 'dead_letter':
      await deps.claims.done(WEBHOOK_CONSUMER, event.id);
      return { kind: 'dead_lettered', attempt };
    case 'retry':
      await deps.claims.release(WEBHOOK_CONSUMER, event.id, { failed: true });
      return { kind: 'retry', delaySeconds: decision.delayMs / 1000, reason: `attempt ${attempt} failed`, attempt };
  }
}

/**
 * Applies the attempt to the endpoint's health as it is now in the store (other deliveries to it run in parallel),
 * and disables it when it has failed for three days: the write that disables it is the one that emails the owner.
 */
async function updateHealth(deps: DeliveryDeps, webhook: StoredWebhook, delivered: boolean, at: Date): Promise<void> {
  // A healthy endpoint that answered stays as it is: no write (the common case costs nothing here).
  if (delivered && webhook.health.consecutiveFailures === 0 && webhook.health.failingSince === undefined) return;
  let current: StoredWebhook | undefined = webhook;
  for (let tries = 0; tries < HEALTH_WRITE_TRIES && current && !current.disabled; tries++) {
    const health = afterAttempt(current.health, delivered, at);
    const disabledAt = !delivered && shouldDisable(health, at) ? at.toISOString() : undefined;
    if (await deps.store.updateHealth(current.userId, current.health, health, disabledAt)) {
      if (disabledAt !== undefined) await tellOwner(deps, current, health.failingSince ?? disabledAt);
      return;
    }
    current = await deps.store.get(webhook.userId);
  }
}

/** At most once: a failed email is reported, not retried (the endpoint stays disabled, which the cabinet shows). */
async function tellOwner(deps: DeliveryDeps, webhook: StoredWebhook, failingSince: string): Promise<void> {
  try {
    const to = await deps.owners.emailOf(webhook.userId);
    if (to) await deps.email.send(disabledEmail(to, webhook.url, failingSince));
  } catch (error) {
    deps.onNoticeFailed(webhook.userId, error);
  }
}

export function disabledEmail(to: string, url: string, failingSince: string): EmailMessage {
  const text = [
    `Every delivery to your Codex webhook ${url} has failed since ${failingSince}, so it is disabled: no more order events go to it.`,
    'Your cabinet lists the failed deliveries and can send them again. Once your endpoint answers 2xx, register its URL again (PUT /api/v1/webhook) to enable it.',
  ].join('\n\n');
  return { to, subject: 'Your Codex webhook was disabled', text };
}
