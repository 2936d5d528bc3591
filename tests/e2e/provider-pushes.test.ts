// The local demo provider configured to push: with the poller idle, its signed status callbacks alone carry orders
// placed through /api/v2 to their end, settled and refunded as the poller would have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../lambdas/shared/money.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  // The poller's first run would be an hour away: only the provider's callbacks can move the orders.
  stack = await startLocalStack({ port: 0, providerSpeed: 10, providerPushes: true, pollEveryMs: 3_600_000 });
});

afterAll(async () => {
  await stack?.stop();
});

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

describe('a demo provider that pushes', () => {
  it('completes one order and settles a partial one with its refund, with no polling', async () => {
    const completed = Number((await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=pushed', quantity: '1000' })).order);
    const partial = Number((await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=pushed&codex-test=partial', quantity: '1000' })).order);
    const finalized = (id: number) =>
      eventually(
        async () => {
          const order = await stack.deps.orders.getOrder(id);
          return order?.phase === 'finalized' ? order : undefined;
        },
        60_000,
        200,
      );
    expect(await finalized(completed)).toMatchObject({ status: 'Completed', refunded: 0 });
    // 30 % of 1,000 views at 0.90 per 1,000 not delivered.
    expect(await finalized(partial)).toMatchObject({ status: 'Partial', remains: 300, refunded: parseMoney('0.27') });
    expect(await v2({ action: 'status', order: String(partial) })).toMatchObject({ status: 'Partial', remains: '300' });
    expect(stack.provider.pushedBatches()).toBeGreaterThan(0);
    expect(stack.provider.calls.status ?? 0).toBe(0);
  });
});
