// A customer's own orders: the list, newest first, and one order. Another owner's order is as good as missing.
import type { Order } from '../domain/orders.js';
import type { OrderSummary, OwnerOrdersQuery } from '../ports.js';
import type { OrderServices } from './order-services.js';

export function listOwnerOrders(services: Pick<OrderServices, 'orders'>, query: OwnerOrdersQuery): Promise<{ orders: OrderSummary[]; cursor?: string }> {
  return services.orders.listOwnerOrders(query);
}

export async function ownerOrder(services: Pick<OrderServices, 'orders'>, ownerId: string, id: number): Promise<Order | undefined> {
  const order = await services.orders.getOrder(id);
  return order?.ownerId === ownerId ? order : undefined;
}

/** The order as its placement left it: what the first answer to a repeated request showed. */
export function asPlaced(order: Order): Order {
  const { remains: _remains, startCount: _startCount, ...rest } = order;
  return { ...rest, status: 'Pending', refunded: 0 as Order['refunded'], updatedAt: order.createdAt };
}
