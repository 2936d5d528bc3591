// The email consumer's adapters, built on first use (see shared/platform.ts). Apart from wiring.ts, which the webhook
// functions share: this function needs neither the webhook sealing key nor an HTTP sender.
import { DynamoCatalogStore } from '../adapters/dynamodb/catalog-store.js';
import { DynamoAccountReader } from '../adapters/dynamodb/account-reader.js';
import { DynamoEventClaims } from '../adapters/dynamodb/event-claims.js';
import { logger } from '../shared/logger.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { emailSender } from '../shared/platform/email.js';
import { settingsReader } from '../settings/wiring.js';
import { SendNotificationEmails } from './application/email-notifications.js';

export const notificationEmails = /* @__PURE__ */ lazy(() => {
  const catalog = new DynamoCatalogStore(documentClient(), tableName());
  const apiBase = config().PUBLIC_API_URL;
  return new SendNotificationEmails({
    accounts: new DynamoAccountReader(documentClient(), tableName()),
    serviceName: async (serviceId) => (await catalog.getService(serviceId))?.name,
    claims: new DynamoEventClaims(documentClient(), tableName(), systemClock),
    email: emailSender(),
    ...(apiBase ? { apiBase } : {}),
    templates: async () => (await settingsReader().current()).templates,
    onError: (message, error) => logger.warn(message, { error: error as Error }),
  });
});
