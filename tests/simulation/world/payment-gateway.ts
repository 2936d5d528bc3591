// The demo payment gateway's side of top-ups, for the simulation: for each top-up Codex created it decides what the
// payer does (pays, cancels, walks away), remembers which top-ups it saw paid (the only ones Codex may credit), and
// writes the callbacks it would send, signed as DemoGateway.callbackFor signs them, plus, when the plan says so, the
// adversarial ones: duplicated, reordered, forged, replayed and late. The driver POSTs each at its `deliverAt`.
import { DEMO_SIGNATURE_HEADER, type DemoCallbackBody, type DemoStatus, demoPaymentId, signDemo } from '../../../lambdas/payments/gateways/demo.js';
import { type Micros, addMoney, formatMoney, parseMoney } from '../../../lambdas/shared/money.js';
import type { FaultPlan } from './faults.js';
import type { SimRandom } from './rng.js';

export const DEMO_CALLBACK_PATH = '/api/v1/payments/demo/callback';

export type PayerOutcome = 'paid' | 'cancelled' | 'abandoned';

/** What the callback is; every kind but `genuine`, `duplicate`, `reordered` and `late` is an attacker's. */
export type CallbackKind = 'genuine' | 'duplicate' | 'reordered' | 'late' | 'forged-signature' | 'forged-body' | 'replayed';

export interface CallbackRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface GatewayCallback {
  topUpId: string;
  /** Epoch ms (virtual time) to deliver it at; it is signed for that moment. */
  deliverAt: number;
  kind: CallbackKind;
  /** The status the body claims. */
  status: DemoStatus;
  /** Codex must refuse it: not signed by the gateway as it stands, or signed outside the tolerance window. */
  mustBeRefused: boolean;
  request: CallbackRequest;
}

/** A top-up as Codex shows it (POST /api/v1/top-ups) or stores it (amount in micros). */
export interface CheckoutTopUp {
  id: string;
  amount: string | Micros;
  currency: string;
  expiresAt: string;
}

export interface SimPaymentGatewayOptions {
  /** The demo gateway's signing secret (the local stack's LOCAL_DEMO_GATEWAY_SECRET). */
  secret: string;
  random: SimRandom;
  faults: FaultPlan;
  path?: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** DemoGateway's tolerance window; a replay is sent later than this after its signature. */
const TOLERANCE_MS = 300 * SECOND;

export class SimPaymentGateway {
  private readonly paid = new Set<string>();
  private readonly outcomes = new Map<string, PayerOutcome>();
  private readonly random: SimRandom;
  private readonly path: string;
  private checkouts = 0;

  constructor(private readonly options: SimPaymentGatewayOptions) {
    this.random = options.random.fork('payment-gateway');
    this.path = options.path ?? DEMO_CALLBACK_PATH;
  }

  /** Top-up ids the gateway saw paid: exactly those it sent (or will send) a genuine `paid` callback for. */
  get confirmed(): ReadonlySet<string> {
    return this.paid;
  }

  outcomeOf(topUpId: string): PayerOutcome | undefined {
    return this.outcomes.get(topUpId);
  }

