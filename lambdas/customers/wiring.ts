// The customers area's adapters and services, each built on first use (see shared/platform.ts).
import { keyManagement, apiKeyStore } from '../access/wiring.js';
import { DynamoAccountStore } from '../adapters/dynamodb/customer-accounts.js';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { DynamoAttemptCounters } from '../adapters/dynamodb/attempt-counters.js';
import { DynamoSessionStore } from '../adapters/dynamodb/session-store.js';
import { lazy } from '../shared/platform.js';
import { config, requireOnLambda, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { emailSender } from '../shared/platform/email.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { secretStore } from '../shared/platform/secrets.js';
import { AccessTokens } from './application/access-tokens.js';
import { Accounts } from './application/accounts.js';
import { AccountBlocking, Profiles } from './application/profiles.js';
import { CabinetAccess } from './application/cabinet-access.js';
import { Sessions } from './application/sessions.js';

export const accountStore = /* @__PURE__ */ lazy(() => new DynamoAccountStore(documentClient(), tableName()));
export const sessionStore = /* @__PURE__ */ lazy(() => new DynamoSessionStore(documentClient(), tableName()));
const attemptCounters = /* @__PURE__ */ lazy(() => new DynamoAttemptCounters(documentClient(), tableName()));

export const accessTokens = /* @__PURE__ */ lazy(() => {
  requireOnLambda('JWT_SIGNING_SECRET_ID');
  return new AccessTokens({ secrets: secretStore(), secretId: config().JWT_SIGNING_SECRET_ID, clock: systemClock });
});

export const sessions = /* @__PURE__ */ lazy(
  () =>
    new Sessions({
      accounts: accountStore(),
      sessions: sessionStore(),
      failures: attemptCounters(),
      tokens: accessTokens(),
      clock: systemClock,
      audit: new DynamoAuditLog(documentClient(), tableName()),
      metrics: metricsRecorder(),
    }),
);

export const accounts = /* @__PURE__ */ lazy(
  () =>
    new Accounts({
      accounts: accountStore(),
      sessions: sessionStore(),
      failures: attemptCounters(),
      email: emailSender(),
      clock: systemClock,
      currency: config().CURRENCY,
    }),
);

export const profiles = /* @__PURE__ */ lazy(() => new Profiles({ accounts: accountStore(), clock: systemClock }));

/** For the admin API: blocks a user, ends its sessions, suspends its keys. */
export const accountBlocking = /* @__PURE__ */ lazy(
  () => new AccountBlocking({ accounts: accountStore(), sessions: sessionStore(), clock: systemClock, apiKeys: keyManagement() }),
);

export const cabinetAccess = /* @__PURE__ */ lazy(
  () =>
    new CabinetAccess({
      tokens: accessTokens(),
      sessions: sessionStore(),
      accounts: accountStore(),
      apiKeys: apiKeyStore(),
      secrets: secretStore(),
      pepperSecretId: config().API_KEY_PEPPER_SECRET_ID,
      metrics: metricsRecorder(),
    }),
);
