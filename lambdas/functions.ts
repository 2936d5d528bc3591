// Every Lambda function, HTTP route, schedule and workflow step, defined once. CDK builds the AWS resources from
// these lists and the local stack wires the same handler modules to its gateway, scheduler and workflow runner.
import type { EventType } from './events/catalogue.js';
import { ORDER_EVENT_TYPES, OWNER_NOTICE_TYPES } from './events/event-types.js';

export interface FunctionSpec {
  /** Source file of the handler, relative to the repository root. */
  entry: string;
  /** The exported handler in that file. */
  handler: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * Files the handler reads at run time, relative to the repository root: deployed beside the bundle (same base
   * name), never inside it. See `assetCopyHooks` in lib/bundling.ts.
   */
  assets?: readonly string[];
}

export const FUNCTIONS = {
  resellerApi: {
    entry: 'lambdas/reseller/v2-handler.ts',
    handler: 'handler',
    description: 'Reseller API (SMM panel API v2)',
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  apiAuthorizer: {
    entry: 'lambdas/reseller/authorizer-handler.ts',
    handler: 'handler',
    description: 'Reseller API authorizer: picks the usage plan of header-key requests',
    timeoutSeconds: 5,
    memoryMb: 512,
  },
  customerAuthorizer: {
    entry: 'lambdas/rest/v1/handlers/authorizer-handler.ts',
    handler: 'handler',
    description: 'REST API v1 authorizer: checks the access token or API key of cabinet requests',
    timeoutSeconds: 5,
    memoryMb: 512,
  },
  // Sessions sign access tokens; accounts send email. Apart, neither carries the other's client (jose, SES) and
  // each stays within the bundle budget.
  customerSessions: {
    entry: 'lambdas/rest/v1/handlers/sessions-handler.ts',
    handler: 'handler',
    description: 'REST API v1: sign-in, token refresh, sign-out, JWKS',
    timeoutSeconds: 15,
    // scrypt's cost is memory and CPU: at 1,024 MB a Lambda gets most of a vCPU.
    memoryMb: 1024,
  },
  customerAccounts: {
    entry: 'lambdas/rest/v1/handlers/accounts-handler.ts',
    handler: 'handler',
    description: 'REST API v1: registration, email verification, password reset',
    timeoutSeconds: 15,
    // scrypt again (registration and reset hash the password).
    memoryMb: 1024,
  },
  cabinetApi: {
    entry: 'lambdas/rest/v1/handlers/cabinet-handler.ts',
    handler: 'handler',
    description: 'REST API v1 cabinet: profile, balance, transactions, notifications',
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  apiKeysApi: {
    entry: 'lambdas/rest/v1/handlers/api-keys-handler.ts',
    handler: 'handler',
    description: 'REST API v1 cabinet: API keys',
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  webhooksApi: {
    entry: 'lambdas/rest/v1/handlers/webhooks-handler.ts',
    handler: 'handler',
    description: "REST API v1 cabinet: the reseller's webhook (register, rotate, test, deliveries)",
    // A test delivery waits up to 5 s for the receiver.
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  ordersApi: {
    entry: 'lambdas/rest/v1/handlers/orders-handler.ts',
    handler: 'handler',
    description: "REST API v1 cabinet: the caller's orders (list, read, place)",
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  // Apart from ordersApi: only these ask the provider, so only this function carries its client and reads its keys.
  orderActionsApi: {
    entry: 'lambdas/rest/v1/handlers/order-actions-handler.ts',
    handler: 'handler',
    description: "REST API v1 cabinet: cancel or refill one of the caller's orders (asks the provider)",
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  // Apart from the cabinet: it alone reads the providers' callback secrets, and moves orders as the poller does.
  providerCallbacks: {
    entry: 'lambdas/rest/v1/handlers/provider-callbacks-handler.ts',
    handler: 'handler',
    description: "REST API v1: upstream providers' signed status callbacks",
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  payments: {
    entry: 'lambdas/rest/v1/handlers/payments-handler.ts',
    handler: 'handler',
    description: 'REST API v1: top-ups, payment gateway callbacks, the demo gateway checkout',
    timeoutSeconds: 20,
    memoryMb: 512,
  },
  publicApi: {
    entry: 'lambdas/rest/v1/handlers/public-handler.ts',
    handler: 'handler',
    description: 'REST API v1 public pages: services, site information',
    timeoutSeconds: 10,
    memoryMb: 512,
  },
  apiDocs: {
    entry: 'lambdas/rest/v1/handlers/docs-handler.ts',
    handler: 'handler',
    description: 'REST API v1 documentation: OpenAPI document and the interactive page',
    timeoutSeconds: 10,
    memoryMb: 512,
    // Swagger UI (1.9 MB) is served from files beside the bundle, so the bundle stays small.
    assets: [
      'node_modules/swagger-ui-dist/swagger-ui-bundle.js',
      'node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js',
      'node_modules/swagger-ui-dist/swagger-ui.css',
    ],
  },
  adminSettings: {
    entry: 'lambdas/rest/admin/handlers/settings-handler.ts',
    handler: 'handler',
    description: 'Admin API: the caller, settings, promo codes and the audit log',
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  // Admin API: users (issue 11). Onboarding and pricing are apart, so neither bundle passes 300 KB and only
  // adminResellers may read the key pepper; neither touches usage keys (assignUsageKeys does, from the stream).
  adminUsers: {
    entry: 'lambdas/rest/admin/handlers/users-handler.ts',
    handler: 'handler',
    description: 'Admin API: users (list, detail), balance adjustments, blocking, API key actions',
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  adminResellers: {
    entry: 'lambdas/rest/admin/handlers/users-resellers-handler.ts',
    handler: 'handler',
    description: 'Admin API: onboarding resellers (account, wallet, tier, API key) and their pricing and tier',
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  // The table stream's reseller profiles: API Gateway keys follow the tier onboarding and pricing write (lib/usage-keys.ts).
  assignUsageKeys: {
    entry: 'lambdas/access/handlers/assign-usage-keys-handler.ts',
    handler: 'handler',
    description: "Issues each reseller's API Gateway key and moves it to its tier's usage plan, from the table's stream",
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  // No route: the admin user pool calls it (lib/admin-user-pool.ts).
  auditAdminSignIns: {
    entry: 'lambdas/admin/handlers/sign-in-audit-handler.ts',
    handler: 'handler',
    description: "Admin user pool's post-authentication trigger: records each admin and operator sign-in in the audit log",
    timeoutSeconds: 5,
    memoryMb: 256,
  },
  // Admin API: orders. Apart: only adminOrderActions asks providers, so only it carries their client and reads their keys.
  adminOrders: {
    entry: 'lambdas/rest/admin/handlers/orders-handler.ts',
    handler: 'handler',
    description: "Admin API: every owner's orders, an order's page, the attention queue, refunds, notes",
    timeoutSeconds: 15,
    memoryMb: 1024,
  },
  adminOrderActions: {
    entry: 'lambdas/rest/admin/handlers/order-actions-handler.ts',
    handler: 'handler',
    description: 'Admin API: refresh, cancel or resend an order (asks the provider)',
    timeoutSeconds: 30,
    memoryMb: 1024,
  },
  health: { entry: 'lambdas/health/health-handler.ts', handler: 'handler', description: 'Health check', timeoutSeconds: 3, memoryMb: 128 },
  startOrderWorkflow: {
    entry: 'lambdas/orders/handlers/start-workflow-handler.ts',
    handler: 'handler',
    description: 'Starts the workflow of each committed order',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  publishEvents: {
    entry: 'lambdas/events/handlers/publish-events-handler.ts',
    handler: 'handler',
    description: "Publishes the catalogue's events from the table's stream to the bus",
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  // Issue 11, finance: the stream keeps each day's totals; a job item's INSERT runs a reconciliation.
  adminFinance: {
    entry: 'lambdas/rest/admin/handlers/finance-handler.ts',
    handler: 'handler',
    description: 'Admin API: finance summary, ledger (JSON, CSV) and reconciliation jobs',
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  recordFinanceTotals: {
    entry: 'lambdas/finance/handlers/record-totals-handler.ts',
    handler: 'handler',
    description: "Adds each new ledger entry and each settled order to its day's finance totals, once",
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  reconcileFinances: {
    entry: 'lambdas/finance/handlers/reconcile-handler.ts',
    handler: 'handler',
    description: "Reconciliation job: every wallet's balance against its ledger, recorded provider cost against providers' charges",
    timeoutSeconds: 900,
    memoryMb: 1024,
  },
  sendNotificationEmails: {
    entry: 'lambdas/notifications/handlers/email-consumer-handler.ts',
    handler: 'handler',
    description: "Emails customers about events, following each user's notification settings (one email per event id)",
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  recordNotifications: {
    entry: 'lambdas/notifications/handlers/feed-consumer-handler.ts',
    handler: 'handler',
    description: "Writes events into each user's in-cabinet notification feed",
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  deliverWebhooks: {
    entry: 'lambdas/notifications/handlers/webhook-consumer-handler.ts',
    handler: 'handler',
    description: "Delivers order events to resellers' webhooks, signed (Standard Webhooks), with retries",
    // A batch of up to 10 deliveries, each waiting up to 5 s for its receiver.
    timeoutSeconds: 60,
    memoryMb: 512,
  },
  alertOperators: {
    entry: 'lambdas/notifications/handlers/operator-alerts-handler.ts',
    handler: 'handler',
    description: 'Tells the operators (SNS topic) what needs a person: an unhealthy provider, stuck orders, dead letters',
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  submitOrder: {
    entry: 'lambdas/orders/handlers/submit-order-handler.ts',
    handler: 'handler',
    description: 'Workflow step: submit to the provider',
    timeoutSeconds: 40,
    memoryMb: 512,
  },
  giveUpSubmission: {
    entry: 'lambdas/orders/handlers/give-up-submission-handler.ts',
    handler: 'handler',
    description: 'Workflow step: decide after failed submissions',
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  awaitCompletion: {
    entry: 'lambdas/orders/handlers/await-completion-handler.ts',
    handler: 'handler',
    description: 'Workflow step: park the callback token',
    timeoutSeconds: 15,
    memoryMb: 256,
  },
  finalizeOrder: {
    entry: 'lambdas/orders/handlers/finalize-order-handler.ts',
    handler: 'handler',
    description: 'Workflow step: settle and refund',
    timeoutSeconds: 30,
    memoryMb: 512,
  },
  pollProviders: {
    entry: 'lambdas/orders/handlers/poll-providers-handler.ts',
    handler: 'handler',
    description: 'Batch status poller',
    timeoutSeconds: 55,
    memoryMb: 512,
  },
  sweepOrders: {
    entry: 'lambdas/orders/handlers/sweep-orders-handler.ts',
    handler: 'handler',
    description: 'Restarts order workflows that stalled',
    timeoutSeconds: 120,
    memoryMb: 256,
  },
  // Scheduled, and fed the table stream's lease listings moved to the closed list (lib/order-workflow.ts).
  settleIdleLeases: {
    entry: 'lambdas/wallets/handlers/settle-leases-handler.ts',
    handler: 'handler',
    description: "Settles balance leases: those their holders closed, from the table's stream; those of containers gone quiet, every minute",
    timeoutSeconds: 120,
    memoryMb: 256,
  },
  // Admin API: catalog. Apart: only adminProviders carries the provider client and may write provider secrets.
  adminCatalog: {
    entry: 'lambdas/rest/admin/handlers/catalog-handler.ts',
    handler: 'handler',
    description: 'Admin API: services, price history, providers list and status',
    timeoutSeconds: 15,
    memoryMb: 512,
  },
  adminProviders: {
    entry: 'lambdas/rest/admin/handlers/providers-handler.ts',
    handler: 'handler',
    description: 'Admin API: provider create and edit (keys to Secrets Manager), balance, services sync',
    // A sync writes one transaction per changed service after the provider's `services` answer.
    timeoutSeconds: 60,
    memoryMb: 512,
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

/** Methods a route may list; `HEAD` is served wherever `GET` is (see apiMethods). */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ApiMethod = RouteMethod | 'HEAD';

/** Who may call a route. Every kind but `none` goes through the authorizer AUTHORIZERS names for it. */
export type AuthKind = 'none' | 'resellerKey' | 'customerJwt' | 'adminCognito';

export interface RouteSpec {
  methods: readonly RouteMethod[];
  /** Literal segments and `{name}` segments, whose values reach the handler in `pathParameters`. */
  path: string;
  auth: AuthKind;
  function: FunctionName;
}

/**
 * A Lambda REQUEST authorizer, run on every request of its routes: no identity source (API Gateway would answer 401
 * without calling it when the source is missing) and no result cache.
 */
export interface RequestAuthorizerSpec {
  type: 'request';
  function: FunctionName;
  /** The authorizer is named `codex-<stage>-<name>`. */
  name: string;
  /** Usage plans count the key it returns as `usageIdentifierKey`; its routes require one. */
  returnsUsageKey: boolean;
}

/**
 * API Gateway's Cognito user pool authorizer: it verifies the ID token in the Authorization header (signature,
 * expiry, issuer) before any function runs, answers 401 itself, and hands the token's claims, as strings, to the
 * handler in `requestContext.authorizer.claims`. CDK gives it the admin user pool (lib/admin-user-pool.ts); the local
 * gateway verifies tokens of the local stand-in (local/cognito.ts) the same way.
 */
export interface CognitoAuthorizerSpec {
  type: 'cognito';
  /** The authorizer is named `codex-<stage>-<name>`. */
  name: string;
}

export type AuthorizerSpec = RequestAuthorizerSpec | CognitoAuthorizerSpec;

export const AUTHORIZERS: { readonly [K in Exclude<AuthKind, 'none'>]?: AuthorizerSpec } = {
  resellerKey: { type: 'request', function: 'apiAuthorizer', name: 'usage-key', returnsUsageKey: true },
  customerJwt: { type: 'request', function: 'customerAuthorizer', name: 'customer', returnsUsageKey: false },
  adminCognito: { type: 'cognito', name: 'admin' },
};

const V1 = '/api/v1';

/**
 * Every HTTP route. A trailing slash reaches the same route, as on API Gateway REST, so `/api/v2/` is served too and
 * never redirected (a redirected POST loses its key).
 */
export const ROUTES: readonly RouteSpec[] = [
  { methods: ['GET', 'POST'], path: '/api/v2', auth: 'resellerKey', function: 'resellerApi' },
  { methods: ['GET'], path: '/health', auth: 'none', function: 'health' },
  // REST API v1: the website and cabinet. Each operation is described once in lambdas/rest/v1/contract/.
  { methods: ['GET'], path: `${V1}/services`, auth: 'none', function: 'publicApi' },
  { methods: ['GET'], path: `${V1}/site`, auth: 'none', function: 'publicApi' },
  { methods: ['POST'], path: `${V1}/auth/register`, auth: 'none', function: 'customerAccounts' },
  { methods: ['POST'], path: `${V1}/auth/verify-email`, auth: 'none', function: 'customerAccounts' },
  { methods: ['POST'], path: `${V1}/auth/login`, auth: 'none', function: 'customerSessions' },
  { methods: ['POST'], path: `${V1}/auth/refresh`, auth: 'none', function: 'customerSessions' },
  { methods: ['POST'], path: `${V1}/auth/logout`, auth: 'none', function: 'customerSessions' },
  { methods: ['POST'], path: `${V1}/auth/forgot-password`, auth: 'none', function: 'customerAccounts' },
  { methods: ['POST'], path: `${V1}/auth/reset-password`, auth: 'none', function: 'customerAccounts' },
  { methods: ['GET'], path: `${V1}/.well-known/jwks.json`, auth: 'none', function: 'customerSessions' },
  { methods: ['GET', 'PATCH'], path: `${V1}/me`, auth: 'customerJwt', function: 'cabinetApi' },
  { methods: ['GET'], path: `${V1}/balance`, auth: 'customerJwt', function: 'cabinetApi' },
  { methods: ['GET'], path: `${V1}/transactions`, auth: 'customerJwt', function: 'cabinetApi' },
  { methods: ['GET'], path: `${V1}/notifications`, auth: 'customerJwt', function: 'cabinetApi' },
  { methods: ['POST'], path: `${V1}/notifications/read`, auth: 'customerJwt', function: 'cabinetApi' },
  { methods: ['GET', 'POST'], path: `${V1}/orders`, auth: 'customerJwt', function: 'ordersApi' },
  { methods: ['GET'], path: `${V1}/orders/{id}`, auth: 'customerJwt', function: 'ordersApi' },
  { methods: ['POST'], path: `${V1}/orders/{id}/cancel`, auth: 'customerJwt', function: 'orderActionsApi' },
  { methods: ['POST'], path: `${V1}/orders/{id}/refill`, auth: 'customerJwt', function: 'orderActionsApi' },
  { methods: ['GET', 'POST'], path: `${V1}/api-keys`, auth: 'customerJwt', function: 'apiKeysApi' },
  { methods: ['PATCH', 'DELETE'], path: `${V1}/api-keys/{id}`, auth: 'customerJwt', function: 'apiKeysApi' },
  { methods: ['GET', 'PUT', 'DELETE'], path: `${V1}/webhook`, auth: 'customerJwt', function: 'webhooksApi' },
  { methods: ['POST'], path: `${V1}/webhook/rotate-secret`, auth: 'customerJwt', function: 'webhooksApi' },
  { methods: ['POST'], path: `${V1}/webhook/test`, auth: 'customerJwt', function: 'webhooksApi' },
  { methods: ['GET'], path: `${V1}/webhook/deliveries`, auth: 'customerJwt', function: 'webhooksApi' },
  { methods: ['POST'], path: `${V1}/webhook/deliveries/{id}/redeliver`, auth: 'customerJwt', function: 'webhooksApi' },
  { methods: ['GET', 'POST'], path: `${V1}/top-ups`, auth: 'customerJwt', function: 'payments' },
  { methods: ['GET'], path: `${V1}/top-ups/{id}`, auth: 'customerJwt', function: 'payments' },
  { methods: ['POST'], path: `${V1}/payments/demo/callback`, auth: 'none', function: 'payments' },
  { methods: ['POST'], path: `${V1}/payments/cryptomus/callback`, auth: 'none', function: 'payments' },
  // Upstream providers push their orders' status, signed with their callback secret (Standard Webhooks).
  { methods: ['POST'], path: `${V1}/providers/{providerId}/callback`, auth: 'none', function: 'providerCallbacks' },
  // The demo gateway's checkout page and its buttons (answered only where the demo gateway is enabled).
  { methods: ['GET'], path: `${V1}/payments/demo/checkout/{id}`, auth: 'none', function: 'payments' },
  { methods: ['POST'], path: `${V1}/payments/demo/checkout/{id}/pay`, auth: 'none', function: 'payments' },
  { methods: ['POST'], path: `${V1}/payments/demo/checkout/{id}/cancel`, auth: 'none', function: 'payments' },
  { methods: ['GET'], path: `${V1}/openapi.json`, auth: 'none', function: 'apiDocs' },
  { methods: ['GET'], path: `${V1}/docs`, auth: 'none', function: 'apiDocs' },
  { methods: ['GET'], path: '/admin/v1/openapi.json', auth: 'none', function: 'apiDocs' },
  // The docs page's scripts and stylesheet (Swagger UI, served by us: the page loads nothing from elsewhere).
  { methods: ['GET'], path: `${V1}/docs/{asset}`, auth: 'none', function: 'apiDocs' },
  // Admin API (issue 11): Cognito ID tokens of the admin user pool; who may call what is ADMIN_PERMISSIONS
  // (lambdas/admin/domain/permissions.ts). Each area adds its routes in its own block below this one.
  { methods: ['GET'], path: '/admin/v1/me', auth: 'adminCognito', function: 'adminSettings' },
  // Admin API: users
  { methods: ['GET'], path: '/admin/v1/users', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users', auth: 'adminCognito', function: 'adminResellers' },
  { methods: ['GET'], path: '/admin/v1/users/{id}', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/adjustments', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/block', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/unblock', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['PUT'], path: '/admin/v1/users/{id}/pricing', auth: 'adminCognito', function: 'adminResellers' },
  { methods: ['PATCH'], path: '/admin/v1/users/{id}/api-keys/{keyId}', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/api-keys/{keyId}/suspend', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/api-keys/{keyId}/reactivate', auth: 'adminCognito', function: 'adminUsers' },
  { methods: ['POST'], path: '/admin/v1/users/{id}/api-keys/{keyId}/revoke', auth: 'adminCognito', function: 'adminUsers' },
  // Admin API: catalog (services, price history, providers; adminProviders asks providers and writes their secrets).
  { methods: ['GET', 'POST'], path: '/admin/v1/services', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['PATCH'], path: '/admin/v1/services/{id}', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['POST'], path: '/admin/v1/services/{id}/enable', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['POST'], path: '/admin/v1/services/{id}/disable', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['GET'], path: '/admin/v1/services/{id}/price-history', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['GET'], path: '/admin/v1/providers', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['POST'], path: '/admin/v1/providers', auth: 'adminCognito', function: 'adminProviders' },
  { methods: ['PATCH'], path: '/admin/v1/providers/{id}', auth: 'adminCognito', function: 'adminProviders' },
  { methods: ['POST'], path: '/admin/v1/providers/{id}/enable', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['POST'], path: '/admin/v1/providers/{id}/disable', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['POST'], path: '/admin/v1/providers/{id}/maintenance', auth: 'adminCognito', function: 'adminCatalog' },
  { methods: ['GET'], path: '/admin/v1/providers/{id}/balance', auth: 'adminCognito', function: 'adminProviders' },
  { methods: ['POST'], path: '/admin/v1/providers/{id}/sync', auth: 'adminCognito', function: 'adminProviders' },
  // Admin API: finance
  { methods: ['GET'], path: '/admin/v1/finance/summary', auth: 'adminCognito', function: 'adminFinance' },
  { methods: ['GET'], path: '/admin/v1/ledger', auth: 'adminCognito', function: 'adminFinance' },
  { methods: ['POST'], path: '/admin/v1/finance/reconciliation', auth: 'adminCognito', function: 'adminFinance' },
  { methods: ['GET'], path: '/admin/v1/finance/reconciliation/{id}', auth: 'adminCognito', function: 'adminFinance' },
  // Admin API: orders (lambdas/rest/admin/routes/orders.ts; refresh, cancel and resend ask the provider: order-actions.ts)
  { methods: ['GET'], path: '/admin/v1/orders', auth: 'adminCognito', function: 'adminOrders' },
  { methods: ['GET'], path: '/admin/v1/orders/attention', auth: 'adminCognito', function: 'adminOrders' },
  { methods: ['GET'], path: '/admin/v1/orders/{id}', auth: 'adminCognito', function: 'adminOrders' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/refund', auth: 'adminCognito', function: 'adminOrders' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/notes', auth: 'adminCognito', function: 'adminOrders' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/refresh', auth: 'adminCognito', function: 'adminOrderActions' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/cancel', auth: 'adminCognito', function: 'adminOrderActions' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/resend', auth: 'adminCognito', function: 'adminOrderActions' },
  { methods: ['POST'], path: '/admin/v1/orders/{id}/settle', auth: 'adminCognito', function: 'adminOrderActions' },
  // Admin API: settings, promo codes, audit
  { methods: ['GET', 'PATCH'], path: '/admin/v1/settings', auth: 'adminCognito', function: 'adminSettings' },
  { methods: ['POST'], path: '/admin/v1/settings/templates/preview', auth: 'adminCognito', function: 'adminSettings' },
  { methods: ['GET', 'POST'], path: '/admin/v1/promo-codes', auth: 'adminCognito', function: 'adminSettings' },
  { methods: ['PATCH'], path: '/admin/v1/promo-codes/{code}', auth: 'adminCognito', function: 'adminSettings' },
  { methods: ['GET'], path: '/admin/v1/audit', auth: 'adminCognito', function: 'adminSettings' },
];

export interface ApiMethodSpec {
  method: ApiMethod;
  route: RouteSpec;
  authorizer: AuthorizerSpec | undefined;
}

const PATH = /^\/$|^(?:\/(?:[A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$/;

/**
 * The methods CDK creates and the local gateway serves, checked. API Gateway REST answers `HEAD` only where a HEAD
 * method exists, so each GET route gets one.
 */
export function apiMethods(routes: readonly RouteSpec[] = ROUTES): ApiMethodSpec[] {
  const seen = new Set<string>();
  const methods: ApiMethodSpec[] = [];
  for (const route of routes) {
    if (!PATH.test(route.path)) throw new Error(`Route path ${route.path}: use literal and {name} segments, no trailing slash`);
    if (!(route.function in FUNCTIONS)) throw new Error(`Route ${route.path}: no function ${route.function}`);
    const authorizer = route.auth === 'none' ? undefined : AUTHORIZERS[route.auth];
    if (route.auth !== 'none' && !authorizer)
      throw new Error(`Route ${route.path} uses auth kind ${route.auth}, which has no authorizer yet (AUTHORIZERS in lambdas/functions.ts)`);
    const shape = route.path.replace(/\{[^}]+\}/g, '{}');
    for (const method of [...route.methods, ...(route.methods.includes('GET') ? ['HEAD' as const] : [])]) {
      if (seen.has(`${method} ${shape}`)) throw new Error(`Two routes serve ${method} ${route.path}`);
      seen.add(`${method} ${shape}`);
      methods.push({ method, route, authorizer });
    }
  }
  return methods;
}

/** The functions an API of these routes creates: its handlers and its authorizers. */
export function apiFunctionNames(routes: readonly RouteSpec[] = ROUTES): FunctionName[] {
  return [
    ...new Set(
      apiMethods(routes).flatMap(({ route, authorizer }) => (authorizer?.type === 'request' ? [route.function, authorizer.function] : [route.function])),
    ),
  ];
}

/**
 * Who hears which catalogue events (docs/events.md): one bus rule, one SQS queue and its dead-letter queue per
 * consumer. CDK builds them from this list (lib/events.ts) and the local stack routes its bus the same way, in process
 * (local/event-queues.ts), with the same visibility timeouts, batch sizes and dead-lettering.
 */
export interface SubscriptionSpec {
  /** The consumer function; its queue, dead-letter queue and rule are named after it. */
  function: FunctionName;
  eventTypes: readonly EventType[];
  /** How long a received message stays hidden before another try (at least six times the function's timeout, as AWS advises). */
  visibilityTimeoutSeconds: number;
  /** Receives before a message goes to the dead-letter queue (a consumer that keeps failing, or crashing, on it). */
  maxReceiveCount: number;
  batchSize: number;
  /** How long the event source mapping waits to fill a batch. */
  maxBatchingWindowSeconds: number;
}

// Each consumer adds its entry with its function (lambdas/notifications/handlers).
export const SUBSCRIPTIONS: readonly SubscriptionSpec[] = [
  {
    function: 'sendNotificationEmails',
    eventTypes: OWNER_NOTICE_TYPES,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
  },
  {
    function: 'recordNotifications',
    eventTypes: OWNER_NOTICE_TYPES,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
  },
  {
    function: 'deliverWebhooks',
    eventTypes: ORDER_EVENT_TYPES,
    // A failed delivery is hidden for its retry delay instead (RetryLater), up to the 10 h of the last ones; the
    // consumer dead-letters a delivery itself after its eighth attempt, so the queue's limit only catches crashes.
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 12,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
  },
  {
    function: 'alertOperators',
    eventTypes: ['provider.unhealthy', 'order.needs_attention'],
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
  },
];

export const SCHEDULES: { function: FunctionName; everyMinutes: number; localEveryMs: number }[] = [
  { function: 'pollProviders', everyMinutes: 1, localEveryMs: 3_000 },
  { function: 'sweepOrders', everyMinutes: 5, localEveryMs: 30_000 },
  { function: 'settleIdleLeases', everyMinutes: 1, localEveryMs: 30_000 },
];

/** `${Name}` placeholders in state-machines/order-workflow.asl.json and the function each one stands for. */
export const WORKFLOW_SUBSTITUTIONS: Record<string, FunctionName> = {
  SubmitOrderFunctionArn: 'submitOrder',
  GiveUpSubmissionFunctionArn: 'giveUpSubmission',
  AwaitCompletionFunctionArn: 'awaitCompletion',
  FinalizeOrderFunctionArn: 'finalizeOrder',
};

export const WORKFLOW_DEFINITION_FILE = 'state-machines/order-workflow.asl.json';
