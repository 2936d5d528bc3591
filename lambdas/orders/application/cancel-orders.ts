// Cancelling orders at the customer's request. "Requested" is all we can promise: the provider decides, and the
// order settles through its workflow as the provider reports it (Canceled → full refund, Partial → the rest).
import type { Order } from '../domain/orders.js';
import { ProviderRejected } from '../../catalog/domain/provider-errors.js';
import type { OrderServices } from './order-services.js';

/** Why an order cannot be cancelled. Each API words these its own way (reseller/v2-errors.ts for the v2 protocol). */
export type CancelRefusal = 'unknown_order' | 'cancel_not_available' | 'order_finished' | 'order_being_submitted' | 'provider_unreachable' | 'provider_refused';

export type CancelResult =
  | { orderId: string; outcome: 'requested' }
  | { orderId: string; outcome: 'refused'; refusal: CancelRefusal; providerMessage?: string };

export type CancelOrderServices = Pick<OrderServices, 'orders' | 'catalog' | 'providers' | 'clock'>;

export async function cancelOrders(services: CancelOrderServices, ownerId: string, requestedIds: string[]): Promise<CancelResult[]> {
  const numeric = requestedIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  const orders = await services.orders.getOrders(numeric);
  const now = services.clock.now().toISOString();
  const results = new Map<string, CancelResult>();
  const toProvider = new Map<string, { id: string; order: Order }[]>();

  for (const id of requestedIds) {
    let order = /^\d{1,15}$/.test(id) ? orders.get(Number(id)) : undefined;
    if (!order || order.ownerId !== ownerId) {
      results.set(id, { orderId: id, outcome: 'refused', refusal: 'unknown_order' });
      continue;
    }
    const service = await services.catalog.getService(order.serviceId);
    if (!service?.cancel) results.set(id, { orderId: id, outcome: 'refused', refusal: 'cancel_not_available' });
    else if (order.phase === 'finalized') results.set(id, { orderId: id, outcome: 'refused', refusal: 'order_finished' });
    else if (order.phase === 'accepted' && order.submitInFlight) {
      results.set(id, { orderId: id, outcome: 'refused', refusal: 'order_being_submitted' });
    } else if (order.phase === 'accepted' && (await services.orders.requestCancel(order.id, now, 'accepted'))) {
      // Not at the provider yet: the submit step sees the flag and refunds instead of submitting.
      results.set(id, { orderId: id, outcome: 'requested' });
    } else {
      // Submitted meanwhile (or read before it was): the provider must be asked.
      if (order.phase === 'accepted') order = await services.orders.getOrder(order.id);
      if (order?.phase !== 'submitted' || !order.externalOrderId) {
        results.set(id, { orderId: id, outcome: 'refused', refusal: order?.phase === 'finalized' ? 'order_finished' : 'order_being_submitted' });
        continue;
      }
      const batch = toProvider.get(order.providerId) ?? [];
      batch.push({ id, order });
      toProvider.set(order.providerId, batch);
    }
  }

  for (const [providerId, batch] of toProvider) {
    const provider = await services.catalog.getProvider(providerId);
    for (let i = 0; i < batch.length; i += 100) {
      const slice = batch.slice(i, i + 100);
      let answers: Map<string, true | Error>;
      try {
        if (!provider) throw new Error('provider not configured');
        const client = await services.providers.forProvider(provider);
        answers = await client.cancel(slice.map((entry) => entry.order.externalOrderId!));
      } catch {
        for (const entry of slice) results.set(entry.id, { orderId: entry.id, outcome: 'refused', refusal: 'provider_unreachable' });
        continue;
      }
      for (const entry of slice) {
        const answer = answers.get(entry.order.externalOrderId!);
        if (answer === true) {
          await services.orders.requestCancel(entry.order.id, now, 'submitted');
          results.set(entry.id, { orderId: entry.id, outcome: 'requested' });
        } else {
          const providerMessage = answer instanceof ProviderRejected ? { providerMessage: answer.message } : {};
          results.set(entry.id, { orderId: entry.id, outcome: 'refused', refusal: 'provider_refused', ...providerMessage });
        }
      }
    }
  }
  return requestedIds.map((id) => results.get(id)!);
}
