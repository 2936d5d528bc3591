// REST v1 implementations: cancel and refill one of the caller's orders, through the same use cases as /api/v2
// (cancelOrders, refillOrders). Both ask the provider, so they live apart from the rest of the orders: only this
// function carries the provider client and reads the provider secrets.
import { cancelOrders, type CancelRefusal } from '../../../orders/application/cancel-orders.js';
import { refillOrders } from '../../../orders/application/refill-orders.js';
import type { RefillRefusal } from '../../../orders/domain/refills.js';
import { orderActionServices, refillIds } from '../../../orders/wiring.js';
import { HTTP_STATUS_OF } from '../../error-status.js';
import { cancelOrder, refillOrder } from '../contract/orders.js';
import { created, notFound, RestError, type RouteImpl, route } from '../http.js';

export const orderActionsRoutes: readonly RouteImpl[] = [
  route(cancelOrder, async (req) => {
    const [result] = await cancelOrders(orderActionServices(), req.caller.userId, [String(req.params.id)]);
    if (result?.outcome === 'requested') return { status: 202, body: { id: req.params.id, cancel: 'requested' } };
    throw refusal(result?.refusal ?? 'unknown_order', CANCEL_MESSAGES, result && 'providerMessage' in result ? result.providerMessage : undefined);
  }),
  route(refillOrder, async (req) => {
    const [result] = await refillOrders(orderActionServices(), refillIds(), req.caller.userId, [String(req.params.id)]);
    if (result && 'refillId' in result) return created({ id: req.params.id, refill: result.refillId });
    const detail = result && 'refusal' in result ? result : undefined;
    const message = detail?.refusal === 'refill_period_over' ? `The refill period of ${detail.refillDays ?? 30} days has ended` : undefined;
    throw refusal(detail?.refusal ?? 'unknown_order', REFILL_MESSAGES, detail?.providerMessage, message);
  }),
];

const CANCEL_MESSAGES: Record<CancelRefusal, string> = {
  unknown_order: 'Order not found',
  cancel_not_available: 'This service does not allow cancelling',
  order_finished: 'The order has already finished',
  order_being_submitted: 'The order is being sent to the provider; try again in a minute',
  provider_unreachable: 'The provider could not be reached; try again later',
  provider_refused: 'The provider refused to cancel the order',
};

const REFILL_MESSAGES: Record<RefillRefusal, string> = {
  unknown_order: 'Order not found',
  refill_not_available: 'This service does not offer refills',
  order_not_completed: 'Only a completed order can be refilled',
  refill_period_over: 'The refill period has ended',
  refill_already_requested: 'A refill was requested less than a day ago; try again later',
  order_not_at_provider: 'This order cannot be refilled',
  provider_refused: 'The provider refused the refill',
  provider_unreachable: 'The provider could not be reached; try again later',
  provider_unconfirmed: 'The provider did not confirm the refill; try again tomorrow',
};

function refusal<C extends CancelRefusal | RefillRefusal>(code: C, messages: Record<C, string>, providerMessage?: string, message?: string): RestError {
  if (code === 'unknown_order') return notFound('Order');
  const text = message ?? messages[code];
  return new RestError(HTTP_STATUS_OF[code], code, providerMessage ? `${text}: ${providerMessage}` : text);
}
