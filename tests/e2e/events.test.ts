// Events leave the table through its stream: on the started local stack, an order placed through /api/v2 and a
// demo top-up put their catalogue events on the local bus, each once, in the catalogue's shape.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogueEvent, parseEvent } from '../../lambdas/events/catalogue.js';
import { decisionToContext, type V1Caller } from '../../lambdas/rest/v1/caller.js';
import { loadFunction } from '../../local/functions.js';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 300 });
});

afterAll(async () => {
  await stack?.stop();
});

const catalogueEvents = (): CatalogueEvent[] => stack.events.events.filter((e): e is CatalogueEvent => 'version' in e).map((e) => parseEvent(e));

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

describe('events from the table stream on the local bus', () => {
  it('an order placed through /api/v2 gives order.created, order.status_changed and order.completed, each once', async () => {
    const placed = await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=events', quantity: '100' });
    const orderId = Number(placed.order);
    expect(orderId).toBeGreaterThan(0);
    await until(async () => ((await v2({ action: 'status', order: String(orderId) })).status === 'Completed' ? true : undefined));

    const ofOrder = () => catalogueEvents().filter((e) => e.type.startsWith('order.') && (e.data as { orderId: number }).orderId === orderId);
    const completed = await until(() => ofOrder().find((e) => e.type === 'order.completed'));
    const events = ofOrder();
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('order.created')).toBe(1);
    expect(count('order.completed')).toBe(1);
    expect(count('order.canceled') + count('order.partial') + count('order.refunded')).toBe(0);
    // Each status change once: Pending -> ... -> Completed, no transition told twice.
    const changes = events.filter((e) => e.type === 'order.status_changed');
    expect(changes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(changes.map((e) => e.id)).size).toBe(changes.length);
    expect(changes.at(-1)).toMatchObject({ data: { orderId, status: 'Completed' } });
    for (const change of changes) expect(change.type === 'order.status_changed' && change.data.previousStatus).not.toBe(change.data.status);
    expect(events.find((e) => e.type === 'order.created')).toMatchObject({
      version: 1,
      data: { orderId, ownerId: stack.reseller.id, walletId: stack.reseller.walletId, status: 'Pending', quantity: 100, currency: 'USD' },
    });
    expect(completed.data).toMatchObject({ orderId, status: 'Completed', remains: 0 });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('a demo top-up paid gives one deposit.credited', async () => {
    const payments = await loadFunction('payments', REPO_ROOT);
    const caller: V1Caller = {
      userId: stack.reseller.id,
      walletId: stack.reseller.walletId,
      role: 'reseller',
      emailVerified: true,
      via: 'session',
      sessionId: 's-1',
    };
    const event = {
      httpMethod: 'POST',
      resource: '/api/v1/top-ups',
      path: '/api/v1/top-ups',
      headers: { host: new URL(stack.apiBase).host, 'content-type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: JSON.stringify({ amount: '7.00', method: 'demo' }),
      isBase64Encoded: false,
      requestContext: { requestId: randomUUID(), path: '/api/v1/top-ups', identity: { sourceIp: '127.0.0.1' }, authorizer: decisionToContext({ caller }) },
    } as unknown as APIGatewayProxyEvent;
    const result = (await payments(event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(201);
    const topUp = JSON.parse(result.body) as { id: string; checkoutUrl: string };
    const pay = () => fetch(`${topUp.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect((await pay()).status).toBe(200);
    // Paying again credits nothing, and so tells nothing.
    expect((await pay()).status).toBe(200);

    const credited = () => catalogueEvents().filter((e) => e.type === 'deposit.credited' && e.data.topUpId === topUp.id);
    const [deposit] = await until(() => (credited().length > 0 ? credited() : undefined));
    expect(deposit).toMatchObject({
      version: 1,
      data: { topUpId: topUp.id, ownerId: stack.reseller.id, walletId: stack.reseller.walletId, amount: '7.00000', currency: 'USD', method: 'demo' },
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(credited()).toHaveLength(1);
  });
});
