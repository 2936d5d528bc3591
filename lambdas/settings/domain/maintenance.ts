// Which routes maintenance mode closes (settings.maintenance): the REST plumbing's check, apart from the settings
// rules so that functions that never check a route (the reseller API) do not carry the list.

/**
 * /api/v1 routes that stay open during maintenance: money and order news arriving from outside (payment gateways'
 * and providers' callbacks, and the demo gateway's own checkout pages) must never be lost, and the public, read-only
 * pages (catalogue, site, documentation, the key set that verifies tokens) cost nothing to keep. Sessions (sign-in,
 * refresh, sign-out) stay open too: they change nothing of the business, and the sessions function stays under its
 * bundle budget without the settings reader. Everything else a customer does (order, top up, keys) answers 503.
 */
export const OPEN_DURING_MAINTENANCE: ReadonlySet<string> = new Set(
  [
    'GET services',
    'GET site',
    'GET .well-known/jwks.json',
    'POST auth/login',
    'POST auth/refresh',
    'POST auth/logout',
    'GET openapi.json',
    'GET docs',
    'GET docs/{asset}',
    'POST payments/demo/callback',
    'POST payments/cryptomus/callback',
    'POST providers/{providerId}/callback',
    'GET payments/demo/checkout/{id}',
    'POST payments/demo/checkout/{id}/pay',
    'POST payments/demo/checkout/{id}/cancel',
  ].map((route) => route.replace(' ', ' /api/v1/')),
);

/** Whether maintenance closes this route (routes outside /api/v1, the admin API among them, are never closed). */
export function closedForMaintenance(method: string, path: string): boolean {
  return path.startsWith('/api/v1/') && !OPEN_DURING_MAINTENANCE.has(`${method === 'HEAD' ? 'GET' : method} ${path}`);
}

/** Seconds a client is told to wait (Retry-After) while maintenance is on. */
export const MAINTENANCE_RETRY_AFTER_SECONDS = 300;
