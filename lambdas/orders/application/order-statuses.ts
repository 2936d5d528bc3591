// The status of a customer's orders, read together; another owner's order is as good as missing.
import type { OrderStatusView } from '../domain/orders.js';
import type { OrderServices } from './order-services.js';

export async function orderStatuses(services: Pick<OrderServices, 'orders'>, ownerId: string, ids: number[]): Promise<Map<number, OrderStatusView>> {
  const found = await services.orders.getOrderStatuses(ids);
  for (const [id, view] of found) if (view.ownerId !== ownerId) found.delete(id);
  return found;
}
