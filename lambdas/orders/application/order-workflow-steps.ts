// The steps of the order workflow (state-machines/order-workflow.asl.json). Each is idempotent: running an
// order's workflow again from the start finishes it without repeating any effect.
import { addMoney, formatMoney, inUnits } from '../../shared/money.js';
import { isTerminal } from '../domain/order-status.js';
import { settle } from '../domain/orders.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../catalog/domain/provider-errors.js';
import { mappingsOf, providerStatusOf, takesNewOrders } from '../../catalog/domain/catalog.js';
import type { Order } from '../domain/orders.js';
import type { AttentionQueue, OrderCallLog } from '../ports.js';
import { loggedCall } from './call-log.js';
import type { OrderServices } from './order-services.js';

export type SubmitOutcome = 'submitted' | 'rejected' | 'unconfirmed' | 'finalized' | 'retry_later';

/** Rounds of "wait, then submit again" for a provider that honours request_id, before a person is asked (~3 h). */
export const MAX_RESUBMIT_ROUNDS = 12;

/** Raised so the workflow retries the submit step with backoff. */
export class ProviderUnavailable extends Error {
  override readonly name = 'ProviderUnavailable';
}

export class OrderNotFound extends Error {
  override readonly name = 'OrderNotFound';
}

/** Issue 11: the provider-call log (each `add`) and the admin API's attention queue (unconfirmed submissions). */
export interface ForOperators {
  callLog?: OrderCallLog;
  attention?: AttentionQueue;
}

export type SubmitServices = Pick<OrderServices, 'orders' | 'catalog' | 'providers' | 'clock'> & ForOperators;

export async function submitOrder(services: SubmitServices, orderId: number): Promise<SubmitOutcome> {
  const outcome = await submitOnce(services, orderId);
  if (outcome === 'unconfirmed') await raiseUnconfirmed(services, orderId);
  return outcome;
}

/**
 * A submission nobody can confirm waits for a person: marked held on the order (what lets an admin resend it) and
 * queued for them (the same item however often raised).
 */
async function raiseUnconfirmed(services: Pick<SubmitServices, 'orders' | 'attention' | 'clock'>, orderId: number): Promise<void> {
  await services.orders.holdUnconfirmed(orderId, services.clock.now().toISOString());
  await services.attention?.raise({ reason: 'unconfirmed_submission', orderId, since: services.clock.now().toISOString() });
}

