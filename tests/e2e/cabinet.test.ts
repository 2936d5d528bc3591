// The cabinet and public REST v1 operations on a started local stack. Public operations go over HTTP. Cabinet
// operations are called on their handler with API Gateway events carrying the customerJwt authorizer's decision,
// as the gateway delivers them, until the accounts part's authorizer issues real ones (then these go over HTTP too).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apiKeys } from '../../lambdas/rest/v1/handlers/api-keys-handler.js';
import { handler as cabinet } from '../../lambdas/rest/v1/handlers/cabinet-handler.js';
import { handler as orderActions } from '../../lambdas/rest/v1/handlers/order-actions-handler.js';
import { handler as orders } from '../../lambdas/rest/v1/handlers/orders-handler.js';
import { type FunctionName, ROUTES, type RouteMethod } from '../../lambdas/functions.js';
import { decisionToContext, type V1Caller } from '../../lambdas/rest/v1/caller.js';
import { seedReseller } from '../../local/seed.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;
let owner: V1Caller;
let other: V1Caller;
let otherKey: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 500, logLevel: 'ERROR' });
  owner = { userId: stack.reseller.id, walletId: stack.reseller.walletId, role: 'reseller', emailVerified: true, via: 'session', sessionId: 's1' };
  const second = await seedReseller(stack.deps, { id: 'cabinet-other', email: 'other@codex.local', walletId: 'wallet-cabinet-other', deposit: '20.00' });
  otherKey = second.apiKey;
  other = { userId: second.id, walletId: second.walletId, role: 'customer', emailVerified: true, via: 'session', sessionId: 's2' };
});

afterAll(async () => {
  await stack?.stop();
});

interface Call {
  caller?: V1Caller;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** The cabinet's functions, by the name ROUTES sends each operation to. */
const CABINET_FUNCTIONS: Partial<Record<FunctionName, (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>>> = {
  cabinetApi: cabinet,
  apiKeysApi: apiKeys,
  ordersApi: orders,
  orderActionsApi: orderActions,
};

/**
 * Calls the function ROUTES sends `METHOD <resource>` to, as API Gateway would for `METHOD /api/v1/<path>` (path
 * parameters in {braces} filled from the path).
 */
async function call(method: string, resource: string, path: string, { caller = owner, body, query, headers }: Call = {}) {
  const names = [...resource.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = path.split('/');
  const params: Record<string, string> = {};
  resource.split('/').forEach((segment, i) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name) params[name] = values[i]!;
  });
  const event = {
    httpMethod: method,
    resource,
    path,
    headers: { host: 'localhost', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    queryStringParameters: query ?? null,
    pathParameters: names.length > 0 ? params : null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: `req-${Math.random()}`, path, identity: { sourceIp: '127.0.0.1' }, authorizer: decisionToContext({ caller }) },
  } as unknown as APIGatewayProxyEvent;
  const target = ROUTES.find((r) => r.path === resource && r.methods.includes(method as RouteMethod))?.function;
  const handler = target && CABINET_FUNCTIONS[target];
  if (!handler) throw new Error(`${method} ${resource} is not routed to a cabinet function (${target})`);
  const result = (await handler(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, headers: result.headers ?? {}, body: result.body ? JSON.parse(result.body) : undefined, raw: result.body };
}

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams(fields) })).json() as Promise<Record<string, any>>;

