// The OpenAPI document of REST v1: generated from the operations' zod schemas, valid OpenAPI 3.1, and in step with
// the route manifest and the implementations, so a client generated from it calls what is really served.
import { Validator } from '@seriousme/openapi-schema-validator';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, ROUTES, type RouteSpec } from '../../lambdas/functions.js';
import { Cursor, Money, page, wholeNumberText } from '../../lambdas/rest/v1/contract/common.js';
import { docsAssetOperation } from '../../lambdas/rest/v1/contract/docs.js';
import { V1_OPERATIONS } from '../../lambdas/rest/v1/contract/index.js';
import { SWAGGER_UI_FILES } from '../../lambdas/rest/v1/docs-assets.js';
import type { RouteImpl } from '../../lambdas/rest/v1/http.js';
import { ADMIN_API, openApiDocument, operationId } from '../../lambdas/rest/v1/openapi.js';
import { ADMIN_OPERATIONS } from '../../lambdas/rest/admin/contract/index.js';
import { ADMIN_PERMISSIONS } from '../../lambdas/admin/domain/permissions.js';
import { type Operation, operation } from '../../lambdas/rest/v1/operation.js';
import { apiKeysRoutes } from '../../lambdas/rest/v1/routes/api-keys.js';
import { webhooksRoutes } from '../../lambdas/rest/v1/routes/webhooks.js';
import { providerCallbacksRoutes } from '../../lambdas/rest/v1/routes/provider-callbacks.js';
import { accountsRoutes } from '../../lambdas/rest/v1/routes/accounts.js';
import { demoCheckoutRoutes } from '../../lambdas/rest/v1/routes/demo-checkout.js';
import { docsRoutes } from '../../lambdas/rest/v1/routes/docs.js';
import { orderActionsRoutes } from '../../lambdas/rest/v1/routes/order-actions.js';
import { ordersRoutes } from '../../lambdas/rest/v1/routes/orders.js';
import { paymentCallbacksRoutes } from '../../lambdas/rest/v1/routes/payment-callbacks.js';
import { notificationFeedRoutes } from '../../lambdas/rest/v1/routes/notification-feed.js';
import { profileRoutes } from '../../lambdas/rest/v1/routes/profile.js';
import { publicRoutes } from '../../lambdas/rest/v1/routes/public.js';
import { sessionsRoutes } from '../../lambdas/rest/v1/routes/sessions.js';
import { topUpsRoutes } from '../../lambdas/rest/v1/routes/top-ups.js';
import { walletRoutes } from '../../lambdas/rest/v1/routes/wallet.js';

const SERVER = 'https://api.example.com/dev';

type Doc = Record<string, any>;

async function expectValid(document: unknown) {
  const result = await new Validator().validate(document as Record<string, unknown>);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).toEqual([]);
  expect(result.valid).toBe(true);
}

const errorRef = { $ref: '#/components/schemas/Error' };

