// A gateway's callback: verify it, tie it to its top-up, confirm with the gateway, then credit once, end or note the
// top-up. Every callback leaves a record with its verdict; a refused one leaves nothing else.
import { logger } from '../../shared/logger.js';
import { formatMoney, inUnits, type Micros, parseMoney } from '../../shared/money.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';
import type { Clock } from '../../shared/ports.js';
import { decide, type GatewayEvent, type PaymentMethod, type TopUp } from '../domain/top-ups.js';
import type { CallbackRecord, CallbackRefusal, CallbackVerdict, PaymentGateway, PaymentGateways, TopUpStore } from '../ports.js';
import type { AttentionQueue } from '../../orders/ports.js';

export interface CallbackDeps {
  store: TopUpStore;
  gateways: PaymentGateways;
  clock: Clock;
  /** Issue 11: a top-up put in review (a wrong amount paid) waits for a person in the admin API's attention queue. */
  attention?: AttentionQueue;
  /** TopUpsCredited and TopUpAmount (money in), once per top-up. */
  metrics: MetricsRecorder;
}

export type CallbackResult =
  | { accepted: true; verdict: CallbackVerdict; topUpId: string }
  | { accepted: false; refusal: CallbackRefusal; detail: string }
  | { accepted: false; refusal: 'not_confirmed'; detail: string }
  | { accepted: false; refusal: 'method_not_offered' };

/** What is kept of a signed callback's body, and of one refused before it was known to be the gateway's. */
const BODY_KEPT = 4096;
const REFUSED_BODY_KEPT = 256;

/** At most `bytes` UTF-8 bytes of `text`, cut at a character boundary. */
export function bodyPrefix(text: string, bytes: number): string {
  let kept = text.slice(0, bytes);
  while (Buffer.byteLength(kept, 'utf8') > bytes) kept = kept.slice(0, -1);
  return kept;
}

export async function handleCallback(deps: CallbackDeps, method: PaymentMethod, rawBody: string, headers: Record<string, string>): Promise<CallbackResult> {
  const gateway = await deps.gateways.get(method);
  if (!gateway) return { accepted: false, refusal: 'method_not_offered' };
  const base = { method, body: bodyPrefix(rawBody, BODY_KEPT) };
  const record = (fields: Omit<CallbackRecord, 'method' | 'body' | 'at'>) => deps.store.record({ ...base, ...fields, at: deps.clock.now().toISOString() });

  const verified = await gateway.verifyCallback(rawBody, headers);
  if ('refused' in verified) {
    // Anyone can send these (unsigned, forged, malformed): a short prefix is enough to tell what they were.
    await deps.store.record({
      method,
      body: bodyPrefix(rawBody, REFUSED_BODY_KEPT),
      verdict: `refused:${verified.refused}`,
      detail: verified.detail,
      at: deps.clock.now().toISOString(),
    });
    return { accepted: false, refusal: verified.refused, detail: verified.detail };
  }
  const event = verified.event;
  const seen = { gatewayPaymentId: event.gatewayPaymentId, status: event.status };
  const refuse = async (refusal: CallbackRefusal, detail: string): Promise<CallbackResult> => {
    await record({ ...seen, verdict: `refused:${refusal}`, detail, topUpId: event.topUpId });
    logger.warn('payment callback refused', { method, refusal, detail, topUpId: event.topUpId, gatewayPaymentId: event.gatewayPaymentId });
    return { accepted: false, refusal, detail };
  };

  const topUp = await deps.store.find(event.topUpId);
  if (!topUp || topUp.method !== method) return refuse('unknown_top_up', `No ${method} top-up ${event.topUpId}`);
  if (topUp.gatewayPaymentId !== undefined && topUp.gatewayPaymentId !== event.gatewayPaymentId) {
    return refuse('other_payment', `Payment ${event.gatewayPaymentId} is not the payment of top-up ${topUp.id}`);
  }
  if (event.currency !== undefined && event.currency !== topUp.currency) {
    return refuse('wrong_currency', `The callback is in ${event.currency}; the top-up is in ${topUp.currency}`);
  }
  if (event.amount !== undefined && !sameAmount(event.amount, topUp.amount)) {
    return refuse('amount_mismatch', `The callback's invoice is for ${event.amount}; the top-up is for ${formatMoney(topUp.amount, 2)}`);
  }

  const tied = { ...seen, topUpId: topUp.id };
  try {
    if (await deps.store.handled(method, event.gatewayPaymentId, event.status)) {
      await record({ ...tied, verdict: 'duplicate' });
      return { accepted: true, verdict: 'duplicate', topUpId: topUp.id };
    }
    const outcome = await apply(deps, gateway, topUp, event);
    if (outcome.verdict === 'not_confirmed') {
      await record({ ...tied, verdict: 'not_confirmed', detail: outcome.detail });
      return { accepted: false, refusal: 'not_confirmed', detail: outcome.detail };
    }
    await deps.store.markHandled(method, event.gatewayPaymentId, event.status, topUp.id, deps.clock.now().toISOString());
    await record({ ...tied, verdict: outcome.verdict });
    logger.info('payment callback handled', { method, topUpId: topUp.id, status: event.status, verdict: outcome.verdict });
    return { accepted: true, verdict: outcome.verdict, topUpId: topUp.id };
  } catch (error) {
    await record({ ...tied, verdict: 'error', detail: (error as Error).message }).catch(() => undefined);
    throw error;
  }
}

async function apply(
  deps: CallbackDeps,
  gateway: PaymentGateway,
  topUp: TopUp,
  event: GatewayEvent,
): Promise<{ verdict: Exclude<CallbackVerdict, 'not_confirmed'> } | { verdict: 'not_confirmed'; detail: string }> {
  const decision = decide(topUp, event.outcome);
  if (decision.action === 'nothing') return { verdict: decision.verdict };

  // Money and final states move only on what the gateway says when asked, not on what a callback tells.
  if (gateway.confirm) {
    const confirmed = await gateway.confirm(event);
    const same = confirmed.topUpId === topUp.id && confirmed.currency === topUp.currency && sameAmount(confirmed.amount, topUp.amount);
    if (!same || confirmed.outcome !== event.outcome) {
      return {
        verdict: 'not_confirmed',
        detail: `The gateway says ${confirmed.status} for ${confirmed.topUpId}, ${confirmed.amount} ${confirmed.currency}; the callback said ${event.status}`,
      };
    }
  }
  const at = deps.clock.now().toISOString();
  if (decision.action === 'credit') {
    // The invoice's amount, whatever was overpaid.
    const result = await deps.store.credit(topUp, topUp.amount, event.status, at);
    if (result !== 'applied') return { verdict: 'already_credited' };
    // What was paid in; a promo code's bonus, credited with it, is not money in.
    deps.metrics.record('TopUpsCredited', 1, {});
    deps.metrics.record('TopUpAmount', inUnits(topUp.amount), {});
    return { verdict: 'credited' };
  }
  const changed = await deps.store.mark(topUp, decision.status, decision.from, event.status, at);
  if (changed && decision.status === 'review') await deps.attention?.raise({ reason: 'wrong_amount', topUpId: topUp.id, ownerId: topUp.ownerId, since: at });
  return { verdict: changed ? decision.status : 'ignored' };
}

function sameAmount(text: string, amount: Micros): boolean {
  try {
    return parseMoney(text) === amount;
  } catch {
    return false;
  }
}
