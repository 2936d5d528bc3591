// Admin actions that ask an order's provider: refresh (its status now, applied as the poller applies it), cancel
// (settled Canceled with the refund of what was not delivered, through the workflow's own settlement), and resend
// (an order the workflow left to a person, `heldAt`, to the same provider or another the service names). And settle:
// a person's word on how an order at its provider ended, when the provider's own answer cannot settle it.
import { mappingsOf, type ProviderMapping } from '../../catalog/domain/catalog.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../catalog/domain/provider-errors.js';
import { loggedCall } from '../../orders/application/call-log.js';
import type { OrderServices } from '../../orders/application/order-services.js';
import { applyStatusReport, awaitsProviderStatus, type ReportOutcome } from '../../orders/application/status-reports.js';
import type { Order } from '../../orders/domain/orders.js';
import type { OrderCallLog, OrderStore, OrderWorkflow } from '../../orders/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { AdminOrderWrites } from '../orders-ports.js';
import { type Actor, auditOf } from './orders-admin.js';

/** No money path: every settlement is the workflow's Finalize step (resumed here, or by the sweeper). */
export type OrderActionServices = Pick<OrderServices, 'catalog' | 'providers' | 'tokens' | 'clock' | 'settings' | 'readings'> & {
  workflow: Pick<OrderWorkflow, 'resume'>;
  orders: Pick<OrderStore, 'getOrder' | 'recordProgress' | 'requestCancel' | 'recordSubmitted' | 'recordRejected' | 'clearSubmitInFlight'> & AdminOrderWrites;
  callLog: OrderCallLog;
};

async function orderOf(services: OrderActionServices, id: number): Promise<Order> {
  const order = await services.orders.getOrder(id);
  if (!order) throw new DomainError('unknown_order', 'Order not found');
  return order;
}

async function clientFor(services: OrderActionServices, providerId: string) {
  const provider = await services.catalog.getProvider(providerId);
  if (!provider) throw new DomainError('provider_not_mapped', `Provider ${providerId} is not configured`, 'providerId');
  return { provider, client: await services.providers.forProvider(provider) };
}

/** The provider's error as the API answers it. */
function providerRefusal(error: unknown): never {
  if (error instanceof ProviderRejected) throw new DomainError('provider_refused', error.message);
  if (error instanceof ProviderNotReached) throw new DomainError('provider_unreachable', error.message);
  if (error instanceof ProviderOutcomeUnknown) throw new DomainError('provider_unconfirmed', error.message);
  throw error;
}

/** Asks the provider for the order's status and applies it exactly as the poller does (settling it if it ended). */
export async function refreshOrder(services: OrderActionServices, actor: Actor, id: number): Promise<{ order: Order; outcome: ReportOutcome }> {
  const order = await orderOf(services, id);
  if (order.phase !== 'submitted' || order.externalOrderId === undefined) throw new DomainError('order_state_conflict', 'The order is not at its provider');
  const outcome = await askStatus(services, order, 'refresh');
  const after = await auditStatusMove(services, actor, 'order.refreshed', order, { outcome });
  return { order: after, outcome };
}

/** Reads the order again and audits the action that moved its status: status and remains before and after. */
async function auditStatusMove(
  services: OrderActionServices,
  actor: Actor,
  action: string,
  before: Order,
  extra: Record<string, string>,
  reason?: string,
): Promise<Order> {
  const after = await orderOf(services, before.id);
  await services.orders.audit(
    auditOf(actor, {
      action,
      subject: String(before.id),
      ownerId: before.ownerId,
      ...(reason ? { reason } : {}),
      before: { status: before.status, remains: before.remains ?? null },
      after: { status: after.status, remains: after.remains ?? null, ...extra },
      at: services.clock.now().toISOString(),
    }),
  );
  return after;
}