  /**
   * The payer's outcome for a top-up just created, and every callback to deliver for it, sorted by `deliverAt`.
   * Each call draws from its own fork (by call number), so the driver must call it in a reproducible order.
   */
  checkout(topUp: CheckoutTopUp, now = Date.now()): { outcome: PayerOutcome; callbacks: GatewayCallback[] } {
    const random = this.random.fork(`checkout/${this.checkouts++}`);
    const faults = this.options.faults;
    const expiresAt = Date.parse(topUp.expiresAt);
    const roll = random.next();
    const outcome: PayerOutcome = roll < 0.65 ? 'paid' : roll < 0.8 ? 'cancelled' : 'abandoned';
    this.outcomes.set(topUp.id, outcome);
    const callbacks: GatewayCallback[] = [];
    const send = (status: DemoStatus, deliverAt: number, kind: CallbackKind) => {
      const callback = this.signed(topUp, status, deliverAt, kind);
      callbacks.push(callback);
      return callback;
    };
    const withinLifetime = () => now + random.int(10 * SECOND, Math.max(10 * SECOND, Math.min(20 * MINUTE, expiresAt - now - MINUTE)));

    let genuine: GatewayCallback | undefined;
    if (outcome === 'paid') {
      this.paid.add(topUp.id);
      const late = faults.inject('payment.late', random, topUp.id);
      const paidAt = late ? Math.max(expiresAt, now) + random.int(MINUTE, 3 * HOUR) : withinLifetime();
      // Some payers cancel a first attempt and then pay: the gateway tells both, in order.
      if (random.chance(0.1)) send('cancelled', paidAt - random.int(SECOND, 5 * MINUTE), 'genuine');
      genuine = send('paid', paidAt, late ? 'late' : 'genuine');
      // A stale status retried after the newer one (the gateway re-signs each retry).
      if (faults.inject('payment.reordered', random, topUp.id)) send('cancelled', paidAt + random.int(SECOND, 10 * MINUTE), 'reordered');
    } else if (outcome === 'cancelled') {
      genuine = send('cancelled', withinLifetime(), 'genuine');
    }
    if (genuine && faults.inject('payment.duplicate', random, topUp.id)) {
      send(genuine.status, genuine.deliverAt + random.int(SECOND, 10 * MINUTE), 'duplicate');
    }
    if (genuine && faults.inject('payment.replayed', random, topUp.id)) {
      callbacks.push({ ...genuine, kind: 'replayed', mustBeRefused: true, deliverAt: genuine.deliverAt + TOLERANCE_MS + random.int(SECOND, 2 * HOUR) });
    }
    if (genuine && faults.inject('payment.forged-body', random, topUp.id)) {
      // Bytes changed, signature kept: a bigger amount on a payment, `paid` on a cancellation.
      const body = JSON.parse(genuine.request.body) as DemoCallbackBody;
      const forged =
        genuine.status === 'paid' ? { ...body, amount: formatMoney(addMoney(amountMicros(topUp.amount), parseMoney('100')), 2) } : { ...body, status: 'paid' };
      callbacks.push({
        ...genuine,
        kind: 'forged-body',
        status: 'paid',
        mustBeRefused: true,
        deliverAt: genuine.deliverAt + random.int(SECOND, 2 * MINUTE),
        request: { ...genuine.request, body: JSON.stringify(forged) },
      });
    }
    if (faults.inject('payment.forged-signature', random, topUp.id)) {
      // Someone who knows the top-up's id (it is in the checkout URL) but not the secret claims it paid.
      const deliverAt = now + random.int(SECOND, 30 * MINUTE);
      const body = JSON.stringify(this.bodyOf(topUp, 'paid'));
      const mac = Array.from({ length: 8 }, () => random.int(0, 0xffff_ffff).toString(16).padStart(8, '0')).join('');
      callbacks.push({
        topUpId: topUp.id,
        deliverAt,
        kind: 'forged-signature',
        status: 'paid',
        mustBeRefused: true,
        request: this.request(body, `t=${Math.floor(deliverAt / SECOND)},v1=${mac}`),
      });
    }
    callbacks.sort((a, b) => a.deliverAt - b.deliverAt);
    return { outcome, callbacks };
  }

  private signed(topUp: CheckoutTopUp, status: DemoStatus, deliverAt: number, kind: CallbackKind): GatewayCallback {
    const body = JSON.stringify(this.bodyOf(topUp, status));
    const signature = signDemo(body, this.options.secret, Math.floor(deliverAt / SECOND));
    return { topUpId: topUp.id, deliverAt, kind, status, mustBeRefused: false, request: this.request(body, signature) };
  }

  /** The body exactly as DemoGateway.callbackFor writes it (same fields, same order). */
  private bodyOf(topUp: CheckoutTopUp, status: DemoStatus): DemoCallbackBody {
    return { id: demoPaymentId(topUp.id), topUpId: topUp.id, status, amount: formatMoney(amountMicros(topUp.amount), 2), currency: topUp.currency };
  }

  private request(body: string, signature: string): CallbackRequest {
    return { method: 'POST', path: this.path, headers: { 'content-type': 'application/json', [DEMO_SIGNATURE_HEADER]: signature }, body };
  }
}

function amountMicros(amount: string | Micros): Micros {
  return typeof amount === 'number' ? amount : parseMoney(amount);
}