// A contract in the shapes the parts use: body, query, path, headers, a form, a cabinet and a public operation.
const Order = z.object({ id: z.string(), charge: Money, status: z.enum(['pending', 'completed']) }).meta({ id: 'SampleOrder', description: 'An order' });
const sample: Operation[] = [
  operation({
    method: 'POST',
    path: '/api/v1/orders',
    auth: 'customerJwt',
    tag: 'Orders',
    summary: 'Place an order',
    description: 'Charges the balance.',
    body: z.object({ service: z.string(), link: z.url(), quantity: z.number().int().min(1) }),
    headers: z.object({ 'idempotency-key': z.string().min(8).max(128) }),
    responses: { 201: { description: 'Placed', body: Order } },
    errors: [402, 409],
    unverifiedAllowed: false,
  }),
  operation({
    method: 'GET',
    path: '/api/v1/orders',
    auth: 'customerJwt',
    tag: 'Orders',
    summary: 'List my orders',
    query: z.object({ status: z.enum(['pending', 'completed']).optional(), cursor: z.optional(Cursor), limit: z.optional(wholeNumberText(1, 100)) }),
    responses: { 200: { description: 'A page of orders', body: page(Order) } },
  }),
  operation({
    method: 'GET',
    path: '/api/v1/orders/{id}',
    auth: 'customerJwt',
    tag: 'Orders',
    summary: 'One of my orders',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    responses: { 200: { description: 'The order', body: Order } },
    errors: [404],
  }),
  operation({
    method: 'POST',
    path: '/api/v1/payments/demo/checkout/{id}/pay',
    auth: 'none',
    tag: 'Payments',
    summary: 'Pay on the demo checkout',
    params: z.object({ id: z.string() }),
    body: z.object({ confirm: z.literal('yes') }),
    bodyFormat: 'form',
    responses: { 200: { description: 'The result page', contentType: 'text/html' }, 204: { description: 'Nothing to say' } },
  }),
  operation({
    method: 'GET',
    path: '/api/v1/site',
    auth: 'none',
    tag: 'Public',
    summary: 'Site information',
    responses: { 200: { description: 'Contacts and FAQ', body: z.object({ faq: z.array(z.object({ q: z.string(), a: z.string() })) }) } },
  }),
];

describe('the OpenAPI document generator', () => {
  const doc = openApiDocument(sample, SERVER) as Doc;
  const op = (method: string, path: string) => doc.paths[path][method];

  it('writes a valid OpenAPI 3.1 document served from the given URL', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.servers).toEqual([{ url: SERVER }]);
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(['Orders', 'Payments', 'Public']);
    await expectValid(doc);
  });

  it('names each operation after its method and path, the same way every time', () => {
    expect(op('post', '/api/v1/orders').operationId).toBe('postOrders');
    expect(op('get', '/api/v1/orders/{id}').operationId).toBe('getOrdersById');
    expect(operationId('POST', '/api/v1/orders/{id}/cancel')).toBe('postOrdersByIdCancel');
    expect(operationId('GET', '/api/v1/.well-known/jwks.json')).toBe('getWellKnownJwksJson');
    expect(operationId('PATCH', '/api/v1/api-keys/{id}')).toBe('patchApiKeysById');
  });

  it('asks a customer token or an API key on cabinet operations, and nothing on public ones', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    });
    expect(doc.components.securitySchemes.apiKey.description).toContain('Authorization: ApiKey <key>');
    expect(op('get', '/api/v1/orders').security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
    expect(op('get', '/api/v1/site').security).toEqual([]);
    expect(doc.security).toBeUndefined();
  });

  it('documents path, query and header parameters from their schemas', () => {
    expect(op('get', '/api/v1/orders/{id}').parameters).toEqual([{ in: 'path', name: 'id', required: true, schema: { type: 'string', pattern: '^\\d+$' } }]);
    const query = op('get', '/api/v1/orders').parameters;
    expect(query.map((p: { in: string; name: string; required?: boolean }) => [p.in, p.name, p.required ?? false])).toEqual([
      ['query', 'status', false],
      ['query', 'cursor', false],
      ['query', 'limit', false],
    ]);
    expect(query[2].schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(op('post', '/api/v1/orders').parameters).toEqual([
      { in: 'header', name: 'idempotency-key', required: true, schema: { type: 'string', minLength: 8, maxLength: 128 } },
    ]);
  });

  it('documents JSON and form bodies in their media types', () => {
    const json = op('post', '/api/v1/orders').requestBody;
    expect(json.required).toBe(true);
    expect(json.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['service', 'link', 'quantity'],
      properties: { quantity: { type: 'integer', minimum: 1 } },
    });
    const form = op('post', '/api/v1/payments/demo/checkout/{id}/pay').requestBody;
    expect(Object.keys(form.content)).toEqual(['application/x-www-form-urlencoded']);
  });

  it('documents answers with their bodies, shared schemas as components, and non-JSON answers as text', () => {
    expect(op('post', '/api/v1/orders').responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SampleOrder' });
    expect(doc.components.schemas.SampleOrder).toMatchObject({ type: 'object', description: 'An order', properties: { charge: { type: 'string' } } });
    expect(op('get', '/api/v1/orders').responses['200'].content['application/json'].schema).toMatchObject({
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/SampleOrder' } }, nextCursor: {} },
    });
    const pay = op('post', '/api/v1/payments/demo/checkout/{id}/pay').responses;
    expect(pay['200'].content).toEqual({ 'text/html': { schema: { type: 'string' } } });
    expect(pay['204']).toEqual({ description: 'Nothing to say' });
  });

  it('documents every error an operation may answer with the common error body', () => {
    const statuses = (method: string, path: string) => Object.keys(op(method, path).responses).map(Number);
    expect(statuses('post', '/api/v1/orders')).toEqual([201, 400, 401, 402, 403, 409, 413, 415]);
    expect(statuses('get', '/api/v1/orders/{id}')).toEqual([200, 400, 401, 403, 404]);
    // No input, nothing to refuse: a public operation without parameters answers no 400.
    expect(statuses('get', '/api/v1/site')).toEqual([200]);
    for (const status of ['400', '401', '402', '403', '409', '413', '415'])
      expect(op('post', '/api/v1/orders').responses[status].content['application/json'].schema, status).toEqual(errorRef);
    expect(doc.components.schemas.Error).toMatchObject({ type: 'object', required: ['error'] });
    expect(op('post', '/api/v1/orders').description).toContain('email_not_verified');
  });

  it('refuses two operations with one id, and auth kinds REST v1 has no scheme for', () => {
    expect(() => openApiDocument([sample[0]!, sample[0]!], SERVER)).toThrow(/Two operations are postOrders/);
    expect(() => openApiDocument([{ ...sample[4]!, auth: 'resellerKey' }], SERVER)).toThrow(/no security scheme for auth kind resellerKey/);
  });
});

