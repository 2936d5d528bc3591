// Accepting an order: validate, price, and record it with its charge in one transaction. Submission to the
// provider happens later, in the order workflow started from the committed order.
import { DomainError, isDomainError } from '../../shared/errors.js';
import { type Order, type OrderRequest, newOrder } from '../domain/orders.js';
import type { OrderServices } from './order-services.js';

export interface PlaceOrderInput extends OrderRequest {
  serviceId: number;
}

export type PlaceOrderServices = Pick<OrderServices, 'catalog' | 'orders' | 'orderIds' | 'clock' | 'limits'>;

/** The order, and whether it was placed by an earlier request with the same request id (a replay moved no money). */
export interface PlacedOrder {
  order: Order;
  replayed: boolean;
}

export async function placeOrder(services: PlaceOrderServices, input: PlaceOrderInput): Promise<PlacedOrder> {
  const { catalog, orders, orderIds, clock } = services;
  if (input.requestId) {
    const existing = await findExisting(services, input.ownerId, input.requestId);
    if (existing) return { order: existing, replayed: true };
  }
  const service = await catalog.getService(input.serviceId);
  if (!service) throw new DomainError('unknown_service', 'Incorrect service ID');
  // Validate before taking an id, so bad input costs no write at all.
  const probe = newOrder(service, input, 0, clock.now().toISOString());
  // The limits count the order before it is written, and are given back whenever no new order results.
  await services.limits?.reserve(probe);
  let order: Order;
  try {
    order = newOrder(service, input, await orderIds.next(input.ownerId), probe.createdAt);
    await orders.placeOrder(order);
  } catch (error) {
    await services.limits?.release(probe);
    if (input.requestId && isDomainError(error, 'already_applied')) {
      const existing = await findExisting(services, input.ownerId, input.requestId);
      if (existing) return { order: existing, replayed: true };
    }
    throw error;
  }
  return { order, replayed: false };
}

async function findExisting(services: PlaceOrderServices, ownerId: string, requestId: string): Promise<Order | undefined> {
  const id = await services.orders.findByRequestId(ownerId, requestId);
  return id === undefined ? undefined : services.orders.getOrder(id);
}
