// Accepting an order: validate, price, and record it with its charge in one transaction. Submission to the
// provider happens later, in the order workflow started from the committed order.
import { DomainError, isDomainError } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';
import { type Order, type OrderRequest, newOrder } from '../domain/orders.js';
import { resellerRate } from '../domain/reseller-pricing.js';
import type { OrderServices } from './order-services.js';

export interface PlaceOrderInput extends OrderRequest {
  serviceId: number;
}

export type PlaceOrderServices = Pick<OrderServices, 'catalog' | 'orders' | 'orderIds' | 'clock' | 'limits' | 'pricing' | 'metrics'>;

/** The order, and whether it was placed by an earlier request with the same request id (a replay moved no money). */
export interface PlacedOrder {
  order: Order;
  replayed: boolean;
}

/** Both APIs place through here, so OrdersAccepted and OrdersRefused (by error code) count every order once. */
export async function placeOrder(services: PlaceOrderServices, input: PlaceOrderInput): Promise<PlacedOrder> {
  try {
    const placed = await place(services, input);
    // A replay moved no money: the order was counted when it was placed.
    if (!placed.replayed) services.metrics.record('OrdersAccepted', 1, {});
    return placed;
  } catch (error) {
    // Only refusals: a failure of ours (no DomainError) is the functions' error metrics' to count.
    if (isDomainError(error)) services.metrics.record('OrdersRefused', 1, { reason: error.code });
    throw error;
  }
}

async function place(services: PlaceOrderServices, input: PlaceOrderInput): Promise<PlacedOrder> {
  const { catalog, orders, orderIds, clock } = services;
  if (input.requestId) {
    const existing = await findExisting(services, input.ownerId, input.requestId);
    if (existing) return { order: existing, replayed: true };
  }
  const listed = await catalog.getService(input.serviceId);
  if (!listed) throw new DomainError('unknown_service', 'Incorrect service ID');
  // A reseller's wholesale rate replaces the catalog's before anything is priced: the order keeps the rate it paid,
  // so refunds of its undelivered part follow it too.
  const pricing = await services.pricing?.pricingOf(input.ownerId);
  const service = { ...listed, ratePer1000: resellerRate(listed.id, listed.ratePer1000, pricing) };
  // Validate before taking an id, so bad input costs no write at all.
  const probe = newOrder(service, input, 0, clock.now().toISOString());
  // The daily spend counts the order before it is written, and is given back whenever no new order results. The
  // active-orders count is taken in the order's own transaction (exactly once, refused with nothing written).
  await services.limits?.reserve(probe);
  const maxActiveOrders = services.limits?.maxActiveOrders;
  let order: Order | undefined;
  try {
    order = {
      ...newOrder(service, input, await orderIds.next(input.ownerId), probe.createdAt),
      ...(maxActiveOrders !== undefined ? { activeCounted: true } : {}),
    };
    await orders.placeOrder(order, ...(maxActiveOrders !== undefined ? [{ maxActiveOrders }] : []));
  } catch (error) {
    // Our own transaction may have committed though the call failed (a retried call then finds the order there):
    // the order is placed, and nothing is given back.
    if (order && (!isDomainError(error) || isDomainError(error, 'already_applied'))) {
      const mine = await orders.getOrder(order.id).catch(() => undefined);
      if (mine && mine.ownerId === order.ownerId && mine.createdAt === order.createdAt) return { order: mine, replayed: false };
    }
    await giveBack(services, probe);
    if (input.requestId && isDomainError(error, 'already_applied')) {
      const existing = await findExisting(services, input.ownerId, input.requestId);
      if (existing) return { order: existing, replayed: true };
    }
    throw error;
  }
  return { order, replayed: false };
}

/** Gives the day's spend back; a failure to do so only makes that day stricter, and never hides why the order failed. */
async function giveBack(services: PlaceOrderServices, probe: Order): Promise<void> {
  try {
    await services.limits?.release(probe);
  } catch (error) {
    logger.warn('daily spend not given back', { ownerId: probe.ownerId, errorName: error instanceof Error ? error.name : typeof error });
  }
}

async function findExisting(services: PlaceOrderServices, ownerId: string, requestId: string): Promise<Order | undefined> {
  const id = await services.orders.findByRequestId(ownerId, requestId);
  return id === undefined ? undefined : services.orders.getOrder(id);
}
