// The notification area's adapters, each built on first use (see shared/platform.ts).
import { DynamoWebhookStore } from '../adapters/dynamodb/webhook-store.js';
import { HttpWebhookSender } from '../adapters/webhooks/webhook-sender.js';
import { lazy, platform } from '../shared/platform.js';
import { config, requireOnLambda, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { secretStore } from '../shared/platform/secrets.js';
import type { SecretStore } from '../shared/ports.js';
import type { WebhookDeps } from './application/webhook-endpoints.js';
import { secretBoxKey } from './domain/secret-box.js';

requireOnLambda('WEBHOOK_SECRET_KEY_SECRET_ID');

export const webhookDeps: () => WebhookDeps = /* @__PURE__ */ lazy(() => ({
  store: new DynamoWebhookStore(documentClient(), tableName()),
  sender: platform().webhooks ?? new HttpWebhookSender({ allowLoopbackHttp: config().WEBHOOK_ALLOW_LOOPBACK }),
  sealingKey: sealingKeyFrom(secretStore()),
  clock: systemClock,
  allowLoopbackHttp: config().WEBHOOK_ALLOW_LOOPBACK,
}));

/** The key that seals webhook secrets, read once per container (again after a failed read). */
export function sealingKeyFrom(secrets: SecretStore): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () => {
    key ??= secrets
      .get(config().WEBHOOK_SECRET_KEY_SECRET_ID)
      .then(secretBoxKey)
      .catch((error: unknown) => {
        key = undefined;
        throw error;
      });
    return key;
  };
}
