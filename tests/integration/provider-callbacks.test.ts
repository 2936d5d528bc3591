// Providers' pushed status callbacks on DynamoDB Local: a verified one moves and settles an order exactly as the
// poller does, once, whoever tells first; a forged one changes nothing.
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../lambdas/catalog/domain/catalog.js';
import { generateWebhookSecret } from '../../lambdas/notifications/domain/webhooks.js';
import { awaitOutcome, finalizeOrder, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { pollAllProviders } from '../../lambdas/orders/application/poll-providers.js';
import { type CallbackServices, type PushedStatus, receiveProviderCallback } from '../../lambdas/orders/application/provider-callbacks.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { InMemorySecretStore } from '../../local/secret-store.js';
import { putProviderOrderLookup } from '../../lambdas/adapters/dynamodb/provider-order-lookup.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { testProvider } from '../support/test-provider.js';

const SECRET = generateWebhookSecret();
const provider = testProvider({ callbackSecretId: 'codex/providers/demo/callback' });

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;
let services: CallbackServices;

beforeAll(async () => {
  table = await createTestTable();
  upstream = new ScriptedProvider();
  env = orderServicesOn(table, { forProvider: async () => upstream });
  services = { ...env.services, secrets: new InMemorySecretStore({ [provider.callbackSecretId!]: SECRET }) };
  await table.catalog.putProvider(provider);
  await table.catalog.putProvider({ ...provider, id: 'quiet', callbackSecretId: undefined } as Provider);
  await table.catalog.putService(TEST_SERVICE);
});

let nextMessage = 1;

/** A callback as a provider sends it: the body signed by the standardwebhooks library. */
function callback(body: Record<string, unknown>, options: { secret?: string; providerId?: string; at?: Date; id?: string } = {}) {
  const rawBody = JSON.stringify(body);
  const id = options.id ?? `msg_${nextMessage++}`;
  const at = options.at ?? new Date();
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? SECRET).sign(id, at, rawBody),
  };
  const batch = 'orders' in body;
  const statuses: PushedStatus[] = batch
    ? Object.entries(body.orders as Record<string, Record<string, unknown>>).map(([order, answer]) => ({ order, answer }))
    : [{ order: String(body.order), answer: body }];
  return { providerId: options.providerId ?? provider.id, rawBody, headers, statuses, batch };
}

/** A submitted order whose workflow waits on its token, as after the workflow's await step. */
async function submittedOrder(walletId: string, quantity = 1000) {
  await fundedWallet(table, walletId, '10.00');
  const { order } = await placeOrder(env.services, {
    ownerId: `owner-${walletId}`,
    walletId,
    serviceId: 1,
    link: `https://youtube.com/watch?v=${walletId}`,
    quantity,
  });
  upstream.placeScript.push(`p-${walletId}`);
  expect(await submitOrder(env.services, order.id)).toBe('submitted');
  await awaitOutcome(env.services, order.id, `token-${order.id}`);
  return { id: order.id, external: `p-${walletId}` };
}

/** What the workflow does once resumed. */
const settle = (orderId: number) => finalizeOrder(env.services, orderId);

