// Refills of completed orders within the service's refill window, and their status.
import { type Refill, type RefillRefusal, type RefillStatus, REFILL_COOLDOWN_HOURS, isFinalRefillStatus, refillRefusal } from '../domain/refills.js';
import type { RefillIdAllocator } from '../ports.js';
import { ProviderNotReached, ProviderRejected } from '../../catalog/domain/provider-errors.js';
import type { OrderServices } from './order-services.js';

export type RefillResult = { orderId: string; refillId: number } | { orderId: string; refusal: RefillRefusal; refillDays?: number; providerMessage?: string };

/** A stored refill status is asked of the provider again only when it is not final and older than this. */
const RECHECK_AFTER_MS = 60_000;

export type RefillServices = Pick<OrderServices, 'orders' | 'refills' | 'catalog' | 'providers' | 'clock'>;

export async function refillOrders(services: RefillServices, refillIds: RefillIdAllocator, ownerId: string, requestedIds: string[]): Promise<RefillResult[]> {
  const numeric = requestedIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  const orders = await services.orders.getOrders(numeric);
  const results: RefillResult[] = [];
  const seen = new Set<string>();
  for (const id of requestedIds) {
    const order = /^\d{1,15}$/.test(id) ? orders.get(Number(id)) : undefined;
    if (!order || order.ownerId !== ownerId) {
      results.push({ orderId: id, refusal: 'unknown_order' });
      continue;
    }
    if (seen.has(id)) {
      results.push({ orderId: id, refusal: 'refill_already_requested' });
      continue;
    }
    seen.add(id);
    const now = services.clock.now();
    const service = await services.catalog.getService(order.serviceId);
    const refusal = refillRefusal(order, service, now);
    const provider = await services.catalog.getProvider(order.providerId);
    if (refusal || !provider || !order.externalOrderId) {
      results.push({ orderId: id, ...(refusal ?? { refusal: 'order_not_at_provider' }) });
      continue;
    }
    // The claim comes first, so two requests at once cannot both reach the provider.
    const at = now.toISOString();
    const claim = await services.refills.reserveRefill(order.id, at, new Date(now.getTime() - REFILL_COOLDOWN_HOURS * 3_600_000).toISOString());
    if (!claim.reserved) {
      results.push({ orderId: id, refusal: 'refill_already_requested' });
      continue;
    }
    let externalRefillId: string;
    try {
      externalRefillId = (await (await services.providers.forProvider(provider)).refill(order.externalOrderId)).refillId;
    } catch (error) {
      // The claim is given back only when the provider certainly did not take the refill; after an unclear
      // answer it may have, and asking again could refill twice.
      if (error instanceof ProviderRejected || error instanceof ProviderNotReached) await services.refills.releaseRefill(order.id, at, claim.previous);
      results.push(
        error instanceof ProviderRejected
          ? { orderId: id, refusal: 'provider_refused', providerMessage: error.message }
          : { orderId: id, refusal: error instanceof ProviderNotReached ? 'provider_unreachable' : 'provider_unconfirmed' },
      );
      continue;
    }
    const refill: Refill = {
      id: await refillIds.next(),
      orderId: order.id,
      ownerId,
      providerId: provider.id,
      externalRefillId,
      status: 'Pending',
      createdAt: at,
      checkedAt: at,
    };
    await services.refills.putRefill(refill);
    results.push({ orderId: id, refillId: refill.id });
  }
  return results;
}

export type RefillStatusResult = { refillId: string; status: RefillStatus } | { refillId: string; refusal: 'unknown_refill' };

export async function refillStatuses(services: RefillServices, ownerId: string, requestedIds: string[]): Promise<RefillStatusResult[]> {
  const numeric = requestedIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
  const refills = await services.refills.getRefills(numeric);
  const now = services.clock.now();
  const stale = [...refills.values()].filter(
    (r) => r.ownerId === ownerId && !isFinalRefillStatus(r.status) && now.getTime() - Date.parse(r.checkedAt) > RECHECK_AFTER_MS,
  );
  const byProvider = new Map<string, Refill[]>();
  for (const refill of stale) byProvider.set(refill.providerId, [...(byProvider.get(refill.providerId) ?? []), refill]);
  for (const [providerId, batch] of byProvider) {
    const provider = await services.catalog.getProvider(providerId);
    if (!provider) continue;
    try {
      const client = await services.providers.forProvider(provider);
      for (let i = 0; i < batch.length; i += 100) {
        const slice = batch.slice(i, i + 100);
        const answers = await client.refillStatus(slice.map((r) => r.externalRefillId));
        for (const refill of slice) {
          const answer = answers.get(refill.externalRefillId);
          if (!answer || answer instanceof Error) continue;
          refill.status = answer;
          await services.refills.updateRefillStatus(refill.id, answer, now.toISOString());
        }
      }
    } catch {
      // The stored status stands until the provider answers again.
    }
  }
  return requestedIds.map((id) => {
    const refill = /^\d{1,15}$/.test(id) ? refills.get(Number(id)) : undefined;
    return refill && refill.ownerId === ownerId ? { refillId: id, status: refill.status } : { refillId: id, refusal: 'unknown_refill' };
  });
}
