// An upstream SMM panel (API v2) held in memory, for the simulation: it takes every service type's `add`, answers
// status (one order and `orders=`), cancel, refill, refill_status, services and balance as panels do, lets each order
// run its course in virtual time (Date.now()), and injects the faults the plan asks for. It keeps every order it was
// ever given, so the simulation can check that Codex never placed one twice.
import { isDomainError } from '../../../lambdas/shared/errors.js';
import { ZERO, formatMoney, parseMoney, priceOf } from '../../../lambdas/shared/money.js';
import {
  type ServiceTypeName,
  orderedUnits,
  parseServiceType,
  readOrderFields,
  statusExtras,
  statusWord,
} from '../../../lambdas/catalog/domain/service-types.js';
import { DEMO_SERVICES, type DemoService } from '../../../local/demo-provider/server.js';
import type { FaultKind, FaultPlan } from './faults.js';
import { fetchFailed, timeoutError } from './internet.js';
import type { SimRandom } from './rng.js';

export interface FaultyProviderOptions {
  /** The id Codex knows this provider by (the admin API's provider id); named on every held order. */
  providerId: string;
  apiKey: string;
  /** This provider's own stream (fork it from the seed's); its orders' courses and its faults are drawn from it. */
  random: SimRandom;
  faults: FaultPlan;
  /** The catalogue it sells; the demo provider's (one service per type) when absent. */
  services?: readonly DemoService[];
  /**
   * Whether `add` with a `request_id` already seen answers that order instead of placing another. Most panels ignore
   * the field, and so does this one by default: register it in Codex with `acceptsRequestId` equal to this.
   */
  honoursRequestId?: boolean;
}

/** An order as the provider holds it, its status as it would truthfully report it now. */
export interface HeldOrder {
  providerId: string;
  providerOrderId: string;
  /** The `request_id` Codex sent with the `add` (`codex-<orderId>`), when it sent one. */
  requestId?: string;
  service: string;
  link: string;
  quantity: number;
  status: string;
  remains: number;
}

type Final = 'Completed' | 'Partial' | 'Canceled' | 'Fail';

interface SimOrder {
  id: number;
  service: string;
  type: ServiceTypeName;
  link: string;
  quantity: number;
  /** All units the order delivers when complete (quantity x runs, ...). */
  units: number;
  requestId?: string;
  placedAt: number;
  startsAt: number;
  endsAt: number;
  final: Final;
  /** Units never delivered when it ends Partial. */
  shortfall: number;
  startCount: number;
  runningWord: 'In progress' | 'Processing';
  runs?: number;
  posts?: number;
  expiry?: string;
  /** A cancel was accepted: the order stops at this time. */
  cancelAt?: number;
  /** Not a fault but a panel's habit: this order's Partial never comes with `remains` (a person must settle it). */
  partialWithoutRemains?: boolean;
}

interface SimRefill {
  placedAt: number;
  endsAt: number;
  final: 'Completed' | 'Rejected';
}

interface Answer {
  status: number;
  body: unknown;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TRANSPORT_FAULTS: readonly FaultKind[] = ['provider.timeout', 'provider.http-5xx', 'provider.html', 'provider.dropped'];
const ENTRY_FAULTS: readonly FaultKind[] = [
  'provider.incorrect-order-id',
  'provider.status-flip',
  'provider.unknown-status',
  'provider.partial-no-remains',
  'provider.error-status',
];
/** Words no panel vocabulary (orders/domain/order-status.ts) reads. */
const UNKNOWN_WORDS = ['On hold', 'Suspended', 'Moderation', 'Unknown', '17'];
const NON_TERMINAL = ['Pending', 'In progress', 'Processing'] as const;
const ACTIVE_LINK_ERROR = 'You have active order with this link. Please wait until order being completed.';

export class FaultyProvider {
  readonly providerId: string;
  /** Calls received, by action (a call that failed in transit counts too). */
  readonly calls: Record<string, number> = {};
  private readonly orders = new Map<string, SimOrder>();
  private readonly refills = new Map<string, SimRefill>();
  private readonly byRequestId = new Map<string, SimOrder>();
  private readonly services: readonly DemoService[];
  private readonly faultRandom: SimRandom;
  private readonly worldRandom: SimRandom;
  private nextId = 23_501;

  constructor(private readonly options: FaultyProviderOptions) {
    this.providerId = options.providerId;
    this.services = options.services ?? DEMO_SERVICES;
    this.faultRandom = options.random.fork('faults');
    this.worldRandom = options.random.fork('world');
  }