/** The routes each REST v1 function serves, as its handler composes them (lambdas/rest/v1/handlers). */
const IMPLEMENTED: Partial<Record<FunctionName, readonly RouteImpl[]>> = {
  customerSessions: sessionsRoutes,
  customerAccounts: accountsRoutes,
  cabinetApi: [...profileRoutes, ...walletRoutes, ...notificationFeedRoutes],
  apiKeysApi: apiKeysRoutes,
  webhooksApi: webhooksRoutes,
  ordersApi: ordersRoutes,
  orderActionsApi: orderActionsRoutes,
  payments: [...topUpsRoutes, ...paymentCallbacksRoutes, ...demoCheckoutRoutes],
  publicApi: publicRoutes,
  providerCallbacks: providerCallbacksRoutes,
  apiDocs: docsRoutes,
};

const v1Routes = ROUTES.filter((r) => r.path.startsWith('/api/v1/'));
const routeOf = (op: Operation): RouteSpec | undefined => v1Routes.find((r) => r.path === op.path && r.methods.includes(op.method));

describe('the REST v1 document against the route manifest', () => {
  const doc = openApiDocument(V1_OPERATIONS, SERVER) as Doc;

  it('is valid OpenAPI 3.1 and documents itself and the docs page', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.paths['/api/v1/openapi.json'].get.operationId).toBe('getOpenapiJson');
    expect(doc.paths['/api/v1/docs'].get.responses['200'].content).toHaveProperty('text/html');
    await expectValid(doc);
  });

  it('documents no operation that the manifest does not route, and each with the auth the gateway applies', () => {
    for (const op of V1_OPERATIONS) {
      const spec = routeOf(op);
      expect(spec, `${op.method} ${op.path} is not in ROUTES`).toBeDefined();
      expect(op.auth, `${op.method} ${op.path}`).toBe(spec!.auth);
      const documented = doc.paths[op.path][op.method.toLowerCase()];
      expect(documented.security, `${op.method} ${op.path}`).toEqual(spec!.auth === 'customerJwt' ? [{ bearerAuth: [] }, { apiKey: [] }] : []);
    }
  });

  it('has each operation implemented by the function the manifest sends it to, and only there', () => {
    for (const op of V1_OPERATIONS) {
      const fn = routeOf(op)!.function;
      const owners = Object.entries(IMPLEMENTED).filter(([, routes]) => routes.some((r) => r.operation === op));
      expect(
        owners.map(([name]) => name),
        `${op.method} ${op.path} should be implemented in ${fn}'s routes`,
      ).toEqual([fn]);
    }
    for (const [fn, routes] of Object.entries(IMPLEMENTED)) {
      const keys = routes.map((r) => `${r.operation.method} ${r.operation.path}`);
      expect(new Set(keys).size, `${fn} implements an operation twice`).toBe(keys.length);
    }
  });

  // Complete for every function that has started describing its operations: once each part of issue 9 is in, all
  // of /api/v1 (the docs page's own files excepted) is documented.
  it('documents every route of a function once, the docs page files excepted', () => {
    const describedFunctions = new Set(V1_OPERATIONS.map((op) => routeOf(op)!.function));
    for (const spec of v1Routes) {
      if (spec.path === docsAssetOperation.path || !describedFunctions.has(spec.function)) continue;
      for (const method of spec.methods) {
        const count = V1_OPERATIONS.filter((op) => op.path === spec.path && op.method === method).length;
        expect(count, `${method} ${spec.path} is documented ${count} times`).toBe(1);
        expect(doc.paths[spec.path]?.[method.toLowerCase()], `${method} ${spec.path}`).toBeDefined();
      }
    }
    expect(Object.keys(doc.paths)).not.toContain(docsAssetOperation.path);
  });

  it('serves the docs page files from the apiDocs function, which is deployed with them beside its bundle', () => {
    expect(routeOf(docsAssetOperation)).toMatchObject({ function: 'apiDocs', auth: 'none' });
    expect(docsRoutes.some((r) => r.operation === docsAssetOperation)).toBe(true);
    const deployed = (FUNCTIONS.apiDocs.assets ?? []).map((path) => path.split('/').pop());
    expect(deployed.sort()).toEqual(Object.keys(SWAGGER_UI_FILES).sort());
  });
});

