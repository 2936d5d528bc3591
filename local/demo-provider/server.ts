// A demo upstream provider speaking the SMM panel API v2 over HTTP, for the local stack and the tests.
// It honours `request_id` on `add` (the modern extension), so a resent order is never duplicated.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatMoney, parseMoney, priceOf } from '../../lambdas/domain/money.js';
import { type Scenario, progressAt, scenarioOf, timelineOf } from './scenarios.js';

export interface DemoProviderOptions {
  port?: number;
  apiKey: string;
  /** Where orders are kept across restarts; in memory when absent. */
  stateFile?: string;
  /** Multiplies the pace of every timeline (10 = ten times faster), for tests. */
  speed?: number;
  /** How long a flaky `add` hangs before answering; longer than the client's timeout. */
  flakyHangMs?: number;
}

interface DemoOrder {
  id: number;
  service: string;
  link: string;
  quantity: number;
  scenario: Scenario;
  placedAt: number;
  requestId?: string;
  startCount: number;
  canceled?: boolean;
}

interface DemoState {
  nextId: number;
  orders: Record<string, DemoOrder>;
  /** Failed `add` attempts so far, per request id (or link), for the flaky scenario. */
  attempts: Record<string, number>;
}

export const DEMO_SERVICES = [
  { service: 101, name: 'YouTube Views', type: 'Default', category: 'YouTube', rate: '0.50', min: '50', max: '1000000', refill: false, cancel: true },
  { service: 102, name: 'Instagram Followers', type: 'Default', category: 'Instagram', rate: '1.20', min: '10', max: '50000', refill: true, cancel: true },
  { service: 103, name: 'TikTok Likes', type: 'Default', category: 'TikTok', rate: '0.20', min: '10', max: '100000', refill: false, cancel: false },
  { service: 104, name: 'Telegram Members', type: 'Default', category: 'Telegram', rate: '0.80', min: '100', max: '20000', refill: true, cancel: true },
];

export interface DemoProvider {
  url: string;
  port: number;
  /** Counts of calls by action, for tests and benchmarks. */
  calls: Record<string, number>;
  orderCount(): number;
  close(): Promise<void>;
}

