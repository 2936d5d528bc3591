// The admin API's three lists agree: the manifest's adminCognito routes, the permission table and the contracts
// (ADMIN_OPERATIONS), one to one; and the function each route names serves its operation.
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS } from '../../lambdas/admin/domain/permissions.js';
import { FUNCTIONS, ROUTES } from '../../lambdas/functions.js';
import { ADMIN_OPERATIONS } from '../../lambdas/rest/admin/contract/index.js';
import { REPO_ROOT } from '../../local/stack.js';
import { adminEvent } from '../support/admin-event.js';

const adminRoutes = ROUTES.filter((route) => route.auth === 'adminCognito');
const routeKeys = adminRoutes.flatMap((route) => route.methods.map((method) => `${method} ${route.path}`)).sort();

describe('the admin API', () => {
  it('lives under /admin/v1/, where everything but its OpenAPI document takes Cognito tokens', () => {
    for (const route of adminRoutes) expect(route.path, route.path).toMatch(/^\/admin\/v1\//);
    const open = ROUTES.filter((r) => r.path.startsWith('/admin') && r.auth !== 'adminCognito').map((r) => r.path);
    expect(open).toEqual(['/admin/v1/openapi.json']);
  });

  it('has a permission entry for every adminCognito route, and none for a route that does not exist', () => {
    expect(Object.keys(ADMIN_PERMISSIONS).sort()).toEqual(routeKeys);
    for (const [key, roles] of Object.entries(ADMIN_PERMISSIONS)) expect(roles.length, key).toBeGreaterThan(0);
  });

  it('describes every adminCognito route with exactly one contract operation, and no operation without a route', () => {
    const all = ADMIN_OPERATIONS.map((op) => `${op.method} ${op.path}`);
    expect(new Set(all).size, 'one operation per method and path').toBe(all.length);
    const operationKeys = ADMIN_OPERATIONS.filter((op) => op.auth === 'adminCognito')
      .map((op) => `${op.method} ${op.path}`)
      .sort();
    expect(operationKeys).toEqual(routeKeys);
    // The others (the public document) are routes of their own kind too.
    for (const op of ADMIN_OPERATIONS.filter((o) => o.auth !== 'adminCognito')) {
      expect(
        ROUTES.some((r) => r.path === op.path && r.auth === op.auth && r.methods.includes(op.method)),
        `${op.method} ${op.path}`,
      ).toBe(true);
    }
  });

  it("serves each route's operation in the function the manifest sends it to", async () => {
    for (const route of adminRoutes) {
      const module = (await import(pathToFileURL(`${REPO_ROOT}/${FUNCTIONS[route.function].entry}`).href)) as {
        handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
      };
      for (const method of route.methods) {
        // A caller in no group: the plumbing refuses it (403) once it has found the operation, before any I/O; an
        // operation the function does not serve is a 404.
        const event = adminEvent({ method, resource: route.path });
        (event.requestContext.authorizer as { claims: Record<string, string> }).claims['cognito:groups'] = '';
        const result = await module.handler(event);
        expect(result.statusCode, `${method} ${route.path} in ${route.function}`).toBe(403);
      }
    }
  });
});
