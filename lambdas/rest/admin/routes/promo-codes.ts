// Admin API: promo codes.
import { createPromoCode, listPromoCodes, updatePromoCode } from '../../../admin/application/promo-codes.js';
import { promoAdminDeps } from '../../../admin/settings-wiring.js';
import type { PromoCode } from '../../../payments/domain/promo-codes.js';
import { formatMoney } from '../../../shared/money.js';
import { created, ok, type RouteImpl, route } from '../../v1/http.js';
import { createPromoCodeOperation, listPromoCodesOperation, updatePromoCodeOperation } from '../contract/promo-codes.js';

function promoBody(code: PromoCode) {
  const { minDeposit, ...rest } = code;
  return { ...rest, ...(minDeposit !== undefined ? { minDeposit: formatMoney(minDeposit, 2) } : {}) };
}

export const promoCodeRoutes: readonly RouteImpl[] = [
  route(listPromoCodesOperation, async () => ok({ items: (await listPromoCodes(promoAdminDeps())).map(promoBody) })),
  route(createPromoCodeOperation, async (req) => {
    const result = await createPromoCode(promoAdminDeps(), { caller: req.caller, sourceIp: req.sourceIp }, req.body);
    return result.created ? created(promoBody(result.code)) : ok(promoBody(result.code));
  }),
  route(updatePromoCodeOperation, async (req) => {
    const { reason, ...change } = req.body;
    return ok(promoBody(await updatePromoCode(promoAdminDeps(), { caller: req.caller, sourceIp: req.sourceIp }, req.params.code, change, reason)));
  }),
];
