// The adminSettings function called as API Gateway calls it after the Cognito authorizer (tests/support/admin-event.ts),
// over DynamoDB Local: settings, promo codes and the audit log, and who may change what.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../lambdas/rest/admin/handlers/settings-handler.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { type AdminEventInput, adminEvent } from '../support/admin-event.js';
import { DynamoAuditLog } from '../../lambdas/adapters/dynamodb/audit-log.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'MIN_DEPOSIT'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, MIN_DEPOSIT: '1.00' });
  usePlatform({});
});

afterAll(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

async function call(input: AdminEventInput): Promise<{ status: number; body: any; headers: APIGatewayProxyResult['headers'] }> {
  const result = await handler(adminEvent(input));
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined, headers: result.headers };
}

describe('GET and PATCH /admin/v1/settings', () => {
  it('shows the defaults in force, lets an admin override them and an operator only read them', async () => {
    const first = await call({ method: 'GET', resource: '/admin/v1/settings', role: 'operator' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 0,
      overrides: {},
      effective: { minDeposit: '1.00', maxDailySpend: null, maintenance: { enabled: false }, tiers: { standard: { requestsPerMinute: 120 } } },
      defaults: { minDeposit: '1.00' },
    });

    const refused = await call({ method: 'PATCH', resource: '/admin/v1/settings', role: 'operator', body: { minDeposit: '5.00' } });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const changed = await call({
      method: 'PATCH',
      resource: '/admin/v1/settings',
      body: { version: 0, minDeposit: '5.00', maxDailySpend: '250.00', tiers: { pro: { dailyOrderQuota: 100 } } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      version: 1,
      updatedBy: 'admin-sub-1',
      overrides: { minDeposit: '5.00', maxDailySpend: '250.00', tiers: { pro: { dailyOrderQuota: 100 } } },
      effective: { minDeposit: '5.00', maxDailySpend: '250.00', tiers: { pro: { requestsPerMinute: 300, dailyOrderQuota: 100 } } },
      defaults: { minDeposit: '1.00', maxDailySpend: null },
    });

    const stale = await call({ method: 'PATCH', resource: '/admin/v1/settings', body: { version: 0, minDeposit: '6.00' } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'settings_conflict' } } });
    const invalid = await call({ method: 'PATCH', resource: '/admin/v1/settings', body: { tiers: { gold: { requestsPerMinute: 1 } } } });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'tiers.gold' } } });
    const template = await call({ method: 'PATCH', resource: '/admin/v1/settings', body: { templates: { 'balance.low': { text: '<%= it.constructor %>' } } } });
    expect(template).toMatchObject({ status: 400, body: { error: { field: 'templates.balance.low.text' } } });
  });

  it('previews a template against a sample of its email', async () => {
    const preview = await call({
      method: 'POST',
      resource: '/admin/v1/settings/templates/preview',
      body: { type: 'deposit.credited', subject: 'Thanks: <%= it.deposit.amount %>', text: 'Credited <%= it.deposit.amount %> <b>' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe('Thanks: 25.00 USD');
    expect(preview.body.text).toBe('Credited 25.00 USD <b>');
    expect(preview.body.html).toContain('Credited 25.00 USD &lt;b&gt;');
  });
});

describe('/admin/v1/promo-codes', () => {
  it('creates, lists and disables codes, each change audited, operators only reading', async () => {
    const body = { code: 'spring25', kind: 'percent', value: '25', maxUses: 100, expiresAt: '2099-01-01T00:00:00Z' };
    expect((await call({ method: 'POST', resource: '/admin/v1/promo-codes', role: 'operator', body })).status).toBe(403);
    const created = await call({ method: 'POST', resource: '/admin/v1/promo-codes', body });
    expect(created).toMatchObject({ status: 201, body: { code: 'SPRING25', kind: 'percent', value: '25', maxUses: 100, uses: 0, disabled: false } });
    expect((await call({ method: 'POST', resource: '/admin/v1/promo-codes', body })).status).toBe(200);
    const conflicting = await call({ method: 'POST', resource: '/admin/v1/promo-codes', body: { ...body, value: '30' } });
    expect(conflicting).toMatchObject({ status: 409, body: { error: { code: 'promo_code_exists' } } });
    const badValue = await call({ method: 'POST', resource: '/admin/v1/promo-codes', body: { code: 'X1X', kind: 'percent', value: '150' } });
    expect(badValue).toMatchObject({ status: 400, body: { error: { field: 'value' } } });

    const listed = await call({ method: 'GET', resource: '/admin/v1/promo-codes', role: 'operator' });
    expect(listed.body.items.map((c: { code: string }) => c.code)).toEqual(['SPRING25']);

    const disabled = await call({
      method: 'PATCH',
      resource: '/admin/v1/promo-codes/{code}',
      pathParameters: { code: 'spring25' },
      body: { disabled: true, maxUses: null, reason: 'campaign over' },
    });
    expect(disabled).toMatchObject({ status: 200, body: { disabled: true } });
    expect(disabled.body).not.toHaveProperty('maxUses');
    const missing = await call({ method: 'PATCH', resource: '/admin/v1/promo-codes/{code}', pathParameters: { code: 'NOPE1' }, body: { disabled: true } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'unknown_promo_code' } } });

    const audit = await call({ method: 'GET', resource: '/admin/v1/audit', role: 'operator', query: { subject: 'SPRING25' } });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(['promo_code.disabled', 'promo_code.created']);
    expect(audit.body.items[0]).toMatchObject({
      actor: 'admin-sub-1',
      actorRole: 'admin',
      source: '203.0.113.9',
      reason: 'campaign over',
      before: { disabled: false, maxUses: 100 },
      after: { disabled: true, maxUses: null },
    });
  });
});

