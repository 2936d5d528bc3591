// Admin API implementations of the order actions that ask the provider: refresh, cancel, resend. Apart from the other
// admin order routes: only this function carries the provider client and reads the provider secrets.
import { cancelOrder, refreshOrder, resendOrder, settleOrder } from '../../../admin/application/orders-actions.js';
import { orderActionServices } from '../../../admin/orders-wiring.js';
import { ok, RestError, type RouteImpl, route } from '../../v1/http.js';
import { cancelAdminOrder, refreshAdminOrder, resendAdminOrder, settleAdminOrder } from '../contract/order-actions.js';
import { adminOrderJson } from './order-json.js';

export const adminOrderActionsRoutes: readonly RouteImpl[] = [
  route(refreshAdminOrder, async (req) => {
    const { order, outcome } = await refreshOrder(orderActionServices(), { caller: req.caller, sourceIp: req.sourceIp }, req.params.id);
    return ok({ order: adminOrderJson(order), outcome });
  }),
  route(cancelAdminOrder, async (req) => {
    // Saying an unconfirmed submission never reached the provider refunds the whole charge on that word: moving money.
    if (req.body.neverReachedProvider && req.caller.role !== 'admin') {
      throw new RestError(403, 'forbidden', 'Only an admin may cancel with neverReachedProvider (it refunds the whole charge); an operator may resend');
    }
    const { order, outcome } = await cancelOrder(orderActionServices(), { caller: req.caller, sourceIp: req.sourceIp }, req.params.id, {
      ...(req.body.neverReachedProvider ? { neverReachedProvider: true } : {}),
      ...(req.body.reason ? { reason: req.body.reason } : {}),
    });
    return ok({ order: adminOrderJson(order), outcome });
  }),
  route(resendAdminOrder, async (req) => {
    const { order, outcome, providerMessage } = await resendOrder(
      orderActionServices(),
      { caller: req.caller, sourceIp: req.sourceIp },
      req.params.id,
      req.body.providerId,
    );
    return ok({ order: adminOrderJson(order), outcome, ...(providerMessage ? { providerMessage } : {}) });
  }),
  route(settleAdminOrder, async (req) => {
    // Admins only (admin/domain/permissions.ts): a person's word decides the refund.
    const { order, outcome } = await settleOrder(orderActionServices(), { caller: req.caller, sourceIp: req.sourceIp }, req.params.id, req.body);
    return ok({ order: adminOrderJson(order), outcome });
  }),
];
