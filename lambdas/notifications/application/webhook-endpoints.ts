// The cabinet's reseller webhook: register or change it, read it, rotate its secret, send a signed test, list
// deliveries, remove it. Secrets are sealed before they reach the store and shown in clear only when made.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import { openSecret, sealSecret } from '../domain/secret-box.js';
import { checkWebhookUrl } from '../domain/webhook-url.js';
import { DELIVERY_TIMEOUT_MS, generateWebhookSecret, newDeliveryId, signingSecrets, signWebhook, unixSeconds } from '../domain/webhooks.js';
import type { DeliveryRecord, StoredWebhook, WebhookSender, WebhookStore } from '../ports.js';

export interface WebhookDeps {
  store: WebhookStore;
  sender: WebhookSender;
  /** The key that seals secrets (domain/secret-box.ts secretBoxKey). */
  sealingKey: () => Promise<Buffer>;
  clock: Clock;
  allowLoopbackHttp: boolean;
}

/** Bodies kept with delivery records, for redelivery. */
const MAX_STORED_BODY = 4096;

export async function registerWebhook(
  deps: WebhookDeps,
  userId: string,
  input: { url: string; events?: string[] },
): Promise<{ webhook: StoredWebhook; secret?: string; created: boolean }> {
  const check = checkWebhookUrl(input.url, { allowLoopbackHttp: deps.allowLoopbackHttp });
  if (!check.ok) throw new DomainError('invalid_request', `url: ${check.reason}`, 'url');
  const now = deps.clock.now().toISOString();
  const existing = await deps.store.get(userId);
  const events = input.events === undefined ? undefined : [...new Set(input.events)];
  if (existing) {
    // A changed URL or event list keeps the secret: the receiver already has it. Re-enabled, health forgotten.
    const { events: _old, ...rest } = existing;
    const webhook: StoredWebhook = {
      ...rest,
      url: check.url.href,
      ...(events ? { events } : {}),
      updatedAt: now,
      health: { consecutiveFailures: 0 },
      disabled: false,
    };
    await deps.store.put(webhook);
    return { webhook, created: false };
  }
  const secret = generateWebhookSecret();
  const webhook: StoredWebhook = {
    userId,
    url: check.url.href,
    ...(events ? { events } : {}),
    secret: sealSecret(await deps.sealingKey(), secret, userId),
    createdAt: now,
    updatedAt: now,
    health: { consecutiveFailures: 0 },
    disabled: false,
  };
  await deps.store.put(webhook);
  return { webhook, secret, created: true };
}

/** A new current secret; the old one keeps signing for 24 h (signingSecrets). */
export async function rotateWebhookSecret(deps: WebhookDeps, userId: string): Promise<string | undefined> {
  const webhook = await deps.store.get(userId);
  if (!webhook) return undefined;
  const secret = generateWebhookSecret();
  const now = deps.clock.now().toISOString();
  await deps.store.put({
    ...webhook,
    previousSecret: webhook.secret,
    rotatedAt: now,
    secret: sealSecret(await deps.sealingKey(), secret, userId),
    updatedAt: now,
  });
  return secret;
}

/** Undefined when the user has no webhook. Sends one signed `webhook.test` event now, records the attempt and says how it went. Health is not changed. */
export async function testWebhook(deps: WebhookDeps, userId: string): Promise<TestResult | undefined> {
  const webhook = await deps.store.get(userId);
  if (!webhook) return undefined;
  const at = deps.clock.now();
  const eventId = `evt_test_${randomBytes(12).toString('hex')}`;
  const body = JSON.stringify({ id: eventId, type: 'webhook.test', createdAt: at.toISOString(), data: {} });
  return resultOf(await send(deps, webhook, { eventId, type: 'webhook.test', body, attempt: 1 }, at));
}

export type RedeliveryResult = { kind: 'no_webhook' } | { kind: 'no_delivery' } | { kind: 'no_body' } | { kind: 'sent'; result: TestResult };

/**
 * Sends a recorded delivery's body again, with a fresh timestamp and signature and the same event id (receivers drop
 * what they already handled), and records it as the next attempt. Bodies over 4 KB were not kept: those cannot be resent.
 */
export async function redeliver(deps: WebhookDeps, userId: string, deliveryId: string): Promise<RedeliveryResult> {
  const webhook = await deps.store.get(userId);
  if (!webhook) return { kind: 'no_webhook' };
  const earlier = await deps.store.getDelivery(userId, deliveryId);
  if (!earlier) return { kind: 'no_delivery' };
  if (earlier.body === undefined) return { kind: 'no_body' };
  const record = await send(
    deps,
    webhook,
    { eventId: earlier.eventId, type: earlier.type, body: earlier.body, attempt: earlier.attempt + 1 },
    deps.clock.now(),
  );
  return { kind: 'sent', result: resultOf(record) };
}

export type TestResult = { delivered: boolean; status?: number; error?: string; latencyMs: number; deliveryId: string };

function resultOf(record: DeliveryRecord): TestResult {
  return {
    delivered: record.status !== undefined && record.status >= 200 && record.status <= 299,
    ...(record.status !== undefined ? { status: record.status } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    latencyMs: record.latencyMs,
    deliveryId: record.id,
  };
}

async function send(
  deps: WebhookDeps,
  webhook: StoredWebhook,
  message: { eventId: string; type: string; body: string; attempt: number },
  at: Date,
): Promise<DeliveryRecord> {
  const record = await sendSigned(deps, webhook, message, at);
  await deps.store.recordDelivery(webhook.userId, record);
  return record;
}

/** Signs `message` with the webhook's secrets of the moment and sends it once; the record of the attempt, not yet stored. */
export async function sendSigned(
  deps: Pick<WebhookDeps, 'sender' | 'sealingKey'>,
  webhook: StoredWebhook,
  message: { eventId: string; type: string; body: string; attempt: number },
  at: Date,
): Promise<DeliveryRecord> {
  const key = await deps.sealingKey();
  const secrets = signingSecrets(
    {
      current: openSecret(key, webhook.secret, webhook.userId),
      ...(webhook.previousSecret && webhook.rotatedAt
        ? { previous: openSecret(key, webhook.previousSecret, webhook.userId), rotatedAt: webhook.rotatedAt }
        : {}),
    },
    at,
  );
  const headers = signWebhook({ id: message.eventId, timestamp: unixSeconds(at), body: message.body }, secrets);
  const attempt = await deps.sender.deliver({ url: webhook.url, headers, body: message.body, timeoutMs: DELIVERY_TIMEOUT_MS });
  return {
    id: newDeliveryId(at, randomBytes(5)),
    eventId: message.eventId,
    type: message.type,
    at: at.toISOString(),
    ...('status' in attempt ? { status: attempt.status } : { error: attempt.error }),
    latencyMs: attempt.latencyMs,
    attempt: message.attempt,
    ...(Buffer.byteLength(message.body) <= MAX_STORED_BODY ? { body: message.body } : {}),
  };
}