  /** Every order it holds, as it would report each now (no fault). */
  heldOrders(): HeldOrder[] {
    return [...this.orders.values()].map((order) => {
      const view = this.truth(order);
      return {
        providerId: this.providerId,
        providerOrderId: String(order.id),
        ...(order.requestId !== undefined ? { requestId: order.requestId } : {}),
        service: order.service,
        link: order.link,
        quantity: order.quantity,
        status: view.status,
        remains: view.remains,
      };
    });
  }

  /** The panel's `/api/v2` endpoint: form, JSON or query-string requests. Rejects as fetch would for transport faults. */
  readonly handle = async (request: Request): Promise<Response> => {
    const params = await paramsOf(request);
    const action = params.action ?? '';
    this.calls[action] = (this.calls[action] ?? 0) + 1;
    const plan = this.options.faults;
    const transport = plan.injectOne(TRANSPORT_FAULTS, this.faultRandom, action);
    if (transport) return this.failInTransit(transport);
    const answer = this.answer(params);
    if (
      action === 'add' &&
      isOrderAnswer(answer) &&
      plan.inject('provider.answer-lost', this.faultRandom, `order ${(answer.body as { order: number }).order}`)
    ) {
      const how = this.faultRandom.pick(['timeout', 'dropped', '504'] as const);
      if (how === 'timeout') throw timeoutError();
      if (how === 'dropped') throw fetchFailed('UND_ERR_SOCKET', 'other side closed');
      return html(504, '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center></body></html>');
    }
    return json(answer.status, answer.body);
  };

  private failInTransit(kind: FaultKind): Response {
    const random = this.faultRandom;
    switch (kind) {
      case 'provider.timeout':
        throw timeoutError();
      case 'provider.dropped':
        throw fetchFailed(random.pick(['UND_ERR_SOCKET', 'ECONNRESET']), 'other side closed');
      case 'provider.html':
        return html(200, '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser before accessing.</body></html>');
      default: {
        const status = random.pick([500, 502, 503, 504]);
        return random.chance(0.5)
          ? json(status, { error: 'Service temporarily unavailable' })
          : html(status, `<html><head><title>${status}</title></head><body><h1>${status}</h1><hr>nginx</body></html>`);
      }
    }
  }

  private answer(params: Record<string, string>): Answer {
    if (params.key !== this.options.apiKey) return ok({ error: 'Invalid API key' });
    switch (params.action ?? inferredAction(params)) {
      case 'services':
        return ok(this.services);
      case 'balance':
        return ok({ balance: '100000.00000', currency: 'USD' });
      case 'add':
        return this.add(params);
      case 'status':
        if (params.orders !== undefined) {
          const result: Record<string, unknown> = Object.create(null);
          for (const id of idsOf(params.orders)) result[id] = this.statusEntry(id);
          return ok(result);
        }
        return ok(this.statusEntry((params.order ?? '').trim()));
      case 'cancel':
        return ok(idsOf(params.orders ?? params.order ?? '').map((id) => ({ order: numeric(id), cancel: this.cancel(id) })));
      case 'refill':
        if (params.orders !== undefined) return ok(idsOf(params.orders).map((id) => ({ order: numeric(id), refill: this.refill(id) })));
        return ok(wrap('refill', this.refill((params.order ?? '').trim())));
      case 'refill_status':
        if (params.refills !== undefined) return ok(idsOf(params.refills).map((id) => ({ refill: numeric(id), status: this.refillStatus(id) })));
        return ok(wrap('status', this.refillStatus((params.refill ?? '').trim())));
      default:
        return ok({ error: 'Incorrect request' });
    }
  }

