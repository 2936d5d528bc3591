// A demo upstream provider speaking the SMM panel API v2 over HTTP, for the local stack and the tests.
// It honours `request_id` on `add` (the modern extension), so a resent order is never duplicated.
// `add` takes every service type's fields (checked and priced by the domain's service-types rules, answering
// {"error": ...} like a panel); drip-feed and subscription orders show `runs`, `posts`, `expiry` and `Active` in
// `status`. Drip-feed runs and subscription posts are compressed into the scenario's timeline, not spread over hours.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { ZERO, formatMoney, parseMoney, priceOf } from '../../lambdas/shared/money.js';
import {
  type OrderSpec,
  type ServiceTerms,
  orderedUnits,
  parseServiceType,
  readOrderFields,
  statusExtras,
  statusWord,
} from '../../lambdas/catalog/domain/service-types.js';
import { type PushOptions, startPushing } from './pusher.js';
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
  /** Push status changes to this callback URL, signed with this secret, besides answering `status`. */
  push?: PushOptions;
}

interface DemoOrder {
  id: number;
  service: string;
  /** The link, or the username for a subscription. */
  link: string;
  /** As sent: per run for drip-feed. */
  quantity: number;
  scenario: Scenario;
  placedAt: number;
  requestId?: string;
  startCount: number;
  canceled?: boolean;
  /** The `error` scenario's one `Error` answer was given. */
  hiccuped?: boolean;
  /** Absent on orders recorded before service types existed: Default. */
  type?: string;
  /** Units delivered in all: quantity x runs, max x posts, the number of comments; absent means quantity. */
  units?: number;
  runs?: number;
  interval?: number;
  posts?: number;
  expiry?: string;
  /** The type's own fields as received (comments, usernames, ...). */
  extra?: Record<string, string>;
}

interface DemoState {
  nextId: number;
  /** Refills asked for, by refill id. */
  refills?: Record<string, { placedAt: number }>;
  orders: Record<string, DemoOrder>;
  /** Failed `add` attempts so far, per request id (or link), for the flaky scenario. */
  attempts: Record<string, number>;
}

export interface DemoService {
  service: number;
  name: string;
  type: string;
  category: string;
  rate: string;
  min: string;
  max: string;
  refill: boolean;
  cancel: boolean;
  dripfeed?: boolean;
}

