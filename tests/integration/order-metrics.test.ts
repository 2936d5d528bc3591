// The business metrics of an order's life on DynamoDB Local, as CloudWatch receives them: the EMF lines the use cases
// print (accepted, the provider's calls, settled Partial, the refund), and each refusal and settlement counted once.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, EmfMetricsRecorder } from '../../lambdas/adapters/cloudwatch/emf-metrics.js';
import { MeteredProviderClients } from '../../lambdas/catalog/application/metered-provider-clients.js';
import { ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import type { OrderServices } from '../../lambdas/orders/application/order-services.js';
import { finalizeOrder, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { type PlaceOrderInput, placeOrder } from '../../lambdas/orders/application/place-order.js';
import { pollProvider } from '../../lambdas/orders/application/poll-providers.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { captureOutput, metricsOf } from '../support/emf.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { testProvider } from '../support/test-provider.js';

const provider = testProvider();

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;

beforeAll(async () => {
  table = await createTestTable();
  upstream = new ScriptedProvider();
  env = orderServicesOn(table);
  env.services.providers = new MeteredProviderClients({ forProvider: async () => upstream }, env.metrics);
  await table.catalog.putProvider(provider);
  await table.catalog.putService(TEST_SERVICE);
  await fundedWallet(table, 'w', '1000.00');
  await fundedWallet(table, 'poor', '0.10');
});

afterEach(() => env.metrics.clear());

const order = (input: Partial<PlaceOrderInput> = {}, services: OrderServices = env.services) =>
  placeOrder(services, { ownerId: 'owner-w', walletId: 'w', serviceId: 1, link: 'https://youtube.com/watch?v=abc', quantity: 1000, ...input });

describe("an order's life in metrics", () => {
  it('prints accepted, the provider calls, finalized Partial and the refund as EMF lines in namespace Codex', async () => {
    const metrics = new EmfMetricsRecorder(createMetrics('test'));
    const services: OrderServices = { ...env.services, metrics, providers: new MeteredProviderClients({ forProvider: async () => upstream }, metrics) };

    const { emf } = await captureOutput(async () => {
      const { order: placed } = await order({ link: 'https://youtube.com/watch?v=life' }, services);
      upstream.placeScript.push('ext-life');
      expect(await submitOrder(services, placed.id)).toBe('submitted');
      upstream.statuses.set('ext-life', { status: 'Partial', remains: 400, startCount: 10 });
      await pollProvider(services, provider);
      expect(await finalizeOrder(services, placed.id)).toMatchObject({ status: 'Partial', refund: '0.36000' });
    });

    const published = (dimensions: Record<string, string> = {}) => ({ service: 'codex', stage: 'test', ...dimensions });
    const call = (action: string) => published({ provider: 'demo', action });
    expect(metricsOf(emf).map(({ namespace, name, unit, value, dimensions }) => ({ namespace, name, unit, value, dimensions }))).toEqual([
      { namespace: 'Codex', name: 'OrdersAccepted', unit: 'Count', value: 1, dimensions: published() },
      { namespace: 'Codex', name: 'ProviderCalls', unit: 'Count', value: 1, dimensions: call('add') },
      { namespace: 'Codex', name: 'ProviderCallLatency', unit: 'Milliseconds', value: expect.any(Number), dimensions: call('add') },
      { namespace: 'Codex', name: 'ProviderCallErrors', unit: 'Count', value: 0, dimensions: call('add') },
      { namespace: 'Codex', name: 'ProviderCalls', unit: 'Count', value: 1, dimensions: call('status') },
      { namespace: 'Codex', name: 'ProviderCallLatency', unit: 'Milliseconds', value: expect.any(Number), dimensions: call('status') },
      { namespace: 'Codex', name: 'ProviderCallErrors', unit: 'Count', value: 0, dimensions: call('status') },
      { namespace: 'Codex', name: 'OrdersFinalized', unit: 'Count', value: 1, dimensions: published({ status: 'Partial' }) },
      // 400 of 1,000 undelivered at 0.90 per 1,000, in currency units.
      { namespace: 'Codex', name: 'RefundAmount', unit: 'None', value: 0.36, dimensions: published() },
    ]);
  });

  it('counts refused orders by their error code, and an order sent again with its request id once', async () => {
    await expect(order({ serviceId: 999 })).rejects.toSatisfy((e) => isDomainError(e, 'unknown_service'));
    await expect(order({ quantity: 10 })).rejects.toSatisfy((e) => isDomainError(e, 'quantity_too_small'));
    await expect(order({ walletId: 'poor', ownerId: 'owner-poor' })).rejects.toSatisfy((e) => isDomainError(e, 'insufficient_funds'));
    expect((await order({ requestId: 'client-1', link: 'https://youtube.com/watch?v=once' })).replayed).toBe(false);
    expect((await order({ requestId: 'client-1', link: 'https://youtube.com/watch?v=once' })).replayed).toBe(true);

    expect(env.metrics.of('OrdersRefused').map((r) => r.dimensions.reason)).toEqual(['unknown_service', 'quantity_too_small', 'insufficient_funds']);
    expect(env.metrics.sum('OrdersAccepted')).toBe(1);
    // Refusals come before any charge: none reached the provider.
    expect(env.metrics.of('ProviderCalls')).toEqual([]);
  });

  it('counts an order its provider refused as finalized Canceled with its whole charge refunded, once however often it is settled', async () => {
    const { order: placed } = await order({ link: 'https://youtube.com/watch?v=refused' });
    upstream.placeScript.push(new ProviderRejected('Link is private'));
    expect(await submitOrder(env.services, placed.id)).toBe('rejected');
    await Promise.all([finalizeOrder(env.services, placed.id), finalizeOrder(env.services, placed.id), finalizeOrder(env.services, placed.id)]);
    await finalizeOrder(env.services, placed.id);

    expect(env.metrics.of('OrdersFinalized').map((r) => r.dimensions.status)).toEqual(['Canceled']);
    expect(env.metrics.of('RefundAmount').map((r) => r.value)).toEqual([0.9]);
    // The refusal was an answer about this order, not a failing provider.
    expect(env.metrics.of('ProviderCallErrors').map((r) => r.value)).toEqual([0]);
  });

  it('counts a completed order with no refund', async () => {
    const { order: placed } = await order({ link: 'https://youtube.com/watch?v=done' });
    upstream.placeScript.push('ext-done');
    await submitOrder(env.services, placed.id);
    await table.orders.recordProgress(placed.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    await finalizeOrder(env.services, placed.id);
    expect(env.metrics.of('OrdersFinalized').map((r) => r.dimensions.status)).toEqual(['Completed']);
    expect(env.metrics.of('RefundAmount')).toEqual([]);
  });
});
