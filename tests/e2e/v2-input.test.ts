// Hostile and malformed input over HTTP against the local stack: field names that are Object.prototype names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;
let key: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 500 });
  key = (await stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { label: 'input test', limits: { requestsPerMinute: 10_000 } })).key;
});

afterAll(async () => {
  await stack?.stop();
});

/** A form post, answered as raw text: JSON.parse would hide how `__proto__` was written. */
async function post(fields: [string, string][]): Promise<string> {
  const response = await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams(fields) });
  expect(response.status).toBe(200);
  return response.text();
}

describe('field names that are Object.prototype names', () => {
  it('key a many-order status like any other id', async () => {
    expect(await post([['key', key], ['action', 'status'], ['orders', '__proto__']])).toBe('{"__proto__":{"error":"Incorrect order ID"}}');
    expect(await post([['key', key], ['action', 'status'], ['orders', 'constructor']])).toBe('{"constructor":{"error":"Incorrect order ID"}}');

    const { order } = JSON.parse(await post([['key', key], ['action', 'add'], ['service', '1'], ['link', 'https://youtube.com/watch?v=proto'], ['quantity', '100']]));
    const answer = JSON.parse(await post([['key', key], ['action', 'status'], ['orders', `constructor,__proto__,toString,${order}`]]));
    // JSON.parse keeps `__proto__` as an own key, so every id sent is there.
    expect(Object.keys(answer).sort()).toEqual(['__proto__', 'constructor', 'toString', String(order)].sort());
    expect(Object.getOwnPropertyDescriptor(answer, '__proto__')!.value).toEqual({ error: 'Incorrect order ID' });
    expect(answer[String(order)]).toMatchObject({ charge: '0.09000', currency: 'USD' });
  });

  it('sent as fields of an order, change nothing about it', async () => {
    const before = JSON.parse(await post([['key', key], ['action', 'balance']])).balance;
    const sent = await post([
      ['key', key], ['action', 'add'], ['service', '1'], ['link', 'https://youtube.com/watch?v=proto2'], ['quantity', '100'],
      ['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z'], ['hasOwnProperty', '1'],
    ]);
    const { order } = JSON.parse(sent);
    expect(order).toEqual(expect.any(Number));
    const stored = await stack.deps.orders.getOrder(order);
    expect(stored).toMatchObject({ link: 'https://youtube.com/watch?v=proto2', quantity: 100 });
    expect(stored!.providerFields).toBeUndefined();
    const after = JSON.parse(await post([['key', key], ['action', 'balance']])).balance;
    expect(Math.round((Number(before) - Number(after)) * 1e6)).toBe(90_000);
  });
});