export const DEMO_SERVICES: DemoService[] = [
  { service: 101, name: 'YouTube Views', type: 'Default', category: 'YouTube', rate: '0.50', min: '50', max: '1000000', refill: false, cancel: true },
  { service: 102, name: 'Instagram Followers', type: 'Default', category: 'Instagram', rate: '1.20', min: '10', max: '50000', refill: true, cancel: true },
  { service: 103, name: 'TikTok Likes', type: 'Default', category: 'TikTok', rate: '0.20', min: '10', max: '100000', refill: false, cancel: false },
  { service: 104, name: 'Telegram Members', type: 'Default', category: 'Telegram', rate: '0.80', min: '100', max: '20000', refill: true, cancel: true },
  // One service per type; for the two package types `rate` is the price of one package.
  {
    service: 105,
    name: 'Instagram Likes [Drip-feed]',
    type: 'Default',
    category: 'Instagram',
    rate: '0.40',
    min: '20',
    max: '50000',
    refill: false,
    cancel: true,
    dripfeed: true,
  },
  {
    service: 106,
    name: 'Instagram Story Views Package [10K]',
    type: 'Package',
    category: 'Instagram',
    rate: '2.50',
    min: '1',
    max: '1',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 107,
    name: 'Instagram Custom Comments',
    type: 'Custom Comments',
    category: 'Instagram Comments',
    rate: '12.00',
    min: '5',
    max: '1000',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 108,
    name: 'Instagram Custom Comments Package [10]',
    type: 'Custom Comments Package',
    category: 'Instagram Comments',
    rate: '4.00',
    min: '1',
    max: '1',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 109,
    name: 'Instagram Mentions',
    type: 'Mentions',
    category: 'Instagram Mentions',
    rate: '6.00',
    min: '100',
    max: '10000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 110,
    name: 'Instagram Mentions with Hashtags',
    type: 'Mentions with Hashtags',
    category: 'Instagram Mentions',
    rate: '7.00',
    min: '100',
    max: '10000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 111,
    name: 'Instagram Mentions [Custom List]',
    type: 'Mentions Custom List',
    category: 'Instagram Mentions',
    rate: '8.00',
    min: '10',
    max: '5000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 112,
    name: 'Instagram Mentions [Hashtag Users]',
    type: 'Mentions Hashtag',
    category: 'Instagram Mentions',
    rate: '6.50',
    min: '100',
    max: '10000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 113,
    name: 'Instagram Mentions [User Followers]',
    type: 'Mentions User Followers',
    category: 'Instagram Mentions',
    rate: '6.50',
    min: '100',
    max: '10000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 114,
    name: 'Instagram Mentions [Media Likers]',
    type: 'Mentions Media Likers',
    category: 'Instagram Mentions',
    rate: '6.50',
    min: '100',
    max: '10000',
    refill: false,
    cancel: false,
    dripfeed: false,
  },
  {
    service: 115,
    name: 'Instagram Comment Likes',
    type: 'Comment Likes',
    category: 'Instagram Comments',
    rate: '3.00',
    min: '20',
    max: '10000',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 116,
    name: 'Instagram Comment Replies',
    type: 'Comment Replies',
    category: 'Instagram Comments',
    rate: '15.00',
    min: '5',
    max: '500',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 117,
    name: 'Telegram Poll Votes',
    type: 'Poll',
    category: 'Telegram',
    rate: '1.10',
    min: '50',
    max: '20000',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 118,
    name: 'Website Traffic from Google [Keywords]',
    type: 'SEO',
    category: 'Website Traffic',
    rate: '2.20',
    min: '100',
    max: '100000',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 119,
    name: 'Telegram Members [Invites from Groups]',
    type: 'Invites from Groups',
    category: 'Telegram',
    rate: '9.00',
    min: '100',
    max: '10000',
    refill: true,
    cancel: true,
    dripfeed: false,
  },
  {
    service: 120,
    name: 'Instagram Auto Likes [Subscription]',
    type: 'Subscriptions',
    category: 'Instagram Auto',
    rate: '0.60',
    min: '50',
    max: '5000',
    refill: false,
    cancel: true,
    dripfeed: false,
  },
];

function termsOf(service: DemoService): ServiceTerms {
  return { min: Number(service.min), max: Number(service.max), dripfeed: service.dripfeed === true, ratePer1000: parseMoney(service.rate) };
}

export interface DemoProvider {
  url: string;
  port: number;
  /** Counts of calls by action, for tests and benchmarks. */
  calls: Record<string, number>;
  orderCount(): number;
  /** Signed status callbacks accepted so far (when pushing). */
  pushedBatches(): number;
  /** Ambiguous status answers given so far (`Error`, `Fail`: the error and failed scenarios). */
  ambiguousAnswers(): number;
  close(): Promise<void>;
}

/** Failed `add` attempts of the outage scenario: one more than the workflow's first submit and its 6 retries. */
const OUTAGE_ATTEMPTS = 8;

