// Fallback providers at submission, on DynamoDB Local with scripted providers: a definite refusal or a provider that
// takes no new orders sends the order to the service's next provider; an unclear failure never does (that order
// may exist upstream). The order records where it went, and its open-orders entry follows it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Provider, ProviderStatus } from '../../lambdas/catalog/domain/catalog.js';
import { ProviderOutcomeUnknown, ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import { finalizeOrder, ProviderUnavailable, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { balanceAndLedger, createTestTable, fundedWallet, orderServicesOn, TEST_SERVICE, type TestTable } from '../support/dynamo-table.js';
import { ScriptedProvider } from '../support/scripted-provider.js';

const provider = (id: string, status: ProviderStatus = 'enabled'): Provider => ({
  id,
  name: id,
  apiUrl: 'http://127.0.0.1:1/api/v2',
  keySecretId: `k-${id}`,
  timeoutMs: 1000,
  acceptsRequestId: true,
  enabled: status !== 'disabled',
  status,
});

let table: TestTable;
let env: ReturnType<typeof orderServicesOn>;
const upstream: Record<string, ScriptedProvider> = {};

beforeAll(async () => {
  table = await createTestTable();
  for (const id of ['first', 'second', 'third']) {
    upstream[id] = new ScriptedProvider();
    await table.catalog.putProvider(provider(id));
  }
  env = orderServicesOn(table, { forProvider: async (p) => upstream[p.id]! });
  await table.catalog.putService({
    ...TEST_SERVICE,
    providerId: 'first',
    providerServiceId: 'f-1',
    costPer1000: parseMoney('0.50'),
    fallbacks: [
      { providerId: 'second', providerServiceId: 's-2', costPer1000: parseMoney('0.60') },
      { providerId: 'third', providerServiceId: 't-3' },
    ],
  });
  await fundedWallet(table, 'w', '100.00');
});

const setStatus = (id: string, status: ProviderStatus) => table.catalog.putProvider(provider(id, status));
const newOrder = async () =>
  (await placeOrder(env.services, { ownerId: 'owner-w', walletId: 'w', serviceId: 1, link: 'https://youtube.com/watch?v=fb', quantity: 1000 })).order;
const openAt = async (providerId: string) => (await table.orders.listOpenOrders(providerId)).orders.map((o) => o.id);

describe('fallback providers at submission', () => {
  it('sends the order to the next provider when the first refuses it outright, and records where it went', async () => {
    const order = await newOrder();
    upstream.first!.placeScript.push(new ProviderRejected('Not enough funds on balance'));
    upstream.second!.placeScript.push('s-order-1');

    expect(await submitOrder(env.services, order.id)).toBe('submitted');

    expect(upstream.second!.placed).toEqual([expect.objectContaining({ providerServiceId: 's-2', requestId: `codex-${order.id}` })]);
    const stored = await table.orders.getOrder(order.id);
    expect(stored).toMatchObject({ providerId: 'second', providerServiceId: 's-2', externalOrderId: 's-order-1', phase: 'submitted' });
    expect(stored!.reassignments).toEqual([{ from: 'first', to: 'second', reason: 'Not enough funds on balance', at: expect.any(String) }]);
    expect(await openAt('second')).toContain(order.id);
    expect(await openAt('first')).not.toContain(order.id);
  });

  it('never falls back after an unclear failure: the first provider may have the order', async () => {
    const order = await newOrder();
    const calls = upstream.second!.placed.length;
    upstream.first!.placeScript.push(new ProviderOutcomeUnknown('timeout'));

    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);

    expect(upstream.second!.placed.length).toBe(calls);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ providerId: 'first', providerServiceId: 'f-1', submitInFlight: true });
  });

  it('skips a provider in maintenance or disabled without calling it', async () => {
    await setStatus('first', 'maintenance');
    await setStatus('second', 'disabled');
    try {
      const order = await newOrder();
      const firstCalls = upstream.first!.placed.length;
      upstream.third!.placeScript.push('t-order-1');

      expect(await submitOrder(env.services, order.id)).toBe('submitted');

      expect(upstream.first!.placed.length).toBe(firstCalls);
      expect(await table.orders.getOrder(order.id)).toMatchObject({ providerId: 'third', providerServiceId: 't-3', externalOrderId: 't-order-1' });
    } finally {
      await setStatus('first', 'enabled');
      await setStatus('second', 'enabled');
    }
  });

  it('waits (retries) while the only provider left is in maintenance, and refuses when it is disabled', async () => {
    await setStatus('first', 'maintenance');
    await setStatus('second', 'disabled');
    await setStatus('third', 'disabled');
    try {
      const waiting = await newOrder();
      await expect(submitOrder(env.services, waiting.id)).rejects.toThrow(/Provider first is in maintenance/);
      await setStatus('first', 'disabled');
      expect(await submitOrder(env.services, waiting.id)).toBe('rejected');
      expect(await table.orders.getOrder(waiting.id)).toMatchObject({ providerId: 'first', rejectedReason: 'Provider first is disabled' });
    } finally {
      for (const id of ['first', 'second', 'third']) await setStatus(id, 'enabled');
    }
  });

  it('refunds the whole charge when every provider refuses, each asked once', async () => {
    const before = await balanceAndLedger(table, 'w');
    const order = await newOrder();
    const counts = Object.fromEntries(Object.entries(upstream).map(([id, p]) => [id, p.placed.length]));
    upstream.first!.placeScript.push(new ProviderRejected('Service disabled'));
    upstream.second!.placeScript.push(new ProviderRejected('Link is private'));
    upstream.third!.placeScript.push(new ProviderRejected('Link is private'));

    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    for (const [id, p] of Object.entries(upstream)) expect(p.placed.length, id).toBe(counts[id]! + 1);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ providerId: 'third', rejectedReason: 'Link is private' });

    expect(await finalizeOrder(env.services, order.id)).toMatchObject({ status: 'Canceled', refund: '0.90000' });
    const after = await balanceAndLedger(table, 'w');
    expect(after.balance).toBe(before.balance);
    expect(after.ledgerSum).toBe(after.balance);
  });

  it("carries the fallback's cost to the order, and drops the first provider's when the fallback has none", async () => {
    const toSecond = await newOrder();
    expect(toSecond.costPer1000).toBe(parseMoney('0.50'));
    upstream.first!.placeScript.push(new ProviderRejected('Not enough funds on balance'));
    upstream.second!.placeScript.push('s-order-cost');
    expect(await submitOrder(env.services, toSecond.id)).toBe('submitted');
    expect(await table.orders.getOrder(toSecond.id)).toMatchObject({ providerId: 'second', costPer1000: parseMoney('0.60') });

    const toThird = await newOrder();
    upstream.first!.placeScript.push(new ProviderRejected('Service disabled'));
    upstream.second!.placeScript.push(new ProviderRejected('Link is private'));
    upstream.third!.placeScript.push('t-order-cost');
    expect(await submitOrder(env.services, toThird.id)).toBe('submitted');
    const stored = await table.orders.getOrder(toThird.id);
    expect(stored).toMatchObject({ providerId: 'third', externalOrderId: 't-order-cost' });
    expect(stored!.costPer1000).toBeUndefined();
  });

  it('holds an order refused after an unclear attempt: that attempt may have created it, so no fallback and no refusal', async () => {
    const order = await newOrder();
    const secondCalls = upstream.second!.placed.length;
    upstream.first!.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    upstream.first!.placeScript.push(new ProviderRejected('Not enough funds on balance'));

    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);

    expect(upstream.second!.placed.length).toBe(secondCalls);
    const stored = await table.orders.getOrder(order.id);
    expect(stored).toMatchObject({ providerId: 'first', phase: 'accepted', submitInFlight: true });
    expect(stored!.rejectedReason).toBeUndefined();
    expect(stored!.reassignments).toBeUndefined();
  });

  it("never records a provider's order id on an order that has moved to another provider meanwhile", async () => {
    const order = await newOrder();
    const now = new Date().toISOString();
    await table.orders.reassignProvider(order.id, 'first', { providerId: 'second', providerServiceId: 's-2' }, 'moved by hand', now, false);

    expect(await table.orders.recordSubmitted({ id: order.id, providerId: 'first' }, 'late-first-id', now)).toBeUndefined();

    const stored = await table.orders.getOrder(order.id);
    expect(stored).toMatchObject({ providerId: 'second', phase: 'accepted' });
    expect(stored!.externalOrderId).toBeUndefined();
  });
});