  private add(params: Record<string, string>): Answer {
    const service = this.services.find((s) => String(s.service) === String(params.service ?? '').trim());
    if (!service) return ok({ error: 'Incorrect service ID' });
    const type = parseServiceType(service.type) ?? 'Default';
    let spec: ReturnType<typeof readOrderFields>;
    try {
      const terms = { min: Number(service.min), max: Number(service.max), dripfeed: service.dripfeed === true, ratePer1000: parseMoney(service.rate) };
      spec = readOrderFields(service.type, params, terms, { today: new Date().toISOString().slice(0, 10) });
    } catch (error) {
      if (isDomainError(error)) return ok({ error: error.message });
      throw error;
    }
    const requestId = params.request_id?.trim() || undefined;
    const existing = requestId && this.options.honoursRequestId ? this.byRequestId.get(requestId) : undefined;
    if (existing) return ok({ order: existing.id });
    // Not a fault: panels refuse a share of orders outright, and Codex must refund those.
    if (this.worldRandom.chance(0.03)) return ok({ error: ACTIVE_LINK_ERROR });

    const id = this.nextId++;
    const course = this.options.random.fork(`order/${id}`);
    const units = orderedUnits(spec);
    const now = Date.now();
    const startsAt = now + course.int(0, 10 * MINUTE);
    const roll = course.next();
    const final: Final = roll < 0.72 ? 'Completed' : roll < 0.87 ? 'Partial' : roll < 0.95 ? 'Canceled' : 'Fail';
    const order: SimOrder = {
      id,
      service: String(service.service),
      type,
      link: spec.link ?? spec.extra.username ?? '',
      quantity: spec.quantity,
      units,
      placedAt: now,
      startsAt,
      endsAt: startsAt + course.int(2 * MINUTE, 6 * HOUR),
      // One unit cannot be partly delivered.
      final: final === 'Partial' && units < 2 ? 'Completed' : final,
      shortfall: units < 2 ? 0 : course.int(1, units - 1),
      startCount: course.int(0, 100_000),
      runningWord: course.chance(0.5) ? 'In progress' : 'Processing',
      ...(requestId !== undefined ? { requestId } : {}),
      ...(spec.runs !== undefined ? { runs: spec.runs } : {}),
      ...(type === 'Subscriptions' ? { posts: Number(spec.extra.posts) } : {}),
      ...(spec.extra.expiry !== undefined ? { expiry: spec.extra.expiry } : {}),
      // Its own stream: the draws above stay what they were before this habit existed.
      ...(this.options.random.fork(`habit/${id}`).chance(0.25) ? { partialWithoutRemains: true } : {}),
    };
    this.orders.set(String(id), order);
    if (requestId !== undefined && !this.byRequestId.has(requestId)) this.byRequestId.set(requestId, order);
    return ok({ order: id });
  }

  /** Where the order stands at `at` (now by default), without faults. */
  private truth(order: SimOrder, at = Date.now()): { status: string; remains: number; delivered: number } {
    const stop = order.cancelAt !== undefined && order.cancelAt < order.endsAt ? order.cancelAt : undefined;
    const deliveredBy = (t: number) => {
      if (t <= order.startsAt) return 0;
      const deliverable = order.final === 'Completed' ? order.units : order.final === 'Partial' ? order.units - order.shortfall : 0;
      const share = Math.min(1, (t - order.startsAt) / (order.endsAt - order.startsAt));
      return Math.floor(deliverable * share);
    };
    if (stop !== undefined && at >= stop) {
      const delivered = deliveredBy(stop);
      return delivered > 0 ? { status: 'Partial', remains: order.units - delivered, delivered } : { status: 'Canceled', remains: order.units, delivered: 0 };
    }
    if (at < order.startsAt) return { status: 'Pending', remains: order.units, delivered: 0 };
    if (at < order.endsAt) {
      const delivered = deliveredBy(at);
      return { status: order.runningWord, remains: order.units - delivered, delivered };
    }
    switch (order.final) {
      case 'Completed':
        return { status: 'Completed', remains: 0, delivered: order.units };
      case 'Partial':
        return { status: 'Partial', remains: order.shortfall, delivered: order.units - order.shortfall };
      default:
        return { status: order.final, remains: order.units, delivered: 0 };
    }
  }

  private statusEntry(id: string): Record<string, unknown> {
    const order = this.orders.get(id);
    if (!order) return { error: 'Incorrect order ID' };
    const truth = this.truth(order);
    const entry = this.statusRecord(order, truth.status, truth.remains, truth.delivered);
    if (order.partialWithoutRemains && truth.status === 'Partial') delete entry.remains;
    const fault = this.options.faults.injectOne(ENTRY_FAULTS, this.faultRandom, `order ${id} (${truth.status})`);
    const random = this.faultRandom;
    switch (fault) {
      case 'provider.incorrect-order-id':
        return { error: 'Incorrect order ID' };
      case 'provider.status-flip': {
        const terminal = !(NON_TERMINAL as readonly string[]).includes(truth.status);
        const word = terminal ? 'In progress' : random.pick(NON_TERMINAL.filter((w) => w !== truth.status));
        return { ...entry, status: word, remains: String(terminal ? order.units : truth.remains) };
      }
      case 'provider.unknown-status':
        return { ...entry, status: random.pick(UNKNOWN_WORDS) };
      case 'provider.partial-no-remains': {
        const { remains: _omitted, ...rest } = entry;
        return { ...rest, status: 'Partial' };
      }
      case 'provider.error-status':
        return { ...entry, status: random.pick(['Error', 'Fail']) };
      default:
        return entry;
    }
  }

