// The workflow steps and the poller on DynamoDB Local, with a scripted provider in place of HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import {
  MAX_RESUBMIT_ROUNDS,
  ProviderUnavailable,
  awaitOutcome,
  finalizeOrder,
  giveUpSubmission,
  submitAndAwait,
  submitOrder,
} from '../../lambdas/orders/application/order-workflow-steps.js';
import { pollAllProviders } from '../../lambdas/orders/application/poll-providers.js';
import { sweepOpenOrders } from '../../lambdas/orders/application/sweep-orders.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import type { OrderCallEntry } from '../../lambdas/orders/ports.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { testProvider } from '../support/test-provider.js';

const provider = testProvider;

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;

beforeAll(async () => {
  table = await createTestTable();
  upstream = new ScriptedProvider();
  env = orderServicesOn(table, { forProvider: async () => upstream });
  await table.catalog.putProvider(provider());
  await table.catalog.putService(TEST_SERVICE);
  await fundedWallet(table, 'w', '1000.00');
});

const newOrder = (link = 'https://youtube.com/watch?v=abc') =>
  placeOrder(env.services, { ownerId: 'owner-w', walletId: 'w', serviceId: 1, link, quantity: 1000 }).then((placed) => placed.order);

describe('submitting an order', () => {
  it('sends it once with a request id and records the provider order id', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-100');
    expect(await submitOrder(env.services, order.id)).toBe('submitted');
    expect(await submitOrder(env.services, order.id)).toBe('submitted');
    expect(upstream.placed.filter((p) => p.requestId === `codex-${order.id}`)).toHaveLength(1);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ phase: 'submitted', externalOrderId: 'p-100' });
  });

  it('records a refusal so the order is refunded, and does not ask again', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderRejected('Link is private'));
    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    const calls = upstream.placed.length;
    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    expect(upstream.placed.length).toBe(calls);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ rejectedReason: 'Link is private', phase: 'accepted' });
  });

  it('asks the workflow to retry when the provider was not reached, and then succeeds', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderNotReached('ECONNREFUSED'), 'p-200');
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect((await table.orders.getOrder(order.id))!.submitInFlight).toBeUndefined();
    expect(await submitOrder(env.services, order.id)).toBe('submitted');
  });

  it('resends after an unclear failure only to a provider that honours request_id', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'), 'p-300');
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect((await table.orders.getOrder(order.id))!.submitInFlight).toBe(true);
    expect(await submitOrder(env.services, order.id)).toBe('submitted');
    expect((await table.orders.getOrder(order.id))!.submitInFlight).toBeUndefined();
    const sent = upstream.placed.filter((p) => p.requestId === `codex-${order.id}`);
    expect(sent).toHaveLength(2);
  });

  it('never resends after an unclear failure to a provider without request_id: the order waits for a person', async () => {
    await table.catalog.putProvider(provider({ acceptsRequestId: false }));
    try {
      const order = await newOrder();
      upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
      expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
      expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
      expect(await giveUpSubmission(env.services, order.id, 'ProviderUnavailable')).toBe('unconfirmed');
      expect(upstream.placed.filter((p) => p.requestId === `codex-${order.id}`)).toHaveLength(1);
      expect(await table.orders.getOrder(order.id)).toMatchObject({ phase: 'accepted', submitInFlight: true, refunded: 0 });
    } finally {
      await table.catalog.putProvider(provider());
    }
  });

  it('never refunds after an unclear failure: submits again later while request_id makes it safe, then holds for a person', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'), new ProviderNotReached('ECONNREFUSED'));
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    for (let round = 1; round <= MAX_RESUBMIT_ROUNDS; round++)
      expect(await giveUpSubmission(env.services, order.id, 'ProviderUnavailable')).toBe('retry_later');
    // Still the workflow's to submit (its last round): not held, so no admin resend beside it.
    expect((await table.orders.getOrder(order.id))!.heldAt).toBeUndefined();
    expect(await giveUpSubmission(env.services, order.id, 'ProviderUnavailable')).toBe('unconfirmed');
    expect(await table.orders.getOrder(order.id)).toMatchObject({ phase: 'accepted', refunded: 0, heldAt: expect.any(String) });
    // Held for a person: a rerun of the workflow calls the provider no more.
    const calls = upstream.placed.length;
    expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
    expect(upstream.placed.length).toBe(calls);
    expect((await table.orders.getOrder(order.id))!.rejectedReason).toBeUndefined();
  });

  it('gives up with a full refund when the provider was never reached', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderNotReached('ECONNREFUSED'));
    await expect(submitOrder(env.services, order.id)).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(await giveUpSubmission(env.services, order.id, 'ProviderUnavailable')).toBe('rejected');
    expect((await table.orders.getOrder(order.id))!.rejectedReason).toMatch(/Provider unavailable/);
  });
});

