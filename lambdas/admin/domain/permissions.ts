// Who may call which admin route: one table, by route and role, checked in one place (the REST plumbing,
// lambdas/rest/v1/http.ts) before any handler runs. A route missing here is refused to everyone, and a test holds
// every adminCognito route of the manifest to this table. Operators (support) view orders and users and act on
// orders; only admins move money, change prices, providers, settings and roles.
import type { AdminRole } from './admin-caller.js';

export const ADMIN_AND_OPERATOR: readonly AdminRole[] = ['admin', 'operator'];
export const ADMIN_ONLY: readonly AdminRole[] = ['admin'];

/** `<METHOD> <path as in ROUTES>` → the roles that may call it (HEAD is GET's). */
export const ADMIN_PERMISSIONS: Readonly<Record<string, readonly AdminRole[]>> = {
  'GET /admin/v1/me': ADMIN_AND_OPERATOR,
  // Orders (lambdas/rest/admin/routes/orders.ts, order-actions.ts): operators view and act; only admins refund.
  'GET /admin/v1/orders': ADMIN_AND_OPERATOR,
  'GET /admin/v1/orders/attention': ADMIN_AND_OPERATOR,
  'GET /admin/v1/orders/{id}': ADMIN_AND_OPERATOR,
  'POST /admin/v1/orders/{id}/refresh': ADMIN_AND_OPERATOR,
  'POST /admin/v1/orders/{id}/cancel': ADMIN_AND_OPERATOR,
  'POST /admin/v1/orders/{id}/resend': ADMIN_AND_OPERATOR,
  'POST /admin/v1/orders/{id}/notes': ADMIN_AND_OPERATOR,
  'POST /admin/v1/orders/{id}/refund': ADMIN_ONLY,
  // A person's word on how an order ended decides its refund: moving money.
  'POST /admin/v1/orders/{id}/settle': ADMIN_ONLY,
  // Users, resellers and keys (lambdas/rest/admin/routes/users.ts)
  'GET /admin/v1/users': ADMIN_AND_OPERATOR,
  'GET /admin/v1/users/{id}': ADMIN_AND_OPERATOR,
  'POST /admin/v1/users': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/adjustments': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/block': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/unblock': ADMIN_ONLY,
  'PUT /admin/v1/users/{id}/pricing': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/api-keys/{keyId}/suspend': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/api-keys/{keyId}/reactivate': ADMIN_ONLY,
  'POST /admin/v1/users/{id}/api-keys/{keyId}/revoke': ADMIN_ONLY,
  'PATCH /admin/v1/users/{id}/api-keys/{keyId}': ADMIN_ONLY,
  // Catalog and providers (lambdas/rest/admin/routes/catalog.ts, providers.ts): everyone reads (no answer holds a
  // secret); only admins change services and providers, sync, or ask a provider for its balance.
  'GET /admin/v1/services': ADMIN_AND_OPERATOR,
  'POST /admin/v1/services': ADMIN_ONLY,
  'PATCH /admin/v1/services/{id}': ADMIN_ONLY,
  'POST /admin/v1/services/{id}/enable': ADMIN_ONLY,
  'POST /admin/v1/services/{id}/disable': ADMIN_ONLY,
  'GET /admin/v1/services/{id}/price-history': ADMIN_AND_OPERATOR,
  'GET /admin/v1/providers': ADMIN_AND_OPERATOR,
  'POST /admin/v1/providers': ADMIN_ONLY,
  'PATCH /admin/v1/providers/{id}': ADMIN_ONLY,
  'POST /admin/v1/providers/{id}/enable': ADMIN_ONLY,
  'POST /admin/v1/providers/{id}/disable': ADMIN_ONLY,
  'POST /admin/v1/providers/{id}/maintenance': ADMIN_ONLY,
  'GET /admin/v1/providers/{id}/balance': ADMIN_ONLY,
  'POST /admin/v1/providers/{id}/sync': ADMIN_ONLY,
  // Finance (lambdas/rest/admin/routes/finance.ts)
  'GET /admin/v1/finance/summary': ADMIN_ONLY,
  'GET /admin/v1/ledger': ADMIN_ONLY,
  'POST /admin/v1/finance/reconciliation': ADMIN_ONLY,
  'GET /admin/v1/finance/reconciliation/{id}': ADMIN_ONLY,
  // Settings, promo codes and audit (lambdas/rest/admin/routes/settings.ts, promo-codes.ts, audit.ts): operators read
  // them (support answers "why was my deposit refused"); every change is an admin's.
  'GET /admin/v1/settings': ADMIN_AND_OPERATOR,
  'PATCH /admin/v1/settings': ADMIN_ONLY,
  'POST /admin/v1/settings/templates/preview': ADMIN_ONLY,
  'GET /admin/v1/promo-codes': ADMIN_AND_OPERATOR,
  'POST /admin/v1/promo-codes': ADMIN_ONLY,
  'PATCH /admin/v1/promo-codes/{code}': ADMIN_ONLY,
  'GET /admin/v1/audit': ADMIN_AND_OPERATOR,
};

export function mayCall(role: AdminRole, method: string, path: string): boolean {
  const roles = ADMIN_PERMISSIONS[`${method === 'HEAD' ? 'GET' : method} ${path}`];
  return roles?.includes(role) ?? false;
}