export async function startDemoProvider(options: DemoProviderOptions): Promise<DemoProvider> {
  const speed = options.speed ?? 1;
  const flakyHangMs = options.flakyHangMs ?? 6_000;
  const state: DemoState =
    options.stateFile && existsSync(options.stateFile) ? JSON.parse(readFileSync(options.stateFile, 'utf8')) : { nextId: 5001, orders: {}, attempts: {} };
  const calls: Record<string, number> = {};
  const byRequestId = new Map<string, DemoOrder>();
  for (const order of Object.values(state.orders)) if (order.requestId) byRequestId.set(order.requestId, order);

  // Ids come from requests: only own entries count, so `__proto__` or `constructor` is just an unknown id.
  const orderOf = (id: string): DemoOrder | undefined => (Object.hasOwn(state.orders, id) ? state.orders[id] : undefined);

  const save = () => {
    if (!options.stateFile) return;
    writeFileSync(`${options.stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${options.stateFile}.tmp`, options.stateFile);
  };

  /** The words of the `error` and `failed` scenarios: ambiguous answers Codex must confirm before it settles. */
  let ambiguousAnswers = 0;
  const ambiguousWord = (order: DemoOrder, status: string): string | undefined => {
    if (order.scenario === 'failed' && status === 'Canceled' && !order.canceled) {
      ambiguousAnswers++;
      return 'Fail';
    }
    if (order.scenario !== 'error' || order.hiccuped || status !== 'In progress') return undefined;
    order.hiccuped = true;
    save();
    ambiguousAnswers++;
    return 'Error';
  };

  const statusOf = (order: DemoOrder) => {
    const elapsed = ((Date.now() - order.placedAt) / 1000) * speed;
    const units = order.units ?? order.quantity;
    const view = order.canceled ? { status: 'Canceled' as const, remains: units } : progressAt(timelineOf(order.scenario), units, elapsed);
    const delivered = Math.max(units - view.remains, 0);
    const service = DEMO_SERVICES.find((s) => String(s.service) === order.service);
    const type = parseServiceType(order.type ?? 'Default') ?? 'Default';
    const rate = parseMoney(service?.rate ?? '0');
    // A package is paid whole once anything of it is delivered; everything else by the unit delivered.
    const isPackage = type === 'Package' || type === 'Custom Comments Package';
    const charge = isPackage ? (delivered > 0 ? rate : ZERO) : priceOf(rate, delivered);
    return {
      charge: formatMoney(charge),
      start_count: String(order.startCount),
      status: ambiguousWord(order, view.status) ?? statusWord(type, view.status),
      remains: String(view.remains),
      currency: 'USD',
      ...statusExtras(type, { runs: order.runs, posts: order.posts, expiry: order.expiry }),
    };
  };

  const place = (params: Record<string, string>): { status: number; body: unknown; hangMs?: number } => {
    const service = DEMO_SERVICES.find((s) => String(s.service) === String(params.service ?? '').trim());
    if (!service) return { status: 200, body: { error: 'Incorrect service ID' } };
    let spec: OrderSpec;
    try {
      spec = readOrderFields(service.type, params, termsOf(service), { today: new Date().toISOString().slice(0, 10) });
    } catch (error) {
      if (isDomainError(error)) return { status: 200, body: { error: error.message } };
      throw error;
    }
    // Subscriptions have no link: the username is the target, and carries the scenario hint when it is a URL.
    const target = spec.link ?? spec.extra.username ?? '';
    const existing = params.request_id ? byRequestId.get(params.request_id) : undefined;
    if (existing) return { status: 200, body: { order: existing.id } };
    const scenario = scenarioOf(target);
    if (scenario === 'fail') return { status: 200, body: { error: 'Link is private or does not exist (codex-test=fail)' } };
    if (scenario === 'flaky') {
      const attemptKey = params.request_id ?? target;
      const attempt = (state.attempts[attemptKey] ?? 0) + 1;
      state.attempts[attemptKey] = attempt;
      save();
      if (attempt === 1) return { status: 503, body: { error: 'Service temporarily unavailable' } };
      if (attempt === 2) {
        // Recorded, but the answer comes too late: the client cannot know the order exists.
        const order = record(params, spec, target, scenario);
        return { status: 200, body: { order: order.id }, hangMs: flakyHangMs };
      }
    }
    if (scenario === 'outage') {
      // Longer than the workflow's submit retries: the first OUTAGE_ATTEMPTS time out unrecorded, then it recovers.
      const attemptKey = params.request_id ?? target;
      const attempt = (state.attempts[attemptKey] ?? 0) + 1;
      state.attempts[attemptKey] = attempt;
      save();
      if (attempt <= OUTAGE_ATTEMPTS) return { status: 504, body: { error: 'Gateway timeout' }, hangMs: flakyHangMs };
    }
    return { status: 200, body: { order: record(params, spec, target, scenario).id } };
  };

  const record = (params: Record<string, string>, spec: OrderSpec, target: string, scenario: Scenario): DemoOrder => {
    const units = orderedUnits(spec);
    const order: DemoOrder = {
      id: state.nextId++,
      service: String(params.service).trim(),
      link: target,
      quantity: spec.quantity,
      scenario,
      placedAt: Date.now(),
      startCount: 1000 + ((state.nextId * 7919) % 9000),
      ...(params.request_id ? { requestId: params.request_id } : {}),
      ...(spec.type !== 'Default' ? { type: spec.type } : {}),
      ...(units !== spec.quantity ? { units } : {}),
      ...(spec.runs !== undefined ? { runs: spec.runs, interval: spec.interval } : {}),
      ...(spec.type === 'Subscriptions' ? { posts: Number(spec.extra.posts) } : {}),
      ...(spec.extra.expiry !== undefined ? { expiry: spec.extra.expiry } : {}),
      ...(Object.keys(spec.extra).length > 0 ? { extra: spec.extra } : {}),
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
          const result: Record<string, unknown> = Object.create(null);
          for (const id of params.orders.split(',').slice(0, 100)) {
            const order = orderOf(id.trim());
            result[id] = order ? statusOf(order) : { error: 'Incorrect order ID' };
          }
          return { status: 200, body: result };
        }
        const order = orderOf(params.order ?? '');
        return { status: 200, body: order ? statusOf(order) : { error: 'Incorrect order ID' } };
      }
      case 'cancel': {
        const ids = (params.orders ?? params.order ?? '').split(',').filter(Boolean);
        return {
          status: 200,
          body: ids.map((id) => {
            const order = orderOf(id);
            if (!order) return { order: Number(id), cancel: { error: 'Incorrect order ID' } };
            order.canceled = true;
            save();
            return { order: Number(id), cancel: 1 };
          }),
        };
      }
      case 'refill': {
        if (!orderOf(params.order ?? '')) return { status: 200, body: { error: 'Incorrect order ID' } };
        const id = String(state.nextId++);
        (state.refills ??= {})[id] = { placedAt: Date.now() };
        save();
        return { status: 200, body: { refill: id } };
      }
      case 'refill_status': {
        // Refills go Pending, In progress, then Completed after 10 s of provider time.
        const statusOfRefill = (id: string) => {
          const refill = state.refills && Object.hasOwn(state.refills, id) ? state.refills[id] : undefined;
          if (!refill) return { error: 'Refill not found' };
          const elapsed = ((Date.now() - refill.placedAt) / 1000) * speed;
          return elapsed < 2 ? 'Pending' : elapsed < 10 ? 'In progress' : 'Completed';
        };
        if (params.refills)
          return {
            status: 200,
            body: params.refills
              .split(',')
              .slice(0, 100)
              .map((id) => ({ refill: Number(id), status: statusOfRefill(id.trim()) })),
          };
        const single = statusOfRefill(params.refill ?? '');
        return { status: 200, body: typeof single === 'string' ? { status: single } : single };
      }
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
  const pusher = options.push
    ? startPushing(options.push, () => new Map(Object.values(state.orders).map((order) => [String(order.id), statusOf(order)])))
    : undefined;
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    port,
    calls,
    orderCount: () => Object.keys(state.orders).length,
    pushedBatches: () => pusher?.batches() ?? 0,
    ambiguousAnswers: () => ambiguousAnswers,
    close: () =>
      new Promise<void>((resolve) => {
        pusher?.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
