// The admin API's users routes, called as API Gateway calls the adminUsers function after the Cognito authorizer,
// on DynamoDB Local: list and detail, onboarding, adjustments, blocking, pricing and key actions, each audited.
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamodb/customer-accounts.js';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamodb/session-store.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { ownerOrderServices } from '../../lambdas/orders/wiring.js';
import { resellerApiServices } from '../../lambdas/reseller/wiring.js';
import { handler as usersHandler } from '../../lambdas/rest/admin/handlers/users-handler.js';
import { handler as resellersHandler } from '../../lambdas/rest/admin/handlers/users-resellers-handler.js';
import { handler as assignUsageKeys } from '../../lambdas/access/handlers/assign-usage-keys-handler.js';
import { ROUTES } from '../../lambdas/functions.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { InMemoryGatewayKeys } from '../../local/gateway-keys.js';
import { type AdminEventInput, adminEvent } from '../support/admin-event.js';
import { type TestTable, TEST_SERVICE, balanceAndLedger, createTestTable } from '../support/dynamo-table.js';
import { createResellerAccess } from '../support/key-services.js';
import { profileRecord, streamEvent } from '../support/profile-stream.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'API_KEY_PEPPER_SECRET_ID'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
const PEPPER = 'test-pepper';
let table: TestTable;
const gatewayKeys = new InMemoryGatewayKeys();

beforeAll(async () => {
  table = await createTestTable();
  await table.catalog.putService(TEST_SERVICE);
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, API_KEY_PEPPER_SECRET_ID: 'pepper' });
  usePlatform({ secrets: { get: async () => PEPPER }, gatewayKeys });
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

async function call(input: AdminEventInput & { headers?: Record<string, string> }): Promise<{ status: number; body: any }> {
  const event = adminEvent(input);
  if (input.headers) Object.assign(event.headers, input.headers);
  // The function the manifest sends the route to, as the gateway would.
  const route = ROUTES.find((r) => r.path === input.resource && r.methods.includes(input.method as 'GET'));
  const handler = route?.function === 'adminResellers' ? resellersHandler : usersHandler;
  const result = (await handler(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

/** The usage key consumer, given the profile's stream record as the table's stream would. */
const streamProfile = (userId: string) => assignUsageKeys(streamEvent(profileRecord(userId)));

const newEmail = () => `reseller-${randomUUID().slice(0, 8)}@example.com`;

async function onboarded(email = newEmail()): Promise<{ id: string; walletId: string; apiKey: string; email: string }> {
  const { status, body } = await call({ method: 'POST', resource: '/admin/v1/users', body: { email, tier: 'standard' } });
  expect(status).toBe(201);
  return { id: body.id, walletId: body.walletId, apiKey: body.apiKey, email };
}

const adjust = (userId: string, amount: string, key: string, reason = 'goodwill') =>
  call({
    method: 'POST',
    resource: '/admin/v1/users/{id}/adjustments',
    pathParameters: { id: userId },
    body: { amount, reason },
    headers: { 'Idempotency-Key': key },
  });

async function auditOf(action: string, subject: string): Promise<Record<string, unknown>[]> {
  const day = new Date().toISOString().slice(0, 10);
  const { Items = [] } = await table.db.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.audit(day, '').pk } }),
  );
  return Items.filter((item) => item.action === action && item.subject === subject);
}

