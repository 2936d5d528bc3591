// Crash tests over HTTP: the local stack on persisted data, killed with SIGKILL at exact moments (CODEX_KILL_AT),
// each restart killed at the next: during a burst of orders, during submissions, during top-up callbacks, during
// finalization. After each kill the table (its DynamoDB Local outlives the kill) must already satisfy every money
// invariant; after a last clean restart every order must end, exactly once, with the refund its outcome is worth.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signDemo } from '../../lambdas/payments/gateways/demo.js';
import { micros, priceOf } from '../../lambdas/shared/money.js';
import type { DemoFile } from '../../local/stack-process.js';
import { LOCAL_DEMO_GATEWAY_SECRET } from '../../local/stack.js';
import { checkInvariants } from '../simulation/invariants.js';
import { type CrashableStack, providerBook, scanTable, startCrashableStack, stopProcess } from './crashable-stack.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-crash-'));
const dataDir = join(workDir, 'data');
let current: CrashableStack | undefined;

let failed = false;
afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  await current?.stop();
  // A failure keeps the data (its path is in the failure) to look at.
  if (!failed) rmSync(workDir, { recursive: true, force: true });
});

type Scenario = 'normal' | 'partial' | 'cancel' | 'fail';
/** What the test, as a reseller's panel, asked for (by request_id) and was answered. */
const adds = new Map<string, { scenario: Scenario; quantity: number; orderId?: number }>();
/** What the test, as the payment gateway, confirmed as paid, and whether its callback was answered. */
const topUps = new Map<string, { amount: string; answered: boolean }>();
let nextRequest = 1;

const TIMEOUT = { signal: () => AbortSignal.timeout(20_000) };

async function add(demo: DemoFile, requestId: string): Promise<void> {
  const wanted = adds.get(requestId)!;
  const link = `https://youtube.com/watch?v=${requestId}${wanted.scenario === 'normal' ? '' : `&codex-test=${wanted.scenario}`}`;
  const fields = { key: demo.reseller.apiKey, action: 'add', service: '1', link, quantity: String(wanted.quantity), request_id: requestId };
  const response = await fetch(demo.v2Url, { method: 'POST', body: new URLSearchParams(fields), signal: TIMEOUT.signal() });
  const body = (await response.json()) as { order?: number };
  if (typeof body.order === 'number') wanted.orderId = body.order;
}

/** A burst of new orders, all at once; each answer lost when the stack dies first. */
async function placeOrders(demo: DemoFile, scenarios: Scenario[]): Promise<void> {
  const requestIds = scenarios.map((scenario) => {
    const requestId = `crash-${nextRequest++}`;
    adds.set(requestId, { scenario, quantity: 1000 });
    return requestId;
  });
  await Promise.all(requestIds.map((id) => add(demo, id).catch(() => undefined)));
}

/** A panel sends again what was never answered, with the same request_id. */
async function resendUnanswered(demo: DemoFile): Promise<void> {
  for (const [requestId, wanted] of adds) if (wanted.orderId === undefined) await add(demo, requestId).catch(() => undefined);
  for (const [topUpId, topUp] of topUps) if (!topUp.answered) await payCallback(demo, topUpId).catch(() => undefined);
}

async function payCallback(demo: DemoFile, topUpId: string): Promise<void> {
  const topUp = topUps.get(topUpId)!;
  const body = JSON.stringify({ id: `demo_${topUpId}`, topUpId, status: 'paid', amount: topUp.amount, currency: 'USD' });
  const response = await fetch(`${demo.apiBase}/api/v1/payments/demo/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-demo-signature': signDemo(body, LOCAL_DEMO_GATEWAY_SECRET, Math.floor(Date.now() / 1000)) },
    body,
    signal: TIMEOUT.signal(),
  });
  if (response.ok) topUp.answered = true;
}

async function customerToken(demo: DemoFile): Promise<string> {
  const response = await fetch(`${demo.v1Url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.customer.email, password: demo.customer.password }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function startTopUps(demo: DemoFile, count: number): Promise<string[]> {
  const token = await customerToken(demo);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${demo.v1Url}/top-ups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ amount: '5.00', method: 'demo' }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    ids.push(id);
  }
  return ids;
}

const gatewayConfirmed = () => new Set(topUps.keys());

function publishedEvents(): { id: string; type: string; data?: unknown }[] {
  const file = join(dataDir, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as { id: string; type: string; data?: unknown }];
      } catch {
        return []; // the line being written when the process died
      }
    });
}

/**
 * Starts the stack armed to die at `killAt`, does `during` (requests fail once it is dead), waits for the kill, checks
 * the invariants on the table as the kill left it, and stops its database.
 */
