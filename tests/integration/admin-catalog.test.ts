// The admin catalog and provider routes, called as API Gateway calls them after the Cognito authorizer
// (adminEvent), over DynamoDB Local, an in-memory secret store and the demo provider over HTTP. Every log line
// written meanwhile is kept, to prove a provider key reaches none of them.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as catalogHandler } from '../../lambdas/rest/admin/handlers/catalog-handler.js';
import { handler as providersHandler } from '../../lambdas/rest/admin/handlers/providers-handler.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { type DemoProvider, DEMO_SERVICES, startDemoProvider } from '../../local/demo-provider/server.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { type AdminEventInput, adminEvent } from '../support/admin-event.js';
import { createTestTable, type TestTable } from '../support/dynamo-table.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
const PROVIDER_KEY = 'pk-live-7f3a9c2e51d84b06';
const ROTATED_KEY = 'pk-live-rotated-0c4e88a1';
let table: TestTable;
let secrets: InMemorySecretStore;
let upstream: DemoProvider;
const answers: string[] = [];
const logLines: string[] = [];
const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint });
  secrets = new InMemorySecretStore({});
  usePlatform({ secrets, secretWriter: secrets });
  upstream = await startDemoProvider({ apiKey: PROVIDER_KEY });
  const keep = (write: typeof writes.out) =>
    ((chunk: unknown, ...rest: unknown[]) => {
      logLines.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof writes.out;
  process.stdout.write = keep(writes.out);
  process.stderr.write = keep(writes.err);
});

