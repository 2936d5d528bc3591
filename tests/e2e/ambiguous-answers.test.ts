// Ambiguous provider answers through the whole local stack: the demo provider's `error` scenario answers `Error` once
// while the order goes on, its `failed` scenario ends answering `Fail`. The first must not be refunded; the second
// ends Canceled with one full refund once a later poll says `Fail` again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney } from '../../lambdas/shared/money.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 2 });
});

afterAll(async () => {
  await stack?.stop();
});

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

const finalized = (id: number) =>
  eventually(
    async () => {
      const order = await stack.deps.orders.getOrder(id);
      return order?.phase === 'finalized' ? order : undefined;
    },
    90_000,
    250,
  );

describe('ambiguous provider answers', () => {
  it('refunds nothing for an order whose provider answered Error once, and refunds a Fail in full once it is confirmed', async () => {
    const hiccup = Number((await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=amb&codex-test=error', quantity: '1000' })).order);
    const failed = Number((await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=amb&codex-test=failed', quantity: '1000' })).order);

    expect(await finalized(failed)).toMatchObject({ status: 'Canceled', refunded: parseMoney('0.90') });
    expect(await finalized(hiccup)).toMatchObject({ status: 'Completed', refunded: 0 });
    // Both answers were given (the Error once, the Fail at least twice) and heard.
    expect(stack.provider.ambiguousAnswers()).toBeGreaterThanOrEqual(3);
    expect(await v2({ action: 'status', orders: `${hiccup},${failed}` })).toMatchObject({
      [hiccup]: { status: 'Completed', remains: '0' },
      [failed]: { status: 'Canceled' },
    });
  });
});