describe('onboarding a reseller', () => {
  it('makes the account, wallet and a working API key at once, audited with the admin as actor; the usage key follows', async () => {
    const email = newEmail();
    const { status, body } = await call({ method: 'POST', resource: '/admin/v1/users', body: { email: ` ${email.toUpperCase()} `, tier: 'pro' } });
    expect(status).toBe(201);
    expect(body).toMatchObject({ email, role: 'reseller', tier: 'pro', usageKey: 'pending' });
    await streamProfile(body.id);
    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: body.id } });
    expect(detail.body).toMatchObject({ tier: 'pro', usageKey: 'ready', apiGatewayKey: { tier: 'pro' } });
    expect(gatewayKeys.tierOfValue((await table.users.get(body.id))!.apiGatewayKey!.value)).toBe('pro');
    expect(body.apiKey).toMatch(/^cdx_/);
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets: { get: async () => PEPPER }, pepperSecretId: 'pepper' });
    expect(await access.check({ key: body.apiKey, sourceIp: '192.0.2.1' })).toMatchObject({ ok: true, caller: { ownerId: body.id } });
    const [entry] = await auditOf('user.onboarded', body.id);
    expect(entry).toMatchObject({ actor: 'admin-sub-1', actorRole: 'admin', source: '203.0.113.9', after: { email, tier: 'pro' } });
    expect(JSON.stringify(entry)).not.toContain(body.apiKey);
  });

  it('is idempotent on the email: a repeat answers the account, without a key, and makes nothing', async () => {
    const first = await onboarded();
    const again = await call({ method: 'POST', resource: '/admin/v1/users', body: { email: first.email.toUpperCase(), tier: 'standard' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.id, walletId: first.walletId });
    expect(again.body.apiKey).toBeUndefined();
    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: first.id } });
    expect(detail.body.apiKeys).toHaveLength(1);
    const listed = await call({ method: 'GET', resource: '/admin/v1/users', query: { q: first.email } });
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([first.id]);
  });

  it("refuses an email a customer's account holds", async () => {
    const accounts = new DynamoAccountStore(table.db, table.tableName);
    const email = newEmail();
    await accounts.create({
      id: `usr_${randomUUID()}`,
      email,
      walletId: `w-${randomUUID()}`,
      currency: 'USD',
      passwordHash: 'x',
      createdAt: new Date().toISOString(),
    });
    const { status, body } = await call({ method: 'POST', resource: '/admin/v1/users', body: { email } });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'email_taken', field: 'email' });
  });

  it('is for admins only', async () => {
    const { status } = await call({ method: 'POST', resource: '/admin/v1/users', body: { email: newEmail() }, role: 'operator' });
    expect(status).toBe(403);
  });
});

describe('listing and reading users', () => {
  it('finds users by email prefix or id with their balance, for operators too; the detail has no secret', async () => {
    const prefix = `list-${randomUUID().slice(0, 6)}`;
    const a = await onboarded(`${prefix}-a@example.com`);
    const b = await onboarded(`${prefix}-b@example.com`);
    expect((await adjust(a.id, '12.5', `k-${randomUUID()}`)).status).toBe(200);

    const byPrefix = await call({ method: 'GET', resource: '/admin/v1/users', query: { q: prefix.toUpperCase() }, role: 'operator' });
    expect(byPrefix.status).toBe(200);
    expect(byPrefix.body.items).toEqual([
      { id: a.id, email: a.email, role: 'reseller', balance: '12.50', blocked: false, createdAt: expect.any(String) },
      { id: b.id, email: b.email, role: 'reseller', balance: '0.00', blocked: false, createdAt: expect.any(String) },
    ]);
    const firstPage = await call({ method: 'GET', resource: '/admin/v1/users', query: { q: prefix, limit: '1' } });
    expect(firstPage.body.items.map((u: { id: string }) => u.id)).toEqual([a.id]);
    const secondPage = await call({ method: 'GET', resource: '/admin/v1/users', query: { q: prefix, limit: '1', cursor: firstPage.body.nextCursor } });
    expect(secondPage.body.items.map((u: { id: string }) => u.id)).toEqual([b.id]);

    const byId = await call({ method: 'GET', resource: '/admin/v1/users', query: { q: b.id }, role: 'operator' });
    expect(byId.body.items.map((u: { id: string }) => u.id)).toEqual([b.id]);

    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: a.id }, role: 'operator' });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: a.id, balance: '12.50', orders: { counted: 0, complete: true }, pricing: null });
    expect(detail.body.recentLedger).toEqual([expect.objectContaining({ kind: 'adjustment', amount: '12.50', balanceAfter: '12.50' })]);
    expect(detail.body.apiKeys[0]).toMatchObject({ status: 'active', prefix: expect.any(String) });
    const text = JSON.stringify(detail.body);
    for (const secret of [a.apiKey, 'keyHash', 'passwordHash']) expect(text).not.toContain(secret);
    expect((await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: 'usr_nobody' } })).status).toBe(404);
  });
});

