// Every admin GET route that takes a cursor or a date range, called as API Gateway calls it (adminEvent) on DynamoDB
// Local with input a person could type or tamper with: impossible dates, a range upside down, cursors that are not
// ones the list gave. Each must answer a 4xx JSON error, never a 500 (a date maths RangeError, a DynamoDB
// ValidationException for a bad start key or an inverted BETWEEN).
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES } from '../../lambdas/functions.js';
import { ADMIN_OPERATIONS } from '../../lambdas/rest/admin/contract/index.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { adminEvent } from '../support/admin-event.js';
import { type TestTable, createTestTable, fundedWallet } from '../support/dynamo-table.js';

const saved = { ...process.env };

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, AWS_REGION: 'us-east-1' });
  usePlatform({});
});

afterAll(() => {
  process.env = saved;
  usePlatform({});
});

const fieldsOf = (op: (typeof ADMIN_OPERATIONS)[number]): string[] =>
  Object.keys((op.query as unknown as { _zod: { def: { shape: Record<string, unknown> } } } | undefined)?._zod.def.shape ?? {});

const ranged = ADMIN_OPERATIONS.filter((op) => op.method === 'GET' && fieldsOf(op).some((f) => ['cursor', 'from', 'to'].includes(f)));

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const BAD_CURSORS = [
  'nonsense!',
  encode(null),
  encode([1]),
  encode({ d: '2026-13-01' }),
  encode({ d: '2026-02-30' }),
  encode({ d: '2026-12-01', k: { pk: 1 } }),
  encode({ d: '2026-12-01', k: { listPk: 'LEDGERDAY#2026-12-01', listSk: 'x', pk: 'x', sk: 'x', extra: 'x' } }),
  encode({ d: '2026-12-01', k: '2026-13-01T00:00:00.000Z#000000000001' }),
  encode({ d: '2026-12-01', k: '2026-11-02T00:00:00.000Z#000000000001' }),
  encode({ pk: 'x', sk: 'x', listPk: 'USERS', listSk: 'a', extra: 'x' }),
  // A day after the range's top (today at the latest).
  encode({ d: '2099-12-01' }),
];

async function call(op: (typeof ADMIN_OPERATIONS)[number], query: Record<string, string>) {
  const route = ROUTES.find((r) => r.path === op.path && r.methods.includes('GET'))!;
  const { handler } = (await import(/* @vite-ignore */ `../../${FUNCTIONS[route.function].entry}`)) as {
    handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  };
  const pathParameters = Object.fromEntries([...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, '1']));
  const result = await handler(adminEvent({ method: 'GET', resource: op.path, pathParameters, query }));
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

describe('admin GET routes with a cursor or a date range', () => {
  it('covers the lists', () => {
    expect(ranged.map((op) => op.path)).toEqual(expect.arrayContaining(['/admin/v1/orders', '/admin/v1/ledger', '/admin/v1/audit', '/admin/v1/users']));
  });

  it('still follows the cursors the lists give (ledger by day, and one wallet)', async () => {
    await fundedWallet(table, 'cursor-a', '1.00');
    await fundedWallet(table, 'cursor-b', '2.00');
    const today = new Date().toISOString().slice(0, 10);
    const ledger = ADMIN_OPERATIONS.find((op) => op.path === '/admin/v1/ledger')!;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(ledger, { from: today, to: today, limit: '1', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: { walletId: string }) => e.walletId));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(['cursor-a', 'cursor-b']));
  });

  for (const op of ranged) {
    const fields = fieldsOf(op);
    // The range a route requires (the finance routes), else none.
    const base: Record<string, string> = fields.includes('from') ? { from: '2026-11-01', to: '2026-12-01' } : {};

    it.runIf(fields.includes('cursor'))(`${op.path}: refuses cursors it did not give with a 4xx JSON error`, async () => {
      for (const cursor of BAD_CURSORS) {
        const { status, body } = await call(op, { ...base, cursor });
        expect({ cursor, status }).toEqual({ cursor, status: 400 });
        expect(body.error).toMatchObject({ code: 'invalid_request' });
      }
    });

    it.runIf(fields.includes('from'))(`${op.path}: refuses impossible dates and a range upside down with a 4xx JSON error`, async () => {
      const queries = [
        { ...base, from: '2026-13-01' },
        { ...base, from: '2026-02-30' },
        { ...base, to: '2026-12-32' },
        { ...base, from: '2026-12-02', to: '2026-12-01' },
        { ...base, from: '2026-12-01T10:00:00.000Z', to: '2026-12-01T09:00:00.000Z' },
      ];
      for (const query of queries) {
        const { status, body } = await call(op, query);
        expect({ query, status }).toEqual({ query, status: 400 });
        expect(body.error.code).toBe('invalid_request');
      }
    });
  }
});
