// The admin API's orders on DynamoDB Local: the list over every owner (filters, cursor), a partial refund (never above
// what is left, idempotent, ledger = balance), cancel with refund, resend, the provider-call log and the attention queue.
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cancelOrder, type OrderActionServices, refreshOrder, resendOrder, settleOrder } from '../../lambdas/admin/application/orders-actions.js';
import { applyStatusReport } from '../../lambdas/orders/application/status-reports.js';
import { addNote, attentionQueue, listOrders, orderPage, refundOrder } from '../../lambdas/admin/application/orders-admin.js';
import type { AdminOrderServices } from '../../lambdas/admin/application/orders-admin.js';
import { DynamoAdminOrderWrites } from '../../lambdas/adapters/dynamodb/admin-order-writes.js';
import { DynamoAdminOrders } from '../../lambdas/adapters/dynamodb/admin-orders.js';
import { DynamoAttentionMarks } from '../../lambdas/adapters/dynamodb/attention-marks.js';
import { DynamoAttentionQueue } from '../../lambdas/adapters/dynamodb/attention-queue.js';
import { DynamoAttentionReader } from '../../lambdas/adapters/dynamodb/attention-reader.js';
import { DynamoOrderCallLog } from '../../lambdas/adapters/dynamodb/order-call-log.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { HTTP_STATUS_OF } from '../../lambdas/rest/error-status.js';
import type { Provider } from '../../lambdas/catalog/domain/catalog.js';
import { ProviderOutcomeUnknown, ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import { finalizeOrder, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

const provider = (id: string, overrides: Partial<Provider> = {}): Provider => ({
  id,
  name: id,
  apiUrl: 'http://127.0.0.1:1/api/v2',
  keySecretId: 'k',
  timeoutMs: 1000,
  acceptsRequestId: false,
  enabled: true,
  ...overrides,
});

const actor = { caller: { userId: 'admin-sub-1', role: 'admin' as const, email: 'admin@codex.local' }, sourceIp: '203.0.113.9' };

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;
let admin: AdminOrderServices;
const adminMetrics = new RecordedMetrics();
let actions: OrderActionServices;

beforeAll(async () => {
  table = await createTestTable();
  upstream = new ScriptedProvider();
  env = orderServicesOn(table, { forProvider: async () => upstream });
  env.services.clock = { now: () => new Date() };
  const callLog = new DynamoOrderCallLog(table.db, table.tableName);
  Object.assign(env.services, { callLog, attention: new DynamoAttentionQueue(table.db, table.tableName) });
  await table.catalog.putProvider(provider('demo'));
  await table.catalog.putProvider(provider('backup', { acceptsRequestId: true }));
  await table.catalog.putService({ ...TEST_SERVICE, fallbacks: [{ providerId: 'backup', providerServiceId: '900' }] } as typeof TEST_SERVICE);
  await table.catalog.putService({ ...TEST_SERVICE, id: 2, providerServiceId: '202' });
  await table.catalog.putService({
    ...TEST_SERVICE,
    id: 3,
    providerServiceId: '303',
    costPer1000: parseMoney('0.40'),
    fallbacks: [{ providerId: 'backup', providerServiceId: '930', costPer1000: parseMoney('0.70') }],
  });
  await fundedWallet(table, 'w1', '1000.00');
  await fundedWallet(table, 'w2', '1000.00');
  admin = {
    admin: new DynamoAdminOrders(table.db, table.tableName),
    attention: new DynamoAttentionReader(table.db, table.tableName),
    clock: { now: () => new Date() },
    metrics: adminMetrics,
  };
  actions = { ...env.services, orders: new DynamoAdminOrderWrites(table.db, table.tableName), callLog };
});

const place = (walletId: string, extra: { serviceId?: number; link?: string; quantity?: number } = {}) =>
  placeOrder(env.services, {
    ownerId: `owner-${walletId}`,
    walletId,
    serviceId: extra.serviceId ?? 1,
    link: extra.link ?? 'https://youtube.com/watch?v=abc',
    quantity: extra.quantity ?? 1000,
  }).then((placed) => placed.order);

/** A settled order: submitted, reported Completed, finalized as the workflow does. */
async function completedOrder(walletId: string) {
  const order = await place(walletId);
  expect(await submitOrder(env.services, order.id)).toBe('submitted');
  const submitted = await table.orders.getOrder(order.id);
  await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
  await finalizeOrder(env.services, order.id);
  return submitted!;
}

describe('the order list', () => {
  it('lists every owner newest first, filters, and pages with a cursor that skips and repeats nothing', async () => {
    const placed = [];
    for (let i = 0; i < 7; i++) placed.push(await place(i % 2 ? 'w1' : 'w2', { link: `https://youtube.com/watch?v=list${i}`, serviceId: i % 3 === 0 ? 2 : 1 }));
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listOrders(admin, { limit: 3, link: 'v=list', ...(cursor ? { cursor } : {}) });
      seen.push(...page.orders.map((o) => o.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(placed.map((o) => o.id).reverse());
    const byUser = await listOrders(admin, { limit: 50, userId: 'owner-w1', link: 'v=list' });
    expect(byUser.orders.map((o) => o.id)).toEqual(
      placed
        .filter((_, i) => i % 2)
        .map((o) => o.id)
        .reverse(),
    );
    expect(byUser.orders.every((o) => o.providerId === 'demo')).toBe(true);
    const byService = await listOrders(admin, { limit: 50, serviceId: 2, link: 'v=list' });
    expect(byService.orders.map((o) => o.id)).toEqual(
      placed
        .filter((_, i) => i % 3 === 0)
        .map((o) => o.id)
        .reverse(),
    );
    const exact = await listOrders(admin, { limit: 50, link: 'v=list4', status: 'Pending', providerId: 'demo' });
    expect(exact.orders).toMatchObject([{ id: placed[4]!.id, ownerId: 'owner-w2', serviceId: 1, providerId: 'demo', quantity: 1000, status: 'Pending' }]);
    expect(await listOrders(admin, { limit: 50, providerId: 'nobody', link: 'v=list' })).toMatchObject({ orders: [] });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await listOrders(admin, { limit: 50, from: future, link: 'v=list' })).orders).toEqual([]);
  });
});

describe('a refund by hand', () => {
  it('refunds part of a settled order in one transaction with the ledger, never above what is left, once per key', async () => {
    const order = await completedOrder('w1'); // charge 0.90
    const refund = (amount: string, key: string) => refundOrder(admin, actor, { orderId: order.id, amount, reason: 'late delivery', idempotencyKey: key });
    const first = await refund('0.50', 'k-1');
    expect(first).toMatchObject({ replayed: false, order: { refunded: parseMoney('0.50') } });
    expect(await refund('0.50', 'k-1')).toMatchObject({ replayed: true, order: { refunded: parseMoney('0.50') } });
    await expect(refund('0.41', 'k-2')).rejects.toSatisfy((e) => isDomainError(e, 'refund_exceeds_charge'));
    await expect(refund('0.30', 'k-1')).rejects.toSatisfy((e) => isDomainError(e, 'idempotency_key_reused'));
    // Concurrent refunds of the last 0.40: exactly one goes through.
    const results = await Promise.allSettled([refund('0.40', 'k-3'), refund('0.40', 'k-4'), refund('0.40', 'k-5')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await table.orders.getOrder(order.id))!.refunded).toBe(order.charge);
    // Refunds by hand count in the refunds' metric, each once (0.50 + 0.40), replays and refusals not at all.
    expect(adminMetrics.of('RefundAmount').map((r) => r.value)).toEqual([0.5, 0.4]);
    const { balance, ledgerSum } = await balanceAndLedger(table, 'w1');
    expect(ledgerSum).toBe(balance);
    const page = await orderPage(admin, order.id);
    expect(page!.ledger.entries.map((e) => [e.kind, e.amount])).toEqual([
      ['order_charge', -900_000],
      ['order_refund', 500_000],
      ['order_refund', 400_000],
    ]);
    expect(page!.actions.map((a) => a.action)).toEqual(['refund', 'refund']);
    const audit = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${new Date().toISOString().slice(0, 10)}` },
      }),
    );
    const refunds = (audit.Items ?? []).filter((e) => e.action === 'order.refunded' && e.subject === String(order.id));
    expect(refunds).toHaveLength(2);
    expect(refunds[0]).toMatchObject({
      actor: 'admin-sub-1',
      actorRole: 'admin',
      source: '203.0.113.9',
      before: { refunded: '0.00' },
      after: { refunded: '0.50' },
    });
  });

  it('refuses to refund an open order by hand (its settlement refunds it)', async () => {
    const order = await place('w2');
    await expect(refundOrder(admin, actor, { orderId: order.id, amount: '0.10', reason: 'x', idempotencyKey: 'k-open' })).rejects.toSatisfy((e) =>
      isDomainError(e, 'order_not_finalized'),
    );
  });
});

describe('cancel with refund', () => {
  it('settles an order that never reached the provider Canceled, refunding the charge once', async () => {
    const order = await place('w2');
    const result = await cancelOrder(actions, actor, order.id);
    expect(result.outcome).toBe('settling');
    // The workflow's own steps settle it: its submit step sees the refusal, Finalize refunds.
    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    await finalizeOrder(env.services, order.id);
    await finalizeOrder(env.services, order.id);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Canceled', phase: 'finalized', refunded: order.charge });
    const { balance, ledgerSum } = await balanceAndLedger(table, 'w2');
    expect(ledgerSum).toBe(balance);
    await expect(cancelOrder(actions, actor, order.id)).rejects.toSatisfy((e) => isDomainError(e, 'order_finished'));
  });

  it('asks the provider, and settles what was not delivered once it reports the order ended', async () => {
    const order = await place('w1');
    upstream.placeScript.push('ext-cancel-1');
    await submitOrder(env.services, order.id);
    await table.tokens.parkTaskToken(order.id, 'token-cancel-1', new Date().toISOString());
    upstream.cancelAnswers.set('ext-cancel-1', true);
    upstream.statuses.set('ext-cancel-1', { status: 'Partial', remains: 400 });
    const result = await cancelOrder(actions, actor, order.id);
    expect(result.outcome).toBe('settling');
    expect(env.resumed.at(-1)).toEqual({ token: 'token-cancel-1', output: { orderId: order.id, status: 'Partial' } });
    await finalizeOrder(env.services, order.id);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Partial', refunded: parseMoney('0.36') });
    const page = await orderPage(admin, order.id);
    expect(page!.calls.map((c) => c.action)).toEqual(['add', 'cancel', 'status']);
    expect(page!.calls.every((c) => typeof c.latencyMs === 'number' && !JSON.stringify(c.request).includes('key'))).toBe(true);
    expect(page!.history.map((h) => h.status)).toEqual(['Pending', 'Partial']);
  });

  it('refuses an unconfirmed submission unless a person says it never reached the provider', async () => {
    const order = await place('w1');
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
    await expect(cancelOrder(actions, actor, order.id)).rejects.toSatisfy((e) => isDomainError(e, 'order_being_submitted'));
    await table.tokens.parkTaskToken(order.id, 'token-unconfirmed', new Date().toISOString());
    expect((await cancelOrder(actions, actor, order.id, { neverReachedProvider: true })).outcome).toBe('settling');
    expect(env.resumed.at(-1)?.token).toBe('token-unconfirmed');
    await finalizeOrder(env.services, order.id);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Canceled', refunded: order.charge });
  });
});

describe('resend', () => {
  it('submits an unconfirmed order again, to a fallback provider of its service, and the poller can follow it there', async () => {
    const order = await place('w1');
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
    await expect(resendOrder(actions, actor, order.id, 'stranger')).rejects.toSatisfy((e) => isDomainError(e, 'provider_not_mapped'));
    upstream.placeScript.push('ext-backup-1');
    const result = await resendOrder(actions, actor, order.id, 'backup');
    expect(result.outcome).toBe('submitted');
    expect(upstream.placed.at(-1)).toMatchObject({ providerServiceId: '900', requestId: `codex-${order.id}` });
    expect(await table.orders.getOrder(order.id)).toMatchObject({
      phase: 'submitted',
      providerId: 'backup',
      providerServiceId: '900',
      externalOrderId: 'ext-backup-1',
    });
    expect((await table.orders.listOpenOrders('backup')).orders.map((o) => o.id)).toContain(order.id);
    expect((await table.orders.listOpenOrders('demo')).orders.map((o) => o.id)).not.toContain(order.id);
    await expect(resendOrder(actions, actor, order.id)).rejects.toSatisfy((e) => isDomainError(e, 'order_state_conflict'));
    // Refresh asks the new provider and applies its answer as the poller does.
    upstream.statuses.set('ext-backup-1', { status: 'In progress', remains: 1000, startCount: 5 });
    expect((await refreshOrder(actions, actor, order.id)).order).toMatchObject({ status: 'In progress', startCount: 5 });
    const page = await orderPage(admin, order.id);
    expect(page!.calls.map((c) => c.action)).toEqual(['add', 'resend', 'refresh']);
    expect(page!.history.map((h) => h.status)).toEqual(['Pending', 'In progress']);
  });
});

describe('resend only what the workflow has left to a person', () => {
  const notHeld = (e: unknown) => isDomainError(e, 'order_not_held');

  it('refuses (409 order_not_held) an order the workflow may still submit, and calls no provider', async () => {
    const waiting = await place('w1');
    const calling = await place('w1');
    await table.orders.beginSubmit(calling.id, new Date().toISOString()); // the submit step's call is under way
    const refusedByWorkflow = await place('w1', { serviceId: 2 });
    upstream.placeScript.push(new ProviderRejected('Link is private'));
    expect(await submitOrder(env.services, refusedByWorkflow.id)).toBe('rejected'); // Finalize refunds it next
    const calls = upstream.placed.length;

    for (const order of [waiting, calling, refusedByWorkflow]) {
      await expect(resendOrder(actions, actor, order.id, 'backup')).rejects.toSatisfy(notHeld);
      expect(await table.orders.getOrder(order.id)).toMatchObject({ providerId: 'demo', phase: 'accepted' });
    }
    expect(upstream.placed.length).toBe(calls);
    expect(HTTP_STATUS_OF.order_not_held).toBe(409);
  });

  it('refuses a held order whose customer asked to cancel it, even when that cancel lands after the read', async () => {
    const order = await place('w1');
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.order(order.id),
        UpdateExpression: 'SET cancelRequested = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
    const calls = upstream.placed.length;
    await expect(resendOrder(actions, actor, order.id, 'backup')).rejects.toSatisfy(notHeld);
    // The conditional write itself refuses it too (a cancel between the read and the write).
    expect(await actions.orders.prepareResend(order.id, 'demo', { providerId: 'backup', providerServiceId: '900' }, new Date().toISOString())).toBeUndefined();
    expect(upstream.placed.length).toBe(calls);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ providerId: 'demo', submitInFlight: true });
  });

  it("resends a held order refused on resend to another provider, with that provider's cost", async () => {
    const order = await place('w1', { serviceId: 3 });
    expect(order.costPer1000).toBe(parseMoney('0.40'));
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    expect(await submitOrder(env.services, order.id)).toBe('unconfirmed');
    upstream.placeScript.push(new ProviderRejected('Not enough funds on balance'));
    expect(await resendOrder(actions, actor, order.id)).toMatchObject({ outcome: 'refused', providerMessage: 'Not enough funds on balance' });
    expect(await table.orders.getOrder(order.id)).toMatchObject({ rejectedReason: 'Not enough funds on balance', heldAt: expect.any(String) });

    upstream.placeScript.push('ext-backup-cost');
    expect((await resendOrder(actions, actor, order.id, 'backup')).outcome).toBe('submitted');

    const stored = await table.orders.getOrder(order.id);
    expect(stored).toMatchObject({
      phase: 'submitted',
      providerId: 'backup',
      providerServiceId: '930',
      externalOrderId: 'ext-backup-cost',
      costPer1000: parseMoney('0.70'),
    });
    expect(stored!.rejectedReason).toBeUndefined();
    expect(stored!.heldAt).toBeUndefined();
  });
});

describe('notes and the attention queue', () => {
  it('keeps notes once per key, and queues what needs a person until it is resolved', async () => {
    const order = await place('w2');
    await addNote(admin, actor, { orderId: order.id, text: 'customer called', idempotencyKey: 'n-1' });
    await addNote(admin, actor, { orderId: order.id, text: 'customer called', idempotencyKey: 'n-1' });
    expect((await orderPage(admin, order.id))!.notes).toMatchObject([{ text: 'customer called', actor: 'admin-sub-1' }]);

    // An unconfirmed submission (the submit step), an overdue order (the sweeper's mark), a wrong amount (payments).
    const unconfirmed = await place('w1');
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    expect(await submitOrder(env.services, unconfirmed.id)).toBe('unconfirmed');
    const overdue = await place('w1');
    await new DynamoAttentionMarks(table.db, table.tableName).markAttention(overdue.id, 'overdue', '2026-01-01T00:00:00.000Z', new Date().toISOString());
    await new DynamoAttentionQueue(table.db, table.tableName).raise({
      reason: 'wrong_amount',
      topUpId: 'tu_gone',
      ownerId: 'owner-w1',
      since: new Date().toISOString(),
    });
    const queue = await attentionQueue(admin, { limit: 100 });
    const mine = queue.items.filter((i) => i.orderId === unconfirmed.id || i.orderId === overdue.id);
    expect(mine).toMatchObject([
      { reason: 'unconfirmed_submission', orderId: unconfirmed.id, actions: [`POST /admin/v1/orders/${unconfirmed.id}/resend`, expect.any(String)] },
      { reason: 'overdue', orderId: overdue.id, since: '2026-01-01T00:00:00.000Z' },
    ]);
    // A top-up that is not in review (here: none) is dropped as met.
    expect(queue.items.some((i) => i.topUpId === 'tu_gone')).toBe(false);
    // Resolved: resent (no longer waiting for submission), or settled.
    upstream.placeScript.push('ext-resolved');
    await resendOrder(actions, actor, unconfirmed.id);
    await cancelOrder(actions, actor, overdue.id);
    await submitOrder(env.services, overdue.id);
    await finalizeOrder(env.services, overdue.id);
    const after = await attentionQueue(admin, { limit: 100 });
    expect(after.items.filter((i) => i.orderId === unconfirmed.id || i.orderId === overdue.id)).toEqual([]);
  });
});

describe("settle on a person's word", () => {
  it('settles a Partial without remains with the amount a person gives, refunding what was not delivered once', async () => {
    const order = await place('w1');
    upstream.placeScript.push('ext-settle-1');
    await submitOrder(env.services, order.id);
    await table.tokens.parkTaskToken(order.id, 'token-settle-1', new Date().toISOString());
    // The provider says Partial without remains: kept, nothing settles; the poller marks it for a person.
    const submitted = (await table.orders.getOrder(order.id))!;
    expect(await applyStatusReport(env.services, submitted, { status: 'Partial' }, new Date())).toBe('held');
    expect(await table.readings.get('demo', order.id)).toMatchObject({ status: 'Partial' });
    await new DynamoAttentionMarks(table.db, table.tableName).markAttention(order.id, 'ambiguous_status', new Date().toISOString(), new Date().toISOString());
    const queued = (await attentionQueue(admin, { limit: 100 })).items.find((i) => i.orderId === order.id);
    expect(queued?.actions).toContain(`POST /admin/v1/orders/${order.id}/settle {"status": "Partial", "remains": <not delivered>, "reason": "…"}`);

    // Bad words change nothing.
    await expect(settleOrder(actions, actor, order.id, { status: 'Partial', reason: 'checked' })).rejects.toSatisfy(
      (e) => isDomainError(e, 'invalid_request') && (e as { field?: string }).field === 'remains',
    );
    await expect(settleOrder(actions, actor, order.id, { status: 'Completed', remains: 5, reason: 'checked' })).rejects.toSatisfy((e) =>
      isDomainError(e, 'invalid_request'),
    );
    await expect(settleOrder(actions, actor, order.id, { status: 'Partial', remains: 1001, reason: 'checked' })).rejects.toSatisfy((e) =>
      isDomainError(e, 'invalid_request'),
    );
    expect(env.resumed.filter((r) => r.token === 'token-settle-1')).toEqual([]);

    const result = await settleOrder(actions, actor, order.id, { status: 'Partial', remains: 400, reason: 'provider support: 600 delivered' });
    expect(result.outcome).toBe('settling');
    expect(env.resumed.at(-1)).toEqual({ token: 'token-settle-1', output: { orderId: order.id, status: 'Partial' } });
    expect(await table.readings.get('demo', order.id)).toBeUndefined();
    await finalizeOrder(env.services, order.id);
    await finalizeOrder(env.services, order.id);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Partial', phase: 'finalized', remains: 400, refunded: parseMoney('0.36') });
    const { balance, ledgerSum } = await balanceAndLedger(table, 'w1');
    expect(ledgerSum).toBe(balance);
    const { Items: audits = [] } = await table.db.send(
      new ScanCommand({
        TableName: table.tableName,
        FilterExpression: 'entity = :audit AND subject = :id',
        ExpressionAttributeValues: { ':audit': 'audit', ':id': String(order.id) },
      }),
    );
    expect(audits).toMatchObject([
      { action: 'order.settled_by_person', actor: 'admin-sub-1', reason: 'provider support: 600 delivered', after: { status: 'Partial', remains: 400 } },
    ]);
    expect((await attentionQueue(admin, { limit: 100 })).items.some((i) => i.orderId === order.id)).toBe(false);
    await expect(settleOrder(actions, actor, order.id, { status: 'Completed', reason: 'again' })).rejects.toSatisfy((e) => isDomainError(e, 'order_finished'));
  });

  it('drops an ambiguous_status mark from the queue once a definite reading has cleared the doubt', async () => {
    const order = await place('w1');
    upstream.placeScript.push('ext-doubt-1');
    await submitOrder(env.services, order.id);
    const submitted = (await table.orders.getOrder(order.id))!;
    expect(await applyStatusReport(env.services, submitted, { status: 'Canceled', doubtful: true }, new Date())).toBe('held');
    await new DynamoAttentionMarks(table.db, table.tableName).markAttention(order.id, 'ambiguous_status', new Date().toISOString(), new Date().toISOString());
    expect((await attentionQueue(admin, { limit: 100 })).items.filter((i) => i.orderId === order.id)).toMatchObject([{ reason: 'ambiguous_status' }]);
    // The provider then says In progress: the doubt is gone, the order goes on by itself.
    expect(await applyStatusReport(env.services, submitted, { status: 'In progress', remains: 800 }, new Date())).toBe('updated');
    expect((await attentionQueue(admin, { limit: 100 })).items.some((i) => i.orderId === order.id)).toBe(false);
    const { Items = [] } = await table.db.send(
      new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'ATTENTION' } }),
    );
    expect(Items.some((item) => String(item.sk).startsWith(`order#${String(order.id).padStart(12, '0')}#`))).toBe(false);
  });

  it('refuses an order not at its provider: nothing to settle there, cancel or resend it instead', async () => {
    const order = await place('w2');
    await expect(settleOrder(actions, actor, order.id, { status: 'Canceled', reason: 'never sent' })).rejects.toSatisfy((e) =>
      isDomainError(e, 'order_state_conflict'),
    );
    expect(HTTP_STATUS_OF.order_state_conflict).toBe(409);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ phase: 'accepted', refunded: 0 });
  });
});