describe('the admin API document', () => {
  const doc = openApiDocument(ADMIN_OPERATIONS, SERVER, ADMIN_API) as Doc;

  it('is valid OpenAPI 3.1, documents every admin operation once, and only the admin API', async () => {
    await expectValid(doc);
    expect(doc.info.title).toBe('Codex admin API');
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ADMIN_OPERATIONS.map((op) => `${op.method} ${op.path}`).sort());
    expect(documented.every((key) => key.split(' ')[1]!.startsWith('/admin/v1/'))).toBe(true);
  });

  it('names the Cognito ID token and the roles of each operation, from the permission table the plumbing checks', () => {
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['cognitoIdToken']);
    for (const op of ADMIN_OPERATIONS.filter((o) => o.auth === 'adminCognito')) {
      const documented = doc.paths[op.path][op.method.toLowerCase()];
      expect(documented.security, `${op.method} ${op.path}`).toEqual([{ cognitoIdToken: [] }]);
      expect(Object.keys(documented.responses)).toEqual(expect.arrayContaining(['401', '403']));
      const roles = ADMIN_PERMISSIONS[`${op.method} ${op.path}`] ?? [];
      expect(documented.description, `${op.method} ${op.path}`).toContain(`Roles: ${roles.map((r) => `\`${r}\``).join(', ')}.`);
    }
  });

  it("leaves Cognito out of the customers' document", () => {
    const v1 = openApiDocument(V1_OPERATIONS, SERVER) as Doc;
    expect(Object.keys(v1.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerAuth']);
  });
});