afterAll(async () => {
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
  await upstream.close();
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

async function call(fn: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>, input: AdminEventInput, headers: Record<string, string> = {}) {
  const event = adminEvent(input);
  Object.assign(event.headers, headers);
  const result = await fn(event);
  answers.push(result.body);
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}
const catalog = (input: AdminEventInput, headers?: Record<string, string>) => call(catalogHandler, input, headers);
const providers = (input: AdminEventInput) => call(providersHandler, input);

const auditOf = async (subject: string) => (await table.allItems()).filter((item) => item.entity === 'audit' && item.subject === subject);

describe('providers', () => {
  it('registers a provider: the key goes to the secret store, never to the answer, the table or the audit log', async () => {
    const created = await providers({
      method: 'POST',
      resource: '/admin/v1/providers',
      body: { id: 'acme', name: 'Acme panel', apiUrl: upstream.url, apiKey: PROVIDER_KEY, timeoutMs: 5000, acceptsRequestId: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'acme',
      name: 'Acme panel',
      apiUrl: upstream.url,
      timeoutMs: 5000,
      acceptsRequestId: true,
      status: 'enabled',
      callbacks: false,
      updatedAt: expect.any(String),
    });
    await expect(secrets.get('codex/local/providers/acme')).resolves.toBe(PROVIDER_KEY);
    expect(JSON.stringify(await table.allItems())).not.toContain(PROVIDER_KEY);
    const [audit] = await auditOf('acme');
    expect(audit).toMatchObject({ action: 'provider.created', actor: 'admin-sub-1', actorRole: 'admin', source: '203.0.113.9', after: { apiKey: 'set' } });

    const again = await providers({ method: 'POST', resource: '/admin/v1/providers', body: { id: 'acme', name: 'x', apiUrl: upstream.url, apiKey: 'other' } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'provider_exists' } } });
  });

  it('asks the provider for its balance with the stored key, and rotates the key', async () => {
    const balance = await providers({ method: 'GET', resource: '/admin/v1/providers/{id}/balance', pathParameters: { id: 'acme' } });
    expect(balance).toEqual({ status: 200, body: { balance: '100000.00000', currency: 'USD', latencyMs: expect.any(Number) } });

    const rotated = await providers({ method: 'PATCH', resource: '/admin/v1/providers/{id}', pathParameters: { id: 'acme' }, body: { apiKey: ROTATED_KEY } });
    expect(rotated.status).toBe(200);
    await expect(secrets.get('codex/local/providers/acme')).resolves.toBe(ROTATED_KEY);
    const audits = await auditOf('acme');
    expect(audits.find((a) => a.action === 'provider.updated')).toMatchObject({ after: { apiKey: 'rotated' } });
    // The demo provider knows only the first key: it refuses the rotated one, and says so without the key.
    const refused = await providers({ method: 'GET', resource: '/admin/v1/providers/{id}/balance', pathParameters: { id: 'acme' } });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'provider_refused', message: 'The provider refused: Invalid API key' } } });
    await providers({ method: 'PATCH', resource: '/admin/v1/providers/{id}', pathParameters: { id: 'acme' }, body: { apiKey: PROVIDER_KEY } });
  });

  it('puts a provider in maintenance and back, and lists it with its health to operators too', async () => {
    const maintenance = await catalog({ method: 'POST', resource: '/admin/v1/providers/{id}/maintenance', pathParameters: { id: 'acme' } });
    expect(maintenance.body).toMatchObject({ status: 'maintenance' });
    const listed = await catalog({ method: 'GET', resource: '/admin/v1/providers', role: 'operator' });
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: 'acme', status: 'maintenance', health: { calls: 0, failures: 0, errorRate: 0, failuresByKind: {}, openOrders: 0 } }),
    ]);
    const [item] = (await table.allItems()).filter((i) => i.entity === 'provider');
    expect(item).toMatchObject({ status: 'maintenance', enabled: true });
    expect((await catalog({ method: 'POST', resource: '/admin/v1/providers/{id}/enable', pathParameters: { id: 'acme' } })).body).toMatchObject({
      status: 'enabled',
    });
    const forbidden = await catalog({ method: 'POST', resource: '/admin/v1/providers/{id}/disable', pathParameters: { id: 'acme' }, role: 'operator' });
    expect(forbidden.status).toBe(403);
  });

  it("sets a provider's status words: shown in its record and the list, audited, and refused whole when a target is unknown", async () => {
    const patch = (body: unknown) => providers({ method: 'PATCH', resource: '/admin/v1/providers/{id}', pathParameters: { id: 'acme' }, body });
    const before = await table.allItems();
    for (const statusMapping of [
      { Fail: 'Refunded' },
      { Fail: 'canceled' },
      { 'On hold': 'Pending', on_hold: 'Pending' },
      { '': 'Pending' },
      ['Fail'],
      JSON.parse('{"__proto__":"Canceled"}'),
    ]) {
      const refused = await patch({ name: 'Renamed', statusMapping });
      expect(refused, JSON.stringify(statusMapping)).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    const tooMany = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`word ${i}`, 'Pending']));
    expect(await patch({ statusMapping: tooMany })).toMatchObject({ status: 400 });
    // A new provider with a mapping that cannot be read: refused before its key is stored anywhere.
    const refusedCreate = await providers({
      method: 'POST',
      resource: '/admin/v1/providers',
      body: { id: 'mapped', name: 'Mapped', apiUrl: upstream.url, apiKey: 'pk-mapped', statusMapping: { Fail: 'Canceled', FAIL: 'ambiguous' } },
    });
    expect(refusedCreate).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'statusMapping' } } });
    await expect(secrets.get('codex/local/providers/mapped')).rejects.toThrow();
    expect(await table.allItems()).toEqual(before);

    const set = await patch({ statusMapping: { Fail: 'Canceled', On_Hold: 'In progress', Refunding: 'ambiguous' } });
    expect(set).toMatchObject({ status: 200, body: { id: 'acme', statusMapping: { fail: 'Canceled', 'on hold': 'In progress', refunding: 'ambiguous' } } });
    const listed = await catalog({ method: 'GET', resource: '/admin/v1/providers', role: 'operator' });
    expect(listed.body.items[0]).toMatchObject({ id: 'acme', statusMapping: { fail: 'Canceled' } });
    const audits = (await auditOf('acme')).filter((a) => a.action === 'provider.updated');
    expect(audits.at(-1)).toMatchObject({ after: { statusMapping: { fail: 'Canceled', 'on hold': 'In progress', refunding: 'ambiguous' } } });

    const removed = await patch({ statusMapping: null });
    expect(removed.status).toBe(200);
    expect(removed.body.statusMapping).toBeUndefined();
    expect((await auditOf('acme')).filter((a) => a.action === 'provider.updated').at(-1)).toMatchObject({ before: { statusMapping: { fail: 'Canceled' } } });
    const [item] = (await table.allItems()).filter((i) => i.entity === 'provider');
    expect(item!.statusMapping).toBeUndefined();
  });

  it('sync: a dry run answers the diff and writes nothing; applying it imports the services with the markup; again, nothing to do', async () => {
    const body = { dryRun: true, markup: { kind: 'percent', value: '50', rounding: '0.01' }, categories: ['YouTube', 'tiktok'] };
    const before = await table.allItems();
    const dry = await providers({ method: 'POST', resource: '/admin/v1/providers/{id}/sync', pathParameters: { id: 'acme' }, body });
    expect(dry.status).toBe(200);
    const expected = DEMO_SERVICES.filter((s) => ['youtube', 'tiktok'].includes(s.category.toLowerCase()));
    expect(dry.body.added.map((s: { providerServiceId: string }) => s.providerServiceId)).toEqual(expected.map((s) => String(s.service)));
    expect(dry.body.added[0]).toMatchObject({ name: 'YouTube Views', cost: '0.50', rate: '0.75', margin: '0.25', enabled: true });
    expect(dry.body.added[0].id).toBeUndefined();
    expect(await table.allItems()).toHaveLength(before.length);

    const applied = await providers({
      method: 'POST',
      resource: '/admin/v1/providers/{id}/sync',
      pathParameters: { id: 'acme' },
      body: { ...body, dryRun: false },
    });
    expect(applied.body.added.map((s: { id: number }) => s.id)).toEqual(expected.map((_, i) => i + 1));
    const services = (await catalog({ method: 'GET', resource: '/admin/v1/services' })).body.items;
    expect(services).toHaveLength(expected.length);
    expect(services[0]).toMatchObject({ id: 1, providerId: 'acme', providerServiceId: '101', rate: '0.75', cost: '0.50' });
    expect((await auditOf('acme')).some((a) => a.action === 'provider.synced')).toBe(true);

    const again = await providers({ method: 'POST', resource: '/admin/v1/providers/{id}/sync', pathParameters: { id: 'acme' }, body });
    expect([again.body.added, again.body.changed, again.body.disappeared]).toEqual([[], [], []]);
  });
});