describe('waiting for the outcome', () => {
  it('parks the callback token beside the order, which stays small', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-400');
    await submitOrder(env.services, order.id);
    const token = `token-400-${'x'.repeat(1000)}`;
    expect(await awaitOutcome(env.services, order.id, token)).toBe('parked');
    expect(await table.tokens.getTaskToken(order.id)).toBe(token);
    const stored = (await table.allItems()).find((item) => item.entity === 'order' && item.id === order.id)!;
    expect(JSON.stringify(stored).length).toBeLessThan(1000);
  });

  it('resumes at once when the order is already finalized', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-450');
    await submitOrder(env.services, order.id);
    await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    await finalizeOrder(env.services, order.id);
    expect(await awaitOutcome(env.services, order.id, 'token-450')).toBe('resumed');
    expect(env.resumed.at(-1)).toMatchObject({ token: 'token-450', output: { status: 'finalized' } });
  });

  it('resumes at once when the order ended before the token was parked', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-500');
    await submitOrder(env.services, order.id);
    await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    expect(await awaitOutcome(env.services, order.id, 'token-500')).toBe('resumed');
    expect(env.resumed.at(-1)).toMatchObject({ token: 'token-500' });
  });
});

describe("submitting and waiting in one step (the workflow's first state)", () => {
  it('parks the token of a submitted order and leaves it to the poller', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-600');
    const resumedBefore = env.resumed.length;
    expect(await submitAndAwait(env.services, order.id, 'token-600')).toBe('submitted');
    expect(await table.tokens.getTaskToken(order.id)).toBe('token-600');
    expect(env.resumed).toHaveLength(resumedBefore);
  });

  it('resumes its own task when the provider refuses the order, so it is settled without waiting', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderRejected('Link is private'));
    expect(await submitAndAwait(env.services, order.id, 'token-650')).toBe('rejected');
    expect(env.resumed.at(-1)).toEqual({ token: 'token-650', output: { orderId: order.id, status: 'rejected' } });
  });

  it('lets the workflow retry when the provider was not reached, parking nothing', async () => {
    const order = await newOrder();
    upstream.placeScript.push(new ProviderNotReached('connection refused'));
    await expect(submitAndAwait(env.services, order.id, 'token-700')).rejects.toBeInstanceOf(ProviderUnavailable);
    expect(await table.tokens.getTaskToken(order.id)).toBeUndefined();
  });
});