describe('a verified callback', () => {
  it('makes the submitted order findable by the provider order id, in the same step that records it', async () => {
    const { id, external } = await submittedOrder('w-lookup');
    expect(await table.orders.findByProviderOrder('demo', external)).toBe(id);
    expect(await table.orders.findByProviderOrder('other', external)).toBeUndefined();
  });

  it('settles a Partial order and refunds the undelivered part once, though the callback is replayed and the poller hears the same', async () => {
    const { id, external } = await submittedOrder('w-partial');
    const partial = callback({ order: external, status: 'Partial', remains: '157', start_count: '100', charge: '0.76' });
    expect(await receiveProviderCallback(services, partial)).toEqual({ kind: 'applied', results: { [external]: 'updated' } });
    expect(env.resumed).toContainEqual({ token: `token-${id}`, output: { orderId: id, status: 'Partial' } });
    expect(await table.orders.getOrder(id)).toMatchObject({ status: 'Partial', remains: 157, startCount: 100, phase: 'submitted' });

    // The same news again, pushed and polled, before and after the workflow settles: nothing more moves.
    expect(await receiveProviderCallback(services, partial)).toEqual({ kind: 'applied', results: { [external]: 'unchanged' } });
    upstream.statuses.set(external, { status: 'Partial', remains: 157, startCount: 100 });
    const resumes = env.resumed.length;
    expect((await pollAllProviders(env.services))[0]).toMatchObject({ updated: 0, resumed: 0 });
    await settle(id);
    await settle(id);
    expect(await receiveProviderCallback(services, partial)).toEqual({ kind: 'applied', results: { [external]: 'unchanged' } });
    expect(env.resumed.length).toBe(resumes);

    expect(await table.orders.getOrder(id)).toMatchObject({ status: 'Partial', phase: 'finalized', refunded: parseMoney('0.1413') });
    const { balance, ledgerSum } = await balanceAndLedger(table, 'w-partial');
    expect(balance).toBe(ledgerSum);
    expect(balance).toBe(parseMoney('10.00') - parseMoney('0.90') + parseMoney('0.1413'));
    const refunds = (await table.wallets.listLedger('w-partial')).filter((e) => e.kind === 'order_refund');
    expect(refunds).toHaveLength(1);
  });

  it('moves an order exactly as the poller moves another one given the same answer', async () => {
    const byPoll = await submittedOrder('w-poll');
    const byPush = await submittedOrder('w-push');
    upstream.statuses.clear();
    upstream.statuses.set(byPoll.external, { status: 'In progress', remains: 400, startCount: 12 });
    await pollAllProviders(env.services);
    await receiveProviderCallback(services, callback({ order: byPush.external, status: 'in_progress', remains: 400, start_count: '12' }));
    const pick = ({ status, remains, startCount, phase, refunded }: Record<string, unknown>) => ({ status, remains, startCount, phase, refunded });
    expect(pick({ ...(await table.orders.getOrder(byPush.id)) })).toEqual(pick({ ...(await table.orders.getOrder(byPoll.id)) }));

    upstream.statuses.set(byPoll.external, { status: 'Completed', remains: 0 });
    await pollAllProviders(env.services);
    await receiveProviderCallback(services, callback({ order: byPush.external, status: 'Completed', remains: '0' }));
    await settle(byPoll.id);
    await settle(byPush.id);
    expect(pick({ ...(await table.orders.getOrder(byPush.id)) })).toEqual(pick({ ...(await table.orders.getOrder(byPoll.id)) }));
    expect(env.resumed.filter((r) => r.token === `token-${byPush.id}`)).toEqual([
      { token: `token-${byPush.id}`, output: { orderId: byPush.id, status: 'Completed' } },
    ]);
  });

  it('never reopens an ended order: a late In progress after Completed is not written', async () => {
    const { id, external } = await submittedOrder('w-late');
    await receiveProviderCallback(services, callback({ order: external, status: 'Completed', remains: '0' }));
    // A report read before the Completed one was written (the poller's, or a callback's) arrives after it.
    expect(await table.orders.recordProgress(id, { status: 'In progress', remains: 500 }, new Date().toISOString())).toBeUndefined();
    expect(await receiveProviderCallback(services, callback({ order: external, status: 'In progress', remains: '500' }))).toEqual({
      kind: 'applied',
      results: { [external]: 'unchanged' },
    });
    expect(await table.orders.getOrder(id)).toMatchObject({ status: 'Completed', remains: 0 });
  });

  it('takes a batch, telling which orders are not ours', async () => {
    const a = await submittedOrder('w-batch-a');
    const b = await submittedOrder('w-batch-b');
    const result = await receiveProviderCallback(
      services,
      callback({
        orders: { [a.external]: { status: 'In progress', remains: '10' }, [b.external]: { status: 'Canceled' }, 'p-nobody': { status: 'Completed' } },
      }),
    );
    expect(result).toEqual({ kind: 'applied', results: { [a.external]: 'updated', [b.external]: 'updated', 'p-nobody': 'unknown_order' } });
    expect(await table.orders.getOrder(b.id)).toMatchObject({ status: 'Canceled' });
  });

  it('answers unknown_order for a single order that is not ours, or is another provider’s', async () => {
    const { external } = await submittedOrder('w-other');
    expect(await receiveProviderCallback(services, callback({ order: 'p-nobody', status: 'Completed' }))).toEqual({ kind: 'unknown_order' });
    await table.catalog.putProvider({ ...provider, id: 'second' });
    const fromSecond = await receiveProviderCallback(services, callback({ order: external, status: 'Completed' }, { providerId: 'second' }));
    expect(fromSecond).toEqual({ kind: 'unknown_order' });
  });

  it('answers unchanged for an order whose provider id is being recorded at that moment (the lookup is written first)', async () => {
    await fundedWallet(table, 'w-early', '10.00');
    const { order } = await placeOrder(env.services, {
      ownerId: 'owner-w-early',
      walletId: 'w-early',
      serviceId: 1,
      link: 'https://youtube.com/watch?v=early',
      quantity: 1000,
    });
    await putProviderOrderLookup(table.db, table.tableName, 'demo', 'p-early', order.id);
    expect(await receiveProviderCallback(services, callback({ order: 'p-early', status: 'In progress' }))).toEqual({
      kind: 'applied',
      results: { 'p-early': 'unchanged' },
    });
    expect(await table.orders.getOrder(order.id)).toMatchObject({ phase: 'accepted', status: 'Pending' });
  });

  it('refuses a status it cannot read, or an error entry, before applying any of the batch', async () => {
    const { id, external } = await submittedOrder('w-garbled');
    const before = await table.orders.getOrder(id);
    expect(await receiveProviderCallback(services, callback({ orders: { [external]: { status: 'Completed' }, x: { status: 'Teleported' } } }))).toMatchObject({
      kind: 'invalid',
      field: 'orders.x.status',
    });
    expect(await receiveProviderCallback(services, callback({ order: external, error: 'Incorrect order ID' }))).toMatchObject({
      kind: 'invalid',
      field: 'error',
    });
    expect(await table.orders.getOrder(id)).toEqual(before);
  });
});

