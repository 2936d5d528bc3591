// Each demo-provider scenario through the real ASL file (aws-local-stepfunctions), the real handlers, the
// DynamoDB stream start and the batch poller, with the provider's clock sped up.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { micros, parseMoney, priceOf } from '../../lambdas/shared/money.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { LocalOrderWorkflow } from '../../local/workflow-runner.js';
import { platform, usePlatform } from '../../lambdas/shared/platform.js';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    providerSpeed: 20,
    pollEveryMs: 150,
    sweepEveryMs: 60_000,
    retryDelayMs: 100,
    waitDelayMs: 200,
    providerTimeoutMs: 700,
    flakyHangMs: 1_200,
  });
});

afterAll(async () => {
  await stack?.stop();
});

async function order(link: string, quantity = 1000): Promise<Order> {
  return (await placeOrder(stack.deps, { ownerId: stack.reseller.id, walletId: stack.reseller.walletId, serviceId: 1, link, quantity })).order;
}

async function finalized(id: number, timeoutMs = 30_000): Promise<Order> {
  return eventually(async () => {
    const current = await stack.deps.orders.getOrder(id);
    return current?.phase === 'finalized' ? current : undefined;
  }, timeoutMs);
}

async function execution(id: number) {
  return eventually(async () => {
    const record = stack.workflow.executions.get(`order-${id}`);
    return record && record.status !== 'RUNNING' ? record : undefined;
  });
}

async function ledgerMatchesBalance(): Promise<void> {
  const wallet = await stack.deps.wallets.getWallet(stack.reseller.walletId);
  const ledger = await stack.deps.wallets.listLedger(stack.reseller.walletId);
  expect(micros(ledger.reduce((sum, e) => sum + e.amount, 0))).toBe(wallet!.balance);
}

const refundsFor = async (id: number) =>
  (await stack.deps.wallets.listLedger(stack.reseller.walletId)).filter((e) => e.reference === `order:${id}` && e.kind === 'order_refund');