async function submitOnce(services: SubmitServices, orderId: number): Promise<SubmitOutcome> {
  const { orders, catalog, providers, clock } = services;
  const order = await orders.getOrder(orderId);
  if (!order) throw new OrderNotFound(`Order ${orderId} does not exist`);
  if (order.phase === 'finalized') return 'finalized';
  if (order.phase === 'submitted') return 'submitted';
  if (order.rejectedReason !== undefined) return 'rejected';
  // Left to a person (a rerun of the workflow too): only they resend it, so that it is never placed twice.
  if (order.heldAt !== undefined) return 'unconfirmed';
  // Cancelled before any call could have reached the provider: refund instead of submitting. If a call may have
  // reached it, the order goes on (resent with its request_id, or held) and the cancel is forwarded after.
  if (order.cancelRequested && !order.submitInFlight) {
    await orders.recordRejected(orderId, "Canceled at the customer's request before it reached the provider", clock.now().toISOString());
    return 'rejected';
  }

  const provider = await catalog.getProvider(order.providerId);
  // Nothing of this order is at a provider that takes no new orders: the service's next provider gets it, if any.
  if ((!provider || !takesNewOrders(provider)) && !order.submitInFlight) {
    const why = `Provider ${order.providerId} is ${provider ? (providerStatusOf(provider) === 'maintenance' ? 'in maintenance' : 'disabled') : 'not configured'}`;
    if (await moveToFallback(services, order, why, false)) return submitOnce(services, orderId);
    if (provider && providerStatusOf(provider) === 'maintenance') throw new ProviderUnavailable(why);
    await orders.recordRejected(orderId, why, clock.now().toISOString());
    return 'rejected';
  }
  if (!provider) {
    await orders.recordRejected(orderId, `Provider ${order.providerId} is not configured`, clock.now().toISOString());
    return 'rejected';
  }
  // A call that may have reached a provider without request_id support must not be repeated: a person decides.
  if (order.submitInFlight && !provider.acceptsRequestId) return 'unconfirmed';

  // The in-flight marker goes on before every call: until the provider's answer is recorded, the order may be
  // there. Without request_id support only one call may ever be under way; with it, a resend is safe.
  const started = provider.acceptsRequestId
    ? await orders.markSubmitInFlight(orderId, clock.now().toISOString())
    : await orders.beginSubmit(orderId, clock.now().toISOString());
  if (!started) return submitOnce(services, orderId);

  const client = await providers.forProvider(provider);
  try {
    const sent = order.providerFields ?? { link: order.link, quantity: String(order.quantity) };
    const { externalOrderId } = await loggedCall(
      services.callLog,
      {
        orderId,
        action: 'add',
        providerId: provider.id,
        request: { action: 'add', service: order.providerServiceId, ...sent, request_id: `codex-${order.id}` },
      },
      () => clock.now(),
      () =>
        client.place({
          providerServiceId: order.providerServiceId,
          ...(order.providerFields ? { fields: order.providerFields } : { link: order.link, quantity: order.quantity }),
          requestId: `codex-${order.id}`,
        }),
    );
    const submitted = await orders.recordSubmitted(order, externalOrderId, clock.now().toISOString());
    // A cancel that arrived while we were submitting goes on to the provider now. If the provider refuses or cannot
    // be reached, the order simply runs on; the customer can ask again now that it is at the provider.
    if (submitted?.cancelRequested) await client.cancel([externalOrderId]).catch(() => undefined);
    return 'submitted';
  } catch (error) {
    if (error instanceof ProviderRejected) {
      // An earlier call's outcome was unclear (the marker was on when this run read the order): this refusal does not
      // prove that call did not create the order, so it is held like that call (resent with request_id later, then
      // a person), never moved or refused.
      if (order.submitInFlight) throw new ProviderUnavailable(error.message);
      // A refusal is definite (an unclear failure is not: that order may exist), so the next provider may take it.
      if (await moveToFallback(services, order, error.message, true)) return submitOnce(services, orderId);
      await orders.recordRejected(orderId, error.message, clock.now().toISOString());
      return 'rejected';
    }
    if (error instanceof ProviderNotReached) {
      // This call did not reach the provider. An earlier call still may have (the marker was already on when this
      // run read the order), and then the marker stays.
      if (!order.submitInFlight) await orders.clearSubmitInFlight(orderId, clock.now().toISOString());
      throw new ProviderUnavailable(error.message);
    }
    if (error instanceof ProviderOutcomeUnknown) {
      // The marker stays on: resending is safe only with request_id, and giving up later must not refund blindly.
      if (!provider.acceptsRequestId) return 'unconfirmed';
      throw new ProviderUnavailable(error.message);
    }
    throw error;
  }
}

/**
 * Moves the order to the next of its service's providers (mappingsOf: its own, then its fallbacks) that takes new
 * orders and has not had it, before any call goes there. False when there is none; true also when another run moved
 * or ended the order first (the caller reads it again).
 */
async function moveToFallback(services: SubmitServices, order: Order, reason: string, afterRefusal: boolean): Promise<boolean> {
  const service = await services.catalog.getService(order.serviceId);
  if (!service) return false;
  const chain = mappingsOf(service);
  const tried = new Set([order.providerId, ...(order.reassignments ?? []).map((r) => r.from)]);
  const at = chain.findIndex((m) => m.providerId === order.providerId);
  for (const mapping of chain.slice(at + 1)) {
    if (tried.has(mapping.providerId)) continue;
    const next = await services.catalog.getProvider(mapping.providerId);
    if (!next || !takesNewOrders(next)) continue;
    await services.orders.reassignProvider(order.id, order.providerId, mapping, reason, services.clock.now().toISOString(), afterRefusal);
    return true;
  }
  return false;
}

/**
 * After the submit retries are spent: refund if nothing can have reached the provider; submit again later if
 * resending is safe (request_id); else hold for a person.
 */
export type GiveUpServices = Pick<OrderServices, 'orders' | 'catalog' | 'clock'> & Pick<ForOperators, 'attention'>;