describe('adjusting a balance', () => {
  it('moves the exact amount with an adjustment entry, audited with the balance before and after', async () => {
    const r = await onboarded();
    const credit = await adjust(r.id, '10.000001', `k-${randomUUID()}`, 'compensation');
    expect(credit).toMatchObject({ status: 200, body: { amount: '10.000001', balanceBefore: '0.00', balanceAfter: '10.000001', ledgerSeq: 1 } });
    const debit = await adjust(r.id, '-3.5', `k-${randomUUID()}`);
    expect(debit.body).toMatchObject({ amount: '-3.50', balanceBefore: '10.000001', balanceAfter: '6.500001' });
    expect(await balanceAndLedger(table, r.walletId)).toEqual({ balance: parseMoney('6.500001'), ledgerSum: parseMoney('6.500001'), entries: 2 });
    const [entry] = await auditOf('user.balance_adjusted', r.id);
    expect(entry).toMatchObject({
      actorRole: 'admin',
      reason: expect.any(String),
      before: { balance: expect.any(String) },
      after: { balance: expect.any(String) },
    });
  });

  it('answers a repeated Idempotency-Key with the first answer and moves nothing twice, even concurrently', async () => {
    const r = await onboarded();
    const key = `k-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => adjust(r.id, '7', key)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(200);
    expect(await balanceAndLedger(table, r.walletId)).toEqual({ balance: parseMoney('7'), ledgerSum: parseMoney('7'), entries: 1 });
    expect(await auditOf('user.balance_adjusted', r.id)).toHaveLength(1);
    const other = await adjust(r.id, '8', key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('never takes a balance below zero, and a repeated debit that emptied it answers as the first did', async () => {
    const r = await onboarded();
    await adjust(r.id, '5', `k-${randomUUID()}`);
    const tooMuch = await adjust(r.id, '-5.000001', `k-${randomUUID()}`);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('insufficient_funds');
    const key = `k-${randomUUID()}`;
    const emptied = await adjust(r.id, '-5', key);
    expect(emptied.body.balanceAfter).toBe('0.00');
    expect(await adjust(r.id, '-5', key)).toEqual(emptied);
    expect(await balanceAndLedger(table, r.walletId)).toEqual({ balance: 0, ledgerSum: 0, entries: 2 });
  });

  it('needs an Idempotency-Key, a reason and a non-zero amount, and is for admins only', async () => {
    const r = await onboarded();
    const noKey = await call({
      method: 'POST',
      resource: '/admin/v1/users/{id}/adjustments',
      pathParameters: { id: r.id },
      body: { amount: '1', reason: 'x' },
    });
    expect(noKey.status).toBe(400);
    expect((await adjust(r.id, '0', `k-${randomUUID()}`)).body.error.code).toBe('invalid_amount');
    expect((await adjust(r.id, '1.0000001', `k-${randomUUID()}`)).body.error.code).toBe('invalid_amount');
    const asOperator = await call({
      method: 'POST',
      resource: '/admin/v1/users/{id}/adjustments',
      pathParameters: { id: r.id },
      body: { amount: '1', reason: 'x' },
      headers: { 'Idempotency-Key': 'k' },
      role: 'operator',
    });
    expect(asOperator.status).toBe(403);
    expect(await balanceAndLedger(table, r.walletId)).toEqual({ balance: 0, ledgerSum: 0, entries: 0 });
  });
});

describe('blocking and unblocking', () => {
  it('ends every session and suspends every active key; unblocking reactivates only the keys the block suspended', async () => {
    const r = await onboarded();
    const sessions = new DynamoSessionStore(table.db, table.tableName);
    const now = new Date().toISOString();
    for (const sessionId of ['s1', 's2']) {
      await sessions.create({
        userId: r.id,
        sessionId,
        refreshHash: 'h',
        usedHashes: [],
        status: 'active',
        createdAt: now,
        lastUsedAt: now,
        expiresAt: 2_000_000_000,
      });
    }
    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: r.id } });
    const blockKey = detail.body.apiKeys[0].id as string;
    // A second key, suspended by an admin for its own reason before the block: it must stay suspended after.
    const { record } = await (await import('../../lambdas/access/wiring.js')).keyManagement().createApiKey(r.id, r.walletId, { label: 'second' });
    await call({
      method: 'POST',
      resource: '/admin/v1/users/{id}/api-keys/{keyId}/suspend',
      pathParameters: { id: r.id, keyId: record.keyId },
      body: { reason: 'abuse' },
    });

    const blocked = await call({ method: 'POST', resource: '/admin/v1/users/{id}/block', pathParameters: { id: r.id }, body: { reason: 'chargebacks' } });
    expect(blocked).toEqual({ status: 200, body: { blocked: true, sessionsEnded: 2, keysSuspended: 1 } });
    for (const sessionId of ['s1', 's2']) expect(await sessions.get(r.id, sessionId)).toMatchObject({ status: 'revoked', revokedReason: 'account_blocked' });
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets: { get: async () => PEPPER }, pepperSecretId: 'pepper' });
    expect(await access.check({ key: r.apiKey, sourceIp: '192.0.2.1' })).toMatchObject({ ok: false, refusal: 'key_suspended' });
    expect((await call({ method: 'GET', resource: '/admin/v1/users', query: { q: r.id } })).body.items[0].blocked).toBe(true);
    expect((await auditOf('user.blocked', r.id))[0]).toMatchObject({ reason: 'chargebacks', before: { blocked: false }, after: { blocked: true } });
    expect(await auditOf('api_key.suspended', blockKey)).toEqual([
      expect.objectContaining({ actor: 'admin-sub-1', before: { status: 'active', statusReason: null } }),
    ]);

    const unblocked = await call({ method: 'POST', resource: '/admin/v1/users/{id}/unblock', pathParameters: { id: r.id }, body: {} });
    expect(unblocked).toEqual({ status: 200, body: { blocked: false, keysReactivated: 1 } });
    const keysAfter = (await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: r.id } })).body.apiKeys;
    expect(Object.fromEntries(keysAfter.map((k: { id: string; status: string }) => [k.id, k.status]))).toEqual({
      [blockKey]: 'active',
      [record.keyId]: 'suspended',
    });
    expect(await auditOf('user.unblocked', r.id)).toHaveLength(1);
  });

  it('answers 404 for an unknown user, and is for admins only', async () => {
    expect((await call({ method: 'POST', resource: '/admin/v1/users/{id}/block', pathParameters: { id: 'usr_nobody' }, body: { reason: 'x' } })).status).toBe(
      404,
    );
    const r = await onboarded();
    expect(
      (await call({ method: 'POST', resource: '/admin/v1/users/{id}/block', pathParameters: { id: r.id }, body: { reason: 'x' }, role: 'operator' })).status,
    ).toBe(403);
  });
});

describe('key actions', () => {
  it('suspends, reactivates, changes limits and revokes, each audited with the admin as actor', async () => {
    const r = await onboarded();
    const keyId = (await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: r.id } })).body.apiKeys[0].id as string;
    const path = (action: string) => ({ method: 'POST', resource: `/admin/v1/users/{id}/api-keys/{keyId}/${action}`, pathParameters: { id: r.id, keyId } });
    expect((await call({ ...path('suspend'), body: { reason: 'investigating' } })).body).toMatchObject({ status: 'suspended', statusReason: 'investigating' });
    expect((await call({ ...path('reactivate'), body: {} })).body).toMatchObject({ status: 'active' });
    const limited = await call({
      method: 'PATCH',
      resource: '/admin/v1/users/{id}/api-keys/{keyId}',
      pathParameters: { id: r.id, keyId },
      body: { limits: { requestsPerMinute: 30, dailyOrderQuota: 500 } },
    });
    expect(limited.body.limits).toEqual({ requestsPerMinute: 30, dailyOrderQuota: 500 });
    const loosened = await call({
      method: 'PATCH',
      resource: '/admin/v1/users/{id}/api-keys/{keyId}',
      pathParameters: { id: r.id, keyId },
      body: { limits: { dailyOrderQuota: null } },
    });
    expect(loosened.body.limits).toEqual({ requestsPerMinute: 30 });
    const access = createResellerAccess({ db: table.db, tableName: table.tableName, secrets: { get: async () => PEPPER }, pepperSecretId: 'pepper' });
    expect(await access.check({ key: r.apiKey, sourceIp: '192.0.2.1' })).toMatchObject({ ok: true, caller: { limits: { requestsPerMinute: 30 } } });
    expect((await call({ ...path('revoke'), body: {} })).body).toMatchObject({ status: 'revoked' });
    expect((await call({ ...path('reactivate'), body: {} })).status).toBe(400);
    for (const action of ['api_key.suspended', 'api_key.reactivated', 'api_key.limits_changed', 'api_key.revoked']) {
      expect((await auditOf(action, keyId))[0]).toMatchObject({ actor: 'admin-sub-1', actorRole: 'admin', subjectType: 'api_key', ownerId: r.id });
    }
    expect((await auditOf('api_key.limits_changed', keyId))[0]).toMatchObject({
      before: { limits: null },
      after: { limits: { requestsPerMinute: 30, dailyOrderQuota: 500 } },
    });
    expect(
      (await call({ method: 'POST', resource: '/admin/v1/users/{id}/api-keys/{keyId}/suspend', pathParameters: { id: r.id, keyId: 'nope' }, body: {} })).status,
    ).toBe(404);
    expect((await call({ ...path('suspend'), body: {}, role: 'operator' })).status).toBe(403);
  });
});

describe('reseller pricing', () => {
  it('makes orders pay the custom rate, else the discounted catalog rate, rounded in the reseller’s favour', async () => {
    const r = await onboarded();
    await streamProfile(r.id);
    await adjust(r.id, '100', `k-${randomUUID()}`);
    await table.catalog.putService({ ...TEST_SERVICE, id: 2, ratePer1000: parseMoney('1.234567') });
    const put = await call({
      method: 'PUT',
      resource: '/admin/v1/users/{id}/pricing',
      pathParameters: { id: r.id },
      body: { tier: 'pro', discountPercent: '12.5', rates: { '1': '0.5' } },
    });
    expect(put).toMatchObject({ status: 200, body: { tier: 'pro', discountPercent: '12.5', rates: { '1': '0.50' } } });
    expect((await auditOf('user.pricing_changed', r.id))[0]).toMatchObject({ before: { discountPercent: '0' }, after: { discountPercent: '12.5' } });
    // The tier moved the API keys at once, and the gateway key once the stream's consumer has the profile.
    const pending = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: r.id } });
    expect(pending.body).toMatchObject({ tier: 'pro', usageKey: 'pending', apiGatewayKey: { tier: 'standard' } });
    await streamProfile(r.id);
    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id: r.id } });
    expect(detail.body).toMatchObject({ usageKey: 'ready', apiGatewayKey: { tier: 'pro' } });
    expect(detail.body.apiKeys[0].tier).toBe('pro');
    expect(detail.body.pricing).toMatchObject({ tier: 'pro', discountPercent: '12.5' });

    // Placement as each API wires it: /api/v1 orders (ownerOrderServices) and /api/v2 add (resellerApiServices).
    const v1 = ownerOrderServices();
    const v2 = resellerApiServices();
    const order = (services: typeof v1, serviceId: number, quantity: number, ownerId = r.id, walletId = r.walletId) =>
      placeOrder(services, { ownerId, walletId, serviceId, link: 'https://youtube.com/watch?v=abc', quantity }).then((p) => p.order);
    // Custom rate: 0.50 per 1,000 → 1,000 cost 0.50 (catalog 0.90).
    expect(await order(v1, 1, 1000)).toMatchObject({ ratePer1000: parseMoney('0.5'), charge: parseMoney('0.5') });
    // Discount: 1.234567 × 0.875 = 1.080246125 → rate 1.080246 (down); 777 units → 0.839351142 → 0.839351 (half up).
    expect(await order(v2, 2, 777)).toMatchObject({ ratePer1000: parseMoney('1.080246'), charge: parseMoney('0.839351') });
    expect(await balanceAndLedger(table, r.walletId)).toEqual({ balance: parseMoney('98.660649'), ledgerSum: parseMoney('98.660649'), entries: 3 });
    // Someone else pays the catalog rate.
    const other = await onboarded();
    await adjust(other.id, '10', `k-${randomUUID()}`);
    expect(await order(v2, 1, 1000, other.id, other.walletId)).toMatchObject({ charge: parseMoney('0.9') });
  });

  it('refuses unknown services, tiers and bad discounts, and is for admins only', async () => {
    const r = await onboarded();
    const put = (body: unknown, role?: 'operator') =>
      call({ method: 'PUT', resource: '/admin/v1/users/{id}/pricing', pathParameters: { id: r.id }, body, ...(role ? { role } : {}) });
    expect((await put({ tier: 'standard', rates: { '999': '1' } })).body.error).toMatchObject({ code: 'unknown_service', field: 'rates.999' });
    expect((await put({ tier: 'gold' })).status).toBe(400);
    expect((await put({ tier: 'standard', discountPercent: '100.5' })).body.error).toMatchObject({ code: 'invalid_request', field: 'discountPercent' });
    expect((await put({ tier: 'standard', rates: { '1': '0' } })).body.error.code).toBe('invalid_amount');
    expect((await put({ tier: 'standard' }, 'operator')).status).toBe(403);
  });

  it("refuses a customer's account: wholesale prices and tiers are for resellers", async () => {
    const id = `usr_${randomUUID()}`;
    await new DynamoAccountStore(table.db, table.tableName).create({
      id,
      email: newEmail(),
      walletId: `w-${randomUUID()}`,
      currency: 'USD',
      passwordHash: 'x',
      createdAt: new Date().toISOString(),
    });
    const put = await call({ method: 'PUT', resource: '/admin/v1/users/{id}/pricing', pathParameters: { id }, body: { tier: 'pro', discountPercent: '50' } });
    expect(put).toMatchObject({ status: 409, body: { error: { code: 'not_a_reseller' } } });
    const detail = await call({ method: 'GET', resource: '/admin/v1/users/{id}', pathParameters: { id } });
    expect(detail.body.pricing).toBeNull();
  });
});
