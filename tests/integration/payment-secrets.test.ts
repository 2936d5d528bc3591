// A Cryptomus secret that is not the JSON it should be: the gateway fails, and neither the client's answer nor any
// log line quotes the secret (JSON.parse's own message would: it names the text it could not read).
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCryptomusSecret } from '../../lambdas/payments/wiring.js';
import { decisionToContext, type V1Caller } from '../../lambdas/rest/v1/caller.js';
import { handler } from '../../lambdas/rest/v1/handlers/payments-handler.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { createTestTable } from '../support/dynamo-table.js';

const SECRET = 'sk_live_secret';
const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'PAYMENT_METHODS', 'CRYPTOMUS_SECRET_ID', 'PUBLIC_API_URL'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
const caller: V1Caller = { userId: 'u-secret', walletId: 'w-secret', role: 'customer', emailVerified: true, via: 'session', sessionId: 's-1' };
let logged: string[] = [];

beforeAll(async () => {
  const table = await createTestTable();
  await table.wallets.openWallet({ id: caller.walletId, ownerId: caller.userId, currency: 'USD' }, new Date().toISOString());
  for (const name of ['CODEX_CRYPTOMUS_MERCHANT', 'CODEX_CRYPTOMUS_PAYMENT_KEY']) delete process.env[name];
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    PAYMENT_METHODS: 'cryptomus',
    CRYPTOMUS_SECRET_ID: 'codex/cryptomus',
    PUBLIC_API_URL: 'https://api.codex.test',
  });
  usePlatform({ secrets: { get: async () => SECRET } });
  const keep = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
});

afterAll(() => {
  vi.restoreAllMocks();
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

async function call(method: string, resource: string, body: string, withCaller: boolean): Promise<{ status: number; body: string }> {
  const event = {
    httpMethod: method,
    resource,
    path: resource,
    headers: { host: 'api.codex.test', 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: randomUUID(),
      path: resource,
      identity: { sourceIp: '127.0.0.1' },
      ...(withCaller ? { authorizer: decisionToContext({ caller }) } : {}),
    },
  } as unknown as APIGatewayProxyEvent;
  const result = (await handler(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, body: result.body };
}

describe('a Cryptomus secret that is not JSON', () => {
  it('makes POST /top-ups answer 503 without quoting the secret, in the answer or in any log line', async () => {
    logged = [];
    const answer = await call('POST', '/api/v1/top-ups', JSON.stringify({ amount: '10.00', method: 'cryptomus' }), true);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body).error.code).toBe('payment_gateway_unavailable');
    expect(answer.body).not.toContain(SECRET);
    expect(logged.join('')).toContain('payment not created');
    expect(logged.join('')).not.toContain(SECRET);
  });

  it('is not quoted in the logs when a callback arrives either', async () => {
    logged = [];
    const answer = await call('POST', '/api/v1/payments/cryptomus/callback', JSON.stringify({ uuid: 'x', order_id: 'tu_1', sign: 'nope' }), false);
    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain(SECRET);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('')).not.toContain(SECRET);
  });

  it('is refused with a message naming the secret, not its text', () => {
    expect(() => parseCryptomusSecret('codex/cryptomus', SECRET)).toThrow('Secret codex/cryptomus is not JSON');
    expect(() => parseCryptomusSecret('codex/cryptomus', `"${SECRET}"`)).toThrow('Secret codex/cryptomus lacks merchant or paymentKey');
    expect(() => parseCryptomusSecret('codex/cryptomus', SECRET)).not.toThrow(SECRET);
    expect(parseCryptomusSecret('s', '{"merchant":"m","paymentKey":"k"}')).toEqual({ merchant: 'm', paymentKey: 'k' });
  });
});