export async function giveUpSubmission(services: GiveUpServices, orderId: number, reason: string): Promise<SubmitOutcome> {
  const order = await services.orders.getOrder(orderId);
  if (!order) throw new OrderNotFound(`Order ${orderId} does not exist`);
  if (order.phase !== 'accepted') return order.phase === 'finalized' ? 'finalized' : 'submitted';
  if (order.rejectedReason !== undefined) return 'rejected';
  if (order.submitInFlight) {
    // Resending is safe where the provider honours request_id: wait and try again, for a few hours, before a person.
    const provider = await services.catalog.getProvider(order.providerId);
    if (provider?.acceptsRequestId && (order.resubmitRounds ?? 0) < MAX_RESUBMIT_ROUNDS) {
      await services.orders.countResubmitRound(orderId, services.clock.now().toISOString());
      return 'retry_later';
    }
    await raiseUnconfirmed(services, orderId);
    return 'unconfirmed';
  }
  await services.orders.recordRejected(orderId, `Provider unavailable: ${reason}`, services.clock.now().toISOString());
  return 'rejected';
}

/** Parks the workflow's callback token on the order; resumes at once if the order has already ended. */
export type AwaitServices = Pick<OrderServices, 'orders' | 'tokens' | 'workflow' | 'clock'>;

export async function awaitOutcome(services: AwaitServices, orderId: number, taskToken: string): Promise<'parked' | 'resumed'> {
  await services.tokens.parkTaskToken(orderId, taskToken, services.clock.now().toISOString());
  // Read after the write: a poller that ends the order after this read finds the token, one before it is seen here.
  const stored = await services.orders.getOrder(orderId);
  const order = stored && stored.phase !== 'finalized' ? stored : undefined;
  if (!order || isTerminal(order.status) || order.rejectedReason !== undefined) {
    await services.workflow.resume(taskToken, { orderId, status: order?.status ?? 'finalized' });
    return 'resumed';
  }
  return 'parked';
}

/**
 * The workflow's first state: submit, then wait for the outcome in the same task (its callback token parked beside
 * the order), so an ordinary order costs two state transitions (this and Finalize) instead of four (a routing Choice
 * and a separate wait state). An order that ended at submission (refused, already settled) resumes its own task at
 * once; one held for a person waits for them like any other.
 */
export type SubmitAndAwaitServices = SubmitServices & AwaitServices;

export async function submitAndAwait(services: SubmitAndAwaitServices, orderId: number, taskToken: string): Promise<SubmitOutcome> {
  const outcome = await submitOrder(services, orderId);
  if (outcome === 'submitted' || outcome === 'unconfirmed') {
    await awaitOutcome(services, orderId, taskToken);
  } else {
    await services.workflow.resume(taskToken, { orderId, status: outcome });
  }
  return outcome;
}

export interface FinalizeResult {
  orderId: number;
  status: string;
  refund: string;
}

// Its events (order.completed, partial, canceled, refunded) come from the settlement's write, through the table's
// stream (docs/events.md): nothing to publish here, so nothing lost if this step dies after the write.
export type FinalizeServices = Pick<OrderServices, 'orders' | 'links' | 'clock' | 'metrics'>;

export async function finalizeOrder(services: FinalizeServices, orderId: number): Promise<FinalizeResult> {
  const { orders, links, clock } = services;
  const order = await orders.getOrder(orderId);
  if (!order) throw new OrderNotFound(`Order ${orderId} does not exist`);
  if (order.phase === 'finalized') {
    // Already settled (a rerun): finish what the first run may not have.
    await links.releaseExclusiveLink(order);
    return { orderId, status: order.status, refund: formatMoney(order.refunded) };
  }
  const settlement = settle(order);
  const now = clock.now().toISOString();
  // A counted order's place in the active-orders count is given back inside this write: exactly once.
  const applied = await orders.finalize(order, settlement, now);
  // Counted by the run whose write settled it, so a rerun or a concurrent run counts nothing twice.
  if (applied === 'applied') {
    services.metrics.record('OrdersFinalized', 1, { status: settlement.status });
    if (settlement.refund > 0) services.metrics.record('RefundAmount', inUnits(settlement.refund), {});
  }
  // Released after settlement; a rerun releases it again, in case this process stopped here.
  await links.releaseExclusiveLink(order);
  // Whoever settled it (this run or a concurrent one), the stored order is the truth to report.
  const final =
    applied === 'applied'
      ? { ...order, status: settlement.status, refunded: addMoney(order.refunded, settlement.refund), remains: settlement.remains }
      : ((await orders.getOrder(orderId)) ?? order);
  return { orderId, status: final.status, refund: formatMoney(final.refunded) };
}