  private statusRecord(order: SimOrder, status: string, remains: number, delivered: number): Record<string, unknown> {
    const service = this.services.find((s) => String(s.service) === order.service);
    const rate = parseMoney(service?.rate ?? '0');
    // A package is paid whole once anything of it is delivered; everything else by the unit delivered.
    const isPackage = order.type === 'Package' || order.type === 'Custom Comments Package';
    const charge = isPackage ? (delivered > 0 ? rate : ZERO) : priceOf(rate, delivered);
    const word = status === 'In progress' || status === 'Processing' ? statusWord(order.type, status) : status;
    return {
      charge: formatMoney(charge),
      start_count: String(order.startCount),
      status: word,
      remains: String(remains),
      currency: 'USD',
      ...statusExtras(order.type, { runs: order.runs, posts: order.posts, expiry: order.expiry }),
    };
  }

  private cancel(id: string): 1 | { error: string } {
    const order = this.orders.get(id);
    if (!order || this.options.faults.inject('provider.incorrect-order-id', this.faultRandom, `cancel ${id}`)) return { error: 'Incorrect order ID' };
    const service = this.services.find((s) => String(s.service) === order.service);
    if (!service?.cancel) return { error: 'Cancel is not available for this service' };
    const now = Date.now();
    if (now >= order.endsAt || (order.cancelAt !== undefined && now >= order.cancelAt)) return { error: 'The order cannot be canceled' };
    // `1` means the cancel was requested: the order stops a little later.
    order.cancelAt ??= now + this.worldRandom.int(MINUTE, 30 * MINUTE);
    return 1;
  }

  private refill(id: string): string | { error: string } {
    const order = this.orders.get(id);
    if (!order || this.options.faults.inject('provider.incorrect-order-id', this.faultRandom, `refill ${id}`)) return { error: 'Incorrect order ID' };
    const service = this.services.find((s) => String(s.service) === order.service);
    if (!service?.refill) return { error: 'Refill is disabled for this service' };
    const status = this.truth(order).status;
    if (status !== 'Completed' && status !== 'Partial') return { error: 'The order is not completed yet' };
    const refillId = String(this.nextId++);
    const now = Date.now();
    this.refills.set(refillId, {
      placedAt: now,
      endsAt: now + this.worldRandom.int(5 * MINUTE, 2 * HOUR),
      final: this.worldRandom.chance(0.1) ? 'Rejected' : 'Completed',
    });
    return refillId;
  }

  private refillStatus(id: string): string | { error: string } {
    const refill = this.refills.get(id);
    if (!refill) return { error: 'Refill not found' };
    const now = Date.now();
    return now < refill.placedAt + MINUTE ? 'Pending' : now < refill.endsAt ? 'In progress' : refill.final;
  }
}

/** The single-id refill answers: `{"refill": "id"}` and `{"status": "..."}`; errors stay `{"error": ...}`. */
function wrap(field: 'refill' | 'status', value: string | { error: string }): unknown {
  return typeof value === 'string' ? { [field]: value } : value;
}

function isOrderAnswer(answer: Answer): boolean {
  return typeof answer.body === 'object' && answer.body !== null && 'order' in answer.body;
}

/** The widely copied PHP client sends refill calls without `action`: panels infer it from the fields. */
function inferredAction(params: Record<string, string>): string {
  if (params.refills !== undefined || params.refill !== undefined) return 'refill_status';
  if (params.order !== undefined || params.orders !== undefined) return 'refill';
  return '';
}

function idsOf(list: string): string[] {
  return list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
    .slice(0, 100);
}

function numeric(id: string): number | string {
  return /^\d+$/.test(id) ? Number(id) : id;
}

async function paramsOf(request: Request): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams);
  const body = await request.text();
  if (body.trim().startsWith('{')) {
    try {
      for (const [name, value] of Object.entries(JSON.parse(body) as Record<string, unknown>)) params[name] = String(value);
    } catch {
      // Read below as an incorrect request.
    }
  } else Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  return params;
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function html(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
