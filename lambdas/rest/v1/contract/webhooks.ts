// REST v1 operations: the caller's reseller webhook (issue 10, first part: registration, secret, test, deliveries).
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { ORDER_EVENT_TYPES } from '../../../events/event-types.js';
import { Cursor, page, Timestamp } from './common.js';

const OrderEvent = z.enum(ORDER_EVENT_TYPES);
const Secret = z.string().register(z.globalRegistry, { description: 'The signing secret (Standard Webhooks), shown only here', example: 'whsec_…' });

export const Webhook = z
  .object({
    url: z.string(),
    events: z.nullable(z.array(OrderEvent)).register(z.globalRegistry, { description: 'Event types delivered; null: all' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    disabled: z.boolean().register(z.globalRegistry, { description: 'Turned off after failing for days; a PUT turns it on again' }),
  })
  .register(z.globalRegistry, { id: 'Webhook', description: 'Never the secret: that is shown once, when made' });

const SESSION_ONLY = 'From a signed-in session only (an API key gets 403 `session_required`): a stolen key must not redirect callbacks.';

export const getWebhook = {
  method: 'GET',
  path: '/api/v1/webhook',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: "The caller's webhook",
  responses: { 200: { description: 'The webhook', body: Webhook } },
  errors: [404],
} as const satisfies Operation;

export const putWebhook = {
  method: 'PUT',
  path: '/api/v1/webhook',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Register or change the webhook',
  description: `An https URL on the public internet (400, field url, otherwise). Registering answers 201 with the signing secret, the only time it is shown; changing answers 200 and keeps the secret. ${SESSION_ONLY}`,
  body: z.object({ url: z.string().check(z.minLength(1), z.maxLength(2048)), events: z.optional(z.array(OrderEvent).check(z.minLength(1))) }),
  responses: {
    200: { description: 'Changed; the secret is unchanged', body: Webhook },
    201: { description: 'Registered', body: z.extend(Webhook, { secret: Secret }).register(z.globalRegistry, { id: 'NewWebhook' }) },
  },
  errors: [400],
} as const satisfies Operation;

export const deleteWebhook = {
  method: 'DELETE',
  path: '/api/v1/webhook',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Remove the webhook',
  description: `Delivery records stay until they expire (30 days). ${SESSION_ONLY}`,
  responses: { 204: { description: 'Removed' } },
  errors: [404],
} as const satisfies Operation;

export const rotateWebhookSecret = {
  method: 'POST',
  path: '/api/v1/webhook/rotate-secret',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Make a new signing secret',
  description: `The old and the new secret both sign every delivery for 24 hours. ${SESSION_ONLY}`,
  responses: { 200: { description: 'The new secret, shown only here', body: z.object({ secret: Secret }) } },
  errors: [404],
} as const satisfies Operation;

const AttemptResult = z
  .object({ delivered: z.boolean(), status: z.optional(z.number()), error: z.optional(z.string()), latencyMs: z.number(), deliveryId: z.string() })
  .register(z.globalRegistry, { id: 'WebhookAttemptResult', description: 'How the attempt went: delivered on a 2xx answer' });

export const testWebhook = {
  method: 'POST',
  path: '/api/v1/webhook/test',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Send a signed test event now',
  description: 'A `webhook.test` event, signed like every delivery, sent at once (5 s timeout, no retry) and recorded in the deliveries.',
  responses: {
    200: { description: 'How the attempt went: delivered on a 2xx answer', body: AttemptResult },
  },
  errors: [404],
} as const satisfies Operation;

export const WebhookDelivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    type: z.string(),
    at: Timestamp,
    status: z.optional(z.number()).register(z.globalRegistry, { description: "The receiver's HTTP status" }),
    error: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'Why no status arrived: timeout, blocked_address, connection_failed, invalid_url' }),
    latencyMs: z.number(),
    attempt: z
      .number()
      .register(z.globalRegistry, { description: "The attempt's number for its event, from 1 (8 automatic attempts; a redelivery is the next one)" }),
    retryAt: z.optional(Timestamp).register(z.globalRegistry, { description: 'A failed automatic attempt: when the next one goes' }),
    deadLettered: z
      .optional(z.boolean())
      .register(z.globalRegistry, { description: 'The eighth automatic attempt failed too: no more automatic ones; redeliver it from here' }),
  })
  .register(z.globalRegistry, { id: 'WebhookDelivery' });

export const listWebhookDeliveries = {
  method: 'GET',
  path: '/api/v1/webhook/deliveries',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Delivery attempts, newest first',
  description: 'Every attempt of the last 30 days, 20 a page.',
  query: z.object({ cursor: z.optional(Cursor) }),
  responses: { 200: { description: 'A page of attempts', body: page(WebhookDelivery) } },
} as const satisfies Operation;

export const redeliverWebhook = {
  method: 'POST',
  path: '/api/v1/webhook/deliveries/{id}/redeliver',
  auth: 'customerJwt',
  tag: 'Webhook',
  summary: 'Send a recorded delivery again',
  description:
    'The same body and event id (webhook-id), a fresh timestamp and signature, sent at once to the current URL and recorded as the next attempt. ' +
    'A body over 4 KB was not kept: 409 `not_redeliverable`.',
  params: z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }),
  responses: { 200: { description: 'How the attempt went', body: AttemptResult } },
  errors: [404, 409],
} as const satisfies Operation;

export const webhooksOperations: readonly Operation[] = [
  getWebhook,
  putWebhook,
  deleteWebhook,
  rotateWebhookSecret,
  testWebhook,
  listWebhookDeliveries,
  redeliverWebhook,
];