describe('a forged callback', () => {
  it('changes nothing: wrong secret, tampered body, stale timestamp, or no signature', async () => {
    const { external } = await submittedOrder('w-forged');
    const before = await table.allItems();
    const resumes = env.resumed.length;
    const completed = { order: external, status: 'Completed', remains: '0' };
    expect(await receiveProviderCallback(services, callback(completed, { secret: generateWebhookSecret() }))).toEqual({
      kind: 'refused',
      refusal: 'bad_signature',
    });
    const tampered = callback({ order: external, status: 'In progress', remains: '999' });
    expect(
      await receiveProviderCallback(services, { ...tampered, rawBody: JSON.stringify(completed), statuses: [{ order: external, answer: completed }] }),
    ).toEqual({
      kind: 'refused',
      refusal: 'bad_signature',
    });
    const stale = callback(completed, { at: new Date(Date.now() - 10 * 60_000) });
    expect(await receiveProviderCallback(services, stale)).toEqual({ kind: 'refused', refusal: 'stale' });
    expect(await receiveProviderCallback(services, { ...callback(completed), headers: {} })).toEqual({ kind: 'refused', refusal: 'missing_headers' });
    // Not even the order lookup is made for an unverified callback: the answer is the same for any order id.
    expect(await receiveProviderCallback(services, callback({ order: 'p-nobody', status: 'Completed' }, { secret: generateWebhookSecret() }))).toEqual({
      kind: 'refused',
      refusal: 'bad_signature',
    });
    expect(await table.allItems()).toEqual(before);
    expect(env.resumed.length).toBe(resumes);
  });

  it('is not accepted from a provider that does not push, or that does not exist', async () => {
    expect(await receiveProviderCallback(services, callback({ order: 'p-1', status: 'Completed' }, { providerId: 'quiet' }))).toEqual({ kind: 'not_accepted' });
    expect(await receiveProviderCallback(services, callback({ order: 'p-1', status: 'Completed' }, { providerId: 'nope' }))).toEqual({ kind: 'not_accepted' });
  });
});