describe('GET /admin/v1/audit', () => {
  it('filters by action and refuses a range it cannot read', async () => {
    const settings = await call({ method: 'GET', resource: '/admin/v1/audit', query: { action: 'settings.*', limit: '10' } });
    expect(settings.status).toBe(200);
    expect(settings.body.items.every((e: { action: string }) => e.action === 'settings.updated')).toBe(true);
    expect(settings.body.items.length).toBeGreaterThan(0);
    const backwards = await call({ method: 'GET', resource: '/admin/v1/audit', query: { from: '2026-12-02', to: '2026-12-01' } });
    expect(backwards).toMatchObject({ status: 400, body: { error: { field: 'from' } } });
    const badCursor = await call({ method: 'GET', resource: '/admin/v1/audit', query: { cursor: 'nonsense' } });
    expect(badCursor).toMatchObject({ status: 400, body: { error: { field: 'cursor' } } });
  });

  it('reads a day `to` as the whole day, as the orders list does', async () => {
    const subject = `day-to-${Date.now()}`;
    await new DynamoAuditLog(table.db, table.tableName).record({
      actor: 'admin-sub-1',
      actorRole: 'admin',
      action: 'settings.updated',
      subjectType: 'settings',
      subject,
      source: '203.0.113.9',
      at: '2026-11-20T15:30:00.000Z',
    });
    const found = (query: Record<string, string>) => call({ method: 'GET', resource: '/admin/v1/audit', query: { subject, ...query } });
    expect((await found({ from: '2026-11-20', to: '2026-11-20' })).body.items.map((e: { at: string }) => e.at)).toEqual(['2026-11-20T15:30:00.000Z']);
    expect((await found({ from: '2026-11-01', to: '2026-11-20' })).body.items).toHaveLength(1);
    expect((await found({ from: '2026-11-21', to: '2026-11-30' })).body.items).toHaveLength(0);
    expect((await found({ from: '2026-11-20T15:30:00.001Z', to: '2026-11-20' })).body.items).toHaveLength(0);
  });
});