describe('the batch poller', () => {
  it('asks for at most 100 orders per call, writes progress, and resumes the orders that ended', async () => {
    const fresh = await createTestTable();
    const scripted = new ScriptedProvider();
    const local = orderServicesOn(fresh, { forProvider: async () => scripted });
    await fresh.catalog.putProvider(provider());
    await fresh.catalog.putService(TEST_SERVICE);
    await fundedWallet(fresh, 'w', '1000.00');
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) {
      const { order } = await placeOrder(local.services, {
        ownerId: 'owner-w',
        walletId: 'w',
        serviceId: 1,
        link: `https://youtube.com/watch?v=${i}`,
        quantity: 1000,
      });
      await submitOrder(local.services, order.id);
      await awaitOutcome(local.services, order.id, `token-${order.id}`);
      ids.push(order.id);
    }
    const externalOf = async (id: number) => (await fresh.orders.getOrder(id))!.externalOrderId!;
    for (const [i, id] of ids.entries()) {
      const ext = await externalOf(id);
      if (i < 10) scripted.statuses.set(ext, { status: 'Completed', remains: 0, startCount: 5 });
      else if (i === 10) scripted.statuses.set(ext, new ProviderRejected('Incorrect order ID'));
      else scripted.statuses.set(ext, { status: 'In progress', remains: 600, startCount: 5 });
    }
    const [report] = await pollAllProviders(local.services);
    expect(report).toMatchObject({ polled: 250, statusCalls: 3, resumed: 10, updated: 249 });
    expect(report!.unknownToProvider).toHaveLength(1);
    expect(scripted.multiStatusCalls.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(local.resumed.map((r) => r.token).sort()).toEqual(
      ids
        .slice(0, 10)
        .map((id) => `token-${id}`)
        .sort(),
    );
    expect(await fresh.orders.getOrder(ids[20]!)).toMatchObject({ status: 'In progress', remains: 600, startCount: 5 });

    // Nothing changed since: a second tick writes nothing and resumes nothing.
    const [again] = await pollAllProviders(local.services);
    expect(again).toMatchObject({ updated: 0, resumed: 0 });
  });

  it("writes each status change it sees into the order's provider-call log (the admin API's status history), and nothing for a poll that changed nothing", async () => {
    const fresh = await createTestTable();
    const scripted = new ScriptedProvider();
    const local = orderServicesOn(fresh, { forProvider: async () => scripted });
    const logged: OrderCallEntry[] = [];
    const services = { ...local.services, statusLog: { record: async (entry: OrderCallEntry) => void logged.push(entry) } };
    await fresh.catalog.putProvider(provider());
    await fresh.catalog.putService(TEST_SERVICE);
    await fundedWallet(fresh, 'w', '10.00');
    const { order } = await placeOrder(services, { ownerId: 'owner-w', walletId: 'w', serviceId: 1, link: 'https://youtube.com/watch?v=log', quantity: 1000 });
    await submitOrder(services, order.id);
    await awaitOutcome(services, order.id, `token-${order.id}`);
    const ext = (await fresh.orders.getOrder(order.id))!.externalOrderId!;

    scripted.statuses.set(ext, { status: 'In progress', remains: 1000, startCount: 5 });
    await pollAllProviders(services);
    await pollAllProviders(services);
    scripted.statuses.set(ext, { status: 'Completed', remains: 0, startCount: 5 });
    await pollAllProviders(services);

    expect(logged.map(({ orderId, action, providerId, statusBefore, statusAfter }) => ({ orderId, action, providerId, statusBefore, statusAfter }))).toEqual([
      { orderId: order.id, action: 'status', providerId: 'demo', statusBefore: 'Pending', statusAfter: 'In progress' },
      { orderId: order.id, action: 'status', providerId: 'demo', statusBefore: 'In progress', statusAfter: 'Completed' },
    ]);
    expect(logged[0]!.request).toEqual({ via: 'poll', order: ext });
    expect(JSON.parse(logged[1]!.answer)).toMatchObject({ status: 'Completed', remains: 0 });
  });
});

describe('lost resumes and overlapping submissions', () => {
  it('keeps polling the batch when one resume fails, and the sweeper resumes the ended order later', async () => {
    const order = await newOrder();
    upstream.placeScript.push('p-lost');
    await submitOrder(env.services, order.id);
    await awaitOutcome(env.services, order.id, 'token-lost');
    upstream.statuses.set('p-lost', { status: 'Partial', remains: 100 });
    const failing = {
      ...env.services,
      workflow: {
        ...env.services.workflow,
        resume: async () => {
          throw new Error('throttled');
        },
      },
    };
    const reports = await pollAllProviders(failing);
    expect(reports[0]!.failedUpdates).toBe(1);
    const sweeping = { ...env.services, settings: { ...env.services.settings, sweepMinAgeMs: 0 } };
    env.resumed.length = 0;
    await sweepOpenOrders(sweeping);
    expect(env.resumed).toContainEqual({ token: 'token-lost', output: { orderId: order.id, status: 'Partial' } });
  });

  it('calls a provider without request_id once when two submit runs overlap', async () => {
    await table.catalog.putProvider(provider({ acceptsRequestId: false }));
    try {
      const order = await newOrder();
      upstream.placeScript.push('p-once');
      const outcomes = await Promise.all([submitOrder(env.services, order.id), submitOrder(env.services, order.id)]);
      expect(upstream.placed.filter((p) => p.requestId === `codex-${order.id}`)).toHaveLength(1);
      expect(outcomes).toContain('submitted');
    } finally {
      await table.catalog.putProvider(provider());
    }
  });
});

describe('the sweeper', () => {
  it('restarts the workflow of an accepted order whose start was lost', async () => {
    const order = await newOrder();
    env.started.length = 0;
    const result = await sweepOpenOrders(env.services);
    expect(result.started).toContain(order.id);
  });
});
