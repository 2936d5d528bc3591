// REST v1 implementations: the caller's reseller webhook.
import {
  redeliver,
  registerWebhook,
  rotateWebhookSecret as rotateSecret,
  testWebhook as sendTest,
} from '../../../notifications/application/webhook-endpoints.js';
import type { StoredWebhook } from '../../../notifications/ports.js';
import { webhookDeps } from '../../../notifications/wiring.js';
import type { V1Caller } from '../caller.js';
import { deleteWebhook, getWebhook, listWebhookDeliveries, putWebhook, redeliverWebhook, rotateWebhookSecret, testWebhook } from '../contract/webhooks.js';
import { created, noContent, notFound, ok, RestError, type RouteImpl, route } from '../http.js';

export const webhooksRoutes: readonly RouteImpl[] = [
  route(getWebhook, async (req) => {
    const webhook = await webhookDeps().store.get(req.caller.userId);
    if (!webhook) throw notFound('Webhook');
    return ok(webhookJson(webhook));
  }),
  route(putWebhook, async (req) => {
    sessionOnly(req.caller);
    const {
      webhook,
      secret,
      created: isNew,
    } = await registerWebhook(webhookDeps(), req.caller.userId, {
      url: req.body.url,
      ...(req.body.events ? { events: req.body.events } : {}),
    });
    return isNew && secret ? created({ ...webhookJson(webhook), secret }) : ok(webhookJson(webhook));
  }),
  route(deleteWebhook, async (req) => {
    sessionOnly(req.caller);
    if (!(await webhookDeps().store.remove(req.caller.userId))) throw notFound('Webhook');
    return noContent();
  }),
  route(rotateWebhookSecret, async (req) => {
    sessionOnly(req.caller);
    const secret = await rotateSecret(webhookDeps(), req.caller.userId);
    if (secret === undefined) throw notFound('Webhook');
    return ok({ secret });
  }),
  route(testWebhook, async (req) => {
    const result = await sendTest(webhookDeps(), req.caller.userId);
    if (!result) throw notFound('Webhook');
    return ok(result);
  }),
  route(listWebhookDeliveries, async (req) => {
    const { items, nextCursor } = await webhookDeps().store.listDeliveries(req.caller.userId, {
      limit: 20,
      ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
    });
    return ok({ items: items.map(({ body: _body, ...record }) => record), nextCursor });
  }),
  route(redeliverWebhook, async (req) => {
    const outcome = await redeliver(webhookDeps(), req.caller.userId, req.params.id);
    if (outcome.kind === 'no_webhook') throw notFound('Webhook');
    if (outcome.kind === 'no_delivery') throw notFound('Delivery');
    if (outcome.kind === 'no_body') throw new RestError(409, 'not_redeliverable', "This delivery's body (over 4 KB) was not kept");
    return ok(outcome.result);
  }),
];

/** A key (maybe stolen) must not point the callbacks elsewhere or learn a secret: only a signed-in person may. */
function sessionOnly(caller: V1Caller): void {
  if (caller.via !== 'session') throw new RestError(403, 'session_required', 'Manage the webhook from a signed-in session, not with an API key');
}

function webhookJson(webhook: StoredWebhook) {
  return { url: webhook.url, events: webhook.events ?? null, createdAt: webhook.createdAt, updatedAt: webhook.updatedAt, disabled: webhook.disabled };
}
