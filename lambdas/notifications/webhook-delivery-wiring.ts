// The adapters of the webhook consumer (deliverWebhooks). Apart from wiring.ts, and lighter: the consumer's bundle
// also carries the queue client, the event catalogue and the batch processor, so the signing key comes through a
// signed HTTPS call instead of the SDK's Secrets Manager client, and the owner's email through one projected read.
import { DynamoEventClaims } from '../adapters/dynamodb/event-claims.js';
import { DynamoOwnerContacts } from '../adapters/dynamodb/owner-contacts.js';
import { DynamoWebhookDeliveryStore } from '../adapters/dynamodb/webhook-store.js';
import { secretStore } from '../shared/platform/secrets.js';
import { HttpWebhookSender } from '../adapters/webhooks/webhook-sender.js';
import { logger } from '../shared/logger.js';
import { lazy, platform } from '../shared/platform.js';
import { config, requireOnLambda, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { emailSender } from '../shared/platform/email.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import type { DeliveryDeps } from './application/webhook-delivery.js';
import { sealingKeyFrom } from './wiring.js';

requireOnLambda('WEBHOOK_SECRET_KEY_SECRET_ID');

export const webhookDeliveryDeps: () => DeliveryDeps = /* @__PURE__ */ lazy(() => ({
  store: new DynamoWebhookDeliveryStore(documentClient(), tableName()),
  sender: platform().webhooks ?? new HttpWebhookSender({ allowLoopbackHttp: config().WEBHOOK_ALLOW_LOOPBACK }),
  sealingKey: sealingKeyFrom(secretStore()),
  clock: systemClock,
  claims: new DynamoEventClaims(documentClient(), tableName(), systemClock),
  email: emailSender(),
  owners: new DynamoOwnerContacts(documentClient(), tableName()),
  onNoticeFailed: (userId, error) => logger.error('could not email the owner of a disabled webhook', { userId, error: error as Error }),
  metrics: metricsRecorder(),
}));
