// The notification area's adapters, each built on first use (see shared/platform.ts).
import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store.js';
import { HttpWebhookSender } from '../adapters/webhooks/webhook-sender.js';
import { lazy } from '../shared/platform.js';
import { config, requireOnLambda, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { secretStore } from '../shared/platform/secrets.js';
import type { WebhookDeps } from './application/webhook-endpoints.js';
import { secretBoxKey } from './domain/secret-box.js';

requireOnLambda('WEBHOOK_SECRET_KEY_SECRET_ID');

export const webhookDeps: () => WebhookDeps = /* @__PURE__ */ lazy(() => {
  let key: Promise<Buffer> | undefined;
  return {
    store: new DynamoWebhookStore(documentClient(), tableName()),
    sender: new HttpWebhookSender({ allowLoopbackHttp: config().WEBHOOK_ALLOW_LOOPBACK }),
    sealingKey: () => {
      key ??= secretStore()
        .get(config().WEBHOOK_SECRET_KEY_SECRET_ID)
        .then(secretBoxKey)
        .catch((error: unknown) => {
          key = undefined;
          throw error;
        });
      return key;
    },
    clock: systemClock,
    allowLoopbackHttp: config().WEBHOOK_ALLOW_LOOPBACK,
  };
});