export async function startDemoProvider(options: DemoProviderOptions): Promise<DemoProvider> {
  const speed = options.speed ?? 1;
  const flakyHangMs = options.flakyHangMs ?? 6_000;
  const state: DemoState = options.stateFile && existsSync(options.stateFile) ? JSON.parse(readFileSync(options.stateFile, 'utf8')) : { nextId: 5001, orders: {}, attempts: {} };
  const calls: Record<string, number> = {};
  const byRequestId = new Map<string, DemoOrder>();
  for (const order of Object.values(state.orders)) if (order.requestId) byRequestId.set(order.requestId, order);

  const save = () => {
    if (!options.stateFile) return;
    writeFileSync(`${options.stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${options.stateFile}.tmp`, options.stateFile);
  };

  const statusOf = (order: DemoOrder) => {
    const elapsed = ((Date.now() - order.placedAt) / 1000) * speed;
    const view = order.canceled ? { status: 'Canceled', remains: order.quantity } : progressAt(timelineOf(order.scenario), order.quantity, elapsed);
    const delivered = order.quantity - view.remains;
    const service = DEMO_SERVICES.find((s) => String(s.service) === order.service);
    const charge = priceOf(parseMoney(service?.rate ?? '0'), Math.max(delivered, 0));
    return { charge: formatMoney(charge), start_count: String(order.startCount), status: view.status, remains: String(view.remains), currency: 'USD' };
  };

  const place = (params: Record<string, string>): { status: number; body: unknown; hangMs?: number } => {
    const service = DEMO_SERVICES.find((s) => String(s.service) === params.service);
    if (!service) return { status: 200, body: { error: 'Incorrect service ID' } };
    const quantity = Number(params.quantity);
    if (!Number.isInteger(quantity)) return { status: 200, body: { error: 'Incorrect request' } };
    if (quantity < Number(service.min)) return { status: 200, body: { error: `Quantity less than minimal ${service.min}` } };
    if (quantity > Number(service.max)) return { status: 200, body: { error: `Quantity more than maximum ${service.max}` } };
    const link = params.link ?? '';
    if (!link) return { status: 200, body: { error: 'Incorrect request' } };
    const existing = params.request_id ? byRequestId.get(params.request_id) : undefined;
    if (existing) return { status: 200, body: { order: existing.id } };
    const scenario = scenarioOf(link);
    if (scenario === 'fail') return { status: 200, body: { error: 'Link is private or does not exist (codex-test=fail)' } };
    if (scenario === 'flaky') {
      const attemptKey = params.request_id ?? link;
      const attempt = (state.attempts[attemptKey] ?? 0) + 1;
      state.attempts[attemptKey] = attempt;
      save();
      if (attempt === 1) return { status: 503, body: { error: 'Service temporarily unavailable' } };
      if (attempt === 2) {
        // Recorded, but the answer comes too late: the client cannot know the order exists.
        const order = record(params, quantity, scenario);
        return { status: 200, body: { order: order.id }, hangMs: flakyHangMs };
      }
    }
    return { status: 200, body: { order: record(params, quantity, scenario).id } };
  };

  const record = (params: Record<string, string>, quantity: number, scenario: Scenario): DemoOrder => {
    const order: DemoOrder = {
      id: state.nextId++,
      service: params.service!,
      link: params.link!,
      quantity,
      scenario,
      placedAt: Date.now(),
      startCount: 1000 + ((state.nextId * 7919) % 9000),
      ...(params.request_id ? { requestId: params.request_id } : {}),
    };
    state.orders[order.id] = order;
    if (order.requestId) byRequestId.set(order.requestId, order);
    save();
    return order;
  };

  const handle = (params: Record<string, string>): { status: number; body: unknown; hangMs?: number } => {
    const action = params.action ?? '';
    calls[action] = (calls[action] ?? 0) + 1;
    if (params.key !== options.apiKey) return { status: 200, body: { error: 'Invalid API key' } };
    switch (action) {
      case 'services':
        return { status: 200, body: DEMO_SERVICES };
      case 'balance':
        return { status: 200, body: { balance: '100000.00000', currency: 'USD' } };
      case 'add':
        return place(params);
      case 'status': {
        if (params.orders) {
          const result: Record<string, unknown> = {};
          for (const id of params.orders.split(',').slice(0, 100)) {
            const order = state.orders[id.trim()];
            result[id] = order ? statusOf(order) : { error: 'Incorrect order ID' };
          }
          return { status: 200, body: result };
        }
        const order = state.orders[params.order ?? ''];
        return { status: 200, body: order ? statusOf(order) : { error: 'Incorrect order ID' } };
      }
      case 'cancel': {
        const ids = (params.orders ?? params.order ?? '').split(',').filter(Boolean);
        return {
          status: 200,
          body: ids.map((id) => {
            const order = state.orders[id];
            if (!order) return { order: Number(id), cancel: { error: 'Incorrect order ID' } };
            order.canceled = true;
            save();
            return { order: Number(id), cancel: 1 };
          }),
        };
      }
      case 'refill':
        return state.orders[params.order ?? ''] ? { status: 200, body: { refill: String(state.nextId++) } } : { status: 200, body: { error: 'Incorrect order ID' } };
      default:
        return { status: 200, body: { error: 'Incorrect request' } };
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      const body = Buffer.concat(chunks).toString('utf8');
      if (body.trim().startsWith('{')) {
        try {
          Object.assign(params, JSON.parse(body));
        } catch {
          /* answered below as an incorrect request */
        }
      } else Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
      const answer = handle(params);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      };
      if (answer.hangMs) setTimeout(send, answer.hangMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    port,
    calls,
    orderCount: () => Object.keys(state.orders).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