describe('services', () => {
  const newService = {
    name: 'Spotify Plays',
    category: 'Spotify',
    type: 'Default',
    rate: '1.50',
    min: 100,
    max: 50_000,
    refill: true,
    refillDays: 30,
    expectedMinutes: 120,
    providerId: 'acme',
    providerServiceId: '101',
    cost: '0.90',
  };

  it('creates a service with the next id, its margin, its first price in the history; a retried key answers the same one', async () => {
    const first = await catalog({ method: 'POST', resource: '/admin/v1/services', body: newService }, { 'idempotency-key': 'create-spotify-1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 3, rate: '1.50', cost: '0.90', margin: '0.60', enabled: true, refill: true, refillDays: 30, fallbacks: [] });
    const retry = await catalog({ method: 'POST', resource: '/admin/v1/services', body: newService }, { 'idempotency-key': 'create-spotify-1' });
    expect(retry).toMatchObject({ status: 200, body: { id: 3 } });
    expect((await catalog({ method: 'GET', resource: '/admin/v1/services' })).body.items).toHaveLength(3);
    expect(await auditOf('3')).toEqual([expect.objectContaining({ action: 'service.created', subjectType: 'service' })]);
  });

  it('records every change of rate or cost, with who and when, and nothing for other edits', async () => {
    await catalog({ method: 'PATCH', resource: '/admin/v1/services/{id}', pathParameters: { id: '3' }, body: { rate: '1.80' } });
    await catalog({ method: 'PATCH', resource: '/admin/v1/services/{id}', pathParameters: { id: '3' }, body: { description: 'Real plays' } });
    await catalog({ method: 'PATCH', resource: '/admin/v1/services/{id}', pathParameters: { id: '3' }, body: { cost: '1.00' } });
    // The same change again changes nothing and writes nothing.
    await catalog({ method: 'PATCH', resource: '/admin/v1/services/{id}', pathParameters: { id: '3' }, body: { cost: '1.00' } });
    const history = await catalog({ method: 'GET', resource: '/admin/v1/services/{id}/price-history', pathParameters: { id: '3' }, role: 'operator' });
    expect(history.body.items).toEqual([
      expect.objectContaining({
        by: 'admin-sub-1',
        byEmail: 'admin@codex.local',
        source: 'admin',
        before: { rate: '1.80', cost: '0.90' },
        after: { rate: '1.80', cost: '1.00' },
      }),
      expect.objectContaining({ before: { rate: '1.50', cost: '0.90' }, after: { rate: '1.80', cost: '0.90' } }),
      expect.objectContaining({ after: { rate: '1.50', cost: '0.90' } }),
    ]);
    const updates = (await auditOf('3')).filter((a) => a.action === 'service.updated');
    expect(updates).toHaveLength(3);
    expect(updates.find((a) => (a.after as { rate?: string }).rate === '1.80')).toMatchObject({
      before: { rate: '1.50', margin: '0.60' },
      after: { rate: '1.80', margin: '0.90' },
    });
  });

  it('disables and enables, adds ordered fallbacks, and refuses what cannot be ordered', async () => {
    expect((await catalog({ method: 'POST', resource: '/admin/v1/services/{id}/disable', pathParameters: { id: '3' } })).body).toMatchObject({
      enabled: false,
    });
    expect((await catalog({ method: 'POST', resource: '/admin/v1/services/{id}/enable', pathParameters: { id: '3' } })).body).toMatchObject({ enabled: true });
    await providers({
      method: 'POST',
      resource: '/admin/v1/providers',
      body: { id: 'backup', name: 'Backup', apiUrl: upstream.url, apiKey: 'backup-key-123' },
    });
    const withFallback = await catalog({
      method: 'PATCH',
      resource: '/admin/v1/services/{id}',
      pathParameters: { id: '3' },
      body: { fallbacks: [{ providerId: 'backup', providerServiceId: '9', cost: '1.10' }] },
    });
    expect(withFallback.body.fallbacks).toEqual([{ providerId: 'backup', providerServiceId: '9', cost: '1.10' }]);

    const unknown = await catalog({
      method: 'PATCH',
      resource: '/admin/v1/services/{id}',
      pathParameters: { id: '3' },
      body: { fallbacks: [{ providerId: 'nobody', providerServiceId: '1' }] },
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_provider', field: 'fallbacks.0.providerId' } } });
    const range = await catalog({ method: 'PATCH', resource: '/admin/v1/services/{id}', pathParameters: { id: '3' }, body: { min: 60_000 } });
    expect(range).toMatchObject({ status: 400, body: { error: { field: 'max' } } });
    expect((await catalog({ method: 'GET', resource: '/admin/v1/services/{id}/price-history', pathParameters: { id: '999' } })).status).toBe(404);
    expect((await catalog({ method: 'POST', resource: '/admin/v1/services', body: newService, role: 'operator' })).status).toBe(403);
  });

  it('never shows a provider key in any answer or log line', () => {
    expect(answers.length).toBeGreaterThan(15);
    for (const text of [...answers, ...logLines]) {
      expect(text).not.toContain(PROVIDER_KEY);
      expect(text).not.toContain(ROTATED_KEY);
      expect(text).not.toContain('backup-key-123');
    }
  });
});
