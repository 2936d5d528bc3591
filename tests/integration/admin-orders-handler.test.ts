// The admin order handlers as API Gateway calls them after the Cognito authorizer (adminEvent), on DynamoDB Local:
// roles, the answers' shape, the refund's Idempotency-Key, 404s.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeOrder, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { handler } from '../../lambdas/rest/admin/handlers/orders-handler.js';
import { handler as actionsHandler } from '../../lambdas/rest/admin/handlers/order-actions-handler.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { type AdminEventInput, adminEvent } from '../support/admin-event.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { ScriptedProvider } from '../support/scripted-provider.js';

let table: TestTable;
let env: ReturnType<typeof orderServicesOn>;
const saved = { ...process.env };

beforeAll(async () => {
  table = await createTestTable();
  env = orderServicesOn(table, { forProvider: async () => new ScriptedProvider() });
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, AWS_REGION: 'us-east-1' });
  usePlatform({ workflow: { ensureStarted: async () => {}, resume: async () => {} } });
  await table.catalog.putProvider({
    id: 'demo',
    name: 'Demo',
    apiUrl: 'http://127.0.0.1:1',
    keySecretId: 'k',
    timeoutMs: 1000,
    acceptsRequestId: true,
    enabled: true,
  });
  await table.catalog.putService(TEST_SERVICE);
  await fundedWallet(table, 'wh', '100.00');
});

afterAll(() => {
  process.env = saved;
  usePlatform({});
});

const call = async (input: AdminEventInput & { headers?: Record<string, string> }, fn = handler) => {
  const event = adminEvent(input);
  if (input.headers) event.headers = { ...event.headers, ...input.headers };
  const result = (await fn(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined, headers: result.headers };
};

async function settledOrder() {
  const { order } = await placeOrder(env.services, {
    ownerId: 'owner-wh',
    walletId: 'wh',
    serviceId: 1,
    link: 'https://youtube.com/watch?v=h',
    quantity: 1000,
  });
  await submitOrder(env.services, order.id);
  await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
  await finalizeOrder(env.services, order.id);
  return order;
}

describe('admin order handlers', () => {
  it('lists and shows orders to operators, with money as decimal strings', async () => {
    const order = await settledOrder();
    const list = await call({ method: 'GET', resource: '/admin/v1/orders', query: { user: 'owner-wh' }, role: 'operator' });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toEqual({
      id: order.id,
      userId: 'owner-wh',
      service: 1,
      provider: 'demo',
      link: 'https://youtube.com/watch?v=h',
      quantity: 1000,
      charge: '0.90',
      refunded: '0.00',
      status: 'Completed',
      createdAt: order.createdAt,
    });
    const page = await call({ method: 'GET', resource: '/admin/v1/orders/{id}', pathParameters: { id: String(order.id) }, role: 'operator' });
    expect(page.status).toBe(200);
    expect(page.body.order).toMatchObject({ id: order.id, userId: 'owner-wh', provider: 'demo', charge: '0.90', phase: 'finalized' });
    expect(page.body.ledger.map((e: { kind: string }) => e.kind)).toEqual(['order_charge']);
    expect(page.body.history.map((h: { status: string }) => h.status)).toEqual(['Pending', 'Completed']);
    expect((await call({ method: 'GET', resource: '/admin/v1/orders/{id}', pathParameters: { id: '999999999' } })).status).toBe(404);
  });

  it('lets only admins refund, once per Idempotency-Key', async () => {
    const order = await settledOrder();
    const refund = (role: 'admin' | 'operator', key?: string) =>
      call({
        method: 'POST',
        resource: '/admin/v1/orders/{id}/refund',
        pathParameters: { id: String(order.id) },
        body: { amount: '0.25', reason: 'goodwill' },
        role,
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });
    expect((await refund('operator', 'r-1')).status).toBe(403);
    expect((await refund('admin')).status).toBe(400);
    const first = await refund('admin', 'r-1');
    expect(first).toMatchObject({ status: 200, body: { id: order.id, amount: '0.25', refunded: '0.25', charge: '0.90' } });
    const again = await refund('admin', 'r-1');
    expect(again.body.refunded).toBe('0.25');
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    const tooMuch = await call({
      method: 'POST',
      resource: '/admin/v1/orders/{id}/refund',
      pathParameters: { id: String(order.id) },
      body: { amount: '0.66', reason: 'x' },
      headers: { 'idempotency-key': 'r-2' },
    });
    expect(tooMuch).toMatchObject({ status: 409, body: { error: { code: 'refund_exceeds_charge' } } });
  });

  it('takes notes from operators, and refuses to cancel a settled order', async () => {
    const order = await settledOrder();
    const note = await call({
      method: 'POST',
      resource: '/admin/v1/orders/{id}/notes',
      pathParameters: { id: String(order.id) },
      body: { text: 'checked' },
      role: 'operator',
    });
    expect(note).toMatchObject({ status: 201, body: { kind: 'note', text: 'checked', actor: 'operator-sub-1' } });
    const cancel = await call(
      { method: 'POST', resource: '/admin/v1/orders/{id}/cancel', pathParameters: { id: String(order.id) }, body: {}, role: 'operator' },
      actionsHandler,
    );
    expect(cancel).toMatchObject({ status: 409, body: { error: { code: 'order_finished' } } });
    const queue = await call({ method: 'GET', resource: '/admin/v1/orders/attention', role: 'operator' });
    expect(queue).toMatchObject({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('lets only admins cancel with neverReachedProvider (it refunds the whole charge on their word)', async () => {
    const order = await settledOrder();
    const cancel = (role: 'admin' | 'operator') =>
      call(
        {
          method: 'POST',
          resource: '/admin/v1/orders/{id}/cancel',
          pathParameters: { id: String(order.id) },
          body: { neverReachedProvider: true },
          role,
        },
        actionsHandler,
      );
    const refused = await cancel('operator');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(refused.body.error.message).toContain('neverReachedProvider');
    // An admin gets past the check (and meets the order's own state).
    expect(await cancel('admin')).toMatchObject({ status: 409, body: { error: { code: 'order_finished' } } });
  });
});