async function askStatus(services: OrderActionServices, order: Order, action: string): Promise<ReportOutcome> {
  const { client } = await clientFor(services, order.providerId);
  const external = order.externalOrderId!;
  const call = { orderId: order.id, action, providerId: order.providerId, request: { action: 'status', order: external } };
  const started = performance.now();
  const record = (fields: { answer: string; statusBefore?: string; statusAfter?: string }) =>
    services.callLog
      .record({ ...call, ...fields, latencyMs: Math.round(performance.now() - started), at: services.clock.now().toISOString() })
      .catch(() => undefined);
  let report: Awaited<ReturnType<typeof client.status>>;
  try {
    report = await client.status(external);
  } catch (error) {
    await record({ answer: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    providerRefusal(error);
  }
  const outcome = await applyStatusReport(services, order, report, services.clock.now());
  await record({
    answer: JSON.stringify(report),
    ...(outcome === 'updated' || outcome === 'resumed' ? { statusBefore: order.status, statusAfter: report.status } : {}),
  });
  return outcome;
}

/** Lets the order's parked workflow go on to its Finalize step (the one settlement and refund); none parked: nothing. */
async function resumeParked(services: OrderActionServices, id: number, status: string): Promise<void> {
  const token = await services.tokens.getTaskToken(id);
  if (token) await services.workflow.resume(token, { orderId: id, status });
}

export type CancelOutcome = 'settling' | 'requested';

/**
 * Cancels with refund. Not at the provider (never sent, or a person says the unconfirmed submission never reached it):
 * refused and settled at once (Canceled, the rest of the charge back). At the provider: asked to cancel; settled as
 * soon as the provider reports it ended (Canceled: all back; Partial: what was not delivered), else the poller does.
 */
export async function cancelOrder(
  services: OrderActionServices,
  actor: Actor,
  id: number,
  options: { neverReachedProvider?: boolean; reason?: string } = {},
): Promise<{ order: Order; outcome: CancelOutcome }> {
  const order = await orderOf(services, id);
  const now = services.clock.now().toISOString();
  const why = `Canceled by ${actor.caller.role} ${actor.caller.email ?? actor.caller.userId}${options.reason ? `: ${options.reason}` : ''}`;
  if (order.phase === 'finalized') throw new DomainError('order_finished', 'The order has already finished');
  let outcome: CancelOutcome;
  if (order.phase === 'accepted') {
    if (order.rejectedReason === undefined) {
      const refused = order.submitInFlight
        ? options.neverReachedProvider && (await services.orders.rejectUnconfirmed(id, why, now))
        : await services.orders.rejectBeforeSubmission(id, why, now);
      if (!refused) {
        throw new DomainError(
          'order_being_submitted',
          order.submitInFlight ? 'Unconfirmed submission: resend, or cancel with neverReachedProvider' : 'Being sent to the provider; retry soon',
        );
      }
    }
    // Refused before any provider has it: the workflow's Finalize refunds the rest of the charge (resumed now if it
    // waits; a workflow still submitting sees the refusal itself).
    await resumeParked(services, id, 'rejected');
    outcome = 'settling';
  } else {
    if (order.externalOrderId === undefined) throw new DomainError('order_state_conflict', 'No provider order id');
    const { client } = await clientFor(services, order.providerId);
    const external = order.externalOrderId;
    let answers: Map<string, true | Error>;
    try {
      answers = await loggedCall(
        services.callLog,
        { orderId: id, action: 'cancel', providerId: order.providerId, request: { action: 'cancel', orders: external } },
        () => services.clock.now(),
        () => client.cancel([external]),
        (result) => String(result.get(external)),
      );
    } catch (error) {
      providerRefusal(error);
    }
    const answer = answers.get(external);
    if (answer !== true) providerRefusal(answer ?? new ProviderRejected('Cancel refused'));
    await services.orders.requestCancel(id, now, 'submitted');
    // The provider took the request; its status now tells whether it ended (and what was delivered).
    const reported = await askStatus(services, order, 'status').catch(() => 'unchanged' as const);
    outcome = reported === 'resumed' ? 'settling' : 'requested';
  }
  const after = await orderOf(services, id);
  await services.orders.audit(
    auditOf(actor, {
      action: outcome === 'settling' ? 'order.canceled' : 'order.cancel_requested',
      subject: String(id),
      ownerId: order.ownerId,
      ...(options.reason ? { reason: options.reason } : {}),
      before: { status: order.status, phase: order.phase, refunded: order.refunded },
      after: { status: after.status, phase: after.phase, refunded: after.refunded },
      at: services.clock.now().toISOString(),
    }),
  );
  return { order: after, outcome };
}

export type ResendOutcome = 'submitted' | 'refused' | 'unconfirmed' | 'unreachable';

/**
 * Submits an order that has not reached a provider (never confirmed, refused, or stuck) again, to its provider or to
 * another the service names (`providerId`). Sent with the order's own request_id, so a provider that honours it
 * never takes the order twice; to one that does not, a person has checked first. Once submitted, the poller follows
 * the order and resumes its parked workflow as for any other.
 */
export async function resendOrder(
  services: OrderActionServices,
  actor: Actor,
  id: number,
  providerId?: string,
): Promise<{ order: Order; outcome: ResendOutcome; providerMessage?: string }> {
  const order = await orderOf(services, id);
  if (order.phase !== 'accepted') throw new DomainError('order_state_conflict', 'The order has left the accepted phase');
  if (order.cancelRequested) throw new DomainError('order_not_held', 'The customer asked to cancel this order: cancel it instead');
  // Only what the workflow will not submit by itself (held for a person): resending beside it could place the order
  // twice (request_id does not dedupe across providers).
  if (order.heldAt === undefined) throw new DomainError('order_not_held', 'The workflow may still submit this order: resend only one held for a person');
  const service = await services.catalog.getService(order.serviceId);
  const own: ProviderMapping = {
    providerId: order.providerId,
    providerServiceId: order.providerServiceId,
    ...(order.costPer1000 !== undefined ? { costPer1000: order.costPer1000 } : {}),
  };
  // The service's mappings carry today's cost; the order's own, if the service no longer names it, its cost as placed.
  const targets = [...(service ? mappingsOf(service) : []), own];
  const target = targets.find((t) => t.providerId === (providerId ?? order.providerId));
  if (!target) throw new DomainError('provider_not_mapped', `Not a provider of service ${order.serviceId}`, 'providerId');
  const { client } = await clientFor(services, target.providerId);
  const now = () => services.clock.now();
  const prepared = await services.orders.prepareResend(id, order.providerId, target, now().toISOString());
  if (!prepared) throw new DomainError('order_not_held', 'The order changed meanwhile (submitted, moved, cancel asked): read it again');
  let outcome: ResendOutcome;
  let providerMessage: string | undefined;
  try {
    const { externalOrderId } = await loggedCall(
      services.callLog,
      {
        orderId: id,
        action: 'resend',
        providerId: target.providerId,
        request: {
          action: 'add',
          service: target.providerServiceId,
          request_id: `codex-${id}`,
        },
      },
      now,
      () =>
        client.place({
          providerServiceId: target.providerServiceId,
          ...(prepared.providerFields ? { fields: prepared.providerFields } : { link: prepared.link, quantity: prepared.quantity }),
          requestId: `codex-${id}`,
        }),
    );
    await services.orders.recordSubmitted(prepared, externalOrderId, now().toISOString());
    outcome = 'submitted';
  } catch (error) {
    if (error instanceof ProviderRejected) {
      // Refused: the order stays unsent (another provider may be tried) until someone cancels it.
      await services.orders.recordRejected(id, error.message, now().toISOString());
      outcome = 'refused';
      providerMessage = error.message;
    } else if (error instanceof ProviderNotReached) {
      // This call did not reach the provider; an earlier one may have, and then the marker stays.
      if (!order.submitInFlight) await services.orders.clearSubmitInFlight(id, now().toISOString());
      outcome = 'unreachable';
      providerMessage = error.message;
    } else if (error instanceof ProviderOutcomeUnknown) {
      outcome = 'unconfirmed';
      providerMessage = error.message;
    } else throw error;
  }
  const after = await orderOf(services, id);
  await services.orders.audit(
    auditOf(actor, {
      action: 'order.resent',
      subject: String(id),
      ownerId: order.ownerId,
      before: { providerId: order.providerId, providerServiceId: order.providerServiceId, phase: order.phase },
      after: {
        providerId: after.providerId,
        providerServiceId: after.providerServiceId,
        phase: after.phase,
        outcome,
        externalOrderId: after.externalOrderId ?? null,
      },
      at: now().toISOString(),
    }),
  );
  return { order: after, outcome, ...(providerMessage ? { providerMessage } : {}) };
}

export type SettleOutcome = 'settling' | 'recorded';

/** How a person says an order at its provider ended: what a provider's status answer would have said. */
export interface PersonsReading {
  status: 'Completed' | 'Partial' | 'Canceled';
  /** Units not delivered: required for Partial; 0 for Completed and every unit for Canceled when given. */
  remains?: number | undefined;
  reason: string;
}

/**
 * Settles an order at its provider on a person's word (a Partial without remains that no later answer completes, a
 * provider that no longer answers for it), as if the provider had answered it: applied as the poller applies a
 * definite reading, then the workflow's Finalize settles and refunds, once (docs/admin/orders.md, "Settle").
 */
export async function settleOrder(
  services: OrderActionServices,
  actor: Actor,
  id: number,
  reading: PersonsReading,
): Promise<{ order: Order; outcome: SettleOutcome }> {
  const order = await orderOf(services, id);
  if (order.phase === 'finalized') throw new DomainError('order_finished', 'The order has already finished');
  if (!awaitsProviderStatus(order)) throw new DomainError('order_state_conflict', 'The order is not at its provider');
  const units = order.units ?? order.quantity;
  const remains = remainsOf(reading, units);
  const outcome = await applyStatusReport(services, order, { status: reading.status, remains }, services.clock.now());
  if (outcome === 'unchanged' || outcome === 'held') throw new DomainError('order_state_conflict', 'The order changed meanwhile');
  const after = await auditStatusMove(services, actor, 'order.settled_by_person', order, {}, reading.reason);
  // Resumed: Finalize settles now. Otherwise (no workflow parked yet) the sweeper resumes the ended order.
  return { order: after, outcome: outcome === 'resumed' ? 'settling' : 'recorded' };
}

/** The units not delivered that the status means: Completed none, Canceled all, Partial the person's count. */
function remainsOf({ status, remains }: PersonsReading, units: number): number {
  const meant = status === 'Completed' ? 0 : status === 'Canceled' ? units : remains;
  const fits = meant !== undefined && Number.isInteger(meant) && meant >= 0 && meant <= units && (remains === undefined || remains === meant);
  if (!fits) throw new DomainError('invalid_request', `${status} takes remains ${status === 'Partial' ? `0 to ${units}` : meant}`, 'remains');
  return meant;
}