describe('public operations over HTTP', () => {
  it('lists the enabled services with decimal rates, an ETag and a cache lifetime, and answers 304 to a matching If-None-Match', async () => {
    const response = await fetch(`${stack.apiBase}/api/v1/services`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const body = (await response.json()) as { items: Record<string, unknown>[]; nextCursor: null };
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toMatchObject({
      id: 1,
      name: expect.any(String),
      type: expect.any(String),
      rate: expect.stringMatching(/^\d+\.\d{2,}$/),
      refill: expect.any(Boolean),
      dripFeed: expect.any(Boolean),
    });
    const again = await fetch(`${stack.apiBase}/api/v1/services`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('gives the support contacts and the FAQ', async () => {
    const response = await fetch(`${stack.apiBase}/api/v1/site`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { support: Record<string, string>; faq: unknown[] };
    expect(body.support.email).toEqual(expect.any(String));
    expect(body.faq.length).toBeGreaterThan(0);
  });
});

describe('orders in the cabinet', () => {
  it('places an order from JSON numbers or strings and shows it, with its charge as a decimal string', async () => {
    const placed = await call('POST', '/api/v1/orders', '/api/v1/orders', { body: { service: '1', link: 'https://youtube.com/watch?v=cab1', quantity: 1000 } });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      service: 1,
      link: 'https://youtube.com/watch?v=cab1',
      quantity: 1000,
      charge: '0.90',
      refunded: '0.00',
      status: 'Pending',
    });
    const shown = await call('GET', '/api/v1/orders/{id}', `/api/v1/orders/${placed.body.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: placed.body.id, charge: '0.90', createdAt: placed.body.createdAt });
  });

  it('answers a repeated Idempotency-Key with the first answer and places nothing', async () => {
    const request = { body: { service: 1, link: 'https://youtube.com/watch?v=idem', quantity: '500' }, headers: { 'idempotency-key': 'cabinet-idem-1' } };
    const first = await call('POST', '/api/v1/orders', '/api/v1/orders', request);
    expect(first.status).toBe(201);
    const ledgerBefore = await stack.deps.wallets.listLedger(owner.walletId);
    const walletBefore = await stack.deps.wallets.getWallet(owner.walletId);
    // Let the workflow move the order on: the replay still answers what the first request did.
    await new Promise((r) => setTimeout(r, 1_000));
    const again = await call('POST', '/api/v1/orders', '/api/v1/orders', request);
    expect(again.status).toBe(201);
    expect(again.raw).toBe(first.raw);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await stack.deps.wallets.listLedger(owner.walletId)).toEqual(ledgerBefore);
    expect((await stack.deps.wallets.getWallet(owner.walletId))!.balance).toBe(walletBefore!.balance);
    const links = (await call('GET', '/api/v1/orders', '/api/v1/orders', { query: { q: 'watch?v=idem' } })).body.items;
    expect(links).toHaveLength(1);
  });

  it('refuses an order from an account whose email is not verified', async () => {
    const refused = await call('POST', '/api/v1/orders', '/api/v1/orders', {
      caller: { ...owner, emailVerified: false },
      body: { service: 1, link: 'https://youtube.com/watch?v=x', quantity: 100 },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('email_not_verified');
  });

  it("answers the service's refusals in the API's error shape", async () => {
    const tooFew = await call('POST', '/api/v1/orders', '/api/v1/orders', { body: { service: 1, link: 'https://youtube.com/watch?v=x', quantity: 1 } });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.error.code).toBe('quantity_too_small');
    const poor = await call('POST', '/api/v1/orders', '/api/v1/orders', {
      caller: other,
      body: { service: 1, link: 'https://youtube.com/watch?v=big', quantity: 100_000 },
    });
    expect(poor.status).toBe(409);
    expect(poor.body.error).toEqual({ code: 'insufficient_funds', message: 'Not enough funds on balance' });
  });

  it('cancels an order, and refuses a refill of an order that has not completed', async () => {
    const placed = await call('POST', '/api/v1/orders', '/api/v1/orders', { body: { service: 1, link: 'https://youtube.com/watch?v=cancel', quantity: 1000 } });
    const cancelled = await call('POST', '/api/v1/orders/{id}/cancel', `/api/v1/orders/${placed.body.id}/cancel`);
    expect([202, 409]).toContain(cancelled.status);
    if (cancelled.status === 202) expect(cancelled.body).toEqual({ id: placed.body.id, cancel: 'requested' });
    const refill = await call('POST', '/api/v1/orders/{id}/refill', `/api/v1/orders/${placed.body.id}/refill`);
    expect(refill.status).toBe(409);
    expect(refill.body.error.code).toMatch(/^(refill_not_available|order_not_completed)$/);
  });

  it("never shows one owner another's orders, transactions or keys: 404", async () => {
    const mine = await call('POST', '/api/v1/orders', '/api/v1/orders', { body: { service: 1, link: 'https://youtube.com/watch?v=mine', quantity: 100 } });
    const id = mine.body.id as number;
    expect((await call('GET', '/api/v1/orders/{id}', `/api/v1/orders/${id}`, { caller: other })).status).toBe(404);
    expect((await call('POST', '/api/v1/orders/{id}/cancel', `/api/v1/orders/${id}/cancel`, { caller: other })).status).toBe(404);
    expect((await call('POST', '/api/v1/orders/{id}/refill', `/api/v1/orders/${id}/refill`, { caller: other })).status).toBe(404);
    const theirs = await call('GET', '/api/v1/orders', '/api/v1/orders', { caller: other, query: { limit: '100' } });
    expect(theirs.body.items.map((o: { id: number }) => o.id)).not.toContain(id);
    const theirLedger = await call('GET', '/api/v1/transactions', '/api/v1/transactions', { caller: other, query: { limit: '100' } });
    expect(theirLedger.body.items.map((t: { reference: string }) => t.reference)).not.toContain(`order:${id}`);
    const myKeys = await call('GET', '/api/v1/api-keys', '/api/v1/api-keys');
    const keyId = myKeys.body.items[0].id as string;
    expect((await call('PATCH', '/api/v1/api-keys/{id}', `/api/v1/api-keys/${keyId}`, { caller: other, body: { label: 'mine now' } })).status).toBe(404);
    expect((await call('DELETE', '/api/v1/api-keys/{id}', `/api/v1/api-keys/${keyId}`, { caller: other })).status).toBe(404);
    expect((await call('GET', '/api/v1/api-keys', '/api/v1/api-keys', { caller: other })).body.items.map((k: { id: string }) => k.id)).not.toContain(keyId);
  });
});

describe('balance and transactions', () => {
  it('lists the ledger newest first in pages that add up to the balance, and filters by kind', async () => {
    const balance = await call('GET', '/api/v1/balance', '/api/v1/balance');
    expect(balance.body).toEqual({ balance: expect.stringMatching(/^\d+\.\d{2,}$/), currency: 'USD' });
    // Entries added while paging (a refund settling) land above the cursor and are not seen; what is seen runs from
    // the newest entry at the start down to the first, so it adds up to that entry's balanceAfter.
    let sum = 0;
    let top: string | undefined;
    let cursor: string | undefined;
    let previous = Number.POSITIVE_INFINITY;
    const micros = (text: string) => Math.round(Number(text) * 1_000_000);
    do {
      const page = await call('GET', '/api/v1/transactions', '/api/v1/transactions', { query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      for (const entry of page.body.items) {
        expect(entry.id).toBeLessThan(previous);
        previous = entry.id;
        top ??= entry.balanceAfter;
        sum += micros(entry.amount);
      }
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(previous).toBe(1);
    expect(sum).toBe(micros(top!));
    // The newest entry's balanceAfter is the balance (read again when a settlement lands between the two reads).
    await eventually(async () => {
      const latest = await call('GET', '/api/v1/transactions', '/api/v1/transactions', { query: { limit: '1' } });
      const now = await call('GET', '/api/v1/balance', '/api/v1/balance');
      return latest.body.items[0].balanceAfter === now.body.balance ? true : undefined;
    }, 5_000);
    const deposits = await call('GET', '/api/v1/transactions', '/api/v1/transactions', { query: { type: 'deposit' } });
    expect(deposits.body.items.every((t: { kind: string }) => t.kind === 'deposit')).toBe(true);
    expect(deposits.body.items.length).toBeGreaterThan(0);
  });

  it('refuses a cursor it did not give', async () => {
    const refused = await call('GET', '/api/v1/transactions', '/api/v1/transactions', { query: { cursor: 'bm9wZQ' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe('cursor');
  });
});

describe('API keys in the cabinet', () => {
  it('creates a key shown in full once, which works on /api/v2 at once, and lists, relabels and revokes it', async () => {
    const createdKey = await call('POST', '/api/v1/api-keys', '/api/v1/api-keys', { caller: other, body: { label: 'panel', allowedIps: ['127.0.0.1'] } });
    expect(createdKey.status).toBe(201);
    expect(createdKey.body).toMatchObject({ key: expect.stringMatching(/^cdx_/), label: 'panel', status: 'active', allowedIps: ['127.0.0.1'] });
    const { key, id } = createdKey.body as { key: string; id: string };
    expect(await v2({ key, action: 'balance' })).toMatchObject({ currency: 'USD' });
    const order = await v2({ key, action: 'add', service: '1', link: 'https://youtube.com/watch?v=viakey', quantity: '100' });
    expect(order.order).toEqual(expect.any(Number));
    const listed = await call('GET', '/api/v1/orders', '/api/v1/orders', { caller: other });
    expect(listed.body.items.map((o: { id: number }) => o.id)).toContain(order.order);

    const keys = await call('GET', '/api/v1/api-keys', '/api/v1/api-keys', { caller: other });
    expect(keys.raw).not.toContain(key);
    expect(keys.raw).not.toContain('keyHash');
    expect(keys.body.items.map((k: { id: string }) => k.id)).toContain(id);
    const relabelled = await call('PATCH', '/api/v1/api-keys/{id}', `/api/v1/api-keys/${id}`, { caller: other, body: { label: 'renamed', allowedIps: [] } });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body).toMatchObject({ id, label: 'renamed', allowedIps: [] });
    expect(relabelled.raw).not.toContain(key);
    expect((await call('DELETE', '/api/v1/api-keys/{id}', `/api/v1/api-keys/${id}`, { caller: other })).status).toBe(204);
    const after = await call('GET', '/api/v1/api-keys', '/api/v1/api-keys', { caller: other });
    expect(after.body.items.find((k: { id: string }) => k.id === id)).toMatchObject({ status: 'revoked' });
    expect(otherKey).not.toBe(key);
  });

  it('refuses a key for an unverified account, and an empty change', async () => {
    const unverified = await call('POST', '/api/v1/api-keys', '/api/v1/api-keys', { caller: { ...other, emailVerified: false }, body: {} });
    expect(unverified.status).toBe(403);
    const keys = await call('GET', '/api/v1/api-keys', '/api/v1/api-keys', { caller: other });
    const empty = await call('PATCH', '/api/v1/api-keys/{id}', `/api/v1/api-keys/${keys.body.items[0].id}`, { caller: other, body: {} });
    expect(empty.status).toBe(400);
  });
});
