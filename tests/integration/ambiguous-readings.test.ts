// Ambiguous provider answers on DynamoDB Local: `Error`, `Fail` and `Partial` without `remains` settle nothing on one
// reading; a later poll that says the same confirms them (once, whoever else is polling), a different one clears them,
// and a provider's own status words (its statusMapping) are read first.
import { beforeAll, describe, expect, it } from 'vitest';
import { orderPage } from '../../lambdas/admin/application/orders-admin.js';
import { DynamoAdminOrders } from '../../lambdas/adapters/dynamodb/admin-orders.js';
import { DynamoAttentionMarks } from '../../lambdas/adapters/dynamodb/attention-marks.js';
import { DynamoProviderHealthStore } from '../../lambdas/adapters/dynamodb/provider-health-store.js';
import { SmmV2ProviderClients } from '../../lambdas/adapters/provider/smm-v2-client.js';
import { readStatusAnswer } from '../../lambdas/catalog/domain/status-answer.js';
import { awaitOutcome, finalizeOrder, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { type PollServices, pollProvider } from '../../lambdas/orders/application/poll-providers.js';
import { applyStatusReport } from '../../lambdas/orders/application/status-reports.js';
import { formatMoney, parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { testProvider } from '../support/test-provider.js';

let now = Date.parse('2026-12-01T10:00:00.000Z');
const clock = { now: () => new Date(now) };
const later = (seconds: number) => {
  now += seconds * 1000;
};
const anomalyAlertAfterMs = 60 * 60_000;

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;
let poll: PollServices;
const provider = testProvider();

// The same cases on DynamoDB Local and on the in-memory engine the simulation runs on.
describe.each(['dynamodb-local', 'memory'] as const)('on %s', (engine) => {
  beforeAll(async () => {
    table = await createTestTable(engine);
    upstream = new ScriptedProvider();
    env = orderServicesOn(table, { forProvider: async () => upstream });
    env.services.clock = clock;
    env.services.settings = { ...env.services.settings, ambiguousConfirmMs: 30_000 };
    const marks = new DynamoAttentionMarks(table.db, table.tableName);
    const settings = { failureRate: 0.5, minCalls: 5, windowMinutes: 10, anomalyAlertAfterMs, defaultExpectedMinutes: 1440 };
    poll = {
      ...env.services,
      watch: { health: new DynamoProviderHealthStore(table.db, table.tableName), marks, events: { publish: async () => {} }, settings },
    };
    await table.catalog.putProvider(provider);
    await table.catalog.putService(TEST_SERVICE);
  });

  /** An order of 1,000 units (0.90 charged) from its own funded wallet, at the provider under `ext`, its workflow parked. */
  async function orderAt(ext: string): Promise<{ id: number; walletId: string }> {
    const walletId = `w-${ext}`;
    await fundedWallet(table, walletId, '10.00');
    const { order } = await placeOrder(env.services, {
      ownerId: `owner-${walletId}`,
      walletId,
      serviceId: 1,
      link: `https://youtube.com/watch?v=${ext}`,
      quantity: 1000,
    });
    upstream.placeScript.push(ext);
    await submitOrder(env.services, order.id);
    await awaitOutcome(env.services, order.id, `token-${order.id}`);
    return { id: order.id, walletId };
  }

  /** The provider answers this (as a panel sends it) about `ext` from now on. */
  const answers = (ext: string, answer: Record<string, unknown>) => upstream.statuses.set(ext, readStatusAnswer(answer));
  const resumesOf = (id: number) => env.resumed.filter((r) => r.token === `token-${id}`);
  const balanceOf = async (walletId: string) => formatMoney((await table.wallets.getWallet(walletId))!.balance);

  describe('an Error or Fail from the provider', () => {
    it('refunds nothing on one Error, and an In progress after it clears it', async () => {
      const { id, walletId } = await orderAt('err-1');
      answers('err-1', { status: 'Error' });
      const heldBefore = env.metrics.sum('ProviderAmbiguousReadings', { provider: 'demo' });
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 1, resumed: 0 });
      expect(env.metrics.sum('ProviderAmbiguousReadings', { provider: 'demo' })).toBe(heldBefore + 1);
      expect(await table.orders.getOrder(id)).toMatchObject({ phase: 'submitted', status: 'Pending' });
      expect(await table.readings.get('demo', id)).toMatchObject({ status: 'Canceled' });

      later(60);
      answers('err-1', { status: 'In progress', remains: '1000', start_count: '5' });
      await pollProvider(poll, provider);
      expect(await table.readings.get('demo', id)).toBeUndefined();

      // An Error again starts a new wait: the one before was contradicted, so it confirms nothing.
      later(60);
      answers('err-1', { status: 'Error' });
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 1, resumed: 0 });
      later(10);
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 0, resumed: 0, updated: 0 });
      later(60);
      answers('err-1', { status: 'In progress', remains: '400' });
      await pollProvider(poll, provider);

      expect(resumesOf(id)).toEqual([]);
      expect(await table.orders.getOrder(id)).toMatchObject({ phase: 'submitted', status: 'In progress', refunded: 0 });
      expect(await balanceOf(walletId)).toBe('9.10000');
    });

    it('refunds in full, once, when a later poll says Fail again, however many polls run at that moment', async () => {
      const { id, walletId } = await orderAt('fail-2');
      answers('fail-2', { status: 'Fail' });
      await pollProvider(poll, provider);
      expect(resumesOf(id)).toEqual([]);

      later(60);
      const reports = await Promise.all([pollProvider(poll, provider), pollProvider(poll, provider), pollProvider(poll, provider)]);
      expect(reports.reduce((sum, r) => sum + r.resumed, 0)).toBe(1);
      expect(resumesOf(id)).toEqual([{ token: `token-${id}`, output: { orderId: id, status: 'Canceled' } }]);
      await Promise.all([finalizeOrder(env.services, id), finalizeOrder(env.services, id)]);

      later(60);
      await pollProvider(poll, provider);
      expect(await table.orders.getOrder(id)).toMatchObject({ phase: 'finalized', status: 'Canceled', refunded: parseMoney('0.90') });
      expect(await table.readings.get('demo', id)).toBeUndefined();
      const { balance, ledgerSum, entries } = await balanceAndLedger(table, walletId);
      expect(formatMoney(balance)).toBe('10.00000');
      expect(ledgerSum).toBe(balance);
      expect(entries).toBe(3);
    });

    it('follows the same rule for a pushed status: one push of Fail settles nothing, a second one later does', async () => {
      const { id } = await orderAt('push-3');
      const pushed = async (answer: Record<string, unknown>) =>
        applyStatusReport(env.services, (await table.orders.getOrder(id))!, readStatusAnswer(answer), clock.now(), { via: 'callback', providerId: 'demo' });
      expect(await pushed({ status: 'Fail' })).toBe('held');
      later(5);
      expect(await pushed({ status: 'Fail' })).toBe('unchanged');
      later(5);
      expect(await pushed({ status: 'In progress' })).toBe('updated');
      later(60);
      expect(await pushed({ status: 'Fail' })).toBe('held');
      later(40);
      expect(await pushed({ status: 'failed' })).toBe('resumed');
      expect(resumesOf(id)).toEqual([{ token: `token-${id}`, output: { orderId: id, status: 'Canceled' } }]);
    });
    it('clears an Error a callback kept while a poll was under way, when that poll reads a definite status', async () => {
      const { id, walletId } = await orderAt('race-8');
      const pushed = async (answer: Record<string, unknown>) =>
        applyStatusReport(env.services, (await table.orders.getOrder(id))!, readStatusAnswer(answer), clock.now(), { via: 'callback', providerId: 'demo' });
      // The poll's run has read the provider's (no) pending readings; the callback's Error lands before its status call.
      const racing = Object.assign(Object.create(upstream) as ScriptedProvider, {
        multiStatus: async (ids: string[]) => {
          expect(await pushed({ status: 'Error' })).toBe('held');
          later(5);
          return upstream.multiStatus(ids);
        },
      });
      answers('race-8', { status: 'In progress', remains: '1000' });
      await pollProvider({ ...poll, providers: { forProvider: async () => racing } }, provider);
      expect(await table.readings.get('demo', id)).toBeUndefined();

      // An Error later starts a new wait: nothing settles on it.
      later(30);
      expect(await pushed({ status: 'Error' })).toBe('held');
      expect(resumesOf(id)).toEqual([]);
      expect(await table.orders.getOrder(id)).toMatchObject({ phase: 'submitted', status: 'In progress', refunded: 0 });
      expect(await balanceOf(walletId)).toBe('9.10000');
    });
  });

  describe('a Partial without remains', () => {
    it('is not settled on one reading nor on a second: it waits for a person, and settles once the provider sends remains', async () => {
      const { id, walletId } = await orderAt('part-4');
      answers('part-4', { status: 'Partial' });
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 1, resumed: 0 });
      later(60);
      expect(await pollProvider(poll, provider)).toMatchObject({ resumed: 0, alerts: 1 });
      const order = await table.orders.getOrder(id);
      expect(order).toMatchObject({ phase: 'submitted', status: 'Pending', attention: { ambiguous_status: expect.any(String) } });
      expect(await table.readings.get('demo', id)).toMatchObject({ status: 'Partial', confirmedAt: expect.any(String), alertedAt: expect.any(String) });
      // The person it waits for sees why on the order's page.
      const page = await orderPage({ admin: new DynamoAdminOrders(table.db, table.tableName) }, id);
      expect(page!.pendingReading).toMatchObject({ status: 'Partial', firstSeenAt: expect.any(String), confirmedAt: expect.any(String) });
      expect(page!.pendingReading!.remains).toBeUndefined();
      later(60);
      expect(await pollProvider(poll, provider)).toMatchObject({ resumed: 0, held: 0, updated: 0 });
      expect(resumesOf(id)).toEqual([]);

      later(600);
      answers('part-4', { status: 'Partial', remains: '300' });
      expect(await pollProvider(poll, provider)).toMatchObject({ resumed: 1 });
      await finalizeOrder(env.services, id);
      // 300 of 1,000 units at 0.90 per 1,000 come back.
      expect(await table.orders.getOrder(id)).toMatchObject({ status: 'Partial', remains: 300, refunded: parseMoney('0.27') });
      expect((await orderPage({ admin: new DynamoAdminOrders(table.db, table.tableName) }, id))!.pendingReading).toBeUndefined();
      expect(await balanceOf(walletId)).toBe('9.37000');
    });

    it('marks an Error nobody confirmed for a person once it has waited the anomaly time', async () => {
      const { id } = await orderAt('err-5');
      answers('err-5', { status: 'Error' });
      await pollProvider(poll, provider);
      upstream.statuses.delete('err-5');
      // The provider no longer answers about it (an error per id): nothing confirms or clears the reading.
      later(anomalyAlertAfterMs / 1000 - 1);
      await pollProvider(poll, provider);
      expect((await table.orders.getOrder(id))!.attention?.ambiguous_status).toBeUndefined();
      later(1);
      await pollProvider(poll, provider);
      expect((await table.orders.getOrder(id))!.attention?.ambiguous_status).toBeDefined();
      expect(resumesOf(id)).toEqual([]);
    });
    it('marks nobody when the poll that would have alerted on an old Error reads a definite status instead', async () => {
      const { id } = await orderAt('quiet-9');
      answers('quiet-9', { status: 'In progress', remains: '1000' });
      await pollProvider(poll, provider);
      answers('quiet-9', { status: 'Error' });
      later(60);
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 1 });
      upstream.statuses.delete('quiet-9');
      later(anomalyAlertAfterMs / 1000 - 1);
      await pollProvider(poll, provider);
      // An hour after the Error the provider answers as before: nothing new to write, and nothing is pending any more.
      later(1);
      answers('quiet-9', { status: 'In progress', remains: '1000' });
      expect(await pollProvider(poll, provider)).toMatchObject({ updated: 0, alerts: 0 });
      expect(await table.readings.get('demo', id)).toBeUndefined();
      expect((await table.orders.getOrder(id))!.attention?.ambiguous_status).toBeUndefined();
    });
    it('marks an order whose provider alternates Error and Partial without remains once the first has waited the anomaly time', async () => {
      const { id } = await orderAt('flip-10');
      const step = anomalyAlertAfterMs / 3000;
      for (const status of ['Error', 'Partial', 'Error']) {
        answers('flip-10', { status });
        expect(await pollProvider(poll, provider)).toMatchObject({ held: 1, resumed: 0 });
        later(step);
      }
      answers('flip-10', { status: 'Partial' });
      expect(await pollProvider(poll, provider)).toMatchObject({ held: 1, resumed: 0, alerts: 1 });
      expect((await table.orders.getOrder(id))!.attention?.ambiguous_status).toBeDefined();
      expect(resumesOf(id)).toEqual([]);
    });
  });

  describe("a provider's status mapping", () => {
    /** The real client over a stub of the provider's HTTP API answering `status` for one order. */
    const clientsAnswering = (ext: string, word: string) =>
      new SmmV2ProviderClients({ get: async () => 'key' }, (async () => Response.json({ [ext]: { status: word, remains: '0' } })) as unknown as typeof fetch);

    it('settles on a word the provider says means refunded for sure, with no second reading', async () => {
      const { id } = await orderAt('map-6');
      const mapped = { ...provider, statusMapping: { fail: 'Canceled' as const } };
      await pollProvider({ ...poll, providers: clientsAnswering('map-6', 'Fail') }, mapped);
      expect(resumesOf(id)).toEqual([{ token: `token-${id}`, output: { orderId: id, status: 'Canceled' } }]);
    });

    it('reads its own words, and holds a word it marks ambiguous', async () => {
      const { id } = await orderAt('map-7');
      const mapped = { ...provider, statusMapping: { 'on hold': 'In progress' as const, rejected: 'ambiguous' as const } };
      await pollProvider({ ...poll, providers: clientsAnswering('map-7', 'On_Hold') }, mapped);
      expect(await table.orders.getOrder(id)).toMatchObject({ status: 'In progress' });
      later(60);
      expect(await pollProvider({ ...poll, providers: clientsAnswering('map-7', 'Rejected') }, mapped)).toMatchObject({ held: 1, resumed: 0 });
      // Without the mapping, Rejected is a definite cancel.
      later(1);
      expect(await pollProvider({ ...poll, providers: clientsAnswering('map-7', 'Rejected') }, provider)).toMatchObject({ resumed: 1 });
    });
  });
});