async function crashAt(killAt: string, during: (demo: DemoFile) => Promise<void>): Promise<void> {
  const started = Date.now();
  current = await startCrashableStack({ workDir, dataDir, killAt });
  const ready = Date.now();
  if (current.demo) {
    const demo = current.demo;
    await resendUnanswered(demo);
    await during(demo).catch(() => undefined);
  }
  const stack = current;
  let timer: NodeJS.Timeout | undefined;
  const { killedAt } = await Promise.race([
    stack.exited,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not killed at ${killAt} within 90 s:\n${stack.output()}`)), 90_000))),
  ]).finally(() => clearTimeout(timer));
  const [name, when, n] = killAt.split(':');
  expect(killedAt, stack.output()).toBe(`${when} invocation ${n} of ${name}`);
  const database = stack.database()!;
  const items = await scanTable(database.endpoint);
  const violations = checkInvariants({
    items,
    providerOrders: providerBook(dataDir),
    gatewayConfirmed: gatewayConfirmed(),
    webhookDeliveries: [],
    settled: false,
  });
  await stopProcess(database.pid);
  current = undefined;
  expect(violations).toEqual([]);
  const orders = items.filter((item) => item.entity === 'order');
  console.log(
    `crash at ${killAt}: ${((Date.now() - started) / 1000).toFixed(1)} s (${((ready - started) / 1000).toFixed(1)} s of it starting), ${orders.length} orders (${orders.filter((o) => o.phase === 'finalized').length} settled), ${items.length} items, invariants hold`,
  );
}

describe('crashes at named moments, each restart killed at the next', { timeout: 180_000 }, () => {
  it('during a burst of orders: after the 6th v2 call, the others in flight unanswered', async () => {
    await crashAt('resellerApi:after:6', (demo) =>
      placeOrders(demo, ['normal', 'partial', 'cancel', 'fail', 'normal', 'partial', 'normal', 'partial', 'cancel', 'normal', 'partial', 'normal']),
    );
    expect([...adds.values()].filter((a) => a.orderId === undefined).length).toBeGreaterThan(0);
  });

  it('during submissions: after the 3rd submit step, its provider order placed and recorded', async () => {
    await crashAt('submitOrder:after:3', (demo) => placeOrders(demo, ['normal', 'partial', 'normal', 'fail']));
  });

  it('during top-up callbacks: after the 2nd paid callback credited the wallet, its answer lost', async () => {
    await crashAt('payments:after:6', async (demo) => {
      const ids = await startTopUps(demo, 4);
      for (const id of ids) topUps.set(id, { amount: '5.00', answered: false });
      for (const id of ids) await payCallback(demo, id);
    });
    expect([...topUps.values()].filter((t) => t.answered)).toHaveLength(1);
  });

  it('during finalization: after the 2nd settlement was written, before the workflow heard of it', async () => {
    await crashAt('finalizeOrder:after:2', (demo) => placeOrders(demo, ['partial', 'normal', 'cancel']));
  });

  it('after a clean restart every order ends once, refunded exactly what its outcome is worth', async () => {
    const started = Date.now();
    current = await startCrashableStack({ workDir, dataDir });
    const demo = current.demo!;
    await resendUnanswered(demo);
    expect([...adds.values()].every((a) => a.orderId !== undefined)).toBe(true);
    expect([...topUps.values()].every((t) => t.answered)).toBe(true);

    let items: Record<string, unknown>[] = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      items = await scanTable(demo.dynamoEndpoint);
      const open = items.filter((item) => item.entity === 'order' && item.phase !== 'finalized');
      if (open.length === 0) break;
      if (Date.now() > deadline) {
        const logs = items.filter((item) => open.some((o) => String(item.sk).startsWith(`OLOG#${String(o.id).padStart(12, '0')}`)));
        throw new Error(`still open (data kept in ${workDir}): ${JSON.stringify(open)}\n${JSON.stringify(logs)}\n${current.output().slice(-5_000)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const settledAfter = Date.now() - started;
    // The last settlements' events leave through the stream a moment after their writes.
    await new Promise((r) => setTimeout(r, 1_500));
    const violations = checkInvariants({
      items,
      providerOrders: providerBook(dataDir),
      gatewayConfirmed: gatewayConfirmed(),
      webhookDeliveries: [],
      settled: true,
      events: publishedEvents(),
    });
    expect(violations).toEqual([]);

    // One order per request_id, the one its answer named; each refund what the provider's outcome is worth.
    const orders = new Map(items.filter((item) => item.entity === 'order').map((item) => [Number(item.id), item]));
    const byRequest = new Map(
      items.filter((item) => String(item.pk).startsWith('IDEMPOTENCY#add#')).map((item) => [String(item.pk).split('#').at(-1), Number(item.orderId)]),
    );
    const refundsOf = (id: number) =>
      items.filter((item) => item.entity === 'ledger' && item.kind === 'order_refund' && item.reference === `order:${id}`).map((item) => Number(item.amount));
    const outcomes: Record<Scenario, string> = { normal: 'Completed', partial: 'Partial', cancel: 'Canceled', fail: 'Canceled' };
    for (const [requestId, wanted] of adds) {
      expect(byRequest.get(requestId), requestId).toBe(wanted.orderId);
      const order = orders.get(wanted.orderId!)!;
      expect(order.status, `${requestId} (${wanted.scenario})`).toBe(outcomes[wanted.scenario]);
      const charge = Number(order.charge);
      const expected =
        wanted.scenario === 'normal'
          ? []
          : wanted.scenario === 'partial'
            ? [priceOf(micros(Number(order.ratePer1000)), Math.round(wanted.quantity * 0.3))]
            : [charge];
      expect(refundsOf(wanted.orderId!), `${requestId} (${wanted.scenario})`).toEqual(expected);
    }
    expect(orders.size).toBe(adds.size);
    // Every payment the gateway confirmed is credited, once.
    for (const topUpId of topUps.keys()) {
      const deposits = items.filter((item) => item.entity === 'ledger' && item.reference === `top-up:${topUpId}`);
      expect(
        deposits.map((d) => Number(d.amount)),
        topUpId,
      ).toEqual([5_000_000]);
    }
    const refunds = [...adds.values()].filter((a) => a.scenario !== 'normal').length;
    console.log(
      `restart: every order ended ${(settledAfter / 1000).toFixed(1)} s after the start; ${orders.size} orders, ${refunds} refunds checked to the micro, ` +
        `${topUps.size} top-ups credited once, ${providerBook(dataDir).length} provider orders, ${publishedEvents().length} events`,
    );
  });
});
