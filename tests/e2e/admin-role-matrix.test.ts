// Who gets through to each admin route, over HTTP on the local stack. Generated from the manifest (every method of
// every adminCognito route, HEAD included) and the permission table, so a route added later is covered without an
// edit here: the roles ADMIN_PERMISSIONS names pass the gateway and the plumbing (any answer but 401/403, and no
// 5xx: a 400 or 404 for the placeholder id and empty body is a handler's own answer), the other role gets 403
// `forbidden`, a Cognito user in neither group too, and every other caller the gateway's 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS } from '../../lambdas/admin/domain/permissions.js';
import { ADMIN_ROLES, type AdminRole } from '../../lambdas/admin/domain/admin-caller.js';
import { type ApiMethodSpec, apiMethods } from '../../lambdas/functions.js';
import { localCognito } from '../../local/cognito.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

const adminMethods: ApiMethodSpec[] = apiMethods().filter((m) => m.route.auth === 'adminCognito');
const permissionKey = ({ method, route }: ApiMethodSpec) => `${method === 'HEAD' ? 'GET' : method} ${route.path}`;

let stack: LocalStack;
/** Headers of each caller the matrix tries. */
const callers: Record<string, Record<string, string>> = {};
const GROUPLESS = 'signed-in, in no group';
const REFUSED_BY_GATEWAY = [
  'customer JWT',
  'reseller key (X-Api-Key)',
  'reseller key (Bearer)',
  'no token',
  'expired admin token',
  'admin token of another key',
] as const;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  const login = await v1Client(() => stack.v1Url)('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
  expect(login.status).toBe(200);
  const now = Math.floor(Date.now() / 1000);
  const foreign = await localCognito();
  Object.assign(callers, {
    admin: { authorization: stack.admin.idToken },
    operator: { authorization: stack.operator.idToken },
    [GROUPLESS]: { authorization: await stack.cognito.mintIdToken({ groups: [], email: 'nobody@codex.local' }) },
    'customer JWT': { authorization: `Bearer ${login.body.accessToken}` },
    'reseller key (X-Api-Key)': { 'x-api-key': stack.reseller.apiKey },
    'reseller key (Bearer)': { authorization: `Bearer ${stack.reseller.apiKey}` },
    'no token': {},
    'expired admin token': { authorization: await stack.cognito.mintIdToken({ role: 'admin', email: stack.admin.email, now: now - 7200 }) },
    'admin token of another key': { authorization: await foreign.mintIdToken({ role: 'admin', email: stack.admin.email }) },
  });
});
afterAll(() => stack?.stop());

async function call(spec: ApiMethodSpec, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const path = spec.route.path.replace(/\{[^}]+\}/g, 'role-matrix-0');
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(spec.method);
  const response = await fetch(`${stack.apiBase}${path}`, {
    method: spec.method,
    headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { body: '{}' } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

describe('the admin role matrix', () => {
  it('covers at least GET /admin/v1/me', () => {
    expect(adminMethods.map((m) => `${m.method} ${m.route.path}`)).toEqual(expect.arrayContaining(['GET /admin/v1/me', 'HEAD /admin/v1/me']));
  });

  it.each(adminMethods.map((spec) => [`${spec.method} ${spec.route.path}`, spec] as const))(
    '%s: only the roles of the permission table pass',
    async (_name, spec) => {
      const allowed = ADMIN_PERMISSIONS[permissionKey(spec)] ?? [];
      for (const role of ADMIN_ROLES as readonly AdminRole[]) {
        const answer = await call(spec, callers[role]!);
        if (allowed.includes(role)) {
          expect([401, 403], `${role} passes`).not.toContain(answer.status);
          expect(answer.status, `${role}: no server error`).toBeLessThan(500);
        } else {
          expect(answer.status, `${role} is refused`).toBe(403);
          if (spec.method !== 'HEAD') expect(answer.body.error.code, role).toBe('forbidden');
        }
      }
      const groupless = await call(spec, callers[GROUPLESS]!);
      expect(groupless.status, GROUPLESS).toBe(403);
      if (spec.method !== 'HEAD') expect(groupless.body.error.code, GROUPLESS).toBe('forbidden');
      for (const name of REFUSED_BY_GATEWAY) {
        const answer = await call(spec, callers[name]!);
        expect(answer.status, name).toBe(401);
        if (spec.method !== 'HEAD') expect(answer.body, name).toEqual({ error: { code: 'unauthorized', message: 'Unauthorized' } });
      }
    },
  );
});