describe('order workflow scenarios', () => {
  it('completes an ordinary order with no refund in two state transitions (submit-and-wait, finalize)', async () => {
    const placed = await order('https://youtube.com/watch?v=normal');
    const done = await finalized(placed.id);
    expect(done).toMatchObject({ status: 'Completed', remains: 0, refunded: 0 });
    expect(done.externalOrderId).toBeDefined();
    expect(done.startCount).toBeGreaterThan(0);
    const record = await execution(placed.id);
    expect(record.status).toBe('SUCCEEDED');
    expect(record.transitions).toBe(2);
    expect(await refundsFor(placed.id)).toHaveLength(0);
    // Told once, from the settlement's write through the table's stream.
    await vi.waitFor(() => expect(stack.events.events.filter((e) => e.type === 'order.completed' && e.data.orderId === placed.id)).toHaveLength(1), {
      timeout: 5_000,
    });
    await ledgerMatchesBalance();
  });

  it('refunds remains x rate / 1,000 of a partial order', async () => {
    const placed = await order('https://youtube.com/watch?v=p&codex-test=partial');
    const done = await finalized(placed.id);
    expect(done).toMatchObject({ status: 'Partial', remains: 300 });
    expect(done.refunded).toBe(priceOf(parseMoney('0.90'), 300));
    expect((await refundsFor(placed.id)).map((e) => e.amount)).toEqual([priceOf(parseMoney('0.90'), 300)]);
    await ledgerMatchesBalance();
  });

  it('refunds in full an order the provider rejects at submission', async () => {
    const calls = stack.provider.orderCount();
    const placed = await order('https://youtube.com/watch?v=f&codex-test=fail');
    const done = await finalized(placed.id);
    expect(done).toMatchObject({ status: 'Canceled', refunded: placed.charge });
    expect(done.rejectedReason).toMatch(/private/);
    expect(stack.provider.orderCount()).toBe(calls);
    // The submit step resumed its own task: no wait, no routing state.
    expect((await execution(placed.id)).transitions).toBe(2);
    await ledgerMatchesBalance();
  });

  it('refunds in full an order the provider cancels', async () => {
    const placed = await order('https://youtube.com/watch?v=c&codex-test=cancel');
    const done = await finalized(placed.id);
    expect(done).toMatchObject({ status: 'Canceled', refunded: placed.charge });
    await ledgerMatchesBalance();
  });

  it('places a flaky order exactly once upstream despite a 503 and a timeout', async () => {
    const before = stack.provider.orderCount();
    const adds = stack.provider.calls.add ?? 0;
    const placed = await order('https://youtube.com/watch?v=x&codex-test=flaky');
    const done = await finalized(placed.id);
    expect(done.status).toBe('Completed');
    expect((stack.provider.calls.add ?? 0) - adds).toBeGreaterThanOrEqual(3);
    expect(stack.provider.orderCount() - before).toBe(1);
    expect((await execution(placed.id)).transitions).toBeLessThanOrEqual(10);
  });

  it('submits again later, with the same request_id, when the provider stays unreachable through every retry', async () => {
    const before = stack.provider.orderCount();
    const placed = await order('https://youtube.com/watch?v=o&codex-test=outage');
    const done = await finalized(placed.id, 40_000);
    expect(done).toMatchObject({ status: 'Completed', refunded: 0, resubmitRounds: 1 });
    expect(stack.provider.orderCount() - before).toBe(1);
    await ledgerMatchesBalance();
  });

  it('keeps a slow order waiting for minutes of provider time, then completes it', async () => {
    const placed = await order('https://youtube.com/watch?v=s&codex-test=slow');
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await stack.deps.orders.getOrder(placed.id))!.phase).toBe('submitted');
    const done = await finalized(placed.id, 30_000);
    expect(done.status).toBe('Completed');
    expect((await execution(placed.id)).transitions).toBe(2);
  });

  it('finishes an order whose execution runs on the earlier definition (submit, route, then wait), as one does across a deploy', async () => {
    const earlier = new LocalOrderWorkflow({ root: REPO_ROOT, definitionFile: 'tests/fixtures/workflow/order-workflow-submit-then-await.asl.json' });
    const before = platform();
    usePlatform({ ...before, workflow: earlier });
    try {
      const placed = await order('https://youtube.com/watch?v=earlier');
      const done = await finalized(placed.id);
      expect(done).toMatchObject({ status: 'Completed', refunded: 0 });
      const record = await eventually(async () => {
        const r = earlier.executions.get(`order-${placed.id}`);
        return r && r.status !== 'RUNNING' ? r : undefined;
      });
      expect(record.status).toBe('SUCCEEDED');
      // Submit, RouteBySubmission, AwaitOutcome, Finalize: the step answered as that definition expects.
      expect(record.transitions).toBe(4);
      await ledgerMatchesBalance();
    } finally {
      usePlatform(before);
      earlier.stop();
    }
  });

  it('repeats no effect when a finished order is run through the workflow again', async () => {
    const placed = await order('https://youtube.com/watch?v=again&codex-test=partial');
    await finalized(placed.id);
    const ledgerBefore = await stack.deps.wallets.listLedger(stack.reseller.walletId);
    const providerOrders = stack.provider.orderCount();
    const rerun = new LocalOrderWorkflow({ root: REPO_ROOT });
    // The steps resume tasks through the platform's workflow: the rerun's, for as long as it runs.
    const before = platform();
    usePlatform({ ...before, workflow: rerun });
    let record: Awaited<ReturnType<typeof rerun.executions.get>>;
    try {
      await rerun.ensureStarted(placed.id);
      record = await eventually(async () => {
        const r = rerun.executions.get(`order-${placed.id}`);
        return r && r.status !== 'RUNNING' ? r : undefined;
      });
    } finally {
      usePlatform(before);
    }
    expect(record!.status).toBe('SUCCEEDED');
    expect(await stack.deps.wallets.listLedger(stack.reseller.walletId)).toEqual(ledgerBefore);
    expect(stack.provider.orderCount()).toBe(providerOrders);
  });
});
