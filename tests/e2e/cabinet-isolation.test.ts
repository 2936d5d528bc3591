// Two real customers over HTTP, each signed in: neither sees nor touches anything of the other's. What belongs to
// someone else answers 404, exactly as what does not exist, so ids reveal nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

const v1 = v1Client(() => stack.v1Url);
const call = (method: string, path: string, token?: string, body?: unknown) =>
  v1(method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });

/** A verified, signed-in customer with 10.00 paid in through the demo gateway. */
async function customer(name: string): Promise<string> {
  const email = `${name}-${Date.now()}@example.com`;
  const password = 'correct horse 42';
  expect((await call('POST', '/auth/register', undefined, { email, password })).status).toBe(202);
  const [mail] = (await (await fetch(`${stack.outboxUrl}?to=${encodeURIComponent(email)}`)).json()) as { token: string }[];
  expect((await call('POST', '/auth/verify-email', undefined, { token: mail!.token })).status).toBe(200);
  const token: string = (await call('POST', '/auth/login', undefined, { email, password })).body.accessToken;
  const topUp = await call('POST', '/top-ups', token, { amount: '10.00', method: 'demo' });
  expect(topUp.status).toBe(201);
  await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST' });
  return token;
}

describe('two customers', () => {
  it("never see or change each other's orders, transactions, top-ups or keys: 404, as for what does not exist", async () => {
    const ann = await customer('ann');
    const bob = await customer('bob');

    const order = await call('POST', '/orders', ann, { service: 1, link: 'https://youtube.com/watch?v=ann', quantity: 1000 });
    expect(order.status).toBe(201);
    const key = await call('POST', '/api-keys', ann, { label: 'ann' });
    expect(key.status).toBe(201);
    const annTopUps = (await call('GET', '/top-ups', ann)).body.items as { id: string }[];
    expect(annTopUps).toHaveLength(1);

    for (const [method, path, body] of [
      ['GET', `/orders/${order.body.id}`],
      ['POST', `/orders/${order.body.id}/cancel`],
      ['POST', `/orders/${order.body.id}/refill`],
      ['GET', `/top-ups/${annTopUps[0]!.id}`],
      ['PATCH', `/api-keys/${key.body.id}`, { label: 'mine now' }],
      ['DELETE', `/api-keys/${key.body.id}`],
    ] as const) {
      const asBob = await call(method, path, bob, body);
      expect(asBob.status, `${method} ${path}`).toBe(404);
      expect(asBob.body.error.code, `${method} ${path}`).toMatch(/not_found|unknown_order/);
    }
    const missing = await call('GET', '/orders/999999999', bob);
    expect(missing.status).toBe(404);

    // Bob's lists hold only Bob's things.
    expect((await call('GET', '/orders', bob)).body.items).toEqual([]);
    expect((await call('GET', '/api-keys', bob)).body.items).toEqual([]);
    const bobTopUps = (await call('GET', '/top-ups', bob)).body.items as { id: string }[];
    expect(bobTopUps.map((t) => t.id)).not.toContain(annTopUps[0]!.id);
    const bobLedger = (await call('GET', '/transactions', bob)).body.items as { kind: string; reference: string }[];
    expect(bobLedger.map((e) => e.kind)).toEqual(['deposit']);
    expect(bobLedger.some((e) => e.reference === `order:${order.body.id}`)).toBe(false);

    // And Ann's things are as she left them.
    expect((await call('GET', `/orders/${order.body.id}`, ann)).status).toBe(200);
    const annKeys = await call('GET', '/api-keys', ann);
    expect(JSON.stringify(annKeys.body)).toContain('"label":"ann"');
    expect(JSON.stringify(annKeys.body)).toContain('"status":"active"');
  });
});
