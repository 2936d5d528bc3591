// Crash tests over HTTP: the local stack on persisted data, killed with SIGKILL at exact moments (CODEX_KILL_AT),
// each restart killed at the next: during a burst of orders, during submissions, during top-up callbacks, during
// finalization. After each kill the table (its DynamoDB Local outlives the kill) must already satisfy every money
// invariant; after a last clean restart every order must end, exactly once, with the refund its outcome is worth.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signDemo } from '../../lambdas/payments/gateways/demo.js';
import { micros, parseMoney, priceOf } from '../../lambdas/shared/money.js';
import type { DemoFile } from '../../local/stack-process.js';
import { LOCAL_DEMO_GATEWAY_SECRET } from '../../local/stack.js';
import { checkInvariants } from '../simulation/invariants.js';
import { type CrashableStack, databasesOn, providerBook, scanTable, startCrashableStack, stopProcess } from './crashable-stack.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-crash-'));
const dataDir = join(workDir, 'data');
let current: CrashableStack | undefined;

let failed = false;
afterEach((context) => {
  if (context.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  await current?.stop();
  // A database a stack left when it was killed before the test saw it: stopped by its id, found by its data folder.
  for (const database of databasesOn(dataDir)) await stopProcess(database.pid);
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

/** Orders the test, as the admin, cancelled as never placed (cancelUnconfirmedNeverPlaced). */
const cancelledAsNeverPlaced = new Set<number>();

/**
 * What a person does with an order a crash left unconfirmed (a call may have reached the provider) and the provider
 * then refused on every resend: the workflow resends it for hours, then queues it for them; the admin, finding no
 * order with its request_id at the provider, cancels it as never placed (all of the charge back). Only once the
 * workflow gave up a round (waiting to resend, no call under way), and only for orders the provider refuses.
 */
async function cancelUnconfirmedNeverPlaced(demo: DemoFile, open: readonly Record<string, unknown>[]): Promise<void> {
  const placed = new Set(providerBook(dataDir).map((o) => o.requestId));
  for (const order of open) {
    const id = Number(order.id);
    if (order.submitInFlight !== true || Number(order.resubmitRounds ?? 0) < 1 || placed.has(`codex-${id}`) || cancelledAsNeverPlaced.has(id)) continue;
    const wanted = [...adds.values()].find((a) => a.orderId === id);
    expect(wanted?.scenario, `order ${id} left unconfirmed and not at the provider: ${JSON.stringify(order)}`).toBe('fail');
    const response = await fetch(`${demo.adminUrl}/orders/${id}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.admin.idToken}` },
      body: JSON.stringify({ neverReachedProvider: true, reason: 'no order with its request_id at the provider' }),
      signal: TIMEOUT.signal(),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    cancelledAsNeverPlaced.add(id);
  }
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
const gatewayConfirmedAmounts = () => new Map([...topUps].map(([id, topUp]) => [id, Number(parseMoney(topUp.amount))]));

/** A request the kill cut (connection refused or reset, no answer in time): expected; anything else (a failed check) is not. */
function cutByKill(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

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
    await during(demo).catch((error: unknown) => {
      if (!cutByKill(error)) throw error;
    });
  }
  const stack = current;
  let timer: NodeJS.Timeout | undefined;
  const { killedAt } = await Promise.race([
    stack.exited,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not killed at ${killAt} within 90 s:\n${stack.output()}`)), 90_000))),
  ]).finally(() => clearTimeout(timer));
  const [name, when, n] = killAt.split(':');
  expect(killedAt, stack.output()).toBe(`${when} invocation ${n} of ${name}`);
  const database = stack.database();
  if (!database) throw new Error(`no DynamoDB Local found for the killed stack:\n${stack.output()}`);
  const items = await scanTable(database.endpoint);
  const violations = checkInvariants({
    items,
    providerOrders: providerBook(dataDir),
    gatewayConfirmed: gatewayConfirmed(),
    gatewayConfirmedAmounts: gatewayConfirmedAmounts(),
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
      await cancelUnconfirmedNeverPlaced(demo, open);
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
      gatewayConfirmedAmounts: gatewayConfirmedAmounts(),
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
        `${topUps.size} top-ups credited once, ${providerBook(dataDir).length} provider orders, ${publishedEvents().length} events, ` +
        `${cancelledAsNeverPlaced.size} unconfirmed and refused order(s) cancelled by the admin as never placed`,
    );
  });

  // The local consumers' queues live in the stack's memory: events not delivered when it was killed are lost here (on
  // AWS they wait in SQS). So deliveries are checked for the events of orders placed after the last clean restart.
  it('after the clean restart, every event of a new order reaches the reseller webhook registered then', async () => {
    const demo = current!.demo!;
    const received: { eventId: string; url: string }[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({ eventId: String(req.headers['webhook-id']), url: receiverUrl });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      const token = await customerToken(demo);
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      const registered = await fetch(`${demo.v1Url}/webhook`, { method: 'PUT', headers: auth, body: JSON.stringify({ url: receiverUrl }) });
      expect(registered.status, await registered.clone().text()).toBeLessThan(300);
      const minted = await fetch(`${demo.v1Url}/api-keys`, { method: 'POST', headers: auth, body: JSON.stringify({ label: 'crash test' }) });
      expect(minted.status).toBe(201);
      const { key } = (await minted.json()) as { key: string };
      // Paid for by the top-ups credited across the crashes.
      const orderIds: number[] = [];
      for (const scenario of ['normal', 'partial'] as const) {
        const link = `https://youtube.com/watch?v=after-restart-${scenario}${scenario === 'normal' ? '' : `&codex-test=${scenario}`}`;
        const fields = { key, action: 'add', service: '1', link, quantity: '1000', request_id: `after-restart-${scenario}` };
        const response = await fetch(demo.v2Url, { method: 'POST', body: new URLSearchParams(fields), signal: TIMEOUT.signal() });
        const body = (await response.json()) as { order?: number };
        expect(body.order, JSON.stringify(body)).toBeTypeOf('number');
        orderIds.push(body.order!);
      }
      const theirEvents = () => publishedEvents().filter((e) => orderIds.includes(Number((e.data as { orderId?: unknown } | undefined)?.orderId)));
      const deadline = Date.now() + 120_000;
      let items: Record<string, unknown>[] = [];
      for (;;) {
        items = await scanTable(demo.dynamoEndpoint);
        const ended = orderIds.every((id) => items.some((item) => item.entity === 'order' && Number(item.id) === id && item.phase === 'finalized'));
        const delivered = new Set(received.map((d) => d.eventId));
        if (ended && theirEvents().length > 0 && theirEvents().every((e) => delivered.has(e.id))) break;
        if (Date.now() > deadline) break; // the invariants below say what is missing
        await new Promise((r) => setTimeout(r, 500));
      }
      const violations = checkInvariants({
        items,
        providerOrders: providerBook(dataDir),
        gatewayConfirmed: gatewayConfirmed(),
        gatewayConfirmedAmounts: gatewayConfirmedAmounts(),
        webhookDeliveries: received,
        settled: true,
        events: publishedEvents(),
        receiversDownAtEnd: new Set(),
      });
      expect(violations).toEqual([]);
      // Not vacuous: the new orders' created and ended events (and the partial one's refund) were delivered.
      const types = theirEvents().map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['order.created', 'order.completed', 'order.partial']));
      console.log(
        `webhook: ${received.length} deliveries to the receiver registered after the restart, ${theirEvents().length} events of its ${orderIds.length} orders`,
      );
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
